//! Pod QoS class and container OOM score adjustment.
//!
//! [`qos_class`] is Kubernetes' `ComputePodQOS`
//! (`pkg/apis/core/v1/helper/qos`): only cpu and memory count, a zero
//! quantity counts as absent, init containers count (sidecars included),
//! ephemeral containers do not, and pod-level resources (`spec.resources`)
//! decide alone when present and the `PodLevelResources` gate is on (its
//! default). Pods are read as they are: **no API defaulting**, so a
//! container with limits only is Burstable until the API server copies the
//! limits into the requests.
//!
//! [`oom_score_adj`] is the kubelet's `GetContainerOOMScoreAdjust`
//! (`pkg/kubelet/qos/policy.go`): node-critical and Guaranteed pods get
//! -997, BestEffort pods 1000, Burstable containers
//! `1000 - 1000 * request / capacity` clamped to `3..=999`, with the
//! pod-level share, sidecar, DRA and (alpha) tie-break rules.
//!
//! ```
//! use kubelogic::model::{self, Pod, QosClass};
//! use kubelogic::qos;
//! use kubelogic::FeatureGates;
//!
//! let pod: Pod = model::from_json_str(r#"{"spec": {"containers": [{"name": "app",
//!   "resources": {"requests": {"cpu": "100m", "memory": "1Gi"}, "limits": {"memory": "2Gi"}}}]}}"#)?;
//! assert_eq!(qos::qos_class(&pod), QosClass::Burstable);
//! // 1 GiB of a 4 GiB node: 1000 - 1000/4
//! let adj = qos::oom_score_adj(&pod, "app", 4 << 30, &FeatureGates::default())?;
//! assert_eq!(adj, 750);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::model::{Container, Pod, QosClass, ResourceList, ResourceRequirements};
use crate::resources::{
    self, is_pod_level_requests_set, is_pod_level_resources_set, PodResourcesOptions, RESOURCE_CPU,
    RESOURCE_MEMORY,
};
use crate::{FeatureGates, Quantity};

/// The kubelet's own OOM score adjustment.
pub const KUBELET_OOM_SCORE_ADJ: i32 = -999;
/// kube-proxy's OOM score adjustment.
pub const KUBE_PROXY_OOM_SCORE_ADJ: i32 = -999;
/// Guaranteed and node-critical containers (-998 before Kubernetes 1.32's
/// change to -997).
pub const GUARANTEED_OOM_SCORE_ADJ: i32 = -997;
/// BestEffort containers.
pub const BEST_EFFORT_OOM_SCORE_ADJ: i32 = 1000;
/// The smallest memory request the `KubeletOOMScoreAdjTieBreak` nudge tells
/// apart (64 MiB).
pub const OOM_SCORE_ADJ_TIE_BREAK_FLOOR: i64 = 64 * 1024 * 1024;

/// `priority` at and above which a pod is critical (`SystemCriticalPriority`).
pub const SYSTEM_CRITICAL_PRIORITY: i32 = 2_000_000_000;
/// The priority class of node-critical pods.
pub const SYSTEM_NODE_CRITICAL: &str = "system-node-critical";
/// The annotation the kubelet records a pod's source in (`file`, `http`, `api`).
pub const CONFIG_SOURCE_ANNOTATION_KEY: &str = "kubernetes.io/config.source";
/// The annotation of mirror pods (the API copy of a static pod).
pub const CONFIG_MIRROR_ANNOTATION_KEY: &str = "kubernetes.io/config.mirror";
/// The pod source of pods from the API server.
pub const API_SERVER_SOURCE: &str = "api";

/// Why an OOM score could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QosError {
    /// No container (regular, init or ephemeral) has this name.
    ContainerNotFound {
        /// The name asked for.
        container: String,
        /// The pod, `namespace/name`.
        pod: String,
    },
    /// The node's memory capacity must be positive.
    InvalidMemoryCapacity {
        /// The capacity given, in bytes.
        capacity: i64,
    },
}

impl fmt::Display for QosError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QosError::ContainerNotFound { container, pod } => {
                write!(
                    f,
                    "container {} not found in pod {}",
                    crate::quote::go_quote(container),
                    crate::quote::go_quote(pod)
                )
            }
            QosError::InvalidMemoryCapacity { capacity } => {
                write!(f, "memory capacity must be positive, got {capacity} bytes")
            }
        }
    }
}

impl std::error::Error for QosError {}

fn get<'a>(list: &'a ResourceList, name: &str) -> Option<&'a Quantity> {
    list.get(name)
}

/// `resourceQOS`: the class one set of requests and limits implies.
fn resource_qos(r: &ResourceRequirements) -> QosClass {
    if r.requests.is_empty() && r.limits.is_empty() {
        return QosClass::BestEffort;
    }
    let zero = Quantity::zero();
    let mut qos: Option<QosClass> = None;
    for name in [RESOURCE_CPU, RESOURCE_MEMORY] {
        let req = get(&r.requests, name).unwrap_or(&zero);
        let lim = get(&r.limits, name).unwrap_or(&zero);
        if req != lim {
            return QosClass::Burstable;
        }
        let best_effort = req.is_zero();
        match qos {
            None if best_effort => qos = Some(QosClass::BestEffort),
            None => qos = Some(QosClass::Guaranteed),
            Some(q) if best_effort != (q == QosClass::BestEffort) => return QosClass::Burstable,
            Some(_) => {}
        }
    }
    qos.unwrap_or(QosClass::BestEffort)
}

/// The pod's QoS class (`ComputePodQOS`) with the default gates of current
/// upstream (`PodLevelResources` on). Ignores `status.qosClass`.
pub fn qos_class(pod: &Pod) -> QosClass {
    compute_pod_qos(pod, true)
}

/// `ComputePodQOS` with the `PodLevelResources` gate given.
///
/// ```
/// use kubelogic::model::{self, Pod, QosClass};
/// use kubelogic::qos::compute_pod_qos;
///
/// // Limits only, no API defaulting: Burstable.
/// let pod: Pod = model::from_json_str(r#"{"spec": {"containers": [{"name": "a",
///   "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}}"#)?;
/// assert_eq!(compute_pod_qos(&pod, true), QosClass::Burstable);
/// # Ok::<(), kubelogic::model::ModelError>(())
/// ```
pub fn compute_pod_qos(pod: &Pod, pod_level_resources: bool) -> QosClass {
    if pod_level_resources {
        if let Some(r) = &pod.spec.resources {
            return resource_qos(r);
        }
    }
    let mut pod_qos: Option<QosClass> = None;
    for c in pod.all_containers() {
        let q = resource_qos(&c.resources);
        match (q, pod_qos) {
            (QosClass::Burstable, _) => return QosClass::Burstable,
            (q, None) => pod_qos = Some(q),
            (q, Some(p)) if q != p => return QosClass::Burstable,
            _ => {}
        }
    }
    pod_qos.unwrap_or(QosClass::BestEffort)
}

/// `GetPodQOS`: `status.qosClass` when set (it is frozen once recorded),
/// otherwise [`compute_pod_qos`].
pub fn get_pod_qos(pod: &Pod, pod_level_resources: bool) -> QosClass {
    pod.status
        .qos_class
        .unwrap_or_else(|| compute_pod_qos(pod, pod_level_resources))
}

/// A QoS class with the reasons for it, for people (the playground).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QosExplanation {
    /// The class.
    pub class: QosClass,
    /// One line per step of the decision, in order.
    pub reasons: Vec<String>,
}

fn describe(r: &ResourceRequirements) -> String {
    let mut parts = Vec::new();
    for name in [RESOURCE_CPU, RESOURCE_MEMORY] {
        let req = get(&r.requests, name).filter(|q| !q.is_zero());
        let lim = get(&r.limits, name).filter(|q| !q.is_zero());
        let zeros = [("request", &r.requests), ("limit", &r.limits)]
            .iter()
            .filter(|(_, l)| get(l, name).is_some_and(Quantity::is_zero))
            .map(|(what, _)| format!(" ({name} {what} 0 counts as none)"))
            .collect::<String>();
        let text = match (req, lim) {
            (None, None) => format!("no {name}"),
            (Some(q), None) => format!("{name} request {q}, no limit"),
            (None, Some(l)) => format!("{name} limit {l}, no request"),
            (Some(q), Some(l)) if q == l => format!("{name} request = limit = {q}"),
            (Some(q), Some(l)) => format!("{name} request {q} != limit {l}"),
        };
        parts.push(text + &zeros);
    }
    parts.join(", ")
}

/// [`qos_class`] with the reasons, as `kubectl describe` readers ask for.
///
/// ```
/// use kubelogic::model::{self, Pod, QosClass};
///
/// let pod: Pod = model::from_json_str(r#"{"spec": {"containers": [
///   {"name": "a", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}},
///   {"name": "b"}]}}"#)?;
/// let e = kubelogic::qos::explain(&pod);
/// assert_eq!(e.class, QosClass::Burstable);
/// assert!(e.reasons.iter().any(|r| r.contains("container b")));
/// # Ok::<(), kubelogic::model::ModelError>(())
/// ```
pub fn explain(pod: &Pod) -> QosExplanation {
    explain_with(pod, true)
}

/// [`explain`] with the `PodLevelResources` gate given.
pub fn explain_with(pod: &Pod, pod_level_resources: bool) -> QosExplanation {
    let class = compute_pod_qos(pod, pod_level_resources);
    let mut reasons = Vec::new();
    if let (true, Some(r)) = (pod_level_resources, &pod.spec.resources) {
        reasons.push(format!(
            "pod-level resources (spec.resources) decide alone, containers are not looked at: {}",
            describe(r)
        ));
        reasons.push(format!("pod level: {}", resource_qos(r).as_str()));
    } else {
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
                        "init container"
                    },
                )
            })
            .chain(pod.spec.containers.iter().map(|c| (c, "container")));
        let mut any = false;
        for (c, kind) in kinds {
            any = true;
            reasons.push(format!(
                "{kind} {}: {} → {}",
                c.name,
                describe(&c.resources),
                resource_qos(&c.resources).as_str()
            ));
        }
        if !any {
            reasons.push("no containers".to_owned());
        }
    }
    let pod_level = pod_level_resources && pod.spec.resources.is_some();
    let any_burstable = pod
        .all_containers()
        .any(|c| resource_qos(&c.resources) == QosClass::Burstable);
    let verdict = match class {
        QosClass::Guaranteed if pod_level => {
            "Guaranteed: pod-level cpu and memory requests equal their limits"
        }
        QosClass::Guaranteed => {
            "Guaranteed: every container's cpu and memory requests equal its limits"
        }
        QosClass::BestEffort => "BestEffort: no non-zero cpu or memory request or limit",
        QosClass::Burstable if pod_level => {
            "Burstable: pod-level cpu or memory is set, but requests and limits are not equal for both"
        }
        QosClass::Burstable if any_burstable => {
            "Burstable: a container sets cpu or memory without matching requests and limits for both"
        }
        QosClass::Burstable => {
            "Burstable: Guaranteed and BestEffort containers are mixed"
        }
    };
    reasons.push(verdict.to_owned());
    if !pod.spec.ephemeral_containers.is_empty() {
        reasons.push("ephemeral containers are not counted".to_owned());
    }
    QosExplanation { class, reasons }
}

/// Whether the kubelet got the pod from a file or URL rather than the API
/// server (`kubetypes.IsStaticPod`).
pub fn is_static_pod(pod: &Pod) -> bool {
    pod.metadata
        .annotations
        .get(CONFIG_SOURCE_ANNOTATION_KEY)
        .is_some_and(|s| s != API_SERVER_SOURCE)
}

/// Whether the pod is the API server's mirror of a static pod.
pub fn is_mirror_pod(pod: &Pod) -> bool {
    pod.metadata
        .annotations
        .contains_key(CONFIG_MIRROR_ANNOTATION_KEY)
}

/// `kubetypes.IsCriticalPod`: static, mirror, or priority at least
/// [`SYSTEM_CRITICAL_PRIORITY`].
pub fn is_critical_pod(pod: &Pod) -> bool {
    is_static_pod(pod)
        || is_mirror_pod(pod)
        || pod
            .spec
            .priority
            .is_some_and(|p| p >= SYSTEM_CRITICAL_PRIORITY)
}

/// `kubetypes.IsNodeCriticalPod`: critical and of priority class
/// `system-node-critical`.
pub fn is_node_critical_pod(pod: &Pod) -> bool {
    is_critical_pod(pod) && pod.spec.priority_class_name.as_deref() == Some(SYSTEM_NODE_CRITICAL)
}

fn find_container<'a>(pod: &'a Pod, name: &str) -> Option<&'a Container> {
    pod.spec
        .containers
        .iter()
        .chain(pod.spec.init_containers.iter())
        .chain(pod.spec.ephemeral_containers.iter())
        .find(|c| c.name == name)
}

fn memory_value(list: &ResourceList) -> i64 {
    list.get(RESOURCE_MEMORY).map_or(0, resources::value)
}

/// `getEffectiveContainerMemoryRequest`: the memory request plus, with DRA,
/// the container's share of its node-allocatable memory claims.
fn effective_memory_request(pod: &Pod, c: &Container, gates: &FeatureGates) -> i64 {
    let req = memory_value(&c.resources.requests);
    if !gates.dra_node_allocatable_resources {
        return req;
    }
    let mut share: i64 = 0;
    for claim in &pod.status.node_allocatable_resource_claim_statuses {
        if !claim.containers.contains(&c.name) {
            continue;
        }
        let refs = i64::try_from(claim.containers.len())
            .unwrap_or(i64::MAX)
            .max(1);
        for m in claim.mapping.iter().filter(|m| m.name == RESOURCE_MEMORY) {
            share = share.saturating_add(resources::value(&m.quantity) / refs);
        }
        for o in claim.overhead.iter().filter(|o| o.name == RESOURCE_MEMORY) {
            if let Some(q) = &o.per_pod {
                share = share.saturating_add(resources::value(q) / refs);
            }
            if let Some(q) = &o.per_container {
                share = share.saturating_add(resources::value(q));
            }
        }
    }
    req.saturating_add(share)
}

/// The memory limit the kubelet puts on the container's cgroup, 0 when
/// unlimited: the container limit, or the pod-level limit when the container
/// has none, plus the container's DRA memory allocations when a limit is set.
fn enforced_memory_limit(pod: &Pod, c: &Container, gates: &FeatureGates) -> i64 {
    let own = memory_value(&c.resources.limits);
    let mut limit = own;
    if gates.pod_level_resources && is_pod_level_resources_set(pod) && own == 0 {
        limit = pod
            .spec
            .resources
            .as_ref()
            .map_or(0, |r| memory_value(&r.limits));
    }
    if limit > 0 && gates.dra_node_allocatable_resources {
        let mut dra: i64 = 0;
        for claim in &pod.status.node_allocatable_resource_claim_statuses {
            if !claim.containers.contains(&c.name) {
                continue;
            }
            for m in claim.mapping.iter().filter(|m| m.name == RESOURCE_MEMORY) {
                dra = dra.saturating_add(resources::value(&m.quantity));
            }
            for o in claim.overhead.iter().filter(|o| o.name == RESOURCE_MEMORY) {
                for q in [&o.per_pod, &o.per_container].into_iter().flatten() {
                    dra = dra.saturating_add(resources::value(q));
                }
            }
        }
        limit = limit.saturating_add(dra);
    }
    limit
}

/// `remainingPodMemReqPerContainer`: the pod-level memory request not
/// claimed by containers, shared equally among all containers.
fn remaining_pod_mem_req_per_container(pod: &Pod, gates: &FeatureGates) -> i64 {
    let pod_req = pod
        .spec
        .resources
        .as_ref()
        .map_or(0, |r| memory_value(&r.requests));
    if pod_req == 0 {
        return 0;
    }
    let n = pod.spec.containers.len() + pod.spec.init_containers.len();
    let Ok(n) = i64::try_from(n) else { return 0 };
    if n == 0 {
        return 0;
    }
    let aggregate = resources::aggregate_container_requests(
        pod,
        &PodResourcesOptions {
            use_dra_node_allocatable_resource_claim_status: gates.dra_node_allocatable_resources,
            ..PodResourcesOptions::default()
        },
    );
    pod_req.saturating_sub(memory_value(&aggregate)) / n
}

fn log2_floor(x: i128) -> i128 {
    if x < 1 {
        0
    } else {
        i128::from(127 - x.leading_zeros())
    }
}

/// `tieBreakOOMScoreAdjust`.
fn tie_break(linear: i128, request: i128, limit: i128, capacity: i128) -> i128 {
    let floor = i128::from(OOM_SCORE_ADJ_TIE_BREAK_FLOOR);
    let max_nudge = log2_floor(capacity / 1000 / floor);
    let mut adj = linear - log2_floor(request / floor).min(max_nudge);
    if limit > 0 && limit <= request {
        adj -= max_nudge + 1;
    }
    adj
}

fn linear(request: i128, capacity: i128) -> i128 {
    1000 - (1000 * request) / capacity
}

/// The container's `oom_score_adj` as the kubelet sets it
/// (`GetContainerOOMScoreAdjust`), for a node with `memory_capacity` bytes.
///
/// The QoS class comes from `status.qosClass` when set (`GetPodQOS`).
/// Arithmetic is exact (no `int64` wrap-around on absurd requests).
///
/// ```
/// use kubelogic::model::{self, Pod};
/// use kubelogic::qos::oom_score_adj;
/// use kubelogic::FeatureGates;
///
/// let pod: Pod = model::from_json_str(r#"{"spec": {
///   "priorityClassName": "system-node-critical", "priority": 2000001000,
///   "containers": [{"name": "agent"}]}}"#)?;
/// assert_eq!(oom_score_adj(&pod, "agent", 8 << 30, &FeatureGates::default())?, -997);
/// assert!(oom_score_adj(&pod, "nope", 8 << 30, &FeatureGates::default()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn oom_score_adj(
    pod: &Pod,
    container_name: &str,
    memory_capacity: i64,
    gates: &FeatureGates,
) -> Result<i32, QosError> {
    let container =
        find_container(pod, container_name).ok_or_else(|| QosError::ContainerNotFound {
            container: container_name.to_owned(),
            pod: pod.key(),
        })?;
    if memory_capacity <= 0 {
        return Err(QosError::InvalidMemoryCapacity {
            capacity: memory_capacity,
        });
    }
    Ok(container_oom_score_adj(
        pod,
        container,
        memory_capacity,
        gates,
    ))
}

fn container_oom_score_adj(
    pod: &Pod,
    container: &Container,
    capacity: i64,
    gates: &FeatureGates,
) -> i32 {
    if is_node_critical_pod(pod) {
        return GUARANTEED_OOM_SCORE_ADJ;
    }
    match get_pod_qos(pod, gates.pod_level_resources) {
        QosClass::Guaranteed => return GUARANTEED_OOM_SCORE_ADJ,
        QosClass::BestEffort => return BEST_EFFORT_OOM_SCORE_ADJ,
        QosClass::Burstable => {}
    }
    let cap = i128::from(capacity);
    let request = i128::from(effective_memory_request(pod, container, gates));
    let pod_level = gates.pod_level_resources && is_pod_level_requests_set(pod);
    let remaining = if pod_level {
        i128::from(remaining_pod_mem_req_per_container(pod, gates))
    } else {
        0
    };
    let mut adj = linear(request + remaining, cap);
    let tie = gates.kubelet_oom_score_adj_tie_break;
    if tie {
        let limit = i128::from(enforced_memory_limit(pod, container, gates));
        adj = tie_break(adj, request + remaining, limit, cap);
    }

    // A sidecar scores no higher than the regular containers it serves.
    let is_sidecar = container.is_restartable()
        && pod
            .spec
            .init_containers
            .iter()
            .any(|c| c.name == container.name);
    if is_sidecar {
        let regular = &pod.spec.containers;
        let cap_adj = if tie {
            // The tie-break breaks "smallest request = highest score", so
            // compare with every regular container.
            regular
                .iter()
                .map(|c| {
                    let req = i128::from(effective_memory_request(pod, c, gates)) + remaining;
                    let limit = i128::from(enforced_memory_limit(pod, c, gates));
                    tie_break(linear(req, cap), req, limit, cap)
                })
                .max()
                .unwrap_or(0)
        } else {
            let min_req = regular
                .iter()
                .map(|c| i128::from(effective_memory_request(pod, c, gates)))
                .min();
            match min_req {
                Some(m) => linear(m + remaining, cap),
                None => adj,
            }
        };
        adj = adj.min(cap_adj);
    }

    let floor = i128::from(1000 + GUARANTEED_OOM_SCORE_ADJ);
    if adj < floor {
        return 1000 + GUARANTEED_OOM_SCORE_ADJ;
    }
    if adj == i128::from(BEST_EFFORT_OOM_SCORE_ADJ) {
        return BEST_EFFORT_OOM_SCORE_ADJ - 1;
    }
    // A negative request (which the API rejects) could push the score past
    // 1000; the kernel's bound is kept.
    i32::try_from(adj.min(i128::from(BEST_EFFORT_OOM_SCORE_ADJ)))
        .unwrap_or(BEST_EFFORT_OOM_SCORE_ADJ)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log2() {
        assert_eq!(log2_floor(0), 0);
        assert_eq!(log2_floor(1), 0);
        assert_eq!(log2_floor(2), 1);
        assert_eq!(log2_floor(3), 1);
        assert_eq!(log2_floor(16), 4);
        assert_eq!(log2_floor(17), 4);
    }
}
