//! Arbitrary small clusters and pods (built through the model from
//! structured fuzz input) through `schedule` and `place_all` with the default
//! profile: never panics, and the result is consistent — the selected node
//! is feasible and has the top total, normalized scores are within 0..=100,
//! a FitError exists exactly when no node is feasible and starts with
//! `0/N nodes are available:`, and preemption's victims are lower-priority
//! pods of the nominated node.
#![no_main]

use arbitrary::Arbitrary;
use kubelogic::model::{self, Objects, Pod};
use kubelogic::scheduler::{place_all, schedule, Profile, Snapshot};
use kubelogic::FeatureGates;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

#[derive(Arbitrary, Debug)]
struct FNode {
    cpu_m: u16,
    mem_mi: u16,
    pods: u8,
    zone: u8,
    pool: u8,
    unschedulable: bool,
    taint: Option<(u8, bool)>,
    image: Option<(u8, u16)>,
}

#[derive(Arbitrary, Debug)]
struct FPod {
    cpu_m: u16,
    mem_mi: u16,
    priority: i8,
    app: u8,
    node: u8,
    spread: Option<(u8, bool)>,
    anti_affinity: bool,
    affinity: Option<bool>,
    tolerate: Option<u8>,
    pool: Option<u8>,
    host_port: Option<u8>,
    nominated: Option<u8>,
    never: bool,
    start: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    nodes: Vec<FNode>,
    pods: Vec<FPod>,
    pod: FPod,
    pdb: Option<(u8, u8)>,
    sampled: bool,
}

fn node_json(i: usize, n: &FNode) -> Value {
    let name = format!("n{i}");
    let mut spec = json!({});
    if n.unschedulable {
        spec["unschedulable"] = json!(true);
    }
    if let Some((k, no_schedule)) = n.taint {
        let effect = if no_schedule { "NoSchedule" } else { "PreferNoSchedule" };
        spec["taints"] = json!([{"key": format!("t{}", k % 3), "value": "x", "effect": effect}]);
    }
    let mut status = json!({"allocatable": {
        "cpu": format!("{}m", n.cpu_m), "memory": format!("{}Mi", n.mem_mi),
        "pods": n.pods.to_string()}});
    if let Some((img, size)) = n.image {
        status["images"] = json!([{"names": [format!("img{}", img % 4)], "sizeBytes": u64::from(size) << 16}]);
    }
    json!({"metadata": {"name": name, "labels": {
        "kubernetes.io/hostname": name,
        "topology.kubernetes.io/zone": format!("z{}", n.zone % 3),
        "pool": format!("p{}", n.pool % 2)}},
        "spec": spec, "status": status})
}

fn pod_json(name: &str, p: &FPod, nodes: usize) -> Value {
    let app = format!("a{}", p.app % 3);
    let mut container = json!({"name": "c", "image": format!("img{}", p.app % 4),
        "resources": {"requests": {"cpu": format!("{}m", p.cpu_m), "memory": format!("{}Mi", p.mem_mi)}}});
    if let Some(port) = p.host_port {
        container["ports"] = json!([{"containerPort": 80, "hostPort": 8000 + i32::from(port % 3)}]);
    }
    let mut spec = json!({"containers": [container], "priority": i32::from(p.priority)});
    let sel = json!({"matchLabels": {"app": app}});
    if let Some((skew, hard)) = p.spread {
        spec["topologySpreadConstraints"] = json!([{"maxSkew": i32::from(skew % 3) + 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": if hard { "DoNotSchedule" } else { "ScheduleAnyway" },
            "labelSelector": sel}]);
    }
    let mut affinity = json!({});
    if p.anti_affinity {
        affinity["podAntiAffinity"] = json!({"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": sel, "topologyKey": "kubernetes.io/hostname"}]});
    }
    match p.affinity {
        Some(true) => {
            affinity["podAffinity"] = json!({"requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": sel, "topologyKey": "topology.kubernetes.io/zone"}]})
        }
        Some(false) => {
            affinity["podAffinity"] = json!({"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 10, "podAffinityTerm": {"labelSelector": sel,
                    "topologyKey": "topology.kubernetes.io/zone"}}]})
        }
        None => {}
    }
    if affinity.as_object().is_some_and(|a| !a.is_empty()) {
        spec["affinity"] = affinity;
    }
    if let Some(t) = p.tolerate {
        spec["tolerations"] = json!([{"key": format!("t{}", t % 3), "operator": "Exists"}]);
    }
    if let Some(pool) = p.pool {
        spec["nodeSelector"] = json!({"pool": format!("p{}", pool % 2)});
    }
    if p.never {
        spec["preemptionPolicy"] = json!("Never");
    }
    let mut status = json!({});
    if let Some(n) = p.nominated.filter(|_| nodes > 0) {
        status["nominatedNodeName"] = json!(format!("n{}", usize::from(n) % nodes));
    }
    if let Some(s) = p.start {
        status["startTime"] = json!(format!("2024-01-01T00:00:{:02}Z", s % 60));
    }
    json!({"metadata": {"name": name, "namespace": "default", "labels": {"app": app}},
        "spec": spec, "status": status})
}

fn check(snapshot: &Snapshot, pod: &Pod, profile: &Profile) {
    let r = schedule(snapshot, pod, profile);
    if r.error.is_some() {
        return;
    }
    assert_eq!(r.fit_error.is_some(), r.feasible.is_empty(), "{r:?}");
    if let Some(e) = &r.fit_error {
        let prefix = format!("0/{} nodes are available:", snapshot.nodes().len());
        assert!(e.to_string().starts_with(&prefix), "{e}");
    }
    for (i, (name, n)) in r.named_nodes().enumerate() {
        for s in &r.node_scores(name) {
            assert!((0..=100).contains(&s.normalized), "{s:?}");
        }
        let feasible = r.feasible.contains(&i);
        let ok = n.status.as_ref().is_some_and(|s| s.is_success());
        assert_eq!(feasible, ok, "{name}: {n:?}");
    }
    if let Some(sel) = r.selected {
        assert!(r.feasible.contains(&sel));
        let max = r.nodes.iter().filter_map(|n| n.total).max();
        let total = r.nodes.get(sel).and_then(|n| n.total);
        assert_eq!(total, max);
    }
    if let Some(p) = &r.preemption {
        if let Some(node) = p.nominated_node.as_deref().filter(|n| !n.is_empty()) {
            let info = snapshot.node(node).expect("nominated node exists");
            for v in &p.victims {
                let victim = info.pods.iter().find(|q| &q.pod.key() == v).expect("victim on node");
                assert!(victim.pod.priority() < pod.priority());
            }
        }
    }
}

fuzz_target!(|input: Input| {
    if input.nodes.len() > 8 || input.pods.len() > 16 {
        return;
    }
    let n = input.nodes.len();
    let nodes: Vec<_> = input
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, f)| model::from_value_at(&node_json(i, f), "node").ok())
        .collect();
    let pods: Vec<Pod> = input
        .pods
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let mut v = pod_json(&format!("e{i}"), f, n);
            if n > 0 {
                v["spec"]["nodeName"] = json!(format!("n{}", usize::from(f.node) % n));
            }
            model::from_value_at(&v, "pod").ok()
        })
        .collect();
    let pdbs = input
        .pdb
        .and_then(|(app, allowed)| {
            model::from_value_at(
                &json!({"metadata": {"name": "pdb", "namespace": "default"},
                    "spec": {"selector": {"matchLabels": {"app": format!("a{}", app % 3)}}},
                    "status": {"disruptionsAllowed": i32::from(allowed % 3)}}),
                "pdb",
            )
            .ok()
        })
        .into_iter()
        .collect();
    let objects = Objects {
        nodes,
        pods: pods.clone(),
        pod_disruption_budgets: pdbs,
        ..Objects::default()
    };
    let snapshot = Snapshot::from_objects(objects, FeatureGates::default());
    let Ok(mut profile) = Profile::default_profile(FeatureGates::default()) else {
        return;
    };
    if input.sampled {
        profile.percentage_of_nodes_to_score = Some(0);
    }
    let Ok(pod) = model::from_value_at::<Pod>(&pod_json("p", &input.pod, n), "pod") else {
        return;
    };
    check(&snapshot, &pod, &profile);
    let mut placed = snapshot.clone();
    let batch: Vec<Pod> = pods
        .into_iter()
        .map(|mut p| {
            p.spec.node_name = None;
            p
        })
        .collect();
    let placements = place_all(&mut placed, &batch, &profile);
    assert_eq!(placements.len(), batch.len());
});
