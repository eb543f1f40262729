//! Filter + Score of the node and resource plugins per node, over a
//! 5,000-node synthetic cluster with 5,000 bound pods (scheduler_perf-like:
//! three zones, some tainted nodes, images, host ports).
//!
//! Each iteration is one scheduling cycle of one plugin: PreFilter (if any),
//! Filter on every node, PreScore over every node, Score on every node.
//! Throughput is reported in nodes; time per node = time / 5,000.
//!
//! `cargo bench -p kubelogic-benches --bench plugins`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kubelogic::model::{self, Node, Pod};
use kubelogic::scheduler::framework::CycleState;
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::{NodeInfo, PodInfo, Snapshot};
use kubelogic::FeatureGates;
use serde_json::{json, Value};

const NODES: usize = 5_000;
const PODS: usize = 5_000;
const ZONES: [&str; 3] = ["zone-a", "zone-b", "zone-c"];

fn node(i: usize) -> Node {
    let zone = ZONES[i % ZONES.len()];
    let mut taints = Vec::new();
    if i % 10 == 0 {
        taints.push(json!({"key": "dedicated", "value": "infra", "effect": "NoSchedule"}));
    }
    if i % 5 == 0 {
        taints.push(json!({"key": "spot", "value": "true", "effect": "PreferNoSchedule"}));
    }
    let v = json!({
        "metadata": {"name": format!("node-{i}"), "labels": {
            "kubernetes.io/hostname": format!("node-{i}"),
            "topology.kubernetes.io/zone": zone,
            "disktype": if i % 2 == 0 { "ssd" } else { "hdd" },
        }},
        "spec": {"taints": taints},
        "status": {
            "allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110",
                            "ephemeral-storage": "100Gi", "example.com/gpu": if i % 4 == 0 { "4" } else { "0" }},
            "images": [
                {"names": ["registry.k8s.io/pause:3.10"], "sizeBytes": 700_000},
                {"names": [format!("app:v{}", i % 7)], "sizeBytes": 300 * 1024 * 1024},
            ],
        },
    });
    model::from_value(&v).expect("node")
}

fn bound_pod(i: usize) -> Pod {
    let v = json!({
        "metadata": {"name": format!("existing-{i}"), "namespace": "default", "labels": {"app": "existing"}},
        "spec": {"nodeName": format!("node-{}", i % NODES), "containers": [{
            "name": "c", "image": "app:v1",
            "resources": {"requests": {"cpu": format!("{}m", 100 + (i % 10) * 100), "memory": "512Mi"}},
            "ports": if i % 50 == 0 { json!([{"containerPort": 80, "hostPort": 8080}]) } else { json!([]) },
        }]},
    });
    model::from_value(&v).expect("pod")
}

fn incoming() -> Pod {
    let v = json!({
        "metadata": {"name": "incoming", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "containers": [{"name": "web", "image": "app:v3",
                            "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}},
                            "ports": [{"containerPort": 80, "hostPort": 9090}]}],
            "tolerations": [{"key": "spot", "operator": "Exists", "effect": "NoSchedule"}],
            "affinity": {"nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In",
                                           "values": ["zone-a", "zone-b", "zone-c"]}]}]},
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 10, "preference": {"matchExpressions": [
                        {"key": "disktype", "operator": "In", "values": ["ssd"]}]}}],
            }},
        },
    });
    model::from_value(&v).expect("pod")
}

fn cluster(gates: FeatureGates) -> Snapshot {
    let nodes = (0..NODES).map(node).collect();
    let pods = (0..PODS).map(bound_pod).collect();
    Snapshot::new(nodes, pods, Vec::new(), gates)
}

fn configs() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("TaintToleration", "TaintToleration", Value::Null),
        ("NodeAffinity", "NodeAffinity", Value::Null),
        ("NodePorts", "NodePorts", Value::Null),
        ("ImageLocality", "ImageLocality", Value::Null),
        (
            "NodeResourcesFit/LeastAllocated",
            "NodeResourcesFit",
            Value::Null,
        ),
        (
            "NodeResourcesFit/MostAllocated",
            "NodeResourcesFit",
            json!({"scoringStrategy": {"type": "MostAllocated"}}),
        ),
        (
            "NodeResourcesFit/RequestedToCapacityRatio",
            "NodeResourcesFit",
            json!({"scoringStrategy": {"type": "RequestedToCapacityRatio",
                   "requestedToCapacityRatio": {"shape": [{"utilization": 0, "score": 0},
                                                          {"utilization": 100, "score": 10}]}}}),
        ),
        (
            "NodeResourcesBalancedAllocation",
            "NodeResourcesBalancedAllocation",
            Value::Null,
        ),
    ]
}

fn bench_plugins(c: &mut Criterion) {
    let gates = FeatureGates::default();
    let snap = cluster(gates);
    let pod = PodInfo::new(incoming(), &gates);
    let nodes: Vec<&NodeInfo> = snap.nodes().iter().collect();
    let mut group = c.benchmark_group("plugins-filter+score-5000-nodes");
    group.throughput(Throughput::Elements(NODES as u64));
    group.sample_size(30);
    for (label, name, args) in configs() {
        let plugin = new_plugin(name, Some(&args), &gates).expect("plugin");
        let mut scores = vec![0i64; NODES];
        group.bench_function(label, |b| {
            b.iter(|| {
                let mut state = CycleState::new();
                let mut skip_filter = false;
                if let Some(pf) = plugin.as_pre_filter() {
                    let (_, s) = pf.pre_filter(&mut state, &pod, &snap);
                    skip_filter = s.is_skip();
                }
                let mut feasible = 0usize;
                if let (Some(f), false) = (plugin.as_filter(), skip_filter) {
                    for n in &nodes {
                        if f.filter(&state, &pod, n).is_success() {
                            feasible += 1;
                        }
                    }
                }
                if let Some(ps) = plugin.as_pre_score() {
                    let s = ps.pre_score(&mut state, &pod, &nodes, &snap);
                    if let (Some(sc), false) = (plugin.as_score(), s.is_skip()) {
                        for (slot, n) in scores.iter_mut().zip(&nodes) {
                            *slot = sc.score(&state, &pod, n).unwrap_or(0);
                        }
                    }
                }
                black_box((feasible, &scores));
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_plugins);
criterion_main!(benches);
