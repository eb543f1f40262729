//! Resource quantities: k8s.io/apimachinery `resource.Quantity`, exactly.
//!
//! A [`Quantity`] is an exact decimal number with a [`Format`] (`DecimalSI`
//! `12M`, `BinarySI` `12Mi`, `DecimalExponent` `12e6`). Parsing accepts the
//! grammar `ParseQuantity` accepts, odd corners included; printing is
//! `String()` byte for byte; values, comparison and arithmetic are exact. No
//! floating point is used anywhere.
//!
//! ```
//! use kubelogic::{Format, Quantity};
//!
//! let q: Quantity = "1.5Gi".parse()?;
//! assert_eq!(q.to_string(), "1536Mi");
//! assert_eq!(q.format(), Format::BinarySI);
//! assert_eq!(q.value(), Some(1_610_612_736));
//!
//! // Kubernetes' odd corners.
//! assert_eq!(Quantity::parse("0.1m")?.to_string(), "100u"); // resolution is nano
//! assert_eq!(Quantity::parse("1.")?.to_string(), "1.");    // echoed as written
//! assert_eq!(Quantity::parse("+1k")?.to_string(), "+1k");
//! assert_eq!(Quantity::parse("Mi")?.to_string(), "0");   // but "Pi" is an error
//! assert!(Quantity::parse("Pi").is_err());
//! assert_eq!(Quantity::parse("9Ei")?.to_string(), "9223372036854775807"); // BinarySI cap
//! assert_eq!(Quantity::parse("1e4294967299")?.value(), Some(1000)); // exponent truncated to i32
//!
//! // Accessors round away from zero and never wrap.
//! assert_eq!(Quantity::parse("100m")?.value(), Some(1));
//! assert_eq!(Quantity::parse("-1.5")?.value(), Some(-2));
//! assert_eq!(Quantity::parse("10E")?.value(), None);
//!
//! // Equality is by value.
//! assert_eq!(Quantity::parse("1Gi")?, Quantity::parse("1073741824")?);
//! # Ok::<(), kubelogic::QuantityError>(())
//! ```
//!
//! # Representation
//!
//! Like Kubernetes, a quantity is either an int64 mantissa with a power-of-ten
//! scale (every real-world quantity; no heap allocation) or an exact big
//! decimal (Kubernetes' `inf.Dec`). Parsing an input that Kubernetes caches
//! and echoes from `String()` (`"+1k"`, `"01k"`, `"1.G"`, `"1E3"`) stores the
//! input only when it differs from the canonical text.
//!
//! # Where this differs from Kubernetes
//!
//! Kubernetes has bugs that lose or wrap values; this module returns the
//! correct answer instead:
//!
//! - [`Quantity::value`], [`Quantity::milli_value`] and
//!   [`Quantity::scaled_value`] round away from zero for every representation
//!   and return `None` when the exact result does not fit an i64 (Kubernetes
//!   wraps, and gets the sign of some long negative numbers wrong).
//! - A `DecimalSI` value whose canonical exponent is outside `n`…`E`
//!   (10^-9…10^18) prints with a decimal exponent instead of dropping it, as
//!   upstream's fix does: `"1000E"` prints as `"1e21"` (Kubernetes v1.34:
//!   `"1"`), `"1000000000000000000000"` as `"1e21"`.
//! - A `BinarySI` value that is a multiple of 1024^7 (reachable only by
//!   arithmetic or construction, since parsing caps BinarySI at 2^63-1) prints
//!   as `DecimalSI` (Kubernetes drops the suffix and prints `"1"` for 2^70).
//! - Exponents are exact 64-bit arithmetic: `"5.5e-2147483648"` is a tiny
//!   positive number rounded up to `1n` (Kubernetes' int32 scale wraps).
//!
//! # Bounded cost
//!
//! Parsing is linear in the input length (a 1 MB digit string, or
//! `"1e2147483647"`, return at once). Printing never expands an exponent into
//! zeros: canonical text is at most a few bytes longer than the mantissa's
//! digits. [`Quantity::checked_add`] and [`Quantity::checked_sub`] return
//! `None` rather than build a result needing more than 2^22 digits beyond
//! their longer operand.

mod arith;
mod bigdec;
mod error;
mod format;
mod parse;
mod serde;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use bigdec::{BigDec, View};

pub use error::{QuantityError, QuantityErrorKind};
pub use format::{Canonical, CanonicalBuffer};

/// How a quantity prints: `12M`, `12Mi` or `12e6`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// `12e6`: a power-of-ten exponent (`e<n>`, nothing for 10^0).
    DecimalExponent,
    /// `12Mi`: a power-of-two suffix (`Ki` … `Ei`); values that are not whole
    /// multiples of a power of 1024 print as `DecimalSI`.
    BinarySI,
    /// `12M`: a power-of-ten SI suffix (`n u m "" k M G T P E`).
    #[default]
    DecimalSI,
}

impl Format {
    /// Kubernetes' spelling of the format.
    ///
    /// ```
    /// assert_eq!(kubelogic::Format::BinarySI.as_str(), "BinarySI");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::DecimalExponent => "DecimalExponent",
            Format::BinarySI => "BinarySI",
            Format::DecimalSI => "DecimalSI",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The number itself: Kubernetes' `int64Amount` or `inf.Dec`.
#[derive(Clone)]
enum Amount {
    /// `value × 10^scale`.
    Int { value: i64, scale: i32 },
    /// Normalised and never representable as `Int` with ≤ 18 digits.
    Big(Box<BigDec>),
}

/// The normalised digits of an int64 amount, on the stack.
struct IntDigits {
    buf: [u8; 40],
    start: usize,
    neg: bool,
    exp: i64,
}

impl IntDigits {
    fn new(value: i64, scale: i32) -> IntDigits {
        let (m, exp) = format::normalise_int(value, scale);
        let mut buf = [0u8; 40];
        let start = if m == 0 {
            buf.len()
        } else {
            buf.len() - bigdec::write_u128(&mut buf, u128::from(m)).len()
        };
        IntDigits {
            buf,
            start,
            neg: value < 0,
            exp,
        }
    }

    fn view(&self) -> View<'_> {
        View {
            neg: self.neg,
            digits: self.buf.get(self.start..).unwrap_or_default(),
            exp: self.exp,
        }
    }
}

impl Amount {
    fn from_big(d: BigDec) -> Amount {
        match d.to_small() {
            Some((value, scale)) => Amount::Int { value, scale },
            None => Amount::Big(Box::new(d)),
        }
    }

    fn is_zero(&self) -> bool {
        match self {
            Amount::Int { value, .. } => *value == 0,
            Amount::Big(b) => b.digits.is_empty(),
        }
    }

    fn with_view<R>(&self, f: impl FnOnce(View<'_>) -> R) -> R {
        match self {
            Amount::Int { value, scale } => f(IntDigits::new(*value, *scale).view()),
            Amount::Big(b) => f(b.view()),
        }
    }
}

/// A Kubernetes resource quantity (`resource.Quantity`).
///
/// Equality, ordering and hashing are by numeric value: `"1Gi" == "1024Mi" ==
/// "1073741824"`, whatever the format. See the [module docs](self) for the
/// grammar, the canonical form and where this deliberately differs from
/// Kubernetes.
///
/// ```
/// use kubelogic::{Format, Quantity};
///
/// let cpu = Quantity::from_milli(1500, Format::DecimalSI);
/// assert_eq!(cpu.to_string(), "1500m");
/// assert_eq!(cpu.milli_value(), Some(1500));
/// assert!(cpu > "1".parse()?);
/// # Ok::<(), kubelogic::QuantityError>(())
/// ```
#[derive(Clone)]
pub struct Quantity {
    amount: Amount,
    format: Format,
    /// The parsed input when Kubernetes' `String()` echoes it and it differs
    /// from the canonical text.
    /// (A thin pointer: it is rarely set and keeps `Quantity` at 32 bytes.)
    echo: Option<Box<str>>,
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity::zero()
    }
}

impl Quantity {
    fn from_amount(amount: Amount, format: Format) -> Quantity {
        Quantity {
            amount,
            format,
            echo: None,
        }
    }

    /// Parses a quantity exactly as Kubernetes' `ParseQuantity` does (no
    /// white space allowed).
    ///
    /// ```
    /// use kubelogic::{Format, Quantity, QuantityErrorKind};
    ///
    /// let q = Quantity::parse("1.5e3")?;
    /// assert_eq!((q.to_string().as_str(), q.format()), ("1500", Format::DecimalExponent));
    /// assert_eq!(Quantity::parse(" 1").unwrap_err().kind(), QuantityErrorKind::Format);
    /// assert_eq!(Quantity::parse("1ki").unwrap_err().kind(), QuantityErrorKind::Suffix);
    /// assert_eq!(Quantity::parse("e-10").unwrap_err().kind(), QuantityErrorKind::Numeric);
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    #[inline]
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        match parse::parse_simple(s.as_bytes()) {
            Some(q) => {
                #[cfg(debug_assertions)]
                parse::check_simple(s, &q);
                Ok(q)
            }
            None => parse::parse(s),
        }
    }

    /// Parses a quantity as it arrives in a manifest field: leading and
    /// trailing white space is trimmed first, as Kubernetes' `UnmarshalJSON`
    /// does. That trims the still-escaped JSON text, so control characters
    /// (tab, newline), which JSON escapes, are not trimmed. Error offsets
    /// refer to the untrimmed input.
    ///
    /// ```
    /// use kubelogic::Quantity;
    ///
    /// assert_eq!(Quantity::parse_manifest("  1Gi ")?.to_string(), "1Gi");
    /// assert!(Quantity::parse_manifest("\t1Gi").is_err());
    /// assert_eq!(Quantity::parse_manifest(" 1 Gi").unwrap_err().offset(), 2);
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    pub fn parse_manifest(s: &str) -> Result<Quantity, QuantityError> {
        let trimmed = s.trim_start_matches(is_json_space);
        let lead = s.len() - trimmed.len();
        Quantity::parse(trimmed.trim_end_matches(is_json_space)).map_err(|e| e.shifted(lead))
    }

    /// Zero, `DecimalSI`.
    pub const fn zero() -> Quantity {
        Quantity {
            amount: Amount::Int { value: 0, scale: 0 },
            format: Format::DecimalSI,
            echo: None,
        }
    }

    /// `v` in format `f` (Kubernetes' `NewQuantity`).
    ///
    /// ```
    /// use kubelogic::{Format, Quantity};
    /// assert_eq!(Quantity::from_value(1024, Format::BinarySI).to_string(), "1Ki");
    /// assert_eq!(Quantity::from_value(1000, Format::DecimalSI).to_string(), "1k");
    /// ```
    pub const fn from_value(v: i64, f: Format) -> Quantity {
        Quantity::from_scaled(v, 0, f)
    }

    /// `v / 1000` in format `f` (Kubernetes' `NewMilliQuantity`).
    ///
    /// ```
    /// use kubelogic::{Format, Quantity};
    /// assert_eq!(Quantity::from_milli(1024, Format::BinarySI).to_string(), "1024m");
    /// assert_eq!(Quantity::from_milli(2000, Format::DecimalSI).to_string(), "2");
    /// ```
    pub const fn from_milli(v: i64, f: Format) -> Quantity {
        Quantity::from_scaled(v, -3, f)
    }

    /// `v × 10^scale` in format `f` (Kubernetes' `NewScaledQuantity` takes no
    /// format and uses `DecimalSI`). The value is kept exactly, even below
    /// nano.
    ///
    /// ```
    /// use kubelogic::{Format, Quantity};
    /// assert_eq!(Quantity::from_scaled(1000, -9, Format::DecimalSI).to_string(), "1u");
    /// assert_eq!(Quantity::from_scaled(300, 6, Format::DecimalExponent).to_string(), "300e6");
    /// ```
    pub const fn from_scaled(v: i64, scale: i32, f: Format) -> Quantity {
        Quantity {
            amount: Amount::Int { value: v, scale },
            format: f,
            echo: None,
        }
    }

    /// The format parsing or construction assigned.
    pub const fn format(&self) -> Format {
        self.format
    }

    /// The value rounded away from zero to an integer (Kubernetes' `Value()`),
    /// or `None` when that does not fit an i64.
    ///
    /// ```
    /// use kubelogic::Quantity;
    /// assert_eq!(Quantity::parse("1.5Gi")?.value(), Some(1_610_612_736));
    /// assert_eq!(Quantity::parse("1n")?.value(), Some(1));
    /// assert_eq!(Quantity::parse("-1n")?.value(), Some(-1));
    /// assert_eq!(Quantity::parse("9223372036854775808")?.value(), None);
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    #[inline]
    pub fn value(&self) -> Option<i64> {
        self.scaled_value(0)
    }

    /// The value in thousandths, rounded away from zero (Kubernetes'
    /// `MilliValue()`), or `None` when that does not fit an i64. Cheap for
    /// the int64 representation: no allocation, a few integer operations.
    ///
    /// ```
    /// use kubelogic::Quantity;
    /// assert_eq!(Quantity::parse("250m")?.milli_value(), Some(250));
    /// assert_eq!(Quantity::parse("1.5u")?.milli_value(), Some(1));
    /// assert_eq!(Quantity::parse("2")?.milli_value(), Some(2000));
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    #[inline]
    pub fn milli_value(&self) -> Option<i64> {
        self.scaled_value(-3)
    }

    /// `self / 10^scale` rounded away from zero (Kubernetes' `ScaledValue`),
    /// or `None` when that does not fit an i64.
    ///
    /// ```
    /// use kubelogic::Quantity;
    /// let q = Quantity::parse("1.5Gi")?;
    /// assert_eq!(q.scaled_value(9), Some(2));
    /// assert_eq!(q.scaled_value(-9), Some(1_610_612_736_000_000_000));
    /// assert_eq!(q.scaled_value(-10), None);
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    pub fn scaled_value(&self, scale: i32) -> Option<i64> {
        match &self.amount {
            Amount::Int { value, scale: s } => int_scaled_value(*value, *s, scale),
            Amount::Big(b) => bigdec::scaled_value(&b.view(), scale),
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// The sign of the value: `Less`, `Equal` (zero) or `Greater`.
    pub fn signum(&self) -> Ordering {
        match &self.amount {
            Amount::Int { value, .. } => value.cmp(&0),
            Amount::Big(b) => b.view().signum(),
        }
    }
}

/// White space that Kubernetes' `UnmarshalJSON` trims from a string field.
///
/// It trims (Go's `strings.TrimSpace`) the raw JSON text between the quotes,
/// where control characters such as tab and newline can only appear escaped
/// (`\t`), so those are never trimmed; every other Unicode white space is.
fn is_json_space(c: char) -> bool {
    c == ' ' || (c > '\u{7f}' && c.is_whitespace())
}

/// `ceil(value × 10^(scale - target))` away from zero, if it fits.
#[inline]
fn int_scaled_value(value: i64, scale: i32, target: i32) -> Option<i64> {
    if value == 0 {
        return Some(0);
    }
    let d = i64::from(scale) - i64::from(target);
    if d >= 0 {
        let p = *bigdec::POW10.get(usize::try_from(d).ok()?)?;
        return value.checked_mul(i64::try_from(p).ok()?);
    }
    match bigdec::POW10.get(usize::try_from(-d).ok()?) {
        Some(&p) if p <= i64::MAX as u64 => {
            let p = p as i64;
            let q = value / p;
            Some(if value % p == 0 {
                q
            } else {
                q + value.signum()
            })
        }
        // |value| < 10^19 ≤ 10^-d: only the rounding unit is left.
        _ => Some(value.signum()),
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.amount.cmp(&other.amount) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    /// By numeric value (Kubernetes' `Cmp`), ignoring the format.
    fn cmp(&self, other: &Self) -> Ordering {
        self.amount.cmp(&other.amount)
    }
}

impl Hash for Quantity {
    /// Hashes the normalised value, so equal quantities hash alike.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.amount.with_view(|v| {
            v.neg.hash(state);
            v.digits.hash(state);
            v.exp.hash(state);
        });
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    #[inline]
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl fmt::Display for Quantity {
    /// Kubernetes' `String()`, byte for byte.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.canonical_in(&mut CanonicalBuffer::new()))
    }
}

impl fmt::Debug for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Quantity")
            .field("value", &self.canonical().as_str())
            .field("format", &self.format)
            .finish()
    }
}

#[cfg(test)]
mod tests;
