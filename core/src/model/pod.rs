//! Pods (`v1.Pod`): containers, resources, scheduling fields and status.

use serde::{Deserialize, Serialize};

use super::affinity::{Affinity, Toleration, TopologySpreadConstraint};
use super::de::{empty_as_none, nullable};
use super::meta::{Labels, ObjectMeta};
use crate::{Quantity, SortedMap};

/// Resource name → quantity (`v1.ResourceList`), sorted by name.
pub type ResourceList = SortedMap<String, Quantity>;

/// A Pod as `kubectl get pod -o json` prints it.
///
/// ```
/// use kubelogic::model::Pod;
///
/// let pod: Pod = kubelogic::model::from_json_str(r#"{
///   "apiVersion": "v1", "kind": "Pod",
///   "metadata": {"name": "web", "namespace": "default"},
///   "spec": {"containers": [{"name": "app", "image": "nginx",
///            "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}]}
/// }"#)?;
/// assert_eq!(pod.spec.containers[0].resources.requests["memory"].to_string(), "64Mi");
/// assert_eq!(pod.key(), "default/web");
/// # Ok::<(), kubelogic::model::ModelError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Pod {
    /// `metadata`.
    #[serde(deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(deserialize_with = "nullable")]
    pub spec: PodSpec,
    /// `status`.
    #[serde(deserialize_with = "nullable")]
    pub status: PodStatus,
}

impl Pod {
    /// `namespace/name`, the key the kubelet and scheduler log pods by.
    pub fn key(&self) -> String {
        format!("{}/{}", self.metadata.namespace(), self.metadata.name())
    }

    /// The pod's labels.
    pub fn labels(&self) -> &Labels {
        &self.metadata.labels
    }

    /// `spec.priority`, 0 when absent (as the scheduler's `corev1helpers.PodPriority`).
    pub fn priority(&self) -> i32 {
        self.spec.priority.unwrap_or(0)
    }

    /// Whether the pod is being deleted (`metadata.deletionTimestamp` set).
    pub fn is_terminating(&self) -> bool {
        self.metadata.deletion_timestamp.is_some()
    }

    /// All init containers, then all regular containers (not ephemeral ones).
    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.spec
            .init_containers
            .iter()
            .chain(self.spec.containers.iter())
    }
}

/// `spec` of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodSpec {
    /// Regular containers.
    #[serde(deserialize_with = "nullable")]
    pub containers: Vec<Container>,
    /// Init containers, run in order before the regular ones;
    /// `restartPolicy: Always` makes one a sidecar.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub init_containers: Vec<Container>,
    /// Ephemeral (debug) containers: no resources, not counted anywhere.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub ephemeral_containers: Vec<Container>,
    /// Pod-level resources (`PodLevelResources` feature).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Resources of the pod sandbox (RuntimeClass overhead).
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub overhead: ResourceList,
    /// The node the pod is bound to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    /// Node labels the node must have.
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub node_selector: Labels,
    /// Node and pod (anti-)affinity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// Tolerations of node taints.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub tolerations: Vec<Toleration>,
    /// Topology spread constraints.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub topology_spread_constraints: Vec<TopologySpreadConstraint>,
    /// Resolved priority (set by admission from the priority class).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// The PriorityClass name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// `PreemptLowerPriority` (default) or `Never`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "empty_as_none")]
    pub preemption_policy: Option<PreemptionPolicy>,
    /// Seconds the pod gets to stop gracefully (default 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// The scheduler that places this pod.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<String>,
    /// `Always`, `OnFailure` or `Never`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    /// Whether the pod uses the node's network namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_network: Option<bool>,
    /// Volumes (only `emptyDir.sizeLimit` matters here).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub volumes: Vec<Volume>,
    /// Dynamic resource claims of the pod.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub resource_claims: Vec<PodResourceClaim>,
}

/// `preemptionPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PreemptionPolicy {
    /// May preempt lower-priority pods (the default).
    PreemptLowerPriority,
    /// Never preempts.
    Never,
}

/// A container (regular, init or ephemeral).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Container {
    /// The container name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// The image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Requests and limits.
    #[serde(deserialize_with = "nullable")]
    pub resources: ResourceRequirements,
    /// Ports (host ports matter to the scheduler).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub ports: Vec<ContainerPort>,
    /// On an init container, `Always` makes it a restartable (sidecar) container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
}

impl Container {
    /// Whether this (init) container is a restartable sidecar (`restartPolicy: Always`).
    pub fn is_restartable(&self) -> bool {
        self.restart_policy.as_deref() == Some("Always")
    }
}

/// `resources` of a container or of the pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceRequirements {
    /// `requests`.
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub requests: ResourceList,
    /// `limits`.
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub limits: ResourceList,
    /// `claims`: names of the pod's resource claims this container uses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub claims: Vec<ResourceClaim>,
}

/// `resources.claims[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceClaim {
    /// The name of an entry in `spec.resourceClaims`.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// A request within the claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

/// `spec.resourceClaims[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodResourceClaim {
    /// The name containers refer to.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// The ResourceClaim object's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_claim_name: Option<String>,
    /// The ResourceClaimTemplate's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_claim_template_name: Option<String>,
}

/// `ports[]` of a container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerPort {
    /// The port in the container.
    #[serde(deserialize_with = "nullable")]
    pub container_port: i32,
    /// The port on the host (0 or absent: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i32>,
    /// The host IP to bind (absent or empty: all, `0.0.0.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "hostIP")]
    pub host_ip: Option<String>,
    /// `TCP` (default), `UDP` or `SCTP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The port's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `spec.volumes[]`: only what resource accounting reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Volume {
    /// The volume name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// An `emptyDir` volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<EmptyDirVolumeSource>,
}

/// `emptyDir`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EmptyDirVolumeSource {
    /// `Memory` for tmpfs, or the node's default medium.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// The size limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<Quantity>,
}

/// `status` of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodStatus {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// The QoS class the API server recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "empty_as_none")]
    pub qos_class: Option<QosClass>,
    /// The node the scheduler nominated while preempting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nominated_node_name: Option<String>,
    /// RFC 3339 start time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Pod conditions (`PodScheduled`, `PodResizePending`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub conditions: Vec<PodCondition>,
    /// Statuses of regular containers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub container_statuses: Vec<ContainerStatus>,
    /// Statuses of init containers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub init_container_statuses: Vec<ContainerStatus>,
    /// Pod-level actuated resources (in-place pod-level resize).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Pod-level allocated resources (in-place pod-level resize).
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub allocated_resources: ResourceList,
    /// DRA node-allocatable claim statuses (alpha `DRANodeAllocatableResources`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub node_allocatable_resource_claim_statuses: Vec<NodeAllocatableResourceClaimStatus>,
}

/// The QoS classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum QosClass {
    /// Every container has equal cpu and memory requests and limits.
    Guaranteed,
    /// Some requests or limits, not Guaranteed.
    Burstable,
    /// No cpu or memory request or limit at all.
    BestEffort,
}

impl QosClass {
    /// Kubernetes' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            QosClass::Guaranteed => "Guaranteed",
            QosClass::Burstable => "Burstable",
            QosClass::BestEffort => "BestEffort",
        }
    }
}

/// `status.conditions[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PodCondition {
    /// The condition type.
    #[serde(rename = "type")]
    #[serde(deserialize_with = "nullable")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(deserialize_with = "nullable")]
    pub status: String,
    /// Machine-readable reason (e.g. `Infeasible` for `PodResizePending`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `status.containerStatuses[]` / `initContainerStatuses[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerStatus {
    /// The container's name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// Resources allocated by the kubelet (in-place resize).
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub allocated_resources: ResourceList,
    /// Resources actuated by the runtime (in-place resize).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Restart count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_count: Option<i32>,
}

/// `status.nodeAllocatableResourceClaimStatuses[]` (alpha).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeAllocatableResourceClaimStatus {
    /// The ResourceClaim object's name.
    #[serde(deserialize_with = "nullable")]
    pub resource_claim_name: String,
    /// The containers the claim's resources are charged to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub containers: Vec<String>,
    /// The node-allocatable resources the claim maps to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub mapping: Vec<ResourceMapping>,
    /// Overheads, one entry per resource.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub overhead: Vec<ClaimOverhead>,
}

/// `mapping[]` of a node-allocatable claim status.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceMapping {
    /// The resource name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// The amount.
    #[serde(deserialize_with = "nullable")]
    pub quantity: Quantity,
}

/// An overhead entry of a node-allocatable claim status.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClaimOverhead {
    /// The resource name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// Charged once per pod.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_pod: Option<Quantity>,
    /// Charged once per container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_container: Option<Quantity>,
}
