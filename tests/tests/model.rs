//! The model reads every Kubernetes object in the shared vectors and fixtures,
//! and reports bad input with the field path.

use kubelogic::model::{self, Node, Pod};
use serde_json::Value;
use std::path::PathBuf;

/// The repository's copy of ../shared (vectors, fixtures).
fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

#[test]
fn reads_every_object_in_the_vectors() {
    let files =
        kubelogic_conformance::collect_files(&shared().join("conformance")).expect("vectors");
    let mut pods = 0;
    let mut nodes = 0;
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
    {
        let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        for case in &cases {
            let name = case["name"].as_str().unwrap_or("?");
            if let Some(p) = case.get("pod").filter(|p| !p.is_null()) {
                model::from_value::<Pod>(p)
                    .unwrap_or_else(|e| panic!("{}: {name}: {e}", f.display()));
                pods += 1;
            }
            for p in case
                .get("pods")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                model::from_value::<Pod>(p)
                    .unwrap_or_else(|e| panic!("{}: {name}: {e}", f.display()));
                pods += 1;
            }
            for n in case
                .get("nodes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                model::from_value::<Node>(n)
                    .unwrap_or_else(|e| panic!("{}: {name}: {e}", f.display()));
                nodes += 1;
            }
        }
    }
    assert!(pods > 1000 && nodes > 500, "pods {pods}, nodes {nodes}");
}

#[test]
fn reads_the_kind_cluster_list() {
    let text = std::fs::read_to_string(shared().join("fixtures/kind-one-node.json")).unwrap();
    let objects = model::parse_objects(&text).unwrap();
    assert_eq!(objects.nodes.len(), 1);
    assert_eq!(
        objects.nodes[0].status.allocatable["memory"].to_string(),
        "8029368Ki"
    );
    assert!(objects.pods.len() >= 10, "{}", objects.pods.len());
    assert!(objects.ignored.is_empty(), "{:?}", objects.ignored);
}

#[test]
fn errors_name_the_field_path() {
    let cases = [
        (
            r#"{"spec": {"containers": [{"name": "a"}, {"name": "b", "resources": {"limits": {"cpu": "1 core"}}}]}}"#,
            "spec.containers[1].resources.limits.cpu",
        ),
        (
            r#"{"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
                {"nodeSelectorTerms": [{"matchExpressions": [{"key": "a", "operator": "In", "values": ["x"]},
                {"key": "b", "operator": "Within", "values": ["y"]}]}]}}}}}"#,
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].operator",
        ),
        (r#"{"spec": {"priority": "high"}}"#, "spec.priority"),
        (r#"{"spec": {"containers": {"name": "a"}}}"#, "spec.containers"),
        (r#"{"spec": {"tolerations": [{"key": "k", "effect": "NoWay"}]}}"#, "spec.tolerations[0].effect"),
    ];
    for (text, path) in cases {
        let err = model::from_json_str::<Pod>(text).unwrap_err();
        assert_eq!(err.path(), path, "{err}");
    }
    let err = model::parse_objects(
        r#"{"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "n"},
        "status": {"allocatable": {"memory": "1K"}}}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path(), "items[0].status.allocatable.memory");
    assert!(
        err.to_string()
            .contains("items[0].status.allocatable.memory: "),
        "{err}"
    );
}

#[test]
fn tolerant_of_nulls_numbers_and_unknown_fields() {
    let pod: Pod = model::from_json_str(
        r#"{"metadata": {"name": "p", "labels": null, "futureField": {"x": 1}},
            "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": 0.5, "memory": 1048576}},
                     "somethingNew": true}], "tolerations": null, "nodeSelector": null}}"#,
    )
    .unwrap();
    let req = &pod.spec.containers[0].resources.requests;
    assert_eq!(req["cpu"].to_string(), "500m");
    assert_eq!(req["memory"].to_string(), "1048576");
    assert!(pod.metadata.labels.is_empty());
}

/// Errors name the path and the value; `null` is absent at every level.
#[test]
fn error_texts_and_nulls() {
    let cases = [
        (r#"{"spec": {"containers": {}}}"#, "spec.containers: invalid type: map, expected a sequence"),
        (r#"{"spec": {"priority": "1"}}"#, r#"spec.priority: invalid type: string "1", expected i32"#),
        (r#"{"spec": {"priority": 1.5}}"#, "spec.priority: invalid type: floating point `1.5`, expected i32"),
        (r#"{"spec": {"priority": 4294967296}}"#, "spec.priority: invalid value: integer `4294967296`, expected i32"),
        (r#"{"metadata": {"labels": []}}"#, "metadata.labels: invalid type: sequence, expected a map"),
        (
            r#"{"spec": {"tolerations": [{"operator": "In"}]}}"#,
            "spec.tolerations[0].operator: unknown variant `In`, expected one of `Equal`, `Exists`, `Lt`, `Gt`",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            model::from_json_str::<Pod>(text).unwrap_err().to_string(),
            want,
            "{text}"
        );
    }
    let err = model::from_json_str::<Pod>(
        r#"{"spec": {"containers": [{"name": "a", "resources": {"requests": {"memory": "1K"}}}]}}"#,
    )
    .unwrap_err();
    assert_eq!(err.path(), "spec.containers[0].resources.requests.memory");
    assert!(err.to_string().ends_with(r#"(value "1K")"#), "{err}");
    let pod: Pod = model::from_json_str(
        r#"{"metadata": null, "spec": {"containers": [{"name": "c", "resources": null, "ports": null}],
            "affinity": null, "volumes": null}, "status": null}"#,
    )
    .unwrap();
    assert_eq!(
        pod,
        model::from_json_str::<Pod>(r#"{"spec": {"containers": [{"name": "c"}]}}"#).unwrap()
    );
    // Kubernetes' spellings: hostIP, providerID.
    let pod: Pod = model::from_json_str(
        r#"{"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80, "hostPort": 80, "hostIP": "127.0.0.1"}]}]}}"#,
    )
    .unwrap();
    assert_eq!(
        pod.spec.containers[0].ports[0].host_ip.as_deref(),
        Some("127.0.0.1")
    );
    let node: Node = model::from_json_str(r#"{"spec": {"providerID": "aws:///x"}}"#).unwrap();
    assert_eq!(node.spec.provider_id.as_deref(), Some("aws:///x"));
}

/// The fast pass (each object streamed into its type once `kind` is known)
/// and the raw pass (fields kept as text until the end of the object) read
/// the same objects: `kind` first, last, or absent.
#[test]
fn kind_anywhere_reads_the_same() {
    let text = std::fs::read_to_string(shared().join("fixtures/kind-one-node.json")).unwrap();
    let first = model::parse_objects(&text).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let items = v["items"].as_array().unwrap();
    // `kind` moved last (serde_json's map is sorted: "kind" < "metadata" by
    // default, so write each item by hand with kind at the end).
    let moved: Vec<String> = items
        .iter()
        .map(|item| {
            let mut parts: Vec<String> = item
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "kind")
                .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
                .collect();
            parts.push(format!(r#""kind": {}"#, item["kind"]));
            format!("{{{}}}", parts.join(", "))
        })
        .collect();
    let last = model::parse_objects(&format!(r#"{{"items": [{}]}}"#, moved.join(", "))).unwrap();
    assert_eq!(first, last);
    // An error in an object whose kind comes first still names its path.
    let err = model::parse_objects(
        r#"{"items": [{"kind": "Pod", "spec": {"containers": [{"name": "c"}]}},
                      {"kind": "Pod", "spec": {"containers": [{"name": 5}]}}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path(), "items[1].spec.containers[0].name");
}
