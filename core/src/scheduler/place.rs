//! [`place_all`]: what-if placement of many pods — each pod scheduled with
//! [`schedule`](super::cycle::schedule), then bound into the snapshot before
//! the next one, as kube-scheduler would place a Deployment's replicas one
//! scheduling cycle after another.
//!
//! ```
//! use kubelogic::model::{from_json_str, parse_objects, Pod};
//! use kubelogic::scheduler::{place, Profile, Snapshot};
//! use kubelogic::FeatureGates;
//!
//! let nodes = parse_objects(r#"[
//!   {"kind": "Node", "metadata": {"name": "a"}, "status": {"allocatable": {"pods": "2"}}},
//!   {"kind": "Node", "metadata": {"name": "b"}, "status": {"allocatable": {"pods": "1"}}}]"#)?;
//! let mut snapshot = Snapshot::from_objects(nodes, FeatureGates::default());
//! let template: Pod = from_json_str(r#"{"metadata": {"generateName": "web-", "namespace": "default"},
//!   "spec": {"containers": [{"name": "c"}]}}"#)?;
//! let profile = Profile::new(Some(&["NodeName".into()]), &Default::default(), FeatureGates::default())?;
//! let placements = place::place_all(&mut snapshot, &place::replicas(&template, 4), &profile);
//! // Without NodeResourcesFit nothing limits the pods; ties go to the first node.
//! assert!(placements.iter().all(|p| p.node.as_deref() == Some("a")));
//! assert_eq!(placements[1].pod, "default/web-00001");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;

use serde::Serialize;

use super::cycle::{schedule_pod_info, FitError, ScheduleError};
use super::profile::Profile;
use super::snapshot::{PodInfo, Snapshot};
use crate::model::Pod;

/// Where one pod of [`place_all`] went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    /// The pod as placed, `namespace/name` (a name generated from
    /// `generateName`, or made unique, when needed).
    pub pod: String,
    /// The node it was bound to; `None` when it did not fit.
    pub node: Option<String>,
    /// The winning total score (absent when the node was chosen without
    /// scoring, being the only feasible one).
    pub score: Option<i64>,
    /// How many nodes tied for the top score (the first in snapshot order wins).
    pub tied: usize,
    /// How many nodes were feasible.
    pub feasible: usize,
    /// Why it did not fit: the `FailedScheduling` message is its `to_string()`.
    pub fit_error: Option<FitError>,
    /// The node preemption would nominate (victims are not evicted by `place_all`).
    pub nominated_node: Option<String>,
    /// A cycle error, or why binding failed.
    pub error: Option<String>,
}

/// `count` copies of `template`, as a ReplicaSet would create them: pods
/// with `generateName` and no name get a name from [`place_all`].
pub fn replicas(template: &Pod, count: usize) -> Vec<Pod> {
    let mut pod = template.clone();
    if pod.metadata.generate_name.is_none() {
        pod.metadata.generate_name = Some(format!("{}-", pod.metadata.name()));
    }
    pod.metadata.name = None;
    pod.spec.node_name = None;
    vec![pod; count]
}

/// Schedules `pods` one after another onto `snapshot`, binding each pod that
/// fits ([`Snapshot::bind`]) before the next is scheduled. Pods that do not
/// fit are reported with their [`FitError`] and left out; preemption is
/// evaluated (the nominated node is reported) but no victim is evicted.
///
/// Names: a pod without a name gets `generateName` (or `pod-`) followed by
/// its index in `pods` as five digits (the API server appends five random
/// characters); a name already used in the snapshot or earlier in `pods`
/// gets `-2`, `-3`, ... appended, so each replica is a distinct pod.
pub fn place_all(snapshot: &mut Snapshot, pods: &[Pod], profile: &Profile) -> Vec<Placement> {
    let mut used: HashSet<String> = snapshot
        .nodes()
        .iter()
        .flat_map(|n| n.pods.iter().map(|p| p.pod.key()))
        .collect();
    let mut placements = Vec::with_capacity(pods.len());
    for (i, pod) in pods.iter().enumerate() {
        let mut pod = pod.clone();
        unique_name(&mut pod, i, &mut used);
        let info = PodInfo::new(pod, &snapshot.gates);
        let mut result = schedule_pod_info(snapshot, &info, profile);
        let score = result
            .selected
            .and_then(|i| result.nodes.get(i))
            .and_then(|n| n.total);
        let mut placement = Placement {
            pod: info.pod.key(),
            node: None,
            score,
            tied: result.tied.len(),
            feasible: result.feasible.len(),
            fit_error: result.fit_error.take(),
            nominated_node: result
                .preemption
                .take()
                .and_then(|p| p.nominated_node)
                .filter(|n| !n.is_empty()),
            error: result.error.as_ref().map(ScheduleError::to_string),
        };
        if let Some(node) = result.selected_name() {
            match snapshot.bind((*info.pod).clone(), node) {
                Ok(()) => placement.node = Some(node.to_string()),
                Err(e) => placement.error = Some(format!("binding to {node}: {e}")),
            }
        }
        placements.push(placement);
    }
    placements
}

fn unique_name(pod: &mut Pod, index: usize, used: &mut HashSet<String>) {
    if pod.metadata.name().is_empty() {
        let prefix = pod
            .metadata
            .generate_name
            .clone()
            .unwrap_or_else(|| "pod-".to_owned());
        pod.metadata.name = Some(format!("{prefix}{index:05}"));
    }
    let base = pod.metadata.name().to_owned();
    let mut n = 2;
    while used.contains(&pod.key()) {
        pod.metadata.name = Some(format!("{base}-{n}"));
        n += 1;
    }
    used.insert(pod.key());
}
