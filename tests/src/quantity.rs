//! `quantity/*.jsonl`: parse cases (`input` ...) and arithmetic cases (`a`, `b` ...).

use kubelogic::Quantity;
use serde::Deserialize;
use serde_json::Value;

/// A line of `quantity/parse-*.jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ParseCase {
    input: String,
    #[serde(default)]
    error: bool,
    canonical: Option<String>,
    format: Option<String>,
    value: Option<i64>,
    milli_value: Option<i64>,
    /// Information only: what Kubernetes' buggy accessors return.
    #[allow(dead_code)]
    kubernetes_value: Option<Value>,
    manifest_canonical: Option<String>,
    #[serde(default)]
    manifest_error: bool,
}

/// A line of `quantity/arith.jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArithCase {
    a: String,
    b: String,
    sum: String,
    difference: String,
    cmp: i8,
}

/// Runs one JSON Lines case; returns the label to report it under and the verdict.
pub fn run_line(v: &Value) -> (String, Result<(), String>) {
    let mut v = v.clone();
    crate::cases::strip_info(&mut v, true);
    if v.get("input").is_some() {
        let label = v["input"].to_string();
        let result = serde_json::from_value::<ParseCase>(v)
            .map_err(|e| format!("bad case: {e}"))
            .and_then(|c| check_parse(&c));
        (label, result)
    } else {
        let label = format!(
            "{} ± {}",
            v.get("a").unwrap_or(&Value::Null),
            v.get("b").unwrap_or(&Value::Null)
        );
        let result = serde_json::from_value::<ArithCase>(v)
            .map_err(|e| format!("bad case: {e}"))
            .and_then(|c| check_arith(&c));
        (label, result)
    }
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(
    what: &str,
    expected: T,
    got: T,
) -> Result<(), String> {
    if expected == got {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {got:?}"))
    }
}

fn check_parsed(q: &Quantity, c: &ParseCase, canonical: &str) -> Result<(), String> {
    expect_eq("canonical", canonical, q.to_string().as_str())?;
    if let Some(f) = &c.format {
        expect_eq("format", f.as_str(), q.format().as_str())?;
    }
    // The vector generator leaves out `value` together with `milliValue`
    // whenever the milli value overflows i64 (e.g. "1E", "0559P"), even when
    // the value itself fits: an absent `value` is only checked when
    // `milliValue` is present.
    if c.value.is_some() || c.milli_value.is_some() {
        expect_eq("value", c.value, q.value())?;
    }
    expect_eq("milliValue", c.milli_value, q.milli_value())?;
    Ok(())
}

fn check_parse(c: &ParseCase) -> Result<(), String> {
    let strict = Quantity::parse(&c.input);
    match (&strict, c.error) {
        (Ok(q), true) => return Err(format!("expected a parse error, got {q}")),
        (Err(e), false) => return Err(format!("expected {:?}, got error: {e}", c.canonical)),
        (Ok(q), false) => {
            let canonical = c
                .canonical
                .as_deref()
                .ok_or("case has neither `error` nor `canonical`")?;
            check_parsed(q, c, canonical)?;
        }
        (Err(_), true) => {}
    }
    // The same text as a string field of a manifest (JSON decoding trims it).
    let manifest = serde_json::from_value::<Quantity>(Value::String(c.input.clone()));
    let want_error = c.manifest_error || (c.error && c.manifest_canonical.is_none());
    match (manifest, want_error) {
        (Ok(q), true) => Err(format!("manifest: expected an error, got {q}")),
        (Err(e), false) => Err(format!("manifest: expected success, got error: {e}")),
        (Ok(q), false) => {
            let want = c
                .manifest_canonical
                .as_deref()
                .or(c.canonical.as_deref())
                .unwrap_or_default();
            expect_eq("manifest canonical", want, q.to_string().as_str())
        }
        (Err(_), true) => Ok(()),
    }
}

fn check_arith(c: &ArithCase) -> Result<(), String> {
    let a = Quantity::parse(&c.a).map_err(|e| format!("a: {e}"))?;
    let b = Quantity::parse(&c.b).map_err(|e| format!("b: {e}"))?;
    let sum = a.checked_add(&b).map(|q| q.to_string());
    expect_eq("sum", Some(c.sum.as_str()), sum.as_deref())?;
    let diff = a.checked_sub(&b).map(|q| q.to_string());
    expect_eq("difference", Some(c.difference.as_str()), diff.as_deref())?;
    let cmp = a.cmp(&b) as i8;
    expect_eq("cmp", c.cmp, cmp)
}
