//! What the eviction manager needs to know about a pod and its usage, in a
//! compact form: the pod's effective requests (as
//! `GetResourceRequestQuantity` computes them), its ephemeral-storage
//! limits, its local volumes, whether it is critical, and its stats
//! (`statsapi.PodStats`: working set, per-container rootfs/logs, volumes,
//! processes).
//!
//! ```
//! use kubelogic::eviction::{EvictionPod, PodStats};
//! use kubelogic::Quantity;
//!
//! let mut p = EvictionPod::new("default", "web");
//! p.priority = 5;
//! p.memory_request = Quantity::parse("500Mi")?.into();
//! p.stats = Some(PodStats { memory_working_set: Some(600 << 20), ..Default::default() });
//! assert_eq!(p.key.as_str(), "default/web");
//! # Ok::<(), kubelogic::QuantityError>(())
//! ```

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use super::threshold::quantity_milli;
use crate::model::{Pod, QosClass, TaintEffect, Toleration, TolerationOperator};
use crate::quantity::{Format, Quantity};
use crate::{qos, resources};

pub use crate::qos::SYSTEM_CRITICAL_PRIORITY;

/// `namespace/name`. Keys up to 46 bytes (nearly all) are stored inline,
/// so that results listing every pod copy bytes instead of touching shared
/// reference counts; longer ones share an `Arc<str>`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PodKey(KeyRepr);

const INLINE_KEY: usize = 46;

#[derive(Clone, PartialEq, Eq, Hash)]
enum KeyRepr {
    Inline { len: u8, bytes: [u8; INLINE_KEY] },
    Shared(Arc<str>),
}

impl PodKey {
    /// `namespace/name`.
    pub fn new(namespace: &str, name: &str) -> PodKey {
        let len = namespace.len() + 1 + name.len();
        if len <= INLINE_KEY {
            let mut bytes = [0u8; INLINE_KEY];
            let parts = [namespace.as_bytes(), b"/", name.as_bytes()];
            let mut at = 0;
            for part in parts {
                if let Some(dst) = bytes.get_mut(at..at + part.len()) {
                    dst.copy_from_slice(part);
                }
                at += part.len();
            }
            PodKey(KeyRepr::Inline {
                len: len as u8,
                bytes,
            })
        } else {
            PodKey(KeyRepr::Shared(Arc::from(format!("{namespace}/{name}"))))
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Built from a `&str` split only at ASCII '/': always UTF-8.
            KeyRepr::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            KeyRepr::Shared(s) => s,
        }
    }
}

impl PartialOrd for PodKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PodKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for PodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Deref for PodKey {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for PodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for PodKey {
    /// A key from its `namespace/name` text.
    fn from(s: &str) -> PodKey {
        match s.split_once('/') {
            Some((ns, name)) => PodKey::new(ns, name),
            None => PodKey(KeyRepr::Shared(Arc::from(s))),
        }
    }
}

impl serde::Serialize for PodKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A pod's total request for one resource: the quantity (as messages print
/// it) and its value in milli-units, rounded up, computed once (ranking
/// compares these on every step).
#[derive(Clone, Debug, PartialEq)]
pub struct PodRequest {
    quantity: Quantity,
    milli: i128,
}

impl PodRequest {
    /// A request of `quantity`.
    pub fn new(quantity: Quantity) -> PodRequest {
        let milli = quantity_milli(&quantity);
        PodRequest { quantity, milli }
    }

    /// No request (zero, printed `0`).
    pub fn zero(format: Format) -> PodRequest {
        PodRequest {
            quantity: Quantity::from_value(0, format),
            milli: 0,
        }
    }

    /// The quantity.
    pub fn quantity(&self) -> &Quantity {
        &self.quantity
    }

    /// The value × 1000, rounded up.
    pub fn milli(&self) -> i128 {
        self.milli
    }
}

impl From<Quantity> for PodRequest {
    fn from(q: Quantity) -> PodRequest {
        PodRequest::new(q)
    }
}

impl fmt::Display for PodRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.quantity.fmt(f)
    }
}

impl serde::Serialize for PodRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.quantity.serialize(s)
    }
}

/// A container's requests and limits that eviction looks at.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvictionContainer {
    /// The container name.
    pub name: String,
    /// An init container (restartable sidecars included).
    pub init: bool,
    /// `resources.requests.memory`.
    pub memory_request: Option<Quantity>,
    /// `resources.requests.ephemeral-storage`.
    pub ephemeral_storage_request: Option<Quantity>,
    /// `resources.limits.ephemeral-storage`.
    pub ephemeral_storage_limit: Option<Quantity>,
}

/// A pod volume, as far as eviction cares.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvictionVolume {
    /// The volume name.
    pub name: String,
    /// Counts as local storage for disk ranking: hostPath, or a local
    /// ephemeral volume (emptyDir not on a medium, configMap, gitRepo).
    pub local: bool,
    /// `emptyDir.sizeLimit`, for emptyDir volumes.
    pub empty_dir_size_limit: Option<Quantity>,
    /// Whether this is an emptyDir volume.
    pub empty_dir: bool,
}

/// Usage of one filesystem (`statsapi.FsStats`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FsUsage {
    /// Bytes used.
    #[serde(default)]
    pub used_bytes: Option<u64>,
    /// Inodes used.
    #[serde(default)]
    pub inodes_used: Option<u64>,
}

/// One container's stats.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStats {
    /// The container name.
    pub name: String,
    /// Memory working set in bytes.
    #[serde(default)]
    pub memory_working_set: Option<u64>,
    /// The writable layer.
    #[serde(default)]
    pub rootfs: Option<FsUsage>,
    /// The logs.
    #[serde(default)]
    pub logs: Option<FsUsage>,
}

/// One volume's stats.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeStats {
    /// The volume name.
    pub name: String,
    /// Its usage.
    #[serde(flatten)]
    pub usage: FsUsage,
}

/// A pod's stats (`statsapi.PodStats`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStats {
    /// The pod's memory working set in bytes.
    #[serde(default)]
    pub memory_working_set: Option<u64>,
    /// The pod's total ephemeral-storage usage in bytes.
    #[serde(default)]
    pub ephemeral_storage_used: Option<u64>,
    /// The number of processes in the pod.
    #[serde(default)]
    pub process_count: Option<u64>,
    /// Per-container stats.
    #[serde(default)]
    pub containers: Vec<ContainerStats>,
    /// Per-volume stats.
    #[serde(default)]
    pub volumes: Vec<VolumeStats>,
}

/// A pod on the node, with its stats for this step.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvictionPod {
    /// `namespace/name`.
    pub key: PodKey,
    /// `metadata.name` (the eviction message names the pod by it).
    pub name: String,
    /// `spec.priority` (absent counts as 0, `corev1helpers.PodPriority`).
    pub priority: i32,
    /// Never evicted, always admitted (`kubelettypes.IsCriticalPod`): static
    /// or mirror pods, and pods at or above `SystemCriticalPriority`.
    pub critical: bool,
    /// QoS class BestEffort (only admission looks at it).
    pub best_effort: bool,
    /// Tolerates `node.kubernetes.io/memory-pressure:NoSchedule` (admission).
    pub tolerates_memory_pressure: bool,
    /// `spec.terminationGracePeriodSeconds`.
    pub termination_grace_period_seconds: Option<i64>,
    /// The pod's memory request (`GetResourceRequestQuantity`).
    pub memory_request: PodRequest,
    /// The pod's ephemeral-storage request.
    pub ephemeral_storage_request: PodRequest,
    /// The pod's `inodes` request (almost always zero).
    pub inodes_request: PodRequest,
    /// The pod's ephemeral-storage limit (`PodLimits`), when any container sets one.
    pub ephemeral_storage_limit: Option<Quantity>,
    /// Pod-level `spec.resources.requests.memory` (PodLevelResources), which
    /// the eviction message reports for memory evictions.
    pub pod_level_memory_request: Option<Quantity>,
    /// Containers, regular first, then init containers.
    pub containers: Vec<EvictionContainer>,
    /// Volumes.
    pub volumes: Vec<EvictionVolume>,
    /// This step's stats; `None` when the summary has none for the pod.
    pub stats: Option<PodStats>,
}

impl EvictionPod {
    /// A pod with no requests, limits, containers or stats.
    pub fn new(namespace: &str, name: &str) -> EvictionPod {
        EvictionPod {
            key: PodKey::new(namespace, name),
            name: name.to_owned(),
            priority: 0,
            critical: false,
            best_effort: true,
            tolerates_memory_pressure: false,
            termination_grace_period_seconds: None,
            memory_request: PodRequest::zero(Format::BinarySI),
            ephemeral_storage_request: PodRequest::zero(Format::BinarySI),
            inodes_request: PodRequest::zero(Format::DecimalSI),
            ephemeral_storage_limit: None,
            pod_level_memory_request: None,
            containers: Vec::new(),
            volumes: Vec::new(),
            stats: None,
        }
    }
}

/// `TolerationsTolerateTaint` for `node.kubernetes.io/memory-pressure:NoSchedule`
/// (no value): what admission under memory pressure asks of a BestEffort pod.
fn tolerates_memory_pressure(tolerations: &[Toleration]) -> bool {
    tolerations.iter().any(|t| {
        if t.effect.is_some_and(|e| e != TaintEffect::NoSchedule) {
            return false;
        }
        let key = t.key.as_deref().unwrap_or("");
        let operator = t.operator.unwrap_or(TolerationOperator::Equal);
        if key.is_empty() {
            return operator == TolerationOperator::Exists;
        }
        key == "node.kubernetes.io/memory-pressure"
            && match operator {
                TolerationOperator::Exists => true,
                TolerationOperator::Equal => t.value.as_deref().unwrap_or("").is_empty(),
                _ => false,
            }
    })
}

impl EvictionPod {
    /// What the eviction manager sees of a Pod object (no stats):
    /// - requests as `GetResourceRequestQuantity` (component-helpers
    ///   `PodRequests`: sidecars, init containers, overhead; pod-level
    ///   resources when `pod_level_resources` is on and the pod sets them);
    /// - the ephemeral-storage limit as `PodLimits`;
    /// - critical as `kubelettypes.IsCriticalPod` (static, mirror, or
    ///   priority ≥ `SystemCriticalPriority`);
    /// - QoS as `GetPodQOS` (`status.qosClass` first);
    /// - local volumes: emptyDir volumes not on a medium (the model keeps no
    ///   other volume sources).
    ///
    /// ```
    /// use kubelogic::eviction::EvictionPod;
    /// use kubelogic::model::{self, Pod};
    ///
    /// let pod: Pod = model::from_json_str(r#"{
    ///   "metadata": {"name": "etcd", "namespace": "kube-system",
    ///                "annotations": {"kubernetes.io/config.source": "file"}},
    ///   "spec": {"containers": [{"name": "etcd",
    ///     "resources": {"requests": {"memory": "100Mi"}}}]}}"#)?;
    /// let p = EvictionPod::from_pod(&pod, true);
    /// assert_eq!(p.key.as_str(), "kube-system/etcd");
    /// assert!(p.critical, "static pods are never evicted");
    /// assert_eq!(p.memory_request.to_string(), "100Mi");
    /// # Ok::<(), kubelogic::model::ModelError>(())
    /// ```
    pub fn from_pod(pod: &Pod, pod_level_resources: bool) -> EvictionPod {
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        let name = pod.metadata.name.as_deref().unwrap_or("");
        let mut p = EvictionPod::new(namespace, name);
        p.priority = pod.spec.priority.unwrap_or(0);
        p.critical = qos::is_critical_pod(pod);
        p.best_effort = qos::get_pod_qos(pod, pod_level_resources) == QosClass::BestEffort;
        p.tolerates_memory_pressure = tolerates_memory_pressure(&pod.spec.tolerations);
        p.termination_grace_period_seconds = pod.spec.termination_grace_period_seconds;
        let request =
            |r: &str| resources::get_resource_request_quantity(pod, r, pod_level_resources);
        p.memory_request = request("memory").into();
        p.ephemeral_storage_request = request("ephemeral-storage").into();
        p.inodes_request = request("inodes").into();
        p.ephemeral_storage_limit =
            resources::pod_limits(pod, &resources::PodResourcesOptions::default())
                .remove("ephemeral-storage");
        if pod_level_resources && resources::is_pod_level_resources_set(pod) {
            p.pod_level_memory_request = pod
                .spec
                .resources
                .as_ref()
                .and_then(|r| r.requests.get("memory").cloned());
        }
        for (list, init) in [
            (&pod.spec.containers, false),
            (&pod.spec.init_containers, true),
        ] {
            for c in list {
                p.containers.push(EvictionContainer {
                    name: c.name.clone(),
                    init,
                    memory_request: c.resources.requests.get("memory").cloned(),
                    ephemeral_storage_request: c
                        .resources
                        .requests
                        .get("ephemeral-storage")
                        .cloned(),
                    ephemeral_storage_limit: c.resources.limits.get("ephemeral-storage").cloned(),
                });
            }
        }
        for v in &pod.spec.volumes {
            let empty_dir = v.empty_dir.as_ref();
            p.volumes.push(EvictionVolume {
                name: v.name.clone(),
                local: empty_dir.is_some_and(|e| e.medium.as_deref().unwrap_or("").is_empty()),
                empty_dir_size_limit: empty_dir.and_then(|e| e.size_limit.clone()),
                empty_dir: empty_dir.is_some(),
            });
        }
        p
    }
}
