//! `ParseQuantity`: the scanner (`parseQuantityString`), the suffix table and
//! the two value paths (int64 fast path, exact slow path).

use super::bigdec::{self, BigDec, View};
use super::{Amount, Format, Quantity, QuantityError, QuantityErrorKind};

/// `2^63 - 1`, the cap on parsed BinarySI magnitudes, as a decimal.
const MAX_ALLOWED: View<'static> = View {
    neg: false,
    digits: b"9223372036854775807",
    exp: 0,
};

/// What a suffix means: a power of ten or a power of two, and the format.
#[derive(Clone, Copy)]
enum Base {
    Ten,
    Two,
}

/// The shapes nearly every real quantity has (`"500m"`, `"64Mi"`, `"0.5"`,
/// `"2"`): at most 18 digits with an optional fraction, no sign, no leading
/// zero, and one of the common suffixes. Small enough to inline into the
/// caller; `None` sends everything else (and anything Kubernetes would echo)
/// to [`parse`], which gives the same result for these shapes.
#[inline(always)]
pub(crate) fn parse_simple(b: &[u8]) -> Option<Quantity> {
    let mut pos = 0;
    let mut acc: u64 = 0;
    while let Some(&d @ b'0'..=b'9') = b.get(pos) {
        acc = acc * 10 + u64::from(d - b'0');
        pos += 1;
        if pos > 18 {
            return None;
        }
    }
    let int_len = pos;
    let first = *b.first()?;
    if int_len == 0 || (first == b'0' && int_len > 1) {
        return None;
    }
    let has_dot = b.get(pos) == Some(&b'.');
    let mut frac_len = 0;
    if has_dot {
        pos += 1;
        while let Some(&d @ b'0'..=b'9') = b.get(pos) {
            acc = acc * 10 + u64::from(d - b'0');
            pos += 1;
            frac_len += 1;
            if int_len + frac_len > 18 {
                return None;
            }
        }
    }
    let (exponent, binary) = match b.get(pos..)? {
        b"" => (0, false),
        b"m" => (-3, false),
        b"Mi" => (20, true),
        b"Gi" => (30, true),
        b"Ki" => (10, true),
        b"k" => (3, false),
        b"M" => (6, false),
        b"G" => (9, false),
        b"Ti" => (40, true),
        _ => return None,
    };
    if binary {
        // Kubernetes' precision rule for the int64 path; "1.Ki" is echoed.
        if has_dot || int_len as i32 > 14 - exponent * 3 / 10 {
            return None;
        }
        return Some(Quantity::from_scaled(
            (acc << exponent) as i64,
            0,
            Format::BinarySI,
        ));
    }
    let scale = exponent - frac_len as i32;
    // Kubernetes caches (and so echoes) "1.500k"-like spellings.
    let cached = first != b'0' && acc % 1000 != 0 && scale % 3 == 0;
    if scale < -9 || (cached && has_dot) {
        return None;
    }
    Some(Quantity::from_scaled(
        acc as i64,
        if acc == 0 { 0 } else { scale },
        Format::DecimalSI,
    ))
}

/// Debug builds: the inlined path agrees with the full one.
#[cfg(debug_assertions)]
pub(crate) fn check_simple(s: &str, q: &Quantity) {
    let full = parse(s);
    debug_assert!(
        full.as_ref().is_ok_and(|f| f == q
            && f.format == q.format
            && f.canonical().as_str() == q.canonical().as_str()),
        "{s:?}: {q:?} vs {full:?}"
    );
}

/// Parses `s` exactly as `resource.ParseQuantity` does.
pub(crate) fn parse(s: &str) -> Result<Quantity, QuantityError> {
    use QuantityErrorKind as K;
    let b = s.as_bytes();
    let len = b.len();
    if len == 0 {
        return Err(QuantityError::new(K::Format, 0));
    }
    let mut pos = 0;
    let (neg, plus) = match b.first() {
        Some(b'-') => (true, false),
        Some(b'+') => (false, true),
        _ => (false, false),
    };
    if neg || plus {
        pos = 1;
    }
    let sign_end = pos;
    while b.get(pos) == Some(&b'0') {
        pos += 1;
    }
    let zeros = pos - sign_end;
    if pos == len {
        // "0", "-00", "+": zero, DecimalSI.
        return Ok(Quantity::zero());
    }
    // The digits, accumulated as they are scanned (only used when there are
    // at most 18 of them, so wrapping never matters).
    let mut acc: u64 = 0;
    let int_start = pos;
    while let Some(&d @ b'0'..=b'9') = b.get(pos) {
        acc = acc.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
        pos += 1;
    }
    let int_digits = b.get(int_start..pos).unwrap_or_default();
    let has_dot = b.get(pos) == Some(&b'.');
    let frac_start = if has_dot { pos + 1 } else { pos };
    pos = frac_start;
    while let Some(&d @ b'0'..=b'9') = b.get(pos) {
        acc = acc.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
        pos += 1;
    }
    let frac = b.get(frac_start..pos).unwrap_or_default();
    let suffix_start = pos;
    let suffix = b.get(suffix_start..).unwrap_or_default();

    // (base, exponent, format, whether the suffix is spelled canonically)
    let (base, exponent, format, canonical_suffix) = match suffix {
        b"" => (Base::Ten, 0, Format::DecimalSI, true),
        b"m" => (Base::Ten, -3, Format::DecimalSI, true),
        b"Mi" => (Base::Two, 20, Format::BinarySI, true),
        b"Gi" => (Base::Two, 30, Format::BinarySI, true),
        b"Ki" => (Base::Two, 10, Format::BinarySI, true),
        b"k" => (Base::Ten, 3, Format::DecimalSI, true),
        b"M" => (Base::Ten, 6, Format::DecimalSI, true),
        b"G" => (Base::Ten, 9, Format::DecimalSI, true),
        b"n" => (Base::Ten, -9, Format::DecimalSI, true),
        b"u" => (Base::Ten, -6, Format::DecimalSI, true),
        b"T" => (Base::Ten, 12, Format::DecimalSI, true),
        b"P" => (Base::Ten, 15, Format::DecimalSI, true),
        b"E" => (Base::Ten, 18, Format::DecimalSI, true),
        b"Ti" => (Base::Two, 40, Format::BinarySI, true),
        b"Pi" => (Base::Two, 50, Format::BinarySI, true),
        b"Ei" => (Base::Two, 60, Format::BinarySI, true),
        _ => {
            // The shape Kubernetes' scanner allows after the number: suffix
            // letters, an optional sign, digits, and nothing else.
            while matches!(
                b.get(pos),
                Some(
                    b'e' | b'E'
                        | b'i'
                        | b'n'
                        | b'u'
                        | b'm'
                        | b'k'
                        | b'K'
                        | b'M'
                        | b'G'
                        | b'T'
                        | b'P'
                )
            ) {
                pos += 1;
            }
            if matches!(b.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            while matches!(b.get(pos), Some(b'0'..=b'9')) {
                pos += 1;
            }
            if pos < len {
                return Err(QuantityError::new(K::Format, pos));
            }
            let suffix_err = QuantityError::new(K::Suffix, suffix_start);
            let [first @ (b'e' | b'E'), rest @ ..] = suffix else {
                return Err(suffix_err);
            };
            if rest.is_empty() {
                return Err(suffix_err);
            }
            let parsed = parse_i64(rest).ok_or(suffix_err)?;
            // Go truncates the exponent to int32.
            let exponent = parsed as i32;
            let canonical = *first == b'e'
                && exponent != 0
                && i64::from(exponent) == parsed
                && !matches!(rest.first(), Some(b'+' | b'0'))
                && rest.get(..2) != Some(&b"-0"[..]);
            (Base::Ten, exponent, Format::DecimalExponent, canonical)
        }
    };

    let num_len = int_digits.len().max(1);
    // The input is echoed by Display only where Kubernetes caches it and it
    // differs from what canonical printing would produce.
    let plain = !plus && zeros == 0 && !has_dot && canonical_suffix;
    match base {
        Base::Ten => {
            let scale = i64::from(exponent) - frac.len() as i64;
            if num_len + frac.len() <= 18 && scale >= -9 {
                let value = acc;
                // Kubernetes caches `str` when the scale is a multiple of 3 and
                // the digits neither start with '0' nor end in "000".
                let cached =
                    !int_digits.is_empty() && value % 1000 != 0 && scale.rem_euclid(3) == 0;
                let v = value as i64;
                return Ok(fast(
                    if neg { -v } else { v },
                    scale as i32,
                    format,
                    cached && !plain,
                    s,
                ));
            }
        }
        Base::Two => {
            // Kubernetes' precision: 15 - len(num) - exponent*3/10 - 1 >= 0.
            let digits_allowed = 14 - i64::from(exponent) * 3 / 10;
            if frac.is_empty() && num_len as i64 <= digits_allowed {
                let value = acc;
                let v = (value << exponent) as i64;
                return Ok(fast(
                    if neg { -v } else { v },
                    0,
                    format,
                    value & 7 != 0 && !plain,
                    s,
                ));
            }
        }
    }

    // The slow path: exact decimal (Kubernetes' inf.Dec), which needs a
    // digit ("Mi" is 0 on the fast path, "Pi" an error here).
    if zeros == 0 && int_digits.is_empty() && frac.is_empty() {
        return Err(QuantityError::new(K::Numeric, suffix_start));
    }
    if let Base::Two = base {
        if let Some(q) = binary_fraction(neg, int_digits, frac, exponent) {
            return Ok(q);
        }
    }
    let mut digits = Vec::with_capacity(int_digits.len() + frac.len());
    digits.extend_from_slice(int_digits);
    digits.extend_from_slice(frac);
    let frac_len = frac.len() as i64;
    let exp = match base {
        Base::Ten => i64::from(exponent) - frac_len,
        Base::Two => -frac_len,
    };
    let mut d = BigDec::from_raw(neg, digits, exp);
    if let Base::Two = base {
        d.mul_small(1u64 << exponent);
    }
    d.round_up_to_nano();
    let mut format = format;
    if let Base::Two = base {
        if bigdec::cmp_mag(&d.view(), &MAX_ALLOWED) == std::cmp::Ordering::Greater {
            let max = i64::MAX;
            return Ok(Quantity::from_amount(
                Amount::Int {
                    value: if neg { -max } else { max },
                    scale: 0,
                },
                format,
            ));
        }
        if !d.digits.is_empty() && (d.digits.len() as i64).saturating_add(d.exp) <= 0 {
            // BinarySI strictly between 0 and 1 becomes DecimalSI.
            format = Format::DecimalSI;
        }
    }
    Ok(Quantity::from_amount(Amount::from_big(d), format))
}

/// Kubernetes' slow path for a BinarySI quantity with at most 18 digits (say
/// `"1.5Gi"`, `"2Pi"`), computed in u128: the same value, rounding, cap and
/// format as the exact path, or `None` when the result needs the exact path.
fn binary_fraction(neg: bool, int_digits: &[u8], frac: &[u8], exponent: i32) -> Option<Quantity> {
    if int_digits.len().max(1) + frac.len() > 18 {
        return None;
    }
    // n × 10^scale, with n < 10^18 × 2^60 < 2^120.
    let mut n = u128::from(digits_u64(int_digits, frac)) << exponent;
    let mut scale = -(frac.len() as i32);
    if scale < -9 {
        // Round up to nano.
        let p = u128::from(*bigdec::POW10.get((-9 - scale) as usize)?);
        n = n / p + u128::from(n % p != 0);
        scale = -9;
    }
    let unit = u128::from(*bigdec::POW10.get((-scale) as usize)?);
    let sign = |v: i64| if neg { -v } else { v };
    if n > i64::MAX as u128 * unit {
        // The cap: 2^63 - 1.
        return Some(Quantity::from_amount(
            Amount::Int {
                value: sign(i64::MAX),
                scale: 0,
            },
            Format::BinarySI,
        ));
    }
    // BinarySI strictly between 0 and 1 becomes DecimalSI.
    let format = if n != 0 && n < unit {
        Format::DecimalSI
    } else {
        Format::BinarySI
    };
    let value = i64::try_from(n).ok()?;
    Some(Quantity::from_amount(
        Amount::Int {
            value: sign(value),
            scale: if value == 0 { 0 } else { scale },
        },
        format,
    ))
}

fn fast(value: i64, scale: i32, format: Format, echo: bool, s: &str) -> Quantity {
    let q = Quantity {
        amount: Amount::Int {
            value,
            scale: if value == 0 { 0 } else { scale },
        },
        format,
        echo: if echo { Some(s.into()) } else { None },
    };
    #[cfg(debug_assertions)]
    if !echo {
        // Not echoing is only right when canonical printing gives back `s`
        // or Kubernetes would not echo it either.
        debug_assert!(
            q.canonical().as_str() == s || !would_echo(s, &q),
            "{s:?} prints as {:?}",
            q.canonical().as_str()
        );
    }
    q
}

/// Kubernetes' cache rule, recomputed independently (debug builds only).
#[cfg(debug_assertions)]
fn would_echo(s: &str, q: &Quantity) -> bool {
    let t = s.trim_start_matches(['+', '-']).trim_start_matches('0');
    let num: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let shifted: String = num.chars().filter(|c| *c != '.').collect();
    let shifted = if num.starts_with('.') || num.is_empty() {
        format!("0{shifted}")
    } else {
        shifted
    };
    match (q.format, &q.amount) {
        (Format::BinarySI, Amount::Int { .. }) => {
            shifted.parse::<u64>().map(|v| v & 7 != 0).unwrap_or(false)
        }
        (_, Amount::Int { scale, .. }) => {
            scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
        }
        _ => false,
    }
}

/// The value of at most 19 ASCII digits (two runs, concatenated).
fn digits_u64(a: &[u8], b: &[u8]) -> u64 {
    a.iter()
        .chain(b)
        .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'))
}

/// Go's `strconv.ParseInt(s, 10, 64)`: optional sign, at least one digit, no
/// overflow. Linear in `s`, whatever its length.
fn parse_i64(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let mut mag: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        mag = mag.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    bigdec::signed_i64(neg, u128::from(mag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_like_go_parse_int() {
        assert_eq!(parse_i64(b"+5"), Some(5));
        assert_eq!(parse_i64(b"-0005"), Some(-5));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        assert_eq!(parse_i64(b"-"), None);
        assert_eq!(parse_i64(b"1i"), None);
    }
}
