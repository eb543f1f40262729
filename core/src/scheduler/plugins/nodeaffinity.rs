//! NodeAffinity: a pod fits only nodes matching its `nodeSelector` and its
//! required node affinity (and the profile's scheduler-enforced
//! `addedAffinity`); among those it prefers nodes matching its weighted
//! preferred terms (`pkg/scheduler/framework/plugins/nodeaffinity`).
//!
//! PreFilter parses the required affinity once and, when every required
//! term names nodes with `matchFields: metadata.name In [...]`, narrows the
//! cycle to those nodes. PreScore parses the preferred terms once. Both
//! also resolve each label requirement against the snapshot's topology
//! index ([`IndexedNodeAffinity`], [`IndexedPreferredTerms`]): a table by
//! domain id, so a node of the snapshot is matched by its position without
//! comparing label strings.
//!
//! ```
//! use kubelogic::model::{Node, Pod};
//! use kubelogic::scheduler::plugins::nodeaffinity::{self, NodeAffinity};
//! use kubelogic::scheduler::{Code, CycleState, NodeInfo, PodInfo, Snapshot};
//! use kubelogic::scheduler::framework::{FilterPlugin, PreFilterPlugin};
//! use kubelogic::FeatureGates;
//!
//! let gates = FeatureGates::default();
//! let pod: Pod = serde_json::from_str(r#"{"spec": {"nodeSelector": {"disk": "ssd"}}}"#)?;
//! let node: Node = serde_json::from_str(r#"{"metadata": {"name": "n", "labels": {"disk": "hdd"}}}"#)?;
//! let (pod, node) = (PodInfo::new(pod, &gates), NodeInfo::new(node));
//! let plugin = NodeAffinity::new(None).expect("no args");
//! let mut state = CycleState::new();
//! let (_, status) = plugin.pre_filter(&mut state, &pod, &Snapshot::default());
//! assert!(status.is_success());
//! let status = plugin.filter(&state, &pod, &node);
//! assert_eq!(status.code, Code::UnschedulableAndUnresolvable);
//! assert_eq!(status.reasons, [nodeaffinity::ERR_REASON_POD]);
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::model::validation::FieldErrorType;
use crate::SortedSet;

use serde::Deserialize;
use serde_json::Value;

use crate::model::nodeaffinity::{
    FieldRequirement, NodeSelectorMatcher, ParsedNodeSelectorTerm, PreferredSchedulingTerms,
    RequiredNodeAffinity, WeightedNodeSelectorTerm, OBJECT_NAME_FIELD,
};
use crate::model::validation::aggregate_message;
use crate::model::{NodeAffinity as NodeAffinitySpec, NodeSelectorOperator, Pod};
use crate::scheduler::framework::{
    default_normalize_score, fill_scores, CycleState, FilterPlugin, NodeScore, PreFilterPlugin,
    PreFilterResult, PreScorePlugin, ScoreExtensions, ScorePlugin, Status, MAX_NODE_SCORE,
};
use crate::scheduler::index::{SnapshotIndexes, TopologyKey};
use crate::scheduler::plugins::{decode_args, names, ConfigError};
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};

/// The Filter reason when the pod's own selector/affinity does not match (`ErrReasonPod`).
pub const ERR_REASON_POD: &str = "node(s) didn't match Pod's node affinity/selector";
/// The Filter reason when `addedAffinity` does not match (`errReasonEnforced`).
pub const ERR_REASON_ENFORCED: &str = "node(s) didn't match scheduler-enforced node affinity";
/// The PreFilter reason when the `metadata.name` terms exclude every node (`errReasonConflict`).
pub const ERR_REASON_CONFLICT: &str = "pod affinity terms conflict";

/// `NodeAffinityArgs`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeAffinityArgs {
    /// Node affinity applied to every pod of the profile.
    #[serde(default)]
    pub added_affinity: Option<NodeAffinitySpec>,
}

/// The NodeAffinity plugin.
#[derive(Clone, Debug, Default)]
pub struct NodeAffinity {
    added_node_selector: Option<NodeSelectorMatcher>,
    added_pref_sched_terms: Option<PreferredSchedulingTerms>,
}

impl NodeAffinity {
    /// Builds the plugin from its args (`ValidateNodeAffinityArgs`: the
    /// added affinity must parse strictly).
    pub fn new(args: Option<&Value>) -> Result<Self, ConfigError> {
        let args: NodeAffinityArgs = decode_args(names::NODE_AFFINITY, args)?;
        Self::from_args(&args)
    }

    /// Builds the plugin from decoded args.
    pub fn from_args(args: &NodeAffinityArgs) -> Result<Self, ConfigError> {
        let mut plugin = NodeAffinity::default();
        let Some(added) = &args.added_affinity else {
            return Ok(plugin);
        };
        let to_config = |errs: Vec<crate::model::validation::FieldError>| match errs.first() {
            Some(first) => {
                let mut e = ConfigError::from_field_error(names::NODE_AFFINITY, first);
                e.message = aggregate_message(&errs);
                e
            }
            None => ConfigError::new(
                names::NODE_AFFINITY,
                "addedAffinity",
                FieldErrorType::Invalid,
                "",
            ),
        };
        if let Some(ns) = &added.required_during_scheduling_ignored_during_execution {
            plugin.added_node_selector = Some(
                NodeSelectorMatcher::new(
                    ns,
                    "addedAffinity.requiredDuringSchedulingIgnoredDuringExecution",
                )
                .map_err(to_config)?,
            );
        }
        let preferred = &added.preferred_during_scheduling_ignored_during_execution;
        if !preferred.is_empty() {
            plugin.added_pref_sched_terms = Some(
                PreferredSchedulingTerms::new(
                    preferred,
                    "addedAffinity.preferredDuringSchedulingIgnoredDuringExecution",
                )
                .map_err(to_config)?,
            );
        }
        Ok(plugin)
    }
}

crate::scheduler::framework::plugin!(
    NodeAffinity,
    names::NODE_AFFINITY,
    [PreFilter, Filter, PreScore, Score]
);

/// PreFilter's state: the parsed `nodeSelector` and required affinity.
#[derive(Clone, Debug, Default)]
pub struct PreFilterState {
    /// `requiredNodeSelectorAndAffinity`.
    pub required: RequiredNodeAffinity,
    /// The same resolved against the snapshot's topology index, when it
    /// is valid: Filter then matches a node of the snapshot by its position.
    pub indexed: Option<IndexedNodeAffinity>,
}

/// One label requirement resolved against the snapshot's topology index:
/// whether each domain (value) of its key satisfies it, and whether a node
/// without the key does.
#[derive(Clone, Debug)]
struct IndexedRequirement {
    key: TopologyKey,
    by_domain: Vec<bool>,
    absent: bool,
}

impl IndexedRequirement {
    /// `matches` evaluated once per domain of `key`. With `only =
    /// Some((values, other))` (an `In`, `NotIn` or equality), the domains
    /// outside `values` answer `other` and only `values` are looked up.
    fn new(
        key: &str,
        index: &SnapshotIndexes,
        only: Option<(&[String], bool)>,
        matches: impl Fn(Option<&str>) -> bool,
    ) -> Self {
        let key = TopologyKey::new(key, Some(index));
        let by_domain = match (key.domains(), only) {
            (None, _) => Vec::new(),
            (Some(d), Some((values, other))) => {
                let mut t = vec![other; d.values.len()];
                for v in values {
                    if let Some(slot) = d.id(v).and_then(|id| t.get_mut(id as usize)) {
                        *slot = matches(Some(v));
                    }
                }
                t
            }
            (Some(d), None) => d.values.iter().map(|v| matches(Some(v))).collect(),
        };
        IndexedRequirement {
            absent: matches(None),
            key,
            by_domain,
        }
    }

    #[inline]
    fn matches_at(&self, position: usize) -> bool {
        match self.key.domain_at(position) {
            Some(id) => self.by_domain.get(id as usize).copied().unwrap_or(false),
            None => self.absent,
        }
    }
}

/// A required node selector term resolved against the index.
#[derive(Clone, Debug)]
struct IndexedTerm {
    /// The term parsed without errors (a term with errors never matches).
    valid: bool,
    labels: Vec<IndexedRequirement>,
    fields: Vec<FieldRequirement>,
}

impl IndexedTerm {
    fn new(t: &ParsedNodeSelectorTerm, index: &SnapshotIndexes) -> Self {
        IndexedTerm {
            valid: t.parse_errors.is_empty(),
            labels: t
                .match_labels
                .iter()
                .flatten()
                .map(|r| {
                    let only = match r.operator {
                        NodeSelectorOperator::In => Some((r.values.as_slice(), false)),
                        NodeSelectorOperator::NotIn => Some((r.values.as_slice(), true)),
                        _ => None,
                    };
                    IndexedRequirement::new(&r.key, index, only, |v| r.matches_value(v))
                })
                .collect(),
            fields: t.match_fields.iter().flatten().cloned().collect(),
        }
    }

    /// `nodeSelectorTerm.match` for the node at `position` named `name`.
    #[inline]
    fn matches_at(&self, position: usize, name: &str) -> bool {
        self.valid
            && self.labels.iter().all(|r| r.matches_at(position))
            && (name.is_empty() || self.fields.iter().all(|f| f.matches(name)))
    }
}

/// [`RequiredNodeAffinity`] resolved once per cycle against the snapshot's
/// topology index: each label requirement becomes a table by domain id, so
/// matching a node of the snapshot compares no strings (field requirements
/// on `metadata.name` still compare the name).
#[derive(Clone, Debug)]
pub struct IndexedNodeAffinity {
    node_count: usize,
    node_selector: Vec<IndexedRequirement>,
    terms: Option<Vec<IndexedTerm>>,
}

impl IndexedNodeAffinity {
    /// Resolves `required` against `index`.
    pub fn new(required: &RequiredNodeAffinity, index: &SnapshotIndexes) -> Self {
        let node_selector = required
            .label_selector
            .iter()
            .map(|(k, v)| {
                IndexedRequirement::new(k, index, Some((std::slice::from_ref(v), false)), |x| {
                    x == Some(v.as_str())
                })
            })
            .collect();
        let terms = required.node_selector.as_ref().map(|ns| {
            ns.terms
                .iter()
                .map(|t| IndexedTerm::new(t, index))
                .collect()
        });
        IndexedNodeAffinity {
            node_count: index.node_count(),
            node_selector,
            terms,
        }
    }

    /// Whether the node (of the indexed snapshot) matches, or `None` when
    /// the node is not one of that snapshot's.
    #[inline]
    pub fn matches(&self, node: &NodeInfo) -> Option<bool> {
        let pos = node.snapshot_position().filter(|p| *p < self.node_count)?;
        if !self.node_selector.iter().all(|r| r.matches_at(pos)) {
            return Some(false);
        }
        let Some(terms) = &self.terms else {
            return Some(true);
        };
        let name = node.name();
        Some(terms.iter().any(|t| t.matches_at(pos, name)))
    }
}

/// PreScore's state: the pod's parsed preferred terms.
#[derive(Clone, Debug, Default)]
pub struct PreScoreState {
    /// `preferredNodeAffinity` (`None` when the pod has none).
    pub preferred: Option<PreferredSchedulingTerms>,
    /// The added and the pod's preferred terms resolved against the
    /// snapshot's topology index, when it is valid.
    pub indexed: Option<IndexedPreferredTerms>,
}

/// Weighted preferred terms (the profile's added ones and the pod's)
/// resolved against the snapshot's topology index: a node of the snapshot
/// is scored by its position, comparing no label strings.
#[derive(Clone, Debug)]
pub struct IndexedPreferredTerms {
    node_count: usize,
    terms: Vec<(IndexedTerm, i64)>,
}

impl IndexedPreferredTerms {
    /// Resolves `terms` against `index`.
    pub fn new<'a>(
        terms: impl Iterator<Item = &'a WeightedNodeSelectorTerm>,
        index: &SnapshotIndexes,
    ) -> Self {
        IndexedPreferredTerms {
            node_count: index.node_count(),
            terms: terms
                .map(|t| (IndexedTerm::new(&t.term, index), i64::from(t.weight)))
                .collect(),
        }
    }

    /// The sum of the weights of the terms the node matches, or `None`
    /// when the node is not one of the indexed snapshot's.
    #[inline]
    pub fn score(&self, node: &NodeInfo) -> Option<i64> {
        let pos = node.snapshot_position().filter(|p| *p < self.node_count)?;
        let name = node.name();
        Some(
            self.terms
                .iter()
                .filter(|(t, _)| t.matches_at(pos, name))
                .map(|(_, w)| *w)
                .sum(),
        )
    }
}

/// The node names the pod's required terms pin it to: for each term the
/// intersection of its `metadata.name In` values, unioned over the terms;
/// `None` when some term names no node (no restriction).
pub fn required_node_names(pod: &Pod) -> Option<SortedSet<String>> {
    let terms = &pod
        .spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    if terms.is_empty() {
        return None;
    }
    let mut node_names = SortedSet::new();
    for t in terms {
        let mut term_names: Option<SortedSet<String>> = None;
        for r in &t.match_fields {
            if r.key == OBJECT_NAME_FIELD && r.operator == NodeSelectorOperator::In {
                let mut s = SortedSet::new();
                for v in &r.values {
                    s.insert(v.clone());
                }
                term_names = Some(match term_names {
                    None => s,
                    Some(prev) => {
                        // Looks up rather than `intersection`: less code
                        // in the browser bundle.
                        let mut both = SortedSet::new();
                        for n in prev.into_iter().filter(|n| s.contains(n)) {
                            both.insert(n);
                        }
                        both
                    }
                });
            }
        }
        node_names.extend(term_names?);
    }
    Some(node_names)
}

/// Whether the pod has required node affinity terms (its `nodeSelector` aside).
pub(crate) fn has_required_node_affinity(pod: &Pod) -> bool {
    pod.spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .is_some_and(|na| {
            na.required_during_scheduling_ignored_during_execution
                .is_some()
        })
}

impl PreFilterPlugin for NodeAffinity {
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> (Option<PreFilterResult>, Status) {
        let pod = &pod.pod;
        if !has_required_node_affinity(pod)
            && self.added_node_selector.is_none()
            && pod.spec.node_selector.is_empty()
        {
            return (None, Status::skip());
        }
        let required = RequiredNodeAffinity::new(pod);
        let indexed = snapshot
            .valid_indexes()
            .map(|index| IndexedNodeAffinity::new(&required, index));
        state.write(PreFilterState { required, indexed });
        match required_node_names(pod) {
            None => (None, Status::success()),
            Some(names) if names.is_empty() => (None, Status::unresolvable(ERR_REASON_CONFLICT)),
            Some(names) => (
                Some(PreFilterResult {
                    node_names: Some(names),
                }),
                Status::success(),
            ),
        }
    }
}

impl FilterPlugin for NodeAffinity {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let n = &node.node;
        if let Some(added) = &self.added_node_selector {
            if !added.matches(n) {
                return Status::unresolvable(ERR_REASON_ENFORCED);
            }
        }
        let matches = match state.read::<PreFilterState>() {
            Some(s) => match s.indexed.as_ref().and_then(|i| i.matches(node)) {
                Some(m) => m,
                None => s.required.matches(n),
            },
            None => RequiredNodeAffinity::new(&pod.pod).matches(n),
        };
        if matches {
            Status::success()
        } else {
            Status::unresolvable(ERR_REASON_POD)
        }
    }
}

/// `getPodPreferredNodeAffinity`: the pod's preferred terms parsed, `None`
/// when it has none, or the aggregated parse error.
pub fn pod_preferred_node_affinity(pod: &Pod) -> Result<Option<PreferredSchedulingTerms>, String> {
    let terms = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .map(|na| &na.preferred_during_scheduling_ignored_during_execution);
    match terms {
        Some(t) if !t.is_empty() => PreferredSchedulingTerms::new(t, "")
            .map(Some)
            .map_err(|errs| aggregate_message(&errs)),
        _ => Ok(None),
    }
}

impl NodeAffinity {
    /// `Score` with PreScore's state: the weights of the added and the
    /// pod's preferred terms the node matches.
    fn score_node(&self, s: &PreScoreState, node: &NodeInfo) -> i64 {
        if let Some(score) = s.indexed.as_ref().and_then(|i| i.score(node)) {
            return score;
        }
        let n = &node.node;
        let added = self
            .added_pref_sched_terms
            .as_ref()
            .map_or(0, |t| t.score(n));
        added + s.preferred.as_ref().map_or(0, |t| t.score(n))
    }
}

impl PreScorePlugin for NodeAffinity {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _nodes: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status {
        let preferred = match pod_preferred_node_affinity(&pod.pod) {
            Ok(p) => p,
            Err(e) => return Status::error(e),
        };
        if preferred.is_none() && self.added_pref_sched_terms.is_none() {
            return Status::skip();
        }
        let indexed = snapshot.valid_indexes().map(|index| {
            let added = self.added_pref_sched_terms.iter().flat_map(|t| &t.terms);
            let own = preferred.iter().flat_map(|t| &t.terms);
            IndexedPreferredTerms::new(added.chain(own), index)
        });
        state.write(PreScoreState { preferred, indexed });
        Status::success()
    }
}

impl ScorePlugin for NodeAffinity {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        match state.read::<PreScoreState>() {
            Some(s) => Ok(self.score_node(s, node)),
            None => {
                let n = &node.node;
                let added = self
                    .added_pref_sched_terms
                    .as_ref()
                    .map_or(0, |t| t.score(n));
                let preferred = pod_preferred_node_affinity(&pod.pod).map_err(Status::error)?;
                Ok(added + preferred.map_or(0, |t| t.score(n)))
            }
        }
    }

    fn score_nodes(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        let Some(s) = state.read::<PreScoreState>() else {
            for (node, slot) in nodes.iter().zip(scores.iter_mut()) {
                slot.score = self.score(state, pod, node)?;
            }
            return Ok(());
        };
        fill_scores(nodes, scores, |node| self.score_node(s, node));
        Ok(())
    }

    fn score_extensions(&self) -> Option<&dyn ScoreExtensions> {
        Some(self)
    }
}

impl ScoreExtensions for NodeAffinity {
    fn normalize_score(
        &self,
        _state: &CycleState,
        _pod: &PodInfo,
        scores: &mut [NodeScore<'_>],
    ) -> Status {
        default_normalize_score(MAX_NODE_SCORE, false, scores);
        Status::success()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FeatureGates;

    fn pod(json: &str) -> PodInfo {
        PodInfo::new(
            serde_json::from_str::<Pod>(json).unwrap(),
            &FeatureGates::default(),
        )
    }

    #[test]
    fn conflicting_name_terms_reject_in_pre_filter() {
        let p = pod(
            r#"{"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
              {"nodeSelectorTerms": [{"matchFields": [
                {"key": "metadata.name", "operator": "In", "values": ["node1"]},
                {"key": "metadata.name", "operator": "In", "values": ["node2"]}]}]}}}}}"#,
        );
        let plugin = NodeAffinity::new(None).unwrap();
        let mut state = CycleState::new();
        let (_, s) = plugin.pre_filter(&mut state, &p, &Snapshot::default());
        assert_eq!(s, Status::unresolvable(ERR_REASON_CONFLICT));
    }

    #[test]
    fn union_of_name_terms() {
        let p = pod(
            r#"{"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
              {"nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a"]}]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["b"]}]}]}}}}}"#,
        );
        let names: Vec<String> = required_node_names(&p.pod).unwrap().into_iter().collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn pods_without_constraints_are_skipped() {
        let plugin = NodeAffinity::new(None).unwrap();
        let mut state = CycleState::new();
        let p = pod(r#"{"spec": {}}"#);
        assert!(plugin
            .pre_filter(&mut state, &p, &Snapshot::default())
            .1
            .is_skip());
        assert!(plugin
            .pre_score(&mut state, &p, &[], &Snapshot::default())
            .is_skip());
    }

    #[test]
    fn invalid_added_affinity_is_a_config_error() {
        let args = serde_json::json!({"addedAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
            {"nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In"}]}]}}});
        let e = NodeAffinity::new(Some(&args)).unwrap_err();
        assert_eq!(
            e.field,
            "addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values"
        );
        assert_eq!(e.error_type.as_str(), "FieldValueInvalid");
        let unknown = serde_json::json!({"addedAffinty": {}});
        assert!(NodeAffinity::new(Some(&unknown)).is_err());
    }

    #[test]
    fn added_preferred_terms_score_every_pod() {
        let args = serde_json::json!({"addedAffinity": {"preferredDuringSchedulingIgnoredDuringExecution":
            [{"weight": 5, "preference": {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}}]}});
        let plugin = NodeAffinity::new(Some(&args)).unwrap();
        let node = NodeInfo::new(
            serde_json::from_str::<crate::model::Node>(
                r#"{"metadata": {"name": "n", "labels": {"zone": "a"}}}"#,
            )
            .unwrap(),
        );
        let p = pod(r#"{"spec": {}}"#);
        let mut state = CycleState::new();
        assert!(plugin
            .pre_score(&mut state, &p, &[&node], &Snapshot::default())
            .is_success());
        assert_eq!(plugin.score(&state, &p, &node), Ok(5));
    }
}
