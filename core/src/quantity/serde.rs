//! serde: a quantity is its canonical string (`MarshalJSON`); it reads from a
//! string (trimmed, like `UnmarshalJSON`), a number, or null (zero).

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
    /// Integers keep every digit. A JSON number with a fraction or exponent
    /// reaches a deserializer as an f64 (serde_json without
    /// `arbitrary_precision`); it is read from that f64's shortest exact
    /// decimal text, e.g. `0.5` → `"0.5"`.
    ///
    /// ```
    /// use kubelogic::Quantity;
    /// let qs: Vec<Quantity> = serde_json::from_str(r#"[" 1Gi ", 2, 0.5, null]"#).unwrap();
    /// let text: Vec<String> = qs.iter().map(|q| q.to_string()).collect();
    /// assert_eq!(text, ["1Gi", "2", "500m", "0"]);
    /// assert!(serde_json::from_str::<Quantity>(r#""1 Gi""#).is_err());
    /// ```
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(QuantityVisitor)
    }
}

struct QuantityVisitor;

impl QuantityVisitor {
    fn text<E: de::Error>(s: &str) -> Result<Quantity, E> {
        Quantity::parse_manifest(s).map_err(E::custom)
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
        Self::text(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
        Self::text(&v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Quantity, E> {
        Self::text(&v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Quantity, E> {
        Self::text(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
        // Rust's `{}` text: the shortest decimal that reads back as `v`,
        // without an exponent; non-finite values do not parse.
        Self::text(&crate::float_text::display(v))
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
