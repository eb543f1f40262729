//! Property tests of the node and resource plugins (TaintToleration,
//! NodeAffinity, NodePorts, ImageLocality, NodeResourcesFit,
//! NodeResourcesBalancedAllocation) over arbitrary small clusters.

use std::collections::BTreeMap;

use kubelogic::model::{self, Node, Pod};
use kubelogic::scheduler::framework::{Code, CycleState, NodeScore, Status};
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::plugins::noderesources::fit;
use kubelogic::scheduler::{NodeInfo, Plugin, PodInfo, Snapshot};
use kubelogic::FeatureGates;
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};
use serde_json::{json, Value};

const KEYS: &[&str] = &["zone", "disk", "gpu", "dedicated", "kernel"];
const VALUES: &[&str] = &["a", "b", "ssd", "1", "10", "-3", "high", ""];
const EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];
const IMAGES: &[&str] = &["nginx", "redis:7", "gcr.io/x/app:v1", "busybox"];
const SCALARS: &[&str] = &["example.com/gpu", "hugepages-2Mi"];

fn pick<'a>(g: &mut Gen, xs: &[&'a str]) -> &'a str {
    g.choose(xs).copied().unwrap_or("")
}

fn small(g: &mut Gen, max: u32) -> u32 {
    u32::arbitrary(g) % (max + 1)
}

fn labels(g: &mut Gen) -> Value {
    let mut m = serde_json::Map::new();
    for _ in 0..small(g, 3) {
        m.insert(pick(g, KEYS).into(), pick(g, VALUES).into());
    }
    Value::Object(m)
}

fn resources(g: &mut Gen, cpu_max: u32, mem_max: u32) -> Value {
    let mut m = serde_json::Map::new();
    if bool::arbitrary(g) {
        m.insert("cpu".into(), format!("{}m", small(g, cpu_max)).into());
    }
    if bool::arbitrary(g) {
        m.insert("memory".into(), format!("{}Mi", small(g, mem_max)).into());
    }
    if small(g, 3) == 0 {
        m.insert(
            "ephemeral-storage".into(),
            format!("{}Mi", small(g, mem_max)).into(),
        );
    }
    if small(g, 3) == 0 {
        m.insert(pick(g, SCALARS).into(), small(g, 4).to_string().into());
    }
    Value::Object(m)
}

fn container(g: &mut Gen, name: &str) -> Value {
    let mut c = json!({"name": name, "image": pick(g, IMAGES),
                       "resources": {"requests": resources(g, 2000, 2048)}});
    if small(g, 4) == 0 {
        c["ports"] = json!([{"containerPort": 80, "hostPort": 8000 + small(g, 2),
                              "protocol": if bool::arbitrary(g) { "TCP" } else { "UDP" },
                              "hostIP": if bool::arbitrary(g) { "0.0.0.0" } else { "10.0.0.1" }}]);
    }
    c
}

fn requirement(g: &mut Gen) -> Value {
    let op = pick(g, &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]);
    let values: Vec<&str> = match op {
        "Exists" | "DoesNotExist" => vec![],
        "Gt" | "Lt" => vec![pick(g, &["0", "5", "x"])],
        _ => (0..=small(g, 2)).map(|_| pick(g, VALUES)).collect(),
    };
    json!({"key": pick(g, KEYS), "operator": op, "values": values})
}

fn term(g: &mut Gen) -> Value {
    let exprs: Vec<Value> = (0..small(g, 2)).map(|_| requirement(g)).collect();
    let mut t = json!({"matchExpressions": exprs});
    if small(g, 3) == 0 {
        t["matchFields"] = json!([{"key": "metadata.name", "operator": "In", "values": [format!("n{}", small(g, 3))]}]);
    }
    t
}

/// An arbitrary pod: containers with requests and host ports, tolerations,
/// nodeSelector, required and preferred node affinity.
#[derive(Clone, Debug)]
struct ArbPod(Value);

impl Arbitrary for ArbPod {
    fn arbitrary(g: &mut Gen) -> Self {
        let containers: Vec<Value> = (0..small(g, 2))
            .map(|i| container(g, &format!("c{i}")))
            .collect();
        let mut init: Vec<Value> = Vec::new();
        if small(g, 3) == 0 {
            let mut c = container(g, "init");
            if bool::arbitrary(g) {
                c["restartPolicy"] = "Always".into();
            }
            init.push(c);
        }
        let tolerations: Vec<Value> = (0..small(g, 2))
            .map(|_| {
                let op = pick(g, &["Equal", "Exists", "Lt", "Gt"]);
                let mut t = json!({"key": pick(g, KEYS), "operator": op});
                if op != "Exists" {
                    t["value"] = pick(g, VALUES).into();
                }
                if bool::arbitrary(g) {
                    t["effect"] = pick(g, EFFECTS).into();
                }
                t
            })
            .collect();
        let mut spec =
            json!({"containers": containers, "initContainers": init, "tolerations": tolerations});
        if small(g, 3) == 0 {
            spec["nodeSelector"] = labels(g);
        }
        if bool::arbitrary(g) {
            let required: Vec<Value> = (0..small(g, 2)).map(|_| term(g)).collect();
            let preferred: Vec<Value> = (0..small(g, 2))
                .map(|_| json!({"weight": small(g, 100), "preference": term(g)}))
                .collect();
            let mut na = json!({"preferredDuringSchedulingIgnoredDuringExecution": preferred});
            if bool::arbitrary(g) {
                na["requiredDuringSchedulingIgnoredDuringExecution"] =
                    json!({"nodeSelectorTerms": required});
            }
            spec["affinity"] = json!({"nodeAffinity": na});
        }
        ArbPod(json!({"metadata": {"name": "p", "namespace": "default"}, "spec": spec}))
    }
}

impl ArbPod {
    fn pod(&self) -> Pod {
        model::from_value(&self.0).expect("generated pods are well formed")
    }
}

/// An arbitrary node with labels, taints, allocatable and images.
#[derive(Clone, Debug)]
struct ArbNode(Value);

impl Arbitrary for ArbNode {
    fn arbitrary(g: &mut Gen) -> Self {
        let taints: Vec<Value> = (0..small(g, 2))
            .map(|_| json!({"key": pick(g, KEYS), "value": pick(g, VALUES), "effect": pick(g, EFFECTS)}))
            .collect();
        let mut alloc = resources(g, 8000, 16384);
        alloc["pods"] = small(g, 4).to_string().into();
        let images: Vec<Value> = (0..small(g, 2))
            .map(|_| json!({"names": [pick(g, IMAGES)], "sizeBytes": u64::from(small(g, 2000)) * 1_048_576}))
            .collect();
        ArbNode(json!({"metadata": {"name": "", "labels": labels(g)},
                       "spec": {"taints": taints, "unschedulable": small(g, 5) == 0},
                       "status": {"allocatable": alloc, "images": images}}))
    }
}

/// A small cluster: nodes `n0..`, and pods bound to them.
#[derive(Clone, Debug)]
struct ArbCluster {
    nodes: Vec<ArbNode>,
    pods: Vec<(ArbPod, usize)>,
}

impl Arbitrary for ArbCluster {
    fn arbitrary(g: &mut Gen) -> Self {
        let nodes: Vec<ArbNode> = (0..=small(g, 4)).map(|_| ArbNode::arbitrary(g)).collect();
        let pods = (0..small(g, 4))
            .map(|_| (ArbPod::arbitrary(g), small(g, 4) as usize))
            .collect();
        ArbCluster { nodes, pods }
    }
}

impl ArbCluster {
    fn snapshot(&self, gates: FeatureGates) -> Snapshot {
        let nodes: Vec<Node> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut v = n.0.clone();
                v["metadata"]["name"] = format!("n{i}").into();
                model::from_value(&v).expect("generated nodes are well formed")
            })
            .collect();
        let pods: Vec<Pod> = self
            .pods
            .iter()
            .enumerate()
            .map(|(i, (p, n))| {
                let mut pod = p.pod();
                pod.metadata.name = Some(format!("p{i}"));
                pod.spec.node_name = Some(format!("n{}", n % self.nodes.len().max(1)));
                pod
            })
            .collect();
        Snapshot::new(nodes, pods, Vec::new(), gates)
    }
}

fn gates(comparison: bool) -> FeatureGates {
    let mut set = BTreeMap::new();
    set.insert("TaintTolerationComparisonOperators".to_owned(), comparison);
    FeatureGates::default().with(&set).expect("known gate")
}

const SCORE_CONFIGS: &[(&str, &str)] = &[
    ("TaintToleration", "null"),
    ("NodeAffinity", "null"),
    ("ImageLocality", "null"),
    ("NodeResourcesBalancedAllocation", "null"),
    ("NodeResourcesFit", "null"),
    (
        "NodeResourcesFit",
        r#"{"scoringStrategy": {"type": "MostAllocated"}}"#,
    ),
    // One and three native resources (Score's per-node path against the
    // batch's fixed-size one), in a non-default order.
    (
        "NodeResourcesFit",
        r#"{"scoringStrategy": {"type": "LeastAllocated",
            "resources": [{"name": "memory", "weight": 3}]}}"#,
    ),
    (
        "NodeResourcesFit",
        r#"{"scoringStrategy": {"type": "MostAllocated",
            "resources": [{"name": "ephemeral-storage", "weight": 2},
                          {"name": "memory", "weight": 1}, {"name": "cpu", "weight": 5}]}}"#,
    ),
    (
        "NodeResourcesBalancedAllocation",
        r#"{"resources": [{"name": "memory", "weight": 1}, {"name": "cpu", "weight": 1},
                          {"name": "ephemeral-storage", "weight": 1}]}"#,
    ),
    (
        "NodeResourcesFit",
        r#"{"scoringStrategy": {"type": "RequestedToCapacityRatio",
            "resources": [{"name": "cpu", "weight": 3}, {"name": "memory", "weight": 1},
                          {"name": "example.com/gpu", "weight": 2}],
            "requestedToCapacityRatio": {"shape": [{"utilization": 0, "score": 0},
                {"utilization": 50, "score": 10}, {"utilization": 100, "score": 2}]}}}"#,
    ),
];

/// Runs PreScore, Score and NormalizeScore of one plugin over every node.
fn run_scores<'a>(
    plugin: &dyn Plugin,
    pod: &PodInfo,
    snap: &'a Snapshot,
) -> Result<Vec<NodeScore<'a>>, Status> {
    let nodes: Vec<&NodeInfo> = snap.nodes().iter().collect();
    let mut state = CycleState::new();
    if let Some(ps) = plugin.as_pre_score() {
        let s = ps.pre_score(&mut state, pod, &nodes, snap);
        if s.is_skip() {
            return Ok(nodes
                .iter()
                .map(|n| NodeScore {
                    name: n.name(),
                    score: 0,
                })
                .collect());
        }
        if !s.is_success() {
            return Err(s);
        }
    }
    let scorer = plugin.as_score().expect("a score plugin");
    let mut scores: Vec<NodeScore<'_>> = nodes
        .iter()
        .map(|n| NodeScore {
            name: n.name(),
            score: 0,
        })
        .collect();
    scorer.score_nodes(&state, pod, &nodes, &mut scores)?;
    // The batch must agree with Score per node.
    for (n, s) in nodes.iter().zip(&scores) {
        assert_eq!(
            scorer.score(&state, pod, n)?,
            s.score,
            "{}: {}",
            plugin.name(),
            s.name
        );
    }
    let s = scorer.normalize(&state, pod, &mut scores);
    if !s.is_success() {
        return Err(s);
    }
    Ok(scores)
}

fn qc() -> QuickCheck {
    QuickCheck::new().tests(300)
}

#[test]
fn normalized_scores_are_within_0_to_100() {
    fn prop(cluster: ArbCluster, pod: ArbPod, comparison: bool) -> TestResult {
        let g = gates(comparison);
        let snap = cluster.snapshot(g);
        let pod = PodInfo::new(pod.pod(), &g);
        for (name, args) in SCORE_CONFIGS {
            let args: Value = serde_json::from_str(args).expect("valid JSON");
            let plugin = new_plugin(name, Some(&args), &g).expect("valid args");
            match run_scores(plugin.as_ref(), &pod, &snap) {
                Ok(scores) => {
                    if let Some(bad) = scores.iter().find(|s| !(0..=100).contains(&s.score)) {
                        return TestResult::error(format!("{name}: {bad:?}"));
                    }
                }
                // Only NodeAffinity's PreScore may fail (an unparsable preferred term).
                Err(s) if *name == "NodeAffinity" && s.code == Code::Error => {}
                Err(s) => return TestResult::error(format!("{name}: {s}")),
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(ArbCluster, ArbPod, bool) -> TestResult);
}

const FILTERS: &[&str] = &[
    "TaintToleration",
    "NodeAffinity",
    "NodePorts",
    "NodeResourcesFit",
];

#[test]
fn filters_never_panic_and_reject_with_reasons() {
    fn prop(cluster: ArbCluster, pod: ArbPod, comparison: bool) -> TestResult {
        let g = gates(comparison);
        let snap = cluster.snapshot(g);
        let pod = PodInfo::new(pod.pod(), &g);
        for name in FILTERS {
            let plugin = new_plugin(name, None, &g).expect("default args");
            let mut state = CycleState::new();
            if let Some(pf) = plugin.as_pre_filter() {
                let (_, s) = pf.pre_filter(&mut state, &pod, &snap);
                if s.is_skip() || s.is_rejected() {
                    continue;
                }
            }
            let f = plugin.as_filter().expect("a filter plugin");
            for node in snap.nodes() {
                let s = f.filter(&state, &pod, node);
                if !s.is_success() && (!s.is_rejected() || s.reasons.is_empty()) {
                    return TestResult::error(format!("{name} on {}: {s}", node.name()));
                }
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(ArbCluster, ArbPod, bool) -> TestResult);
}

#[test]
fn tolerating_everything_passes_taint_toleration() {
    fn prop(cluster: ArbCluster, pod: ArbPod, comparison: bool) -> bool {
        let g = gates(comparison);
        let snap = cluster.snapshot(g);
        let mut pod = pod.pod();
        pod.spec
            .tolerations
            .push(model::from_value(&json!({"operator": "Exists"})).expect("a toleration"));
        let pod = PodInfo::new(pod, &g);
        let plugin = new_plugin("TaintToleration", None, &g).expect("no args");
        let f = plugin.as_filter().expect("a filter");
        let state = CycleState::new();
        snap.nodes()
            .iter()
            .all(|n| f.filter(&state, &pod, n).is_success())
    }
    qc().quickcheck(prop as fn(ArbCluster, ArbPod, bool) -> bool);
}

#[test]
fn fit_filter_agrees_with_free_room() {
    fn prop(cluster: ArbCluster, pod: ArbPod) -> TestResult {
        let g = FeatureGates::default();
        let snap = cluster.snapshot(g);
        let pod = pod.pod();
        let request = fit::compute_pod_resource_request(&pod, true);
        for node in snap.nodes() {
            let short = fit::fits(&pod, node, &g);
            let status = fit::status_of(&short);
            let a = &node.allocatable;
            let u = &node.requested;
            let cpu_short = request.milli_cpu > 0 && request.milli_cpu > a.milli_cpu - u.milli_cpu;
            let mem_short = request.memory > 0 && request.memory > a.memory - u.memory;
            let listed = |r: &str| short.iter().any(|s| s.resource_name == r);
            if cpu_short != listed("cpu") || mem_short != listed("memory") {
                return TestResult::error(format!("{}: {short:?}", node.name()));
            }
            let unresolvable = short
                .iter()
                .any(|s| s.requested > s.capacity && s.resource_name != "pods");
            if status.is_rejected()
                && (status.code == Code::UnschedulableAndUnresolvable) != unresolvable
            {
                return TestResult::error(format!("{}: code {status}", node.name()));
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(ArbCluster, ArbPod) -> TestResult);
}

/// `NodeInfo::used_ports` is the set of its pods' host ports (sorted, each
/// once) after adding the pods and after removing one; `image_state` finds
/// every image the node lists by normalized name.
#[test]
fn used_ports_and_image_states_match_a_set_model() {
    fn prop(cluster: ArbCluster, remove: usize) -> TestResult {
        use kubelogic::scheduler::snapshot::{normalized_image_name, HostPort};
        use std::collections::BTreeSet;
        fn model(n: &NodeInfo) -> Vec<HostPort> {
            let set: BTreeSet<HostPort> = n
                .pods
                .iter()
                .flat_map(|p| p.host_ports.iter().cloned())
                .collect();
            set.into_iter().collect()
        }
        let mut snap = cluster.snapshot(FeatureGates::default());
        for n in snap.nodes_mut() {
            if n.used_ports() != model(n).as_slice() {
                return TestResult::error(format!("{}: {:?}", n.name(), n.used_ports()));
            }
            let names: BTreeSet<String> = n
                .node
                .status
                .images
                .iter()
                .flat_map(|i| i.names.iter().map(|s| normalized_image_name(s)))
                .collect();
            let listed: Vec<&String> = n.image_states().iter().map(|(s, _)| s).collect();
            if listed != names.iter().collect::<Vec<_>>()
                || names.iter().any(|s| n.image_state(s).is_none())
            {
                return TestResult::error(format!("{}: {listed:?}", n.name()));
            }
            let Some(key) = n
                .pods
                .get(remove % n.pods.len().max(1))
                .map(|p| p.pod.key())
            else {
                continue;
            };
            if !n.remove_pod(&key) || n.used_ports() != model(n).as_slice() {
                return TestResult::error(format!("{} after removing {key}", n.name()));
            }
        }
        TestResult::passed()
    }
    qc().quickcheck(prop as fn(ArbCluster, usize) -> TestResult);
}
