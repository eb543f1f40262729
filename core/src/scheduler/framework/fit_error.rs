//! [`FitError`] and its [`Diagnosis`]: why no node fits, formatted exactly
//! as kube-scheduler's `FailedScheduling` event (`FitError.Error()` in
//! `pkg/scheduler/framework/types.go`).

use crate::SortedSet;
use std::fmt;

use serde::Serialize;

use super::node_to_status::NodeToStatus;

/// What the failed Filter phase found (`framework.Diagnosis`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    /// The status of every node.
    pub node_to_status: NodeToStatus,
    /// The plugins that rejected the pod on some node (or at PreFilter).
    pub unschedulable_plugins: SortedSet<String>,
    /// The message of a PreFilter that rejected the pod (then the per-node
    /// histogram is left out).
    pub pre_filter_msg: String,
    /// The message of the PostFilter plugins (preemption).
    pub post_filter_msg: String,
}

/// No node fits the pod (`framework.FitError`). [`fmt::Display`] is the
/// `FailedScheduling` message:
///
/// ```
/// use kubelogic::scheduler::cycle::{Diagnosis, FitError, NodeToStatus};
/// use kubelogic::scheduler::Status;
///
/// let mut diagnosis = Diagnosis::default();
/// diagnosis.node_to_status.set("a", Status::unschedulable("Insufficient memory"));
/// diagnosis.node_to_status.set("b", Status::unresolvable("node(s) had untolerated taint(s)"));
/// diagnosis.node_to_status.set("c", Status::unresolvable("node(s) had untolerated taint(s)"));
/// let err = FitError { pod: "default/web".into(), num_all_nodes: 3, diagnosis, version: Default::default() };
/// assert_eq!(
///     err.to_string(),
///     "0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint(s)."
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FitError {
    /// The pod, `namespace/name`.
    pub pod: String,
    /// The number of nodes in the snapshot.
    pub num_all_nodes: usize,
    /// The statuses and messages.
    pub diagnosis: Diagnosis,
    /// The release whose message format applies (v1.28 and v1.29 end the
    /// preemption part with a second `.`).
    #[serde(skip)]
    pub version: crate::KubernetesVersion,
}

/// `NoNodeAvailableMsg`.
pub const NO_NODE_AVAILABLE_MSG: &str = "nodes are available";

impl FitError {
    /// The reason histogram: `"<count> <reason>"` for every reason of every
    /// explicit status, plus the absent-node status's reasons counted once
    /// per node without a status; sorted as Go's `sort.Strings` (bytes).
    pub fn reasons_histogram(&self) -> Vec<String> {
        let m = &self.diagnosis.node_to_status;
        // Counts by reason in a sorted `Vec` (a few distinct reasons; the
        // browser bundle then carries no B-tree code for this key and value).
        let mut reasons: Vec<(&str, usize)> = Vec::new();
        for (_, status) in m.explicit() {
            for r in &status.reasons {
                add_reason(&mut reasons, r.as_ref(), 1);
            }
        }
        if m.len() < self.num_all_nodes {
            let absent = self.num_all_nodes - m.len();
            for r in &m.absent_nodes_status().reasons {
                add_reason(&mut reasons, r.as_ref(), absent);
            }
        }
        let mut items: Vec<String> = reasons
            .into_iter()
            .map(|(reason, count)| format!("{count} {reason}"))
            .collect();
        items.sort();
        items
    }
}

/// Adds `n` to `reason`'s count in the by-reason sorted `reasons`.
fn add_reason<'a>(reasons: &mut Vec<(&'a str, usize)>, reason: &'a str, n: usize) {
    match reasons.binary_search_by(|(r, _)| (*r).cmp(reason)) {
        Ok(at) => {
            if let Some((_, c)) = reasons.get_mut(at) {
                *c += n;
            }
        }
        Err(at) => reasons.insert(at, (reason, n)),
    }
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0/{} {NO_NODE_AVAILABLE_MSG}:", self.num_all_nodes)?;
        let pre = &self.diagnosis.pre_filter_msg;
        if !pre.is_empty() {
            write!(f, " {pre}.")?;
        } else {
            let items = self.reasons_histogram();
            if !items.is_empty() {
                write!(f, " {}.", items.join(", "))?;
            }
        }
        let post = &self.diagnosis.post_filter_msg;
        if !post.is_empty() {
            // v1.28-v1.29: `SeparatorFormat = " %v."` after the PostFilter
            // message too, whose own text already ends in `.`.
            let dot = if self.version.double_dot_after_preemption() {
                "."
            } else {
                ""
            };
            write!(f, " {post}{dot}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FitError {}
