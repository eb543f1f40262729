//! QoS class and OOM score: `qosClass`, `explainQos`, `oomScoreAdj`.

use kubelogic::model::Pod;
use kubelogic::qos::{self, QosError};
use kubelogic::FeatureGates;
use kubelogic::SortedMap;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::error::{BindingError, IntoBindingError};
use crate::input::{self, Amount};

#[wasm_bindgen(typescript_custom_section)]
const TS_QOS: &'static str = r#"
export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

export interface QosOptions {
  /** The node's memory capacity, bytes or a quantity (`"8Gi"`); needed for OOM scores. */
  memoryCapacity?: number | string;
  /** `PodLevelResources`, `KubeletOOMScoreAdjTieBreak`, `DRANodeAllocatableResources` overrides. */
  featureGates?: Record<string, boolean>;
}

/** One container and the kubelet's `oom_score_adj` for it. */
export interface ContainerOom {
  name: string;
  kind: "container" | "initContainer" | "sidecar" | "ephemeralContainer";
  /** `resources.requests.memory`, canonical, or `null`. */
  memoryRequest: string | null;
  /** `resources.limits.memory`, canonical, or `null`. */
  memoryLimit: string | null;
  /** `null` when no `memoryCapacity` was given. */
  oomScoreAdj: number | null;
}

/** A pod's QoS class with the reasons, and each container's OOM score. */
export interface QosExplanation {
  qosClass: QosClass;
  /** One line per step of the decision. */
  reasons: string[];
  /** Node-critical (static, mirror, or priority ≥ 2000000000 with system-node-critical): OOM score -997. */
  nodeCritical: boolean;
  /** Critical (`IsCriticalPod`): never evicted by the kubelet. */
  critical: boolean;
  containers: ContainerOom[];
}
"#;

impl IntoBindingError for QosError {
    fn at(&self, path: &str) -> BindingError {
        let path = match self {
            QosError::ContainerNotFound { .. } => "container",
            QosError::InvalidMemoryCapacity { .. } => "memoryCapacity",
            _ => path,
        };
        BindingError::new(self.to_string(), path)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct QosOptions {
    memory_capacity: Option<Amount>,
    feature_gates: SortedMap<String, bool>,
}

fn oom_options(gates: &SortedMap<String, bool>) -> Result<FeatureGates, BindingError> {
    crate::input::feature_gates(gates, None, "options.featureGates")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContainerOom {
    name: String,
    kind: &'static str,
    memory_request: Option<String>,
    memory_limit: Option<String>,
    oom_score_adj: Option<i32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QosExplanation {
    qos_class: &'static str,
    reasons: Vec<String>,
    node_critical: bool,
    critical: bool,
    containers: Vec<ContainerOom>,
}

/// The pod's QoS class (`ComputePodQOS`, or `status.qosClass` when set).
#[wasm_bindgen(js_name = qosClass, unchecked_return_type = "QosClass")]
pub fn qos_class(
    #[wasm_bindgen(unchecked_param_type = "KubernetesJson")] pod: JsValue,
) -> Result<String, JsValue> {
    let pod: Pod = input::object(&pod, "pod")?;
    Ok(qos::qos_class(&pod).as_str().to_owned())
}

/// The QoS class with its reasons and, given the node's memory capacity,
/// each container's `oom_score_adj`.
#[wasm_bindgen(js_name = explainQos, unchecked_return_type = "QosExplanation")]
pub fn explain_qos(
    #[wasm_bindgen(unchecked_param_type = "KubernetesJson")] pod: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "QosOptions")] options: Option<js_sys::Object>,
) -> Result<JsValue, JsValue> {
    let options: QosOptions = match options {
        Some(o) => input::options(&o.into(), "options")?,
        None => QosOptions::default(),
    };
    let pod: Pod = input::object(&pod, "pod")?;
    let opts = oom_options(&options.feature_gates)?;
    let capacity = options
        .memory_capacity
        .as_ref()
        .map(|a| a.value("options.memoryCapacity"))
        .transpose()?;
    let explanation = qos::explain_with(&pod, opts.pod_level_resources);
    let kinds = pod
        .spec
        .init_containers
        .iter()
        .map(|c| {
            (
                c,
                if c.is_restartable() {
                    "sidecar"
                } else {
                    "initContainer"
                },
            )
        })
        .chain(pod.spec.containers.iter().map(|c| (c, "container")))
        .chain(
            pod.spec
                .ephemeral_containers
                .iter()
                .map(|c| (c, "ephemeralContainer")),
        );
    let mut containers = Vec::new();
    for (c, kind) in kinds {
        let oom_score_adj = capacity
            .map(|cap| qos::oom_score_adj(&pod, &c.name, cap, &opts))
            .transpose()
            .map_err(|e| e.at("options"))?;
        containers.push(ContainerOom {
            name: c.name.clone(),
            kind,
            memory_request: c.resources.requests.get("memory").map(ToString::to_string),
            memory_limit: c.resources.limits.get("memory").map(ToString::to_string),
            oom_score_adj,
        });
    }
    to_js(&QosExplanation {
        qos_class: explanation.class.as_str(),
        reasons: explanation.reasons,
        node_critical: qos::is_node_critical_pod(&pod),
        critical: qos::is_critical_pod(&pod),
        containers,
    })
}

/// The kubelet's `oom_score_adj` for one container (`GetContainerOOMScoreAdjust`).
#[wasm_bindgen(js_name = oomScoreAdj)]
pub fn oom_score_adj(
    #[wasm_bindgen(unchecked_param_type = "KubernetesJson")] pod: JsValue,
    container: &str,
    #[wasm_bindgen(
        js_name = memoryCapacity,
        unchecked_param_type = "number | string",
        param_description = "the node's memory capacity: bytes, or a quantity such as `\"8Gi\"`"
    )]
    memory_capacity: JsValue,
    #[wasm_bindgen(js_name = featureGates, unchecked_optional_param_type = "Record<string, boolean>")]
    feature_gates: Option<js_sys::Object>,
) -> Result<i32, JsValue> {
    let pod: Pod = input::object(&pod, "pod")?;
    let capacity = input::amount(&memory_capacity, "memoryCapacity")?;
    let gates: SortedMap<String, bool> = match feature_gates {
        Some(o) => input::options(&o.into(), "featureGates")?,
        None => SortedMap::default(),
    };
    let opts = oom_options(&gates).map_err(|e| BindingError::new(e.message(), "featureGates"))?;
    Ok(qos::oom_score_adj(&pod, container, capacity, &opts).map_err(|e| e.at(""))?)
}
