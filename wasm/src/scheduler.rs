//! Scheduling: one pod ([`schedule`], [`Cluster::schedule`]), many pods one
//! after another ([`place_all`], [`Cluster::place_all`]), with
//! DefaultPreemption's outcome in the result.
//!
//! [`Cluster`] parses and indexes a cluster once (`new Cluster(json)`), so
//! repeated what-ifs on a large cluster pay for scheduling only; the free
//! functions build a throwaway `Cluster` per call.

use std::collections::BTreeMap;

use kubelogic::model::{Objects, Pod};
use kubelogic::scheduler::cycle::ScheduleResult;
use kubelogic::scheduler::place::{self, Placement};
use kubelogic::scheduler::{ConfigError, Profile, Snapshot};
use kubelogic::SortedMap;
use kubelogic::{FeatureGates, KubernetesVersion};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::error::BindingError;
use crate::input::{self, join};
use crate::outcome::ScheduleOutcome;

#[wasm_bindgen(typescript_custom_section)]
const TS_SCHEDULER: &'static str = r#"
/** Kubernetes objects as JSON text (what `kubectl get nodes,pods -A -o json` prints)
 *  or as parsed JS objects: a `List`, an array of objects, or one object. */
export type KubernetesJson = string | object;

/** Feature gate overrides on the Kubernetes v1.35 defaults, e.g. `{ PodLevelResources: false }`. */
export type FeatureGateOverrides = Record<string, boolean>;

/** A scheduling profile. Omitted: the default profile (`default-scheduler`) with DefaultPreemption. */
export interface ProfileInput {
  /** Exactly these plugins, in the default order with the default weights (e.g.
   *  `["NodeResourcesFit", "NodeName", "DefaultPreemption"]`); omitted: all defaults. */
  plugins?: string[];
  /** Plugin args by plugin name (`KubeSchedulerConfiguration` `pluginConfig[].args`). */
  pluginConfig?: Record<string, unknown>;
  /** `percentageOfNodesToScore`; omitted: every node is filtered and scored; `0`: upstream's adaptive default. */
  percentageOfNodesToScore?: number;
}

export interface ScheduleOptions {
  profile?: ProfileInput;
  /** `"full"` (default): one row per node; `"summary"`: no per-node rows (faster on big clusters). */
  detail?: "full" | "summary";
}

export type StatusCode = "Success" | "Error" | "Unschedulable" | "UnschedulableAndUnresolvable" | "Wait" | "Skip" | "Pending";

/** A plugin's verdict (`framework.Status`). */
export interface Status {
  code: StatusCode;
  /** Each reason counts separately in the FailedScheduling message; absent when none. */
  reasons?: string[];
  /** The plugin that returned it; absent when none did. */
  plugin?: string;
}

/** One score plugin on one node. */
export interface PluginScore {
  plugin: string;
  /** What Score returned. */
  raw: number;
  /** After NormalizeScore, 0..=100. */
  normalized: number;
  /** The plugin's weight in the profile. */
  weight: number;
  /** `normalized × weight`. */
  weighted: number;
}

/** What the cycle did with one node. */
export interface NodeResult {
  name: string;
  /** `Success` when feasible, else the first rejecting plugin's status; `null` when not evaluated. */
  status: Status | null;
  /** Score plugins' scores; absent when the node was not scored. */
  scores?: PluginScore[];
  /** The weighted total; absent when not scored. */
  total?: number;
}

/** Why no node fits (`framework.FitError`); `ScheduleResult.message` is its text. */
export interface FitError {
  pod: string;
  numAllNodes: number;
  diagnosis: {
    nodeToStatus: { nodeToStatus: Record<string, Status>; absentNodesStatus: Status };
    unschedulablePlugins: string[];
    preFilterMsg: string;
    postFilterMsg: string;
  };
}

/** A node where the preemptor would fit once the victims are gone. */
export interface PreemptionCandidate {
  node: string;
  /** `namespace/name`, most important first. */
  victims: string[];
  numPDBViolations: number;
}

/** What DefaultPreemption (the PostFilter) did. */
export interface PreemptionResult {
  /** Whether the pod may preempt at all (`PodEligibleToPreemptOthers`). */
  eligible: boolean;
  /** `null`: nomination unchanged; `""`: cleared (no candidate); else the nominated node. */
  nominatedNode: string | null;
  /** Pods evicted on the nominated node, `namespace/name`. */
  victims: string[];
  candidates: PreemptionCandidate[];
  status: Status;
}

export type ScheduleError =
  | { type: "noNodesAvailable" }
  | {
      type: "plugin";
      plugin: string;
      extensionPoint: "PreFilter" | "Filter" | "PostFilter" | "PreScore" | "Score" | "NormalizeScore";
      message: string;
    };

/** Everything one scheduling cycle decided, and why. */
export interface ScheduleResult {
  /** `namespace/name`. */
  pod: string;
  /** Every node, in cluster order (empty with `detail: "summary"`). */
  nodes: NodeResult[];
  feasible: string[];
  /** The chosen node: the first of `tied` (upstream picks one of them at random); `null` when nothing fits. */
  selected: string | null;
  /** Every node with the highest total. */
  tied: string[];
  evaluatedNodes: number;
  scoredNodes: number;
  skippedFilterPlugins: string[];
  skippedScorePlugins: string[];
  fitError: FitError | null;
  preemption: PreemptionResult | null;
  error: ScheduleError | null;
  /** The exact FailedScheduling event message when nothing fits, e.g.
   *  `0/1 nodes are available: 1 Insufficient memory. preemption: ...`; else `null`. */
  message: string | null;
}

/** Pods for `placeAll`: a list, or a Deployment-style template and a replica count. */
export type PlacePods = { pods: KubernetesJson[] } | { pod: KubernetesJson; replicas: number };

/** Where one pod of `placeAll` went. */
export interface Placement {
  /** `namespace/name` as placed (generated from `generateName` or the name for replicas). */
  pod: string;
  /** The node it was bound to; `null` when it did not fit. */
  node: string | null;
  /** The winning total score; `null` when chosen without scoring (the only feasible node). */
  score: number | null;
  tied: number;
  feasible: number;
  fitError: FitError | null;
  /** The node preemption would nominate (victims are not evicted). */
  nominatedNode: string | null;
  error: string | null;
  /** The FailedScheduling message when it did not fit. */
  message: string | null;
}

/** What a `Cluster` holds. */
export interface ClusterSummary {
  nodes: string[];
  /** Pods placed on the nodes. */
  pods: number;
  /** Objects of kinds kubelogic does not use, e.g. `items[7] (ConfigMap cm)`. */
  ignored: string[];
  /** Pods not on any node (pending, terminal, unknown node), with why. */
  ignoredPods: string[];
}

export interface ScheduleInput extends ScheduleOptions {
  cluster: KubernetesJson;
  /** The pod to create. It goes through the API server's Priority admission first:
   *  `priorityClassName` (or the cluster's `globalDefault` PriorityClass) sets `priority` and
   *  `preemptionPolicy`; an unknown class throws, as creating the pod would. A pod with a
   *  `priority` and no class is taken as already admitted. Same for `Cluster.schedule`,
   *  `Cluster.scheduleOutcome` and the pods of `placeAll`. */
  pod: KubernetesJson;
  featureGates?: FeatureGateOverrides;
  /** The release whose default gates, rules and texts apply (`"v1.28"` to `"v1.35"`; default: current). */
  kubernetesVersion?: KubernetesVersion;
}

export type KubernetesVersion = "v1.28" | "v1.29" | "v1.30" | "v1.31" | "v1.32" | "v1.33" | "v1.34" | "v1.35";

export type PlaceAllInput = PlacePods & {
  cluster: KubernetesJson;
  profile?: ProfileInput;
  featureGates?: FeatureGateOverrides;
  kubernetesVersion?: KubernetesVersion;
};
"#;

/// `ProfileInput`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProfileInput {
    plugins: Option<Vec<String>>,
    plugin_config: BTreeMap<String, Value>,
    percentage_of_nodes_to_score: Option<u32>,
}

/// `ScheduleOutcomeOptions`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct OutcomeOptions {
    profile: Option<ProfileInput>,
}

/// `ScheduleOptions`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct ScheduleOptions {
    profile: Option<ProfileInput>,
    detail: Detail,
}

/// `"full"` or `"summary"`.
#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Detail {
    #[default]
    Full,
    Summary,
}

/// `ScheduleInput` without the objects (read separately, for their paths).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct CallOptions {
    profile: Option<ProfileInput>,
    detail: Detail,
    feature_gates: SortedMap<String, bool>,
    kubernetes_version: Option<KubernetesVersion>,
    replicas: Option<f64>,
}

fn config_error(e: &ConfigError, path: &str) -> BindingError {
    let field = if e.field.is_empty() {
        join(path, &format!("pluginConfig.{}", e.plugin))
    } else {
        join(path, &format!("pluginConfig.{}.{}", e.plugin, e.field))
    };
    BindingError::new(e.to_string(), field).with_kind(e.error_type.as_str().to_owned())
}

fn build_profile(
    input: Option<&ProfileInput>,
    gates: FeatureGates,
    path: &str,
) -> Result<Option<Profile>, BindingError> {
    let Some(p) = input else { return Ok(None) };
    let mut profile = Profile::new(p.plugins.as_deref(), &p.plugin_config, gates)
        .map_err(|e| config_error(&e, path))?;
    profile.percentage_of_nodes_to_score = p.percentage_of_nodes_to_score;
    Ok(Some(profile))
}

/// `ScheduleResult` plus its FailedScheduling message: the JS `ScheduleResult`.
#[derive(Serialize)]
pub(crate) struct ScheduleView<'a> {
    #[serde(flatten)]
    result: &'a ScheduleResult,
    message: Option<String>,
}

impl<'a> ScheduleView<'a> {
    pub(crate) fn new(result: &'a ScheduleResult) -> Self {
        ScheduleView {
            result,
            message: result.message(),
        }
    }
}

fn schedule_view(mut result: ScheduleResult, detail: &Detail) -> Result<JsValue, JsValue> {
    if *detail == Detail::Summary {
        result.nodes = Vec::new();
    }
    to_js(&ScheduleView::new(&result))
}

/// `Placement` plus its FailedScheduling message.
#[derive(Serialize)]
struct PlacementView {
    #[serde(flatten)]
    placement: Placement,
    message: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClusterSummary {
    nodes: Vec<String>,
    pods: usize,
    ignored: Vec<String>,
    ignored_pods: Vec<String>,
}

/// A cluster parsed and indexed once: nodes, the pods on them, namespaces,
/// PDBs, PriorityClasses, Services and ReplicaSets (`Snapshot`), and the
/// default profile.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Cluster {
    snapshot: Snapshot,
    gates: FeatureGates,
    profile: Profile,
}

impl Cluster {
    /// Reads a cluster; errors name the field under `path`.
    pub fn read(
        cluster: &JsValue,
        gates: FeatureGates,
        path: &str,
    ) -> Result<Cluster, BindingError> {
        let text = input::json_text(cluster, path)?;
        let objects: Objects = kubelogic::model::parse_objects(&text).map_err(|e| {
            use crate::error::IntoBindingError;
            e.at(path)
        })?;
        let profile = Profile::default_profile(gates).map_err(|e| config_error(&e, "profile"))?;
        Ok(Cluster {
            snapshot: Snapshot::from_objects(objects, gates),
            gates,
            profile,
        })
    }

    /// What the API server does to a new pod: validation
    /// ([`kubelogic::admission::validate_pod`]: a preferred weight outside
    /// 1-100 is refused), then Priority admission
    /// ([`kubelogic::admission::admit_priority`] with the cluster's
    /// PriorityClasses): `priorityClassName` (or the global default class)
    /// becomes `priority` and `preemptionPolicy`. A pod that already carries
    /// a `priority` and names no class is taken as admitted (a what-if on
    /// the number itself, or a pod read back from the API).
    fn admit(&self, pod: &mut Pod, path: &str) -> Result<(), BindingError> {
        if let Err(e) = kubelogic::admission::validate_pod(pod) {
            let field = match &e {
                kubelogic::admission::AdmissionError::Invalid { errors, .. } => errors
                    .first()
                    .map_or_else(|| "spec".to_owned(), |f| f.field.clone()),
                _ => "spec".to_owned(),
            };
            return Err(BindingError::new(e.to_string(), join(path, &field)));
        }
        if pod.spec.priority.is_some() && pod.spec.priority_class_name.is_none() {
            return Ok(());
        }
        kubelogic::admission::admit_priority(pod, &self.snapshot.objects.priority_classes)
            .map_err(|e| BindingError::new(e.to_string(), join(path, "spec.priorityClassName")))
    }

    fn run(&self, pod: &Pod, profile: Option<&Profile>) -> ScheduleResult {
        kubelogic::scheduler::schedule(&self.snapshot, pod, profile.unwrap_or(&self.profile))
    }

    fn schedule_pod(
        &self,
        pod: &Pod,
        profile: Option<&Profile>,
        detail: &Detail,
    ) -> Result<JsValue, JsValue> {
        schedule_view(self.run(pod, profile), detail)
    }

    fn place(&self, pods: &[Pod], profile: Option<&Profile>) -> Result<JsValue, JsValue> {
        let profile = profile.unwrap_or(&self.profile);
        let mut pods = pods.to_vec();
        for (i, pod) in pods.iter_mut().enumerate() {
            self.admit(pod, &format!("pods[{i}]"))?;
        }
        let pods = pods.as_slice();
        let mut snapshot = self.snapshot.clone();
        let placements: Vec<PlacementView> = place::place_all(&mut snapshot, pods, profile)
            .into_iter()
            .map(|placement| PlacementView {
                message: placement.fit_error.as_ref().map(ToString::to_string),
                placement,
            })
            .collect();
        to_js(&placements)
    }
}

/// Reads `PlacePods` from an input object: `pods`, or `pod` and `replicas`.
fn read_pods(input: &JsValue, replicas: Option<f64>) -> Result<Vec<Pod>, BindingError> {
    let field = |name: &str| js_sys::Reflect::get(input, &JsValue::from_str(name)).ok();
    let pods = field("pods").filter(|v| !v.is_undefined() && !v.is_null());
    let pod = field("pod").filter(|v| !v.is_undefined() && !v.is_null());
    match (pods, pod) {
        (Some(pods), None) => {
            if !js_sys::Array::is_array(&pods) && !pods.is_string() {
                return Err(BindingError::new("expected an array of pods", "pods"));
            }
            let pods: Vec<Pod> = input::object(&pods, "pods")?;
            Ok(pods)
        }
        (None, Some(pod)) => {
            let template: Pod = input::object(&pod, "pod")?;
            let count = match replicas {
                Some(n) if n.fract() == 0.0 && (0.0..=100_000.0).contains(&n) => {
                    // A whole number in range: exact.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let n = n as usize;
                    n
                }
                Some(n) => {
                    return Err(BindingError::new(
                        format!("replicas must be a whole number from 0 to 100000, got {n}"),
                        "replicas",
                    ))
                }
                None => 1,
            };
            Ok(place::replicas(&template, count))
        }
        _ => Err(BindingError::new(
            "give either `pods` (a list) or `pod` and `replicas`",
            "",
        )),
    }
}

#[wasm_bindgen]
impl Cluster {
    /// Parses and indexes a cluster: `kubectl get nodes,pods -A -o json`
    /// output (a `List`), an array of objects, or one object; as JSON text or
    /// a JS object. Pending pods in it are not placed (see `summary()`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "KubernetesJson")] cluster: JsValue,
        #[wasm_bindgen(js_name = featureGates, unchecked_optional_param_type = "FeatureGateOverrides")]
        feature_gates: Option<js_sys::Object>,
        #[wasm_bindgen(js_name = kubernetesVersion, unchecked_optional_param_type = "KubernetesVersion")]
        kubernetes_version: Option<String>,
    ) -> Result<Cluster, JsValue> {
        let overrides: SortedMap<String, bool> = match feature_gates {
            Some(o) => input::options(&o.into(), "featureGates")?,
            None => SortedMap::default(),
        };
        let version = kubernetes_version
            .map(|v| v.parse::<KubernetesVersion>())
            .transpose()
            .map_err(|e| BindingError::new(e.to_string(), "kubernetesVersion"))?;
        let gates = input::feature_gates(&overrides, version, "featureGates")?;
        Ok(Cluster::read(&cluster, gates, "cluster")?)
    }

    /// The nodes, the pods placed on them, and what was left out.
    #[wasm_bindgen(unchecked_return_type = "ClusterSummary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        let summary = ClusterSummary {
            nodes: self
                .snapshot
                .nodes()
                .iter()
                .map(|n| n.name().to_owned())
                .collect(),
            pods: self.snapshot.nodes().iter().map(|n| n.pods.len()).sum(),
            ignored: self.snapshot.objects.ignored.clone(),
            ignored_pods: self.snapshot.ignored_pods.clone(),
        };
        to_js(&summary)
    }

    /// One scheduling cycle for `pod` (nothing is bound: the cluster is unchanged).
    #[wasm_bindgen(unchecked_return_type = "ScheduleResult")]
    pub fn schedule(
        &self,
        #[wasm_bindgen(unchecked_param_type = "KubernetesJson")] pod: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ScheduleOptions")] options: Option<
            js_sys::Object,
        >,
    ) -> Result<JsValue, JsValue> {
        let options: ScheduleOptions = match options {
            Some(o) => input::options(&o.into(), "options")?,
            None => ScheduleOptions::default(),
        };
        let mut pod: Pod = input::object(&pod, "pod")?;
        self.admit(&mut pod, "pod")?;
        let profile = build_profile(options.profile.as_ref(), self.gates, "profile")?;
        self.schedule_pod(&pod, profile.as_ref(), &options.detail)
    }

    /// One scheduling cycle for `pod`, like `schedule`, with the result kept
    /// in wasm memory: the decision and counts are read without converting
    /// a row per node, rows are converted when asked for (`rows`, `node`).
    /// The fast path for large clusters.
    #[wasm_bindgen(js_name = scheduleOutcome)]
    pub fn schedule_outcome(
        &self,
        #[wasm_bindgen(unchecked_param_type = "KubernetesJson")] pod: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ScheduleOutcomeOptions")] options: Option<
            js_sys::Object,
        >,
    ) -> Result<ScheduleOutcome, JsValue> {
        let options: OutcomeOptions = match options {
            Some(o) => input::options(&o.into(), "options")?,
            None => OutcomeOptions::default(),
        };
        let mut pod: Pod = input::object(&pod, "pod")?;
        self.admit(&mut pod, "pod")?;
        let profile = build_profile(options.profile.as_ref(), self.gates, "profile")?;
        Ok(ScheduleOutcome::new(self.run(&pod, profile.as_ref())))
    }

    /// Schedules pods one after another, each bound before the next, on a
    /// copy of the cluster (the handle is unchanged): a Deployment's replicas.
    #[wasm_bindgen(js_name = placeAll, unchecked_return_type = "Placement[]")]
    pub fn place_all(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PlacePods & { profile?: ProfileInput }")]
        input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options: CallOptions = input::options(&input::without(&input, &["pod", "pods"]), "")?;
        let pods = read_pods(&input, options.replicas)?;
        let profile = build_profile(options.profile.as_ref(), self.gates, "profile")?;
        self.place(&pods, profile.as_ref())
    }
}

/// The options, gates and cluster of a `schedule` or `placeAll` input.
fn call_input(input: &JsValue) -> Result<(CallOptions, FeatureGates, Cluster), BindingError> {
    let options: CallOptions =
        input::options(&input::without(input, &["cluster", "pod", "pods"]), "")?;
    let gates = input::feature_gates(
        &options.feature_gates,
        options.kubernetes_version,
        "featureGates",
    )?;
    let cluster = Cluster::read(&get(input, "cluster")?, gates, "cluster")?;
    Ok((options, gates, cluster))
}

/// One scheduling cycle: `schedule({cluster, pod, profile?, featureGates?, detail?})`.
#[wasm_bindgen(js_name = schedule, unchecked_return_type = "ScheduleResult")]
pub fn schedule(
    #[wasm_bindgen(unchecked_param_type = "ScheduleInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let (options, gates, cluster) = call_input(&input)?;
    let mut pod: Pod = input::object(&get(&input, "pod")?, "pod")?;
    cluster.admit(&mut pod, "pod")?;
    let profile = build_profile(options.profile.as_ref(), gates, "profile")?;
    cluster.schedule_pod(&pod, profile.as_ref(), &options.detail)
}

/// Places pods one after another: `placeAll({cluster, pods} | {cluster, pod, replicas})`.
#[wasm_bindgen(js_name = placeAll, unchecked_return_type = "Placement[]")]
pub fn place_all(
    #[wasm_bindgen(unchecked_param_type = "PlaceAllInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let (options, gates, cluster) = call_input(&input)?;
    let pods = read_pods(&input, options.replicas)?;
    let profile = build_profile(options.profile.as_ref(), gates, "profile")?;
    cluster.place(&pods, profile.as_ref())
}

fn get(input: &JsValue, key: &str) -> Result<JsValue, BindingError> {
    if !input.is_object() {
        return Err(BindingError::new("expected an object", ""));
    }
    js_sys::Reflect::get(input, &JsValue::from_str(key))
        .map_err(|_| BindingError::new("could not read the field", key))
}
