//! `qos/*.json`: kinds `qos` (`ComputePodQOS`) and `oomScoreAdj`
//! (`GetContainerOOMScoreAdjust`).

use std::collections::BTreeMap;

use kubelogic::model::{self, Pod};
use kubelogic::qos;
use kubelogic::KubernetesVersion;
use kubelogic::Quantity;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct QosCase {
    #[allow(dead_code)]
    kind: String,
    pod: Value,
    #[serde(default)]
    feature_gates: BTreeMap<String, bool>,
    kubernetes_version: Option<KubernetesVersion>,
    expect: QosExpect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct QosExpect {
    qos_class: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct OomCase {
    #[allow(dead_code)]
    kind: String,
    pod: Value,
    container: String,
    memory_capacity: String,
    #[serde(default)]
    feature_gates: BTreeMap<String, bool>,
    kubernetes_version: Option<KubernetesVersion>,
    expect: OomExpect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct OomExpect {
    oom_score_adj: Option<i32>,
    oom_score_adj_range: Option<[i32; 2]>,
}

/// Runs one `qos` case.
pub fn run_qos(case: Value) -> Result<(), String> {
    let c: QosCase = crate::cases::parse_case(case)?;
    let pod: Pod = model::from_value(&c.pod).map_err(|e| format!("pod: {e}"))?;
    let opts = crate::cases::case_gates(c.kubernetes_version, &c.feature_gates)?;
    let got = qos::compute_pod_qos(&pod, opts.pod_level_resources);
    if got.as_str() == c.expect.qos_class {
        Ok(())
    } else {
        Err(format!(
            "qosClass: expected {}, got {}",
            c.expect.qos_class,
            got.as_str()
        ))
    }
}

/// Runs one `oomScoreAdj` case.
pub fn run_oom(case: Value) -> Result<(), String> {
    let c: OomCase = crate::cases::parse_case(case)?;
    let pod: Pod = model::from_value(&c.pod).map_err(|e| format!("pod: {e}"))?;
    let opts = crate::cases::case_gates(c.kubernetes_version, &c.feature_gates)?;
    let capacity = Quantity::parse(&c.memory_capacity)
        .map_err(|e| format!("memoryCapacity {:?}: {e}", c.memory_capacity))?
        .value()
        .ok_or("memoryCapacity out of range")?;
    let got = qos::oom_score_adj(&pod, &c.container, capacity, &opts).map_err(|e| e.to_string())?;
    match (c.expect.oom_score_adj, c.expect.oom_score_adj_range) {
        (Some(want), None) if got == want => Ok(()),
        (Some(want), None) => Err(format!("oomScoreAdj: expected {want}, got {got}")),
        (None, Some([lo, hi])) if (lo..=hi).contains(&got) => Ok(()),
        (None, Some([lo, hi])) => Err(format!("oomScoreAdj: expected {lo}..={hi}, got {got}")),
        _ => Err("expect needs exactly one of oomScoreAdj and oomScoreAdjRange".into()),
    }
}
