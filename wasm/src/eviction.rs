//! Kubelet node-pressure eviction: `parseEvictionConfig`, the stepwise
//! `EvictionSimulator` handle, and the pure `evictionRun`.

use kubelogic::eviction::{
    ConfigField, Duration, EvictionConfig, EvictionConfigError, EvictionManager, EvictionPod,
    FilesystemLayout, KubeletEvictionSettings, ManagerOptions, Observation, Observations, PodStats,
    Signal, StepInput,
};
use kubelogic::model::Pod;
use kubelogic::SortedMap;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::error::BindingError;
use crate::input::{self, join, Amount, KubernetesJson};

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
  /** The release whose default gates apply (default: current). */
  kubernetesVersion?: KubernetesVersion;
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

/// `flags`: a kubelet command line (`["--eviction-hard=..."]`) or a map
/// from flag name to value.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Flags {
    Args(Vec<String>),
    Map(SortedMap<String, String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct ConfigInput {
    flags: Option<Flags>,
    config: Option<KubeletEvictionSettings>,
    defaults: Option<bool>,
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

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct SimulatorOptions {
    dedicated_image_fs: bool,
    separate_container_fs: bool,
    pod_termination_completes: Option<bool>,
    feature_gates: SortedMap<String, bool>,
    kubernetes_version: Option<kubelogic::KubernetesVersion>,
}

fn manager_options(o: &SimulatorOptions, path: &str) -> Result<ManagerOptions, BindingError> {
    let gates = input::feature_gates(
        &o.feature_gates,
        o.kubernetes_version,
        &join(path, "featureGates"),
    )?;
    Ok(ManagerOptions {
        layout: FilesystemLayout {
            dedicated_image_fs: o.dedicated_image_fs,
            separate_container_fs: o.separate_container_fs,
        },
        feature_gates: gates,
        pod_termination_completes: o.pod_termination_completes.unwrap_or(true),
    })
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ObservationInput {
    available: Amount,
    #[serde(default)]
    capacity: Option<Amount>,
}

/// `at`: whole seconds or a Go duration.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum At {
    Seconds(f64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StepDto {
    at: At,
    #[serde(default)]
    observations: SortedMap<String, ObservationInput>,
    #[serde(default)]
    observations_after_reclaim: Option<SortedMap<String, ObservationInput>>,
    #[serde(default)]
    pods: Option<Vec<KubernetesJson<Pod>>>,
    #[serde(default)]
    pod_stats: Option<SortedMap<String, PodStats>>,
}

fn observations(
    map: &SortedMap<String, ObservationInput>,
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
            format!("expected whole seconds or a Go duration such as \"1m30s\", got {s}"),
            path,
        )),
    }
}

fn eviction_pods(
    pods: &[KubernetesJson<Pod>],
    stats: &SortedMap<String, PodStats>,
) -> Vec<EvictionPod> {
    pods.iter()
        .map(|pod| {
            let mut p = EvictionPod::from_pod(&pod.0, true);
            p.stats = stats.get(p.key.as_str()).cloned();
            p
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
    pods: Vec<KubernetesJson<Pod>>,
    stats: SortedMap<String, PodStats>,
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
        let pods = eviction_pods(&self.pods, &self.stats);
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

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RunDto {
    #[serde(flatten)]
    config: ConfigInput,
    #[serde(default)]
    options: SimulatorOptions,
    #[serde(default)]
    pods: Vec<KubernetesJson<Pod>>,
    #[serde(default)]
    pod_stats: SortedMap<String, PodStats>,
    steps: Vec<StepDto>,
}

/// Runs the eviction manager over a timeline: one result per step.
#[wasm_bindgen(js_name = evictionRun, unchecked_return_type = "EvictionStepResult[]")]
pub fn eviction_run(
    #[wasm_bindgen(unchecked_param_type = "EvictionRunInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let run: RunDto = input::options_required(&input, "")?;
    let mut sim = EvictionSimulator::create(&run.config, &run.options)?;
    sim.pods = run.pods;
    sim.stats = run.pod_stats;
    let results = js_sys::Array::new();
    for (i, step) in run.steps.into_iter().enumerate() {
        results.push(&sim.run_step(step, &format!("steps[{i}]"))?);
    }
    Ok(results.into())
}
