//! RequestedToCapacityRatio: each resource's utilization (0..=100) mapped
//! through a broken-linear shape whose scores (0..=10) are scaled to
//! 0..=100; the weighted mean of the non-zero resource scores, rounded
//! (`requested_to_capacity_ratio.go`, `helper/shape_score.go`).
//!
//! ```
//! use kubelogic::scheduler::plugins::noderesources::requested_to_capacity_ratio::*;
//!
//! // The "least requested" shape: 0% → 10, 100% → 0.
//! let shape = scale_shape(&[UtilizationShapePoint { utilization: 0, score: 10 },
//!                           UtilizationShapePoint { utilization: 100, score: 0 }]);
//! assert_eq!(broken_linear(&shape, 25), 75);
//! assert_eq!(requested_to_capacity_ratio_scorer(&shape, [1, 1].into_iter(), &[3000, 5000], &[4000, 10000]), 38);
//! ```

use serde::Deserialize;

use crate::scheduler::framework::{mul_checked, mul_saturating, MAX_NODE_SCORE};

/// `MaxCustomPriorityScore`: the top of a shape's score scale.
pub const MAX_CUSTOM_PRIORITY_SCORE: i64 = 10;
/// `maxUtilization`.
pub const MAX_UTILIZATION: i64 = 100;

/// `config.UtilizationShapePoint` (args form: score 0..=10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UtilizationShapePoint {
    /// Utilization, 0..=100.
    #[serde(default)]
    pub utilization: i32,
    /// Score, 0..=10.
    #[serde(default)]
    pub score: i32,
}

/// `helper.FunctionShapePoint` (score scaled to 0..=100).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionShapePoint {
    /// Utilization.
    pub utilization: i64,
    /// Score.
    pub score: i64,
}

/// Scales the args' shape scores by `MaxNodeScore / MaxCustomPriorityScore`.
pub fn scale_shape(shape: &[UtilizationShapePoint]) -> Vec<FunctionShapePoint> {
    shape
        .iter()
        .map(|p| FunctionShapePoint {
            utilization: i64::from(p.utilization),
            score: i64::from(p.score) * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE),
        })
        .collect()
}

/// `BuildBrokenLinearFunction`: the score at utilization `p`, interpolated
/// with integer arithmetic (truncating toward zero) between the points.
pub fn broken_linear(shape: &[FunctionShapePoint], p: i64) -> i64 {
    let mut prev: Option<&FunctionShapePoint> = None;
    for point in shape {
        if p <= point.utilization {
            return match prev {
                None => point.score,
                Some(pr) => {
                    let du = point.utilization - pr.utilization;
                    if du == 0 {
                        return point.score;
                    }
                    pr.score + (point.score - pr.score) * (p - pr.utilization) / du
                }
            };
        }
        prev = Some(point);
    }
    prev.map_or(0, |p| p.score)
}

/// The score of one resource: its utilization (100 when over capacity or
/// nothing is allocatable) through the shape.
pub fn resource_scoring_function(
    shape: &[FunctionShapePoint],
    requested: i64,
    capacity: i64,
) -> i64 {
    if capacity == 0 || requested > capacity {
        return broken_linear(shape, MAX_UTILIZATION);
    }
    // 128-bit only when `requested * 100` overflows (as upstream's scaledUtilization).
    let util = match mul_checked(requested, MAX_UTILIZATION).and_then(|n| n.checked_div(capacity)) {
        Some(u) => u,
        None => {
            let u = i128::from(requested) * i128::from(MAX_UTILIZATION) / i128::from(capacity);
            i64::try_from(u).unwrap_or(MAX_UTILIZATION)
        }
    };
    broken_linear(shape, util)
}

/// `buildRequestedToCapacityRatioScorerFunction`: resources scoring 0 are
/// left out of the weighted mean, which is rounded half away from zero.
pub fn requested_to_capacity_ratio_scorer(
    shape: &[FunctionShapePoint],
    weights: impl Iterator<Item = i64>,
    requested: &[i64],
    allocatable: &[i64],
) -> i64 {
    let mut node_score: i64 = 0;
    let mut weight_sum: i64 = 0;
    for ((w, r), a) in weights.zip(requested).zip(allocatable) {
        if *a == 0 {
            continue;
        }
        let s = resource_scoring_function(shape, *r, *a);
        if s > 0 {
            node_score = node_score.saturating_add(mul_saturating(s, w));
            weight_sum = weight_sum.saturating_add(w);
        }
    }
    if weight_sum == 0 {
        return 0;
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let score = (node_score as f64 / weight_sum as f64).round() as i64;
    score
}
