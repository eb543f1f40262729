//! Runs the eviction conformance vectors (../shared/conformance/eviction).

use std::path::PathBuf;

#[test]
fn eviction_vectors_pass() {
    let dir = match std::env::var_os("KUBELOGIC_CONFORMANCE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance"),
    }
    .join("eviction");
    assert!(
        dir.is_dir(),
        "conformance vectors not found at {}",
        dir.display()
    );
    let report = kubelogic_conformance::run_paths(&[&dir]);
    for f in &report.failures {
        eprintln!("{f}");
    }
    assert!(report.passed >= 48, "eviction: {}", report.summary());
    assert!(report.failures.is_empty(), "eviction: {}", report.summary());
}
