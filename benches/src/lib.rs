//! Shared inputs for kubelogic's criterion benches.
#![forbid(unsafe_code)]

/// Synthetic clusters shaped like kube-scheduler's scheduler_perf workloads
/// (`test/integration/scheduler_perf`), shared by the `scheduler` bench and
/// the `cycle_cpu` example.
#[allow(clippy::missing_panics_doc, clippy::expect_used, clippy::panic)]
pub mod scheduler_perf {
    use kubelogic::model::{self, Node, Pod};
    use kubelogic::scheduler::Snapshot;
    use kubelogic::FeatureGates;
    use serde_json::{json, Value};

    /// Nodes in every cluster.
    pub const NODES: usize = 5000;
    /// Node `i`: 4 cpu, 32Gi, 110 pods, in zone `i % 3 + 1`.
    pub fn node(i: usize) -> Node {
        let name = format!("node-{i:05}");
        let v = json!({
            "metadata": {"name": name, "labels": {
                "kubernetes.io/hostname": name,
                "topology.kubernetes.io/zone": format!("zone{}", i % 3 + 1)}},
            "status": {
                "allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"},
                "capacity": {"cpu": "4", "memory": "32Gi", "pods": "110"}}
        });
        model::from_value_at(&v, "node").expect("node")
    }

    /// A pod requesting 100m cpu and 500Mi (scheduler_perf's pod-default).
    pub fn pod_json(
        name: &str,
        labels: Value,
        affinity: Option<Value>,
        spread: Option<Value>,
    ) -> Value {
        let mut spec = json!({"containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10",
            "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}}}]});
        if let Some(a) = affinity {
            spec["affinity"] = a;
        }
        if let Some(s) = spread {
            spec["topologySpreadConstraints"] = s;
        }
        json!({"metadata": {"name": name, "namespace": "default", "labels": labels}, "spec": spec})
    }

    /// The pod template of a shape (name set by the caller).
    pub fn template(shape: &str, name: &str) -> Pod {
        let v = match shape {
            "requests" => pod_json(name, json!({"app": "basic"}), None, None),
            "node_affinity" => pod_json(
                name,
                json!({"app": "na"}),
                Some(
                    json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [{
                        "key": "topology.kubernetes.io/zone", "operator": "In",
                        "values": ["zone1", "zone2"]}]}]}}}),
                ),
                None,
            ),
            "pod_anti_affinity" => pod_json(
                name,
                json!({"color": "green"}),
                Some(
                    json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
                    "labelSelector": {"matchLabels": {"color": "green"}},
                    "topologyKey": "kubernetes.io/hostname"}]}}),
                ),
                None,
            ),
            "preferred_pod_affinity" => pod_json(
                name,
                json!({"foo": "bar"}),
                Some(
                    json!({"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                    "weight": 1,
                    "podAffinityTerm": {"labelSelector": {"matchLabels": {"foo": "bar"}},
                        "topologyKey": "kubernetes.io/hostname"}}]}}),
                ),
                None,
            ),
            "topology_spread" => pod_json(
                name,
                json!({"color": "blue"}),
                None,
                Some(
                    json!([{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                    "whenUnsatisfiable": "DoNotSchedule",
                    "labelSelector": {"matchLabels": {"color": "blue"}}}]),
                ),
            ),
            other => panic!("unknown shape {other}"),
        };
        model::from_value_at(&v, "pod").expect("pod")
    }

    /// (shape, existing pods): scheduler_perf's initial pod counts.
    pub const SHAPES: &[(&str, usize)] = &[
        ("requests", 1000),
        ("node_affinity", 5000),
        ("pod_anti_affinity", 1000),
        ("preferred_pod_affinity", 5000),
        ("topology_spread", 5000),
    ];

    /// 5,000 nodes and `existing` pods of the shape spread over them round-robin.
    pub fn cluster(shape: &str, existing: usize) -> Snapshot {
        let nodes: Vec<Node> = (0..NODES).map(node).collect();
        let pods: Vec<Pod> = (0..existing)
            .map(|i| {
                let mut p = template(shape, &format!("init-{i:05}"));
                p.spec.node_name = Some(format!("node-{:05}", i % NODES));
                p
            })
            .collect();
        Snapshot::new(nodes, pods, Vec::new(), FeatureGates::default())
    }
}
