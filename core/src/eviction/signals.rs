//! Eviction signals (`evictionapi.Signal`), the resource each one starves,
//! the node condition it raises, and the node-level taint that condition
//! implies.
//!
//! ```
//! use kubelogic::eviction::{NodeConditionType, Signal, StarvedResource};
//!
//! let s: Signal = "nodefs.inodesFree".parse()?;
//! assert_eq!(s.resource(), StarvedResource::Inodes);
//! assert_eq!(s.node_condition(), NodeConditionType::DiskPressure);
//! assert_eq!(s.node_condition().taint_key(), "node.kubernetes.io/disk-pressure");
//! assert!("mem.available".parse::<Signal>().is_err());
//! # Ok::<(), kubelogic::eviction::UnknownSignal>(())
//! ```

use std::fmt;
use std::str::FromStr;

/// An eviction signal, spelt as the kubelet spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// `memory.available`: node memory capacity − working set.
    MemoryAvailable,
    /// `allocatableMemory.available`: memory available for pods (allocatable − pods' working set).
    AllocatableMemoryAvailable,
    /// `nodefs.available`: bytes available on the kubelet's root filesystem.
    NodeFsAvailable,
    /// `nodefs.inodesFree`: inodes free on the kubelet's root filesystem.
    NodeFsInodesFree,
    /// `imagefs.available`: bytes available on the runtime's image filesystem.
    ImageFsAvailable,
    /// `imagefs.inodesFree`: inodes free on the image filesystem.
    ImageFsInodesFree,
    /// `containerfs.available`: bytes available on the filesystem of containers' writable layers.
    ContainerFsAvailable,
    /// `containerfs.inodesFree`: inodes free on that filesystem.
    ContainerFsInodesFree,
    /// `pid.available`: process ids available (max − running).
    PidAvailable,
}

impl Signal {
    /// How many signals there are.
    pub const COUNT: usize = 9;

    /// Every signal, in declaration order (also the order of
    /// [`Signal::index`] and of `Ord`).
    pub const ALL: [Signal; Signal::COUNT] = [
        Signal::MemoryAvailable,
        Signal::AllocatableMemoryAvailable,
        Signal::NodeFsAvailable,
        Signal::NodeFsInodesFree,
        Signal::ImageFsAvailable,
        Signal::ImageFsInodesFree,
        Signal::ContainerFsAvailable,
        Signal::ContainerFsInodesFree,
        Signal::PidAvailable,
    ];

    /// Kubernetes' spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Signal::MemoryAvailable => "memory.available",
            Signal::AllocatableMemoryAvailable => "allocatableMemory.available",
            Signal::NodeFsAvailable => "nodefs.available",
            Signal::NodeFsInodesFree => "nodefs.inodesFree",
            Signal::ImageFsAvailable => "imagefs.available",
            Signal::ImageFsInodesFree => "imagefs.inodesFree",
            Signal::ContainerFsAvailable => "containerfs.available",
            Signal::ContainerFsInodesFree => "containerfs.inodesFree",
            Signal::PidAvailable => "pid.available",
        }
    }

    /// Position in [`Signal::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The resource the kubelet reclaims for this signal (`signalToResource`).
    pub const fn resource(self) -> StarvedResource {
        match self {
            Signal::MemoryAvailable | Signal::AllocatableMemoryAvailable => StarvedResource::Memory,
            Signal::NodeFsAvailable | Signal::ImageFsAvailable | Signal::ContainerFsAvailable => {
                StarvedResource::EphemeralStorage
            }
            Signal::NodeFsInodesFree
            | Signal::ImageFsInodesFree
            | Signal::ContainerFsInodesFree => StarvedResource::Inodes,
            Signal::PidAvailable => StarvedResource::Pids,
        }
    }

    /// The node condition a met threshold on this signal raises (`signalToNodeCondition`).
    pub const fn node_condition(self) -> NodeConditionType {
        match self.resource() {
            StarvedResource::Memory => NodeConditionType::MemoryPressure,
            StarvedResource::EphemeralStorage | StarvedResource::Inodes => {
                NodeConditionType::DiskPressure
            }
            StarvedResource::Pids => NodeConditionType::PidPressure,
        }
    }

    /// Whether observations of this signal count bytes (printed `BinarySI`)
    /// rather than inodes or processes (printed `DecimalSI`).
    pub const fn is_bytes(self) -> bool {
        matches!(
            self.resource(),
            StarvedResource::Memory | StarvedResource::EphemeralStorage
        )
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signal name the kubelet does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSignal(pub String);

impl fmt::Display for UnknownSignal {
    /// The kubelet's text: `unsupported eviction signal <name>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unsupported eviction signal {}", self.0)
    }
}

impl std::error::Error for UnknownSignal {}

impl FromStr for Signal {
    type Err = UnknownSignal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Signal::ALL
            .into_iter()
            .find(|sig| sig.as_str() == s)
            .ok_or_else(|| UnknownSignal(s.to_owned()))
    }
}

impl serde::Serialize for Signal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Signal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The resource an eviction reclaims, as it appears in the eviction message
/// (`The node was low on resource: <resource>.`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum StarvedResource {
    /// `memory`
    #[serde(rename = "memory")]
    Memory,
    /// `ephemeral-storage`
    #[serde(rename = "ephemeral-storage")]
    EphemeralStorage,
    /// `inodes` (internal to the eviction manager)
    #[serde(rename = "inodes")]
    Inodes,
    /// `pids` (internal to the eviction manager)
    #[serde(rename = "pids")]
    Pids,
}

impl StarvedResource {
    /// Kubernetes' spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            StarvedResource::Memory => "memory",
            StarvedResource::EphemeralStorage => "ephemeral-storage",
            StarvedResource::Inodes => "inodes",
            StarvedResource::Pids => "pids",
        }
    }
}

impl fmt::Display for StarvedResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A node pressure condition the eviction manager reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum NodeConditionType {
    /// `MemoryPressure`
    MemoryPressure,
    /// `DiskPressure`
    DiskPressure,
    /// `PIDPressure`
    #[serde(rename = "PIDPressure")]
    PidPressure,
}

impl NodeConditionType {
    /// The three conditions, in the order results list them.
    pub const ALL: [NodeConditionType; 3] = [
        NodeConditionType::MemoryPressure,
        NodeConditionType::DiskPressure,
        NodeConditionType::PidPressure,
    ];

    /// Kubernetes' spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            NodeConditionType::MemoryPressure => "MemoryPressure",
            NodeConditionType::DiskPressure => "DiskPressure",
            NodeConditionType::PidPressure => "PIDPressure",
        }
    }

    /// Position in [`NodeConditionType::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The `NoSchedule` taint the node-lifecycle controller puts on a node
    /// with this condition `True` (`doNoScheduleTaintingPass`).
    pub const fn taint_key(self) -> &'static str {
        match self {
            NodeConditionType::MemoryPressure => "node.kubernetes.io/memory-pressure",
            NodeConditionType::DiskPressure => "node.kubernetes.io/disk-pressure",
            NodeConditionType::PidPressure => "node.kubernetes.io/pid-pressure",
        }
    }

    /// The kubelet's `(reason, message)` for this condition with the given status
    /// (`pkg/kubelet/nodestatus/setters.go`).
    pub const fn reason_and_message(self, pressure: bool) -> (&'static str, &'static str) {
        match (self, pressure) {
            (NodeConditionType::MemoryPressure, true) => (
                "KubeletHasInsufficientMemory",
                "kubelet has insufficient memory available",
            ),
            (NodeConditionType::MemoryPressure, false) => (
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            (NodeConditionType::DiskPressure, true) => {
                ("KubeletHasDiskPressure", "kubelet has disk pressure")
            }
            (NodeConditionType::DiskPressure, false) => {
                ("KubeletHasNoDiskPressure", "kubelet has no disk pressure")
            }
            (NodeConditionType::PidPressure, true) => (
                "KubeletHasInsufficientPID",
                "kubelet has insufficient PID available",
            ),
            (NodeConditionType::PidPressure, false) => (
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
        }
    }
}

impl fmt::Display for NodeConditionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NodeConditionType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NodeConditionType::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown node condition {}", crate::quote::go_quote(s)))
    }
}
