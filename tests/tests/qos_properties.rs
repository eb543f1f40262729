//! Property tests of QoS, OOM score and pod resource totals over arbitrary
//! pods (quickcheck).

use kubelogic::model::{
    ClaimOverhead, ContainerStatus, PodCondition, ResourceMapping, ResourceRequirements,
};
use kubelogic::model::{
    Container, NodeAllocatableResourceClaimStatus, Pod, QosClass, ResourceList,
};
use kubelogic::qos;
use kubelogic::resources::{self, PodResourcesOptions};
use kubelogic::scheduler::types::calculate_resource;
use kubelogic::Quantity;
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};

const NAMES: &[&str] = &[
    "cpu",
    "memory",
    "hugepages-2Mi",
    "nvidia.com/gpu",
    "ephemeral-storage",
];
const AMOUNTS: &[&str] = &[
    "0",
    "1",
    "100m",
    "250m",
    "2",
    "64Mi",
    "1Gi",
    "1536Mi",
    "3500m",
    "-1",
    "9223372036854775807",
    "1E",
    "1n",
];

fn quantity(g: &mut Gen) -> Quantity {
    let s = g.choose(AMOUNTS).copied().unwrap_or("0");
    Quantity::parse(s).unwrap()
}

fn list(g: &mut Gen) -> ResourceList {
    let n = usize::arbitrary(g) % 4;
    (0..n)
        .map(|_| {
            (
                g.choose(NAMES).copied().unwrap_or("cpu").to_owned(),
                quantity(g),
            )
        })
        .collect()
}

fn requirements(g: &mut Gen) -> ResourceRequirements {
    let mut r = ResourceRequirements {
        requests: list(g),
        limits: list(g),
        claims: Vec::new(),
    };
    // Often make a container Guaranteed-shaped.
    if bool::arbitrary(g) {
        r.limits = r.requests.clone();
    }
    r
}

fn container(g: &mut Gen, name: String, init: bool) -> Container {
    Container {
        name,
        resources: requirements(g),
        restart_policy: (init && bool::arbitrary(g)).then(|| "Always".to_owned()),
        ..Container::default()
    }
}

/// An arbitrary pod: up to 4 containers and 3 init containers (some of them
/// sidecars), random cpu/memory/other requests and limits, sometimes
/// pod-level resources, overhead, priority, resize status and DRA claims.
#[derive(Clone, Debug)]
struct ArbPod(Pod);

impl Arbitrary for ArbPod {
    fn arbitrary(g: &mut Gen) -> Self {
        let mut pod = Pod::default();
        let n = usize::arbitrary(g) % 5;
        pod.spec.containers = (0..n)
            .map(|i| container(g, format!("c{i}"), false))
            .collect();
        let m = usize::arbitrary(g) % 4;
        pod.spec.init_containers = (0..m)
            .map(|i| container(g, format!("i{i}"), true))
            .collect();
        if u8::arbitrary(g) % 3 == 0 {
            pod.spec.resources = Some(requirements(g));
        }
        if bool::arbitrary(g) {
            pod.spec.overhead = list(g);
        }
        if u8::arbitrary(g) % 4 == 0 {
            pod.spec.priority = Some(2_000_001_000);
            pod.spec.priority_class_name = Some("system-node-critical".into());
        }
        if u8::arbitrary(g) % 4 == 0 {
            pod.status.conditions.push(PodCondition {
                type_: "PodResizePending".into(),
                reason: Some(
                    g.choose(&["Infeasible", "Deferred"])
                        .copied()
                        .unwrap_or("")
                        .into(),
                ),
                ..PodCondition::default()
            });
        }
        if u8::arbitrary(g) % 3 == 0 {
            let names: Vec<String> = pod.all_containers().map(|c| c.name.clone()).collect();
            for name in names {
                let status = ContainerStatus {
                    name,
                    allocated_resources: list(g),
                    resources: bool::arbitrary(g).then(|| requirements(g)),
                    ..ContainerStatus::default()
                };
                pod.status.container_statuses.push(status);
            }
            if bool::arbitrary(g) {
                pod.status.resources = Some(requirements(g));
                pod.status.allocated_resources = list(g);
            }
        }
        if u8::arbitrary(g) % 4 == 0 {
            pod.status.node_allocatable_resource_claim_statuses.push(
                NodeAllocatableResourceClaimStatus {
                    resource_claim_name: "claim".into(),
                    containers: vec!["c0".into(), "ghost".into()],
                    mapping: vec![ResourceMapping {
                        name: "memory".into(),
                        quantity: quantity(g),
                    }],
                    overhead: vec![ClaimOverhead {
                        name: "cpu".into(),
                        per_pod: Some(quantity(g)),
                        per_container: Some(quantity(g)),
                    }],
                },
            );
        }
        ArbPod(pod)
    }
}

fn qc() -> QuickCheck {
    QuickCheck::new().tests(2000).max_tests(20000)
}

fn qos_never_panics_and_oom_is_in_range(p: ArbPod, capacity: u32, gates: u8) -> bool {
    let pod = p.0;
    let mut opts = kubelogic::FeatureGates::default();
    opts.pod_level_resources = gates & 1 != 0;
    opts.kubelet_oom_score_adj_tie_break = gates & 2 != 0;
    opts.dra_node_allocatable_resources = gates & 4 != 0;
    let _ = qos::explain_with(&pod, opts.pod_level_resources);
    let capacity = i64::from(capacity).max(1) * 1024;
    let in_range = pod.all_containers().all(|c| {
        let adj = qos::oom_score_adj(&pod, &c.name, capacity, &opts).unwrap();
        (-997..=1000).contains(&adj)
    });
    in_range
}

#[test]
fn prop_qos_never_panics_and_oom_is_in_range() {
    qc().quickcheck(qos_never_panics_and_oom_is_in_range as fn(ArbPod, u32, u8) -> bool);
}

fn guaranteed(r: &ResourceRequirements) -> bool {
    ["cpu", "memory"].iter().all(|n| {
        matches!((r.requests.get(*n), r.limits.get(*n)), (Some(q), Some(l)) if q == l && !q.is_zero())
    })
}

fn guaranteed_means_requests_equal_limits(p: ArbPod, gate: bool) -> TestResult {
    let pod = p.0;
    if qos::compute_pod_qos(&pod, gate) != QosClass::Guaranteed {
        return TestResult::discard();
    }
    let ok = match (&pod.spec.resources, gate) {
        (Some(r), true) => guaranteed(r),
        _ => {
            pod.all_containers().count() > 0
                && pod.all_containers().all(|c| guaranteed(&c.resources))
        }
    };
    TestResult::from_bool(ok)
}

#[test]
fn prop_guaranteed_means_requests_equal_limits() {
    qc().quickcheck(guaranteed_means_requests_equal_limits as fn(ArbPod, bool) -> TestResult);
}

fn adding_to_best_effort_leaves_best_effort(
    p: ArbPod,
    gate: bool,
    limit: bool,
    memory: bool,
) -> TestResult {
    let mut pod = p.0;
    if qos::compute_pod_qos(&pod, gate) != QosClass::BestEffort {
        return TestResult::discard();
    }
    let name = if memory { "memory" } else { "cpu" };
    let q = Quantity::parse("100m").unwrap();
    let target = match (&mut pod.spec.resources, gate) {
        (Some(r), true) => r,
        _ => {
            if pod.spec.containers.is_empty() {
                pod.spec.containers.push(Container {
                    name: "added".into(),
                    ..Container::default()
                });
            }
            match pod.spec.containers.first_mut() {
                Some(c) => &mut c.resources,
                None => return TestResult::error("no container"),
            }
        }
    };
    let map = if limit {
        &mut target.limits
    } else {
        &mut target.requests
    };
    map.insert(name.to_owned(), q);
    TestResult::from_bool(qos::compute_pod_qos(&pod, gate) != QosClass::BestEffort)
}

#[test]
fn prop_adding_a_request_or_limit_leaves_best_effort() {
    qc().quickcheck(
        adding_to_best_effort_leaves_best_effort as fn(ArbPod, bool, bool, bool) -> TestResult,
    );
}

fn totals_never_panic(p: ArbPod, flags: u8) -> bool {
    let pod = p.0;
    let opts = PodResourcesOptions {
        use_status_resources: flags & 1 != 0,
        in_place_pod_level_resources_vertical_scaling_enabled: flags & 2 != 0,
        exclude_overhead: flags & 4 != 0,
        non_missing_container_requests: (flags & 8 != 0).then(|| {
            [("cpu".to_owned(), Quantity::parse("100m").unwrap())]
                .into_iter()
                .collect()
        }),
        skip_pod_level_resources: flags & 16 != 0,
        skip_container_level_resources: flags & 32 != 0,
        use_dra_node_allocatable_resource_claim_status: flags & 64 != 0,
    };
    let req = resources::pod_requests(&pod, &opts);
    let _ = resources::pod_limits(&pod, &opts);
    let _ = resources::try_pod_requests(&pod, &opts);
    let _ = calculate_resource(&pod, &kubelogic::FeatureGates::default());
    for r in NAMES {
        let _ = resources::get_resource_request(&pod, r, flags & 128 != 0);
    }
    // Every resource a container requests appears in the total (unless
    // skipped, or an infeasible resize drops the spec as upstream does),
    // never silently dropped.
    let kept = opts.skip_container_level_resources
        || (opts.use_status_resources && resources::is_pod_resize_infeasible(&pod))
        || pod
            .all_containers()
            .flat_map(|c| c.resources.requests.keys())
            .all(|k| req.contains_key(k));
    kept
}

#[test]
fn prop_totals_never_panic_and_keep_every_resource() {
    qc().quickcheck(totals_never_panic as fn(ArbPod, u8) -> bool);
}

/// Without sidecars, status or pod-level values, the request total is
/// max(sum of containers, max of init containers) + overhead, per resource.
fn classic_rule(p: ArbPod) -> TestResult {
    let mut pod = p.0;
    pod.spec.resources = None;
    pod.status = Default::default();
    for c in &mut pod.spec.init_containers {
        c.restart_policy = None;
    }
    let got = match resources::try_pod_requests(&pod, &PodResourcesOptions::default()) {
        Ok(g) => g,
        Err(_) => return TestResult::discard(),
    };
    let mut want = ResourceList::new();
    for c in &pod.spec.containers {
        for (k, v) in &c.resources.requests {
            let e = want.get(k).cloned().unwrap_or_else(Quantity::zero);
            want.insert(k.clone(), e.checked_add(v).unwrap());
        }
    }
    for c in &pod.spec.init_containers {
        for (k, v) in &c.resources.requests {
            match want.get_mut(k) {
                Some(e) if *e >= *v => {}
                Some(e) => *e = v.clone(),
                None => {
                    want.insert(k.clone(), v.clone());
                }
            }
        }
    }
    for (k, v) in &pod.spec.overhead {
        let e = want.get(k).cloned().unwrap_or_else(Quantity::zero);
        want.insert(k.clone(), e.checked_add(v).unwrap());
    }
    TestResult::from_bool(got == want)
}

#[test]
fn prop_classic_init_container_rule() {
    qc().quickcheck(classic_rule as fn(ArbPod) -> TestResult);
}
