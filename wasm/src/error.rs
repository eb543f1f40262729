//! The error convention: every failure reaches JavaScript as a thrown `Error`.
//!
//! A [`BindingError`] becomes a JS `Error` whose `name` is `KubelogicError`,
//! whose `message` is the core's own message, and whose `path` property names
//! the input field at fault (`"a"`, `"pod.spec.containers[0].resources"`, or
//! `""` when the failure concerns no single field). Core errors with more to
//! say add properties, e.g. a quantity error's `kind` and byte `offset`.
//! Entry points return `Result<T, JsValue>` and build the error with
//! [`IntoBindingError::at`] on the core error.

use std::fmt;

use wasm_bindgen::prelude::*;

/// The `name` of every error the bindings throw.
pub const ERROR_NAME: &str = "KubelogicError";

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &'static str = r#"
/** What every kubelogic function throws: a JS `Error` with the core's message. */
export interface KubelogicError extends Error {
  name: "KubelogicError";
  /** The input field at fault, e.g. `"b"`; `""` when no single field is. */
  path: string;
  /** The kind of core error, e.g. `"Suffix"`, when the core gives one. */
  kind?: string;
  /** The byte offset in the field's text, when the core gives one. */
  offset?: number;
}
"#;

/// An error on its way to JavaScript: the core's message, the field path, and
/// optional extra properties.
#[derive(Clone, Debug, PartialEq)]
pub struct BindingError {
    message: String,
    path: String,
    kind: Option<String>,
    offset: Option<usize>,
}

impl BindingError {
    /// An error with `message` about the input field at `path`.
    pub fn new(message: impl Into<String>, path: impl Into<String>) -> Self {
        BindingError {
            message: message.into(),
            path: path.into(),
            kind: None,
            offset: None,
        }
    }

    /// Adds the kind of core error (thrown as the `kind` property).
    pub fn with_kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }

    /// Adds a byte offset into the field's text (thrown as `offset`).
    pub fn with_offset(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The core's message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The input field at fault.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl From<BindingError> for JsValue {
    fn from(e: BindingError) -> JsValue {
        let error = js_sys::Error::new(&e.message);
        error.set_name(ERROR_NAME);
        // Setting a data property on a fresh, extensible Error cannot fail.
        let set = |key: &str, value: JsValue| {
            let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
        };
        set("path", JsValue::from_str(&e.path));
        if let Some(kind) = &e.kind {
            set("kind", JsValue::from_str(kind));
        }
        if let Some(offset) = e.offset {
            // Offsets are string positions: far below 2^53.
            set("offset", JsValue::from_f64(offset as f64));
        }
        error.into()
    }
}

/// Turns a core error into a [`BindingError`] about the field at `path`.
pub trait IntoBindingError {
    /// The error, located at the input field `path`.
    fn at(&self, path: &str) -> BindingError;
}

impl IntoBindingError for kubelogic::QuantityError {
    fn at(&self, path: &str) -> BindingError {
        BindingError::new(self.to_string(), path)
            .with_kind(format!("{:?}", self.kind()))
            .with_offset(self.offset())
    }
}
