//! Unit tests: the reference table of `resource.Quantity` behaviours, and the
//! bounded-cost guarantees.

use super::*;
use std::collections::hash_map::DefaultHasher;
use std::time::{Duration, Instant};

fn q(s: &str) -> Quantity {
    Quantity::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn hash_of(q: &Quantity) -> u64 {
    let mut h = DefaultHasher::new();
    q.hash(&mut h);
    h.finish()
}

#[test]
fn canonical_forms() {
    for (input, want, format) in [
        ("0", "0", Format::DecimalSI),
        ("1Ki", "1Ki", Format::BinarySI),
        ("1024Mi", "1Gi", Format::BinarySI),
        ("1000M", "1G", Format::DecimalSI),
        (".001Ki", "1024m", Format::BinarySI),
        (".000001Ki", "1024u", Format::DecimalSI),
        (".000000001Ki", "1024n", Format::DecimalSI),
        (".000000000001Ki", "2n", Format::DecimalSI),
        ("1.5Gi", "1536Mi", Format::BinarySI),
        ("1.5", "1500m", Format::DecimalSI),
        ("0.5Mi", "512Ki", Format::BinarySI),
        ("0.5Ki", "512", Format::BinarySI),
        ("1.1Ki", "1126400m", Format::BinarySI),
        ("100.035Ki", "102435840m", Format::BinarySI),
        ("9Ei", "9223372036854775807", Format::BinarySI),
        ("8Ei", "9223372036854775807", Format::BinarySI),
        ("7Ei", "7Ei", Format::BinarySI),
        ("1536Ki", "1536Ki", Format::BinarySI),
        ("1000", "1k", Format::DecimalSI),
        ("1024", "1024", Format::DecimalSI),
        ("1.5k", "1500", Format::DecimalSI),
        ("0.1m", "100u", Format::DecimalSI),
        ("0.0000000005", "1n", Format::DecimalSI),
        ("3.001n", "4n", Format::DecimalSI),
        ("1.1E-9", "2e-9", Format::DecimalExponent),
        ("1.23456789012", "1234567891n", Format::DecimalSI),
        ("1.2e3", "1200", Format::DecimalExponent),
        ("1.3E+6", "1300e3", Format::DecimalExponent),
        ("1e3", "1e3", Format::DecimalExponent),
        ("1e1000", "10e999", Format::DecimalExponent),
        (
            "1000e2147483647",
            "10000e2147483646",
            Format::DecimalExponent,
        ),
        (
            "10000e2147483646",
            "10000e2147483646",
            Format::DecimalExponent,
        ),
        ("1e-20", "1e-9", Format::DecimalExponent),
        (
            "99999999999999999999",
            "99999999999999999999",
            Format::DecimalSI,
        ),
        ("100000000000000000000", "100E", Format::DecimalSI),
        ("-1.5Gi", "-1536Mi", Format::BinarySI),
        ("12E", "12E", Format::DecimalSI),
        // Echoed as written.
        ("+1k", "+1k", Format::DecimalSI),
        ("01k", "01k", Format::DecimalSI),
        ("0100", "0100", Format::DecimalSI),
        ("1E3", "1E3", Format::DecimalExponent),
        ("1e+3", "1e+3", Format::DecimalExponent),
        ("1e03", "1e03", Format::DecimalExponent),
        ("1.G", "1.G", Format::DecimalSI),
        ("+1Ki", "+1Ki", Format::BinarySI),
        ("+1Pi", "1Pi", Format::BinarySI),
        ("1e4294967299", "1e4294967299", Format::DecimalExponent),
        // Zero in every spelling.
        ("Mi", "0", Format::BinarySI),
        (".", "0", Format::DecimalSI),
        ("-0", "0", Format::DecimalSI),
        ("-0.0Ki", "0", Format::BinarySI),
        // Above E and outside i32 exponents (our documented choices).
        ("1000E", "1e21", Format::DecimalSI),
        ("5.5e-2147483648", "1e-9", Format::DecimalExponent),
    ] {
        let got = q(input);
        assert_eq!(got.to_string(), want, "{input:?}");
        assert_eq!(got.format(), format, "{input:?}");
    }
}

#[test]
fn constructed_quantities() {
    let cases = [
        (Quantity::from_milli(1024, Format::BinarySI), "1024m"),
        (Quantity::from_value(1024, Format::BinarySI), "1Ki"),
        (Quantity::from_value(5, Format::BinarySI), "5"),
        (Quantity::from_value(1025, Format::BinarySI), "1025"),
        (Quantity::from_value(1001 << 30, Format::BinarySI), "1001Gi"),
        (
            Quantity::from_scaled(1234567, -3, Format::BinarySI),
            "1234567m",
        ),
        (Quantity::from_scaled(108, -2, Format::DecimalSI), "1080m"),
        (
            Quantity::from_scaled(10800, -10, Format::DecimalSI),
            "1080n",
        ),
        (
            Quantity::from_scaled(1, -3, Format::DecimalExponent),
            "1e-3",
        ),
        (
            Quantity::from_scaled(80, -3, Format::DecimalExponent),
            "80e-3",
        ),
        (Quantity::from_scaled(1, -12, Format::DecimalSI), "1e-12"),
        (
            Quantity::from_value(i64::MIN, Format::DecimalSI),
            "-9223372036854775808",
        ),
        (Quantity::from_value(i64::MIN, Format::BinarySI), "-8Ei"),
        (
            Quantity::from_scaled(1, i32::MAX, Format::BinarySI),
            "10e2147483646",
        ),
        (
            Quantity::from_scaled(1, i32::MIN, Format::DecimalSI),
            "10e-2147483649",
        ),
    ];
    for (quantity, want) in cases {
        assert_eq!(quantity.to_string(), want);
    }
    let two_70 = q("1Ei").checked_add(&q("1Ei")).unwrap();
    assert_eq!(two_70.to_string(), "2Ei");
    let mut x = q("512Ei");
    assert_eq!(x.to_string(), "9223372036854775807");
    x = Quantity::from_value(1 << 62, Format::BinarySI);
    for _ in 0..8 {
        x = x.checked_add(&x).unwrap();
    }
    assert_eq!(x.value(), None);
    assert_eq!(x.to_string(), "1180591620717411303424");
}

#[test]
fn errors() {
    use QuantityErrorKind as K;
    for (input, kind, offset) in [
        ("", K::Format, 0),
        (" 1", K::Format, 0),
        ("1 ", K::Format, 1),
        ("1.1.M", K::Format, 3),
        ("1+1.0M", K::Format, 3),
        ("0.1am", K::Format, 3),
        ("1e3e3", K::Format, 3),
        ("1KiB", K::Format, 3),
        ("0.1mi", K::Suffix, 3),
        ("1K", K::Suffix, 1),
        ("1e", K::Suffix, 1),
        ("1m5", K::Suffix, 1),
        ("-3.01e-", K::Suffix, 5),
        ("1e9223372036854775808", K::Suffix, 1),
        ("e-10", K::Numeric, 0),
        ("+.E-10", K::Numeric, 2),
        ("Pi", K::Numeric, 0),
        ("-.Ei", K::Numeric, 2),
    ] {
        let err = Quantity::parse(input).expect_err(input);
        assert_eq!((err.kind(), err.offset()), (kind, offset), "{input:?}");
    }
    assert_eq!(
        Quantity::parse("1K").unwrap_err().to_string(),
        "unable to parse quantity's suffix (at byte 1)"
    );
}

#[test]
fn values_round_away_from_zero_and_never_wrap() {
    for (input, value, milli) in [
        ("100m", Some(1), Some(100)),
        ("-100m", Some(-1), Some(-100)),
        ("1.5m", Some(1), Some(2)),
        ("-1.5", Some(-2), Some(-1500)),
        ("-8427570960757497257683493E-56", Some(-1), Some(-1)),
        ("9223372036854775807", Some(i64::MAX), None),
        ("-9223372036854775808", Some(i64::MIN), None),
        ("9223372036854775808", None, None),
        ("1e2147483647", None, None),
        ("1E", Some(1_000_000_000_000_000_000), None),
    ] {
        let got = q(input);
        assert_eq!(
            (got.value(), got.milli_value()),
            (value, milli),
            "{input:?}"
        );
    }
    assert_eq!(q("1").scaled_value(i32::MIN), None);
    assert_eq!(q("1").scaled_value(i32::MAX), Some(1));
    assert_eq!(q("-1").scaled_value(i32::MAX), Some(-1));
}

#[test]
fn equality_ordering_and_hash_by_value() {
    let same = [
        q("1Gi"),
        q("1073741824"),
        q("1024Mi"),
        q("1073741.824k"),
        q("1073741824000000000n"),
        q("1073741824000000000000000000000e-21"),
        q("1.073741824e9"),
    ];
    for a in &same {
        for b in &same {
            assert_eq!(a, b);
            assert_eq!(hash_of(a), hash_of(b), "{a:?} {b:?}");
        }
    }
    assert!(q("10000T") > q("100Gi"));
    assert!(q("-1E") < q("-999P"));
    assert!(q("1e1000") > q("9E"));
    assert!(q("-1e1000") < q("-9E"));
    assert_eq!(q("0"), q("-0.0Ki"));
    assert_eq!(hash_of(&q("0")), hash_of(&q("Mi")));
    assert_eq!(q("1Ki").cmp_i64(1024), Ordering::Equal);
    assert_eq!(q("-1n").signum(), Ordering::Less);
}

#[test]
fn arithmetic() {
    let sum = |a: &str, b: &str| q(a).checked_add(&q(b)).unwrap().to_string();
    let diff = |a: &str, b: &str| q(a).checked_sub(&q(b)).unwrap().to_string();
    assert_eq!(sum("10", "1Ki"), "1034");
    assert_eq!(sum("0", "1Gi"), "1Gi");
    assert_eq!(sum("100m", "0"), "100m");
    assert_eq!(sum("+1k", "0"), "1k");
    assert_eq!(diff("0", "1Gi"), "-1Gi");
    assert_eq!(sum("9E", "9E"), "18E");
    assert_eq!(sum("4Ei", "4Ei"), "8Ei");
    assert_eq!(sum("394.261486765737", "6784k"), "6784394261486766n");
    let min = Quantity::from_value(i64::MIN, Format::DecimalSI);
    assert_eq!(
        Quantity::zero().checked_sub(&min).unwrap().to_string(),
        "9223372036854775808"
    );
    assert_eq!(min.neg().to_string(), "9223372036854775808");
    assert_eq!(min.neg().neg(), min);
}

/// A 1 MB digit string, a huge exponent, and arithmetic on them: each returns
/// at once (linear work), with memory bounded by the input.
#[test]
fn huge_inputs_are_cheap() {
    let start = Instant::now();
    let mut digits = String::from("1");
    digits.push_str(&"0".repeat(1 << 20));
    digits.push('7');
    let big = q(&digits);
    assert_eq!(big.to_string(), digits);
    assert_eq!(big.value(), None);
    let plus = big.checked_add(&q("1n")).unwrap();
    assert_eq!(plus.to_string().len(), digits.len() + 9 + 1);
    assert_eq!(plus.checked_sub(&big).unwrap().to_string(), "1n");
    assert!(plus > big);
    assert_eq!(q(&format!("{digits}Ki")).to_string(), "9223372036854775807");
    assert_eq!(q(&format!("0.{digits}")).to_string(), "100000001n");
    let kilo = q("1Ki").checked_add(&big).unwrap();
    assert!(kilo.to_string().ends_with("1031"));

    let exp = q("1e2147483647");
    assert_eq!(exp.to_string(), "10e2147483646");
    assert!(exp > big);
    assert_eq!(q("1k").checked_add(&exp), None);
    assert_eq!(exp.checked_add(&q("1n")), None);
    assert_eq!(exp.checked_sub(&exp).map(|z| z.is_zero()), Some(true));
    assert_eq!(exp.checked_add(&exp).unwrap().to_string(), "20e2147483646");
    let tiny = q("1e-2147483648");
    assert_eq!(tiny.to_string(), "1e-9");
    assert!(Quantity::parse(&format!("1e{}", "9".repeat(1 << 20))).is_err());
    assert_eq!(
        q(&format!("1e{}5", "0".repeat(1 << 20))).to_string(),
        "100e3"
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}
