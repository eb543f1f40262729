//! The snapshot's indexes (topology domains read by node position, pods by
//! label with namespace ids, pods grouped by identical affinity terms)
//! change no plugin result (quickcheck, small random clusters): NodeAffinity,
//! InterPodAffinity and PodTopologySpread give the same Filter statuses and
//! normalized scores
//!
//! - on the indexed snapshot and on the same snapshot with its indexes
//!   marked stale (every node and pod scanned, as upstream does);
//! - for nodes of the snapshot and for copies built on their own (no
//!   position in the snapshot: looked up by their labels);
//! - after `place_all` has bound more pods (indexes updated incrementally)
//!   and on a snapshot built afresh from the same objects.

use std::sync::Arc;

use kubelogic::model::{self, Node, Pod};
use kubelogic::scheduler::framework::{CycleState, NodeScore, Status};
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::{place_all, NodeInfo, Plugin, PodInfo, Profile, Snapshot};
use kubelogic::FeatureGates;
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};
use serde_json::{json, Value};

const ZONE: &str = "topology.kubernetes.io/zone";
const HOST: &str = "kubernetes.io/hostname";
const DISK: &str = "disk";
const DISKS: [&str; 5] = ["ssd", "hdd", "1", "5", "12"];
const OPERATORS: [&str; 6] = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];

fn qc() -> QuickCheck {
    QuickCheck::new().tests(200).max_tests(2000)
}

/// A small cluster and an incoming pod, all from small integers.
#[derive(Clone, Debug)]
struct Case {
    /// Per node: zone and disk (`None`: no such label).
    nodes: Vec<(Option<u8>, Option<u8>)>,
    /// Per pod: (node, app, namespace, affinity kind, terminating).
    pods: Vec<(usize, u8, u8, u8, bool)>,
    /// The incoming pod's app, namespace, and affinity kind.
    incoming: (u8, u8, u8),
    /// Node affinity: (operator, value) for a required term and a
    /// preferred one, and a nodeSelector disk value.
    node_affinity: ((u8, u8), (u8, u8), Option<u8>),
    /// maxSkew and the spread keys (zone or host per constraint).
    spread: (u8, bool, bool),
    /// Pods `place_all` binds afterwards (app, namespace, affinity kind).
    placed: Vec<(u8, u8, u8)>,
}

impl Arbitrary for Case {
    fn arbitrary(g: &mut Gen) -> Self {
        let small = |g: &mut Gen, n: u8| u8::arbitrary(g) % n;
        let n = 1 + usize::arbitrary(g) % 7;
        let nodes = (0..n)
            .map(|_| {
                (
                    (small(g, 6) != 0).then(|| small(g, 3)),
                    (small(g, 3) != 0).then(|| small(g, 5)),
                )
            })
            .collect();
        let pods = (0..usize::arbitrary(g) % 14)
            .map(|_| {
                (
                    usize::arbitrary(g) % n,
                    small(g, 3),
                    small(g, 3),
                    small(g, 7),
                    small(g, 8) == 0,
                )
            })
            .collect();
        Case {
            nodes,
            pods,
            incoming: (small(g, 3), small(g, 3), small(g, 7)),
            node_affinity: (
                (small(g, 6), small(g, 5)),
                (small(g, 6), small(g, 5)),
                (small(g, 3) == 0).then(|| small(g, 5)),
            ),
            spread: (1 + small(g, 3), bool::arbitrary(g), bool::arbitrary(g)),
            placed: (0..usize::arbitrary(g) % 4)
                .map(|_| (small(g, 3), small(g, 3), small(g, 7)))
                .collect(),
        }
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        let base = self.clone();
        Box::new((0..self.pods.len()).rev().map(move |i| {
            let mut c = base.clone();
            c.pods.remove(i);
            c
        }))
    }
}

fn node(i: usize, (zone, disk): (Option<u8>, Option<u8>)) -> Node {
    let mut labels = json!({ HOST: format!("n{i}") });
    if let Some(z) = zone {
        labels[ZONE] = json!(format!("z{z}"));
    }
    if let Some(d) = disk {
        labels[DISK] = json!(DISKS[usize::from(d)]);
    }
    model::from_value(&json!({"metadata": {"name": format!("n{i}"), "labels": labels}})).unwrap()
}

fn term(app: u8, key: &str) -> Value {
    json!({"labelSelector": {"matchLabels": {"app": format!("a{app}")}}, "topologyKey": key})
}

/// Pod (anti-)affinity of one of seven kinds (6: none); kinds repeat, so
/// several pods share the same terms.
fn pod_affinity(app: u8, kind: u8) -> Value {
    let other = (app + 1) % 3;
    match kind {
        0 => {
            json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term(app, ZONE)]}})
        }
        1 => {
            json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term(other, HOST)]}})
        }
        2 => {
            json!({"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term(app, HOST)]}})
        }
        3 => json!({"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 7, "podAffinityTerm": term(app, ZONE)}]},
            "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 3, "podAffinityTerm": term(other, HOST)}]}}),
        4 => json!({"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 5, "podAffinityTerm": {"labelSelector": {"matchExpressions": [
                {"key": "app", "operator": "In", "values": ["a0", format!("a{app}")]}]},
                "namespaces": ["default", "other"], "topologyKey": ZONE}}]}}),
        5 => json!({"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 2, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": format!("a{app}")},
                "matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]},
                "namespaceSelector": {}, "topologyKey": DISK}}]}}),
        _ => Value::Null,
    }
}

fn pod(name: &str, app: u8, ns: u8, kind: u8, spec: Value) -> Pod {
    let mut spec = spec;
    let affinity = pod_affinity(app, kind);
    if !affinity.is_null() {
        spec["affinity"] = affinity;
    }
    let namespace = ["default", "other", "third"][usize::from(ns)];
    model::from_value(&json!({
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": format!("a{app}")}},
        "spec": spec
    }))
    .unwrap()
}

fn existing(i: usize, (node, app, ns, kind, terminating): (usize, u8, u8, u8, bool)) -> Pod {
    let mut p = pod(
        &format!("p{i}"),
        app,
        ns,
        kind,
        json!({"nodeName": format!("n{node}")}),
    );
    if terminating {
        p.metadata.deletion_timestamp = Some("2024-01-01T00:00:00Z".into());
    }
    p
}

fn requirement((op, value): (u8, u8)) -> Value {
    let op = OPERATORS[usize::from(op)];
    let values: Vec<&str> = match op {
        "Exists" | "DoesNotExist" => vec![],
        "Gt" | "Lt" => vec![["0", "1", "4", "5", "12"][usize::from(value)]],
        _ => vec![DISKS[usize::from(value)], "ssd"],
    };
    json!({"key": DISK, "operator": op, "values": values})
}

fn incoming(c: &Case) -> Pod {
    let (app, ns, kind) = c.incoming;
    let (required, preferred, selector) = c.node_affinity;
    let (skew, zone_hard, zone_soft) = c.spread;
    let key = |zone: bool| if zone { ZONE } else { HOST };
    let mut spec = json!({
        "topologySpreadConstraints": [
            {"maxSkew": skew, "topologyKey": key(zone_hard), "whenUnsatisfiable": "DoNotSchedule",
             "labelSelector": {"matchLabels": {"app": format!("a{app}")}}},
            {"maxSkew": skew, "topologyKey": key(zone_soft), "whenUnsatisfiable": "ScheduleAnyway",
             "labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": [format!("a{app}")]}]}}]
    });
    let mut p = pod("incoming", app, ns, kind, spec.take());
    let affinity: Value = json!({
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [requirement(required)]},
            {"matchExpressions": [{"key": ZONE, "operator": "In", "values": ["z2"]}],
             "matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["n0"]}]}]},
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 4, "preference": {"matchExpressions": [requirement(preferred)]}},
            {"weight": 9, "preference": {"matchExpressions": [{"key": ZONE, "operator": "Exists"}]}}]
    });
    let mut a = p
        .spec
        .affinity
        .take()
        .map_or(json!({}), |a| serde_json::to_value(a).unwrap());
    a["nodeAffinity"] = affinity;
    p.spec.affinity = Some(model::from_value(&a).unwrap());
    if let Some(d) = selector {
        p.spec
            .node_selector
            .insert(DISK.to_owned(), DISKS[usize::from(d)].to_owned());
    }
    p
}

fn snapshot(c: &Case) -> Snapshot {
    let nodes = c
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| node(i, *n))
        .collect();
    let pods = c
        .pods
        .iter()
        .enumerate()
        .map(|(i, p)| existing(i, *p))
        .collect();
    // A Service selecting app a0 in `default`: pods without constraints of
    // their own get the system default spreading (hostname and zone).
    let service = model::from_value(&json!({
        "metadata": {"name": "svc", "namespace": "default"},
        "spec": {"selector": {"app": "a0"}}
    }))
    .unwrap();
    let objects = model::Objects {
        nodes,
        pods,
        services: vec![service],
        ..model::Objects::default()
    };
    Snapshot::from_objects(objects, FeatureGates::default())
}

/// The incoming pod without topology spread constraints of its own.
fn unconstrained(c: &Case) -> Pod {
    let mut p = incoming(c);
    p.spec.topology_spread_constraints.clear();
    p
}

/// The snapshot with its indexes marked stale (plugins scan).
fn stale(snap: &Snapshot) -> Snapshot {
    let mut s = snap.clone();
    let _ = s.nodes_mut();
    assert!(s.valid_indexes().is_none());
    s
}

/// The snapshot's nodes rebuilt on their own (no snapshot position).
fn standalone(snap: &Snapshot) -> Vec<NodeInfo> {
    snap.nodes()
        .iter()
        .map(|n| {
            let mut copy = NodeInfo::new(Arc::clone(&n.node));
            for p in &n.pods {
                copy.add_pod(Arc::clone(p));
            }
            assert!(copy.snapshot_position().is_none());
            copy
        })
        .collect()
}

const PLUGINS: [&str; 3] = ["NodeAffinity", "InterPodAffinity", "PodTopologySpread"];

fn plugin(name: &str) -> Box<dyn Plugin> {
    new_plugin(name, None, &FeatureGates::default()).unwrap()
}

/// Filter statuses (PreFilter's own status on every node when it rejects
/// or skips) and normalized scores over `nodes`, with PreFilter and
/// PreScore run on `snap`; scores through both `score` and `score_nodes`,
/// which must agree.
fn outcomes(
    p: &dyn Plugin,
    pod: &PodInfo,
    snap: &Snapshot,
    nodes: &[&NodeInfo],
) -> Result<(Vec<Status>, Vec<i64>), String> {
    let mut state = CycleState::new();
    let (_, pre) = p.as_pre_filter().unwrap().pre_filter(&mut state, pod, snap);
    let statuses = if pre.is_success() {
        let f = p.as_filter().unwrap();
        nodes.iter().map(|n| f.filter(&state, pod, n)).collect()
    } else {
        vec![pre; nodes.len()]
    };
    let mut scores: Vec<NodeScore<'_>> = nodes
        .iter()
        .map(|n| NodeScore {
            name: n.name(),
            score: 0,
        })
        .collect();
    let ps = p
        .as_pre_score()
        .unwrap()
        .pre_score(&mut state, pod, nodes, snap);
    if ps.is_success() {
        let s = p.as_score().unwrap();
        let single: Vec<i64> = nodes
            .iter()
            .map(|n| s.score(&state, pod, n))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        s.score_nodes(&state, pod, nodes, &mut scores)
            .map_err(|e| e.to_string())?;
        let batch: Vec<i64> = scores.iter().map(|s| s.score).collect();
        if batch != single {
            return Err(format!("score_nodes {batch:?} != score {single:?}"));
        }
        let st = s.normalize(&state, pod, &mut scores);
        if !st.is_success() {
            return Err(st.to_string());
        }
    } else if !ps.is_skip() {
        return Err(format!("PreScore: {ps}"));
    }
    Ok((statuses, scores.into_iter().map(|s| s.score).collect()))
}

/// Every plugin agrees between the indexed snapshot, the stale one, and
/// standalone copies of the nodes.
fn agree(snap: &Snapshot, pod: &Pod) -> Result<(), String> {
    let gates = FeatureGates::default();
    let info = PodInfo::new(pod.clone(), &gates);
    let scanned = stale(snap);
    let copies = standalone(snap);
    let indexed_nodes: Vec<&NodeInfo> = snap.nodes().iter().collect();
    let scanned_nodes: Vec<&NodeInfo> = scanned.nodes().iter().collect();
    let copy_nodes: Vec<&NodeInfo> = copies.iter().collect();
    for name in PLUGINS {
        let p = plugin(name);
        let want = outcomes(p.as_ref(), &info, &scanned, &scanned_nodes)?;
        let got = outcomes(p.as_ref(), &info, snap, &indexed_nodes)?;
        if got != want {
            return Err(format!("{name} indexed {got:?} != scanned {want:?}"));
        }
        let copied = outcomes(p.as_ref(), &info, snap, &copy_nodes)?;
        if copied != want {
            return Err(format!("{name} standalone {copied:?} != scanned {want:?}"));
        }
    }
    Ok(())
}

fn indexes_change_nothing(c: Case) -> TestResult {
    let snap = snapshot(&c);
    assert!(snap.valid_indexes().is_some());
    let target = incoming(&c);
    if let Err(e) = agree(&snap, &target) {
        return TestResult::error(e);
    }
    if let Err(e) = agree(&snap, &unconstrained(&c)) {
        return TestResult::error(format!("system default spreading: {e}"));
    }
    // Bind more pods through place_all: the incremental index updates must
    // describe the grown snapshot as a fresh build does.
    let mut placed = snap.clone();
    let profile = Profile::default_profile(FeatureGates::default()).unwrap();
    let pods: Vec<Pod> = c
        .placed
        .iter()
        .enumerate()
        .map(|(i, &(app, ns, kind))| pod(&format!("new{i}"), app, ns, kind, json!({})))
        .collect();
    place_all(&mut placed, &pods, &profile);
    assert!(placed.valid_indexes().is_some());
    if let Err(e) = agree(&placed, &target) {
        return TestResult::error(format!("after place_all: {e}"));
    }
    let fresh = Snapshot::from_objects(
        model::Objects {
            nodes: placed.nodes().iter().map(|n| (*n.node).clone()).collect(),
            pods: placed
                .nodes()
                .iter()
                .flat_map(|n| n.pods.iter().map(|p| (*p.pod).clone()))
                .collect(),
            services: placed.objects.services.clone(),
            ..model::Objects::default()
        },
        FeatureGates::default(),
    );
    let info = PodInfo::new(target, &FeatureGates::default());
    for name in PLUGINS {
        let p = plugin(name);
        let a: Vec<&NodeInfo> = placed.nodes().iter().collect();
        let b: Vec<&NodeInfo> = fresh.nodes().iter().collect();
        let (x, y) = (
            outcomes(p.as_ref(), &info, &placed, &a),
            outcomes(p.as_ref(), &info, &fresh, &b),
        );
        if x != y {
            return TestResult::error(format!("{name}: placed {x:?} != fresh {y:?}"));
        }
    }
    TestResult::passed()
}

#[test]
fn prop_indexes_change_nothing() {
    qc().quickcheck(indexes_change_nothing as fn(Case) -> TestResult);
}
