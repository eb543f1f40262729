//! The upstream plugin names (`pkg/scheduler/framework/plugins/names`).

/// `PrioritySort` (QueueSort).
pub const PRIORITY_SORT: &str = "PrioritySort";
/// `DefaultBinder` (Bind).
pub const DEFAULT_BINDER: &str = "DefaultBinder";
/// `DefaultPreemption` (PostFilter).
pub const DEFAULT_PREEMPTION: &str = "DefaultPreemption";
/// `ImageLocality` (Score).
pub const IMAGE_LOCALITY: &str = "ImageLocality";
/// `InterPodAffinity` (PreFilter, Filter, PreScore, Score).
pub const INTER_POD_AFFINITY: &str = "InterPodAffinity";
/// `NodeAffinity` (PreFilter, Filter, PreScore, Score).
pub const NODE_AFFINITY: &str = "NodeAffinity";
/// `NodeName` (Filter).
pub const NODE_NAME: &str = "NodeName";
/// `NodePorts` (PreFilter, Filter).
pub const NODE_PORTS: &str = "NodePorts";
/// `NodeResourcesBalancedAllocation` (PreScore, Score).
pub const NODE_RESOURCES_BALANCED_ALLOCATION: &str = "NodeResourcesBalancedAllocation";
/// `NodeResourcesFit` (PreFilter, Filter, PreScore, Score).
pub const NODE_RESOURCES_FIT: &str = "NodeResourcesFit";
/// `NodeUnschedulable` (Filter).
pub const NODE_UNSCHEDULABLE: &str = "NodeUnschedulable";
/// `PodTopologySpread` (PreFilter, Filter, PreScore, Score).
pub const POD_TOPOLOGY_SPREAD: &str = "PodTopologySpread";
/// `TaintToleration` (Filter, PreScore, Score).
pub const TAINT_TOLERATION: &str = "TaintToleration";
/// `SchedulingGates` (PreEnqueue).
pub const SCHEDULING_GATES: &str = "SchedulingGates";
/// `VolumeRestrictions`, `NodeVolumeLimits`, `VolumeBinding`, `VolumeZone`,
/// `DynamicResources`: in the default profile, no-ops for pods without volumes
/// or claims (not modelled).
pub const VOLUME_PLUGINS: &[&str] = &[
    "VolumeRestrictions",
    "NodeVolumeLimits",
    "VolumeBinding",
    "VolumeZone",
    "DynamicResources",
];
