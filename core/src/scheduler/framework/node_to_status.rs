//! [`NodeToStatus`]: the status each node ended filtering with, plus the
//! status of the nodes that have none ("absent" nodes), as upstream's
//! `framework.NodeToStatus` (`pkg/scheduler/framework/types.go`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::scheduler::framework::{Code, Status};
use crate::scheduler::snapshot::{NodeInfo, Snapshot};

/// Node name → Status for the nodes filtering rejected, and one status for
/// every node without an entry (`SetAbsentNodesStatus`).
///
/// ```
/// use kubelogic::scheduler::cycle::NodeToStatus;
/// use kubelogic::scheduler::{Code, Status};
///
/// let mut m = NodeToStatus::default();
/// m.set("n1", Status::unschedulable("Insufficient cpu"));
/// assert_eq!(m.get("n1").code, Code::Unschedulable);
/// // Nodes without a status are UnschedulableAndUnresolvable by default.
/// assert_eq!(m.get("n2").code, Code::UnschedulableAndUnresolvable);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeToStatus {
    node_to_status: BTreeMap<String, Status>,
    absent_nodes_status: Status,
}

impl Default for NodeToStatus {
    /// `NewDefaultNodeToStatus`: no entries, absent nodes
    /// `UnschedulableAndUnresolvable` without reasons.
    fn default() -> Self {
        NodeToStatus::new(
            BTreeMap::new(),
            Status::with_reasons(Code::UnschedulableAndUnresolvable, Vec::<String>::new()),
        )
    }
}

impl NodeToStatus {
    /// `NewNodeToStatus(map, absentNodesStatus)`.
    pub fn new(node_to_status: BTreeMap<String, Status>, absent_nodes_status: Status) -> Self {
        NodeToStatus {
            node_to_status,
            absent_nodes_status,
        }
    }

    /// The status of a node: its own, or the absent-node status.
    pub fn get(&self, node: &str) -> &Status {
        self.node_to_status
            .get(node)
            .unwrap_or(&self.absent_nodes_status)
    }

    /// Sets a node's status.
    pub fn set(&mut self, node: impl Into<String>, status: Status) {
        self.node_to_status.insert(node.into(), status);
    }

    /// The number of nodes with an explicit status.
    pub fn len(&self) -> usize {
        self.node_to_status.len()
    }

    /// Whether no node has an explicit status.
    pub fn is_empty(&self) -> bool {
        self.node_to_status.is_empty()
    }

    /// The status of nodes without an explicit one.
    pub fn absent_nodes_status(&self) -> &Status {
        &self.absent_nodes_status
    }

    /// `SetAbsentNodesStatus`.
    pub fn set_absent_nodes_status(&mut self, status: Status) {
        self.absent_nodes_status = status;
    }

    /// The explicit entries, by node name.
    pub fn explicit(&self) -> impl Iterator<Item = (&str, &Status)> {
        self.node_to_status.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// `NodesForStatusCode`: the nodes of `snapshot` whose status (explicit
    /// or absent) has `code`, in snapshot order (upstream iterates a map).
    pub fn nodes_for_status_code<'a>(
        &self,
        snapshot: &'a Snapshot,
        code: Code,
    ) -> Vec<&'a NodeInfo> {
        if self.absent_nodes_status.code == code {
            snapshot
                .nodes()
                .iter()
                .filter(|n| self.get(n.name()).code == code)
                .collect()
        } else {
            snapshot
                .nodes()
                .iter()
                .filter(|n| {
                    self.node_to_status
                        .get(n.name())
                        .is_some_and(|s| s.code == code)
                })
                .collect()
        }
    }
}
