//! Pod resource totals: the effective requests and limits of a pod as the
//! scheduler, the kubelet and quota compute them.
//!
//! This is `k8s.io/component-helpers/resource` (`PodRequests`, `PodLimits`,
//! `AggregateContainerRequests`, `AggregateContainerLimits`), the kubelet's
//! single-resource `GetResourceRequest` (`pkg/api/v1/resource`) and the
//! resource-name helpers of `pkg/apis/core/v1/helper`. The scheduler's
//! integer accounting (`framework.Resource`, `calculateResource`) lives in
//! [`crate::scheduler::types`].
//!
//! The rules, per resource name:
//!
//! - regular containers are summed; restartable init containers (sidecars,
//!   `restartPolicy: Always`) are added to that sum too;
//! - init containers run one after another: the init phase needs
//!   `max over init containers i of (request of i + sidecars started before i)`,
//!   and the pod needs the larger of that peak and the sum above;
//! - pod-level values (`spec.resources`, the `PodLevelResources` feature)
//!   replace the container total for cpu, memory and `hugepages-*` only;
//! - `spec.overhead` is added to requests, and to limits only where a
//!   non-zero limit exists.
//!
//! ```
//! use kubelogic::model::{self, Pod};
//! use kubelogic::resources::{pod_requests, PodResourcesOptions};
//!
//! let pod: Pod = model::from_json_str(r#"{"spec": {
//!   "initContainers": [
//!     {"name": "setup", "resources": {"requests": {"cpu": "2"}}},
//!     {"name": "proxy", "restartPolicy": "Always", "resources": {"requests": {"cpu": "500m"}}}],
//!   "containers": [{"name": "app", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}],
//!   "overhead": {"cpu": "100m"}}}"#)?;
//! let requests = pod_requests(&pod, &PodResourcesOptions::default());
//! // max(2 (setup), 1 + 0.5 (app + sidecar)) + 0.1 overhead
//! assert_eq!(requests["cpu"].to_string(), "2100m");
//! assert_eq!(requests["memory"].to_string(), "1Gi");
//! # Ok::<(), kubelogic::model::ModelError>(())
//! ```
//!
//! Arithmetic is exact ([`Quantity::checked_add`]). A sum beyond what a
//! [`Quantity`] can hold is reported by [`try_pod_requests`] /
//! [`try_pod_limits`] as [`ResourcesError::Overflow`]; [`pod_requests`] and
//! [`pod_limits`] never fail and keep the larger operand instead (the entry
//! is then a lower bound of the true total). Nothing here panics.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Container, ContainerStatus, Pod, ResourceList};
use crate::Quantity;

/// The scheduler's scalar resources (extended resources, huge pages,
/// attachable volumes) by name, in whole units: a short name-sorted list
/// that iterates, compares and serializes as a `BTreeMap<String, i64>`.
pub type ScalarResources = crate::SortedMap<String, i64>;

/// `cpu`.
pub const RESOURCE_CPU: &str = "cpu";
/// `memory`.
pub const RESOURCE_MEMORY: &str = "memory";
/// `ephemeral-storage`.
pub const RESOURCE_EPHEMERAL_STORAGE: &str = "ephemeral-storage";
/// `pods`.
pub const RESOURCE_PODS: &str = "pods";
/// `storage`.
pub const RESOURCE_STORAGE: &str = "storage";
/// The prefix of huge page resources (`hugepages-2Mi`).
pub const RESOURCE_HUGE_PAGES_PREFIX: &str = "hugepages-";
/// The prefix of attachable-volume resources.
pub const RESOURCE_ATTACHABLE_VOLUMES_PREFIX: &str = "attachable-volumes-";
/// The prefix quota uses for request resources (`requests.cpu`).
pub const DEFAULT_RESOURCE_REQUESTS_PREFIX: &str = "requests.";

/// How [`pod_requests`] and [`pod_limits`] count (upstream
/// `PodResourcesOptions`; every field is `false`/`None` by default, as the Go
/// zero value).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodResourcesOptions {
    /// Also look at the container statuses' `allocatedResources` and
    /// `resources` (in-place resize); callers set it from
    /// `InPlacePodVerticalScaling`.
    pub use_status_resources: bool,
    /// With `use_status_resources`, also look at the pod-level
    /// `status.resources` / `status.allocatedResources`; callers set it from
    /// `InPlacePodLevelResourcesVerticalScaling`.
    pub in_place_pod_level_resources_vertical_scaling_enabled: bool,
    /// Leave `spec.overhead` out.
    pub exclude_overhead: bool,
    /// For each container (regular and init) without a request for one of
    /// these resources, count this value instead. An explicit request, even
    /// `0`, is kept. Requests only. An empty list is the same as `None`.
    pub non_missing_container_requests: Option<ResourceList>,
    /// Ignore `spec.resources`; callers set it to `!PodLevelResources`.
    pub skip_pod_level_resources: bool,
    /// Requests only: leave the container totals out (only pod-level values
    /// and overhead remain).
    pub skip_container_level_resources: bool,
    /// Add the DRA node-allocatable amounts of
    /// `status.nodeAllocatableResourceClaimStatuses`; callers set it from
    /// `DRANodeAllocatableResources`.
    pub use_dra_node_allocatable_resource_claim_status: bool,
}

/// Why a total could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResourcesError {
    /// The total of `resource` is beyond what a [`Quantity`] can hold.
    Overflow {
        /// The resource name.
        resource: String,
    },
}

impl fmt::Display for ResourcesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourcesError::Overflow { resource } => {
                write!(f, "the pod's total {resource} overflows a quantity")
            }
        }
    }
}

impl std::error::Error for ResourcesError {}

/// Accumulates quantities, remembering the first overflow.
#[derive(Debug, Default)]
struct Acc {
    overflow: Option<String>,
}

impl Acc {
    fn sum(&mut self, name: &str, a: &Quantity, b: &Quantity) -> Quantity {
        match a.checked_add(b) {
            Some(q) => q,
            None => {
                if self.overflow.is_none() {
                    self.overflow = Some(name.to_owned());
                }
                // Keep the operand furthest in the direction of the sum.
                if b.signum().is_ge() {
                    a.clone().max(b.clone())
                } else {
                    a.clone().min(b.clone())
                }
            }
        }
    }

    /// `list[name] += q` (an absent entry starts at zero, as in Go).
    fn add(&mut self, list: &mut ResourceList, name: &str, q: &Quantity) {
        match list.get_mut(name) {
            Some(v) => {
                let s = self.sum(name, v, q);
                *v = s;
            }
            None => {
                list.insert(name.to_owned(), q.clone());
            }
        }
    }

    /// `addResourceList`: adds every entry of `new` to `list`.
    fn add_list(&mut self, list: &mut ResourceList, new: &ResourceList) {
        for (name, q) in new {
            self.add(list, name, q);
        }
    }

    fn finish<T>(self, value: T) -> Result<T, ResourcesError> {
        match self.overflow {
            None => Ok(value),
            Some(resource) => Err(ResourcesError::Overflow { resource }),
        }
    }
}

/// `maxResourceList`: `list[name] = max(list[name], new[name])` for every
/// entry of `new` (an absent entry takes the new value, even zero).
fn max_list(list: &mut ResourceList, new: &ResourceList) {
    for (name, q) in new {
        match list.get_mut(name) {
            Some(v) if *q <= *v => {}
            Some(v) => *v = q.clone(),
            None => {
                list.insert(name.clone(), q.clone());
            }
        }
    }
}

/// `max(a, b...)` of upstream: the per-resource maximum of several lists.
fn max_of<'a>(lists: impl IntoIterator<Item = &'a ResourceList>) -> ResourceList {
    let mut out = ResourceList::new();
    for l in lists {
        max_list(&mut out, l);
    }
    out
}

/// Whether `name` is a resource that pod-level resources (`spec.resources`)
/// may set: cpu, memory and `hugepages-*` (`IsSupportedPodLevelResource`).
pub fn is_supported_pod_level_resource(name: &str) -> bool {
    name == RESOURCE_CPU || name == RESOURCE_MEMORY || name.starts_with(RESOURCE_HUGE_PAGES_PREFIX)
}

/// Whether the pod sets pod-level requests or limits for a supported
/// resource (`IsPodLevelResourcesSet`).
pub fn is_pod_level_resources_set(pod: &Pod) -> bool {
    pod.spec.resources.as_ref().is_some_and(|r| {
        r.requests
            .keys()
            .chain(r.limits.keys())
            .any(|n| is_supported_pod_level_resource(n))
    })
}

/// Whether the pod sets pod-level requests for a supported resource
/// (`IsPodLevelRequestsSet`).
pub fn is_pod_level_requests_set(pod: &Pod) -> bool {
    pod.spec.resources.as_ref().is_some_and(|r| {
        r.requests
            .keys()
            .any(|n| is_supported_pod_level_resource(n))
    })
}

/// Whether the pod sets pod-level limits for a supported resource
/// (`IsPodLevelLimitsSet`).
pub fn is_pod_level_limits_set(pod: &Pod) -> bool {
    pod.spec
        .resources
        .as_ref()
        .is_some_and(|r| r.limits.keys().any(|n| is_supported_pod_level_resource(n)))
}

fn pod_resize_pending_reason(pod: &Pod) -> Option<&str> {
    pod.status
        .conditions
        .iter()
        .find(|c| c.type_ == "PodResizePending")
        .map(|c| c.reason.as_deref().unwrap_or(""))
}

/// Whether the `PodResizePending` condition says `Infeasible`
/// (`IsPodResizeInfeasible`).
pub fn is_pod_resize_infeasible(pod: &Pod) -> bool {
    pod_resize_pending_reason(pod) == Some("Infeasible")
}

/// Whether the `PodResizePending` condition says `Deferred`
/// (`IsPodResizeDeferred`).
pub fn is_pod_resize_deferred(pod: &Pod) -> bool {
    pod_resize_pending_reason(pod) == Some("Deferred")
}

/// The status of the container called `name` (regular statuses first).
fn find_container_status<'a>(pod: &'a Pod, name: &str) -> Option<&'a ContainerStatus> {
    pod.status
        .container_statuses
        .iter()
        .chain(pod.status.init_container_statuses.iter())
        .find(|s| s.name == name)
}

/// Where a container's resource list is read from. `None` is Go's `nil`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    SpecRequests,
    AllocatedRequests,
    ActuatedRequests,
    SpecLimits,
    ActuatedLimits,
}

fn non_empty(l: &ResourceList) -> Option<&ResourceList> {
    if l.is_empty() {
        None
    } else {
        Some(l)
    }
}

impl Source {
    fn get<'a>(
        self,
        c: &'a Container,
        cs: Option<&'a ContainerStatus>,
        infeasible: bool,
    ) -> Option<&'a ResourceList> {
        let allocated = cs.and_then(|s| non_empty(&s.allocated_resources));
        let actuated = |pick: fn(&crate::model::ResourceRequirements) -> &ResourceList| {
            cs.and_then(|s| s.resources.as_ref())
                .and_then(|r| non_empty(pick(r)))
        };
        let spec = |l: &'a ResourceList| if infeasible { None } else { Some(l) };
        match self {
            Source::SpecRequests => Some(&c.resources.requests),
            Source::SpecLimits => Some(&c.resources.limits),
            Source::AllocatedRequests => allocated.or_else(|| spec(&c.resources.requests)),
            Source::ActuatedRequests => actuated(|r| &r.requests)
                .or(allocated)
                .or_else(|| spec(&c.resources.requests)),
            Source::ActuatedLimits => actuated(|r| &r.limits).or_else(|| spec(&c.resources.limits)),
        }
    }
}

/// The pod's DRA node-allocatable claim amounts.
#[derive(Debug, Default)]
struct DraResources {
    /// Charged for the pod's whole life: mappings, per-pod overheads and the
    /// per-container overheads of references to unknown containers.
    pod_fixed: ResourceList,
    /// Per-container overheads, by container name.
    per_container: BTreeMap<String, ResourceList>,
}

fn dra_resources(pod: &Pod, opts: &PodResourcesOptions, acc: &mut Acc) -> DraResources {
    let mut out = DraResources::default();
    if !opts.use_dra_node_allocatable_resource_claim_status {
        return out;
    }
    for claim in &pod.status.node_allocatable_resource_claim_statuses {
        for m in &claim.mapping {
            acc.add(&mut out.pod_fixed, &m.name, &m.quantity);
        }
        for o in &claim.overhead {
            if let Some(q) = &o.per_pod {
                acc.add(&mut out.pod_fixed, &o.name, q);
            }
        }
        if !claim.overhead.iter().any(|o| o.per_container.is_some()) {
            continue;
        }
        let mut known_refs = 0usize;
        for c in pod.all_containers() {
            if !claim.containers.contains(&c.name) {
                continue;
            }
            known_refs += 1;
            let list = out.per_container.entry(c.name.clone()).or_default();
            for o in &claim.overhead {
                if let Some(q) = &o.per_container {
                    acc.add(list, &o.name, q);
                }
            }
        }
        // References to containers not in the spec are charged to the pod.
        let unknown = claim.containers.len().saturating_sub(known_refs);
        for _ in 0..unknown {
            for o in &claim.overhead {
                if let Some(q) = &o.per_container {
                    acc.add(&mut out.pod_fixed, &o.name, q);
                }
            }
        }
    }
    out
}

/// Drops DRA amounts of resources without a declared container limit
/// (hugepages excepted): the kubelet leaves such limits unset
/// (`dropDRAValuesForUndeclaredLimits`).
fn drop_dra_for_undeclared_limits(pod: &Pod, dra: &mut DraResources) {
    let declared = |name: &str| {
        name.starts_with(RESOURCE_HUGE_PAGES_PREFIX)
            || pod
                .all_containers()
                .any(|c| c.resources.limits.contains_key(name))
    };
    dra.pod_fixed.retain(|n, _| declared(n));
    for list in dra.per_container.values_mut() {
        list.retain(|n, _| declared(n));
    }
}

/// `applyNonMissing`: `reqs` with each missing resource of `non_missing` added.
fn apply_non_missing(reqs: Option<&ResourceList>, non_missing: &ResourceList) -> ResourceList {
    let mut out = reqs.cloned().unwrap_or_default();
    for (k, v) in non_missing {
        if !reqs.is_some_and(|r| r.contains_key(k)) {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// `aggregateContainerResourcesByFn`: the sidecar-aware container total.
fn aggregate_by<'a>(
    pod: &'a Pod,
    opts: &PodResourcesOptions,
    source: Source,
    dra: Option<&DraResources>,
    acc: &mut Acc,
) -> ResourceList {
    let infeasible = opts.use_status_resources && is_pod_resize_infeasible(pod);
    let non_missing = opts
        .non_missing_container_requests
        .as_ref()
        .filter(|l| !l.is_empty());
    let container_list = |c: &'a Container| -> Cow<'a, ResourceList> {
        let cs = if opts.use_status_resources {
            find_container_status(pod, &c.name)
        } else {
            None
        };
        let list = source.get(c, cs, infeasible);
        match (non_missing, list) {
            (Some(nm), list) => Cow::Owned(apply_non_missing(list, nm)),
            (None, Some(list)) => Cow::Borrowed(list),
            (None, None) => Cow::Owned(ResourceList::new()),
        }
    };
    let dra_of = |name: &str| dra.and_then(|d| d.per_container.get(name));

    let mut result = ResourceList::new();
    for c in &pod.spec.containers {
        acc.add_list(&mut result, &container_list(c));
        if let Some(d) = dra_of(&c.name) {
            acc.add_list(&mut result, d);
        }
    }

    let mut restartable = ResourceList::new();
    let mut init_peak = ResourceList::new();
    for c in &pod.spec.init_containers {
        let mut own = container_list(c);
        if let Some(d) = dra_of(&c.name) {
            acc.add_list(own.to_mut(), d);
        }
        if c.is_restartable() {
            acc.add_list(&mut result, &own);
            acc.add_list(&mut restartable, &own);
            max_list(&mut init_peak, &restartable);
        } else if restartable.is_empty() {
            max_list(&mut init_peak, &own);
        } else {
            let mut combined = own.into_owned();
            acc.add_list(&mut combined, &restartable);
            max_list(&mut init_peak, &combined);
        }
    }
    max_list(&mut result, &init_peak);
    if let Some(d) = dra {
        acc.add_list(&mut result, &d.pod_fixed);
    }
    result
}

fn aggregate_container_requests_acc(
    pod: &Pod,
    opts: &PodResourcesOptions,
    acc: &mut Acc,
) -> ResourceList {
    let dra = dra_resources(pod, opts, acc);
    let spec = aggregate_by(pod, opts, Source::SpecRequests, Some(&dra), acc);
    if !opts.use_status_resources {
        return spec;
    }
    let infeasible = is_pod_resize_infeasible(pod);
    let status_requests = pod
        .status
        .resources
        .as_ref()
        .and_then(|r| non_empty(&r.requests));
    let pod_level_status = opts.in_place_pod_level_resources_vertical_scaling_enabled
        && !pod.status.allocated_resources.is_empty()
        && status_requests.is_some();
    if !pod_level_status && statuses_add_nothing(pod, &dra) {
        return spec;
    }
    let (allocated, actuated) = match (
        opts.in_place_pod_level_resources_vertical_scaling_enabled,
        non_empty(&pod.status.allocated_resources),
        status_requests,
    ) {
        // Pod-level status maps already hold the container aggregate (DRA included).
        (true, Some(allocated), Some(actuated)) => (allocated.clone(), actuated.clone()),
        _ => (
            aggregate_by(pod, opts, Source::AllocatedRequests, Some(&dra), acc),
            aggregate_by(pod, opts, Source::ActuatedRequests, None, acc),
        ),
    };
    if infeasible {
        max_of([&actuated, &allocated])
    } else {
        max_of([&spec, &actuated, &allocated])
    }
}

fn aggregate_container_limits_acc(
    pod: &Pod,
    opts: &PodResourcesOptions,
    acc: &mut Acc,
) -> ResourceList {
    let opts = PodResourcesOptions {
        non_missing_container_requests: None,
        ..opts.clone()
    };
    let mut dra = dra_resources(pod, &opts, acc);
    drop_dra_for_undeclared_limits(pod, &mut dra);
    let spec = aggregate_by(pod, &opts, Source::SpecLimits, Some(&dra), acc);
    if !opts.use_status_resources {
        return spec;
    }
    let infeasible = is_pod_resize_infeasible(pod);
    let status_limits = pod
        .status
        .resources
        .as_ref()
        .and_then(|r| non_empty(&r.limits));
    let pod_level_status =
        opts.in_place_pod_level_resources_vertical_scaling_enabled && status_limits.is_some();
    if !pod_level_status && statuses_add_nothing(pod, &dra) {
        return spec;
    }
    let actuated = match (
        opts.in_place_pod_level_resources_vertical_scaling_enabled,
        status_limits,
    ) {
        (true, Some(l)) => l.clone(),
        _ => aggregate_by(pod, &opts, Source::ActuatedLimits, None, acc),
    };
    if infeasible {
        actuated
    } else {
        max_of([&spec, &actuated])
    }
}

/// Whether no container status carries resources, so that the allocated
/// and actuated totals equal the spec total (a shortcut, same result).
fn statuses_add_nothing(pod: &Pod, dra: &DraResources) -> bool {
    dra.pod_fixed.is_empty()
        && dra.per_container.is_empty()
        && !is_pod_resize_infeasible(pod)
        && pod
            .status
            .container_statuses
            .iter()
            .chain(pod.status.init_container_statuses.iter())
            .all(|s| s.allocated_resources.is_empty() && s.resources.is_none())
}

/// `effectivePodLevelResources`: the spec value (dropped when the resize is
/// infeasible) and the status values, per-resource maximum.
fn effective_pod_level(pod: &Pod, spec: &ResourceList, statuses: &[&ResourceList]) -> ResourceList {
    let mut out = if is_pod_resize_infeasible(pod) {
        ResourceList::new()
    } else {
        spec.clone()
    };
    for s in statuses {
        max_list(&mut out, s);
    }
    out
}

fn apply_pod_level(result: &mut ResourceList, effective: &ResourceList) {
    for (name, q) in effective {
        if is_supported_pod_level_resource(name) {
            result.insert(name.clone(), q.clone());
        }
    }
}

/// The total container requests, sidecar rule included, without pod-level
/// values and overhead (`AggregateContainerRequests`). See the module docs
/// for overflow.
pub fn aggregate_container_requests(pod: &Pod, opts: &PodResourcesOptions) -> ResourceList {
    aggregate_container_requests_acc(pod, opts, &mut Acc::default())
}

/// The total container limits, sidecar rule included, without pod-level
/// values and overhead (`AggregateContainerLimits`).
pub fn aggregate_container_limits(pod: &Pod, opts: &PodResourcesOptions) -> ResourceList {
    aggregate_container_limits_acc(pod, opts, &mut Acc::default())
}

fn pod_requests_acc(pod: &Pod, opts: &PodResourcesOptions, acc: &mut Acc) -> ResourceList {
    let mut reqs = if opts.skip_container_level_resources {
        ResourceList::new()
    } else {
        aggregate_container_requests_acc(pod, opts, acc)
    };
    if !opts.skip_pod_level_resources && is_pod_level_requests_set(pod) {
        if let Some(spec) = &pod.spec.resources {
            match &pod.status.resources {
                Some(status)
                    if opts.in_place_pod_level_resources_vertical_scaling_enabled
                        && opts.use_status_resources =>
                {
                    let eff = effective_pod_level(
                        pod,
                        &spec.requests,
                        &[&status.requests, &pod.status.allocated_resources],
                    );
                    apply_pod_level(&mut reqs, &eff);
                }
                _ => apply_pod_level(&mut reqs, &spec.requests),
            }
        }
    }
    if !opts.exclude_overhead {
        acc.add_list(&mut reqs, &pod.spec.overhead);
    }
    reqs
}

fn pod_limits_acc(pod: &Pod, opts: &PodResourcesOptions, acc: &mut Acc) -> ResourceList {
    let mut limits = aggregate_container_limits_acc(pod, opts, acc);
    if !opts.skip_pod_level_resources && is_pod_level_resources_set(pod) {
        if let Some(spec) = &pod.spec.resources {
            match &pod.status.resources {
                Some(status)
                    if opts.in_place_pod_level_resources_vertical_scaling_enabled
                        && opts.use_status_resources =>
                {
                    let eff = effective_pod_level(pod, &spec.limits, &[&status.limits]);
                    apply_pod_level(&mut limits, &eff);
                }
                _ => apply_pod_level(&mut limits, &spec.limits),
            }
        }
    }
    if !opts.exclude_overhead {
        for (name, q) in &pod.spec.overhead {
            if limits.get(name).is_some_and(|v| !v.is_zero()) {
                acc.add(&mut limits, name, q);
            }
        }
    }
    limits
}

/// The pod's effective requests (`PodRequests`): the container total
/// (sidecar rule), replaced by pod-level values for cpu, memory and
/// hugepages when set and not skipped, plus `spec.overhead`.
///
/// Never fails: see the module docs for overflow, and [`try_pod_requests`].
pub fn pod_requests(pod: &Pod, opts: &PodResourcesOptions) -> ResourceList {
    pod_requests_acc(pod, opts, &mut Acc::default())
}

/// [`pod_requests`], reporting a total that overflows a [`Quantity`].
pub fn try_pod_requests(
    pod: &Pod,
    opts: &PodResourcesOptions,
) -> Result<ResourceList, ResourcesError> {
    let mut acc = Acc::default();
    let r = pod_requests_acc(pod, opts, &mut acc);
    acc.finish(r)
}

/// The pod's effective limits (`PodLimits`): the container total (sidecar
/// rule), replaced by pod-level values for cpu, memory and hugepages when
/// set and not skipped, plus `spec.overhead` for resources that have a
/// non-zero limit.
///
/// ```
/// use kubelogic::model::{self, Pod};
/// use kubelogic::resources::{pod_limits, PodResourcesOptions};
///
/// let pod: Pod = model::from_json_str(r#"{"spec": {
///   "containers": [{"name": "a", "resources": {"limits": {"cpu": "1"}}}],
///   "overhead": {"cpu": "250m", "memory": "64Mi"}}}"#)?;
/// let limits = pod_limits(&pod, &PodResourcesOptions::default());
/// assert_eq!(limits["cpu"].to_string(), "1250m");
/// assert!(!limits.contains_key("memory")); // no memory limit to add overhead to
/// # Ok::<(), kubelogic::model::ModelError>(())
/// ```
pub fn pod_limits(pod: &Pod, opts: &PodResourcesOptions) -> ResourceList {
    pod_limits_acc(pod, opts, &mut Acc::default())
}

/// [`pod_limits`], reporting a total that overflows a [`Quantity`].
pub fn try_pod_limits(
    pod: &Pod,
    opts: &PodResourcesOptions,
) -> Result<ResourceList, ResourcesError> {
    let mut acc = Acc::default();
    let r = pod_limits_acc(pod, opts, &mut acc);
    acc.finish(r)
}

fn saturate(q: &Quantity, v: Option<i64>) -> i64 {
    v.unwrap_or(if q.signum().is_lt() {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// `MilliValue()` of a quantity, saturated to the `i64` range.
pub fn milli_value(q: &Quantity) -> i64 {
    saturate(q, q.milli_value())
}

/// `Value()` of a quantity (rounded up to a whole unit), saturated to the
/// `i64` range.
pub fn value(q: &Quantity) -> i64 {
    saturate(q, q.value())
}

/// The kubelet's single-resource request (`GetResourceRequest` of
/// `pkg/api/v1/resource`): millicores for cpu, whole units otherwise, 1 for
/// `pods`.
///
/// With `pod_level_resources` (the `PodLevelResources` gate) and pod-level
/// resources set, the container totals are skipped and only the pod-level
/// value counts. As upstream, pod-level requests replace the container
/// total even with the gate off (the helper never sets
/// `skip_pod_level_resources`). `spec.overhead` is added only when the total
/// is not zero.
///
/// ```
/// use kubelogic::model::{self, Pod};
/// use kubelogic::resources::get_resource_request;
///
/// let pod: Pod = model::from_json_str(r#"{"spec": {
///   "containers": [{"name": "a", "resources": {"requests": {"memory": "80Mi"}}}],
///   "resources": {"requests": {"memory": "100Mi"}},
///   "overhead": {"cpu": "250m", "memory": "10Mi"}}}"#)?;
/// assert_eq!(get_resource_request(&pod, "memory", true), 110 * 1024 * 1024);
/// assert_eq!(get_resource_request(&pod, "cpu", true), 0); // overhead only on a non-zero total
/// assert_eq!(get_resource_request(&pod, "pods", true), 1);
/// # Ok::<(), kubelogic::model::ModelError>(())
/// ```
pub fn get_resource_request(pod: &Pod, resource: &str, pod_level_resources: bool) -> i64 {
    if resource == RESOURCE_PODS {
        return 1;
    }
    let q = get_resource_request_quantity(pod, resource, pod_level_resources);
    if resource == RESOURCE_CPU {
        milli_value(&q)
    } else {
        value(&q)
    }
}

/// The quantity behind [`get_resource_request`] (`GetResourceRequestQuantity`).
pub fn get_resource_request_quantity(
    pod: &Pod,
    resource: &str,
    pod_level_resources: bool,
) -> Quantity {
    let has_pod_level = pod_level_resources && is_pod_level_resources_set(pod);
    let opts = PodResourcesOptions {
        skip_container_level_resources: has_pod_level,
        exclude_overhead: true,
        ..PodResourcesOptions::default()
    };
    let mut acc = Acc::default();
    let mut q = pod_requests_acc(pod, &opts, &mut acc)
        .remove(resource)
        .unwrap_or_default();
    if let Some(o) = pod.spec.overhead.get(resource) {
        if !q.is_zero() {
            q = acc.sum(resource, &q, o);
        }
    }
    q
}

/// Whether `name` is a huge page resource (`hugepages-*`).
pub fn is_huge_page_resource_name(name: &str) -> bool {
    name.starts_with(RESOURCE_HUGE_PAGES_PREFIX)
}

/// Whether `name` is in the `kubernetes.io/` namespace (`IsPrefixedNativeResource`).
pub fn is_prefixed_native_resource(name: &str) -> bool {
    name.contains("kubernetes.io/")
}

/// Whether `name` is a native resource: no domain, or the `kubernetes.io/`
/// domain (`IsNativeResource`).
pub fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || is_prefixed_native_resource(name)
}

/// Whether `name` is an attachable-volume resource.
pub fn is_attachable_volume_resource_name(name: &str) -> bool {
    name.starts_with(RESOURCE_ATTACHABLE_VOLUMES_PREFIX)
}

fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b.first().is_some_and(u8::is_ascii_alphanumeric)
                && b.last().is_some_and(u8::is_ascii_alphanumeric)
        })
}

/// `validation.IsQualifiedName`: `[prefix/]name`, prefix a DNS subdomain,
/// name at most 63 characters of `[A-Za-z0-9._-]` starting and ending
/// alphanumeric.
fn is_qualified_name(s: &str) -> bool {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if prefix.is_some_and(|p| !is_dns1123_subdomain(p)) {
        return false;
    }
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// Whether `name` is an extended resource: a domain-qualified name outside
/// `kubernetes.io/` that quota can name as `requests.<name>`
/// (`IsExtendedResourceName`).
pub fn is_extended_resource_name(name: &str) -> bool {
    if is_native_resource(name) || name.starts_with(DEFAULT_RESOURCE_REQUESTS_PREFIX) {
        return false;
    }
    is_qualified_name(&format!("{DEFAULT_RESOURCE_REQUESTS_PREFIX}{name}"))
}

/// Whether the scheduler tracks `name` as a scalar resource: extended,
/// huge pages, prefixed native or attachable volumes (`IsScalarResourceName`).
pub fn is_scalar_resource_name(name: &str) -> bool {
    is_extended_resource_name(name)
        || is_huge_page_resource_name(name)
        || is_prefixed_native_resource(name)
        || is_attachable_volume_resource_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    fn pod(json: &str) -> Pod {
        model::from_json_str(json).unwrap()
    }

    #[test]
    fn sidecar_before_init_counts_in_init_peak() {
        let p = pod(r#"{"spec": {
          "initContainers": [
            {"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}},
            {"name": "i", "resources": {"requests": {"cpu": "3"}}}],
          "containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]}}"#);
        let r = pod_requests(&p, &PodResourcesOptions::default());
        assert_eq!(r["cpu"].to_string(), "4");
    }

    #[test]
    fn overflow_is_reported_or_kept_at_the_larger_operand() {
        let p = pod(r#"{"spec": {"containers": [
          {"name": "a", "resources": {"requests": {"cpu": "1e2147483647"}}},
          {"name": "b", "resources": {"requests": {"cpu": "1n", "memory": "1Gi"}}}]}}"#);
        let opts = PodResourcesOptions::default();
        assert_eq!(
            try_pod_requests(&p, &opts),
            Err(ResourcesError::Overflow {
                resource: "cpu".into()
            })
        );
        let r = pod_requests(&p, &opts);
        assert_eq!(r["cpu"], "1e2147483647".parse::<Quantity>().unwrap());
        assert_eq!(r["memory"].to_string(), "1Gi");
        assert_eq!(get_resource_request(&p, "cpu", true), i64::MAX);
    }

    #[test]
    fn scalar_names() {
        assert!(is_scalar_resource_name("nvidia.com/gpu"));
        assert!(is_scalar_resource_name("hugepages-2Mi"));
        assert!(is_scalar_resource_name("kubernetes.io/foo"));
        assert!(!is_scalar_resource_name("foo"));
        assert!(!is_extended_resource_name("requests.foo/bar"));
    }
}
