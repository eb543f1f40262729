//! One scheduling decision (`schedule()` over the whole snapshot, every node
//! filtered and scored) and `place_all` throughput, on synthetic clusters
//! shaped like kube-scheduler's scheduler_perf workloads: 5,000 nodes
//! (4 cpu, 32Gi, 110 pods, three zones) with 1,000–5,000 existing pods, and
//! incoming pods with
//!
//! - (a) `requests`: only requests (SchedulingBasic);
//! - (b) `node_affinity`: required node affinity on the zone (SchedulingNodeAffinity);
//! - (c) `pod_anti_affinity`: required pod anti-affinity on the hostname (SchedulingPodAntiAffinity);
//! - (d) `preferred_pod_affinity`: preferred pod affinity on the hostname (SchedulingPreferredPodAffinity);
//! - (e) `topology_spread`: a DoNotSchedule spread over zones (SchedulingTopologySpreading).
//!
//! Criterion's throughput is pods per second (one element = one pod).
//!
//! ```text
//! cargo bench -p kubelogic-benches --bench scheduler
//! ```
//!
//! Medians measured on the shared 2-core development machine (other jobs
//! running, so noisy), every node filtered and scored, one core:
//!
//! | shape | `schedule` pods/s | `place_all` pods/s |
//! |---|---|---|
//! | (a) requests, 1,000 pods | 613 (3,224 with `percentageOfNodesToScore` adaptive) | 585 |
//! | (b) node affinity, 5,000 pods | 461 | 454 |
//! | (c) required pod anti-affinity, 1,000 pods | 336 | 312 |
//! | (d) preferred pod affinity, 5,000 pods | 164 | 127 |
//! | (e) topology spread over zones, 5,000 pods | 444 | 329 |

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use kubelogic::model::{self, Node, Pod};
use kubelogic::scheduler::{place_all, schedule, Profile, Snapshot};
use kubelogic::FeatureGates;
use serde_json::{json, Value};

const NODES: usize = 5000;
const PLACED_PER_ITER: usize = 50;

fn node(i: usize) -> Node {
    let name = format!("node-{i:05}");
    let v = json!({
        "metadata": {"name": name, "labels": {
            "kubernetes.io/hostname": name,
            "topology.kubernetes.io/zone": format!("zone{}", i % 3 + 1)}},
        "status": {
            "allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"},
            "capacity": {"cpu": "4", "memory": "32Gi", "pods": "110"}}
    });
    model::from_value_at(&v, "node").expect("node")
}

fn pod_json(name: &str, labels: Value, affinity: Option<Value>, spread: Option<Value>) -> Value {
    let mut spec = json!({"containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10",
        "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}}}]});
    if let Some(a) = affinity {
        spec["affinity"] = a;
    }
    if let Some(s) = spread {
        spec["topologySpreadConstraints"] = s;
    }
    json!({"metadata": {"name": name, "namespace": "default", "labels": labels}, "spec": spec})
}

/// The pod template of a shape (name set by the caller).
fn template(shape: &str, name: &str) -> Pod {
    let v = match shape {
        "requests" => pod_json(name, json!({"app": "basic"}), None, None),
        "node_affinity" => pod_json(
            name,
            json!({"app": "na"}),
            Some(
                json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{
                    "key": "topology.kubernetes.io/zone", "operator": "In",
                    "values": ["zone1", "zone2"]}]}]}}}),
            ),
            None,
        ),
        "pod_anti_affinity" => pod_json(
            name,
            json!({"color": "green"}),
            Some(
                json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
                "labelSelector": {"matchLabels": {"color": "green"}},
                "topologyKey": "kubernetes.io/hostname"}]}}),
            ),
            None,
        ),
        "preferred_pod_affinity" => pod_json(
            name,
            json!({"foo": "bar"}),
            Some(
                json!({"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                "weight": 1,
                "podAffinityTerm": {"labelSelector": {"matchLabels": {"foo": "bar"}},
                    "topologyKey": "kubernetes.io/hostname"}}]}}),
            ),
            None,
        ),
        "topology_spread" => pod_json(
            name,
            json!({"color": "blue"}),
            None,
            Some(
                json!([{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": {"color": "blue"}}}]),
            ),
        ),
        other => panic!("unknown shape {other}"),
    };
    model::from_value_at(&v, "pod").expect("pod")
}

/// (shape, existing pods): scheduler_perf's initial pod counts.
const SHAPES: &[(&str, usize)] = &[
    ("requests", 1000),
    ("node_affinity", 5000),
    ("pod_anti_affinity", 1000),
    ("preferred_pod_affinity", 5000),
    ("topology_spread", 5000),
];

/// 5,000 nodes and `existing` pods of the shape spread over them round-robin.
fn cluster(shape: &str, existing: usize) -> Snapshot {
    let nodes: Vec<Node> = (0..NODES).map(node).collect();
    let pods: Vec<Pod> = (0..existing)
        .map(|i| {
            let mut p = template(shape, &format!("init-{i:05}"));
            p.spec.node_name = Some(format!("node-{:05}", i % NODES));
            p
        })
        .collect();
    Snapshot::new(nodes, pods, Vec::new(), FeatureGates::default())
}

fn bench(c: &mut Criterion) {
    let profile = Profile::default_profile(FeatureGates::default()).expect("default profile");
    let mut sampled = Profile::default_profile(FeatureGates::default()).expect("default profile");
    sampled.percentage_of_nodes_to_score = Some(0);

    let mut group = c.benchmark_group("schedule");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(1));
    for &(shape, existing) in SHAPES {
        let snap = cluster(shape, existing);
        let pod = template(shape, "incoming");
        let r = schedule(&snap, &pod, &profile);
        assert!(
            r.selected.is_some(),
            "{shape}: {:?} {:?}",
            r.error,
            r.message()
        );
        group.bench_function(format!("{shape}/{existing}_pods"), |b| {
            b.iter(|| black_box(schedule(black_box(&snap), black_box(&pod), &profile)))
        });
        if shape == "requests" {
            group.bench_function(format!("{shape}/{existing}_pods/sampled"), |b| {
                b.iter(|| black_box(schedule(black_box(&snap), black_box(&pod), &sampled)))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("place_all");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(PLACED_PER_ITER as u64));
    for &(shape, existing) in SHAPES {
        let snap = cluster(shape, existing);
        let pods: Vec<Pod> = (0..PLACED_PER_ITER)
            .map(|i| template(shape, &format!("new-{i:03}")))
            .collect();
        group.bench_function(format!("{shape}/{existing}_pods"), |b| {
            b.iter_batched(
                || snap.clone(),
                |mut s| black_box(place_all(&mut s, &pods, &profile)),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
