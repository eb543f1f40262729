//! Eviction thresholds (`evictionapi.Threshold`): a signal, the `LessThan`
//! operator, a value (a quantity or a percentage of capacity), a grace
//! period (zero for hard thresholds) and an optional minimum reclaim.
//!
//! Percentages are kept as Kubernetes keeps them, in a Go `float32`
//! (`"10.5%"` is `0.105f32`, which is 0.10499999672…), and resolved against a
//! capacity exactly as `evictionapi.GetThresholdQuantity` does:
//! `int64(float64(capacity) * float64(percentage))`, truncated. This is the
//! only place where a float enters a decision; it is reproduced bit for bit.
//!
//! ```
//! use kubelogic::eviction::{Percentage, ThresholdValue};
//! use kubelogic::Quantity;
//!
//! let p = Percentage::parse("10%")?;
//! let v = ThresholdValue::Percentage(p);
//! // 10% of 1000Mi as the kubelet computes it: 0.1 is the float32
//! // 0.100000001490116…, so the threshold is one byte above 100Mi.
//! let q = v.resolve(Some(1000 * 1024 * 1024)).expect("capacity given");
//! assert_eq!(q.to_string(), "104857601");
//! let half = ThresholdValue::Percentage(Percentage::parse("50%")?);
//! assert_eq!(half.resolve(Some(1 << 30)).map(|q| q.to_string()), Some("512Mi".into()));
//! let fixed = ThresholdValue::Quantity(Quantity::parse("100Mi")?);
//! assert_eq!(fixed.resolve(None).map(|q| q.to_string()), Some("100Mi".into()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use super::duration::Duration;
use super::signals::Signal;
use crate::quantity::{Format, Quantity};
use crate::quote::go_quote;
use crate::strconv;

/// The only operator Kubernetes defines for eviction thresholds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Operator {
    /// `LessThan`: the threshold is met when available < value.
    #[default]
    LessThan,
}

/// A percentage as the kubelet stores it: a fraction in a Go `float32`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Percentage(f32);

/// Why a percentage did not parse; `Display` is Go's `strconv.ParseFloat` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PercentageError {
    /// The number text handed to `ParseFloat` (the input without trailing `%`).
    pub number: String,
    /// `true` for `value out of range`, `false` for `invalid syntax`.
    pub out_of_range: bool,
}

impl fmt::Display for PercentageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "strconv.ParseFloat: parsing {}: {}",
            go_quote(&self.number),
            if self.out_of_range {
                "value out of range"
            } else {
                "invalid syntax"
            }
        )
    }
}

impl std::error::Error for PercentageError {}

impl Percentage {
    /// Parses `"<float>%"` as the kubelet's `parsePercentage`:
    /// `strconv.ParseFloat(strings.TrimRight(s, "%"), 32)`, then `/ 100` in `float32`.
    ///
    /// Every spelling Go accepts is accepted, with Go's value: hexadecimal
    /// floats (`0x1p-2%`), digit underscores (`1_0%`), `Inf`, `NaN`.
    ///
    /// ```
    /// use kubelogic::eviction::Percentage;
    ///
    /// assert_eq!(Percentage::parse("10.5%")?.fraction(), 10.5f32 / 100.0);
    /// assert_eq!(Percentage::parse("0x1p-2%")?.fraction(), 0.0025f32);
    /// let err = Percentage::parse("1e39%").unwrap_err();
    /// assert_eq!(err.to_string(), r#"strconv.ParseFloat: parsing "1e39": value out of range"#);
    /// # Ok::<(), kubelogic::eviction::PercentageError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Percentage, PercentageError> {
        let number = s.trim_end_matches('%');
        match strconv::parse_float32(number) {
            Ok(value) => Ok(Percentage(value / 100.0)),
            Err(e) => Err(PercentageError {
                number: number.to_owned(),
                out_of_range: e == strconv::ParseFloatError::Range,
            }),
        }
    }

    /// A fraction (`0.1` for 10%), as the kubelet stores it.
    pub const fn from_fraction(fraction: f32) -> Percentage {
        Percentage(fraction)
    }

    /// The fraction as a `float32`.
    pub const fn fraction(self) -> f32 {
        self.0
    }

    /// `int64(float64(capacity) * float64(p))` as Go computes it on amd64
    /// (an out-of-range or NaN product converts to `i64::MIN`).
    pub fn of(self, capacity: i64) -> i64 {
        #[allow(clippy::cast_precision_loss)]
        let product = capacity as f64 * f64::from(self.0);
        // 2^63 as f64 is exact.
        const TWO_63: f64 = 9_223_372_036_854_775_808.0;
        if (-TWO_63..TWO_63).contains(&product) {
            #[allow(clippy::cast_possible_truncation)]
            let v = product as i64;
            v
        } else {
            i64::MIN
        }
    }
}

impl fmt::Display for Percentage {
    /// The fraction as a percentage, e.g. `10%` or `10.5%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0 * 100.0)
    }
}

/// A threshold value: a fixed quantity, or a percentage of the signal's capacity.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ThresholdValue {
    /// A fixed quantity (`100Mi`, `1200` pids).
    Quantity(Quantity),
    /// A fraction of the observed capacity.
    Percentage(Percentage),
}

impl ThresholdValue {
    /// The quantity this value stands for given a capacity
    /// (`evictionapi.GetThresholdQuantity`). `None` when a percentage has no
    /// capacity to apply to.
    pub fn resolve(&self, capacity: Option<i64>) -> Option<Quantity> {
        match self {
            ThresholdValue::Quantity(q) => Some(q.clone()),
            ThresholdValue::Percentage(p) => {
                capacity.map(|c| Quantity::from_value(p.of(c), Format::BinarySI))
            }
        }
    }

    /// The value in whole units, rounded up (exact for comparisons with an
    /// integer observation: `t > a ⇔ ⌈t⌉ > a`).
    pub(crate) fn ceil_units(&self, capacity: Option<i64>) -> Option<i128> {
        match self {
            ThresholdValue::Quantity(q) => Some(quantity_ceil_units(q)),
            ThresholdValue::Percentage(p) => capacity.map(|c| i128::from(p.of(c))),
        }
    }

    /// Whether the two values are logically equal (`compareThresholdValue`).
    pub fn same_as(&self, other: &ThresholdValue) -> bool {
        match (self, other) {
            (ThresholdValue::Quantity(a), ThresholdValue::Quantity(b)) => a == b,
            (ThresholdValue::Percentage(a), ThresholdValue::Percentage(b)) => a.0 == b.0,
            _ => false,
        }
    }
}

impl fmt::Display for ThresholdValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThresholdValue::Quantity(q) => q.fmt(f),
            ThresholdValue::Percentage(p) => p.fmt(f),
        }
    }
}

/// A quantity in whole units, rounded up; values beyond `i64` saturate
/// beyond every observation.
pub(crate) fn quantity_ceil_units(q: &Quantity) -> i128 {
    match q.value() {
        Some(v) => i128::from(v),
        None if q.signum().is_lt() => i128::from(i64::MIN) - 1,
        None => i128::from(i64::MAX) + 1,
    }
}

/// A quantity in milli-units, rounded up; values beyond `i64` milli-units
/// fall back to whole units.
pub(crate) fn quantity_milli(q: &Quantity) -> i128 {
    match q.milli_value() {
        Some(v) => i128::from(v),
        None => quantity_ceil_units(q).saturating_mul(1000),
    }
}

/// One eviction threshold.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Threshold {
    /// The signal observed.
    pub signal: Signal,
    /// Always `LessThan`.
    pub operator: Operator,
    /// Met when the available amount is below this.
    pub value: ThresholdValue,
    /// How long the threshold must hold before it drives eviction; zero for a
    /// hard threshold.
    pub grace_period: Duration,
    /// Once met, eviction continues until available ≥ value + min-reclaim.
    pub min_reclaim: Option<ThresholdValue>,
}

impl Threshold {
    /// A hard threshold (`isHardEvictionThreshold`: grace period zero).
    pub fn is_hard(&self) -> bool {
        self.grace_period == Duration::ZERO
    }

    /// Whether `available` meets this threshold (`thresholdsMet`), optionally
    /// with the minimum reclaim added to the value. `None` when the value is
    /// a percentage and there is no capacity to apply it to (the threshold is
    /// then not evaluated); a quantity threshold needs only `available`.
    ///
    /// ```
    /// use kubelogic::eviction::EvictionConfig;
    ///
    /// let config = EvictionConfig::from_flags([
    ///     "--eviction-hard=memory.available<1Gi,nodefs.available<10%",
    ///     "--eviction-minimum-reclaim=memory.available=5%",
    /// ])
    /// .unwrap();
    /// let find = |s: &str| config.thresholds.iter().find(|t| t.signal.to_string() == s).unwrap();
    /// let (memory, nodefs) = (find("memory.available"), find("nodefs.available"));
    /// assert_eq!(memory.to_string(), "memory.available<1Gi");
    /// // No capacity observed: the quantity still counts, a 5% minimum
    /// // reclaim adds nothing, a percentage threshold cannot be evaluated.
    /// assert_eq!(memory.is_met(512 << 20, None, true), Some(true));
    /// assert_eq!(nodefs.is_met(512 << 20, None, false), None);
    /// ```
    pub fn is_met(
        &self,
        available: i64,
        capacity: Option<i64>,
        enforce_min_reclaim: bool,
    ) -> Option<bool> {
        let mut value = self.value.ceil_units(capacity)?;
        if enforce_min_reclaim {
            if let Some(min) = &self.min_reclaim {
                value = match (&self.value, min) {
                    // Both fixed: add exactly before rounding.
                    (ThresholdValue::Quantity(a), ThresholdValue::Quantity(b)) => a
                        .checked_add(b)
                        .map(|s| quantity_ceil_units(&s))
                        .unwrap_or_else(|| value.saturating_add(quantity_ceil_units(b))),
                    // A percentage resolves to whole units: ⌈a + n⌉ = ⌈a⌉ + n.
                    // Without a capacity a percentage minimum reclaim has
                    // nothing to apply to: the threshold itself still counts
                    // (only percentages need the capacity).
                    _ => value.saturating_add(min.ceil_units(capacity).unwrap_or(0)),
                };
            }
        }
        Some(value > i128::from(available))
    }

    /// `threshold(signal=…, operator=…, value=…, gracePeriod=…)`, as the kubelet logs it.
    pub fn describe(&self) -> String {
        format!(
            "threshold(signal={}, operator=LessThan, value={}, gracePeriod={})",
            self.signal, self.value, self.grace_period
        )
    }
}

impl fmt::Display for Threshold {
    /// `memory.available<100Mi` (with ` for 1m30s` for a soft threshold).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}<{}", self.signal, self.value)?;
        if !self.is_hard() {
            write!(f, " for {}", self.grace_period)?;
        }
        Ok(())
    }
}
