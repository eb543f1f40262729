//! The conformance harness: reads the shared vector files (JSON arrays of
//! cases with a `kind`, or JSON Lines of quantity cases) and checks every
//! case against kubelogic.
//!
//! The contract (../shared/conformance/README.md): one line per failing case,
//! a last line `N passed, M failed`, a failure for any unreadable file,
//! unknown `kind` or unknown field. `name`, `source` and fields starting with
//! `_` are information for people and are never checked.
#![forbid(unsafe_code)]

pub mod cases;
pub mod eviction;
pub mod qos;
pub mod quantity;
pub mod resources;
pub mod scheduling;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The repository's copy of the public vectors (identical to
/// `../shared/conformance`; `tests/tests/conformance.rs` checks it).
pub const IN_REPO_VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/conformance");

/// One failing case.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The file the case came from.
    pub file: PathBuf,
    /// The case's name, or its input for JSON Lines cases.
    pub case: String,
    /// What was expected and what came out.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FAIL {}: {}: {}",
            self.file.display(),
            self.case,
            self.message
        )
    }
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Report {
    /// Cases that passed.
    pub passed: usize,
    /// Every failing case, in file order.
    pub failures: Vec<Failure>,
    /// Cases not run because their kind is pending ([`cases::PENDING_KINDS`]):
    /// kind → (the issue that implements it, how many cases).
    pub pending: BTreeMap<String, (u32, usize)>,
}

impl Report {
    /// `N passed, M failed`, with `, K skipped` when kinds are pending.
    pub fn summary(&self) -> String {
        let skipped = self.skipped();
        if skipped == 0 {
            format!("{} passed, {} failed", self.passed, self.failures.len())
        } else {
            format!(
                "{} passed, {} failed, {skipped} skipped",
                self.passed,
                self.failures.len()
            )
        }
    }

    /// How many cases were not run because their kind is pending.
    pub fn skipped(&self) -> usize {
        self.pending.values().map(|&(_, n)| n).sum()
    }

    /// One line per pending kind: `skipped 42 cases of kind drain (issue 14: not implemented yet)`.
    pub fn pending_lines(&self) -> Vec<String> {
        self.pending
            .iter()
            .map(|(kind, (issue, n))| {
                format!("skipped {n} cases of kind `{kind}` (issue {issue}: not implemented yet)")
            })
            .collect()
    }

    fn record(&mut self, file: &Path, case: String, result: Result<(), String>) {
        match result {
            Ok(()) => self.passed += 1,
            Err(message) => self.failures.push(Failure {
                file: file.to_path_buf(),
                case,
                message,
            }),
        }
    }
}

/// Every `*.json` and `*.jsonl` file under `path` (or `path` itself), sorted.
pub fn collect_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                out.extend(collect_files(&p)?);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("json" | "jsonl")
            ) {
                out.push(p);
            }
        }
    } else if path.exists() {
        out.push(path.to_path_buf());
    } else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} does not exist", path.display()),
        ));
    }
    Ok(out)
}

/// Runs every case of every file under each path.
pub fn run_paths<P: AsRef<Path>>(paths: &[P]) -> Report {
    let mut report = Report::default();
    for path in paths {
        let path = path.as_ref();
        match collect_files(path) {
            Ok(files) => {
                for f in files {
                    run_file(&f, &mut report);
                }
            }
            Err(e) => report.record(path, "(path)".into(), Err(format!("cannot read: {e}"))),
        }
    }
    report
}

/// Runs every case of one file into `report`.
pub fn run_file(file: &Path, report: &mut Report) {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return report.record(file, "(file)".into(), Err(format!("cannot read: {e}"))),
    };
    if file.extension().and_then(|x| x.to_str()) == Some("jsonl") {
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let (case, result) = match serde_json::from_str::<serde_json::Value>(line) {
                Ok(v) => quantity::run_line(&v),
                Err(e) => (format!("line {}", i + 1), Err(format!("invalid JSON: {e}"))),
            };
            report.record(file, case, result);
        }
        return;
    }
    let cases: Vec<serde_json::Value> = match serde_json::from_str(&text) {
        Ok(serde_json::Value::Array(a)) => a,
        Ok(_) => {
            return report.record(
                file,
                "(file)".into(),
                Err("expected a JSON array of cases".into()),
            )
        }
        Err(e) => return report.record(file, "(file)".into(), Err(format!("invalid JSON: {e}"))),
    };
    for (i, case) in cases.into_iter().enumerate() {
        let name = case
            .get("name")
            .and_then(|n| n.as_str())
            .map_or_else(|| format!("case #{i}"), str::to_owned);
        let kind = case.get("kind").and_then(|k| k.as_str()).unwrap_or("");
        if let Some(issue) = cases::pending_issue(kind) {
            report
                .pending
                .entry(kind.to_owned())
                .or_insert((issue, 0))
                .1 += 1;
            continue;
        }
        let result = cases::run_case(case);
        report.record(file, name, result);
    }
}
