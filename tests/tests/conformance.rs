//! Runs the conformance runner over every vector in the repository's copy
//! (`tests/data/conformance`), folder by folder, so that `cargo test` on a
//! clone alone sees every case; and checks that the copy is identical to
//! `../shared/conformance` (or `$KUBELOGIC_CONFORMANCE`) when that is
//! present. No list of families to keep up to date: a new folder is run as
//! soon as it appears, and a kind nobody implements fails loudly (unless it
//! is one of the pending kinds, which every run lists with its issue).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn in_repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/conformance")
}

fn shared_root() -> PathBuf {
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

/// Every file under `dir`, by its path relative to `dir`, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.expect("directory entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("under root").to_path_buf();
                out.insert(rel, std::fs::read(&p).expect("readable vector file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn every_conformance_vector_passes() {
    let root = in_repo_root();
    assert!(
        root.is_dir(),
        "the in-repo vectors are missing at {}",
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
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for folder in &folders {
        let report = kubelogic_conformance::run_paths(&[folder]);
        for f in report.failures.iter().take(20) {
            eprintln!("{f}");
        }
        for line in report.pending_lines() {
            eprintln!("  {line}");
        }
        let name = folder
            .strip_prefix(&root)
            .unwrap_or(folder)
            .display()
            .to_string();
        eprintln!("{name:<45} {}", report.summary());
        assert!(report.passed + report.skipped() > 0, "{name}: no case ran");
        passed += report.passed;
        failed += report.failures.len();
        skipped += report.skipped();
    }
    eprintln!("all vectors: {passed} passed, {failed} failed, {skipped} skipped (pending kinds)");
    assert_eq!(failed, 0, "{failed} conformance cases failed");
}

/// The repository's copies (`tests/data/{conformance,fixtures,bench}`) are
/// the shared ones, byte for byte (when the shared set is there: a clone
/// alone has only the copy, and says so).
#[test]
fn the_in_repo_vectors_are_the_shared_ones() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let shared_conformance = shared_root();
    let pairs = [
        (data.join("conformance"), shared_conformance.clone()),
        (
            data.join("fixtures"),
            shared_conformance.join("../fixtures"),
        ),
        (data.join("bench"), shared_conformance.join("../bench")),
    ];
    for (copy, shared) in &pairs {
        if !shared.is_dir() {
            eprintln!(
                "{} is absent: {} is not compared (a clone alone)",
                shared.display(),
                copy.display()
            );
            continue;
        }
        same_tree(copy, shared);
    }
}

fn same_tree(copy: &Path, shared: &Path) {
    let ours = tree(copy);
    let theirs = tree(shared);
    let only_ours: Vec<_> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    let only_theirs: Vec<_> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
    let differ: Vec<_> = ours
        .iter()
        .filter(|(k, v)| theirs.get(*k).is_some_and(|t| t != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty() && differ.is_empty(),
        "{} differs from {}: only in the repository {only_ours:?}, \
         only in shared {only_theirs:?}, different {differ:?} \
         (refresh with: rm -r {0} && cp -r {1} {0})",
        copy.display(),
        shared.display()
    );
}

/// The runner reads `podStats.<pod>.containers` (NOTES.md): the eviction
/// message names the container whose working set is above its request,
/// as `TestMemoryPressure_VerifyPodStatus` expects. Without container
/// stats the message has no container part; a wrong expectation fails.
#[test]
fn eviction_runner_reads_container_stats() {
    let case = |containers: serde_json::Value, message: &str| {
        serde_json::json!({
            "name": "container stats",
            "kind": "evictionRun",
            "config": {"evictionHard": {"memory.available": "2Gi"}, "evictionPressureTransitionPeriod": "5m0s"},
            "pods": [
                {"metadata": {"name": "below-requests", "namespace": "default"},
                 "spec": {"priority": 0, "containers": [{"name": "below-requests",
                   "resources": {"requests": {"memory": "1Gi"}, "limits": {"memory": "1Gi"}}}]}},
                {"metadata": {"name": "above-requests", "namespace": "default"},
                 "spec": {"priority": 0, "containers": [{"name": "above-requests",
                   "resources": {"requests": {"memory": "100Mi"}, "limits": {"memory": "1Gi"}}}]}}
            ],
            "podStats": {
                "default/below-requests": {"memoryWorkingSet": "500Mi"},
                "default/above-requests": {"memoryWorkingSet": "700Mi", "containers": containers}
            },
            "steps": [{
                "at": "0s",
                "observations": {"memory.available": {"available": "1500Mi", "capacity": "4Gi"}},
                "expect": {"conditions": ["MemoryPressure"], "evict": {"podStatus": {
                    "phase": "Failed", "reason": "Evicted", "message": message,
                    "conditions": [{"type": "DisruptionTarget", "status": "True",
                                    "reason": "TerminationByKubelet", "message": message}]}}}
            }]
        })
    };
    let with = "The node was low on resource: memory. Threshold quantity: 2Gi, available: 1500Mi. Container above-requests was using 700Mi, request is 100Mi, has larger consumption of memory. ";
    let without =
        "The node was low on resource: memory. Threshold quantity: 2Gi, available: 1500Mi. ";
    let stats = serde_json::json!({"above-requests": {"memoryWorkingSet": "700Mi"}});
    kubelogic_conformance::eviction::run_run(case(stats.clone(), with)).unwrap();
    kubelogic_conformance::eviction::run_run(case(serde_json::Value::Null, without)).unwrap();
    assert!(kubelogic_conformance::eviction::run_run(case(stats, without)).is_err());
}

/// `kubernetesVersion` selects a release's default gates for every kind
/// that reads gates, not only scheduling: PodLevelResources is off before
/// v1.34, so pod-level `spec.resources` do not make the pod Guaranteed.
#[test]
fn kubernetes_version_selects_the_gates_of_qos_cases() {
    let case = |version: Option<&str>, class: &str| {
        let mut c = serde_json::json!({
            "kind": "qos",
            "pod": {"spec": {"resources": {"requests": {"cpu": "1", "memory": "1Gi"},
                                           "limits": {"cpu": "1", "memory": "1Gi"}},
                             "containers": [{"name": "app"}]}},
            "expect": {"qosClass": class}
        });
        if let Some(v) = version {
            c["kubernetesVersion"] = v.into();
        }
        c
    };
    let run = kubelogic_conformance::cases::run_case;
    run(case(None, "Guaranteed")).unwrap();
    run(case(Some("v1.34"), "Guaranteed")).unwrap();
    run(case(Some("v1.33"), "BestEffort")).unwrap();
    assert!(run(case(Some("v1.33"), "Guaranteed")).is_err());
}
