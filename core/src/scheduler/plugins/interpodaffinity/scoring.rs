//! InterPodAffinity PreScore, Score and NormalizeScore
//! (`interpodaffinity/scoring.go`).
//!
//! PreScore sums, per topology pair, the weights of the incoming pod's
//! preferred terms matched by existing pods (anti-affinity negative) and,
//! symmetrically, of existing pods' terms matched by the incoming pod
//! (required affinity with `hardPodAffinityWeight`). A node's score is the
//! sum over the pairs its labels hold; NormalizeScore maps the scores
//! min–max onto `0..=100`, truncating.
//!
//! With the snapshot's indexes, the incoming pod's terms visit only the
//! pods their selectors can match, the existing pods' terms are matched
//! once per group of pods with identical terms, and the pairs are kept by
//! domain id (a node's score read by its position).

use std::sync::Arc;

use crate::model::{Labels, Pod};
use crate::scheduler::framework::{fill_scores, CycleState, NodeScore, Status, MAX_NODE_SCORE};
use crate::scheduler::index::{Domain, DomainMap, SnapshotIndexes, TopologyKey};
use crate::scheduler::snapshot::{AffinityTerm, NodeInfo, PodInfo, Snapshot, WeightedAffinityTerm};

use super::{
    merge_affinity_term_namespaces, namespace_labels, CandidateTerm, InterPodAffinityArgs,
};

/// The state PreScore computes (`preScoreState`): a score per topology
/// key and domain (`topologyScore[key][value]`), by domain id of the
/// snapshot's index so Score reads a node's score by its position.
#[derive(Clone, Debug, Default)]
pub struct PreScoreState {
    /// `topologyScore`: per topology key, the score of each domain.
    pub topology_score: Arc<Vec<(TopologyKey, DomainMap<i64>)>>,
}

impl PreScoreState {
    /// `topologyScore[key][value]`, if present.
    pub fn topology_score(&self, key: &str, value: &str) -> Option<i64> {
        let (k, m) = self.topology_score.iter().find(|(k, _)| k.key() == key)?;
        m.get(k.domain_of_value(Some(value))?).copied()
    }
}

struct Accumulator<'a> {
    /// `topologyScore`, keyed by topology key in a short list (a pod has
    /// few keys; a scan beats hashing the key per matching pod).
    scores: Vec<(TopologyKey, DomainMap<i64>)>,
    touched: bool,
    ns_labels: &'a Labels,
    index: Option<&'a SnapshotIndexes>,
}

impl Accumulator<'_> {
    /// The slot of a topology key.
    fn slot(&mut self, key: &str) -> usize {
        match self.scores.iter().position(|(k, _)| k.key() == key) {
            Some(i) => i,
            None => {
                let k = TopologyKey::new(key, self.index);
                let m = DomainMap::for_key(&k);
                self.scores.push((k, m));
                self.scores.len() - 1
            }
        }
    }

    /// Adds `weight` at the node's domain of the key in `slot`, if it has the key.
    fn add(&mut self, slot: usize, weight: i64, node: &NodeInfo) {
        let domain = self.scores.get(slot).and_then(|(k, _)| k.domain_of(node));
        self.add_domain(slot, weight, domain);
    }

    /// [`Accumulator::add`] for the node at `position` of the snapshot's
    /// `nodes` (read by position, the node untouched).
    #[inline]
    fn add_at(&mut self, slot: usize, weight: i64, nodes: &[NodeInfo], position: usize) {
        let domain = self
            .scores
            .get(slot)
            .and_then(|(k, _)| k.domain_in(nodes, position));
        self.add_domain(slot, weight, domain);
    }

    fn add_domain(&mut self, slot: usize, weight: i64, domain: Option<Domain<'_>>) {
        if let (Some(d), Some((_, m))) = (domain, self.scores.get_mut(slot)) {
            self.touched = true;
            if let Some(e) = m.entry(d, || 0) {
                *e += weight;
            }
        }
    }

    /// `scoreMap.processTerm`.
    fn process_term(
        &mut self,
        term: &AffinityTerm,
        weight: i64,
        pod: &Pod,
        ns_labels: Option<&Labels>,
        node: &NodeInfo,
    ) {
        if !term.matches(pod, ns_labels) {
            return;
        }
        let slot = self.slot(&term.topology_key);
        self.add(slot, weight, node);
    }

    fn process_terms(
        &mut self,
        terms: &[WeightedAffinityTerm],
        pod: &Pod,
        ns_labels: Option<&Labels>,
        node: &NodeInfo,
        multiplier: i64,
    ) {
        for t in terms {
            self.process_term(
                &t.term,
                i64::from(t.weight) * multiplier,
                pod,
                ns_labels,
                node,
            );
        }
    }
}

/// `PreScore`.
pub fn pre_score(
    args: &InterPodAffinityArgs,
    state: &mut CycleState,
    pod: &PodInfo,
    _nodes: &[&NodeInfo],
    snapshot: &Snapshot,
) -> Status {
    let affinity = pod.pod.spec.affinity.as_ref();
    let has_preferred_affinity = affinity
        .and_then(|a| a.pod_affinity.as_ref())
        .is_some_and(|a| {
            !a.preferred_during_scheduling_ignored_during_execution
                .is_empty()
        });
    let has_preferred_anti_affinity = affinity
        .and_then(|a| a.pod_anti_affinity.as_ref())
        .is_some_and(|a| {
            !a.preferred_during_scheduling_ignored_during_execution
                .is_empty()
        });
    let has_constraints = has_preferred_affinity || has_preferred_anti_affinity;
    if args.ignore_preferred_terms_of_existing_pods && !has_constraints {
        return Status::skip();
    }
    if let Some(e) = &pod.parse_error {
        return Status::error(format!("failed to parse pod: {e}"));
    }
    let merge = |terms: &[WeightedAffinityTerm]| -> Vec<WeightedAffinityTerm> {
        terms
            .iter()
            .map(|t| WeightedAffinityTerm {
                term: merge_affinity_term_namespaces(&t.term, snapshot),
                weight: t.weight,
            })
            .collect()
    };
    let preferred_affinity = merge(&pod.preferred_affinity_terms);
    let preferred_anti_affinity = merge(&pod.preferred_anti_affinity_terms);
    let ns_labels = namespace_labels(snapshot, pod.pod.metadata.namespace());
    let hard_weight = i64::from(args.hard_pod_affinity_weight);
    let index = snapshot.valid_indexes();

    let mut acc = Accumulator {
        scores: Vec::new(),
        touched: false,
        ns_labels: &ns_labels,
        index,
    };
    // A node without labels has no topology key: skipped, as upstream.
    let process_node =
        |acc: &mut Accumulator<'_>, node: &NodeInfo, pods: &[Arc<PodInfo>], incoming: bool| {
            if node.node.labels().is_empty() {
                return;
            }
            for existing in pods {
                if incoming {
                    acc.process_terms(&preferred_affinity, &existing.pod, None, node, 1);
                    acc.process_terms(&preferred_anti_affinity, &existing.pod, None, node, -1);
                }
                let ns = Some(acc.ns_labels);
                if hard_weight > 0 {
                    for t in &existing.required_affinity_terms {
                        acc.process_term(t, hard_weight, &pod.pod, ns, node);
                    }
                }
                acc.process_terms(&existing.preferred_affinity_terms, &pod.pod, ns, node, 1);
                acc.process_terms(
                    &existing.preferred_anti_affinity_terms,
                    &pod.pod,
                    ns,
                    node,
                    -1,
                );
            }
        };
    if has_constraints && index.is_none() {
        for node in snapshot.nodes() {
            process_node(&mut acc, node, &node.pods, true);
        }
    } else {
        // The incoming pod's terms only over the pods their selectors can
        // match; the existing pods' terms only over pods that have terms.
        let nodes = snapshot.nodes();
        for (terms, sign) in [(&preferred_affinity, 1), (&preferred_anti_affinity, -1)] {
            for t in terms.iter() {
                if t.term.selector.is_none() {
                    // A term without a selector matches nothing.
                    continue;
                }
                let weight = i64::from(t.weight) * sign;
                let slot = acc.slot(&t.term.topology_key);
                let candidates = index.map(|i| (CandidateTerm::new(&t.term, i), i));
                match candidates
                    .as_ref()
                    .and_then(|(ct, i)| Some((ct, ct.candidates(i)?)))
                {
                    Some((ct, c)) => {
                        // A node without labels lacks the key: nothing is added.
                        for r in c.iter() {
                            if ct.matches(r, c.exact) {
                                acc.add_at(slot, weight, nodes, r.node);
                            }
                        }
                    }
                    None => {
                        for node in nodes {
                            if node.node.labels().is_empty() {
                                continue;
                            }
                            for p in &node.pods {
                                if t.term.matches(&p.pod, None) {
                                    acc.add(slot, weight, node);
                                }
                            }
                        }
                    }
                }
            }
        }
        match index.and_then(|i| i.scoring_affinity_groups()) {
            // Each distinct list of terms is matched once against the
            // incoming pod; its weight goes to the nodes of the group's pods.
            Some(groups) => {
                for group in groups.iter() {
                    let ns = Some(acc.ns_labels);
                    let existing = &group.pod;
                    let required = existing
                        .required_affinity_terms
                        .iter()
                        .filter(|_| hard_weight > 0)
                        .map(|t| (t, hard_weight));
                    let preferred = existing
                        .preferred_affinity_terms
                        .iter()
                        .map(|t| (&t.term, i64::from(t.weight)));
                    let anti = existing
                        .preferred_anti_affinity_terms
                        .iter()
                        .map(|t| (&t.term, -i64::from(t.weight)));
                    for (term, weight) in required.chain(preferred).chain(anti) {
                        if !term.matches(&pod.pod, ns) {
                            continue;
                        }
                        let slot = acc.slot(&term.topology_key);
                        for &n in &group.nodes {
                            acc.add_at(slot, weight, nodes, n);
                        }
                    }
                }
            }
            None => {
                for node in snapshot.have_pods_with_affinity() {
                    process_node(&mut acc, node, &node.pods_with_affinity, false);
                }
            }
        }
    }
    if !acc.touched {
        return Status::skip();
    }
    acc.scores.retain(|(_, m)| m.iter().next().is_some());
    state.write(PreScoreState {
        topology_score: Arc::new(acc.scores),
    });
    Status::success()
}

fn read_state(state: &CycleState) -> Result<&PreScoreState, Status> {
    state.read::<PreScoreState>().ok_or_else(|| {
        Status::error("failed to read \"PreScoreInterPodAffinity\" from cycleState: not found")
    })
}

/// `Score`: the sum of the topology scores of the pairs the node's labels hold.
pub fn score(state: &CycleState, node: &NodeInfo) -> Result<i64, Status> {
    Ok(score_node(read_state(state)?, node))
}

/// `Score` for every node (the state read once).
pub fn score_nodes(
    state: &CycleState,
    nodes: &[&NodeInfo],
    scores: &mut [NodeScore<'_>],
) -> Result<(), Status> {
    let s = read_state(state)?;
    fill_scores(nodes, scores, |node| score_node(s, node));
    Ok(())
}

/// The score of one node from PreScore's state.
#[inline]
pub fn score_node(s: &PreScoreState, node: &NodeInfo) -> i64 {
    s.topology_score
        .iter()
        .filter_map(|(k, m)| m.get(k.domain_of(node)?))
        .fold(0i64, |a, b| a.saturating_add(*b))
}

/// `NormalizeScore`: min–max onto `0..=100` with float truncation; all 0
/// when every score is equal; untouched when nothing was accumulated.
pub fn normalize_score(state: &CycleState, scores: &mut [NodeScore<'_>]) -> Status {
    let Some(s) = state.read::<PreScoreState>() else {
        return Status::error(
            "failed to read \"PreScoreInterPodAffinity\" from cycleState: not found",
        );
    };
    if s.topology_score.is_empty() {
        return Status::success();
    }
    normalize_min_max(scores);
    Status::success()
}

/// The min–max normalization InterPodAffinity uses:
/// `int64(100 * (s - min) / (max - min))`, or 0 for all when `max == min`.
///
/// ```
/// use kubelogic::scheduler::NodeScore;
/// use kubelogic::scheduler::plugins::interpodaffinity::scoring::normalize_min_max;
///
/// let mut s = vec![
///     NodeScore { name: "a".into(), score: 10 },
///     NodeScore { name: "b".into(), score: 5 },
///     NodeScore { name: "c".into(), score: 8 },
/// ];
/// normalize_min_max(&mut s);
/// assert_eq!(s.iter().map(|s| s.score).collect::<Vec<_>>(), [100, 0, 60]);
/// ```
pub fn normalize_min_max(scores: &mut [NodeScore<'_>]) {
    let min = scores.iter().map(|s| s.score).min().unwrap_or(0);
    let max = scores.iter().map(|s| s.score).max().unwrap_or(0);
    let diff = max.saturating_sub(min);
    for s in scores.iter_mut() {
        let f = if diff > 0 {
            MAX_NODE_SCORE as f64 * ((s.score.saturating_sub(min)) as f64 / diff as f64)
        } else {
            0.0
        };
        s.score = f as i64;
    }
}
