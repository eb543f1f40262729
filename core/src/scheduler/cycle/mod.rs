//! The scheduling cycle (`pkg/scheduler/schedule_one.go`): PreFilter →
//! Filter → (no node fits: FitError and PostFilter/preemption) → PreScore →
//! Score → NormalizeScore → weights → select, with every step explained in
//! a [`ScheduleResult`].
//!
//! ```
//! use kubelogic::model::parse_objects;
//! use kubelogic::scheduler::{cycle::schedule, Profile, Snapshot};
//! use kubelogic::FeatureGates;
//!
//! let objects = parse_objects(r#"[
//!   {"kind": "Node", "metadata": {"name": "a"},
//!    "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}},
//!   {"kind": "Node", "metadata": {"name": "b"}, "spec": {"unschedulable": true},
//!    "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}
//! ]"#)?;
//! let snapshot = Snapshot::from_objects(objects, FeatureGates::default());
//! let pod = kubelogic::model::from_json_str(r#"{"metadata": {"name": "p", "namespace": "default"},
//!   "spec": {"containers": [{"name": "c"}]}}"#)?;
//! let profile = Profile::new(Some(&["NodeUnschedulable".into(), "NodeName".into()]),
//!     &Default::default(), FeatureGates::default())?;
//! let result = schedule(&snapshot, &pod, &profile);
//! assert_eq!(result.selected_name(), Some("a"));
//! assert_eq!(result.feasible_names().collect::<Vec<_>>(), ["a"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

pub use super::framework::{Diagnosis, FitError, NodeToStatus, NO_NODE_AVAILABLE_MSG};

use super::framework::{
    mul_saturating, Code, CycleState, ExtensionPoint, FilterPlugin, NodeScore, PreFilterResult,
    ScorePlugin, Status, MAX_NODE_SCORE, MIN_NODE_SCORE,
};
use super::preemption::PreemptionResult;
use super::profile::{run_filter_plugins, Profile};
use super::snapshot::{NodeInfo, PodInfo, Snapshot};
use crate::model::Pod;

/// `minFeasibleNodesToFind`.
pub const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
/// `minFeasibleNodesPercentageToFind`.
pub const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: usize = 5;

/// One plugin's score for one node (a view assembled by
/// [`ScheduleResult::node_scores`] and in the serialized form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PluginScore {
    /// The plugin.
    pub plugin: &'static str,
    /// What Score returned.
    pub raw: i64,
    /// After NormalizeScore (`0..=100`).
    pub normalized: i64,
    /// The plugin's weight in the profile.
    pub weight: i64,
    /// `normalized × weight`.
    pub weighted: i64,
}

/// One score plugin's scores for every scored node, in the order of
/// [`ScheduleResult::feasible`] (upstream's `pluginToNodeScores`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PluginScores {
    /// The plugin.
    pub plugin: &'static str,
    /// Its weight.
    pub weight: i64,
    /// What Score returned, per feasible node.
    pub raw: Vec<i64>,
    /// After NormalizeScore, per feasible node.
    pub normalized: Vec<i64>,
}

/// What the cycle did with one node (its name is
/// [`ScheduleResult::node_name`] at the same index).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeResult {
    /// The status after PreFilter/Filter: `Success` when feasible, the first
    /// rejecting plugin's status otherwise (for nodes the cycle never
    /// filtered, the status they count with: a PreFilter rejection or
    /// `node(s) didn't satisfy plugin(s) [...]`). `None`: not evaluated (the
    /// search stopped early under `percentageOfNodesToScore`, or the
    /// nominated node was chosen first).
    pub status: Option<Status>,
    /// The node's position in [`ScheduleResult::feasible`] and in the score columns.
    pub feasible_index: Option<usize>,
    /// The weighted total, when scored.
    pub total: Option<i64>,
}
/// Why the cycle stopped with an error rather than a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
#[non_exhaustive]
pub enum ScheduleError {
    /// The snapshot has no node (`ErrNoNodesAvailable`).
    NoNodesAvailable,
    /// A plugin returned an error status (not a rejection).
    Plugin {
        /// The plugin.
        plugin: String,
        /// Where it failed.
        extension_point: ExtensionPoint,
        /// The message, as upstream wraps it.
        message: String,
    },
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::NoNodesAvailable => f.write_str("no nodes available to schedule pods"),
            ScheduleError::Plugin {
                plugin,
                extension_point,
                message,
            } => write!(f, "{extension_point} {plugin}: {message}"),
        }
    }
}

impl std::error::Error for ScheduleError {}

/// Everything one scheduling cycle decided, and why.
///
/// Serialized (camelCase) with each node's scores inline:
/// `{"pod", "nodes": [{"name", "status", "scores": [{"plugin", "raw",
/// "normalized", "weight", "weighted"}], "total"}], "feasible", "selected",
/// "tied", "evaluatedNodes", "scoredNodes", "skippedFilterPlugins",
/// "skippedScorePlugins", "fitError": {..., "message"}, "preemption", "error"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleResult {
    /// The pod, `namespace/name`.
    pub pod: String,
    /// The snapshot's node names, in snapshot order (shared with the
    /// snapshot: [`Snapshot::node_names`]). Nodes are referred to by their
    /// index in this list everywhere else in the result.
    pub node_names: Arc<[String]>,
    /// Every node of the snapshot, in snapshot order (`nodes[i]` is the node
    /// named `node_names[i]`).
    pub nodes: Vec<NodeResult>,
    /// The nodes that passed filtering (indexes), in snapshot order.
    pub feasible: Vec<usize>,
    /// The chosen node (index): the first node in snapshot order among those
    /// with the highest total score. Upstream picks uniformly at random
    /// among them; kubelogic's rule is deterministic. `None` when nothing fits.
    pub selected: Option<usize>,
    /// Every node with the highest total (indexes; the nodes `selected` was
    /// chosen from).
    pub tied: Vec<usize>,
    /// Each score plugin that ran, with its scores per feasible node.
    pub scores: Vec<PluginScores>,
    /// Nodes filtered (`EvaluatedNodes`: feasible plus rejected).
    pub evaluated_nodes: usize,
    /// Nodes scored (0 when a single feasible node was chosen directly).
    pub scored_nodes: usize,
    /// Plugins whose PreFilter returned Skip (their Filter did not run).
    pub skipped_filter_plugins: Vec<&'static str>,
    /// Plugins whose PreScore returned Skip (their Score did not run).
    pub skipped_score_plugins: Vec<&'static str>,
    /// When no node fits: the FitError; its `to_string()` is the
    /// `FailedScheduling` message, preemption's part included.
    pub fit_error: Option<FitError>,
    /// What DefaultPreemption did (when it ran).
    pub preemption: Option<PreemptionResult>,
    /// An internal error that stopped the cycle.
    pub error: Option<ScheduleError>,
}

impl ScheduleResult {
    /// The `FailedScheduling` message, when nothing fits.
    pub fn message(&self) -> Option<String> {
        self.fit_error.as_ref().map(ToString::to_string)
    }

    /// The name of the node at `index`.
    pub fn node_name(&self, index: usize) -> Option<&str> {
        self.node_names.get(index).map(String::as_str)
    }

    /// The index of a node by name.
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.node_names.iter().position(|n| n == name)
    }

    /// Every node's name and result, in snapshot order.
    pub fn named_nodes(&self) -> impl Iterator<Item = (&str, &NodeResult)> + '_ {
        self.node_names
            .iter()
            .map(String::as_str)
            .zip(self.nodes.iter())
    }

    /// The result for a node by name.
    pub fn node(&self, name: &str) -> Option<&NodeResult> {
        self.node_index(name).and_then(|i| self.nodes.get(i))
    }

    /// The chosen node's name.
    pub fn selected_name(&self) -> Option<&str> {
        self.selected.and_then(|i| self.node_name(i))
    }

    /// The feasible nodes' names, in snapshot order.
    pub fn feasible_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.feasible.iter().filter_map(|&i| self.node_name(i))
    }

    /// The names of the nodes tied for the highest total.
    pub fn tied_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.tied.iter().filter_map(|&i| self.node_name(i))
    }

    /// Each plugin's raw, normalized and weighted score for the node at
    /// `feasible_index` (see [`NodeResult::feasible_index`]).
    pub fn scores_at(&self, feasible_index: usize) -> Vec<PluginScore> {
        self.scores
            .iter()
            .filter_map(|p| {
                let raw = *p.raw.get(feasible_index)?;
                let normalized = *p.normalized.get(feasible_index)?;
                Some(PluginScore {
                    plugin: p.plugin,
                    raw,
                    normalized,
                    weight: p.weight,
                    weighted: mul_saturating(normalized, p.weight),
                })
            })
            .collect()
    }

    /// The node at `index` as one row of the serialized result: name,
    /// status, each plugin's scores, total.
    pub fn row(&self, index: usize) -> Option<NodeRow<'_>> {
        let node = self.nodes.get(index)?;
        Some(NodeRow {
            name: self.node_name(index)?,
            status: node.status.as_ref(),
            scores: node
                .feasible_index
                .map(|i| self.scores_at(i))
                .unwrap_or_default(),
            total: node.total,
        })
    }

    /// Each plugin's scores for a node by name (empty when not scored).
    pub fn node_scores(&self, name: &str) -> Vec<PluginScore> {
        self.node(name)
            .and_then(|n| n.feasible_index)
            .map(|i| self.scores_at(i))
            .unwrap_or_default()
    }
}

/// One node's row of the serialized result (`{"name", "status", "scores",
/// "total"}`): [`ScheduleResult::row`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeRow<'a> {
    /// The node.
    pub name: &'a str,
    /// Its status (absent when not evaluated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'a Status>,
    /// Each plugin's scores (empty when not scored).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<PluginScore>,
    /// The weighted total (absent when not scored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FitErrorView<'a> {
    message: String,
    #[serde(flatten)]
    fit_error: &'a FitError,
}

/// Node indexes serialized as their names.
struct Names<'a> {
    indexes: &'a [usize],
    names: &'a [String],
}

impl Serialize for Names<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.indexes
                .iter()
                .filter_map(|&i| self.names.get(i).map(String::as_str)),
        )
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScheduleResultView<'a> {
    pod: &'a str,
    nodes: Vec<NodeRow<'a>>,
    feasible: Names<'a>,
    selected: Option<&'a str>,
    tied: Names<'a>,
    evaluated_nodes: usize,
    scored_nodes: usize,
    skipped_filter_plugins: &'a [&'static str],
    skipped_score_plugins: &'a [&'static str],
    fit_error: Option<FitErrorView<'a>>,
    preemption: &'a Option<PreemptionResult>,
    error: &'a Option<ScheduleError>,
}

impl Serialize for ScheduleResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let nodes = (0..self.nodes.len()).filter_map(|i| self.row(i)).collect();
        ScheduleResultView {
            pod: &self.pod,
            nodes,
            feasible: Names {
                indexes: &self.feasible,
                names: &self.node_names,
            },
            selected: self.selected_name(),
            tied: Names {
                indexes: &self.tied,
                names: &self.node_names,
            },
            evaluated_nodes: self.evaluated_nodes,
            scored_nodes: self.scored_nodes,
            skipped_filter_plugins: &self.skipped_filter_plugins,
            skipped_score_plugins: &self.skipped_score_plugins,
            fit_error: self.fit_error.as_ref().map(|f| FitErrorView {
                message: f.to_string(),
                fit_error: f,
            }),
            preemption: &self.preemption,
            error: &self.error,
        }
        .serialize(serializer)
    }
}

/// `numFeasibleNodesToFind`: how many feasible nodes the Filter search
/// looks for. `None` (kubelogic's default): every node. `Some(0)`: the
/// adaptive percentage `50 - n/125`, at least 5%. Never fewer than 100.
///
/// ```
/// use kubelogic::scheduler::cycle::num_feasible_nodes_to_find;
/// assert_eq!(num_feasible_nodes_to_find(None, 5000), 5000);
/// assert_eq!(num_feasible_nodes_to_find(Some(0), 5000), 500);
/// assert_eq!(num_feasible_nodes_to_find(Some(0), 1000), 420);
/// assert_eq!(num_feasible_nodes_to_find(Some(30), 50), 50);
/// ```
pub fn num_feasible_nodes_to_find(percentage: Option<u32>, num_all_nodes: usize) -> usize {
    let Some(p) = percentage else {
        return num_all_nodes;
    };
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND {
        return num_all_nodes;
    }
    let mut p = usize::try_from(p).unwrap_or(usize::MAX);
    if p == 0 {
        p = 50usize.saturating_sub(num_all_nodes / 125);
        if p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND {
            p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
        }
    }
    let n = num_all_nodes.saturating_mul(p) / 100;
    n.max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// Filters one node: [`run_filter_plugins`] over the Filters collected once
/// per cycle, or, when pods are nominated to nodes of the snapshot,
/// [`Profile::run_filter_with_nominated_pods`] (`RunFilterPluginsWithNominatedPods`).
fn filter_node(
    profile: &Profile,
    filters: &[(&'static str, &dyn FilterPlugin)],
    state: &CycleState,
    pod: &PodInfo,
    node: &NodeInfo,
    snapshot: &Snapshot,
) -> Status {
    if snapshot.has_nominated_pods() {
        profile.run_filter_with_nominated_pods(state, pod, node, snapshot)
    } else {
        run_filter_plugins(filters.iter().copied(), state, pod, node)
    }
}

/// The result under construction. What the cycle finds per node is kept
/// sparse (the statuses it sets, the feasible nodes, their totals) until
/// [`Builder::finish`] writes [`ScheduleResult::nodes`]: each feasible
/// node's entry is then updated once, not after Filter and again after
/// Score (on 5,000 nodes each pass over the entries costs about 5% of a
/// decision).
struct Builder<'a> {
    snapshot: &'a Snapshot,
    /// Everything but `nodes` (empty until `finish`).
    result: ScheduleResult,
    /// The statuses set on nodes, by node index, other than the feasible
    /// nodes' Success (a later entry for a node overrides an earlier one).
    statuses: Vec<(usize, Status)>,
    /// The feasible nodes' totals, in the order of `result.feasible`, once scored.
    totals: Vec<i64>,
}

impl Builder<'_> {
    fn fail(mut self, error: ScheduleError) -> ScheduleResult {
        self.result.error = Some(error);
        self.finish()
    }

    #[inline]
    fn set_status(&mut self, index: usize, status: Status) {
        self.statuses.push((index, status));
    }

    /// The result, with `nodes` written from the statuses (in the order
    /// they were set), the feasible nodes (status Success and their index in
    /// `feasible`) and the totals.
    fn finish(mut self) -> ScheduleResult {
        let mut nodes = vec![
            NodeResult {
                status: None,
                feasible_index: None,
                total: None,
            };
            self.result.node_names.len()
        ];
        for (i, status) in self.statuses {
            if let Some(slot) = nodes.get_mut(i) {
                slot.status = Some(status);
            }
        }
        for (k, &i) in self.result.feasible.iter().enumerate() {
            if let Some(slot) = nodes.get_mut(i) {
                slot.status = Some(Status::success());
                slot.feasible_index = Some(k);
                slot.total = self.totals.get(k).copied();
            }
        }
        self.result.nodes = nodes;
        self.result
    }

    fn plugin_error(&self, status: &Status, point: ExtensionPoint) -> ScheduleError {
        ScheduleError::Plugin {
            plugin: status.plugin.as_deref().unwrap_or_default().to_owned(),
            extension_point: point,
            message: status.message(),
        }
    }

    /// The explicit statuses of the rejected nodes, as upstream's
    /// `Diagnosis.NodeToStatus` after Filter.
    fn rejected_statuses(&self, node_to_status: &mut NodeToStatus) {
        for (i, s) in &self.statuses {
            if let Some(name) = self.result.node_names.get(*i).filter(|_| s.is_rejected()) {
                node_to_status.set(name, s.clone());
            }
        }
    }
}

/// Schedules `pod` onto `snapshot` with `profile`: one scheduling cycle as
/// kube-scheduler runs it, without binding.
///
/// - PreFilter (Skip, `Unschedulable` vs `UnschedulableAndUnresolvable`,
///   PreFilterResult narrowing); then the pod's `status.nominatedNodeName`
///   first, if set and it passes the Filters; then Filter on every
///   remaining node (first rejecting plugin per node).
/// - No feasible node: a [`FitError`] and the PostFilter (DefaultPreemption
///   when the profile has it), whose message becomes part of the FitError.
/// - One feasible node: chosen without scoring, as upstream.
/// - Otherwise PreScore, Score, NormalizeScore, weights; the node with the
///   highest total wins; ties go to the first such node in snapshot order
///   (upstream chooses uniformly at random among them); `tied` lists them.
///
/// `profile.percentage_of_nodes_to_score` `None` filters and scores every
/// node; `Some(p)` stops the Filter search after
/// [`num_feasible_nodes_to_find`] feasible nodes, starting at the first node.
/// Pods nominated to a node ([`Snapshot::nominate`]) with at least the
/// pod's priority count on that node during Filter, as upstream's
/// `RunFilterPluginsWithNominatedPods`.
pub fn schedule(snapshot: &Snapshot, pod: &Pod, profile: &Profile) -> ScheduleResult {
    let info = PodInfo::new(pod.clone(), &snapshot.gates);
    schedule_pod_info(snapshot, &info, profile)
}

/// [`schedule`] for a pod already parsed into a [`PodInfo`].
pub fn schedule_pod_info(snapshot: &Snapshot, pod: &PodInfo, profile: &Profile) -> ScheduleResult {
    let all = snapshot.nodes();
    let mut b = Builder {
        snapshot,
        result: ScheduleResult {
            pod: pod.pod.key(),
            node_names: Arc::clone(snapshot.node_names()),
            nodes: Vec::new(),
            feasible: Vec::new(),
            selected: None,
            tied: Vec::new(),
            scores: Vec::new(),
            evaluated_nodes: 0,
            scored_nodes: 0,
            skipped_filter_plugins: Vec::new(),
            skipped_score_plugins: Vec::new(),
            fit_error: None,
            preemption: None,
            error: None,
        },
        statuses: Vec::new(),
        totals: Vec::new(),
    };
    if all.is_empty() {
        return b.fail(ScheduleError::NoNodesAvailable);
    }
    let mut state = CycleState::new();
    let mut diagnosis = Diagnosis::default();

    // PreFilter.
    let pre = profile.run_pre_filter_plugins(&mut state, pod, snapshot);
    b.result.skipped_filter_plugins = state.skip_filter_plugins.as_slice().to_vec();
    if !pre.status.is_success() {
        if !pre.status.is_rejected() {
            let err = b.plugin_error(&pre.status, ExtensionPoint::PreFilter);
            return b.fail(err);
        }
        for i in 0..all.len() {
            b.set_status(i, pre.status.clone());
        }
        if let Some(p) = &pre.status.plugin {
            diagnosis.unschedulable_plugins.insert(p.to_string());
        }
        diagnosis.pre_filter_msg = pre.status.message();
        diagnosis.node_to_status.set_absent_nodes_status(pre.status);
        return finish_unschedulable(b, &state, pod, profile, diagnosis);
    }

    // The nodes to filter.
    let candidates: Vec<usize> = match &pre.result {
        PreFilterResult {
            node_names: Some(names),
        } => {
            let absent = Status::unresolvable(format!(
                "node(s) didn't satisfy plugin(s) [{}]",
                pre.plugins_with_nodes.join(" ")
            ));
            let mut keep = Vec::with_capacity(names.len());
            for (i, n) in all.iter().enumerate() {
                if names.contains(n.name()) {
                    keep.push(i);
                } else {
                    b.set_status(i, absent.clone());
                }
            }
            diagnosis.node_to_status.set_absent_nodes_status(absent);
            keep
        }
        PreFilterResult { node_names: None } => (0..all.len()).collect(),
    };

    let filters: Vec<(&'static str, &dyn FilterPlugin)> = profile
        .plugins
        .iter()
        .filter(|p| !state.skip_filter_plugins.contains(p.plugin.name()))
        .filter_map(|p| p.plugin.as_filter().map(|f| (p.plugin.name(), f)))
        .collect();

    // The nominated node first.
    let mut feasible: Vec<usize> = Vec::with_capacity(candidates.len());
    let nominated = pod.pod.status.nominated_node_name.as_deref().unwrap_or("");
    if let Some(i) = snapshot
        .node_index(nominated)
        .filter(|i| !nominated.is_empty() && candidates.contains(i))
    {
        if let Some(node) = all.get(i) {
            let status = filter_node(profile, &filters, &state, pod, node, snapshot);
            if status.code == Code::Error {
                let err = b.plugin_error(&status, ExtensionPoint::Filter);
                return b.fail(err);
            }
            if status.is_success() {
                feasible.push(i);
            }
        }
    }

    // Filter.
    let mut rejected = 0;
    let every_node = profile.percentage_of_nodes_to_score.is_none()
        || num_feasible_nodes_to_find(profile.percentage_of_nodes_to_score, candidates.len())
            >= candidates.len();
    if feasible.is_empty() && every_node && !snapshot.has_nominated_pods() {
        // Every candidate is filtered: plugin by plugin over the nodes that
        // passed the plugins before (the same first rejection per node as
        // node by node, with one dynamic call and state read per plugin).
        // The nodes still in (indexes, and the same nodes as references:
        // both shrink together when a plugin rejects some).
        let mut remaining: Vec<usize> = candidates.clone();
        let mut nodes: Vec<&NodeInfo> = node_refs(all, &remaining);
        let mut out: Vec<(usize, Status)> = Vec::new();
        let mut first_error: Option<(usize, Status)> = None;
        for &(name, f) in &filters {
            if remaining.is_empty() {
                break;
            }
            out.clear();
            f.filter_nodes(&state, pod, &nodes, &mut out);
            if out.is_empty() {
                continue;
            }
            let mut keep = vec![true; remaining.len()];
            b.statuses.reserve(out.len());
            for (k, status) in out.drain(..) {
                let (Some(&i), Some(kept)) = (remaining.get(k), keep.get_mut(k)) else {
                    continue;
                };
                *kept = false;
                let status = if status.is_rejected() {
                    rejected += 1;
                    if !diagnosis.unschedulable_plugins.contains(name) {
                        diagnosis.unschedulable_plugins.insert(name.to_owned());
                    }
                    status.with_plugin(name)
                } else {
                    let msg = format!(
                        "running {} filter plugin: {}",
                        crate::quote::go_quote(name),
                        status.message()
                    );
                    let error = Status::error(msg).with_plugin(name);
                    if first_error.as_ref().is_none_or(|(e, _)| i < *e) {
                        first_error = Some((i, error.clone()));
                    }
                    error
                };
                b.set_status(i, status);
            }
            let mut flags = keep.iter();
            remaining.retain(|_| flags.next().copied().unwrap_or(false));
            let mut flags = keep.iter();
            nodes.retain(|_| flags.next().copied().unwrap_or(false));
        }
        // As node by node: the first node (in order) whose first non-passing
        // filter errs stops the cycle.
        if let Some((_, status)) = first_error {
            let err = b.plugin_error(&status, ExtensionPoint::Filter);
            return b.fail(err);
        }
        feasible.extend_from_slice(&remaining);
    } else if feasible.is_empty() {
        let to_find =
            num_feasible_nodes_to_find(profile.percentage_of_nodes_to_score, candidates.len());
        for &i in &candidates {
            if feasible.len() >= to_find {
                break;
            }
            let Some(node) = all.get(i) else {
                continue;
            };
            let status = filter_node(profile, &filters, &state, pod, node, snapshot);
            if status.is_success() {
                feasible.push(i);
                continue;
            }
            if status.code == Code::Error {
                let err = b.plugin_error(&status, ExtensionPoint::Filter);
                return b.fail(err);
            } else {
                rejected += 1;
                if let Some(p) = &status.plugin {
                    if !diagnosis.unschedulable_plugins.contains(p.as_ref()) {
                        diagnosis.unschedulable_plugins.insert(p.to_string());
                    }
                }
            }
            b.set_status(i, status);
        }
    }
    b.result.evaluated_nodes = feasible.len() + rejected;
    b.result.feasible.clone_from(&feasible);

    match feasible.as_slice() {
        [] => {
            b.rejected_statuses(&mut diagnosis.node_to_status);
            finish_unschedulable(b, &state, pod, profile, diagnosis)
        }
        [only] => {
            b.result.selected = Some(*only);
            b.result.tied = vec![*only];
            b.finish()
        }
        _ => prioritize_and_select(b, state, pod, profile, &feasible),
    }
}

/// The nodes at `indexes` (valid indexes of `all`, in increasing order;
/// every node when there are as many: a copy without lookups).
fn node_refs<'a>(all: &'a [NodeInfo], indexes: &[usize]) -> Vec<&'a NodeInfo> {
    if indexes.len() == all.len() {
        all.iter().collect()
    } else {
        indexes.iter().filter_map(|&i| all.get(i)).collect()
    }
}

/// No feasible node: the FitError, then the PostFilter.
fn finish_unschedulable(
    mut b: Builder<'_>,
    state: &CycleState,
    pod: &PodInfo,
    profile: &Profile,
    mut diagnosis: Diagnosis,
) -> ScheduleResult {
    if let Some(plugin) = &profile.default_preemption {
        let result = plugin.post_filter(profile, state, pod, &diagnosis.node_to_status, b.snapshot);
        diagnosis.post_filter_msg = result.status.message();
        b.result.preemption = Some(result);
    }
    b.result.fit_error = Some(FitError {
        pod: pod.pod.key(),
        num_all_nodes: b.snapshot.nodes().len(),
        diagnosis,
        version: b.snapshot.gates.version,
    });
    b.finish()
}

/// `prioritizeNodes` and `selectHost`.
fn prioritize_and_select(
    mut b: Builder<'_>,
    mut state: CycleState,
    pod: &PodInfo,
    profile: &Profile,
    feasible: &[usize],
) -> ScheduleResult {
    let nodes = node_refs(b.snapshot.nodes(), feasible);
    b.result.scored_nodes = nodes.len();
    let scorers: Vec<(&'static str, &dyn ScorePlugin, i64)> = profile
        .plugins
        .iter()
        .filter_map(|p| p.plugin.as_score().map(|s| (p.plugin.name(), s, p.weight)))
        .collect();
    let mut totals: Vec<i64> = vec![0; nodes.len()];
    if scorers.is_empty() {
        // No score plugin: every node scores 1.
        totals.iter_mut().for_each(|t| *t = 1);
    } else {
        // PreScore.
        for p in &profile.plugins {
            let Some(ps) = p.plugin.as_pre_score() else {
                continue;
            };
            let status = ps.pre_score(&mut state, pod, &nodes, b.snapshot);
            if status.is_skip() {
                state.skip_score_plugins.insert(p.plugin.name());
            } else if !status.is_success() {
                let message = format!(
                    "running PreScore plugin {}: {}",
                    crate::quote::go_quote(p.plugin.name()),
                    status.message()
                );
                return b.fail(ScheduleError::Plugin {
                    plugin: p.plugin.name().to_owned(),
                    extension_point: ExtensionPoint::PreScore,
                    message,
                });
            }
        }
        b.result.skipped_score_plugins = state.skip_score_plugins.as_slice().to_vec();

        // Score and NormalizeScore, one plugin at a time over all nodes
        // (the NodeScore list, names borrowed from the snapshot, is built
        // once and reused).
        let names = b.snapshot.node_names();
        let mut scores: Vec<NodeScore<'_>> = feasible
            .iter()
            .map(|&i| NodeScore {
                name: names.get(i).map_or("", String::as_str),
                score: 0,
            })
            .collect();
        for &(name, scorer, weight) in &scorers {
            if state.skip_score_plugins.contains(name) {
                continue;
            }
            if let Err(status) = scorer.score_nodes(&state, pod, &nodes, &mut scores) {
                let message = format!(
                    "running Score plugins: plugin {} failed with: {}",
                    crate::quote::go_quote(name),
                    status.message()
                );
                return b.fail(ScheduleError::Plugin {
                    plugin: name.to_owned(),
                    extension_point: ExtensionPoint::Score,
                    message,
                });
            }
            let raw: Vec<i64> = scores.iter().map(|s| s.score).collect();
            if let Some(ext) = scorer.score_extensions() {
                let status = ext.normalize_score(&state, pod, &mut scores);
                if !status.is_success() {
                    let message = format!(
                        "running Normalize on Score plugins: plugin {} failed with: {}",
                        crate::quote::go_quote(name),
                        status.message()
                    );
                    return b.fail(ScheduleError::Plugin {
                        plugin: name.to_owned(),
                        extension_point: ExtensionPoint::NormalizeScore,
                        message,
                    });
                }
            }
            if let Some(bad) = scores
                .iter()
                .find(|s| !(MIN_NODE_SCORE..=MAX_NODE_SCORE).contains(&s.score))
            {
                let message = format!(
                    "applying score defaultWeights on Score plugins: plugin {} returns an invalid score {}, it should in the range of [{MIN_NODE_SCORE}, {MAX_NODE_SCORE}] after normalizing",
                    crate::quote::go_quote(name),
                    bad.score
                );
                return b.fail(ScheduleError::Plugin {
                    plugin: name.to_owned(),
                    extension_point: ExtensionPoint::Score,
                    message,
                });
            }
            // Simple passes (they vectorize) rather than one loop that pushes;
            // without NormalizeScore the scores are the raw ones (a copy).
            let normalized: Vec<i64> = if scorer.score_extensions().is_some() {
                scores.iter().map(|s| s.score).collect()
            } else {
                raw.clone()
            };
            for (s, total) in normalized.iter().zip(totals.iter_mut()) {
                *total = total.saturating_add(mul_saturating(*s, weight));
            }
            b.result.scores.push(PluginScores {
                plugin: name,
                weight,
                raw,
                normalized,
            });
        }
    }
    let max = totals.iter().copied().max().unwrap_or(0);
    b.result.tied = feasible
        .iter()
        .zip(&totals)
        .filter(|(_, &t)| t == max)
        .map(|(&i, _)| i)
        .collect();
    b.result.selected = b.result.tied.first().copied();
    b.totals = totals;
    b.finish()
}
