//! Exact decimals for the slow path (Kubernetes' `inf.Dec`): a sign, a run of
//! decimal digits and a power-of-ten exponent, with the few operations a
//! quantity needs, each linear in the number of digits.
//!
//! Every value here is *normalised*: no leading and no trailing zero digits,
//! and zero is the empty digit string. Two equal numbers therefore have equal
//! `(neg, digits, exp)`, which is what `Eq`, `Ord` and `Hash` rely on.

use std::cmp::Ordering;

/// How many digit positions an addition may need beyond its longer operand.
/// `1e2147483647 + 1n` would need about 2^31 digits; past this bound
/// [`add`] reports `None` instead of trying.
pub(crate) const MAX_ALIGN_DIGITS: usize = 1 << 22;

/// Powers of ten that fit in an i64 / u64.
pub(crate) const POW10: [u64; 20] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
];

/// 10^n as a u128, for n ≤ 38.
pub(crate) fn pow10_u128(n: u32) -> Option<u128> {
    10u128.checked_pow(n)
}

/// An owned exact decimal: `±digits × 10^exp` (digits in ASCII).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct BigDec {
    pub(crate) neg: bool,
    pub(crate) digits: Vec<u8>,
    pub(crate) exp: i64,
}

/// A borrowed, normalised exact decimal.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    pub(crate) neg: bool,
    pub(crate) digits: &'a [u8],
    pub(crate) exp: i64,
}

impl BigDec {
    /// Builds a normalised decimal from raw ASCII digits (leading and trailing
    /// zeros allowed).
    pub(crate) fn from_raw(neg: bool, mut digits: Vec<u8>, exp: i64) -> BigDec {
        let lead = digits.iter().take_while(|&&d| d == b'0').count();
        if lead == digits.len() {
            return BigDec::zero();
        }
        digits.drain(..lead);
        let mut d = BigDec { neg, digits, exp };
        d.strip_trailing_zeros();
        d
    }

    pub(crate) const fn zero() -> BigDec {
        BigDec {
            neg: false,
            digits: Vec::new(),
            exp: 0,
        }
    }

    /// The decimal of an i128 times 10^exp.
    pub(crate) fn from_i128(v: i128, exp: i64) -> BigDec {
        let mut buf = [0u8; 40];
        let digits = write_u128(&mut buf, v.unsigned_abs());
        BigDec::from_raw(v < 0, digits.to_vec(), exp)
    }

    pub(crate) fn view(&self) -> View<'_> {
        View {
            neg: self.neg,
            digits: &self.digits,
            exp: self.exp,
        }
    }

    fn strip_trailing_zeros(&mut self) {
        let trailing = self.digits.iter().rev().take_while(|&&d| d == b'0').count();
        if trailing == self.digits.len() {
            *self = BigDec::zero();
            return;
        }
        self.digits.truncate(self.digits.len() - trailing);
        self.exp = self.exp.saturating_add(trailing as i64);
    }

    /// Multiplies the magnitude by `m` (at most 2^60), exactly.
    pub(crate) fn mul_small(&mut self, m: u64) {
        if self.digits.is_empty() || m == 1 {
            return;
        }
        let mut out: Vec<u8> = Vec::with_capacity(self.digits.len() + 20);
        let mut carry: u128 = 0;
        for &d in self.digits.iter().rev() {
            let t = u128::from(d - b'0') * u128::from(m) + carry;
            out.push(b'0' + (t % 10) as u8);
            carry = t / 10;
        }
        while carry > 0 {
            out.push(b'0' + (carry % 10) as u8);
            carry /= 10;
        }
        out.reverse();
        self.digits = out;
        self.strip_trailing_zeros();
    }

    /// Rounds a non-zero magnitude up (away from zero) to a multiple of
    /// 10^-9, as `ParseQuantity` does.
    pub(crate) fn round_up_to_nano(&mut self) {
        const NANO: i64 = -9;
        if self.digits.is_empty() || self.exp >= NANO {
            return;
        }
        // Digits below 10^-9; the last one is non-zero, so rounding adds one.
        let drop = NANO.saturating_sub(self.exp);
        let keep = (self.digits.len() as i64).saturating_sub(drop);
        self.exp = NANO;
        if keep <= 0 {
            self.digits.clear();
            self.digits.push(b'1');
            return;
        }
        self.digits.truncate(keep as usize);
        let mut carried = true;
        for d in self.digits.iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                carried = false;
                break;
            }
        }
        if carried {
            self.digits.insert(0, b'1');
        }
        self.strip_trailing_zeros();
    }

    /// The value as `(mantissa, scale)` when the mantissa has at most 18
    /// digits and the scale fits an i32.
    pub(crate) fn to_small(&self) -> Option<(i64, i32)> {
        if self.digits.len() > 18 {
            return None;
        }
        let scale = i32::try_from(self.exp).ok()?;
        let mut v: i64 = 0;
        for &d in &self.digits {
            v = v * 10 + i64::from(d - b'0');
        }
        Some((if self.neg { -v } else { v }, scale))
    }
}

impl<'a> View<'a> {
    pub(crate) fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The power of ten just above the most significant digit.
    fn top(&self) -> i64 {
        (self.digits.len() as i64).saturating_add(self.exp)
    }

    pub(crate) fn signum(&self) -> Ordering {
        match (self.is_zero(), self.neg) {
            (true, _) => Ordering::Equal,
            (false, true) => Ordering::Less,
            (false, false) => Ordering::Greater,
        }
    }
}

/// Compares magnitudes of two non-zero normalised decimals.
pub(crate) fn cmp_mag(a: &View<'_>, b: &View<'_>) -> Ordering {
    a.top().cmp(&b.top()).then_with(|| a.digits.cmp(b.digits))
}

/// Compares two normalised decimals by value.
pub(crate) fn cmp(a: &View<'_>, b: &View<'_>) -> Ordering {
    let (sa, sb) = (a.signum(), b.signum());
    if sa != sb || sa == Ordering::Equal {
        return sa.cmp(&sb);
    }
    let mag = cmp_mag(a, b);
    if a.neg {
        mag.reverse()
    } else {
        mag
    }
}

/// `a + b` exactly, or `None` when aligning the operands would take more than
/// [`MAX_ALIGN_DIGITS`] digit positions beyond the longer operand.
pub(crate) fn add(a: &View<'_>, b: &View<'_>) -> Option<BigDec> {
    if b.is_zero() {
        return Some(owned(a));
    }
    if a.is_zero() {
        return Some(owned(b));
    }
    let lo = a.exp.min(b.exp);
    let hi = a.top().max(b.top());
    let width = usize::try_from(hi.checked_sub(lo)?).ok()?;
    let longest = a.digits.len().max(b.digits.len());
    if width > longest.saturating_add(MAX_ALIGN_DIGITS) {
        return None;
    }
    let (big, small) = if cmp_mag(a, b) == Ordering::Less {
        (b, a)
    } else {
        (a, b)
    };
    // Little-endian digit values, one spare position for the carry.
    let mut acc = vec![0u8; width + 1];
    place(&mut acc, big, lo)?;
    let off = usize::try_from(small.exp.checked_sub(lo)?).ok()?;
    let tail = acc.get_mut(off..)?;
    if big.neg == small.neg {
        let mut carry = 0u8;
        let mut rest = tail.iter_mut();
        for (&d, slot) in small.digits.iter().rev().zip(rest.by_ref()) {
            let t = *slot + (d - b'0') + carry;
            *slot = t % 10;
            carry = t / 10;
        }
        for slot in rest {
            if carry == 0 {
                break;
            }
            let t = *slot + carry;
            *slot = t % 10;
            carry = t / 10;
        }
    } else {
        let mut borrow = 0u8;
        let mut rest = tail.iter_mut();
        for (&d, slot) in small.digits.iter().rev().zip(rest.by_ref()) {
            let sub = (d - b'0') + borrow;
            if *slot >= sub {
                *slot -= sub;
                borrow = 0;
            } else {
                *slot = *slot + 10 - sub;
                borrow = 1;
            }
        }
        for slot in rest {
            if borrow == 0 {
                break;
            }
            if *slot >= 1 {
                *slot -= 1;
                borrow = 0;
            } else {
                *slot = 9;
            }
        }
    }
    let digits: Vec<u8> = acc.iter().rev().map(|d| d + b'0').collect();
    Some(BigDec::from_raw(big.neg, digits, lo))
}

/// Writes `v`'s digits as little-endian digit values into `acc`, which starts
/// at the power `lo`.
fn place(acc: &mut [u8], v: &View<'_>, lo: i64) -> Option<()> {
    let off = usize::try_from(v.exp.checked_sub(lo)?).ok()?;
    let slots = acc.get_mut(off..)?;
    for (slot, &d) in slots.iter_mut().zip(v.digits.iter().rev()) {
        *slot = d - b'0';
    }
    Some(())
}

fn owned(v: &View<'_>) -> BigDec {
    BigDec {
        neg: v.neg,
        digits: v.digits.to_vec(),
        exp: v.exp,
    }
}

/// `ceil(|v| / 10^scale)` with `v`'s sign (rounded away from zero), or `None`
/// when that does not fit an i64.
pub(crate) fn scaled_value(v: &View<'_>, scale: i32) -> Option<i64> {
    if v.is_zero() {
        return Some(0);
    }
    let e = v.exp.checked_sub(i64::from(scale))?;
    let len = v.digits.len() as i64;
    let mag: u128 = if e >= 0 {
        if len.checked_add(e)? > 19 {
            return None;
        }
        digits_u128(v.digits)? * pow10_u128(u32::try_from(e).ok()?)?
    } else {
        // Some non-zero digits fall below the unit: round away from zero.
        let int_len = len.checked_add(e)?;
        if int_len > 19 {
            return None;
        }
        let int_digits = usize::try_from(int_len.max(0)).ok()?;
        digits_u128(v.digits.get(..int_digits)?)? + 1
    };
    signed_i64(v.neg, mag)
}

/// Applies a sign to a magnitude, if the result fits an i64.
pub(crate) fn signed_i64(neg: bool, mag: u128) -> Option<i64> {
    if neg {
        let m = i128::try_from(mag).ok()?;
        i64::try_from(-m).ok()
    } else {
        i64::try_from(mag).ok()
    }
}

/// The value of at most 38 ASCII digits.
fn digits_u128(digits: &[u8]) -> Option<u128> {
    if digits.len() > 38 {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u128, |acc, &d| acc * 10 + u128::from(d - b'0')),
    )
}

/// Two-digit pairs "00".."99" for [`write_u64`].
pub(crate) const PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes the decimal digits of `v` at the end of `buf`; returns them.
pub(crate) fn write_u128(buf: &mut [u8; 40], v: u128) -> &[u8] {
    if let Ok(small) = u64::try_from(v) {
        return write_u64(buf, small);
    }
    let mut v = v;
    let mut i = buf.len();
    while v > 0 && i > 0 {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
    }
    buf.get(i..).unwrap_or_default()
}

/// Writes the decimal digits of `v` at the end of `buf`, two at a time.
pub(crate) fn write_u64(buf: &mut [u8; 40], mut v: u64) -> &[u8] {
    let mut i = buf.len();
    while v >= 100 {
        let pair = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        if let (Some(dst), Some(src)) = (buf.get_mut(i..i + 2), PAIRS.get(pair..pair + 2)) {
            dst.copy_from_slice(src);
        }
    }
    if v >= 10 {
        let pair = v as usize * 2;
        i -= 2;
        if let (Some(dst), Some(src)) = (buf.get_mut(i..i + 2), PAIRS.get(pair..pair + 2)) {
            dst.copy_from_slice(src);
        }
    } else {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + v as u8;
        }
    }
    buf.get(i..).unwrap_or_default()
}

/// Divides a big-endian run of digit values by 1024 in place if it is a
/// multiple of 1024 (decided by its last ten digits, as 1024 divides 10^10).
/// Returns whether it was.
pub(crate) fn div_exact_1024(digits: &mut Vec<u8>) -> bool {
    let start = digits.len().saturating_sub(10);
    let last10 = digits
        .get(start..)
        .unwrap_or_default()
        .iter()
        .fold(0u64, |acc, &d| acc * 10 + u64::from(d));
    if last10 % 1024 != 0 {
        return false;
    }
    let mut rem: u64 = 0;
    for d in digits.iter_mut() {
        let cur = rem * 10 + u64::from(*d);
        *d = (cur / 1024) as u8;
        rem = cur % 1024;
    }
    let lead = digits.iter().take_while(|&&d| d == 0).count();
    digits.drain(..lead);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(neg: bool, digits: &str, exp: i64) -> BigDec {
        BigDec::from_raw(neg, digits.as_bytes().to_vec(), exp)
    }

    #[test]
    fn normalises() {
        let d = dec(false, "0012300", -2);
        assert_eq!((d.digits.as_slice(), d.exp), (&b"123"[..], 0));
        assert_eq!(dec(true, "000", 5), BigDec::zero());
    }

    #[test]
    fn rounds_up_to_nano() {
        let mut d = dec(false, "9999999999", -10);
        d.round_up_to_nano();
        assert_eq!((d.digits.as_slice(), d.exp), (&b"1"[..], 0));
        let mut d = dec(true, "5", -20);
        d.round_up_to_nano();
        assert_eq!((d.neg, d.digits.as_slice(), d.exp), (true, &b"1"[..], -9));
        let mut d = dec(false, "30011", -13);
        d.round_up_to_nano();
        assert_eq!((d.digits.as_slice(), d.exp), (&b"4"[..], -9));
    }

    #[test]
    fn adds_and_subtracts() {
        let a = dec(false, "999", 0);
        let b = dec(false, "1", -3);
        let s = add(&a.view(), &b.view()).unwrap();
        assert_eq!((s.digits.as_slice(), s.exp), (&b"999001"[..], -3));
        let n = dec(true, "999001", -3);
        let d = add(&s.view(), &n.view()).unwrap();
        assert_eq!(d, BigDec::zero());
        let c = add(&dec(false, "1", 0).view(), &dec(true, "1", -9).view()).unwrap();
        assert_eq!(
            (c.neg, c.digits.as_slice(), c.exp),
            (false, &b"999999999"[..], -9)
        );
        let far = dec(false, "1", i64::from(i32::MAX));
        assert!(add(&far.view(), &dec(false, "1", -9).view()).is_none());
    }

    #[test]
    fn scaled_values_round_away_from_zero() {
        let v = dec(true, "15", -1);
        assert_eq!(scaled_value(&v.view(), 0), Some(-2));
        assert_eq!(scaled_value(&v.view(), -3), Some(-1500));
        assert_eq!(scaled_value(&dec(false, "1", 19).view(), 0), None);
        assert_eq!(
            scaled_value(&dec(true, "9223372036854775808", 0).view(), 0),
            Some(i64::MIN)
        );
    }

    #[test]
    fn writes_integers() {
        let mut buf = [0u8; 40];
        for v in [0u64, 7, 10, 99, 100, 12345, u64::MAX] {
            assert_eq!(write_u64(&mut buf, v), v.to_string().as_bytes());
        }
        assert_eq!(
            write_u128(&mut buf, u128::MAX),
            u128::MAX.to_string().as_bytes()
        );
    }

    #[test]
    fn divides_by_1024() {
        let mut d: Vec<u8> = b"1048576".iter().map(|d| d - b'0').collect();
        assert!(div_exact_1024(&mut d));
        assert_eq!(d, vec![1, 0, 2, 4]);
        assert!(div_exact_1024(&mut d));
        assert_eq!(d, vec![1]);
        assert!(!div_exact_1024(&mut d));
    }
}
