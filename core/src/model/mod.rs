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
mod de;
mod meta;
mod node;
pub mod nodeaffinity;
mod objects;
mod pod;
mod selector;
mod toleration;
pub mod validation;

use std::fmt;

use serde::de::{
    self as sde, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

pub use de::from_deserializer;

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

    fn field(path: &str, message: impl Into<String>) -> Self {
        ModelError::Field {
            path: path.to_owned(),
            message: message.into(),
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
    /// A syntax error with its position; a data error without a path (the
    /// readers below find the path).
    fn from(e: serde_json::Error) -> Self {
        if e.is_data() {
            ModelError::field("", de::json_message(&e))
        } else {
            ModelError::Syntax {
                line: e.line(),
                column: e.column(),
                message: de::json_message(&e),
            }
        }
    }
}

/// Reads one object of a known type from JSON text; an error names the
/// field path.
///
/// ```
/// use kubelogic::model::{self, Pod};
///
/// let pod: Pod = model::from_json_str(r#"{"spec": {"priority": 5, "containers": null}}"#)?;
/// assert_eq!(pod.priority(), 5);
/// let err = model::from_json_str::<Pod>(r#"{"spec": {"priority": "5"}}"#).unwrap_err();
/// assert_eq!(err.to_string(), r#"spec.priority: invalid type: string "5", expected i32"#);
/// # Ok::<(), model::ModelError>(())
/// ```
pub fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T, ModelError> {
    serde_json::from_str(text).map_err(|e| de::json_error::<T>(text, "", e))
}

/// Reads one object of a known type from a JSON value.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, ModelError> {
    from_value_at(value, "")
}

/// Reads a value found at `path` inside a larger document (errors carry the full path).
pub fn from_value_at<T: DeserializeOwned>(value: &Value, path: &str) -> Result<T, ModelError> {
    T::deserialize(value).map_err(
        |first| match serde_path_to_error::deserialize::<_, T>(value) {
            Err(e) => ModelError::field(
                &de::join_path(path, &de::path_text(e.path())),
                de::json_message(e.inner()),
            ),
            Ok(_) => ModelError::field(path, de::json_message(&first)),
        },
    )
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

impl Kind {
    fn from_name(kind: &str) -> Option<Kind> {
        Some(match kind {
            "Pod" => Kind::Pod,
            "Node" => Kind::Node,
            "Namespace" => Kind::Namespace,
            "PodDisruptionBudget" => Kind::PodDisruptionBudget,
            "PriorityClass" => Kind::PriorityClass,
            "Service" => Kind::Service,
            "ReplicaSet" | "ReplicationController" | "StatefulSet" => Kind::ReplicaSet,
            _ => return None,
        })
    }
}

/// Reads a document: one object, a `List` (`{"kind": "List", "items": [...]}`
/// or any `*List`), or a JSON array of objects. Objects of kinds kubelogic
/// does not use are listed in [`Objects::ignored`], never dropped silently.
///
/// The text is read once by serde_json; each item's top-level fields are
/// kept as borrowed raw JSON (no copy, no `Value` tree) until its `kind` is
/// known, and then read by that kind's derive. Fields of no interest
/// (`managedFields`, most of `status`) are skipped without being built.
pub fn parse_objects(text: &str) -> Result<Objects, ModelError> {
    // The fast pass streams each object whose `kind` comes before its other
    // large fields (as kubectl prints them) straight into its type; on any
    // failure the document is read again, keeping every object's fields
    // as raw text, for an error that names the field path.
    read_objects(text, true).or_else(|_| read_objects(text, false))
}

fn read_objects(text: &str, fast: bool) -> Result<Objects, ModelError> {
    let mut out = Objects::default();
    let mut failure = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = DocumentSeed {
        out: &mut out,
        failure: &mut failure,
        fast,
    };
    let read = seed.deserialize(&mut de).and_then(|()| de.end());
    if let Some(e) = failure {
        return Err(e);
    }
    match read {
        Ok(()) => Ok(out),
        Err(e) if e.is_data() => Err(ModelError::field("", de::json_message(&e))),
        Err(e) => Err(e.into()),
    }
}

/// The top-level fields of one object, as borrowed raw JSON.
type RawFields<'de> = Vec<(String, &'de RawValue)>;

/// A failure of ours inside serde_json's pass: the real error waits in
/// `failure`, and serde_json is stopped with this placeholder.
fn stop<E: sde::Error>(failure: &mut Option<ModelError>, e: ModelError) -> E {
    *failure = Some(e);
    E::custom("stopped")
}

/// What kind of JSON value this is, for error messages.
fn kind_word(unexpected: sde::Unexpected<'_>) -> &'static str {
    match unexpected {
        sde::Unexpected::Unit => "null",
        sde::Unexpected::Bool(_) => "a boolean",
        sde::Unexpected::Str(_) => "a string",
        sde::Unexpected::Seq => "a list",
        sde::Unexpected::Map => "an object",
        _ => "a number",
    }
}

/// The `visit_*` methods of the scalars a document's part must not be:
/// each is the visitor's `wrong` error.
macro_rules! reject_scalars {
    () => {
        fn visit_bool<E: sde::Error>(self, v: bool) -> Result<(), E> {
            self.wrong(sde::Unexpected::Bool(v))
        }
        fn visit_i64<E: sde::Error>(self, v: i64) -> Result<(), E> {
            self.wrong(sde::Unexpected::Signed(v))
        }
        fn visit_u64<E: sde::Error>(self, v: u64) -> Result<(), E> {
            self.wrong(sde::Unexpected::Unsigned(v))
        }
        fn visit_f64<E: sde::Error>(self, v: f64) -> Result<(), E> {
            self.wrong(sde::Unexpected::Float(v))
        }
        fn visit_str<E: sde::Error>(self, v: &str) -> Result<(), E> {
            self.wrong(sde::Unexpected::Str(v))
        }
    };
}

/// The document: an object (a `List` or one object) or an array of objects.
struct DocumentSeed<'a> {
    out: &'a mut Objects,
    failure: &'a mut Option<ModelError>,
    fast: bool,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl DocumentSeed<'_> {
    fn wrong<E: sde::Error>(self, found: sde::Unexpected<'_>) -> Result<(), E> {
        let message = format!(
            "expected an object, a List or an array of objects, found {}",
            kind_word(found)
        );
        Err(stop(self.failure, ModelError::field("", message)))
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, a List or an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        ItemsSeed {
            out: self.out,
            failure: self.failure,
            prefix: "",
            fast: self.fast,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut fields = RawFields::new();
        let mut items = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "items" {
                items = true;
                map.next_value_seed(ItemsSeed {
                    out: self.out,
                    failure: self.failure,
                    prefix: "items",
                    fast: self.fast,
                })?;
            } else {
                fields.push((key, map.next_value()?));
            }
        }
        if !items {
            add_object(self.out, &fields, "").map_err(|e| stop(self.failure, e))?;
        }
        Ok(())
    }

    reject_scalars!();
    fn visit_unit<E: sde::Error>(self) -> Result<(), E> {
        self.wrong(sde::Unexpected::Unit)
    }
}

/// `items` (or a top-level array): each element an object; `null` is none.
struct ItemsSeed<'a> {
    out: &'a mut Objects,
    failure: &'a mut Option<ModelError>,
    prefix: &'static str,
    fast: bool,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl ItemsSeed<'_> {
    fn wrong<E: sde::Error>(self, found: sde::Unexpected<'_>) -> Result<(), E> {
        let message = format!("expected a list, found {}", kind_word(found));
        Err(stop(self.failure, ModelError::field(self.prefix, message)))
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let path = format!("{}[{index}]", self.prefix);
            let item = ItemSeed {
                out: &mut *self.out,
                failure: &mut *self.failure,
                path: &path,
                fast: self.fast,
            };
            if seq.next_element_seed(item)?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_unit<E: sde::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.wrong(sde::Unexpected::Map)
    }
    reject_scalars!();
}

/// One element of `items`: an object, read by its kind.
struct ItemSeed<'a> {
    out: &'a mut Objects,
    failure: &'a mut Option<ModelError>,
    path: &'a str,
    fast: bool,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl ItemSeed<'_> {
    fn wrong<E: sde::Error>(self, found: sde::Unexpected<'_>) -> Result<(), E> {
        let message = format!("expected an object, found {}", kind_word(found));
        Err(stop(self.failure, ModelError::field(self.path, message)))
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut fields = RawFields::new();
        while let Some(key) = map.next_key::<String>()? {
            let raw: &'de RawValue = map.next_value()?;
            let is_kind = key == "kind";
            fields.push((key, raw));
            if !(self.fast && is_kind) {
                continue;
            }
            let kind: String = serde_json::from_str(raw.get()).map_err(sde::Error::custom)?;
            let Some(kind) = Kind::from_name(&kind) else {
                continue;
            };
            let rest = Chain {
                pending: std::mem::take(&mut fields).into_iter(),
                value: None,
                map: &mut map,
            };
            let d = sde::value::MapAccessDeserializer::new(rest);
            let out = self.out;
            match kind {
                Kind::Pod => out.pods.push(Deserialize::deserialize(d)?),
                Kind::Node => out.nodes.push(Deserialize::deserialize(d)?),
                Kind::Namespace => out.namespaces.push(Deserialize::deserialize(d)?),
                Kind::PodDisruptionBudget => {
                    out.pod_disruption_budgets
                        .push(Deserialize::deserialize(d)?);
                }
                Kind::PriorityClass => out.priority_classes.push(Deserialize::deserialize(d)?),
                Kind::Service => out.services.push(Deserialize::deserialize(d)?),
                Kind::ReplicaSet => out.replica_sets.push(Deserialize::deserialize(d)?),
            }
            return Ok(());
        }
        add_object(self.out, &fields, self.path).map_err(|e| stop(self.failure, e))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.wrong(sde::Unexpected::Seq)
    }
    fn visit_unit<E: sde::Error>(self) -> Result<(), E> {
        self.wrong(sde::Unexpected::Unit)
    }
    reject_scalars!();
}

/// An object's fields: those already read (as raw text), then the rest of
/// the live map, for a derive that reads the object in the same pass.
struct Chain<'a, 'de, A> {
    pending: std::vec::IntoIter<(String, &'de RawValue)>,
    value: Option<&'de RawValue>,
    map: &'a mut A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Chain<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some((key, raw)) = self.pending.next() {
            self.value = Some(raw);
            return seed
                .deserialize(sde::value::StringDeserializer::<A::Error>::new(key))
                .map(Some);
        }
        self.map.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.value.take() {
            Some(raw) => seed.deserialize(raw).map_err(sde::Error::custom),
            None => self.map.next_value_seed(seed),
        }
    }
}

/// The raw value of a top-level field.
fn field<'de>(fields: &RawFields<'de>, name: &str) -> Option<&'de RawValue> {
    fields.iter().find(|(k, _)| k == name).map(|&(_, v)| v)
}

/// Which fields an object without `kind` has inside `spec` and `status`:
/// enough to recognise a hand-written pod or node.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ShapeProbe {
    containers: Option<IgnoredAny>,
    taints: Option<IgnoredAny>,
    unschedulable: Option<IgnoredAny>,
    allocatable: Option<IgnoredAny>,
    capacity: Option<IgnoredAny>,
}

fn probe(raw: Option<&RawValue>) -> ShapeProbe {
    raw.and_then(|r| serde_json::from_str(r.get()).ok())
        .unwrap_or_default()
}

/// `metadata.name`, for the list of ignored objects.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NameProbe {
    name: Option<String>,
}

/// Reads one object from its raw top-level fields into its kind's list.
fn add_object(out: &mut Objects, fields: &RawFields<'_>, path: &str) -> Result<(), ModelError> {
    let kind_raw = field(fields, "kind");
    let kind: Option<String> = match kind_raw {
        None => None,
        Some(raw) => serde_json::from_str(raw.get())
            .map_err(|e| ModelError::field(&de::join_path(path, "kind"), de::json_message(&e)))?,
    };
    let kind = match kind.as_deref() {
        Some(name) => Kind::from_name(name).ok_or(name),
        None => {
            // No kind (hand-written input): recognise the shape.
            let spec = probe(field(fields, "spec"));
            let status = probe(field(fields, "status"));
            if spec.containers.is_some() {
                Ok(Kind::Pod)
            } else if status.allocatable.is_some()
                || status.capacity.is_some()
                || spec.taints.is_some()
                || spec.unschedulable.is_some()
            {
                Ok(Kind::Node)
            } else {
                Err("an object without `kind`")
            }
        }
    };
    match kind {
        Ok(Kind::Pod) => out.pods.push(read_fields(fields, path)?),
        Ok(Kind::Node) => out.nodes.push(read_fields(fields, path)?),
        Ok(Kind::Namespace) => out.namespaces.push(read_fields(fields, path)?),
        Ok(Kind::PodDisruptionBudget) => {
            out.pod_disruption_budgets.push(read_fields(fields, path)?)
        }
        Ok(Kind::PriorityClass) => out.priority_classes.push(read_fields(fields, path)?),
        Ok(Kind::Service) => out.services.push(read_fields(fields, path)?),
        Ok(Kind::ReplicaSet) => out.replica_sets.push(read_fields(fields, path)?),
        Err(kind) => {
            let name = field(fields, "metadata")
                .and_then(|m| serde_json::from_str::<NameProbe>(m.get()).ok())
                .and_then(|m| m.name)
                .unwrap_or_default();
            let label = if path.is_empty() { "document" } else { path };
            out.ignored
                .push(format!("{label} ({kind} {name})").replace(" )", ")"));
        }
    }
    Ok(())
}

/// `T` from an object's raw top-level fields; an error names the path.
fn read_fields<T: DeserializeOwned>(fields: &RawFields<'_>, path: &str) -> Result<T, ModelError> {
    let map = || {
        sde::value::MapDeserializer::<_, serde_json::Error>::new(
            fields.iter().map(|(k, v)| (k.as_str(), *v)),
        )
    };
    T::deserialize(map()).map_err(
        |first| match serde_path_to_error::deserialize::<_, T>(map()) {
            Err(e) => ModelError::field(
                &de::join_path(path, &de::path_text(e.path())),
                de::json_message(e.inner()),
            ),
            Ok(_) => ModelError::field(path, de::json_message(&first)),
        },
    )
}
