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
//! a.memory_request = Quantity::parse("100Mi")?;
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
use super::threshold::quantity_milli;

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
/// (bytes × 1000) so that fractional requests compare exactly enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RankKeys {
    /// The summary had stats for the pod (pods without rank first).
    pub stats_found: bool,
    /// `spec.priority` (absent = 0).
    pub priority: i32,
    /// Usage of the starved resource, milli-units.
    pub usage_milli: i128,
    /// The request compared by `exceedsRequests`, milli-units.
    pub request_milli: i128,
    /// `usage > request`.
    pub exceeds_requests: bool,
    /// The value the `usage` comparator orders by (larger first), milli-units.
    pub usage_key_milli: i128,
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
fn disk_usage(pod: &EvictionPod, stats: &PodStats, fs: &[FsStatsType], inodes: bool) -> i128 {
    let pick = |u: &Option<super::pod::FsUsage>| -> i128 {
        u.as_ref()
            .and_then(|u| if inodes { u.inodes_used } else { u.used_bytes })
            .map_or(0, i128::from)
    };
    let mut total = 0i128;
    let root = has(fs, FsStatsType::Root);
    let logs = has(fs, FsStatsType::Logs);
    for c in &stats.containers {
        if root {
            total += pick(&c.rootfs);
        }
        if logs {
            total += pick(&c.logs);
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
                total += u.map_or(0, i128::from);
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
    let (usage, request, subtract) = match resource {
        StarvedResource::Memory => {
            let r = quantity_milli(&pod.memory_request);
            (
                i128::from(stats.memory_working_set.unwrap_or(0)) * 1000,
                r,
                r,
            )
        }
        StarvedResource::EphemeralStorage => {
            let r = quantity_milli(&pod.ephemeral_storage_request);
            (disk_usage(pod, stats, fs, false) * 1000, r, r)
        }
        StarvedResource::Inodes => (
            disk_usage(pod, stats, fs, true) * 1000,
            quantity_milli(&pod.inodes_request),
            quantity_milli(&pod.ephemeral_storage_request),
        ),
        StarvedResource::Pids => (i128::from(stats.process_count.unwrap_or(0)) * 1000, 0, 0),
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
            usage - subtract
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

/// Ranks `pods` for `resource`, measuring `fs` (disk), with the comparators
/// in `chain`. Stable: ties keep input order, and are reported.
pub fn rank_pods(
    pods: &[EvictionPod],
    resource: StarvedResource,
    fs: &[FsStatsType],
    chain: &[RankComparator],
) -> Ranking {
    let keys: Vec<RankKeys> = pods.iter().map(|p| rank_keys(p, resource, fs)).collect();
    let mut order: Vec<usize> = (0..pods.len()).collect();
    let key_at = |i: usize| keys.get(i);
    order.sort_by(|&a, &b| match (key_at(a), key_at(b)) {
        (Some(ka), Some(kb)) => compare_chain(chain, ka, kb),
        _ => Ordering::Equal,
    });
    let mut ranked = Vec::with_capacity(order.len());
    let mut ties: Vec<Vec<PodKey>> = Vec::new();
    let mut prev: Option<&RankKeys> = None;
    let mut in_tie = false;
    for &i in &order {
        let (Some(pod), Some(k)) = (pods.get(i), keys.get(i)) else {
            continue;
        };
        let tied = prev.is_some_and(|p| compare_chain(chain, p, k) == Ordering::Equal);
        if tied {
            if !in_tie {
                let first = ranked.last().map(|r: &RankedPod| r.pod.clone());
                ties.push(first.into_iter().collect());
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
        prev = Some(k);
    }
    Ranking {
        resource,
        fs_stats: fs.to_vec(),
        comparators: chain.to_vec(),
        pods: ranked,
        ties,
    }
}
