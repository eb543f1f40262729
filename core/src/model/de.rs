//! How the model is read: serde derive, straight from the text, one pass.
//!
//! Every model type derives `Deserialize` (a field is declared once, with
//! its serde attributes); this module holds what the derives share:
//!
//! - [`nullable`]: `null` reads as the field's default, as Go's
//!   `encoding/json` leaves a non-pointer field untouched on `null`
//!   (an `Option` field reads `null` as `None` by itself);
//! - [`empty_as_none`]: an enum that Kubernetes defaults when empty
//!   (`operator: ""`) is absent;
//! - the error path: a document is first read without any bookkeeping; only
//!   when that fails is it read once more through [`serde_path_to_error`],
//!   which names the field path of the failure
//!   (`items[3].spec.containers[0].resources.requests.memory`). Reading
//!   stays as fast as serde_json's own derive on good input.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer};

use super::ModelError;

/// `null` (or an absent field, with `#[serde(default)]`) is the default.
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// `null` and `""` are `None`; any other string is the enum's variant.
pub(crate) fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => T::deserialize(de::value::StringDeserializer::<D::Error>::new(s)).map(Some),
    }
}

/// A field path as the errors print it: `spec.containers[0].name` (empty
/// for the document itself).
pub(crate) fn path_text(path: &serde_path_to_error::Path) -> String {
    if path.iter().next().is_none() {
        String::new()
    } else {
        path.to_string()
    }
}

/// `outer` joined with an inner path: `items[3]` + `spec.x` is
/// `items[3].spec.x`; `items` + `[3]` is `items[3]`.
pub(crate) fn join_path(outer: &str, inner: &str) -> String {
    match (outer.is_empty(), inner.is_empty()) {
        (true, _) => inner.to_owned(),
        (false, true) => outer.to_owned(),
        (false, false) if inner.starts_with('[') => format!("{outer}{inner}"),
        (false, false) => format!("{outer}.{inner}"),
    }
}

/// serde_json's message without its ` at line L column C` suffix (the
/// position is reported on its own, or is the position inside a part of
/// the document).
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if e.line() == 0 {
        return text;
    }
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&suffix) {
        Some(m) => m.to_owned(),
        None => text,
    }
}

/// The error of a JSON text that did not read as `T`, found at `outer`
/// inside the document: a syntax error with its position, or a field error
/// with the path that the tracking pass finds.
pub(crate) fn json_error<T: DeserializeOwned>(
    text: &str,
    outer: &str,
    first: serde_json::Error,
) -> ModelError {
    if !first.is_data() {
        return ModelError::Syntax {
            line: first.line(),
            column: first.column(),
            message: json_message(&first),
        };
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let tracked = serde_path_to_error::deserialize::<_, T>(&mut de);
    match tracked {
        Err(e) => ModelError::Field {
            path: join_path(outer, &path_text(e.path())),
            message: json_message(e.inner()),
        },
        // Not reached: both passes read the same text with the same derive.
        Ok(_) => ModelError::Field {
            path: outer.to_owned(),
            message: json_message(&first),
        },
    }
}

/// Reads `T` from any serde deserializer (a JS value in the browser
/// bindings, a YAML document in a caller's code), naming the field path on
/// error. One tracked pass: for deserializers whose input cannot be read
/// twice.
pub fn from_deserializer<'de, T, D>(d: D) -> Result<T, ModelError>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
    D::Error: fmt::Display,
{
    serde_path_to_error::deserialize(d).map_err(|e| ModelError::Field {
        path: path_text(e.path()),
        message: e.inner().to_string(),
    })
}
