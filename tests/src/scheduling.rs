//! Scheduler cases: kinds `filter` and `score` (one plugin's extension
//! points run directly, as the upstream plugin tests do) and `schedule`
//! (a whole cycle with a profile, PostFilter included).

use std::collections::BTreeMap;

use kubelogic::model::{
    self, Namespace, Node, Objects, Pod, PodDisruptionBudget, ReplicaSet, Service,
};
use kubelogic::scheduler::cycle::{schedule_pod_info, NodeToStatus};
use kubelogic::scheduler::framework::{Code, CycleState, NodeScore, Status};
use kubelogic::scheduler::plugins::defaultpreemption::DefaultPreemption;
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::preemption::PreemptionResult;
use kubelogic::scheduler::{Plugin, PodInfo, Profile, Snapshot};
use kubelogic::FeatureGates;
use serde::Deserialize;
use serde_json::Value;

/// The fields shared by `filter`, `score` and `schedule` cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SchedulingCase {
    /// `filter`, `score` or `schedule`.
    pub kind: String,
    #[serde(default)]
    pub nodes: Vec<Value>,
    #[serde(default)]
    pub pods: Vec<Value>,
    #[serde(default)]
    pub namespaces: Vec<Value>,
    #[serde(default)]
    pub services: Vec<Value>,
    #[serde(default)]
    pub replica_sets: Vec<Value>,
    #[serde(default)]
    pub pdbs: Vec<Value>,
    pub pod: Value,
    pub plugins: Option<Vec<String>>,
    #[serde(default)]
    pub plugin_config: BTreeMap<String, Value>,
    #[serde(default)]
    pub feature_gates: BTreeMap<String, bool>,
    /// `"v1.28"`: that minor's default gates and rules (absent: current).
    pub kubernetes_version: Option<kubelogic::KubernetesVersion>,
    pub feasible_nodes: Option<Vec<String>>,
    pub filter_statuses: Option<BTreeMap<String, Value>>,
    pub expect: BTreeMap<String, Value>,
}

/// The case's objects, parsed through the model (errors name the field path).
#[derive(Debug)]
pub struct Parsed {
    pub gates: FeatureGates,
    pub snapshot: Snapshot,
    pub pod: Pod,
}

fn list<T: serde::de::DeserializeOwned>(values: &[Value], field: &str) -> Result<Vec<T>, String> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| model::from_value_at(v, &format!("{field}[{i}]")).map_err(|e| e.to_string()))
        .collect()
}

impl SchedulingCase {
    pub fn parse(&self) -> Result<Parsed, String> {
        let gates = crate::cases::case_gates(self.kubernetes_version, &self.feature_gates)?;
        let objects = Objects {
            nodes: list::<Node>(&self.nodes, "nodes")?,
            pods: list::<Pod>(&self.pods, "pods")?,
            namespaces: list::<Namespace>(&self.namespaces, "namespaces")?,
            services: list::<Service>(&self.services, "services")?,
            replica_sets: list::<ReplicaSet>(&self.replica_sets, "replicaSets")?,
            pod_disruption_budgets: list::<PodDisruptionBudget>(&self.pdbs, "pdbs")?,
            ..Objects::default()
        };
        let snapshot = Snapshot::from_objects(objects, gates);
        let pod = model::from_value_at::<Pod>(&self.pod, "pod").map_err(|e| e.to_string())?;
        Ok(Parsed {
            gates,
            snapshot,
            pod,
        })
    }

    /// Builds the listed plugins with their args.
    pub fn plugins(
        &self,
        gates: &FeatureGates,
    ) -> Result<Vec<Box<dyn Plugin>>, kubelogic::scheduler::ConfigError> {
        self.plugins
            .iter()
            .flatten()
            .map(|name| new_plugin(name, self.plugin_config.get(name), gates))
            .collect()
    }
}

/// An expected status: `{"code", "reasons"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedStatus {
    code: Code,
    #[serde(default)]
    reasons: Vec<String>,
}

fn check_status(what: &str, expected: &Value, got: &Status) -> Result<(), String> {
    let want: ExpectedStatus = serde_json::from_value(expected.clone())
        .map_err(|e| format!("bad expected status for {what}: {e}"))?;
    if want.code != got.code || got.reasons != want.reasons {
        return Err(format!(
            "{what}: expected {} {:?}, got {} {:?}",
            want.code, want.reasons, got.code, got.reasons
        ));
    }
    Ok(())
}

fn check_config_error(
    case: &SchedulingCase,
    gates: &FeatureGates,
) -> Result<Option<Vec<Box<dyn Plugin>>>, String> {
    match (case.plugins(gates), case.expect.get("configError")) {
        (Ok(p), None) => Ok(Some(p)),
        (Err(e), None) => Err(format!("plugin config rejected: {e}")),
        (Ok(_), Some(want)) => Err(format!("expected config error {want}, plugins were built")),
        (Err(e), Some(want)) => {
            let field = want.get("field").and_then(Value::as_str).unwrap_or("");
            let ty = want.get("type").and_then(Value::as_str).unwrap_or("");
            if e.field == field && e.error_type.as_str() == ty {
                Ok(None)
            } else {
                Err(format!(
                    "expected config error {field} {ty}, got {} {}",
                    e.field,
                    e.error_type.as_str()
                ))
            }
        }
    }
}

/// Kind `filter`: PreFilter, then Filter on every node.
pub fn run_filter(case: SchedulingCase) -> Result<(), String> {
    let parsed = case.parse()?;
    let Some(plugins) = check_config_error(&case, &parsed.gates)? else {
        return Ok(());
    };
    let pod = PodInfo::new(parsed.pod, &parsed.gates);
    let snap = &parsed.snapshot;
    let mut state = CycleState::new();
    let mut expect = case.expect.clone();
    let want_pre_filter_error = expect.remove("preFilterError");
    let want_pre_filter_result = expect.remove("preFilterResult");
    let mut pre_filter_result = None;
    for p in &plugins {
        let Some(pf) = p.as_pre_filter() else {
            continue;
        };
        let (result, status) = pf.pre_filter(&mut state, &pod, snap);
        if status.is_skip() {
            state.skip_filter_plugins.insert(p.name());
        } else if !status.is_success() {
            return match &want_pre_filter_error {
                Some(want) => check_status("preFilter", want, &status),
                None => Err(format!("PreFilter of {} failed: {status}", p.name())),
            };
        }
        if let Some(r) = result {
            pre_filter_result = Some(r);
        }
    }
    if let Some(want) = want_pre_filter_error {
        return Err(format!("expected PreFilter to fail with {want}, it passed"));
    }
    if let Some(want) = want_pre_filter_result {
        let want: Vec<String> =
            serde_json::from_value(want.get("nodeNames").cloned().unwrap_or(Value::Null))
                .map_err(|e| format!("bad preFilterResult: {e}"))?;
        let got: Option<Vec<String>> = pre_filter_result
            .and_then(|r| r.node_names)
            .map(|s| s.into_iter().collect());
        let mut want_sorted = want.clone();
        want_sorted.sort();
        if got.as_ref() != Some(&want_sorted) {
            return Err(format!(
                "preFilterResult: expected {want_sorted:?}, got {got:?}"
            ));
        }
    }
    let mut failures = Vec::new();
    for node in snap.nodes() {
        let mut status = Status::success();
        for p in &plugins {
            if state.skip_filter_plugins.contains(p.name()) {
                continue;
            }
            let Some(f) = p.as_filter() else { continue };
            status = f.filter(&state, &pod, node);
            if !status.is_success() {
                break;
            }
        }
        let name = node.name();
        let result = match expect.remove(name) {
            Some(want) => check_status(&format!("node {name}"), &want, &status),
            None if status.is_success() => Ok(()),
            None => Err(format!("node {name}: expected to pass, got {status}")),
        };
        if let Err(e) = result {
            failures.push(e);
        }
    }
    if let Some(extra) = expect.keys().next() {
        failures.push(format!(
            "expect names {extra:?}, which is not a node of the case"
        ));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// Kind `score`: PreScore over the feasible nodes, Score, NormalizeScore.
pub fn run_score(case: SchedulingCase) -> Result<(), String> {
    let parsed = case.parse()?;
    let Some(plugins) = check_config_error(&case, &parsed.gates)? else {
        return Ok(());
    };
    let [plugin] = plugins.as_slice() else {
        return Err(format!(
            "a score case runs exactly one plugin, got {}",
            plugins.len()
        ));
    };
    let pod = PodInfo::new(parsed.pod, &parsed.gates);
    let snap = &parsed.snapshot;
    let feasible: Vec<_> = match &case.feasible_nodes {
        Some(names) => names
            .iter()
            .map(|n| {
                snap.node(n)
                    .ok_or_else(|| format!("feasibleNodes names unknown node {n:?}"))
            })
            .collect::<Result<_, _>>()?,
        None => snap.nodes().iter().collect(),
    };
    let mut expect = case.expect.clone();
    let want_pre_score_error = expect.remove("preScoreError");
    let mut state = CycleState::new();
    let mut skipped = false;
    if let Some(ps) = plugin.as_pre_score() {
        let status = ps.pre_score(&mut state, &pod, &feasible, snap);
        if status.is_skip() {
            skipped = true;
        } else if !status.is_success() {
            let Some(want) = want_pre_score_error else {
                return Err(format!("PreScore failed: {status}"));
            };
            let code = want.get("code").and_then(Value::as_str).unwrap_or("");
            let contains = want
                .get("messageContains")
                .and_then(Value::as_str)
                .unwrap_or("");
            return if status.code.as_str() == code && status.message().contains(contains) {
                Ok(())
            } else {
                Err(format!(
                    "preScoreError: expected {code} containing {contains:?}, got {status}"
                ))
            };
        }
    }
    if let Some(want) = want_pre_score_error {
        return Err(format!("expected PreScore to fail with {want}, it passed"));
    }
    let Some(scorer) = plugin.as_score() else {
        return Err(format!("{} has no Score extension point", plugin.name()));
    };
    let mut scores: Vec<NodeScore<'_>> = feasible
        .iter()
        .map(|node| NodeScore {
            name: node.name(),
            score: 0,
        })
        .collect();
    if !skipped {
        // What the cycle runs (the batch), checked against Score per node.
        scorer
            .score_nodes(&state, &pod, &feasible, &mut scores)
            .map_err(|s| format!("Score failed: {s}"))?;
        for (node, s) in feasible.iter().zip(&scores) {
            let one = scorer
                .score(&state, &pod, node)
                .map_err(|s| format!("Score failed: {s}"))?;
            if one != s.score {
                return Err(format!(
                    "node {}: score_nodes gave {}, Score gave {one}",
                    s.name, s.score
                ));
            }
        }
    }
    if !skipped {
        let status = scorer.normalize(&state, &pod, &mut scores);
        if !status.is_success() {
            return Err(format!("NormalizeScore failed: {status}"));
        }
    }
    let mut failures = Vec::new();
    for s in &scores {
        match expect.remove(s.name) {
            Some(want) if want.as_i64() == Some(s.score) => {}
            Some(want) => {
                failures.push(format!("node {}: expected {want}, got {}", s.name, s.score))
            }
            None => failures.push(format!(
                "node {}: scored {} but expect has no entry",
                s.name, s.score
            )),
        }
    }
    for k in expect.keys() {
        failures.push(format!("expect names {k:?}, which was not scored"));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// `expect.preemption` of a `schedule` case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectedPreemption {
    /// Absent: not checked; `null`: no PostFilterResult; a string: that node (`""` clears).
    #[serde(default, deserialize_with = "present")]
    nominated_node: Option<Option<String>>,
    nominated_node_one_of: Option<Vec<String>>,
    victims: Option<Vec<String>>,
    status: Option<ExpectedPostFilterStatus>,
    candidates: Option<BTreeMap<String, ExpectedCandidate>>,
    eligible: Option<bool>,
}

/// Distinguishes an absent field (`None`) from `null` (`Some(None)`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedPostFilterStatus {
    code: Code,
    #[serde(default)]
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectedCandidate {
    victims: Vec<String>,
    #[serde(rename = "numPDBViolations")]
    num_pdb_violations: i64,
}

/// `expect` of a `schedule` case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectedSchedule {
    feasible: Option<Vec<String>>,
    total_scores: Option<BTreeMap<String, i64>>,
    selected: Option<Vec<String>>,
    fit_error: Option<String>,
    node_statuses: Option<BTreeMap<String, Value>>,
    preemption: Option<ExpectedPreemption>,
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn check_preemption(
    want: &ExpectedPreemption,
    got: Option<&PreemptionResult>,
    eligible: bool,
    failures: &mut Vec<String>,
) {
    if let Some(e) = want.eligible {
        if e != eligible {
            failures.push(format!("preemption.eligible: expected {e}, got {eligible}"));
        }
    }
    let checks_result = want.nominated_node.is_some()
        || want.nominated_node_one_of.is_some()
        || want.victims.is_some()
        || want.status.is_some()
        || want.candidates.is_some();
    if !checks_result {
        return;
    }
    let Some(got) = got else {
        failures
            .push("preemption: expected a PostFilter result, DefaultPreemption did not run".into());
        return;
    };
    if let Some(n) = &want.nominated_node {
        if n != &got.nominated_node {
            failures.push(format!(
                "preemption.nominatedNode: expected {n:?}, got {:?}",
                got.nominated_node
            ));
        }
    }
    if let Some(one_of) = &want.nominated_node_one_of {
        if !got
            .nominated_node
            .as_ref()
            .is_some_and(|n| one_of.contains(n))
        {
            failures.push(format!(
                "preemption.nominatedNodeOneOf: expected one of {one_of:?}, got {:?}",
                got.nominated_node
            ));
        }
    }
    if let Some(v) = &want.victims {
        if sorted(v.clone()) != sorted(got.victims.clone()) {
            failures.push(format!(
                "preemption.victims: expected {v:?}, got {:?}",
                got.victims
            ));
        }
    }
    if let Some(s) = &want.status {
        if s.code != got.status.code || s.message != got.status.message() {
            failures.push(format!(
                "preemption.status: expected {} {:?}, got {} {:?}",
                s.code,
                s.message,
                got.status.code,
                got.status.message()
            ));
        }
    }
    if let Some(c) = &want.candidates {
        let want: BTreeMap<String, (Vec<String>, i64)> = c
            .iter()
            .map(|(k, v)| (k.clone(), (sorted(v.victims.clone()), v.num_pdb_violations)))
            .collect();
        let have: BTreeMap<String, (Vec<String>, i64)> = got
            .candidates
            .iter()
            .map(|c| {
                (
                    c.node.clone(),
                    (sorted(c.victim_keys()), c.num_pdb_violations),
                )
            })
            .collect();
        if want != have {
            failures.push(format!(
                "preemption.candidates: expected {want:?}, got {have:?}"
            ));
        }
    }
}

fn finish(failures: Vec<String>) -> Result<(), String> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// Kind `schedule`: a whole cycle with a profile (see scheduling/cycle/NOTES.md).
pub fn run_schedule(case: SchedulingCase) -> Result<(), String> {
    if case.feasible_nodes.is_some() {
        return Err("feasibleNodes is for kind score".into());
    }
    let parsed = case.parse()?;
    let want: ExpectedSchedule =
        serde_json::from_value(Value::Object(case.expect.clone().into_iter().collect()))
            .map_err(|e| format!("bad expect: {e}"))?;
    let profile = Profile::new(case.plugins.as_deref(), &case.plugin_config, parsed.gates)
        .map_err(|e| format!("profile rejected: {e}"))?;
    let snap = &parsed.snapshot;
    let pod = PodInfo::new(parsed.pod, &parsed.gates);
    let mut failures = Vec::new();

    if let Some(statuses) = &case.filter_statuses {
        // PreFilter runs (preemption's dry run reads its state); the given
        // statuses replace the Filter phase and go straight to PostFilter.
        let mut state = CycleState::new();
        let _ = profile.run_pre_filter(&mut state, &pod, snap);
        let mut m = NodeToStatus::default();
        for (node, v) in statuses {
            let s: ExpectedStatus = serde_json::from_value(v.clone())
                .map_err(|e| format!("bad filterStatuses[{node}]: {e}"))?;
            m.set(node.clone(), Status::with_reasons(s.code, s.reasons));
        }
        let plugin = profile.default_preemption;
        let nominated = pod.pod.status.nominated_node_name.as_deref().unwrap_or("");
        let eligible = DefaultPreemption::default()
            .pod_eligible_to_preempt_others(&pod.pod, snap, m.get(nominated))
            .is_ok();
        let result = plugin.map(|p| p.post_filter(&profile, &state, &pod, &m, snap));
        if want.feasible.is_some()
            || want.total_scores.is_some()
            || want.selected.is_some()
            || want.fit_error.is_some()
            || want.node_statuses.is_some()
        {
            return Err("a filterStatuses case checks only expect.preemption".into());
        }
        if let Some(p) = &want.preemption {
            check_preemption(p, result.as_ref(), eligible, &mut failures);
        }
        return finish(failures);
    }

    let result = schedule_pod_info(snap, &pod, &profile);
    if let Some(e) = &result.error {
        return Err(format!("the cycle failed: {e}"));
    }
    if let Some(f) = &want.feasible {
        let got: Vec<String> = result.feasible_names().map(str::to_owned).collect();
        if sorted(f.clone()) != sorted(got.clone()) {
            failures.push(format!("feasible: expected {f:?}, got {got:?}"));
        }
    }
    if let Some(s) = &want.selected {
        let tied: Vec<String> = result.tied_names().map(str::to_owned).collect();
        if sorted(s.clone()) != sorted(tied.clone()) {
            failures.push(format!("selected: expected {s:?}, got {tied:?}"));
        }
        if !result
            .selected_name()
            .is_some_and(|n| s.iter().any(|x| n == x))
        {
            failures.push(format!(
                "selected: chose {:?}, not one of {s:?}",
                result.selected_name()
            ));
        }
    }
    if let Some(t) = &want.total_scores {
        let got: BTreeMap<String, i64> = result
            .nodes
            .iter()
            .zip(result.node_names.iter())
            .filter_map(|(n, name)| n.total.map(|t| (name.clone(), t)))
            .collect();
        if t != &got {
            failures.push(format!("totalScores: expected {t:?}, got {got:?}"));
        }
    }
    if let Some(m) = &want.fit_error {
        let got = result.message();
        if got.as_deref() != Some(m.as_str()) {
            failures.push(format!("fitError: expected {m:?}, got {got:?}"));
        }
    }
    if let Some(statuses) = &want.node_statuses {
        for (n, name) in result.nodes.iter().zip(result.node_names.iter()) {
            let got = n.status.clone().unwrap_or_default();
            match statuses.get(name.as_str()) {
                Some(w) => {
                    if let Err(e) = check_status(&format!("nodeStatuses[{name}]"), w, &got) {
                        failures.push(e);
                    }
                }
                None => failures.push(format!("nodeStatuses: no entry for node {name}")),
            }
        }
        for k in statuses.keys() {
            if result.node(k).is_none() {
                failures.push(format!("nodeStatuses names {k:?}, which is not a node"));
            }
        }
    }
    if let Some(p) = &want.preemption {
        let eligible = result.preemption.as_ref().is_none_or(|p| p.eligible);
        check_preemption(p, result.preemption.as_ref(), eligible, &mut failures);
    }
    finish(failures)
}
