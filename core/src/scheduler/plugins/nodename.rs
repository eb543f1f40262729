//! NodeName: a pod with `spec.nodeName` fits only that node.

use crate::scheduler::framework::{CycleState, FilterPlugin, Status};
use crate::scheduler::plugins::names;
use crate::scheduler::snapshot::{NodeInfo, PodInfo};

/// The reason (`ErrReason`).
pub const ERR_REASON: &str = "node(s) didn't match the requested node name";

/// The NodeName plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct NodeName;

crate::scheduler::framework::plugin!(NodeName, names::NODE_NAME, [Filter]);

/// `Fits`: no `nodeName`, or the node's name.
pub fn fits(pod: &PodInfo, node: &NodeInfo) -> bool {
    match pod.pod.spec.node_name.as_deref() {
        None | Some("") => true,
        Some(n) => n == node.name(),
    }
}

impl FilterPlugin for NodeName {
    fn filter(&self, _state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        if fits(pod, node) {
            Status::success()
        } else {
            Status::unresolvable(ERR_REASON)
        }
    }
}
