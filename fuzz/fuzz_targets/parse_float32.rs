//! `kubelogic::strconv::parse_float32` (Go's `strconv.ParseFloat(s, 32)`)
//! against Rust's `str::parse::<f32>`: on text without letters other than
//! `e`/`E` and without underscores the two agree on syntax and both round
//! correctly, so the bits must be equal (Rust's infinity from finite text is
//! Go's `value out of range`). Any other text must not panic, and a value
//! must survive its shortest text (`{:e}`) unchanged.
#![no_main]

use kubelogic::strconv::{parse_float32, ParseFloatError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let got = parse_float32(input);
    if input.bytes().all(|b| b"0123456789.eE+-".contains(&b)) {
        let want = match input.parse::<f32>() {
            Ok(v) if v.is_infinite() => Err(ParseFloatError::Range),
            Ok(v) => Ok(v.to_bits()),
            Err(_) => Err(ParseFloatError::Syntax),
        };
        assert_eq!(got.map(f32::to_bits), want, "{input:?}");
    }
    if let Ok(v) = got {
        if v.is_finite() {
            let text = format!("{v:e}");
            assert_eq!(
                parse_float32(&text).map(f32::to_bits),
                Ok(v.to_bits()),
                "{input:?} -> {text}"
            );
        }
    }
});
