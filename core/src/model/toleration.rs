//! Toleration matching: whether a pod's tolerations tolerate a node's taints
//! (`v1.Toleration.ToleratesTaint` and component-helpers'
//! `TolerationsTolerateTaint` / `FindMatchingUntoleratedTaint`).
//!
//! With the `TaintTolerationComparisonOperators` gate, `Lt`/`Gt` compare the
//! taint's value with the toleration's as integers in canonical decimal form;
//! a value that is not one is a [`TolerationError`] (the scheduler turns it
//! into an `UnschedulableAndUnresolvable` status carrying its message).
//!
//! ```
//! use kubelogic::model::{Taint, TaintEffect, Toleration, TolerationOperator};
//!
//! let taint = Taint { key: "sla".into(), value: Some("800".into()),
//!                     effect: TaintEffect::NoSchedule, time_added: None };
//! let lt = Toleration { key: Some("sla".into()), operator: Some(TolerationOperator::Lt),
//!                       value: Some("950".into()), ..Toleration::default() };
//! assert_eq!(lt.tolerates_taint(&taint, true), Ok(true));
//! assert_eq!(lt.tolerates_taint(&taint, false), Ok(false));
//! let everything = Toleration { operator: Some(TolerationOperator::Exists), ..Toleration::default() };
//! assert_eq!(everything.tolerates_taint(&taint, false), Ok(true));
//! ```

use std::fmt;

use super::affinity::{Toleration, TolerationOperator};
use super::node::Taint;

/// Why a numeric (`Lt`/`Gt`) toleration could not be compared with a taint.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TolerationError {
    /// The toleration's value is not an integer in canonical decimal form.
    TolerationValue {
        /// The value.
        value: String,
        /// Why (`must be a valid decimal integer in canonical form`, ...).
        reason: String,
    },
    /// The taint's value is not an integer in canonical decimal form.
    TaintValue {
        /// The value.
        value: String,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for TolerationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TolerationError::TolerationValue { value, reason } => {
                write!(
                    f,
                    "failed to parse toleration value {} as int64: {reason}",
                    crate::quote::go_quote(value)
                )
            }
            TolerationError::TaintValue { value, reason } => {
                write!(
                    f,
                    "failed to parse taint value {} as int64: {reason}",
                    crate::quote::go_quote(value)
                )
            }
        }
    }
}

impl std::error::Error for TolerationError {}

const DECIMAL_INTEGER_ERR_MSG: &str = "must be a valid decimal integer in canonical form";

/// `content.IsDecimalInteger` followed by `strconv.ParseInt(s, 10, 64)`: the
/// value, or why it is not a canonical decimal int64.
fn parse_decimal_integer(value: &str) -> Result<i64, String> {
    let bytes = value.as_bytes();
    let Some(&first) = bytes.first() else {
        return Err("must be non-empty".to_owned());
    };
    let digits = if first == b'-' {
        bytes.get(1..).unwrap_or_default()
    } else {
        bytes
    };
    let canonical = match digits.split_first() {
        None => false,
        Some((b'0', rest)) => rest.is_empty() && first != b'-',
        Some((d, rest)) => (b'1'..=b'9').contains(d) && rest.iter().all(u8::is_ascii_digit),
    };
    if !canonical {
        return Err(DECIMAL_INTEGER_ERR_MSG.to_owned());
    }
    value.parse::<i64>().map_err(|_| {
        format!(
            "strconv.ParseInt: parsing {}: value out of range",
            crate::quote::go_quote(value)
        )
    })
}

impl Toleration {
    /// `ToleratesTaint`: the effect (if set) and the key (if set) must be
    /// equal; then `Equal` (or no operator) compares values, `Exists`
    /// matches any value, and `Lt`/`Gt` compare integers when
    /// `enable_comparison_operators` (otherwise they never match).
    pub fn tolerates_taint(
        &self,
        taint: &Taint,
        enable_comparison_operators: bool,
    ) -> Result<bool, TolerationError> {
        if self.effect.is_some_and(|e| e != taint.effect) {
            return Ok(false);
        }
        if let Some(key) = self.key.as_deref().filter(|k| !k.is_empty()) {
            if key != taint.key {
                return Ok(false);
            }
        }
        let value = self.value.as_deref().unwrap_or("");
        match self.operator {
            None | Some(TolerationOperator::Equal) => Ok(value == taint.value()),
            Some(TolerationOperator::Exists) => Ok(true),
            Some(op @ (TolerationOperator::Lt | TolerationOperator::Gt)) => {
                if !enable_comparison_operators {
                    return Ok(false);
                }
                let bound = parse_decimal_integer(value).map_err(|reason| {
                    TolerationError::TolerationValue {
                        value: value.to_owned(),
                        reason,
                    }
                })?;
                let actual = parse_decimal_integer(taint.value()).map_err(|reason| {
                    TolerationError::TaintValue {
                        value: taint.value().to_owned(),
                        reason,
                    }
                })?;
                Ok(if op == TolerationOperator::Lt {
                    actual < bound
                } else {
                    actual > bound
                })
            }
        }
    }
}

/// `TolerationsTolerateTaint`: whether any toleration tolerates the taint.
/// When none does and one of them failed to compare, that first error.
pub fn tolerations_tolerate_taint<'a>(
    tolerations: impl IntoIterator<Item = &'a Toleration>,
    taint: &Taint,
    enable_comparison_operators: bool,
) -> Result<bool, TolerationError> {
    let mut first_err = None;
    for t in tolerations {
        match t.tolerates_taint(taint, enable_comparison_operators) {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some(e);
                }
            }
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(false),
    }
}

/// What [`find_matching_untolerated_taint`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UntoleratedTaint<'a> {
    /// Every considered taint is tolerated.
    None,
    /// The first considered taint no toleration tolerates.
    Taint(&'a Taint),
    /// No taint is cleanly untolerated, but comparing this one failed.
    Error(&'a Taint, TolerationError),
}

/// `FindMatchingUntoleratedTaint`: the first taint accepted by `filter` that
/// the tolerations do not tolerate, preferring a cleanly untolerated taint
/// over a comparison error (so the result does not depend on taint order).
pub fn find_matching_untolerated_taint<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    filter: impl Fn(&Taint) -> bool,
    enable_comparison_operators: bool,
) -> UntoleratedTaint<'a> {
    let mut first_err = None;
    for taint in taints.iter().filter(|t| filter(t)) {
        match tolerations_tolerate_taint(tolerations, taint, enable_comparison_operators) {
            Ok(true) => {}
            Ok(false) => return UntoleratedTaint::Taint(taint),
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some((taint, e));
                }
            }
        }
    }
    match first_err {
        Some((taint, e)) => UntoleratedTaint::Error(taint, e),
        None => UntoleratedTaint::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TaintEffect;

    fn taint(key: &str, value: &str) -> Taint {
        Taint {
            key: key.into(),
            value: Some(value.into()),
            effect: TaintEffect::NoSchedule,
            time_added: None,
        }
    }

    #[test]
    fn decimal_integers() {
        assert_eq!(parse_decimal_integer("0"), Ok(0));
        assert_eq!(parse_decimal_integer("-12"), Ok(-12));
        assert!(parse_decimal_integer("-0").is_err());
        assert!(parse_decimal_integer("012").is_err());
        assert!(parse_decimal_integer("+1").is_err());
        assert!(parse_decimal_integer("-").is_err());
        assert_eq!(parse_decimal_integer(""), Err("must be non-empty".into()));
        assert!(parse_decimal_integer("99999999999999999999").is_err());
    }

    #[test]
    fn comparison_errors_prefer_clean_untolerated() {
        let taints = [taint("a", "high"), taint("b", "x")];
        let tols = [Toleration {
            key: Some("a".into()),
            operator: Some(TolerationOperator::Gt),
            value: Some("1".into()),
            ..Toleration::default()
        }];
        match find_matching_untolerated_taint(&taints, &tols, |_| true, true) {
            UntoleratedTaint::Taint(t) => assert_eq!(t.key, "b"),
            other => panic!("{other:?}"),
        }
        match find_matching_untolerated_taint(&taints[..1], &tols, |_| true, true) {
            UntoleratedTaint::Error(_, e) => assert_eq!(
                e.to_string(),
                "failed to parse taint value \"high\" as int64: must be a valid decimal integer in canonical form"
            ),
            other => panic!("{other:?}"),
        }
    }
}
