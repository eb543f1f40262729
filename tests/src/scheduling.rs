//! Scheduler cases: kinds `filter` and `score` (one plugin's extension
//! points run directly, as the upstream plugin tests do).

use std::collections::BTreeMap;

use kubelogic::model::{
    self, Namespace, Node, Objects, Pod, PodDisruptionBudget, ReplicaSet, Service,
};
use kubelogic::scheduler::framework::{Code, CycleState, NodeScore, Status};
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::{Plugin, PodInfo, Snapshot};
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
        let gates = FeatureGates::default()
            .with(&self.feature_gates)
            .map_err(|e| e.to_string())?;
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
    if want.code != got.code || want.reasons != got.reasons {
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
            if e.field == field && e.error_type == ty {
                Ok(None)
            } else {
                Err(format!(
                    "expected config error {field} {ty}, got {} {}",
                    e.field, e.error_type
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
    let mut scores: Vec<NodeScore> = Vec::with_capacity(feasible.len());
    for node in &feasible {
        let score = if skipped {
            0
        } else {
            scorer
                .score(&state, &pod, node)
                .map_err(|s| format!("Score failed: {s}"))?
        };
        scores.push(NodeScore {
            name: node.name().to_owned(),
            score,
        });
    }
    if !skipped {
        let status = scorer.normalize_score(&state, &pod, &mut scores);
        if !status.is_success() {
            return Err(format!("NormalizeScore failed: {status}"));
        }
    }
    let mut failures = Vec::new();
    for s in &scores {
        match expect.remove(&s.name) {
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
