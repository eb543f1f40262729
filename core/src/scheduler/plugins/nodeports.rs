//! NodePorts: a pod asking for host ports fits only nodes where those
//! `(protocol, hostIP, hostPort)` triples are free, with `0.0.0.0` binding
//! every address (`pkg/scheduler/framework/plugins/nodeports`,
//! `HostPortInfo.CheckConflict`).
//!
//! ```
//! use kubelogic::scheduler::plugins::nodeports::check_conflict;
//! use kubelogic::scheduler::snapshot::HostPort;
//!
//! let used = [HostPort { protocol: "TCP".into(), ip: "127.0.0.1".into(), port: 80 }];
//! // 0.0.0.0 conflicts with the port on any address ...
//! assert!(check_conflict(&used, "0.0.0.0", "TCP", 80));
//! // ... another address does not, nor another protocol.
//! assert!(!check_conflict(&used, "10.0.0.1", "TCP", 80));
//! assert!(!check_conflict(&used, "127.0.0.1", "UDP", 80));
//! ```

use crate::scheduler::framework::{
    missing_state, CycleState, FilterPlugin, PreFilterPlugin, PreFilterResult, Status,
};
use crate::scheduler::plugins::names;
use crate::scheduler::snapshot::{HostPort, NodeInfo, PodInfo, Snapshot};

/// The Filter reason (`ErrReason`).
pub const ERR_REASON: &str = "node(s) didn't have free ports for the requested pod ports";
/// `DefaultBindAllHostIP`.
pub const DEFAULT_BIND_ALL_HOST_IP: &str = "0.0.0.0";

/// The NodePorts plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct NodePorts;

crate::scheduler::framework::plugin!(NodePorts, names::NODE_PORTS, [PreFilter, Filter]);

/// The host ports PreFilter collected (`preFilterState`).
#[derive(Clone, Debug, Default)]
pub struct PreFilterState {
    /// The wanted ports (containers and sidecars, `hostPort > 0`).
    pub ports: Vec<HostPort>,
}

/// `HostPortInfo.CheckConflict`: whether `(ip, protocol, port)` collides
/// with a port in use. Empty ip means `0.0.0.0`, empty protocol `TCP`.
pub fn check_conflict(used: &[HostPort], ip: &str, protocol: &str, port: i32) -> bool {
    if port <= 0 {
        return false;
    }
    let ip = if ip.is_empty() {
        DEFAULT_BIND_ALL_HOST_IP
    } else {
        ip
    };
    let protocol = if protocol.is_empty() { "TCP" } else { protocol };
    if ip == DEFAULT_BIND_ALL_HOST_IP {
        return used
            .iter()
            .any(|u| u.port == port && u.protocol == protocol);
    }
    used.iter().any(|u| {
        u.port == port && u.protocol == protocol && (u.ip == ip || u.ip == DEFAULT_BIND_ALL_HOST_IP)
    })
}

/// `fitsPorts`: none of `wanted` conflicts with the node's used ports.
pub fn fits_ports(wanted: &[HostPort], node: &NodeInfo) -> bool {
    if node.used_ports().is_empty() {
        return true;
    }
    !wanted
        .iter()
        .any(|p| check_conflict(node.used_ports(), &p.ip, &p.protocol, p.port))
}

/// `Fits`: the pod's host ports are free on the node.
pub fn fits(pod: &PodInfo, node: &NodeInfo) -> bool {
    fits_ports(&pod.host_ports, node)
}

impl PreFilterPlugin for NodePorts {
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _snapshot: &Snapshot,
    ) -> (Option<PreFilterResult>, Status) {
        if pod.host_ports.is_empty() {
            return (None, Status::skip());
        }
        state.write(PreFilterState {
            ports: pod.host_ports.clone(),
        });
        (None, Status::success())
    }
}

impl FilterPlugin for NodePorts {
    fn filter(&self, state: &CycleState, _pod: &PodInfo, node: &NodeInfo) -> Status {
        let Some(s) = state.read::<PreFilterState>() else {
            return missing_state("PreFilterNodePorts");
        };
        if fits_ports(&s.ports, node) {
            Status::success()
        } else {
            Status::unschedulable(ERR_REASON)
        }
    }
}
