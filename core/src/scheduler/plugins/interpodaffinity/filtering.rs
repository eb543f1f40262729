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

use std::sync::Arc;

use crate::model::{LabelSelector, Labels, Pod};
use crate::scheduler::framework::{missing_state, CycleState, PreFilterResult, Status};
use crate::scheduler::snapshot::{AffinityTerm, NodeInfo, PodInfo, Snapshot};

use super::{merge_affinity_term_namespaces, namespace_labels, TopologyCounts};

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
    for node in snapshot.have_pods_with_required_anti_affinity() {
        let labels = node.node.labels();
        for existing_pod in &node.pods_with_required_anti_affinity {
            for term in &existing_pod.required_anti_affinity_terms {
                if term.matches(&pod.pod, Some(&ns_labels)) {
                    existing.update(labels, &term.topology_key, 1);
                }
            }
        }
    }

    let mut affinity_counts = TopologyCounts::default();
    let mut anti_affinity_counts = TopologyCounts::default();
    if (!affinity_terms.is_empty() || !anti_affinity_terms.is_empty())
        && !incoming_counts_indexed(
            &affinity_terms,
            &anti_affinity_terms,
            snapshot,
            &mut affinity_counts,
            &mut anti_affinity_counts,
        )
    {
        for node in snapshot.nodes() {
            let labels = node.node.labels();
            for existing_pod in &node.pods {
                if pod_matches_all_affinity_terms(&affinity_terms, &existing_pod.pod) {
                    for t in &affinity_terms {
                        affinity_counts.update(labels, &t.topology_key, 1);
                    }
                }
                for t in &anti_affinity_terms {
                    if t.matches(&existing_pod.pod, None) {
                        anti_affinity_counts.update(labels, &t.topology_key, 1);
                    }
                }
            }
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
        pod: Arc::clone(&pod.pod),
        affinity_terms: Arc::new(affinity_terms),
        anti_affinity_terms: Arc::new(anti_affinity_terms),
        namespace_labels: Arc::new(ns_labels),
    });
    (None, Status::success())
}

/// The incoming pod's affinity and anti-affinity counts from the snapshot's
/// pod-label index: only pods a term's selector can match are visited.
/// `false` when the indexes are stale (the caller scans).
fn incoming_counts_indexed(
    affinity_terms: &[AffinityTerm],
    anti_affinity_terms: &[AffinityTerm],
    snapshot: &Snapshot,
    affinity_counts: &mut TopologyCounts,
    anti_affinity_counts: &mut TopologyCounts,
) -> bool {
    let Some(index) = snapshot.valid_indexes() else {
        return false;
    };
    let nodes = snapshot.nodes();
    let count_term_pods = |terms: &[AffinityTerm],
                           sel: Option<&LabelSelector>,
                           on_match: &mut dyn FnMut(&Labels, &Pod)| {
        let Some(sel) = sel else {
            return;
        };
        match index.candidates(sel) {
            Some(lists) => {
                for r in lists.into_iter().flatten() {
                    if let Some(node) = nodes.get(r.node) {
                        if terms.iter().all(|t| t.matches(&r.pod.pod, None)) {
                            on_match(node.node.labels(), &r.pod.pod);
                        }
                    }
                }
            }
            None => {
                for node in nodes {
                    for p in &node.pods {
                        if terms.iter().all(|t| t.matches(&p.pod, None)) {
                            on_match(node.node.labels(), &p.pod);
                        }
                    }
                }
            }
        }
    };
    if !affinity_terms.is_empty() {
        // A pod must match every term: visit the candidates of the most
        // selective one (a term without selector matches nothing).
        let selectors: Option<Vec<&LabelSelector>> =
            affinity_terms.iter().map(|t| t.selector.as_ref()).collect();
        if let Some(selectors) = selectors {
            let best = selectors
                .iter()
                .filter_map(|s| {
                    index
                        .candidates(s)
                        .map(|l| (l.iter().map(|x| x.len()).sum::<usize>(), *s))
                })
                .min_by_key(|(n, _)| *n)
                .map(|(_, s)| s)
                .or_else(|| selectors.first().copied());
            count_term_pods(affinity_terms, best, &mut |labels, _| {
                for t in affinity_terms {
                    affinity_counts.update(labels, &t.topology_key, 1);
                }
            });
        }
    }
    for t in anti_affinity_terms {
        count_term_pods(
            std::slice::from_ref(t),
            t.selector.as_ref(),
            &mut |labels, _| {
                anti_affinity_counts.update(labels, &t.topology_key, 1);
            },
        );
    }
    true
}

/// `preFilterState.updateWithPod`: the AddPod (`delta = 1`) and RemovePod
/// (`delta = -1`) extensions.
pub fn update_with_pod(
    state: &mut CycleState,
    updated: &PodInfo,
    node: &NodeInfo,
    delta: i64,
) -> Status {
    let Some(s) = state.read_mut::<PreFilterState>() else {
        return missing_state("PreFilterInterPodAffinity");
    };
    let labels = node.node.labels();
    for term in &updated.required_anti_affinity_terms {
        if term.matches(&s.pod, Some(&s.namespace_labels)) {
            s.existing_anti_affinity_counts
                .update(labels, &term.topology_key, delta);
        }
    }
    if pod_matches_all_affinity_terms(&s.affinity_terms, &updated.pod) {
        for t in s.affinity_terms.iter() {
            s.affinity_counts.update(labels, &t.topology_key, delta);
        }
    }
    for t in s.anti_affinity_terms.iter() {
        if t.matches(&updated.pod, None) {
            s.anti_affinity_counts
                .update(labels, &t.topology_key, delta);
        }
    }
    Status::success()
}

/// `satisfyPodAffinity`: every term's topology key is on the node and a
/// matching pod is in each of the node's domains — or no pod anywhere
/// matches and the pod matches its own terms (the first of a group).
pub fn satisfy_pod_affinity(s: &PreFilterState, labels: &Labels) -> bool {
    let mut pods_exist = true;
    for term in s.affinity_terms.iter() {
        match labels.get(&term.topology_key) {
            Some(v) => {
                if s.affinity_counts.get(&term.topology_key, v) <= 0 {
                    pods_exist = false;
                }
            }
            None => return false,
        }
    }
    pods_exist
        || (s.affinity_counts.is_empty()
            && pod_matches_all_affinity_terms(&s.affinity_terms, &s.pod))
}

/// `satisfyPodAntiAffinity`: no anti-affinity term has a matching pod in the node's domain.
pub fn satisfy_pod_anti_affinity(s: &PreFilterState, labels: &Labels) -> bool {
    if s.anti_affinity_counts.is_empty() {
        return true;
    }
    s.anti_affinity_terms.iter().all(|term| {
        labels
            .get(&term.topology_key)
            .is_none_or(|v| s.anti_affinity_counts.get(&term.topology_key, v) <= 0)
    })
}

/// `satisfyExistingPodsAntiAffinity`: no existing pod's anti-affinity term
/// matching the incoming pod covers one of the node's labels.
pub fn satisfy_existing_pods_anti_affinity(s: &PreFilterState, labels: &Labels) -> bool {
    s.existing_anti_affinity_counts.is_empty()
        || !s
            .existing_anti_affinity_counts
            .any_positive_for_labels(labels)
}

/// `Filter`.
pub fn filter(state: &CycleState, _pod: &PodInfo, node: &NodeInfo) -> Status {
    let Some(s) = state.read::<PreFilterState>() else {
        return missing_state("PreFilterInterPodAffinity");
    };
    let labels = node.node.labels();
    if !satisfy_pod_affinity(s, labels) {
        return Status::unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    }
    if !satisfy_pod_anti_affinity(s, labels) {
        return Status::unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    if !satisfy_existing_pods_anti_affinity(s, labels) {
        return Status::unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    Status::success()
}
