//! The kubelet's documented node-pressure eviction behaviour, step by step:
//! a node with 8Gi of memory, `--eviction-hard=memory.available<100Mi`,
//! `--eviction-soft=memory.available<1.5Gi` with a `1m30s` grace period,
//! BestEffort, Burstable and Guaranteed pods and a critical static pod;
//! memory falls over several steps, then recovers.

use kubelogic::eviction::{
    ContainerStats, Duration, EvictionConfig, EvictionContainer, EvictionManager, EvictionPod,
    ManagerOptions, NodeConditionType, Observation, Observations, Outcome, PodStats, Signal,
    StepInput, StepResult,
};
use kubelogic::Quantity;

const MI: i64 = 1 << 20;
const GI: i64 = 1 << 30;

fn pod(name: &str, request: Option<&str>, usage_mi: i64, priority: i32) -> EvictionPod {
    let mut p = EvictionPod::new("default", name);
    p.priority = priority;
    let request = request.map(|r| Quantity::parse(r).expect("quantity"));
    p.best_effort = request.is_none();
    if let Some(r) = &request {
        p.memory_request = r.clone().into();
    }
    p.containers.push(EvictionContainer {
        name: name.to_owned(),
        memory_request: request,
        ..Default::default()
    });
    let ws = u64::try_from(usage_mi * MI).expect("positive");
    p.stats = Some(PodStats {
        memory_working_set: Some(ws),
        containers: vec![ContainerStats {
            name: name.to_owned(),
            memory_working_set: Some(ws),
            ..Default::default()
        }],
        ..Default::default()
    });
    p
}

fn memory(available: i64) -> Observations {
    [(
        Signal::MemoryAvailable,
        Observation {
            available,
            capacity: Some(8 * GI),
        },
    )]
    .into_iter()
    .collect()
}

fn step(m: &mut EvictionManager, secs: i64, available: i64, pods: &[EvictionPod]) -> StepResult {
    let obs = memory(available);
    m.step(&StepInput::new(Duration::from_secs(secs), &obs, pods))
}

fn names(pods: &[EvictionPod], gone: &[&str]) -> Vec<EvictionPod> {
    pods.iter()
        .filter(|p| !gone.contains(&p.name.as_str()))
        .cloned()
        .collect()
}

#[test]
fn memory_falls_then_recovers() {
    let config = EvictionConfig::from_flags([
        "--eviction-hard=memory.available<100Mi",
        "--eviction-soft=memory.available<1.5Gi",
        "--eviction-soft-grace-period=memory.available=1m30s",
        "--eviction-max-pod-grace-period=30",
        "--enforce-node-allocatable=",
    ])
    .expect("valid flags");
    assert_eq!(config.pressure_transition_period, Duration::from_secs(300));
    let mut m = EvictionManager::new(config, ManagerOptions::default()).expect("manager");

    let mut web = pod("web", Some("1Gi"), 1536, 0);
    web.best_effort = false;
    web.termination_grace_period_seconds = Some(10);
    let mut proxy = pod("kube-proxy", None, 200, 2_000_001_000);
    proxy.critical = true;
    let all = vec![
        pod("batch", None, 600, 0),      // BestEffort
        web,                             // Burstable, above its request
        pod("db", Some("2Gi"), 1843, 0), // Guaranteed, below its request
        proxy,                           // critical
    ];

    // t=0: plenty of memory.
    let r = step(&mut m, 0, 4 * GI, &all);
    assert!(r.thresholds.is_empty());
    assert!(r.conditions_in_effect().is_empty());
    assert!(r.taints.is_empty());
    assert_eq!(r.outcome, Outcome::NoThresholdPastGracePeriod);

    // t=10s: below the soft threshold; it waits out 1m30s. Pressure is reported at once.
    let r = step(&mut m, 10, 1200 * MI, &all);
    assert_eq!(
        r.conditions_in_effect(),
        [NodeConditionType::MemoryPressure]
    );
    assert_eq!(r.taints.len(), 1);
    assert_eq!(r.taints[0].key, "node.kubernetes.io/memory-pressure");
    assert_eq!(r.taints[0].effect, "NoSchedule");
    let pending: Vec<_> = r.pending_soft_thresholds().collect();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].first_observed_at, Duration::from_secs(10));
    assert_eq!(pending[0].eligible_at, Duration::from_secs(100));
    assert!(r.evictions.is_empty());

    // t=99s: still one second short of the grace period.
    let r = step(&mut m, 99, 1100 * MI, &all);
    assert!(r.thresholds_past_grace_period().is_empty());
    assert!(r.evictions.is_empty());

    // t=100s: grace period over. Both batch and web use more than they
    // request; batch is further above (600Mi vs 512Mi) and goes first.
    let r = step(&mut m, 100, GI, &all);
    assert_eq!(r.thresholds_past_grace_period(), [Signal::MemoryAvailable]);
    let order: Vec<&str> = r
        .ranking
        .as_ref()
        .expect("ranked")
        .pods
        .iter()
        .map(|p| &*p.pod)
        .collect();
    assert_eq!(
        order,
        [
            "default/batch",
            "default/web",
            "default/kube-proxy",
            "default/db"
        ]
    );
    let v = r.victim().expect("a soft eviction");
    assert_eq!(v.pod.as_str(), "default/batch");
    assert_eq!(
        v.grace_period_seconds, 30,
        "soft: evictionMaxPodGracePeriod"
    );
    assert_eq!(
        v.message,
        "The node was low on resource: memory. Threshold quantity: 1536Mi, available: 1Gi. \
         Container batch was using 600Mi, request is 0, has larger consumption of memory. "
    );
    assert_eq!(r.evictions.len(), 1, "one pod per step");

    // t=110s: batch is gone, memory still short: web, with min(30, its 10s).
    let left = names(&all, &["batch"]);
    let r = step(&mut m, 110, 1400 * MI, &left);
    let v = r.victim().expect("a soft eviction");
    assert_eq!(v.pod.as_str(), "default/web");
    assert_eq!(v.grace_period_seconds, 10);
    assert_eq!(
        v.message,
        "The node was low on resource: memory. Threshold quantity: 1536Mi, available: 1400Mi. \
         Container web was using 1536Mi, request is 1Gi, has larger consumption of memory. "
    );

    // t=120s: below the hard threshold. The critical pod ranks first but is
    // never evicted; the Guaranteed pod goes with a 1s grace period.
    let left = names(&all, &["batch", "web"]);
    let r = step(&mut m, 120, 90 * MI, &left);
    assert_eq!(r.skipped_critical.len(), 1);
    assert_eq!(r.skipped_critical[0].as_str(), "default/kube-proxy");
    let v = r.victim().expect("a hard eviction");
    assert_eq!(v.pod.as_str(), "default/db");
    assert_eq!(v.grace_period_seconds, 1);
    assert_eq!(
        v.message,
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. "
    );
    assert_eq!(v.pod_status.conditions[0].reason, "TerminationByKubelet");

    // t=130s: recovered. The condition is held for the transition period
    // (5m after it was last observed, at 120s).
    let left = names(&all, &["batch", "web", "db"]);
    let r = step(&mut m, 130, 6 * GI, &left);
    assert!(r.thresholds.is_empty());
    assert!(r.evictions.is_empty());
    assert_eq!(
        r.conditions_in_effect(),
        [NodeConditionType::MemoryPressure]
    );
    let mp = &r.conditions[0];
    assert_eq!(mp.reason, "KubeletHasInsufficientMemory");
    assert_eq!(mp.last_observed_at, Some(Duration::from_secs(120)));
    assert_eq!(mp.held_until, Some(Duration::from_secs(420)));
    assert!(!mp.observed_now);

    let r = step(&mut m, 419, 6 * GI, &left);
    assert_eq!(
        r.conditions_in_effect(),
        [NodeConditionType::MemoryPressure]
    );
    // A BestEffort pod is not admitted under memory pressure; others are.
    let admit_be = m.admit(&pod("new-be", None, 0, 0));
    assert!(!admit_be.admit);
    assert_eq!(
        admit_be.message.as_deref(),
        Some("The node had condition: [MemoryPressure]. ")
    );
    let mut burstable = pod("new-burstable", Some("64Mi"), 0, 0);
    burstable.best_effort = false;
    assert!(m.admit(&burstable).admit);

    let r = step(&mut m, 420, 6 * GI, &left);
    assert!(r.conditions_in_effect().is_empty());
    assert!(r.taints.is_empty());
    assert_eq!(r.conditions[0].reason, "KubeletHasSufficientMemory");
    assert!(m.admit(&pod("new-be", None, 0, 0)).admit);
}

#[test]
fn step_result_serializes_camel_case() {
    let config =
        EvictionConfig::from_flags(["--eviction-hard=memory.available<1Gi"]).expect("flags");
    let mut m = EvictionManager::new(config, ManagerOptions::default()).expect("manager");
    let pods = [pod("a", None, 100, 0)];
    let r = step(&mut m, 0, 512 * MI, &pods);
    let json = serde_json::to_value(&r).expect("serializes");
    assert_eq!(json["outcome"], "evicted");
    assert_eq!(json["evictions"][0]["gracePeriodSeconds"], 1);
    assert_eq!(json["evictions"][0]["podStatus"]["phase"], "Failed");
    assert_eq!(json["thresholds"][0]["signal"], "memory.available");
    assert_eq!(json["thresholds"][0]["firstObservedAt"], "0s");
    assert_eq!(json["conditions"][0]["type"], "MemoryPressure");
    assert_eq!(json["ranking"]["comparators"][0], "exceedsRequests");
}
