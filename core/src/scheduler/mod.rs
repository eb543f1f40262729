//! kube-scheduler: the framework, the in-tree plugins and the scheduling cycle.
//!
//! - [`framework`]: status codes, extension-point traits, cycle state.
//! - [`snapshot`]: `NodeInfo`, `PodInfo` and the cluster [`Snapshot`].
//! - [`plugins`]: one module per upstream plugin, and the registry.
//! - [`profile`]: the plugin set with weights and args, and the runtime that runs an extension point.

pub mod framework;
pub mod index;
pub mod plugins;
pub mod profile;
pub mod snapshot;

pub use framework::{Code, CycleState, NodeScore, Plugin, PreFilterResult, Status};
pub use plugins::ConfigError;
pub use profile::{Profile, ProfilePlugin};
pub use snapshot::{NodeInfo, PodInfo, Resource, Snapshot};
