//! LeastAllocated: favours nodes with more free room, each resource scored
//! `(allocatable - requested) * 100 / allocatable`, weighted
//! (`least_allocated.go`).
//!
//! ```
//! use kubelogic::scheduler::plugins::noderesources::least_allocated::least_resource_scorer;
//!
//! // cpu 3000/4000 → 25, memory 5000/10000 → 50: (25 + 50) / 2 = 37.
//! assert_eq!(least_resource_scorer([1, 1].into_iter(), &[3000, 5000], &[4000, 10000]), 37);
//! ```

use crate::scheduler::framework::{mul_checked, MAX_NODE_SCORE};

/// `leastRequestedScore`: 0 when nothing is allocatable or the request exceeds it.
#[inline(always)]
pub fn least_requested_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    // i64 unless the product overflows (huge capacities), then i128.
    match capacity
        .checked_sub(requested)
        .and_then(|free| mul_checked(free, MAX_NODE_SCORE))
        .and_then(|n| n.checked_div(capacity))
    {
        Some(score) => score,
        None => {
            let score = (i128::from(capacity) - i128::from(requested)) * i128::from(MAX_NODE_SCORE)
                / i128::from(capacity);
            i64::try_from(score).unwrap_or(0)
        }
    }
}

/// `leastResourceScorer`: the weighted integer mean over the resources
/// with a non-zero allocatable amount (0 when there is none).
#[inline(always)]
pub fn least_resource_scorer(
    weights: impl Iterator<Item = i64>,
    requested: &[i64],
    allocatable: &[i64],
) -> i64 {
    super::resource_allocation::weighted_resource_score(
        weights,
        requested,
        allocatable,
        least_requested_score,
    )
}
