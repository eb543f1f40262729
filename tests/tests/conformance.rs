//! Runs the conformance runner over every vector in ../shared/conformance
//! (or `$KUBELOGIC_CONFORMANCE`), folder by folder, so that `cargo test` and
//! CI see every case. No list of families to keep up to date: a new folder
//! is run as soon as it appears, and a kind nobody implements fails loudly.

use std::path::{Path, PathBuf};

fn conformance_root() -> PathBuf {
    match std::env::var_os("KUBELOGIC_CONFORMANCE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance"),
    }
}

/// Folders that hold vector files directly, depth first, sorted.
fn leaf_folders(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    if entries.iter().any(|p| {
        p.is_file()
            && matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("json" | "jsonl")
            )
    }) {
        out.push(dir.to_path_buf());
    }
    for p in entries.iter().filter(|p| p.is_dir()) {
        leaf_folders(p, out);
    }
}

#[test]
fn every_conformance_vector_passes() {
    let root = conformance_root();
    assert!(
        root.is_dir(),
        "conformance vectors not found at {} (set KUBELOGIC_CONFORMANCE to the shared/conformance folder)",
        root.display()
    );
    let mut folders = Vec::new();
    leaf_folders(&root, &mut folders);
    assert!(
        folders.len() >= 5,
        "only {} vector folders under {}",
        folders.len(),
        root.display()
    );
    let (mut passed, mut failed) = (0, 0);
    for folder in &folders {
        let report = kubelogic_conformance::run_paths(&[folder]);
        for f in report.failures.iter().take(20) {
            eprintln!("{f}");
        }
        let name = folder
            .strip_prefix(&root)
            .unwrap_or(folder)
            .display()
            .to_string();
        eprintln!("{name:<45} {}", report.summary());
        assert!(report.passed > 0, "{name}: no case ran");
        passed += report.passed;
        failed += report.failures.len();
    }
    eprintln!("all vectors: {passed} passed, {failed} failed");
    assert_eq!(failed, 0, "{failed} conformance cases failed");
}
