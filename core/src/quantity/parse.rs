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
    let int_start = pos;
    while matches!(b.get(pos), Some(b'0'..=b'9')) {
        pos += 1;
    }
    let int_digits = b.get(int_start..pos).unwrap_or_default();
    let has_dot = b.get(pos) == Some(&b'.');
    let frac_start = if has_dot { pos + 1 } else { pos };
    pos = frac_start;
    while matches!(b.get(pos), Some(b'0'..=b'9')) {
        pos += 1;
    }
    let frac = b.get(frac_start..pos).unwrap_or_default();
    let suffix_start = pos;
    while matches!(
        b.get(pos),
        Some(b'e' | b'E' | b'i' | b'n' | b'u' | b'm' | b'k' | b'K' | b'M' | b'G' | b'T' | b'P')
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
    let suffix = b.get(suffix_start..).unwrap_or_default();

    let suffix_err = QuantityError::new(K::Suffix, suffix_start);
    // (base, exponent, format, whether the suffix is spelled canonically)
    let (base, exponent, format, canonical_suffix) = match suffix {
        b"" => (Base::Ten, 0, Format::DecimalSI, true),
        b"n" => (Base::Ten, -9, Format::DecimalSI, true),
        b"u" => (Base::Ten, -6, Format::DecimalSI, true),
        b"m" => (Base::Ten, -3, Format::DecimalSI, true),
        b"k" => (Base::Ten, 3, Format::DecimalSI, true),
        b"M" => (Base::Ten, 6, Format::DecimalSI, true),
        b"G" => (Base::Ten, 9, Format::DecimalSI, true),
        b"T" => (Base::Ten, 12, Format::DecimalSI, true),
        b"P" => (Base::Ten, 15, Format::DecimalSI, true),
        b"E" => (Base::Ten, 18, Format::DecimalSI, true),
        b"Ki" => (Base::Two, 10, Format::BinarySI, true),
        b"Mi" => (Base::Two, 20, Format::BinarySI, true),
        b"Gi" => (Base::Two, 30, Format::BinarySI, true),
        b"Ti" => (Base::Two, 40, Format::BinarySI, true),
        b"Pi" => (Base::Two, 50, Format::BinarySI, true),
        b"Ei" => (Base::Two, 60, Format::BinarySI, true),
        [first @ (b'e' | b'E'), rest @ ..] if !rest.is_empty() => {
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
        _ => return Err(suffix_err),
    };

    let num_len = int_digits.len().max(1);
    // The input is echoed by Display only where Kubernetes caches it and it
    // differs from what canonical printing would produce.
    let plain = !plus && zeros == 0 && !has_dot && canonical_suffix;
    match base {
        Base::Ten => {
            let scale = i64::from(exponent) - frac.len() as i64;
            if num_len + frac.len() <= 18 && scale >= -9 {
                let value = digits_u64(int_digits, frac);
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
                let value = digits_u64(int_digits, frac);
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

    // The slow path: exact decimal (Kubernetes' inf.Dec).
    if zeros == 0 && int_digits.is_empty() && frac.is_empty() {
        return Err(QuantityError::new(K::Numeric, suffix_start));
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
