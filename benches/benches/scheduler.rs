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
//! Criterion medians on the 2-core development machine (quiet, one run of the
//! command above, 2026-11-23),
//! every node filtered and scored, one core; the target is 10× upstream's
//! scheduler_perf threshold for the shape (`test/integration/scheduler_perf/
//! {misc,affinity}/performance-config.yaml`, 5,000 nodes):
//!
//! | shape | `schedule` pods/s | `place_all` pods/s | upstream threshold | 10× |
//! |---|---|---|---|---|
//! | (a) requests, 1,000 pods | 3,358 (18,793 with `percentageOfNodesToScore` adaptive) | 3,230 | 270 | 2,700 |
//! | (b) node affinity, 5,000 pods | 2,620 | 2,386 | 220 | 2,200 |
//! | (c) required pod anti-affinity, 1,000 pods | 2,616 | 2,210 | 60 | 600 |
//! | (d) preferred pod affinity, 5,000 pods | 2,393 | 2,073 | 90 | 900 |
//! | (e) topology spread over zones, 5,000 pods | 2,891 | 2,424 | 85 | 850 |
//!
//! `cargo run --release -p kubelogic-benches --example cycle_cpu` prints the
//! same decisions' CPU time, which holds up better on a busy machine.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use kubelogic::model::Pod;
use kubelogic::scheduler::{place_all, schedule, Profile};
use kubelogic::FeatureGates;
use kubelogic_benches::scheduler_perf::{cluster, template, SHAPES};

const PLACED_PER_ITER: usize = 50;

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
