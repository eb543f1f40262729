//! Property tests of `parse_float32` (Go's
//! `strconv.ParseFloat(s, 32)`).
//!
//! Decimal text: Go and Rust agree on the decimal syntax and both round
//! correctly, so the result must be `str::parse::<f32>()`'s bit for bit, with
//! Rust's infinity (from finite text) as Go's `value out of range` and Rust's
//! error as `invalid syntax`. Inputs: random strings over the decimal
//! alphabet, long mantissas (up to 60 digits), and the exact decimal
//! expansions of `float32` halfway points (exactly, just above and just
//! below), including those at the subnormal, underflow and overflow edges.
//!
//! Hexadecimal text: `m × 2^e` with `m < 2^53` is exact in an `f64`, whose
//! conversion to `f32` rounds once, to nearest even: the expected value.
//! Underscores between digits never change the value.

use super::{parse_float32, ParseFloatError};
use crate::eviction::Percentage;
use quickcheck::{Arbitrary, Gen, QuickCheck};

/// What Go returns, derived from Rust's parser, for text without letters
/// other than `e`/`E`.
fn rust_expected(s: &str) -> Result<u32, ParseFloatError> {
    match s.parse::<f32>() {
        Ok(v) if v.is_infinite() => Err(ParseFloatError::Range),
        Ok(v) => Ok(v.to_bits()),
        Err(_) => Err(ParseFloatError::Syntax),
    }
}

/// Whether `got` is `want` for the text `text`, printing the text when not.
fn agrees(
    text: &str,
    got: Result<u32, ParseFloatError>,
    want: Result<u32, ParseFloatError>,
) -> bool {
    if got != want {
        eprintln!("{text:?}: got {got:?}, want {want:?}");
    }
    got == want
}

/// Runs `prop` on exactly `n` generated inputs.
fn check<A: quickcheck::Testable>(n: u64, prop: A) {
    QuickCheck::new().tests(n).max_tests(n).quickcheck(prop);
}

fn pick<T: Copy>(g: &mut Gen, items: &[T]) -> T {
    *g.choose(items).expect("non-empty")
}

fn below(g: &mut Gen, n: u32) -> u32 {
    u32::arbitrary(g) % n
}

fn digits(g: &mut Gen, n: u32) -> String {
    (0..n)
        .map(|_| char::from(b'0' + u8::try_from(below(g, 10)).expect("digit")))
        .collect()
}

/// A random `f32` bit pattern, positive and finite, biased to the edges:
/// subnormals, the smallest normals, around 1, and the largest exponents.
fn edge_f32(g: &mut Gen) -> f32 {
    let exp = if bool::arbitrary(g) {
        pick(g, &[0u32, 1, 2, 3, 100, 126, 127, 128, 150, 252, 253, 254])
    } else {
        below(g, 255)
    };
    let mantissa = match below(g, 6) {
        0 => 0,
        1 => (1 << 23) - 1,
        2 => below(g, 16),
        _ => below(g, 1 << 23),
    };
    f32::from_bits((exp << 23) | mantissa)
}

/// The exact decimal digits of `v` (no leading or trailing zeros) and the
/// exponent of the first: `v = d.ddd × 10^exp`.
fn exact_digits(v: f64) -> (Vec<u8>, i32) {
    let sci = format!("{v:.200e}");
    let (mantissa, exp) = sci.split_once('e').expect("exponent");
    let mut d: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while d.last() == Some(&b'0') && d.len() > 1 {
        d.pop();
    }
    (d, exp.parse().expect("exponent"))
}

/// `digits` (value `d.ddd × 10^exp`) written with the point at a random
/// place, a random sign and exponent letter.
fn spell(g: &mut Gen, d: &[u8], exp: i32) -> String {
    let point = below(g, u32::try_from(d.len()).expect("short") + 1) as usize;
    let (int, frac) = d.split_at(point);
    let e = exp + 1 - i32::try_from(point).expect("short");
    let sign = pick(g, &["", "", "-", "+"]);
    let letter = pick(g, &["e", "E"]);
    let int = String::from_utf8(int.to_vec()).expect("ascii");
    let frac = String::from_utf8(frac.to_vec()).expect("ascii");
    match (int.is_empty(), frac.is_empty()) {
        (false, true) if bool::arbitrary(g) => format!("{sign}{int}{letter}{e}"),
        _ => format!("{sign}{int}.{frac}{letter}{e}"),
    }
}

/// Decimal text, well-formed or not.
#[derive(Clone, Debug)]
struct DecimalText(String);

impl Arbitrary for DecimalText {
    fn arbitrary(g: &mut Gen) -> Self {
        DecimalText(match below(g, 5) {
            // Anything over the decimal alphabet: mostly invalid syntax.
            0 => {
                let len = below(g, 26);
                (0..len)
                    .map(|_| pick(g, b"0123456789.eE+-".as_slice()))
                    .map(char::from)
                    .collect()
            }
            // Mantissas of up to 60 digits, some long, with an exponent.
            1 | 2 => {
                let long = bool::arbitrary(g);
                let (int_len, frac_len) = if long {
                    (10 + below(g, 31), 10 + below(g, 31))
                } else {
                    (below(g, 8), below(g, 8))
                };
                let int = digits(g, int_len);
                let frac = digits(g, frac_len);
                let sign = pick(g, &["", "-", "+"]);
                let dot = if frac.is_empty() && bool::arbitrary(g) {
                    ""
                } else {
                    "."
                };
                let exp = match below(g, 4) {
                    0 => String::new(),
                    1 => format!("e{}", i32::arbitrary(g) % 60),
                    2 => format!("E+{:03}", below(g, 80)),
                    _ => format!("e{}", i32::arbitrary(g) % 100_000),
                };
                format!("{sign}{int}{dot}{frac}{exp}")
            }
            // Halfway between two adjacent float32 values (or the largest
            // and 2^128): exactly, just above, or just below.
            3 => {
                let x = edge_f32(g);
                let half_ulp_exp = i64::from((x.to_bits() >> 23).max(1)) - 127 - 24;
                let half_ulp =
                    f64::from_bits(u64::try_from(1023 + half_ulp_exp).expect("normal") << 52);
                let (mut d, exp) = exact_digits(f64::from(x) + half_ulp);
                match below(g, 3) {
                    0 => {}
                    1 => {
                        d.extend(std::iter::repeat_n(b'0', below(g, 30) as usize));
                        d.push(b'1');
                    }
                    _ => {
                        if let Some(last) = d.last_mut() {
                            *last -= 1;
                        }
                        d.extend(std::iter::repeat_n(b'9', 1 + below(g, 30) as usize));
                    }
                }
                spell(g, &d, exp)
            }
            // A float32 exactly, or its shortest text.
            _ => {
                let x = edge_f32(g);
                if bool::arbitrary(g) {
                    let (d, exp) = exact_digits(f64::from(x));
                    spell(g, &d, exp)
                } else {
                    format!("{x:e}")
                }
            }
        })
    }
}

#[test]
fn decimal_text_is_rusts_f32() {
    fn prop(t: DecimalText) -> bool {
        agrees(
            &t.0,
            parse_float32(&t.0).map(f32::to_bits),
            rust_expected(&t.0),
        )
    }
    check(100_000, prop as fn(DecimalText) -> bool);
}

#[test]
fn underscores_between_digits_change_nothing() {
    fn prop(t: DecimalText, at: Vec<u8>) -> bool {
        let s = t.0.as_bytes();
        let mut out = String::new();
        for (i, &c) in s.iter().enumerate() {
            out.push(char::from(c));
            let between_digits = c.is_ascii_digit() && s.get(i + 1).is_some_and(u8::is_ascii_digit);
            if between_digits && at.contains(&u8::try_from(i % 256).expect("byte")) {
                out.push('_');
            }
        }
        parse_float32(&out).map(f32::to_bits) == rust_expected(&t.0)
    }
    check(20_000, prop as fn(DecimalText, Vec<u8>) -> bool);
}

#[test]
fn misplaced_underscores_are_invalid_syntax() {
    fn prop(t: DecimalText, at: usize, twice: bool) -> bool {
        if rust_expected(&t.0) == Err(ParseFloatError::Syntax) {
            return true;
        }
        let s = &t.0;
        let at = at % (s.len() + 1);
        let (before, after) = s.split_at(at);
        let between_digits = before.ends_with(|c: char| c.is_ascii_digit())
            && after.starts_with(|c: char| c.is_ascii_digit());
        if between_digits && !twice {
            return true;
        }
        let underscores = if twice { "__" } else { "_" };
        parse_float32(&format!("{before}{underscores}{after}")) == Err(ParseFloatError::Syntax)
    }
    check(20_000, prop as fn(DecimalText, usize, bool) -> bool);
}

/// `m × 2^e` spelled in hexadecimal, with its exact value.
#[derive(Clone, Debug)]
struct HexText(String, f64);

impl Arbitrary for HexText {
    fn arbitrary(g: &mut Gen) -> Self {
        let m = u64::arbitrary(g) >> (11 + below(g, 53));
        let e = i32::arbitrary(g) % 200 - 24;
        let value = m as f64 * 2f64.powi(e);
        let hex = format!("{m:x}");
        // Move the point `p` hex digits left (4p binary places).
        let p = below(g, u32::try_from(hex.len()).expect("short") + 1) as usize;
        let (int, frac) = hex.split_at(hex.len() - p);
        let e = e + 4 * i32::try_from(p).expect("short");
        let zeros = "0".repeat(below(g, 3) as usize);
        let prefix = pick(g, &["0x", "0X"]);
        let letter = pick(g, &["p", "P"]);
        let (sign, value) = if bool::arbitrary(g) {
            ("-", -value)
        } else {
            ("", value)
        };
        let mantissa = if frac.is_empty() && bool::arbitrary(g) {
            int.to_owned()
        } else {
            format!("{int}.{frac}{zeros}")
        };
        let text = format!("{sign}{prefix}{mantissa}{letter}{e}");
        HexText(
            if bool::arbitrary(g) {
                text.to_uppercase()
            } else {
                text
            },
            value,
        )
    }
}

#[test]
fn hex_text_rounds_once_to_nearest_even() {
    fn prop(t: HexText) -> bool {
        #[allow(clippy::cast_possible_truncation)]
        let nearest = t.1 as f32;
        let want = if nearest.is_infinite() {
            Err(ParseFloatError::Range)
        } else {
            Ok(nearest.to_bits())
        };
        agrees(&t.0, parse_float32(&t.0).map(f32::to_bits), want)
    }
    check(50_000, prop as fn(HexText) -> bool);
}

#[test]
fn go_spellings() {
    let ok = |s: &str| parse_float32(s).map(f32::to_bits);
    // Hexadecimal mantissas with a binary exponent.
    assert_eq!(ok("0x1p-2"), Ok(0.25f32.to_bits()));
    assert_eq!(ok("0x1.8p1"), Ok(3f32.to_bits()));
    assert_eq!(ok("0x_1p0"), Ok(1f32.to_bits()));
    assert_eq!(ok("0x1_0p0"), Ok(16f32.to_bits()));
    assert_eq!(ok("0x_1_2.3_4_5p+1_2"), Ok(74565f32.to_bits()));
    assert_eq!(ok("0x.8p1"), Ok(1f32.to_bits()));
    assert_eq!(ok("-0x0p0"), Ok((-0f32).to_bits()));
    // A tie rounds to even; a nonzero digit beyond the sixteenth breaks it.
    assert_eq!(ok("0x1.000001p0"), Ok(1f32.to_bits()));
    assert_eq!(
        ok("0x1.0000010000000000001p0"),
        Ok(1.000_000_1_f32.to_bits())
    );
    assert_eq!(ok("0x1.fffffe8p127"), Ok(f32::MAX.to_bits()));
    assert_eq!(ok("0x1.ffffffp127"), Err(ParseFloatError::Range));
    assert_eq!(ok("0x1p128"), Err(ParseFloatError::Range));
    assert_eq!(ok("0x1p-150"), Ok(0));
    assert_eq!(ok("0x1.8p-150"), Ok(1));
    for bad in [
        "0x1", "0x1e5", "0x", "0x.p1", "0xp1", "0x1p", "0x1p+", "0b1", "0o1", "1p1",
    ] {
        assert_eq!(ok(bad), Err(ParseFloatError::Syntax), "{bad}");
    }
    // Underscores between digits, also without a base prefix (Go's
    // `underscoreOK`; upstream atof_test.go: "1_23.50_0_0e+1_2" is 1.235e14).
    assert_eq!(ok("1_0"), Ok(10f32.to_bits()));
    assert_eq!(ok("1_23.50_0_0e+1_2"), Ok(1.235e14f32.to_bits()));
    for bad in [
        "_1", "1_", "1__0", "-_1", "1_.5", "1._5", "1.5_e1", "1e_1", "1e+_1", "1e1_", "0x__1p0",
        "0x1_p0", "_0x1p0",
    ] {
        assert_eq!(ok(bad), Err(ParseFloatError::Syntax), "{bad}");
    }
    // Infinities (signed) and NaN (unsigned), any case, whole text only.
    for (s, want) in [
        ("Inf", f32::INFINITY),
        ("+inf", f32::INFINITY),
        ("-infinity", f32::NEG_INFINITY),
        ("INFINITY", f32::INFINITY),
    ] {
        assert_eq!(ok(s), Ok(want.to_bits()), "{s}");
    }
    assert!(parse_float32("NaN").is_ok_and(f32::is_nan));
    assert!(parse_float32("nan").is_ok_and(f32::is_nan));
    for bad in ["+nan", "-NaN", "infin", "infinityy", "nan1", "in", "i"] {
        assert_eq!(ok(bad), Err(ParseFloatError::Syntax), "{bad}");
    }
    // Out of range, and underflow to zero.
    assert_eq!(ok("1e39"), Err(ParseFloatError::Range));
    assert_eq!(ok("-1e39"), Err(ParseFloatError::Range));
    assert_eq!(ok("1e-46"), Ok(0));
    assert_eq!(ok("-1e-46"), Ok((-0f32).to_bits()));
    // An exponent stops counting at 10000: only "a lot" matters.
    assert_eq!(ok("1e99999999999999999999"), Err(ParseFloatError::Range));
    assert_eq!(ok("1e-99999999999999999999"), Ok(0));
}

#[test]
fn percentages_take_go_spellings() {
    let fraction = |s: &str| Percentage::parse(s).map(Percentage::fraction);
    assert_eq!(fraction("0x1p-2%"), Ok(0.0025));
    assert_eq!(fraction("1_0%"), Ok(0.1));
    assert_eq!(fraction("Inf%"), Ok(f32::INFINITY));
    let err = Percentage::parse("1e39%").unwrap_err();
    assert!(err.out_of_range);
    assert_eq!(
        err.to_string(),
        r#"strconv.ParseFloat: parsing "1e39": value out of range"#
    );
    let err = Percentage::parse("+nan%").unwrap_err();
    assert!(!err.out_of_range);
    assert_eq!(
        err.to_string(),
        r#"strconv.ParseFloat: parsing "+nan": invalid syntax"#
    );
}
