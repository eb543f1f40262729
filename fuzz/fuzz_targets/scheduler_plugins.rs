//! Arbitrary small clusters and pods through the node and resource plugins
//! (TaintToleration, NodeAffinity, NodePorts, ImageLocality,
//! NodeResourcesFit with each strategy, NodeResourcesBalancedAllocation):
//! never panics; a rejecting Filter gives reasons; for a pod the API server
//! accepts (`admission::validate_pod`: preferred weights in 1-100) normalized
//! scores are in 0..=100; for one it refuses (a weight of -5) the cycle
//! either scores in range or ends in the framework's Error status naming the
//! plugin (`applying score defaultWeights on Score plugins: ...`), never a
//! decision on an out-of-range score; a pod tolerating everything passes
//! TaintToleration.
#![no_main]

use arbitrary::Arbitrary;
use kubelogic::model::{self, Node, Pod};
use kubelogic::admission::validate_pod;
use kubelogic::scheduler::cycle::{schedule, ScheduleError};
use kubelogic::scheduler::framework::{CycleState, ExtensionPoint, NodeScore};
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::{NodeInfo, PodInfo, Profile, Snapshot};
use kubelogic::FeatureGates;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const KEYS: &[&str] = &[
    "zone",
    "disk",
    "gpu",
    "kubernetes.io/hostname",
    "bad key",
    "",
];
const VALUES: &[&str] = &["a", "b", "1", "10", "-3", "x y", "", "9223372036854775808"];
const EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];
const OPS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];
const TOL_OPS: &[&str] = &["Equal", "Exists", "Lt", "Gt", ""];
const RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "example.com/gpu",
    "hugepages-2Mi",
    "pods",
];
const IMAGES: &[&str] = &["nginx", "redis:7", "a/b:c", ""];

fn pick<'a>(xs: &[&'a str], i: u8) -> &'a str {
    xs[usize::from(i) % xs.len()]
}

#[derive(Arbitrary, Debug)]
struct Req(u8, u8, Vec<u8>);
#[derive(Arbitrary, Debug)]
struct Res(u8, i32);
#[derive(Arbitrary, Debug)]
struct ANode {
    labels: Vec<(u8, u8)>,
    taints: Vec<(u8, u8, u8)>,
    alloc: Vec<Res>,
    images: Vec<(u8, u16)>,
    pods: Vec<Vec<Res>>,
}
#[derive(Arbitrary, Debug)]
struct APod {
    requests: Vec<Res>,
    sidecar: Option<Vec<Res>>,
    tolerations: Vec<(u8, u8, u8, Option<u8>)>,
    node_selector: Vec<(u8, u8)>,
    required: Option<Vec<Vec<Req>>>,
    preferred: Vec<(i32, Vec<Req>)>,
    name_field: Option<u8>,
    ports: Vec<(u16, bool, bool)>,
    image: u8,
}
#[derive(Arbitrary, Debug)]
struct Input {
    nodes: Vec<ANode>,
    pod: APod,
    comparison: bool,
    strategy: u8,
}

fn resources(rs: &[Res]) -> Value {
    let mut m = serde_json::Map::new();
    for Res(n, v) in rs.iter().take(4) {
        m.insert(pick(RESOURCES, *n).into(), v.to_string().into());
    }
    Value::Object(m)
}

fn pairs(ps: &[(u8, u8)]) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in ps.iter().take(4) {
        m.insert(pick(KEYS, *k).into(), pick(VALUES, *v).into());
    }
    Value::Object(m)
}

fn requirement(r: &Req) -> Value {
    let values: Vec<&str> = r.2.iter().take(3).map(|v| pick(VALUES, *v)).collect();
    json!({"key": pick(KEYS, r.0), "operator": pick(OPS, r.1), "values": values})
}

fn term(reqs: &[Req], name_field: Option<u8>) -> Value {
    let exprs: Vec<Value> = reqs.iter().take(3).map(requirement).collect();
    let mut t = json!({"matchExpressions": exprs});
    if let Some(n) = name_field {
        t["matchFields"] = json!([{"key": "metadata.name", "operator": if n % 2 == 0 { "In" } else { "NotIn" },
                                   "values": [format!("n{}", n % 4)]}]);
    }
    t
}

fn pod(p: &APod) -> Option<Pod> {
    let ports: Vec<Value> = p.ports.iter().take(3).map(|(port, udp, any)| json!({
        "containerPort": 1, "hostPort": i32::from(*port % 4),
        "protocol": if *udp { "UDP" } else { "TCP" }, "hostIP": if *any { "0.0.0.0" } else { "10.0.0.1" }})).collect();
    let mut spec = json!({
        "containers": [{"name": "c", "image": pick(IMAGES, p.image), "ports": ports,
                        "resources": {"requests": resources(&p.requests)}}],
        "tolerations": p.tolerations.iter().take(3).map(|(k, o, v, e)| {
            let mut t = json!({"key": pick(KEYS, *k), "operator": pick(TOL_OPS, *o), "value": pick(VALUES, *v)});
            if let Some(e) = e { t["effect"] = pick(EFFECTS, *e).into(); }
            t
        }).collect::<Vec<_>>(),
        "nodeSelector": pairs(&p.node_selector),
    });
    if let Some(s) = &p.sidecar {
        spec["initContainers"] = json!([{"name": "s", "restartPolicy": "Always",
                                        "resources": {"requests": resources(s)}}]);
    }
    let mut na = json!({"preferredDuringSchedulingIgnoredDuringExecution":
        p.preferred.iter().take(3).map(|(w, t)| json!({"weight": w, "preference": term(t, None)})).collect::<Vec<_>>()});
    if let Some(req) = &p.required {
        let terms: Vec<Value> = req.iter().take(3).map(|t| term(t, p.name_field)).collect();
        na["requiredDuringSchedulingIgnoredDuringExecution"] = json!({"nodeSelectorTerms": terms});
    }
    spec["affinity"] = json!({"nodeAffinity": na});
    model::from_value(&json!({"metadata": {"name": "p", "namespace": "default"}, "spec": spec}))
        .ok()
}

fn cluster(nodes: &[ANode], gates: FeatureGates) -> Snapshot {
    let mut ns = Vec::new();
    let mut ps = Vec::new();
    for (i, n) in nodes.iter().take(6).enumerate() {
        let v = json!({
            "metadata": {"name": format!("n{i}"), "labels": pairs(&n.labels)},
            "spec": {"taints": n.taints.iter().take(3).map(|(k, v, e)| json!({
                "key": pick(KEYS, *k), "value": pick(VALUES, *v), "effect": pick(EFFECTS, *e)})).collect::<Vec<_>>()},
            "status": {"allocatable": resources(&n.alloc),
                       "images": n.images.iter().take(3).map(|(im, size)| json!({
                           "names": [pick(IMAGES, *im)], "sizeBytes": i64::from(*size) * 1_048_576})).collect::<Vec<_>>()},
        });
        if let Ok(node) = model::from_value::<Node>(&v) {
            ns.push(node);
        }
        for (j, reqs) in n.pods.iter().take(3).enumerate() {
            let v = json!({"metadata": {"name": format!("p{i}-{j}"), "namespace": "default"},
                           "spec": {"nodeName": format!("n{i}"), "containers": [{"name": "c",
                                    "resources": {"requests": resources(reqs)}}]}});
            if let Ok(p) = model::from_value::<Pod>(&v) {
                ps.push(p);
            }
        }
    }
    Snapshot::new(ns, ps, Vec::new(), gates)
}

fuzz_target!(|input: Input| {
    let mut gates = FeatureGates::default();
    gates.taint_toleration_comparison_operators = input.comparison;
    let Some(pod) = pod(&input.pod) else { return };
    let snap = cluster(&input.nodes, gates);
    let info = PodInfo::new(pod.clone(), &gates);
    let accepted = validate_pod(&pod).is_ok();
    let profile = Profile::default_profile(gates).expect("default profile");
    let result = schedule(&snap, &pod, &profile);
    if let Some(ScheduleError::Plugin {
        plugin,
        extension_point: ExtensionPoint::Score,
        message,
    }) = &result.error
    {
        // Only a weight the API server refuses can push a score out of range.
        assert!(!accepted, "{plugin}: {message}");
        assert!(
            message.starts_with("applying score defaultWeights on Score plugins: plugin ")
                && message.contains(plugin.as_str()),
            "{message}"
        );
        assert!(result.selected.is_none());
    }
    let nodes: Vec<&NodeInfo> = snap.nodes().iter().collect();
    let strategies = [
        Value::Null,
        json!({"scoringStrategy": {"type": "MostAllocated"}}),
        json!({"scoringStrategy": {"type": "RequestedToCapacityRatio", "requestedToCapacityRatio":
               {"shape": [{"utilization": 0, "score": 10}, {"utilization": 60, "score": 2}, {"utilization": 100, "score": 7}]}}}),
    ];
    let fit_args = &strategies[usize::from(input.strategy) % strategies.len()];
    let plugins = [
        ("TaintToleration", Value::Null),
        ("NodeAffinity", Value::Null),
        ("NodePorts", Value::Null),
        ("ImageLocality", Value::Null),
        ("NodeResourcesFit", fit_args.clone()),
        ("NodeResourcesBalancedAllocation", Value::Null),
    ];
    for (name, args) in &plugins {
        let plugin = new_plugin(name, Some(args), &gates).expect("valid args");
        let mut state = CycleState::new();
        let mut filter = plugin.as_filter().is_some();
        if let Some(pf) = plugin.as_pre_filter() {
            let (_, s) = pf.pre_filter(&mut state, &info, &snap);
            filter &= s.is_success();
        }
        if let (Some(f), true) = (plugin.as_filter(), filter) {
            for n in &nodes {
                let s = f.filter(&state, &info, n);
                assert!(
                    s.is_success() || (s.is_rejected() && !s.reasons.is_empty()),
                    "{name}: {s}"
                );
            }
        }
        let (Some(ps), Some(sc)) = (plugin.as_pre_score(), plugin.as_score()) else {
            continue;
        };
        if !ps.pre_score(&mut state, &info, &nodes, &snap).is_success() {
            continue;
        }
        let mut scores: Vec<NodeScore<'_>> = nodes
            .iter()
            .map(|n| NodeScore {
                name: n.name(),
                score: sc.score(&state, &info, n).expect("score"),
            })
            .collect();
        assert!(sc.normalize(&state, &info, &mut scores).is_success());
        if accepted {
            for s in &scores {
                assert!((0..=100).contains(&s.score), "{name}: {s:?}");
            }
        }
    }
    let mut everything = pod;
    everything
        .spec
        .tolerations
        .push(model::from_value(&json!({"operator": "Exists"})).expect("toleration"));
    let everything = PodInfo::new(everything, &gates);
    let taints = new_plugin("TaintToleration", None, &gates).expect("plugin");
    let f = taints.as_filter().expect("filter");
    for n in &nodes {
        assert!(f.filter(&CycleState::new(), &everything, n).is_success());
    }
});
