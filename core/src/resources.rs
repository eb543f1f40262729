//! Pod resource totals: INTERIM (the full component-helpers port replaces it).
#![allow(missing_docs)]

use crate::model::{Pod, ResourceList};
use crate::Quantity;

#[derive(Clone, Debug, Default)]
pub struct PodResourcesOptions {
    pub exclude_overhead: bool,
    pub non_missing_container_requests: Option<ResourceList>,
    pub skip_pod_level_resources: bool,
    pub skip_container_level_resources: bool,
    pub use_status_resources: bool,
    pub in_place_pod_level_resources_vertical_scaling_enabled: bool,
    pub use_dra_node_allocatable_resource_claim_status: bool,
}

fn add_into(total: &mut ResourceList, list: &ResourceList) {
    for (k, v) in list {
        let sum = match total.get(k) {
            Some(t) => t.checked_add(v).unwrap_or_else(|| t.clone()),
            None => v.clone(),
        };
        total.insert(k.clone(), sum);
    }
}

fn max_into(total: &mut ResourceList, list: &ResourceList) {
    for (k, v) in list {
        if total.get(k).is_none_or(|t| v > t) {
            total.insert(k.clone(), v.clone());
        }
    }
}

fn container_requests(c: &crate::model::Container, opts: &PodResourcesOptions) -> ResourceList {
    let mut r = c.resources.requests.clone();
    if let Some(defaults) = &opts.non_missing_container_requests {
        for (k, v) in defaults {
            r.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    r
}

pub fn pod_requests(pod: &Pod, opts: &PodResourcesOptions) -> ResourceList {
    let mut total = ResourceList::new();
    for c in &pod.spec.containers {
        add_into(&mut total, &container_requests(c, opts));
    }
    let mut sidecars = ResourceList::new();
    let mut init_max = ResourceList::new();
    for c in &pod.spec.init_containers {
        let r = container_requests(c, opts);
        if c.is_restartable() {
            add_into(&mut total, &r);
            add_into(&mut sidecars, &r);
            max_into(&mut init_max, &sidecars);
        } else {
            let mut phase = r;
            add_into(&mut phase, &sidecars);
            max_into(&mut init_max, &phase);
        }
    }
    max_into(&mut total, &init_max);
    if !opts.skip_pod_level_resources {
        if let Some(pl) = &pod.spec.resources {
            for (k, v) in &pl.requests {
                if k == "cpu" || k == "memory" || k.starts_with("hugepages-") {
                    total.insert(k.clone(), v.clone());
                }
            }
        }
    }
    if !opts.exclude_overhead {
        add_into(&mut total, &pod.spec.overhead);
    }
    let _ = Quantity::zero();
    total
}
