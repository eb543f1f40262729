//! kube-scheduler: the framework, the in-tree plugins and the scheduling cycle.
//!
//! - [`framework`]: status codes, extension-point traits, cycle state.
//! - [`snapshot`]: `NodeInfo`, `PodInfo` and the cluster [`Snapshot`].
//! - [`types`]: `Resource` and `calculateResource`, the integer accounting of requests.
//! - [`plugins`]: one module per upstream plugin, and the registry.
//! - [`cycle`]: one scheduling cycle ([`schedule`]) and the FailedScheduling message.
//! - [`preemption`]: candidates, victims and the node choice of preemption.
//! - [`place`]: [`place_all`], pods scheduled and bound one after another.
//! - [`profile`]: the plugin set with weights and args, and the runtime that runs an extension point.

pub mod cycle;
pub mod framework;
pub mod index;
pub mod place;
pub mod plugins;
pub mod preemption;
pub mod profile;
pub mod snapshot;
pub mod types;

pub use cycle::{schedule, FitError, NodeToStatus, ScheduleResult};
pub use framework::{
    Code, CycleState, NodeScore, Plugin, PreFilterResult, Reason, Reasons, Status,
};
pub use place::{place_all, Placement};
pub use plugins::ConfigError;
pub use profile::{Profile, ProfilePlugin};
pub use snapshot::{NodeInfo, PodInfo, Snapshot, SnapshotError};
pub use types::{PodRequestsSummary, Resource};
