//! What the API server does to a new pod before the scheduler sees it, as
//! far as scheduling depends on it: validation of the preferred affinity
//! weights (`pkg/apis/core/validation/validation.go`, [`validate_pod`]) and
//! the `Priority` admission plugin
//! (`plugin/pkg/admission/priority/admission.go`), which resolves
//! `spec.priorityClassName` to `spec.priority` and `spec.preemptionPolicy`.
//!
//! kube-scheduler itself reads `spec.priority` only (0 when absent), so
//! [`crate::scheduler::schedule`] does not call this; a what-if that starts
//! from a hand-written manifest (the playground, `placeAll` of a
//! Deployment's pods) admits the pod first, as creating it would.
//!
//! ```
//! use kubelogic::admission::{admit_priority, AdmissionError};
//! use kubelogic::model::{from_json_str, Pod, PreemptionPolicy, PriorityClass};
//!
//! let high: PriorityClass = from_json_str(r#"{"metadata": {"name": "high"},
//!     "value": 1000000, "preemptionPolicy": "Never"}"#)?;
//! let mut pod: Pod = from_json_str(r#"{"metadata": {"name": "web"},
//!     "spec": {"priorityClassName": "high", "containers": [{"name": "c"}]}}"#)?;
//! admit_priority(&mut pod, &[high])?;
//! assert_eq!(pod.spec.priority, Some(1000000));
//! assert_eq!(pod.spec.preemption_policy, Some(PreemptionPolicy::Never));
//!
//! // A class that does not exist is refused, in the API server's words.
//! let mut pod: Pod = from_json_str(r#"{"metadata": {"name": "web"},
//!     "spec": {"priorityClassName": "gold", "containers": [{"name": "c"}]}}"#)?;
//! let err = admit_priority(&mut pod, &[]).unwrap_err();
//! assert_eq!(err.to_string(),
//!     r#"pods "web" is forbidden: no PriorityClass with name gold was found"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::model::validation::{aggregate_message, validate_affinity_weights, FieldError};
use crate::model::{Pod, PreemptionPolicy, PriorityClass};

/// `scheduling.SystemClusterCritical`.
pub const SYSTEM_CLUSTER_CRITICAL: &str = "system-cluster-critical";
/// `scheduling.SystemNodeCritical`.
pub const SYSTEM_NODE_CRITICAL: &str = crate::qos::SYSTEM_NODE_CRITICAL;
/// The value of `system-cluster-critical` (`SystemCriticalPriority`).
pub const SYSTEM_CLUSTER_CRITICAL_VALUE: i32 = crate::qos::SYSTEM_CRITICAL_PRIORITY;
/// The value of `system-node-critical` (`SystemCriticalPriority + 1000`).
pub const SYSTEM_NODE_CRITICAL_VALUE: i32 = crate::qos::SYSTEM_CRITICAL_PRIORITY + 1000;
/// `DefaultPriorityWhenNoDefaultClassExists`.
pub const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS: i32 = 0;

/// Why admission refused a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AdmissionError {
    /// `admission.NewForbidden`: the pod may not be created.
    Forbidden {
        /// The pod's name (`generateName` when it has no name yet).
        pod: String,
        /// What is wrong, in the admission plugin's words.
        reason: String,
    },
    /// `errors.NewInvalid`: the pod fails validation.
    Invalid {
        /// The pod's name (`generateName` when it has no name yet).
        pod: String,
        /// The field errors, in validation order.
        errors: Vec<FieldError>,
    },
}

impl fmt::Display for AdmissionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdmissionError::Forbidden { pod, reason } => {
                write!(
                    f,
                    "pods {} is forbidden: {reason}",
                    crate::quote::go_quote(pod)
                )
            }
            AdmissionError::Invalid { pod, errors } => write!(
                f,
                "Pod {} is invalid: {}",
                crate::quote::go_quote(pod),
                aggregate_message(errors)
            ),
        }
    }
}

impl std::error::Error for AdmissionError {}

/// The PriorityClasses every cluster has (the API server creates them at
/// startup), used when `classes` does not list them.
fn system_class(name: &str) -> Option<(i32, PreemptionPolicy)> {
    match name {
        SYSTEM_CLUSTER_CRITICAL => Some((
            SYSTEM_CLUSTER_CRITICAL_VALUE,
            PreemptionPolicy::PreemptLowerPriority,
        )),
        SYSTEM_NODE_CRITICAL => Some((
            SYSTEM_NODE_CRITICAL_VALUE,
            PreemptionPolicy::PreemptLowerPriority,
        )),
        _ => None,
    }
}

/// `getDefaultPriorityClass`: the `globalDefault` class with the lowest
/// value (more than one can exist after a race; upstream picks that one).
pub fn default_priority_class(classes: &[PriorityClass]) -> Option<&PriorityClass> {
    classes
        .iter()
        .filter(|c| c.global_default == Some(true))
        .min_by_key(|c| c.value)
}

fn pod_name(pod: &Pod) -> String {
    pod.metadata
        .name
        .clone()
        .or_else(|| pod.metadata.generate_name.clone())
        .unwrap_or_default()
}

/// The API server's validation of a new pod (`ValidatePodCreate`), the
/// part that scheduling depends on: preferred affinity weights in 1–100
/// ([`validate_affinity_weights`]). A pod that fails is never created,
/// so nothing schedules it.
///
/// ```
/// use kubelogic::admission::validate_pod;
/// use kubelogic::model::{from_json_str, Pod};
///
/// let pod: Pod = from_json_str(r#"{"metadata": {"name": "web"}, "spec": {"affinity":
///     {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution":
///     [{"weight": 101, "podAffinityTerm": {"topologyKey": "zone"}}]}}}}"#)?;
/// assert_eq!(validate_pod(&pod).unwrap_err().to_string(),
///     "Pod \"web\" is invalid: spec.affinity.podAntiAffinity.\
///      preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: \
///      must be in the range 1-100");
/// # Ok::<(), kubelogic::model::ModelError>(())
/// ```
pub fn validate_pod(pod: &Pod) -> Result<(), AdmissionError> {
    let errors = pod
        .spec
        .affinity
        .as_ref()
        .map(|a| validate_affinity_weights(a, "spec.affinity"))
        .unwrap_or_default();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AdmissionError::Invalid {
            pod: pod_name(pod),
            errors,
        })
    }
}

/// The Priority admission plugin on pod creation (`admitPod`): sets
/// `spec.priority` (and `spec.preemptionPolicy`) from `spec.priorityClassName`,
/// or from the global default class (whose name it also sets), or 0 with
/// `PreemptLowerPriority` when there is none. A class the API defaulted has
/// `PreemptLowerPriority` when it names no policy.
///
/// Refused, as upstream: an unknown class; a `spec.priority` or
/// `spec.preemptionPolicy` already set to something else than the class
/// gives. On error the pod is left as it was.
pub fn admit_priority(pod: &mut Pod, classes: &[PriorityClass]) -> Result<(), AdmissionError> {
    let forbidden = |pod: &Pod, reason: String| AdmissionError::Forbidden {
        pod: pod_name(pod),
        reason,
    };
    let class_name = pod.spec.priority_class_name.clone().unwrap_or_default();
    let (name, priority, policy) = if class_name.is_empty() {
        match default_priority_class(classes) {
            Some(c) => (
                Some(c.metadata.name().to_owned()),
                c.value,
                c.preemption_policy
                    .unwrap_or(PreemptionPolicy::PreemptLowerPriority),
            ),
            None => (
                None,
                DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS,
                PreemptionPolicy::PreemptLowerPriority,
            ),
        }
    } else {
        let found = classes
            .iter()
            .find(|c| c.metadata.name() == class_name)
            .map(|c| {
                (
                    c.value,
                    c.preemption_policy
                        .unwrap_or(PreemptionPolicy::PreemptLowerPriority),
                )
            })
            .or_else(|| system_class(&class_name));
        let Some((value, policy)) = found else {
            return Err(forbidden(
                pod,
                format!("no PriorityClass with name {class_name} was found"),
            ));
        };
        (Some(class_name.clone()), value, policy)
    };
    if let Some(given) = pod.spec.priority.filter(|p| *p != priority) {
        return Err(forbidden(
            pod,
            format!(
                "the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name"
            ),
        ));
    }
    if let Some(given) = pod.spec.preemption_policy.filter(|p| *p != policy) {
        return Err(forbidden(
            pod,
            format!(
                "the string value of PreemptionPolicy ({}) must not be provided in pod spec; priority admission controller computed {} from the given PriorityClass name",
                policy_name(given),
                policy_name(policy)
            ),
        ));
    }
    if name.is_some() {
        pod.spec.priority_class_name = name;
    }
    pod.spec.priority = Some(priority);
    pod.spec.preemption_policy = Some(policy);
    Ok(())
}

fn policy_name(p: PreemptionPolicy) -> &'static str {
    match p {
        PreemptionPolicy::PreemptLowerPriority => "PreemptLowerPriority",
        PreemptionPolicy::Never => "Never",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::from_json_str;

    fn pod(spec: &str) -> Pod {
        from_json_str(&format!(
            r#"{{"metadata": {{"name": "p"}}, "spec": {{"containers": [{{"name": "c"}}]{spec}}}}}"#
        ))
        .unwrap()
    }

    fn class(name: &str, value: i32, default: bool) -> PriorityClass {
        from_json_str(&format!(
            r#"{{"metadata": {{"name": "{name}"}}, "value": {value}, "globalDefault": {default}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn no_class_and_no_default_is_zero() {
        let mut p = pod("");
        admit_priority(&mut p, &[class("a", 5, false)]).unwrap();
        assert_eq!(p.spec.priority, Some(0));
        assert_eq!(p.spec.priority_class_name, None);
        assert_eq!(
            p.spec.preemption_policy,
            Some(PreemptionPolicy::PreemptLowerPriority)
        );
    }

    #[test]
    fn the_lowest_global_default_wins_and_names_itself() {
        let mut p = pod("");
        admit_priority(&mut p, &[class("b", 7, true), class("a", 3, true)]).unwrap();
        assert_eq!(p.spec.priority, Some(3));
        assert_eq!(p.spec.priority_class_name.as_deref(), Some("a"));
    }

    #[test]
    fn system_classes_exist_without_being_listed() {
        let mut p = pod(r#", "priorityClassName": "system-node-critical""#);
        admit_priority(&mut p, &[]).unwrap();
        assert_eq!(p.spec.priority, Some(2_000_001_000));
        let mut p = pod(r#", "priorityClassName": "system-cluster-critical""#);
        admit_priority(&mut p, &[]).unwrap();
        assert_eq!(p.spec.priority, Some(2_000_000_000));
    }

    #[test]
    fn a_priority_that_disagrees_is_refused_and_the_pod_kept() {
        let mut p = pod(r#", "priorityClassName": "a", "priority": 9"#);
        let before = p.clone();
        let err = admit_priority(&mut p, &[class("a", 5, false)]).unwrap_err();
        assert_eq!(err.to_string(), "pods \"p\" is forbidden: the integer value of priority (9) must not be provided in pod spec; priority admission controller computed 5 from the given PriorityClass name");
        assert_eq!(p, before);
        // The same value is accepted (a pod read back from the API).
        let mut p = pod(r#", "priorityClassName": "a", "priority": 5"#);
        admit_priority(&mut p, &[class("a", 5, false)]).unwrap();
    }

    #[test]
    fn a_preemption_policy_that_disagrees_is_refused() {
        let mut p = pod(r#", "priorityClassName": "a", "preemptionPolicy": "Never""#);
        let err = admit_priority(&mut p, &[class("a", 5, false)]).unwrap_err();
        assert!(err
            .to_string()
            .contains("the string value of PreemptionPolicy (Never) must not be provided"));
    }
}
