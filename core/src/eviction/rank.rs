//! Ranking pods for eviction (`rankMemoryPressure`, `rankDiskPressureFunc`,
//! `rankPIDPressure`): a chain of comparators applied in order, with the
//! keys each pod was ranked by.
//!
//! - memory: `exceedsRequests, priority, usage` — pods whose working set is
//!   above their memory request first, then lower priority first, then the
//!   larger working set − request first;
//! - disk (bytes or inodes, over the filesystems the layout says): the same
//!   chain over the measured usage; as in the kubelet, the `usage`
//!   comparator subtracts the pod's *ephemeral-storage* request even for
//!   inodes, and `exceedsRequests` for inodes compares with the pod's
//!   (normally absent) `inodes` request;
//! - pids: `priority, usage` (process count).
//!
//! A pod without stats ranks first under the usage-based comparators.
//! Kubernetes sorts with Go's unstable `sort.Sort`, so the relative order of
//! pods that compare equal is unspecified there. Here the sort is stable:
//! **tied pods keep the order in which they were given**, and
//! [`Ranking::ties`] lists every group of tied pods.
//!
//! Requests are compared at milli-unit resolution (Kubernetes compares
//! exact decimals; the two differ only for requests finer than a milli-byte).
//! The process comparator is a plain comparison, where the kubelet uses a
//! wrapping `uint64` difference (they differ only beyond 2^63 processes).
//!
//! ```
//! use kubelogic::eviction::{rank_pods, EvictionPod, PodStats, RankComparator, StarvedResource};
//! use kubelogic::Quantity;
//!
//! let mut a = EvictionPod::new("default", "a");
//! a.memory_request = Quantity::parse("100Mi")?.into();
//! a.stats = Some(PodStats { memory_working_set: Some(300 << 20), ..Default::default() });
//! let mut b = EvictionPod::new("default", "b");
//! b.stats = Some(PodStats { memory_working_set: Some(100 << 20), ..Default::default() });
//! let ranking = rank_pods(
//!     &[a, b],
//!     StarvedResource::Memory,
//!     &[],
//!     &RankComparator::MEMORY,
//! );
//! let order: Vec<&str> = ranking.pods.iter().map(|p| p.pod.as_str()).collect();
//! // Both exceed their requests and share a priority; a uses 200Mi above
//! // its request, b 100Mi.
//! assert_eq!(order, ["default/a", "default/b"]);
//! assert!(ranking.ties.is_empty());
//! # Ok::<(), kubelogic::QuantityError>(())
//! ```

use std::cmp::Ordering;

use super::pod::{EvictionPod, PodKey, PodStats};
use super::signals::{Signal, StarvedResource};

/// One comparator of the kubelet's `orderedBy` chains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RankComparator {
    /// `exceedMemoryRequests` / `exceedDiskRequests`: usage above request first.
    ExceedsRequests,
    /// `priority`: lower priority first.
    Priority,
    /// `memory` / `disk` / `process`: larger usage (above request) first.
    Usage,
}

impl RankComparator {
    /// The memory chain.
    pub const MEMORY: [RankComparator; 3] = [
        RankComparator::ExceedsRequests,
        RankComparator::Priority,
        RankComparator::Usage,
    ];
    /// The disk chain (bytes and inodes).
    pub const DISK: [RankComparator; 3] = RankComparator::MEMORY;
    /// The PID chain.
    pub const PIDS: [RankComparator; 2] = [RankComparator::Priority, RankComparator::Usage];

    /// The chain the kubelet uses for a resource.
    pub fn chain(resource: StarvedResource) -> &'static [RankComparator] {
        match resource {
            StarvedResource::Pids => &Self::PIDS,
            _ => &Self::MEMORY,
        }
    }
}

/// Which usage a disk ranking measures (`fsStatsType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FsStatsType {
    /// Container writable layers.
    Root,
    /// Container logs.
    Logs,
    /// Local volumes (hostPath and local ephemeral volumes).
    LocalVolumeSource,
    /// Images (never attributed to a pod).
    Images,
}

/// Where the container runtime keeps images and writable layers.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct FilesystemLayout {
    /// Images are on their own filesystem (`HasDedicatedImageFs`).
    #[serde(default)]
    pub dedicated_image_fs: bool,
    /// Writable layers are on a filesystem apart from images (split image
    /// filesystem; needs `KubeletSeparateDiskGC`).
    #[serde(default)]
    pub separate_container_fs: bool,
}

impl FilesystemLayout {
    /// The fs stats measured when ranking for a signal (`buildSignalToRankFunc`).
    pub fn fs_stats_for(self, signal: Signal) -> &'static [FsStatsType] {
        use FsStatsType::{Images, LocalVolumeSource, Logs, Root};
        const ALL: &[FsStatsType] = &[Images, Root, Logs, LocalVolumeSource];
        match signal.resource() {
            StarvedResource::Memory | StarvedResource::Pids => &[],
            _ => match (self.dedicated_image_fs, self.separate_container_fs) {
                (true, false) => match signal {
                    Signal::NodeFsAvailable | Signal::NodeFsInodesFree => {
                        &[Logs, LocalVolumeSource]
                    }
                    _ => &[Root, Images],
                },
                (true, true) => match signal {
                    Signal::ImageFsAvailable | Signal::ImageFsInodesFree => &[Images],
                    _ => &[Logs, LocalVolumeSource, Root],
                },
                _ => ALL,
            },
        }
    }

    /// The node-level reclaim the kubelet tries before evicting for a signal
    /// (`buildSignalToNodeReclaimFuncs`).
    pub fn node_reclaim_for(self, signal: Signal) -> &'static [NodeReclaimAction] {
        use NodeReclaimAction::{ContainerGc, ImageGc};
        match signal.resource() {
            StarvedResource::Memory | StarvedResource::Pids => &[],
            _ => match (self.dedicated_image_fs, self.separate_container_fs) {
                (true, false) => match signal {
                    Signal::NodeFsAvailable | Signal::NodeFsInodesFree => &[],
                    _ => &[ContainerGc, ImageGc],
                },
                (true, true) => match signal {
                    Signal::ImageFsAvailable | Signal::ImageFsInodesFree => &[ImageGc],
                    _ => &[ContainerGc],
                },
                _ => &[ContainerGc, ImageGc],
            },
        }
    }
}

/// A node-level reclaim action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum NodeReclaimAction {
    /// `DeleteAllUnusedContainers`.
    #[serde(rename = "containerGC")]
    ContainerGc,
    /// `DeleteUnusedImages`.
    #[serde(rename = "imageGC")]
    ImageGc,
}

impl NodeReclaimAction {
    /// The spelling used in results (`containerGC`, `imageGC`).
    pub const fn as_str(self) -> &'static str {
        match self {
            NodeReclaimAction::ContainerGc => "containerGC",
            NodeReclaimAction::ImageGc => "imageGC",
        }
    }
}

/// The keys one pod was ranked by. Bytes and counts are in milli-units
/// (bytes × 1000) so that fractional requests compare exactly enough;
/// they saturate at `i64` (9.2e15 bytes, 9 PB).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RankKeys {
    /// The summary had stats for the pod (pods without rank first).
    pub stats_found: bool,
    /// `spec.priority` (absent = 0).
    pub priority: i32,
    /// Usage of the starved resource, milli-units.
    pub usage_milli: i64,
    /// The request compared by `exceedsRequests`, milli-units.
    pub request_milli: i64,
    /// `usage > request`.
    pub exceeds_requests: bool,
    /// The value the `usage` comparator orders by (larger first), milli-units.
    pub usage_key_milli: i64,
}

/// A pod in ranked order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RankedPod {
    /// The pod.
    pub pod: PodKey,
    /// Its position in the input list.
    pub index: usize,
    /// Its keys.
    pub keys: RankKeys,
}

/// Pods ranked for eviction, most evictable first.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ranking {
    /// The resource ranked for.
    pub resource: StarvedResource,
    /// The usage measured (disk rankings).
    pub fs_stats: Vec<FsStatsType>,
    /// The comparators, in order.
    pub comparators: Vec<RankComparator>,
    /// The pods, most evictable first.
    pub pods: Vec<RankedPod>,
    /// Groups of consecutive pods that compare equal under every comparator
    /// (Kubernetes' order among them is unspecified; here they keep input order).
    pub ties: Vec<Vec<PodKey>>,
}

fn has(fs: &[FsStatsType], t: FsStatsType) -> bool {
    fs.contains(&t)
}

/// Disk usage (bytes or inodes) of a pod over the measured filesystems (`podDiskUsage`).
fn disk_usage(pod: &EvictionPod, stats: &PodStats, fs: &[FsStatsType], inodes: bool) -> u64 {
    let pick = |u: &Option<super::pod::FsUsage>| -> u64 {
        u.as_ref()
            .and_then(|u| if inodes { u.inodes_used } else { u.used_bytes })
            .unwrap_or(0)
    };
    let mut total = 0u64;
    let root = has(fs, FsStatsType::Root);
    let logs = has(fs, FsStatsType::Logs);
    for c in &stats.containers {
        if root {
            total = total.saturating_add(pick(&c.rootfs));
        }
        if logs {
            total = total.saturating_add(pick(&c.logs));
        }
    }
    if has(fs, FsStatsType::LocalVolumeSource) {
        for v in pod.volumes.iter().filter(|v| v.local) {
            if let Some(s) = stats.volumes.iter().find(|s| s.name == v.name) {
                let u = if inodes {
                    s.usage.inodes_used
                } else {
                    s.usage.used_bytes
                };
                total = total.saturating_add(u.unwrap_or(0));
            }
        }
    }
    total
}

/// The keys of one pod for a resource.
pub fn rank_keys(pod: &EvictionPod, resource: StarvedResource, fs: &[FsStatsType]) -> RankKeys {
    let Some(stats) = &pod.stats else {
        return RankKeys {
            stats_found: false,
            priority: pod.priority,
            usage_milli: 0,
            request_milli: 0,
            exceeds_requests: false,
            usage_key_milli: 0,
        };
    };
    let milli = |units: u64| {
        i64::try_from(units)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000)
    };
    let clamp = |m: i128| i64::try_from(m).unwrap_or(if m < 0 { i64::MIN } else { i64::MAX });
    let (usage, request, subtract) = match resource {
        StarvedResource::Memory => {
            let r = clamp(pod.memory_request.milli());
            (milli(stats.memory_working_set.unwrap_or(0)), r, r)
        }
        StarvedResource::EphemeralStorage => {
            let r = clamp(pod.ephemeral_storage_request.milli());
            (milli(disk_usage(pod, stats, fs, false)), r, r)
        }
        StarvedResource::Inodes => (
            milli(disk_usage(pod, stats, fs, true)),
            clamp(pod.inodes_request.milli()),
            clamp(pod.ephemeral_storage_request.milli()),
        ),
        StarvedResource::Pids => (milli(stats.process_count.unwrap_or(0)), 0, 0),
    };
    RankKeys {
        stats_found: true,
        priority: pod.priority,
        usage_milli: usage,
        request_milli: request,
        exceeds_requests: usage > request,
        usage_key_milli: if resource == StarvedResource::Pids {
            usage
        } else {
            usage.saturating_sub(subtract)
        },
    }
}

/// One comparator on two pods' keys: `Less` means `a` is more evictable.
pub fn compare(c: RankComparator, a: &RankKeys, b: &RankKeys) -> Ordering {
    match c {
        RankComparator::Priority => a.priority.cmp(&b.priority),
        RankComparator::ExceedsRequests | RankComparator::Usage
            if !a.stats_found || !b.stats_found =>
        {
            // No stats: evict first.
            a.stats_found.cmp(&b.stats_found)
        }
        RankComparator::ExceedsRequests => b.exceeds_requests.cmp(&a.exceeds_requests),
        RankComparator::Usage => b.usage_key_milli.cmp(&a.usage_key_milli),
    }
}

fn compare_chain(chain: &[RankComparator], a: &RankKeys, b: &RankKeys) -> Ordering {
    for c in chain {
        let o = compare(*c, a, b);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// A comparator's sort value (smaller first) and its width in bits,
/// consistent with [`compare`]: pods without stats come first under the
/// usage-based comparators and tie among themselves. Usage keys are clamped
/// to `i64` milli-units (beyond ±9.2e15 bytes, i.e. 9 PB, they compare
/// equal).
fn sort_component(c: RankComparator, k: &RankKeys) -> (u128, u32) {
    let ordered = |v: i64| u128::from((v as u64) ^ (1 << 63));
    match c {
        RankComparator::Priority => (u128::from((k.priority as u32) ^ (1 << 31)), 32),
        RankComparator::ExceedsRequests if !k.stats_found => (0, 2),
        RankComparator::ExceedsRequests => (1 + u128::from(!k.exceeds_requests), 2),
        RankComparator::Usage if !k.stats_found => (0, 64),
        // Larger usage first; never 0, which is kept for pods without stats.
        RankComparator::Usage => (ordered(k.usage_key_milli.saturating_neg()).max(1), 64),
    }
}

/// Bits of a packed sort key that hold the input position.
const INDEX_BITS: u32 = 30;

/// The whole chain and the input position packed into one integer, so that
/// sorting integers is the stable multi-comparator sort. `None` when the
/// chain or the pod count does not fit.
fn packed_key(chain: &[RankComparator], k: &RankKeys, index: usize) -> Option<u128> {
    let mut key: u128 = 0;
    let mut bits = 0u32;
    for c in chain {
        let (v, w) = sort_component(*c, k);
        bits += w;
        key = (key << w) | v;
    }
    if bits + INDEX_BITS > 128 || index >= 1 << INDEX_BITS {
        return None;
    }
    Some((key << INDEX_BITS) | index as u128)
}

/// Ranks `pods` for `resource`, measuring `fs` (disk), with the comparators
/// in `chain`. Stable: ties keep input order, and are reported.
pub fn rank_pods(
    pods: &[EvictionPod],
    resource: StarvedResource,
    fs: &[FsStatsType],
    chain: &[RankComparator],
) -> Ranking {
    let mut keys: Vec<RankKeys> = Vec::with_capacity(pods.len());
    // The chain's keys packed into one integer per pod (with its position
    // last), when they fit: one integer sort instead of a comparator chain.
    let mut packed: Vec<u128> = Vec::with_capacity(pods.len());
    let mut fits = true;
    for (i, p) in pods.iter().enumerate() {
        let k = rank_keys(p, resource, fs);
        if fits {
            match packed_key(chain, &k, i) {
                Some(key) => packed.push(key),
                None => fits = false,
            }
        }
        keys.push(k);
    }
    let mut ranked: Vec<RankedPod> = Vec::with_capacity(pods.len());
    let mut ties: Vec<Vec<PodKey>> = Vec::new();
    let mut in_tie = false;
    let mut push = |i: usize, tied: bool| {
        let (Some(pod), Some(k)) = (pods.get(i), keys.get(i)) else {
            return;
        };
        if tied {
            if !in_tie {
                ties.push(ranked.last().map(|r| r.pod.clone()).into_iter().collect());
                in_tie = true;
            }
            if let Some(group) = ties.last_mut() {
                group.push(pod.key.clone());
            }
        } else {
            in_tie = false;
        }
        ranked.push(RankedPod {
            pod: pod.key.clone(),
            index: i,
            keys: *k,
        });
    };
    if fits {
        // The input position makes every key distinct: unstable = stable.
        packed.sort_unstable();
        let mask = (1u128 << INDEX_BITS) - 1;
        let mut prev: Option<u128> = None;
        for &p in &packed {
            let chain_key = p >> INDEX_BITS;
            push((p & mask) as usize, prev == Some(chain_key));
            prev = Some(chain_key);
        }
    } else {
        let mut order: Vec<usize> = (0..pods.len()).collect();
        order.sort_by(|&a, &b| match (keys.get(a), keys.get(b)) {
            (Some(ka), Some(kb)) => compare_chain(chain, ka, kb),
            _ => Ordering::Equal,
        });
        let mut prev: Option<usize> = None;
        for &i in &order {
            let tied = match (prev.and_then(|p| keys.get(p)), keys.get(i)) {
                (Some(p), Some(k)) => compare_chain(chain, p, k) == Ordering::Equal,
                _ => false,
            };
            push(i, tied);
            prev = Some(i);
        }
    }
    Ranking {
        resource,
        fs_stats: fs.to_vec(),
        comparators: chain.to_vec(),
        pods: ranked,
        ties,
    }
}
