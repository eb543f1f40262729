//! Properties of InterPodAffinity and PodTopologySpread over small random
//! clusters (quickcheck): the Filter rule of topology spread against a
//! direct count, normalized scores within `0..=100`, and the AddPod /
//! RemovePod extensions (which preemption relies on) agreeing with a fresh
//! PreFilter over the changed cluster.

use kubelogic::model::{self, Node, Pod};
use kubelogic::scheduler::framework::{CycleState, NodeScore, Status};
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::{NodeInfo, Plugin, PodInfo, Snapshot};
use kubelogic::FeatureGates;
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};
use serde_json::{json, Value};

const ZONE: &str = "topology.kubernetes.io/zone";
const HOST: &str = "kubernetes.io/hostname";

fn qc() -> QuickCheck {
    QuickCheck::new().tests(300).max_tests(3000)
}

/// A small cluster: nodes with a hostname and (mostly) a zone, pods with an
/// app label bound to them, some with affinity terms of their own.
#[derive(Clone, Debug)]
struct Cluster {
    /// Per node: its zone (`None`: no zone label).
    zones: Vec<Option<u8>>,
    /// Per pod: (node index, app, namespace index, affinity kind).
    pods: Vec<(usize, u8, u8, u8)>,
    /// maxSkew of the incoming pod's constraint.
    max_skew: u8,
    /// The incoming pod's app.
    app: u8,
    /// The incoming pod's term weights.
    weights: (u8, u8),
}

impl Arbitrary for Cluster {
    fn arbitrary(g: &mut Gen) -> Self {
        let n = 1 + usize::arbitrary(g) % 7;
        let zones = (0..n)
            .map(|_| (u8::arbitrary(g) % 8 != 0).then(|| u8::arbitrary(g) % 3))
            .collect();
        let p = usize::arbitrary(g) % 14;
        let pods = (0..p)
            .map(|_| {
                (
                    usize::arbitrary(g) % n,
                    u8::arbitrary(g) % 3,
                    u8::arbitrary(g) % 4,
                    u8::arbitrary(g) % 6,
                )
            })
            .collect();
        Cluster {
            zones,
            pods,
            max_skew: 1 + u8::arbitrary(g) % 3,
            app: u8::arbitrary(g) % 3,
            weights: (u8::arbitrary(g) % 101, u8::arbitrary(g) % 101),
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

fn node(i: usize, zone: Option<u8>) -> Node {
    let mut labels = json!({ HOST: format!("n{i}") });
    if let Some(z) = zone {
        labels[ZONE] = json!(format!("z{z}"));
    }
    model::from_value(&json!({"metadata": {"name": format!("n{i}"), "labels": labels}})).unwrap()
}

fn term(app: u8, key: &str) -> Value {
    json!({"labelSelector": {"matchLabels": {"app": format!("a{app}")}}, "topologyKey": key})
}

fn existing(i: usize, (node, app, ns, kind): (usize, u8, u8, u8)) -> Pod {
    let affinity = match kind {
        0 => {
            json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term(app, ZONE)]}})
        }
        1 => {
            json!({"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term(app, HOST)]}})
        }
        2 => json!({"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 7, "podAffinityTerm": term(app, ZONE)}]},
            "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 3, "podAffinityTerm": term((app + 1) % 3, HOST)}]}}),
        _ => Value::Null,
    };
    let mut spec = json!({"nodeName": format!("n{node}")});
    if !affinity.is_null() {
        spec["affinity"] = affinity;
    }
    let namespace = if ns == 0 { "other" } else { "default" };
    model::from_value(&json!({
        "metadata": {"name": format!("p{i}"), "namespace": namespace, "labels": {"app": format!("a{app}")}},
        "spec": spec
    }))
    .unwrap()
}

fn snapshot(c: &Cluster, extra: Option<(usize, (usize, u8, u8, u8))>) -> Snapshot {
    let nodes = c
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| node(i, *z))
        .collect();
    let mut pods: Vec<Pod> = c
        .pods
        .iter()
        .enumerate()
        .map(|(i, p)| existing(i, *p))
        .collect();
    if let Some((i, p)) = extra {
        pods.push(existing(i, p));
    }
    Snapshot::new(nodes, pods, vec![], FeatureGates::default())
}

fn spread_pod(c: &Cluster) -> Pod {
    model::from_value(&json!({
        "metadata": {"name": "incoming", "namespace": "default", "labels": {"app": format!("a{}", c.app)}},
        "spec": {"topologySpreadConstraints": [
            {"maxSkew": c.max_skew, "topologyKey": ZONE, "whenUnsatisfiable": "DoNotSchedule",
             "labelSelector": {"matchLabels": {"app": format!("a{}", c.app)}}},
            {"maxSkew": c.max_skew, "topologyKey": HOST, "whenUnsatisfiable": "ScheduleAnyway",
             "labelSelector": {"matchLabels": {"app": format!("a{}", c.app)}}}]}
    }))
    .unwrap()
}

fn affinity_pod(c: &Cluster) -> Pod {
    let (wa, wb) = c.weights;
    let mut affinity = json!({
        "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term((c.app + 1) % 3, HOST)]},
        "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term(c.app, ZONE)]}
    });
    let mut preferred = Vec::new();
    if wa > 0 {
        preferred.push(json!({"weight": wa, "podAffinityTerm": term(c.app, ZONE)}));
    }
    affinity["podAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] = json!(preferred);
    if wb > 0 {
        affinity["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] =
            json!([{"weight": wb, "podAffinityTerm": term((c.app + 2) % 3, HOST)}]);
    }
    model::from_value(&json!({
        "metadata": {"name": "incoming", "namespace": "default", "labels": {"app": format!("a{}", c.app)}},
        "spec": {"affinity": affinity}
    }))
    .unwrap()
}

fn plugin(name: &str) -> Box<dyn Plugin> {
    let args = (name == "PodTopologySpread").then(|| json!({"defaultingType": "List"}));
    new_plugin(name, args.as_ref(), &FeatureGates::default()).unwrap()
}

/// PreFilter then Filter on every node (all pass on Skip).
fn filter_all(
    p: &dyn Plugin,
    state: &mut CycleState,
    pod: &PodInfo,
    snap: &Snapshot,
) -> Vec<Status> {
    let (_, s) = p.as_pre_filter().unwrap().pre_filter(state, pod, snap);
    if s.is_skip() {
        return snap.nodes().iter().map(|_| Status::success()).collect();
    }
    assert!(s.is_success(), "PreFilter: {s}");
    filter_with(p, state, pod, snap)
}

fn filter_with(p: &dyn Plugin, state: &CycleState, pod: &PodInfo, snap: &Snapshot) -> Vec<Status> {
    let f = p.as_filter().unwrap();
    snap.nodes()
        .iter()
        .map(|n| f.filter(state, pod, n))
        .collect()
}

fn normalized_scores(p: &dyn Plugin, pod: &PodInfo, snap: &Snapshot) -> Vec<i64> {
    let nodes: Vec<&NodeInfo> = snap.nodes().iter().collect();
    let mut state = CycleState::new();
    if p.as_pre_score()
        .unwrap()
        .pre_score(&mut state, pod, &nodes, snap)
        .is_skip()
    {
        return vec![0; nodes.len()];
    }
    let s = p.as_score().unwrap();
    let mut scores: Vec<NodeScore<'_>> = nodes
        .iter()
        .map(|n| NodeScore {
            name: n.name(),
            score: s.score(&state, pod, n).unwrap(),
        })
        .collect();
    assert!(s.normalize(&state, pod, &mut scores).is_success());
    scores.into_iter().map(|s| s.score).collect()
}

/// A node passes PodTopologySpread's Filter iff it has the zone label and
/// one more matching pod in its zone stays within maxSkew of the least
/// loaded zone (counting matching pods of the pod's namespace per zone).
fn spread_filter_matches_direct_count(c: Cluster) -> bool {
    let snap = snapshot(&c, None);
    let gates = FeatureGates::default();
    let pod = PodInfo::new(spread_pod(&c), &gates);
    let p = plugin("PodTopologySpread");
    let statuses = filter_all(p.as_ref(), &mut CycleState::new(), &pod, &snap);
    let mut counts = std::collections::BTreeMap::<u8, i64>::new();
    for z in c.zones.iter().flatten() {
        counts.entry(*z).or_insert(0);
    }
    for (n, app, ns, _) in &c.pods {
        if let (Some(z), true, true) = (c.zones[*n], *app == c.app, *ns != 0) {
            *counts.entry(z).or_insert(0) += 1;
        }
    }
    let min = counts.values().copied().min().unwrap_or(0);
    c.zones.iter().zip(&statuses).all(|(z, status)| match z {
        None => !status.is_success(),
        Some(z) => status.is_success() == (counts[z] + 1 - min <= i64::from(c.max_skew)),
    })
}

#[test]
fn prop_spread_filter_matches_direct_count() {
    qc().quickcheck(spread_filter_matches_direct_count as fn(Cluster) -> bool);
}

fn normalized_scores_in_range(c: Cluster) -> bool {
    let snap = snapshot(&c, None);
    let gates = FeatureGates::default();
    let ipa = plugin("InterPodAffinity");
    let pts = plugin("PodTopologySpread");
    let a = normalized_scores(ipa.as_ref(), &PodInfo::new(affinity_pod(&c), &gates), &snap);
    let s = normalized_scores(pts.as_ref(), &PodInfo::new(spread_pod(&c), &gates), &snap);
    a.iter().chain(&s).all(|v| (0..=100).contains(v))
}

#[test]
fn prop_normalized_scores_in_range() {
    qc().quickcheck(normalized_scores_in_range as fn(Cluster) -> bool);
}

/// AddPod on the PreFilter state of a cluster gives the Filter results of a
/// fresh PreFilter over the cluster with that pod bound; RemovePod undoes it.
fn add_remove_pod_agree_with_pre_filter(c: Cluster, extra: (usize, u8, u8, u8)) -> TestResult {
    let extra = (
        extra.0 % c.zones.len(),
        extra.1 % 3,
        extra.2 % 4,
        extra.3 % 6,
    );
    let gates = FeatureGates::default();
    let before = snapshot(&c, None);
    let after = snapshot(&c, Some((c.pods.len(), extra)));
    let added = PodInfo::new(existing(c.pods.len(), extra), &gates);
    let node_name = format!("n{}", extra.0);
    for (name, pod) in [
        ("InterPodAffinity", affinity_pod(&c)),
        ("PodTopologySpread", spread_pod(&c)),
    ] {
        let p = plugin(name);
        let pod = PodInfo::new(pod, &gates);
        let pf = p.as_pre_filter().unwrap();
        let mut state = CycleState::new();
        let (_, s0) = pf.pre_filter(&mut state, &pod, &before);
        let mut fresh = CycleState::new();
        let want = filter_all(p.as_ref(), &mut fresh, &pod, &after);
        if s0.is_skip() {
            // Nothing to extend; the fresh PreFilter may still find work.
            continue;
        }
        let original = filter_with(p.as_ref(), &state, &pod, &before);
        let node = after.node(&node_name).unwrap();
        let mut extended = state.clone();
        assert!(pf
            .add_pod(&mut extended, &pod, &added, node, &after)
            .is_success());
        let got = filter_with(p.as_ref(), &extended, &pod, &after);
        if got != want {
            return TestResult::error(format!("{name} AddPod: {got:?} != {want:?}"));
        }
        assert!(pf
            .remove_pod(&mut extended, &pod, &added, node, &before)
            .is_success());
        let undone = filter_with(p.as_ref(), &extended, &pod, &before);
        if undone != original {
            return TestResult::error(format!("{name} RemovePod: {undone:?} != {original:?}"));
        }
    }
    TestResult::passed()
}

#[test]
fn prop_add_remove_pod_agree_with_pre_filter() {
    qc().quickcheck(
        add_remove_pod_agree_with_pre_filter as fn(Cluster, (usize, u8, u8, u8)) -> TestResult,
    );
}

/// The snapshot's indexes change nothing: Filter statuses and normalized
/// scores equal those of the same snapshot with its indexes marked stale
/// (every node and pod scanned, as upstream does).
fn indexes_agree_with_scanning(c: Cluster) -> bool {
    let gates = FeatureGates::default();
    let indexed = snapshot(&c, None);
    let mut scanned = indexed.clone();
    let _ = scanned.nodes_mut();
    assert!(scanned.valid_indexes().is_none());
    assert!(indexed.valid_indexes().is_some());
    [
        ("InterPodAffinity", affinity_pod(&c)),
        ("PodTopologySpread", spread_pod(&c)),
    ]
    .into_iter()
    .all(|(name, pod)| {
        let p = plugin(name);
        let pod = PodInfo::new(pod, &gates);
        filter_all(p.as_ref(), &mut CycleState::new(), &pod, &indexed)
            == filter_all(p.as_ref(), &mut CycleState::new(), &pod, &scanned)
            && normalized_scores(p.as_ref(), &pod, &indexed)
                == normalized_scores(p.as_ref(), &pod, &scanned)
    })
}

#[test]
fn prop_indexes_agree_with_scanning() {
    qc().quickcheck(indexes_agree_with_scanning as fn(Cluster) -> bool);
}
