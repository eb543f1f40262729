//! Arbitrary bytes as a manifest document → model → QoS, OOM score,
//! resource totals and priority admission: never panics, and every model error carries a field path
//! (or is a JSON syntax error with a line and column).
//!
//! JSON only: the core has no YAML parser (no YAML crate is allowed there);
//! YAML manifests must be converted to JSON before they reach kubelogic.
#![no_main]

use kubelogic::admission::admit_priority;
use kubelogic::model::{self, ModelError};
use kubelogic::qos;
use kubelogic::FeatureGates;
use kubelogic::resources::{self, PodResourcesOptions};
use kubelogic::scheduler::types::calculate_resource;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let objects = match model::parse_objects(text) {
        Ok(o) => o,
        Err(ModelError::Syntax { .. }) => return,
        Err(e) => {
            // A field error names where (the document root only for a root of the wrong shape).
            let shown = e.to_string();
            assert!(!shown.is_empty());
            if !e.path().is_empty() {
                assert!(shown.starts_with(e.path()), "{shown} does not start with {}", e.path());
            }
            return;
        }
    };
    let mut other = FeatureGates::default();
    other.pod_level_resources = false;
    other.kubelet_oom_score_adj_tie_break = true;
    other.dra_node_allocatable_resources = true;
    let gates = [FeatureGates::default(), other];
    for pod in &objects.pods {
        let class = qos::qos_class(pod);
        assert_eq!(qos::explain(pod).class, class);
        for opts in &gates {
            for c in pod.all_containers().chain(pod.spec.ephemeral_containers.iter()) {
                let adj = qos::oom_score_adj(pod, &c.name, 8 << 30, opts).expect("container exists");
                assert!((-997..=1000).contains(&adj), "{adj}");
            }
        }
        let opts = PodResourcesOptions {
            use_status_resources: true,
            in_place_pod_level_resources_vertical_scaling_enabled: true,
            use_dra_node_allocatable_resource_claim_status: true,
            ..PodResourcesOptions::default()
        };
        let _ = resources::try_pod_requests(pod, &opts);
        let _ = resources::pod_limits(pod, &opts);
        let _ = resources::pod_requests(pod, &PodResourcesOptions::default());
        let _ = calculate_resource(pod, &kubelogic::FeatureGates::default());
        let _ = resources::get_resource_request(pod, "memory", true);
        // Admission either sets a priority (the class's or the default) or
        // refuses and leaves the pod untouched.
        let mut admitted = pod.clone();
        match admit_priority(&mut admitted, &objects.priority_classes) {
            Ok(()) => assert!(admitted.spec.priority.is_some()),
            Err(_) => assert_eq!(&admitted, pod),
        }
    }
});
