//! Arbitrary small clusters through InterPodAffinity, PodTopologySpread and
//! NodeAffinity: PreFilter/Filter and PreScore/Score/NormalizeScore never
//! panic, the normalized scores stay within 0..=100, and the snapshot's
//! indexes give the same statuses and scores as scanning every pod (indexes
//! marked stale).
#![no_main]

use arbitrary::Arbitrary;
use kubelogic::model::{self, Pod};
use kubelogic::scheduler::framework::{CycleState, NodeScore, Status};
use kubelogic::scheduler::plugins::new_plugin;
use kubelogic::scheduler::{NodeInfo, Plugin, PodInfo, Snapshot};
use kubelogic::FeatureGates;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const KEYS: [&str; 3] = ["kubernetes.io/hostname", "topology.kubernetes.io/zone", "rack"];

#[derive(Arbitrary, Debug)]
struct Sel {
    kind: u8,
    app: u8,
}

impl Sel {
    fn json(&self) -> Value {
        let app = format!("a{}", self.app % 3);
        match self.kind % 6 {
            0 => json!({"matchLabels": {"app": app}}),
            1 => json!({}),
            2 => json!({"matchExpressions": [{"key": "app", "operator": "In", "values": [app, "a1"]}]}),
            3 => json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": [app]}]}),
            4 => json!({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}),
            _ => json!({"matchLabels": {"app": app, "tier": "web"}}),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Term {
    sel: Sel,
    key: u8,
    ns_selector: bool,
    weight: u8,
}

impl Term {
    fn json(&self) -> Value {
        let mut t = json!({"labelSelector": self.sel.json(), "topologyKey": KEYS[self.key as usize % 3]});
        if self.ns_selector {
            t["namespaceSelector"] = json!({"matchLabels": {"team": "t1"}});
        }
        t
    }
    fn weighted(&self) -> Value {
        json!({"weight": 1 + self.weight % 100, "podAffinityTerm": self.json()})
    }
}

#[derive(Arbitrary, Debug)]
struct Affinity {
    required: Vec<Term>,
    required_anti: Vec<Term>,
    preferred: Vec<Term>,
    preferred_anti: Vec<Term>,
}

impl Affinity {
    fn json(&self) -> Value {
        let list = |ts: &[Term], w: bool| -> Vec<Value> {
            ts.iter().take(2).map(|t| if w { t.weighted() } else { t.json() }).collect()
        };
        json!({
            "podAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": list(&self.required, false),
                "preferredDuringSchedulingIgnoredDuringExecution": list(&self.preferred, true)},
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": list(&self.required_anti, false),
                "preferredDuringSchedulingIgnoredDuringExecution": list(&self.preferred_anti, true)}
        })
    }
}

#[derive(Arbitrary, Debug)]
struct Constraint {
    key: u8,
    max_skew: u8,
    anyway: bool,
    min_domains: Option<u8>,
    honor_affinity: bool,
    honor_taints: bool,
    sel: Option<Sel>,
    match_label_keys: bool,
}

#[derive(Arbitrary, Debug)]
struct ArbPod {
    node: u8,
    app: u8,
    ns: u8,
    terminating: bool,
    affinity: Option<Affinity>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    nodes: Vec<(Option<u8>, Option<u8>, bool)>,
    pods: Vec<ArbPod>,
    app: u8,
    affinity: Affinity,
    constraints: Vec<Constraint>,
    node_selector_zone: Option<u8>,
    tolerate: bool,
    default_list: bool,
}

fn pod_json(name: &str, app: u8, ns: u8, node: Option<String>, spec_extra: Value) -> Value {
    let namespace = if ns % 3 == 0 { "team1" } else { "default" };
    let mut spec = spec_extra;
    if let Some(n) = node {
        spec["nodeName"] = json!(n);
    }
    json!({"metadata": {"name": name, "namespace": namespace,
        "labels": {"app": format!("a{}", app % 3), "tier": if app % 2 == 0 { "web" } else { "db" }}},
        "spec": spec})
}

fn scores(p: &dyn Plugin, pod: &PodInfo, snap: &Snapshot) -> Option<Vec<i64>> {
    let nodes: Vec<&NodeInfo> = snap.nodes().iter().collect();
    let mut state = CycleState::new();
    let st = p.as_pre_score()?.pre_score(&mut state, pod, &nodes, snap);
    if st.is_skip() {
        return Some(vec![0; nodes.len()]);
    }
    if !st.is_success() {
        return None;
    }
    let s = p.as_score()?;
    let mut out: Vec<NodeScore<'_>> = nodes
        .iter()
        .map(|n| NodeScore { name: n.name(), score: s.score(&state, pod, n).unwrap_or(0) })
        .collect();
    let _ = s.normalize(&state, pod, &mut out);
    Some(out.into_iter().map(|s| s.score).collect())
}

fn filters(p: &dyn Plugin, pod: &PodInfo, snap: &Snapshot) -> Vec<Status> {
    let mut state = CycleState::new();
    let Some(pf) = p.as_pre_filter() else { return Vec::new() };
    let (_, st) = pf.pre_filter(&mut state, pod, snap);
    if !st.is_success() {
        return vec![st];
    }
    let f = p.as_filter().expect("filter");
    snap.nodes().iter().map(|n| f.filter(&state, pod, n)).collect()
}

fuzz_target!(|input: Input| {
    let gates = FeatureGates::default();
    let nodes: Vec<_> = input
        .nodes
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, (zone, rack, tainted))| {
            let mut labels = json!({"kubernetes.io/hostname": format!("n{i}")});
            if let Some(z) = zone {
                labels["topology.kubernetes.io/zone"] = json!(format!("z{}", z % 3));
            }
            if let Some(r) = rack {
                labels["rack"] = json!(format!("r{}", r % 2));
            }
            let mut n = json!({"metadata": {"name": format!("n{i}"), "labels": labels}});
            if *tainted {
                n["spec"] = json!({"taints": [{"key": "dedicated", "effect": "NoSchedule"}]});
            }
            model::from_value(&n).expect("node")
        })
        .collect::<Vec<_>>();
    if nodes.is_empty() {
        return;
    }
    let n = nodes.len();
    let pods: Vec<Pod> = input
        .pods
        .iter()
        .take(16)
        .enumerate()
        .map(|(i, p)| {
            let mut extra = json!({});
            if let Some(a) = &p.affinity {
                extra["affinity"] = a.json();
            }
            let mut v = pod_json(&format!("p{i}"), p.app, p.ns, Some(format!("n{}", p.node as usize % n)), extra);
            if p.terminating {
                v["metadata"]["deletionTimestamp"] = json!("2024-01-01T00:00:00Z");
            }
            model::from_value(&v).expect("pod")
        })
        .collect();
    let namespaces = vec![model::from_value(&json!({"metadata": {"name": "team1", "labels": {"team": "t1"}}})).expect("ns")];
    let snap = Snapshot::new(nodes, pods, namespaces, gates);
    let mut stale = snap.clone();
    let _ = stale.nodes_mut();

    let constraints: Vec<Value> = input
        .constraints
        .iter()
        .take(3)
        .map(|c| {
            let mut v = json!({
                "maxSkew": 1 + c.max_skew % 4,
                "topologyKey": KEYS[c.key as usize % 3],
                "whenUnsatisfiable": if c.anyway { "ScheduleAnyway" } else { "DoNotSchedule" },
                "nodeAffinityPolicy": if c.honor_affinity { "Honor" } else { "Ignore" },
                "nodeTaintsPolicy": if c.honor_taints { "Honor" } else { "Ignore" },
            });
            if let Some(s) = &c.sel {
                v["labelSelector"] = s.json();
            }
            if let Some(m) = c.min_domains {
                v["minDomains"] = json!(1 + m % 4);
            }
            if c.match_label_keys {
                v["matchLabelKeys"] = json!(["tier"]);
            }
            v
        })
        .collect();
    let mut spec = json!({"affinity": input.affinity.json(), "topologySpreadConstraints": constraints});
    if let Some(z) = input.node_selector_zone {
        spec["nodeSelector"] = json!({"topology.kubernetes.io/zone": format!("z{}", z % 3)});
    }
    if input.tolerate {
        spec["tolerations"] = json!([{"key": "dedicated", "operator": "Exists"}]);
    }
    let pod = PodInfo::new(
        model::from_value::<Pod>(&pod_json("incoming", input.app, 1, None, spec)).expect("incoming"),
        &gates,
    );
    let pts_args = if input.default_list { json!({"defaultingType": "List"}) } else { json!({}) };
    for (name, args) in [("InterPodAffinity", None), ("PodTopologySpread", Some(&pts_args)), ("NodeAffinity", None)] {
        let p = new_plugin(name, args, &gates).expect("plugin");
        assert_eq!(filters(p.as_ref(), &pod, &snap), filters(p.as_ref(), &pod, &stale), "{name} filter");
        let a = scores(p.as_ref(), &pod, &snap);
        assert_eq!(a, scores(p.as_ref(), &pod, &stale), "{name} scores");
        if let Some(a) = a {
            assert!(a.iter().all(|s| (0..=100).contains(s)), "{name} scores {a:?}");
        }
    }
});
