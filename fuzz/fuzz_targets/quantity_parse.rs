//! Arbitrary strings through `Quantity::parse`: never panics; what parses
//! prints a canonical form that parses back to the same value and prints the same.
#![no_main]

use kubelogic::Quantity;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(q) = Quantity::parse(input) {
        let canonical = q.to_string();
        let again = Quantity::parse(&canonical).expect("canonical form parses");
        assert_eq!(q, again, "{input:?} -> {canonical:?}");
        let _ = (q.value(), q.milli_value());
    }
    let _ = Quantity::parse_manifest(input);
});
