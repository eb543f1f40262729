//! Arbitrary strings through `Quantity::parse`: never panics; what parses
//! prints a canonical form that parses back to the same value and prints the
//! same. Input `a|b` also checks arithmetic on the two halves: `a + b - b == a`
//! and `cmp` agreeing with the sign of `a - b`.
#![no_main]

use kubelogic::Quantity;
use libfuzzer_sys::fuzz_target;

fn round_trip(input: &str) -> Option<Quantity> {
    let q = Quantity::parse(input).ok()?;
    let canonical = q.to_string();
    assert_eq!(&*q.canonical(), canonical);
    let again = Quantity::parse(&canonical)
        .unwrap_or_else(|e| panic!("{input:?} -> {canonical:?} does not parse: {e}"));
    assert_eq!(q, again, "{input:?} -> {canonical:?}");
    assert_eq!(again.to_string(), canonical, "{input:?}");
    assert_eq!(q.value(), again.value());
    assert_eq!(q.milli_value(), again.milli_value());
    Some(q)
}

fuzz_target!(|input: &str| {
    let _ = Quantity::parse_manifest(input);
    round_trip(input);
    let Some((left, right)) = input.split_once('|') else {
        return;
    };
    let (Some(a), Some(b)) = (round_trip(left), round_trip(right)) else {
        return;
    };
    if let Some(sum) = a.checked_add(&b) {
        let back = sum.checked_sub(&b).expect("a + b - b fits when a + b does");
        assert_eq!(back, a, "{left:?} + {right:?} = {sum}");
        let _ = sum.to_string();
    }
    if let Some(diff) = a.checked_sub(&b) {
        assert_eq!(a.cmp(&b), diff.signum(), "{left:?} - {right:?} = {diff}");
        let _ = diff.to_string();
    }
});
