//! PodTopologySpread PreScore, Score and NormalizeScore
//! (`podtopologyspread/scoring.go`) for `ScheduleAnyway` constraints.
//!
//! A node's raw score is `Σ count(domain) · ln(domains + 2) + (maxSkew − 1)`
//! over the constraints whose key it has (rounded); fewer matching pods is
//! better, so NormalizeScore maps `s` to `100 · (max + min − s) / max`.
//! Filtered nodes lacking a key are ignored (score 0) unless the
//! constraints are the system defaults.

use std::collections::HashSet;
use std::sync::Arc;

use crate::model::nodeaffinity::RequiredNodeAffinity;
use crate::model::{NodeInclusionPolicy, UnsatisfiableConstraintAction};
use crate::scheduler::framework::{CycleState, NodeScore, Status, MAX_NODE_SCORE};
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};

use crate::scheduler::index::{FxHashMap, TopologyDomains};

use super::common::{
    count_pods_match_selector, node_labels_match_spread_constraints,
    required_node_affinity_matches, NodeInclusion, TopologySpreadConstraint, LABEL_HOSTNAME,
};
use super::PodTopologySpread;

/// The state PreScore computes (`preScoreState`).
#[derive(Clone, Debug, Default)]
pub struct PreScoreState {
    /// The `ScheduleAnyway` constraints.
    pub constraints: Arc<Vec<TopologySpreadConstraint>>,
    /// Filtered nodes missing some constraint's key.
    pub ignored_nodes: Arc<HashSet<String>>,
    /// Per constraint (not hostname), matching pods per domain of the filtered nodes.
    pub topology_value_to_pod_counts: Arc<Vec<FxHashMap<String, i64>>>,
    /// Per constraint, `ln(domains + 2)`.
    pub topology_normalizing_weight: Arc<Vec<f64>>,
    /// Per hostname constraint, when the snapshot is indexed: the matching
    /// pods per node name (absent: none), counted once here instead of on
    /// every node in Score.
    pub node_pod_counts: Arc<Vec<Option<FxHashMap<String, i64>>>>,
}

/// `topologyNormalizingWeight`: `ln(size + 2)`.
pub fn topology_normalizing_weight(size: usize) -> f64 {
    (size as f64 + 2.0).ln()
}

/// `scoreForCount`: `cnt · weight + (maxSkew − 1)`.
pub fn score_for_count(cnt: i64, max_skew: i32, weight: f64) -> f64 {
    cnt as f64 * weight + f64::from(max_skew.saturating_sub(1))
}

/// `PreScore`: `Skip` without nodes or `ScheduleAnyway` constraints;
/// `Error` when a selector does not parse.
pub fn pre_score(
    pl: &PodTopologySpread,
    state: &mut CycleState,
    pod: &PodInfo,
    filtered: &[&NodeInfo],
    snapshot: &Snapshot,
) -> Status {
    let all_nodes = snapshot.nodes();
    if all_nodes.is_empty() {
        return Status::skip();
    }
    let require_all_topologies =
        !pod.pod.spec.topology_spread_constraints.is_empty() || !pl.system_defaulted;
    let constraints = match pl.constraints(
        &pod.pod,
        snapshot,
        UnsatisfiableConstraintAction::ScheduleAnyway,
    ) {
        Ok(c) => c,
        Err(e) => {
            let what = if pod.pod.spec.topology_spread_constraints.is_empty() {
                "setting default soft topology spread constraints"
            } else {
                "obtaining pod's soft topology spread constraints"
            };
            return Status::error(format!("calculating preScoreState: {what}: {e}"));
        }
    };
    if constraints.is_empty() {
        return Status::skip();
    }

    // initPreScoreState
    let mut ignored: HashSet<String> = HashSet::new();
    let mut counts: Vec<FxHashMap<String, i64>> = vec![FxHashMap::default(); constraints.len()];
    for node in filtered {
        let labels = node.node.labels();
        if require_all_topologies && !node_labels_match_spread_constraints(labels, &constraints) {
            ignored.insert(node.name().to_owned());
            continue;
        }
        for (c, m) in constraints.iter().zip(counts.iter_mut()) {
            if c.topology_key == LABEL_HOSTNAME {
                continue;
            }
            // A node without the key counts under the empty value, as upstream.
            let value = labels.get(&c.topology_key).map_or("", String::as_str);
            if !m.contains_key(value) {
                m.insert(value.to_owned(), 0);
            }
        }
    }
    let weights: Vec<f64> = constraints
        .iter()
        .zip(counts.iter())
        .map(|(c, m)| {
            let size = if c.topology_key == LABEL_HOSTNAME {
                filtered.len().saturating_sub(ignored.len())
            } else {
                m.len()
            };
            topology_normalizing_weight(size)
        })
        .collect();

    let policies_used = pl.gates.node_inclusion_policy
        && constraints.iter().any(|c| {
            c.node_affinity_policy == NodeInclusionPolicy::Honor
                || c.node_taints_policy == NodeInclusionPolicy::Honor
        });
    let ns = pod.pod.metadata.namespace();
    let required = RequiredNodeAffinity::new(&pod.pod);
    let any_domain = counts.iter().any(|m| !m.is_empty());
    if any_domain
        && !count_indexed(
            pl,
            pod,
            &constraints,
            &mut counts,
            require_all_topologies,
            snapshot,
        )
    {
        for node in all_nodes {
            let labels = node.node.labels();
            if !pl.gates.node_inclusion_policy
                && !required_node_affinity_matches(&required, &node.node)
            {
                continue;
            }
            if require_all_topologies && !node_labels_match_spread_constraints(labels, &constraints)
            {
                continue;
            }
            let inclusion =
                policies_used.then(|| NodeInclusion::of(&required, &pod.pod, &node.node, pl.gates));
            for (c, m) in constraints.iter().zip(counts.iter_mut()) {
                if inclusion.is_some_and(|inc| !inc.matches(c)) {
                    continue;
                }
                let value = labels.get(&c.topology_key).map_or("", String::as_str);
                let Some(slot) = m.get_mut(value) else {
                    continue;
                };
                *slot += count_pods_match_selector(&node.pods, &c.selector, ns);
            }
        }
    }
    let node_pod_counts = hostname_counts_indexed(pod, &constraints, snapshot);
    state.write(PreScoreState {
        node_pod_counts: Arc::new(node_pod_counts),
        constraints: Arc::new(constraints),
        ignored_nodes: Arc::new(ignored),
        topology_value_to_pod_counts: Arc::new(counts),
        topology_normalizing_weight: Arc::new(weights),
    });
    Status::success()
}

/// For each hostname constraint: matching pods per node name, from the
/// pod-label index (`None` for other constraints, or when the index cannot
/// narrow the pods; Score then counts on the node).
fn hostname_counts_indexed(
    pod: &PodInfo,
    constraints: &[TopologySpreadConstraint],
    snapshot: &Snapshot,
) -> Vec<Option<FxHashMap<String, i64>>> {
    let Some(index) = snapshot.valid_indexes() else {
        return vec![None; constraints.len()];
    };
    let nodes = snapshot.nodes();
    let ns = pod.pod.metadata.namespace();
    constraints
        .iter()
        .map(|c| {
            if c.topology_key != LABEL_HOSTNAME {
                return None;
            }
            let Some(sel) = c.selector.as_ref().filter(|s| !s.is_empty()) else {
                return Some(FxHashMap::default());
            };
            let lists = index.candidates(sel)?;
            let mut m: FxHashMap<String, i64> = FxHashMap::default();
            for r in lists.iter() {
                let p = &r.pod.pod;
                if p.metadata.deletion_timestamp.is_none()
                    && p.metadata.namespace() == ns
                    && sel.matches_unchecked(p.labels())
                {
                    if let Some(node) = nodes.get(r.node) {
                        *m.entry(node.name().to_owned()).or_insert(0) += 1;
                    }
                }
            }
            Some(m)
        })
        .collect()
}

/// The value of the node at `pos` in `d`'s domains.
fn domain_at(d: Option<&Arc<TopologyDomains>>, pos: usize) -> Option<&str> {
    d.and_then(|d| d.value(d.of_node(pos)))
}

/// PreScore's counting over all nodes from the snapshot's indexes: only the
/// pods a constraint's selector can match are visited. `false` when the
/// indexes are stale (the caller scans).
fn count_indexed(
    pl: &PodTopologySpread,
    pod: &PodInfo,
    constraints: &[TopologySpreadConstraint],
    counts: &mut [FxHashMap<String, i64>],
    require_all_topologies: bool,
    snapshot: &Snapshot,
) -> bool {
    let Some(index) = snapshot.valid_indexes() else {
        return false;
    };
    let mut domains: Vec<Option<&Arc<TopologyDomains>>> = Vec::with_capacity(constraints.len());
    for c in constraints {
        match index.topology(&c.topology_key) {
            Ok(d) => domains.push(d),
            Err(()) => return false,
        }
    }
    let nodes = snapshot.nodes();
    let ns = pod.pod.metadata.namespace();
    let required = RequiredNodeAffinity::new(&pod.pod);
    let policies = pl.gates.node_inclusion_policy
        && constraints.iter().any(|c| {
            c.node_affinity_policy == NodeInclusionPolicy::Honor
                || c.node_taints_policy == NodeInclusionPolicy::Honor
        });
    for (i, (c, m)) in constraints.iter().zip(counts.iter_mut()).enumerate() {
        let Some(sel) = c.selector.as_ref().filter(|s| !s.is_empty()) else {
            continue;
        };
        if m.is_empty() {
            continue;
        }
        let mut visit = |pos: usize, pods: &mut dyn Iterator<Item = &Arc<PodInfo>>| {
            let Some(node) = nodes.get(pos) else {
                return;
            };
            if require_all_topologies && domains.iter().any(|d| domain_at(*d, pos).is_none()) {
                return;
            }
            if !pl.gates.node_inclusion_policy
                && !required_node_affinity_matches(&required, &node.node)
            {
                return;
            }
            if policies && !NodeInclusion::of(&required, &pod.pod, &node.node, pl.gates).matches(c)
            {
                return;
            }
            let value = domain_at(domains.get(i).copied().flatten(), pos).unwrap_or("");
            let Some(slot) = m.get_mut(value) else {
                return;
            };
            *slot += pods
                .filter(|p| {
                    p.pod.metadata.deletion_timestamp.is_none()
                        && p.pod.metadata.namespace() == ns
                        && sel.matches_unchecked(p.pod.labels())
                })
                .count() as i64;
        };
        match index.candidates(sel) {
            Some(lists) => {
                for r in lists.iter() {
                    visit(r.node, &mut std::iter::once(&r.pod));
                }
            }
            None => {
                for (pos, node) in nodes.iter().enumerate() {
                    visit(pos, &mut node.pods.iter());
                }
            }
        }
    }
    true
}

/// `Score`: the node's raw score (0 for an ignored node).
pub fn score(state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
    let s = state.read::<PreScoreState>().ok_or_else(|| {
        Status::error("error reading \"PreScorePodTopologySpread\" from cycleState: not found")
    })?;
    if s.ignored_nodes.contains(node.name()) {
        return Ok(0);
    }
    let labels = node.node.labels();
    let ns = pod.pod.metadata.namespace();
    let mut total = 0.0f64;
    for (i, c) in s.constraints.iter().enumerate() {
        let Some(value) = labels.get(&c.topology_key) else {
            continue;
        };
        let cnt = if c.topology_key == LABEL_HOSTNAME {
            match s.node_pod_counts.get(i).and_then(Option::as_ref) {
                Some(m) => m.get(node.name()).copied().unwrap_or(0),
                None => count_pods_match_selector(&node.pods, &c.selector, ns),
            }
        } else {
            s.topology_value_to_pod_counts
                .get(i)
                .and_then(|m| m.get(value.as_str()))
                .copied()
                .unwrap_or(0)
        };
        let weight = s.topology_normalizing_weight.get(i).copied().unwrap_or(0.0);
        total += score_for_count(cnt, c.max_skew, weight);
    }
    Ok(total.round() as i64)
}

/// `NormalizeScore`: ignored nodes get 0; the others
/// `100 · (max + min − s) / max` (all 100 when `max` is 0).
pub fn normalize_score(state: &CycleState, scores: &mut [NodeScore<'_>]) -> Status {
    let Some(s) = state.read::<PreScoreState>() else {
        return Status::error(
            "error reading \"PreScorePodTopologySpread\" from cycleState: not found",
        );
    };
    normalize(&s.ignored_nodes, scores);
    Status::success()
}

/// The normalization itself, with the ignored nodes given.
///
/// ```
/// use std::collections::HashSet;
/// use kubelogic::scheduler::NodeScore;
/// use kubelogic::scheduler::plugins::podtopologyspread::scoring::normalize;
///
/// let mut s: Vec<NodeScore> = [("n0", 9), ("n1", 7), ("n2", 6), ("n3", 4)].iter()
///     .map(|&(name, score)| NodeScore { name, score }).collect();
/// normalize(&HashSet::new(), &mut s);
/// assert_eq!(s.iter().map(|s| s.score).collect::<Vec<_>>(), [44, 66, 77, 100]);
/// ```
pub fn normalize(ignored: &HashSet<String>, scores: &mut [NodeScore<'_>]) {
    const INVALID_SCORE: i64 = -1;
    let mut min = i64::MAX;
    let mut max = 0i64;
    for s in scores.iter_mut() {
        if ignored.contains(s.name) {
            s.score = INVALID_SCORE;
            continue;
        }
        min = min.min(s.score);
        max = max.max(s.score);
    }
    for s in scores.iter_mut() {
        if s.score == INVALID_SCORE {
            s.score = 0;
            continue;
        }
        if max == 0 {
            s.score = MAX_NODE_SCORE;
            continue;
        }
        s.score =
            MAX_NODE_SCORE.saturating_mul(max.saturating_add(min).saturating_sub(s.score)) / max;
    }
}
