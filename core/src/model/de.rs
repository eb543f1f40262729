//! Deserialization that names the field path of every error.
//!
//! Manifests are first read into a [`serde_json::Value`]; this module then
//! deserializes the model types from that value with a deserializer that
//! records where it is, so that a wrong type, a bad quantity or an unknown
//! operator is reported as
//! `spec.containers[0].resources.requests.memory: quantities must match ...`
//! instead of a line and column.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

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
            self.message = format!("{} (value {v})", self.message);
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

/// Deserializes a field that may be absent or `null` as its default
/// (YAML's `labels:` with nothing after it is `null`).
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: Default + de::Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Accepts a string, or `null`/absent, where an empty string means "none".
pub(crate) fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: de::Deserializer<'de>,
    T: de::DeserializeOwned,
{
    let v = Option::<Value>::deserialize(d)?;
    match v {
        None => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(v) => T::deserialize(ValueDe(&v))
            .map(Some)
            .map_err(de::Error::custom),
    }
}

/// An object map re-exported for callers that walk raw documents.
pub type JsonMap = Map<String, Value>;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::from_value;
    use crate::model::{Pod, Toleration};

    fn error<T: serde::de::DeserializeOwned + std::fmt::Debug>(v: serde_json::Value) -> String {
        from_value::<T>(&v)
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
    fn empty_as_none_reads_enums_with_the_same_deserializer() {
        let t: Toleration = from_value(&json!({"operator": "", "effect": "NoSchedule"})).unwrap();
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
