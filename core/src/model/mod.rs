//! Kubernetes objects as `kubectl get -o json` prints them.
//!
//! The wire types are tolerant like k8s-openapi's: every optional field is an
//! `Option` (or an empty collection), unknown fields are ignored, quantities
//! are accepted as strings or numbers, maps are sorted by key. What Kubernetes'
//! API would reject outright — a wrong type, a bad quantity, an unknown
//! operator — is a [`ModelError`] that names the field path:
//!
//! ```
//! use kubelogic::model::{self, Pod};
//!
//! let err = model::from_json_str::<Pod>(r#"{"spec": {"containers": [
//!     {"name": "a", "resources": {"requests": {"memory": "1K"}}}]}}"#).unwrap_err();
//! assert_eq!(err.path(), "spec.containers[0].resources.requests.memory");
//! ```
//!
//! A whole document — one object, a `List` (what `kubectl get nodes,pods -A
//! -o json` prints) or a JSON array of objects — is read with [`parse_objects`]:
//!
//! ```
//! let objects = kubelogic::model::parse_objects(r#"{"kind": "List", "items": [
//!   {"kind": "Node", "metadata": {"name": "n1"}},
//!   {"kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
//!    "spec": {"containers": [{"name": "c"}]}},
//!   {"kind": "ConfigMap", "metadata": {"name": "cm"}}]}"#)?;
//! assert_eq!(objects.nodes.len(), 1);
//! assert_eq!(objects.pods.len(), 1);
//! assert_eq!(objects.ignored, vec!["items[2] (ConfigMap cm)".to_owned()]);
//! # Ok::<(), kubelogic::model::ModelError>(())
//! ```

mod affinity;
pub mod de;
mod meta;
mod node;
pub mod nodeaffinity;
mod objects;
mod pod;
mod selector;
mod toleration;
pub mod validation;

use std::fmt;

use serde_json::Value;

pub use de::FromJson;

pub use affinity::{
    Affinity, NodeAffinity, NodeInclusionPolicy, PodAffinity, PodAffinityTerm,
    PreferredSchedulingTerm, TaintEffect, Toleration, TolerationOperator, TopologySpreadConstraint,
    UnsatisfiableConstraintAction, WeightedPodAffinityTerm,
};
pub use meta::{Labels, ObjectMeta, OwnerReference};
pub use node::{ContainerImage, Node, NodeCondition, NodeSpec, NodeStatus, Taint};
pub use objects::{
    Namespace, PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus,
    PriorityClass, ReplicaSet, ReplicaSetSpec, Service, ServiceSpec,
};
pub use pod::{
    ClaimOverhead, Container, ContainerPort, ContainerStatus, EmptyDirVolumeSource,
    NodeAllocatableResourceClaimStatus, Pod, PodCondition, PodResourceClaim, PodSpec, PodStatus,
    PreemptionPolicy, QosClass, ResourceClaim, ResourceList, ResourceMapping, ResourceRequirements,
    Volume,
};
pub use selector::{
    LabelSelector, LabelSelectorOperator, LabelSelectorRequirement, NodeFields, NodeSelector,
    NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm, SelectorError,
};
pub use toleration::{
    find_matching_untolerated_taint, tolerations_tolerate_taint, TolerationError, UntoleratedTaint,
};

/// Why a document could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelError {
    /// The text is not JSON.
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// A field has a value Kubernetes would not accept.
    Field {
        /// Field path from the document root, e.g. `items[3].spec.containers[0].resources.requests.cpu`.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

impl ModelError {
    /// The field path (empty for syntax errors and the document root).
    pub fn path(&self) -> &str {
        match self {
            ModelError::Syntax { .. } => "",
            ModelError::Field { path, .. } => path,
        }
    }

    fn at(path: &str, e: de::PathError) -> Self {
        let full = match (path.is_empty(), e.path.is_empty()) {
            (true, _) => e.path,
            (false, true) => path.to_owned(),
            (false, false) if e.path.starts_with('[') => format!("{path}{}", e.path),
            (false, false) => format!("{path}.{}", e.path),
        };
        ModelError::Field {
            path: full,
            message: e.message,
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Syntax {
                line,
                column,
                message,
            } => {
                write!(f, "invalid JSON at line {line}, column {column}: {message}")
            }
            ModelError::Field { path, message } if path.is_empty() => f.write_str(message),
            ModelError::Field { path, message } => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for ModelError {}

impl From<serde_json::Error> for ModelError {
    fn from(e: serde_json::Error) -> Self {
        ModelError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }
}

/// Reads one object of a known type from JSON text.
pub fn from_json_str<T: FromJson>(text: &str) -> Result<T, ModelError> {
    let value: Value = serde_json::from_str(text)?;
    from_value(&value)
}

/// Reads one object of a known type from a JSON value.
pub fn from_value<T: FromJson>(value: &Value) -> Result<T, ModelError> {
    T::from_json(value).map_err(|e| ModelError::at("", e))
}

/// Reads a value found at `path` inside a larger document (errors carry the full path).
pub fn from_value_at<T: FromJson>(value: &Value, path: &str) -> Result<T, ModelError> {
    T::from_json(value).map_err(|e| ModelError::at(path, e))
}

/// The objects of a document, by kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Objects {
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Pods (bound or pending).
    pub pods: Vec<Pod>,
    /// Namespaces.
    pub namespaces: Vec<Namespace>,
    /// PodDisruptionBudgets.
    pub pod_disruption_budgets: Vec<PodDisruptionBudget>,
    /// PriorityClasses.
    pub priority_classes: Vec<PriorityClass>,
    /// Services.
    pub services: Vec<Service>,
    /// ReplicaSets (and other selector-bearing controllers).
    pub replica_sets: Vec<ReplicaSet>,
    /// Objects of other kinds, as `path (Kind name)`: read but not used.
    pub ignored: Vec<String>,
}

/// The kinds [`parse_objects`] understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Pod,
    Node,
    Namespace,
    PodDisruptionBudget,
    PriorityClass,
    Service,
    ReplicaSet,
}

fn kind_of(v: &Value) -> Result<Kind, String> {
    let kind = v.get("kind").and_then(Value::as_str);
    let guessed = match kind {
        Some("Pod") => return Ok(Kind::Pod),
        Some("Node") => return Ok(Kind::Node),
        Some("Namespace") => return Ok(Kind::Namespace),
        Some("PodDisruptionBudget") => return Ok(Kind::PodDisruptionBudget),
        Some("PriorityClass") => return Ok(Kind::PriorityClass),
        Some("Service") => return Ok(Kind::Service),
        Some("ReplicaSet" | "ReplicationController" | "StatefulSet") => {
            return Ok(Kind::ReplicaSet)
        }
        Some(other) => return Err(other.to_owned()),
        None => {
            // No kind (hand-written input): recognise the shape.
            let spec = v.get("spec");
            let status = v.get("status");
            if spec.and_then(|s| s.get("containers")).is_some() {
                Some(Kind::Pod)
            } else if status
                .is_some_and(|s| s.get("allocatable").is_some() || s.get("capacity").is_some())
                || spec
                    .is_some_and(|s| s.get("taints").is_some() || s.get("unschedulable").is_some())
            {
                Some(Kind::Node)
            } else {
                None
            }
        }
    };
    guessed.ok_or_else(|| "an object without `kind`".to_owned())
}

/// Reads a document: one object, a `List` (`{"kind": "List", "items": [...]}`
/// or any `*List`), or a JSON array of objects. Objects of kinds kubelogic
/// does not use are listed in [`Objects::ignored`], never dropped silently.
pub fn parse_objects(text: &str) -> Result<Objects, ModelError> {
    let value: Value = serde_json::from_str(text)?;
    objects_from_value(&value)
}

/// [`parse_objects`] for an already parsed JSON value.
pub fn objects_from_value(value: &Value) -> Result<Objects, ModelError> {
    let mut out = Objects::default();
    match value {
        Value::Array(items) => add_items(&mut out, items, "")?,
        Value::Object(map) => match map.get("items") {
            Some(Value::Array(items)) => add_items(&mut out, items, "items")?,
            Some(Value::Null) => {}
            Some(other) => {
                return Err(ModelError::Field {
                    path: "items".into(),
                    message: format!("expected a list, found {}", de::kind_of(other)),
                })
            }
            None => add_object(&mut out, value, "")?,
        },
        other => {
            return Err(ModelError::Field {
                path: String::new(),
                message: format!(
                    "expected an object, a List or an array of objects, found {}",
                    de::kind_of(other)
                ),
            })
        }
    }
    Ok(out)
}

fn add_items(out: &mut Objects, items: &[Value], prefix: &str) -> Result<(), ModelError> {
    for (i, item) in items.iter().enumerate() {
        add_object(out, item, &format!("{prefix}[{i}]"))?;
    }
    Ok(())
}

fn add_object(out: &mut Objects, v: &Value, path: &str) -> Result<(), ModelError> {
    if !v.is_object() {
        return Err(ModelError::Field {
            path: path.to_owned(),
            message: format!("expected an object, found {}", de::kind_of(v)),
        });
    }
    match kind_of(v) {
        Ok(Kind::Pod) => out.pods.push(from_value_at(v, path)?),
        Ok(Kind::Node) => out.nodes.push(from_value_at(v, path)?),
        Ok(Kind::Namespace) => out.namespaces.push(from_value_at(v, path)?),
        Ok(Kind::PodDisruptionBudget) => out.pod_disruption_budgets.push(from_value_at(v, path)?),
        Ok(Kind::PriorityClass) => out.priority_classes.push(from_value_at(v, path)?),
        Ok(Kind::Service) => out.services.push(from_value_at(v, path)?),
        Ok(Kind::ReplicaSet) => out.replica_sets.push(from_value_at(v, path)?),
        Err(kind) => {
            let name = v
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let label = if path.is_empty() {
                "document".to_owned()
            } else {
                path.to_owned()
            };
            out.ignored
                .push(format!("{label} ({kind} {name})").replace(" )", ")"));
        }
    }
    Ok(())
}
