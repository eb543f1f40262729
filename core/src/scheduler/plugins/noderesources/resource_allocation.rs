//! `resourceAllocationScorer`: for each configured resource, the node's
//! allocatable amount and what would be requested with the incoming pod on
//! it, handed to a strategy that turns them into a 0..=100 score.
//!
//! NodeResourcesFit scores with the non-zero requests (100m cpu / 200Mi
//! memory for containers that name none); BalancedAllocation with the true
//! requests (`useRequested`). An extended resource the pod does not request,
//! or that the node does not have, is left out, as is a negative amount
//! (impossible through the API; upstream would score it out of range).

use std::borrow::Cow;

use crate::scheduler::framework::{mul_saturating, NodeScore, Status};
use crate::scheduler::snapshot::{is_scalar_resource_name, NodeInfo, PodInfo};

use super::ResourceSpec;

/// How a resource name is looked up in a [`crate::scheduler::Resource`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    /// `cpu` (millicores).
    Cpu,
    /// `memory`.
    Memory,
    /// `ephemeral-storage`.
    EphemeralStorage,
    /// An extended, hugepages or prefixed native resource.
    Scalar,
    /// Anything else (never scored).
    Other,
}

impl ResourceKind {
    /// `cpu`, `memory` or `ephemeral-storage`: a field of every
    /// [`crate::scheduler::Resource`].
    pub fn is_native(self) -> bool {
        matches!(
            self,
            ResourceKind::Cpu | ResourceKind::Memory | ResourceKind::EphemeralStorage
        )
    }

    /// The kind of a resource name.
    pub fn of(name: &str) -> Self {
        match name {
            "cpu" => ResourceKind::Cpu,
            "memory" => ResourceKind::Memory,
            "ephemeral-storage" => ResourceKind::EphemeralStorage,
            n if is_scalar_resource_name(n) => ResourceKind::Scalar,
            _ => ResourceKind::Other,
        }
    }
}

/// A configured resource resolved for scoring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoredResource {
    /// The name.
    pub name: String,
    /// How to look it up.
    pub kind: ResourceKind,
    /// The weight.
    pub weight: i64,
}

/// The strategy that turns `(requested, allocatable)` pairs into a score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scorer {
    /// `leastResourceScorer`.
    LeastAllocated,
    /// `mostResourceScorer`.
    MostAllocated,
    /// `requestedToCapacityRatioScorer` with the shape scaled to 0..=100.
    RequestedToCapacityRatio(Vec<super::requested_to_capacity_ratio::FunctionShapePoint>),
    /// `balancedResourceScorer`.
    Balanced,
}

/// `resourceAllocationScorer`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceAllocationScorer {
    /// The strategy's name (for messages).
    pub name: &'static str,
    /// The resources, in configuration order.
    pub resources: Vec<ScoredResource>,
    /// Whether to use true requests (BalancedAllocation) rather than the
    /// non-zero ones (NodeResourcesFit).
    pub use_requested: bool,
    /// The strategy.
    pub scorer: Scorer,
}

/// Resources handled without allocating; more fall back to the heap.
const INLINE_RESOURCES: usize = 8;

impl ResourceAllocationScorer {
    /// A scorer over `resources`.
    pub fn new(
        name: &'static str,
        resources: &[ResourceSpec],
        use_requested: bool,
        scorer: Scorer,
    ) -> Self {
        ResourceAllocationScorer {
            name,
            resources: resources
                .iter()
                .map(|r| ScoredResource {
                    name: r.name.clone(),
                    kind: ResourceKind::of(&r.name),
                    weight: r.weight,
                })
                .collect(),
            use_requested,
            scorer,
        }
    }

    /// `calculatePodResourceRequestList`: the pod's request of each
    /// configured resource (non-zero defaults unless `use_requested`).
    pub fn pod_requests(&self, pod: &PodInfo) -> Vec<i64> {
        let requests = if self.use_requested {
            &pod.requests
        } else {
            &pod.non_zero_requests
        };
        self.resources
            .iter()
            .map(|r| requests.get(&r.name))
            .collect()
    }

    /// The pod's requests as PreScore stored them, or computed when PreScore
    /// did not run (Score called on its own).
    pub fn pod_requests_or<'a>(
        &self,
        prescored: Option<&'a [i64]>,
        pod: &PodInfo,
    ) -> Cow<'a, [i64]> {
        match prescored {
            Some(r) => Cow::Borrowed(r),
            None => Cow::Owned(self.pod_requests(pod)),
        }
    }

    /// `calculateResourceAllocatableRequest`: the node's allocatable amount
    /// and the requested amount with the pod, or `(0, 0)` when the resource
    /// is left out.
    pub fn allocatable_request(
        &self,
        node: &NodeInfo,
        resource: &ScoredResource,
        pod_request: i64,
    ) -> (i64, i64) {
        match resource.kind {
            kind @ (ResourceKind::Cpu | ResourceKind::Memory | ResourceKind::EphemeralStorage) => {
                self.native_allocatable_request(node, kind, pod_request)
            }
            ResourceKind::Scalar if pod_request != 0 => {
                let alloc = &node.allocatable;
                match alloc.scalar_resources.get(&resource.name) {
                    Some(&a) => (
                        a,
                        node.requested
                            .scalar_resources
                            .get(&resource.name)
                            .copied()
                            .unwrap_or(0)
                            .saturating_add(pod_request),
                    ),
                    None => (0, 0),
                }
            }
            ResourceKind::Scalar | ResourceKind::Other => (0, 0),
        }
    }

    /// [`ResourceAllocationScorer::allocatable_request`] of `cpu`, `memory`
    /// or `ephemeral-storage` (`(0, 0)` for any other kind).
    #[inline(always)]
    fn native_allocatable_request(
        &self,
        node: &NodeInfo,
        kind: ResourceKind,
        pod_request: i64,
    ) -> (i64, i64) {
        let requested = if self.use_requested {
            &node.requested
        } else {
            &node.non_zero_requested
        };
        let alloc = &node.allocatable;
        match kind {
            ResourceKind::Cpu => (
                alloc.milli_cpu,
                requested.milli_cpu.saturating_add(pod_request),
            ),
            ResourceKind::Memory => (alloc.memory, requested.memory.saturating_add(pod_request)),
            ResourceKind::EphemeralStorage => (
                alloc.ephemeral_storage,
                node.requested.ephemeral_storage.saturating_add(pod_request),
            ),
            ResourceKind::Scalar | ResourceKind::Other => (0, 0),
        }
    }

    /// `score`: the strategy applied to every resource of the node.
    pub fn score(&self, node: &NodeInfo, pod_requests: &[i64]) -> Result<i64, Status> {
        if self.resources.is_empty() {
            return Err(Status::error("resources not found"));
        }
        let n = self.resources.len();
        if n <= INLINE_RESOURCES {
            let mut requested = [0i64; INLINE_RESOURCES];
            let mut allocatable = [0i64; INLINE_RESOURCES];
            let (Some(req), Some(alloc)) = (requested.get_mut(..n), allocatable.get_mut(..n))
            else {
                return Err(Status::error("resources not found"));
            };
            self.fill(node, pod_requests, req, alloc);
            Ok(self.apply(req, alloc))
        } else {
            let mut req = vec![0i64; n];
            let mut alloc = vec![0i64; n];
            self.fill(node, pod_requests, &mut req, &mut alloc);
            Ok(self.apply(&req, &alloc))
        }
    }

    /// [`ResourceAllocationScorer::score`] for every node of `nodes` into
    /// the matching entry of `scores` (the strategy chosen once, not per node).
    pub fn score_nodes(
        &self,
        nodes: &[&NodeInfo],
        pod_requests: &[i64],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        if self.resources.is_empty() {
            return Err(Status::error("resources not found"));
        }
        match &self.scorer {
            Scorer::LeastAllocated => self.score_each(nodes, pod_requests, scores, &Least),
            Scorer::MostAllocated => self.score_each(nodes, pod_requests, scores, &Most),
            Scorer::RequestedToCapacityRatio(shape) => {
                self.score_each(nodes, pod_requests, scores, &Ratio(shape))
            }
            Scorer::Balanced => self.score_each(nodes, pod_requests, scores, &Balanced),
        }
        Ok(())
    }

    /// Fills the (requested, allocatable) pairs of each node and applies
    /// `strategy` (monomorphised per strategy, so it inlines).
    fn score_each<S: Strategy>(
        &self,
        nodes: &[&NodeInfo],
        pod_requests: &[i64],
        scores: &mut [NodeScore<'_>],
        strategy: &S,
    ) {
        let n = self.resources.len();
        let weights: Vec<i64> = self.weights().collect();
        // Up to three of cpu, memory and ephemeral-storage (the default is
        // cpu and memory): fixed-size arrays, loops the compiler unrolls.
        if self.resources.iter().all(|r| r.kind.is_native()) {
            let kinds: Vec<ResourceKind> = self.resources.iter().map(|r| r.kind).collect();
            let batch = (weights.as_slice(), nodes, pod_requests);
            if let Ok(kinds) = <[ResourceKind; 2]>::try_from(kinds.as_slice()) {
                return self.score_native(kinds, batch, scores, strategy);
            } else if let Ok(kinds) = <[ResourceKind; 1]>::try_from(kinds.as_slice()) {
                return self.score_native(kinds, batch, scores, strategy);
            } else if let Ok(kinds) = <[ResourceKind; 3]>::try_from(kinds.as_slice()) {
                return self.score_native(kinds, batch, scores, strategy);
            }
        }
        let mut requested = vec![0i64; n.saturating_sub(INLINE_RESOURCES)];
        let mut allocatable = vec![0i64; n.saturating_sub(INLINE_RESOURCES)];
        let mut req_inline = [0i64; INLINE_RESOURCES];
        let mut alloc_inline = [0i64; INLINE_RESOURCES];
        let (req, alloc): (&mut [i64], &mut [i64]) = if n <= INLINE_RESOURCES {
            match (req_inline.get_mut(..n), alloc_inline.get_mut(..n)) {
                (Some(r), Some(a)) => (r, a),
                _ => return,
            }
        } else {
            requested.resize(n, 0);
            allocatable.resize(n, 0);
            (&mut requested, &mut allocatable)
        };
        for (node, slot) in nodes.iter().zip(scores.iter_mut()) {
            self.fill(node, pod_requests, req, alloc);
            slot.score = strategy.score(&weights, req, alloc);
        }
    }

    /// `score_each` for `N` native resources of the given kinds, the batch
    /// being (weights, nodes, the pod's requests).
    #[inline(always)]
    fn score_native<const N: usize, S: Strategy>(
        &self,
        kinds: [ResourceKind; N],
        (weights, nodes, pod_requests): (&[i64], &[&NodeInfo], &[i64]),
        scores: &mut [NodeScore<'_>],
        strategy: &S,
    ) {
        let mut pod = [0i64; N];
        pod.iter_mut().zip(pod_requests).for_each(|(p, r)| *p = *r);
        for (node, slot) in nodes.iter().zip(scores.iter_mut()) {
            let mut req = [0i64; N];
            let mut alloc = [0i64; N];
            // Index loops over the fixed-size arrays (`i < N`: in bounds), so
            // that no iterator adapter is left out of line in size-optimised
            // builds.
            #[allow(clippy::indexing_slicing)]
            for i in 0..N {
                let (al, rq) = self.native_allocatable_request(node, kinds[i], pod[i]);
                // As `fill`.
                (alloc[i], req[i]) = if al > 0 { (al, rq.max(0)) } else { (0, 0) };
            }
            slot.score = strategy.score(weights, &req, &alloc);
        }
    }

    fn fill(&self, node: &NodeInfo, pod_requests: &[i64], req: &mut [i64], alloc: &mut [i64]) {
        let pod_requests = pod_requests.iter().copied().chain(std::iter::repeat(0));
        for (((r, res), a), pr) in req
            .iter_mut()
            .zip(&self.resources)
            .zip(alloc.iter_mut())
            .zip(pod_requests)
        {
            let (al, rq) = self.allocatable_request(node, res, pr);
            // An entry counts only when the resource is allocatable on the
            // node (both 0 otherwise). Negative amounts (which the API
            // rejects) count as nothing, so every strategy stays within 0..=100.
            (*a, *r) = if al > 0 { (al, rq.max(0)) } else { (0, 0) };
        }
    }

    fn weights(&self) -> impl Iterator<Item = i64> + '_ {
        self.resources.iter().map(|r| r.weight)
    }

    fn apply(&self, requested: &[i64], allocatable: &[i64]) -> i64 {
        match &self.scorer {
            Scorer::LeastAllocated => super::least_allocated::least_resource_scorer(
                self.weights(),
                requested,
                allocatable,
            ),
            Scorer::MostAllocated => {
                super::most_allocated::most_resource_scorer(self.weights(), requested, allocatable)
            }
            Scorer::RequestedToCapacityRatio(shape) => {
                super::requested_to_capacity_ratio::requested_to_capacity_ratio_scorer(
                    shape,
                    self.weights(),
                    requested,
                    allocatable,
                )
            }
            Scorer::Balanced => {
                super::balanced_allocation::balanced_resource_scorer(requested, allocatable)
            }
        }
    }
}

/// `isBestEffortPod`: every configured request is zero.
pub fn is_best_effort_pod(pod_requests: &[i64]) -> bool {
    pod_requests.iter().all(|r| *r == 0)
}

/// A scoring strategy, as a type: `score_each` is monomorphised per
/// strategy and the call inlines (a closure or function item would be left
/// out of line, one call per node, in size-optimised builds).
trait Strategy {
    /// The node's score from the configured weights and the per-resource
    /// requested and allocatable amounts.
    fn score(&self, weights: &[i64], requested: &[i64], allocatable: &[i64]) -> i64;
}

struct Least;
struct Most;
struct Balanced;
struct Ratio<'a>(&'a [super::requested_to_capacity_ratio::FunctionShapePoint]);

impl Strategy for Least {
    #[inline(always)]
    fn score(&self, w: &[i64], r: &[i64], a: &[i64]) -> i64 {
        super::least_allocated::least_resource_scorer(w.iter().copied(), r, a)
    }
}

impl Strategy for Most {
    #[inline(always)]
    fn score(&self, w: &[i64], r: &[i64], a: &[i64]) -> i64 {
        super::most_allocated::most_resource_scorer(w.iter().copied(), r, a)
    }
}

impl Strategy for Balanced {
    #[inline(always)]
    fn score(&self, _: &[i64], r: &[i64], a: &[i64]) -> i64 {
        super::balanced_allocation::balanced_resource_scorer(r, a)
    }
}

impl Strategy for Ratio<'_> {
    fn score(&self, w: &[i64], r: &[i64], a: &[i64]) -> i64 {
        super::requested_to_capacity_ratio::requested_to_capacity_ratio_scorer(
            self.0,
            w.iter().copied(),
            r,
            a,
        )
    }
}

/// The weighted integer mean of `per_resource(requested, allocatable)` over
/// the resources with a non-zero allocatable amount (0 when there is none):
/// the shared body of upstream's `leastResourceScorer` and `mostResourceScorer`.
#[inline(always)]
pub fn weighted_resource_score(
    weights: impl Iterator<Item = i64>,
    requested: &[i64],
    allocatable: &[i64],
    per_resource: fn(i64, i64) -> i64,
) -> i64 {
    let mut node_score: i64 = 0;
    let mut weight_sum: i64 = 0;
    for ((w, r), a) in weights.zip(requested).zip(allocatable) {
        if *a == 0 {
            continue;
        }
        node_score = node_score.saturating_add(mul_saturating(per_resource(*r, *a), w));
        weight_sum = weight_sum.saturating_add(w);
    }
    if weight_sum == 0 {
        return 0;
    }
    div_truncating(node_score, weight_sum)
}

/// `n / d` truncated toward zero (Go's integer division), `d > 0`: a shift
/// when `d` is a power of two and `n` is not negative (the default weights
/// sum to 2), a division otherwise.
#[inline(always)]
fn div_truncating(n: i64, d: i64) -> i64 {
    if n >= 0 && d > 0 && d & (d - 1) == 0 {
        n >> d.trailing_zeros()
    } else {
        n.checked_div(d).unwrap_or(0)
    }
}
