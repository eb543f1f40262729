//! MostAllocated: favours fuller nodes (bin packing), each resource scored
//! `min(requested, allocatable) * 100 / allocatable`, weighted
//! (`most_allocated.go`).
//!
//! ```
//! use kubelogic::scheduler::plugins::noderesources::most_allocated::most_resource_scorer;
//!
//! // cpu 3000/4000 → 75, memory 5000/10000 → 50: (75 + 50) / 2 = 62.
//! assert_eq!(most_resource_scorer([1, 1].into_iter(), &[3000, 5000], &[4000, 10000]), 62);
//! ```

use crate::scheduler::framework::{mul_checked, MAX_NODE_SCORE};

/// `mostRequestedScore`: the request is capped at the capacity (the
/// non-zero defaults may exceed it).
#[inline(always)]
pub fn most_requested_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 {
        return 0;
    }
    let requested = requested.min(capacity);
    match mul_checked(requested, MAX_NODE_SCORE).and_then(|n| n.checked_div(capacity)) {
        Some(score) => score,
        None => {
            let score = i128::from(requested) * i128::from(MAX_NODE_SCORE) / i128::from(capacity);
            i64::try_from(score).unwrap_or(0)
        }
    }
}

/// `mostResourceScorer`: the weighted integer mean over the resources with
/// a non-zero allocatable amount (0 when there is none).
#[inline(always)]
pub fn most_resource_scorer(
    weights: impl Iterator<Item = i64>,
    requested: &[i64],
    allocatable: &[i64],
) -> i64 {
    super::resource_allocation::weighted_resource_score(
        weights,
        requested,
        allocatable,
        most_requested_score,
    )
}
