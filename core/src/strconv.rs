//! Go's `strconv.ParseFloat(s, 32)`: text to the nearest `float32`, with Go's
//! syntax and errors. Go's syntax is checked here; decimal text is then
//! rounded by std's `str::parse::<f32>` (correctly rounded, as Go's), and
//! hexadecimal text by a port of `atofHex` (std reads no hexadecimal floats).
//!
//! The syntax is Go's (`strconv/atof.go`, `readFloat` and `special`): an
//! optional sign; `inf`, `infinity` or `nan` in any case (`nan` unsigned); a
//! decimal mantissa with an optional `.` and an optional `e` exponent; or a
//! `0x` hexadecimal mantissa with a required `p` (binary) exponent.
//! Underscores may separate digits, and a base prefix from a digit (Go's
//! `underscoreOK`): `1_000.5`, `0x_1p-2`.
//!
//! Both round to the nearest `float32`, ties to even. A finite value beyond
//! the largest `float32` (by at least half an ulp) is
//! [`ParseFloatError::Range`]; one below the smallest subnormal rounds to
//! zero, keeping its sign.
//!
//! One known difference: Go's `decimal.set` places the point after at most
//! the 800 digits it stores, so Go misreads text with more than 800
//! significant digits before the point whenever its fast path
//! (Eisel-Lemire) cannot decide: a subnormal or out-of-range result, or a
//! 19-digit prefix that does not settle the rounding. This parser reads such
//! text exactly (std's parser has no digit limit).
//!
//! (Examples: the `doc_examples` test below.)

use std::fmt;

/// Why [`parse_float32`] failed: the `Err` of Go's `*strconv.NumError`,
/// `strconv.ErrSyntax` or `strconv.ErrRange`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseFloatError {
    /// `invalid syntax`: the text is not a Go floating-point number.
    Syntax,
    /// `value out of range`: the number is finite but rounds beyond the
    /// largest `float32` (Go returns ±Inf with this error).
    Range,
}

impl fmt::Display for ParseFloatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseFloatError::Syntax => "invalid syntax",
            ParseFloatError::Range => "value out of range",
        })
    }
}

impl std::error::Error for ParseFloatError {}

/// `strconv.ParseFloat(s, 32)`: the `float32` nearest to `s` (ties to even).
///
/// The whole of `s` must be the number; see the [module docs](self) for the
/// syntax.
pub fn parse_float32(s: &str) -> Result<f32, ParseFloatError> {
    if let Some(f) = special(s.as_bytes()) {
        return Ok(f);
    }
    match read_float(s.as_bytes()).ok_or(ParseFloatError::Syntax)? {
        Number::Decimal => {
            // Go's syntax is checked; std rounds correctly (to nearest,
            // ties to even, any length). Underscores are only separators.
            let digits: String = s.chars().filter(|&c| c != '_').collect();
            match digits.parse::<f32>() {
                Ok(v) if v.is_infinite() => Err(ParseFloatError::Range),
                Ok(v) => Ok(v),
                Err(_) => Err(ParseFloatError::Syntax),
            }
        }
        Number::Hex(h) => h.float_bits().map(f32::from_bits),
    }
}

/// `float32info`: 23 mantissa bits, 8 exponent bits, bias -127.
const MANT_BITS: u32 = 23;
const EXP_BITS: u32 = 8;
const BIAS: i64 = -127;
const SIGN_BIT: u32 = 1 << (MANT_BITS + EXP_BITS);

/// Go's `special`: `[+-]inf`, `[+-]infinity` and `nan`, case ignored, as the
/// whole text.
fn special(s: &[u8]) -> Option<f32> {
    let (negative, rest) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
        return Some(if negative {
            f32::NEG_INFINITY
        } else {
            f32::INFINITY
        });
    }
    // Go has no signed NaN: `+nan` is invalid syntax.
    if rest.len() == s.len() && s.eq_ignore_ascii_case(b"nan") {
        return Some(f32::NAN);
    }
    None
}

/// A well-formed number, ready to round.
enum Number {
    /// Decimal text: std's parser rounds it.
    Decimal,
    Hex(Hex),
}

/// Go's `readFloat`: checks the syntax, and for a hexadecimal number reads
/// the mantissa's first sixteen digits, where its point is and the
/// exponent. `None` is invalid syntax.
fn read_float(s: &[u8]) -> Option<Number> {
    let mut i = 0;
    let neg = match s.first() {
        Some(b'+') => {
            i += 1;
            false
        }
        Some(b'-') => {
            i += 1;
            true
        }
        _ => false,
    };
    // A base prefix needs a character after it (Go: `i+2 < len(s)`).
    let hex = s.len() > i + 2
        && s.get(i) == Some(&b'0')
        && s.get(i + 1).map(u8::to_ascii_lowercase) == Some(b'x');
    if hex {
        i += 2;
    }
    let (base, max_mant_digits, exp_char) = if hex { (16, 16, b'p') } else { (10, 19, b'e') };

    let mut underscores = false;
    let mut saw_dot = false;
    let mut saw_digits = false;
    // Digits after leading zeros (nd), those kept in `mantissa` (nd_mant), and
    // the point's position counted in digits (dp).
    let mut nd: i64 = 0;
    let mut nd_mant: i64 = 0;
    let mut dp: i64 = 0;
    let mut mantissa: u64 = 0;
    let mut trunc = false;
    while let Some(&c) = s.get(i) {
        let digit = match c {
            b'_' => {
                underscores = true;
                i += 1;
                continue;
            }
            b'.' if !saw_dot => {
                saw_dot = true;
                dp = nd;
                i += 1;
                continue;
            }
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' | b'A'..=b'F' if hex => c.to_ascii_lowercase() - b'a' + 10,
            _ => break,
        };
        i += 1;
        saw_digits = true;
        if digit == 0 && nd == 0 {
            // Leading zeros move the point, nothing else.
            dp -= 1;
            continue;
        }
        nd += 1;
        if nd_mant < max_mant_digits {
            mantissa = mantissa * base + u64::from(digit);
            nd_mant += 1;
        } else if digit != 0 {
            trunc = true;
        }
    }
    if !saw_digits {
        return None;
    }
    if !saw_dot {
        dp = nd;
    }
    if hex {
        dp *= 4;
        nd_mant *= 4;
    }

    if s.get(i).map(u8::to_ascii_lowercase) == Some(exp_char) {
        i += 1;
        let esign = match s.get(i) {
            Some(b'+') => {
                i += 1;
                1
            }
            Some(b'-') => {
                i += 1;
                -1
            }
            _ => 1,
        };
        if !s.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        // Go stops accumulating past 10000: a longer exponent only has to
        // move the point "a lot".
        let mut e: i64 = 0;
        while let Some(&c) = s.get(i) {
            match c {
                b'_' => underscores = true,
                b'0'..=b'9' if e < 10_000 => e = e * 10 + i64::from(c - b'0'),
                b'0'..=b'9' => {}
                _ => break,
            }
            i += 1;
        }
        dp += e * esign;
    } else if hex {
        // A hexadecimal mantissa must have an exponent.
        return None;
    }

    if i != s.len() || (underscores && !underscore_ok(s)) {
        return None;
    }
    if hex {
        let exp = if mantissa == 0 { 0 } else { dp - nd_mant };
        return Some(Number::Hex(Hex {
            mantissa,
            exp,
            neg,
            trunc,
        }));
    }
    Some(Number::Decimal)
}

/// Go's `underscoreOK`: underscores only between digits, or between a base
/// prefix and a digit.
fn underscore_ok(s: &[u8]) -> bool {
    #[derive(PartialEq)]
    enum Saw {
        Start,
        Digit,
        Underscore,
        Other,
    }
    let s = match s.split_first() {
        Some((b'+' | b'-', rest)) => rest,
        _ => s,
    };
    let (hex, s, mut saw) = match s {
        [b'0', p, rest @ ..] if matches!(p.to_ascii_lowercase(), b'b' | b'o' | b'x') => {
            (p.eq_ignore_ascii_case(&b'x'), rest, Saw::Digit)
        }
        _ => (false, s, Saw::Start),
    };
    for &c in s {
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = Saw::Digit;
        } else if c == b'_' {
            if saw != Saw::Digit {
                return false;
            }
            saw = Saw::Underscore;
        } else if saw == Saw::Underscore {
            return false;
        } else {
            saw = Saw::Other;
        }
    }
    saw != Saw::Underscore
}

/// The low bits of `mant`, the biased exponent `exp` and the sign as `float32` bits.
fn assemble(mant: u64, exp: i64, sign: u32) -> u32 {
    let mant = u32::try_from(mant & ((1 << MANT_BITS) - 1)).unwrap_or(0);
    let biased = u32::try_from((exp - BIAS) & ((1 << EXP_BITS) - 1)).unwrap_or(0);
    sign | (biased << MANT_BITS) | mant
}

/// A hexadecimal number: `mantissa × 2^exp`, `trunc` when nonzero digits
/// beyond the sixteenth were dropped.
struct Hex {
    mantissa: u64,
    exp: i64,
    neg: bool,
    trunc: bool,
}

impl Hex {
    /// Go's `atofHex` for `float32info`.
    fn float_bits(self) -> Result<u32, ParseFloatError> {
        let max_exp = (1 << EXP_BITS) + BIAS - 2;
        let min_exp = BIAS + 1;
        let Hex {
            mut mantissa,
            mut exp,
            neg,
            trunc,
        } = self;
        // The mantissa is now read as divided by 2^23.
        exp += i64::from(MANT_BITS);
        // A leading 1, 23 more bits, and two rounding bits, the last sticky.
        while mantissa != 0 && mantissa >> (MANT_BITS + 2) == 0 {
            mantissa <<= 1;
            exp -= 1;
        }
        if trunc {
            mantissa |= 1;
        }
        while mantissa >> (1 + MANT_BITS + 2) != 0 {
            mantissa = (mantissa >> 1) | (mantissa & 1);
            exp += 1;
        }
        // Denormalize a too small exponent, hoping to represent it.
        while mantissa > 1 && exp < min_exp - 2 {
            mantissa = (mantissa >> 1) | (mantissa & 1);
            exp += 1;
        }
        // Round with the two bottom bits, ties to even.
        let mut round = mantissa & 3;
        mantissa >>= 2;
        round |= mantissa & 1;
        exp += 2;
        if round == 3 {
            mantissa += 1;
            if mantissa == 1 << (1 + MANT_BITS) {
                mantissa >>= 1;
                exp += 1;
            }
        }
        if mantissa >> MANT_BITS == 0 {
            // Subnormal or zero.
            exp = BIAS;
        }
        if exp > max_exp {
            return Err(ParseFloatError::Range);
        }
        Ok(assemble(mantissa, exp, if neg { SIGN_BIT } else { 0 }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal() {
        for (s, want) in [
            ("0", 0.0f32),
            ("1", 1.0),
            ("+1", 1.0),
            ("10.5", 10.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e3", 1000.0),
            ("1E-3", 0.001),
            ("3.4028235e38", f32::MAX),
            ("1.401298464324817e-45", f32::from_bits(1)),
            ("7e-46", 0.0),
            ("7.1e-46", f32::from_bits(1)),
            ("7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015625e-46", 0.0),
            ("7.006492321624085354618647916449580656401309709382578858785341419448955413429303007433190941810607910156251e-46", f32::from_bits(1)),
            ("1_2.5e0_1", 125.0),
        ] {
            assert_eq!(parse_float32(s).map(f32::to_bits), Ok(want.to_bits()), "{s}");
        }
        assert_eq!(parse_float32("-0").map(f32::to_bits), Ok(0x8000_0000));
        assert_eq!(parse_float32("-1e-99").map(f32::to_bits), Ok(0x8000_0000));
        assert_eq!(parse_float32("3.4028236e38"), Err(ParseFloatError::Range));
        assert_eq!(parse_float32("1e100000000000"), Err(ParseFloatError::Range));
        assert_eq!(parse_float32("0e100000000000"), Ok(0.0));
    }

    #[test]
    fn hex() {
        assert_eq!(parse_float32("0x1p-2"), Ok(0.25));
        assert_eq!(parse_float32("0X1.8P1"), Ok(3.0));
        assert_eq!(parse_float32("-0x_1p0"), Ok(-1.0));
        assert_eq!(parse_float32("0x1_0p0"), Ok(16.0));
        assert_eq!(parse_float32("0x1.fffffep127"), Ok(f32::MAX));
        assert_eq!(parse_float32("0x1.ffffffp127"), Err(ParseFloatError::Range));
        assert_eq!(parse_float32("0x1p-149"), Ok(f32::from_bits(1)));
        assert_eq!(parse_float32("0x1p-150"), Ok(0.0));
        assert_eq!(parse_float32("0x1.000001p-150"), Ok(f32::from_bits(1)));
        assert_eq!(parse_float32("0x0p99999999"), Ok(0.0));
        assert_eq!(parse_float32("0x1"), Err(ParseFloatError::Syntax));
        assert_eq!(parse_float32("0x"), Err(ParseFloatError::Syntax));
        assert_eq!(parse_float32("0xp1"), Err(ParseFloatError::Syntax));
        assert_eq!(parse_float32("0b1"), Err(ParseFloatError::Syntax));
    }

    #[test]
    fn syntax() {
        for s in [
            "",
            "+",
            "-",
            ".",
            "e1",
            "1e",
            "1e+",
            "1.2.3",
            "1x",
            " 1",
            "1 ",
            "_1",
            "1_",
            "1__0",
            "1_.5",
            "1._5",
            "1e_1",
            "1e1_",
            "+nan",
            "-NaN",
            "infinit",
            "infinityx",
            "0x_",
            "0x1p",
        ] {
            assert_eq!(parse_float32(s), Err(ParseFloatError::Syntax), "{s:?}");
        }
    }
}

#[cfg(test)]
#[path = "strconv_props.rs"]
mod props;

#[cfg(test)]
mod doc_examples {
    use super::*;

    #[test]
    fn examples() {
        assert_eq!(parse_float32("10.5"), Ok(10.5));
        assert_eq!(parse_float32("0.1"), Ok(0.1f32));
        assert_eq!(parse_float32("0x1.8p1"), Ok(3.0));
        assert_eq!(parse_float32("1_000"), Ok(1000.0));
        assert_eq!(parse_float32("-Infinity"), Ok(f32::NEG_INFINITY));
        assert!(parse_float32("NaN").is_ok_and(f32::is_nan));
        assert_eq!(parse_float32("1e-46"), Ok(0.0));
        assert_eq!(parse_float32("1e39"), Err(ParseFloatError::Range));
        assert_eq!(parse_float32("1__0"), Err(ParseFloatError::Syntax));
        assert_eq!(ParseFloatError::Syntax.to_string(), "invalid syntax");
    }
}
