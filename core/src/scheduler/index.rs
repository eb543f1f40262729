//! Snapshot indexes for the plugins that look across the whole cluster
//! (NodeAffinity, InterPodAffinity, PodTopologySpread), built with the
//! snapshot and kept up to date as pods are placed:
//!
//! - [`TopologyDomains`]: per label key, its values as small ids and each
//!   node's id by position. A [`TopologyKey`] resolved once per cycle reads
//!   the domain of a node of the snapshot
//!   ([`NodeInfo::snapshot_position`]) from an array: no label lookup and
//!   no string hashing per node; [`DomainMap`] keeps per-domain values in
//!   a vector by id.
//! - bound pods by label ([`SnapshotIndexes::candidates`]), each entry with
//!   its namespace id and terminating flag inline, so a decision touches
//!   only the pods a selector can match (and, when the selector is a
//!   single requirement, does not check it again);
//! - pods grouped by identical affinity terms ([`TermGroups`]), so
//!   InterPodAffinity matches each distinct list of terms against the
//!   incoming pod once rather than once per pod.
//!
//! The indexes describe the snapshot as built and extended by
//! [`Snapshot::add_pod`](super::Snapshot::add_pod); mutable access to the
//! nodes ([`Snapshot::nodes_mut`](super::Snapshot::nodes_mut)) marks them
//! stale and the plugins fall back to scanning (and to label lookups).
//!
//! ```
//! use kubelogic::model::{self, Node};
//! use kubelogic::scheduler::index::{Domain, DomainMap, TopologyKey};
//! use kubelogic::scheduler::{NodeInfo, Snapshot};
//! use kubelogic::FeatureGates;
//!
//! let node = |name: &str, zone: &str| -> Node {
//!     model::from_json_str(&format!(
//!         r#"{{"metadata": {{"name": "{name}", "labels": {{"zone": "{zone}"}}}}}}"#)).unwrap()
//! };
//! let snap = Snapshot::new(
//!     vec![node("a", "z1"), node("b", "z2"), node("c", "z1")], vec![], vec![],
//!     FeatureGates::default());
//! let zone = TopologyKey::new("zone", snap.valid_indexes());
//! let (a, b, c) = (&snap.nodes()[0], &snap.nodes()[1], &snap.nodes()[2]);
//! // Nodes of the snapshot: ids read by position.
//! assert_eq!(zone.domain_of(a), zone.domain_of(c));
//! assert_ne!(zone.domain_of(a), zone.domain_of(b));
//! let mut per_zone: DomainMap<i64> = DomainMap::for_key(&zone);
//! for n in snap.nodes() {
//!     if let Some(count) = zone.domain_of(n).and_then(|d| per_zone.entry(d, || 0)) {
//!         *count += 1;
//!     }
//! }
//! assert_eq!(per_zone.get(zone.domain_of(a).unwrap()), Some(&2));
//! // A node built on its own is looked up by its label (same domain).
//! let outside = NodeInfo::new(node("d", "z2"));
//! assert_eq!(outside.snapshot_position(), None);
//! assert_eq!(zone.domain_of(&outside), zone.domain_of(b));
//! assert!(matches!(zone.domain_of(&outside), Some(Domain::Id(_))));
//! ```

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::model::{LabelSelector, LabelSelectorOperator, Node};

use super::snapshot::{NodeInfo, PodInfo};

/// The node positions without a label key.
pub const NO_DOMAIN: u32 = u32::MAX;

/// The nodes grouped by their value of one label key (topology domains).
#[derive(Clone, Debug, Default)]
pub struct TopologyDomains {
    /// The distinct values, in the order nodes first show them.
    pub values: Vec<String>,
    /// Value → position in `values`.
    pub ids: FxHashMap<String, u32>,
    /// Per node position: its domain in `values`, or [`NO_DOMAIN`].
    pub node_domain: Vec<u32>,
    /// How many nodes lack the key (hold [`NO_DOMAIN`]).
    pub nodes_without_key: usize,
}

impl TopologyDomains {
    /// The domain of a value, if some node has it.
    pub fn id(&self, value: &str) -> Option<u32> {
        self.ids.get(value).copied()
    }

    /// The value of a domain.
    pub fn value(&self, id: u32) -> Option<&str> {
        self.values.get(id as usize).map(String::as_str)
    }

    /// The domain of the node at `position` ([`NO_DOMAIN`] when it lacks the key).
    pub fn of_node(&self, position: usize) -> u32 {
        self.node_domain.get(position).copied().unwrap_or(NO_DOMAIN)
    }
}

/// A node's domain for one topology key, as [`TopologyKey::domain_of`] finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain<'a> {
    /// A domain of the snapshot's index (an id into [`TopologyDomains::values`]).
    Id(u32),
    /// A value the index does not know (a node from outside the snapshot,
    /// or no index): compared as a string.
    Value(&'a str),
}

/// One topology key resolved once per cycle against the snapshot's
/// indexes, so that the domain of a node of the snapshot is an array read
/// by its position (no label lookup, no string hashing per node).
#[derive(Clone, Debug)]
pub struct TopologyKey {
    key: String,
    domains: Option<Arc<TopologyDomains>>,
    /// The number of nodes of the indexed snapshot (0 without an index):
    /// a node at a position below it is one of the snapshot's, and lacks
    /// the key when `domains` does not place it (or is `None`).
    node_count: usize,
}

impl TopologyKey {
    /// Resolves `key` against `index` (`None`: the indexes are stale or
    /// absent; every lookup reads the node's labels).
    pub fn new(key: &str, index: Option<&SnapshotIndexes>) -> TopologyKey {
        let (domains, node_count) = match index.map(|i| (i.topology(key), i.node_count())) {
            Some((Ok(d), n)) => (d.cloned(), n),
            _ => (None, 0),
        };
        TopologyKey {
            key: key.to_owned(),
            domains,
            node_count,
        }
    }

    /// The label key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The domains of the key in the snapshot, when indexed.
    pub fn domains(&self) -> Option<&Arc<TopologyDomains>> {
        self.domains.as_ref()
    }

    /// The node's domain, `None` when the node lacks the key. A node of the
    /// indexed snapshot is looked up by its position; any other node by its
    /// label, mapped to an id when the index knows the value.
    #[inline]
    pub fn domain_of<'n>(&self, node: &'n NodeInfo) -> Option<Domain<'n>> {
        if let Some(pos) = node.snapshot_position().filter(|p| *p < self.node_count) {
            return self.domain_at(pos).map(Domain::Id);
        }
        self.domain_of_value(node.node.labels().get(&self.key).map(String::as_str))
    }

    /// The domain of the node at `position` in the indexed snapshot
    /// (`None`: it lacks the key, or the key was not resolved from a valid index).
    #[inline]
    pub fn domain_at(&self, position: usize) -> Option<u32> {
        let id = self.domains.as_ref()?.of_node(position);
        (id != NO_DOMAIN).then_some(id)
    }

    /// The domain of the node at `position` in `nodes` (the snapshot's
    /// nodes): read by position when the key covers it, without touching
    /// the node.
    #[inline]
    pub fn domain_in<'n>(&self, nodes: &'n [NodeInfo], position: usize) -> Option<Domain<'n>> {
        if self.covers(position) {
            self.domain_at(position).map(Domain::Id)
        } else {
            self.domain_of(nodes.get(position)?)
        }
    }

    /// The domain of a label value (`None` for no value).
    pub fn domain_of_value<'v>(&self, value: Option<&'v str>) -> Option<Domain<'v>> {
        let v = value?;
        match self.domains.as_ref().and_then(|d| d.id(v)) {
            Some(id) => Some(Domain::Id(id)),
            None => Some(Domain::Value(v)),
        }
    }

    /// The value of a domain.
    pub fn value<'a>(&'a self, domain: Domain<'a>) -> &'a str {
        match domain {
            Domain::Id(id) => self
                .domains
                .as_ref()
                .and_then(|d| d.value(id))
                .unwrap_or(""),
            Domain::Value(v) => v,
        }
    }

    /// Whether `position` is a node of the snapshot the key was resolved
    /// against (so [`TopologyKey::domain_at`] describes it).
    pub fn covers(&self, position: usize) -> bool {
        position < self.node_count
    }

    /// The number of domains the index knows for the key.
    pub fn indexed_len(&self) -> usize {
        self.domains.as_ref().map_or(0, |d| d.values.len())
    }
}

/// Values per domain of one [`TopologyKey`]: a vector by domain id, and a
/// map for the values outside the index.
#[derive(Clone, Debug, Default)]
pub struct DomainMap<T> {
    by_id: Vec<Option<T>>,
    other: FxHashMap<String, T>,
}

impl<T> DomainMap<T> {
    /// An empty map sized for `key`'s indexed domains.
    pub fn for_key(key: &TopologyKey) -> Self {
        let mut by_id = Vec::new();
        by_id.resize_with(key.indexed_len(), || None);
        DomainMap {
            by_id,
            other: FxHashMap::default(),
        }
    }

    /// The value at a domain.
    #[inline]
    pub fn get(&self, domain: Domain<'_>) -> Option<&T> {
        match domain {
            Domain::Id(id) => self.by_id.get(id as usize).and_then(Option::as_ref),
            Domain::Value(v) => self.other.get(v),
        }
    }

    /// The value at a domain, created with `default` when absent (`None`
    /// only for an id beyond any the index hands out).
    #[inline]
    pub fn entry(&mut self, domain: Domain<'_>, default: impl FnOnce() -> T) -> Option<&mut T> {
        match domain {
            Domain::Id(id) => {
                let i = id as usize;
                if self.by_id.len() <= i && id != NO_DOMAIN {
                    self.by_id.resize_with(i + 1, || None);
                }
                self.by_id
                    .get_mut(i)
                    .map(|slot| slot.get_or_insert_with(default))
            }
            Domain::Value(v) => Some(self.other.entry(v.to_owned()).or_insert_with(default)),
        }
    }

    /// The value at a domain, mutably.
    #[inline]
    pub fn get_mut(&mut self, domain: Domain<'_>) -> Option<&mut T> {
        match domain {
            Domain::Id(id) => self.by_id.get_mut(id as usize).and_then(Option::as_mut),
            Domain::Value(v) => self.other.get_mut(v),
        }
    }

    /// The number of domains with a value.
    pub fn len(&self) -> usize {
        self.by_id.iter().filter(|t| t.is_some()).count() + self.other.len()
    }

    /// Whether no domain has a value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes a domain's value.
    pub fn remove(&mut self, domain: Domain<'_>) -> Option<T> {
        match domain {
            Domain::Id(id) => self.by_id.get_mut(id as usize).and_then(Option::take),
            Domain::Value(v) => self.other.remove(v),
        }
    }

    /// The domains with a value: indexed ones by id, then the others.
    pub fn iter(&self) -> impl Iterator<Item = (Domain<'_>, &T)> + '_ {
        let ids = self
            .by_id
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((Domain::Id(u32::try_from(i).ok()?), t.as_ref()?)));
        ids.chain(self.other.iter().map(|(v, t)| (Domain::Value(v), t)))
    }
}

/// A bound pod and the position of its node, with what the plugins check
/// on every candidate kept inline (no pointer to follow for them).
#[derive(Clone, Debug)]
pub struct PodRef {
    /// The node's position in [`Snapshot::nodes`](super::Snapshot::nodes).
    pub node: usize,
    /// The pod.
    pub pod: Arc<PodInfo>,
    /// The pod's namespace, as an id of [`SnapshotIndexes::namespace_id`].
    pub namespace: u32,
    /// Whether the pod has a `deletionTimestamp` (is terminating).
    pub terminating: bool,
}

/// The pods a selector may match, from [`SnapshotIndexes::candidates`]:
/// lists to chain, and whether every pod in them matches the selector.
#[derive(Clone, Debug, Default)]
pub struct Candidates<'a> {
    /// The lists (one per value of the chosen requirement).
    pub lists: Vec<&'a [PodRef]>,
    /// The selector is the chosen requirement alone: every candidate
    /// matches it, no need to check.
    pub exact: bool,
}

impl<'a> Candidates<'a> {
    /// Every candidate.
    pub fn iter(&self) -> impl Iterator<Item = &'a PodRef> + '_ {
        self.lists.iter().flat_map(|l| l.iter())
    }

    /// The number of candidates.
    pub fn len(&self) -> usize {
        self.lists.iter().map(|l| l.len()).sum()
    }

    /// Whether there is no candidate.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Bound pods with the same affinity terms (the replicas of one template
/// share them), so a plugin matches each distinct list of terms against
/// the incoming pod once instead of once per pod.
#[derive(Clone, Debug)]
pub struct TermGroup {
    /// One pod of the group: its terms stand for every pod's.
    pub pod: Arc<PodInfo>,
    /// Per pod of the group, the position of its node.
    pub nodes: Vec<usize>,
}

/// [`TermGroup`]s by a hash of their terms.
#[derive(Clone, Debug, Default)]
pub struct TermGroups {
    by_hash: FxHashMap<u64, Vec<usize>>,
    groups: Vec<TermGroup>,
}

impl TermGroups {
    /// Adds a pod on the node at `node`: to the group whose pod `same`
    /// says has its terms (among those of `hash`), or to a new group.
    fn add(&mut self, node: usize, pod: &Arc<PodInfo>, hash: u64, same: impl Fn(&PodInfo) -> bool) {
        let ids = self.by_hash.entry(hash).or_default();
        let found = ids
            .iter()
            .copied()
            .find(|&g| self.groups.get(g).is_some_and(|g| same(&g.pod)));
        match found.and_then(|g| self.groups.get_mut(g)) {
            Some(g) => g.nodes.push(node),
            None => {
                ids.push(self.groups.len());
                self.groups.push(TermGroup {
                    pod: Arc::clone(pod),
                    nodes: vec![node],
                });
            }
        }
    }

    /// The groups.
    pub fn iter(&self) -> impl Iterator<Item = &TermGroup> + '_ {
        self.groups.iter()
    }

    /// The number of pods in all groups.
    pub fn pod_count(&self) -> usize {
        self.groups.iter().map(|g| g.nodes.len()).sum()
    }
}

fn fx_hash(value: &impl Hash) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// The indexes of a snapshot.
#[derive(Clone, Debug, Default)]
pub struct SnapshotIndexes {
    stale: bool,
    topology: HashMap<String, Arc<TopologyDomains>>,
    pods_by_label: HashMap<String, HashMap<String, Vec<PodRef>>>,
    namespaces: FxHashMap<String, u32>,
    scoring_groups: TermGroups,
    anti_affinity_groups: TermGroups,
    node_count: usize,
}

impl SnapshotIndexes {
    /// Indexes the nodes' labels (no pods yet).
    pub fn from_nodes<'a>(nodes: impl ExactSizeIterator<Item = &'a Node>) -> Self {
        let n = nodes.len();
        let mut topology: HashMap<String, TopologyDomains> = HashMap::new();
        for (pos, node) in nodes.enumerate() {
            for (k, v) in node.labels() {
                let d = topology
                    .entry(k.clone())
                    .or_insert_with(|| TopologyDomains {
                        node_domain: vec![NO_DOMAIN; n],
                        ..TopologyDomains::default()
                    });
                let next = u32::try_from(d.values.len()).unwrap_or(NO_DOMAIN);
                let id = *d.ids.entry(v.clone()).or_insert(next);
                if id == next {
                    d.values.push(v.clone());
                }
                if let Some(slot) = d.node_domain.get_mut(pos) {
                    *slot = id;
                }
            }
        }
        SnapshotIndexes {
            stale: false,
            topology: topology
                .into_iter()
                .map(|(k, mut d)| {
                    d.nodes_without_key =
                        d.node_domain.iter().filter(|&&id| id == NO_DOMAIN).count();
                    (k, Arc::new(d))
                })
                .collect(),
            pods_by_label: HashMap::new(),
            namespaces: FxHashMap::default(),
            scoring_groups: TermGroups::default(),
            anti_affinity_groups: TermGroups::default(),
            node_count: n,
        }
    }

    /// Records a pod placed on the node at `node`.
    pub fn add_pod(&mut self, node: usize, pod: &Arc<PodInfo>) {
        if self.stale {
            return;
        }
        let ns = pod.pod.metadata.namespace();
        let next = u32::try_from(self.namespaces.len()).unwrap_or(u32::MAX);
        let namespace = match self.namespaces.get(ns) {
            Some(&id) => id,
            None => {
                self.namespaces.insert(ns.to_owned(), next);
                next
            }
        };
        let terminating = pod.pod.metadata.deletion_timestamp.is_some();
        let scoring = (
            &pod.required_affinity_terms,
            &pod.preferred_affinity_terms,
            &pod.preferred_anti_affinity_terms,
        );
        if !(scoring.0.is_empty() && scoring.1.is_empty() && scoring.2.is_empty()) {
            self.scoring_groups.add(node, pod, fx_hash(&scoring), |p| {
                (
                    &p.required_affinity_terms,
                    &p.preferred_affinity_terms,
                    &p.preferred_anti_affinity_terms,
                ) == scoring
            });
        }
        let anti = &pod.required_anti_affinity_terms;
        if !anti.is_empty() {
            self.anti_affinity_groups
                .add(node, pod, fx_hash(anti), |p| {
                    p.required_anti_affinity_terms == *anti
                });
        }
        for (k, v) in pod.pod.labels() {
            self.pods_by_label
                .entry(k.clone())
                .or_default()
                .entry(v.clone())
                .or_default()
                .push(PodRef {
                    node,
                    pod: Arc::clone(pod),
                    namespace,
                    terminating,
                });
        }
    }

    /// Marks the indexes stale (the nodes may have changed behind them).
    pub fn mark_stale(&mut self) {
        self.stale = true;
        self.topology.clear();
        self.pods_by_label.clear();
        self.scoring_groups = TermGroups::default();
        self.anti_affinity_groups = TermGroups::default();
    }

    /// Whether the indexes describe the snapshot.
    pub fn is_valid(&self) -> bool {
        !self.stale
    }

    /// The id of a namespace in [`PodRef::namespace`] (`None`: no indexed
    /// pod is in it).
    pub fn namespace_id(&self, namespace: &str) -> Option<u32> {
        self.namespaces.get(namespace).copied()
    }

    /// The pods with required affinity or preferred (anti-)affinity terms
    /// (what InterPodAffinity's PreScore reads of existing pods), grouped
    /// by those terms. `None` when stale.
    pub fn scoring_affinity_groups(&self) -> Option<&TermGroups> {
        (!self.stale).then_some(&self.scoring_groups)
    }

    /// The pods with required anti-affinity terms (what InterPodAffinity's
    /// PreFilter reads of existing pods), grouped by those terms. `None` when stale.
    pub fn required_anti_affinity_groups(&self) -> Option<&TermGroups> {
        (!self.stale).then_some(&self.anti_affinity_groups)
    }

    /// The number of nodes indexed.
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// The domains of a label key: `Ok(None)` when no node has the key,
    /// `Err(())` when the indexes are stale.
    #[allow(clippy::result_unit_err)]
    pub fn topology(&self, key: &str) -> Result<Option<&Arc<TopologyDomains>>, ()> {
        if self.stale {
            return Err(());
        }
        Ok(self.topology.get(key))
    }

    /// The pods that may match `selector`: those of its most selective
    /// `matchLabels` entry or `In` requirement. `None` when the selector has
    /// neither (or the indexes are stale): scan every pod. Unless
    /// [`Candidates::exact`], callers check the whole selector on each.
    pub fn candidates(&self, selector: &LabelSelector) -> Option<Candidates<'_>> {
        if self.stale {
            return None;
        }
        let lookup = |k: &str, v: &str| -> &[PodRef] {
            self.pods_by_label
                .get(k)
                .and_then(|m| m.get(v))
                .map_or(&[], Vec::as_slice)
        };
        let mut options: Vec<Vec<&[PodRef]>> = Vec::new();
        for (k, v) in &selector.match_labels {
            options.push(vec![lookup(k, v)]);
        }
        for r in &selector.match_expressions {
            if r.operator == LabelSelectorOperator::In {
                let mut values: Vec<&String> = r.values.iter().collect();
                values.sort();
                values.dedup();
                options.push(values.into_iter().map(|v| lookup(&r.key, v)).collect());
            }
        }
        let exact = selector.match_labels.len() + selector.match_expressions.len() == 1;
        options
            .into_iter()
            .min_by_key(|lists| lists.iter().map(|l| l.len()).sum::<usize>())
            .map(|lists| Candidates { lists, exact })
    }
}

/// A fast, non-cryptographic hasher (the Fx hash of rustc) for the short
/// label keys and values the plugins look up once per node per cycle, where
/// SipHash would dominate. Not resistant to chosen collisions; it hashes
/// cluster data, not network input.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(rest) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// [`FxHasher`] as a `BuildHasher`.
pub type FxBuildHasher = std::hash::BuildHasherDefault<FxHasher>;

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;
