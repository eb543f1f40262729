//! The eviction manager as a pure, stepwise state machine: each
//! [`EvictionManager::step`] is one `synchronize` pass of the kubelet's
//! eviction manager, driven by the observations and pods handed in, at the
//! timestamp handed in. No clock, no I/O.
//!
//! One step, as upstream (`pkg/kubelet/eviction/eviction_manager.go`):
//! 1. thresholds met by the observations (ignoring grace periods), plus the
//!    thresholds acted on in the previous step that are still below value +
//!    minimum reclaim;
//! 2. when each was first observed; the node conditions they raise, held for
//!    the pressure transition period after the last observation;
//! 3. the thresholds past their grace period (these drive eviction);
//! 4. with local storage isolation on, pods over an emptyDir `sizeLimit`, a
//!    pod or a container ephemeral-storage limit are evicted (1 s grace) and
//!    the step ends;
//! 5. the threshold to reclaim: memory first, then — where Kubernetes'
//!    order is unspecified (Go map iteration) — **hard before soft, then
//!    configuration order** (this is the deterministic rule used here);
//! 6. node-level reclaim (container/image GC) for disk signals; if the
//!    observations after reclaim satisfy every threshold with min-reclaim,
//!    nothing is evicted;
//! 7. the pods are ranked for the starved resource and the first
//!    non-critical one is evicted: 1 s grace for a hard threshold, else
//!    `min(evictionMaxPodGracePeriod, terminationGracePeriodSeconds)`.
//!
//! At most one pod is evicted per step (except by local storage limits).
//! While a soft eviction is still terminating (see
//! [`ManagerOptions::pod_termination_completes`]), no further soft eviction
//! starts; hard evictions still do.
//!
//! ```
//! use kubelogic::eviction::*;
//! use kubelogic::Quantity;
//!
//! let config = EvictionConfig::from_flags([
//!     "--eviction-hard=memory.available<100Mi",
//!     "--eviction-soft=memory.available<1.5Gi",
//!     "--eviction-soft-grace-period=memory.available=1m30s",
//! ])?;
//! let mut manager = EvictionManager::new(config, ManagerOptions::default())?;
//!
//! let mut pod = EvictionPod::new("default", "batch");
//! pod.containers.push(EvictionContainer { name: "app".into(), ..Default::default() });
//! pod.stats = Some(PodStats { memory_working_set: Some(1 << 30), ..Default::default() });
//! let pods = [pod];
//! let gi = 1i64 << 30;
//! let obs = |avail: i64| {
//!     let mut o = Observations::default();
//!     o.set(Signal::MemoryAvailable, Observation { available: avail, capacity: Some(8 * gi) });
//!     o
//! };
//!
//! // 1Gi available: the soft threshold is met and waits out its grace period.
//! let r = manager.step(&StepInput::new(Duration::from_secs(0), &obs(gi), &pods));
//! assert_eq!(r.conditions_in_effect(), [NodeConditionType::MemoryPressure]);
//! assert!(r.evictions.is_empty());
//! // 90s later the soft threshold drives an eviction.
//! let r = manager.step(&StepInput::new(Duration::from_secs(90), &obs(gi), &pods));
//! let victim = r.victim().expect("evicted");
//! assert_eq!(victim.pod.as_str(), "default/batch");
//! assert_eq!(victim.grace_period_seconds, 0);
//! assert_eq!(
//!     victim.message,
//!     "The node was low on resource: memory. Threshold quantity: 1536Mi, available: 1Gi. "
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use super::conditions::{ConditionReport, NodeConditions, Taint};
use super::config::EvictionConfig;
use super::duration::Duration;
use super::pod::{EvictionPod, PodKey, PodStats};
use super::rank::{rank_pods, FilesystemLayout, NodeReclaimAction, RankComparator, Ranking};
use super::signal_map::SignalMap;
use super::signals::{NodeConditionType, Signal, StarvedResource};
use super::threshold::Threshold;
use crate::quantity::{Format, Quantity};
use crate::quote::go_quote;
use crate::SortedMap;

/// `immediateEvictionGracePeriodSeconds`.
pub const IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS: i64 = 1;

/// One signal's observation: what is available, of what capacity (bytes,
/// inodes or processes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    /// Available amount.
    pub available: i64,
    /// Capacity; needed only by percentage thresholds.
    #[serde(default)]
    pub capacity: Option<i64>,
}

/// Observations for some signals (a signal without one is not evaluated).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observations(SignalMap<Observation>);

impl Observations {
    /// The observation of `signal`.
    pub fn get(&self, signal: Signal) -> Option<Observation> {
        self.0.get(signal).copied()
    }

    /// Sets the observation of `signal`.
    pub fn set(&mut self, signal: Signal, observation: Observation) {
        self.0.insert(signal, observation);
    }

    /// Removes the observation of `signal`.
    pub fn remove(&mut self, signal: Signal) {
        self.0.remove(signal);
    }

    /// The observations, in signal order.
    pub fn iter(&self) -> impl Iterator<Item = (Signal, Observation)> + '_ {
        self.0.iter().map(|(s, o)| (s, *o))
    }
}

impl FromIterator<(Signal, Observation)> for Observations {
    fn from_iter<I: IntoIterator<Item = (Signal, Observation)>>(iter: I) -> Self {
        Observations(iter.into_iter().collect())
    }
}

impl serde::Serialize for Observations {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

impl<'de> serde::Deserialize<'de> for Observations {
    /// A map from signal name to observation; a repeated signal keeps its
    /// last observation.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObservationsVisitor;
        impl<'de> serde::de::Visitor<'de> for ObservationsVisitor {
            type Value = Observations;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Observations, A::Error> {
                let mut o = Observations::default();
                while let Some((s, obs)) = map.next_entry::<Signal, Observation>()? {
                    o.set(s, obs);
                }
                Ok(o)
            }
        }
        d.deserialize_map(ObservationsVisitor)
    }
}

/// How the manager is set up besides its configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagerOptions {
    /// The node's filesystem layout.
    pub layout: FilesystemLayout,
    /// Feature gates (the manager reads `KubeletSeparateDiskGC`).
    pub feature_gates: crate::FeatureGates,
    /// Whether an evicted pod finishes terminating before the next step
    /// (default true). When false, a soft eviction stays in progress until
    /// [`EvictionManager::pod_terminated`] is called or the pod leaves the
    /// pod list, and no other soft eviction starts meanwhile.
    pub pod_termination_completes: bool,
}

impl Default for ManagerOptions {
    fn default() -> Self {
        ManagerOptions {
            layout: FilesystemLayout::default(),
            feature_gates: crate::FeatureGates::default(),
            pod_termination_completes: true,
        }
    }
}

/// The manager could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManagerError {
    /// A split image filesystem with `KubeletSeparateDiskGC` off.
    SplitFilesystemWithoutGate,
}

impl fmt::Display for ManagerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManagerError::SplitFilesystemWithoutGate => f.write_str(
                "KubeletSeparateDiskGC is turned off but we still have a split filesystem",
            ),
        }
    }
}

impl std::error::Error for ManagerError {}

/// What one step is given.
#[derive(Clone, Copy, Debug)]
pub struct StepInput<'a> {
    /// The time of the step (any fixed origin, e.g. since the run started).
    pub at: Duration,
    /// The observations.
    pub observations: &'a Observations,
    /// What node-level reclaim (container/image GC) leaves, if it runs this
    /// step; `None`: the same as `observations`.
    pub observations_after_reclaim: Option<&'a Observations>,
    /// The active pods on the node, with their stats.
    pub pods: &'a [EvictionPod],
}

impl<'a> StepInput<'a> {
    /// A step at `at` with `observations` and `pods`.
    pub fn new(at: Duration, observations: &'a Observations, pods: &'a [EvictionPod]) -> Self {
        StepInput {
            at,
            observations,
            observations_after_reclaim: None,
            pods,
        }
    }
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// No thresholds and no local storage isolation: the manager does nothing.
    NothingConfigured,
    /// Pods over their local storage limits were evicted.
    LocalStorageEviction,
    /// No threshold is past its grace period.
    NoThresholdPastGracePeriod,
    /// Node-level reclaim satisfied every threshold.
    ReclaimedNodeLevel,
    /// A threshold is past its grace period but there are no pods.
    NoActivePods,
    /// A soft eviction is still terminating; no further soft eviction.
    SoftEvictionInProgress,
    /// A pod was evicted.
    Evicted,
    /// Every ranked pod is critical.
    NoEvictablePod,
}

/// A threshold met in this step, and where it stands.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdStatus {
    /// Position in [`EvictionManager::thresholds`].
    pub index: usize,
    /// The signal.
    pub signal: Signal,
    /// A hard threshold (grace period zero).
    pub hard: bool,
    /// The threshold value resolved against capacity.
    pub value: Option<Quantity>,
    /// The minimum reclaim resolved against capacity.
    pub min_reclaim: Option<Quantity>,
    /// The observed available amount.
    pub available: Option<Quantity>,
    /// Met by this step's observation (available < value).
    pub met_by_observation: bool,
    /// Not met by the observation, but held because available is still
    /// below value + min-reclaim after being acted on.
    pub held_by_min_reclaim: bool,
    /// When it was first observed (continuously met since).
    pub first_observed_at: Duration,
    /// Its grace period.
    pub grace_period: Duration,
    /// Met for at least its grace period.
    pub past_grace_period: bool,
    /// When it is (or was) past its grace period: first observed + grace period.
    pub eligible_at: Duration,
}

/// The threshold chosen to reclaim, and node-level reclaim.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimReport {
    /// Position of the threshold in [`EvictionManager::thresholds`].
    pub threshold: usize,
    /// Its signal.
    pub signal: Signal,
    /// The starved resource.
    pub resource: StarvedResource,
    /// A hard threshold.
    pub hard: bool,
    /// Node-level reclaim run before evicting.
    pub node_reclaim: Vec<NodeReclaimAction>,
    /// The reclaim satisfied every threshold (with min-reclaim): no eviction.
    pub satisfied_by_node_reclaim: bool,
}

/// Why a pod was evicted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum EvictionCause {
    /// A threshold on a signal.
    Threshold {
        /// The signal.
        signal: Signal,
        /// A hard threshold.
        hard: bool,
    },
    /// An emptyDir volume over its `sizeLimit`.
    EmptyDirSizeLimit {
        /// The volume.
        volume: String,
    },
    /// The pod's total ephemeral-storage usage over its limit.
    PodEphemeralStorageLimit,
    /// A container's writable layer and logs over its ephemeral-storage limit.
    ContainerEphemeralStorageLimit {
        /// The container.
        container: String,
    },
}

/// A pod condition the kubelet writes on the evicted pod.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodCondition {
    /// `DisruptionTarget`.
    #[serde(rename = "type")]
    pub condition_type: &'static str,
    /// `True`.
    pub status: &'static str,
    /// `TerminationByKubelet`.
    pub reason: &'static str,
    /// The eviction message.
    pub message: String,
}

/// The status the kubelet writes on the evicted pod.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvictedPodStatus {
    /// `Failed`.
    pub phase: &'static str,
    /// `Evicted`.
    pub reason: &'static str,
    /// The eviction message.
    pub message: String,
    /// `DisruptionTarget` for threshold evictions; none for local storage limits.
    pub conditions: Vec<PodCondition>,
}

/// One eviction.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Eviction {
    /// The pod.
    pub pod: PodKey,
    /// The grace period override, in seconds.
    pub grace_period_seconds: i64,
    /// Why.
    pub cause: EvictionCause,
    /// Kubernetes' eviction message (`evictionMessage`).
    pub message: String,
    /// The event annotations (`offending_containers`, ...).
    pub annotations: SortedMap<String, String>,
    /// The pod status written.
    pub pod_status: EvictedPodStatus,
}

/// What one step decided.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepResult {
    /// The step's time.
    pub at: Duration,
    /// How it ended.
    pub outcome: Outcome,
    /// Thresholds met before grace periods (met now, or held by min-reclaim),
    /// in configuration order.
    pub thresholds: Vec<ThresholdStatus>,
    /// The three pressure conditions.
    pub conditions: Vec<ConditionReport>,
    /// The taints the conditions in effect imply.
    pub taints: Vec<Taint>,
    /// The threshold chosen to reclaim.
    pub reclaim: Option<ReclaimReport>,
    /// The ranking for the starved resource.
    pub ranking: Option<Ranking>,
    /// Pods evicted (at most one, except for local storage limits).
    pub evictions: Vec<Eviction>,
    /// Critical pods passed over.
    pub skipped_critical: Vec<PodKey>,
}

impl StepResult {
    /// Signals of the thresholds met before grace periods.
    pub fn thresholds_met(&self) -> Vec<Signal> {
        self.thresholds.iter().map(|t| t.signal).collect()
    }

    /// Signals of the thresholds past their grace period.
    pub fn thresholds_past_grace_period(&self) -> Vec<Signal> {
        self.thresholds
            .iter()
            .filter(|t| t.past_grace_period)
            .map(|t| t.signal)
            .collect()
    }

    /// Soft thresholds waiting out their grace period.
    pub fn pending_soft_thresholds(&self) -> impl Iterator<Item = &ThresholdStatus> {
        self.thresholds.iter().filter(|t| !t.past_grace_period)
    }

    /// The conditions in effect.
    pub fn conditions_in_effect(&self) -> Vec<NodeConditionType> {
        self.conditions
            .iter()
            .filter(|c| c.status == "True")
            .map(|c| c.condition_type)
            .collect()
    }

    /// The (last) evicted pod.
    pub fn victim(&self) -> Option<&Eviction> {
        self.evictions.last()
    }
}

/// The outcome of pod admission under pressure.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Admission {
    /// Admitted.
    pub admit: bool,
    /// `Evicted` when rejected.
    pub reason: Option<&'static str>,
    /// `The node had condition: [DiskPressure]. ` when rejected.
    pub message: Option<String>,
}

/// The stepwise eviction manager.
#[derive(Clone, Debug)]
pub struct EvictionManager {
    config: EvictionConfig,
    options: ManagerOptions,
    /// `m.thresholdsMet`: thresholds past their grace period in the last step.
    thresholds_met: Vec<usize>,
    /// `m.thresholdsFirstObservedAt`, by threshold index.
    first_observed: Vec<Option<Duration>>,
    conditions: NodeConditions,
    soft_eviction_in_progress: Option<PodKey>,
}

/// `UpdateContainerFsThresholds`: containerfs thresholds copy nodefs ones
/// (single filesystem, or split image filesystem) or imagefs ones (dedicated
/// imagefs only); containerfs thresholds given explicitly are ignored.
pub fn update_container_fs_thresholds(
    thresholds: &[Threshold],
    layout: FilesystemLayout,
) -> Vec<Threshold> {
    let (bytes, inodes) = if layout.dedicated_image_fs && !layout.separate_container_fs {
        (Signal::ImageFsAvailable, Signal::ImageFsInodesFree)
    } else {
        (Signal::NodeFsAvailable, Signal::NodeFsInodesFree)
    };
    let mut out: Vec<Threshold> = thresholds
        .iter()
        .filter(|t| {
            !matches!(
                t.signal,
                Signal::ContainerFsAvailable | Signal::ContainerFsInodesFree
            )
        })
        .cloned()
        .collect();
    for (source, target) in [
        (bytes, Signal::ContainerFsAvailable),
        (inodes, Signal::ContainerFsInodesFree),
    ] {
        for hard in [true, false] {
            if let Some(t) = thresholds
                .iter()
                .rev()
                .find(|t| t.signal == source && t.is_hard() == hard)
            {
                out.push(Threshold {
                    signal: target,
                    ..t.clone()
                });
            }
        }
    }
    out
}

fn observed_quantity(signal: Signal, v: i64) -> Quantity {
    Quantity::from_value(
        v,
        if signal.is_bytes() {
            Format::BinarySI
        } else {
            Format::DecimalSI
        },
    )
}

fn bytes_quantity(v: u64) -> Quantity {
    Quantity::from_value(i64::try_from(v).unwrap_or(i64::MAX), Format::BinarySI)
}

impl EvictionManager {
    /// A manager for `config` (its containerfs thresholds derived from the layout).
    pub fn new(
        config: EvictionConfig,
        options: ManagerOptions,
    ) -> Result<EvictionManager, ManagerError> {
        let active = !config.thresholds.is_empty() || config.local_storage_capacity_isolation;
        if active
            && options.layout.separate_container_fs
            && !options.feature_gates.kubelet_separate_disk_gc
        {
            return Err(ManagerError::SplitFilesystemWithoutGate);
        }
        let mut config = config;
        if active {
            config.thresholds = update_container_fs_thresholds(&config.thresholds, options.layout);
        }
        let n = config.thresholds.len();
        Ok(EvictionManager {
            config,
            options,
            thresholds_met: Vec::new(),
            first_observed: vec![None; n],
            conditions: NodeConditions::default(),
            soft_eviction_in_progress: None,
        })
    }

    /// The thresholds the manager evaluates (after the containerfs update).
    pub fn thresholds(&self) -> &[Threshold] {
        &self.config.thresholds
    }

    /// The configuration.
    pub fn config(&self) -> &EvictionConfig {
        &self.config
    }

    /// The pressure conditions in effect after the last step.
    pub fn conditions(&self) -> Vec<NodeConditionType> {
        self.conditions.in_effect()
    }

    /// Whether `condition` is in effect (`IsUnderMemoryPressure`, ...).
    pub fn is_under(&self, condition: NodeConditionType) -> bool {
        self.conditions.is(condition)
    }

    /// The pod whose soft eviction is still terminating.
    pub fn soft_eviction_in_progress(&self) -> Option<&PodKey> {
        self.soft_eviction_in_progress.as_ref()
    }

    /// Records that `pod` finished terminating.
    pub fn pod_terminated(&mut self, pod: &PodKey) {
        if self.soft_eviction_in_progress.as_ref() == Some(pod) {
            self.soft_eviction_in_progress = None;
        }
    }

    /// Pod admission under the current conditions (`Admit`).
    pub fn admit(&self, pod: &EvictionPod) -> Admission {
        let conditions = self.conditions.in_effect();
        if conditions.is_empty() || pod.critical {
            return Admission {
                admit: true,
                reason: None,
                message: None,
            };
        }
        if conditions == [NodeConditionType::MemoryPressure]
            && (!pod.best_effort || pod.tolerates_memory_pressure)
        {
            return Admission {
                admit: true,
                reason: None,
                message: None,
            };
        }
        let names: Vec<&str> = conditions.iter().map(|c| c.as_str()).collect();
        Admission {
            admit: false,
            reason: Some("Evicted"),
            message: Some(format!("The node had condition: [{}]. ", names.join(" "))),
        }
    }

    fn condition_reports(&self) -> Vec<ConditionReport> {
        NodeConditionType::ALL
            .into_iter()
            .map(|c| {
                let pressure = self.conditions.is(c);
                let (reason, message) = c.reason_and_message(pressure);
                let last = self.conditions.last_observed_at(c);
                ConditionReport {
                    condition_type: c,
                    status: if pressure { "True" } else { "False" },
                    reason,
                    message,
                    observed_now: false,
                    last_observed_at: last,
                    held_until: last
                        .map(|l| l.saturating_add(self.config.pressure_transition_period)),
                }
            })
            .collect()
    }

    /// One `synchronize` pass.
    pub fn step(&mut self, input: &StepInput<'_>) -> StepResult {
        let now = input.at;
        let mut result = StepResult {
            at: now,
            outcome: Outcome::NothingConfigured,
            thresholds: Vec::new(),
            conditions: Vec::new(),
            taints: Vec::new(),
            reclaim: None,
            ranking: None,
            evictions: Vec::new(),
            skipped_critical: Vec::new(),
        };
        if self.config.thresholds.is_empty() && !self.config.local_storage_capacity_isolation {
            result.conditions = self.condition_reports();
            return result;
        }
        if let Some(key) = &self.soft_eviction_in_progress {
            if !input.pods.iter().any(|p| &p.key == key) {
                self.soft_eviction_in_progress = None;
            }
        }
        let obs = input.observations;
        let thresholds = &self.config.thresholds;
        let n = thresholds.len();

        // 1. Thresholds met ignoring grace periods, plus those not yet resolved.
        let mut met_by_obs = vec![false; n];
        let mut held = vec![false; n];
        for (i, t) in thresholds.iter().enumerate() {
            if let Some(o) = obs.get(t.signal) {
                if t.is_met(o.available, o.capacity, false) == Some(true) {
                    if let Some(m) = met_by_obs.get_mut(i) {
                        *m = true;
                    }
                }
            }
        }
        for &i in &self.thresholds_met {
            let (Some(t), Some(false)) = (thresholds.get(i), met_by_obs.get(i).copied()) else {
                continue;
            };
            if let Some(o) = obs.get(t.signal) {
                if t.is_met(o.available, o.capacity, true) == Some(true) {
                    if let Some(h) = held.get_mut(i) {
                        *h = true;
                    }
                }
            }
        }

        // 2. First observed; node conditions observed now.
        let mut first_observed = vec![None; n];
        let mut observed_conditions: Vec<NodeConditionType> = Vec::with_capacity(3);
        for (i, t) in thresholds.iter().enumerate() {
            let met = met_by_obs.get(i).copied().unwrap_or(false)
                || held.get(i).copied().unwrap_or(false);
            if !met {
                continue;
            }
            let at = self.first_observed.get(i).copied().flatten().unwrap_or(now);
            if let Some(slot) = first_observed.get_mut(i) {
                *slot = Some(at);
            }
            let c = t.signal.node_condition();
            if !observed_conditions.contains(&c) {
                observed_conditions.push(c);
            }
        }
        self.conditions.observe(
            &observed_conditions,
            now,
            self.config.pressure_transition_period,
        );

        // 3. Past grace period.
        let mut past: Vec<usize> = Vec::new();
        for (i, t) in thresholds.iter().enumerate() {
            let Some(first) = first_observed.get(i).copied().flatten() else {
                continue;
            };
            let past_grace = now.saturating_sub(first) >= t.grace_period;
            if past_grace {
                past.push(i);
            }
            let o = obs.get(t.signal);
            let capacity = o.and_then(|o| o.capacity);
            result.thresholds.push(ThresholdStatus {
                index: i,
                signal: t.signal,
                hard: t.is_hard(),
                value: t.value.resolve(capacity),
                min_reclaim: t.min_reclaim.as_ref().and_then(|m| m.resolve(capacity)),
                available: o.map(|o| observed_quantity(t.signal, o.available)),
                met_by_observation: met_by_obs.get(i).copied().unwrap_or(false),
                held_by_min_reclaim: held.get(i).copied().unwrap_or(false),
                first_observed_at: first,
                grace_period: t.grace_period,
                past_grace_period: past_grace,
                eligible_at: first.saturating_add(t.grace_period),
            });
        }
        self.first_observed = first_observed;
        self.thresholds_met.clone_from(&past);

        result.conditions = self.condition_reports();
        for c in &mut result.conditions {
            c.observed_now = observed_conditions.contains(&c.condition_type);
        }
        result.taints = self
            .conditions
            .in_effect()
            .into_iter()
            .map(NodeConditionType::taint)
            .collect();

        // Thresholds whose stats are fresh: every given observation is.
        let mut active: Vec<usize> = past
            .into_iter()
            .filter(|&i| {
                thresholds
                    .get(i)
                    .is_some_and(|t| obs.get(t.signal).is_some())
            })
            .collect();

        // 4. Local storage limits.
        if self.config.local_storage_capacity_isolation {
            self.local_storage_eviction(input.pods, &mut result);
            if !result.evictions.is_empty() {
                result.outcome = Outcome::LocalStorageEviction;
                return result;
            }
        }
        if active.is_empty() {
            result.outcome = Outcome::NoThresholdPastGracePeriod;
            return result;
        }

        // 5. The threshold to reclaim.
        let order_key = |i: usize| {
            let t = thresholds.get(i);
            let memory = t.is_some_and(|t| t.signal.resource() == StarvedResource::Memory);
            let hard = t.is_some_and(Threshold::is_hard);
            (!memory, !hard, i)
        };
        active.sort_by_key(|&i| order_key(i));
        let Some((chosen, threshold)) = active
            .first()
            .and_then(|&i| thresholds.get(i).map(|t| (i, t)))
        else {
            result.outcome = Outcome::NoThresholdPastGracePeriod;
            return result;
        };
        let signal = threshold.signal;
        let resource = signal.resource();
        let hard = threshold.is_hard();

        // 6. Node-level reclaim.
        let actions = self.options.layout.node_reclaim_for(signal);
        let mut reclaim = ReclaimReport {
            threshold: chosen,
            signal,
            resource,
            hard,
            node_reclaim: actions.to_vec(),
            satisfied_by_node_reclaim: false,
        };
        if !actions.is_empty() {
            let after = input.observations_after_reclaim.unwrap_or(obs);
            let still_met = thresholds.iter().any(|t| {
                after
                    .get(t.signal)
                    .and_then(|o| t.is_met(o.available, o.capacity, true))
                    .unwrap_or(false)
            });
            if !still_met {
                reclaim.satisfied_by_node_reclaim = true;
                result.reclaim = Some(reclaim);
                result.outcome = Outcome::ReclaimedNodeLevel;
                return result;
            }
        }
        result.reclaim = Some(reclaim);

        // 7. Rank and evict.
        if input.pods.is_empty() {
            result.outcome = Outcome::NoActivePods;
            return result;
        }
        let fs = self.options.layout.fs_stats_for(signal);
        let ranking = rank_pods(input.pods, resource, fs, RankComparator::chain(resource));
        if !hard && self.soft_eviction_in_progress.is_some() {
            result.ranking = Some(ranking);
            result.outcome = Outcome::SoftEvictionInProgress;
            return result;
        }
        result.outcome = Outcome::NoEvictablePod;
        for ranked in &ranking.pods {
            let Some(pod) = input.pods.get(ranked.index) else {
                continue;
            };
            if pod.critical {
                result.skipped_critical.push(pod.key.clone());
                continue;
            }
            let grace = if hard {
                IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS
            } else {
                let max = self.config.max_pod_grace_period_seconds;
                pod.termination_grace_period_seconds
                    .map_or(max, |t| max.min(t))
            };
            let (message, annotations) = eviction_message(resource, pod, &active, thresholds, obs);
            result.evictions.push(Eviction {
                pod: pod.key.clone(),
                grace_period_seconds: grace,
                cause: EvictionCause::Threshold { signal, hard },
                annotations,
                pod_status: EvictedPodStatus {
                    phase: "Failed",
                    reason: "Evicted",
                    message: message.clone(),
                    conditions: vec![PodCondition {
                        condition_type: "DisruptionTarget",
                        status: "True",
                        reason: "TerminationByKubelet",
                        message: message.clone(),
                    }],
                },
                message,
            });
            if !hard && !self.options.pod_termination_completes {
                self.soft_eviction_in_progress = Some(pod.key.clone());
            }
            result.outcome = Outcome::Evicted;
            break;
        }
        result.ranking = Some(ranking);
        result
    }

    /// `localStorageEviction`.
    fn local_storage_eviction(&self, pods: &[EvictionPod], result: &mut StepResult) {
        for pod in pods {
            let Some(stats) = &pod.stats else {
                continue;
            };
            if let Some((cause, message)) =
                local_storage_violation(pod, stats, self.options.layout.dedicated_image_fs)
            {
                if pod.critical {
                    result.skipped_critical.push(pod.key.clone());
                    continue;
                }
                result.evictions.push(Eviction {
                    pod: pod.key.clone(),
                    grace_period_seconds: IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS,
                    cause,
                    annotations: SortedMap::new(),
                    pod_status: EvictedPodStatus {
                        phase: "Failed",
                        reason: "Evicted",
                        message: message.clone(),
                        conditions: Vec::new(),
                    },
                    message,
                });
            }
        }
    }
}

/// The first local storage limit a pod violates, in the kubelet's order of
/// checks: emptyDir size limits, the pod limit, container limits.
fn local_storage_violation(
    pod: &EvictionPod,
    stats: &PodStats,
    dedicated_image_fs: bool,
) -> Option<(EvictionCause, String)> {
    // emptyDirLimitEviction: the first emptyDir over its limit.
    for v in pod.volumes.iter().filter(|v| v.empty_dir) {
        let Some(size) = v
            .empty_dir_size_limit
            .as_ref()
            .filter(|l| l.signum().is_gt())
        else {
            continue;
        };
        let used = stats
            .volumes
            .iter()
            .rev()
            .find(|s| s.name == v.name)
            .and_then(|s| s.usage.used_bytes)
            .map(bytes_quantity);
        if used.is_some_and(|used| &used > size) {
            return Some((
                EvictionCause::EmptyDirSizeLimit {
                    volume: v.name.clone(),
                },
                format!(
                    "Usage of EmptyDir volume {} exceeds the limit {}. ",
                    go_quote(&v.name),
                    go_quote(&size.to_string())
                ),
            ));
        }
    }
    // podEphemeralStorageLimitEviction.
    if let Some(limit) = &pod.ephemeral_storage_limit {
        let used = bytes_quantity(stats.ephemeral_storage_used.unwrap_or(0));
        if &used > limit {
            return Some((
                EvictionCause::PodEphemeralStorageLimit,
                format!("Pod ephemeral local storage usage exceeds the total limit of containers {limit}. "),
            ));
        }
    }
    // containerEphemeralStorageLimitEviction: regular containers only.
    if !pod
        .containers
        .iter()
        .any(|c| !c.init && c.ephemeral_storage_limit.is_some())
    {
        return None;
    }
    for cs in &stats.containers {
        let limit = pod
            .containers
            .iter()
            .filter(|c| !c.init)
            .rev()
            .find(|c| c.name == cs.name)
            .and_then(|c| c.ephemeral_storage_limit.as_ref())
            .filter(|l| l.value() != Some(0));
        let Some(limit) = limit else {
            continue;
        };
        let mut used = cs.logs.and_then(|l| l.used_bytes).unwrap_or(0);
        if !dedicated_image_fs {
            used = used.saturating_add(cs.rootfs.and_then(|r| r.used_bytes).unwrap_or(0));
        }
        if limit < &bytes_quantity(used) {
            return Some((
                EvictionCause::ContainerEphemeralStorageLimit {
                    container: cs.name.clone(),
                },
                format!(
                    "Container {} exceeded its local ephemeral storage limit {}. ",
                    cs.name,
                    go_quote(&limit.to_string())
                ),
            ));
        }
    }
    None
}

/// `evictionMessage`: the message and event annotations for evicting `pod`.
fn eviction_message(
    resource: StarvedResource,
    pod: &EvictionPod,
    active: &[usize],
    thresholds: &[Threshold],
    obs: &Observations,
) -> (String, SortedMap<String, String>) {
    let mut annotations = SortedMap::new();
    let mut message = format!("The node was low on resource: {resource}. ");
    let met_info = active
        .iter()
        .filter_map(|&i| thresholds.get(i))
        .find_map(|t| {
            if t.signal.resource() != resource {
                return None;
            }
            let o = obs.get(t.signal)?;
            Some((
                t.value.resolve(o.capacity),
                observed_quantity(t.signal, o.available),
            ))
        });
    if let Some((Some(q), available)) = met_info {
        message.push_str(&format!(
            "Threshold quantity: {q}, available: {available}. "
        ));
    }
    let Some(stats) = &pod.stats else {
        return (message, annotations);
    };
    if resource == StarvedResource::Memory {
        if let (Some(request), Some(ws)) = (&pod.pod_level_memory_request, stats.memory_working_set)
        {
            let usage = bytes_quantity(ws);
            message.push_str(&format!(
                "Pod {} was using {usage}, request is {request}, has larger consumption of memory. ",
                pod.name
            ));
            annotations.insert("offending_pod".to_owned(), pod.name.clone());
            annotations.insert("offending_pod_usage".to_owned(), usage.to_string());
        }
    }
    let mut exceeded: Vec<&str> = Vec::new();
    let mut usages: Vec<String> = Vec::new();
    for cs in &stats.containers {
        let Some(container) = pod.containers.iter().find(|c| c.name == cs.name) else {
            continue;
        };
        let request = match resource {
            StarvedResource::Memory => container.memory_request.clone(),
            StarvedResource::EphemeralStorage => container.ephemeral_storage_request.clone(),
            _ => None,
        }
        .unwrap_or_default();
        let usage = match resource {
            StarvedResource::EphemeralStorage => match (
                cs.rootfs.and_then(|r| r.used_bytes),
                cs.logs.and_then(|l| l.used_bytes),
            ) {
                (Some(r), Some(l)) => Some(bytes_quantity(r.saturating_add(l))),
                _ => None,
            },
            StarvedResource::Memory => cs.memory_working_set.map(bytes_quantity),
            _ => None,
        };
        if let Some(usage) = usage {
            if usage > request {
                message.push_str(&format!(
                    "Container {} was using {usage}, request is {request}, has larger consumption of {resource}. ",
                    container.name
                ));
                exceeded.push(&container.name);
                usages.push(usage.to_string());
            }
        }
    }
    annotations.insert("offending_containers".to_owned(), exceeded.join(","));
    annotations.insert("offending_containers_usage".to_owned(), usages.join(","));
    annotations.insert("starved_resource".to_owned(), resource.as_str().to_owned());
    (message, annotations)
}
