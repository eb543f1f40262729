//! The in-tree plugins, one file per plugin as upstream
//! (`pkg/scheduler/framework/plugins/<name>`), and the registry that builds
//! them from KubeSchedulerConfiguration args.

pub mod defaultpreemption;
pub mod imagelocality;
pub mod interpodaffinity;
pub mod names;
pub mod nodeaffinity;
pub mod nodename;
pub mod nodeports;
pub mod noderesources;
pub mod nodeunschedulable;
pub mod podtopologyspread;
pub mod tainttoleration;

use crate::model::validation::FieldErrorType;
use std::fmt;

use serde_json::Value;

use super::framework::Plugin;
use crate::model::validation::FieldError;
use crate::FeatureGates;

/// Plugin args that fail validation (as `field.Error`): the field path
/// within the args and the error type (`FieldValueInvalid`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigError {
    /// The plugin.
    pub plugin: String,
    /// The field path inside the plugin's args, e.g. `scoringStrategy.resources[0].weight`.
    pub field: String,
    /// `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`...
    pub error_type: FieldErrorType,
    /// The message.
    pub message: String,
}

impl ConfigError {
    /// An error of `error_type` at `field`.
    pub fn new(
        plugin: &str,
        field: &str,
        error_type: FieldErrorType,
        message: impl Into<String>,
    ) -> Self {
        ConfigError {
            plugin: plugin.to_owned(),
            field: field.to_owned(),
            error_type,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} args: {}: {} ({})",
            self.plugin,
            self.field,
            self.message,
            self.error_type.as_str()
        )
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// A validation error of `plugin`'s args.
    pub fn from_field_error(plugin: &str, e: &FieldError) -> Self {
        ConfigError::new(plugin, &e.field, e.error_type, e.to_string())
    }
}

/// Decodes a plugin's args (KubeSchedulerConfiguration JSON; `None` or
/// `null`: the defaults). A field of the wrong shape is `FieldValueInvalid`
/// at its path.
pub fn decode_args<T: serde::de::DeserializeOwned + Default>(
    plugin: &str,
    args: Option<&Value>,
) -> Result<T, ConfigError> {
    match args {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => crate::model::from_value(v).map_err(|e| {
            ConfigError::new(plugin, e.path(), FieldErrorType::Invalid, e.to_string())
        }),
    }
}

/// Builds a plugin by its upstream name with its args (KubeSchedulerConfiguration
/// JSON form; `None` for the defaults).
pub fn new_plugin(
    name: &str,
    args: Option<&Value>,
    gates: &FeatureGates,
) -> Result<Box<dyn Plugin>, ConfigError> {
    match name {
        names::NODE_UNSCHEDULABLE => Ok(Box::new(nodeunschedulable::NodeUnschedulable)),
        names::NODE_NAME => Ok(Box::new(nodename::NodeName)),
        names::TAINT_TOLERATION => Ok(Box::new(tainttoleration::TaintToleration::new(gates))),
        names::NODE_AFFINITY => Ok(Box::new(nodeaffinity::NodeAffinity::new(args)?)),
        names::NODE_RESOURCES_FIT => Ok(Box::new(noderesources::Fit::new(args, gates)?)),
        names::NODE_RESOURCES_BALANCED_ALLOCATION => {
            Ok(Box::new(noderesources::BalancedAllocation::new(args)?))
        }
        names::NODE_PORTS => Ok(Box::new(nodeports::NodePorts)),
        names::IMAGE_LOCALITY => Ok(Box::new(imagelocality::ImageLocality)),
        names::INTER_POD_AFFINITY => Ok(Box::new(interpodaffinity::InterPodAffinity::new(args)?)),
        names::POD_TOPOLOGY_SPREAD => Ok(Box::new(podtopologyspread::PodTopologySpread::new(
            args, gates,
        )?)),
        other => Err(ConfigError::new(
            other,
            "",
            FieldErrorType::NotSupported,
            format!("unknown plugin {}", crate::quote::go_quote(other)),
        )),
    }
}
