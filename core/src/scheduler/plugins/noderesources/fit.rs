//! NodeResourcesFit: a pod fits a node when the node has room for one more
//! pod and for each resource the pod requests (Filter, with one
//! `Insufficient <resource>` reason per resource short), and nodes are
//! scored by the configured strategy (`fit.go`).
//!
//! The Filter's code is `Unschedulable`, or `UnschedulableAndUnresolvable`
//! when some request exceeds the node's allocatable amount itself (no
//! preemption could help, v1.35).
//!
//! ```
//! use kubelogic::model::{Node, Pod};
//! use kubelogic::scheduler::plugins::noderesources::Fit;
//! use kubelogic::scheduler::framework::{FilterPlugin, PreFilterPlugin};
//! use kubelogic::scheduler::{Code, CycleState, NodeInfo, PodInfo, Snapshot};
//! use kubelogic::FeatureGates;
//!
//! let gates = FeatureGates::default();
//! let node: Node = serde_json::from_str(r#"{"metadata": {"name": "n"},
//!     "status": {"allocatable": {"cpu": "2", "memory": "1Gi", "pods": "110"}}}"#)?;
//! let pod: Pod = serde_json::from_str(r#"{"spec": {"containers": [{"name": "c",
//!     "resources": {"requests": {"cpu": "3", "memory": "512Mi"}}}]}}"#)?;
//! let (pod, node) = (PodInfo::new(pod, &gates), NodeInfo::new(node));
//! let fit = Fit::new(None, &gates).expect("default args");
//! let mut state = CycleState::new();
//! fit.pre_filter(&mut state, &pod, &Snapshot::default());
//! let status = fit.filter(&state, &pod, &node);
//! assert_eq!(status.code, Code::UnschedulableAndUnresolvable);
//! assert_eq!(status.reasons, ["Insufficient cpu"]);
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::SortedSet;
use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use crate::model::validation::{validate_label_name, FieldError};
use crate::model::Pod;
use crate::resources::{pod_requests, PodResourcesOptions};
use crate::scheduler::framework::{
    missing_state, Code, CycleState, FilterPlugin, NodeScore, PreFilterPlugin, PreFilterResult,
    PreScorePlugin, Reason, ScorePlugin, Status,
};
use crate::scheduler::plugins::{decode_args, names, ConfigError};
use crate::scheduler::snapshot::{
    is_extended_resource_name, is_scalar_resource_name, NodeInfo, PodInfo, Resource, Snapshot,
};
use crate::{FeatureGates, Quantity};

use super::requested_to_capacity_ratio::{
    scale_shape, UtilizationShapePoint, MAX_CUSTOM_PRIORITY_SCORE,
};
use super::resource_allocation::{ResourceAllocationScorer, Scorer};
use super::{default_resource_spec, default_resources, ResourceSpec};

/// `LeastAllocated`.
pub const LEAST_ALLOCATED: &str = "LeastAllocated";
/// `MostAllocated`.
pub const MOST_ALLOCATED: &str = "MostAllocated";
/// `RequestedToCapacityRatio`.
pub const REQUESTED_TO_CAPACITY_RATIO: &str = "RequestedToCapacityRatio";
/// The PreFilter reason when sidecars are disabled.
pub const ERR_REASON_SIDECARS_DISABLED: &str =
    "Pod has a restartable init container and the SidecarContainers feature is disabled";
/// The reason when the node has no room for another pod.
pub const REASON_TOO_MANY_PODS: &str = "Too many pods";

/// `RequestedToCapacityRatioParam`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestedToCapacityRatioParam {
    /// The shape: points of (utilization 0..=100, score 0..=10).
    #[serde(default)]
    pub shape: Vec<UtilizationShapePoint>,
}

/// `ScoringStrategy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScoringStrategy {
    /// `LeastAllocated`, `MostAllocated` or `RequestedToCapacityRatio`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// The resources scored, with weights 1..=100.
    #[serde(default)]
    pub resources: Vec<ResourceSpec>,
    /// The shape, for `RequestedToCapacityRatio`.
    #[serde(default)]
    pub requested_to_capacity_ratio: Option<RequestedToCapacityRatioParam>,
}

/// `NodeResourcesFitArgs`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeResourcesFitArgs {
    /// Extended resources the Filter does not check.
    #[serde(default)]
    pub ignored_resources: Vec<String>,
    /// Extended resource groups (the part before `/`) the Filter does not check.
    #[serde(default)]
    pub ignored_resource_groups: Vec<String>,
    /// How to score (default LeastAllocated on cpu and memory).
    #[serde(default)]
    pub scoring_strategy: Option<ScoringStrategy>,
}

impl NodeResourcesFitArgs {
    /// The v1 defaults: a LeastAllocated cpu/memory strategy when none is
    /// given, the default resources when the list is empty, weight 0 → 1.
    pub fn defaulted(mut self) -> Self {
        let strategy = self
            .scoring_strategy
            .get_or_insert_with(|| ScoringStrategy {
                type_: LEAST_ALLOCATED.to_owned(),
                resources: default_resource_spec(),
                requested_to_capacity_ratio: None,
            });
        strategy.resources = default_resources(&strategy.resources);
        self
    }
}

/// `ValidateNodeResourcesFitArgs`: every problem, in upstream's order.
pub fn validate_args(args: &NodeResourcesFitArgs) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, r) in args.ignored_resources.iter().enumerate() {
        errs.extend(validate_label_name(r, &format!("ignoredResources[{i}]")));
    }
    for (i, g) in args.ignored_resource_groups.iter().enumerate() {
        let path = format!("ignoredResourceGroups[{i}]");
        if g.contains('/') {
            errs.push(FieldError::invalid(
                path.clone(),
                g,
                "resource group name can't contain '/'",
            ));
        }
        errs.extend(validate_label_name(g, &path));
    }
    if let Some(s) = &args.scoring_strategy {
        let supported = [LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO];
        if !supported.contains(&s.type_.as_str()) {
            errs.push(FieldError::not_supported(
                "scoringStrategy.type",
                &s.type_,
                &supported,
            ));
        }
        for (i, r) in s.resources.iter().enumerate() {
            if r.weight <= 0 || r.weight > 100 {
                errs.push(FieldError::invalid_rendered(
                    format!("scoringStrategy.resources[{i}].weight"),
                    r.weight.to_string(),
                    format!("resource weight of {} not in valid range (0, 100]", r.name),
                ));
            }
        }
        match &s.requested_to_capacity_ratio {
            Some(p) => errs.extend(validate_function_shape(&p.shape, "scoringStrategy.shape")),
            None if s.type_ == REQUESTED_TO_CAPACITY_RATIO => errs.push(FieldError::required(
                "scoringStrategy.requestedToCapacityRatio",
                "required for the RequestedToCapacityRatio strategy",
            )),
            None => {}
        }
    }
    errs
}

/// `validateFunctionShape`.
pub fn validate_function_shape(shape: &[UtilizationShapePoint], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if shape.is_empty() {
        errs.push(FieldError::required(
            path,
            "at least one point must be specified",
        ));
        return errs;
    }
    for (i, pair) in shape.windows(2).enumerate() {
        if let [a, b] = pair {
            if a.utilization >= b.utilization {
                errs.push(FieldError::invalid_rendered(
                    format!("{path}[{}].utilization", i + 1),
                    b.utilization.to_string(),
                    "values must be sorted in increasing order",
                ));
                break;
            }
        }
    }
    for (i, p) in shape.iter().enumerate() {
        if !(0..=100).contains(&p.utilization) {
            errs.push(FieldError::invalid_rendered(
                format!("{path}[{i}].utilization"),
                p.utilization.to_string(),
                "not in valid range [0, 100]",
            ));
        }
        if !(0..=MAX_CUSTOM_PRIORITY_SCORE).contains(&i64::from(p.score)) {
            errs.push(FieldError::invalid_rendered(
                format!("{path}[{i}].score"),
                p.score.to_string(),
                format!("not in valid range [0, {MAX_CUSTOM_PRIORITY_SCORE}]"),
            ));
        }
    }
    errs
}

/// The NodeResourcesFit plugin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit {
    /// `ignoredResources`.
    pub ignored_resources: SortedSet<String>,
    /// `ignoredResourceGroups`.
    pub ignored_resource_groups: SortedSet<String>,
    /// Gate `SidecarContainers`.
    pub enable_sidecar_containers: bool,
    /// Gate `PodLevelResources`.
    pub enable_pod_level_resources: bool,
    /// A request above the node's allocatable is `UnschedulableAndUnresolvable`
    /// (since v1.35, kubernetes#131345; `Unschedulable` before).
    pub unresolvable_above_allocatable: bool,
    /// The scoring strategy.
    pub scorer: ResourceAllocationScorer,
}

impl Fit {
    /// Builds the plugin from its args (defaulted, then validated; the first
    /// validation error is returned).
    pub fn new(args: Option<&Value>, gates: &FeatureGates) -> Result<Self, ConfigError> {
        let args: NodeResourcesFitArgs = decode_args(names::NODE_RESOURCES_FIT, args)?;
        Self::from_args(args, gates)
    }

    /// Builds the plugin from decoded args.
    pub fn from_args(
        args: NodeResourcesFitArgs,
        gates: &FeatureGates,
    ) -> Result<Self, ConfigError> {
        let args = args.defaulted();
        if let Some(e) = validate_args(&args).first() {
            return Err(ConfigError::from_field_error(names::NODE_RESOURCES_FIT, e));
        }
        let strategy = args.scoring_strategy.unwrap_or_default();
        let (name, scorer) = match strategy.type_.as_str() {
            MOST_ALLOCATED => (MOST_ALLOCATED, Scorer::MostAllocated),
            REQUESTED_TO_CAPACITY_RATIO => (
                REQUESTED_TO_CAPACITY_RATIO,
                Scorer::RequestedToCapacityRatio(scale_shape(
                    &strategy
                        .requested_to_capacity_ratio
                        .map(|p| p.shape)
                        .unwrap_or_default(),
                )),
            ),
            _ => (LEAST_ALLOCATED, Scorer::LeastAllocated),
        };
        Ok(Fit {
            ignored_resources: name_set(args.ignored_resources),
            ignored_resource_groups: name_set(args.ignored_resource_groups),
            enable_sidecar_containers: gates.sidecar_containers,
            enable_pod_level_resources: gates.pod_level_resources,
            unresolvable_above_allocatable: gates.version.request_above_allocatable_unresolvable(),
            scorer: ResourceAllocationScorer::new(name, &strategy.resources, false, scorer),
        })
    }
}

/// The names as a set.
fn name_set(names: Vec<String>) -> SortedSet<String> {
    let mut set = SortedSet::new();
    for n in names {
        set.insert(n);
    }
    set
}

crate::scheduler::framework::plugin!(
    Fit,
    names::NODE_RESOURCES_FIT,
    [PreFilter, Filter, PreScore, Score]
);

/// PreFilter's state: the pod's request (`preFilterState`); scalar
/// resources requested at 0 are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreFilterState {
    /// The request.
    pub request: Resource,
}

/// `computePodResourceRequest`: `PodRequests` (pod-level resources when
/// enabled, overhead included), kept as `SetMaxResource` keeps it: negative
/// and zero scalar amounts dropped.
pub fn compute_pod_resource_request(pod: &Pod, enable_pod_level_resources: bool) -> Resource {
    let reqs = pod_requests(
        pod,
        &PodResourcesOptions {
            skip_pod_level_resources: !enable_pod_level_resources,
            ..PodResourcesOptions::default()
        },
    );
    let mut r = Resource::default();
    let value = |q: &Quantity| {
        q.value()
            .unwrap_or(if q.signum().is_lt() { 0 } else { i64::MAX })
    };
    for (name, q) in &reqs {
        match name.as_str() {
            "cpu" => {
                let v = q
                    .milli_value()
                    .unwrap_or(if q.signum().is_lt() { 0 } else { i64::MAX });
                r.milli_cpu = r.milli_cpu.max(v);
            }
            "memory" => r.memory = r.memory.max(value(q)),
            "ephemeral-storage" => r.ephemeral_storage = r.ephemeral_storage.max(value(q)),
            "pods" => r.allowed_pod_number = r.allowed_pod_number.max(value(q)),
            n if is_scalar_resource_name(n) => {
                let v = value(q);
                if v > 0 {
                    r.scalar_resources.insert(n.to_owned(), v);
                }
            }
            _ => {}
        }
    }
    r
}

fn has_restartable_init_container(pod: &Pod) -> bool {
    pod.spec.init_containers.iter().any(|c| c.is_restartable())
}

/// A resource the node is short of (`InsufficientResource`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsufficientResource {
    /// The resource (`pods`, `cpu`, `nvidia.com/gpu`...).
    pub resource_name: Reason,
    /// The Filter reason (`Too many pods`, `Insufficient cpu`...).
    pub reason: Reason,
    /// What the pod requests.
    pub requested: i64,
    /// What the node's pods already request.
    pub used: i64,
    /// The node's allocatable amount.
    pub capacity: i64,
    /// Whether the request exceeds the allocatable amount itself (no
    /// preemption can help).
    pub unresolvable: bool,
}

impl InsufficientResource {
    fn new(
        name: impl Into<Reason>,
        reason: impl Into<Reason>,
        requested: i64,
        used: i64,
        capacity: i64,
    ) -> Self {
        InsufficientResource {
            resource_name: name.into(),
            reason: reason.into(),
            requested,
            used,
            capacity,
            unresolvable: requested > capacity,
        }
    }
}

/// `fitsRequest`: every resource the node is short of, in upstream's order:
/// pods, cpu, memory, ephemeral-storage, then scalar resources by name.
/// Allocates only when something is short.
pub fn fits_request(
    request: &Resource,
    node: &NodeInfo,
    ignored_resources: &SortedSet<String>,
    ignored_resource_groups: &SortedSet<String>,
) -> Vec<InsufficientResource> {
    let mut out = Vec::new();
    let alloc = &node.allocatable;
    let used = &node.requested;
    let pods = i64::try_from(node.pods.len()).unwrap_or(i64::MAX);
    if pods.saturating_add(1) > alloc.allowed_pod_number {
        out.push(InsufficientResource {
            resource_name: Reason::Borrowed("pods"),
            reason: Reason::Borrowed(REASON_TOO_MANY_PODS),
            requested: 1,
            used: pods,
            capacity: alloc.allowed_pod_number,
            unresolvable: false,
        });
    }
    if request.milli_cpu == 0
        && request.memory == 0
        && request.ephemeral_storage == 0
        && request.scalar_resources.is_empty()
    {
        return out;
    }
    let free = |a: i64, u: i64| a.saturating_sub(u);
    if request.milli_cpu > 0 && request.milli_cpu > free(alloc.milli_cpu, used.milli_cpu) {
        out.push(InsufficientResource::new(
            "cpu",
            "Insufficient cpu",
            request.milli_cpu,
            used.milli_cpu,
            alloc.milli_cpu,
        ));
    }
    if request.memory > 0 && request.memory > free(alloc.memory, used.memory) {
        out.push(InsufficientResource::new(
            "memory",
            "Insufficient memory",
            request.memory,
            used.memory,
            alloc.memory,
        ));
    }
    if request.ephemeral_storage > 0
        && request.ephemeral_storage > free(alloc.ephemeral_storage, used.ephemeral_storage)
    {
        out.push(InsufficientResource::new(
            "ephemeral-storage",
            "Insufficient ephemeral-storage",
            request.ephemeral_storage,
            used.ephemeral_storage,
            alloc.ephemeral_storage,
        ));
    }
    for (name, &quantity) in &request.scalar_resources {
        if quantity == 0 {
            continue;
        }
        if is_extended_resource_name(name) {
            let group = name.split('/').next().unwrap_or("");
            if ignored_resources.contains(name) || ignored_resource_groups.contains(group) {
                continue;
            }
        }
        // DRA-backed extended resources (DRAExtendedResource) are left to
        // DynamicResources only when a DeviceClass maps them; kubelogic's
        // snapshot holds no DeviceClasses, so every one is checked here.
        let a = alloc.scalar_resources.get(name).copied().unwrap_or(0);
        let u = used.scalar_resources.get(name).copied().unwrap_or(0);
        if quantity > free(a, u) {
            out.push(InsufficientResource::new(
                name.clone(),
                format!("Insufficient {name}"),
                quantity,
                u,
                a,
            ));
        }
    }
    out
}

/// Whether a request of native resources only (no scalar resources)
/// certainly fits: the common case, decided without building the list of
/// [`fits_request`].
fn fits_native(request: &Resource, node: &NodeInfo) -> bool {
    let alloc = &node.allocatable;
    let used = &node.requested;
    let pods = i64::try_from(node.pods.len()).unwrap_or(i64::MAX);
    let fits = |r: i64, a: i64, u: i64| r <= 0 || r <= a.saturating_sub(u);
    request.scalar_resources.is_empty()
        && pods.saturating_add(1) <= alloc.allowed_pod_number
        && fits(request.milli_cpu, alloc.milli_cpu, used.milli_cpu)
        && fits(request.memory, alloc.memory, used.memory)
        && fits(
            request.ephemeral_storage,
            alloc.ephemeral_storage,
            used.ephemeral_storage,
        )
}

/// `Fits`: [`fits_request`] for a pod (no ignored resources).
pub fn fits(pod: &Pod, node: &NodeInfo, gates: &FeatureGates) -> Vec<InsufficientResource> {
    fits_request(
        &compute_pod_resource_request(pod, gates.pod_level_resources),
        node,
        &SortedSet::new(),
        &SortedSet::new(),
    )
}

/// The Filter status for what [`fits_request`] found (current upstream).
pub fn status_of(insufficient: &[InsufficientResource]) -> Status {
    status_of_at(insufficient, true)
}

/// [`status_of`], with `UnschedulableAndUnresolvable` for a request above
/// allocatable only when `unresolvable_above_allocatable` (since v1.35).
pub fn status_of_at(
    insufficient: &[InsufficientResource],
    unresolvable_above_allocatable: bool,
) -> Status {
    if insufficient.is_empty() {
        return Status::success();
    }
    let code = if unresolvable_above_allocatable && insufficient.iter().any(|r| r.unresolvable) {
        Code::UnschedulableAndUnresolvable
    } else {
        Code::Unschedulable
    };
    Status::with_reasons(code, insufficient.iter().map(|r| r.reason.clone()))
}

impl PreFilterPlugin for Fit {
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _snapshot: &Snapshot,
    ) -> (Option<PreFilterResult>, Status) {
        if !self.enable_sidecar_containers && has_restartable_init_container(&pod.pod) {
            return (None, Status::unresolvable(ERR_REASON_SIDECARS_DISABLED));
        }
        state.write(PreFilterState {
            request: compute_pod_resource_request(&pod.pod, self.enable_pod_level_resources),
        });
        (None, Status::success())
    }
}

impl FilterPlugin for Fit {
    fn filter(&self, state: &CycleState, _pod: &PodInfo, node: &NodeInfo) -> Status {
        let Some(s) = state.read::<PreFilterState>() else {
            return missing_state("PreFilterNodeResourcesFit");
        };
        self.filter_with(s, node)
    }

    fn filter_nodes(
        &self,
        state: &CycleState,
        _pod: &PodInfo,
        nodes: &[&NodeInfo],
        rejected: &mut Vec<(usize, Status)>,
    ) {
        let Some(s) = state.read::<PreFilterState>() else {
            rejected
                .extend((0..nodes.len()).map(|k| (k, missing_state("PreFilterNodeResourcesFit"))));
            return;
        };
        for (k, node) in nodes.iter().enumerate() {
            if fits_native(&s.request, node) {
                continue;
            }
            let status = self.filter_with(s, node);
            if !status.is_success() {
                rejected.push((k, status));
            }
        }
    }
}

impl Fit {
    /// The Filter with the PreFilter state in hand.
    fn filter_with(&self, s: &PreFilterState, node: &NodeInfo) -> Status {
        if fits_native(&s.request, node) {
            return Status::success();
        }
        status_of_at(
            &fits_request(
                &s.request,
                node,
                &self.ignored_resources,
                &self.ignored_resource_groups,
            ),
            self.unresolvable_above_allocatable,
        )
    }
}

/// PreScore's state: the pod's non-zero request of each scored resource.
#[derive(Clone, Debug, Default)]
pub struct PreScoreState {
    /// `podRequests`, in the strategy's resource order.
    pub pod_requests: Vec<i64>,
}

impl PreScorePlugin for Fit {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _nodes: &[&NodeInfo],
        _snapshot: &Snapshot,
    ) -> Status {
        state.write(PreScoreState {
            pod_requests: self.scorer.pod_requests(pod),
        });
        Status::success()
    }
}

impl Fit {
    /// The pod's non-zero requests of the scored resources (PreScore's).
    fn pod_requests<'a>(&self, state: &'a CycleState, pod: &PodInfo) -> Cow<'a, [i64]> {
        let prescored = state
            .read::<PreScoreState>()
            .map(|s| s.pod_requests.as_slice());
        self.scorer.pod_requests_or(prescored, pod)
    }
}

impl ScorePlugin for Fit {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        self.scorer.score(node, &self.pod_requests(state, pod))
    }

    fn score_nodes(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        self.scorer
            .score_nodes(nodes, &self.pod_requests(state, pod), scores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(args: Value) -> ConfigError {
        Fit::new(Some(&args), &FeatureGates::default()).unwrap_err()
    }

    #[test]
    fn args_validation() {
        let e = err(json!({"scoringStrategy": {"type": "MostAllocated",
                                               "resources": [{"name": "memory", "weight": 101}]}}));
        assert_eq!(
            (e.field.as_str(), e.error_type.as_str()),
            ("scoringStrategy.resources[0].weight", "FieldValueInvalid")
        );
        let e = err(json!({"scoringStrategy": {"type": "Balanced"}}));
        assert_eq!(
            (e.field.as_str(), e.error_type.as_str()),
            ("scoringStrategy.type", "FieldValueNotSupported")
        );
        let e = err(
            json!({"scoringStrategy": {"type": "RequestedToCapacityRatio",
                                               "requestedToCapacityRatio": {"shape": []}}}),
        );
        assert_eq!(
            (e.field.as_str(), e.error_type.as_str()),
            ("scoringStrategy.shape", "FieldValueRequired")
        );
        let e = err(
            json!({"scoringStrategy": {"type": "RequestedToCapacityRatio",
            "requestedToCapacityRatio": {"shape": [{"utilization": 50, "score": 1}, {"utilization": 50, "score": 2}]}}}),
        );
        assert_eq!(e.field, "scoringStrategy.shape[1].utilization");
        let e = err(
            json!({"scoringStrategy": {"type": "RequestedToCapacityRatio",
            "requestedToCapacityRatio": {"shape": [{"utilization": 0, "score": 11}]}}}),
        );
        assert_eq!(e.field, "scoringStrategy.shape[0].score");
        let e = err(json!({"ignoredResourceGroups": ["example.com/x"]}));
        assert_eq!(e.field, "ignoredResourceGroups[0]");
        let e = err(json!({"ignoredResources": ["bad name!"]}));
        assert_eq!(e.field, "ignoredResources[0]");
        // Weight 0 is defaulted to 1, an empty list to cpu and memory.
        assert!(Fit::new(
            Some(&json!({"scoringStrategy": {"type": "LeastAllocated",
            "resources": [{"name": "cpu"}]}})),
            &FeatureGates::default()
        )
        .is_ok());
    }

    #[test]
    fn sidecars_disabled_reject_restartable_init_containers() {
        let gates = FeatureGates {
            sidecar_containers: false,
            ..FeatureGates::default()
        };
        let fit = Fit::new(None, &gates).unwrap();
        let pod: Pod = serde_json::from_value(json!({"spec": {"initContainers": [
            {"name": "s", "restartPolicy": "Always"}], "containers": [{"name": "c"}]}}))
        .unwrap();
        let mut state = CycleState::new();
        let (_, s) = fit.pre_filter(&mut state, &PodInfo::new(pod, &gates), &Snapshot::default());
        assert_eq!(s, Status::unresolvable(ERR_REASON_SIDECARS_DISABLED));
    }

    #[test]
    fn reasons_in_upstream_order() {
        let gates = FeatureGates::default();
        let node: crate::model::Node = serde_json::from_value(json!({"metadata": {"name": "n"},
            "status": {"allocatable": {"cpu": "1", "memory": "1Gi", "pods": "0",
                                       "ephemeral-storage": "1Gi", "b.com/y": "1", "a.com/x": "1"}}}))
        .unwrap();
        let pod: Pod = serde_json::from_value(json!({"spec": {"containers": [{"name": "c",
            "resources": {"requests": {"cpu": "500m", "memory": "2Gi", "ephemeral-storage": "2Gi",
                                       "b.com/y": "2", "a.com/x": "1"}}}]}}))
        .unwrap();
        let short = fits(&pod, &NodeInfo::new(node), &gates);
        let reasons: Vec<&str> = short.iter().map(|r| r.reason.as_ref()).collect();
        assert_eq!(
            reasons,
            [
                "Too many pods",
                "Insufficient memory",
                "Insufficient ephemeral-storage",
                "Insufficient b.com/y"
            ]
        );
        assert_eq!(status_of(&short).code, Code::UnschedulableAndUnresolvable);
    }
}
