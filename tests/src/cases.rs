//! Dispatch of JSON-array cases by their `kind`.
//!
//! Each kind has a module that deserializes the case into a struct with
//! `#[serde(deny_unknown_fields)]`, so that an unknown field fails loudly.

use std::collections::BTreeMap;

use kubelogic::{FeatureGates, KubernetesVersion};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The gates a case runs with: the default gates of its
/// `kubernetesVersion` (absent: current upstream), then its `featureGates`
/// (README: "a case that needs an older rule says so with `featureGates` or
/// a `kubernetesVersion`"). An unknown gate fails the case.
pub fn case_gates(
    version: Option<KubernetesVersion>,
    overrides: &BTreeMap<String, bool>,
) -> Result<FeatureGates, String> {
    FeatureGates::for_version(version.unwrap_or_default())
        .with(overrides)
        .map_err(|e| format!("bad case: {e}"))
}

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

/// Kinds whose vectors are in the shared set but whose component is the
/// subject of a later issue: their cases are not run, and every run says so
/// (the count per kind and the issue, printed before the summary line, and
/// `K skipped` in it). A kind leaves this list in the change that implements
/// it; a kind in neither list is a failure.
pub const PENDING_KINDS: &[(&str, u32)] = &[
    ("drain", 14),
    ("cordon", 14),
    ("evictionApi", 14),
    ("pdbStatus", 14),
    ("stalePodDisruption", 14),
    ("nodeLifecycle", 15),
    ("taintEviction", 15),
    ("defaultTolerations", 15),
    ("deploymentLimits", 16),
    ("deploymentProgress", 16),
    ("deploymentScale", 16),
    ("rolloutFenceposts", 16),
    ("rolloutStep", 16),
    ("replicaSetAnnotations", 16),
    ("replicaSetCounts", 16),
    ("hpaBehavior", 16),
    ("hpaPodGroups", 16),
    ("hpaPodRequests", 16),
    ("hpaReplicas", 16),
    ("restartBackoff", 16),
    ("scenario", 17),
];

/// The issue that implements `kind`, when its cases are pending.
pub fn pending_issue(kind: &str) -> Option<u32> {
    PENDING_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|&(_, issue)| issue)
}
