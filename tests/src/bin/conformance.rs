//! `conformance PATH...`: runs the shared conformance vectors.
//!
//! Prints one line per failing case, then `N passed, M failed`; exits 1 when
//! anything failed (or no path was given).
#![forbid(unsafe_code)]

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: conformance PATH... (files or folders of *.json / *.jsonl cases)");
        std::process::exit(2);
    }
    let report = kubelogic_conformance::run_paths(&paths);
    for f in &report.failures {
        println!("{f}");
    }
    println!("{}", report.summary());
    if !report.failures.is_empty() {
        std::process::exit(1);
    }
}
