//! The scheduling framework: status codes, the extension points
//! (PreFilter, Filter, PreScore, Score, NormalizeScore) as traits, and the
//! per-cycle state plugins share between them, and what a failed cycle
//! reports (`Diagnosis`, `FitError`, `NodeToStatus`, upstream's
//! `framework/types.go`), so plugins need nothing from the cycle.
//!
//! This mirrors `k8s.io/kube-scheduler/framework` (`interface.go`,
//! `cycle_state.go`): a plugin implements [`Plugin`] and exposes the
//! extension points it supports through the `as_*` methods, as a Go plugin
//! satisfies the `FilterPlugin`, `ScorePlugin`... interfaces.

mod fit_error;
mod node_to_status;

pub use fit_error::{Diagnosis, FitError, NO_NODE_AVAILABLE_MSG};
pub use node_to_status::NodeToStatus;

use crate::SortedSet;
use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::snapshot::{NodeInfo, PodInfo, Snapshot};

/// The highest score a plugin may give a node after normalization.
pub const MAX_NODE_SCORE: i64 = 100;
/// The lowest score.
pub const MIN_NODE_SCORE: i64 = 0;

/// The framework's extension points, by their upstream names
/// (`pkg/scheduler/framework/runtime/framework.go`'s `Run…Plugins`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ExtensionPoint {
    /// `RunPreFilterPlugins`.
    PreFilter,
    /// `RunFilterPlugins`.
    Filter,
    /// `RunPostFilterPlugins` (preemption).
    PostFilter,
    /// `RunPreScorePlugins`.
    PreScore,
    /// `RunScorePlugins`: Score.
    Score,
    /// `RunScorePlugins`: NormalizeScore.
    NormalizeScore,
}

impl ExtensionPoint {
    /// The upstream name (`PreFilter`, `NormalizeScore`...).
    pub const fn as_str(self) -> &'static str {
        match self {
            ExtensionPoint::PreFilter => "PreFilter",
            ExtensionPoint::Filter => "Filter",
            ExtensionPoint::PostFilter => "PostFilter",
            ExtensionPoint::PreScore => "PreScore",
            ExtensionPoint::Score => "Score",
            ExtensionPoint::NormalizeScore => "NormalizeScore",
        }
    }
}

impl fmt::Display for ExtensionPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status codes of the framework (`fwk.Code`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Code {
    /// The plugin ran and the pod may go on.
    #[default]
    Success,
    /// An internal error.
    Error,
    /// The pod does not fit; preemption may help.
    Unschedulable,
    /// The pod does not fit and preemption cannot help on this node.
    UnschedulableAndUnresolvable,
    /// Permit: wait.
    Wait,
    /// PreFilter/PreScore: this plugin is not relevant for this pod; its
    /// Filter/Score is not run in this cycle.
    Skip,
    /// The pod waits for something outside the scheduler.
    Pending,
}

impl Code {
    /// Kubernetes' spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Success => "Success",
            Code::Error => "Error",
            Code::Unschedulable => "Unschedulable",
            Code::UnschedulableAndUnresolvable => "UnschedulableAndUnresolvable",
            Code::Wait => "Wait",
            Code::Skip => "Skip",
            Code::Pending => "Pending",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reason text: a constant of the plugin (no allocation, the common case)
/// or a formatted message.
pub type Reason = Cow<'static, str>;

/// The reasons of a [`Status`]: a list of [`Reason`]s that holds one reason
/// without allocating (a rejection on each of thousands of nodes costs no
/// heap traffic). Derefs to a slice; compares with arrays and vectors of
/// strings.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Reasons(ReasonsRepr);

#[derive(Clone, Default, PartialEq, Eq)]
enum ReasonsRepr {
    #[default]
    None,
    One(Reason),
    Many(Vec<Reason>),
}

impl Reasons {
    /// No reason.
    pub const fn new() -> Self {
        Reasons(ReasonsRepr::None)
    }

    /// One reason.
    pub fn one(reason: impl Into<Reason>) -> Self {
        Reasons(ReasonsRepr::One(reason.into()))
    }

    /// Adds a reason.
    pub fn push(&mut self, reason: impl Into<Reason>) {
        let reason = reason.into();
        self.0 = match std::mem::take(&mut self.0) {
            ReasonsRepr::None => ReasonsRepr::One(reason),
            ReasonsRepr::One(first) => ReasonsRepr::Many(vec![first, reason]),
            ReasonsRepr::Many(mut v) => {
                v.push(reason);
                ReasonsRepr::Many(v)
            }
        };
    }
}

impl std::ops::Deref for Reasons {
    type Target = [Reason];
    fn deref(&self) -> &[Reason] {
        match &self.0 {
            ReasonsRepr::None => &[],
            ReasonsRepr::One(r) => std::slice::from_ref(r),
            ReasonsRepr::Many(v) => v,
        }
    }
}

impl fmt::Debug for Reasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<R: Into<Reason>> FromIterator<R> for Reasons {
    fn from_iter<I: IntoIterator<Item = R>>(iter: I) -> Self {
        let mut out = Reasons::new();
        for r in iter {
            out.push(r);
        }
        out
    }
}

impl<'a> IntoIterator for &'a Reasons {
    type Item = &'a Reason;
    type IntoIter = std::slice::Iter<'a, Reason>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for Reasons {
    fn eq(&self, other: &[S; N]) -> bool {
        self.len() == N && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Reasons {
    fn eq(&self, other: &Vec<S>) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl Serialize for Reasons {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Reasons {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(deserializer).map(|v| v.into_iter().collect())
    }
}

/// The result of running a plugin (`fwk.Status`): a code, the reasons, and
/// the plugin that returned it. A success, and a rejection with a constant
/// reason, allocate nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// The code.
    pub code: Code,
    /// The reasons, each counted separately in the FailedScheduling message.
    #[serde(default, skip_serializing_if = "Reasons::is_empty_list")]
    pub reasons: Reasons,
    /// The plugin that returned the status (set by the framework).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<Cow<'static, str>>,
}

impl Reasons {
    fn is_empty_list(&self) -> bool {
        self.is_empty()
    }
}

impl Status {
    /// Success.
    pub const fn success() -> Status {
        Status {
            code: Code::Success,
            reasons: Reasons::new(),
            plugin: None,
        }
    }

    /// A status with one reason.
    pub fn new(code: Code, reason: impl Into<Reason>) -> Status {
        Status {
            code,
            reasons: Reasons::one(reason),
            plugin: None,
        }
    }

    /// A status with several reasons.
    pub fn with_reasons<R: Into<Reason>>(
        code: Code,
        reasons: impl IntoIterator<Item = R>,
    ) -> Status {
        Status {
            code,
            reasons: reasons.into_iter().collect(),
            plugin: None,
        }
    }

    /// `Unschedulable` with one reason.
    pub fn unschedulable(reason: impl Into<Reason>) -> Status {
        Status::new(Code::Unschedulable, reason)
    }

    /// `UnschedulableAndUnresolvable` with one reason.
    pub fn unresolvable(reason: impl Into<Reason>) -> Status {
        Status::new(Code::UnschedulableAndUnresolvable, reason)
    }

    /// An internal error.
    pub fn error(message: impl Into<Reason>) -> Status {
        Status::new(Code::Error, message)
    }

    /// `Skip`.
    pub const fn skip() -> Status {
        Status {
            code: Code::Skip,
            reasons: Reasons::new(),
            plugin: None,
        }
    }

    /// Whether the code is `Success`.
    pub fn is_success(&self) -> bool {
        self.code == Code::Success
    }

    /// Whether the code is `Skip`.
    pub fn is_skip(&self) -> bool {
        self.code == Code::Skip
    }

    /// Whether the code is `Unschedulable` or `UnschedulableAndUnresolvable`.
    pub fn is_rejected(&self) -> bool {
        matches!(
            self.code,
            Code::Unschedulable | Code::UnschedulableAndUnresolvable
        )
    }

    /// The reasons joined with `", "` (`Status.Message()`).
    pub fn message(&self) -> String {
        self.reasons.join(", ")
    }

    /// This status, marked as returned by `plugin` (a plugin's name, usually
    /// a `&'static str`: no allocation).
    pub fn with_plugin(mut self, plugin: impl Into<Cow<'static, str>>) -> Status {
        self.plugin = Some(plugin.into());
        self
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reasons.is_empty() {
            f.write_str(self.code.as_str())
        } else {
            write!(f, "{}: {}", self.code, self.message())
        }
    }
}

/// What a PreFilter may say beyond its status: the only nodes worth
/// filtering (`fwk.PreFilterResult`). `None` means all nodes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreFilterResult {
    /// The node names, or `None` for every node.
    pub node_names: Option<SortedSet<String>>,
}

impl PreFilterResult {
    /// Every node.
    pub fn all_nodes() -> Self {
        PreFilterResult { node_names: None }
    }

    /// Whether this result allows every node.
    pub fn is_all_nodes(&self) -> bool {
        self.node_names.is_none()
    }

    /// The intersection of two results (`PreFilterResult.Merge`).
    pub fn merge(&self, other: &PreFilterResult) -> PreFilterResult {
        match (&self.node_names, &other.node_names) {
            (None, None) => PreFilterResult::all_nodes(),
            (Some(a), None) | (None, Some(a)) => PreFilterResult {
                node_names: Some(a.clone()),
            },
            (Some(a), Some(b)) => {
                let mut both = SortedSet::new();
                for n in a.iter().filter(|n| b.contains(*n)) {
                    both.insert(n.clone());
                }
                PreFilterResult {
                    node_names: Some(both),
                }
            }
        }
    }
}

/// A node's score from one plugin (`fwk.NodeScore`).
///
/// The name borrows the snapshot's node name: a cycle over thousands of
/// nodes copies no string and touches no reference count for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeScore<'a> {
    /// The node's name.
    pub name: &'a str,
    /// The score.
    pub score: i64,
}

/// Data a plugin stores in the cycle state; cloned when preemption
/// simulates removing pods from a node. (No `Debug` bound: the wasm build
/// would carry every state's `Debug` impl for [`CycleState`]'s, which
/// shows the states' type names instead.)
pub trait StateData: Any + Send + Sync {
    /// A boxed copy.
    fn clone_box(&self) -> Box<dyn StateData>;
    /// The state's type name.
    fn type_name(&self) -> &'static str;
    /// As `Any`, for downcasting.
    fn as_any(&self) -> &dyn Any;
    /// As mutable `Any`, for downcasting.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any + Clone + Send + Sync> StateData for T {
    fn clone_box(&self) -> Box<dyn StateData> {
        Box::new(self.clone())
    }
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The state of one scheduling cycle (`fwk.CycleState`): what PreFilter and
/// PreScore computed, keyed by type (each plugin stores its own state type),
/// plus the plugins that returned Skip.
#[derive(Default)]
pub struct CycleState {
    entries: Vec<(TypeId, Box<dyn StateData>)>,
    /// Plugins whose PreFilter returned Skip: their Filter is not run.
    pub skip_filter_plugins: PluginSet,
    /// Plugins whose PreScore returned Skip: their Score is not run.
    pub skip_score_plugins: PluginSet,
}

/// A set of plugin names (`sets.Set[string]` in `CycleState`), iterated in
/// name order: a sorted `Vec`, since a profile has a dozen plugins (the
/// browser bundle then carries no B-tree code for it).
///
/// ```
/// use kubelogic::scheduler::framework::PluginSet;
///
/// let mut set = PluginSet::default();
/// assert!(set.insert("NodePorts"));
/// assert!(set.insert("InterPodAffinity"));
/// assert!(!set.insert("NodePorts"));
/// assert!(set.contains("NodePorts") && !set.contains("NodeAffinity"));
/// assert_eq!(set.iter().collect::<Vec<_>>(), ["InterPodAffinity", "NodePorts"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PluginSet(Vec<&'static str>);

impl PluginSet {
    /// Adds `name`; whether it was not there yet.
    pub fn insert(&mut self, name: &'static str) -> bool {
        match self.0.binary_search(&name) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, name);
                true
            }
        }
    }

    /// Whether `name` is in the set.
    // `<[&'static str]>::contains` would need a `&'static str`; a binary
    // search adds 0.6 KB gzipped to the browser bundle for a dozen names.
    #[allow(clippy::manual_contains)]
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|n| *n == name)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many names the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The names in order.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().copied()
    }

    /// The names in order, as a slice.
    pub fn as_slice(&self) -> &[&'static str] {
        &self.0
    }
}

impl fmt::Debug for CycleState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CycleState")
            .field(
                "entries",
                &self
                    .entries
                    .iter()
                    .map(|(_, d)| StateData::type_name(d.as_ref()))
                    .collect::<Vec<_>>(),
            )
            .field("skip_filter_plugins", &self.skip_filter_plugins)
            .field("skip_score_plugins", &self.skip_score_plugins)
            .finish()
    }
}

impl Clone for CycleState {
    fn clone(&self) -> Self {
        CycleState {
            entries: self
                .entries
                .iter()
                .map(|(t, d)| (*t, (**d).clone_box()))
                .collect(),
            skip_filter_plugins: self.skip_filter_plugins.clone(),
            skip_score_plugins: self.skip_score_plugins.clone(),
        }
    }
}

impl CycleState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `data`, replacing any previous value of the same type.
    pub fn write<T: StateData + Clone>(&mut self, data: T) {
        let id = TypeId::of::<T>();
        match self.entries.iter_mut().find(|(t, _)| *t == id) {
            Some(slot) => slot.1 = Box::new(data),
            None => self.entries.push((id, Box::new(data))),
        }
    }

    /// The stored value of type `T`.
    pub fn read<T: StateData>(&self) -> Option<&T> {
        let id = TypeId::of::<T>();
        self.entries
            .iter()
            .find(|(t, _)| *t == id)
            .and_then(|(_, d)| (**d).as_any().downcast_ref::<T>())
    }

    /// The stored value of type `T`, mutably.
    pub fn read_mut<T: StateData>(&mut self) -> Option<&mut T> {
        let id = TypeId::of::<T>();
        self.entries
            .iter_mut()
            .find(|(t, _)| *t == id)
            .and_then(|(_, d)| (**d).as_any_mut().downcast_mut::<T>())
    }
}

/// The error a plugin returns when its state is missing (a Filter without
/// its PreFilter), in Kubernetes' words.
pub fn missing_state(key: &str) -> Status {
    Status::error(format!(
        "error reading {} from cycleState: not found",
        crate::quote::go_quote(key)
    ))
}

/// A scheduler plugin. Each extension point it implements is exposed through
/// the matching `as_*` method (a Go plugin satisfies the interface instead).
pub trait Plugin: Send + Sync {
    /// The plugin's name, as in KubeSchedulerConfiguration (`NodeResourcesFit`).
    fn name(&self) -> &'static str;
    /// The PreFilter extension point, if implemented.
    fn as_pre_filter(&self) -> Option<&dyn PreFilterPlugin> {
        None
    }
    /// The Filter extension point, if implemented.
    fn as_filter(&self) -> Option<&dyn FilterPlugin> {
        None
    }
    /// The PreScore extension point, if implemented.
    fn as_pre_score(&self) -> Option<&dyn PreScorePlugin> {
        None
    }
    /// The Score (and NormalizeScore) extension point, if implemented.
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        None
    }
}

/// Implements [`Plugin`] for an in-tree plugin: its upstream name and the
/// extension points it implements, once, e.g.
/// `plugin!(NodePorts, names::NODE_PORTS, [PreFilter, Filter]);`
/// (each point's trait must be implemented by the type).
macro_rules! plugin {
    ($ty:ty, $name:expr, [$($point:ident),* $(,)?]) => {
        impl $crate::scheduler::framework::Plugin for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            $( $crate::scheduler::framework::plugin!(@$point); )*
        }
    };
    (@PreFilter) => {
        fn as_pre_filter(&self) -> Option<&dyn $crate::scheduler::framework::PreFilterPlugin> {
            Some(self)
        }
    };
    (@Filter) => {
        fn as_filter(&self) -> Option<&dyn $crate::scheduler::framework::FilterPlugin> {
            Some(self)
        }
    };
    (@PreScore) => {
        fn as_pre_score(&self) -> Option<&dyn $crate::scheduler::framework::PreScorePlugin> {
            Some(self)
        }
    };
    (@Score) => {
        fn as_score(&self) -> Option<&dyn $crate::scheduler::framework::ScorePlugin> {
            Some(self)
        }
    };
}
pub(crate) use plugin;

/// PreFilter: runs once per cycle before filtering; may store state, narrow
/// the nodes, reject the pod outright, or return Skip.
pub trait PreFilterPlugin {
    /// `PreFilter(ctx, state, pod, nodes)`.
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> (Option<PreFilterResult>, Status);

    /// `PreFilterExtensions.AddPod`: update the state as if `pod_to_add` ran
    /// on `node` (used by preemption and nominated pods).
    fn add_pod(
        &self,
        _state: &mut CycleState,
        _pod: &PodInfo,
        _pod_to_add: &PodInfo,
        _node: &NodeInfo,
        _snapshot: &Snapshot,
    ) -> Status {
        Status::success()
    }

    /// `PreFilterExtensions.RemovePod`: update the state as if
    /// `pod_to_remove` were gone from `node`.
    fn remove_pod(
        &self,
        _state: &mut CycleState,
        _pod: &PodInfo,
        _pod_to_remove: &PodInfo,
        _node: &NodeInfo,
        _snapshot: &Snapshot,
    ) -> Status {
        Status::success()
    }
}

/// Filter: whether the pod may run on one node.
pub trait FilterPlugin {
    /// `Filter(ctx, state, pod, nodeInfo)`.
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status;

    /// Filters a batch of nodes: pushes `(position in nodes, status)` for
    /// each node that does not pass, in order. This is what the cycle calls
    /// when it filters every node (plugin by plugin, each node until its
    /// first rejection: the same statuses as node by node).
    ///
    /// The default calls `Filter` per node (statically: no dynamic call per
    /// node); a plugin overrides it to read its [`CycleState`] once.
    fn filter_nodes(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        rejected: &mut Vec<(usize, Status)>,
    ) {
        for (k, node) in nodes.iter().enumerate() {
            let status = self.filter(state, pod, node);
            if !status.is_success() {
                rejected.push((k, status));
            }
        }
    }
}

/// PreScore: runs once per cycle over the feasible nodes before scoring.
pub trait PreScorePlugin {
    /// `PreScore(ctx, state, pod, nodes)`; `nodes` are the feasible nodes.
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status;
}

/// Score: ranks one feasible node; NormalizeScore then maps the scores of
/// all nodes into `0..=100`.
pub trait ScorePlugin {
    /// `Score(ctx, state, pod, nodeInfo)`.
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status>;

    /// Scores every node of `nodes` into the matching entry of `scores`
    /// (same length and order; the names are already set), stopping at the
    /// first error. This is what the cycle calls.
    ///
    /// Upstream calls `Score` once per node. The default here does the
    /// same; a plugin overrides it to read its [`CycleState`] once per
    /// cycle instead of once per node (the answer must not change: the
    /// property tests compare both).
    fn score_nodes(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        for (node, slot) in nodes.iter().zip(scores.iter_mut()) {
            slot.score = self.score(state, pod, node)?;
        }
        Ok(())
    }

    /// `ScoreExtensions()`: the plugin's NormalizeScore, if it has one
    /// (`None`: its scores are already in `0..=100` and are used as they are).
    fn score_extensions(&self) -> Option<&dyn ScoreExtensions> {
        None
    }

    /// NormalizeScore through [`ScorePlugin::score_extensions`] when the
    /// plugin has it; success otherwise.
    fn normalize(&self, state: &CycleState, pod: &PodInfo, scores: &mut [NodeScore<'_>]) -> Status {
        match self.score_extensions() {
            Some(ext) => ext.normalize_score(state, pod, scores),
            None => Status::success(),
        }
    }
}

/// Sets the score of every node of `nodes` (the matching entry of
/// `scores`) from `score_node`: the loop of a [`ScorePlugin::score_nodes`]
/// that has read its state once.
pub fn fill_scores<'n>(
    nodes: &[&'n NodeInfo],
    scores: &mut [NodeScore<'_>],
    mut score_node: impl FnMut(&'n NodeInfo) -> i64,
) {
    for (node, slot) in nodes.iter().zip(scores.iter_mut()) {
        slot.score = score_node(node);
    }
}

/// `ScoreExtensions`: what a Score plugin may add after scoring every node.
pub trait ScoreExtensions {
    /// `NormalizeScore`: maps the scores of all nodes into `0..=100`.
    fn normalize_score(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        scores: &mut [NodeScore<'_>],
    ) -> Status;
}

/// `a * b`, saturating at the `i64` range: [`i64::saturating_mul`] with a
/// fast path when both factors are small (the common case for scores and
/// weights), which spares wasm32 the 128-bit multiply call that the
/// overflow check otherwise compiles to.
#[inline(always)]
pub fn mul_saturating(a: i64, b: i64) -> i64 {
    const SMALL: i64 = 1 << 31;
    if (-SMALL..SMALL).contains(&a) && (-SMALL..SMALL).contains(&b) {
        a * b
    } else {
        a.saturating_mul(b)
    }
}

/// `a * b` when it fits an `i64`, with the same fast path as
/// [`mul_saturating`].
#[inline(always)]
pub fn mul_checked(a: i64, b: i64) -> Option<i64> {
    const SMALL: i64 = 1 << 31;
    if (-SMALL..SMALL).contains(&a) && (-SMALL..SMALL).contains(&b) {
        Some(a * b)
    } else {
        a.checked_mul(b)
    }
}

/// `helper.DefaultNormalizeScore`: scales scores so the highest becomes
/// `max_priority` (integer arithmetic), optionally reversed.
pub fn default_normalize_score(max_priority: i64, reverse: bool, scores: &mut [NodeScore<'_>]) {
    let max_count = scores.iter().map(|s| s.score).max().unwrap_or(0);
    if max_count == 0 {
        if reverse {
            for s in scores.iter_mut() {
                s.score = max_priority;
            }
        }
        return;
    }
    for s in scores.iter_mut() {
        let mut score = max_priority * s.score / max_count;
        if reverse {
            score = max_priority - score;
        }
        s.score = score;
    }
}
