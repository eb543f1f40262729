//! Fixed counts of snapshot builds and scheduling cycles, for instruction
//! counts under callgrind (repeatable where timings are not):
//!
//! ```text
//! valgrind --tool=callgrind target/release/examples/cycle_count SHAPE BUILDS CYCLES
//! ```
//!
//! The shape's 5,000 nodes and pods are read once; then the snapshot is
//! built BUILDS times and CYCLES cycles run on the last one. Two runs that
//! differ in one count give the cost of one build or one cycle.
use std::hint::black_box;

use kubelogic::model::{Node, Pod};
use kubelogic::scheduler::{schedule, Profile, Snapshot};
use kubelogic::FeatureGates;
use kubelogic_benches::scheduler_perf::{node, pods, template, NODES, SHAPES};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let shape = args.get(1).map_or("requests", String::as_str);
    let count = |i: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(1u32);
    let (builds, cycles) = (count(2), count(3));
    let &(name, existing) = SHAPES
        .iter()
        .find(|(s, _)| *s == shape)
        .expect("known shape");
    let profile = Profile::default_profile(FeatureGates::default()).expect("profile");
    let nodes: Vec<Node> = (0..NODES).map(node).collect();
    let pods: Vec<Pod> = pods(name, existing);
    let mut snap = None;
    for _ in 0..builds.max(1) {
        snap = Some(black_box(Snapshot::new(
            nodes.clone(),
            pods.clone(),
            Vec::new(),
            FeatureGates::default(),
        )));
    }
    let (Some(snap), pod) = (snap, template(name, "incoming")) else {
        return;
    };
    for _ in 0..cycles {
        black_box(schedule(black_box(&snap), black_box(&pod), &profile));
    }
}
