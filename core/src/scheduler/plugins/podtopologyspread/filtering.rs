//! PodTopologySpread PreFilter, AddPod/RemovePod and Filter
//! (`podtopologyspread/filtering.go`) for `DoNotSchedule` constraints.
//!
//! PreFilter counts, per constraint, the matching pods in each domain of
//! the nodes that have every constraint's key and pass the inclusion
//! policies, and keeps the two smallest domains ("critical paths"). Filter
//! rejects a node when `count(domain) + selfMatch - globalMin > maxSkew`,
//! where `globalMin` is 0 while there are fewer domains than `minDomains`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::model::nodeaffinity::RequiredNodeAffinity;
use crate::model::{NodeInclusionPolicy, Pod, UnsatisfiableConstraintAction};
use crate::scheduler::framework::{missing_state, CycleState, PreFilterResult, Status};
use crate::scheduler::index::{Domain, TopologyKey, NO_DOMAIN};
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};

use super::common::{
    count_pods_match_selector, has_required_node_affinity, node_labels_match_spread_constraints,
    required_node_affinity_matches, selector_matches, NodeInclusion, TopologySpreadConstraint,
};
use super::PodTopologySpread;

/// `ErrReasonConstraintsNotMatch`.
pub const ERR_REASON_CONSTRAINTS_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints";
/// `ErrReasonNodeLabelNotMatch`.
pub const ERR_REASON_NODE_LABEL_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

/// Matching pods per topology value of one constraint (`TpValueToMatchNum[i]`),
/// stored by the snapshot's domain ids when it has a topology index (no
/// string keys per domain, a node's domain read by its position), with the
/// values outside it in a map.
#[derive(Clone, Debug)]
pub struct DomainCounts {
    key: TopologyKey,
    counts: Vec<i64>,
    present: Vec<bool>,
    len: usize,
    extra: HashMap<String, i64>,
}

impl DomainCounts {
    /// Counts over the domains of `key` (none present yet).
    pub fn new(key: TopologyKey) -> Self {
        let n = key.indexed_len();
        DomainCounts {
            key,
            counts: vec![0; n],
            present: vec![false; n],
            len: 0,
            extra: HashMap::new(),
        }
    }

    /// The topology key.
    pub fn key(&self) -> &TopologyKey {
        &self.key
    }

    /// The node's domain (`None`: the node lacks the key).
    #[inline]
    pub fn domain_of<'n>(&self, node: &'n NodeInfo) -> Option<Domain<'n>> {
        self.key.domain_of(node)
    }

    /// The count of a domain, if it is one of the counted domains.
    #[inline]
    pub fn get_domain(&self, domain: Domain<'_>) -> Option<i64> {
        match domain {
            Domain::Id(id) => {
                let id = id as usize;
                self.present
                    .get(id)
                    .copied()
                    .unwrap_or(false)
                    .then(|| self.counts.get(id).copied().unwrap_or(0))
            }
            Domain::Value(v) => self.extra.get(v).copied(),
        }
    }

    /// The count of a value, if the value is a domain.
    pub fn get(&self, value: &str) -> Option<i64> {
        self.get_domain(self.key.domain_of_value(Some(value))?)
    }

    /// Adds `delta` to a domain by id (creating it); the new count.
    pub fn add_id(&mut self, id: u32, delta: i64) -> i64 {
        let id = id as usize;
        if let Some(p) = self.present.get_mut(id) {
            if !*p {
                *p = true;
                self.len += 1;
            }
        }
        match self.counts.get_mut(id) {
            Some(c) => {
                *c += delta;
                *c
            }
            None => 0,
        }
    }

    /// Adds `delta` to a domain's count (creating the domain); the new count.
    pub fn add_domain(&mut self, domain: Domain<'_>, delta: i64) -> i64 {
        match domain {
            Domain::Id(id) if (id as usize) < self.counts.len() => self.add_id(id, delta),
            other => {
                let value = self.key.value(other).to_owned();
                let c = self.extra.entry(value).or_insert(0);
                *c += delta;
                *c
            }
        }
    }

    /// Adds `delta` to a value's count (creating the domain); the new count.
    pub fn add(&mut self, value: &str, delta: i64) -> i64 {
        match self.key.domain_of_value(Some(value)) {
            Some(d) => self.add_domain(d, delta),
            None => 0,
        }
    }

    /// The number of domains.
    pub fn len(&self) -> usize {
        self.len + self.extra.len()
    }

    /// Whether there is no domain.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The domains and their counts.
    pub fn iter(&self) -> impl Iterator<Item = (&str, i64)> + '_ {
        let indexed = self.key.domains().into_iter().flat_map(move |d| {
            d.values
                .iter()
                .zip(self.present.iter().zip(self.counts.iter()))
                .filter(|(_, (p, _))| **p)
                .map(|(v, (_, c))| (v.as_str(), *c))
        });
        indexed.chain(self.extra.iter().map(|(v, c)| (v.as_str(), *c)))
    }
}

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
    pub tp_value_to_match_num: Vec<DomainCounts>,
    /// Per constraint, whether the incoming pod matches its own selector
    /// (the same for every node of the cycle).
    pub self_match: Vec<bool>,
}

impl PreFilterState {
    /// `minMatchNum`: the global minimum, or 0 while fewer domains than `minDomains` exist.
    pub fn min_match_num(&self, i: usize, min_domains: i32) -> i64 {
        let min = self.critical_paths.get(i).map_or(0, CriticalPaths::min);
        let domains = self
            .tp_value_to_match_num
            .get(i)
            .map_or(0, DomainCounts::len);
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
    let s = cal_pre_filter_state(pl, &pod.pod, constraints, snapshot);
    state.write(s);
    (None, Status::success())
}

/// `calPreFilterState`: the counts over the snapshot's nodes.
pub fn cal_pre_filter_state(
    pl: &PodTopologySpread,
    pod: &Pod,
    constraints: Vec<TopologySpreadConstraint>,
    snapshot: &Snapshot,
) -> PreFilterState {
    let tp = match indexed_counts(pl, pod, &constraints, snapshot) {
        Some(tp) => tp,
        None => scanned_counts(pl, pod, &constraints, snapshot.nodes()),
    };
    let critical_paths = tp
        .iter()
        .map(|counts| {
            let mut paths = CriticalPaths::default();
            for (v, n) in counts.iter() {
                paths.update(v, n);
            }
            paths
        })
        .collect();
    PreFilterState {
        self_match: constraints
            .iter()
            .map(|c| selector_matches(&c.selector, pod.labels()))
            .collect(),
        constraints: Arc::new(constraints),
        critical_paths,
        tp_value_to_match_num: tp,
    }
}

/// Whether any constraint honors a node inclusion policy.
fn policies_used(pl: &PodTopologySpread, constraints: &[TopologySpreadConstraint]) -> bool {
    pl.gates.node_inclusion_policy_in_pod_topology_spread
        && constraints.iter().any(|c| {
            c.node_affinity_policy == NodeInclusionPolicy::Honor
                || c.node_taints_policy == NodeInclusionPolicy::Honor
        })
}

/// The counts by scanning every node and pod (`calPreFilterState` as upstream).
fn scanned_counts(
    pl: &PodTopologySpread,
    pod: &Pod,
    constraints: &[TopologySpreadConstraint],
    nodes: &[NodeInfo],
) -> Vec<DomainCounts> {
    let mut tp: Vec<DomainCounts> = constraints
        .iter()
        .map(|c| DomainCounts::new(TopologyKey::new(&c.topology_key, None)))
        .collect();
    let policies = policies_used(pl, constraints);
    let required = RequiredNodeAffinity::new(pod);
    let ns = pod.metadata.namespace();
    for node in nodes {
        let labels = node.node.labels();
        if !pl.gates.node_inclusion_policy_in_pod_topology_spread
            && !required_node_affinity_matches(&required, &node.node)
        {
            continue;
        }
        if !node_labels_match_spread_constraints(labels, constraints) {
            continue;
        }
        let inclusion = policies.then(|| NodeInclusion::of(&required, pod, &node.node, pl.gates));
        for (c, counts) in constraints.iter().zip(tp.iter_mut()) {
            if inclusion.is_some_and(|inc| !inc.matches(c)) {
                continue;
            }
            let Some(value) = labels.get(&c.topology_key) else {
                continue;
            };
            counts.add(
                value,
                count_pods_match_selector(&node.pods, &c.selector, ns),
            );
        }
    }
    tp
}

/// The same counts from the snapshot's indexes: node eligibility from the
/// topology domains, matching pods from the label index. `None` when the
/// indexes are stale.
fn indexed_counts(
    pl: &PodTopologySpread,
    pod: &Pod,
    constraints: &[TopologySpreadConstraint],
    snapshot: &Snapshot,
) -> Option<Vec<DomainCounts>> {
    let index = snapshot.valid_indexes()?;
    let keys: Vec<TopologyKey> = constraints
        .iter()
        .map(|c| TopologyKey::new(&c.topology_key, Some(index)))
        .collect();
    if keys.iter().any(|k| k.domains().is_none()) {
        // No node has this key: no node is eligible.
        return Some(keys.into_iter().map(DomainCounts::new).collect());
    }
    let nodes = snapshot.nodes();
    let pod_has_node_affinity = has_required_node_affinity(pod);
    let mut tp: Vec<DomainCounts> = keys.iter().cloned().map(DomainCounts::new).collect();
    // Per constraint and node position: the domain the node counts in.
    let node_independent = !pod_has_node_affinity
        && constraints
            .iter()
            .all(|c| c.node_taints_policy != NodeInclusionPolicy::Honor);
    let single_or_everywhere = keys.len() == 1
        || keys
            .iter()
            .all(|k| k.domains().is_some_and(|d| d.nodes_without_key == 0));
    let counted: Vec<Cow<'_, [u32]>> = if node_independent && single_or_everywhere {
        // Every node with the keys counts, in its own domain: the index's
        // per-node domains as they are, every domain present.
        let mut counted = Vec::with_capacity(keys.len());
        for (k, counts) in keys.iter().zip(tp.iter_mut()) {
            let d = k.domains()?;
            for id in 0..d.values.len() {
                counts.add_id(u32::try_from(id).unwrap_or(NO_DOMAIN), 0);
            }
            counted.push(Cow::Borrowed(d.node_domain.as_slice()));
        }
        counted
    } else {
        eligible_domains(pl, pod, constraints, &keys, nodes, &mut tp)
            .into_iter()
            .map(Cow::Owned)
            .collect()
    };
    let ns = pod.metadata.namespace();
    for ((c, counts), counted) in constraints.iter().zip(tp.iter_mut()).zip(&counted) {
        // `countPodsMatchSelector`: nothing for a nil or an empty selector.
        let Some(sel) = c.selector.as_ref().filter(|s| !s.is_empty()) else {
            continue;
        };
        let matches = |p: &PodInfo| {
            p.pod.metadata.deletion_timestamp.is_none()
                && p.pod.metadata.namespace() == ns
                && sel.matches_unchecked(p.pod.labels())
        };
        match index.candidates(sel) {
            Some(c) => {
                // The pods of other namespaces and terminating ones are
                // told apart inline; the selector is checked only when the
                // candidates are not exactly its pods.
                let Some(ns_id) = index.namespace_id(ns) else {
                    continue;
                };
                for r in c.iter() {
                    let id = counted.get(r.node).copied().unwrap_or(NO_DOMAIN);
                    if id != NO_DOMAIN
                        && !r.terminating
                        && r.namespace == ns_id
                        && (c.exact || sel.matches_unchecked(r.pod.pod.labels()))
                    {
                        counts.add_id(id, 1);
                    }
                }
            }
            None => {
                for (node, id) in nodes.iter().zip(counted.iter()) {
                    if *id != NO_DOMAIN {
                        let n = node.pods.iter().filter(|p| matches(p)).count();
                        counts.add_id(*id, n as i64);
                    }
                }
            }
        }
    }
    Some(tp)
}

/// Per constraint and node position, the domain the node counts in
/// ([`NO_DOMAIN`]: it does not), with each counting domain made present in `tp`.
fn eligible_domains(
    pl: &PodTopologySpread,
    pod: &Pod,
    constraints: &[TopologySpreadConstraint],
    keys: &[TopologyKey],
    nodes: &[NodeInfo],
    tp: &mut [DomainCounts],
) -> Vec<Vec<u32>> {
    let policies = policies_used(pl, constraints);
    let required = RequiredNodeAffinity::new(pod);
    let pod_has_node_affinity = has_required_node_affinity(pod);
    let mut counted: Vec<Vec<u32>> = vec![vec![NO_DOMAIN; nodes.len()]; constraints.len()];
    let mut ids: Vec<u32> = vec![NO_DOMAIN; constraints.len()];
    for (pos, node) in nodes.iter().enumerate() {
        let mut all_keys = true;
        for (slot, k) in ids.iter_mut().zip(keys) {
            *slot = k.domain_at(pos).unwrap_or(NO_DOMAIN);
            all_keys &= *slot != NO_DOMAIN;
        }
        if !all_keys {
            continue;
        }
        if !pl.gates.node_inclusion_policy_in_pod_topology_spread
            && pod_has_node_affinity
            && !required_node_affinity_matches(&required, &node.node)
        {
            continue;
        }
        let inclusion = policies.then(|| {
            if pod_has_node_affinity || node.has_taints {
                NodeInclusion::of(&required, pod, &node.node, pl.gates)
            } else {
                NodeInclusion {
                    affinity: true,
                    taints: true,
                }
            }
        });
        for (i, c) in constraints.iter().enumerate() {
            if inclusion.is_some_and(|inc| !inc.matches(c)) {
                continue;
            }
            let (Some(id), Some(counts), Some(slot)) = (
                ids.get(i).copied(),
                tp.get_mut(i),
                counted.get_mut(i).and_then(|v| v.get_mut(pos)),
            ) else {
                continue;
            };
            counts.add_id(id, 0);
            *slot = id;
        }
    }
    counted
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
    let required = RequiredNodeAffinity::new(&preemptor.pod);
    if !pl.gates.node_inclusion_policy_in_pod_topology_spread
        && !required_node_affinity_matches(&required, &node.node)
    {
        return Status::success();
    }
    let inclusion = NodeInclusion::of(&required, &preemptor.pod, &node.node, pl.gates);
    let constraints = Arc::clone(&s.constraints);
    for (i, c) in constraints.iter().enumerate() {
        if !selector_matches(&c.selector, updated.pod.labels()) {
            continue;
        }
        if pl.gates.node_inclusion_policy_in_pod_topology_spread && !inclusion.matches(c) {
            continue;
        }
        let (Some(counts), Some(paths)) = (
            s.tp_value_to_match_num.get_mut(i),
            s.critical_paths.get_mut(i),
        ) else {
            continue;
        };
        let Some(domain) = counts.domain_of(node) else {
            continue;
        };
        let n = counts.add_domain(domain, delta);
        paths.update(counts.key().value(domain), n);
    }
    Status::success()
}

/// `Filter`.
pub fn filter(state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
    let Some(s) = state.read::<PreFilterState>() else {
        return missing_state("PreFilterPodTopologySpread");
    };
    for (i, c) in s.constraints.iter().enumerate() {
        let Some(counts) = s.tp_value_to_match_num.get(i) else {
            return missing_state("PreFilterPodTopologySpread");
        };
        let Some(domain) = counts.domain_of(node) else {
            return Status::unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        };
        let min_match = s.min_match_num(i, c.min_domains);
        let self_match = i64::from(match s.self_match.get(i) {
            Some(m) => *m,
            None => selector_matches(&c.selector, pod.pod.labels()),
        });
        let match_num = counts.get_domain(domain).unwrap_or(0);
        let skew = match_num + self_match - min_match;
        if skew > i64::from(c.max_skew) {
            return Status::unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
        }
    }
    Status::success()
}
