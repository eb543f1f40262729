//! JavaScript values to the core's input types, one way for every entry point.
//!
//! Kubernetes objects arrive either as JSON text (what a user pasted: parsed
//! in Rust, so syntax errors carry a line and column) or as plain JS objects.
//! Both go through [`kubelogic::model`]'s readers, so a bad field is reported
//! with its full path (`cluster.items[3].status.allocatable.memory`).

use kubelogic::model::{self, ModelError};
use kubelogic::{float_text, FeatureGates, Quantity};
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::error::{BindingError, IntoBindingError};
use crate::read::{FromJs, NumberOrText, ReadError, SortedMap};

impl IntoBindingError for ModelError {
    fn at(&self, path: &str) -> BindingError {
        match self {
            ModelError::Field { path: p, message } => {
                BindingError::new(message.clone(), if p.is_empty() { path } else { p })
            }
            other => BindingError::new(other.to_string(), path),
        }
    }
}

/// `path` joined with a field: `join("pod", "spec")` is `pod.spec`.
pub fn join(path: &str, field: &str) -> String {
    match (path.is_empty(), field.starts_with('[')) {
        (true, _) => field.to_owned(),
        (false, true) => format!("{path}{field}"),
        (false, false) => format!("{path}.{field}"),
    }
}

/// A JS value as JSON: a string is parsed as JSON text, anything else is
/// converted as it is.
pub fn json(value: &JsValue, path: &str) -> Result<Value, BindingError> {
    if let Some(text) = value.as_string() {
        return serde_json::from_str(&text).map_err(|e| ModelError::from(e).at(path));
    }
    if value.is_undefined() || value.is_null() {
        return Err(BindingError::new("a value is required", path));
    }
    Value::from_js(value).map_err(|e| BindingError::new(e, path))
}

/// A Kubernetes object (or any model type) read from a JS value.
pub fn object<T: model::FromJson>(value: &JsValue, path: &str) -> Result<T, BindingError> {
    let v = json(value, path)?;
    model::from_value_at(&v, path).map_err(|e| e.at(path))
}

/// A Kubernetes object read from a JSON value found at `path`.
pub fn object_at<T: model::FromJson>(value: &Value, path: &str) -> Result<T, BindingError> {
    model::from_value_at(value, path).map_err(|e| e.at(path))
}

/// An options object (a DTO of this crate); `undefined` or `null` gives the default.
pub fn options<T: FromJs + Default>(value: &JsValue, path: &str) -> Result<T, BindingError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    T::from_js(value).map_err(|e| BindingError::new(e, path))
}

/// Feature gate overrides (`{"PodLevelResources": false}`) on the v1.35 defaults.
pub fn feature_gates(
    overrides: &SortedMap<bool>,
    path: &str,
) -> Result<FeatureGates, BindingError> {
    let mut gates = FeatureGates::default();
    for (name, on) in overrides.iter() {
        gates
            .set(name, *on)
            .map_err(|e| BindingError::new(e.to_string(), path))?;
    }
    Ok(gates)
}

/// An amount given as a number (bytes, count) or a quantity string (`"1Gi"`).
#[derive(Clone, Debug)]
pub enum Amount {
    /// A plain number.
    Number(f64),
    /// A quantity string.
    Text(String),
}

impl FromJs for Amount {
    /// As an untagged enum: a number or a string.
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        Ok(match NumberOrText::read(v, "Amount")? {
            NumberOrText::Number(n) => Amount::Number(n),
            NumberOrText::Text(s) => Amount::Text(s),
        })
    }
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
                    "expected a whole number of units below 2^53 or a quantity string, got {}",
                    float_text::display(*n)
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
    let a = Amount::from_js(value).map_err(|_| {
        BindingError::new(
            "expected a number or a quantity string such as \"8Gi\"",
            path,
        )
    })?;
    a.value(path)
}

/// An input object (a DTO of this crate) that must be given.
pub fn options_required<T: FromJs>(value: &JsValue, path: &str) -> Result<T, BindingError> {
    T::from_js(value).map_err(|e| BindingError::new(e, path))
}
