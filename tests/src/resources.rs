//! `resources/*.json`: kind `podResources` (`PodRequests`, `PodLimits` and
//! the kubelet's `GetResourceRequest`).

use std::collections::BTreeMap;

use kubelogic::model::{self, Pod, ResourceList};
use kubelogic::resources::{self, PodResourcesOptions};
use kubelogic::Quantity;
use serde::Deserialize;
use serde_json::Value;

/// A `podResources` case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Case {
    #[allow(dead_code)]
    kind: String,
    pod: Value,
    #[serde(default)]
    options: Options,
    #[serde(default)]
    feature_gates: BTreeMap<String, bool>,
    kubernetes_version: Option<kubelogic::KubernetesVersion>,
    resource: Option<String>,
    expect: Expect,
}

/// Upstream `PodResourcesOptions` in lowerCamel case; missing keys are the Go zero value.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    #[serde(default)]
    exclude_overhead: bool,
    non_missing_container_requests: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    skip_pod_level_resources: bool,
    #[serde(default)]
    skip_container_level_resources: bool,
    #[serde(default)]
    use_status_resources: bool,
    #[serde(default)]
    in_place_pod_level_resources_vertical_scaling_enabled: bool,
    #[serde(default, rename = "useDRANodeAllocatableResourceClaimStatus")]
    use_dra_node_allocatable_resource_claim_status: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Expect {
    requests: Option<BTreeMap<String, String>>,
    limits: Option<BTreeMap<String, String>>,
    request_value: Option<i64>,
}

fn parse_list(m: &BTreeMap<String, String>, what: &str) -> Result<ResourceList, String> {
    m.iter()
        .map(|(k, v)| {
            Quantity::parse(v)
                .map(|q| (k.clone(), q))
                .map_err(|e| format!("{what}.{k}: bad quantity {v:?}: {e}"))
        })
        .collect()
}

/// Compares as upstream's `equality.Semantic.DeepEqual`: the same names,
/// each quantity equal in value.
fn check_list(what: &str, expected: &ResourceList, got: &ResourceList) -> Result<(), String> {
    let same = expected.len() == got.len()
        && expected
            .iter()
            .all(|(k, v)| got.get(k).is_some_and(|g| g == v));
    if same {
        Ok(())
    } else {
        let show = |l: &ResourceList| {
            let parts: Vec<String> = l.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            format!("{{{}}}", parts.join(", "))
        };
        Err(format!(
            "{what}: expected {}, got {}",
            show(expected),
            show(got)
        ))
    }
}

/// Runs one `podResources` case.
pub fn run(case: Value) -> Result<(), String> {
    let c: Case = crate::cases::parse_case(case)?;
    let pod: Pod = model::from_value(&c.pod).map_err(|e| format!("pod: {e}"))?;
    let pod_level_resources =
        crate::cases::case_gates(c.kubernetes_version, &c.feature_gates)?.pod_level_resources;
    let non_missing = match &c.options.non_missing_container_requests {
        None => None,
        Some(m) => {
            let strings: BTreeMap<String, String> = m
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    Value::Number(n) => Ok((k.clone(), n.to_string())),
                    other => Err(format!(
                        "nonMissingContainerRequests.{k}: {other} is not a quantity"
                    )),
                })
                .collect::<Result<_, String>>()?;
            Some(parse_list(&strings, "options.nonMissingContainerRequests")?)
        }
    };
    let opts = PodResourcesOptions {
        use_status_resources: c.options.use_status_resources,
        in_place_pod_level_resources_vertical_scaling_enabled: c
            .options
            .in_place_pod_level_resources_vertical_scaling_enabled,
        exclude_overhead: c.options.exclude_overhead,
        non_missing_container_requests: non_missing,
        skip_pod_level_resources: c.options.skip_pod_level_resources,
        skip_container_level_resources: c.options.skip_container_level_resources,
        use_dra_node_allocatable_resource_claim_status: c
            .options
            .use_dra_node_allocatable_resource_claim_status,
    };
    let mut checked = false;
    if let Some(resource) = &c.resource {
        let want = c
            .expect
            .request_value
            .ok_or("a case with `resource` needs `expect.requestValue`")?;
        let got = resources::get_resource_request(&pod, resource, pod_level_resources);
        if got != want {
            return Err(format!(
                "requestValue of {resource}: expected {want}, got {got}"
            ));
        }
        checked = true;
    } else if c.expect.request_value.is_some() {
        return Err("`expect.requestValue` needs a `resource`".into());
    }
    if let Some(want) = &c.expect.requests {
        let want = parse_list(want, "expect.requests")?;
        let got = resources::try_pod_requests(&pod, &opts).map_err(|e| e.to_string())?;
        check_list("requests", &want, &got)?;
        checked = true;
    }
    if let Some(want) = &c.expect.limits {
        let want = parse_list(want, "expect.limits")?;
        let got = resources::try_pod_limits(&pod, &opts).map_err(|e| e.to_string())?;
        check_list("limits", &want, &got)?;
        checked = true;
    }
    if checked {
        Ok(())
    } else {
        Err("case expects nothing (no requests, limits or requestValue)".into())
    }
}
