//! `cargo run -p kubelogic --example quantity -- 1.5Gi 100m 1K`
//!
//! Prints each quantity's canonical form, format, value and milli value, as
//! Kubernetes computes them, or the parse error.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: quantity QUANTITY...   e.g. 1.5Gi 100m 0.1m 1K");
        std::process::exit(2);
    }
    let mut failed = false;
    for arg in &args {
        match arg.parse::<kubelogic::Quantity>() {
            Ok(q) => {
                let show = |v: Option<i64>| {
                    v.map_or_else(|| "does not fit in i64".to_owned(), |v| v.to_string())
                };
                println!(
                    "{arg:>12} => {q:<12} format={:<15} value={} milliValue={}",
                    q.format().as_str(),
                    show(q.value()),
                    show(q.milli_value())
                );
            }
            Err(e) => {
                failed = true;
                println!("{arg:>12} => error: {e}");
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
