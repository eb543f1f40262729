//! Kubelet node-pressure eviction: `parseEvictionConfig`, the stepwise
//! `EvictionSimulator` handle, and the pure `evictionRun`.

use kubelogic::eviction::{
    ConfigField, ContainerStats, Duration, EvictionConfig, EvictionConfigError, EvictionManager,
    EvictionPod, FeatureGates, FilesystemLayout, FsUsage, KubeletEvictionSettings, ManagerOptions,
    Observation, Observations, PodStats, Signal, StepInput, VolumeStats,
};
use kubelogic::float_text;
use kubelogic::model::Pod;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::error::BindingError;
use crate::input::{self, join, Amount};
use crate::read::{self, FromJs, NumberOrText, ReadError, SortedMap};

#[wasm_bindgen(typescript_custom_section)]
const TS_EVICTION: &'static str = r#"
/** The kubelet's eviction settings: command-line flags or KubeletConfiguration fields. */
export interface EvictionConfigInput {
  /** Kubelet flags: `["--eviction-hard=memory.available<500Mi", ...]`, or a map
   *  `{ "eviction-hard": "memory.available<500Mi", "eviction-soft-grace-period": "memory.available=1m" }`. */
  flags?: string[] | Record<string, string>;
  /** KubeletConfiguration (map form): `{ evictionHard: { "memory.available": "500Mi" }, ... }`. */
  config?: {
    evictionHard?: Record<string, string>;
    evictionSoft?: Record<string, string>;
    evictionSoftGracePeriod?: Record<string, string>;
    evictionMinimumReclaim?: Record<string, string>;
    evictionMaxPodGracePeriod?: number;
    evictionPressureTransitionPeriod?: string;
    enforceNodeAllocatable?: string[];
    mergeDefaultEvictionSettings?: boolean;
    localStorageCapacityIsolation?: boolean;
  };
  /** Apply the kubelet's Linux defaults to what is unset (default `true`); `false`: `ParseThresholdConfig` alone. */
  defaults?: boolean;
}

export type ThresholdValue = { quantity: string } | { percentage: number };

/** A parsed eviction threshold. */
export interface EvictionThreshold {
  /** `memory.available`, `nodefs.available`, `allocatableMemory.available`, ... */
  signal: string;
  operator: "LessThan";
  value: ThresholdValue;
  /** A Go duration, `"0s"` for a hard threshold. */
  gracePeriod: string;
  minReclaim: ThresholdValue | null;
}

/** The configuration the eviction manager runs with. */
export interface EvictionConfig {
  /** Hard, then soft, then `allocatableMemory.available` copies. */
  thresholds: EvictionThreshold[];
  maxPodGracePeriodSeconds: number;
  pressureTransitionPeriod: string;
  localStorageCapacityIsolation: boolean;
}

export interface EvictionSimulatorOptions {
  dedicatedImageFs?: boolean;
  separateContainerFs?: boolean;
  /** An evicted pod finishes terminating before the next step (default `true`). */
  podTerminationCompletes?: boolean;
  /** `{ KubeletSeparateDiskGC: false }`. */
  featureGates?: Record<string, boolean>;
}

/** A signal's observation: available and capacity, as numbers (bytes, inodes, pids) or quantities. */
export interface ObservationInput {
  available: number | string;
  capacity?: number | string;
}

/** A pod's stats (`statsapi.PodStats`), bytes. */
export interface PodStatsInput {
  memoryWorkingSet?: number;
  ephemeralStorageUsed?: number;
  processCount?: number;
  containers?: { name: string; memoryWorkingSet?: number; rootfs?: FsUsage; logs?: FsUsage }[];
  volumes?: ({ name: string } & FsUsage)[];
}
export interface FsUsage { usedBytes?: number; inodesUsed?: number }

/** One step of the eviction manager. */
export interface EvictionStepInput {
  /** The step's time: a Go duration since the start (`"90s"`, `"1m30s"`) or seconds. */
  at: string | number;
  /** Observations by signal name, e.g. `{ "memory.available": { available: "80Mi", capacity: "8Gi" } }`. */
  observations: Record<string, ObservationInput>;
  /** What container/image GC would leave, if it runs this step. */
  observationsAfterReclaim?: Record<string, ObservationInput>;
  /** The active pods on the node (Pod objects). */
  pods: KubernetesJson[];
  /** Stats by `namespace/name`. */
  podStats?: Record<string, PodStatsInput>;
}

export interface ThresholdStatus {
  index: number;
  signal: string;
  hard: boolean;
  /** The threshold resolved against capacity, e.g. `"100Mi"`. */
  value: string | null;
  minReclaim: string | null;
  available: string | null;
  metByObservation: boolean;
  heldByMinReclaim: boolean;
  firstObservedAt: string;
  gracePeriod: string;
  pastGracePeriod: boolean;
  eligibleAt: string;
}

export interface NodeConditionReport {
  type: "MemoryPressure" | "DiskPressure" | "PIDPressure";
  status: "True" | "False";
  reason: string;
  message: string;
  observedNow: boolean;
  lastObservedAt: string | null;
  heldUntil: string | null;
}

export interface RankedPod {
  pod: string;
  index: number;
  keys: {
    statsFound: boolean;
    priority: number;
    /** Milli-units (bytes × 1000). */
    usageMilli: number;
    requestMilli: number;
    exceedsRequests: boolean;
    usageKeyMilli: number;
  };
}

export interface Ranking {
  resource: "memory" | "ephemeral-storage" | "inodes" | "pids";
  fsStats: string[];
  comparators: string[];
  /** Most evictable first. */
  pods: RankedPod[];
  ties: string[][];
}

/** One eviction, as the kubelet reports it. */
export interface Eviction {
  pod: string;
  gracePeriodSeconds: number;
  cause: { kind: "threshold"; signal: string; hard: boolean } | { kind: "emptyDirSizeLimit"; volume: string }
    | { kind: "podEphemeralStorageLimit" } | { kind: "containerEphemeralStorageLimit"; container: string };
  /** The kubelet's message, e.g. `The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. ...` */
  message: string;
  annotations: Record<string, string>;
  podStatus: { phase: "Failed"; reason: "Evicted"; message: string; conditions: { type: string; status: string; reason: string; message: string }[] };
}

export type EvictionOutcome = "nothingConfigured" | "localStorageEviction" | "noThresholdPastGracePeriod"
  | "reclaimedNodeLevel" | "noActivePods" | "softEvictionInProgress" | "evicted" | "noEvictablePod";

/** What one step decided. */
export interface EvictionStepResult {
  at: string;
  outcome: EvictionOutcome;
  /** Thresholds met (before grace periods), in configuration order. */
  thresholds: ThresholdStatus[];
  conditions: NodeConditionReport[];
  /** e.g. `{ key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" }`. */
  taints: { key: string; effect: string }[];
  reclaim: { threshold: number; signal: string; resource: string; hard: boolean; nodeReclaim: string[]; satisfiedByNodeReclaim: boolean } | null;
  ranking: Ranking | null;
  evictions: Eviction[];
  skippedCritical: string[];
}

export interface PodAdmission { admit: boolean; reason: string | null; message: string | null }

export interface EvictionRunInput extends EvictionConfigInput {
  options?: EvictionSimulatorOptions;
  /** Pods and stats of every step that does not give its own. */
  pods?: KubernetesJson[];
  podStats?: Record<string, PodStatsInput>;
  steps: (Omit<EvictionStepInput, "pods"> & { pods?: KubernetesJson[] })[];
}
"#;

#[derive(Debug)]
pub(crate) enum Flags {
    Args(Vec<String>),
    Map(SortedMap<String>),
}

impl FromJs for Flags {
    /// As an untagged enum: a list of strings or an object of strings
    /// (anything else does not match either variant).
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        read::content(v)?;
        let mut all_strings = true;
        if js_sys::Array::is_array(v) {
            let mut args = Vec::new();
            read::for_each_element(v, &mut |e| {
                match read::content_string(e) {
                    Some(s) => args.push(s),
                    None => all_strings = false,
                }
                Ok(())
            })?;
            if all_strings {
                return Ok(Flags::Args(args));
            }
        } else if v.is_object() && read::content_string(v).is_none() {
            let mut map = SortedMap::new();
            read::for_each_pair(v, "a map", &mut |k, e| {
                match (read::content_string(&k), read::content_string(&e)) {
                    (Some(k), Some(e)) => {
                        map.insert(k, e);
                    }
                    _ => all_strings = false,
                }
                Ok(())
            })?;
            if all_strings {
                return Ok(Flags::Map(map));
            }
        }
        Err(read::custom(
            "data did not match any variant of untagged enum Flags",
        ))
    }
}

#[derive(Debug, Default)]
pub(crate) struct ConfigInput {
    flags: Option<Flags>,
    config: Option<KubeletEvictionSettings>,
    defaults: Option<bool>,
}

impl FromJs for ConfigInput {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct ConfigInput")?;
        let mut out = ConfigInput::default();
        read::set(o, "flags", &mut out.flags)?;
        read::set(o, "config", &mut out.config)?;
        read::set(o, "defaults", &mut out.defaults)?;
        Ok(out)
    }
}

fn config_error(e: &EvictionConfigError, from_flags: bool) -> BindingError {
    let field = e.field();
    let path = match (from_flags, field) {
        (_, ConfigField::CommandLine) => "flags".to_owned(),
        (true, f) => format!("flags.{}", f.flag_name()),
        (false, f) => format!("config.{}", f.config_name()),
    };
    BindingError::new(e.message(), path).with_kind(format!("{:?}", e.kind()))
}

fn read_config(input: &ConfigInput) -> Result<EvictionConfig, BindingError> {
    let from_flags = input.flags.is_some();
    let settings = match (&input.flags, &input.config) {
        (Some(Flags::Args(args)), None) => KubeletEvictionSettings::from_flags(args),
        (Some(Flags::Map(map)), None) => {
            let mut s = KubeletEvictionSettings::default();
            map.iter().try_for_each(|(k, v)| s.set(k, v)).map(|()| s)
        }
        (None, Some(c)) => Ok(c.clone()),
        (None, None) => Ok(KubeletEvictionSettings::default()),
        (Some(_), Some(_)) => {
            return Err(BindingError::new("give `flags` or `config`, not both", ""))
        }
    }
    .map_err(|e| config_error(&e, from_flags))?;
    let settings = if input.defaults.unwrap_or(true) {
        settings.with_linux_defaults()
    } else {
        settings
    };
    EvictionConfig::from_settings(&settings).map_err(|e| config_error(&e, from_flags))
}

/// Parses kubelet eviction flags or KubeletConfiguration fields into the
/// configuration the eviction manager runs with (`ParseThresholdConfig`).
#[wasm_bindgen(js_name = parseEvictionConfig, unchecked_return_type = "EvictionConfig")]
pub fn parse_eviction_config(
    #[wasm_bindgen(unchecked_param_type = "EvictionConfigInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let input: ConfigInput = input::options(&input, "")?;
    to_js(&read_config(&input)?)
}

#[derive(Debug, Default)]
pub(crate) struct SimulatorOptions {
    dedicated_image_fs: bool,
    separate_container_fs: bool,
    pod_termination_completes: Option<bool>,
    feature_gates: SortedMap<bool>,
}

impl FromJs for SimulatorOptions {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct SimulatorOptions")?;
        let mut out = SimulatorOptions::default();
        read::set(o, "dedicatedImageFs", &mut out.dedicated_image_fs)?;
        read::set(o, "separateContainerFs", &mut out.separate_container_fs)?;
        read::set(
            o,
            "podTerminationCompletes",
            &mut out.pod_termination_completes,
        )?;
        read::set(o, "featureGates", &mut out.feature_gates)?;
        Ok(out)
    }
}

fn manager_options(o: &SimulatorOptions, path: &str) -> Result<ManagerOptions, BindingError> {
    let mut gates = FeatureGates::default();
    for (name, on) in o.feature_gates.iter() {
        match name.as_str() {
            "KubeletSeparateDiskGC" => gates.kubelet_separate_disk_gc = *on,
            other => {
                return Err(BindingError::new(
                    format!(
                        "unknown feature gate {} (known: KubeletSeparateDiskGC)",
                        kubelogic::quote::go_quote(other)
                    ),
                    join(path, "featureGates"),
                ))
            }
        }
    }
    Ok(ManagerOptions {
        layout: FilesystemLayout {
            dedicated_image_fs: o.dedicated_image_fs,
            separate_container_fs: o.separate_container_fs,
        },
        feature_gates: gates,
        pod_termination_completes: o.pod_termination_completes.unwrap_or(true),
    })
}

#[derive(Debug)]
pub(crate) struct ObservationInput {
    available: Amount,
    capacity: Option<Amount>,
}

impl FromJs for ObservationInput {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct ObservationInput")?;
        let available = read::required(o, "available")?;
        let mut capacity = None;
        read::set(o, "capacity", &mut capacity)?;
        Ok(ObservationInput {
            available: available.ok_or_else(|| read::missing_field("available"))?,
            capacity,
        })
    }
}

#[derive(Debug)]
pub(crate) enum At {
    Seconds(f64),
    Text(String),
}

impl FromJs for At {
    /// As an untagged enum: a number or a string.
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        Ok(match NumberOrText::read(v, "At")? {
            NumberOrText::Number(n) => At::Seconds(n),
            NumberOrText::Text(s) => At::Text(s),
        })
    }
}

#[derive(Debug)]
pub(crate) struct StepDto {
    at: At,
    observations: SortedMap<ObservationInput>,
    observations_after_reclaim: Option<SortedMap<ObservationInput>>,
    pods: Option<Vec<Value>>,
    pod_stats: Option<SortedMap<PodStats>>,
}

impl FromJs for StepDto {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct StepDto")?;
        let at = read::required(o, "at")?;
        let mut observations = SortedMap::default();
        read::set(o, "observations", &mut observations)?;
        let mut observations_after_reclaim = None;
        read::set(
            o,
            "observationsAfterReclaim",
            &mut observations_after_reclaim,
        )?;
        let mut pods = None;
        read::set(o, "pods", &mut pods)?;
        let mut pod_stats = None;
        read::set(o, "podStats", &mut pod_stats)?;
        Ok(StepDto {
            at: at.ok_or_else(|| read::missing_field("at"))?,
            observations,
            observations_after_reclaim,
            pods,
            pod_stats,
        })
    }
}

impl FromJs for KubeletEvictionSettings {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct KubeletEvictionSettings")?;
        let mut out = KubeletEvictionSettings::default();
        read::set(o, "evictionHard", &mut out.eviction_hard)?;
        read::set(o, "evictionSoft", &mut out.eviction_soft)?;
        read::set(
            o,
            "evictionSoftGracePeriod",
            &mut out.eviction_soft_grace_period,
        )?;
        read::set(
            o,
            "evictionMinimumReclaim",
            &mut out.eviction_minimum_reclaim,
        )?;
        read::set(
            o,
            "evictionMaxPodGracePeriod",
            &mut out.eviction_max_pod_grace_period,
        )?;
        read::set(
            o,
            "evictionPressureTransitionPeriod",
            &mut out.eviction_pressure_transition_period,
        )?;
        read::set(
            o,
            "enforceNodeAllocatable",
            &mut out.enforce_node_allocatable,
        )?;
        read::set(
            o,
            "mergeDefaultEvictionSettings",
            &mut out.merge_default_eviction_settings,
        )?;
        read::set(
            o,
            "localStorageCapacityIsolation",
            &mut out.local_storage_capacity_isolation,
        )?;
        Ok(out)
    }
}

impl FromJs for PodStats {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct PodStats")?;
        let mut out = PodStats::default();
        read::set(o, "memoryWorkingSet", &mut out.memory_working_set)?;
        read::set(o, "ephemeralStorageUsed", &mut out.ephemeral_storage_used)?;
        read::set(o, "processCount", &mut out.process_count)?;
        read::set(o, "containers", &mut out.containers)?;
        read::set(o, "volumes", &mut out.volumes)?;
        Ok(out)
    }
}

impl FromJs for ContainerStats {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct ContainerStats")?;
        let name = read::required(o, "name")?;
        let mut out = ContainerStats::default();
        read::set(o, "memoryWorkingSet", &mut out.memory_working_set)?;
        read::set(o, "rootfs", &mut out.rootfs)?;
        read::set(o, "logs", &mut out.logs)?;
        out.name = name.ok_or_else(|| read::missing_field("name"))?;
        Ok(out)
    }
}

impl FromJs for FsUsage {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct FsUsage")?;
        let mut out = FsUsage::default();
        read::set(o, "usedBytes", &mut out.used_bytes)?;
        read::set(o, "inodesUsed", &mut out.inodes_used)?;
        Ok(out)
    }
}

impl FromJs for VolumeStats {
    /// `usage` is flattened: serde reads the struct as a map, keeps the
    /// other entries as content and reads the usage from those.
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let mut name = None;
        let (mut used, mut inodes) = (JsValue::UNDEFINED, JsValue::UNDEFINED);
        read::for_each_entry(
            v,
            "struct VolumeStats",
            "field identifier",
            &mut |k, item| {
                match k.as_str() {
                    "name" => name = Some(String::from_js(item)?),
                    // The other entries are buffered as content first.
                    "usedBytes" => {
                        read::content(item)?;
                        used = item.clone();
                    }
                    "inodesUsed" => {
                        read::content(item)?;
                        inodes = item.clone();
                    }
                    _ => read::content(item)?,
                }
                Ok(())
            },
        )?;
        let name = name.ok_or_else(|| read::missing_field("name"))?;
        let usage = FsUsage {
            used_bytes: read::content_u64(&used)?,
            inodes_used: read::content_u64(&inodes)?,
        };
        Ok(VolumeStats { name, usage })
    }
}

fn observations(
    map: &SortedMap<ObservationInput>,
    path: &str,
) -> Result<Observations, BindingError> {
    let mut out = Observations::default();
    for (name, o) in map.iter() {
        let at = join(path, name);
        let signal: Signal = name
            .parse()
            .map_err(|e: kubelogic::eviction::UnknownSignal| {
                BindingError::new(e.to_string(), &at)
            })?;
        out.set(
            signal,
            Observation {
                available: o.available.value(&join(&at, "available"))?,
                capacity: o
                    .capacity
                    .as_ref()
                    .map(|c| c.value(&join(&at, "capacity")))
                    .transpose()?,
            },
        );
    }
    Ok(out)
}

fn at_duration(at: &At, path: &str) -> Result<Duration, BindingError> {
    match at {
        At::Text(s) => Duration::parse(s).map_err(|e| BindingError::new(e.to_string(), path)),
        At::Seconds(s) if s.is_finite() && *s >= 0.0 && s.fract() == 0.0 && *s < 9.0e9 => {
            // A whole number of seconds well inside u64.
            #[allow(clippy::cast_possible_truncation)]
            Ok(Duration::from_secs(*s as i64))
        }
        At::Seconds(s) => Err(BindingError::new(
            format!(
                "expected whole seconds or a Go duration such as \"1m30s\", got {}",
                float_text::display(*s)
            ),
            path,
        )),
    }
}

fn eviction_pods(
    pods: &[Value],
    stats: &SortedMap<PodStats>,
    path: &str,
) -> Result<Vec<EvictionPod>, BindingError> {
    pods.iter()
        .enumerate()
        .map(|(i, v)| {
            let pod: Pod = input::object_at(v, &format!("{path}[{i}]"))?;
            let mut p = EvictionPod::from_pod(&pod, true);
            p.stats = stats.get(p.key.as_str()).cloned();
            Ok(p)
        })
        .collect()
}

/// A step result as plain JSON: the core's 128-bit ranking keys become
/// numbers (a JS `BigInt` would not survive `JSON.stringify`).
fn step_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_value(value).map_err(|e| BindingError::new(e.to_string(), ""))?;
    to_js(&json)
}

/// The kubelet's eviction manager, one `synchronize` pass per `step`.
#[wasm_bindgen]
#[derive(Debug)]
pub struct EvictionSimulator {
    manager: EvictionManager,
    pods: Vec<Value>,
    stats: SortedMap<PodStats>,
}

impl EvictionSimulator {
    fn create(config: &ConfigInput, options: &SimulatorOptions) -> Result<Self, BindingError> {
        let config = read_config(config)?;
        let options = manager_options(options, "options")?;
        let manager = EvictionManager::new(config, options)
            .map_err(|e| BindingError::new(e.to_string(), "options"))?;
        Ok(EvictionSimulator {
            manager,
            pods: Vec::new(),
            stats: SortedMap::default(),
        })
    }

    fn run_step(&mut self, step: StepDto, path: &str) -> Result<JsValue, JsValue> {
        let at = at_duration(&step.at, &join(path, "at"))?;
        if let Some(p) = step.pods {
            self.pods = p;
        }
        if let Some(s) = step.pod_stats {
            self.stats = s;
        }
        let obs = observations(&step.observations, &join(path, "observations"))?;
        let after = step
            .observations_after_reclaim
            .as_ref()
            .map(|m| observations(m, &join(path, "observationsAfterReclaim")))
            .transpose()?;
        let pods = eviction_pods(&self.pods, &self.stats, &join(path, "pods"))?;
        let input = StepInput {
            at,
            observations: &obs,
            observations_after_reclaim: after.as_ref(),
            pods: &pods,
        };
        step_js(&self.manager.step(&input))
    }
}

#[wasm_bindgen]
impl EvictionSimulator {
    /// A manager with this configuration (flags or KubeletConfiguration, with
    /// the kubelet's defaults unless `defaults: false`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EvictionConfigInput")] config: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvictionSimulatorOptions")] options: Option<
            js_sys::Object,
        >,
    ) -> Result<EvictionSimulator, JsValue> {
        let config: ConfigInput = input::options(&config, "")?;
        let options: SimulatorOptions = match options {
            Some(o) => input::options(&o.into(), "options")?,
            None => SimulatorOptions::default(),
        };
        Ok(EvictionSimulator::create(&config, &options)?)
    }

    /// The configuration in effect.
    #[wasm_bindgen(unchecked_return_type = "EvictionConfig")]
    pub fn config(&self) -> Result<JsValue, JsValue> {
        to_js(self.manager.config())
    }

    /// One step at `at`: the observations and the pods (pods and stats
    /// carry over from the previous step when left out).
    #[wasm_bindgen(unchecked_return_type = "EvictionStepResult")]
    pub fn step(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "EvictionStepInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let step: StepDto = input::options_required(&input, "")?;
        self.run_step(step, "")
    }

    /// Whether the kubelet admits `pod` under the current conditions.
    #[wasm_bindgen(unchecked_return_type = "PodAdmission")]
    pub fn admit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "KubernetesJson")] pod: JsValue,
    ) -> Result<JsValue, JsValue> {
        let pod: Pod = input::object(&pod, "pod")?;
        to_js(&self.manager.admit(&EvictionPod::from_pod(&pod, true)))
    }
}

#[derive(Debug)]
pub(crate) struct RunDto {
    flags: Option<Flags>,
    config: Option<KubeletEvictionSettings>,
    defaults: Option<bool>,
    options: SimulatorOptions,
    pods: Vec<Value>,
    pod_stats: SortedMap<PodStats>,
    steps: Vec<StepDto>,
}

impl FromJs for RunDto {
    fn from_js(v: &JsValue) -> Result<Self, ReadError> {
        let o = read::object(v, "struct RunDto")?;
        let mut config = ConfigInput::default();
        read::set(o, "flags", &mut config.flags)?;
        read::set(o, "config", &mut config.config)?;
        read::set(o, "defaults", &mut config.defaults)?;
        let mut options = SimulatorOptions::default();
        read::set(o, "options", &mut options)?;
        let mut pods = Vec::new();
        read::set(o, "pods", &mut pods)?;
        let mut pod_stats = SortedMap::default();
        read::set(o, "podStats", &mut pod_stats)?;
        let steps = read::required(o, "steps")?;
        Ok(RunDto {
            flags: config.flags,
            config: config.config,
            defaults: config.defaults,
            options,
            pods,
            pod_stats,
            steps: steps.ok_or_else(|| read::missing_field("steps"))?,
        })
    }
}

/// Runs the eviction manager over a timeline: one result per step.
#[wasm_bindgen(js_name = evictionRun, unchecked_return_type = "EvictionStepResult[]")]
pub fn eviction_run(
    #[wasm_bindgen(unchecked_param_type = "EvictionRunInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let run: RunDto = input::options_required(&input, "")?;
    let config = ConfigInput {
        flags: run.flags,
        config: run.config,
        defaults: run.defaults,
    };
    let mut sim = EvictionSimulator::create(&config, &run.options)?;
    sim.pods = run.pods;
    sim.stats = run.pod_stats;
    let results = js_sys::Array::new();
    for (i, step) in run.steps.into_iter().enumerate() {
        results.push(&sim.run_step(step, &format!("steps[{i}]"))?);
    }
    Ok(results.into())
}
