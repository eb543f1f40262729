//! The scheduler's resource accounting (`pkg/scheduler/framework/types.go`:
//! `Resource`, `PodInfo.calculateResource`, `getNonMissingContainerRequests`;
//! `pkg/scheduler/util/pod_resources.go`: the non-zero defaults and
//! `GetRequestForResource`). Pod totals themselves are component-helpers'
//! [`pod_requests`]; this module turns them into the integer units every
//! plugin reads, once per pod.

use serde::Serialize;

use crate::model::{Pod, ResourceList};
use crate::resources::{
    is_pod_level_requests_set, is_scalar_resource_name, milli_value, pod_requests, value,
    PodResourcesOptions, ScalarResources, RESOURCE_CPU, RESOURCE_EPHEMERAL_STORAGE,
    RESOURCE_MEMORY, RESOURCE_PODS,
};
use crate::{FeatureGates, Quantity};

/// The scheduler's cpu request for a container that has none, in millicores
/// (`schedutil.DefaultMilliCPURequest`; scoring only).
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
/// The scheduler's memory request for a container that has none, in bytes
/// (`schedutil.DefaultMemoryRequest`, 200Mi; scoring only).
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// A resource list in the scheduler's integer units (`framework.Resource`):
/// millicores, bytes, a pod count and scalar resources in whole units.
/// Amounts saturate at the `i64` range instead of wrapping.
///
/// ```
/// use kubelogic::model::ResourceList;
/// use kubelogic::scheduler::types::Resource;
///
/// let list: ResourceList = serde_json::from_str(
///     r#"{"cpu": "1500m", "memory": "1Gi", "example.com/gpu": "2", "unknown": "1"}"#)?;
/// let mut r = Resource::from_list(&list);
/// assert_eq!((r.milli_cpu, r.memory, r.get("example.com/gpu")), (1500, 1 << 30, 2));
/// assert_eq!(r.get("unknown"), 0);
/// r.sub(&Resource::from_list(&list));
/// assert_eq!(r.milli_cpu, 0);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[repr(C)] // the integers first and together: read for every node in a cycle
pub struct Resource {
    /// cpu, in millicores.
    pub milli_cpu: i64,
    /// memory, in bytes.
    pub memory: i64,
    /// ephemeral-storage, in bytes.
    pub ephemeral_storage: i64,
    /// `pods` (on a node: how many pods it accepts).
    pub allowed_pod_number: i64,
    /// Extended resources, huge pages, attachable volumes and other scalar
    /// resources, in whole units. Other names are ignored.
    pub scalar_resources: ScalarResources,
}

impl Resource {
    /// `NewResource(rl)`: converts a resource list (a node's allocatable, a
    /// pod's requests).
    pub fn from_list(list: &ResourceList) -> Self {
        let mut r = Resource::default();
        r.add_list(list);
        r
    }

    /// `Resource.Add(rl)` (saturating).
    pub fn add_list(&mut self, list: &ResourceList) {
        for (name, q) in list {
            match name.as_str() {
                RESOURCE_CPU => self.milli_cpu = self.milli_cpu.saturating_add(milli_value(q)),
                RESOURCE_MEMORY => self.memory = self.memory.saturating_add(value(q)),
                RESOURCE_PODS => {
                    self.allowed_pod_number = self.allowed_pod_number.saturating_add(value(q))
                }
                RESOURCE_EPHEMERAL_STORAGE => {
                    self.ephemeral_storage = self.ephemeral_storage.saturating_add(value(q))
                }
                other if is_scalar_resource_name(other) => {
                    let v = self.scalar_resources.get_or_insert_default(other);
                    *v = v.saturating_add(value(q));
                }
                _ => {}
            }
        }
    }

    /// Adds another resource (saturating).
    pub fn add(&mut self, other: &Resource) {
        self.combine(other, i64::saturating_add);
    }

    /// Subtracts another resource (`Resource.Sub`, saturating).
    pub fn sub(&mut self, other: &Resource) {
        self.combine(other, i64::saturating_sub);
    }

    /// Applies `op` to each amount of `self` and `other` (scalar resources
    /// missing from `self` count as 0).
    fn combine(&mut self, other: &Resource, op: fn(i64, i64) -> i64) {
        self.milli_cpu = op(self.milli_cpu, other.milli_cpu);
        self.memory = op(self.memory, other.memory);
        self.ephemeral_storage = op(self.ephemeral_storage, other.ephemeral_storage);
        self.allowed_pod_number = op(self.allowed_pod_number, other.allowed_pod_number);
        for (k, v) in &other.scalar_resources {
            let mine = self.scalar_resources.get_or_insert_default(k.as_str());
            *mine = op(*mine, *v);
        }
    }

    /// The amount of one resource in this list's units (0 when absent).
    pub fn get(&self, name: &str) -> i64 {
        match name {
            RESOURCE_CPU => self.milli_cpu,
            RESOURCE_MEMORY => self.memory,
            RESOURCE_PODS => self.allowed_pod_number,
            RESOURCE_EPHEMERAL_STORAGE => self.ephemeral_storage,
            other => self.scalar_resources.get(other).copied().unwrap_or(0),
        }
    }
}

/// A pod's requests as the scheduler accounts them, computed once per pod
/// (`podResource`, from [`calculate_resource`]): the true requests in
/// integer units and the non-zero cpu and memory used for scoring.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodRequestsSummary {
    /// The requests (`podResource.resource`); `allowed_pod_number` is 0.
    pub requests: Resource,
    /// cpu with [`DEFAULT_MILLI_CPU_REQUEST`] for each container that has no
    /// cpu request (`non0CPU`, scoring only).
    pub non_zero_milli_cpu: i64,
    /// memory with [`DEFAULT_MEMORY_REQUEST`] for each container that has no
    /// memory request (`non0Mem`, scoring only).
    pub non_zero_memory: i64,
}

impl PodRequestsSummary {
    /// The requests with the non-zero cpu and memory in place of the true
    /// ones (what the scoring plugins read by default).
    pub fn non_zero_requests(&self) -> Resource {
        let mut r = self.requests.clone();
        r.milli_cpu = self.non_zero_milli_cpu;
        r.memory = self.non_zero_memory;
        r
    }
}

/// The scheduler's non-zero defaults (`getNonMissingContainerRequests`):
/// both defaults without pod-level requests; with them, only for cpu or
/// memory missing from the pod's total requests.
fn non_missing_container_requests(requests: &ResourceList, pod_level_set: bool) -> ResourceList {
    let mut out = ResourceList::new();
    let cpu = Quantity::from_milli(DEFAULT_MILLI_CPU_REQUEST, crate::Format::DecimalSI);
    let mem = Quantity::from_value(DEFAULT_MEMORY_REQUEST, crate::Format::DecimalSI);
    if !pod_level_set || !requests.contains_key(RESOURCE_CPU) {
        out.insert(RESOURCE_CPU.to_owned(), cpu);
    }
    if !pod_level_set || !requests.contains_key(RESOURCE_MEMORY) {
        out.insert(RESOURCE_MEMORY.to_owned(), mem);
    }
    out
}

/// The options `calculateResource` passes to `PodRequests`, from the gates:
/// status resources (`InPlacePodVerticalScaling`), pod-level status
/// resources (`InPlacePodLevelResourcesVerticalScaling`), pod-level resources
/// (`PodLevelResources`) and DRA node-allocatable claims
/// (`DRANodeAllocatableResources`).
pub fn request_options(gates: &FeatureGates) -> PodResourcesOptions {
    PodResourcesOptions {
        use_status_resources: gates.in_place_pod_vertical_scaling,
        in_place_pod_level_resources_vertical_scaling_enabled: gates
            .in_place_pod_level_resources_vertical_scaling,
        skip_pod_level_resources: !gates.pod_level_resources,
        use_dra_node_allocatable_resource_claim_status: gates.dra_node_allocatable_resources,
        ..PodResourcesOptions::default()
    }
}

/// `PodInfo.calculateResource`: `PodRequests` with [`request_options`],
/// then again with the non-zero defaults (`getNonMissingContainerRequests`)
/// for cpu and memory.
///
/// ```
/// use kubelogic::model::{self, Pod};
/// use kubelogic::scheduler::types::calculate_resource;
/// use kubelogic::FeatureGates;
///
/// let pod: Pod = model::from_json_str(r#"{"spec": {"containers": [
///   {"name": "a", "resources": {"requests": {"cpu": "250m"}}},
///   {"name": "b"}]}}"#)?;
/// let s = calculate_resource(&pod, &FeatureGates::default());
/// assert_eq!((s.requests.milli_cpu, s.requests.memory), (250, 0));
/// assert_eq!(s.non_zero_milli_cpu, 350); // b counts as 100m
/// assert_eq!(s.non_zero_memory, 2 * 200 * 1024 * 1024);
/// # Ok::<(), kubelogic::model::ModelError>(())
/// ```
pub fn calculate_resource(pod: &Pod, gates: &FeatureGates) -> PodRequestsSummary {
    let opts = request_options(gates);
    let requests = pod_requests(pod, &opts);
    let pod_level_set = gates.pod_level_resources && is_pod_level_requests_set(pod);
    let non_missing = non_missing_container_requests(&requests, pod_level_set);
    let non_zero = if non_missing.is_empty() {
        None
    } else {
        Some(pod_requests(
            pod,
            &PodResourcesOptions {
                non_missing_container_requests: Some(non_missing),
                ..opts
            },
        ))
    };
    let non_zero = non_zero.as_ref().unwrap_or(&requests);
    PodRequestsSummary {
        requests: Resource::from_list(&requests),
        non_zero_milli_cpu: non_zero.get(RESOURCE_CPU).map_or(0, milli_value),
        non_zero_memory: non_zero.get(RESOURCE_MEMORY).map_or(0, value),
    }
}

/// One resource of a request list in the scheduler's units
/// (`schedutil.GetRequestForResource`): with `non_zero`, a missing cpu or
/// memory entry counts as the default request (an explicit `0` stays 0).
pub fn get_request_for_resource(resource: &str, requests: &ResourceList, non_zero: bool) -> i64 {
    match resource {
        RESOURCE_CPU => match requests.get(RESOURCE_CPU) {
            None if non_zero => DEFAULT_MILLI_CPU_REQUEST,
            None => 0,
            Some(q) => milli_value(q),
        },
        RESOURCE_MEMORY => match requests.get(RESOURCE_MEMORY) {
            None if non_zero => DEFAULT_MEMORY_REQUEST,
            None => 0,
            Some(q) => value(q),
        },
        other => requests.get(other).map_or(0, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    #[test]
    fn non_zero_with_pod_level() {
        let p: Pod = model::from_json_str(
            r#"{"spec": {"resources": {"requests": {"cpu": "1"}},
              "containers": [{"name": "a"}, {"name": "b"}]}}"#,
        )
        .unwrap();
        let s = calculate_resource(&p, &FeatureGates::default());
        assert_eq!(s.requests.milli_cpu, 1000);
        assert_eq!(s.non_zero_milli_cpu, 1000);
        assert_eq!(s.non_zero_memory, 2 * DEFAULT_MEMORY_REQUEST);
    }
}
