//! Reading a 1,000-pod `kubectl get pods -A -o json` document and classifying
//! every pod: JSON → model → QoS class (and, separately, the classification
//! and the scheduler's per-pod accounting and Priority admission alone).
//! Throughput is in pods.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use kubelogic::admission::admit_priority;
use kubelogic::model::{self, Pod, PriorityClass};
use kubelogic::qos;
use kubelogic::resources::{self, PodResourcesOptions};
use kubelogic::scheduler::types::calculate_resource;
use serde_json::Value;

const PODS: usize = 1000;

/// The realistic fixture of the integration test (10 pods: system pods,
/// sidecars, init containers, pod-level resources...), repeated with
/// distinct names into a `List` of 1,000 pods.
fn document() -> String {
    let fixture: Value =
        serde_json::from_str(include_str!("../../tests/data/pods-all-namespaces.json"))
            .expect("fixture is JSON");
    let items = fixture["items"].as_array().expect("items").clone();
    let mut out = Vec::with_capacity(PODS);
    for i in 0..PODS {
        let mut pod = items[i % items.len()].clone();
        let name = format!("{}-{i}", pod["metadata"]["name"].as_str().unwrap_or("pod"));
        pod["metadata"]["name"] = Value::String(name);
        out.push(pod);
    }
    serde_json::to_string(&serde_json::json!({"apiVersion": "v1", "kind": "List", "items": out}))
        .expect("serializes")
}

fn bench(c: &mut Criterion) {
    let doc = document();
    let pods: Vec<Pod> = model::parse_objects(&doc).expect("parses").pods;
    assert_eq!(pods.len(), PODS);

    let mut g = c.benchmark_group("manifest_qos");
    g.throughput(Throughput::Elements(PODS as u64));
    g.bench_function("parse_and_classify_1000_pods", |b| {
        b.iter(|| {
            let objects = model::parse_objects(black_box(&doc)).expect("parses");
            objects
                .pods
                .iter()
                .map(|p| qos::qos_class(p) as u8 as usize)
                .sum::<usize>()
        })
    });
    g.bench_function("parse_only_1000_pods", |b| {
        b.iter(|| {
            model::parse_objects(black_box(&doc))
                .expect("parses")
                .pods
                .len()
        })
    });
    g.bench_function("classify_1000_pods", |b| {
        b.iter(|| {
            black_box(&pods)
                .iter()
                .map(|p| qos::qos_class(p) as u8 as usize)
                .sum::<usize>()
        })
    });
    g.bench_function("oom_score_adj_1000_pods", |b| {
        let opts = kubelogic::FeatureGates::default();
        b.iter(|| {
            black_box(&pods)
                .iter()
                .filter_map(|p| {
                    let c = p.spec.containers.first()?;
                    qos::oom_score_adj(p, &c.name, 16 << 30, &opts).ok()
                })
                .map(i64::from)
                .sum::<i64>()
        })
    });
    g.bench_function("pod_requests_1000_pods", |b| {
        let opts = PodResourcesOptions::default();
        b.iter(|| {
            black_box(&pods)
                .iter()
                .map(|p| resources::pod_requests(p, &opts).len())
                .sum::<usize>()
        })
    });
    g.bench_function("scheduler_summary_1000_pods", |b| {
        let gates = kubelogic::FeatureGates::default();
        b.iter(|| {
            black_box(&pods)
                .iter()
                .map(|p| calculate_resource(p, &gates).non_zero_milli_cpu)
                .sum::<i64>()
        })
    });
    g.bench_function("admit_priority_1000_pods", |b| {
        let classes: Vec<PriorityClass> = ["low", "high", "batch"]
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let v = serde_json::json!({"metadata": {"name": name},
                    "value": i * 1000, "globalDefault": i == 0});
                model::from_value_at(&v, "class").expect("class")
            })
            .collect();
        b.iter_batched_ref(
            || pods.clone(),
            |pods| {
                pods.iter_mut()
                    .map(|p| admit_priority(p, &classes).is_ok())
                    .filter(|ok| *ok)
                    .count()
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
