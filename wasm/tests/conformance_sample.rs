//! A sample of the shared conformance vectors through the JS-facing
//! functions, under node (`wasm-bindgen-test-runner`): QoS classes, OOM
//! scores, eviction configuration, and the real kind cluster scheduled with
//! the default profile. The bindings must give what the native runner
//! checks on the core.
#![cfg(target_arch = "wasm32")]

use kubelogic::Quantity;
use kubelogic_wasm::{
    explain_qos, oom_score_adj, parse_eviction_config, qos_class, schedule, Cluster,
};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const QOS: &str = include_str!("../../tests/data/conformance/qos/qos.json");
const OOM: &str = include_str!("../../tests/data/conformance/qos/oom.json");
const EVICTION_CONFIG: &str = include_str!("../../tests/data/conformance/eviction/config.json");
const KIND: &str = include_str!("../../tests/data/conformance/scheduling/real/kind.json");

fn cases(text: &str) -> Vec<Value> {
    let all: Vec<Value> = serde_json::from_str(text).expect("a JSON array of cases");
    assert!(!all.is_empty(), "no vectors read");
    all
}

fn js(v: &Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("a JSON value converts")
}

use serde::Serialize;

fn rust(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).expect("a JSON-compatible result")
}

fn message(e: JsValue) -> String {
    js_sys::Error::from(e).message().into()
}

fn check_all(cases: &[Value], check: impl Fn(&Value) -> Result<(), String>) -> usize {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| check(c).err().map(|e| format!("{}: {e}", c["name"])))
        .collect();
    for f in failures.iter().take(20) {
        wasm_bindgen_test::console_log!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed (first: {})",
        failures.len(),
        cases.len(),
        failures.first().map_or("", String::as_str)
    );
    cases.len()
}

#[wasm_bindgen_test]
fn qos_class_vectors() {
    let all = cases(QOS);
    let n = check_all(&all, |case| {
        let pod = js(&case["pod"]);
        let want = case["expect"]["qosClass"]
            .as_str()
            .ok_or("no expect.qosClass")?;
        let got = match case.get("featureGates") {
            None => qos_class(pod).map_err(message)?,
            Some(gates) => {
                // Gates go through explainQos (ComputePodQOS with PodLevelResources).
                let options = js(&json!({ "featureGates": gates }));
                let r = rust(explain_qos(pod, Some(options.into())).map_err(message)?);
                r["qosClass"].as_str().unwrap_or_default().to_owned()
            }
        };
        (got == want)
            .then_some(())
            .ok_or(format!("expected {want}, got {got}"))
    });
    assert_eq!(n, all.len());
}

#[wasm_bindgen_test]
fn oom_score_vectors() {
    check_all(&cases(OOM), |case| {
        let gates = case.get("featureGates").map(|g| js(g).into());
        let got = oom_score_adj(
            js(&case["pod"]),
            case["container"].as_str().ok_or("no container")?,
            js(&case["memoryCapacity"]),
            gates,
        )
        .map_err(message)?;
        let e = &case["expect"];
        if let Some(want) = e.get("oomScoreAdj") {
            return (Some(i64::from(got)) == want.as_i64())
                .then_some(())
                .ok_or(format!("expected {want}, got {got}"));
        }
        let range = e["oomScoreAdjRange"].as_array().ok_or("no expectation")?;
        let (lo, hi) = (
            range[0].as_i64().unwrap_or(0),
            range[1].as_i64().unwrap_or(0),
        );
        (lo..=hi)
            .contains(&i64::from(got))
            .then_some(())
            .ok_or(format!("expected {lo}..={hi}, got {got}"))
    });
}

fn value_matches(want: &Value, got: &Value) -> bool {
    match (want.get("quantity"), got.get("quantity")) {
        (Some(w), Some(g)) => {
            let parse = |v: &Value| v.as_str().and_then(|s| Quantity::parse(s).ok());
            parse(w).is_some() && parse(w) == parse(g)
        }
        (None, None) => {
            let w = want["percentage"].as_f64().map(|p| p as f32);
            let g = got["percentage"].as_f64().map(|p| p as f32);
            w.is_some() && w == g
        }
        _ => false,
    }
}

fn threshold_matches(want: &Value, got: &Value) -> bool {
    want["signal"] == got["signal"]
        && want["operator"] == got["operator"]
        && value_matches(&want["value"], &got["value"])
        && kubelogic::eviction::Duration::parse(want["gracePeriod"].as_str().unwrap_or("x"))
            .map(|d| d.to_string())
            .ok()
            .as_deref()
            == got["gracePeriod"].as_str()
        && match (
            want.get("minReclaim").filter(|v| !v.is_null()),
            got.get("minReclaim").filter(|v| !v.is_null()),
        ) {
            (None, None) => true,
            (Some(w), Some(g)) => value_matches(w, g),
            _ => false,
        }
}

#[wasm_bindgen_test]
fn eviction_config_vectors() {
    check_all(&cases(EVICTION_CONFIG), |case| {
        // The vectors are ParseThresholdConfig alone: no kubelet defaults.
        let mut input = json!({ "defaults": false });
        for key in ["config", "flags"] {
            if let Some(v) = case.get(key) {
                input[key] = v.clone();
            }
        }
        let result = parse_eviction_config(js(&input));
        let expect = &case["expect"];
        if expect.get("error") == Some(&Value::Bool(true)) {
            return match result {
                Ok(v) => Err(format!("expected an error, got {:?}", rust(v))),
                Err(e) => {
                    let path = js_sys::Reflect::get(&e, &"path".into())
                        .ok()
                        .and_then(|p| p.as_string());
                    path.filter(|p| !p.is_empty())
                        .map(|_| ())
                        .ok_or_else(|| "error without a field path".to_owned())
                }
            };
        }
        let got = rust(result.map_err(message)?);
        let got = got["thresholds"].as_array().cloned().unwrap_or_default();
        let want = expect["thresholds"]
            .as_array()
            .ok_or("no expect.thresholds")?;
        let mut unused: Vec<bool> = vec![true; got.len()];
        for w in want {
            let i = (0..got.len())
                .find(|&i| unused[i] && threshold_matches(w, &got[i]))
                .ok_or(format!("expected threshold {w} not in {got:?}"))?;
            unused[i] = false;
        }
        (!unused.contains(&true))
            .then_some(())
            .ok_or(format!("unexpected thresholds in {got:?}"))
    });
}

#[wasm_bindgen_test]
fn kind_cluster_schedules_as_kubernetes_does() {
    check_all(&cases(KIND), |case| {
        let mut items = case["nodes"].as_array().cloned().unwrap_or_default();
        items.extend(case["pods"].as_array().cloned().unwrap_or_default());
        let input = json!({ "cluster": { "kind": "List", "items": items }, "pod": case["pod"] });
        let got = rust(schedule(js(&input)).map_err(message)?);
        let want = &case["expect"];
        if let Some(m) = want.get("fitError") {
            if &got["message"] != m {
                return Err(format!("message: expected {m}, got {}", got["message"]));
            }
        }
        if let Some(f) = want.get("feasible") {
            if &got["feasible"] != f {
                return Err(format!("feasible: expected {f}, got {}", got["feasible"]));
            }
        }
        if let Some(s) = want.get("selected").and_then(Value::as_array) {
            if !s.contains(&got["selected"]) {
                return Err(format!(
                    "selected: expected one of {s:?}, got {}",
                    got["selected"]
                ));
            }
        }
        Ok(())
    });
}

/// `Cluster.scheduleOutcome` reads what `Cluster.schedule` returns: the full
/// result (`toJSON`), every row (`rows`, `node`), the names and the counts.
#[wasm_bindgen_test]
fn schedule_outcome_reads_what_schedule_returns() {
    check_all(&cases(KIND), |case| {
        let mut items = case["nodes"].as_array().cloned().unwrap_or_default();
        items.extend(case["pods"].as_array().cloned().unwrap_or_default());
        let cluster = Cluster::new(js(&json!({ "kind": "List", "items": items })), None, None)
            .map_err(message)?;
        let full = rust(cluster.schedule(js(&case["pod"]), None).map_err(message)?);
        let outcome = cluster
            .schedule_outcome(js(&case["pod"]), None)
            .map_err(message)?;
        let checks = [
            (
                "toJSON",
                rust(outcome.to_json().map_err(message)?),
                full.clone(),
            ),
            (
                "rows()",
                rust(outcome.rows(None, None).map_err(message)?),
                full["nodes"].clone(),
            ),
            (
                "rows(1, 2)",
                rust(outcome.rows(Some(1), Some(2)).map_err(message)?),
                json!(full["nodes"].as_array().map(|n| n
                    .iter()
                    .skip(1)
                    .take(1)
                    .collect::<Vec<_>>())),
            ),
            (
                "rows(5, 1) is empty",
                rust(outcome.rows(Some(5), Some(1)).map_err(message)?),
                json!([]),
            ),
            (
                "selected",
                rust(outcome.selected()),
                full["selected"].clone(),
            ),
            ("message", rust(outcome.message()), full["message"].clone()),
            ("tied", json!(outcome.tied()), full["tied"].clone()),
            (
                "feasibleNames",
                json!(outcome.feasible_names(None, None)),
                full["feasible"].clone(),
            ),
            (
                "feasibleCount",
                json!(outcome.feasible_count()),
                json!(full["feasible"].as_array().map_or(0, Vec::len)),
            ),
            (
                "nodeCount",
                json!(outcome.node_count()),
                json!(full["nodes"].as_array().map_or(0, Vec::len)),
            ),
            (
                "preemption",
                rust(outcome.preemption().map_err(message)?),
                full["preemption"].clone(),
            ),
            (
                "node(unknown)",
                rust(outcome.node("no-such-node").map_err(message)?),
                Value::Null,
            ),
        ];
        for (what, got, want) in checks {
            if got != want {
                return Err(format!("{what}: expected {want}, got {got}"));
            }
        }
        for row in full["nodes"].as_array().into_iter().flatten() {
            let name = row["name"].as_str().unwrap_or_default();
            let got = rust(outcome.node(name).map_err(message)?);
            if &got != row {
                return Err(format!("node({name}): expected {row}, got {got}"));
            }
        }
        Ok(())
    });
}

#[wasm_bindgen_test]
fn bad_input_is_a_kubelogic_error_with_the_field_path() {
    let input = json!({
        "cluster": r#"{"items": [{"kind": "Node", "metadata": {"name": "a"}, "status": {"allocatable": {"memory": "1K"}}}]}"#,
        "pod": {"spec": {"containers": [{"name": "c"}]}}
    });
    let err = schedule(js(&input)).expect_err("a bad quantity is refused");
    let error = js_sys::Error::from(err.clone());
    assert_eq!(String::from(error.name()), "KubelogicError");
    let path = js_sys::Reflect::get(&err, &"path".into())
        .unwrap()
        .as_string();
    assert_eq!(
        path.as_deref(),
        Some("cluster.items[0].status.allocatable.memory")
    );
}

#[wasm_bindgen_test]
fn the_pod_is_admitted_with_the_clusters_priority_classes() {
    let cluster = json!({"kind": "List", "items": [
        {"kind": "Node", "metadata": {"name": "a"},
         "status": {"allocatable": {"cpu": "1", "memory": "1Gi", "pods": "10"}}},
        {"kind": "PriorityClass", "metadata": {"name": "high"}, "value": 1000,
         "preemptionPolicy": "Never"}
    ]});
    let pod = |class: &str| {
        json!({"metadata": {"name": "p", "namespace": "default"},
        "spec": {"priorityClassName": class, "containers": [{"name": "c"}]}})
    };
    let ok =
        rust(schedule(js(&json!({"cluster": cluster, "pod": pod("high")}))).expect("admitted"));
    assert_eq!(ok["selected"], "a");
    let err = schedule(js(&json!({"cluster": cluster, "pod": pod("gold")})))
        .expect_err("an unknown class is refused");
    assert_eq!(
        message(err.clone()),
        r#"pods "p" is forbidden: no PriorityClass with name gold was found"#
    );
    let path = js_sys::Reflect::get(&err, &"path".into())
        .unwrap()
        .as_string();
    assert_eq!(path.as_deref(), Some("pod.spec.priorityClassName"));
}
