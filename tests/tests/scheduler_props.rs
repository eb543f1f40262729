//! Properties of the scheduling cycle on small random clusters built from
//! the model: normalized scores stay within 0..=100; a node that fails a
//! filter is never selected; adding a node the pod cannot use changes no
//! other node's score nor the choice; N identical pods spread with maxSkew 1
//! over zones never exceed skew 1 when every node has room.

use std::collections::BTreeMap;

use kubelogic::model::{self, Node, Pod};
use kubelogic::scheduler::{place, schedule, Profile, Snapshot};
use kubelogic::FeatureGates;
use quickcheck::{Arbitrary, Gen, QuickCheck};
use serde_json::{json, Value};

fn pick<T: Copy>(g: &mut Gen, xs: &[T]) -> T {
    *g.choose(xs).expect("non-empty")
}

#[derive(Clone, Debug)]
struct GenNode {
    cpu_m: u32,
    mem_mi: u32,
    pods: u32,
    zone: u8,
    unschedulable: bool,
    taint: Option<(u8, bool)>,
    image: bool,
}

impl Arbitrary for GenNode {
    fn arbitrary(g: &mut Gen) -> Self {
        GenNode {
            cpu_m: pick(g, &[500, 1000, 2000, 4000, 8000]),
            mem_mi: pick(g, &[512, 1024, 4096, 16384]),
            pods: pick(g, &[1, 2, 5, 110]),
            zone: u8::arbitrary(g) % 3,
            unschedulable: u8::arbitrary(g) % 6 == 0,
            taint: (u8::arbitrary(g) % 4 == 0).then(|| (u8::arbitrary(g) % 2, bool::arbitrary(g))),
            image: bool::arbitrary(g),
        }
    }
}

#[derive(Clone, Debug)]
struct GenPod {
    cpu_m: u32,
    mem_mi: u32,
    app: u8,
    priority: i32,
    spread: Option<bool>,
    anti_affinity: bool,
    preferred_affinity: bool,
    tolerate: Option<u8>,
    prefer_zone: Option<u8>,
}

impl Arbitrary for GenPod {
    fn arbitrary(g: &mut Gen) -> Self {
        GenPod {
            cpu_m: pick(g, &[0, 100, 250, 500, 1000, 3000]),
            mem_mi: pick(g, &[0, 64, 256, 1024, 8192]),
            app: u8::arbitrary(g) % 3,
            priority: pick(g, &[0, 10, 1000]),
            spread: (u8::arbitrary(g) % 3 == 0).then(|| bool::arbitrary(g)),
            anti_affinity: u8::arbitrary(g) % 5 == 0,
            preferred_affinity: u8::arbitrary(g) % 4 == 0,
            tolerate: (u8::arbitrary(g) % 3 == 0).then(|| u8::arbitrary(g) % 2),
            prefer_zone: (u8::arbitrary(g) % 3 == 0).then(|| u8::arbitrary(g) % 3),
        }
    }
}

#[derive(Clone, Debug)]
struct Cluster {
    nodes: Vec<GenNode>,
    /// Existing pods with the index of their node.
    pods: Vec<(GenPod, usize)>,
    pod: GenPod,
}

impl Arbitrary for Cluster {
    fn arbitrary(g: &mut Gen) -> Self {
        let n = 1 + usize::arbitrary(g) % 6;
        let nodes = (0..n).map(|_| GenNode::arbitrary(g)).collect();
        let pods = (0..usize::arbitrary(g) % 10)
            .map(|_| (GenPod::arbitrary(g), usize::arbitrary(g) % n))
            .collect();
        Cluster {
            nodes,
            pods,
            pod: GenPod::arbitrary(g),
        }
    }
}

fn node_json(name: &str, n: &GenNode, pool: &str) -> Value {
    let mut spec = json!({});
    if n.unschedulable {
        spec["unschedulable"] = json!(true);
    }
    if let Some((k, hard)) = n.taint {
        spec["taints"] = json!([{"key": format!("t{k}"), "value": "v",
            "effect": if hard { "NoSchedule" } else { "PreferNoSchedule" }}]);
    }
    let mut status = json!({"allocatable": {"cpu": format!("{}m", n.cpu_m),
        "memory": format!("{}Mi", n.mem_mi), "pods": n.pods.to_string()}});
    if n.image {
        status["images"] = json!([{"names": ["app:1"], "sizeBytes": 300_000_000}]);
    }
    json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name,
        "topology.kubernetes.io/zone": format!("zone-{}", n.zone), "pool": pool}},
        "spec": spec, "status": status})
}

fn pod_json(name: &str, p: &GenPod) -> Value {
    let app = format!("app{}", p.app);
    let sel = json!({"matchLabels": {"app": app}});
    let mut spec = json!({"priority": p.priority, "containers": [{"name": "c", "image": "app:1",
        "resources": {"requests": {"cpu": format!("{}m", p.cpu_m), "memory": format!("{}Mi", p.mem_mi)}}}]});
    if let Some(hard) = p.spread {
        spec["topologySpreadConstraints"] = json!([{"maxSkew": 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": if hard { "DoNotSchedule" } else { "ScheduleAnyway" },
            "labelSelector": sel}]);
    }
    let mut affinity = serde_json::Map::new();
    if p.anti_affinity {
        affinity.insert(
            "podAntiAffinity".into(),
            json!({"requiredDuringSchedulingIgnoredDuringExecution":
            [{"labelSelector": sel, "topologyKey": "kubernetes.io/hostname"}]}),
        );
    }
    if p.preferred_affinity {
        affinity.insert(
            "podAffinity".into(),
            json!({"preferredDuringSchedulingIgnoredDuringExecution":
            [{"weight": 50, "podAffinityTerm": {"labelSelector": sel,
                "topologyKey": "topology.kubernetes.io/zone"}}]}),
        );
    }
    if let Some(z) = p.prefer_zone {
        affinity.insert("nodeAffinity".into(), json!({"preferredDuringSchedulingIgnoredDuringExecution":
            [{"weight": 20, "preference": {"matchExpressions": [{"key": "topology.kubernetes.io/zone",
                "operator": "In", "values": [format!("zone-{z}")]}]}}]}));
    }
    if !affinity.is_empty() {
        spec["affinity"] = Value::Object(affinity);
    }
    if let Some(t) = p.tolerate {
        spec["tolerations"] = json!([{"key": format!("t{t}"), "operator": "Exists"}]);
    }
    json!({"metadata": {"name": name, "namespace": "default", "labels": {"app": app}}, "spec": spec})
}

fn parse<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    model::from_value_at(v, "generated").expect("generated objects parse")
}

impl Cluster {
    fn nodes(&self, pool: &str) -> Vec<Node> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| parse(&node_json(&format!("node-{i}"), n, pool)))
            .collect()
    }

    fn existing(&self) -> Vec<Pod> {
        self.pods
            .iter()
            .enumerate()
            .map(|(i, (p, n))| {
                let mut v = pod_json(&format!("existing-{i}"), p);
                v["spec"]["nodeName"] = json!(format!("node-{n}"));
                parse(&v)
            })
            .collect()
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot::new(
            self.nodes("main"),
            self.existing(),
            Vec::new(),
            FeatureGates::default(),
        )
    }

    fn pod(&self) -> Pod {
        parse(&pod_json("incoming", &self.pod))
    }
}

fn profile() -> Profile {
    Profile::default_profile(FeatureGates::default()).expect("default profile")
}

fn quickcheck<A: quickcheck::Testable>(f: A) {
    QuickCheck::new().tests(300).quickcheck(f);
}

#[test]
fn normalized_scores_are_within_0_and_100() {
    fn prop(c: Cluster) -> bool {
        let r = schedule(&c.snapshot(), &c.pod(), &profile());
        r.error.is_none()
            && r.named_nodes().all(|(name, n)| {
                let scores = r.node_scores(name);
                let sum: i64 = scores.iter().map(|s| s.weighted).sum();
                scores.iter().all(|s| (0..=100).contains(&s.normalized))
                    && (scores.is_empty() || n.total == Some(sum))
            })
    }
    quickcheck(prop as fn(Cluster) -> bool);
}

#[test]
fn a_node_that_fails_a_filter_is_never_selected() {
    fn prop(c: Cluster) -> bool {
        let r = schedule(&c.snapshot(), &c.pod(), &profile());
        let Some(selected) = r.selected_name() else {
            return r.feasible.is_empty() && r.fit_error.is_some();
        };
        let status_ok = r
            .node(selected)
            .and_then(|n| n.status.as_ref())
            .is_some_and(|s| s.is_success());
        let rejected_never = r
            .named_nodes()
            .all(|(name, n)| n.status.as_ref().is_none_or(|s| s.is_success()) || name != selected);
        status_ok
            && rejected_never
            && r.feasible_names().any(|n| n == selected)
            && r.fit_error.is_none()
    }
    quickcheck(prop as fn(Cluster) -> bool);
}

#[test]
fn adding_a_node_the_pod_cannot_use_changes_nothing_else() {
    fn prop(c: Cluster, extra: GenNode) -> bool {
        // The pod selects pool=main; the added node is in another pool (and
        // reports no images: ImageLocality's spread counts every node).
        let mut c = c;
        c.nodes.iter_mut().for_each(|n| n.image = false);
        let extra = GenNode {
            image: false,
            ..extra
        };
        let mut pod_v = pod_json("incoming", &c.pod);
        pod_v["spec"]["nodeSelector"] = json!({"pool": "main"});
        let pod: Pod = parse(&pod_v);
        let before = schedule(&c.snapshot(), &pod, &profile());
        let mut nodes = c.nodes("main");
        nodes.push(parse(&node_json("other", &extra, "other")));
        let after_snap = Snapshot::new(nodes, c.existing(), Vec::new(), FeatureGates::default());
        let after = schedule(&after_snap, &pod, &profile());
        let totals = |r: &kubelogic::scheduler::ScheduleResult| -> BTreeMap<String, Option<i64>> {
            r.named_nodes()
                .filter(|(name, _)| *name != "other")
                .map(|(name, n)| (name.to_owned(), n.total))
                .collect()
        };
        before.selected_name() == after.selected_name()
            && totals(&before) == totals(&after)
            && after
                .node("other")
                .and_then(|n| n.status.as_ref())
                .is_some_and(|s| s.is_rejected())
    }
    quickcheck(prop as fn(Cluster, GenNode) -> bool);
}

#[derive(Clone, Debug)]
struct Zones {
    nodes_per_zone: Vec<u8>,
    replicas: u8,
}

impl Arbitrary for Zones {
    fn arbitrary(g: &mut Gen) -> Self {
        let zones = 1 + usize::arbitrary(g) % 4;
        Zones {
            nodes_per_zone: (0..zones).map(|_| 1 + u8::arbitrary(g) % 3).collect(),
            replicas: 1 + u8::arbitrary(g) % 24,
        }
    }
}

#[test]
fn identical_pods_with_max_skew_1_stay_within_skew_1() {
    fn prop(z: Zones) -> bool {
        let mut nodes = Vec::new();
        for (zone, &count) in z.nodes_per_zone.iter().enumerate() {
            for i in 0..count {
                let n = GenNode {
                    cpu_m: 64_000,
                    mem_mi: 262_144,
                    pods: 110,
                    zone: zone as u8,
                    unschedulable: false,
                    taint: None,
                    image: false,
                };
                let mut v = node_json(&format!("node-{zone}-{i}"), &n, "main");
                v["metadata"]["labels"]["topology.kubernetes.io/zone"] =
                    json!(format!("zone-{zone}"));
                nodes.push(parse::<Node>(&v));
            }
        }
        let mut snapshot = Snapshot::new(nodes, Vec::new(), Vec::new(), FeatureGates::default());
        let template = GenPod {
            cpu_m: 100,
            mem_mi: 128,
            app: 0,
            priority: 0,
            spread: Some(true),
            anti_affinity: false,
            preferred_affinity: false,
            tolerate: None,
            prefer_zone: None,
        };
        let mut t: Pod = parse(&pod_json("web", &template));
        t.metadata.name = None;
        t.metadata.generate_name = Some("web-".into());
        let placements = place::place_all(
            &mut snapshot,
            &place::replicas(&t, z.replicas.into()),
            &profile(),
        );
        let mut per_zone: BTreeMap<String, usize> = BTreeMap::new();
        for n in snapshot.nodes() {
            let zone = n.node.metadata.labels["topology.kubernetes.io/zone"].clone();
            *per_zone.entry(zone).or_insert(0) += n.pods.len();
        }
        let max = per_zone.values().max().copied().unwrap_or(0);
        let min = per_zone.values().min().copied().unwrap_or(0);
        placements.iter().all(|p| p.node.is_some()) && max - min <= 1
    }
    quickcheck(prop as fn(Zones) -> bool);
}

/// The cycle filters every node plugin by plugin, and node by node when it
/// may stop early or when pods are nominated: both give the same statuses,
/// feasible nodes, scores and choice. (A nominated pod of the lowest
/// priority changes nothing for the incoming pod but takes the node-by-node
/// path.)
#[test]
fn plugin_by_plugin_and_node_by_node_filtering_agree() {
    fn prop(c: Cluster) -> bool {
        let pod = c.pod();
        let plugin_major = schedule(&c.snapshot(), &pod, &profile());
        let mut snap = c.snapshot();
        let lowest: Pod = parse(&json!({
            "metadata": {"name": "nominated-lowest", "namespace": "default"},
            "spec": {"priority": i32::MIN, "containers": [{"name": "c"}]},
            "status": {"phase": "Pending", "nominatedNodeName": "node-0"}}));
        if snap.nominate(lowest).is_err() {
            return true; // no node
        }
        let node_major = schedule(&snap, &pod, &profile());
        plugin_major.nodes == node_major.nodes
            && plugin_major.feasible == node_major.feasible
            && plugin_major.selected == node_major.selected
            && plugin_major.scores == node_major.scores
            && plugin_major.message() == node_major.message()
    }
    quickcheck(prop as fn(Cluster) -> bool);
}
