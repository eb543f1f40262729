//! A real multi-object `kubectl get pods -A -o json` document (system pods,
//! static/mirror pods, sidecars, init containers, pod-level resources,
//! ephemeral containers, overhead and many fields kubelogic does not read):
//! every pod is read, classified as the API server recorded it, and scored.

use std::collections::BTreeMap;

use kubelogic::model::{self, Pod, QosClass};
use kubelogic::qos;
use kubelogic::resources::{self, PodResourcesOptions};
use kubelogic::scheduler::types::{self, calculate_resource};
use kubelogic::FeatureGates;

const GI: i64 = 1 << 30;
const MI: i64 = 1 << 20;

fn pods() -> Vec<Pod> {
    let text = include_str!("../data/pods-all-namespaces.json");
    let objects = model::parse_objects(text).expect("the fixture reads");
    assert!(objects.ignored.is_empty(), "{:?}", objects.ignored);
    assert!(objects.nodes.is_empty());
    objects.pods
}

fn by_name(pods: &[Pod]) -> BTreeMap<&str, &Pod> {
    pods.iter().map(|p| (p.metadata.name(), p)).collect()
}

#[test]
fn every_pod_gets_the_class_the_api_server_recorded() {
    let pods = pods();
    assert_eq!(pods.len(), 10);
    let expected = [
        ("etcd-kind-control-plane", QosClass::Burstable),
        ("kube-apiserver-kind-control-plane", QosClass::Burstable),
        ("coredns-674b8bbfcf-8xk2p", QosClass::Burstable),
        ("kube-proxy-7qvzd", QosClass::BestEffort),
        ("kindnet-9mzlw", QosClass::Guaranteed),
        ("web-5d9c7b6f4-abcde", QosClass::Burstable),
        ("ledger-0", QosClass::Guaranteed),
        ("batch-report-28931220-x7k2q", QosClass::BestEffort),
        ("gpu-trainer-7f8d9", QosClass::Guaranteed),
        ("pooled-api-6b7c8d9e0-qwert", QosClass::Guaranteed),
    ];
    let index = by_name(&pods);
    for (name, class) in expected {
        let pod = index.get(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(qos::qos_class(pod), class, "{name}");
        assert_eq!(pod.status.qos_class, Some(class), "{name}: status.qosClass");
        assert_eq!(qos::explain(pod).class, class, "{name}: explain");
    }
    // Every container was read: none silently dropped.
    let containers: usize = pods.iter().map(|p| p.all_containers().count()).sum();
    assert_eq!(containers, 15);
    let batch = index["batch-report-28931220-x7k2q"];
    assert_eq!(batch.spec.ephemeral_containers.len(), 1);
}

#[test]
fn pod_level_resources_decide_only_with_the_gate() {
    let pods = pods();
    let pooled = by_name(&pods)["pooled-api-6b7c8d9e0-qwert"];
    assert_eq!(qos::compute_pod_qos(pooled, true), QosClass::Guaranteed);
    // Without the gate the containers decide: a cpu request alone is Burstable.
    assert_eq!(qos::compute_pod_qos(pooled, false), QosClass::Burstable);
}

#[test]
fn oom_scores_on_an_8gi_node() {
    let pods = pods();
    let index = by_name(&pods);
    let opts = FeatureGates::default();
    let adj =
        |pod: &str, c: &str| i64::from(qos::oom_score_adj(index[pod], c, 8 * GI, &opts).unwrap());
    // Static/mirror pods and priority 2000001000 with system-node-critical.
    assert_eq!(adj("etcd-kind-control-plane", "etcd"), -997);
    assert_eq!(
        adj("kube-apiserver-kind-control-plane", "kube-apiserver"),
        -997
    );
    assert_eq!(adj("kube-proxy-7qvzd", "kube-proxy"), -997);
    // system-cluster-critical is not node-critical: Burstable formula.
    assert_eq!(
        adj("coredns-674b8bbfcf-8xk2p", "coredns"),
        1000 - 1000 * 70 * MI / (8 * GI)
    );
    assert_eq!(adj("kindnet-9mzlw", "kindnet-cni"), -997);
    // The sidecar scores no higher than the app it serves.
    let web = 1000 - 1000 * 512 * MI / (8 * GI);
    assert_eq!(adj("web-5d9c7b6f4-abcde", "web"), web);
    assert_eq!(adj("web-5d9c7b6f4-abcde", "istio-proxy"), web);
    assert_eq!(
        adj("web-5d9c7b6f4-abcde", "istio-init"),
        1000 - 1000 * 10 * MI / (8 * GI)
    );
    assert_eq!(adj("batch-report-28931220-x7k2q", "report"), 1000);
    assert_eq!(adj("batch-report-28931220-x7k2q", "debugger-9z"), 1000);
    assert!(qos::is_node_critical_pod(index["etcd-kind-control-plane"]));
    assert!(!qos::is_node_critical_pod(
        index["coredns-674b8bbfcf-8xk2p"]
    ));
}

#[test]
fn resource_totals() {
    let pods = pods();
    let index = by_name(&pods);
    let opts = PodResourcesOptions::default();
    let web = resources::pod_requests(index["web-5d9c7b6f4-abcde"], &opts);
    assert_eq!(web["cpu"].to_string(), "600m");
    assert_eq!(web["memory"].to_string(), "640Mi");
    let web_limits = resources::pod_limits(index["web-5d9c7b6f4-abcde"], &opts);
    assert_eq!(web_limits["cpu"].to_string(), "3");
    let ledger = resources::pod_requests(index["ledger-0"], &opts);
    assert_eq!(ledger["cpu"].to_string(), "2050m");
    let gpu = resources::pod_requests(index["gpu-trainer-7f8d9"], &opts);
    assert_eq!(gpu["cpu"].to_string(), "4250m");
    assert_eq!(gpu["nvidia.com/gpu"].to_string(), "1");
    let gpu_limits = resources::pod_limits(index["gpu-trainer-7f8d9"], &opts);
    assert_eq!(gpu_limits["memory"].to_string(), "16504Mi");
    assert!(!gpu_limits.contains_key("ephemeral-storage"));

    let gates = FeatureGates::default();
    let s = calculate_resource(index["gpu-trainer-7f8d9"], &gates);
    assert_eq!(s.requests.milli_cpu, 4250);
    assert_eq!(s.requests.ephemeral_storage, 20 * GI);
    assert_eq!(s.requests.scalar_resources.get("nvidia.com/gpu"), Some(&1));
    let proxy = calculate_resource(index["kube-proxy-7qvzd"], &gates);
    assert_eq!((proxy.requests.milli_cpu, proxy.requests.memory), (0, 0));
    assert_eq!(
        (proxy.non_zero_milli_cpu, proxy.non_zero_memory),
        (
            types::DEFAULT_MILLI_CPU_REQUEST,
            types::DEFAULT_MEMORY_REQUEST
        )
    );
    let batch = calculate_resource(index["batch-report-28931220-x7k2q"], &gates);
    // Explicit zero requests stay zero even for scoring.
    assert_eq!((batch.non_zero_milli_cpu, batch.non_zero_memory), (0, 0));
}

#[test]
fn bad_input_names_the_field_path_and_the_value() {
    let cases = [
        (
            r#"{"items": [{"kind": "Pod", "spec": {"containers": [{"name": "a", "resources": {"requests": {"memory": "1K"}}}]}}]}"#,
            "items[0].spec.containers[0].resources.requests.memory",
            "1K",
        ),
        (
            r#"{"kind": "Pod", "spec": {"containers": [{"name": "a"}, {"name": "b", "resources": {"limits": {"cpu": [1]}}}]}}"#,
            "spec.containers[1].resources.limits.cpu",
            "",
        ),
        (
            r#"{"kind": "Pod", "spec": {"containers": [{"name": "a"}], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "Near", "values": ["a"]}]}]}}}}}"#,
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator",
            "Near",
        ),
        (
            r#"{"kind": "Pod", "spec": {"initContainers": {"name": "a"}, "containers": []}}"#,
            "spec.initContainers",
            "",
        ),
        (
            r#"{"kind": "Pod", "spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "12x"}}}]}}"#,
            "spec.containers[0].resources.requests.cpu",
            "12x",
        ),
    ];
    for (doc, path, value) in cases {
        let err = model::parse_objects(doc).expect_err(doc);
        assert_eq!(err.path(), path, "{err}");
        assert!(err.to_string().contains(value), "{err} should name {value}");
    }
}

#[test]
fn no_api_defaulting() {
    // Limits only, as written in a manifest: the API server would copy them
    // into requests; kubelogic reads the pod as it stands.
    let pod: Pod = model::from_json_str(
        r#"{"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}}"#,
    )
    .unwrap();
    assert_eq!(qos::qos_class(&pod), QosClass::Burstable);
    assert_eq!(
        qos::oom_score_adj(&pod, "a", 4 * GI, &FeatureGates::default()),
        Ok(999)
    );
}
