//! TaintToleration: a pod may only land on a node whose `NoSchedule` and
//! `NoExecute` taints it tolerates (Filter), and prefers nodes with fewer
//! untolerated `PreferNoSchedule` taints (PreScore, Score, reversed
//! NormalizeScore) — `pkg/scheduler/framework/plugins/tainttoleration`.
//!
//! ```
//! use kubelogic::model::{Node, Pod};
//! use kubelogic::scheduler::plugins::tainttoleration;
//! use kubelogic::scheduler::{Code, NodeInfo, PodInfo};
//! use kubelogic::FeatureGates;
//!
//! let node: Node = serde_json::from_str(r#"{"metadata": {"name": "n"},
//!     "spec": {"taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}}"#)?;
//! let pod: Pod = serde_json::from_str(r#"{"metadata": {"name": "p"}, "spec": {}}"#)?;
//! let gates = FeatureGates::default();
//! let plugin = tainttoleration::TaintToleration::new(&gates);
//! let (pod, node) = (PodInfo::new(pod, &gates), NodeInfo::new(node));
//! let status = tainttoleration::filter(&pod, &node, plugin);
//! assert_eq!(status.code, Code::UnschedulableAndUnresolvable);
//! assert_eq!(status.reasons, ["node(s) had untolerated taint(s)"]);
//! // v1.34 and before named the taint.
//! let v1_34 = FeatureGates::for_version(kubelogic::KubernetesVersion::V1_34);
//! let status = tainttoleration::filter(&pod, &node, tainttoleration::TaintToleration::new(&v1_34));
//! assert_eq!(status.reasons, ["node(s) had untolerated taint {dedicated: gpu}"]);
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::model::{
    find_matching_untolerated_taint, tolerations_tolerate_taint, Taint, TaintEffect, Toleration,
    UntoleratedTaint,
};
use crate::scheduler::framework::{
    default_normalize_score, fill_scores, missing_state, CycleState, FilterPlugin, NodeScore,
    PreScorePlugin, ScoreExtensions, ScorePlugin, Status, MAX_NODE_SCORE,
};
use crate::scheduler::plugins::names;
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};
use crate::FeatureGates;

/// The Filter reason (since v1.35; kubernetes#134740).
pub const ERR_REASON_NOT_MATCH: &str = "node(s) had untolerated taint(s)";

/// The Filter reason before v1.35, naming the taint:
/// `fmt.Sprintf("node(s) had untolerated taint {%s: %s}", taint.Key, taint.Value)`.
pub fn err_reason_untolerated_taint(taint: &Taint) -> String {
    format!(
        "node(s) had untolerated taint {{{}: {}}}",
        taint.key,
        taint.value()
    )
}

/// The TaintToleration plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct TaintToleration {
    /// Gate `TaintTolerationComparisonOperators`: `Lt`/`Gt` tolerations.
    pub enable_comparison_operators: bool,
    /// The Filter reason names the taint (before v1.35).
    pub taint_in_reason: bool,
}

impl TaintToleration {
    /// The plugin under `gates` (and their Kubernetes version).
    pub fn new(gates: &FeatureGates) -> Self {
        TaintToleration {
            enable_comparison_operators: gates.taint_toleration_comparison_operators,
            taint_in_reason: gates.version.taint_in_untolerated_reason(),
        }
    }
}

crate::scheduler::framework::plugin!(
    TaintToleration,
    names::TAINT_TOLERATION,
    [Filter, PreScore, Score]
);

/// `DoNotScheduleTaintsFilterFunc`: the taints the Filter considers.
pub fn is_do_not_schedule_taint(taint: &Taint) -> bool {
    matches!(
        taint.effect,
        TaintEffect::NoSchedule | TaintEffect::NoExecute
    )
}

/// The Filter: `UnschedulableAndUnresolvable` when a `NoSchedule`/`NoExecute`
/// taint is untolerated (or, failing that, when a numeric toleration could
/// not be compared: the status then carries the parse error).
///
/// Inlined into the per-node loop (the browser build keeps one-caller
/// functions out of line): the common case, an untainted node, is one test.
#[inline(always)]
pub fn filter(pod: &PodInfo, node: &NodeInfo, plugin: TaintToleration) -> Status {
    if node.has_taints {
        filter_tainted(pod, node, plugin)
    } else {
        Status::success()
    }
}

/// [`filter`] on a node with taints.
fn filter_tainted(pod: &PodInfo, node: &NodeInfo, plugin: TaintToleration) -> Status {
    let taints = &node.node.spec.taints;
    match find_matching_untolerated_taint(
        taints,
        &pod.pod.spec.tolerations,
        is_do_not_schedule_taint,
        plugin.enable_comparison_operators,
    ) {
        UntoleratedTaint::None => Status::success(),
        UntoleratedTaint::Taint(t) if plugin.taint_in_reason => {
            Status::unresolvable(err_reason_untolerated_taint(t))
        }
        UntoleratedTaint::Taint(_) => Status::unresolvable(ERR_REASON_NOT_MATCH),
        UntoleratedTaint::Error(_, e) => Status::unresolvable(e.to_string()),
    }
}

impl FilterPlugin for TaintToleration {
    fn filter(&self, _state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        filter(pod, node, *self)
    }
}

/// What PreScore keeps: the pod's tolerations with no effect or `PreferNoSchedule`.
#[derive(Clone, Debug, Default)]
pub struct PreScoreState {
    /// `tolerationsPreferNoSchedule`.
    pub tolerations_prefer_no_schedule: Vec<Toleration>,
}

/// `getAllTolerationPreferNoSchedule`.
pub fn tolerations_prefer_no_schedule(tolerations: &[Toleration]) -> Vec<Toleration> {
    tolerations
        .iter()
        .filter(|t| t.effect.is_none_or(|e| e == TaintEffect::PreferNoSchedule))
        .cloned()
        .collect()
}

/// `countIntolerableTaintsPreferNoSchedule`: the node's `PreferNoSchedule`
/// taints none of `tolerations` tolerates (a failed numeric comparison counts
/// as not tolerated).
pub fn count_intolerable_taints_prefer_no_schedule(
    taints: &[Taint],
    tolerations: &[Toleration],
    enable_comparison_operators: bool,
) -> i64 {
    let count = taints
        .iter()
        .filter(|t| t.effect == TaintEffect::PreferNoSchedule)
        .filter(|t| {
            !tolerations_tolerate_taint(tolerations, t, enable_comparison_operators)
                .unwrap_or(false)
        })
        .count();
    i64::try_from(count).unwrap_or(i64::MAX)
}

impl PreScorePlugin for TaintToleration {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _nodes: &[&NodeInfo],
        _snapshot: &Snapshot,
    ) -> Status {
        state.write(PreScoreState {
            tolerations_prefer_no_schedule: tolerations_prefer_no_schedule(
                &pod.pod.spec.tolerations,
            ),
        });
        Status::success()
    }
}

impl TaintToleration {
    /// Score with PreScore's state in hand: the node's untolerated
    /// `PreferNoSchedule` taints (a node without taints scores 0 without
    /// fetching its object).
    fn score_node(&self, s: &PreScoreState, node: &NodeInfo) -> i64 {
        if !node.has_taints {
            return 0;
        }
        count_intolerable_taints_prefer_no_schedule(
            &node.node.spec.taints,
            &s.tolerations_prefer_no_schedule,
            self.enable_comparison_operators,
        )
    }
}

impl ScorePlugin for TaintToleration {
    fn score(&self, state: &CycleState, _pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let s = state
            .read::<PreScoreState>()
            .ok_or_else(|| missing_state("PreScoreTaintToleration"))?;
        Ok(self.score_node(s, node))
    }

    fn score_nodes(
        &self,
        state: &CycleState,
        _pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        let s = state
            .read::<PreScoreState>()
            .ok_or_else(|| missing_state("PreScoreTaintToleration"))?;
        fill_scores(nodes, scores, |node| self.score_node(s, node));
        Ok(())
    }

    fn score_extensions(&self) -> Option<&dyn ScoreExtensions> {
        Some(self)
    }
}

impl ScoreExtensions for TaintToleration {
    fn normalize_score(
        &self,
        _state: &CycleState,
        _pod: &PodInfo,
        scores: &mut [NodeScore<'_>],
    ) -> Status {
        default_normalize_score(MAX_NODE_SCORE, true, scores);
        Status::success()
    }
}
