//! A scheduling profile: which plugins run, in which order, with which
//! weights and args — `KubeSchedulerProfile` — and the framework runtime that
//! runs an extension point over all of them (`frameworkImpl.RunFilterPlugins`, ...).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::framework::{
    Code, CycleState, FilterPlugin, Plugin, PreFilterPlugin, PreFilterResult, Status,
};
use super::plugins::defaultpreemption::DefaultPreemption;
use super::plugins::{names, new_plugin, ConfigError};
use super::snapshot::{NodeInfo, PodInfo, Snapshot};
use crate::model::validation::FieldErrorType;
use crate::FeatureGates;

/// The default profile's plugins in order, with their score weights
/// (`getDefaultPlugins`, v1.35). Volume plugins and DynamicResources are
/// no-ops for the pods kubelogic models and are left out.
pub const DEFAULT_PLUGINS: &[(&str, i64)] = &[
    (names::NODE_UNSCHEDULABLE, 0),
    (names::NODE_NAME, 0),
    (names::TAINT_TOLERATION, 3),
    (names::NODE_AFFINITY, 2),
    (names::NODE_PORTS, 0),
    (names::NODE_RESOURCES_FIT, 1),
    (names::POD_TOPOLOGY_SPREAD, 2),
    (names::INTER_POD_AFFINITY, 2),
    (names::NODE_RESOURCES_BALANCED_ALLOCATION, 1),
    (names::IMAGE_LOCALITY, 1),
];

/// What [`Profile::run_pre_filter_plugins`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreFilterOutcome {
    /// The intersection of the PreFilterResults (all nodes when none narrowed).
    pub result: PreFilterResult,
    /// Success, the rejecting status (with its plugin), or an error.
    pub status: Status,
    /// The plugins whose PreFilterResult narrowed the nodes, sorted.
    pub plugins_with_nodes: Vec<&'static str>,
}

/// A plugin of a profile with its score weight.
pub struct ProfilePlugin {
    /// The plugin.
    pub plugin: Box<dyn Plugin>,
    /// The score weight (1 when the plugin scores and none was given).
    pub weight: i64,
}

/// The plugin by name (plugins are not `Debug`: their vtables would carry
/// every plugin's and every argument type's `Debug` code into the browser
/// bundle).
impl fmt::Debug for ProfilePlugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfilePlugin")
            .field("plugin", &self.plugin.name())
            .field("weight", &self.weight)
            .finish()
    }
}

/// A scheduling profile.
#[derive(Debug)]
pub struct Profile {
    /// `schedulerName`.
    pub scheduler_name: String,
    /// The plugins, in the order their extension points run.
    pub plugins: Vec<ProfilePlugin>,
    /// The PostFilter extension point: DefaultPreemption, built and its
    /// args validated once here (`None`: the profile does not preempt).
    pub default_preemption: Option<DefaultPreemption>,
    /// `percentageOfNodesToScore`: `None` scores every feasible node
    /// (kubelogic's default); `Some(0)` is upstream's adaptive default.
    pub percentage_of_nodes_to_score: Option<u32>,
    /// The feature gates.
    pub gates: FeatureGates,
}

impl Profile {
    /// The default profile (`default-scheduler`) with DefaultPreemption.
    pub fn default_profile(gates: FeatureGates) -> Result<Profile, ConfigError> {
        Profile::new(None, &BTreeMap::new(), gates)
    }

    /// A profile with exactly the named plugins enabled (`None`: the default
    /// set plus DefaultPreemption), run in the default profile's order with
    /// its weights, each with its args from `plugin_config`.
    pub fn new(
        enabled: Option<&[String]>,
        plugin_config: &BTreeMap<String, Value>,
        gates: FeatureGates,
    ) -> Result<Profile, ConfigError> {
        let is_enabled = |name: &str| enabled.is_none_or(|list| list.iter().any(|n| n == name));
        if let Some(list) = enabled {
            for name in list {
                let known = DEFAULT_PLUGINS.iter().any(|(n, _)| n == name)
                    || name == names::DEFAULT_PREEMPTION
                    || name == names::PRIORITY_SORT
                    || name == names::DEFAULT_BINDER;
                if !known {
                    return Err(ConfigError::new(
                        name,
                        "",
                        FieldErrorType::NotSupported,
                        format!("unknown plugin {}", crate::quote::go_quote(name)),
                    ));
                }
            }
        }
        let mut plugins = Vec::new();
        for (name, weight) in DEFAULT_PLUGINS {
            if is_enabled(name) {
                let plugin = new_plugin(name, plugin_config.get(*name), &gates)?;
                let weight = if plugin.as_score().is_some() {
                    (*weight).max(1)
                } else {
                    0
                };
                plugins.push(ProfilePlugin { plugin, weight });
            }
        }
        let default_preemption = if is_enabled(names::DEFAULT_PREEMPTION) {
            Some(DefaultPreemption::new(
                plugin_config.get(names::DEFAULT_PREEMPTION),
            )?)
        } else {
            None
        };
        Ok(Profile {
            scheduler_name: "default-scheduler".to_owned(),
            plugins,
            default_preemption,
            percentage_of_nodes_to_score: None,
            gates,
        })
    }

    /// `RunPreFilterPlugins`: runs every PreFilter; Skip marks the plugin's
    /// Filter as skipped; the first `UnschedulableAndUnresolvable` stops at
    /// once; an `Unschedulable` is remembered and returned after the others
    /// ran; results are intersected. The status names the rejecting plugin.
    pub fn run_pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> (PreFilterResult, Status) {
        let outcome = self.run_pre_filter_plugins(state, pod, snapshot);
        (outcome.result, outcome.status)
    }

    /// [`Profile::run_pre_filter`], also returning the plugins whose
    /// PreFilterResult narrowed the nodes (upstream's third return value,
    /// used for the `node(s) didn't satisfy plugin(s) [...]` status).
    pub fn run_pre_filter_plugins(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> PreFilterOutcome {
        let mut result = PreFilterResult::all_nodes();
        let mut restricting: Vec<&'static str> = Vec::new();
        let mut rejected: Option<Status> = None;
        let outcome = |result, status, mut plugins: Vec<&'static str>| {
            plugins.sort();
            PreFilterOutcome {
                result,
                status,
                plugins_with_nodes: plugins,
            }
        };
        for p in &self.plugins {
            let Some(pf) = p.plugin.as_pre_filter() else {
                continue;
            };
            let (r, status) = pf.pre_filter(state, pod, snapshot);
            match status.code {
                Code::Success => {}
                Code::Skip => {
                    state.skip_filter_plugins.insert(p.plugin.name());
                    continue;
                }
                Code::UnschedulableAndUnresolvable => {
                    return outcome(result, status.with_plugin(p.plugin.name()), Vec::new());
                }
                Code::Unschedulable => {
                    if rejected.is_none() {
                        rejected = Some(status.with_plugin(p.plugin.name()));
                    }
                    continue;
                }
                _ => {
                    let msg = format!(
                        "running PreFilter plugin {}: {}",
                        crate::quote::go_quote(p.plugin.name()),
                        status.message()
                    );
                    let status = Status::error(msg).with_plugin(p.plugin.name());
                    return outcome(result, status, Vec::new());
                }
            }
            if let Some(r) = r.filter(|r| !r.is_all_nodes()) {
                result = result.merge(&r);
                restricting.push(p.plugin.name());
                if result.node_names.as_ref().is_some_and(|n| n.is_empty()) {
                    let msg = if restricting.len() == 1 {
                        format!("node(s) didn't satisfy plugin {}", restricting.join(" "))
                    } else {
                        let mut sorted = restricting.clone();
                        sorted.sort();
                        format!(
                            "node(s) didn't satisfy plugin(s) [{}] simultaneously",
                            sorted.join(" ")
                        )
                    };
                    return outcome(result, Status::unresolvable(msg), restricting);
                }
            }
        }
        let status = rejected.unwrap_or_else(Status::success);
        outcome(result, status, restricting)
    }

    /// `RunFilterPlugins`: the Filters in order (those PreFilter did not
    /// skip), stopping at the first failure, which is returned with the
    /// plugin's name ([`run_filter_plugins`]).
    pub fn run_filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let filters = self.plugins.iter().filter_map(|p| {
            let name = p.plugin.name();
            if state.skip_filter_plugins.contains(name) {
                return None;
            }
            p.plugin.as_filter().map(|f| (name, f))
        });
        run_filter_plugins(filters, state, pod, node)
    }

    /// `RunFilterPluginsWithNominatedPods`: when pods of at least the pod's
    /// priority are nominated to the node, the Filters run first as if they
    /// were on it (added to a copy of the node and, through AddPod, of the
    /// cycle state), and, if that passes, again without them (a filter such
    /// as inter-pod affinity may need them absent). Otherwise
    /// [`Profile::run_filter`] once.
    pub fn run_filter_with_nominated_pods(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        snapshot: &Snapshot,
    ) -> Status {
        if !snapshot.has_nominated_pods() {
            return self.run_filter(state, pod, node);
        }
        let nominated = snapshot
            .node_index(node.name())
            .map_or(&[][..], |i| snapshot.nominated_pods(i));
        let priority = pod.pod.priority();
        let key = pod.pod.key();
        let mut added = nominated
            .iter()
            .filter(|p| p.pod.priority() >= priority && p.pod.key() != key)
            .peekable();
        if added.peek().is_none() {
            return self.run_filter(state, pod, node);
        }
        let mut node_with = node.clone();
        let mut state_with = state.clone();
        for p in added {
            node_with.add_pod(Arc::clone(p));
            let s = self.run_add_pod(&mut state_with, pod, p, &node_with, snapshot);
            if !s.is_success() {
                let plugin = s.plugin.clone().unwrap_or_default();
                return Status::error(s.message()).with_plugin(plugin);
            }
        }
        let status = self.run_filter(&state_with, pod, &node_with);
        if !status.is_success() {
            return status;
        }
        self.run_filter(state, pod, node)
    }

    /// `RunPreFilterExtensionAddPod` for every PreFilter that ran.
    pub fn run_add_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        pod_to_add: &PodInfo,
        node: &NodeInfo,
        snapshot: &Snapshot,
    ) -> Status {
        self.run_pre_filter_extension(state, |pf, state| {
            pf.add_pod(state, pod, pod_to_add, node, snapshot)
        })
    }

    /// `RunPreFilterExtensionRemovePod` for every PreFilter that ran.
    pub fn run_remove_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        pod_to_remove: &PodInfo,
        node: &NodeInfo,
        snapshot: &Snapshot,
    ) -> Status {
        self.run_pre_filter_extension(state, |pf, state| {
            pf.remove_pod(state, pod, pod_to_remove, node, snapshot)
        })
    }

    /// Runs one PreFilter extension of every plugin whose PreFilter was not
    /// skipped, stopping at the first failure (named after its plugin).
    fn run_pre_filter_extension(
        &self,
        state: &mut CycleState,
        mut run: impl FnMut(&dyn PreFilterPlugin, &mut CycleState) -> Status,
    ) -> Status {
        for p in &self.plugins {
            if state.skip_filter_plugins.contains(p.plugin.name()) {
                continue;
            }
            if let Some(pf) = p.plugin.as_pre_filter() {
                let s = run(pf, state);
                if !s.is_success() {
                    return s.with_plugin(p.plugin.name());
                }
            }
        }
        Status::success()
    }
}

/// `RunFilterPlugins`' loop, the one filter runtime: each Filter in turn,
/// stopping at the first that does not pass. A rejection is returned with
/// the plugin's name; any other failure becomes an Error status
/// `running "<plugin>" filter plugin: <message>`, as upstream wraps it.
pub fn run_filter_plugins<'a>(
    filters: impl IntoIterator<Item = (&'static str, &'a dyn FilterPlugin)>,
    state: &CycleState,
    pod: &PodInfo,
    node: &NodeInfo,
) -> Status {
    for (name, f) in filters {
        let status = f.filter(state, pod, node);
        if !status.is_success() {
            if !status.is_rejected() {
                let msg = format!(
                    "running {} filter plugin: {}",
                    crate::quote::go_quote(name),
                    status.message()
                );
                return Status::error(msg).with_plugin(name);
            }
            return status.with_plugin(name);
        }
    }
    Status::success()
}
