//! Kinds `evictionConfig` and `evictionRun` (../shared/conformance/eviction).
//!
//! `evictionConfig`: KubeletConfiguration map form (`config`) or kubelet
//! flags (`flags`) → `ParseThresholdConfig` with no defaults applied →
//! the thresholds, compared as a multiset (percentages at `float32`
//! precision), or an error.
//!
//! `evictionRun`: a manager is built from `config` and the filesystem layout
//! and driven step by step; each step's `expect` fields are checked against
//! the step result (see eviction/NOTES.md for the field meanings).

use std::collections::{BTreeMap, BTreeSet};

use kubelogic::eviction::{
    rank_pods, ContainerStats, Duration, EvictionConfig, EvictionManager, EvictionPod,
    FeatureGates, FilesystemLayout, FsStatsType, FsUsage, KubeletEvictionSettings, ManagerOptions,
    Observation, Observations, PodStats, RankComparator, Signal, StarvedResource, StepInput,
    StepResult, ThresholdValue, VolumeStats,
};
use kubelogic::Quantity;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::cases::parse_case;

/// The case-level eviction settings (`config`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CaseConfig {
    enforce_node_allocatable: Option<Vec<String>>,
    eviction_hard: Option<BTreeMap<String, String>>,
    eviction_soft: Option<BTreeMap<String, String>>,
    eviction_soft_grace_period: Option<BTreeMap<String, String>>,
    eviction_minimum_reclaim: Option<BTreeMap<String, String>>,
    eviction_max_pod_grace_period: Option<i32>,
    eviction_pressure_transition_period: Option<String>,
    local_storage_capacity_isolation: Option<bool>,
    merge_default_eviction_settings: Option<bool>,
}

impl CaseConfig {
    fn settings(self) -> KubeletEvictionSettings {
        KubeletEvictionSettings {
            eviction_hard: self.eviction_hard,
            eviction_soft: self.eviction_soft,
            eviction_soft_grace_period: self.eviction_soft_grace_period,
            eviction_minimum_reclaim: self.eviction_minimum_reclaim,
            eviction_max_pod_grace_period: self.eviction_max_pod_grace_period,
            eviction_pressure_transition_period: self.eviction_pressure_transition_period,
            enforce_node_allocatable: self.enforce_node_allocatable,
            merge_default_eviction_settings: self.merge_default_eviction_settings,
            local_storage_capacity_isolation: self.local_storage_capacity_isolation,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConfigCase {
    #[allow(dead_code)]
    kind: String,
    config: Option<CaseConfig>,
    flags: Option<BTreeMap<String, String>>,
    expect: ConfigExpect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConfigExpect {
    thresholds: Option<Vec<ExpectThreshold>>,
    #[serde(default)]
    error: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectThreshold {
    signal: String,
    operator: String,
    value: ExpectValue,
    grace_period: String,
    min_reclaim: Option<ExpectValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectValue {
    quantity: Option<String>,
    percentage: Option<f64>,
}

fn value_matches(expected: &ExpectValue, got: &ThresholdValue) -> bool {
    match (got, &expected.quantity, expected.percentage) {
        (ThresholdValue::Quantity(q), Some(e), None) => Quantity::parse(e).is_ok_and(|e| &e == q),
        #[allow(clippy::cast_possible_truncation)]
        (ThresholdValue::Percentage(p), None, Some(e)) => p.fraction() == e as f32,
        _ => false,
    }
}

fn threshold_matches(e: &ExpectThreshold, t: &kubelogic::eviction::Threshold) -> bool {
    e.signal == t.signal.as_str()
        && e.operator == "LessThan"
        && value_matches(&e.value, &t.value)
        && Duration::parse(&e.grace_period).is_ok_and(|g| g == t.grace_period)
        && match (&e.min_reclaim, &t.min_reclaim) {
            (None, None) => true,
            (Some(e), Some(t)) => value_matches(e, t),
            _ => false,
        }
}

/// Runs an `evictionConfig` case.
pub fn run_config(case: Value) -> Result<(), String> {
    let case: ConfigCase = parse_case(case)?;
    let settings = match (case.config, case.flags) {
        (Some(c), None) => Ok(c.settings()),
        (None, Some(flags)) => {
            let mut s = KubeletEvictionSettings::default();
            flags.iter().try_for_each(|(k, v)| s.set(k, v)).map(|()| s)
        }
        _ => return Err("bad case: exactly one of `config` and `flags` is needed".into()),
    };
    let result = settings.and_then(|s| EvictionConfig::from_settings(&s));
    match (result, case.expect.error, case.expect.thresholds) {
        (Err(_), true, _) => Ok(()),
        (Err(e), false, _) => Err(format!("unexpected error: {e}")),
        (Ok(c), true, _) => Err(format!(
            "expected an error, got {} thresholds: {:?}",
            c.thresholds.len(),
            shown(&c)
        )),
        (Ok(c), false, Some(expected)) => {
            let mut unused: Vec<bool> = vec![true; c.thresholds.len()];
            for e in &expected {
                let found = c.thresholds.iter().enumerate().find(|(i, t)| {
                    unused.get(*i).copied().unwrap_or(false) && threshold_matches(e, t)
                });
                match found {
                    Some((i, _)) => {
                        if let Some(u) = unused.get_mut(i) {
                            *u = false;
                        }
                    }
                    None => {
                        return Err(format!(
                            "expected threshold {e:?} not found in {:?}",
                            shown(&c)
                        ))
                    }
                }
            }
            if unused.iter().any(|u| *u) {
                return Err(format!("unexpected thresholds in {:?}", shown(&c)));
            }
            Ok(())
        }
        (Ok(_), false, None) => Err("bad case: expect has neither thresholds nor error".into()),
    }
}

fn shown(c: &EvictionConfig) -> Vec<String> {
    c.thresholds
        .iter()
        .map(|t| {
            format!(
                "{t} minReclaim={:?}",
                t.min_reclaim.as_ref().map(ToString::to_string)
            )
        })
        .collect()
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CaseStats {
    memory_working_set: Option<Quantity>,
    processes: Option<u64>,
    ephemeral_storage: Option<Quantity>,
    rootfs: Option<Quantity>,
    logs: Option<Quantity>,
    rootfs_inodes: Option<Quantity>,
    logs_inodes: Option<Quantity>,
    volumes: Option<BTreeMap<String, Quantity>>,
    volume_inodes: Option<BTreeMap<String, Quantity>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseObservation {
    available: Quantity,
    capacity: Option<Quantity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RankStep {
    resource: String,
    fs_stats: Option<Vec<String>>,
    by: Vec<String>,
}

fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectCondition {
    #[serde(rename = "type")]
    condition_type: String,
    status: String,
    reason: String,
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectPodStatus {
    phase: Option<String>,
    reason: Option<String>,
    message: Option<String>,
    conditions: Option<Vec<ExpectCondition>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectEvict {
    pod: Option<String>,
    grace_period_seconds: Option<i64>,
    message: Option<String>,
    pod_status: Option<ExpectPodStatus>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StepExpect {
    thresholds_met: Option<Vec<String>>,
    thresholds_past_grace_period: Option<Vec<String>>,
    conditions: Option<Vec<String>>,
    taints: Option<Vec<Value>>,
    eviction_order: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    evict: Option<Option<ExpectEvict>>,
    evicted_pods: Option<Vec<String>>,
    admitted: Option<BTreeMap<String, bool>>,
    node_reclaim: Option<Vec<String>>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CaseStep {
    at: Option<String>,
    observations: Option<BTreeMap<String, CaseObservation>>,
    observations_after_reclaim: Option<BTreeMap<String, CaseObservation>>,
    pods: Option<Vec<Value>>,
    pod_stats: Option<BTreeMap<String, CaseStats>>,
    rank: Option<RankStep>,
    #[serde(default)]
    expect: StepExpect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RunCase {
    #[allow(dead_code)]
    kind: String,
    feature_gates: Option<BTreeMap<String, bool>>,
    #[serde(default)]
    config: CaseConfig,
    dedicated_image_fs: Option<bool>,
    separate_container_fs: Option<bool>,
    pod_termination_completes: Option<bool>,
    #[serde(default)]
    pods: Vec<Value>,
    #[serde(default)]
    pod_stats: BTreeMap<String, CaseStats>,
    #[serde(default)]
    pods_to_admit: Vec<Value>,
    steps: Vec<CaseStep>,
}

fn units(q: &Quantity) -> u64 {
    q.value().and_then(|v| u64::try_from(v).ok()).unwrap_or(0)
}

fn signed_units(q: &Quantity) -> i64 {
    q.value().unwrap_or(if q.signum().is_lt() {
        i64::MIN
    } else {
        i64::MAX
    })
}

fn observations(map: &BTreeMap<String, CaseObservation>) -> Result<Observations, String> {
    let mut out = Observations::default();
    for (name, o) in map {
        let signal: Signal = name.parse().map_err(|e| format!("bad case: {e}"))?;
        out.set(
            signal,
            Observation {
                available: signed_units(&o.available),
                capacity: o.capacity.as_ref().map(signed_units),
            },
        );
    }
    Ok(out)
}

/// The pod's stats as the Go test helpers build them (see NOTES.md).
fn pod_stats(pod: &EvictionPod, s: &CaseStats) -> PodStats {
    let fs = |bytes: &Option<Quantity>, inodes: &Option<Quantity>| {
        if bytes.is_none() && inodes.is_none() {
            None
        } else {
            Some(FsUsage {
                used_bytes: bytes.as_ref().map(units),
                inodes_used: inodes.as_ref().map(units),
            })
        }
    };
    let containers = pod
        .containers
        .iter()
        .filter(|c| !c.init)
        .map(|c| ContainerStats {
            name: c.name.clone(),
            memory_working_set: None,
            rootfs: fs(&s.rootfs, &s.rootfs_inodes),
            logs: fs(&s.logs, &s.logs_inodes),
        })
        .collect();
    let mut names: BTreeSet<&String> = BTreeSet::new();
    names.extend(s.volumes.iter().flat_map(|m| m.keys()));
    names.extend(s.volume_inodes.iter().flat_map(|m| m.keys()));
    let volumes = names
        .into_iter()
        .map(|name| VolumeStats {
            name: name.clone(),
            usage: FsUsage {
                used_bytes: s.volumes.as_ref().and_then(|m| m.get(name)).map(units),
                inodes_used: s
                    .volume_inodes
                    .as_ref()
                    .and_then(|m| m.get(name))
                    .map(units),
            },
        })
        .collect();
    PodStats {
        memory_working_set: s.memory_working_set.as_ref().map(units),
        ephemeral_storage_used: s.ephemeral_storage.as_ref().map(units),
        process_count: s.processes,
        containers,
        volumes,
    }
}

fn read_pods(pods: &[Value]) -> Result<Vec<EvictionPod>, String> {
    pods.iter()
        .map(|p| pod_json::eviction_pod_from_json(p).map_err(|e| format!("bad pod: {e}")))
        .collect()
}

fn set_stats(pods: &mut [EvictionPod], stats: &BTreeMap<String, CaseStats>) {
    for p in pods {
        p.stats = stats.get(p.key.as_str()).map(|s| pod_stats(p, s));
    }
}

fn signal_set(names: &[String]) -> BTreeSet<&str> {
    names.iter().map(String::as_str).collect()
}

fn check<T: PartialEq + std::fmt::Debug>(what: &str, expected: T, got: T) -> Result<(), String> {
    if expected == got {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {got:?}"))
    }
}

fn run_rank(step: &RankStep, pods: &[EvictionPod]) -> Result<Vec<String>, String> {
    let resource = match step.resource.as_str() {
        "memory" => StarvedResource::Memory,
        "ephemeral-storage" => StarvedResource::EphemeralStorage,
        "inodes" => StarvedResource::Inodes,
        "pids" => StarvedResource::Pids,
        other => return Err(format!("bad case: unknown rank resource {other:?}")),
    };
    let fs = step
        .fs_stats
        .iter()
        .flatten()
        .map(|f| match f.as_str() {
            "rootfs" => Ok(FsStatsType::Root),
            "logs" => Ok(FsStatsType::Logs),
            "localVolumeSource" => Ok(FsStatsType::LocalVolumeSource),
            "images" => Ok(FsStatsType::Images),
            other => Err(format!("bad case: unknown fsStats {other:?}")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let by = step
        .by
        .iter()
        .map(|c| match c.as_str() {
            "exceedsRequests" => Ok(RankComparator::ExceedsRequests),
            "priority" => Ok(RankComparator::Priority),
            "usage" => Ok(RankComparator::Usage),
            other => Err(format!("bad case: unknown comparator {other:?}")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ranking = rank_pods(pods, resource, &fs, &by);
    Ok(ranking.pods.iter().map(|p| p.pod.to_string()).collect())
}

fn taint_text(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Object(o) => {
            let key = o.get("key").and_then(Value::as_str).unwrap_or("");
            let effect = o.get("effect").and_then(Value::as_str).unwrap_or("");
            Ok(format!("{key}:{effect}"))
        }
        other => Err(format!("bad case: taint {other}")),
    }
}

fn check_step(
    i: usize,
    expect: &StepExpect,
    result: &StepResult,
    manager: &EvictionManager,
    to_admit: &[EvictionPod],
) -> Result<(), String> {
    let at = |e: String| format!("step {i} (at {}): {e}", result.at);
    if let Some(e) = &expect.error {
        return Err(at(format!("expected error {e:?}, got none")));
    }
    if let Some(e) = &expect.thresholds_met {
        let got: BTreeSet<&str> = result
            .thresholds_met()
            .into_iter()
            .map(Signal::as_str)
            .collect();
        check("thresholdsMet", signal_set(e), got).map_err(at)?;
    }
    if let Some(e) = &expect.thresholds_past_grace_period {
        let got: BTreeSet<&str> = result
            .thresholds_past_grace_period()
            .into_iter()
            .map(Signal::as_str)
            .collect();
        check("thresholdsPastGracePeriod", signal_set(e), got).map_err(at)?;
    }
    if let Some(e) = &expect.conditions {
        let got: BTreeSet<&str> = result
            .conditions_in_effect()
            .into_iter()
            .map(|c| c.as_str())
            .collect();
        check("conditions", signal_set(e), got).map_err(at)?;
    }
    if let Some(e) = &expect.taints {
        let want = e
            .iter()
            .map(taint_text)
            .collect::<Result<BTreeSet<_>, _>>()?;
        let got: BTreeSet<String> = result
            .taints
            .iter()
            .map(|t| format!("{}:{}", t.key, t.effect))
            .collect();
        check("taints", want, got).map_err(at)?;
    }
    if let Some(e) = &expect.eviction_order {
        let got: Vec<String> = match &result.ranking {
            Some(r) => r.pods.iter().map(|p| p.pod.to_string()).collect(),
            None => Vec::new(),
        };
        check("evictionOrder", e.clone(), got).map_err(at)?;
    }
    if let Some(e) = &expect.evict {
        match (e, result.victim()) {
            (None, None) => {}
            (None, Some(v)) => {
                return Err(at(format!(
                    "expected no eviction, got {} ({})",
                    v.pod, v.message
                )))
            }
            (Some(_), None) => {
                return Err(at(format!(
                    "expected an eviction, got none ({:?})",
                    result.outcome
                )))
            }
            (Some(e), Some(v)) => {
                if let Some(p) = &e.pod {
                    check("evict.pod", p.as_str(), v.pod.as_str()).map_err(at)?;
                }
                if let Some(g) = e.grace_period_seconds {
                    check("evict.gracePeriodSeconds", g, v.grace_period_seconds).map_err(at)?;
                }
                if let Some(m) = &e.message {
                    check("evict.message", m.as_str(), v.message.as_str()).map_err(at)?;
                }
                if let Some(s) = &e.pod_status {
                    let got = &v.pod_status;
                    if let Some(x) = &s.phase {
                        check("podStatus.phase", x.as_str(), got.phase).map_err(at)?;
                    }
                    if let Some(x) = &s.reason {
                        check("podStatus.reason", x.as_str(), got.reason).map_err(at)?;
                    }
                    if let Some(x) = &s.message {
                        check("podStatus.message", x.as_str(), got.message.as_str()).map_err(at)?;
                    }
                    if let Some(conds) = &s.conditions {
                        let want: Vec<(&str, &str, &str, &str)> = conds
                            .iter()
                            .map(|c| {
                                (
                                    c.condition_type.as_str(),
                                    c.status.as_str(),
                                    c.reason.as_str(),
                                    c.message.as_str(),
                                )
                            })
                            .collect();
                        let have: Vec<(&str, &str, &str, &str)> = got
                            .conditions
                            .iter()
                            .map(|c| (c.condition_type, c.status, c.reason, c.message.as_str()))
                            .collect();
                        check("podStatus.conditions", want, have).map_err(at)?;
                    }
                }
            }
        }
    }
    if let Some(e) = &expect.evicted_pods {
        let got: Vec<String> = result.evictions.iter().map(|v| v.pod.to_string()).collect();
        check("evictedPods", e.clone(), got).map_err(at)?;
    }
    if let Some(e) = &expect.node_reclaim {
        let got: BTreeSet<&str> = result
            .reclaim
            .iter()
            .flat_map(|r| r.node_reclaim.iter().map(|a| a.as_str()))
            .collect();
        check("nodeReclaim", signal_set(e), got).map_err(at)?;
    }
    if let Some(e) = &expect.admitted {
        for (key, want) in e {
            let pod = to_admit
                .iter()
                .find(|p| p.key.as_str() == key)
                .ok_or_else(|| format!("bad case: {key} is not in podsToAdmit"))?;
            let got = manager.admit(pod);
            check(&format!("admitted[{key}]"), *want, got.admit).map_err(at)?;
        }
    }
    Ok(())
}

/// Runs an `evictionRun` case.
pub fn run_run(case: Value) -> Result<(), String> {
    let case: RunCase = parse_case(case)?;
    let mut gates = FeatureGates::default();
    for (name, on) in case.feature_gates.iter().flatten() {
        match name.as_str() {
            "KubeletSeparateDiskGC" => gates.kubelet_separate_disk_gc = *on,
            other => return Err(format!("bad case: unknown feature gate {other}")),
        }
    }
    let options = ManagerOptions {
        layout: FilesystemLayout {
            dedicated_image_fs: case.dedicated_image_fs.unwrap_or(false),
            separate_container_fs: case.separate_container_fs.unwrap_or(false),
        },
        feature_gates: gates,
        pod_termination_completes: case.pod_termination_completes.unwrap_or(true),
    };
    let config = EvictionConfig::from_settings(&case.config.settings())
        .map_err(|e| format!("config: {e}"))?;
    let mut manager = match EvictionManager::new(config, options) {
        Ok(m) => m,
        Err(e) => {
            let first = case.steps.first().and_then(|s| s.expect.error.as_deref());
            return match first {
                Some(want) if want == e.to_string() => Ok(()),
                _ => Err(format!("manager error: {e}")),
            };
        }
    };
    let mut pods = read_pods(&case.pods)?;
    let to_admit = read_pods(&case.pods_to_admit)?;
    let mut stats = case.pod_stats.clone();
    for (i, step) in case.steps.iter().enumerate() {
        if let Some(p) = &step.pods {
            pods = read_pods(p)?;
        }
        if let Some(s) = &step.pod_stats {
            stats.clone_from(s);
        }
        set_stats(&mut pods, &stats);
        if let Some(rank) = &step.rank {
            let got = run_rank(rank, &pods)?;
            if let Some(e) = &step.expect.eviction_order {
                check("evictionOrder", e.clone(), got).map_err(|e| format!("step {i}: {e}"))?;
            }
            continue;
        }
        let at = step
            .at
            .as_deref()
            .ok_or_else(|| format!("bad case: step {i} has no `at`"))
            .and_then(|a| Duration::parse(a).map_err(|e| format!("bad case: step {i}: {e}")))?;
        let empty = BTreeMap::new();
        let obs = observations(step.observations.as_ref().unwrap_or(&empty))?;
        let after = step
            .observations_after_reclaim
            .as_ref()
            .map(observations)
            .transpose()?;
        let input = StepInput {
            at,
            observations: &obs,
            observations_after_reclaim: after.as_ref(),
            pods: &pods,
        };
        let result = manager.step(&input);
        check_step(i, &step.expect, &result, &manager, &to_admit)?;
    }
    Ok(())
}

mod pod_json {
    //! Pod objects (API JSON) → `EvictionPod`. Interim: reads the few Pod
    //! fields eviction needs straight from JSON until `kubelogic::model` and
    //! `kubelogic::resources` land.

    use std::fmt;

    use kubelogic::eviction::{
        EvictionContainer, EvictionPod, EvictionVolume, SYSTEM_CRITICAL_PRIORITY,
    };
    use kubelogic::{Format, Quantity};
    use serde_json::Value;

    /// A Pod object that could not be read.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PodInputError {
        /// JSON path of the offending field.
        pub path: String,
        /// Why.
        pub message: String,
    }

    impl fmt::Display for PodInputError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{}: {}", self.path, self.message)
        }
    }

    impl std::error::Error for PodInputError {}

    fn quantity_at(
        v: Option<&Value>,
        path: impl Fn() -> String,
    ) -> Result<Option<Quantity>, PodInputError> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => {
                Quantity::parse_manifest(s)
                    .map(Some)
                    .map_err(|e| PodInputError {
                        path: path(),
                        message: e.to_string(),
                    })
            }
            Some(Value::Number(n)) => {
                Quantity::parse(&n.to_string())
                    .map(Some)
                    .map_err(|e| PodInputError {
                        path: path(),
                        message: e.to_string(),
                    })
            }
            Some(other) => Err(PodInputError {
                path: path(),
                message: format!("expected a quantity, got {other}"),
            }),
        }
    }

    fn str_at<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a str> {
        let mut cur = v;
        for k in keys {
            cur = cur.get(*k)?;
        }
        cur.as_str()
    }

    /// Whether a toleration list tolerates `node.kubernetes.io/memory-pressure:NoSchedule`
    /// (`TolerationsTolerateTaint`).
    fn tolerates_memory_pressure(tolerations: Option<&Value>) -> bool {
        let Some(list) = tolerations.and_then(Value::as_array) else {
            return false;
        };
        list.iter().any(|t| {
            let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
            if !effect.is_empty() && effect != "NoSchedule" {
                return false;
            }
            let key = t.get("key").and_then(Value::as_str).unwrap_or("");
            let operator = t.get("operator").and_then(Value::as_str).unwrap_or("Equal");
            if key.is_empty() {
                return operator == "Exists";
            }
            if key != "node.kubernetes.io/memory-pressure" {
                return false;
            }
            match operator {
                "Exists" => true,
                "Equal" | "" => t
                    .get("value")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .is_empty(),
                _ => false,
            }
        })
    }

    /// Reads a Pod object (API JSON, no defaulting). Requests follow
    /// `GetResourceRequestQuantity`: the sum over regular containers, at least
    /// the largest init container, plus `spec.overhead` when non-zero.
    /// Critical: a static pod (`kubernetes.io/config.source` other than
    /// `api`), a mirror pod (`kubernetes.io/config.mirror`), or priority ≥
    /// 2000000000. Stats are left empty.
    pub fn eviction_pod_from_json(pod: &Value) -> Result<EvictionPod, PodInputError> {
        let namespace = str_at(pod, &["metadata", "namespace"]).unwrap_or("");
        let name = str_at(pod, &["metadata", "name"]).unwrap_or("");
        let mut p = EvictionPod::new(namespace, name);
        let spec = pod.get("spec").unwrap_or(&Value::Null);
        let priority = spec.get("priority").and_then(Value::as_i64);
        p.priority = priority.and_then(|v| i32::try_from(v).ok()).unwrap_or(0);
        p.termination_grace_period_seconds = spec
            .get("terminationGracePeriodSeconds")
            .and_then(Value::as_i64);
        let annotations = pod.get("metadata").and_then(|m| m.get("annotations"));
        let source = annotations
            .and_then(|a| a.get("kubernetes.io/config.source"))
            .and_then(Value::as_str);
        let is_static = source.is_some_and(|s| s != "api");
        let is_mirror = annotations.is_some_and(|a| a.get("kubernetes.io/config.mirror").is_some());
        p.critical = is_static
            || is_mirror
            || priority.is_some_and(|v| v >= i64::from(SYSTEM_CRITICAL_PRIORITY));
        p.tolerates_memory_pressure = tolerates_memory_pressure(spec.get("tolerations"));

        let mut cpu_mem_set = false;
        let mut memory_sum = Quantity::from_value(0, Format::BinarySI);
        let mut eph_sum = Quantity::from_value(0, Format::BinarySI);
        let mut inode_sum = Quantity::from_value(0, Format::DecimalSI);
        let mut limit_sum: Option<Quantity> = None;
        let mut init_memory: Vec<Quantity> = Vec::new();
        let mut init_eph: Vec<Quantity> = Vec::new();
        let mut init_inodes: Vec<Quantity> = Vec::new();
        let mut init_limit_max: Option<Quantity> = None;
        for (list, init) in [("containers", false), ("initContainers", true)] {
            let Some(containers) = spec.get(list).and_then(Value::as_array) else {
                continue;
            };
            for (i, c) in containers.iter().enumerate() {
                let at = |kind: &str, r: &str| format!("spec.{list}[{i}].resources.{kind}.{r}");
                let res = c.get("resources");
                let req = res.and_then(|r| r.get("requests"));
                let lim = res.and_then(|r| r.get("limits"));
                for r in ["cpu", "memory"] {
                    for (kind, m) in [("requests", req), ("limits", lim)] {
                        if let Some(q) = quantity_at(m.and_then(|m| m.get(r)), || at(kind, r))? {
                            cpu_mem_set |= q.signum().is_gt();
                        }
                    }
                }
                let container = EvictionContainer {
                    name: c
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    init,
                    memory_request: quantity_at(req.and_then(|m| m.get("memory")), || {
                        at("requests", "memory")
                    })?,
                    ephemeral_storage_request: quantity_at(
                        req.and_then(|m| m.get("ephemeral-storage")),
                        || at("requests", "ephemeral-storage"),
                    )?,
                    ephemeral_storage_limit: quantity_at(
                        lim.and_then(|m| m.get("ephemeral-storage")),
                        || at("limits", "ephemeral-storage"),
                    )?,
                };
                let inodes = quantity_at(req.and_then(|m| m.get("inodes")), || {
                    at("requests", "inodes")
                })?;
                if init {
                    init_memory.extend(container.memory_request.clone());
                    init_eph.extend(container.ephemeral_storage_request.clone());
                    init_inodes.extend(inodes);
                    if let Some(l) = &container.ephemeral_storage_limit {
                        if init_limit_max.as_ref().map_or(true, |m| m < l) {
                            init_limit_max = Some(l.clone());
                        }
                    }
                } else {
                    let add = |sum: &mut Quantity, q: &Option<Quantity>| {
                        if let Some(q) = q {
                            if let Some(s) = sum.checked_add(q) {
                                *sum = s;
                            }
                        }
                    };
                    add(&mut memory_sum, &container.memory_request);
                    add(&mut eph_sum, &container.ephemeral_storage_request);
                    add(&mut inode_sum, &inodes);
                    if let Some(l) = &container.ephemeral_storage_limit {
                        limit_sum = Some(match limit_sum {
                            None => l.clone(),
                            Some(s) => s.checked_add(l).unwrap_or(s),
                        });
                    }
                }
                p.containers.push(container);
            }
        }
        let overhead = spec.get("overhead");
        let finish = |mut sum: Quantity,
                      inits: Vec<Quantity>,
                      name: &str|
         -> Result<Quantity, PodInputError> {
            for q in inits {
                if sum < q {
                    sum = q;
                }
            }
            if let Some(o) = quantity_at(overhead.and_then(|o| o.get(name)), || {
                format!("spec.overhead.{name}")
            })? {
                if !sum.is_zero() {
                    sum = sum.checked_add(&o).unwrap_or(sum);
                }
            }
            Ok(sum)
        };
        p.memory_request = finish(memory_sum, init_memory, "memory")?;
        p.ephemeral_storage_request = finish(eph_sum, init_eph, "ephemeral-storage")?;
        p.inodes_request = finish(inode_sum, init_inodes, "inodes")?;
        p.ephemeral_storage_limit = match (limit_sum, init_limit_max) {
            (None, None) => None,
            (Some(s), None) => Some(s),
            (None, Some(i)) => Some(i),
            (Some(s), Some(i)) => Some(if s < i { i } else { s }),
        };
        if let Some(Value::Object(o)) = overhead {
            if let (Some(l), Some(oh)) = (
                p.ephemeral_storage_limit.as_ref(),
                quantity_at(o.get("ephemeral-storage"), || {
                    "spec.overhead.ephemeral-storage".to_owned()
                })?,
            ) {
                p.ephemeral_storage_limit = l.checked_add(&oh);
            }
        }

        p.pod_level_memory_request = quantity_at(
            spec.get("resources")
                .and_then(|r| r.get("requests"))
                .and_then(|r| r.get("memory")),
            || "spec.resources.requests.memory".to_owned(),
        )?;
        let qos = str_at(pod, &["status", "qosClass"]).unwrap_or("");
        p.best_effort = if qos.is_empty() {
            !cpu_mem_set
        } else {
            qos == "BestEffort"
        };

        if let Some(volumes) = spec.get("volumes").and_then(Value::as_array) {
            for (i, v) in volumes.iter().enumerate() {
                let empty_dir = v.get("emptyDir").filter(|e| !e.is_null());
                let medium = empty_dir
                    .and_then(|e| e.get("medium"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let present = |k: &str| v.get(k).is_some_and(|x| !x.is_null());
                p.volumes.push(EvictionVolume {
                    name: v
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    local: present("hostPath")
                        || present("gitRepo")
                        || present("configMap")
                        || (empty_dir.is_some() && medium.is_empty()),
                    empty_dir_size_limit: quantity_at(
                        empty_dir.and_then(|e| e.get("sizeLimit")),
                        || format!("spec.volumes[{i}].emptyDir.sizeLimit"),
                    )?,
                    empty_dir: empty_dir.is_some(),
                });
            }
        }
        Ok(p)
    }
}
