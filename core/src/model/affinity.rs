//! Pod scheduling constraints: affinity (node, pod, anti-pod), tolerations
//! and topology spread constraints, as the pod spec carries them.

use serde::{Deserialize, Serialize};

use super::de::{empty_as_none, nullable};
use super::selector::{LabelSelector, NodeSelector, NodeSelectorTerm};

/// `spec.affinity`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Affinity {
    /// `nodeAffinity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<NodeAffinity>,
    /// `podAffinity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_affinity: Option<PodAffinity>,
    /// `podAntiAffinity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_anti_affinity: Option<PodAffinity>,
}

/// `nodeAffinity`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeAffinity {
    /// Hard requirement: the node must match one of the terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
    /// Soft preferences, each with a weight 1-100.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<PreferredSchedulingTerm>,
}

/// A weighted node selector term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PreferredSchedulingTerm {
    /// Weight 1-100.
    #[serde(deserialize_with = "nullable")]
    pub weight: i32,
    /// The term.
    #[serde(deserialize_with = "nullable")]
    pub preference: NodeSelectorTerm,
}

/// `podAffinity` or `podAntiAffinity` (same shape).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodAffinity {
    /// Hard terms: all must hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub required_during_scheduling_ignored_during_execution: Vec<PodAffinityTerm>,
    /// Soft terms with weights.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<WeightedPodAffinityTerm>,
}

/// `PodAffinityTerm`: pods matching `labelSelector` in the selected namespaces,
/// co-located in the same `topologyKey` domain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodAffinityTerm {
    /// Which pods (absent: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Explicit namespaces; with no `namespaceSelector` and none listed, the pod's own namespace.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub namespaces: Vec<String>,
    /// The node label whose value defines the domain.
    #[serde(deserialize_with = "nullable")]
    pub topology_key: String,
    /// Namespaces by label (an empty selector: all namespaces).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<LabelSelector>,
    /// `matchLabelKeys`: label keys whose values (from the incoming pod) are added to the selector.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub match_label_keys: Vec<String>,
    /// `mismatchLabelKeys`: label keys whose values must differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub mismatch_label_keys: Vec<String>,
}

/// A weighted pod affinity term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WeightedPodAffinityTerm {
    /// Weight 1-100.
    #[serde(deserialize_with = "nullable")]
    pub weight: i32,
    /// The term.
    #[serde(deserialize_with = "nullable")]
    pub pod_affinity_term: PodAffinityTerm,
}

/// `spec.tolerations[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Toleration {
    /// The taint key (empty with `Exists`: every key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The operator (absent: `Equal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "empty_as_none")]
    pub operator: Option<TolerationOperator>,
    /// The value to compare.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The effect (absent or empty: every effect).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "empty_as_none")]
    pub effect: Option<TaintEffect>,
    /// For `NoExecute`: how long the pod stays bound after the taint appears.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

/// `tolerations[].operator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TolerationOperator {
    /// Key and value equal.
    Equal,
    /// Key present (any value).
    Exists,
    /// The taint's value, as an integer, is less than the toleration's
    /// (feature gate `TaintTolerationComparisonOperators`).
    Lt,
    /// The taint's value, as an integer, is greater than the toleration's
    /// (feature gate `TaintTolerationComparisonOperators`).
    Gt,
}

/// A taint's effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaintEffect {
    /// New pods are not scheduled unless they tolerate it.
    NoSchedule,
    /// The scheduler avoids the node for pods that do not tolerate it.
    PreferNoSchedule,
    /// Running pods that do not tolerate it are evicted.
    NoExecute,
}

impl TaintEffect {
    /// Kubernetes' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }
}

/// `spec.topologySpreadConstraints[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TopologySpreadConstraint {
    /// The largest allowed difference between domains.
    #[serde(deserialize_with = "nullable")]
    pub max_skew: i32,
    /// The node label that defines a domain.
    #[serde(deserialize_with = "nullable")]
    pub topology_key: String,
    /// `DoNotSchedule` (filter) or `ScheduleAnyway` (score).
    #[serde(deserialize_with = "nullable")]
    pub when_unsatisfiable: UnsatisfiableConstraintAction,
    /// Which pods count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Minimum number of eligible domains (DoNotSchedule only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_domains: Option<i32>,
    /// `Honor` (default) or `Ignore` the pod's node affinity/selector when counting domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "empty_as_none")]
    pub node_affinity_policy: Option<NodeInclusionPolicy>,
    /// `Honor` or `Ignore` (default) node taints when counting domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "empty_as_none")]
    pub node_taints_policy: Option<NodeInclusionPolicy>,
    /// Label keys whose values (from the incoming pod) narrow the selector.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub match_label_keys: Vec<String>,
}

/// `whenUnsatisfiable`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnsatisfiableConstraintAction {
    /// A hard constraint (the default).
    #[default]
    DoNotSchedule,
    /// A soft constraint, used for scoring.
    ScheduleAnyway,
}

/// `nodeAffinityPolicy` / `nodeTaintsPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeInclusionPolicy {
    /// Take it into account.
    Honor,
    /// Ignore it.
    Ignore,
}
