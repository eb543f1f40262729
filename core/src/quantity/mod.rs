//! Resource quantities (`resource.Quantity`): INTERIM implementation.
//!
//! This file fixes the public API that the rest of the crate builds on; the
//! exact apimachinery-compatible implementation replaces its body.
#![allow(missing_docs, clippy::indexing_slicing)]

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// How a quantity prints: `12M`, `12Mi` or `12e6`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    DecimalExponent,
    BinarySI,
    #[default]
    DecimalSI,
}

impl Format {
    /// Kubernetes' spelling of the format.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::DecimalExponent => "DecimalExponent",
            Format::BinarySI => "BinarySI",
            Format::DecimalSI => "DecimalSI",
        }
    }
}

/// Which of Kubernetes' three parse errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QuantityErrorKind {
    Format,
    Numeric,
    Suffix,
}

/// A quantity that did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantityError {
    kind: QuantityErrorKind,
    offset: usize,
}

impl QuantityError {
    pub fn kind(&self) -> QuantityErrorKind {
        self.kind
    }
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} error at byte {}", self.kind, self.offset)
    }
}
impl std::error::Error for QuantityError {}

/// A Kubernetes resource quantity.
#[derive(Clone, Debug, Default)]
pub struct Quantity {
    nanos: i128,
    format: Format,
}

impl Quantity {
    pub fn parse(s: &str) -> Result<Self, QuantityError> {
        let err = |kind, offset| QuantityError { kind, offset };
        let b = s.as_bytes();
        if b.is_empty() {
            return Err(err(QuantityErrorKind::Format, 0));
        }
        let mut i = 0;
        let neg = b[0] == b'-';
        if b[0] == b'-' || b[0] == b'+' {
            i += 1;
        }
        let mut num: i128 = 0;
        let mut frac_digits = 0i32;
        let mut seen_dot = false;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            if b[i] == b'.' {
                if seen_dot {
                    return Err(err(QuantityErrorKind::Format, i));
                }
                seen_dot = true;
            } else {
                num = num.saturating_mul(10).saturating_add((b[i] - b'0') as i128);
                if seen_dot {
                    frac_digits += 1;
                }
            }
            i += 1;
        }
        let (mul, div, format): (i128, i128, Format) = match &s[i..] {
            "" => (1, 1, Format::DecimalSI),
            "n" => (1, 1_000_000_000, Format::DecimalSI),
            "u" => (1, 1_000_000, Format::DecimalSI),
            "m" => (1, 1_000, Format::DecimalSI),
            "k" => (1_000, 1, Format::DecimalSI),
            "M" => (1_000_000, 1, Format::DecimalSI),
            "G" => (1_000_000_000, 1, Format::DecimalSI),
            "T" => (1_000_000_000_000, 1, Format::DecimalSI),
            "P" => (1_000_000_000_000_000, 1, Format::DecimalSI),
            "E" => (1_000_000_000_000_000_000, 1, Format::DecimalSI),
            "Ki" => (1 << 10, 1, Format::BinarySI),
            "Mi" => (1 << 20, 1, Format::BinarySI),
            "Gi" => (1 << 30, 1, Format::BinarySI),
            "Ti" => (1 << 40, 1, Format::BinarySI),
            "Pi" => (1 << 50, 1, Format::BinarySI),
            "Ei" => (1 << 60, 1, Format::BinarySI),
            _ => return Err(err(QuantityErrorKind::Suffix, i)),
        };
        let mut nanos = num.saturating_mul(mul).saturating_mul(1_000_000_000) / div;
        for _ in 0..frac_digits {
            nanos /= 10;
        }
        Ok(Quantity {
            nanos: if neg { -nanos } else { nanos },
            format,
        })
    }

    pub fn parse_manifest(s: &str) -> Result<Self, QuantityError> {
        Self::parse(s.trim())
    }
    pub fn zero() -> Self {
        Self::default()
    }
    pub fn from_value(v: i64, format: Format) -> Self {
        Quantity {
            nanos: v as i128 * 1_000_000_000,
            format,
        }
    }
    pub fn from_milli(v: i64, format: Format) -> Self {
        Quantity {
            nanos: v as i128 * 1_000_000,
            format,
        }
    }
    pub fn format(&self) -> Format {
        self.format
    }
    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }
    pub fn signum(&self) -> Ordering {
        self.nanos.cmp(&0)
    }
    fn scaled(&self, div: i128) -> Option<i64> {
        let q = self.nanos / div;
        let r = self.nanos % div;
        let q = if r > 0 {
            q + 1
        } else if r < 0 {
            q - 1
        } else {
            q
        };
        i64::try_from(q).ok()
    }
    pub fn value(&self) -> Option<i64> {
        self.scaled(1_000_000_000)
    }
    pub fn milli_value(&self) -> Option<i64> {
        self.scaled(1_000_000)
    }
    pub fn checked_add(&self, rhs: &Quantity) -> Option<Quantity> {
        let format = if self.is_zero() {
            rhs.format
        } else {
            self.format
        };
        Some(Quantity {
            nanos: self.nanos.checked_add(rhs.nanos)?,
            format,
        })
    }
    pub fn checked_sub(&self, rhs: &Quantity) -> Option<Quantity> {
        let format = if self.is_zero() {
            rhs.format
        } else {
            self.format
        };
        Some(Quantity {
            nanos: self.nanos.checked_sub(rhs.nanos)?,
            format,
        })
    }
    pub fn neg(&self) -> Quantity {
        Quantity {
            nanos: -self.nanos,
            format: self.format,
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0");
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let a = self.nanos.unsigned_abs();
        if self.format == Format::BinarySI && a % 1_000_000_000 == 0 {
            let mut v = a / 1_000_000_000;
            let mut i = 0;
            while v >= 1024 && v % 1024 == 0 && i < 6 {
                v /= 1024;
                i += 1;
            }
            if i > 0 {
                return write!(
                    f,
                    "{sign}{v}{}",
                    ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][i]
                );
            }
        }
        let mut v = a;
        let mut exp = -9i32;
        while v % 1000 == 0 && exp < 18 {
            v /= 1000;
            exp += 3;
        }
        let suffix = match exp {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            _ => "E",
        };
        write!(f, "{sign}{v}{suffix}")
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl serde::Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let s = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Null => return Ok(Quantity::zero()),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "quantity: expected a string or number, got {other}"
                )))
            }
        };
        Quantity::parse_manifest(&s).map_err(serde::de::Error::custom)
    }
}
