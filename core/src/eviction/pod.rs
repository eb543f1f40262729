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
//! p.memory_request = Quantity::parse("500Mi")?;
//! p.stats = Some(PodStats { memory_working_set: Some(600 << 20), ..Default::default() });
//! assert_eq!(p.key.as_str(), "default/web");
//! # Ok::<(), kubelogic::QuantityError>(())
//! ```

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::quantity::{Format, Quantity};

/// `SystemCriticalPriority` (`scheduling.SystemCriticalPriority`): pods at or
/// above this priority are critical.
pub const SYSTEM_CRITICAL_PRIORITY: i32 = 2_000_000_000;

/// `namespace/name`, cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PodKey(Arc<str>);

impl PodKey {
    /// `namespace/name`.
    pub fn new(namespace: &str, name: &str) -> PodKey {
        PodKey(Arc::from(format!("{namespace}/{name}")))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for PodKey {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for PodKey {
    fn from(s: &str) -> PodKey {
        PodKey(Arc::from(s))
    }
}

impl serde::Serialize for PodKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
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
    pub memory_request: Quantity,
    /// The pod's ephemeral-storage request.
    pub ephemeral_storage_request: Quantity,
    /// The pod's `inodes` request (almost always zero).
    pub inodes_request: Quantity,
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
            memory_request: Quantity::from_value(0, Format::BinarySI),
            ephemeral_storage_request: Quantity::from_value(0, Format::BinarySI),
            inodes_request: Quantity::from_value(0, Format::DecimalSI),
            ephemeral_storage_limit: None,
            pod_level_memory_request: None,
            containers: Vec::new(),
            volumes: Vec::new(),
            stats: None,
        }
    }
}

impl EvictionPod {
    /// A Kubernetes [`Pod`](crate::model::Pod) as the eviction manager sees
    /// it (no stats: set [`EvictionPod::stats`] for each step).
    ///
    /// A conversion only, by the rules of the other modules: memory,
    /// ephemeral-storage and inodes requests are `GetResourceRequestQuantity`
    /// over the containers ([`crate::resources::get_resource_request_quantity`]),
    /// the ephemeral-storage limit is `PodLimits`
    /// ([`crate::resources::pod_limits`]), critical is
    /// [`crate::qos::is_critical_pod`], best-effort is
    /// [`crate::qos::get_pod_qos`], and the memory-pressure toleration is
    /// `TolerationsTolerateTaint` on `node.kubernetes.io/memory-pressure:NoSchedule`.
    /// Volumes: the model reads `emptyDir` only, so other local volume
    /// sources (hostPath, configMap, gitRepo) do not count as local here.
    ///
    /// ```
    /// use kubelogic::eviction::EvictionPod;
    /// use kubelogic::model::{self, Pod};
    ///
    /// let pod: Pod = model::from_json_str(r#"{"metadata": {"name": "web", "namespace": "default"},
    ///   "spec": {"priority": 10, "containers": [
    ///     {"name": "a", "resources": {"requests": {"memory": "256Mi"}}},
    ///     {"name": "b", "resources": {"requests": {"memory": "256Mi"}}}]}}"#)?;
    /// let p = EvictionPod::from_pod(&pod);
    /// assert_eq!(p.key.as_str(), "default/web");
    /// assert_eq!(p.memory_request.to_string(), "512Mi");
    /// assert_eq!((p.priority, p.critical, p.best_effort), (10, false, false));
    /// # Ok::<(), kubelogic::model::ModelError>(())
    /// ```
    // `.into()`: the request fields take any `Into` of a Quantity.
    #[allow(clippy::useless_conversion)]
    pub fn from_pod(pod: &crate::model::Pod) -> EvictionPod {
        use crate::model::{QosClass, Taint, TaintEffect};
        use crate::resources::{
            get_resource_request_quantity, pod_limits, PodResourcesOptions,
            RESOURCE_EPHEMERAL_STORAGE, RESOURCE_MEMORY,
        };

        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        let mut p = EvictionPod::new(namespace, pod.metadata.name());
        p.priority = pod.priority();
        p.critical = crate::qos::is_critical_pod(pod);
        p.best_effort = crate::qos::get_pod_qos(pod, true) == QosClass::BestEffort;
        let memory_pressure = Taint {
            key: "node.kubernetes.io/memory-pressure".to_owned(),
            value: None,
            effect: TaintEffect::NoSchedule,
            time_added: None,
        };
        p.tolerates_memory_pressure = crate::model::tolerations_tolerate_taint(
            &pod.spec.tolerations,
            &memory_pressure,
            false,
        )
        .unwrap_or(false);
        p.termination_grace_period_seconds = pod.spec.termination_grace_period_seconds;
        let request = |name: &str| get_resource_request_quantity(pod, name, false);
        p.memory_request = request(RESOURCE_MEMORY).into();
        p.ephemeral_storage_request = request(RESOURCE_EPHEMERAL_STORAGE).into();
        p.inodes_request = request("inodes").into();
        p.ephemeral_storage_limit =
            pod_limits(pod, &PodResourcesOptions::default()).remove(RESOURCE_EPHEMERAL_STORAGE);
        p.pod_level_memory_request = pod
            .spec
            .resources
            .as_ref()
            .and_then(|r| r.requests.get(RESOURCE_MEMORY).cloned());
        let containers = pod.spec.containers.iter().map(|c| (c, false));
        let inits = pod.spec.init_containers.iter().map(|c| (c, true));
        p.containers = containers
            .chain(inits)
            .map(|(c, init)| EvictionContainer {
                name: c.name.clone(),
                init,
                memory_request: c.resources.requests.get(RESOURCE_MEMORY).cloned(),
                ephemeral_storage_request: c
                    .resources
                    .requests
                    .get(RESOURCE_EPHEMERAL_STORAGE)
                    .cloned(),
                ephemeral_storage_limit: c
                    .resources
                    .limits
                    .get(RESOURCE_EPHEMERAL_STORAGE)
                    .cloned(),
            })
            .collect();
        p.volumes = pod
            .spec
            .volumes
            .iter()
            .map(|v| EvictionVolume {
                name: v.name.clone(),
                local: v
                    .empty_dir
                    .as_ref()
                    .is_some_and(|e| e.medium.as_deref().unwrap_or("").is_empty()),
                empty_dir_size_limit: v.empty_dir.as_ref().and_then(|e| e.size_limit.clone()),
                empty_dir: v.empty_dir.is_some(),
            })
            .collect();
        p
    }
}
