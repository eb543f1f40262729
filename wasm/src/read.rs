//! Options objects read straight from JS values, without serde.
//!
//! The bindings' option types (`ScheduleOptions`, `EvictionStepInput`, ...)
//! are read by hand with [`FromJs`], one short reader per type over the
//! non-generic helpers here. The helpers do what serde-wasm-bindgen's
//! `Deserializer` does for a serde derive, step by step, so the accepted
//! values, the defaults and the error text are those of the derives they
//! replace:
//!
//! - a struct is any JS object; its fields are read in declaration order,
//!   by name (other properties are never looked at); a field whose value is
//!   `undefined` and that is not an own or inherited property is absent;
//! - `null` and `undefined` are `None`; numbers are safe integers or `f64`s;
//! - an error reads as serde-wasm-bindgen's thrown `Error` converted to text
//!   (`Error: invalid type: floating point `1.5`, expected u32`).
//!
//! Each reader is a few calls to these helpers: the browser build carries
//! one copy of them instead of one serde visitor per type and deserializer.

use std::collections::BTreeMap;

use js_sys::{Array, ArrayBuffer, Number, Object, Reflect, Uint8Array};
use kubelogic::float_text;
use serde::de::{self, Expected, Unexpected};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The text of a reading error, as serde-wasm-bindgen's errors print.
pub type ReadError = String;

/// A value read from a JS value by hand (see the module docs).
pub trait FromJs: Sized {
    /// Reads `Self` from `v`.
    fn from_js(v: &JsValue) -> Result<Self, ReadError>;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = String)]
    fn js_string(value: &JsValue) -> String;
}

/// A serde error as serde-wasm-bindgen throws it: a JS `Error`, printed.
#[inline(never)]
fn serde_error(e: &de::value::Error) -> ReadError {
    format!("Error: {e}")
}

/// An exception thrown by JS while reading (a getter, an iterator), printed.
#[inline(never)]
fn thrown(e: &JsValue) -> ReadError {
    js_string(e)
}

/// serde's `invalid type` error, the value printed by
/// [`float_text::unexpected`] (no `f64` `Display` in the bundle).
#[inline(never)]
fn invalid_type_error(unexp: Unexpected<'_>, exp: &dyn Expected) -> ReadError {
    let unexp = float_text::unexpected(unexp);
    custom(&format!("invalid type: {unexp}, expected {exp}"))
}

/// serde's `invalid value` error, the value printed by
/// [`float_text::unexpected`].
#[inline(never)]
fn invalid_value_error(unexp: Unexpected<'_>, exp: &dyn Expected) -> ReadError {
    let unexp = float_text::unexpected(unexp);
    custom(&format!("invalid value: {unexp}, expected {exp}"))
}

/// A custom error message.
#[inline(never)]
pub fn custom(message: &str) -> ReadError {
    serde_error(&de::Error::custom(message))
}

/// serde's `missing field` error.
#[inline(never)]
pub fn missing_field(name: &'static str) -> ReadError {
    serde_error(&de::Error::missing_field(name))
}

/// Whether `v` is `null` or `undefined`.
pub fn is_nullish(v: &JsValue) -> bool {
    v.loose_eq(&JsValue::NULL)
}

/// serde's `invalid type` error for `v`, which serde-wasm-bindgen describes
/// as unit (nullish), a boolean, a floating point number, a string, bytes,
/// or the value's debug text.
#[inline(never)]
pub fn invalid_type(v: &JsValue, expected: &dyn Expected) -> ReadError {
    let text;
    let bytes;
    let unexpected = if is_nullish(v) {
        Unexpected::Unit
    } else if let Some(b) = v.as_bool() {
        Unexpected::Bool(b)
    } else if let Some(f) = v.as_f64() {
        Unexpected::Float(f)
    } else if let Some(s) = v.as_string() {
        text = s;
        Unexpected::Str(&text)
    } else if let Some(b) = as_bytes(v) {
        bytes = b;
        Unexpected::Bytes(&bytes)
    } else {
        text = format!("{v:?}");
        Unexpected::Other(&text)
    };
    invalid_type_error(unexpected, expected)
}

fn as_bytes(v: &JsValue) -> Option<Vec<u8>> {
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        Some(a.to_vec())
    } else {
        v.dyn_ref::<ArrayBuffer>()
            .map(|b| Uint8Array::new(b).to_vec())
    }
}

/// `v` as a struct: any JS object.
#[inline(never)]
pub fn object<'a>(v: &'a JsValue, expected: &str) -> Result<&'a JsValue, ReadError> {
    if v.is_object() {
        Ok(v)
    } else {
        Err(invalid_type(v, &expected))
    }
}

/// The field `name` of an object, `None` when absent.
#[inline(never)]
pub fn field(obj: &JsValue, name: &str) -> Option<JsValue> {
    let key = JsValue::from_str(name);
    let value = Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() && !key.js_in(obj) {
        None
    } else {
        Some(value)
    }
}

/// Reads the field `name` of an object into `slot` when present (a serde
/// derive's field with a default, or an `Option`).
pub fn set<T: FromJs>(obj: &JsValue, name: &str, slot: &mut T) -> Result<(), ReadError> {
    if let Some(v) = field(obj, name) {
        *slot = T::from_js(&v)?;
    }
    Ok(())
}

/// Reads the required field `name` of an object, `None` when absent (the
/// caller reports [`missing_field`] after reading the others, as serde does).
pub fn required<T: FromJs>(obj: &JsValue, name: &str) -> Result<Option<T>, ReadError> {
    field(obj, name).map(|v| T::from_js(&v)).transpose()
}

/// A string (a JS string only).
#[inline(never)]
pub fn string(v: &JsValue, expected: &str) -> Result<String, ReadError> {
    v.as_string().ok_or_else(|| invalid_type(v, &expected))
}

impl FromJs for String {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        string(v, "a string")
    }
}

impl FromJs for bool {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        v.as_bool().ok_or_else(|| invalid_type(v, &"a boolean"))
    }
}

impl FromJs for f64 {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        v.as_f64().ok_or_else(|| invalid_type(v, &"f64"))
    }
}

fn safe_integer(v: &JsValue) -> Option<i64> {
    if Number::is_safe_integer(v) {
        // A safe integer is exact in an i64.
        #[allow(clippy::cast_possible_truncation)]
        v.as_f64().map(|f| f as i64)
    } else {
        None
    }
}

/// An unsigned integer up to `max`, as serde-wasm-bindgen reads one: a
/// non-negative safe integer (anything else is an invalid type).
#[inline(never)]
fn unsigned(v: &JsValue, max: u64, expected: &str) -> Result<u64, ReadError> {
    match safe_integer(v).and_then(|i| u64::try_from(i).ok()) {
        Some(u) if u <= max => Ok(u),
        Some(u) => Err(invalid_value_error(Unexpected::Unsigned(u), &expected)),
        None => Err(invalid_type(v, &expected)),
    }
}

impl FromJs for u32 {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let u = unsigned(v, u32::MAX.into(), "u32")?;
        u32::try_from(u).map_err(|_| custom("out of range for u32"))
    }
}

impl FromJs for u64 {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        if v.is_bigint() {
            return u64::try_from(v.clone()).map_err(|_| {
                custom("Couldn't deserialize u64 from a BigInt outside u64::MIN..u64::MAX bounds")
            });
        }
        unsigned(v, u64::MAX, "u64")
    }
}

impl FromJs for i32 {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        match safe_integer(v) {
            Some(i) => {
                i32::try_from(i).map_err(|_| invalid_value_error(Unexpected::Signed(i), &"i32"))
            }
            None => Err(invalid_type(v, &"i32")),
        }
    }
}

impl FromJs for Value {
    /// Any JSON-compatible value, as serde-wasm-bindgen converts it into a
    /// `serde_json::Value`: `null` and `undefined` are null, safe integers
    /// are integers and other numbers floats (NaN and infinities null),
    /// arrays and iterables are lists, plain objects and `Map`s are objects
    /// (string keys only); binary arrays, functions and symbols are errors.
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        if is_nullish(v) {
            return Ok(Value::Null);
        }
        if let Some(b) = v.as_bool() {
            return Ok(Value::Bool(b));
        }
        if v.is_bigint() {
            if let Ok(i) = i64::try_from(v.clone()) {
                return Ok(Value::from(i));
            }
            return u64::try_from(v.clone()).map(Value::from).map_err(|_| {
                custom(
                    "Couldn't deserialize i64 or u64 from a BigInt outside i64::MIN..u64::MAX bounds",
                )
            });
        }
        if let Some(f) = v.as_f64() {
            return Ok(match safe_integer(v) {
                Some(i) => Value::from(i),
                None => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            });
        }
        if let Some(s) = v.as_string() {
            return Ok(Value::String(s));
        }
        if Array::is_array(v) {
            let mut items = Vec::new();
            for_each_element(v, &mut |e| {
                items.push(Value::from_js(e)?);
                Ok(())
            })?;
            return Ok(Value::Array(items));
        }
        if let Some(bytes) = as_bytes(v) {
            return Err(invalid_type_error(
                Unexpected::Bytes(&bytes),
                &"any valid JSON value",
            ));
        }
        if v.is_object() && (!js_sys::Symbol::iterator().js_in(v) || v.has_type::<js_sys::Map>()) {
            let mut map = serde_json::Map::new();
            // serde_json reads the first key as "a string key", the others
            // as "a string".
            let mut expected = "a string key";
            for_each_pair(v, "a map", &mut |key, value| {
                let key = string(&key, expected)?;
                expected = "a string";
                map.insert(key, Value::from_js(&value)?);
                Ok(())
            })?;
            return Ok(Value::Object(map));
        }
        Err(invalid_type(v, &"any valid JSON value"))
    }
}

impl<T: FromJs> FromJs for Option<T> {
    /// `null` and `undefined` are `None`.
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        if is_nullish(v) {
            Ok(None)
        } else {
            T::from_js(v).map(Some)
        }
    }
}

/// Calls `f` on each element of a JS array or iterable.
#[inline(never)]
pub fn for_each_element(
    v: &JsValue,
    f: &mut dyn FnMut(&JsValue) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    if let Some(array) = v.dyn_ref::<Array>() {
        for e in array.iter() {
            f(&e)?;
        }
        return Ok(());
    }
    match js_sys::try_iter(v).map_err(|e| thrown(&e))? {
        Some(iter) => {
            for e in iter {
                f(&e.map_err(|e| thrown(&e))?)?;
            }
            Ok(())
        }
        None => Err(invalid_type(v, &"a sequence")),
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let mut out = Vec::new();
        for_each_element(v, &mut |e| {
            out.push(T::from_js(e)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// Calls `f` on each `[key, value]` pair of a JS `Map` (or other iterable
/// of pairs) or each entry of a plain object, as serde-wasm-bindgen's
/// `deserialize_map` visits them.
#[inline(never)]
pub fn for_each_pair(
    v: &JsValue,
    expected: &str,
    f: &mut dyn FnMut(JsValue, JsValue) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let mut pair = |pair: JsValue| -> Result<(), ReadError> {
        let pair = pair.unchecked_into::<Array>();
        f(pair.get(0), pair.get(1))
    };
    match js_sys::try_iter(v).map_err(|e| thrown(&e))? {
        Some(iter) => {
            for item in iter {
                pair(item.map_err(|e| thrown(&e))?)?;
            }
        }
        None if v.is_object() => {
            for entry in Object::entries(v.unchecked_ref()).iter() {
                pair(entry)?;
            }
        }
        None => return Err(invalid_type(v, &expected)),
    }
    Ok(())
}

/// Calls `f` on each entry of a JS `Map` or a plain object, with the key
/// read as a string named `key_expected`.
pub fn for_each_entry(
    v: &JsValue,
    expected: &str,
    key_expected: &str,
    f: &mut dyn FnMut(String, &JsValue) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    for_each_pair(v, expected, &mut |key, value| {
        f(string(&key, key_expected)?, &value)
    })
}

impl<T: FromJs> FromJs for BTreeMap<String, T> {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let mut out = BTreeMap::new();
        for_each_entry(v, "a map", "a string", &mut |k, item| {
            out.insert(k, T::from_js(item)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// Checks that serde can buffer `v` as content (what an untagged enum or a
/// flattened struct does first): serde-wasm-bindgen's `deserialize_any`
/// takes JSON-like values, binary arrays, bigints within 64 bits and `Map`s,
/// and rejects functions, symbols and other iterables.
#[inline(never)]
pub fn content(v: &JsValue) -> Result<(), ReadError> {
    if is_nullish(v) || v.as_bool().is_some() {
        return Ok(());
    }
    if v.is_bigint() {
        return if i64::try_from(v.clone()).is_ok() || u64::try_from(v.clone()).is_ok() {
            Ok(())
        } else {
            Err(custom(
                "Couldn't deserialize i64 or u64 from a BigInt outside i64::MIN..u64::MAX bounds",
            ))
        };
    }
    if v.as_f64().is_some() || v.is_string() {
        return Ok(());
    }
    if Array::is_array(v) {
        return for_each_element(v, &mut |e| content(e));
    }
    if as_bytes(v).is_some() {
        return Ok(());
    }
    if v.is_object() && (!js_sys::Symbol::iterator().js_in(v) || v.has_type::<js_sys::Map>()) {
        return for_each_pair(v, "any value", &mut |k, e| {
            content(&k)?;
            content(&e)
        });
    }
    Err(invalid_type(v, &"any value"))
}

/// A string read from buffered content: a JS string, or a binary array of
/// UTF-8 (serde buffers it as bytes, which a `String` takes).
pub fn content_string(v: &JsValue) -> Option<String> {
    v.as_string()
        .or_else(|| as_bytes(v).and_then(|b| String::from_utf8(b).ok()))
}

/// An `Option<u64>` read from a value that serde first buffered as content
/// (the fields of a `#[serde(flatten)]` struct): integers keep their sign
/// (`invalid value: integer `-1``), other kinds are named as serde names
/// content.
#[inline(never)]
pub fn content_u64(v: &JsValue) -> Result<Option<u64>, ReadError> {
    let text;
    let unexpected = if is_nullish(v) {
        return Ok(None);
    } else if let Some(b) = v.as_bool() {
        Unexpected::Bool(b)
    } else if v.is_bigint() {
        if let Ok(u) = u64::try_from(v.clone()) {
            return Ok(Some(u));
        }
        match i64::try_from(v.clone()) {
            Ok(i) => Unexpected::Signed(i),
            Err(_) => return Err(custom(
                "Couldn't deserialize i64 or u64 from a BigInt outside i64::MIN..u64::MAX bounds",
            )),
        }
    } else if let Some(f) = v.as_f64() {
        match safe_integer(v) {
            Some(i) => match u64::try_from(i) {
                Ok(u) => return Ok(Some(u)),
                Err(_) => return Err(invalid_value_error(Unexpected::Signed(i), &"u64")),
            },
            None => Unexpected::Float(f),
        }
    } else if let Some(s) = v.as_string() {
        text = s;
        Unexpected::Str(&text)
    } else if Array::is_array(v) {
        Unexpected::Seq
    } else if as_bytes(v).is_some() {
        Unexpected::Bytes(&[])
    } else if v.is_object() {
        Unexpected::Map
    } else {
        return Err(invalid_type(v, &"any value"));
    };
    Err(invalid_type_error(unexpected, &"u64"))
}

/// A small string-keyed map read from a JS object (feature gates,
/// observations): [`kubelogic::SortedMap`], the entries sorted by key with
/// the last value of a key kept, as a `BTreeMap<String, T>` holds them,
/// without a B-tree instantiated for each `T`.
pub type SortedMap<T> = kubelogic::SortedMap<String, T>;

impl<T: FromJs> FromJs for SortedMap<T> {
    /// As serde reads a `BTreeMap<String, T>`.
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let mut out = SortedMap::new();
        for_each_entry(v, "a map", "a string", &mut |k, item| {
            out.insert(k, T::from_js(item)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// The variant name of a unit-only enum, as serde-wasm-bindgen reads an
/// enum: a string, or an object with exactly one property whose value is
/// `null` or `undefined`. Returns an index into `variants`.
#[inline(never)]
pub fn unit_variant(
    v: &JsValue,
    expected: &str,
    variants: &'static [&'static str],
) -> Result<usize, ReadError> {
    let (tag, payload) = if v.is_string() {
        (v.clone(), JsValue::UNDEFINED)
    } else if v.is_object() {
        let entries = Object::entries(v.unchecked_ref());
        if entries.length() != 1 {
            return Err(serde_error(&de::Error::invalid_length(
                entries.length() as usize,
                &"1",
            )));
        }
        let pair = entries.get(0).unchecked_into::<Array>();
        (pair.get(0), pair.get(1))
    } else {
        return Err(invalid_type(v, &expected));
    };
    let name = string(&tag, "variant identifier")?;
    let index = variants
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| serde_error(&de::Error::unknown_variant(&name, variants)))?;
    if is_nullish(&payload) {
        Ok(index)
    } else {
        Err(invalid_type(&payload, &"unit"))
    }
}

/// A number or a string, as an untagged enum of `f64` and `String` reads
/// one (`name` names the enum in the error).
#[derive(Clone, Debug, PartialEq)]
pub enum NumberOrText {
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
}

impl NumberOrText {
    /// Reads `v`; anything else is `data did not match any variant of
    /// untagged enum {name}`.
    #[inline(never)]
    pub fn read(v: &JsValue, name: &str) -> Result<Self, ReadError> {
        content(v)?;
        if let Some(f) = v.as_f64() {
            return Ok(NumberOrText::Number(f));
        }
        if let Some(text) = content_string(v) {
            return Ok(NumberOrText::Text(text));
        }
        if v.is_bigint() {
            #[allow(clippy::cast_precision_loss)]
            if let Ok(i) = i64::try_from(v.clone()) {
                return Ok(NumberOrText::Number(i as f64));
            }
            #[allow(clippy::cast_precision_loss)]
            if let Ok(u) = u64::try_from(v.clone()) {
                return Ok(NumberOrText::Number(u as f64));
            }
        }
        Err(custom(&format!(
            "data did not match any variant of untagged enum {name}"
        )))
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
#[path = "read_tests.rs"]
mod tests;
