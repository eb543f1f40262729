//! One eviction-manager step on a node with 110 pods (the default max pods
//! per node) under memory pressure: thresholds, conditions, ranking of all
//! 110 pods and the choice of the victim with its message.
//!
//! `cargo bench -p kubelogic-benches --bench eviction`
//!
//! Each bench runs twice: with criterion's wall clock, and with the
//! thread's CPU time (`/proc/thread-self/schedstat`, Linux), which stays
//! meaningful when other processes share the cores.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use kubelogic::eviction::{
    rank_pods, ContainerStats, Duration, EvictionConfig, EvictionContainer, EvictionManager,
    EvictionPod, ManagerOptions, Observation, Observations, PodStats, RankComparator, Signal,
    StarvedResource, StepInput,
};
use kubelogic::{Format, Quantity};

const MI: i64 = 1 << 20;

fn pods() -> Vec<EvictionPod> {
    (0..110)
        .map(|i: i64| {
            let mut p = EvictionPod::new("default", &format!("pod-{i:03}"));
            p.priority = (i % 3) as i32 - 1;
            let request = match i % 3 {
                0 => None,                     // BestEffort
                1 => Some(64 + (i % 7) * 32),  // Burstable
                _ => Some(256 + (i % 5) * 64), // Guaranteed-like
            };
            if let Some(r) = request {
                p.memory_request = Quantity::from_value(r * MI, Format::BinarySI).into();
                p.best_effort = false;
            }
            p.containers.push(EvictionContainer {
                name: "app".into(),
                memory_request: request.map(|r| Quantity::from_value(r * MI, Format::BinarySI)),
                ..Default::default()
            });
            let ws = ((i * 37) % 400 + 20) as u64 * (1 << 20);
            p.stats = Some(PodStats {
                memory_working_set: Some(ws),
                containers: vec![ContainerStats {
                    name: "app".into(),
                    memory_working_set: Some(ws),
                    ..Default::default()
                }],
                ..Default::default()
            });
            p
        })
        .collect()
}

/// The calling thread's CPU time in nanoseconds (`/proc/thread-self/schedstat`),
/// `None` where unavailable. The kernel updates it at scheduler ticks, so
/// it is read around long runs only.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
}

/// Runs `f` at least 20000 times and returns the CPU time of `iters` runs
/// (scaled), or the wall time where CPU time is unavailable.
fn cpu_time_of<F: FnMut()>(iters: u64, mut f: F) -> std::time::Duration {
    let runs = iters.max(20_000);
    let wall = std::time::Instant::now();
    let start = thread_cpu_ns();
    for _ in 0..runs {
        f();
    }
    let total = match (start, thread_cpu_ns()) {
        (Some(a), Some(b)) => u128::from(b.saturating_sub(a)),
        _ => wall.elapsed().as_nanos(),
    };
    let scaled = total * u128::from(iters) / u128::from(runs);
    std::time::Duration::from_nanos(u64::try_from(scaled).unwrap_or(u64::MAX))
}

fn bench(c: &mut Criterion) {
    step_bench(c, "eviction/step_110_pods_memory_pressure", false);
}

fn bench_cpu(c: &mut Criterion) {
    step_bench(
        c,
        "eviction/step_110_pods_memory_pressure (thread CPU time)",
        true,
    );
    rank_bench(c, "eviction/rank_110_pods_memory (thread CPU time)", true);
}

fn step_bench(c: &mut Criterion, name: &str, cpu: bool) {
    let config = EvictionConfig::from_flags([
        "--eviction-hard=memory.available<500Mi,nodefs.available<10%",
        "--eviction-soft=memory.available<1Gi",
        "--eviction-soft-grace-period=memory.available=1m30s",
    ])
    .expect("flags");
    let mut manager = EvictionManager::new(config, ManagerOptions::default()).expect("manager");
    let pods = pods();
    let observations: Observations = [
        (
            Signal::MemoryAvailable,
            Observation {
                available: 300 * MI,
                capacity: Some(32 << 30),
            },
        ),
        (
            Signal::AllocatableMemoryAvailable,
            Observation {
                available: 300 * MI,
                capacity: Some(31 << 30),
            },
        ),
        (
            Signal::NodeFsAvailable,
            Observation {
                available: 50 << 30,
                capacity: Some(100 << 30),
            },
        ),
    ]
    .into_iter()
    .collect();
    let mut t = 0i64;
    c.bench_function(name, |b| {
        let mut run = || {
            t += 10;
            let input = StepInput::new(Duration::from_secs(t), &observations, &pods);
            let r = manager.step(black_box(&input));
            debug_assert!(r.victim().is_some());
            black_box(r);
        };
        if cpu {
            b.iter_custom(|iters| cpu_time_of(iters, &mut run));
        } else {
            b.iter(&mut run);
        }
    });
}

fn bench_rank(c: &mut Criterion) {
    rank_bench(c, "eviction/rank_110_pods_memory", false);
}

fn rank_bench(c: &mut Criterion, name: &str, cpu: bool) {
    let pods = pods();
    c.bench_function(name, |b| {
        let mut run = || {
            black_box(rank_pods(
                black_box(&pods),
                StarvedResource::Memory,
                &[],
                &RankComparator::MEMORY,
            ));
        };
        if cpu {
            b.iter_custom(|iters| cpu_time_of(iters, &mut run));
        } else {
            b.iter(&mut run);
        }
    });
}

criterion_group!(benches, bench, bench_rank);
criterion_group! {
    name = cpu;
    config = Criterion::default().sample_size(20);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
