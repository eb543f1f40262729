//! The quantity bindings, run under node by `wasm-bindgen-test-runner` on the
//! shared conformance vectors: the JS-facing functions must give what
//! Kubernetes gives, exactly as the native conformance runner checks the core.
#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use kubelogic_wasm::quantity::QuantityInfo;
use kubelogic_wasm::{add_quantities, compare_quantities, parse_quantity, sub_quantities};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const PARSE_EDGE: &str = include_str!("../../tests/data/conformance/quantity/parse-edge.jsonl");
const PARSE_RANDOM: &str = include_str!("../../tests/data/conformance/quantity/parse-random.jsonl");
const ARITH: &str = include_str!("../../tests/data/conformance/quantity/arith.jsonl");

/// Every `stride`-th case of a JSON Lines file (all of them for stride 1).
fn cases(jsonl: &str, stride: usize) -> Vec<Value> {
    let all: Vec<Value> = jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad vector line {l:?}: {e}")))
        .collect();
    assert!(!all.is_empty(), "no vectors read");
    all.into_iter().step_by(stride).collect()
}

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("Reflect.get on an object")
}

fn string_field(v: &JsValue, key: &str) -> Option<String> {
    let f = field(v, key);
    assert!(
        f.is_null() || f.is_string(),
        "{key} must be a string or null, got {f:?}"
    );
    f.as_string()
}

/// The vector's integer field as the decimal string the bindings return.
fn expected_integer(case: &Value, key: &str) -> Option<String> {
    case.get(key).map(|v| {
        assert!(
            v.is_i64() || v.is_u64(),
            "{key} in {case} is not an integer"
        );
        v.to_string()
    })
}

/// Asserts a thrown value is a `KubelogicError` about `path`.
fn assert_binding_error(err: &JsValue, path: &str) {
    let error: &js_sys::Error = err.dyn_ref().expect("thrown value is a JS Error");
    assert_eq!(error.name(), "KubelogicError");
    assert!(!String::from(error.message()).is_empty(), "empty message");
    assert_eq!(string_field(err, "path").as_deref(), Some(path));
}

/// Every failure is reported, then the test fails once with the count.
fn check_all(cases: &[Value], check: impl Fn(&Value) -> Result<(), String>) {
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
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
}

fn check_parse_case(case: &Value) -> Result<(), String> {
    let input = case["input"].as_str().ok_or("vector without input")?;
    let result = parse_quantity(input);
    if case.get("error") == Some(&Value::Bool(true)) {
        return match result {
            Ok(v) => Err(format!("{input:?}: expected an error, got {v:?}")),
            Err(e) => {
                assert_binding_error(&e, "quantity");
                let offset = field(&e, "offset").as_f64();
                match offset {
                    Some(o) if o >= 0.0 && o <= input.len() as f64 => Ok(()),
                    _ => Err(format!(
                        "{input:?}: error without a valid offset: {offset:?}"
                    )),
                }
            }
        };
    }
    let got = result.map_err(|e| format!("{input:?}: unexpected error {e:?}"))?;
    let mut want = vec![
        ("canonical", case["canonical"].as_str().map(str::to_owned)),
        ("format", case["format"].as_str().map(str::to_owned)),
        ("milliValue", expected_integer(case, "milliValue")),
    ];
    // As the native runner: the vectors leave `value` out together with
    // `milliValue` whenever the milli value overflows i64 (e.g. "1E"), even
    // when the value fits, so an absent `value` is checked only when
    // `milliValue` is present.
    if case.get("value").is_some() || case.get("milliValue").is_some() {
        want.push(("value", expected_integer(case, "value")));
    }
    for (key, want) in want {
        let got = string_field(&got, key);
        if got != want {
            return Err(format!("{input:?}: {key}: expected {want:?}, got {got:?}"));
        }
    }
    Ok(())
}

#[wasm_bindgen_test]
fn parse_edge_vectors_through_parse_quantity() {
    check_all(&cases(PARSE_EDGE, 1), check_parse_case);
}

#[wasm_bindgen_test]
fn parse_random_sample_through_parse_quantity() {
    check_all(&cases(PARSE_RANDOM, 97), check_parse_case);
}

#[wasm_bindgen_test]
fn arith_sample_through_add_sub_compare() {
    check_all(&cases(ARITH, 53), |case| {
        let (a, b) = (case["a"].as_str().unwrap(), case["b"].as_str().unwrap());
        let sum = add_quantities(a, b).map_err(|e| format!("{a} + {b}: {e:?}"))?;
        let difference = sub_quantities(a, b).map_err(|e| format!("{a} - {b}: {e:?}"))?;
        let cmp = compare_quantities(a, b).map_err(|e| format!("cmp {a} {b}: {e:?}"))?;
        let checks = [
            ("sum", string_field(&sum, "canonical"), case["sum"].as_str()),
            (
                "difference",
                string_field(&difference, "canonical"),
                case["difference"].as_str(),
            ),
        ];
        for (what, got, want) in checks {
            if got.as_deref() != want {
                return Err(format!("{a}, {b}: {what}: expected {want:?}, got {got:?}"));
            }
        }
        if Some(i64::from(cmp)) != case["cmp"].as_i64() {
            return Err(format!(
                "cmp({a}, {b}): expected {}, got {cmp}",
                case["cmp"]
            ));
        }
        Ok(())
    });
}

/// The bindings add nothing: what JS receives is the core's answer, field by
/// field, for every parse vector (whatever the core's answer is).
#[wasm_bindgen_test]
fn bindings_return_exactly_what_the_core_returns() {
    let inputs = cases(PARSE_EDGE, 1)
        .into_iter()
        .chain(cases(PARSE_RANDOM, 29));
    for case in inputs {
        let input = case["input"].as_str().unwrap();
        match (kubelogic::Quantity::parse(input), parse_quantity(input)) {
            (Ok(q), Ok(js)) => {
                let want = QuantityInfo::from(&q);
                assert_eq!(
                    string_field(&js, "canonical").as_deref(),
                    Some(&*want.canonical)
                );
                assert_eq!(string_field(&js, "format").as_deref(), Some(want.format));
                assert_eq!(string_field(&js, "value"), want.value);
                assert_eq!(string_field(&js, "milliValue"), want.milli_value);
            }
            (Err(core), Err(js)) => {
                assert_binding_error(&js, "quantity");
                let error: js_sys::Error = js.unchecked_into();
                assert_eq!(String::from(error.message()), core.to_string());
                assert_eq!(field(&error, "offset").as_f64(), Some(core.offset() as f64));
                assert_eq!(
                    field(&error, "kind").as_string(),
                    Some(format!("{:?}", core.kind()))
                );
            }
            (core, js) => panic!("{input:?}: core gave {core:?}, bindings gave {js:?}"),
        }
    }
}

#[wasm_bindgen_test]
fn results_are_plain_json_compatible_objects() {
    let v = parse_quantity("1.5Gi").unwrap();
    let json = js_sys::JSON::stringify(&v).unwrap();
    assert_eq!(
        String::from(json),
        r#"{"canonical":"1536Mi","format":"BinarySI","value":"1610612736","milliValue":"1610612736000"}"#
    );
    let proto = js_sys::Object::get_prototype_of(&v);
    assert_eq!(
        proto,
        js_sys::Object::get_prototype_of(&js_sys::Object::new())
    );
}

#[wasm_bindgen_test]
fn values_past_2_pow_53_are_exact_strings_and_overflow_is_null() {
    let v = parse_quantity("9223372036854775807").unwrap();
    assert_eq!(
        string_field(&v, "value").as_deref(),
        Some("9223372036854775807")
    );
    assert_eq!(string_field(&v, "milliValue"), None);
}

#[wasm_bindgen_test]
fn errors_name_the_operand_at_fault() {
    assert_binding_error(&parse_quantity("1K").unwrap_err(), "quantity");
    assert_binding_error(&add_quantities("1K", "1").unwrap_err(), "a");
    assert_binding_error(&add_quantities("1", "1K").unwrap_err(), "b");
    assert_binding_error(&sub_quantities("1", "").unwrap_err(), "b");
    assert_binding_error(&compare_quantities("x", "1").unwrap_err(), "a");
}
