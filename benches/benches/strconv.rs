//! `eviction::Percentage::parse` (Go's `ParseFloat(s, 32)` then `/ 100`, as
//! the kubelet's `parsePercentage`) beside `str::parse::<f32>` (the floor) on
//! the eviction percentages kubelets are configured with, and on a 40-digit
//! mantissa that needs the slow path everywhere.
//!
//! Each iteration parses every text of its set once.
//!
//! ```text
//! cargo bench -p kubelogic-benches --bench strconv
//! ```

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kubelogic::eviction::Percentage;

const PERCENTAGES: [&str; 8] = ["10%", "5%", "15%", "7.5%", "0.1%", "25.5%", "100%", "1e-3%"];
const LONG: [&str; 1] = ["3.402823466385288598117041834845169254401e38%"];

fn bench(c: &mut Criterion) {
    for (name, texts) in [("percentages", &PERCENTAGES[..]), ("long", &LONG[..])] {
        let mut group = c.benchmark_group(format!("parse_float32/{name}"));
        group.throughput(Throughput::Elements(texts.len() as u64));
        group.bench_function("kubelogic", |b| {
            b.iter(|| {
                for s in texts {
                    black_box(Percentage::parse(black_box(s)).ok());
                }
            })
        });
        group.bench_function("std", |b| {
            b.iter(|| {
                for s in texts {
                    black_box(black_box(s).trim_end_matches('%').parse::<f32>().ok());
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
