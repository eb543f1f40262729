//! Kubelet node-pressure eviction, as a pure library.
//!
//! - [`config`]: the `--eviction-*` flags and KubeletConfiguration fields,
//!   Linux defaults, `ParseThresholdConfig` and its validation errors;
//! - [`signals`], [`threshold`], [`duration`]: the vocabulary (signals,
//!   thresholds with quantity or percentage values, Go durations);
//! - [`signal_map`]: a map keyed by signal (a slot per signal);
//! - [`pod`]: the pods and stats the manager sees;
//! - [`rank`]: the eviction order for each starved resource;
//! - [`conditions`]: node pressure conditions, the transition period, taints;
//! - [`manager`]: the stepwise manager — observations and pods in, the
//!   kubelet's decision for that moment out.
//!
//! Upstream: `pkg/kubelet/eviction` (`helpers.go`, `eviction_manager.go`),
//! `pkg/kubelet/eviction/api/types.go`, component-base `cli/flag`.
//!
//! ```
//! use kubelogic::eviction::{EvictionConfig, Signal};
//!
//! let config = EvictionConfig::from_flags(std::iter::empty::<&str>())?;
//! // The Linux defaults, plus the allocatable copy of the memory threshold.
//! let signals: Vec<Signal> = config.thresholds.iter().map(|t| t.signal).collect();
//! assert_eq!(signals.len(), 5);
//! assert!(signals.contains(&Signal::AllocatableMemoryAvailable));
//! # Ok::<(), kubelogic::eviction::EvictionConfigError>(())
//! ```

pub mod conditions;
pub mod config;
pub mod duration;
pub mod manager;
pub mod pod;
pub mod rank;
pub mod signal_map;
pub mod signals;
pub mod threshold;

pub use conditions::{ConditionReport, NodeConditions, Taint};
pub use config::{
    ConfigField, EvictionConfig, EvictionConfigError, EvictionConfigErrorKind,
    KubeletEvictionSettings, DEFAULT_EVICTION_HARD, DEFAULT_PRESSURE_TRANSITION_PERIOD,
};
pub use duration::{Duration, DurationError};
pub use manager::{
    update_container_fs_thresholds, Admission, EvictedPodStatus, Eviction, EvictionCause,
    EvictionManager, ManagerError, ManagerOptions, Observation, Observations, Outcome,
    PodCondition, ReclaimReport, StepInput, StepResult, ThresholdStatus,
    IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS,
};
pub use pod::{
    ContainerStats, EvictionContainer, EvictionPod, EvictionVolume, FsUsage, PodKey, PodRequest,
    PodStats, VolumeStats, SYSTEM_CRITICAL_PRIORITY,
};
pub use rank::{
    compare, rank_keys, rank_pods, FilesystemLayout, FsStatsType, NodeReclaimAction,
    RankComparator, RankKeys, RankedPod, Ranking,
};
pub use signal_map::SignalMap;
pub use signals::{NodeConditionType, Signal, StarvedResource, UnknownSignal};
pub use threshold::{Operator, Percentage, PercentageError, Threshold, ThresholdValue};
