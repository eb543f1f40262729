//! Scenario tests from real situations: the one-node kind cluster where a
//! second 5Gi replica stays Pending, a three-zone cluster with a Deployment
//! spread by topology spread constraints, and cordoned / tainted nodes.

use std::collections::BTreeMap;

use kubelogic::model::{self, Objects, Pod};
use kubelogic::scheduler::{place, schedule, Profile, Snapshot};
use kubelogic::{FeatureGates, Quantity};
use serde_json::{json, Value};

fn kind_fixture() -> Objects {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/fixtures/kind-one-node.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture kind-one-node.json");
    model::parse_objects(&text).expect("fixture parses")
}

fn default_profile() -> Profile {
    Profile::default_profile(FeatureGates::default()).expect("default profile")
}

fn pod(v: Value) -> Pod {
    model::from_value_at(&v, "pod").expect("pod parses")
}

fn node(v: Value) -> model::Node {
    model::from_value_at(&v, "node").expect("node parses")
}

/// The kind cluster with its pending pods split off (the snapshot holds only bound pods).
fn kind_cluster() -> (Snapshot, Vec<Pod>) {
    let mut objects = kind_fixture();
    let (bound, pending): (Vec<Pod>, Vec<Pod>) = std::mem::take(&mut objects.pods)
        .into_iter()
        .partition(|p| p.spec.node_name.is_some());
    objects.pods = bound;
    let snapshot = Snapshot::from_objects(objects, FeatureGates::default());
    assert!(
        snapshot.ignored_pods.is_empty(),
        "{:?}",
        snapshot.ignored_pods
    );
    (snapshot, pending)
}

#[test]
fn kind_second_5gi_replica_stays_pending() {
    let (snapshot, pending) = kind_cluster();
    assert_eq!(snapshot.nodes()[0].pods.len(), 10);
    assert_eq!(pending.len(), 2);
    let result = schedule(&snapshot, &pending[0], &default_profile());
    assert_eq!(result.selected, None);
    assert!(result.feasible.is_empty());
    assert_eq!(
        result.message().as_deref(),
        Some(
            "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are \
             available: 1 No preemption victims found for incoming pod."
        )
    );
    let preemption = result.preemption.expect("DefaultPreemption ran");
    assert_eq!(preemption.nominated_node.as_deref(), Some(""));
    assert!(preemption.victims.is_empty());
}

#[test]
fn kind_place_all_reports_both_pending_replicas() {
    let (mut snapshot, pending) = kind_cluster();
    let placements = place::place_all(&mut snapshot, &pending, &default_profile());
    assert_eq!(placements.len(), 2);
    for p in &placements {
        assert_eq!(p.node, None);
        let msg = p.fit_error.as_ref().map(ToString::to_string);
        assert!(
            msg.as_deref()
                .is_some_and(|m| m.starts_with("0/1 nodes are available: 1 Insufficient memory.")),
            "{msg:?}"
        );
    }
    assert_eq!(snapshot.nodes()[0].pods.len(), 10, "nothing was bound");
}

fn with_memory_request(mut pod: Pod, memory: &str) -> Pod {
    let q: Quantity = memory.parse().expect("quantity");
    for c in &mut pod.spec.containers {
        c.resources.requests.insert("memory".into(), q.clone());
        c.resources.limits.insert("memory".into(), q.clone());
    }
    pod
}

#[test]
fn kind_64mi_replicas_all_schedule() {
    // The rollout after lowering the request: the old 5Gi replica is
    // replaced, and all three 64Mi replicas run.
    let mut objects = kind_fixture();
    let template = objects
        .pods
        .iter()
        .find(|p| p.metadata.name().starts_with("hello-server"))
        .cloned()
        .expect("a hello-server pod");
    objects
        .pods
        .retain(|p| !p.metadata.name().starts_with("hello-server"));
    let mut snapshot = Snapshot::from_objects(objects, FeatureGates::default());
    let template = with_memory_request(template, "64Mi");
    let pods = place::replicas(&template, 3);
    let placements = place::place_all(&mut snapshot, &pods, &default_profile());
    assert!(
        placements
            .iter()
            .all(|p| p.node.as_deref() == Some("kind-control-plane")),
        "{placements:#?}"
    );
    let names: std::collections::BTreeSet<_> = placements.iter().map(|p| &p.pod).collect();
    assert_eq!(names.len(), 3, "each replica is a distinct pod");
    assert_eq!(snapshot.nodes()[0].pods.len(), 12);

    // And the pending 5Gi replicas of the fixture fit once lowered too.
    let (mut snapshot, pending) = kind_cluster();
    let lowered: Vec<Pod> = pending
        .into_iter()
        .map(|p| with_memory_request(p, "64Mi"))
        .collect();
    let placements = place::place_all(&mut snapshot, &lowered, &default_profile());
    assert!(
        placements.iter().all(|p| p.node.is_some()),
        "{placements:#?}"
    );
}

fn zone_node(name: &str, zone: &str) -> model::Node {
    node(json!({
        "metadata": {"name": name, "labels": {
            "kubernetes.io/hostname": name,
            "topology.kubernetes.io/zone": zone}},
        "status": {"allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"}}
    }))
}

fn three_zones_with(cordoned_zone: Option<&str>) -> Snapshot {
    let nodes = ["a", "b", "c"]
        .iter()
        .flat_map(|z| {
            (1..=2).map(move |i| {
                let zone = format!("zone-{z}");
                let mut n = zone_node(&format!("node-{z}{i}"), &zone);
                if cordoned_zone == Some(zone.as_str()) {
                    n.spec.unschedulable = Some(true);
                }
                n
            })
        })
        .collect();
    Snapshot::new(nodes, Vec::new(), Vec::new(), FeatureGates::default())
}

fn three_zones() -> Snapshot {
    three_zones_with(None)
}

fn spread_template(when_unsatisfiable: &str) -> Pod {
    pod(json!({
        "metadata": {"generateName": "web-7d9f-", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "containers": [{"name": "web", "image": "nginx",
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}],
            "topologySpreadConstraints": [{
                "maxSkew": 1,
                "topologyKey": "topology.kubernetes.io/zone",
                "whenUnsatisfiable": when_unsatisfiable,
                "labelSelector": {"matchLabels": {"app": "web"}}
            }]
        }
    }))
}

fn per_zone(snapshot: &Snapshot) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for n in snapshot.nodes() {
        let zone = n.node.metadata.labels["topology.kubernetes.io/zone"].clone();
        *m.entry(zone).or_insert(0) += n.pods.len();
    }
    m
}

#[test]
fn three_zones_deployment_spreads_two_per_zone() {
    for when in ["DoNotSchedule", "ScheduleAnyway"] {
        let mut snapshot = three_zones();
        let pods = place::replicas(&spread_template(when), 6);
        let placements = place::place_all(&mut snapshot, &pods, &default_profile());
        assert!(
            placements.iter().all(|p| p.node.is_some()),
            "{placements:#?}"
        );
        let zones = per_zone(&snapshot);
        assert_eq!(
            zones.values().copied().collect::<Vec<_>>(),
            vec![2, 2, 2],
            "{when}: {zones:?}"
        );
    }
}

#[test]
fn three_zones_spread_holds_with_a_full_zone() {
    // zone-c's nodes are cordoned: DoNotSchedule with maxSkew 1 then allows
    // only one pod in each of the other zones (zone-c still counts as a domain).
    let mut snapshot = three_zones_with(Some("zone-c"));
    let pods = place::replicas(&spread_template("DoNotSchedule"), 4);
    let placements = place::place_all(&mut snapshot, &pods, &default_profile());
    let placed = placements.iter().filter(|p| p.node.is_some()).count();
    assert_eq!(placed, 2, "{placements:#?}");
    let zones = per_zone(&snapshot);
    assert_eq!(zones["zone-a"], 1);
    assert_eq!(zones["zone-b"], 1);
    let msg = placements[3]
        .fit_error
        .as_ref()
        .expect("fit error")
        .to_string();
    assert!(msg.starts_with("0/6 nodes are available: "), "{msg}");
    assert!(msg.contains("2 node(s) were unschedulable"), "{msg}");
    assert!(
        msg.contains("4 node(s) didn't match pod topology spread constraints"),
        "{msg}"
    );
}

fn cordoned_and_tainted(third_memory: &str) -> Snapshot {
    cordoned_and_tainted_with(third_memory, Vec::new())
}

fn cordoned_and_tainted_with(third_memory: &str, pods: Vec<Pod>) -> Snapshot {
    let alloc = |mem: &str| json!({"cpu": "2", "memory": mem, "pods": "110"});
    let nodes = vec![
        node(
            json!({"metadata": {"name": "cordoned"}, "spec": {"unschedulable": true,
            "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]},
            "status": {"allocatable": alloc("8Gi")}}),
        ),
        node(json!({"metadata": {"name": "tainted"}, "spec": {
            "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]},
            "status": {"allocatable": alloc("8Gi")}})),
        node(
            json!({"metadata": {"name": "worker"}, "status": {"allocatable": alloc(third_memory)}}),
        ),
    ];
    Snapshot::new(nodes, pods, Vec::new(), FeatureGates::default())
}

fn app_pod(memory: &str) -> Pod {
    pod(json!({"metadata": {"name": "app", "namespace": "default"},
        "spec": {"containers": [{"name": "app",
            "resources": {"requests": {"cpu": "500m", "memory": memory}}}]}}))
}

#[test]
fn cordoned_and_tainted_nodes_are_never_chosen() {
    let snapshot = cordoned_and_tainted("8Gi");
    let result = schedule(&snapshot, &app_pod("1Gi"), &default_profile());
    assert_eq!(result.selected_name(), Some("worker"));
    assert_eq!(result.feasible_names().collect::<Vec<_>>(), vec!["worker"]);
    let cordoned = result
        .node("cordoned")
        .and_then(|n| n.status.clone())
        .expect("status");
    assert_eq!(cordoned.reasons, vec!["node(s) were unschedulable"]);
    assert_eq!(cordoned.plugin.as_deref(), Some("NodeUnschedulable"));
    let tainted = result
        .node("tainted")
        .and_then(|n| n.status.clone())
        .expect("status");
    assert_eq!(tainted.plugin.as_deref(), Some("TaintToleration"));
}

#[test]
fn cordoned_and_tainted_message_names_both_reasons() {
    // The worker is full: a running pod of the same priority holds 1.5Gi of 2Gi.
    let mut running = app_pod("1536Mi");
    running.metadata.name = Some("running".into());
    running.spec.node_name = Some("worker".into());
    let snapshot = cordoned_and_tainted_with("2Gi", vec![running]);
    let result = schedule(&snapshot, &app_pod("1Gi"), &default_profile());
    assert_eq!(result.selected, None);
    assert_eq!(
        result.message().as_deref(),
        Some(
            "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated \
             taint(s), 1 node(s) were unschedulable. preemption: 0/3 nodes are available: \
             1 No preemption victims found for incoming pod, 2 Preemption is not helpful \
             for scheduling."
        )
    );
}

#[test]
fn request_above_allocatable_is_not_resolved_by_preemption() {
    // v1.35: a request larger than the node's allocatable is
    // UnschedulableAndUnresolvable, so preemption does not try the node.
    let snapshot = cordoned_and_tainted("512Mi");
    let result = schedule(&snapshot, &app_pod("1Gi"), &default_profile());
    assert_eq!(
        result.message().as_deref(),
        Some(
            "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated \
             taint(s), 1 node(s) were unschedulable. preemption: 0/3 nodes are available: \
             3 Preemption is not helpful for scheduling."
        )
    );
}

#[test]
fn tolerating_pod_may_use_the_tainted_node() {
    let snapshot = cordoned_and_tainted("512Mi");
    let mut p = app_pod("1Gi");
    p.spec.tolerations = vec![model::from_value_at(
        &json!({"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}),
        "toleration",
    )
    .expect("toleration")];
    let result = schedule(&snapshot, &p, &default_profile());
    assert_eq!(result.selected_name(), Some("tainted"));
}

/// One 4-cpu node and a pending pod nominated to it by an earlier
/// preemption (its victims are gone, it waits to be scheduled).
fn node_with_nominated_pod(nominated_priority: i32) -> Snapshot {
    let n = node(json!({"metadata": {"name": "n1"},
        "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}}));
    let nominated = pod(
        json!({"metadata": {"name": "important", "namespace": "default"},
        "spec": {"priority": nominated_priority, "containers": [{"name": "c",
            "resources": {"requests": {"cpu": "3"}}}]},
        "status": {"phase": "Pending", "nominatedNodeName": "n1"}}),
    );
    Snapshot::new(
        vec![n],
        vec![nominated],
        Vec::new(),
        FeatureGates::default(),
    )
}

fn cpu_pod(name: &str, cpu: &str, priority: i32) -> Pod {
    pod(json!({"metadata": {"name": name, "namespace": "default"},
        "spec": {"priority": priority, "containers": [{"name": "c",
            "resources": {"requests": {"cpu": cpu}}}]}}))
}

#[test]
fn a_nominated_pod_holds_its_room_against_lower_priority_pods() {
    let snap = node_with_nominated_pod(100);
    assert!(snap.ignored_pods.is_empty(), "{:?}", snap.ignored_pods);
    // 3 cpu held for the nominated pod: 2 more do not fit for a pod of lower
    // or equal priority...
    for priority in [0, 100] {
        let r = schedule(&snap, &cpu_pod("small", "2", priority), &default_profile());
        assert_eq!(
            r.message().as_deref(),
            Some("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."),
            "priority {priority}"
        );
    }
    // ...1 does, and a pod of higher priority does not see the nominated pod.
    let r = schedule(&snap, &cpu_pod("tiny", "1", 0), &default_profile());
    assert_eq!(r.selected_name(), Some("n1"));
    let r = schedule(&snap, &cpu_pod("urgent", "2", 1000), &default_profile());
    assert_eq!(r.selected_name(), Some("n1"));
}

#[test]
fn binding_the_nominated_pod_ends_its_nomination() {
    let mut snap = node_with_nominated_pod(100);
    let mut important = cpu_pod("important", "3", 100);
    important.status.nominated_node_name = Some("n1".into());
    snap.bind(important, "n1").expect("binds");
    assert!(!snap.has_nominated_pods());
    // Counted once (bound), not twice: 1 cpu is left.
    let r = schedule(&snap, &cpu_pod("tiny", "1", 0), &default_profile());
    assert_eq!(r.selected_name(), Some("n1"));
}

/// Older releases: the same kind cluster under v1.28 (the FailedScheduling
/// message ends in `..`, kubernetes' `SeparatorFormat = " %v."`), and a
/// tainted node under v1.34 (the reason names the taint) and v1.35.
#[test]
fn kubernetes_versions_change_the_texts() {
    use kubelogic::KubernetesVersion;
    let (_, pending) = kind_cluster();
    let mut objects = kind_fixture();
    objects.pods.retain(|p| p.spec.node_name.is_some());
    let v1_28 = FeatureGates::for_version(KubernetesVersion::V1_28);
    let snapshot = Snapshot::from_objects(objects, v1_28);
    let profile = Profile::default_profile(v1_28).expect("profile");
    let result = schedule(&snapshot, &pending[0], &profile);
    assert_eq!(
        result.message().as_deref(),
        Some(
            "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are \
             available: 1 No preemption victims found for incoming pod.."
        )
    );
    let tainted = node(
        json!({"metadata": {"name": "t", "labels": {"kubernetes.io/hostname": "t"}},
        "spec": {"taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]},
        "status": {"allocatable": {"cpu": "8", "memory": "32Gi", "pods": "110"}}}),
    );
    let small = pod(json!({"metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "100m"}}}]}}));
    for (version, want) in [
        (
            KubernetesVersion::V1_34,
            "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. \
             preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
        ),
        (
            KubernetesVersion::V1_35,
            "0/1 nodes are available: 1 node(s) had untolerated taint(s). \
             preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
        ),
    ] {
        let gates = FeatureGates::for_version(version);
        let objects = Objects {
            nodes: vec![tainted.clone()],
            ..Objects::default()
        };
        let snapshot = Snapshot::from_objects(objects, gates);
        let profile = Profile::default_profile(gates).expect("profile");
        assert_eq!(
            schedule(&snapshot, &small, &profile).message().as_deref(),
            Some(want),
            "{version}"
        );
    }
    // A request above allocatable: Unresolvable since v1.35, preemption tried before.
    let big = pod(json!({"metadata": {"name": "b", "namespace": "default"},
        "spec": {"containers": [{"name": "c", "resources": {"requests": {"memory": "64Gi"}}}]}}));
    let plain = node(
        json!({"metadata": {"name": "n", "labels": {"kubernetes.io/hostname": "n"}},
        "status": {"allocatable": {"cpu": "8", "memory": "32Gi", "pods": "110"}}}),
    );
    for (version, tail) in [
        (
            KubernetesVersion::V1_34,
            "1 No preemption victims found for incoming pod.",
        ),
        (
            KubernetesVersion::V1_35,
            "1 Preemption is not helpful for scheduling.",
        ),
    ] {
        let gates = FeatureGates::for_version(version);
        let objects = Objects {
            nodes: vec![plain.clone()],
            ..Objects::default()
        };
        let snapshot = Snapshot::from_objects(objects, gates);
        let profile = Profile::default_profile(gates).expect("profile");
        let message = schedule(&snapshot, &big, &profile)
            .message()
            .unwrap_or_default();
        assert!(message.ends_with(tail), "{version}: {message}");
    }
}
