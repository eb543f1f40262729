//! Rust values to JavaScript values, one way for every entry point.

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::error::BindingError;

/// Converts a DTO into a plain JavaScript value with `serde-wasm-bindgen`'s
/// JSON-compatible serializer: maps become plain objects (not `Map`), `None`
/// becomes `null`, and the result survives `JSON.stringify`.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| BindingError::new(e.to_string(), "").into())
}
