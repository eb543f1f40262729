//! The cycle's own logic with small hand-written plugins (so it is tested
//! independently of the in-tree plugins): PreFilter narrowing, first failing
//! filter, scoring and the deterministic tie-break, percentageOfNodesToScore,
//! plugin errors, and DefaultPreemption's victim selection and node choice.

use kubelogic::model::{self, Pod, PodDisruptionBudget};
use kubelogic::scheduler::cycle::{schedule, ScheduleError};
use kubelogic::scheduler::framework::{
    CycleState, ExtensionPoint, FilterPlugin, PreFilterPlugin, PreFilterResult, ScorePlugin, Status,
};
use kubelogic::scheduler::plugins::defaultpreemption::DefaultPreemption;
use kubelogic::scheduler::{NodeInfo, Plugin, PodInfo, Profile, ProfilePlugin, Snapshot};
use kubelogic::FeatureGates;
use kubelogic::SortedSet;
use serde_json::{json, Value};

/// Filter: cpu and pod count against allocatable (as NodeResourcesFit, reduced).
#[derive(Debug)]
struct FakeFit;

impl Plugin for FakeFit {
    fn name(&self) -> &'static str {
        "FakeFit"
    }
    fn as_filter(&self) -> Option<&dyn FilterPlugin> {
        Some(self)
    }
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        Some(self)
    }
}

impl FilterPlugin for FakeFit {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let mut reasons = Vec::new();
        if node.pods.len() as i64 + 1 > node.allocatable.allowed_pod_number {
            reasons.push("Too many pods".to_owned());
        }
        if node.requested.milli_cpu + pod.requests.milli_cpu > node.allocatable.milli_cpu {
            reasons.push("Insufficient cpu".to_owned());
        }
        if node.node.metadata.labels.contains_key("broken") {
            return Status::error("broken node");
        }
        if reasons.is_empty() {
            Status::success()
        } else {
            Status::with_reasons(kubelogic::scheduler::Code::Unschedulable, reasons)
        }
    }
}

impl ScorePlugin for FakeFit {
    fn score(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let alloc = node.allocatable.milli_cpu.max(1);
        let free = alloc - node.requested.milli_cpu - pod.requests.milli_cpu;
        Ok((free * 100 / alloc).clamp(0, 100))
    }
}

/// PreFilter: narrows the cycle to nodes labelled `pool=<pod's pool label>`.
#[derive(Debug)]
struct FakeNarrow;

impl Plugin for FakeNarrow {
    fn name(&self) -> &'static str {
        "FakeNarrow"
    }
    fn as_pre_filter(&self) -> Option<&dyn PreFilterPlugin> {
        Some(self)
    }
}

impl PreFilterPlugin for FakeNarrow {
    fn pre_filter(
        &self,
        _: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> (Option<PreFilterResult>, Status) {
        let Some(pool) = pod.pod.metadata.labels.get("pool") else {
            return (None, Status::skip());
        };
        let names: SortedSet<String> = snapshot
            .nodes()
            .iter()
            .filter(|n| n.node.metadata.labels.get("pool") == Some(pool))
            .map(|n| n.name().to_owned())
            .collect();
        (
            Some(PreFilterResult {
                node_names: Some(names),
            }),
            Status::success(),
        )
    }
}

fn profile(preemption: bool) -> Profile {
    let mut p = Profile::new(Some(&[]), &Default::default(), FeatureGates::default())
        .expect("empty profile");
    p.plugins = vec![
        ProfilePlugin {
            plugin: Box::new(FakeNarrow),
            weight: 0,
        },
        ProfilePlugin {
            plugin: Box::new(FakeFit),
            weight: 1,
        },
    ];
    p.default_preemption = preemption.then(DefaultPreemption::default);
    p
}

fn node(name: &str, cpu: &str, labels: Value) -> model::Node {
    model::from_value_at(
        &json!({"metadata": {"name": name, "labels": labels},
            "status": {"allocatable": {"cpu": cpu, "pods": "32"}}}),
        "node",
    )
    .expect("node")
}

fn pod(name: &str, cpu: &str, priority: i32, extra: Value) -> Pod {
    let mut v = json!({"metadata": {"name": name, "namespace": "default", "labels": {}},
        "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}],
                 "priority": priority}});
    merge(&mut v, extra);
    model::from_value_at(&v, "pod").expect("pod")
}

fn merge(a: &mut Value, b: Value) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (a, b) => *a = b,
    }
}

fn bound(name: &str, node: &str, cpu: &str, priority: i32, extra: Value) -> Pod {
    let mut p = pod(name, cpu, priority, extra);
    p.spec.node_name = Some(node.to_owned());
    p
}

fn snapshot(nodes: Vec<model::Node>, pods: Vec<Pod>, pdbs: Vec<PodDisruptionBudget>) -> Snapshot {
    let objects = model::Objects {
        nodes,
        pods,
        pod_disruption_budgets: pdbs,
        ..model::Objects::default()
    };
    Snapshot::from_objects(objects, FeatureGates::default())
}

#[test]
fn highest_score_wins_and_ties_go_to_the_first_node() {
    let snap = snapshot(
        vec![
            node("n1", "2", json!({})),
            node("n2", "4", json!({})),
            node("n3", "4", json!({})),
        ],
        vec![],
        vec![],
    );
    let r = schedule(&snap, &pod("p", "1", 0, json!({})), &profile(false));
    assert_eq!(r.tied_names().collect::<Vec<_>>(), vec!["n2", "n3"]);
    assert_eq!(r.selected_name(), Some("n2"));
    assert_eq!(r.node("n1").and_then(|n| n.total), Some(50));
    assert_eq!(r.node("n2").and_then(|n| n.total), Some(75));
    let s = &r.node_scores("n2")[0];
    assert_eq!(
        (s.plugin, s.raw, s.normalized, s.weight, s.weighted),
        ("FakeFit", 75, 75, 1, 75)
    );
    assert_eq!(r.skipped_filter_plugins, vec!["FakeNarrow"]);
    assert!(r.fit_error.is_none());
}

#[test]
fn single_feasible_node_is_chosen_without_scoring() {
    let snap = snapshot(
        vec![node("n1", "2", json!({})), node("n2", "500m", json!({}))],
        vec![],
        vec![],
    );
    let r = schedule(&snap, &pod("p", "1", 0, json!({})), &profile(false));
    assert_eq!(r.selected_name(), Some("n1"));
    assert_eq!(r.scored_nodes, 0);
    assert_eq!(r.node("n1").and_then(|n| n.total), None);
}

#[test]
fn pre_filter_narrowing_marks_the_other_nodes() {
    let snap = snapshot(
        vec![
            node("n1", "2", json!({"pool": "a"})),
            node("n2", "2", json!({"pool": "b"})),
            node("n3", "500m", json!({"pool": "a"})),
        ],
        vec![],
        vec![],
    );
    let p = pod("p", "1", 0, json!({"metadata": {"labels": {"pool": "a"}}}));
    let r = schedule(&snap, &p, &profile(false));
    assert_eq!(r.selected_name(), Some("n1"));
    let n2 = r
        .node("n2")
        .and_then(|n| n.status.clone())
        .expect("n2 status");
    assert_eq!(
        n2.reasons,
        vec!["node(s) didn't satisfy plugin(s) [FakeNarrow]"]
    );

    let p = pod("p", "4", 0, json!({"metadata": {"labels": {"pool": "a"}}}));
    let r = schedule(&snap, &p, &profile(false));
    assert_eq!(
        r.message().as_deref(),
        Some("0/3 nodes are available: 1 node(s) didn't satisfy plugin(s) [FakeNarrow], 2 Insufficient cpu.")
    );

    let p = pod(
        "p",
        "1",
        0,
        json!({"metadata": {"labels": {"pool": "none"}}}),
    );
    let r = schedule(&snap, &p, &profile(false));
    assert_eq!(
        r.message().as_deref(),
        Some("0/3 nodes are available: node(s) didn't satisfy plugin FakeNarrow.")
    );
}

#[test]
fn filter_error_stops_the_cycle() {
    let snap = snapshot(
        vec![node("n1", "2", json!({"broken": "yes"}))],
        vec![],
        vec![],
    );
    let r = schedule(&snap, &pod("p", "1", 0, json!({})), &profile(false));
    assert!(
        matches!(&r.error, Some(ScheduleError::Plugin { plugin, extension_point: ExtensionPoint::Filter, message })
            if plugin == "FakeFit" && message == "running \"FakeFit\" filter plugin: broken node"),
        "{:?}",
        r.error
    );
    let empty = snapshot(vec![], vec![], vec![]);
    let r = schedule(&empty, &pod("p", "1", 0, json!({})), &profile(false));
    assert_eq!(r.error, Some(ScheduleError::NoNodesAvailable));
}

#[test]
fn percentage_of_nodes_to_score_stops_the_search() {
    let nodes = (0..250)
        .map(|i| node(&format!("n{i:03}"), "2", json!({})))
        .collect();
    let snap = snapshot(nodes, vec![], vec![]);
    let mut prof = profile(false);
    let r = schedule(&snap, &pod("p", "1", 0, json!({})), &prof);
    assert_eq!(r.feasible.len(), 250);
    prof.percentage_of_nodes_to_score = Some(0);
    let r = schedule(&snap, &pod("p", "1", 0, json!({})), &prof);
    // 250 nodes: 50 - 250/125 = 48% → 120 nodes.
    assert_eq!(r.feasible.len(), 120);
    assert_eq!(r.evaluated_nodes, 120);
    assert!(r.nodes.iter().skip(120).all(|n| n.status.is_none()));
}

#[test]
fn nominated_node_is_tried_first() {
    let snap = snapshot(
        vec![node("n1", "4", json!({})), node("n2", "2", json!({}))],
        vec![],
        vec![],
    );
    let p = pod("p", "1", 0, json!({"status": {"nominatedNodeName": "n2"}}));
    let r = schedule(&snap, &p, &profile(false));
    assert_eq!(r.selected_name(), Some("n2"));
    assert_eq!(r.feasible_names().collect::<Vec<_>>(), vec!["n2"]);
    assert!(r.node("n1").and_then(|n| n.status.clone()).is_none());
}

#[test]
fn preemption_picks_the_node_with_the_least_important_victims() {
    let snap = snapshot(
        vec![
            node("n1", "1", json!({})),
            node("n2", "1", json!({})),
            node("n3", "1", json!({})),
        ],
        vec![
            bound("a", "n1", "1", 100, json!({})),
            bound("b", "n2", "600m", 10, json!({})),
            bound("c", "n2", "400m", 5, json!({})),
            bound("d", "n3", "1", 2000, json!({})),
        ],
        vec![],
    );
    let r = schedule(&snap, &pod("p", "1", 1000, json!({})), &profile(true));
    let pre = r.preemption.as_ref().expect("preemption ran");
    assert_eq!(pre.nominated_node.as_deref(), Some("n2"), "{pre:?}");
    assert_eq!(pre.victims, vec!["default/b", "default/c"]);
    assert_eq!(pre.candidates.len(), 2);
    assert!(pre.status.is_success());
    assert_eq!(
        r.message().as_deref(),
        Some("0/3 nodes are available: 3 Insufficient cpu."),
        "a successful preemption adds no suffix"
    );
}

#[test]
fn preemption_reprieves_what_still_fits() {
    let snap = snapshot(
        vec![node("n1", "2", json!({}))],
        vec![
            bound(
                "high",
                "n1",
                "500m",
                500,
                json!({"status": {"startTime": "2024-01-01T00:00:00Z"}}),
            ),
            bound(
                "low1",
                "n1",
                "500m",
                1,
                json!({"status": {"startTime": "2024-01-01T00:00:00Z"}}),
            ),
            bound(
                "low2",
                "n1",
                "500m",
                1,
                json!({"status": {"startTime": "2024-01-02T00:00:00Z"}}),
            ),
            bound("low3", "n1", "500m", 1, json!({})),
        ],
        vec![],
    );
    // Needs 1 cpu: two pods must go. Reprieve order: high, low1 (earliest), low2, low3.
    let r = schedule(&snap, &pod("p", "1", 1000, json!({})), &profile(true));
    let pre = r.preemption.expect("preemption ran");
    assert_eq!(pre.victims, vec!["default/low2", "default/low3"]);
}

fn pdb(disruptions_allowed: i32) -> PodDisruptionBudget {
    model::from_value_at(
        &json!({"metadata": {"name": "pdb", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "db"}}},
            "status": {"disruptionsAllowed": disruptions_allowed}}),
        "pdb",
    )
    .expect("pdb")
}

#[test]
fn preemption_prefers_nodes_without_pdb_violations() {
    let nodes = vec![node("n1", "1", json!({})), node("n2", "1", json!({}))];
    let pods = vec![
        bound(
            "db",
            "n1",
            "1",
            1,
            json!({"metadata": {"labels": {"app": "db"}}}),
        ),
        bound(
            "web",
            "n2",
            "1",
            100,
            json!({"metadata": {"labels": {"app": "web"}}}),
        ),
    ];
    let r = schedule(
        &snapshot(nodes.clone(), pods.clone(), vec![pdb(0)]),
        &pod("p", "1", 1000, json!({})),
        &profile(true),
    );
    let pre = r.preemption.expect("preemption ran");
    assert_eq!(pre.nominated_node.as_deref(), Some("n2"));
    let on_n1 = pre
        .candidates
        .iter()
        .find(|c| c.node == "n1")
        .expect("n1 is a candidate");
    assert_eq!(on_n1.num_pdb_violations, 1);
    // With budget left, the lower-priority victim wins.
    let r = schedule(
        &snapshot(nodes, pods, vec![pdb(1)]),
        &pod("p", "1", 1000, json!({})),
        &profile(true),
    );
    assert_eq!(
        r.preemption.expect("ran").nominated_node.as_deref(),
        Some("n1")
    );
}

#[test]
fn preemption_messages() {
    let snap = snapshot(
        vec![node("n1", "1", json!({})), node("n2", "500m", json!({}))],
        vec![
            bound("a", "n1", "1", 1000, json!({})),
            bound("b", "n2", "100m", 1, json!({})),
        ],
        vec![],
    );
    let r = schedule(&snap, &pod("p", "1", 1000, json!({})), &profile(true));
    assert_eq!(
        r.message().as_deref(),
        Some("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod.")
    );
    let pre = r.preemption.expect("ran");
    assert_eq!(pre.nominated_node.as_deref(), Some(""));

    let never = pod(
        "p",
        "1",
        2000,
        json!({"spec": {"preemptionPolicy": "Never"}}),
    );
    let r = schedule(&snap, &never, &profile(true));
    assert_eq!(
        r.message().as_deref(),
        Some("0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")
    );
    let pre = r.preemption.expect("ran");
    assert!(!pre.eligible);
    assert_eq!(pre.nominated_node, None);

    let r = schedule(&snap, &pod("p", "1", 2000, json!({})), &profile(false));
    assert_eq!(
        r.message().as_deref(),
        Some("0/2 nodes are available: 2 Insufficient cpu.")
    );
    assert!(r.preemption.is_none());
}

/// NodeAffinity's `addedAffinity` may carry any weight (upstream's args
/// validation does not check it), so a -5 gives every matching node a
/// negative normalized score. The framework does not decide on it: it
/// ends the cycle with an Error status naming the plugin, in
/// `RunScorePlugins`' words.
#[test]
fn a_score_out_of_range_after_normalizing_is_an_error_naming_the_plugin() {
    let mut config = std::collections::BTreeMap::new();
    config.insert(
        "NodeAffinity".to_owned(),
        json!({"addedAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": -5,
            "preference": {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["a"]}]}}]}}),
    );
    let enabled = ["NodeAffinity".to_owned()];
    let profile = Profile::new(Some(&enabled), &config, FeatureGates::default()).expect("profile");
    let snap = snapshot(
        vec![
            node("n1", "2", json!({"pool": "a"})),
            node("n2", "2", json!({"pool": "b"})),
        ],
        vec![],
        vec![],
    );
    let r = schedule(&snap, &pod("p", "1", 0, json!({})), &profile);
    assert_eq!(r.selected_name(), None);
    assert_eq!(
        r.error,
        Some(ScheduleError::Plugin {
            plugin: "NodeAffinity".to_owned(),
            extension_point: ExtensionPoint::Score,
            message: "applying score defaultWeights on Score plugins: plugin \"NodeAffinity\" returns an invalid score -5, it should in the range of [0, 100] after normalizing".to_owned(),
        })
    );
    // A weight in range scores and decides.
    config.insert(
        "NodeAffinity".to_owned(),
        json!({"addedAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 5,
            "preference": {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["a"]}]}}]}}),
    );
    let profile = Profile::new(Some(&enabled), &config, FeatureGates::default()).expect("profile");
    let r = schedule(&snap, &pod("p", "1", 0, json!({})), &profile);
    assert_eq!((r.selected_name(), r.error.as_ref()), (Some("n1"), None));
}
