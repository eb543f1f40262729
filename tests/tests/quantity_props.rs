//! Property tests of `Quantity`: canonical text is a fixed point of parsing,
//! `a + b - b == a`, `cmp` agrees with the sign of `a - b`, equal quantities
//! hash alike, and parsing never panics.
//!
//! Arbitrary `String`s almost never parse, so [`QuantityText`] generates
//! quantity-shaped text: realistic ones (`"500m"`, `"64Mi"`), Kubernetes' odd
//! corners (`"+01.Ki"`, `".5"`, `"1E3"`, huge exponents, 40-digit mantissas)
//! and near misses (a stray character, white space, a doubled dot).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use kubelogic::Quantity;
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};

const SUFFIXES: &[&str] = &[
    "", "", "", "m", "m", "Mi", "Gi", "Ki", "k", "M", "G", "n", "u", "T", "P", "E", "Ti", "Pi",
    "Ei",
];
const EXPONENTS: &[&str] = &[
    "0",
    "3",
    "-3",
    "+6",
    "9",
    "-9",
    "-10",
    "18",
    "19",
    "-20",
    "03",
    "308",
    "-987",
    "2147483647",
    "2147483646",
    "-2147483648",
    "4294967299",
    "9223372036854775807",
];
const NOISE: &[char] = &[
    ' ', '\t', '.', '+', '-', 'e', 'E', 'i', 'K', 'b', '%', '0', '9', 'é',
];

/// Quantity-shaped text.
#[derive(Clone, Debug)]
struct QuantityText(String);

fn pick<'a, T>(g: &mut Gen, items: &'a [T]) -> &'a T {
    g.choose(items).unwrap_or_else(|| unreachable!("non-empty"))
}

fn digits(g: &mut Gen, max: usize) -> String {
    let n = usize::arbitrary(g) % (max + 1);
    (0..n)
        .map(|_| char::from(b'0' + u8::arbitrary(g) % 10))
        .collect()
}

impl Arbitrary for QuantityText {
    fn arbitrary(g: &mut Gen) -> Self {
        let mut s = String::new();
        match u8::arbitrary(g) % 10 {
            0 => s.push('-'),
            1 => s.push('+'),
            _ => {}
        }
        if u8::arbitrary(g) % 6 == 0 {
            s.push_str(&"0".repeat(1 + usize::arbitrary(g) % 3));
        }
        // Mostly short integers, sometimes long ones.
        let long = u8::arbitrary(g) % 8 == 0;
        s.push_str(&digits(g, if long { 40 } else { 5 }));
        if u8::arbitrary(g) % 3 == 0 {
            s.push('.');
            s.push_str(&digits(g, if long { 30 } else { 4 }));
        }
        if u8::arbitrary(g) % 6 == 0 {
            s.push(*pick(g, &['e', 'E']));
            let exponent: &&str = pick(g, EXPONENTS);
            s.push_str(exponent);
        } else {
            let suffix: &&str = pick(g, SUFFIXES);
            s.push_str(suffix);
        }
        // Near misses.
        if u8::arbitrary(g) % 8 == 0 && !s.is_empty() {
            let at = usize::arbitrary(g) % (s.len() + 1);
            let at = (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
            s.insert(at, *pick(g, NOISE));
        }
        QuantityText(s)
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        Box::new(self.0.shrink().map(QuantityText))
    }
}

/// A quantity that parses, from [`QuantityText`].
#[derive(Clone, Debug)]
struct Valid(Quantity);

impl Arbitrary for Valid {
    fn arbitrary(g: &mut Gen) -> Self {
        loop {
            if let Ok(q) = Quantity::parse(&QuantityText::arbitrary(g).0) {
                return Valid(q);
            }
        }
    }
}

fn hash_of(q: &Quantity) -> u64 {
    let mut h = DefaultHasher::new();
    q.hash(&mut h);
    h.finish()
}

fn qc() -> QuickCheck {
    QuickCheck::new().tests(3000).max_tests(30_000)
}

#[test]
fn generator_produces_mostly_valid_text() {
    let mut g = Gen::new(30);
    let ok = (0..2000)
        .filter(|_| Quantity::parse(&QuantityText::arbitrary(&mut g).0).is_ok())
        .count();
    assert!(ok > 1000, "only {ok} of 2000 generated strings parse");
}

#[test]
fn canonical_text_is_a_fixed_point() {
    fn prop(t: QuantityText) -> TestResult {
        let Ok(q) = Quantity::parse(&t.0) else {
            return TestResult::discard();
        };
        let text = q.to_string();
        assert_eq!(&*q.canonical(), text);
        let again = match Quantity::parse(&text) {
            Ok(again) => again,
            Err(e) => panic!("{:?} prints {text:?}, which does not parse: {e}", t.0),
        };
        assert_eq!(again, q, "{:?} -> {text:?}", t.0);
        assert_eq!(again.to_string(), text, "{:?}", t.0);
        assert_eq!(hash_of(&again), hash_of(&q), "{:?}", t.0);
        assert_eq!(
            (again.value(), again.milli_value()),
            (q.value(), q.milli_value())
        );
        let json = serde_json::to_string(&q).expect("serializes");
        let back: Quantity = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, q);
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(QuantityText) -> TestResult);
}

#[test]
fn add_then_sub_is_identity() {
    fn prop(a: Valid, b: Valid) -> TestResult {
        let (a, b) = (a.0, b.0);
        let Some(sum) = a.checked_add(&b) else {
            return TestResult::discard();
        };
        let back = sum
            .checked_sub(&b)
            .expect("a + b - b is no larger than a + b");
        assert_eq!(back, a, "{a} + {b} = {sum}");
        let other = sum.checked_sub(&a).expect("a + b - a");
        assert_eq!(other, b, "{a} + {b} = {sum}");
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(Valid, Valid) -> TestResult);
}

#[test]
fn cmp_agrees_with_the_sign_of_the_difference() {
    fn prop(a: Valid, b: Valid) -> TestResult {
        let (a, b) = (a.0, b.0);
        let Some(diff) = a.checked_sub(&b) else {
            return TestResult::discard();
        };
        assert_eq!(a.cmp(&b), diff.signum(), "{a} - {b} = {diff}");
        assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        if a == b {
            assert_eq!(hash_of(&a), hash_of(&b));
        }
        assert_eq!(a.neg().cmp(&b.neg()), b.cmp(&a));
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(Valid, Valid) -> TestResult);
}

#[test]
fn parse_never_panics() {
    fn prop(s: String, t: QuantityText) -> bool {
        for text in [&s, &t.0] {
            if let Ok(q) = Quantity::parse(text) {
                let _ = (q.to_string(), q.value(), q.milli_value(), q.neg());
            }
            let _ = Quantity::parse_manifest(text);
        }
        true
    }
    qc().quickcheck(prop as fn(String, QuantityText) -> bool);
}

/// A quantity written as a JSON number reads exactly as the same text
/// written as a JSON string (apimachinery's `UnmarshalJSON` parses the raw
/// bytes of either), in a single value, inside a manifest read by the
/// model, and inside a whole dump read by `parse_objects`: never through
/// an `f64` (`1e3` stays `1e3`; 40 digits keep every digit).
#[test]
fn json_numbers_read_as_their_text() {
    static TRIED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    fn prop(t: QuantityText) -> TestResult {
        // Only text that is a JSON number: no suffix, no leading `+` or zeros.
        let text = t.0.trim();
        if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err()
            || !text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
        {
            return TestResult::discard();
        }
        TRIED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let want = Quantity::parse_manifest(text).map(|q| q.to_string());
        let single = serde_json::from_str::<Quantity>(text).map(|q| q.to_string());
        let doc = format!(
            r#"{{"kind": "List", "items": [{{"kind": "Node", "metadata": {{"name": "n"}},
                "status": {{"allocatable": {{"cpu": {text}}}}}}}]}}"#
        );
        let in_dump = kubelogic::model::parse_objects(&doc)
            .map(|o| o.nodes[0].status.allocatable["cpu"].to_string());
        let pod = format!(
            r#"{{"spec": {{"containers": [{{"name": "c", "resources": {{"requests": {{"cpu": {text}}}}}}}]}}}}"#
        );
        let in_pod = kubelogic::model::from_json_str::<kubelogic::model::Pod>(&pod)
            .map(|p| p.spec.containers[0].resources.requests["cpu"].to_string());
        match &want {
            Ok(w) => TestResult::from_bool(
                single.as_ref().ok() == Some(w)
                    && in_dump.as_ref().ok() == Some(w)
                    && in_pod.as_ref().ok() == Some(w),
            ),
            Err(_) => TestResult::from_bool(single.is_err() && in_dump.is_err() && in_pod.is_err()),
        }
    }
    qc().quickcheck(prop as fn(QuantityText) -> TestResult);
    let tried = TRIED.load(std::sync::atomic::Ordering::Relaxed);
    assert!(tried >= 100, "only {tried} JSON numbers generated");
    // The two numbers that went through f64 before.
    for (number, canonical) in [
        ("1e3", "1e3"),
        ("1E3", "1E3"),
        ("123456789.123456789", "123456789.123456789"),
        (
            "1234567890123456789012345678901234567890",
            "1234567890123456789012345678901234567890",
        ),
        ("0.5", "500m"),
    ] {
        let q: Quantity = serde_json::from_str(number).expect(number);
        assert_eq!(q.to_string(), canonical, "{number}");
        assert_eq!(q, Quantity::parse(number).expect(number), "{number}");
    }
}
