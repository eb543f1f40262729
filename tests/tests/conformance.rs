//! Runs the conformance runner over ../shared/conformance, family by family,
//! so `cargo test` (and CI) sees every vector.

use std::path::PathBuf;

fn conformance_root() -> PathBuf {
    match std::env::var_os("KUBELOGIC_CONFORMANCE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance"),
    }
}

fn run_family(family: &str) {
    let dir = conformance_root().join(family);
    assert!(
        dir.is_dir(),
        "conformance vectors not found at {} (set KUBELOGIC_CONFORMANCE to the shared/conformance folder)",
        dir.display()
    );
    let report = kubelogic_conformance::run_paths(&[&dir]);
    for f in report.failures.iter().take(50) {
        eprintln!("{f}");
    }
    eprintln!("{family}: {}", report.summary());
    assert!(report.passed > 0, "{family}: no case ran");
    assert!(report.failures.is_empty(), "{family}: {}", report.summary());
}

#[test]
fn quantity() {
    run_family("quantity");
}

#[test]
fn resources() {
    run_family("resources");
}

#[test]
fn qos() {
    run_family("qos");
}

#[test]
fn scheduling_tainttoleration() {
    run_family("scheduling/tainttoleration");
}
#[test]
fn scheduling_nodeports() {
    run_family("scheduling/nodeports");
}
#[test]
fn scheduling_imagelocality() {
    run_family("scheduling/imagelocality");
}
#[test]
fn scheduling_nodeaffinity() {
    run_family("scheduling/nodeaffinity");
}
#[test]
fn scheduling_noderesourcesfit() {
    run_family("scheduling/noderesourcesfit");
}
#[test]
fn scheduling_noderesourcesbalancedallocation() {
    run_family("scheduling/noderesourcesbalancedallocation");
}

#[test]
fn scheduling_interpodaffinity() {
    run_family("scheduling/interpodaffinity");
}

#[test]
fn scheduling_podtopologyspread() {
    run_family("scheduling/podtopologyspread");
}

#[test]
fn scheduling_cycle() {
    run_family("scheduling/cycle");
}

#[test]
fn scheduling_real() {
    run_family("scheduling/real");
}
