//! JavaScript values to the core's input types, one way for every entry point.
//!
//! Every input (a Kubernetes object, a cluster dump, an options object) is
//! read as JSON text by the core's serde derives, the path every Rust caller
//! takes: a string is JSON text as the user pasted it; any other JS value is
//! turned into JSON text by the engine's own `JSON.stringify` first (so
//! `undefined` properties are absent, as in JSON). A bad field is reported
//! with its full path (`cluster.items[3].status.allocatable.memory`), a syntax
//! error with its line and column. No reader of the bindings' own.

use kubelogic::model::{self, ModelError};
use kubelogic::{FeatureGates, KubernetesVersion, Quantity, SortedMap};
use serde::de::{self, DeserializeOwned, Deserializer};
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::error::{BindingError, IntoBindingError};

impl IntoBindingError for ModelError {
    fn at(&self, path: &str) -> BindingError {
        match self {
            ModelError::Field { path: p, message } => {
                BindingError::new(message.clone(), join(path, p))
            }
            other => BindingError::new(other.to_string(), path),
        }
    }
}

/// `path` joined with a field: `join("pod", "spec")` is `pod.spec`.
pub fn join(path: &str, field: &str) -> String {
    match (path.is_empty(), field.is_empty(), field.starts_with('[')) {
        (true, _, _) => field.to_owned(),
        (false, true, _) => path.to_owned(),
        (false, false, true) => format!("{path}{field}"),
        (false, false, false) => format!("{path}.{field}"),
    }
}

/// A JS value as JSON text: `JSON.stringify` of it (`undefined`: none).
fn stringify(value: &JsValue, path: &str) -> Result<Option<String>, BindingError> {
    if value.is_undefined() {
        return Ok(None);
    }
    let text = js_sys::JSON::stringify(value).map_err(|e| {
        let why = js_sys::Error::from(e).message();
        BindingError::new(format!("not JSON: {why}"), path)
    })?;
    Ok(text.as_string())
}

/// `value` without the named properties (a shallow copy): the options of a
/// call whose Kubernetes objects are read on their own, with their paths,
/// so that a whole cluster is not turned into text twice.
pub fn without(value: &JsValue, names: &[&str]) -> JsValue {
    if !value.is_object() {
        return value.clone();
    }
    let copy = js_sys::Object::assign(&js_sys::Object::new(), &js_sys::Object::from(value.clone()));
    for name in names {
        let _ = js_sys::Reflect::delete_property(&copy, &JsValue::from_str(name));
    }
    copy.into()
}

/// A Kubernetes object's JSON text: a string as it is, anything else through
/// `JSON.stringify`.
pub fn json_text(value: &JsValue, path: &str) -> Result<String, BindingError> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if value.is_null() {
        return Err(BindingError::new("a value is required", path));
    }
    stringify(value, path)?.ok_or_else(|| BindingError::new("a value is required", path))
}

/// A Kubernetes object (or any model type) read from a JS value.
pub fn object<T: DeserializeOwned>(value: &JsValue, path: &str) -> Result<T, BindingError> {
    let text = json_text(value, path)?;
    model::from_json_str(&text).map_err(|e| e.at(path))
}

/// An options object (a DTO of this crate); `undefined` or `null` gives the default.
pub fn options<T: DeserializeOwned + Default>(
    value: &JsValue,
    path: &str,
) -> Result<T, BindingError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    options_required(value, path)
}

/// An input object (a DTO of this crate) that must be given.
pub fn options_required<T: DeserializeOwned>(
    value: &JsValue,
    path: &str,
) -> Result<T, BindingError> {
    let text = stringify(value, path)?.unwrap_or_else(|| "null".to_owned());
    model::from_json_str(&text).map_err(|e| e.at(path))
}

/// A Kubernetes object inside an options object: the object itself or its
/// JSON text as a string (what the playground's editors hold).
#[derive(Clone, Debug, Default)]
pub struct KubernetesJson<T>(pub T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for KubernetesJson<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: DeserializeOwned> de::Visitor<'de> for V<T> {
            type Value = KubernetesJson<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object or its JSON text")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                model::from_json_str(text)
                    .map(KubernetesJson)
                    .map_err(|e| E::custom(format_args!("in the JSON text: {e}")))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(KubernetesJson)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Feature gate overrides (`{"PodLevelResources": false}`) on the default
/// gates of `version` (absent: current upstream).
pub fn feature_gates(
    overrides: &SortedMap<String, bool>,
    version: Option<KubernetesVersion>,
    path: &str,
) -> Result<FeatureGates, BindingError> {
    let mut gates = FeatureGates::for_version(version.unwrap_or_default());
    for (name, on) in overrides.iter() {
        gates
            .set(name, *on)
            .map_err(|e| BindingError::new(e.to_string(), path))?;
    }
    Ok(gates)
}

/// An amount given as a number (bytes, count) or a quantity string (`"1Gi"`).
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    /// A plain number.
    Number(f64),
    /// A quantity string.
    Text(String),
}

impl Amount {
    /// The amount as an integer (`Quantity.Value()`, rounded up).
    pub fn value(&self, path: &str) -> Result<i64, BindingError> {
        match self {
            Amount::Number(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 => {
                // Exact: an integer below 2^53.
                #[allow(clippy::cast_possible_truncation)]
                Ok(*n as i64)
            }
            Amount::Number(n) => Err(BindingError::new(
                format!(
                    "expected a whole number of units below 2^53 or a quantity string, got {n}"
                ),
                path,
            )),
            Amount::Text(s) => {
                let q = Quantity::parse(s).map_err(|e| e.at(path))?;
                q.value()
                    .ok_or_else(|| BindingError::new(format!("{s} does not fit in an int64"), path))
            }
        }
    }
}

/// An amount read from a JS value.
pub fn amount(value: &JsValue, path: &str) -> Result<i64, BindingError> {
    let a: Amount = options_required(value, path).map_err(|_| {
        BindingError::new(
            "expected a number or a quantity string such as \"8Gi\"",
            path,
        )
    })?;
    a.value(path)
}
