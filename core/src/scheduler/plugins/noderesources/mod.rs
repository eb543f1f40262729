//! The node-resources plugins, as upstream's `noderesources` package:
//! [`fit::Fit`] (NodeResourcesFit: PreFilter, Filter, PreScore, Score with
//! the LeastAllocated, MostAllocated or RequestedToCapacityRatio strategy)
//! and [`balanced_allocation::BalancedAllocation`]
//! (NodeResourcesBalancedAllocation), both scoring through the shared
//! [`resource_allocation::ResourceAllocationScorer`].

pub mod balanced_allocation;
pub mod fit;
pub mod least_allocated;
pub mod most_allocated;
pub mod requested_to_capacity_ratio;
pub mod resource_allocation;

use serde::Deserialize;

pub use balanced_allocation::{BalancedAllocation, NodeResourcesBalancedAllocationArgs};
pub use fit::{Fit, InsufficientResource, NodeResourcesFitArgs, ScoringStrategy};

/// `config.ResourceSpec`: a resource taking part in scoring, with its weight.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceSpec {
    /// The resource name (`cpu`, `memory`, `nvidia.com/gpu`, ...).
    pub name: String,
    /// The weight (0 is defaulted to 1).
    #[serde(default)]
    pub weight: i64,
}

impl ResourceSpec {
    /// A resource with a weight.
    pub fn new(name: &str, weight: i64) -> Self {
        ResourceSpec {
            name: name.to_owned(),
            weight,
        }
    }
}

/// `defaultResourceSpec`: cpu and memory, weight 1 each.
pub fn default_resource_spec() -> Vec<ResourceSpec> {
    vec![ResourceSpec::new("cpu", 1), ResourceSpec::new("memory", 1)]
}

/// The v1 defaulting of a resource list: empty means the default set, and a
/// weight of 0 becomes 1.
pub fn default_resources(resources: &[ResourceSpec]) -> Vec<ResourceSpec> {
    if resources.is_empty() {
        return default_resource_spec();
    }
    resources
        .iter()
        .map(|r| ResourceSpec {
            name: r.name.clone(),
            weight: if r.weight == 0 { 1 } else { r.weight },
        })
        .collect()
}
