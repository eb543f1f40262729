//! Canonical printing (`CanonicalizeBytes` / `String()`), without allocating
//! for every quantity whose canonical form fits in 64 bytes.

use std::fmt;
use std::ops::Deref;

use super::bigdec::{self, View};
use super::{Amount, Format, Quantity};

/// Room for any canonical form of an int64 amount.
const INLINE: usize = 64;

const BINARY_SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/// A quantity's canonical text, as returned by [`Quantity::canonical`].
///
/// It lives on the stack for every quantity held in the int64 representation
/// (nearly all real ones) and dereferences to `&str`, like `itoa::Buffer`.
///
/// ```
/// use kubelogic::Quantity;
///
/// let q: Quantity = "1.5Gi".parse()?;
/// let text = q.canonical();
/// assert_eq!(&*text, "1536Mi");
/// assert_eq!(text.len(), 6);
/// # Ok::<(), kubelogic::QuantityError>(())
/// ```
pub struct Canonical<'a>(Repr<'a>);

enum Repr<'a> {
    Inline(Inline),
    Borrowed(&'a str),
    Owned(String),
}

impl Canonical<'_> {
    /// The canonical text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline(inline) => inline.as_str(),
            Repr::Borrowed(s) => s,
            Repr::Owned(s) => s,
        }
    }
}

impl Deref for Canonical<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Canonical<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Canonical<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Canonical<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Canonical<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Canonical<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A reusable stack buffer for [`Quantity::canonical_in`], the fastest way
/// to get canonical text (like `itoa::Buffer`): nothing is copied or
/// allocated for int64-representable quantities.
///
/// ```
/// use kubelogic::quantity::CanonicalBuffer;
/// use kubelogic::Quantity;
///
/// let mut buf = CanonicalBuffer::new();
/// for (input, canonical) in [("64Mi", "64Mi"), ("0.5", "500m"), ("2000m", "2")] {
///     assert_eq!(Quantity::parse(input)?.canonical_in(&mut buf), canonical);
/// }
/// # Ok::<(), kubelogic::QuantityError>(())
/// ```
pub struct CanonicalBuffer {
    inline: Inline,
    heap: String,
}

impl CanonicalBuffer {
    /// An empty buffer.
    pub fn new() -> CanonicalBuffer {
        CanonicalBuffer {
            inline: Inline::new(),
            heap: String::new(),
        }
    }
}

impl Default for CanonicalBuffer {
    fn default() -> Self {
        CanonicalBuffer::new()
    }
}

impl fmt::Debug for CanonicalBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CanonicalBuffer").finish_non_exhaustive()
    }
}

/// Text written right to left into a stack buffer: suffix first, then the
/// digits straight from the integer, then the sign.
#[derive(Clone)]
struct Inline {
    buf: [u8; INLINE],
    start: usize,
}

impl Inline {
    fn new() -> Inline {
        Inline {
            buf: [0; INLINE],
            start: INLINE,
        }
    }

    fn as_str(&self) -> &str {
        self.buf
            .get(self.start..)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        if let Some(i) = self.start.checked_sub(1) {
            if let Some(slot) = self.buf.get_mut(i) {
                *slot = b;
                self.start = i;
            }
        }
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().rev() {
            self.byte(b);
        }
    }

    /// The decimal digits of `v`, two at a time.
    #[inline]
    fn u64(&mut self, mut v: u64) {
        while v >= 100 {
            let pair = (v % 100) as usize * 2;
            v /= 100;
            self.bytes(bigdec::PAIRS.get(pair..pair + 2).unwrap_or_default());
        }
        if v >= 10 {
            let pair = v as usize * 2;
            self.bytes(bigdec::PAIRS.get(pair..pair + 2).unwrap_or_default());
        } else {
            self.byte(b'0' + v as u8);
        }
    }
}

impl Quantity {
    /// The canonical text, Kubernetes' `String()` byte for byte, without a heap
    /// allocation for int64-representable quantities. [`Display`] prints this.
    ///
    /// ```
    /// use kubelogic::Quantity;
    ///
    /// for (input, canonical) in [("0.1m", "100u"), ("1.5Gi", "1536Mi"), ("1000M", "1G"),
    ///                            ("+1k", "+1k"), ("9Ei", "9223372036854775807")] {
    ///     assert_eq!(&*Quantity::parse(input)?.canonical(), canonical);
    /// }
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    ///
    /// [`Display`]: std::fmt::Display
    pub fn canonical(&self) -> Canonical<'_> {
        if let Some(echo) = &self.echo {
            return Canonical(Repr::Borrowed(echo));
        }
        match &self.amount {
            Amount::Int { value, scale } => {
                let mut inline = Inline::new();
                match write_int(&mut inline, *value, *scale, self.format) {
                    None => Canonical(Repr::Inline(inline)),
                    Some(s) => Canonical(Repr::Owned(s)),
                }
            }
            Amount::Big(big) => Canonical(Repr::Owned(write_view(&big.view(), self.format))),
        }
    }

    /// The canonical text written into `buf`: the same text as
    /// [`canonical`](Quantity::canonical), with no copy at all.
    #[inline]
    pub fn canonical_in<'a>(&'a self, buf: &'a mut CanonicalBuffer) -> &'a str {
        if let Some(echo) = &self.echo {
            return echo;
        }
        match &self.amount {
            Amount::Int { value, scale } => {
                buf.inline.start = INLINE;
                match write_int(&mut buf.inline, *value, *scale, self.format) {
                    None => buf.inline.as_str(),
                    Some(s) => {
                        buf.heap = s;
                        &buf.heap
                    }
                }
            }
            Amount::Big(big) => {
                buf.heap = write_view(&big.view(), self.format);
                &buf.heap
            }
        }
    }
}

/// Strips the factors of ten from an int64 amount: `(|mantissa|, exponent)`.
pub(crate) fn normalise_int(value: i64, scale: i32) -> (u64, i64) {
    let mut m = value.unsigned_abs();
    let mut e = i64::from(scale);
    if m == 0 {
        return (0, 0);
    }
    while m % 10 == 0 {
        m /= 10;
        e += 1;
    }
    (m, e)
}

/// The canonical text of an int64 amount, on the stack; a `String` only for
/// the BinarySI values beyond a u64 (printed by the exact path).
#[inline]
fn write_int(out: &mut Inline, value: i64, scale: i32, format: Format) -> Option<String> {
    if value == 0 {
        out.byte(b'0');
        return None;
    }
    let (m, e) = normalise_int(value, scale);
    let mut format = format;
    if format == Format::BinarySI {
        let int = bigdec::POW10.get(e as usize).and_then(|p| p.checked_mul(m));
        match int {
            _ if e < 0 => format = Format::DecimalSI,
            Some(int) if int < 1024 => format = Format::DecimalSI,
            Some(int) => {
                // A u64 has at most 6 factors of 1024.
                let k = (int.trailing_zeros() / 10) as usize;
                out.bytes(BINARY_SUFFIXES.get(k).unwrap_or(&"").as_bytes());
                out.u64(int >> (10 * k));
                if value < 0 {
                    out.byte(b'-');
                }
                return None;
            }
            None => {
                let mut buf = [0u8; 40];
                let digits = bigdec::write_u64(&mut buf, m);
                let view = View {
                    neg: value < 0,
                    digits,
                    exp: e,
                };
                return Some(write_view(&view, format));
            }
        }
    }
    let (e3, zeros) = decimal_exponent(e);
    match si_suffix(format, e3) {
        Some(suffix) => out.bytes(suffix.as_bytes()),
        None => {
            out.u64(e3.unsigned_abs());
            if e3 < 0 {
                out.byte(b'-');
            }
            out.byte(b'e');
        }
    }
    for _ in 0..zeros {
        out.byte(b'0');
    }
    out.u64(m);
    if value < 0 {
        out.byte(b'-');
    }
    None
}

/// The canonical exponent (a multiple of three, at most the largest that
/// Kubernetes reads back as an int32) and how many zeros the mantissa takes.
fn decimal_exponent(exp: i64) -> (i64, usize) {
    const MAX_E3: i64 = 2_147_483_646;
    let e3 = (exp.div_euclid(3) * 3).min(MAX_E3);
    (e3, usize::try_from(exp - e3).unwrap_or_default())
}

/// The suffix for a canonical exponent, or `None` for `e<exp>`.
fn si_suffix(format: Format, e3: i64) -> Option<&'static str> {
    match (format, e3) {
        (Format::DecimalExponent, 0) => Some(""),
        (Format::DecimalExponent, _) => None,
        (_, -9) => Some("n"),
        (_, -6) => Some("u"),
        (_, -3) => Some("m"),
        (_, 0) => Some(""),
        (_, 3) => Some("k"),
        (_, 6) => Some("M"),
        (_, 9) => Some("G"),
        (_, 12) => Some("T"),
        (_, 15) => Some("P"),
        (_, 18) => Some("E"),
        _ => None,
    }
}

/// Prints a normalised decimal in `format`.
fn write_view(v: &View<'_>, format: Format) -> String {
    let mut out = Vec::with_capacity(v.digits.len() + 16);
    if v.is_zero() {
        out.push(b'0');
    } else {
        match format {
            Format::BinarySI => write_binary(&mut out, v),
            Format::DecimalSI | Format::DecimalExponent => write_decimal(&mut out, v, format),
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// DecimalSI / DecimalExponent: the exponent lowered to a multiple of three,
/// then the SI suffix, or `e<exp>` (for DecimalSI only outside n…E).
///
/// Kubernetes reads exponents as int32, so an exponent above the largest
/// multiple of three that fits (2147483646) is not printed: the mantissa takes
/// the extra zeros instead (`"1000e2147483647"` prints as `"10000e2147483646"`),
/// which keeps the canonical text a fixed point of parsing. Those zeros are
/// never more than the digits that produced them.
fn write_decimal(out: &mut Vec<u8>, v: &View<'_>, format: Format) {
    let (e3, zeros) = decimal_exponent(v.exp);
    if v.neg {
        out.push(b'-');
    }
    out.extend_from_slice(v.digits);
    out.resize(out.len() + zeros, b'0');
    match si_suffix(format, e3) {
        Some(s) => out.extend_from_slice(s.as_bytes()),
        None => {
            out.push(b'e');
            if e3 < 0 {
                out.push(b'-');
            }
            let mut buf = [0u8; 40];
            out.extend_from_slice(bigdec::write_u64(&mut buf, e3.unsigned_abs()));
        }
    }
}

/// BinarySI: integers of magnitude ≥ 1024 with their factors of 1024 moved
/// into a `Ki`…`Ei` suffix; anything else prints as DecimalSI.
fn write_binary(out: &mut Vec<u8>, v: &View<'_>) {
    let top = (v.digits.len() as i64).saturating_add(v.exp);
    // Not an integer, below 1024, or a multiple of 1024^7 (10^70 is one):
    // those print as DecimalSI.
    let small = top <= 4 && bigdec::scaled_value(v, 0).is_some_and(|x| x.unsigned_abs() < 1024);
    if v.exp < 0 || v.exp >= 70 || small {
        return write_decimal(out, v, Format::DecimalSI);
    }
    let mut int: Vec<u8> = v.digits.iter().map(|d| d - b'0').collect();
    int.resize(int.len() + v.exp as usize, 0);
    let mut k = 0;
    while k < 7 && bigdec::div_exact_1024(&mut int) {
        k += 1;
    }
    if k == 7 {
        return write_decimal(out, v, Format::DecimalSI);
    }
    if v.neg {
        out.push(b'-');
    }
    out.extend(int.iter().map(|d| d + b'0'));
    out.extend_from_slice(BINARY_SUFFIXES.get(k).unwrap_or(&"").as_bytes());
}
