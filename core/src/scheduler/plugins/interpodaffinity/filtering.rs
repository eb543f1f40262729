//! InterPodAffinity PreFilter, its AddPod/RemovePod extensions and Filter
//! (`interpodaffinity/filtering.go`).
//!
//! PreFilter counts, per topology pair `(key, value)`:
//! - existing pods whose required anti-affinity terms match the incoming pod
//!   (`existingAntiAffinityCounts`);
//! - existing pods matching **all** the incoming pod's required affinity
//!   terms (`affinityCounts`);
//! - existing pods matching each of its required anti-affinity terms
//!   (`antiAffinityCounts`).
//!
//! Filter then checks, in this order: affinity, anti-affinity, existing
//! pods' anti-affinity; the first failure is the node's status.
//!
//! The counts are kept by domain id of the snapshot's topology index
//! ([`TopologyCounts`]), so Filter reads a node's counts by its position.

use std::sync::Arc;

use crate::model::{Labels, Pod};
use crate::scheduler::framework::{missing_state, CycleState, PreFilterResult, Status};
use crate::scheduler::index::{Candidates, SnapshotIndexes};
use crate::scheduler::snapshot::{AffinityTerm, NodeInfo, PodInfo, Snapshot};

use super::{merge_affinity_term_namespaces, namespace_labels, CandidateTerm, TopologyCounts};

/// `ErrReasonExistingAntiAffinityRulesNotMatch`.
pub const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";
/// `ErrReasonAffinityRulesNotMatch`.
pub const ERR_REASON_AFFINITY_RULES_NOT_MATCH: &str = "node(s) didn't match pod affinity rules";
/// `ErrReasonAntiAffinityRulesNotMatch`.
pub const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH: &str =
    "node(s) didn't match pod anti-affinity rules";

/// The state PreFilter computes (`preFilterState`), cloned by preemption.
#[derive(Clone, Debug)]
pub struct PreFilterState {
    /// Existing pods' required anti-affinity terms matching the incoming pod.
    pub existing_anti_affinity_counts: TopologyCounts,
    /// Existing pods matching all the incoming pod's required affinity terms.
    pub affinity_counts: TopologyCounts,
    /// Existing pods matching the incoming pod's required anti-affinity terms.
    pub anti_affinity_counts: TopologyCounts,
    /// The incoming pod.
    pub pod: Arc<Pod>,
    /// Its required affinity terms, namespaceSelector merged.
    pub affinity_terms: Arc<Vec<AffinityTerm>>,
    /// Its required anti-affinity terms, namespaceSelector merged.
    pub anti_affinity_terms: Arc<Vec<AffinityTerm>>,
    /// The labels of its namespace.
    pub namespace_labels: Arc<Labels>,
    /// Per affinity term, the slot of its key in `affinity_counts`.
    pub affinity_slots: Arc<Vec<usize>>,
    /// Per anti-affinity term, the slot of its key in `anti_affinity_counts`.
    pub anti_affinity_slots: Arc<Vec<usize>>,
    /// Whether the incoming pod matches all its own affinity terms.
    pub matches_own_affinity: bool,
}

/// `podMatchesAllAffinityTerms`: a non-empty list of terms all of which the pod matches.
pub fn pod_matches_all_affinity_terms(terms: &[AffinityTerm], pod: &Pod) -> bool {
    !terms.is_empty() && terms.iter().all(|t| t.matches(pod, None))
}

/// `PreFilter`: `UnschedulableAndUnresolvable` when the pod's terms do not
/// parse, `Skip` when neither the pod nor any existing pod has relevant
/// required terms, else the counts are stored for Filter.
pub fn pre_filter(
    state: &mut CycleState,
    pod: &PodInfo,
    snapshot: &Snapshot,
) -> (Option<PreFilterResult>, Status) {
    if let Some(e) = &pod.parse_error {
        return (None, Status::unresolvable(format!("parsing pod: {e}")));
    }
    let index = snapshot.valid_indexes();
    let affinity_terms: Vec<AffinityTerm> = pod
        .required_affinity_terms
        .iter()
        .map(|t| merge_affinity_term_namespaces(t, snapshot))
        .collect();
    let anti_affinity_terms: Vec<AffinityTerm> = pod
        .required_anti_affinity_terms
        .iter()
        .map(|t| merge_affinity_term_namespaces(t, snapshot))
        .collect();
    let ns_labels = namespace_labels(snapshot, pod.pod.metadata.namespace());

    let mut existing = TopologyCounts::default();
    match index.and_then(|i| i.required_anti_affinity_groups()) {
        // Each distinct list of terms is matched once; its pods' nodes counted.
        Some(groups) => {
            let nodes = snapshot.nodes();
            for group in groups.iter() {
                for term in &group.pod.required_anti_affinity_terms {
                    if term.matches(&pod.pod, Some(&ns_labels)) {
                        let slot = existing.key_slot(&term.topology_key, index);
                        for &n in &group.nodes {
                            existing.update_at(slot, nodes, n, 1);
                        }
                    }
                }
            }
        }
        None => {
            for node in snapshot.have_pods_with_required_anti_affinity() {
                for existing_pod in &node.pods_with_required_anti_affinity {
                    for term in &existing_pod.required_anti_affinity_terms {
                        if term.matches(&pod.pod, Some(&ns_labels)) {
                            existing.update(node, &term.topology_key, 1, index);
                        }
                    }
                }
            }
        }
    }

    let mut affinity_counts = TopologyCounts::default();
    let mut anti_affinity_counts = TopologyCounts::default();
    let affinity_slots: Vec<usize> = affinity_terms
        .iter()
        .map(|t| affinity_counts.key_slot(&t.topology_key, index))
        .collect();
    let anti_affinity_slots: Vec<usize> = anti_affinity_terms
        .iter()
        .map(|t| anti_affinity_counts.key_slot(&t.topology_key, index))
        .collect();
    if !affinity_terms.is_empty() || !anti_affinity_terms.is_empty() {
        let mut incoming = IncomingCounts {
            affinity_terms: &affinity_terms,
            anti_affinity_terms: &anti_affinity_terms,
            affinity_slots: &affinity_slots,
            anti_affinity_slots: &anti_affinity_slots,
            affinity_counts: &mut affinity_counts,
            anti_affinity_counts: &mut anti_affinity_counts,
        };
        match index {
            Some(index) => incoming.count_indexed(index, snapshot),
            None => incoming.count_scanned(snapshot),
        }
    }

    if existing.is_empty()
        && pod.required_affinity_terms.is_empty()
        && pod.required_anti_affinity_terms.is_empty()
    {
        return (None, Status::skip());
    }
    state.write(PreFilterState {
        existing_anti_affinity_counts: existing,
        affinity_counts,
        anti_affinity_counts,
        matches_own_affinity: pod_matches_all_affinity_terms(&affinity_terms, &pod.pod),
        pod: Arc::clone(&pod.pod),
        affinity_terms: Arc::new(affinity_terms),
        anti_affinity_terms: Arc::new(anti_affinity_terms),
        namespace_labels: Arc::new(ns_labels),
        affinity_slots: Arc::new(affinity_slots),
        anti_affinity_slots: Arc::new(anti_affinity_slots),
    });
    (None, Status::success())
}

/// The incoming pod's affinity and anti-affinity counts being built.
struct IncomingCounts<'a> {
    affinity_terms: &'a [AffinityTerm],
    anti_affinity_terms: &'a [AffinityTerm],
    affinity_slots: &'a [usize],
    anti_affinity_slots: &'a [usize],
    affinity_counts: &'a mut TopologyCounts,
    anti_affinity_counts: &'a mut TopologyCounts,
}

impl IncomingCounts<'_> {
    /// Counts an existing pod on `node`.
    fn add(&mut self, node: &NodeInfo, existing: &Pod, affinity: bool, anti_affinity: bool) {
        if affinity && pod_matches_all_affinity_terms(self.affinity_terms, existing) {
            for &slot in self.affinity_slots {
                self.affinity_counts.update_slot(slot, node, 1);
            }
        }
        if anti_affinity {
            for (t, &slot) in self
                .anti_affinity_terms
                .iter()
                .zip(self.anti_affinity_slots)
            {
                if t.matches(existing, None) {
                    self.anti_affinity_counts.update_slot(slot, node, 1);
                }
            }
        }
    }

    /// Every pod of every node (`calPreFilterState` as upstream).
    fn count_scanned(&mut self, snapshot: &Snapshot) {
        for node in snapshot.nodes() {
            for existing in &node.pods {
                self.add(node, &existing.pod, true, true);
            }
        }
    }

    /// From the snapshot's pod-label index: only pods a term's selector can
    /// match are visited.
    fn count_indexed(&mut self, index: &SnapshotIndexes, snapshot: &Snapshot) {
        let nodes = snapshot.nodes();
        if !self.affinity_terms.is_empty() {
            // A pod must match every term: visit the candidates of the most
            // selective one (a term without selector matches nothing).
            let all_selected = self.affinity_terms.iter().all(|t| t.selector.is_some());
            let best = self
                .affinity_terms
                .iter()
                .filter_map(|t| index.candidates(t.selector.as_ref()?))
                .min_by_key(Candidates::len);
            match (all_selected, best) {
                (false, _) => {}
                (true, Some(c)) => {
                    for r in c.iter() {
                        if let Some(node) = nodes.get(r.node) {
                            self.add(node, &r.pod.pod, true, false);
                        }
                    }
                }
                (true, None) => {
                    for node in nodes {
                        for p in &node.pods {
                            self.add(node, &p.pod, true, false);
                        }
                    }
                }
            }
        }
        for (t, &slot) in self
            .anti_affinity_terms
            .iter()
            .zip(self.anti_affinity_slots)
        {
            let term = CandidateTerm::new(t, index);
            let counts = &mut *self.anti_affinity_counts;
            match term.candidates(index) {
                Some(c) => {
                    for r in c.iter() {
                        if term.matches(r, c.exact) {
                            counts.update_at(slot, nodes, r.node, 1);
                        }
                    }
                }
                None if t.selector.is_some() => {
                    for node in nodes {
                        for p in &node.pods {
                            if t.matches(&p.pod, None) {
                                counts.update_slot(slot, node, 1);
                            }
                        }
                    }
                }
                None => {}
            }
        }
    }
}

/// `preFilterState.updateWithPod`: the AddPod (`delta = 1`) and RemovePod
/// (`delta = -1`) extensions.
pub fn update_with_pod(
    state: &mut CycleState,
    updated: &PodInfo,
    node: &NodeInfo,
    delta: i64,
    snapshot: &Snapshot,
) -> Status {
    let Some(s) = state.read_mut::<PreFilterState>() else {
        return missing_state("PreFilterInterPodAffinity");
    };
    let index = snapshot.valid_indexes();
    for term in &updated.required_anti_affinity_terms {
        if term.matches(&s.pod, Some(&s.namespace_labels)) {
            s.existing_anti_affinity_counts
                .update(node, &term.topology_key, delta, index);
        }
    }
    if pod_matches_all_affinity_terms(&s.affinity_terms, &updated.pod) {
        for &slot in s.affinity_slots.iter() {
            s.affinity_counts.update_slot(slot, node, delta);
        }
    }
    for (t, &slot) in s
        .anti_affinity_terms
        .iter()
        .zip(s.anti_affinity_slots.iter())
    {
        if t.matches(&updated.pod, None) {
            s.anti_affinity_counts.update_slot(slot, node, delta);
        }
    }
    Status::success()
}

/// `satisfyPodAffinity`: every term's topology key is on the node and a
/// matching pod is in each of the node's domains — or no pod anywhere
/// matches and the pod matches its own terms (the first of a group).
pub fn satisfy_pod_affinity(s: &PreFilterState, node: &NodeInfo) -> bool {
    let mut pods_exist = true;
    for &slot in s.affinity_slots.iter() {
        match s.affinity_counts.count_at(slot, node) {
            // All topology labels must exist on the node.
            None => return false,
            Some(c) if c <= 0 => pods_exist = false,
            Some(_) => {}
        }
    }
    pods_exist || (s.affinity_counts.is_empty() && s.matches_own_affinity)
}

/// `satisfyPodAntiAffinity`: no anti-affinity term has a matching pod in the node's domain.
pub fn satisfy_pod_anti_affinity(s: &PreFilterState, node: &NodeInfo) -> bool {
    if s.anti_affinity_counts.is_empty() {
        return true;
    }
    s.anti_affinity_slots
        .iter()
        .all(|&slot| s.anti_affinity_counts.get_slot(slot, node) <= 0)
}

/// `satisfyExistingPodsAntiAffinity`: no existing pod's anti-affinity term
/// matching the incoming pod covers one of the node's labels.
pub fn satisfy_existing_pods_anti_affinity(s: &PreFilterState, node: &NodeInfo) -> bool {
    s.existing_anti_affinity_counts.is_empty()
        || !s.existing_anti_affinity_counts.any_positive_for_node(node)
}

/// `Filter`.
pub fn filter(state: &CycleState, _pod: &PodInfo, node: &NodeInfo) -> Status {
    let Some(s) = state.read::<PreFilterState>() else {
        return missing_state("PreFilterInterPodAffinity");
    };
    if !satisfy_pod_affinity(s, node) {
        return Status::unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    }
    if !satisfy_pod_anti_affinity(s, node) {
        return Status::unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    if !satisfy_existing_pods_anti_affinity(s, node) {
        return Status::unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    Status::success()
}
