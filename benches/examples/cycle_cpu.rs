//! CPU time per scheduling decision on the scheduler_perf shapes, read from
//! the thread's own CPU clock (`/proc/thread-self/schedstat`), so a figure
//! stays meaningful on a machine busy with other work (criterion's wall
//! clock does not). Prints pods/s per shape.
//!
//! ```text
//! cargo run --release -p kubelogic-benches --example cycle_cpu [-- SHAPE...]
//! ```

use std::hint::black_box;
use std::time::Instant;

use kubelogic::scheduler::{schedule, Profile};
use kubelogic::FeatureGates;
use kubelogic_benches::scheduler_perf::{cluster, template, SHAPES};

/// Nanoseconds this thread has run on a CPU, when the kernel tells.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let only: Vec<String> = std::env::args().skip(1).collect();
    let profile = Profile::default_profile(FeatureGates::default()).expect("default profile");
    println!("shape                          existing  cpu µs/pod  pods/s (cpu)  wall µs/pod");
    for &(shape, existing) in SHAPES {
        if !only.is_empty() && !only.iter().any(|o| o == shape) {
            continue;
        }
        let snap = cluster(shape, existing);
        let pod = template(shape, "incoming");
        // Warm up, then batches of about 100 ms (the kernel's CPU clock may
        // tick coarsely); the median batch counts.
        let w0 = Instant::now();
        let mut warm = 0u32;
        while w0.elapsed().as_millis() < 200 {
            black_box(schedule(&snap, &pod, &profile));
            warm += 1;
        }
        let batch = (warm / 2).max(1);
        let mut cpu = Vec::new();
        let mut wall = Vec::new();
        for _ in 0..11 {
            let (c0, w0) = (thread_cpu_ns(), Instant::now());
            for _ in 0..batch {
                black_box(schedule(black_box(&snap), black_box(&pod), &profile));
            }
            let w = w0.elapsed().as_nanos() as f64 / f64::from(batch);
            if let (Some(c0), Some(c1)) = (c0, thread_cpu_ns()) {
                cpu.push((c1 - c0) as f64 / f64::from(batch));
            }
            wall.push(w);
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
        };
        let (c, w) = (median(&mut cpu), median(&mut wall));
        println!(
            "{shape:<30} {existing:>8}  {:>10.1}  {:>12.0}  {:>11.1}",
            c / 1e3,
            1e9 / c,
            w / 1e3
        );
    }
}
