//! `conformance [PATH...]`: runs conformance vectors (by default the
//! repository's copy, `tests/data/conformance`).
//!
//! Prints one line per failing case, one line per pending kind, then
//! `N passed, M failed` (`, K skipped` when kinds are pending); exits 1 when
//! anything failed.
#![forbid(unsafe_code)]

fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.iter().any(|p| p == "-h" || p == "--help") {
        eprintln!(
            "usage: conformance [PATH...] (files or folders of *.json / *.jsonl cases; \
             default: the repository's copy, {})",
            kubelogic_conformance::IN_REPO_VECTORS
        );
        std::process::exit(2);
    }
    if paths.is_empty() {
        paths.push(kubelogic_conformance::IN_REPO_VECTORS.to_owned());
    }
    let report = kubelogic_conformance::run_paths(&paths);
    for f in &report.failures {
        println!("{f}");
    }
    for line in report.pending_lines() {
        println!("{line}");
    }
    println!("{}", report.summary());
    if !report.failures.is_empty() {
        std::process::exit(1);
    }
}
