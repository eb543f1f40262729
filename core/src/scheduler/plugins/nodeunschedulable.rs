//! NodeUnschedulable: rejects nodes marked `spec.unschedulable` (`kubectl
//! cordon`) unless the pod tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint.

use crate::model::{TaintEffect, TolerationOperator};
use crate::scheduler::framework::{CycleState, FilterPlugin, Status};
use crate::scheduler::plugins::names;
use crate::scheduler::snapshot::{NodeInfo, PodInfo};

/// The reason when the node is cordoned (`ErrReasonUnschedulable`).
pub const ERR_REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
/// The taint key that marks unschedulable nodes.
pub const TAINT_NODE_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// The NodeUnschedulable plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct NodeUnschedulable;

crate::scheduler::framework::plugin!(NodeUnschedulable, names::NODE_UNSCHEDULABLE, [Filter]);

/// Whether the pod tolerates the unschedulable taint (key, `Exists` or
/// empty value, effect NoSchedule or any).
fn tolerates_unschedulable(pod: &PodInfo) -> bool {
    pod.pod.spec.tolerations.iter().any(|t| {
        let key_ok = match t.key.as_deref() {
            None | Some("") => t.operator == Some(TolerationOperator::Exists),
            Some(k) => k == TAINT_NODE_UNSCHEDULABLE,
        };
        let value_ok = match t.operator {
            Some(TolerationOperator::Exists) => true,
            None | Some(TolerationOperator::Equal) => t.value.as_deref().unwrap_or("").is_empty(),
            Some(TolerationOperator::Lt | TolerationOperator::Gt) => false,
        };
        let effect_ok = t.effect.is_none_or(|e| e == TaintEffect::NoSchedule);
        key_ok && value_ok && effect_ok
    })
}

/// The Filter: `UnschedulableAndUnresolvable` on a cordoned node the pod does not tolerate.
///
/// Inlined into the per-node loop (the browser build keeps one-caller
/// functions out of line): the common case, a schedulable node, is one test.
#[inline(always)]
pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Status {
    if node.unschedulable {
        filter_cordoned(pod)
    } else {
        Status::success()
    }
}

/// [`filter`] on a cordoned node.
fn filter_cordoned(pod: &PodInfo) -> Status {
    if tolerates_unschedulable(pod) {
        Status::success()
    } else {
        Status::unresolvable(ERR_REASON_UNSCHEDULABLE)
    }
}

impl FilterPlugin for NodeUnschedulable {
    fn filter(&self, _state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        filter(pod, node)
    }
}
