//! Nodes (`v1.Node`): labels, taints, schedulability, capacity and images.

use serde::{Deserialize, Serialize};

use super::affinity::TaintEffect;
use super::de::nullable;
use super::meta::{Labels, ObjectMeta};
use super::pod::ResourceList;

/// A Node as `kubectl get node -o json` prints it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Node {
    /// `metadata`.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(deserialize_with = "nullable")]
    pub spec: NodeSpec,
    /// `status`.
    #[serde(deserialize_with = "nullable")]
    pub status: NodeStatus,
}

impl Node {
    /// The node's name.
    pub fn name(&self) -> &str {
        self.metadata.name()
    }

    /// The node's labels.
    pub fn labels(&self) -> &Labels {
        &self.metadata.labels
    }
}

/// `spec` of a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeSpec {
    /// `true` after `kubectl cordon`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unschedulable: Option<bool>,
    /// Taints.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub taints: Vec<Taint>,
    /// The cloud provider's ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "providerID")]
    pub provider_id: Option<String>,
}

/// `spec.taints[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Taint {
    /// The key.
    pub key: String,
    /// The value (may be empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The effect.
    pub effect: TaintEffect,
    /// When a `NoExecute` taint was added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_added: Option<String>,
}

impl Taint {
    /// The value, `""` when absent.
    pub fn value(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }
}

impl std::fmt::Display for Taint {
    /// `key=value:Effect`, as kubectl and the scheduler print a taint
    /// (`key:Effect` when the value is empty).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.value().is_empty() {
            write!(f, "{}:{}", self.key, self.effect.as_str())
        } else {
            write!(f, "{}={}:{}", self.key, self.value(), self.effect.as_str())
        }
    }
}

/// `status` of a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeStatus {
    /// Total resources.
    #[serde(skip_serializing_if = "crate::SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub capacity: ResourceList,
    /// Resources available to pods (capacity minus reservations).
    #[serde(skip_serializing_if = "crate::SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub allocatable: ResourceList,
    /// Images present on the node.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub images: Vec<ContainerImage>,
    /// Conditions (`Ready`, `MemoryPressure`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub conditions: Vec<NodeCondition>,
}

/// `status.images[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerImage {
    /// The names (tags and digests) of the image.
    #[serde(deserialize_with = "nullable")]
    pub names: Vec<String>,
    /// Size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
}

/// `status.conditions[]` of a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeCondition {
    /// The condition type.
    #[serde(rename = "type")]
    #[serde(deserialize_with = "nullable")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(deserialize_with = "nullable")]
    pub status: String,
    /// Machine-readable reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
