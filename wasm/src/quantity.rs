//! Resource quantities: parse, canonical form, values, add, subtract, compare.
//!
//! `value` and `milliValue` are returned as decimal strings, not numbers: they
//! are 64-bit integers and a JS number is exact only up to 2^53, so
//! `"9223372036854775807"` would silently turn into `9223372036854775808`.
//! `BigInt(info.value)` gives the exact integer; `Number(info.value)` is fine
//! for display. Both are `null` when the quantity does not fit in an i64.

use kubelogic::Quantity;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::error::{BindingError, IntoBindingError};

#[wasm_bindgen(typescript_custom_section)]
const TS_QUANTITY: &'static str = r#"
/** How a quantity prints: `12M` (DecimalSI), `12Mi` (BinarySI), `12e6` (DecimalExponent). */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** A parsed resource quantity, as Kubernetes sees it. */
export interface QuantityInfo {
  /** The canonical form, as Kubernetes prints it (`1.5Gi` -> `1536Mi`). */
  canonical: string;
  /** The format that parsing assigned. */
  format: QuantityFormat;
  /** The value rounded away from zero to an integer, as a decimal string
   *  (exact; use `BigInt(value)`), or `null` when it does not fit in an int64. */
  value: string | null;
  /** The value times 1000, rounded away from zero, as a decimal string, or
   *  `null` when it does not fit in an int64. */
  milliValue: string | null;
}
"#;

/// A quantity as JavaScript sees it (the `QuantityInfo` interface).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuantityInfo {
    /// The canonical string (`Quantity`'s `Display`).
    pub canonical: String,
    /// `DecimalSI`, `BinarySI` or `DecimalExponent`.
    pub format: &'static str,
    /// `value()` as a decimal string.
    pub value: Option<String>,
    /// `milli_value()` as a decimal string.
    pub milli_value: Option<String>,
}

impl From<&Quantity> for QuantityInfo {
    fn from(q: &Quantity) -> Self {
        QuantityInfo {
            canonical: q.to_string(),
            format: q.format().as_str(),
            value: q.value().map(|v| v.to_string()),
            milli_value: q.milli_value().map(|v| v.to_string()),
        }
    }
}

fn parse_at(input: &str, path: &str) -> Result<Quantity, BindingError> {
    Quantity::parse(input).map_err(|e| e.at(path))
}

/// Parses a quantity with Kubernetes' strict parser (`resource.ParseQuantity`).
#[wasm_bindgen(
    js_name = parseQuantity,
    unchecked_return_type = "QuantityInfo",
    return_description = "the canonical form, format and values; throws a `KubelogicError` (path `\"quantity\"`) when the string is not a quantity"
)]
pub fn parse_quantity(
    #[wasm_bindgen(param_description = "a quantity string, e.g. `\"1.5Gi\"`")] quantity: &str,
) -> Result<JsValue, JsValue> {
    let q = parse_at(quantity, "quantity")?;
    to_js(&QuantityInfo::from(&q))
}

/// `a + b`, with Kubernetes' rule for the result's format.
#[wasm_bindgen(
    js_name = addQuantities,
    unchecked_return_type = "QuantityInfo",
    return_description = "the sum; throws a `KubelogicError` whose path is `\"a\"` or `\"b\"` for an operand that does not parse"
)]
pub fn add_quantities(a: &str, b: &str) -> Result<JsValue, JsValue> {
    let (a, b) = (parse_at(a, "a")?, parse_at(b, "b")?);
    let sum = a
        .checked_add(&b)
        .ok_or_else(|| BindingError::new("a + b is out of the quantity range", ""))?;
    to_js(&QuantityInfo::from(&sum))
}

/// `a - b`, with Kubernetes' rule for the result's format.
#[wasm_bindgen(
    js_name = subQuantities,
    unchecked_return_type = "QuantityInfo",
    return_description = "the difference; throws a `KubelogicError` whose path is `\"a\"` or `\"b\"` for an operand that does not parse"
)]
pub fn sub_quantities(a: &str, b: &str) -> Result<JsValue, JsValue> {
    let (a, b) = (parse_at(a, "a")?, parse_at(b, "b")?);
    let difference = a
        .checked_sub(&b)
        .ok_or_else(|| BindingError::new("a - b is out of the quantity range", ""))?;
    to_js(&QuantityInfo::from(&difference))
}

/// Compares two quantities by value (`Quantity.Cmp`).
#[wasm_bindgen(
    js_name = compareQuantities,
    unchecked_return_type = "-1 | 0 | 1",
    return_description = "-1, 0 or 1 as `a` is less than, equal to or greater than `b`"
)]
pub fn compare_quantities(a: &str, b: &str) -> Result<i32, JsValue> {
    let (a, b) = (parse_at(a, "a")?, parse_at(b, "b")?);
    Ok(a.cmp(&b) as i32)
}
