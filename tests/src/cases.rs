//! Dispatch of JSON-array cases by their `kind`.
//!
//! Each kind has a module that deserializes the case into a struct with
//! `#[serde(deny_unknown_fields)]`, so that an unknown field fails loudly.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Strips the fields that are information for people: `name`, `source` and
/// anything starting with `_`, at every level of the case.
pub fn strip_info(v: &mut Value, top: bool) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !k.starts_with('_') && !(top && (k == "name" || k == "source")));
            // Kubernetes objects inside a case are not stripped below the top:
            // their fields are parsed by the model, which ignores unknown ones.
        }
        Value::Array(_) | Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// Deserializes a case (information fields stripped) into a kind's struct.
pub fn parse_case<T: DeserializeOwned>(mut case: Value) -> Result<T, String> {
    strip_info(&mut case, true);
    serde_json::from_value(case).map_err(|e| format!("bad case: {e}"))
}

/// Runs one case of any kind.
pub fn run_case(case: Value) -> Result<(), String> {
    let kind = case
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    match kind.as_str() {
        "" => Err("case has no `kind`".into()),
        "filter" => crate::scheduling::run_filter(parse_case(case)?),
        "score" => crate::scheduling::run_score(parse_case(case)?),
        "schedule" => crate::scheduling::run_schedule(parse_case(case)?),
        "podResources" => crate::resources::run(case),
        "qos" => crate::qos::run_qos(case),
        "oomScoreAdj" => crate::qos::run_oom(case),
        "evictionConfig" => crate::eviction::run_config(case),
        "evictionRun" => crate::eviction::run_run(case),
        other => Err(format!("unknown kind `{other}`")),
    }
}
