//! The text Rust's `{}` prints for an `f64` (shortest round-trip digits,
//! never an exponent), and serde's `Unexpected` text, both built on
//! serde_json's float writer so the browser bundle carries one
//! float-to-text algorithm instead of two.
//!
//! ```
//! use kubelogic::float_text::{display, unexpected};
//! use serde::de::Unexpected;
//!
//! assert_eq!(display(1.5), "1.5");
//! assert_eq!(display(1e21), "1000000000000000000000");
//! assert_eq!(display(1e-7), "0.0000001");
//! assert_eq!(display(-0.0), "-0");
//! assert_eq!(display(f64::NAN), "NaN");
//! assert_eq!(unexpected(Unexpected::Float(2.0)), "floating point `2.0`");
//! assert_eq!(unexpected(Unexpected::Str("x")), "string \"x\"");
//! ```

use serde::de::Unexpected;

/// `format!("{}", f)`, the same text.
pub fn display(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f.is_sign_negative() { "-inf" } else { "inf" }.to_owned();
    }
    match serde_json::Number::from_f64(f) {
        Some(n) => without_exponent(&n.to_string(), f),
        None => String::new(),
    }
}

/// `format!("{}", u)` for serde's [`Unexpected`], the same text
/// (``floating point `2.0` ``, ``integer `5` ``, `string "x"`, ...).
pub fn unexpected(u: Unexpected<'_>) -> String {
    match u {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(i) => format!("integer `{i}`"),
        Unexpected::Signed(i) => format!("integer `{i}`"),
        Unexpected::Float(f) => {
            // serde adds a decimal point to a finite whole number.
            let mut text = display(f);
            if f.is_finite() && !text.contains('.') {
                text.push_str(".0");
            }
            format!("floating point `{text}`")
        }
        Unexpected::Char(c) => format!("character `{c}`"),
        Unexpected::Str(s) => format!("string {s:?}"),
        Unexpected::Bytes(_) => "byte array".to_owned(),
        Unexpected::Unit => "unit value".to_owned(),
        Unexpected::Option => "Option value".to_owned(),
        Unexpected::NewtypeStruct => "newtype struct".to_owned(),
        Unexpected::Seq => "sequence".to_owned(),
        Unexpected::Map => "map".to_owned(),
        Unexpected::Enum => "enum".to_owned(),
        Unexpected::UnitVariant => "unit variant".to_owned(),
        Unexpected::NewtypeVariant => "newtype variant".to_owned(),
        Unexpected::TupleVariant => "tuple variant".to_owned(),
        Unexpected::StructVariant => "struct variant".to_owned(),
        Unexpected::Other(other) => other.to_owned(),
    }
}

/// `[-]digits[.digits][e[+-]digits]`, the shortest digits of `f` → the
/// same number in positional notation without superfluous zeros (`1.0` →
/// `1`, `1.5e+3` → `1500`), with Rust's choice between two shortest
/// candidates equally close to `f`: the larger (serde_json's writer takes the
/// even one).
fn without_exponent(s: &str, f: f64) -> String {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The significant digits, and where the decimal point goes among them.
    let all = format!("{int}{frac}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_matches('0');
    let point = count(int.len()) + exponent - count(leading);

    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
        return out;
    }
    let mut digits = digits.to_owned();
    let len = count(digits.len());
    if is_tie_below(&digits, point - len - 1, f) {
        // The last digit is even (the writer rounds ties to even), so adding
        // one does not carry.
        if let Some(last) = digits.pop() {
            digits.push(char::from(last as u8 + 1));
        }
    }
    let digits = digits.as_str();
    if point <= 0 {
        out.push_str("0.");
        push_zeros(&mut out, -point);
        out.push_str(digits);
    } else if point >= len {
        out.push_str(digits);
        push_zeros(&mut out, point - len);
    } else {
        // `split_at_checked`: `split_at`'s panic path would carry `char`'s
        // `Debug` (and its Unicode tables) into the browser bundle. The
        // digits are ASCII and `0 < point < len`, so the split always holds.
        let at = usize::try_from(point).unwrap_or(0);
        if let Some((whole, fraction)) = digits.split_at_checked(at) {
            out.push_str(whole);
            out.push('.');
            out.push_str(fraction);
        }
    }
    out
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn push_zeros(out: &mut String, n: i64) {
    for _ in 0..n {
        out.push('0');
    }
}

/// Whether `|f|` is exactly `digits` followed by a `5`, times `10^exponent`
/// (halfway between `digits` and `digits + 1`), with `digits` ending in an
/// even digit.
fn is_tie_below(digits: &str, exponent: i64, f: f64) -> bool {
    if !digits.ends_with(['0', '2', '4', '6', '8']) || digits.len() > 17 {
        return false;
    }
    let Ok(d) = digits.parse::<u64>() else {
        return false;
    };
    let Some(n) = d.checked_mul(10).and_then(|n| n.checked_add(5)) else {
        return false;
    };
    // |f| = m · 2^e with m odd.
    let bits = f.to_bits();
    let biased = i64::try_from((bits >> 52) & 0x7ff).unwrap_or(0);
    let fraction = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if m == 0 {
        return false;
    }
    let zeros = m.trailing_zeros();
    m >>= zeros;
    e += i64::from(zeros);
    // n · 10^exponent = n · 5^exponent · 2^exponent, and n is odd.
    let Ok(p) = u32::try_from(exponent.unsigned_abs()) else {
        return false;
    };
    let Some(five) = 5u128.checked_pow(p) else {
        return false;
    };
    let odd = if exponent >= 0 {
        u128::from(n).checked_mul(five)
    } else if u128::from(n) % five == 0 {
        Some(u128::from(n) / five)
    } else {
        None
    };
    odd == Some(u128::from(m)) && e == exponent
}
