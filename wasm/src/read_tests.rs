//! The hand-written readers against the serde derives they replaced, read
//! with serde-wasm-bindgen: the same values, defaults and error text for
//! every input below and every mutation of it.

use std::collections::BTreeMap;
use std::fmt::Debug;

use js_sys::Reflect;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use super::FromJs;

/// The serde derives as they were (same names, so `Debug` prints alike).
mod old {
    #![allow(dead_code)]
    use std::collections::BTreeMap;

    use kubelogic::eviction::{KubeletEvictionSettings, PodStats};
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Amount {
        Number(f64),
        Text(String),
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Flags {
        Args(Vec<String>),
        Map(BTreeMap<String, String>),
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ConfigInput {
        flags: Option<Flags>,
        config: Option<KubeletEvictionSettings>,
        defaults: Option<bool>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct SimulatorOptions {
        #[serde(default)]
        dedicated_image_fs: bool,
        #[serde(default)]
        separate_container_fs: bool,
        pod_termination_completes: Option<bool>,
        #[serde(default)]
        feature_gates: BTreeMap<String, bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ObservationInput {
        available: Amount,
        capacity: Option<Amount>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum At {
        Seconds(f64),
        Text(String),
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct StepDto {
        at: At,
        #[serde(default)]
        observations: BTreeMap<String, ObservationInput>,
        observations_after_reclaim: Option<BTreeMap<String, ObservationInput>>,
        pods: Option<Vec<Value>>,
        pod_stats: Option<BTreeMap<String, PodStats>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct RunDto {
        flags: Option<Flags>,
        config: Option<KubeletEvictionSettings>,
        defaults: Option<bool>,
        #[serde(default)]
        options: SimulatorOptions,
        #[serde(default)]
        pods: Vec<Value>,
        #[serde(default)]
        pod_stats: BTreeMap<String, PodStats>,
        steps: Vec<StepDto>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct ProfileInput {
        plugins: Option<Vec<String>>,
        #[serde(default)]
        plugin_config: BTreeMap<String, Value>,
        percentage_of_nodes_to_score: Option<u32>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct OutcomeOptions {
        profile: Option<ProfileInput>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct ScheduleOptions {
        profile: Option<ProfileInput>,
        #[serde(default)]
        detail: Detail,
    }

    #[derive(Debug, Default, Deserialize, PartialEq, Eq)]
    #[serde(rename_all = "camelCase")]
    pub enum Detail {
        #[default]
        Full,
        Summary,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CallOptions {
        profile: Option<ProfileInput>,
        #[serde(default)]
        detail: Detail,
        #[serde(default)]
        feature_gates: BTreeMap<String, bool>,
        replicas: Option<f64>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct QosOptions {
        memory_capacity: Option<Amount>,
        #[serde(default)]
        feature_gates: BTreeMap<String, bool>,
    }
}

fn show<T: Debug, E: ToString>(r: Result<T, E>) -> String {
    match r {
        Ok(t) => format!("ok {t:?}"),
        Err(e) => format!("err {}", e.to_string()),
    }
}

/// The leaves every field is replaced with in turn.
fn leaves() -> Vec<JsValue> {
    let json = [
        "null",
        "true",
        "0",
        "1",
        "-1",
        "1.5",
        "9007199254740993",
        "4294967296",
        "-4294967296",
        "\"\"",
        "\"x\"",
        "\"1Gi\"",
        "\"summary\"",
        "\"full\"",
        "\"90s\"",
        "[]",
        "[\"a\"]",
        "[1]",
        "{}",
        "{\"a\": 1}",
        "{\"a\": \"b\"}",
        "{\"full\": null}",
        "{\"summary\": 1}",
        "{\"a\": null, \"b\": null}",
        "[{}]",
        "[{\"name\": \"v\", \"usedBytes\": -1}]",
        "{\"memory.available\": {\"available\": \"1Gi\"}}",
    ];
    let mut out: Vec<JsValue> = json
        .iter()
        .map(|t| js_sys::JSON::parse(t).expect("a JSON leaf"))
        .collect();
    out.push(JsValue::UNDEFINED);
    out.push(JsValue::from_f64(f64::NAN));
    let map = js_sys::Map::new();
    map.set(&JsValue::from_str("k"), &JsValue::from_str("v"));
    out.push(map.into());
    out.push(js_sys::BigInt::from(5_u64).into());
    let numeric_keys = js_sys::Map::new();
    numeric_keys.set(&JsValue::from_f64(1.0), &JsValue::from_str("v"));
    out.push(numeric_keys.into());
    out.push(js_sys::Uint8Array::new_with_length(2).into());
    out.push(js_sys::Function::new_no_args("return 1").into());
    out.push(js_sys::Symbol::for_("s").into());
    let set = js_sys::Set::new(&JsValue::UNDEFINED);
    set.add(&JsValue::from_str("a"));
    out.push(set.into());
    out
}

fn to_js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).expect("JSON")
}

/// Every path to a value inside `v` (object keys and array indices).
fn paths(v: &Value, at: &mut Vec<JsValue>, out: &mut Vec<Vec<JsValue>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(JsValue::from_str(k));
                paths(x, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                #[allow(clippy::cast_precision_loss)]
                at.push(JsValue::from_f64(i as f64));
                paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// `base` with the value at `path` (or a new `extra` key there) set to `leaf`.
fn mutated(base: &Value, path: &[JsValue], extra: Option<&str>, leaf: &JsValue) -> JsValue {
    let root = to_js(base);
    let Some((last, parents)) = path.split_last() else {
        return match extra {
            Some(k) if root.is_object() => {
                Reflect::set(&root, &JsValue::from_str(k), leaf).expect("set");
                root
            }
            _ => leaf.clone(),
        };
    };
    let mut target = root.clone();
    for p in parents {
        target = Reflect::get(&target, p).expect("get");
    }
    match extra {
        Some(k) => {
            let inner = Reflect::get(&target, last).expect("get");
            if inner.is_object() {
                Reflect::set(&inner, &JsValue::from_str(k), leaf).expect("set");
            }
        }
        None => {
            Reflect::set(&target, last, leaf).expect("set");
        }
    }
    root
}

fn check<New: FromJs + Debug, Old: DeserializeOwned + Debug>(base: Value, keys: &[&str]) -> usize {
    let leaves = leaves();
    let mut ps = Vec::new();
    paths(&base, &mut Vec::new(), &mut ps);
    let mut n = 0;
    let mut compare = |v: &JsValue, what: &dyn Fn() -> String| {
        let new = show(New::from_js(v));
        let old = show(serde_wasm_bindgen::from_value::<Old>(v.clone()));
        assert_eq!(new, old, "{}", what());
        n += 1;
    };
    compare(&to_js(&base), &|| base.to_string());
    for p in &ps {
        for leaf in &leaves {
            let what = |k: Option<&str>| format!("{base} at {p:?} (new key {k:?}) set to {leaf:?}");
            compare(&mutated(&base, p, None, leaf), &|| what(None));
            for k in keys {
                compare(&mutated(&base, p, Some(k), leaf), &|| what(Some(k)));
            }
        }
    }
    n
}

#[wasm_bindgen_test]
fn readers_read_as_the_serde_derives_did() {
    use crate::eviction::{ConfigInput, RunDto, SimulatorOptions, StepDto};
    use crate::qos::QosOptions;
    use crate::scheduler::{CallOptions, OutcomeOptions, ProfileInput, ScheduleOptions};

    let profile = json!({"plugins": ["NodeResourcesFit"], "percentageOfNodesToScore": 50,
        "pluginConfig": {"NodeResourcesFit": {"scoringStrategy": {"type": "MostAllocated"}}}});
    let stats = json!({"memoryWorkingSet": 1, "ephemeralStorageUsed": 2, "processCount": 3,
        "containers": [{"name": "c", "memoryWorkingSet": 1, "rootfs": {"usedBytes": 1, "inodesUsed": 2},
                        "logs": {"usedBytes": 3}}],
        "volumes": [{"name": "v", "usedBytes": 4, "inodesUsed": 5}]});
    let config = json!({"evictionHard": {"memory.available": "100Mi"}, "evictionSoft": {},
        "evictionSoftGracePeriod": {"memory.available": "1m"}, "evictionMinimumReclaim": null,
        "evictionMaxPodGracePeriod": 30, "evictionPressureTransitionPeriod": "5m",
        "enforceNodeAllocatable": ["pods"], "mergeDefaultEvictionSettings": false,
        "localStorageCapacityIsolation": true});
    let step = json!({"at": 10, "observations": {"memory.available": {"available": "1Gi", "capacity": 8}},
        "observationsAfterReclaim": {"nodefs.available": {"available": 5}},
        "pods": [{"metadata": {"name": "p"}}], "podStats": {"default/p": stats}});
    let keys = [
        "name",
        "detail",
        "x",
        "usedBytes",
        "flags",
        "config",
        "available",
        "at",
        "steps",
    ];
    let mut n = 0;
    n += check::<ProfileInput, old::ProfileInput>(profile.clone(), &keys);
    n += check::<OutcomeOptions, old::OutcomeOptions>(json!({"profile": profile}), &keys);
    n += check::<ScheduleOptions, old::ScheduleOptions>(
        json!({"profile": {}, "detail": "summary"}),
        &keys,
    );
    n += check::<CallOptions, old::CallOptions>(
        json!({"profile": {"plugins": []}, "detail": "full", "featureGates": {"A": true}, "replicas": 3,
               "cluster": {}, "pod": {}}),
        &keys,
    );
    n += check::<QosOptions, old::QosOptions>(
        json!({"memoryCapacity": "8Gi", "featureGates": {"A": false}}),
        &keys,
    );
    n += check::<ConfigInput, old::ConfigInput>(
        json!({"flags": ["--eviction-hard=memory.available<1Gi"], "defaults": false}),
        &keys,
    );
    n += check::<ConfigInput, old::ConfigInput>(
        json!({"flags": {"eviction-hard": "memory.available<1Gi"}}),
        &keys,
    );
    n += check::<ConfigInput, old::ConfigInput>(json!({"config": config}), &keys);
    n += check::<SimulatorOptions, old::SimulatorOptions>(
        json!({"dedicatedImageFs": true, "separateContainerFs": false, "podTerminationCompletes": true,
               "featureGates": {"KubeletSeparateDiskGC": true}}),
        &keys,
    );
    n += check::<StepDto, old::StepDto>(step.clone(), &keys);
    n += check::<RunDto, old::RunDto>(
        json!({"flags": ["--eviction-hard=memory.available<1Gi"], "options": {"dedicatedImageFs": true},
               "pods": [], "podStats": {}, "steps": [step]}),
        &keys,
    );
    n += check::<super::SortedMap<bool>, BTreeMap<String, bool>>(
        json!({"A": true, "B": false}),
        &keys,
    );
    n += check::<Value, Value>(
        json!({"kind": "List", "items": [{"metadata": {"name": "n", "labels": {"a": "b"}},
               "status": {"allocatable": {"cpu": 4, "memory": "8Gi"}}}, 1.5, -3, null, true]}),
        &keys,
    );
    let amount = |v: &JsValue| {
        let new = show(crate::input::Amount::from_js(v));
        let old = show(serde_wasm_bindgen::from_value::<old::Amount>(v.clone()));
        assert_eq!(new, old);
    };
    for leaf in leaves() {
        amount(&leaf);
    }
    assert!(n > 10_000, "{n} inputs");
}
