//! Object metadata (`metav1.ObjectMeta`) and owner references.

use serde::Serialize;

use crate::SortedMap;

use super::de::{deserialize_via_json, json_struct, nullable, FromJson};

/// Labels or annotations: string keys to string values, sorted.
pub type Labels = SortedMap<String, String>;

/// `metadata` of every object. Only the fields kubelogic reads; others are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// `metadata.name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `metadata.generateName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    /// `metadata.namespace` (absent for cluster-scoped objects).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `metadata.uid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// `metadata.labels`.
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    pub labels: Labels,
    /// `metadata.annotations`.
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    pub annotations: Labels,
    /// `metadata.ownerReferences`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<OwnerReference>,
    /// `metadata.creationTimestamp` (RFC 3339, kept as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
    /// `metadata.deletionTimestamp`: set once the object is being deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<String>,
}

impl ObjectMeta {
    /// The name, or `""` when absent.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// The namespace, or `""` when absent (cluster-scoped or not given).
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }

    /// The controller reference (`controller: true`), if any.
    pub fn controller(&self) -> Option<&OwnerReference> {
        self.owner_references
            .iter()
            .find(|r| r.controller == Some(true))
    }
}

/// `metadata.ownerReferences[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    /// `apiVersion` of the owner.
    pub api_version: String,
    /// `kind` of the owner (`ReplicaSet`, `StatefulSet`, `Node`, ...).
    pub kind: String,
    /// Name of the owner.
    pub name: String,
    /// UID of the owner.
    pub uid: String,
    /// Whether this owner is the managing controller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    /// `blockOwnerDeletion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
}

json_struct! {
    ObjectMeta {
        "name" => name: FromJson::from_json,
        "generateName" => generate_name: FromJson::from_json,
        "namespace" => namespace: FromJson::from_json,
        "uid" => uid: FromJson::from_json,
        "labels" => labels: nullable,
        "annotations" => annotations: nullable,
        "ownerReferences" => owner_references: nullable,
        "creationTimestamp" => creation_timestamp: FromJson::from_json,
        "deletionTimestamp" => deletion_timestamp: FromJson::from_json,
    }
}

json_struct! {
    OwnerReference {
        "apiVersion" => api_version: FromJson::from_json,
        "kind" => kind: FromJson::from_json,
        "name" => name: FromJson::from_json,
        "uid" => uid: FromJson::from_json,
        "controller" => controller: FromJson::from_json,
        "blockOwnerDeletion" => block_owner_deletion: FromJson::from_json,
    }
}

deserialize_via_json!(ObjectMeta, OwnerReference);
