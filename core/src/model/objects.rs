//! The other objects kubelogic reads: namespaces, PodDisruptionBudgets,
//! PriorityClasses, Services and ReplicaSets (the last two for
//! PodTopologySpread's system default constraints).

use serde::Serialize;

use super::de::{deserialize_via_json, json_struct, nullable, FromJson};
use super::meta::{Labels, ObjectMeta};
use super::selector::LabelSelector;
use crate::SortedMap;

/// A Namespace: only its labels matter (`namespaceSelector`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    /// `metadata`.
    pub metadata: ObjectMeta,
}

/// A PodDisruptionBudget (`policy/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudget {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: PodDisruptionBudgetSpec,
    /// `status`.
    pub status: PodDisruptionBudgetStatus,
}

/// `spec` of a PodDisruptionBudget.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudgetStatus {
    /// How many more pods may be disrupted now.
    pub disruptions_allowed: i32,
    /// Pods already being disrupted (name → time), not yet seen gone.
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriorityClass {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// The priority value.
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: ServiceSpec,
}

/// `spec` of a Service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    /// Label selector (plain map).
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    pub selector: Labels,
}

/// A workload controller with a label selector: ReplicaSet, ReplicationController
/// or StatefulSet (same `spec.selector` shape; the RC's is a plain map).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSet {
    /// `kind`: `ReplicaSet` (also when absent), `ReplicationController` or `StatefulSet`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: ReplicaSetSpec,
}

/// `spec` of a ReplicaSet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetSpec {
    /// The selector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// Desired replicas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
}

json_struct! {
    Namespace {
        "metadata" => metadata: FromJson::from_json,
    }
}

json_struct! {
    PodDisruptionBudget {
        "metadata" => metadata: FromJson::from_json,
        "spec" => spec: FromJson::from_json,
        "status" => status: FromJson::from_json,
    }
}

json_struct! {
    PodDisruptionBudgetSpec {
        "selector" => selector: FromJson::from_json,
        "minAvailable" => min_available: FromJson::from_json,
        "maxUnavailable" => max_unavailable: FromJson::from_json,
    }
}

json_struct! {
    PodDisruptionBudgetStatus {
        "disruptionsAllowed" => disruptions_allowed: FromJson::from_json,
        "disruptedPods" => disrupted_pods: nullable,
        "currentHealthy" => current_healthy: FromJson::from_json,
        "desiredHealthy" => desired_healthy: FromJson::from_json,
        "expectedPods" => expected_pods: FromJson::from_json,
    }
}

json_struct! {
    PriorityClass {
        "metadata" => metadata: FromJson::from_json,
        "value" => value: FromJson::from_json,
        "globalDefault" => global_default: FromJson::from_json,
        "preemptionPolicy" => preemption_policy: FromJson::from_json,
        "description" => description: FromJson::from_json,
    }
}

json_struct! {
    Service {
        "metadata" => metadata: FromJson::from_json,
        "spec" => spec: FromJson::from_json,
    }
}

json_struct! {
    ServiceSpec {
        "selector" => selector: nullable,
    }
}

json_struct! {
    ReplicaSet {
        "kind" => kind: FromJson::from_json,
        "metadata" => metadata: FromJson::from_json,
        "spec" => spec: FromJson::from_json,
    }
}

json_struct! {
    ReplicaSetSpec {
        "selector" => selector: FromJson::from_json,
        "replicas" => replicas: FromJson::from_json,
    }
}

deserialize_via_json!(
    Namespace,
    PodDisruptionBudget,
    PodDisruptionBudgetSpec,
    PodDisruptionBudgetStatus,
    PriorityClass,
    Service,
    ServiceSpec,
    ReplicaSet,
    ReplicaSetSpec
);
