//! The kubelet's eviction percentages (`eviction::Percentage::parse`: Go's
//! `strconv.ParseFloat(s, 32)`, then `/ 100` in `float32`) against Rust's
//! `str::parse::<f32>`: on text without letters other than `e`/`E` and
//! without underscores the two agree on syntax and both round correctly, so
//! the fractions must be equal bit for bit (Rust's infinity from finite text
//! is Go's `value out of range`). Any other text must not panic.
#![no_main]

use kubelogic::eviction::Percentage;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let text = format!("{}%", input.trim_end_matches('%'));
    let got = Percentage::parse(&text);
    let number = input.trim_end_matches('%');
    if number.bytes().all(|b| b"0123456789.eE+-".contains(&b)) {
        match number.parse::<f32>() {
            Ok(v) if v.is_infinite() => {
                let err = got.expect_err("out of range").to_string();
                assert!(err.ends_with("value out of range"), "{input:?}: {err}");
            }
            Ok(v) => assert_eq!(
                got.map(|p| p.fraction().to_bits()).ok(),
                Some((v / 100.0).to_bits()),
                "{input:?}"
            ),
            Err(_) => {
                let err = got.expect_err("invalid").to_string();
                assert!(err.ends_with("invalid syntax"), "{input:?}: {err}");
            }
        }
    }
});
