//! Go's `time.Duration`: parsing as `time.ParseDuration` does and printing as
//! `Duration.String()` does (`1m30s`, `5m0s`, `10ns`, `1.5µs`).
//!
//! The kubelet reads every eviction period with `time.ParseDuration`, so the
//! accepted grammar (`[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, the units `ns`, `us`,
//! `µs`, `μs`, `ms`, `s`, `m`, `h`, and the bare `0`) and the error texts
//! (`time: invalid duration "x"`, `time: missing unit in duration "1"`,
//! `time: unknown unit "d" in duration "1d"`) are Go's, byte for byte.
//!
//! ```
//! use kubelogic::eviction::Duration;
//!
//! let d: Duration = "1m30s".parse()?;
//! assert_eq!(d.as_nanos(), 90_000_000_000);
//! assert_eq!(d.to_string(), "1m30s");
//! assert_eq!(Duration::from_secs(300).to_string(), "5m0s");
//! assert_eq!("1.5h".parse::<Duration>()?.to_string(), "1h30m0s");
//! assert_eq!(
//!     "1d".parse::<Duration>().unwrap_err().to_string(),
//!     r#"time: unknown unit "d" in duration "1d""#
//! );
//! # Ok::<(), kubelogic::eviction::DurationError>(())
//! ```

use std::fmt;
use std::str::FromStr;

/// A signed span of time in nanoseconds, Go's `time.Duration`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(i64);

const NANOSECOND: u64 = 1;
const MICROSECOND: u64 = 1_000 * NANOSECOND;
const MILLISECOND: u64 = 1_000 * MICROSECOND;
const SECOND: u64 = 1_000 * MILLISECOND;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;
const LIMIT: u64 = 1 << 63;

impl Duration {
    /// Zero.
    pub const ZERO: Duration = Duration(0);

    /// A duration of `nanos` nanoseconds.
    pub const fn from_nanos(nanos: i64) -> Self {
        Duration(nanos)
    }

    /// A duration of `secs` seconds (saturating at Go's range).
    pub const fn from_secs(secs: i64) -> Self {
        Duration(secs.saturating_mul(1_000_000_000))
    }

    /// The duration in nanoseconds.
    pub const fn as_nanos(self) -> i64 {
        self.0
    }

    /// Whether the duration is negative.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `self - earlier`, saturating (Go's `Time.Sub` saturates too).
    pub const fn saturating_sub(self, earlier: Duration) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }

    /// `self + other`, saturating.
    pub const fn saturating_add(self, other: Duration) -> Duration {
        Duration(self.0.saturating_add(other.0))
    }

    /// Parses a duration exactly as Go's `time.ParseDuration`.
    pub fn parse(s: &str) -> Result<Self, DurationError> {
        parse_duration(s)
    }
}

/// Why a duration did not parse; `Display` is Go's error text.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DurationError {
    /// `time: invalid duration "<input>"`: bad syntax or out of range.
    Invalid {
        /// The whole input.
        input: String,
    },
    /// `time: missing unit in duration "<input>"`.
    MissingUnit {
        /// The whole input.
        input: String,
    },
    /// `time: unknown unit "<unit>" in duration "<input>"`.
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// The whole input.
        input: String,
    },
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Invalid { input } => {
                write!(f, "time: invalid duration {}", go_time_quote(input))
            }
            DurationError::MissingUnit { input } => {
                write!(f, "time: missing unit in duration {}", go_time_quote(input))
            }
            DurationError::UnknownUnit { unit, input } => write!(
                f,
                "time: unknown unit {} in duration {}",
                go_time_quote(unit),
                go_time_quote(input)
            ),
        }
    }
}

impl std::error::Error for DurationError {}

/// The `time` package's own `quote`: ASCII printable characters as they are
/// (with `"` and `\` escaped), every other byte as `\xNN`.
pub(crate) fn go_time_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if (c as u32) >= 0x80 || c < ' ' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => NANOSECOND,
        "us" | "\u{00b5}s" | "\u{03bc}s" => MICROSECOND,
        "ms" => MILLISECOND,
        "s" => SECOND,
        "m" => MINUTE,
        "h" => HOUR,
        _ => return None,
    })
}

/// Consumes `[0-9]*`; `Err` on overflow past 2^63.
fn leading_int(s: &[u8]) -> Result<(u64, usize), ()> {
    let mut x: u64 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        if x > LIMIT / 10 {
            return Err(());
        }
        x = x * 10 + u64::from(c - b'0');
        if x > LIMIT {
            return Err(());
        }
        i += 1;
    }
    Ok((x, i))
}

/// Consumes `[0-9]*` after a `.`: the digits kept, their scale, bytes consumed.
fn leading_fraction(s: &[u8]) -> (u64, f64, usize) {
    let mut x: u64 = 0;
    let mut scale = 1.0f64;
    let mut overflow = false;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        i += 1;
        if overflow {
            continue;
        }
        if x > (LIMIT - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > LIMIT {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, i)
}

fn parse_duration(orig: &str) -> Result<Duration, DurationError> {
    let invalid = || DurationError::Invalid {
        input: orig.to_owned(),
    };
    let bytes = orig.as_bytes();
    let mut pos = 0usize;
    let mut neg = false;
    if let Some(&c) = bytes.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            pos = 1;
        }
    }
    let rest = bytes.get(pos..).unwrap_or_default();
    if rest == b"0" {
        return Ok(Duration(0));
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while pos < bytes.len() {
        let s = bytes.get(pos..).unwrap_or_default();
        let first = s.first().copied().unwrap_or(0);
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let (mut v, used) = leading_int(s).map_err(|()| invalid())?;
        pos += used;
        let pre = used != 0;
        let mut post = false;
        let (mut f, mut scale) = (0u64, 1.0f64);
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            let (ff, sc, used) = leading_fraction(bytes.get(pos..).unwrap_or_default());
            f = ff;
            scale = sc;
            post = used != 0;
            pos += used;
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_start = pos;
        while let Some(&c) = bytes.get(pos) {
            if c == b'.' || c.is_ascii_digit() {
                break;
            }
            pos += 1;
        }
        if pos == unit_start {
            return Err(DurationError::MissingUnit {
                input: orig.to_owned(),
            });
        }
        // The unit ends at an ASCII byte or at the end: always a char boundary.
        let unit_text = orig.get(unit_start..pos).unwrap_or_default();
        let unit = unit_nanos(unit_text).ok_or_else(|| DurationError::UnknownUnit {
            unit: unit_text.to_owned(),
            input: orig.to_owned(),
        })?;
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            // Go: float64 is needed to be nanosecond accurate for fractions of hours.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let frac = (f as f64 * (unit as f64 / scale)) as u64;
            v = v.saturating_add(frac);
            if v > LIMIT {
                return Err(invalid());
            }
        }
        d = d.saturating_add(v);
        if d > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        // d <= 2^63: -d fits (2^63 becomes i64::MIN).
        return Ok(Duration((d as i64).wrapping_neg()));
    }
    if d > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(Duration(d as i64))
}

impl FromStr for Duration {
    type Err = DurationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_duration(s)
    }
}

/// Writes `v / 10^prec` as a fraction (".123") without trailing zeros;
/// returns the integer part.
fn fmt_frac(out: &mut Vec<u8>, mut v: u64, prec: u32) -> u64 {
    let mut print = false;
    for _ in 0..prec {
        let digit = (v % 10) as u8;
        print = print || digit != 0;
        if print {
            out.push(digit + b'0');
        }
        v /= 10;
    }
    if print {
        out.push(b'.');
    }
    v
}

fn fmt_int(out: &mut Vec<u8>, mut v: u64) {
    if v == 0 {
        out.push(b'0');
        return;
    }
    while v > 0 {
        out.push((v % 10) as u8 + b'0');
        v /= 10;
    }
}

impl fmt::Display for Duration {
    /// Go's `Duration.String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Built back to front, as Go does, then reversed.
        let mut out: Vec<u8> = Vec::with_capacity(32);
        let neg = self.0 < 0;
        let mut u = self.0.unsigned_abs();
        if u < SECOND {
            let prec;
            out.push(b's');
            if u == 0 {
                return f.write_str("0s");
            } else if u < MICROSECOND {
                prec = 0;
                out.push(b'n');
            } else if u < MILLISECOND {
                prec = 3;
                // "µ" (U+00B5) reversed.
                out.push(0xb5);
                out.push(0xc2);
            } else {
                prec = 6;
                out.push(b'm');
            }
            u = fmt_frac(&mut out, u, prec);
            fmt_int(&mut out, u);
        } else {
            out.push(b's');
            u = fmt_frac(&mut out, u, 9);
            fmt_int(&mut out, u % 60);
            u /= 60;
            if u > 0 {
                out.push(b'm');
                fmt_int(&mut out, u % 60);
                u /= 60;
                if u > 0 {
                    out.push(b'h');
                    fmt_int(&mut out, u);
                }
            }
        }
        if neg {
            out.push(b'-');
        }
        out.reverse();
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_duration(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parse_table() {
        for (s, ns) in [
            ("0", 0),
            ("5s", 5_000_000_000),
            ("30s", 30_000_000_000),
            ("1478s", 1_478_000_000_000),
            ("-5s", -5_000_000_000),
            ("+5s", 5_000_000_000),
            ("-0", 0),
            ("+0", 0),
            ("5.0s", 5_000_000_000),
            ("5.6s", 5_600_000_000),
            ("5.s", 5_000_000_000),
            (".5s", 500_000_000),
            ("1.0s", 1_000_000_000),
            ("1.00s", 1_000_000_000),
            ("1.004s", 1_004_000_000),
            ("100.00100s", 100_001_000_000),
            ("10ns", 10),
            ("11us", 11_000),
            ("12µs", 12_000),
            ("12μs", 12_000),
            ("13ms", 13_000_000),
            ("14s", 14_000_000_000),
            ("15m", 900_000_000_000),
            ("16h", 57_600_000_000_000),
            ("3h30m", 12_600_000_000_000),
            ("10.5s4m", 250_500_000_000),
            ("-2m3.4s", -123_400_000_000),
            ("1h2m3s4ms5us6ns", 3_723_004_005_006),
            ("39h9m14.425s", 140_954_425_000_000),
            ("52763797000ns", 52_763_797_000),
            ("0.3333333333333333333h", 1_200_000_000_000),
            ("9007199254740993ns", 9_007_199_254_740_993),
            ("9223372036854775807ns", i64::MAX),
            ("9223372036854775.807us", i64::MAX),
            ("9223372036s854ms775us807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
            ("-9223372036854775.808us", i64::MIN),
            ("0.100000000000000000000h", 360_000_000_000),
            ("0.830103483285477580700h", 2_988_372_539_827),
        ] {
            assert_eq!(Duration::parse(s), Ok(Duration(ns)), "{s}");
        }
    }

    #[test]
    fn go_parse_errors() {
        for (s, msg) in [
            ("", r#"time: invalid duration """#),
            ("3", r#"time: missing unit in duration "3""#),
            ("-", r#"time: invalid duration "-""#),
            ("s", r#"time: invalid duration "s""#),
            (".", r#"time: invalid duration ".""#),
            ("-.", r#"time: invalid duration "-.""#),
            (".s", r#"time: invalid duration ".s""#),
            ("+.s", r#"time: invalid duration "+.s""#),
            ("1d", r#"time: unknown unit "d" in duration "1d""#),
            (
                "\u{85}\u{85}",
                r#"time: invalid duration "\xc2\x85\xc2\x85""#,
            ),
            ("\u{FFFD}", r#"time: invalid duration "\xef\xbf\xbd""#),
            (
                "9223372036854775810ns",
                r#"time: invalid duration "9223372036854775810ns""#,
            ),
            (
                "9223372036854775808ns",
                r#"time: invalid duration "9223372036854775808ns""#,
            ),
            (
                "-9223372036854775809ns",
                r#"time: invalid duration "-9223372036854775809ns""#,
            ),
            (
                "9223372036854776us",
                r#"time: invalid duration "9223372036854776us""#,
            ),
            ("3000000h", r#"time: invalid duration "3000000h""#),
            (
                "9223372036854775.808us",
                r#"time: invalid duration "9223372036854775.808us""#,
            ),
            ("1 s", r#"time: unknown unit " s" in duration "1 s""#),
        ] {
            let err = Duration::parse(s).unwrap_err();
            assert_eq!(err.to_string(), msg, "{s:?}");
        }
    }

    #[test]
    fn go_format_table() {
        for (ns, s) in [
            (0i64, "0s"),
            (1, "1ns"),
            (1100, "1.1µs"),
            (2_200_000, "2.2ms"),
            (3_300_000_000, "3.3s"),
            (240_000_000_000, "4m0s"),
            (245_000_000_000, "4m5s"),
            (245_001_000_000, "4m5.001s"),
            (18_065_001_000_000, "5h1m5.001s"),
            (28_800_000_000_001, "8h0m0.000000001s"),
            (i64::MAX, "2562047h47m16.854775807s"),
            (i64::MIN, "-2562047h47m16.854775808s"),
            (-1, "-1ns"),
            (90_000_000_000, "1m30s"),
            (10, "10ns"),
        ] {
            assert_eq!(Duration(ns).to_string(), s);
        }
    }
}
