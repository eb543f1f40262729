//! Deserialization that names the field path of every error.
//!
//! Manifests are first read into a [`serde_json::Value`]; this module then
//! reads the model types from that value with hand-written readers
//! ([`FromJson`]) that record where they are, so that a wrong type, a bad
//! quantity or an unknown operator is reported as
//! `spec.containers[0].resources.requests.memory: quantities must match ...`
//! instead of a line and column. The readers are small and non-generic (the
//! browser build pays for each serde visitor); configuration types that
//! still derive `Deserialize` go through [`ValueDe`], a deserializer over the
//! same value with the same error paths and wording.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Map, Number, Value};

use crate::float_text;
use crate::SortedMap;

/// An error with the field path where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// The field path, e.g. `spec.containers[0].resources.requests.cpu`
    /// (empty for the document itself).
    pub path: String,
    /// What went wrong there.
    pub message: String,
}

impl PathError {
    /// Names the offending value of an error raised at a scalar (a bad
    /// quantity, an unknown operator), unless the message already shows it.
    fn with_leaf_value(mut self, v: &Value) -> Self {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null | Value::Array(_) | Value::Object(_) => return self,
        };
        let shown = self.message.contains(&format!("`{text}`"))
            || self.message.contains(&format!("\"{text}\""))
            || self.message.ends_with(&format!(" {text}"));
        if self.path.is_empty() && !shown {
            self.message = format!("{} (value {})", self.message, json_text(v));
        }
        self
    }

    /// The error of the value `v` found at `segment`: one non-generic
    /// function for every element and field type.
    #[inline(never)]
    fn at(self, v: &Value, segment: &Segment<'_>) -> Self {
        self.with_leaf_value(v).prefixed(segment)
    }

    #[inline(never)]
    fn prefixed(mut self, segment: &Segment<'_>) -> Self {
        let mut path = match segment {
            Segment::Key(k) => (*k).to_owned(),
            Segment::Index(i) => format!("[{i}]"),
        };
        if !self.path.is_empty() {
            if !self.path.starts_with('[') {
                path.push('.');
            }
            path.push_str(&self.path);
        }
        self.path = path;
        self
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for PathError {}

impl de::Error for PathError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        PathError {
            path: String::new(),
            message: msg.to_string(),
        }
    }

    /// serde's text, with the value printed by [`float_text::unexpected`].
    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let unexp = float_text::unexpected(unexp);
        de::Error::custom(format_args!("invalid type: {unexp}, expected {exp}"))
    }

    /// serde's text, with the value printed by [`float_text::unexpected`].
    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let unexp = float_text::unexpected(unexp);
        de::Error::custom(format_args!("invalid value: {unexp}, expected {exp}"))
    }
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Deserializes `T` from a JSON value, naming the field path on error.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, PathError> {
    T::deserialize(ValueDe(value))
}

/// A deserializer over a borrowed [`Value`] that prefixes errors with paths.
#[derive(Clone, Copy, Debug)]
pub struct ValueDe<'a>(pub &'a Value);

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, PathError> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else if let Some(f) = n.as_f64() {
        visitor.visit_f64(f)
    } else {
        visitor.visit_string(n.to_string())
    }
}

/// The error a visitor's default `visit_*` method would return for `v`
/// (`invalid type: string "x", expected a sequence`), built once here instead
/// of in every visitor: the typed `deserialize_*` methods below call their one
/// `visit_*` method and leave every other kind of value to this function.
#[inline(never)]
fn invalid_type(v: &Value, expected: &dyn de::Expected) -> PathError {
    let unexpected = match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                de::Unexpected::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                de::Unexpected::Signed(i)
            } else if let Some(f) = n.as_f64() {
                de::Unexpected::Float(f)
            } else {
                return de::Error::invalid_type(de::Unexpected::Str(&n.to_string()), expected);
            }
        }
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    };
    de::Error::invalid_type(unexpected, expected)
}

impl<'de, 'a> de::Deserializer<'de> for ValueDe<'a> {
    type Error = PathError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_str(s),
            Value::Array(a) => visitor.visit_seq(SeqDe {
                iter: a.iter(),
                index: 0,
            }),
            Value::Object(m) => visitor.visit_map(MapDe {
                iter: m.iter(),
                pending: None,
            }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        self.deserialize_number(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        self.deserialize_number(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        self.deserialize_number(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        self.deserialize_number(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        self.deserialize_number(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        match self.0 {
            Value::String(s) => visitor.visit_str(s),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        match self.0 {
            Value::Array(a) => visitor.visit_seq(SeqDe {
                iter: a.iter(),
                index: 0,
            }),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        match self.0 {
            Value::Object(m) => visitor.visit_map(MapDe {
                iter: m.iter(),
                pending: None,
            }),
            other => Err(invalid_type(other, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PathError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, PathError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PathError> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            other => Err(de::Error::custom(format!(
                "expected a string, found {}",
                kind_of(other)
            ))),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i128 u8 u16 u128 f32 char
        bytes byte_buf unit unit_struct tuple tuple_struct identifier
    }
}

impl ValueDe<'_> {
    fn deserialize_number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        match self.0 {
            Value::Number(n) => visit_number(n, visitor),
            other => Err(invalid_type(other, &visitor)),
        }
    }
}

/// A JSON value as compact JSON text (what `Value`'s `Display` prints
/// without `{:#}`), through the compact serializer alone.
pub fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// What kind of JSON value this is, for error messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

struct SeqDe<'a> {
    iter: std::slice::Iter<'a, Value>,
    index: usize,
}

impl<'de, 'a> de::SeqAccess<'de> for SeqDe<'a> {
    type Error = PathError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, PathError> {
        match self.iter.next() {
            None => Ok(None),
            Some(v) => {
                let i = self.index;
                self.index += 1;
                seed.deserialize(ValueDe(v))
                    .map(Some)
                    .map_err(|e| e.at(v, &Segment::Index(i)))
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapDe<'a> {
    iter: serde_json::map::Iter<'a>,
    pending: Option<(&'a String, &'a Value)>,
}

impl<'de, 'a> de::MapAccess<'de> for MapDe<'a> {
    type Error = PathError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, PathError> {
        match self.iter.next() {
            None => Ok(None),
            Some((k, v)) => {
                self.pending = Some((k, v));
                seed.deserialize(k.as_str().into_deserializer())
                    .map(Some)
                    .map_err(|e: PathError| e.prefixed(&Segment::Key(k)))
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, PathError> {
        match self.pending.take() {
            Some((k, v)) => seed
                .deserialize(ValueDe(v))
                .map_err(|e| e.at(v, &Segment::Key(k))),
            None => Err(de::Error::custom("value requested before key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An object map re-exported for callers that walk raw documents.
pub type JsonMap = Map<String, Value>;

/// A type read from a borrowed JSON value by hand, without serde's derive:
/// one short, non-generic reader per model type over shared helpers, so the
/// browser build carries one copy of the path bookkeeping instead of one per
/// serde visitor.
///
/// Readers behave as the serde derives they replace: unknown fields are
/// ignored, absent fields take their defaults, `null` is absent where the
/// field is nullable, and wrong kinds are reported in serde's words
/// (`invalid type: string "a", expected a sequence`) with the field path.
///
/// ```
/// use kubelogic::model::de::FromJson;
/// use kubelogic::model::Toleration;
///
/// let t = Toleration::from_json(&serde_json::json!({"operator": "Exists"}))?;
/// assert_eq!(t.key, None);
/// let err = Toleration::from_json(&serde_json::json!({"tolerationSeconds": "1"})).unwrap_err();
/// assert_eq!(err.to_string(), r#"tolerationSeconds: invalid type: string "1", expected i64"#);
/// # Ok::<(), kubelogic::model::de::PathError>(())
/// ```
pub trait FromJson: Sized {
    /// Reads `Self` from `v`; an error names the field path inside `v`.
    fn from_json(v: &Value) -> Result<Self, PathError>;
}

/// The object `v`, or serde's `invalid type` error naming `expected`
/// (`struct PodSpec`).
#[inline(never)]
pub fn object<'a>(v: &'a Value, expected: &str) -> Result<&'a JsonMap, PathError> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(invalid_type(other, &expected)),
    }
}

/// Calls `f` on each field of the object `v` (serde's `invalid type` error
/// naming `expected` when `v` is not an object), prefixing its errors with
/// the field's name: the one loop behind every struct reader, which matches
/// the field names it knows and ignores the others.
#[inline(never)]
pub fn for_each_field(
    v: &Value,
    expected: &str,
    f: &mut dyn FnMut(&str, &Value) -> Result<(), PathError>,
) -> Result<(), PathError> {
    for (k, item) in object(v, expected)? {
        f(k, item).map_err(|e| e.at(item, &Segment::Key(k)))?;
    }
    Ok(())
}

/// [`for_each_field`] for a struct that denies unknown fields: a field not
/// in `fields` is serde's `unknown field` error at that field.
#[inline(never)]
pub fn for_each_known_field(
    v: &Value,
    expected: &str,
    fields: &'static [&'static str],
    f: &mut dyn FnMut(&str, &Value) -> Result<(), PathError>,
) -> Result<(), PathError> {
    for (k, item) in object(v, expected)? {
        if !fields.contains(&k.as_str()) {
            let e: PathError = de::Error::unknown_field(k, fields);
            return Err(e.prefixed(&Segment::Key(k)));
        }
        f(k, item).map_err(|e| e.at(item, &Segment::Key(k)))?;
    }
    Ok(())
}

/// A field that may be `null` (YAML's `labels:` with nothing after it):
/// `null` reads as the default.
pub fn nullable<T: FromJson + Default>(v: &Value) -> Result<T, PathError> {
    if v.is_null() {
        return Ok(T::default());
    }
    T::from_json(v)
}

/// A field where `null` and the empty string mean "none" (an enum that
/// Kubernetes defaults when empty).
pub fn empty_as_none<T: FromJson>(v: &Value) -> Result<Option<T>, PathError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        _ => T::from_json(v).map(Some),
    }
}

/// serde's `missing field` error, for the few fields without a default.
#[inline(never)]
pub fn missing_field(name: &'static str) -> PathError {
    de::Error::missing_field(name)
}

/// The string of an enum value, or `expected a string, found ...`.
#[inline(never)]
pub fn variant_name(v: &Value) -> Result<&str, PathError> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(de::Error::custom(format!(
            "expected a string, found {}",
            kind_of(other)
        ))),
    }
}

/// serde's `unknown variant` error.
#[inline(never)]
pub fn unknown_variant(name: &str, expected: &'static [&'static str]) -> PathError {
    de::Error::unknown_variant(name, expected)
}

/// Implements [`FromJson`] for an enum of unit variants spelled as in
/// Kubernetes (`"NoSchedule"`).
macro_rules! json_enum {
    ($($t:ident { $($v:ident),+ $(,)? })+) => {$(
        impl $crate::model::de::FromJson for $t {
            fn from_json(v: &serde_json::Value) -> Result<Self, $crate::model::de::PathError> {
                let name = $crate::model::de::variant_name(v)?;
                $(if name == stringify!($v) {
                    return Ok($t::$v);
                })+
                Err($crate::model::de::unknown_variant(name, &[$(stringify!($v)),+]))
            }
        }
    )+};
}
pub(crate) use json_enum;

/// Implements [`FromJson`] for a struct with a `Default`: each listed field
/// read from its key (spelled as in Kubernetes) with the given reader, every
/// other key ignored, through the one non-generic [`for_each_field`] loop.
macro_rules! json_struct {
    ($($t:ident { $($key:literal => $field:ident: $read:path),+ $(,)? })+) => {$(
        impl $crate::model::de::FromJson for $t {
            fn from_json(v: &serde_json::Value) -> Result<Self, $crate::model::de::PathError> {
                let mut out = Self::default();
                $crate::model::de::for_each_field(
                    v,
                    concat!("struct ", stringify!($t)),
                    &mut |k, v| {
                        match k {
                            $($key => out.$field = $read(v)?,)+
                            _ => {}
                        }
                        Ok(())
                    },
                )?;
                Ok(out)
            }
        }
    )+};
}
pub(crate) use json_struct;

/// Implements `serde::Deserialize` through [`FromJson`] (via a
/// [`serde_json::Value`]), for Rust callers that deserialize model types
/// with serde directly.
macro_rules! deserialize_via_json {
    ($($t:ty),+ $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                <$t as $crate::model::de::FromJson>::from_json(&v)
                    .map_err(<D::Error as serde::de::Error>::custom)
            }
        }
    )+};
}
pub(crate) use deserialize_via_json;

#[inline(never)]
fn string(v: &Value) -> Result<&str, PathError> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(invalid_type(other, &"a string")),
    }
}

impl FromJson for String {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        string(v).map(str::to_owned)
    }
}

impl FromJson for bool {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        match v {
            Value::Bool(b) => Ok(*b),
            other => Err(invalid_type(other, &"a boolean")),
        }
    }
}

/// An integer within `min..=max`, in the words of serde's integer visitors.
#[inline(never)]
fn integer(v: &Value, min: i64, max: i64, expected: &str) -> Result<i64, PathError> {
    let Value::Number(n) = v else {
        return Err(invalid_type(v, &expected));
    };
    if let Some(u) = n.as_u64() {
        match i64::try_from(u) {
            Ok(i) if i <= max => Ok(i),
            _ => Err(de::Error::invalid_value(
                de::Unexpected::Unsigned(u),
                &expected,
            )),
        }
    } else if let Some(i) = n.as_i64() {
        if (min..=max).contains(&i) {
            Ok(i)
        } else {
            Err(de::Error::invalid_value(
                de::Unexpected::Signed(i),
                &expected,
            ))
        }
    } else {
        Err(invalid_type(v, &expected))
    }
}

impl FromJson for i64 {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        integer(v, i64::MIN, i64::MAX, "i64")
    }
}

impl FromJson for i32 {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let i = integer(v, i32::MIN.into(), i32::MAX.into(), "i32")?;
        i32::try_from(i).map_err(|_| de::Error::custom("out of range for i32"))
    }
}

impl FromJson for crate::Quantity {
    /// As the serde impl: a string is trimmed and parsed, a number is
    /// parsed from its text, `null` is zero.
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let text = match v {
            Value::Null => return Ok(crate::Quantity::zero()),
            Value::String(s) => {
                return crate::Quantity::parse_manifest(s).map_err(de::Error::custom)
            }
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    u.to_string()
                } else if let Some(i) = n.as_i64() {
                    i.to_string()
                } else if let Some(f) = n.as_f64() {
                    float_text::display(f)
                } else {
                    n.to_string()
                }
            }
            other => {
                return Err(invalid_type(
                    other,
                    &"a quantity: a string such as \"1Gi\", a number, or null",
                ))
            }
        };
        crate::Quantity::parse_manifest(&text).map_err(de::Error::custom)
    }
}

impl FromJson for Value {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        Ok(v.clone())
    }
}

impl<T: FromJson> FromJson for Option<T> {
    /// `null` is `None`.
    fn from_json(v: &Value) -> Result<Self, PathError> {
        if v.is_null() {
            Ok(None)
        } else {
            T::from_json(v).map(Some)
        }
    }
}

/// Calls `f` on each element of a list, prefixing its errors with the
/// element's index; anything else is serde's `invalid type` error. The one
/// loop behind every `Vec<T>` reader.
#[inline(never)]
fn for_each_item(
    v: &Value,
    f: &mut dyn FnMut(&Value) -> Result<(), PathError>,
) -> Result<(), PathError> {
    let Value::Array(items) = v else {
        return Err(invalid_type(v, &"a sequence"));
    };
    for (i, item) in items.iter().enumerate() {
        f(item).map_err(|e| e.at(item, &Segment::Index(i)))?;
    }
    Ok(())
}

/// Calls `f` on each entry of an object, prefixing its errors with the
/// key; anything else is serde's `invalid type` error naming a map.
#[inline(never)]
fn for_each_entry(
    v: &Value,
    f: &mut dyn FnMut(&String, &Value) -> Result<(), PathError>,
) -> Result<(), PathError> {
    for (k, item) in object(v, "a map")? {
        f(k, item).map_err(|e| e.at(item, &Segment::Key(k)))?;
    }
    Ok(())
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let mut out = Vec::new();
        for_each_item(v, &mut |item| {
            out.push(T::from_json(item)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<T: FromJson> FromJson for SortedMap<String, T> {
    /// A key given twice keeps its last value.
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let mut out = SortedMap::new();
        for_each_entry(v, &mut |k, item| {
            out.insert(k.clone(), T::from_json(item)?);
            Ok(())
        })?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::FromJson;
    use crate::model::{Pod, Taint, Toleration};

    fn error<T: FromJson + std::fmt::Debug>(v: serde_json::Value) -> String {
        T::from_json(&v)
            .map(|t| format!("no error: {t:?}"))
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn wrong_kinds_give_serde_messages_with_the_path() {
        // What serde's default visit_* methods say, now said once by invalid_type.
        let cases = [
            (
                json!({"spec": {"containers": {}}}),
                "spec.containers: invalid type: map, expected a sequence",
            ),
            (
                json!({"spec": {"containers": "a"}}),
                "spec.containers: invalid type: string \"a\", expected a sequence",
            ),
            (
                json!({"spec": {"priority": "1"}}),
                "spec.priority: invalid type: string \"1\", expected i32",
            ),
            (
                json!({"spec": {"priority": 1.5}}),
                "spec.priority: invalid type: floating point `1.5`, expected i32",
            ),
            (
                json!({"spec": {"priority": 4294967296_u64}}),
                "spec.priority: invalid value: integer `4294967296`, expected i32",
            ),
            (
                json!({"spec": {"hostNetwork": 1}}),
                "spec.hostNetwork: invalid type: integer `1`, expected a boolean",
            ),
            (
                json!({"spec": {"nodeName": -1}}),
                "spec.nodeName: invalid type: integer `-1`, expected a string",
            ),
            (
                json!({"metadata": {"labels": []}}),
                "metadata.labels: invalid type: sequence, expected a map",
            ),
            (
                json!({"spec": true}),
                "spec: invalid type: boolean `true`, expected struct PodSpec",
            ),
            // A struct is an object only (not serde's positional array).
            (
                json!({"spec": []}),
                "spec: invalid type: sequence, expected struct PodSpec",
            ),
            (json!([]), "invalid type: sequence, expected struct Pod"),
        ];
        for (input, want) in cases {
            assert_eq!(error::<Pod>(input.clone()), want, "{input}");
        }
    }

    #[test]
    fn required_fields_and_nested_paths() {
        assert_eq!(
            error::<Taint>(json!({"effect": "NoSchedule"})),
            "missing field `key`"
        );
        assert_eq!(
            error::<Taint>(json!({"key": "k"})),
            "missing field `effect`"
        );
        assert_eq!(
            error::<Pod>(
                json!({"spec": {"containers": [{}, {"resources": {"limits": {"cpu": true}}}]}})
            ),
            "spec.containers[1].resources.limits.cpu: invalid type: boolean `true`, \
             expected a quantity: a string such as \"1Gi\", a number, or null"
        );
        assert_eq!(
            error::<Pod>(json!({"spec": {"priority": -4294967296_i64}})),
            "spec.priority: invalid value: integer `-4294967296`, expected i32"
        );
        // Nullable fields read null as empty; others reject it as serde did.
        assert_eq!(
            error::<Pod>(json!({"metadata": {"labels": null}, "spec": {"containers": null}})),
            "no error: Pod { metadata: ObjectMeta { name: None, generate_name: None, \
             namespace: None, uid: None, labels: {}, annotations: {}, owner_references: [], \
             creation_timestamp: None, deletion_timestamp: None }, spec: PodSpec { \
             containers: [], init_containers: [], ephemeral_containers: [], resources: None, \
             overhead: {}, node_name: None, node_selector: {}, affinity: None, tolerations: [], \
             topology_spread_constraints: [], priority: None, priority_class_name: None, \
             preemption_policy: None, termination_grace_period_seconds: None, \
             scheduler_name: None, restart_policy: None, host_network: None, volumes: [], \
             resource_claims: [] }, status: PodStatus { phase: None, qos_class: None, \
             nominated_node_name: None, start_time: None, conditions: [], \
             container_statuses: [], init_container_statuses: [], resources: None, \
             allocated_resources: {}, node_allocatable_resource_claim_statuses: [] } }"
        );
        assert_eq!(
            error::<Pod>(json!({"metadata": null})),
            "metadata: invalid type: unit value, expected struct ObjectMeta"
        );
    }

    #[test]
    fn serde_deserialize_goes_through_the_reader() {
        let pod: Pod = serde_json::from_str(r#"{"spec": {"priority": 5}}"#).unwrap();
        assert_eq!(pod.priority(), 5);
        let err = serde_json::from_str::<Pod>(r#"{"spec": {"priority": "5"}}"#).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(r#"spec.priority: invalid type: string "5", expected i32"#),
            "{err}"
        );
    }

    #[test]
    fn empty_as_none_reads_enums_with_the_same_deserializer() {
        let t = Toleration::from_json(&json!({"operator": "", "effect": "NoSchedule"})).unwrap();
        assert_eq!(t.operator, None);
        assert!(t.effect.is_some());
        assert_eq!(
            error::<Toleration>(json!({"operator": "In"})),
            "operator: unknown variant `In`, expected one of `Equal`, `Exists`, `Lt`, `Gt`"
        );
        assert_eq!(
            error::<Toleration>(json!({"operator": 1})),
            "operator: expected a string, found a number (value 1)"
        );
    }
}
