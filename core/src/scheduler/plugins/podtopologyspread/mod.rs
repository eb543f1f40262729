//! PodTopologySpread: spreads matching pods evenly over topology domains
//! (`pkg/scheduler/framework/plugins/podtopologyspread`).
//!
//! - [`common`]: constraints from the pod or the profile's defaults
//!   (System: hostname maxSkew 3 and zone maxSkew 5, ScheduleAnyway, with
//!   the selector of the Services and controllers selecting the pod).
//! - [`filtering`]: PreFilter (matching pods per domain, the two smallest),
//!   AddPod/RemovePod, and Filter (`DoNotSchedule`: skew ≤ maxSkew).
//! - [`scoring`]: PreScore, Score and NormalizeScore (`ScheduleAnyway`).
//!
//! ```
//! use kubelogic::model::{self, Node, Pod};
//! use kubelogic::scheduler::framework::{Code, CycleState, FilterPlugin, PreFilterPlugin};
//! use kubelogic::scheduler::plugins::podtopologyspread::PodTopologySpread;
//! use kubelogic::scheduler::{PodInfo, Snapshot};
//! use kubelogic::FeatureGates;
//!
//! let node = |name: &str, zone: &str| -> Node {
//!     model::from_json_str(&format!(
//!         r#"{{"metadata": {{"name": "{name}", "labels": {{"zone": "{zone}"}}}}}}"#)).unwrap()
//! };
//! let running: Pod = model::from_json_str(r#"{"metadata": {"name": "w1", "namespace": "default",
//!     "labels": {"app": "web"}}, "spec": {"nodeName": "a"}}"#)?;
//! let pod: Pod = model::from_json_str(r#"{"metadata": {"name": "w2", "namespace": "default",
//!   "labels": {"app": "web"}}, "spec": {"topologySpreadConstraints": [{"maxSkew": 1,
//!   "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
//!   "labelSelector": {"matchLabels": {"app": "web"}}}]}}"#)?;
//! let gates = FeatureGates::default();
//! let snapshot = Snapshot::new(vec![node("a", "z1"), node("b", "z2")], vec![running], vec![], gates);
//! let plugin = PodTopologySpread::new(None, &gates).unwrap();
//! let pod = PodInfo::new(pod, &gates);
//! let mut state = CycleState::new();
//! assert!(plugin.pre_filter(&mut state, &pod, &snapshot).1.is_success());
//! // z1 already has one: a second there would make the skew 2.
//! let on_a = plugin.filter(&state, &pod, snapshot.node("a").unwrap());
//! assert_eq!(on_a.code, Code::Unschedulable);
//! assert!(plugin.filter(&state, &pod, snapshot.node("b").unwrap()).is_success());
//! # Ok::<(), kubelogic::model::ModelError>(())
//! ```

pub mod common;
pub mod filtering;
pub mod scoring;

use crate::model::validation::FieldErrorType;
use serde::Deserialize;
use serde_json::Value;

use crate::model::{
    self, Pod, TopologySpreadConstraint as V1Constraint, UnsatisfiableConstraintAction,
};
use crate::scheduler::framework::{
    CycleState, FilterPlugin, NodeScore, PreFilterPlugin, PreFilterResult, PreScorePlugin,
    ScoreExtensions, ScorePlugin, Status,
};
use crate::scheduler::plugins::{names, ConfigError};
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};
use crate::FeatureGates;

pub use common::{TopologySpreadConstraint, LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE};
pub use filtering::{
    CriticalPaths, PreFilterState, ERR_REASON_CONSTRAINTS_NOT_MATCH,
    ERR_REASON_NODE_LABEL_NOT_MATCH,
};
pub use scoring::PreScoreState;

/// `PodTopologySpreadArgs.defaultingType`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DefaultingType {
    /// `System`: kube-scheduler's built-in default constraints.
    #[default]
    System,
    /// `List`: the args' `defaultConstraints`.
    List,
}

/// `PodTopologySpreadArgs` (KubeSchedulerConfiguration v1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodTopologySpreadArgs {
    /// `defaultConstraints` (only with `List`).
    pub default_constraints: Vec<V1Constraint>,
    /// `defaultingType` (default `System`).
    pub defaulting_type: DefaultingType,
}

/// `systemDefaultConstraints`.
pub fn system_default_constraints() -> Vec<V1Constraint> {
    vec![
        V1Constraint {
            max_skew: 3,
            topology_key: LABEL_HOSTNAME.to_owned(),
            when_unsatisfiable: UnsatisfiableConstraintAction::ScheduleAnyway,
            ..V1Constraint::default()
        },
        V1Constraint {
            max_skew: 5,
            topology_key: LABEL_TOPOLOGY_ZONE.to_owned(),
            when_unsatisfiable: UnsatisfiableConstraintAction::ScheduleAnyway,
            ..V1Constraint::default()
        },
    ]
}

/// The args as KubeSchedulerConfiguration spells them, decoded strictly.
/// `defaultingType` and each constraint's `whenUnsatisfiable` are free
/// strings there (`config.PodTopologySpreadArgs`), checked by validation in
/// its order, so the constraints are read into the model after that check.
#[derive(Debug, Default, Deserialize)]
#[serde(
    rename = "PodTopologySpreadArgs",
    rename_all = "camelCase",
    default,
    deny_unknown_fields
)]
struct ArgsWire {
    #[allow(dead_code)]
    api_version: Option<String>,
    #[allow(dead_code)]
    kind: Option<String>,
    defaulting_type: Option<String>,
    default_constraints: Option<Vec<Value>>,
}

fn cfg_err(field: &str, ty: FieldErrorType, msg: impl Into<String>) -> ConfigError {
    ConfigError::new(names::POD_TOPOLOGY_SPREAD, field, ty, msg)
}

impl PodTopologySpreadArgs {
    /// Reads the args' JSON form (`None`: the defaults) and validates them
    /// as `ValidatePodTopologySpreadArgs` does.
    pub fn from_json(args: Option<&Value>) -> Result<Self, ConfigError> {
        let wire: ArgsWire = super::decode_args(names::POD_TOPOLOGY_SPREAD, args)?;
        let mut out = PodTopologySpreadArgs::default();
        let defaulting = wire.defaulting_type;
        let raw_constraints = wire.default_constraints.unwrap_or_default();
        out.defaulting_type = match defaulting.as_deref() {
            None | Some("") | Some("System") => DefaultingType::System,
            Some("List") => DefaultingType::List,
            Some(other) => {
                return Err(cfg_err(
                    "defaultingType",
                    FieldErrorType::NotSupported,
                    format!(
                        "Unsupported value: {}: supported values: \"System\", \"List\"",
                        crate::quote::go_quote(other)
                    ),
                ))
            }
        };
        // `whenUnsatisfiable` is checked in its place among the fields, so
        // a bad one is remembered and the constraint read without it.
        let mut bad_when: Vec<Option<ConfigError>> = Vec::new();
        for (i, raw) in raw_constraints.into_iter().enumerate() {
            let p = format!("defaultConstraints[{i}]");
            let field = format!("{p}.whenUnsatisfiable");
            let bad = match raw.get("whenUnsatisfiable") {
                None | Some(Value::Null) => Some(cfg_err(&field, FieldErrorType::Required, "can not be empty")),
                Some(Value::String(s)) if s.is_empty() => {
                    Some(cfg_err(&field, FieldErrorType::Required, "can not be empty"))
                }
                Some(Value::String(s)) if s == "DoNotSchedule" || s == "ScheduleAnyway" => None,
                Some(other) => Some(cfg_err(
                    &field,
                    FieldErrorType::NotSupported,
                    format!("Unsupported value: {}: supported values: \"DoNotSchedule\", \"ScheduleAnyway\"", other),
                )),
            };
            let mut raw = raw;
            if bad.is_some() {
                if let Some(m) = raw.as_object_mut() {
                    m.remove("whenUnsatisfiable");
                }
            }
            bad_when.push(bad);
            let c: V1Constraint = model::from_value_at(&raw, &p)
                .map_err(|e| cfg_err(e.path(), FieldErrorType::Invalid, e.to_string()))?;
            out.default_constraints.push(c);
        }
        out.validate_with(&bad_when)?;
        Ok(out)
    }

    /// `ValidatePodTopologySpreadArgs`: the first error.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_with(&[])
    }

    /// [`Self::validate`] with the `whenUnsatisfiable` errors found while
    /// reading the JSON, reported in upstream's field order.
    fn validate_with(&self, bad_when: &[Option<ConfigError>]) -> Result<(), ConfigError> {
        if self.defaulting_type == DefaultingType::System && !self.default_constraints.is_empty() {
            return Err(cfg_err(
                "defaultingType",
                FieldErrorType::Invalid,
                "Invalid value: \"System\": when .defaultConstraints are not empty",
            ));
        }
        for (i, c) in self.default_constraints.iter().enumerate() {
            let p = format!("defaultConstraints[{i}]");
            if c.max_skew <= 0 {
                return Err(cfg_err(
                    &format!("{p}.maxSkew"),
                    FieldErrorType::Invalid,
                    format!("Invalid value: {}: not in valid range (0, inf)", c.max_skew),
                ));
            }
            if c.topology_key.is_empty() {
                return Err(cfg_err(
                    &format!("{p}.topologyKey"),
                    FieldErrorType::Required,
                    "can not be empty",
                ));
            }
            let key_errs = model::validation::is_qualified_name(&c.topology_key);
            if !key_errs.is_empty() {
                return Err(cfg_err(
                    &format!("{p}.topologyKey"),
                    FieldErrorType::Invalid,
                    key_errs.join("; "),
                ));
            }
            if let Some(Some(e)) = bad_when.get(i) {
                return Err(e.clone());
            }
            if c.label_selector.is_some() {
                return Err(cfg_err(
                    &format!("{p}.labelSelector"),
                    FieldErrorType::Forbidden,
                    "constraint must not define a selector, as they deduced for each pod",
                ));
            }
            let repeated = self.default_constraints.iter().take(i).any(|o| {
                o.topology_key == c.topology_key && o.when_unsatisfiable == c.when_unsatisfiable
            });
            if repeated {
                return Err(cfg_err(
                    &format!("defaultConstraints[{i}]"),
                    FieldErrorType::Duplicate,
                    format!("{{{}, {:?}}}", c.topology_key, c.when_unsatisfiable),
                ));
            }
        }
        Ok(())
    }
}

/// The PodTopologySpread plugin.
#[derive(Clone, Debug)]
pub struct PodTopologySpread {
    /// The default constraints in effect (the system ones with `System`).
    pub default_constraints: Vec<V1Constraint>,
    /// Whether `defaultingType` is `System`.
    pub system_defaulted: bool,
    /// The gates constraint building depends on.
    pub gates: FeatureGates,
}

impl PodTopologySpread {
    /// The plugin with `args` (JSON form) validated.
    pub fn new(args: Option<&Value>, gates: &FeatureGates) -> Result<Self, ConfigError> {
        let args = PodTopologySpreadArgs::from_json(args)?;
        let system_defaulted = args.defaulting_type == DefaultingType::System;
        Ok(PodTopologySpread {
            default_constraints: if system_defaulted {
                system_default_constraints()
            } else {
                args.default_constraints
            },
            system_defaulted,
            gates: *gates,
        })
    }

    /// The pod's constraints for `action`: its own when it has any (of any
    /// action), else the defaults with the deduced selector.
    pub fn constraints(
        &self,
        pod: &Pod,
        snapshot: &Snapshot,
        action: UnsatisfiableConstraintAction,
    ) -> Result<Vec<TopologySpreadConstraint>, String> {
        if pod.spec.topology_spread_constraints.is_empty() {
            common::build_default_constraints(
                &self.default_constraints,
                pod,
                &snapshot.objects,
                action,
                self.gates,
            )
        } else {
            common::filter_topology_spread_constraints(
                &pod.spec.topology_spread_constraints,
                pod.labels(),
                action,
                self.gates,
            )
        }
    }
}

crate::scheduler::framework::plugin!(
    PodTopologySpread,
    names::POD_TOPOLOGY_SPREAD,
    [PreFilter, Filter, PreScore, Score]
);

impl PreFilterPlugin for PodTopologySpread {
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> (Option<PreFilterResult>, Status) {
        filtering::pre_filter(self, state, pod, snapshot)
    }

    fn add_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        pod_to_add: &PodInfo,
        node: &NodeInfo,
        _snapshot: &Snapshot,
    ) -> Status {
        filtering::update_with_pod(self, state, pod_to_add, pod, node, 1)
    }

    fn remove_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        pod_to_remove: &PodInfo,
        node: &NodeInfo,
        _snapshot: &Snapshot,
    ) -> Status {
        filtering::update_with_pod(self, state, pod_to_remove, pod, node, -1)
    }
}

impl FilterPlugin for PodTopologySpread {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        filtering::filter(state, pod, node)
    }
}

impl PreScorePlugin for PodTopologySpread {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status {
        scoring::pre_score(self, state, pod, nodes, snapshot)
    }
}

impl ScorePlugin for PodTopologySpread {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        scoring::score(state, pod, node)
    }

    fn score_nodes(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        scoring::score_nodes(state, pod, nodes, scores)
    }

    fn score_extensions(&self) -> Option<&dyn ScoreExtensions> {
        Some(self)
    }
}

impl ScoreExtensions for PodTopologySpread {
    fn normalize_score(
        &self,
        state: &CycleState,
        _pod: &PodInfo,
        scores: &mut [NodeScore<'_>],
    ) -> Status {
        scoring::normalize_score(state, scores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(args: Value) -> (String, String) {
        let e = PodTopologySpread::new(Some(&args), &FeatureGates::default()).unwrap_err();
        (e.field, e.error_type.as_str().to_owned())
    }

    fn c(key: &str, skew: i32, when: &str) -> Value {
        json!({"maxSkew": skew, "topologyKey": key, "whenUnsatisfiable": when})
    }

    #[test]
    fn args_defaults_and_list() {
        let pl = PodTopologySpread::new(None, &FeatureGates::default()).unwrap();
        assert!(pl.system_defaulted);
        assert_eq!(pl.default_constraints, system_default_constraints());
        let pl = PodTopologySpread::new(
            Some(&json!({"defaultingType": "List", "defaultConstraints": [c("zone", 2, "ScheduleAnyway")]})),
            &FeatureGates::default(),
        )
        .unwrap();
        assert!(!pl.system_defaulted);
        assert_eq!(pl.default_constraints.len(), 1);
    }

    #[test]
    fn args_validation_names_the_field() {
        let cases = [
            (
                json!({"defaultingType": "Foo"}),
                "defaultingType",
                "FieldValueNotSupported",
            ),
            (
                json!({"defaultingType": "System", "defaultConstraints": [c("zone", 1, "DoNotSchedule")]}),
                "defaultingType",
                "FieldValueInvalid",
            ),
            (
                json!({"defaultingType": "List", "defaultConstraints": [c("zone", 0, "DoNotSchedule")]}),
                "defaultConstraints[0].maxSkew",
                "FieldValueInvalid",
            ),
            (
                json!({"defaultingType": "List", "defaultConstraints": [c("", 1, "DoNotSchedule")]}),
                "defaultConstraints[0].topologyKey",
                "FieldValueRequired",
            ),
            (
                json!({"defaultingType": "List", "defaultConstraints": [c("a/b/c", 1, "DoNotSchedule")]}),
                "defaultConstraints[0].topologyKey",
                "FieldValueInvalid",
            ),
            (
                json!({"defaultingType": "List", "defaultConstraints": [c("zone", 1, "Sometimes")]}),
                "defaultConstraints[0].whenUnsatisfiable",
                "FieldValueNotSupported",
            ),
            (
                json!({"defaultingType": "List", "defaultConstraints": [
                    {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                     "labelSelector": {}}]}),
                "defaultConstraints[0].labelSelector",
                "FieldValueForbidden",
            ),
            (
                json!({"defaultingType": "List", "defaultConstraints": [
                    c("zone", 1, "DoNotSchedule"), c("zone", 2, "DoNotSchedule")]}),
                "defaultConstraints[1]",
                "FieldValueDuplicate",
            ),
        ];
        for (args, field, ty) in cases {
            assert_eq!(
                err(args.clone()),
                (field.to_owned(), ty.to_owned()),
                "{args}"
            );
        }
    }
}
