//! Arbitrary kubelet command lines through the eviction flag parser and
//! `ParseThresholdConfig`: never panics; every error carries Kubernetes'
//! message and names what it is about; what parses is a valid config
//! (positive quantities, percentages in [0, 1], soft thresholds with a
//! grace period) whose thresholds print and whose durations round-trip.
#![no_main]

use kubelogic::eviction::{Duration, EvictionConfig, KubeletEvictionSettings, ThresholdValue};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let args: Vec<&str> = input.split_whitespace().collect();
    match KubeletEvictionSettings::from_flags(&args) {
        Err(e) => assert!(!e.to_string().is_empty()),
        Ok(settings) => {
            for s in [settings.clone(), settings.with_linux_defaults()] {
                match EvictionConfig::from_settings(&s) {
                    Err(e) => {
                        assert!(!e.to_string().is_empty());
                        assert!(!e.token().is_empty() || e.message().contains("\"\""));
                    }
                    Ok(config) => {
                        for t in &config.thresholds {
                            let _ = t.to_string();
                            match &t.value {
                                ThresholdValue::Quantity(q) => assert!(q.signum().is_gt()),
                                ThresholdValue::Percentage(p) => {
                                    let f = p.fraction();
                                    assert!(f.is_nan() || (0.0..=1.0).contains(&f));
                                }
                            }
                            assert!(!t.grace_period.is_negative());
                            let g = t.grace_period;
                            assert_eq!(Duration::parse(&g.to_string()), Ok(g));
                        }
                    }
                }
            }
        }
    }
    // The same text as one map value of each map flag.
    for flag in [
        "eviction-hard",
        "eviction-soft",
        "eviction-soft-grace-period",
        "eviction-minimum-reclaim",
    ] {
        let mut s = KubeletEvictionSettings::default();
        if s.set(flag, input).is_ok() {
            let _ = EvictionConfig::from_settings(&s);
        }
    }
    let _ = Duration::parse(input);
});
