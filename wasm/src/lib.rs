//! WebAssembly bindings of `kubelogic`: DTOs and conversions only.
#![forbid(unsafe_code)]

use wasm_bindgen::prelude::*;

/// The canonical form of a quantity, as Kubernetes prints it.
#[wasm_bindgen(js_name = canonicalQuantity)]
pub fn canonical_quantity(input: &str) -> Result<String, JsError> {
    let q: kubelogic::Quantity = input
        .parse()
        .map_err(|e: kubelogic::QuantityError| JsError::new(&e.to_string()))?;
    Ok(q.to_string())
}
