//! `model::parse_objects` on a realistic cluster dump (`kubectl get
//! nodes,pods -A -o json` of 100 nodes and 3,000 pods, about 10 MB:
//! managedFields, probes, status), beside the floor: serde_json checking the
//! same text into `IgnoredAny`. The target is at most 4× the floor
//! (issue 13). The peak memory of a whole 1,000-node dump is measured by
//! the `parse_memory` example, not here.
//!
//! ```text
//! cargo bench -p kubelogic-benches --bench parse_objects
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kubelogic_benches::cluster_dump;

fn bench(c: &mut Criterion) {
    let text = cluster_dump::generate(100, 30);
    let mut group = c.benchmark_group("parse_objects/100_nodes_3000_pods");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("kubelogic", |b| {
        b.iter(|| {
            let objects = kubelogic::model::parse_objects(black_box(&text)).expect("dump");
            black_box(objects.pods.len())
        })
    });
    group.bench_function("serde_json_ignored_any", |b| {
        b.iter(|| {
            let v: serde::de::IgnoredAny = serde_json::from_str(black_box(&text)).expect("json");
            black_box(v)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
