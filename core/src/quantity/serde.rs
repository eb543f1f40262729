//! serde: a quantity is its canonical string (`MarshalJSON`); it reads from a
//! string (trimmed, like `UnmarshalJSON`), a number, or null (zero).
//!
//! A JSON number is read from its text, as apimachinery's
//! `Quantity.UnmarshalJSON` reads the raw bytes (`quantity.go`), never
//! through an `f64`: `1e3` stays `1e3` (and `1E3` stays `1E3`: Kubernetes
//! echoes a spelling it caches), `123456789.123456789` keeps every digit.
//! serde_json hands over a value's exact text only as a raw value
//! ([`serde_json::value::RawValue`]): the quantity asks every deserializer
//! for one, by the newtype name serde_json's `RawValue` itself uses. serde_json
//! (text, `&RawValue`) answers with the text; any other deserializer (a JS
//! value, YAML) passes the newtype through and hands over a string, an
//! integer or an `f64`, read from its shortest exact decimal text. A test
//! (`exact_number_text` below) fails loudly should serde_json ever rename
//! that newtype.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use super::Quantity;

impl Serialize for Quantity {
    /// The canonical string, as Kubernetes' `MarshalJSON`.
    ///
    /// ```
    /// use kubelogic::Quantity;
    /// let q: Quantity = "1.5Gi".parse()?;
    /// assert_eq!(serde_json::to_string(&q).unwrap(), r#""1536Mi""#);
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical())
    }
}

impl<'de> Deserialize<'de> for Quantity {
    /// Kubernetes' `UnmarshalJSON`: a string is trimmed of white space and
    /// parsed; a number is parsed from its text; `null` is zero.
    ///
    /// A JSON number keeps its text (see the module docs); an error names
    /// the offending value.
    ///
    /// ```
    /// use kubelogic::Quantity;
    /// let qs: Vec<Quantity> =
    ///     serde_json::from_str(r#"[" 1Gi ", 2, 0.5, null, 1e3, 123456789.123456789]"#).unwrap();
    /// let text: Vec<String> = qs.iter().map(|q| q.to_string()).collect();
    /// assert_eq!(text, ["1Gi", "2", "500m", "0", "1e3", "123456789.123456789"]);
    /// let err = serde_json::from_str::<Quantity>(r#""1K""#).unwrap_err();
    /// assert!(err.to_string().contains(r#"(value "1K")"#), "{err}");
    /// ```
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, QuantityVisitor)
    }
}

/// The newtype name by which serde_json's `RawValue` asks for a value's
/// text (`serde_json/src/raw.rs`, `TOKEN`).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

struct QuantityVisitor;

impl QuantityVisitor {
    fn text<E: de::Error>(s: &str) -> Result<Quantity, E> {
        Quantity::parse_manifest(s).map_err(|e| {
            let shown = serde_json::to_string(s).unwrap_or_default();
            E::custom(format_args!("{e} (value {shown})"))
        })
    }

    /// A number's text, not quoted in the error.
    fn number<E: de::Error>(s: &str) -> Result<Quantity, E> {
        Quantity::parse_manifest(s).map_err(|e| E::custom(format_args!("{e} (value {s})")))
    }
}

impl<'de> Visitor<'de> for QuantityVisitor {
    type Value = Quantity;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a quantity: a string such as \"1Gi\", a number, or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
        Self::text(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
        Self::number(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
        Self::number(&v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Quantity, E> {
        Self::number(&v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Quantity, E> {
        Self::number(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
        // Rust's `{}` text: the shortest decimal that reads back as `v`,
        // without an exponent; non-finite values do not parse.
        Self::number(&v.to_string())
    }

    /// serde_json's answer to the raw-value newtype: a one-entry map whose
    /// value is the JSON text of the quantity (`"1Gi"`, `1e3`, `null`).
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Quantity, A::Error> {
        let Some(de::IgnoredAny) = map.next_key()? else {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        };
        let raw: std::borrow::Cow<'de, str> = map.next_value::<CowStr<'de>>()?.0;
        let raw = raw.trim();
        match raw.as_bytes().first() {
            Some(b'"') => {
                let s: std::borrow::Cow<'_, str> = serde_json::from_str::<CowStr<'_>>(raw)
                    .map_err(de::Error::custom)?
                    .0;
                Self::text(&s)
            }
            Some(b'-' | b'0'..=b'9') => Self::number(raw),
            _ if raw == "null" => Ok(Quantity::zero()),
            Some(b't') => Err(de::Error::invalid_type(de::Unexpected::Bool(true), &self)),
            Some(b'f') => Err(de::Error::invalid_type(de::Unexpected::Bool(false), &self)),
            Some(b'[') => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }

    /// A deserializer that does not know the raw-value newtype.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Quantity, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Quantity, E> {
        Ok(Quantity::zero())
    }

    fn visit_none<E: de::Error>(self) -> Result<Quantity, E> {
        Ok(Quantity::zero())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Quantity, D::Error> {
        Quantity::deserialize(d)
    }
}

/// A string, borrowed from the input where it can be.
struct CowStr<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CowStr<'de>, E> {
                Ok(CowStr(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<CowStr<'de>, E> {
                Ok(CowStr(std::borrow::Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    /// Numbers keep their exact text through every serde_json entry point
    /// (this fails should serde_json rename its raw-value newtype).
    #[test]
    fn exact_number_text() {
        let text = r#"[1e3, 1E3, 1e+3, 123456789.123456789, 0.5, "1Gi", null, 12]"#;
        let want = [
            "1e3",
            "1E3",
            "1e+3",
            "123456789.123456789",
            "500m",
            "1Gi",
            "0",
            "12",
        ];
        let from_text: Vec<Quantity> = serde_json::from_str(text).unwrap();
        let shown: Vec<String> = from_text.iter().map(ToString::to_string).collect();
        assert_eq!(shown, want);
        let raw: Box<serde_json::value::RawValue> = serde_json::from_str(text).unwrap();
        let from_raw: Vec<Quantity> = serde_json::from_str(raw.get()).unwrap();
        assert_eq!(from_raw, from_text);
        let also: Vec<Quantity> =
            serde_json::from_value(serde_json::json!(["1Gi", 2, null])).unwrap();
        assert_eq!(
            also.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["1Gi", "2", "0"]
        );
        for bad in ["true", "[]", "{}", r#""1K""#] {
            assert!(serde_json::from_str::<Quantity>(bad).is_err(), "{bad}");
        }
    }
}
