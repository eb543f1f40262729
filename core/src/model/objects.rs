//! The other objects kubelogic reads: namespaces, PodDisruptionBudgets,
//! PriorityClasses, Services and ReplicaSets (the last two for
//! PodTopologySpread's system default constraints).

use serde::{Deserialize, Serialize};

use super::de::nullable;
use super::meta::{Labels, ObjectMeta};
use super::selector::LabelSelector;
use crate::SortedMap;

/// A Namespace: only its labels matter (`namespaceSelector`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Namespace {
    /// `metadata`.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
}

/// A PodDisruptionBudget (`policy/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodDisruptionBudget {
    /// `metadata`.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(deserialize_with = "nullable")]
    pub spec: PodDisruptionBudgetSpec,
    /// `status`.
    #[serde(deserialize_with = "nullable")]
    pub status: PodDisruptionBudgetStatus,
}

/// `spec` of a PodDisruptionBudget.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodDisruptionBudgetSpec {
    /// Which pods (absent: none; empty: all in the namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// `minAvailable` (a number or a percentage string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_available: Option<serde_json::Value>,
    /// `maxUnavailable` (a number or a percentage string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<serde_json::Value>,
}

/// `status` of a PodDisruptionBudget.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodDisruptionBudgetStatus {
    /// How many more pods may be disrupted now.
    #[serde(deserialize_with = "nullable")]
    pub disruptions_allowed: i32,
    /// Pods already being disrupted (name → time), not yet seen gone.
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub disrupted_pods: SortedMap<String, String>,
    /// Healthy pods counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_healthy: Option<i32>,
    /// Healthy pods wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_healthy: Option<i32>,
    /// Pods counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_pods: Option<i32>,
}

/// A PriorityClass (`scheduling.k8s.io/v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PriorityClass {
    /// `metadata`.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// The priority value.
    #[serde(deserialize_with = "nullable")]
    pub value: i32,
    /// Whether pods without a class get this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_default: Option<bool>,
    /// `PreemptLowerPriority` (the API's default when absent) or `Never`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preemption_policy: Option<super::PreemptionPolicy>,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A Service: its selector feeds the default topology spread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Service {
    /// `metadata`.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(deserialize_with = "nullable")]
    pub spec: ServiceSpec,
}

/// `spec` of a Service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceSpec {
    /// Label selector (plain map).
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub selector: Labels,
}

/// A workload controller with a label selector: ReplicaSet, ReplicationController
/// or StatefulSet (same `spec.selector` shape; the RC's is a plain map).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplicaSet {
    /// `kind`: `ReplicaSet` (also when absent), `ReplicationController` or `StatefulSet`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `metadata`.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(deserialize_with = "nullable")]
    pub spec: ReplicaSetSpec,
}

/// `spec` of a ReplicaSet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplicaSetSpec {
    /// The selector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// Desired replicas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
}
