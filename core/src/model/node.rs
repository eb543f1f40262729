//! Nodes (`v1.Node`): labels, taints, schedulability, capacity and images.

use serde::Serialize;
use serde_json::Value;

use super::affinity::TaintEffect;
use super::de::{
    deserialize_via_json, for_each_field, json_struct, missing_field, nullable, FromJson, PathError,
};
use super::meta::{Labels, ObjectMeta};
use super::pod::ResourceList;

/// A Node as `kubectl get node -o json` prints it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: NodeSpec,
    /// `status`.
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSpec {
    /// `true` after `kubectl cordon`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unschedulable: Option<bool>,
    /// Taints.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    /// The cloud provider's ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
}

/// `spec.taints[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// Total resources.
    #[serde(skip_serializing_if = "crate::SortedMap::is_empty")]
    pub capacity: ResourceList,
    /// Resources available to pods (capacity minus reservations).
    #[serde(skip_serializing_if = "crate::SortedMap::is_empty")]
    pub allocatable: ResourceList,
    /// Images present on the node.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ContainerImage>,
    /// Conditions (`Ready`, `MemoryPressure`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<NodeCondition>,
}

/// `status.images[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerImage {
    /// The names (tags and digests) of the image.
    pub names: Vec<String>,
    /// Size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
}

/// `status.conditions[]` of a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeCondition {
    /// The condition type.
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// Machine-readable reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

json_struct! {
    Node {
        "metadata" => metadata: FromJson::from_json,
        "spec" => spec: FromJson::from_json,
        "status" => status: FromJson::from_json,
    }
}

json_struct! {
    NodeSpec {
        "unschedulable" => unschedulable: FromJson::from_json,
        "taints" => taints: nullable,
        "providerId" => provider_id: FromJson::from_json,
    }
}

impl FromJson for Taint {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let mut key = None;
        let mut value = Default::default();
        let mut effect = None;
        let mut time_added = Default::default();
        for_each_field(v, "struct Taint", &mut |k, v| {
            match k {
                "key" => key = Some(FromJson::from_json(v)?),
                "value" => value = FromJson::from_json(v)?,
                "effect" => effect = Some(FromJson::from_json(v)?),
                "timeAdded" => time_added = FromJson::from_json(v)?,
                _ => {}
            }
            Ok(())
        })?;
        Ok(Taint {
            key: key.ok_or_else(|| missing_field("key"))?,
            value,
            effect: effect.ok_or_else(|| missing_field("effect"))?,
            time_added,
        })
    }
}

json_struct! {
    NodeStatus {
        "capacity" => capacity: nullable,
        "allocatable" => allocatable: nullable,
        "images" => images: nullable,
        "conditions" => conditions: nullable,
    }
}

json_struct! {
    ContainerImage {
        "names" => names: nullable,
        "sizeBytes" => size_bytes: FromJson::from_json,
    }
}

json_struct! {
    NodeCondition {
        "type" => type_: FromJson::from_json,
        "status" => status: FromJson::from_json,
        "reason" => reason: FromJson::from_json,
        "message" => message: FromJson::from_json,
    }
}

deserialize_via_json!(
    Node,
    NodeSpec,
    Taint,
    NodeStatus,
    ContainerImage,
    NodeCondition
);
