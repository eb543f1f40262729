//! Canonical printing (`CanonicalizeBytes` / `String()`), without allocating
//! for every quantity whose canonical form fits in 64 bytes.

use std::fmt;
use std::ops::Deref;

use super::bigdec::{self, View};
use super::{Amount, Format, Quantity};

/// Room for any canonical form of an int64 amount.
const INLINE: usize = 64;

const ZEROS: &[u8; 64] = &[b'0'; 64];

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
    Inline { buf: [u8; INLINE], len: usize },
    Borrowed(&'a str),
    Owned(String),
}

impl Canonical<'_> {
    /// The canonical text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { buf, len } => buf
                .get(..*len)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
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

/// An output buffer: inline until it would overflow, then on the heap.
struct Out {
    buf: [u8; INLINE],
    len: usize,
    heap: Option<Vec<u8>>,
}

impl Out {
    fn new() -> Out {
        Out {
            buf: [0; INLINE],
            len: 0,
            heap: None,
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        if let Some(heap) = &mut self.heap {
            heap.extend_from_slice(bytes);
            return;
        }
        let end = self.len + bytes.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
            self.len = end;
        } else {
            let mut heap = Vec::with_capacity(end.max(2 * INLINE));
            heap.extend_from_slice(self.buf.get(..self.len).unwrap_or_default());
            heap.extend_from_slice(bytes);
            self.heap = Some(heap);
        }
    }

    fn finish(self) -> Canonical<'static> {
        match self.heap {
            Some(heap) => Canonical(Repr::Owned(String::from_utf8(heap).unwrap_or_default())),
            None => Canonical(Repr::Inline {
                buf: self.buf,
                len: self.len,
            }),
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
        let mut out = Out::new();
        match &self.amount {
            Amount::Int { value, scale } => write_int(&mut out, *value, *scale, self.format),
            Amount::Big(big) => write_view(&mut out, &big.view(), self.format),
        }
        out.finish()
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

fn write_int(out: &mut Out, value: i64, scale: i32, format: Format) {
    if value == 0 {
        out.push(b"0");
        return;
    }
    let (m, e) = normalise_int(value, scale);
    let neg = value < 0;
    if format == Format::BinarySI {
        if e < 0 {
            return write_int_decimal(out, neg, m, e, Format::DecimalSI);
        }
        let Some(int) = bigdec::pow10_u128(e as u32).and_then(|p| p.checked_mul(u128::from(m)))
        else {
            let mut buf = [0u8; 40];
            let digits = bigdec::write_u128(&mut buf, u128::from(m));
            return write_view(
                out,
                &View {
                    neg,
                    digits,
                    exp: e,
                },
                format,
            );
        };
        let k = (int.trailing_zeros() / 10).min(7) as usize;
        if int < 1024 || k == 7 {
            return write_int_decimal(out, neg, m, e, Format::DecimalSI);
        }
        if neg {
            out.push(b"-");
        }
        let mut buf = [0u8; 40];
        out.push(bigdec::write_u128(&mut buf, int >> (10 * k)));
        out.push(BINARY_SUFFIXES.get(k).unwrap_or(&"").as_bytes());
        return;
    }
    write_int_decimal(out, neg, m, e, format);
}

fn write_int_decimal(out: &mut Out, neg: bool, m: u64, e: i64, format: Format) {
    let mut buf = [0u8; 40];
    let digits = bigdec::write_u128(&mut buf, u128::from(m));
    write_decimal(
        out,
        &View {
            neg,
            digits,
            exp: e,
        },
        format,
    );
}

/// Prints a normalised decimal in `format`.
fn write_view(out: &mut Out, v: &View<'_>, format: Format) {
    if v.is_zero() {
        out.push(b"0");
        return;
    }
    match format {
        Format::BinarySI => write_binary(out, v),
        Format::DecimalSI | Format::DecimalExponent => write_decimal(out, v, format),
    }
}

/// DecimalSI / DecimalExponent: the exponent lowered to a multiple of three,
/// then the SI suffix, or `e<exp>` (for DecimalSI only outside n…E).
///
/// Kubernetes reads exponents as int32, so an exponent above the largest
/// multiple of three that fits (2147483646) is not printed: the mantissa takes
/// the extra zeros instead (`"1000e2147483647"` prints as `"10000e2147483646"`),
/// which keeps the canonical text a fixed point of parsing. Those zeros are
/// never more than the digits that produced them.
fn write_decimal(out: &mut Out, v: &View<'_>, format: Format) {
    const MAX_E3: i64 = 2_147_483_646;
    let e3 = (v.exp.div_euclid(3) * 3).min(MAX_E3);
    let mut zeros = usize::try_from(v.exp - e3).unwrap_or_default();
    if v.neg {
        out.push(b"-");
    }
    out.push(v.digits);
    while zeros > 0 {
        let n = zeros.min(ZEROS.len());
        out.push(ZEROS.get(..n).unwrap_or_default());
        zeros -= n;
    }
    let si = match (format, e3) {
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
    };
    match si {
        Some(s) => out.push(s.as_bytes()),
        None => {
            out.push(b"e");
            if e3 < 0 {
                out.push(b"-");
            }
            let mut buf = [0u8; 40];
            out.push(bigdec::write_u128(&mut buf, u128::from(e3.unsigned_abs())));
        }
    }
}

/// BinarySI: integers of magnitude ≥ 1024 with their factors of 1024 moved
/// into a `Ki`…`Ei` suffix; anything else prints as DecimalSI.
fn write_binary(out: &mut Out, v: &View<'_>) {
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
        out.push(b"-");
    }
    let ascii: Vec<u8> = int.iter().map(|d| d + b'0').collect();
    out.push(&ascii);
    out.push(BINARY_SUFFIXES.get(k).unwrap_or(&"").as_bytes());
}
