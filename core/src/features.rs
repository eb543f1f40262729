//! Feature gates, as an explicit value instead of process-wide flags, and
//! the Kubernetes release whose defaults and rules apply.
//!
//! [`FeatureGates::default`] is current upstream (v1.35);
//! [`FeatureGates::for_version`] gives an older minor's default gates
//! (`pkg/features/kube_features.go`, `defaultVersionedKubernetesFeatureGates`:
//! the default in minor N is the last versioned entry at or below N; a gate
//! that did not exist yet is off, the behaviour before it) and carries the
//! version for the rules and texts that changed. Each change, with its
//! release and upstream change, is in the table of [`KubernetesVersion`].
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

use KubernetesVersion::*;

macro_rules! gates {
    ($( $(#[$doc:meta])* $field:ident = $name:literal, $default:expr; )*) => {
        /// The feature gates kubelogic's rules depend on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct FeatureGates {
            $( $(#[$doc])* #[serde(rename = $name)] pub $field: bool, )*
            /// The release whose rules and message texts apply (not a gate).
            #[serde(skip)]
            pub version: KubernetesVersion,
        }

        impl FeatureGates {
            /// The default gates of `version`'s minor release.
            pub fn for_version(version: KubernetesVersion) -> Self {
                let v = version;
                FeatureGates { $( $field: ($default)(v), )* version }
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
    /// Pod-level `spec.resources` (alpha v1.32, beta and on since v1.34).
    pod_level_resources = "PodLevelResources", |v| v >= V1_34;
    /// Restartable init containers (beta and on since v1.29, GA v1.33).
    sidecar_containers = "SidecarContainers", |v| v >= V1_29;
    /// In-place pod resize (beta and on since v1.33, GA in v1.35).
    in_place_pod_vertical_scaling = "InPlacePodVerticalScaling", |v| v >= V1_33;
    /// In-place resize of pod-level resources (alpha in v1.35).
    in_place_pod_level_resources_vertical_scaling = "InPlacePodLevelResourcesVerticalScaling", |_| false;
    /// Extended resources backed by DRA (alpha since v1.34).
    dra_extended_resource = "DRAExtendedResource", |_| false;
    /// DRA node-allocatable resources (alpha after v1.35).
    dra_node_allocatable_resources = "DRANodeAllocatableResources", |_| false;
    /// Dynamic resource allocation (GA and on since v1.34).
    dynamic_resource_allocation = "DynamicResourceAllocation", |v| v >= V1_34;
    /// `Lt`/`Gt` toleration operators (alpha in v1.35).
    taint_toleration_comparison_operators = "TaintTolerationComparisonOperators", |_| false;
    /// `matchLabelKeys` in topology spread constraints (beta and on since v1.27).
    match_label_keys_in_pod_topology_spread = "MatchLabelKeysInPodTopologySpread", |_| true;
    /// `nodeAffinityPolicy` / `nodeTaintsPolicy` (beta and on since v1.26).
    node_inclusion_policy_in_pod_topology_spread = "NodeInclusionPolicyInPodTopologySpread", |_| true;
    /// `matchLabelKeys`/`mismatchLabelKeys` in pod affinity (beta and on since v1.31).
    match_label_keys_in_pod_affinity = "MatchLabelKeysInPodAffinity", |v| v >= V1_31;
    /// Asynchronous preemption (beta and on since v1.33).
    scheduler_async_preemption = "SchedulerAsyncPreemption", |v| v >= V1_33;
    /// The kubelet's OOM score tie-break (alpha, after v1.35).
    kubelet_oom_score_adj_tie_break = "KubeletOOMScoreAdjTieBreak", |_| false;
    /// Separate image and container filesystem GC in the kubelet (beta and on since v1.31).
    kubelet_separate_disk_gc = "KubeletSeparateDiskGC", |v| v >= V1_31;
}

impl Default for FeatureGates {
    /// Current upstream's defaults.
    fn default() -> Self {
        FeatureGates::for_version(KubernetesVersion::CURRENT)
    }
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

/// A Kubernetes minor release, v1.28 to current (v1.35): its default
/// feature gates ([`FeatureGates::for_version`]) and the rules and message
/// texts that changed between releases.
///
/// | change | before | since | upstream |
/// |---|---|---|---|
/// | TaintToleration's Filter reason | `node(s) had untolerated taint {key: value}` | v1.35: `node(s) had untolerated taint(s)` | kubernetes#134740 (`plugins/tainttoleration/taint_toleration.go`; also cherry-picked to a v1.34 patch, #135023) |
/// | `FailedScheduling` after the preemption part | `..` (`SeparatorFormat = " %v."` also after the PostFilter message) | v1.30: one `.` | `framework/types.go` `FitError.Error()`; kubernetes#123301 ("already resolved in 1.30") |
/// | a request above the node's allocatable | `Unschedulable`: preemption tries, `No preemption victims found for incoming pod` | v1.35: `UnschedulableAndUnresolvable`, `Preemption is not helpful for scheduling` | kubernetes#131345 (`plugins/noderesources/fit.go`) |
/// | `--node-monitor-grace-period` default | 40 s | v1.32: 50 s | kubernetes#126287 (CHANGELOG-1.32) |
/// | default feature gates | per release | | `pkg/features/kube_features.go` (see [`FeatureGates`]'s fields) |
///
/// The research behind the table, with what is confirmed and what is not,
/// is in `docs/kubernetes-versions-research.md`.
///
/// ```
/// use kubelogic::{FeatureGates, KubernetesVersion};
///
/// let v: KubernetesVersion = "v1.28".parse()?;
/// assert_eq!(v.to_string(), "v1.28");
/// let gates = FeatureGates::for_version(v);
/// assert!(!gates.sidecar_containers && !gates.pod_level_resources);
/// assert_eq!(v.node_monitor_grace_period_seconds(), 40);
/// assert_eq!(KubernetesVersion::CURRENT.node_monitor_grace_period_seconds(), 50);
/// assert!("v1.27".parse::<KubernetesVersion>().is_err());
/// # Ok::<(), kubelogic::UnknownKubernetesVersion>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum KubernetesVersion {
    /// v1.28.
    V1_28,
    /// v1.29.
    V1_29,
    /// v1.30.
    V1_30,
    /// v1.31.
    V1_31,
    /// v1.32.
    V1_32,
    /// v1.33.
    V1_33,
    /// v1.34.
    V1_34,
    /// v1.35 (current).
    #[default]
    V1_35,
}

impl KubernetesVersion {
    /// Current upstream.
    pub const CURRENT: KubernetesVersion = V1_35;
    /// Every release, oldest first.
    pub const ALL: [KubernetesVersion; 8] =
        [V1_28, V1_29, V1_30, V1_31, V1_32, V1_33, V1_34, V1_35];

    /// The minor number (`28` for v1.28).
    pub fn minor(self) -> u32 {
        28 + self as u32
    }

    /// TaintToleration names the taint in its Filter reason (before v1.35).
    pub fn taint_in_untolerated_reason(self) -> bool {
        self < V1_35
    }

    /// `FitError.Error()` ends the preemption part with its own `.` (v1.28
    /// and v1.29: the message ends in `..`).
    pub fn double_dot_after_preemption(self) -> bool {
        self < V1_30
    }

    /// NodeResourcesFit rejects a request above the node's allocatable as
    /// `UnschedulableAndUnresolvable` (since v1.35).
    pub fn request_above_allocatable_unresolvable(self) -> bool {
        self >= V1_35
    }

    /// kube-controller-manager's `--node-monitor-grace-period` default, in seconds.
    pub fn node_monitor_grace_period_seconds(self) -> u32 {
        if self >= V1_32 {
            50
        } else {
            40
        }
    }
}

impl fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v1.{}", self.minor())
    }
}

impl std::str::FromStr for KubernetesVersion {
    type Err = UnknownKubernetesVersion;

    /// `v1.28`, `1.28` or a patch release (`v1.28.3`: the minor's rules).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.strip_prefix('v').unwrap_or(s);
        let mut parts = t.split('.');
        let minor = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("1"), Some(minor), patch, None)
                if patch.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
            {
                minor.parse::<u32>().ok()
            }
            _ => None,
        };
        KubernetesVersion::ALL
            .into_iter()
            .find(|v| Some(v.minor()) == minor)
            .ok_or_else(|| UnknownKubernetesVersion(s.to_owned()))
    }
}

impl<'de> Deserialize<'de> for KubernetesVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for KubernetesVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A version kubelogic has no rules for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKubernetesVersion(pub String);

impl fmt::Display for UnknownKubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Kubernetes version {} (known: v1.28 to {})",
            crate::quote::go_quote(&self.0),
            KubernetesVersion::CURRENT
        )
    }
}

impl std::error::Error for UnknownKubernetesVersion {}
