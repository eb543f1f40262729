//! `Add`, `Sub`, `Neg`, `Cmp`: exact arithmetic and comparison, int64 fast path
//! first, exact decimals when that overflows.

use std::cmp::Ordering;

use super::bigdec::{self, BigDec};
use super::{Amount, Quantity};

impl Amount {
    /// Aligns two int64 amounts to the smaller scale as i128s, when the scales
    /// are at most 18 apart (so neither product overflows an i128).
    fn align(a: (i64, i32), b: (i64, i32)) -> Option<(i128, i128, i32)> {
        let ((va, sa), (vb, sb)) = (a, b);
        let diff = i64::from(sa) - i64::from(sb);
        let p = |d: i64| bigdec::POW10.get(d as usize).map(|&p| i128::from(p));
        match diff {
            0 => Some((i128::from(va), i128::from(vb), sa)),
            1..=18 => Some((i128::from(va) * p(diff)?, i128::from(vb), sb)),
            -18..=-1 => Some((i128::from(va), i128::from(vb) * p(-diff)?, sa)),
            _ => None,
        }
    }

    pub(crate) fn cmp(&self, other: &Amount) -> Ordering {
        if let (
            Amount::Int {
                value: a,
                scale: sa,
            },
            Amount::Int {
                value: b,
                scale: sb,
            },
        ) = (self, other)
        {
            if *a == 0 || *b == 0 || (a < &0) != (b < &0) {
                return a.signum().cmp(&b.signum());
            }
            if let Some((x, y, _)) = Amount::align((*a, *sa), (*b, *sb)) {
                return x.cmp(&y);
            }
        }
        self.with_view(|a| other.with_view(|b| bigdec::cmp(&a, &b)))
    }

    fn checked_add(&self, other: &Amount) -> Option<Amount> {
        if other.is_zero() {
            return Some(self.clone());
        }
        if self.is_zero() {
            return Some(other.clone());
        }
        if let (
            Amount::Int {
                value: a,
                scale: sa,
            },
            Amount::Int {
                value: b,
                scale: sb,
            },
        ) = (self, other)
        {
            if let Some((x, y, scale)) = Amount::align((*a, *sa), (*b, *sb)) {
                let sum = x + y;
                return Some(match i64::try_from(sum) {
                    Ok(value) => Amount::Int { value, scale },
                    Err(_) => Amount::from_big(BigDec::from_i128(sum, i64::from(scale))),
                });
            }
        }
        self.with_view(|a| other.with_view(|b| bigdec::add(&a, &b)))
            .map(Amount::from_big)
    }

    pub(crate) fn neg(&self) -> Amount {
        match self {
            Amount::Int { value, scale } => match value.checked_neg() {
                Some(value) => Amount::Int {
                    value,
                    scale: *scale,
                },
                None => Amount::Big(Box::new(BigDec::from_i128(
                    -i128::from(*value),
                    i64::from(*scale),
                ))),
            },
            Amount::Big(b) => {
                let mut b = b.clone();
                b.neg = !b.neg && !b.digits.is_empty();
                Amount::Big(b)
            }
        }
    }
}

impl Quantity {
    /// `self + rhs`, exactly (Kubernetes' `Add`).
    ///
    /// The result keeps `self`'s format, except that a zero `self` takes
    /// `rhs`'s; the result prints canonically (no echoed input). `None` only
    /// when the exact result is unreasonably large: when lining the operands up
    /// would need more than 2^22 (4 Mi) decimal digits beyond the longer
    /// operand's own digits, as for `1e2147483647 + 1n`.
    ///
    /// ```
    /// use kubelogic::Quantity;
    ///
    /// let a: Quantity = "1Gi".parse()?;
    /// let b: Quantity = "512Mi".parse()?;
    /// assert_eq!(a.checked_add(&b).unwrap().to_string(), "1536Mi");
    /// // The left operand's format wins, unless it is zero.
    /// let ten: Quantity = "10".parse()?;
    /// assert_eq!(ten.checked_add(&"1Ki".parse()?).unwrap().to_string(), "1034");
    /// assert_eq!(Quantity::zero().checked_add(&a).unwrap().to_string(), "1Gi");
    /// // Exact beyond i64.
    /// let e: Quantity = "9E".parse()?;
    /// assert_eq!(e.checked_add(&e).unwrap().to_string(), "18E");
    /// // Unreasonably large.
    /// let huge: Quantity = "1e2147483647".parse()?;
    /// assert_eq!(huge.checked_add(&"1n".parse()?), None);
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    pub fn checked_add(&self, rhs: &Quantity) -> Option<Quantity> {
        let format = if self.is_zero() {
            rhs.format
        } else {
            self.format
        };
        Some(Quantity::from_amount(
            self.amount.checked_add(&rhs.amount)?,
            format,
        ))
    }

    /// `self - rhs`, exactly (Kubernetes' `Sub`); the same format rule and
    /// bound as [`checked_add`](Quantity::checked_add).
    ///
    /// ```
    /// use kubelogic::Quantity;
    ///
    /// let a: Quantity = "1".parse()?;
    /// assert_eq!(a.checked_sub(&"1n".parse()?).unwrap().to_string(), "999999999n");
    /// assert_eq!(a.checked_sub(&a).unwrap().to_string(), "0");
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    pub fn checked_sub(&self, rhs: &Quantity) -> Option<Quantity> {
        let format = if self.is_zero() {
            rhs.format
        } else {
            self.format
        };
        let amount = match &rhs.amount {
            Amount::Int { value, scale } if *value != i64::MIN => {
                self.amount.checked_add(&Amount::Int {
                    value: -value,
                    scale: *scale,
                })?
            }
            other => self.amount.checked_add(&other.neg())?,
        };
        Some(Quantity::from_amount(amount, format))
    }

    /// `-self`, in the same format (Kubernetes' `Neg`).
    ///
    /// ```
    /// use kubelogic::Quantity;
    ///
    /// assert_eq!("1.5Gi".parse::<Quantity>()?.neg().to_string(), "-1536Mi");
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn neg(&self) -> Quantity {
        Quantity::from_amount(self.amount.neg(), self.format)
    }

    /// Compares with an integer (Kubernetes' `CmpInt64`).
    ///
    /// ```
    /// use kubelogic::Quantity;
    /// use std::cmp::Ordering;
    ///
    /// assert_eq!("1Ki".parse::<Quantity>()?.cmp_i64(1024), Ordering::Equal);
    /// assert_eq!("1001m".parse::<Quantity>()?.cmp_i64(1), Ordering::Greater);
    /// # Ok::<(), kubelogic::QuantityError>(())
    /// ```
    pub fn cmp_i64(&self, v: i64) -> Ordering {
        self.amount.cmp(&Amount::Int { value: v, scale: 0 })
    }
}

impl std::ops::Neg for &Quantity {
    type Output = Quantity;
    fn neg(self) -> Quantity {
        Quantity::neg(self)
    }
}

impl std::ops::Neg for Quantity {
    type Output = Quantity;
    fn neg(self) -> Quantity {
        Quantity::neg(&self)
    }
}
