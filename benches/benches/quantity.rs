//! `Quantity` parse / canonical string / milli value over 1000 quantities
//! taken from real manifests (tests/data/bench/quantities.txt), beside the
//! `kube_quantity` crate doing the same work.
//!
//! Each iteration handles all 1000 quantities: divide the reported time by
//! 1000 for the cost per quantity (criterion also prints the throughput).
//!
//! ```text
//! cargo bench -p kubelogic-benches --bench quantity
//! ```

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kube_quantity::ParsedQuantity;
use kubelogic::Quantity;

fn quantities() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/bench/quantities.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    assert!(!lines.is_empty(), "{} is empty", path.display());
    for l in &lines {
        assert!(Quantity::parse(l).is_ok(), "kubelogic rejects {l:?}");
    }
    lines
}

fn bench(c: &mut Criterion) {
    let qs = quantities();
    let peer_ok = qs
        .iter()
        .filter(|s| ParsedQuantity::try_from(s.as_str()).is_ok())
        .count();
    eprintln!(
        "{} quantities; kube_quantity parses {peer_ok} of them",
        qs.len()
    );
    let mut g = c.benchmark_group("quantity");
    g.throughput(Throughput::Elements(qs.len() as u64));

    g.bench_function(BenchmarkId::new("parse", "kubelogic"), |b| {
        b.iter(|| {
            for s in &qs {
                let _ = black_box(Quantity::parse(black_box(s)));
            }
        })
    });
    g.bench_function(BenchmarkId::new("parse", "kube_quantity"), |b| {
        b.iter(|| {
            for s in &qs {
                let _ = black_box(ParsedQuantity::try_from(black_box(s.as_str())));
            }
        })
    });

    g.bench_function(BenchmarkId::new("parse+canonical", "kubelogic"), |b| {
        b.iter(|| {
            for s in &qs {
                if let Ok(q) = Quantity::parse(black_box(s)) {
                    black_box(q.canonical().len());
                }
            }
        })
    });
    g.bench_function(BenchmarkId::new("parse+to_string", "kubelogic"), |b| {
        b.iter(|| {
            for s in &qs {
                if let Ok(q) = Quantity::parse(black_box(s)) {
                    black_box(q.to_string());
                }
            }
        })
    });
    g.bench_function(BenchmarkId::new("parse+to_string", "kube_quantity"), |b| {
        b.iter(|| {
            for s in &qs {
                if let Ok(q) = ParsedQuantity::try_from(black_box(s.as_str())) {
                    black_box(q.to_string());
                }
            }
        })
    });

    g.bench_function(BenchmarkId::new("parse+milli_value", "kubelogic"), |b| {
        b.iter(|| {
            for s in &qs {
                if let Ok(q) = Quantity::parse(black_box(s)) {
                    black_box(q.milli_value());
                }
            }
        })
    });
    // kube_quantity has no MilliValue: the nearest is (q × 1000) as i64.
    g.bench_function(
        BenchmarkId::new("parse+milli_value", "kube_quantity"),
        |b| {
            b.iter(|| {
                for s in &qs {
                    if let Ok(q) = ParsedQuantity::try_from(black_box(s.as_str())) {
                        black_box((q * 1000i64).to_bytes_i64());
                    }
                }
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
