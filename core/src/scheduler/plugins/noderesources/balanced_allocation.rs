//! NodeResourcesBalancedAllocation: favours nodes whose resources would be
//! used in even proportions with the pod on them: `(1 - std) * 100` over
//! the fractions `requested / allocatable` (capped at 1), truncated
//! (`balanced_allocation.go`). True requests, no non-zero defaults; a pod
//! requesting none of the resources is skipped (PreScore returns Skip).
//!
//! ```
//! use kubelogic::scheduler::plugins::noderesources::balanced_allocation::balanced_resource_scorer;
//!
//! // cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5: std 0.125 → 87.
//! assert_eq!(balanced_resource_scorer(&[3000, 5000], &[4000, 10000]), 87);
//! ```

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use crate::model::validation::FieldError;
use crate::scheduler::framework::{
    CycleState, NodeScore, PreScorePlugin, ScorePlugin, Status, MAX_NODE_SCORE,
};
use crate::scheduler::plugins::{decode_args, names, ConfigError};
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};

use super::resource_allocation::{is_best_effort_pod, ResourceAllocationScorer, Scorer};
use super::{default_resources, ResourceSpec};

/// `NodeResourcesBalancedAllocationArgs`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeResourcesBalancedAllocationArgs {
    /// The resources to balance (default cpu and memory; weights must be 1).
    #[serde(default)]
    pub resources: Vec<ResourceSpec>,
}

/// `ValidateNodeResourcesBalancedAllocationArgs` (after defaulting).
pub fn validate_args(args: &NodeResourcesBalancedAllocationArgs) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, r) in args.resources.iter().enumerate() {
        if seen.contains(&r.name.as_str()) {
            errs.push(FieldError::duplicate(
                format!("resources[{i}].name"),
                &r.name,
            ));
        } else {
            seen.push(&r.name);
        }
        if r.weight != 1 {
            errs.push(FieldError::invalid_rendered(
                format!("resources[{i}].weight"),
                r.weight.to_string(),
                "must be 1",
            ));
        }
    }
    errs
}

/// The NodeResourcesBalancedAllocation plugin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BalancedAllocation {
    /// The shared scorer (`useRequested`, balanced strategy).
    pub scorer: ResourceAllocationScorer,
}

impl BalancedAllocation {
    /// Builds the plugin from its args (defaulted, then validated).
    pub fn new(args: Option<&Value>) -> Result<Self, ConfigError> {
        let mut args: NodeResourcesBalancedAllocationArgs =
            decode_args(names::NODE_RESOURCES_BALANCED_ALLOCATION, args)?;
        args.resources = default_resources(&args.resources);
        if let Some(e) = validate_args(&args).first() {
            return Err(ConfigError::from_field_error(
                names::NODE_RESOURCES_BALANCED_ALLOCATION,
                e,
            ));
        }
        Ok(BalancedAllocation {
            scorer: ResourceAllocationScorer::new(
                names::NODE_RESOURCES_BALANCED_ALLOCATION,
                &args.resources,
                true,
                Scorer::Balanced,
            ),
        })
    }
}

crate::scheduler::framework::plugin!(
    BalancedAllocation,
    names::NODE_RESOURCES_BALANCED_ALLOCATION,
    [PreScore, Score]
);

/// PreScore's state: the pod's request of each configured resource.
#[derive(Clone, Debug, Default)]
pub struct PreScoreState {
    /// `podRequests`, in configuration order.
    pub pod_requests: Vec<i64>,
}

/// `balancedResourceScorer`: `(1 - std) * 100` truncated, where `std` is
/// `|f0 - f1| / 2` for two resources and the population standard deviation
/// for more (0 for fewer), over the resources with allocatable > 0.
#[inline(always)]
pub fn balanced_resource_scorer(requested: &[i64], allocatable: &[i64]) -> i64 {
    #[allow(clippy::cast_precision_loss)]
    let fractions = || {
        requested
            .iter()
            .zip(allocatable)
            .filter(|(_, a)| **a != 0)
            .map(|(r, a)| (*r as f64 / *a as f64).min(1.0))
    };
    let mut count = 0usize;
    let mut total = 0.0f64;
    let mut first = 0.0f64;
    let mut second = 0.0f64;
    for f in fractions() {
        match count {
            0 => first = f,
            1 => second = f,
            _ => {}
        }
        total += f;
        count += 1;
    }
    let std = match count {
        0 | 1 => 0.0,
        2 => ((first - second) / 2.0).abs(),
        n => {
            #[allow(clippy::cast_precision_loss)]
            let n = n as f64;
            let mean = total / n;
            let sum = fractions().fold(0.0f64, |acc, f| acc + (f - mean) * (f - mean));
            (sum / n).sqrt()
        }
    };
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let score = ((1.0 - std) * MAX_NODE_SCORE as f64) as i64;
    score
}

impl PreScorePlugin for BalancedAllocation {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _nodes: &[&NodeInfo],
        _snapshot: &Snapshot,
    ) -> Status {
        let pod_requests = self.scorer.pod_requests(pod);
        if is_best_effort_pod(&pod_requests) {
            // Best-effort pods are not balanced (kubernetes#129138).
            return Status::skip();
        }
        state.write(PreScoreState { pod_requests });
        Status::success()
    }
}

impl BalancedAllocation {
    /// The pod's true requests of the balanced resources (PreScore's), or
    /// `None` for a best-effort pod (PreScore skips it; so does Score).
    fn pod_requests<'a>(&self, state: &'a CycleState, pod: &PodInfo) -> Option<Cow<'a, [i64]>> {
        let prescored = state
            .read::<PreScoreState>()
            .map(|s| s.pod_requests.as_slice());
        let requests = self.scorer.pod_requests_or(prescored, pod);
        (!is_best_effort_pod(&requests)).then_some(requests)
    }
}

impl ScorePlugin for BalancedAllocation {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        match self.pod_requests(state, pod) {
            Some(requests) => self.scorer.score(node, &requests),
            None => Ok(0),
        }
    }

    fn score_nodes(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        match self.pod_requests(state, pod) {
            Some(requests) => self.scorer.score_nodes(nodes, &requests, scores),
            None => {
                scores.iter_mut().for_each(|s| s.score = 0);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn args_validation() {
        let e = BalancedAllocation::new(Some(&json!({"resources": [
            {"name": "cpu", "weight": 1}, {"name": "cpu", "weight": 1}]})))
        .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.error_type.as_str()),
            ("resources[1].name", "FieldValueDuplicate")
        );
        let e =
            BalancedAllocation::new(Some(&json!({"resources": [{"name": "cpu", "weight": 2}]})))
                .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.error_type.as_str()),
            ("resources[0].weight", "FieldValueInvalid")
        );
    }

    #[test]
    fn three_resources_use_the_population_std_dev() {
        // fractions 0.2, 0.4, 0.9: mean 0.5, std sqrt((0.09+0.01+0.16)/3) = 0.2944 → 70.
        assert_eq!(balanced_resource_scorer(&[2, 4, 9], &[10, 10, 10]), 70);
        assert_eq!(balanced_resource_scorer(&[5], &[10]), 100);
        assert_eq!(balanced_resource_scorer(&[20, 0], &[10, 10]), 50);
    }
}
