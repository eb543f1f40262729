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
    FilesystemLayout, FsStatsType, FsUsage, KubeletEvictionSettings, ManagerOptions, Observation,
    Observations, PodStats, RankComparator, Signal, StarvedResource, StepInput, StepResult,
    ThresholdValue, VolumeStats,
};
use kubelogic::model::{self, Pod};
use kubelogic::{Quantity, SortedMap};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::cases::parse_case;

/// The case-level eviction settings (`config`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CaseConfig {
    enforce_node_allocatable: Option<Vec<String>>,
    eviction_hard: Option<SortedMap<String, String>>,
    eviction_soft: Option<SortedMap<String, String>>,
    eviction_soft_grace_period: Option<SortedMap<String, String>>,
    eviction_minimum_reclaim: Option<SortedMap<String, String>>,
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
    /// Per-container stats by container name (`PodStats.Containers`).
    containers: Option<BTreeMap<String, CaseContainerStats>>,
}

/// One container's own stats (`ContainerStats`): its working set, writable
/// layer and logs. Fields left out fall back to the pod-level `rootfs`,
/// `logs` (and inode) values, as the Go helpers write them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CaseContainerStats {
    memory_working_set: Option<Quantity>,
    rootfs: Option<Quantity>,
    logs: Option<Quantity>,
    rootfs_inodes: Option<Quantity>,
    logs_inodes: Option<Quantity>,
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
    kubernetes_version: Option<kubelogic::KubernetesVersion>,
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
        .map(|c| {
            let own = s.containers.as_ref().and_then(|m| m.get(&c.name));
            let or = |mine: Option<&Option<Quantity>>, pod: &Option<Quantity>| {
                mine.and_then(Option::as_ref).or(pod.as_ref()).cloned()
            };
            ContainerStats {
                name: c.name.clone(),
                memory_working_set: own.and_then(|o| o.memory_working_set.as_ref()).map(units),
                rootfs: fs(
                    &or(own.map(|o| &o.rootfs), &s.rootfs),
                    &or(own.map(|o| &o.rootfs_inodes), &s.rootfs_inodes),
                ),
                logs: fs(
                    &or(own.map(|o| &o.logs), &s.logs),
                    &or(own.map(|o| &o.logs_inodes), &s.logs_inodes),
                ),
            }
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

/// Pod objects → what the eviction manager sees. The model keeps only
/// emptyDir volume sources, so hostPath, configMap and gitRepo volumes are
/// marked local here from the JSON.
fn read_pods(pods: &[Value], pod_level_resources: bool) -> Result<Vec<EvictionPod>, String> {
    pods.iter()
        .map(|v| {
            let pod: Pod = model::from_value(v).map_err(|e| format!("bad pod: {e}"))?;
            let mut p = EvictionPod::from_pod(&pod, pod_level_resources);
            let sources = v
                .get("spec")
                .and_then(|s| s.get("volumes"))
                .and_then(Value::as_array);
            for (vol, json) in p.volumes.iter_mut().zip(sources.into_iter().flatten()) {
                let present = |k: &str| json.get(k).is_some_and(|x| !x.is_null());
                vol.local |= present("hostPath") || present("configMap") || present("gitRepo");
            }
            Ok(p)
        })
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
    let gates = crate::cases::case_gates(
        case.kubernetes_version,
        case.feature_gates.as_ref().unwrap_or(&BTreeMap::new()),
    )?;
    let pod_level_resources = gates.pod_level_resources;
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
    let mut pods = read_pods(&case.pods, pod_level_resources)?;
    let to_admit = read_pods(&case.pods_to_admit, pod_level_resources)?;
    let mut stats = case.pod_stats.clone();
    for (i, step) in case.steps.iter().enumerate() {
        if let Some(p) = &step.pods {
            pods = read_pods(p, pod_level_resources)?;
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
