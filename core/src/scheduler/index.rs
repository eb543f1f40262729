//! Snapshot indexes for the plugins that look across the whole cluster
//! (InterPodAffinity, PodTopologySpread): nodes grouped by their value of
//! each label key, and bound pods by label. Both are built with the
//! snapshot and kept up to date as pods are placed, so a decision touches
//! only the pods a selector can match instead of every pod.
//!
//! The indexes describe the snapshot as built and extended by
//! [`Snapshot::add_pod`](super::Snapshot::add_pod); mutable access to the
//! nodes ([`Snapshot::nodes_mut`](super::Snapshot::nodes_mut)) marks them
//! stale and the plugins fall back to scanning.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{LabelSelector, LabelSelectorOperator, Node};

use super::snapshot::PodInfo;

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

/// A bound pod and the position of its node.
#[derive(Clone, Debug)]
pub struct PodRef {
    /// The node's position in [`Snapshot::nodes`](super::Snapshot::nodes).
    pub node: usize,
    /// The pod.
    pub pod: Arc<PodInfo>,
}

/// The indexes of a snapshot.
#[derive(Clone, Debug, Default)]
pub struct SnapshotIndexes {
    stale: bool,
    topology: HashMap<String, Arc<TopologyDomains>>,
    pods_by_label: HashMap<String, HashMap<String, Vec<PodRef>>>,
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
                .map(|(k, d)| (k, Arc::new(d)))
                .collect(),
            pods_by_label: HashMap::new(),
            node_count: n,
        }
    }

    /// Records a pod placed on the node at `node`.
    pub fn add_pod(&mut self, node: usize, pod: &Arc<PodInfo>) {
        if self.stale {
            return;
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
                });
        }
    }

    /// Marks the indexes stale (the nodes may have changed behind them).
    pub fn mark_stale(&mut self) {
        self.stale = true;
        self.topology.clear();
        self.pods_by_label.clear();
    }

    /// Whether the indexes describe the snapshot.
    pub fn is_valid(&self) -> bool {
        !self.stale
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

    /// The pods that may match `selector`, as slices to chain: those of the
    /// most selective `matchLabels` entry or `In` requirement. `None` when
    /// the selector has neither (or the indexes are stale): scan every pod.
    /// Callers still check the whole selector on each candidate.
    pub fn candidates(&self, selector: &LabelSelector) -> Option<Vec<&[PodRef]>> {
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
                values.sort_unstable();
                values.dedup();
                options.push(values.into_iter().map(|v| lookup(&r.key, v)).collect());
            }
        }
        options
            .into_iter()
            .min_by_key(|lists| lists.iter().map(|l| l.len()).sum::<usize>())
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
