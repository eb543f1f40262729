//! PodTopologySpread PreFilter, AddPod/RemovePod and Filter
//! (`podtopologyspread/filtering.go`) for `DoNotSchedule` constraints.
//!
//! PreFilter counts, per constraint, the matching pods in each domain of
//! the nodes that have every constraint's key and pass the inclusion
//! policies, and keeps the two smallest domains ("critical paths"). Filter
//! rejects a node when `count(domain) + selfMatch - globalMin > maxSkew`,
//! where `globalMin` is 0 while there are fewer domains than `minDomains`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::UnsatisfiableConstraintAction;
use crate::scheduler::framework::{missing_state, CycleState, PreFilterResult, Status};
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};

use super::common::{
    count_pods_match_selector, node_labels_match_spread_constraints,
    required_node_affinity_matches, selector_matches, NodeInclusion, TopologySpreadConstraint,
};
use super::PodTopologySpread;

/// `ErrReasonConstraintsNotMatch`.
pub const ERR_REASON_CONSTRAINTS_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints";
/// `ErrReasonNodeLabelNotMatch`.
pub const ERR_REASON_NODE_LABEL_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

/// One critical path: a domain and its match count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriticalPath {
    /// The topology value.
    pub topology_value: String,
    /// The matching pods in it.
    pub match_num: i64,
}

/// `criticalPaths`: `[0]` always holds the minimum; `[1]` is at least `[0]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriticalPaths(pub [CriticalPath; 2]);

impl Default for CriticalPaths {
    fn default() -> Self {
        let empty = CriticalPath {
            topology_value: String::new(),
            match_num: i64::from(i32::MAX),
        };
        CriticalPaths([empty.clone(), empty])
    }
}

impl CriticalPaths {
    /// `criticalPaths.update`.
    pub fn update(&mut self, value: &str, num: i64) {
        let [p0, p1] = &mut self.0;
        if value == p0.topology_value {
            p0.match_num = num;
        } else if value == p1.topology_value {
            p1.match_num = num;
        } else {
            if num < p0.match_num {
                *p1 = p0.clone();
                p0.topology_value = value.to_owned();
                p0.match_num = num;
            } else if num < p1.match_num {
                p1.topology_value = value.to_owned();
                p1.match_num = num;
            }
            return;
        }
        if p0.match_num > p1.match_num {
            std::mem::swap(p0, p1);
        }
    }

    /// The minimum match number.
    pub fn min(&self) -> i64 {
        let [p0, _] = &self.0;
        p0.match_num
    }
}

/// The state PreFilter computes (`preFilterState`).
#[derive(Clone, Debug, Default)]
pub struct PreFilterState {
    /// The `DoNotSchedule` constraints.
    pub constraints: Arc<Vec<TopologySpreadConstraint>>,
    /// Per constraint, the two smallest domains.
    pub critical_paths: Vec<CriticalPaths>,
    /// Per constraint, matching pods per topology value.
    pub tp_value_to_match_num: Vec<HashMap<String, i64>>,
}

impl PreFilterState {
    /// `minMatchNum`: the global minimum, or 0 while fewer domains than `minDomains` exist.
    pub fn min_match_num(&self, i: usize, min_domains: i32) -> i64 {
        let min = self.critical_paths.get(i).map_or(0, CriticalPaths::min);
        let domains = self.tp_value_to_match_num.get(i).map_or(0, HashMap::len);
        if (domains as i64) < i64::from(min_domains) {
            0
        } else {
            min
        }
    }
}

/// `PreFilter`: `Skip` without `DoNotSchedule` constraints; `Error` when a
/// constraint's selector does not parse.
pub fn pre_filter(
    pl: &PodTopologySpread,
    state: &mut CycleState,
    pod: &PodInfo,
    snapshot: &Snapshot,
) -> (Option<PreFilterResult>, Status) {
    let constraints = match pl.constraints(
        &pod.pod,
        snapshot,
        UnsatisfiableConstraintAction::DoNotSchedule,
    ) {
        Ok(c) => c,
        Err(e) => {
            let what = if pod.pod.spec.topology_spread_constraints.is_empty() {
                "setting default hard topology spread constraints"
            } else {
                "obtaining pod's hard topology spread constraints"
            };
            return (
                None,
                Status::error(format!("get constraints from pod: {what}: {e}")),
            );
        }
    };
    if constraints.is_empty() {
        return (None, Status::skip());
    }
    let s = cal_pre_filter_state(pl, &pod.pod, constraints, snapshot.nodes());
    state.write(s);
    (None, Status::success())
}

/// `calPreFilterState` over `nodes`.
pub fn cal_pre_filter_state(
    pl: &PodTopologySpread,
    pod: &crate::model::Pod,
    constraints: Vec<TopologySpreadConstraint>,
    nodes: &[NodeInfo],
) -> PreFilterState {
    let mut tp: Vec<HashMap<String, i64>> = vec![HashMap::new(); constraints.len()];
    let policies_used = pl.gates.node_inclusion_policy
        && constraints.iter().any(|c| {
            c.node_affinity_policy == crate::model::NodeInclusionPolicy::Honor
                || c.node_taints_policy == crate::model::NodeInclusionPolicy::Honor
        });
    let ns = pod.metadata.namespace();
    for node in nodes {
        let labels = node.node.labels();
        if !pl.gates.node_inclusion_policy && !required_node_affinity_matches(pod, &node.node) {
            continue;
        }
        if !node_labels_match_spread_constraints(labels, &constraints) {
            continue;
        }
        let inclusion = policies_used.then(|| NodeInclusion::of(pod, &node.node, pl.gates));
        for (c, counts) in constraints.iter().zip(tp.iter_mut()) {
            if inclusion.is_some_and(|inc| !inc.matches(c)) {
                continue;
            }
            let Some(value) = labels.get(&c.topology_key) else {
                continue;
            };
            let count = count_pods_match_selector(&node.pods, &c.selector, ns);
            match counts.get_mut(value.as_str()) {
                Some(n) => *n += count,
                None => {
                    counts.insert(value.clone(), count);
                }
            }
        }
    }
    let critical_paths = tp
        .iter()
        .map(|counts| {
            let mut paths = CriticalPaths::default();
            for (v, n) in counts {
                paths.update(v, *n);
            }
            paths
        })
        .collect();
    PreFilterState {
        constraints: Arc::new(constraints),
        critical_paths,
        tp_value_to_match_num: tp,
    }
}

/// `updateWithPod`: the AddPod (`delta = 1`) and RemovePod (`delta = -1`) extensions.
pub fn update_with_pod(
    pl: &PodTopologySpread,
    state: &mut CycleState,
    updated: &PodInfo,
    preemptor: &PodInfo,
    node: &NodeInfo,
    delta: i64,
) -> Status {
    let Some(s) = state.read_mut::<PreFilterState>() else {
        return missing_state("PreFilterPodTopologySpread");
    };
    if updated.pod.metadata.namespace() != preemptor.pod.metadata.namespace() {
        return Status::success();
    }
    let labels = node.node.labels();
    if !node_labels_match_spread_constraints(labels, &s.constraints) {
        return Status::success();
    }
    if !pl.gates.node_inclusion_policy
        && !required_node_affinity_matches(&preemptor.pod, &node.node)
    {
        return Status::success();
    }
    let inclusion = NodeInclusion::of(&preemptor.pod, &node.node, pl.gates);
    let constraints = Arc::clone(&s.constraints);
    for (i, c) in constraints.iter().enumerate() {
        if !selector_matches(&c.selector, updated.pod.labels()) {
            continue;
        }
        if pl.gates.node_inclusion_policy && !inclusion.matches(c) {
            continue;
        }
        let Some(v) = labels.get(&c.topology_key) else {
            continue;
        };
        let (Some(counts), Some(paths)) = (
            s.tp_value_to_match_num.get_mut(i),
            s.critical_paths.get_mut(i),
        ) else {
            continue;
        };
        let n = counts.entry(v.clone()).or_insert(0);
        *n += delta;
        paths.update(v, *n);
    }
    Status::success()
}

/// `Filter`.
pub fn filter(state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
    let Some(s) = state.read::<PreFilterState>() else {
        return missing_state("PreFilterPodTopologySpread");
    };
    let labels = node.node.labels();
    for (i, c) in s.constraints.iter().enumerate() {
        let Some(value) = labels.get(&c.topology_key) else {
            return Status::unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        };
        let min_match = s.min_match_num(i, c.min_domains);
        let self_match = i64::from(selector_matches(&c.selector, pod.pod.labels()));
        let match_num = s
            .tp_value_to_match_num
            .get(i)
            .and_then(|m| m.get(value.as_str()))
            .copied()
            .unwrap_or(0);
        let skew = match_num + self_match - min_match;
        if skew > i64::from(c.max_skew) {
            return Status::unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
        }
    }
    Status::success()
}
