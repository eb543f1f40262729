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
use crate::scheduler::framework::{fill_scores, CycleState, NodeScore, Status, MAX_NODE_SCORE};
use crate::scheduler::index::{Domain, DomainMap, SnapshotIndexes, TopologyKey};
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};

use super::common::{
    count_pods_match_selector, required_node_affinity_matches, NodeInclusion,
    TopologySpreadConstraint, LABEL_HOSTNAME,
};
use super::PodTopologySpread;

/// The state PreScore computes (`preScoreState`).
#[derive(Clone, Debug, Default)]
pub struct PreScoreState {
    /// The `ScheduleAnyway` constraints.
    pub constraints: Arc<Vec<TopologySpreadConstraint>>,
    /// Per constraint, its key resolved against the snapshot's index.
    pub keys: Arc<Vec<TopologyKey>>,
    /// Filtered nodes missing some constraint's key.
    pub ignored_nodes: Arc<HashSet<String>>,
    /// Per constraint (not hostname), matching pods per domain of the
    /// filtered nodes (by domain id; a node without the key counts under
    /// the empty value, as upstream).
    pub topology_value_to_pod_counts: Arc<Vec<DomainMap<i64>>>,
    /// Per constraint, `ln(domains + 2)`.
    pub topology_normalizing_weight: Arc<Vec<f64>>,
    /// Per hostname constraint, when the snapshot is indexed: the matching
    /// pods per node position, counted once here instead of on every node
    /// in Score.
    pub node_pod_counts: Arc<Vec<Option<Vec<i64>>>>,
}

/// `topologyNormalizingWeight`: `ln(size + 2)`.
pub fn topology_normalizing_weight(size: usize) -> f64 {
    (size as f64 + 2.0).ln()
}

/// `scoreForCount`: `cnt · weight + (maxSkew − 1)`.
pub fn score_for_count(cnt: i64, max_skew: i32, weight: f64) -> f64 {
    cnt as f64 * weight + f64::from(max_skew.saturating_sub(1))
}

/// The domain a node counts in for `key`: its own, or the empty value's
/// when it lacks the key (`node.Labels[key]` in Go).
fn value_domain<'n>(key: &TopologyKey, domain: Option<Domain<'n>>) -> Domain<'n> {
    match domain {
        Some(d) => d,
        None => key.domain_of_value(Some("")).unwrap_or(Domain::Value("")),
    }
}

/// Whether the node has every constraint's key (`nodeLabelsMatchSpreadConstraints`).
fn has_all_keys(keys: &[TopologyKey], node: &NodeInfo) -> bool {
    keys.iter().all(|k| k.domain_of(node).is_some())
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
    let index = snapshot.valid_indexes();
    let keys: Vec<TopologyKey> = constraints
        .iter()
        .map(|c| TopologyKey::new(&c.topology_key, index))
        .collect();

    // initPreScoreState
    let mut ignored: HashSet<String> = HashSet::new();
    let mut counts: Vec<DomainMap<i64>> = keys.iter().map(DomainMap::for_key).collect();
    for node in filtered {
        if require_all_topologies && !has_all_keys(&keys, node) {
            ignored.insert(node.name().to_owned());
            continue;
        }
        for ((c, k), m) in constraints.iter().zip(&keys).zip(counts.iter_mut()) {
            if c.topology_key == LABEL_HOSTNAME {
                continue;
            }
            m.entry(value_domain(k, k.domain_of(node)), || 0);
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

    let counter = Counter {
        pl,
        pod,
        constraints: &constraints,
        keys: &keys,
        require_all_topologies,
        required: RequiredNodeAffinity::new(&pod.pod),
        pod_has_node_affinity: super::common::has_required_node_affinity(&pod.pod),
        policies: pl.gates.node_inclusion_policy_in_pod_topology_spread
            && constraints.iter().any(|c| {
                c.node_affinity_policy == NodeInclusionPolicy::Honor
                    || c.node_taints_policy == NodeInclusionPolicy::Honor
            }),
    };
    if counts.iter().any(|m| !m.is_empty()) {
        match index {
            Some(index) => counter.count_indexed(index, all_nodes, &mut counts),
            None => counter.count_scanned(all_nodes, &mut counts),
        }
    }
    let node_pod_counts = match index {
        Some(index) => counter.hostname_counts_indexed(index),
        None => vec![None; constraints.len()],
    };
    state.write(PreScoreState {
        node_pod_counts: Arc::new(node_pod_counts),
        constraints: Arc::new(constraints),
        keys: Arc::new(keys),
        ignored_nodes: Arc::new(ignored),
        topology_value_to_pod_counts: Arc::new(counts),
        topology_normalizing_weight: Arc::new(weights),
    });
    Status::success()
}

/// PreScore's counting of matching pods over all nodes.
struct Counter<'a> {
    pl: &'a PodTopologySpread,
    pod: &'a PodInfo,
    constraints: &'a [TopologySpreadConstraint],
    keys: &'a [TopologyKey],
    require_all_topologies: bool,
    required: RequiredNodeAffinity,
    /// The pod has a `nodeSelector` or required node affinity.
    pod_has_node_affinity: bool,
    policies: bool,
}

impl Counter<'_> {
    /// Whether the node's pods count for constraint `c`: it has every key
    /// (when required) and passes the node inclusion policies.
    fn node_counts(&self, node: &NodeInfo, c: &TopologySpreadConstraint) -> bool {
        if self.require_all_topologies && !has_all_keys(self.keys, node) {
            return false;
        }
        if !self.pl.gates.node_inclusion_policy_in_pod_topology_spread
            && !required_node_affinity_matches(&self.required, &node.node)
        {
            return false;
        }
        if !self.policies || (!self.pod_has_node_affinity && !node.has_taints) {
            // Nothing to exclude the node for: both policies would pass.
            return true;
        }
        NodeInclusion::of(&self.required, &self.pod.pod, &node.node, self.pl.gates).matches(c)
    }

    /// Every node and pod, as upstream.
    fn count_scanned(&self, nodes: &[NodeInfo], counts: &mut [DomainMap<i64>]) {
        let ns = self.pod.pod.metadata.namespace();
        for node in nodes {
            for ((c, k), m) in self
                .constraints
                .iter()
                .zip(self.keys)
                .zip(counts.iter_mut())
            {
                if !self.node_counts(node, c) {
                    continue;
                }
                let Some(slot) = m.get_mut(value_domain(k, k.domain_of(node))) else {
                    continue;
                };
                *slot += count_pods_match_selector(&node.pods, &c.selector, ns);
            }
        }
    }

    /// From the snapshot's indexes: only the pods a constraint's selector
    /// can match are visited.
    fn count_indexed(
        &self,
        index: &SnapshotIndexes,
        nodes: &[NodeInfo],
        counts: &mut [DomainMap<i64>],
    ) {
        let ns = self.pod.pod.metadata.namespace();
        let ns_id = index.namespace_id(ns);
        for ((c, k), m) in self
            .constraints
            .iter()
            .zip(self.keys)
            .zip(counts.iter_mut())
        {
            let Some(sel) = c.selector.as_ref().filter(|s| !s.is_empty()) else {
                continue;
            };
            if m.is_empty() {
                continue;
            }
            match index.candidates(sel) {
                Some(cands) => {
                    let Some(ns_id) = ns_id else {
                        continue;
                    };
                    for r in cands.iter() {
                        if r.terminating
                            || r.namespace != ns_id
                            || !(cands.exact || sel.matches_unchecked(r.pod.pod.labels()))
                        {
                            continue;
                        }
                        let Some(node) = nodes.get(r.node) else {
                            continue;
                        };
                        if !self.node_counts(node, c) {
                            continue;
                        }
                        if let Some(slot) = m.get_mut(value_domain(k, k.domain_in(nodes, r.node))) {
                            *slot += 1;
                        }
                    }
                }
                None => {
                    for node in nodes {
                        if !self.node_counts(node, c) {
                            continue;
                        }
                        if let Some(slot) = m.get_mut(value_domain(k, k.domain_of(node))) {
                            *slot += count_pods_match_selector(&node.pods, &c.selector, ns);
                        }
                    }
                }
            }
        }
    }

    /// For each hostname constraint: the matching pods per node position,
    /// from the pod-label index (`None` for other constraints, or when the
    /// index cannot narrow the pods; Score then counts on the node).
    fn hostname_counts_indexed(&self, index: &SnapshotIndexes) -> Vec<Option<Vec<i64>>> {
        let ns_id = index.namespace_id(self.pod.pod.metadata.namespace());
        self.constraints
            .iter()
            .map(|c| {
                if c.topology_key != LABEL_HOSTNAME {
                    return None;
                }
                let mut per_node = vec![0i64; index.node_count()];
                let Some(sel) = c.selector.as_ref().filter(|s| !s.is_empty()) else {
                    return Some(per_node);
                };
                let cands = index.candidates(sel)?;
                let Some(ns_id) = ns_id else {
                    return Some(per_node);
                };
                for r in cands.iter() {
                    if !r.terminating
                        && r.namespace == ns_id
                        && (cands.exact || sel.matches_unchecked(r.pod.pod.labels()))
                    {
                        if let Some(n) = per_node.get_mut(r.node) {
                            *n += 1;
                        }
                    }
                }
                Some(per_node)
            })
            .collect()
    }
}

fn read_state(state: &CycleState) -> Result<&PreScoreState, Status> {
    state.read::<PreScoreState>().ok_or_else(|| {
        Status::error("error reading \"PreScorePodTopologySpread\" from cycleState: not found")
    })
}

/// `Score`: the node's raw score (0 for an ignored node).
pub fn score(state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
    Ok(score_node(read_state(state)?, pod, node))
}

/// `Score` for every node (the state read once).
pub fn score_nodes(
    state: &CycleState,
    pod: &PodInfo,
    nodes: &[&NodeInfo],
    scores: &mut [NodeScore<'_>],
) -> Result<(), Status> {
    let s = read_state(state)?;
    fill_scores(nodes, scores, |node| score_node(s, pod, node));
    Ok(())
}

/// The raw score of one node from PreScore's state.
pub fn score_node(s: &PreScoreState, pod: &PodInfo, node: &NodeInfo) -> i64 {
    if !s.ignored_nodes.is_empty() && s.ignored_nodes.contains(node.name()) {
        return 0;
    }
    let ns = pod.pod.metadata.namespace();
    let position = node.snapshot_position();
    let mut total = 0.0f64;
    for (i, (c, k)) in s.constraints.iter().zip(s.keys.iter()).enumerate() {
        let Some(domain) = k.domain_of(node) else {
            continue;
        };
        let cnt = if c.topology_key == LABEL_HOSTNAME {
            let indexed = s
                .node_pod_counts
                .get(i)
                .and_then(Option::as_ref)
                .zip(position.filter(|p| k.covers(*p)))
                .and_then(|(per_node, p)| per_node.get(p).copied());
            match indexed {
                Some(n) => n,
                None => count_pods_match_selector(&node.pods, &c.selector, ns),
            }
        } else {
            s.topology_value_to_pod_counts
                .get(i)
                .and_then(|m| m.get(domain))
                .copied()
                .unwrap_or(0)
        };
        let weight = s.topology_normalizing_weight.get(i).copied().unwrap_or(0.0);
        total += score_for_count(cnt, c.max_skew, weight);
    }
    total.round() as i64
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
