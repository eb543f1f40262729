//! Property tests of the Priority admission plugin over arbitrary pods and
//! PriorityClasses (quickcheck).

use kubelogic::admission::{
    admit_priority, default_priority_class, SYSTEM_CLUSTER_CRITICAL, SYSTEM_NODE_CRITICAL,
};
use kubelogic::model::{from_value_at, Pod, PreemptionPolicy, PriorityClass};
use quickcheck::{Arbitrary, Gen, QuickCheck};
use serde_json::json;

const CLASS_NAMES: &[&str] = &["low", "high", "batch", SYSTEM_NODE_CRITICAL, "gold"];

#[derive(Clone, Debug)]
struct Case {
    classes: Vec<PriorityClass>,
    pod: Pod,
}

impl Arbitrary for Case {
    fn arbitrary(g: &mut Gen) -> Self {
        let n = usize::arbitrary(g) % 4;
        // Classes with distinct names (the API server enforces it), never a
        // system name (reserved).
        let classes = ["low", "high", "batch"][..n.min(3)]
            .iter()
            .map(|name| {
                let mut v = json!({"metadata": {"name": name},
                    "value": i32::arbitrary(g) % 1_000_000_000,
                    "globalDefault": bool::arbitrary(g)});
                if bool::arbitrary(g) {
                    v["preemptionPolicy"] =
                        json!(*g.choose(&["Never", "PreemptLowerPriority"]).unwrap());
                }
                from_value_at(&v, "class").unwrap()
            })
            .collect();
        let mut spec = json!({"containers": [{"name": "c"}]});
        if bool::arbitrary(g) {
            spec["priorityClassName"] = json!(*g.choose(CLASS_NAMES).unwrap());
        }
        if u8::arbitrary(g) % 4 == 0 {
            spec["priority"] = json!(i32::arbitrary(g) % 1000);
        }
        let pod = from_value_at(&json!({"metadata": {"name": "p"}, "spec": spec}), "pod").unwrap();
        Case { classes, pod }
    }
}

fn quickcheck<A: quickcheck::Testable>(f: A) {
    QuickCheck::new().tests(500).quickcheck(f);
}

#[test]
fn admitted_pods_carry_their_class_value_and_refused_pods_are_untouched() {
    fn prop(c: Case) -> bool {
        let mut pod = c.pod.clone();
        match admit_priority(&mut pod, &c.classes) {
            Ok(()) => {
                let Some(priority) = pod.spec.priority else {
                    return false;
                };
                let expected = match pod.spec.priority_class_name.as_deref() {
                    Some(SYSTEM_NODE_CRITICAL) => 2_000_001_000,
                    Some(SYSTEM_CLUSTER_CRITICAL) => 2_000_000_000,
                    Some(name) => match c.classes.iter().find(|k| k.metadata.name() == name) {
                        Some(k) => k.value,
                        None => return false,
                    },
                    // No class: only when there is no global default.
                    None if default_priority_class(&c.classes).is_none() => 0,
                    None => return false,
                };
                priority == expected && pod.spec.preemption_policy.is_some()
            }
            Err(_) => pod == c.pod,
        }
    }
    quickcheck(prop as fn(Case) -> bool);
}

#[test]
fn admission_is_idempotent() {
    fn prop(c: Case) -> bool {
        let mut once = c.pod.clone();
        if admit_priority(&mut once, &c.classes).is_err() {
            return true;
        }
        let mut twice = once.clone();
        admit_priority(&mut twice, &c.classes).is_ok() && twice == once
    }
    quickcheck(prop as fn(Case) -> bool);
}

#[test]
fn never_from_the_class_reaches_the_pod() {
    fn prop(c: Case) -> bool {
        let mut pod = c.pod.clone();
        if admit_priority(&mut pod, &c.classes).is_err() {
            return true;
        }
        let class = pod
            .spec
            .priority_class_name
            .as_deref()
            .and_then(|n| c.classes.iter().find(|k| k.metadata.name() == n));
        match class.and_then(|k| k.preemption_policy) {
            Some(p) => pod.spec.preemption_policy == Some(p),
            None => pod.spec.preemption_policy == Some(PreemptionPolicy::PreemptLowerPriority),
        }
    }
    quickcheck(prop as fn(Case) -> bool);
}
