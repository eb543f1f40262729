//! DefaultPreemption, the PostFilter: when no node fits, find the nodes
//! where evicting lower-priority pods lets the pod in, pick one by
//! upstream's criteria and nominate the pod there
//! (`pkg/scheduler/framework/plugins/defaultpreemption` with the evaluator
//! of `pkg/scheduler/framework/preemption`).
//!
//! Deterministic where upstream is random: the dry run starts at the first
//! potential node (offset 0) and visits nodes in snapshot order, and a tie
//! after every criterion goes to the first candidate in that order.

use crate::model::validation::FieldErrorType;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{Pod, PodDisruptionBudget, PreemptionPolicy};
use crate::scheduler::framework::{Code, CycleState, Status};
use crate::scheduler::framework::{Diagnosis, FitError, NodeToStatus};
use crate::scheduler::plugins::{names, ConfigError};
use crate::scheduler::preemption::{
    importance_order, pick_one_node_for_preemption, Candidate, PreemptionResult,
};
use crate::scheduler::profile::Profile;
use crate::scheduler::snapshot::{NodeInfo, PodInfo, Snapshot};

/// `No preemption victims found for incoming pod`.
pub const ERR_NO_VICTIMS: &str = "No preemption victims found for incoming pod";
/// `Preemption is not helpful for scheduling`.
pub const ERR_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
/// `not eligible due to preemptionPolicy=Never.`
pub const ERR_PREEMPT_NEVER: &str = "not eligible due to preemptionPolicy=Never.";
/// `not eligible due to a terminating pod on the nominated node.`
pub const ERR_TERMINATING_ON_NOMINATED: &str =
    "not eligible due to a terminating pod on the nominated node.";

/// `DefaultPreemptionArgs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DefaultPreemptionArgs {
    /// `minCandidateNodesPercentage` (default 10).
    pub min_candidate_nodes_percentage: i32,
    /// `minCandidateNodesAbsolute` (default 100).
    pub min_candidate_nodes_absolute: i32,
}

impl Default for DefaultPreemptionArgs {
    fn default() -> Self {
        DefaultPreemptionArgs {
            min_candidate_nodes_percentage: 10,
            min_candidate_nodes_absolute: 100,
        }
    }
}

fn config_error(field: &str, ty: FieldErrorType, message: impl Into<String>) -> ConfigError {
    ConfigError::new(names::DEFAULT_PREEMPTION, field, ty, message)
}

impl DefaultPreemptionArgs {
    /// Reads the args in KubeSchedulerConfiguration JSON form (`null` or
    /// absent: the defaults) and validates them (`ValidateDefaultPreemptionArgs`).
    ///
    /// ```
    /// use kubelogic::scheduler::plugins::defaultpreemption::DefaultPreemptionArgs;
    /// let args = DefaultPreemptionArgs::from_value(Some(&serde_json::json!(
    ///     {"minCandidateNodesPercentage": 20}))).unwrap();
    /// assert_eq!((args.min_candidate_nodes_percentage, args.min_candidate_nodes_absolute), (20, 100));
    /// let err = DefaultPreemptionArgs::from_value(Some(&serde_json::json!(
    ///     {"minCandidateNodesPercentage": 101}))).unwrap_err();
    /// assert_eq!(err.field, "minCandidateNodesPercentage");
    /// ```
    pub fn from_value(value: Option<&Value>) -> Result<Self, ConfigError> {
        let mut args = DefaultPreemptionArgs::default();
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return Ok(args);
        };
        let Some(map) = value.as_object() else {
            return Err(config_error(
                "",
                FieldErrorType::Invalid,
                "args must be an object",
            ));
        };
        for (key, v) in map {
            let slot = match key.as_str() {
                "minCandidateNodesPercentage" => &mut args.min_candidate_nodes_percentage,
                "minCandidateNodesAbsolute" => &mut args.min_candidate_nodes_absolute,
                "apiVersion" | "kind" => continue,
                other => {
                    return Err(config_error(
                        other,
                        FieldErrorType::NotSupported,
                        format!("unknown field {}", crate::quote::go_quote(other)),
                    ))
                }
            };
            *slot = v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| config_error(key, FieldErrorType::Invalid, "must be an int32"))?;
        }
        args.validate()?;
        Ok(args)
    }

    /// `ValidateDefaultPreemptionArgs`: the first error found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let p = self.min_candidate_nodes_percentage;
        let a = self.min_candidate_nodes_absolute;
        if !(0..=100).contains(&p) {
            return Err(config_error(
                "minCandidateNodesPercentage",
                FieldErrorType::Invalid,
                "not in valid range [0, 100]",
            ));
        }
        if a < 0 {
            return Err(config_error(
                "minCandidateNodesAbsolute",
                FieldErrorType::Invalid,
                "not in valid range [0, inf)",
            ));
        }
        if p == 0 && a == 0 {
            return Err(config_error(
                "minCandidateNodesPercentage",
                FieldErrorType::Invalid,
                "cannot be zero at the same time as minCandidateNodesAbsolute",
            ));
        }
        Ok(())
    }
}

/// The DefaultPreemption plugin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DefaultPreemption {
    /// The args.
    pub args: DefaultPreemptionArgs,
}

/// What the dry run found: the candidates (non-violating first) and the
/// status of every potential node that is not one.
#[derive(Debug)]
pub struct DryRun {
    /// The candidates.
    pub candidates: Vec<Candidate>,
    /// The statuses of the nodes that are not candidates.
    pub node_to_status: NodeToStatus,
    /// Internal errors met on some nodes.
    pub errors: Vec<String>,
}

/// `podTerminatingByPreemption`: being deleted with a true `DisruptionTarget`
/// condition whose reason is `PreemptionByScheduler`.
pub fn pod_terminating_by_preemption(pod: &Pod) -> bool {
    if pod.metadata.deletion_timestamp.is_none() {
        return false;
    }
    pod.status
        .conditions
        .iter()
        .find(|c| c.type_ == "DisruptionTarget")
        .is_some_and(|c| c.status == "True" && c.reason.as_deref() == Some("PreemptionByScheduler"))
}

/// `isPreemptionAllowed` (with the default `IsEligiblePod`): the victim has
/// a strictly lower priority than the preemptor.
pub fn is_preemption_allowed(victim: &Pod, preemptor: &Pod) -> bool {
    victim.priority() < preemptor.priority()
}

/// `filterPodsWithPDBViolation`: splits `pods` (order kept) into those whose
/// eviction would exceed a PodDisruptionBudget's `disruptionsAllowed` and
/// the others. A PDB applies to pods of its namespace matched by a non-empty
/// selector; pods already in its `disruptedPods` do not use up the budget.
pub fn filter_pods_with_pdb_violation(
    pods: Vec<Arc<PodInfo>>,
    pdbs: &[PodDisruptionBudget],
) -> (Vec<Arc<PodInfo>>, Vec<Arc<PodInfo>>) {
    let mut allowed: Vec<i64> = pdbs
        .iter()
        .map(|p| i64::from(p.status.disruptions_allowed))
        .collect();
    let mut violating = Vec::new();
    let mut non_violating = Vec::new();
    for info in pods {
        let pod = &info.pod;
        let mut violated = false;
        if !pod.metadata.labels.is_empty() {
            for (pdb, left) in pdbs.iter().zip(allowed.iter_mut()) {
                if pdb.metadata.namespace() != pod.metadata.namespace() {
                    continue;
                }
                let Some(selector) = &pdb.spec.selector else {
                    continue;
                };
                if selector.validate().is_err()
                    || selector.is_empty()
                    || !selector.matches_unchecked(pod.labels())
                {
                    continue;
                }
                if pdb.status.disrupted_pods.contains_key(pod.metadata.name()) {
                    continue;
                }
                *left -= 1;
                if *left < 0 {
                    violated = true;
                }
            }
        }
        if violated {
            violating.push(info);
        } else {
            non_violating.push(info);
        }
    }
    (violating, non_violating)
}

impl DefaultPreemption {
    /// The plugin with its args (KubeSchedulerConfiguration JSON form).
    pub fn new(args: Option<&Value>) -> Result<Self, ConfigError> {
        Ok(DefaultPreemption {
            args: DefaultPreemptionArgs::from_value(args)?,
        })
    }

    /// `calculateNumCandidates`: `max(n·percentage/100, absolute)`, at most `n`.
    pub fn calculate_num_candidates(&self, num_nodes: usize) -> usize {
        let pct = usize::try_from(self.args.min_candidate_nodes_percentage).unwrap_or(0);
        let abs = usize::try_from(self.args.min_candidate_nodes_absolute).unwrap_or(0);
        (num_nodes.saturating_mul(pct) / 100)
            .max(abs)
            .min(num_nodes)
    }

    /// `PodEligibleToPreemptOthers`: `Err(reason)` when the pod must not
    /// preempt: `preemptionPolicy: Never`, or its nominated node (unless
    /// that node's status is `UnschedulableAndUnresolvable`) already has a
    /// lower-priority pod terminating because of scheduler preemption.
    pub fn pod_eligible_to_preempt_others(
        &self,
        pod: &Pod,
        snapshot: &Snapshot,
        nominated_node_status: &Status,
    ) -> Result<(), &'static str> {
        if pod.spec.preemption_policy == Some(PreemptionPolicy::Never) {
            return Err(ERR_PREEMPT_NEVER);
        }
        let nominated = pod.status.nominated_node_name.as_deref().unwrap_or("");
        if !nominated.is_empty() {
            if nominated_node_status.code == Code::UnschedulableAndUnresolvable {
                return Ok(());
            }
            if let Some(node) = snapshot.node(nominated) {
                let terminating = node.pods.iter().any(|p| {
                    is_preemption_allowed(&p.pod, pod) && pod_terminating_by_preemption(&p.pod)
                });
                if terminating {
                    return Err(ERR_TERMINATING_ON_NOMINATED);
                }
            }
        }
        Ok(())
    }

    /// `SelectVictimsOnNode`, on a copy of the node and of the cycle state:
    /// removes every lower-priority pod; if the pod then passes the Filters,
    /// adds pods back (PDB-violating ones first, each group most important
    /// first) while it still fits. Returns the victims (most important
    /// first) and how many violate a PDB, or the status of a node where
    /// preemption does not help.
    pub fn select_victims_on_node(
        &self,
        profile: &Profile,
        state: &mut CycleState,
        pod: &PodInfo,
        node: &mut NodeInfo,
        pdbs: &[PodDisruptionBudget],
        snapshot: &Snapshot,
    ) -> Result<(Vec<Arc<PodInfo>>, i64), Status> {
        let mut potential: Vec<Arc<PodInfo>> = node
            .pods
            .iter()
            .filter(|p| is_preemption_allowed(&p.pod, &pod.pod))
            .cloned()
            .collect();
        for victim in &potential {
            remove_pod(profile, state, pod, victim, node, snapshot)?;
        }
        if potential.is_empty() {
            return Err(Status::unresolvable(ERR_NO_VICTIMS));
        }
        let status = profile.run_filter_with_nominated_pods(state, pod, node, snapshot);
        if !status.is_success() {
            return Err(status);
        }
        potential.sort_by(|a, b| importance_order(&a.pod, &b.pod));
        let (violating, non_violating) = filter_pods_with_pdb_violation(potential, pdbs);
        let both = !violating.is_empty() && !non_violating.is_empty();
        let mut victims = Vec::new();
        let mut num_violating = 0;
        for p in violating {
            if !reprieve(profile, state, pod, p, node, snapshot, &mut victims)? {
                num_violating += 1;
            }
        }
        for p in non_violating {
            reprieve(profile, state, pod, p, node, snapshot, &mut victims)?;
        }
        if both {
            victims.sort_by(|a, b| importance_order(&a.pod, &b.pod));
        }
        Ok((victims, num_violating))
    }

    /// `DryRunPreemption`: [`DefaultPreemption::select_victims_on_node`] on
    /// the potential nodes from offset 0, until at least one candidate
    /// without PDB violations exists and `num_candidates` were found. The
    /// PodDisruptionBudgets are the snapshot's.
    pub fn dry_run_preemption(
        &self,
        profile: &Profile,
        state: &CycleState,
        pod: &PodInfo,
        potential_nodes: &[&NodeInfo],
        num_candidates: usize,
        snapshot: &Snapshot,
    ) -> DryRun {
        let pdbs = &snapshot.objects.pod_disruption_budgets;
        let mut non_violating: Vec<Candidate> = Vec::new();
        let mut violating: Vec<Candidate> = Vec::new();
        let mut node_to_status = NodeToStatus::default();
        let mut errors = Vec::new();
        for node in potential_nodes {
            let mut node_copy = (*node).clone();
            let mut state_copy = state.clone();
            let name = node.name();
            let status = match self.select_victims_on_node(
                profile,
                &mut state_copy,
                pod,
                &mut node_copy,
                pdbs,
                snapshot,
            ) {
                Ok((victims, n)) if !victims.is_empty() => {
                    let c = Candidate {
                        node: name.to_owned(),
                        victims,
                        num_pdb_violations: n,
                    };
                    let list = if n == 0 {
                        &mut non_violating
                    } else {
                        &mut violating
                    };
                    if list.len() < num_candidates {
                        list.push(c);
                    }
                    if !non_violating.is_empty()
                        && non_violating.len() + violating.len() >= num_candidates
                    {
                        break;
                    }
                    continue;
                }
                Ok(_) => Status::error(format!(
                    "expected at least one victim pod on node {}",
                    crate::quote::go_quote(name)
                )),
                Err(status) => status,
            };
            if status.code == Code::Error {
                errors.push(status.message());
            }
            node_to_status.set(name, status);
        }
        non_violating.extend(violating);
        DryRun {
            candidates: non_violating,
            node_to_status,
            errors,
        }
    }

    /// The PostFilter (`PostFilter` → `Evaluator.Preempt`): the nominated
    /// node and victims, or why preemption does not help. The status
    /// message carries the `preemption: ` prefix.
    pub fn post_filter(
        &self,
        profile: &Profile,
        state: &CycleState,
        pod: &PodInfo,
        m: &NodeToStatus,
        snapshot: &Snapshot,
    ) -> PreemptionResult {
        let mut result = self.preempt(profile, state, pod, m, snapshot);
        let msg = result.status.message();
        if !msg.is_empty() {
            result.status = Status::new(result.status.code, format!("preemption: {msg}"));
        }
        result.status = result.status.with_plugin(names::DEFAULT_PREEMPTION);
        result
    }

    /// `Evaluator.Preempt`, without the `preemption: ` prefix.
    pub fn preempt(
        &self,
        profile: &Profile,
        state: &CycleState,
        pod: &PodInfo,
        m: &NodeToStatus,
        snapshot: &Snapshot,
    ) -> PreemptionResult {
        let mut result = PreemptionResult {
            eligible: true,
            nominated_node: None,
            victims: Vec::new(),
            candidates: Vec::new(),
            status: Status::success(),
        };
        let nominated = pod.pod.status.nominated_node_name.as_deref().unwrap_or("");
        if let Err(msg) = self.pod_eligible_to_preempt_others(&pod.pod, snapshot, m.get(nominated))
        {
            result.eligible = false;
            result.status = Status::unschedulable(msg);
            return result;
        }
        let all_nodes = snapshot.nodes().len();
        if all_nodes == 0 {
            result.status = Status::error("no nodes available");
            return result;
        }
        let potential = m.nodes_for_status_code(snapshot, Code::Unschedulable);
        let dry_run = if potential.is_empty() {
            DryRun {
                candidates: Vec::new(),
                node_to_status: NodeToStatus::default(),
                errors: Vec::new(),
            }
        } else {
            let num = self.calculate_num_candidates(potential.len());
            self.dry_run_preemption(profile, state, pod, &potential, num, snapshot)
        };
        if dry_run.candidates.is_empty() {
            if !dry_run.errors.is_empty() {
                result.status = Status::error(aggregate(&dry_run.errors));
                return result;
            }
            let mut node_to_status = dry_run.node_to_status;
            node_to_status.set_absent_nodes_status(Status::unresolvable(ERR_NOT_HELPFUL));
            let fit_error = FitError {
                pod: pod.pod.key(),
                num_all_nodes: all_nodes,
                diagnosis: Diagnosis {
                    node_to_status,
                    ..Diagnosis::default()
                },
                version: snapshot.gates.version,
            };
            result.nominated_node = Some(String::new());
            result.status = Status::unschedulable(fit_error.to_string());
            return result;
        }
        result.candidates = dry_run.candidates;
        let best = if result.candidates.len() == 1 {
            Some(0)
        } else {
            pick_one_node_for_preemption(&result.candidates)
        };
        match best.and_then(|i| result.candidates.get(i)) {
            Some(c) => {
                result.nominated_node = Some(c.node.clone());
                result.victims = c.victim_keys();
            }
            None => result.status = Status::unschedulable("no candidate node for preemption"),
        }
        result
    }
}

/// `utilerrors.NewAggregate(errs).Error()`.
fn aggregate(errors: &[String]) -> String {
    match errors {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

fn remove_pod(
    profile: &Profile,
    state: &mut CycleState,
    pod: &PodInfo,
    victim: &Arc<PodInfo>,
    node: &mut NodeInfo,
    snapshot: &Snapshot,
) -> Result<(), Status> {
    node.remove_pod(&victim.pod.key());
    let s = profile.run_remove_pod(state, pod, victim, node, snapshot);
    if s.is_success() {
        Ok(())
    } else {
        Err(Status::error(s.message()))
    }
}

/// Adds `victim` back; keeps it if the pod still fits, otherwise removes it
/// again and records it as a victim. Whether it fit.
fn reprieve(
    profile: &Profile,
    state: &mut CycleState,
    pod: &PodInfo,
    victim: Arc<PodInfo>,
    node: &mut NodeInfo,
    snapshot: &Snapshot,
    victims: &mut Vec<Arc<PodInfo>>,
) -> Result<bool, Status> {
    node.add_pod(Arc::clone(&victim));
    let s = profile.run_add_pod(state, pod, &victim, node, snapshot);
    if !s.is_success() {
        return Err(Status::error(s.message()));
    }
    let fits = profile
        .run_filter_with_nominated_pods(state, pod, node, snapshot)
        .is_success();
    if !fits {
        remove_pod(profile, state, pod, &victim, node, snapshot)?;
        victims.push(victim);
    }
    Ok(fits)
}
