//! InterPodAffinity and PodTopologySpread over a synthetic cluster shaped
//! like kube-scheduler's scheduler_perf workloads: 5,000 nodes in 3 zones,
//! 5,000 running pods with labels (a tenth with pod (anti-)affinity terms
//! of their own, for the symmetric checks).
//!
//! One iteration is one scheduling decision for one plugin: PreFilter +
//! Filter on every node, or PreScore + Score on every node + NormalizeScore.
//! Criterion's time per iteration is the µs per decision. The `scan/`
//! variants run the same decisions with the snapshot's indexes marked stale
//! (every pod visited, as upstream does), for comparison.
//!
//! ```text
//! cargo bench -p kubelogic-benches --bench affinity
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use kubelogic::model::{self, Node, Pod};
use kubelogic::scheduler::framework::{CycleState, NodeScore};
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::{NodeInfo, Plugin, PodInfo, Snapshot};
use kubelogic::FeatureGates;
use serde_json::{json, Value};

const NODES: usize = 5_000;
const PODS: usize = 5_000;
const ZONES: usize = 3;
const APPS: usize = 50;

fn node(i: usize) -> Node {
    model::from_value(&json!({
        "metadata": {"name": format!("node-{i}"), "labels": {
            "kubernetes.io/hostname": format!("node-{i}"),
            "topology.kubernetes.io/zone": format!("zone-{}", i % ZONES),
        }},
        "status": {"allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110"}}
    }))
    .expect("node")
}

fn existing_pod(i: usize) -> Pod {
    let app = format!("app-{}", i % APPS);
    let mut spec =
        json!({"nodeName": format!("node-{}", (i * 7) % NODES), "containers": [{"name": "c"}]});
    if i % 10 == 0 {
        spec["affinity"] = json!({
            "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": "kubernetes.io/hostname"}]},
            "podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 10, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": app}},
                 "topologyKey": "topology.kubernetes.io/zone"}}]}
        });
    }
    model::from_value(&json!({
        "metadata": {"name": format!("pod-{i}"), "namespace": "default",
                     "labels": {"app": app, "tier": if i % 2 == 0 { "web" } else { "db" }}},
        "spec": spec
    }))
    .expect("pod")
}

fn incoming(spec: Value) -> Pod {
    model::from_value(&json!({
        "metadata": {"name": "incoming", "namespace": "default", "labels": {"app": "app-7", "tier": "web"}},
        "spec": spec
    }))
    .expect("incoming pod")
}

fn snapshot() -> Snapshot {
    let nodes = (0..NODES).map(node).collect();
    let pods = (0..PODS).map(existing_pod).collect();
    Snapshot::new(nodes, pods, vec![], FeatureGates::default())
}

fn filter_decision(plugin: &dyn Plugin, pod: &PodInfo, snap: &Snapshot) -> usize {
    let mut state = CycleState::new();
    let pf = plugin.as_pre_filter().expect("PreFilter");
    let (_, status) = pf.pre_filter(&mut state, pod, snap);
    if status.is_skip() {
        return snap.nodes().len();
    }
    let f = plugin.as_filter().expect("Filter");
    snap.nodes()
        .iter()
        .filter(|n| f.filter(&state, pod, n).is_success())
        .count()
}

fn score_decision(plugin: &dyn Plugin, pod: &PodInfo, snap: &Snapshot, nodes: &[&NodeInfo]) -> i64 {
    let mut state = CycleState::new();
    let ps = plugin.as_pre_score().expect("PreScore");
    if ps.pre_score(&mut state, pod, nodes, snap).is_skip() {
        return 0;
    }
    let s = plugin.as_score().expect("Score");
    let mut scores: Vec<NodeScore<'_>> = nodes
        .iter()
        .map(|n| NodeScore {
            name: n.name(),
            score: s.score(&state, pod, n).unwrap_or(0),
        })
        .collect();
    let _ = s.normalize(&state, pod, &mut scores);
    scores.iter().map(|s| s.score).max().unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let gates = FeatureGates::default();
    let snap = snapshot();
    let all: Vec<&NodeInfo> = snap.nodes().iter().collect();
    let ipa = new_plugin("InterPodAffinity", None, &gates).expect("plugin");
    let pts = new_plugin(
        "PodTopologySpread",
        Some(&json!({"defaultingType": "List"})),
        &gates,
    )
    .expect("plugin");

    let anti = PodInfo::new(
        incoming(
            json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": "app-7"}}, "topologyKey": "kubernetes.io/hostname"}]}}}),
        ),
        &gates,
    );
    let preferred = PodInfo::new(
        incoming(
            json!({"affinity": {"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 5, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "app-7"}},
             "topologyKey": "topology.kubernetes.io/zone"}}]}}}),
        ),
        &gates,
    );
    let spread = PodInfo::new(
        incoming(json!({"topologySpreadConstraints": [
            {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
             "labelSelector": {"matchLabels": {"app": "app-7"}}},
            {"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway",
             "labelSelector": {"matchLabels": {"app": "app-7"}}}]})),
        &gates,
    );

    let mut g = c.benchmark_group("affinity_5000_nodes_5000_pods");
    g.sample_size(30);
    g.bench_function(
        "InterPodAffinity/required_anti_affinity/PreFilter+Filter",
        |b| b.iter(|| black_box(filter_decision(ipa.as_ref(), &anti, &snap))),
    );
    g.bench_function("InterPodAffinity/preferred_affinity/PreScore+Score", |b| {
        b.iter(|| black_box(score_decision(ipa.as_ref(), &preferred, &snap, &all)))
    });
    g.bench_function("PodTopologySpread/zone_spread/PreFilter+Filter", |b| {
        b.iter(|| black_box(filter_decision(pts.as_ref(), &spread, &snap)))
    });
    g.bench_function("PodTopologySpread/zone_spread/PreScore+Score", |b| {
        b.iter(|| black_box(score_decision(pts.as_ref(), &spread, &snap, &all)))
    });
    // The same decisions with the snapshot's indexes marked stale: every
    // node and pod scanned, as upstream does (for comparison).
    let mut scanned = snap.clone();
    let _ = scanned.nodes_mut();
    let scanned_all: Vec<&NodeInfo> = scanned.nodes().iter().collect();
    g.bench_function(
        "scan/InterPodAffinity/required_anti_affinity/PreFilter+Filter",
        |b| b.iter(|| black_box(filter_decision(ipa.as_ref(), &anti, &scanned))),
    );
    g.bench_function(
        "scan/InterPodAffinity/preferred_affinity/PreScore+Score",
        |b| {
            b.iter(|| {
                black_box(score_decision(
                    ipa.as_ref(),
                    &preferred,
                    &scanned,
                    &scanned_all,
                ))
            })
        },
    );
    g.bench_function("scan/PodTopologySpread/zone_spread/PreFilter+Filter", |b| {
        b.iter(|| black_box(filter_decision(pts.as_ref(), &spread, &scanned)))
    });
    g.bench_function("scan/PodTopologySpread/zone_spread/PreScore+Score", |b| {
        b.iter(|| {
            black_box(score_decision(
                pts.as_ref(),
                &spread,
                &scanned,
                &scanned_all,
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
