//! Feature gates, as an explicit value instead of process-wide flags.
//!
//! Defaults are those of the targeted Kubernetes release (v1.35). A case or a
//! caller that needs an older rule sets the gate explicitly.
//!
//! ```
//! use std::collections::BTreeMap;
//! use kubelogic::FeatureGates;
//!
//! let mut set = BTreeMap::new();
//! set.insert("TaintTolerationComparisonOperators".to_owned(), true);
//! let gates = FeatureGates::default().with(&set)?;
//! assert!(gates.taint_toleration_comparison_operators);
//! assert!(FeatureGates::default().with(&[("NoSuchGate".to_owned(), true)].into()).is_err());
//! # Ok::<(), kubelogic::UnknownFeatureGate>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! gates {
    ($( $(#[$doc:meta])* $field:ident = $name:literal, $default:expr; )*) => {
        /// The feature gates kubelogic's rules depend on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct FeatureGates {
            $( $(#[$doc])* #[serde(rename = $name)] pub $field: bool, )*
        }

        impl Default for FeatureGates {
            fn default() -> Self {
                FeatureGates { $( $field: $default, )* }
            }
        }

        impl FeatureGates {
            /// Every gate's Kubernetes name.
            pub const NAMES: &'static [&'static str] = &[$($name),*];

            /// Sets one gate by its Kubernetes name.
            pub fn set(&mut self, name: &str, value: bool) -> Result<(), UnknownFeatureGate> {
                match name {
                    $( $name => self.$field = value, )*
                    other => return Err(UnknownFeatureGate(other.to_owned())),
                }
                Ok(())
            }

            /// Reads one gate by its Kubernetes name.
            pub fn get(&self, name: &str) -> Option<bool> {
                match name {
                    $( $name => Some(self.$field), )*
                    _ => None,
                }
            }
        }
    };
}

gates! {
    /// Pod-level `spec.resources` (beta, on since v1.34).
    pod_level_resources = "PodLevelResources", true;
    /// Restartable init containers (GA).
    sidecar_containers = "SidecarContainers", true;
    /// In-place pod resize (GA in v1.35).
    in_place_pod_vertical_scaling = "InPlacePodVerticalScaling", true;
    /// In-place resize of pod-level resources (alpha).
    in_place_pod_level_resources_vertical_scaling = "InPlacePodLevelResourcesVerticalScaling", false;
    /// Extended resources backed by DRA (alpha).
    dra_extended_resource = "DRAExtendedResource", false;
    /// DRA node-allocatable resources (alpha).
    dra_node_allocatable_resources = "DRANodeAllocatableResources", false;
    /// Dynamic resource allocation (GA).
    dynamic_resource_allocation = "DynamicResourceAllocation", true;
    /// `Lt`/`Gt` toleration operators (alpha in v1.35).
    taint_toleration_comparison_operators = "TaintTolerationComparisonOperators", false;
    /// `matchLabelKeys` in topology spread constraints (on).
    match_label_keys_in_pod_topology_spread = "MatchLabelKeysInPodTopologySpread", true;
    /// `nodeAffinityPolicy` / `nodeTaintsPolicy` (on).
    node_inclusion_policy_in_pod_topology_spread = "NodeInclusionPolicyInPodTopologySpread", true;
    /// `matchLabelKeys`/`mismatchLabelKeys` in pod affinity (on).
    match_label_keys_in_pod_affinity = "MatchLabelKeysInPodAffinity", true;
    /// Asynchronous preemption (on).
    scheduler_async_preemption = "SchedulerAsyncPreemption", true;
    /// The kubelet's OOM score tie-break (alpha).
    kubelet_oom_score_adj_tie_break = "KubeletOOMScoreAdjTieBreak", false;
}

impl FeatureGates {
    /// These gates with the named ones overridden.
    pub fn with(mut self, overrides: &BTreeMap<String, bool>) -> Result<Self, UnknownFeatureGate> {
        for (name, value) in overrides {
            self.set(name, *value)?;
        }
        Ok(self)
    }
}

/// A feature gate name kubelogic does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFeatureGate(pub String);

impl fmt::Display for UnknownFeatureGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown feature gate {} (known: {})",
            crate::quote::go_quote(&self.0),
            FeatureGates::NAMES.join(", ")
        )
    }
}

impl UnknownFeatureGate {
    /// The name as Kubernetes quotes it in its messages (Go's `%q`).
    pub fn quoted_name(&self) -> String {
        crate::quote::go_quote(&self.0)
    }
}

impl std::error::Error for UnknownFeatureGate {}
