//! Property tests of `kubelogic::float_text`: `display` prints exactly what
//! Rust's `{}` prints for every `f64` (random bit patterns, so subnormals,
//! huge and tiny exponents, NaNs and infinities all occur), and `unexpected`
//! prints exactly what serde's `Unexpected` `Display` prints.

use kubelogic::float_text::{display, unexpected};
use quickcheck::{Arbitrary, Gen, QuickCheck};
use serde::de::Unexpected;

/// An `f64` from random bits, or (one time in four) a "round" number —
/// a small integer scaled by a power of ten — where trailing zeros and the
/// positional/exponent boundary (`1e16`, `1e21`, `1e-7`) are exercised.
#[derive(Clone, Copy, Debug)]
struct AnyF64(f64);

impl Arbitrary for AnyF64 {
    fn arbitrary(g: &mut Gen) -> Self {
        if u8::arbitrary(g) % 4 == 0 {
            let mantissa = f64::from(u16::arbitrary(g) % 1000);
            let exponent = i32::from(i8::arbitrary(g) % 40);
            let sign = if bool::arbitrary(g) { -1.0 } else { 1.0 };
            AnyF64(sign * mantissa * 10f64.powi(exponent))
        } else {
            AnyF64(f64::from_bits(u64::arbitrary(g)))
        }
    }
}

#[test]
fn display_is_rusts_display() {
    fn prop(f: AnyF64) -> bool {
        display(f.0) == format!("{}", f.0)
    }
    QuickCheck::new()
        .tests(200_000)
        .quickcheck(prop as fn(AnyF64) -> bool);
}

#[test]
fn unexpected_float_is_serdes_text() {
    fn prop(f: AnyF64) -> bool {
        unexpected(Unexpected::Float(f.0)) == Unexpected::Float(f.0).to_string()
    }
    QuickCheck::new()
        .tests(50_000)
        .quickcheck(prop as fn(AnyF64) -> bool);
}

#[test]
fn unexpected_is_serdes_text() {
    fn prop(b: bool, u: u64, i: i64, c: char, s: String) -> bool {
        let bytes = s.as_bytes();
        [
            Unexpected::Bool(b),
            Unexpected::Unsigned(u),
            Unexpected::Signed(i),
            Unexpected::Char(c),
            Unexpected::Str(&s),
            Unexpected::Bytes(bytes),
            Unexpected::Unit,
            Unexpected::Option,
            Unexpected::NewtypeStruct,
            Unexpected::Seq,
            Unexpected::Map,
            Unexpected::Enum,
            Unexpected::UnitVariant,
            Unexpected::NewtypeVariant,
            Unexpected::TupleVariant,
            Unexpected::StructVariant,
            Unexpected::Other(&s),
        ]
        .into_iter()
        .all(|v| unexpected(v) == v.to_string())
    }
    QuickCheck::new().quickcheck(prop as fn(bool, u64, i64, char, String) -> bool);
}

#[test]
fn display_corners() {
    for f in [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        0.3,
        1.5,
        100.0,
        1e15,
        1e16,
        1e17,
        1e20,
        1e21,
        1e22,
        1e-5,
        1e-6,
        1e-7,
        123_456_789.125,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::EPSILON,
        5e-324,
        -5e-324,
        -981_446_413_237_567.3,
        9_007_199_254_740_993.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        assert_eq!(display(f), format!("{f}"), "{f:?}");
        assert_eq!(
            unexpected(Unexpected::Float(f)),
            Unexpected::Float(f).to_string(),
            "{f:?}"
        );
    }
}

/// A million bit patterns from a fixed xorshift sequence: reproducible,
/// and many more than quickcheck's run (ties between two shortest
/// candidates, where the float writers differ, are rare).
#[test]
fn display_over_a_million_bit_patterns() {
    let mut x: u64 = 0x1234_5678_9abc_def1;
    for _ in 0..1_000_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = f64::from_bits(x);
        assert_eq!(display(f), format!("{f}"), "{f:?} ({x:#x})");
    }
}
