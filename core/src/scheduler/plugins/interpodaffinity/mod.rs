//! InterPodAffinity: required and preferred pod affinity and anti-affinity,
//! with existing pods' anti-affinity (and, for scoring, their affinity)
//! applied symmetrically to the incoming pod
//! (`pkg/scheduler/framework/plugins/interpodaffinity`).
//!
//! - [`filtering`]: PreFilter (counts of matching pods per topology pair),
//!   its AddPod/RemovePod extensions, and Filter.
//! - [`scoring`]: PreScore (a score per topology pair), Score and the
//!   min–max NormalizeScore.
//!
//! ```
//! use kubelogic::model::{self, Node, Pod};
//! use kubelogic::scheduler::framework::{Code, CycleState};
//! use kubelogic::scheduler::plugins::interpodaffinity::InterPodAffinity;
//! use kubelogic::scheduler::{PodInfo, Snapshot};
//! use kubelogic::FeatureGates;
//!
//! let node = |name: &str, zone: &str| -> Node {
//!     model::from_json_str(&format!(
//!         r#"{{"metadata": {{"name": "{name}", "labels": {{"zone": "{zone}"}}}}}}"#)).unwrap()
//! };
//! let db: Pod = model::from_json_str(r#"{"metadata": {"name": "db", "namespace": "default",
//!     "labels": {"app": "db"}}, "spec": {"nodeName": "a"}}"#)?;
//! let web: Pod = model::from_json_str(r#"{"metadata": {"name": "web", "namespace": "default"},
//!   "spec": {"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
//!     {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "zone"}]}}}}"#)?;
//! let gates = FeatureGates::default();
//! let snapshot = Snapshot::new(vec![node("a", "z1"), node("b", "z2")], vec![db], vec![], gates);
//! let plugin = InterPodAffinity::default();
//! let pod = PodInfo::new(web, &gates);
//! let mut state = CycleState::new();
//! let (_, status) = plugin.pre_filter(&mut state, &pod, &snapshot);
//! assert!(status.is_success());
//! let on_a = plugin.filter(&state, &pod, snapshot.node("a").unwrap());
//! assert_eq!(on_a.code, Code::Unschedulable);
//! assert_eq!(on_a.reasons, ["node(s) didn't match pod anti-affinity rules"]);
//! assert!(plugin.filter(&state, &pod, snapshot.node("b").unwrap()).is_success());
//! # Ok::<(), kubelogic::model::ModelError>(())
//! ```

pub mod filtering;
pub mod scoring;

use crate::model::validation::FieldErrorType;
use serde::Deserialize;
use serde_json::Value;

use crate::model::Labels;
use crate::scheduler::framework::{
    CycleState, FilterPlugin, NodeScore, PreFilterPlugin, PreFilterResult, PreScorePlugin,
    ScoreExtensions, ScorePlugin, Status,
};
use crate::scheduler::index::{
    Candidates, Domain, DomainMap, PodRef, SnapshotIndexes, TopologyKey,
};
use crate::scheduler::plugins::{names, ConfigError};
use crate::scheduler::snapshot::{AffinityTerm, NodeInfo, PodInfo, Snapshot};

pub use filtering::{
    PreFilterState, ERR_REASON_AFFINITY_RULES_NOT_MATCH, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
    ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
};
pub use scoring::PreScoreState;

/// `v1.DefaultHardPodAffinitySymmetricWeight`.
pub const DEFAULT_HARD_POD_AFFINITY_WEIGHT: i32 = 1;

/// `InterPodAffinityArgs` (KubeSchedulerConfiguration v1), decoded strictly
/// (an unknown field is an error, as upstream's strict decoding).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct InterPodAffinityArgs {
    /// `hardPodAffinityWeight`: the score an existing pod's required affinity
    /// term adds when the incoming pod matches it (0..=100, default 1).
    pub hard_pod_affinity_weight: i32,
    /// `ignorePreferredTermsOfExistingPods`: skip scoring when the incoming
    /// pod has no preferred terms of its own.
    pub ignore_preferred_terms_of_existing_pods: bool,
    /// `apiVersion` (the args' TypeMeta; not used).
    pub api_version: Option<String>,
    /// `kind` (the args' TypeMeta; not used).
    pub kind: Option<String>,
}

impl Default for InterPodAffinityArgs {
    fn default() -> Self {
        InterPodAffinityArgs {
            hard_pod_affinity_weight: DEFAULT_HARD_POD_AFFINITY_WEIGHT,
            ignore_preferred_terms_of_existing_pods: false,
            api_version: None,
            kind: None,
        }
    }
}

impl InterPodAffinityArgs {
    /// Reads the args' JSON form (`None`: the defaults) and validates them
    /// as `ValidateInterPodAffinityArgs` does
    /// (`pkg/scheduler/apis/config/validation/validation_pluginargs.go`).
    pub fn from_json(args: Option<&Value>) -> Result<Self, ConfigError> {
        let out: InterPodAffinityArgs = super::decode_args(names::INTER_POD_AFFINITY, args)?;
        let w = out.hard_pod_affinity_weight;
        if !(0..=100).contains(&w) {
            return Err(ConfigError::new(
                names::INTER_POD_AFFINITY,
                "hardPodAffinityWeight",
                FieldErrorType::Invalid,
                format!("Invalid value: {w}: not in valid range [0, 100]"),
            ));
        }
        Ok(out)
    }
}

/// The InterPodAffinity plugin.
#[derive(Clone, Debug, Default)]
pub struct InterPodAffinity {
    /// The args.
    pub args: InterPodAffinityArgs,
}

impl InterPodAffinity {
    /// The plugin with `args` (JSON form) validated.
    pub fn new(args: Option<&Value>) -> Result<Self, ConfigError> {
        Ok(InterPodAffinity {
            args: InterPodAffinityArgs::from_json(args)?,
        })
    }

    /// `PreFilter`; see [`filtering::pre_filter`].
    pub fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> (Option<PreFilterResult>, Status) {
        filtering::pre_filter(state, pod, snapshot)
    }

    /// `Filter`; see [`filtering::filter`].
    pub fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        filtering::filter(state, pod, node)
    }
}

/// `GetNamespaceLabelsSnapshot`: the labels of the pod's namespace (none
/// when the snapshot does not know it).
pub fn namespace_labels(snapshot: &Snapshot, namespace: &str) -> Labels {
    snapshot
        .namespace_labels(namespace)
        .cloned()
        .unwrap_or_default()
}

/// `mergeAffinityTermNamespacesIfNotEmpty`: for an incoming pod's term, a
/// non-empty namespaceSelector is resolved against the snapshot's namespaces
/// and merged into the namespace names; the selector then matches nothing.
/// An empty selector (`{}`, every namespace) is kept.
pub fn merge_affinity_term_namespaces(term: &AffinityTerm, snapshot: &Snapshot) -> AffinityTerm {
    let mut out = term.clone();
    match &term.namespace_selector {
        Some(sel) if !sel.is_empty() => {
            for (name, labels) in &snapshot.namespaces {
                if sel.matches_unchecked(labels) {
                    out.namespaces.insert(name.clone());
                }
            }
            out.namespace_selector = None;
        }
        _ => {}
    }
    out
}

/// An incoming pod's term matched against the candidates of the snapshot's
/// pod-label index: `AffinityTerm::matches(pod, None)` with the namespaces
/// resolved to ids once per cycle, and the selector not checked again when
/// the candidates are exactly its pods.
#[derive(Clone, Debug)]
pub struct CandidateTerm<'a> {
    term: &'a AffinityTerm,
    /// The namespace selector (matched against no labels, as `matches(_,
    /// None)` does) admits every namespace.
    all_namespaces: bool,
    namespaces: Vec<u32>,
}

impl<'a> CandidateTerm<'a> {
    /// Resolves `term`'s namespaces against `index`.
    pub fn new(term: &'a AffinityTerm, index: &SnapshotIndexes) -> Self {
        CandidateTerm {
            term,
            all_namespaces: term
                .namespace_selector
                .as_ref()
                .is_some_and(|s| s.matches_unchecked(&Labels::new())),
            namespaces: term
                .namespaces
                .iter()
                .filter_map(|n| index.namespace_id(n))
                .collect(),
        }
    }

    /// The candidates of the term's selector (`None`: the selector cannot
    /// narrow them, or there is none).
    pub fn candidates<'i>(&self, index: &'i SnapshotIndexes) -> Option<Candidates<'i>> {
        index.candidates(self.term.selector.as_ref()?)
    }

    /// Whether the candidate matches; `exact`: it is known to match the selector.
    #[inline]
    pub fn matches(&self, candidate: &PodRef, exact: bool) -> bool {
        (self.all_namespaces || self.namespaces.contains(&candidate.namespace))
            && (exact
                || self
                    .term
                    .selector
                    .as_ref()
                    .is_some_and(|s| s.matches_unchecked(candidate.pod.pod.labels())))
    }
}

/// Counts keyed by topology pair (`topologyToMatchedTermCount`): per
/// topology key (a short list: a pod has few), the counts by domain id of
/// the snapshot's index, so a node's count is found by its position. A pair
/// whose count drops to zero is gone, as upstream deletes it.
#[derive(Clone, Debug, Default)]
pub struct TopologyCounts {
    keys: Vec<(TopologyKey, DomainMap<i64>)>,
    /// Pairs with a non-zero count (`len(topologyToMatchedTermCount)`).
    pairs: usize,
}

impl TopologyCounts {
    /// The slot of `key`, resolved against `index` the first time it is seen.
    pub fn key_slot(&mut self, key: &str, index: Option<&SnapshotIndexes>) -> usize {
        match self.keys.iter().position(|(k, _)| k.key() == key) {
            Some(i) => i,
            None => {
                let k = TopologyKey::new(key, index);
                let m = DomainMap::for_key(&k);
                self.keys.push((k, m));
                self.keys.len() - 1
            }
        }
    }

    /// `update` through a slot: adds `delta` at the node's domain when the
    /// node has the key, dropping the pair when it reaches zero.
    pub fn update_slot(&mut self, slot: usize, node: &NodeInfo, delta: i64) {
        let domain = self.keys.get(slot).and_then(|(k, _)| k.domain_of(node));
        self.update_domain(slot, domain, delta);
    }

    /// [`TopologyCounts::update_slot`] for the node at `position` of the
    /// snapshot's `nodes` (read by position, the node untouched).
    #[inline]
    pub fn update_at(&mut self, slot: usize, nodes: &[NodeInfo], position: usize, delta: i64) {
        let domain = self
            .keys
            .get(slot)
            .and_then(|(k, _)| k.domain_in(nodes, position));
        self.update_domain(slot, domain, delta);
    }

    fn update_domain(&mut self, slot: usize, domain: Option<Domain<'_>>, delta: i64) {
        let (Some(domain), Some((_, counts))) = (domain, self.keys.get_mut(slot)) else {
            return;
        };
        let Some(count) = counts.entry(domain, || 0) else {
            return;
        };
        let before = *count;
        *count += delta;
        let after = *count;
        if after == 0 {
            counts.remove(domain);
        }
        match (before == 0, after == 0) {
            (true, false) => self.pairs += 1,
            (false, true) => self.pairs = self.pairs.saturating_sub(1),
            _ => {}
        }
    }

    /// `update`: adds `delta` at `(key, node's value for key)` when the node
    /// has the key.
    pub fn update(
        &mut self,
        node: &NodeInfo,
        key: &str,
        delta: i64,
        index: Option<&SnapshotIndexes>,
    ) {
        let slot = self.key_slot(key, index);
        self.update_slot(slot, node, delta);
    }

    /// The count at the node's domain of the key in `slot` (0 when absent).
    #[inline]
    pub fn get_slot(&self, slot: usize, node: &NodeInfo) -> i64 {
        self.keys
            .get(slot)
            .and_then(|(k, m)| m.get(k.domain_of(node)?).copied())
            .unwrap_or(0)
    }

    /// The count at `(key, node's value for key)` (0 when absent).
    pub fn get(&self, key: &str, node: &NodeInfo) -> i64 {
        match self.keys.iter().position(|(k, _)| k.key() == key) {
            Some(slot) => self.get_slot(slot, node),
            None => 0,
        }
    }

    /// The count at the node's domain of the key in `slot`: `None` when
    /// the node lacks the key, 0 when the pair has no count.
    #[inline]
    pub fn count_at(&self, slot: usize, node: &NodeInfo) -> Option<i64> {
        let (k, m) = self.keys.get(slot)?;
        let d = k.domain_of(node)?;
        Some(m.get(d).copied().unwrap_or(0))
    }

    /// Whether no pair has a count.
    pub fn is_empty(&self) -> bool {
        self.pairs == 0
    }

    /// Whether any label `(k, v)` of the node has a positive count.
    pub fn any_positive_for_node(&self, node: &NodeInfo) -> bool {
        self.keys.iter().any(|(k, m)| {
            k.domain_of(node)
                .and_then(|d| m.get(d))
                .is_some_and(|c| *c > 0)
        })
    }

    /// The pairs and their counts (for tests and explanations).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str, i64)> + '_ {
        self.keys
            .iter()
            .flat_map(|(k, m)| m.iter().map(move |(d, c)| (k.key(), k.value(d), *c)))
    }
}

crate::scheduler::framework::plugin!(
    InterPodAffinity,
    names::INTER_POD_AFFINITY,
    [PreFilter, Filter, PreScore, Score]
);

impl PreFilterPlugin for InterPodAffinity {
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> (Option<PreFilterResult>, Status) {
        filtering::pre_filter(state, pod, snapshot)
    }

    fn add_pod(
        &self,
        state: &mut CycleState,
        _pod: &PodInfo,
        pod_to_add: &PodInfo,
        node: &NodeInfo,
        snapshot: &Snapshot,
    ) -> Status {
        filtering::update_with_pod(state, pod_to_add, node, 1, snapshot)
    }

    fn remove_pod(
        &self,
        state: &mut CycleState,
        _pod: &PodInfo,
        pod_to_remove: &PodInfo,
        node: &NodeInfo,
        snapshot: &Snapshot,
    ) -> Status {
        filtering::update_with_pod(state, pod_to_remove, node, -1, snapshot)
    }
}

impl FilterPlugin for InterPodAffinity {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        filtering::filter(state, pod, node)
    }
}

impl PreScorePlugin for InterPodAffinity {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status {
        scoring::pre_score(&self.args, state, pod, nodes, snapshot)
    }
}

impl ScorePlugin for InterPodAffinity {
    fn score(&self, state: &CycleState, _pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        scoring::score(state, node)
    }

    fn score_nodes(
        &self,
        state: &CycleState,
        _pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        scoring::score_nodes(state, nodes, scores)
    }

    fn score_extensions(&self) -> Option<&dyn ScoreExtensions> {
        Some(self)
    }
}

impl ScoreExtensions for InterPodAffinity {
    fn normalize_score(
        &self,
        state: &CycleState,
        _pod: &PodInfo,
        scores: &mut [NodeScore<'_>],
    ) -> Status {
        scoring::normalize_score(state, scores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn args() {
        assert_eq!(
            InterPodAffinity::new(None).unwrap().args,
            InterPodAffinityArgs::default()
        );
        let a = InterPodAffinity::new(Some(&json!({"hardPodAffinityWeight": 0,
            "ignorePreferredTermsOfExistingPods": true})))
        .unwrap()
        .args;
        assert_eq!(a.hard_pod_affinity_weight, 0);
        assert!(a.ignore_preferred_terms_of_existing_pods);
        for w in [-1, 101] {
            let e =
                InterPodAffinity::new(Some(&json!({ "hardPodAffinityWeight": w }))).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.error_type.as_str()),
                ("hardPodAffinityWeight", "FieldValueInvalid")
            );
        }
    }
}
