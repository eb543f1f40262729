//! Peak resident memory of `model::parse_objects` on a generated cluster
//! dump, against the size of the dump itself (issue 13: at most 2.5×), and
//! its speed against serde_json checking the same text (`IgnoredAny`).
//!
//! ```text
//! cargo run --release -p kubelogic-benches --example parse_memory -- generate 1000 30 /tmp/dump.json
//! cargo run --release -p kubelogic-benches --example parse_memory -- parse /tmp/dump.json
//! cargo run --release -p kubelogic-benches --example parse_memory -- ignored /tmp/dump.json
//! ```
//!
//! Each `parse`/`ignored` run is a fresh process: its peak resident set
//! (`VmHWM` in `/proc/self/status`, Linux) includes the document text.
#![allow(clippy::expect_used, clippy::panic)]

use std::time::Instant;

fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", nodes, pods_per_node, path] => {
            let text = kubelogic_benches::cluster_dump::generate(
                nodes.parse().expect("nodes"),
                pods_per_node.parse().expect("pods per node"),
            );
            std::fs::write(path, &text).expect("write");
            println!("{} bytes", text.len());
        }
        [mode @ ("parse" | "ignored"), path] => {
            let text = std::fs::read_to_string(path).expect("read");
            let start = Instant::now();
            let what = if *mode == "parse" {
                let objects = kubelogic::model::parse_objects(&text).expect("dump");
                format!("{} nodes, {} pods", objects.nodes.len(), objects.pods.len())
            } else {
                let _: serde::de::IgnoredAny = serde_json::from_str(&text).expect("json");
                "checked".to_owned()
            };
            let secs = start.elapsed().as_secs_f64();
            let peak = peak_rss_bytes().unwrap_or(0);
            #[allow(clippy::cast_precision_loss)]
            let (mb, ratio) = (text.len() as f64 / 1e6, peak as f64 / text.len() as f64);
            println!(
                "{mode}: {what}; {mb:.1} MB in {:.3} s ({:.0} MB/s); peak RSS {} bytes = {ratio:.2}x the document",
                secs,
                mb / secs,
                peak
            );
        }
        _ => panic!(
            "usage: parse_memory generate NODES PODS_PER_NODE PATH | parse PATH | ignored PATH"
        ),
    }
}
