//! The cluster as the scheduler sees it: [`NodeInfo`] per node (its pods and
//! their summed requests, used host ports, images) and a [`Snapshot`] of all
//! nodes with the indexes plugins need, built once and updated incrementally
//! when a pod is placed (as kube-scheduler's cache and snapshot do).
//!
//! [`PodInfo`] is a pod parsed once for scheduling (`framework.PodInfo`):
//! its requests in integer units, host ports and affinity terms.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::index::SnapshotIndexes;
use super::types::calculate_resource;
pub use super::types::Resource;
use crate::model::validation::{label_selector_error, InvalidLabelSelector};
use crate::model::{LabelSelector, Labels, Namespace, Node, Objects, Pod, PodAffinityTerm};
pub use crate::resources::{
    is_extended_resource_name, is_native_resource, is_prefixed_native_resource,
    is_scalar_resource_name,
};
use crate::{FeatureGates, SortedMap, SortedSet};

/// Why the snapshot refused a pod (`add_pod`, `bind`, `nominate`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SnapshotError {
    /// No node named: the pod is pending (or has no nomination).
    Pending,
    /// `Succeeded` or `Failed`: kube-scheduler never sees such a pod.
    TerminalPhase {
        /// The phase.
        phase: String,
    },
    /// The node is not in the snapshot.
    UnknownNode {
        /// `bound` or `nominated`.
        relation: &'static str,
        /// The node's name.
        node: String,
    },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Pending => f.write_str("not bound to a node (pending)"),
            SnapshotError::TerminalPhase { phase } => write!(f, "terminal phase {phase}"),
            SnapshotError::UnknownNode { relation, node } => {
                write!(f, "{relation} to node {node}, which is not in the snapshot")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

/// One host port a pod uses: `(protocol, hostIP, port)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostPort {
    /// `TCP`, `UDP` or `SCTP`.
    pub protocol: String,
    /// The host IP (`0.0.0.0` when unset).
    pub ip: String,
    /// The port.
    pub port: i32,
}

/// The host ports a pod asks for (`schedutil.GetHostPorts` / `getContainerPorts`):
/// regular containers and restartable (sidecar) init containers, ports with
/// a non-zero `hostPort` only.
pub fn pod_host_ports(pod: &Pod) -> Vec<HostPort> {
    let sidecars = pod
        .spec
        .init_containers
        .iter()
        .filter(|c| c.is_restartable());
    pod.spec
        .containers
        .iter()
        .chain(sidecars)
        .flat_map(|c| c.ports.iter())
        .filter_map(|p| {
            let port = p.host_port.filter(|p| *p > 0)?;
            Some(HostPort {
                protocol: p
                    .protocol
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "TCP".to_owned()),
                ip: p
                    .host_ip
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "0.0.0.0".to_owned()),
                port,
            })
        })
        .collect()
}

/// A pod affinity term resolved for matching (`framework.AffinityTerm`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AffinityTerm {
    /// Namespaces named explicitly (or the pod's own namespace by default).
    pub namespaces: SortedSet<String>,
    /// Which pods (`None`: nothing).
    pub selector: Option<LabelSelector>,
    /// The topology key.
    pub topology_key: String,
    /// Namespaces by label (`None`: nothing; an empty selector: all).
    pub namespace_selector: Option<LabelSelector>,
}

impl AffinityTerm {
    /// `newAffinityTerm`: the term of `pod`, or the error
    /// `metav1.LabelSelectorAsSelector` gives for its label selector or
    /// namespace selector, in Kubernetes' words.
    pub fn new(pod: &Pod, term: &PodAffinityTerm) -> Result<AffinityTerm, InvalidLabelSelector> {
        if let Some(e) = term.label_selector.as_ref().and_then(label_selector_error) {
            return Err(e);
        }
        if let Some(e) = term
            .namespace_selector
            .as_ref()
            .and_then(label_selector_error)
        {
            return Err(e);
        }
        let mut namespaces = SortedSet::new();
        if term.namespaces.is_empty() && term.namespace_selector.is_none() {
            namespaces.insert(pod.metadata.namespace().to_owned());
        } else {
            for n in &term.namespaces {
                namespaces.insert(n.clone());
            }
        }
        Ok(AffinityTerm {
            namespaces,
            selector: term.label_selector.clone(),
            topology_key: term.topology_key.clone(),
            namespace_selector: term.namespace_selector.clone(),
        })
    }

    /// `AffinityTerm.Matches`: the pod is in one of the namespaces (by name or
    /// by the namespace's labels; unknown labels count as none) and its labels
    /// match the selector.
    pub fn matches(&self, pod: &Pod, namespace_labels: Option<&Labels>) -> bool {
        let ns_ok = self.namespaces.contains(pod.metadata.namespace())
            || self
                .namespace_selector
                .as_ref()
                .is_some_and(|sel| match namespace_labels {
                    Some(labels) => sel.matches_unchecked(labels),
                    None => sel.matches_unchecked(&Labels::new()),
                });
        ns_ok
            && self
                .selector
                .as_ref()
                .is_some_and(|s| s.matches_unchecked(pod.labels()))
    }
}

/// A weighted affinity term (`framework.WeightedAffinityTerm`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WeightedAffinityTerm {
    /// The term.
    pub term: AffinityTerm,
    /// Its weight.
    pub weight: i32,
}

/// A pod parsed once for scheduling (`framework.PodInfo`).
#[derive(Clone, Debug)]
pub struct PodInfo {
    /// The pod.
    pub pod: Arc<Pod>,
    /// Effective requests (`PodRequests` with the scheduler's options).
    pub requests: Resource,
    /// Requests with the 100m / 200Mi defaults for containers that name no cpu/memory.
    pub non_zero_requests: Resource,
    /// Host ports the pod needs.
    pub host_ports: Vec<HostPort>,
    /// `podAffinity.required...` terms.
    pub required_affinity_terms: Vec<AffinityTerm>,
    /// `podAntiAffinity.required...` terms.
    pub required_anti_affinity_terms: Vec<AffinityTerm>,
    /// `podAffinity.preferred...` terms.
    pub preferred_affinity_terms: Vec<WeightedAffinityTerm>,
    /// `podAntiAffinity.preferred...` terms.
    pub preferred_anti_affinity_terms: Vec<WeightedAffinityTerm>,
    /// Why the affinity terms could not be parsed (`PodInfo.ParseError`).
    pub parse_error: Option<String>,
}

impl PodInfo {
    /// Parses `pod` for scheduling under `gates`.
    pub fn new(pod: impl Into<Arc<Pod>>, gates: &FeatureGates) -> PodInfo {
        let pod: Arc<Pod> = pod.into();
        let summary = calculate_resource(&pod, gates);
        let non_zero_requests = summary.non_zero_requests();
        let requests = summary.requests;
        let host_ports = pod_host_ports(&pod);
        let mut info = PodInfo {
            pod: Arc::clone(&pod),
            requests,
            non_zero_requests,
            host_ports,
            required_affinity_terms: Vec::new(),
            required_anti_affinity_terms: Vec::new(),
            preferred_affinity_terms: Vec::new(),
            preferred_anti_affinity_terms: Vec::new(),
            parse_error: None,
        };
        if let Err(e) = info.parse_affinity_terms() {
            info.parse_error = Some(e);
        }
        info
    }

    /// `PodInfo.Update`'s parsing: each of the four term lists is parsed on
    /// its own (a list stops at its first bad term) and the errors are
    /// aggregated as `utilerrors.NewAggregate` prints them.
    fn parse_affinity_terms(&mut self) -> Result<(), String> {
        let pod = Arc::clone(&self.pod);
        let Some(affinity) = pod.spec.affinity.as_ref() else {
            return Ok(());
        };
        let mut errs: Vec<String> = Vec::new();
        if let Some(a) = &affinity.pod_affinity {
            match required_terms(&pod, &a.required_during_scheduling_ignored_during_execution) {
                Ok(t) => self.required_affinity_terms = t,
                Err(e) => errs.push(format!("requiredAffinityTerms: {e}")),
            }
        }
        if let Some(a) = &affinity.pod_anti_affinity {
            match required_terms(&pod, &a.required_during_scheduling_ignored_during_execution) {
                Ok(t) => self.required_anti_affinity_terms = t,
                Err(e) => errs.push(format!("requiredAntiAffinityTerms: {e}")),
            }
        }
        if let Some(a) = &affinity.pod_affinity {
            match weighted_terms(
                &pod,
                &a.preferred_during_scheduling_ignored_during_execution,
            ) {
                Ok(t) => self.preferred_affinity_terms = t,
                Err(e) => errs.push(format!("preferredAffinityTerms: {e}")),
            }
        }
        if let Some(a) = &affinity.pod_anti_affinity {
            match weighted_terms(
                &pod,
                &a.preferred_during_scheduling_ignored_during_execution,
            ) {
                Ok(t) => self.preferred_anti_affinity_terms = t,
                Err(e) => errs.push(format!("preferredAntiAffinityTerms: {e}")),
            }
        }
        match errs.len() {
            0 => Ok(()),
            1 => Err(errs.join("")),
            _ => Err(format!("[{}]", errs.join(", "))),
        }
    }

    /// Whether the pod has any pod affinity or anti-affinity term.
    pub fn has_affinity(&self) -> bool {
        self.pod
            .spec
            .affinity
            .as_ref()
            .is_some_and(|a| a.pod_affinity.is_some() || a.pod_anti_affinity.is_some())
    }
}

fn required_terms(
    pod: &Pod,
    terms: &[PodAffinityTerm],
) -> Result<Vec<AffinityTerm>, InvalidLabelSelector> {
    terms.iter().map(|t| AffinityTerm::new(pod, t)).collect()
}

fn weighted_terms(
    pod: &Pod,
    terms: &[crate::model::WeightedPodAffinityTerm],
) -> Result<Vec<WeightedAffinityTerm>, InvalidLabelSelector> {
    terms
        .iter()
        .map(|t| {
            Ok(WeightedAffinityTerm {
                term: AffinityTerm::new(pod, &t.pod_affinity_term)?,
                weight: t.weight,
            })
        })
        .collect()
}

/// An image on a node, with how many nodes of the cluster have it (`ImageStateSummary`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStateSummary {
    /// Size in bytes.
    pub size: i64,
    /// Nodes that have this image.
    pub num_nodes: usize,
}

/// `normalizedImageName`: a name without a tag gets `:latest`.
pub fn normalized_image_name(name: &str) -> String {
    let colon = name.rfind(':');
    let slash = name.rfind('/');
    let has_tag = match (colon, slash) {
        (Some(c), Some(s)) => c > s,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if has_tag || name.contains('@') {
        name.to_owned()
    } else {
        format!("{name}:latest")
    }
}

/// [`NodeInfo`]'s position when it is in no snapshot.
const NO_POSITION: u32 = u32::MAX;

/// A node and what runs on it (`framework.NodeInfo`).
// `repr(C)`: the fields every cycle reads for every node (resources, pod
// count, flags) come first and share a few cache lines.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct NodeInfo {
    /// `status.allocatable`.
    pub allocatable: Resource,
    /// Sum of the pods' requests.
    pub requested: Resource,
    /// Sum of the pods' requests with the non-zero defaults.
    pub non_zero_requested: Resource,
    /// Pods bound to the node.
    pub pods: Vec<Arc<PodInfo>>,
    /// `spec.unschedulable` (derived from `node` by [`NodeInfo::new`], as
    /// `allocatable` is): Filters read it here rather than from the node
    /// object, which a cycle over thousands of nodes would otherwise fetch
    /// from memory once per node and plugin.
    pub unschedulable: bool,
    /// Whether `spec.taints` is non-empty (derived like `unschedulable`).
    pub has_taints: bool,
    /// The node's position in the [`Snapshot`] that holds it
    /// ([`NO_POSITION`] for a node built on its own): plugins read the
    /// snapshot's per-node indexes by it. A plain `u32` (not an `Option`)
    /// so it fits beside the flags without growing the struct.
    position: u32,
    /// The node.
    pub node: Arc<Node>,
    /// Images on the node by normalized name, sorted by name (see
    /// [`NodeInfo::image_state`]).
    image_states: Vec<(String, ImageStateSummary)>,
    /// Pods with pod affinity or anti-affinity terms.
    pub pods_with_affinity: Vec<Arc<PodInfo>>,
    /// Pods with required anti-affinity terms.
    pub pods_with_required_anti_affinity: Vec<Arc<PodInfo>>,
    /// Host ports in use, sorted, each once (see [`NodeInfo::used_ports`]).
    used_ports: Vec<HostPort>,
}

impl NodeInfo {
    /// A node with no pods.
    pub fn new(node: impl Into<Arc<Node>>) -> NodeInfo {
        let node: Arc<Node> = node.into();
        let allocatable = Resource::from_list(&node.status.allocatable);
        let unschedulable = node.spec.unschedulable == Some(true);
        let has_taints = !node.spec.taints.is_empty();
        NodeInfo {
            node,
            pods: Vec::new(),
            pods_with_affinity: Vec::new(),
            pods_with_required_anti_affinity: Vec::new(),
            used_ports: Vec::new(),
            requested: Resource::default(),
            non_zero_requested: Resource::default(),
            allocatable,
            image_states: Vec::new(),
            unschedulable,
            has_taints,
            position: NO_POSITION,
        }
    }

    /// The node's position in [`Snapshot::nodes`] of the snapshot that
    /// built it (kept by clones, as preemption makes); `None` for a node
    /// built on its own. The snapshot's indexes
    /// ([`TopologyDomains::of_node`](super::index::TopologyDomains::of_node))
    /// are read by it.
    pub fn snapshot_position(&self) -> Option<usize> {
        (self.position != NO_POSITION).then_some(self.position as usize)
    }

    /// The node's name.
    pub fn name(&self) -> &str {
        self.node.name()
    }

    /// Accounts a pod on this node (`NodeInfo.AddPodInfo`).
    pub fn add_pod(&mut self, pod: Arc<PodInfo>) {
        self.requested.add(&pod.requests);
        self.non_zero_requested.add(&pod.non_zero_requests);
        for port in &pod.host_ports {
            insert_port(&mut self.used_ports, port);
        }
        if pod.has_affinity() {
            self.pods_with_affinity.push(Arc::clone(&pod));
        }
        if !pod.required_anti_affinity_terms.is_empty() {
            self.pods_with_required_anti_affinity.push(Arc::clone(&pod));
        }
        self.pods.push(pod);
    }

    /// Removes a pod by `namespace/name` (`NodeInfo.RemovePod`); whether it was there.
    pub fn remove_pod(&mut self, key: &str) -> bool {
        let Some(pos) = self.pods.iter().position(|p| p.pod.key() == key) else {
            return false;
        };
        let pod = self.pods.remove(pos);
        self.requested.sub(&pod.requests);
        self.non_zero_requested.sub(&pod.non_zero_requests);
        self.pods_with_affinity.retain(|p| p.pod.key() != key);
        self.pods_with_required_anti_affinity
            .retain(|p| p.pod.key() != key);
        self.used_ports.clear();
        for port in self.pods.iter().flat_map(|p| &p.host_ports) {
            insert_port(&mut self.used_ports, port);
        }
        true
    }

    /// The image with normalized name `name` on this node
    /// (`NodeInfo.ImageStates[name]`), with how many nodes hold it.
    pub fn image_state(&self, name: &str) -> Option<&ImageStateSummary> {
        self.image_states
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .and_then(|at| self.image_states.get(at))
            .map(|(_, s)| s)
    }

    /// The images on this node (`NodeInfo.ImageStates`) by normalized name,
    /// sorted by name, each once.
    pub fn image_states(&self) -> &[(String, ImageStateSummary)] {
        &self.image_states
    }

    /// The host ports the node's pods use (`NodeInfo.UsedPorts`), sorted by
    /// protocol, IP and port, each once.
    pub fn used_ports(&self) -> &[HostPort] {
        &self.used_ports
    }
}

/// Adds `port` to the sorted `used` unless it is there (a sorted `Vec`
/// rather than a `SortedSet`: a node has few host ports, and the browser
/// bundle carries no B-tree code for them).
fn insert_port(used: &mut Vec<HostPort>, port: &HostPort) {
    if let Err(at) = used.binary_search(port) {
        used.insert(at, port.clone());
    }
}

/// The cluster state one scheduling cycle reads (`framework.Snapshot`).
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    nodes: Vec<NodeInfo>,
    /// The nodes' names in order, shared with every
    /// [`ScheduleResult`](super::cycle::ScheduleResult) (one reference count
    /// per decision instead of one string per node).
    names: Arc<[String]>,
    index: HashMap<String, usize>,
    /// How many nodes hold each image (normalized name): upstream's
    /// `Snapshot.imageStates`.
    image_nodes: HashMap<String, usize>,
    /// Pending pods nominated to a node by an earlier preemption, by node
    /// position (the scheduling queue's `PodNominator`): sorted by position,
    /// one entry per node with at least one pod (a sorted `Vec` rather than
    /// a `BTreeMap`: few nodes have nominated pods, and the browser bundle
    /// carries no B-tree code for this key and value).
    nominated: Vec<(usize, Vec<Arc<PodInfo>>)>,
    /// Namespace labels by namespace name (a [`SortedMap`]: lookups only,
    /// and no B-tree code for this value type in the browser bundle).
    pub namespaces: SortedMap<String, Labels>,
    /// The feature gates the pods were parsed with.
    pub gates: FeatureGates,
    /// Other objects plugins read (Services and ReplicaSets for default
    /// topology spread, PDBs for preemption).
    pub objects: Objects,
    /// Pods that could not be placed on a node of the snapshot
    /// (`namespace/name` and why), kept so nothing is dropped silently.
    pub ignored_pods: Vec<String>,
    /// Topology and pod-label indexes (see [`super::index`]).
    indexes: SnapshotIndexes,
}

impl Snapshot {
    /// Builds a snapshot from nodes, pods (only those bound to a node of the
    /// snapshot and not terminal count) and namespaces.
    pub fn new(
        nodes: Vec<Node>,
        pods: Vec<Pod>,
        namespaces: Vec<Namespace>,
        gates: FeatureGates,
    ) -> Snapshot {
        let objects = Objects {
            nodes,
            pods,
            namespaces,
            ..Objects::default()
        };
        Snapshot::from_objects(objects, gates)
    }

    /// Builds a snapshot from everything a document held.
    pub fn from_objects(mut objects: Objects, gates: FeatureGates) -> Snapshot {
        let nodes = std::mem::take(&mut objects.nodes);
        let pods = std::mem::take(&mut objects.pods);
        let mut snap = Snapshot {
            nodes: Vec::with_capacity(nodes.len()),
            names: Arc::from([]),
            index: HashMap::with_capacity(nodes.len()),
            image_nodes: HashMap::new(),
            nominated: Vec::new(),
            namespaces: SortedMap::new(),
            gates,
            objects,
            ignored_pods: Vec::new(),
            indexes: SnapshotIndexes::default(),
        };
        // A name given twice keeps its last labels.
        for n in &snap.objects.namespaces {
            snap.namespaces
                .insert(n.metadata.name().to_owned(), n.metadata.labels.clone());
        }
        for node in nodes {
            let name = node.name().to_owned();
            if snap.index.contains_key(&name) {
                snap.ignored_pods.push(format!(
                    "node {name}: duplicate node name, later copy ignored"
                ));
                continue;
            }
            let mut info = NodeInfo::new(node);
            info.position = u32::try_from(snap.nodes.len())
                .ok()
                .filter(|p| *p != NO_POSITION)
                .unwrap_or(NO_POSITION);
            snap.index.insert(name, snap.nodes.len());
            snap.nodes.push(info);
        }
        snap.names = snap.nodes.iter().map(|n| n.name().to_owned()).collect();
        snap.refresh_image_states();
        snap.indexes = SnapshotIndexes::from_nodes(snap.nodes.iter().map(|n| n.node.as_ref()));
        for pod in pods {
            let key = pod.key();
            let pending = pod.spec.node_name.as_deref().unwrap_or("").is_empty();
            let result = if pending {
                snap.nominate(pod)
            } else {
                snap.add_pod(pod)
            };
            if let Err(why) = result {
                snap.ignored_pods.push(format!("{key}: {why}"));
            }
        }
        snap
    }

    /// Records a pending pod with `status.nominatedNodeName` as nominated to
    /// that node (where an earlier preemption made room for it). Filters of
    /// pods with no higher priority run as if it were already there
    /// (`RunFilterPluginsWithNominatedPods`). Refused with the reason: pods
    /// with no nomination, terminal pods, unknown nodes.
    pub fn nominate(&mut self, pod: Pod) -> Result<(), SnapshotError> {
        let i = self.node_for(&pod, pod.status.nominated_node_name.as_deref(), "nominated")?;
        let info = Arc::new(PodInfo::new(pod, &self.gates));
        match self.nominated.binary_search_by_key(&i, |(p, _)| *p) {
            Ok(at) => {
                if let Some((_, pods)) = self.nominated.get_mut(at) {
                    pods.push(info);
                }
            }
            Err(at) => self.nominated.insert(at, (i, vec![info])),
        }
        Ok(())
    }

    /// The position of `node_name`, the node a pod is `relation` ("bound",
    /// "nominated") to; refused with the reason: no node named, a terminal
    /// pod (`Succeeded`/`Failed`, which kube-scheduler never sees), a node
    /// not in the snapshot.
    fn node_for(
        &self,
        pod: &Pod,
        node_name: Option<&str>,
        relation: &'static str,
    ) -> Result<usize, SnapshotError> {
        let Some(node_name) = node_name.filter(|n| !n.is_empty()) else {
            return Err(SnapshotError::Pending);
        };
        if let Some(phase @ ("Succeeded" | "Failed")) = pod.status.phase.as_deref() {
            return Err(SnapshotError::TerminalPhase {
                phase: phase.to_owned(),
            });
        }
        self.index
            .get(node_name)
            .copied()
            .ok_or_else(|| SnapshotError::UnknownNode {
                relation,
                node: node_name.to_owned(),
            })
    }

    /// The pods nominated to the node at `position` (see [`Snapshot::nominate`]).
    pub fn nominated_pods(&self, position: usize) -> &[Arc<PodInfo>] {
        self.nominated
            .binary_search_by_key(&position, |(p, _)| *p)
            .ok()
            .and_then(|at| self.nominated.get(at))
            .map_or(&[], |(_, pods)| pods.as_slice())
    }

    /// Whether any pod is nominated to any node.
    pub fn has_nominated_pods(&self) -> bool {
        !self.nominated.is_empty()
    }

    fn refresh_image_states(&mut self) {
        let mut counts: HashMap<String, (i64, usize)> = HashMap::new();
        for n in &self.nodes {
            let mut seen = SortedSet::new();
            for image in &n.node.status.images {
                for name in &image.names {
                    let name = normalized_image_name(name);
                    if seen.insert(name.clone()) {
                        let e = counts
                            .entry(name)
                            .or_insert((image.size_bytes.unwrap_or(0), 0));
                        e.1 += 1;
                    }
                }
            }
        }
        for n in &mut self.nodes {
            // A sorted `Vec` rather than a `BTreeMap`: a node has tens of
            // images, and the browser bundle then carries no B-tree code
            // for this key and value. A name listed twice keeps its last
            // entry, as a map insert does.
            let mut states: Vec<(String, ImageStateSummary)> = Vec::new();
            for image in &n.node.status.images {
                for name in &image.names {
                    let name = normalized_image_name(name);
                    let num_nodes = counts.get(&name).map_or(1, |c| c.1);
                    let summary = ImageStateSummary {
                        size: image.size_bytes.unwrap_or(0),
                        num_nodes,
                    };
                    match states.binary_search_by(|(n, _)| n.as_str().cmp(&name)) {
                        Ok(at) => {
                            if let Some(entry) = states.get_mut(at) {
                                entry.1 = summary;
                            }
                        }
                        Err(at) => states.insert(at, (name, summary)),
                    }
                }
            }
            n.image_states = states;
        }
        self.image_nodes = counts.into_iter().map(|(k, (_, n))| (k, n)).collect();
    }

    /// How many nodes hold an image (by normalized name, see
    /// [`normalized_image_name`]).
    pub fn image_node_count(&self, normalized_name: &str) -> usize {
        self.image_nodes.get(normalized_name).copied().unwrap_or(0)
    }

    /// Places a bound pod (`spec.nodeName` set) on its node. Pending pods,
    /// terminal pods (`Succeeded`/`Failed`, which kube-scheduler never sees)
    /// and pods on unknown nodes are refused with the reason.
    pub fn add_pod(&mut self, pod: Pod) -> Result<(), SnapshotError> {
        let i = self.node_for(&pod, pod.spec.node_name.as_deref(), "bound")?;
        let key = pod.key();
        self.nominated.retain_mut(|(_, pods)| {
            pods.retain(|p| p.pod.key() != key);
            !pods.is_empty()
        });
        let info = Arc::new(PodInfo::new(pod, &self.gates));
        if let Some(n) = self.nodes.get_mut(i) {
            self.indexes.add_pod(i, &info);
            n.add_pod(info);
        }
        Ok(())
    }

    /// Binds `pod` to `node_name` and accounts it (what `place_all` does after each decision).
    pub fn bind(&mut self, mut pod: Pod, node_name: &str) -> Result<(), SnapshotError> {
        pod.spec.node_name = Some(node_name.to_owned());
        self.add_pod(pod)
    }

    /// All nodes, in the order they were given.
    pub fn nodes(&self) -> &[NodeInfo] {
        &self.nodes
    }

    /// The nodes' names, in the order of [`Snapshot::nodes`].
    pub fn node_names(&self) -> &Arc<[String]> {
        &self.names
    }

    /// Mutable access to the nodes (for simulations such as preemption).
    /// The indexes are marked stale: plugins then scan instead. A node's
    /// name must not be changed through it.
    pub fn nodes_mut(&mut self) -> &mut [NodeInfo] {
        self.indexes.mark_stale();
        &mut self.nodes
    }

    /// A node by name.
    pub fn node(&self, name: &str) -> Option<&NodeInfo> {
        self.index.get(name).and_then(|&i| self.nodes.get(i))
    }

    /// The position of a node in [`Snapshot::nodes`].
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// A node by name, mutably.
    /// The indexes are marked stale: plugins then scan instead. The node's
    /// name must not be changed through it.
    pub fn node_mut(&mut self, name: &str) -> Option<&mut NodeInfo> {
        self.indexes.mark_stale();
        match self.index.get(name) {
            Some(&i) => self.nodes.get_mut(i),
            None => None,
        }
    }

    /// The topology and pod-label indexes (possibly stale: see
    /// [`Snapshot::valid_indexes`]).
    pub fn indexes(&self) -> &SnapshotIndexes {
        &self.indexes
    }

    /// The indexes, when they describe this snapshot: not stale, and built
    /// over its nodes. Plugins scan when this is `None`.
    pub fn valid_indexes(&self) -> Option<&SnapshotIndexes> {
        (self.indexes.is_valid() && self.indexes.node_count() == self.nodes.len())
            .then_some(&self.indexes)
    }

    /// The labels of a namespace, if the snapshot knows it.
    pub fn namespace_labels(&self, name: &str) -> Option<&Labels> {
        self.namespaces.get(name)
    }

    /// Nodes that have pods with (anti-)affinity (`HavePodsWithAffinityList`).
    pub fn have_pods_with_affinity(&self) -> impl Iterator<Item = &NodeInfo> {
        self.nodes
            .iter()
            .filter(|n| !n.pods_with_affinity.is_empty())
    }

    /// Nodes that have pods with required anti-affinity (`HavePodsWithRequiredAntiAffinityList`).
    pub fn have_pods_with_required_anti_affinity(&self) -> impl Iterator<Item = &NodeInfo> {
        self.nodes
            .iter()
            .filter(|n| !n.pods_with_required_anti_affinity.is_empty())
    }
}
