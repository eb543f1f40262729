//! Pod scheduling constraints: affinity (node, pod, anti-pod), tolerations
//! and topology spread constraints, as the pod spec carries them.

use serde::Serialize;

use super::de::{deserialize_via_json, empty_as_none, json_enum, json_struct, nullable, FromJson};
use super::selector::{LabelSelector, NodeSelector, NodeSelectorTerm};

/// `spec.affinity`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeAffinity {
    /// Hard requirement: the node must match one of the terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
    /// Soft preferences, each with a weight 1-100.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<PreferredSchedulingTerm>,
}

/// A weighted node selector term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreferredSchedulingTerm {
    /// Weight 1-100.
    pub weight: i32,
    /// The term.
    pub preference: NodeSelectorTerm,
}

/// `podAffinity` or `podAntiAffinity` (same shape).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodAffinity {
    /// Hard terms: all must hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required_during_scheduling_ignored_during_execution: Vec<PodAffinityTerm>,
    /// Soft terms with weights.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<WeightedPodAffinityTerm>,
}

/// `PodAffinityTerm`: pods matching `labelSelector` in the selected namespaces,
/// co-located in the same `topologyKey` domain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodAffinityTerm {
    /// Which pods (absent: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Explicit namespaces; with no `namespaceSelector` and none listed, the pod's own namespace.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// The node label whose value defines the domain.
    pub topology_key: String,
    /// Namespaces by label (an empty selector: all namespaces).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<LabelSelector>,
    /// `matchLabelKeys`: label keys whose values (from the incoming pod) are added to the selector.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_label_keys: Vec<String>,
    /// `mismatchLabelKeys`: label keys whose values must differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatch_label_keys: Vec<String>,
}

/// A weighted pod affinity term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightedPodAffinityTerm {
    /// Weight 1-100.
    pub weight: i32,
    /// The term.
    pub pod_affinity_term: PodAffinityTerm,
}

/// `spec.tolerations[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    /// The taint key (empty with `Exists`: every key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The operator (absent: `Equal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<TolerationOperator>,
    /// The value to compare.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The effect (absent or empty: every effect).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
    /// For `NoExecute`: how long the pod stays bound after the taint appears.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

/// `tolerations[].operator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopologySpreadConstraint {
    /// The largest allowed difference between domains.
    pub max_skew: i32,
    /// The node label that defines a domain.
    pub topology_key: String,
    /// `DoNotSchedule` (filter) or `ScheduleAnyway` (score).
    pub when_unsatisfiable: UnsatisfiableConstraintAction,
    /// Which pods count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Minimum number of eligible domains (DoNotSchedule only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_domains: Option<i32>,
    /// `Honor` (default) or `Ignore` the pod's node affinity/selector when counting domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_affinity_policy: Option<NodeInclusionPolicy>,
    /// `Honor` or `Ignore` (default) node taints when counting domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_taints_policy: Option<NodeInclusionPolicy>,
    /// Label keys whose values (from the incoming pod) narrow the selector.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_label_keys: Vec<String>,
}

/// `whenUnsatisfiable`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum UnsatisfiableConstraintAction {
    /// A hard constraint (the default).
    #[default]
    DoNotSchedule,
    /// A soft constraint, used for scoring.
    ScheduleAnyway,
}

/// `nodeAffinityPolicy` / `nodeTaintsPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum NodeInclusionPolicy {
    /// Take it into account.
    Honor,
    /// Ignore it.
    Ignore,
}

json_struct! {
    Affinity {
        "nodeAffinity" => node_affinity: FromJson::from_json,
        "podAffinity" => pod_affinity: FromJson::from_json,
        "podAntiAffinity" => pod_anti_affinity: FromJson::from_json,
    }
}

json_struct! {
    NodeAffinity {
        "requiredDuringSchedulingIgnoredDuringExecution" => required_during_scheduling_ignored_during_execution: FromJson::from_json,
        "preferredDuringSchedulingIgnoredDuringExecution" => preferred_during_scheduling_ignored_during_execution: nullable,
    }
}

json_struct! {
    PreferredSchedulingTerm {
        "weight" => weight: FromJson::from_json,
        "preference" => preference: FromJson::from_json,
    }
}

json_struct! {
    PodAffinity {
        "requiredDuringSchedulingIgnoredDuringExecution" => required_during_scheduling_ignored_during_execution: nullable,
        "preferredDuringSchedulingIgnoredDuringExecution" => preferred_during_scheduling_ignored_during_execution: nullable,
    }
}

json_struct! {
    PodAffinityTerm {
        "labelSelector" => label_selector: FromJson::from_json,
        "namespaces" => namespaces: nullable,
        "topologyKey" => topology_key: FromJson::from_json,
        "namespaceSelector" => namespace_selector: FromJson::from_json,
        "matchLabelKeys" => match_label_keys: nullable,
        "mismatchLabelKeys" => mismatch_label_keys: nullable,
    }
}

json_struct! {
    WeightedPodAffinityTerm {
        "weight" => weight: FromJson::from_json,
        "podAffinityTerm" => pod_affinity_term: FromJson::from_json,
    }
}

json_struct! {
    Toleration {
        "key" => key: FromJson::from_json,
        "operator" => operator: empty_as_none,
        "value" => value: FromJson::from_json,
        "effect" => effect: empty_as_none,
        "tolerationSeconds" => toleration_seconds: FromJson::from_json,
    }
}

json_struct! {
    TopologySpreadConstraint {
        "maxSkew" => max_skew: FromJson::from_json,
        "topologyKey" => topology_key: FromJson::from_json,
        "whenUnsatisfiable" => when_unsatisfiable: FromJson::from_json,
        "labelSelector" => label_selector: FromJson::from_json,
        "minDomains" => min_domains: FromJson::from_json,
        "nodeAffinityPolicy" => node_affinity_policy: empty_as_none,
        "nodeTaintsPolicy" => node_taints_policy: empty_as_none,
        "matchLabelKeys" => match_label_keys: nullable,
    }
}

json_enum! {
    TolerationOperator { Equal, Exists, Lt, Gt }
    TaintEffect { NoSchedule, PreferNoSchedule, NoExecute }
    UnsatisfiableConstraintAction { DoNotSchedule, ScheduleAnyway }
    NodeInclusionPolicy { Honor, Ignore }
}

deserialize_via_json!(
    Affinity,
    NodeAffinity,
    PreferredSchedulingTerm,
    PodAffinity,
    PodAffinityTerm,
    WeightedPodAffinityTerm,
    Toleration,
    TopologySpreadConstraint,
    TolerationOperator,
    TaintEffect,
    UnsatisfiableConstraintAction,
    NodeInclusionPolicy
);
