//! Constraint building for PodTopologySpread (`podtopologyspread/common.go`
//! and `helper/spread.go`): the pod's own constraints for one action, or the
//! profile's default constraints with the selector deduced from the
//! Services and controllers selecting the pod; node inclusion policies;
//! counting matching pods.

use crate::FeatureGates;
use std::sync::Arc;

use crate::model::nodeaffinity::RequiredNodeAffinity;
use crate::model::validation::label_selector_error;
use crate::model::{
    find_matching_untolerated_taint, LabelSelector, LabelSelectorOperator,
    LabelSelectorRequirement, Labels, Node, NodeInclusionPolicy, Objects, Pod, TaintEffect,
    TopologySpreadConstraint as V1Constraint, UnsatisfiableConstraintAction, UntoleratedTaint,
};
use crate::scheduler::snapshot::PodInfo;

/// `v1.LabelHostname`.
pub const LABEL_HOSTNAME: &str = "kubernetes.io/hostname";
/// `v1.LabelTopologyZone`.
pub const LABEL_TOPOLOGY_ZONE: &str = "topology.kubernetes.io/zone";

/// A parsed selector (`labels.Selector`): `None` matches nothing (a nil
/// `labelSelector`); an empty selector matches everything.
pub type Selector = Option<LabelSelector>;

/// Whether `selector` matches `labels`.
pub fn selector_matches(selector: &Selector, labels: &Labels) -> bool {
    selector
        .as_ref()
        .is_some_and(|s| s.matches_unchecked(labels))
}

/// `Selector.Empty()`: only the match-everything selector is empty.
pub fn selector_is_empty(selector: &Selector) -> bool {
    selector.as_ref().is_some_and(LabelSelector::is_empty)
}

/// `topologySpreadConstraint`: a constraint with its selector parsed and
/// its defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopologySpreadConstraint {
    /// `maxSkew`.
    pub max_skew: i32,
    /// `topologyKey`.
    pub topology_key: String,
    /// The selector (with `matchLabelKeys` merged in).
    pub selector: Selector,
    /// `minDomains` (1 when unset).
    pub min_domains: i32,
    /// `nodeAffinityPolicy` (`Honor` when unset).
    pub node_affinity_policy: NodeInclusionPolicy,
    /// `nodeTaintsPolicy` (`Ignore` when unset).
    pub node_taints_policy: NodeInclusionPolicy,
}

/// `filterTopologySpreadConstraints`: the constraints with the given
/// `whenUnsatisfiable`, parsed; the error of the first bad selector.
pub fn filter_topology_spread_constraints(
    constraints: &[V1Constraint],
    pod_labels: &Labels,
    action: UnsatisfiableConstraintAction,
    gates: FeatureGates,
) -> Result<Vec<TopologySpreadConstraint>, String> {
    let mut out = Vec::new();
    for c in constraints
        .iter()
        .filter(|c| c.when_unsatisfiable == action)
    {
        if let Some(e) = c.label_selector.as_ref().and_then(label_selector_error) {
            return Err(e.to_string());
        }
        let mut selector = c.label_selector.clone();
        if gates.match_label_keys_in_pod_topology_spread && !c.match_label_keys.is_empty() {
            let merged: Vec<LabelSelectorRequirement> = c
                .match_label_keys
                .iter()
                .filter_map(|k| {
                    pod_labels.get(k).map(|v| LabelSelectorRequirement {
                        key: k.clone(),
                        operator: LabelSelectorOperator::In,
                        values: vec![v.clone()],
                    })
                })
                .collect();
            // `mergeLabelSetWithSelector`: a nil selector stays nil.
            if let (false, Some(sel)) = (merged.is_empty(), selector.as_mut()) {
                sel.match_expressions.extend(merged);
            }
        }
        let mut tsc = TopologySpreadConstraint {
            max_skew: c.max_skew,
            topology_key: c.topology_key.clone(),
            selector,
            min_domains: c.min_domains.unwrap_or(1),
            node_affinity_policy: NodeInclusionPolicy::Honor,
            node_taints_policy: NodeInclusionPolicy::Ignore,
        };
        if gates.node_inclusion_policy_in_pod_topology_spread {
            if let Some(p) = c.node_affinity_policy {
                tsc.node_affinity_policy = p;
            }
            if let Some(p) = c.node_taints_policy {
                tsc.node_taints_policy = p;
            }
        }
        out.push(tsc);
    }
    Ok(out)
}

/// `helper.DefaultSelector`: the AND of the selectors of the Services in
/// the pod's namespace that select it, and of the ReplicaSet or StatefulSet
/// (from `objects.replica_sets`) that is the pod's controller.
pub fn default_selector(pod: &Pod, objects: &Objects) -> LabelSelector {
    let ns = pod.metadata.namespace();
    let mut selector = LabelSelector::default();
    for svc in objects
        .services
        .iter()
        .filter(|s| s.metadata.namespace() == ns && !s.spec.selector.is_empty())
    {
        let selects = svc
            .spec
            .selector
            .iter()
            .all(|(k, v)| pod.labels().get(k) == Some(v));
        if selects {
            for (k, v) in &svc.spec.selector {
                selector.match_labels.insert(k.clone(), v.clone());
            }
        }
    }
    let Some(owner) = pod.metadata.controller() else {
        return selector;
    };
    let kind_of = |k: Option<&str>| k.unwrap_or("ReplicaSet").to_owned();
    let (group_version, kind) = (owner.api_version.as_str(), owner.kind.as_str());
    let wanted = match (group_version, kind) {
        ("apps/v1", "ReplicaSet") | ("apps/v1", "StatefulSet") => kind,
        ("v1", "ReplicationController") => kind,
        _ => return selector,
    };
    let found = objects.replica_sets.iter().find(|rs| {
        rs.metadata.namespace() == ns
            && rs.metadata.name() == owner.name
            && kind_of(rs.kind.as_deref()) == wanted
    });
    if let Some(rs) = found {
        if wanted == "ReplicationController" {
            // An RC's selector is a plain map, read here as match labels.
            if let Some(sel) = &rs.spec.selector {
                for (k, v) in &sel.match_labels {
                    selector.match_labels.insert(k.clone(), v.clone());
                }
            }
        } else if let Some(sel) = &rs.spec.selector {
            if label_selector_error(sel).is_none() {
                for (k, v) in &sel.match_labels {
                    selector.match_expressions.push(LabelSelectorRequirement {
                        key: k.clone(),
                        operator: LabelSelectorOperator::In,
                        values: vec![v.clone()],
                    });
                }
                selector
                    .match_expressions
                    .extend(sel.match_expressions.iter().cloned());
            }
        }
    }
    selector
}

/// `buildDefaultConstraints`: the default constraints for `action`, all
/// with the pod's default selector; none when that selector is empty.
pub fn build_default_constraints(
    defaults: &[V1Constraint],
    pod: &Pod,
    objects: &Objects,
    action: UnsatisfiableConstraintAction,
    gates: FeatureGates,
) -> Result<Vec<TopologySpreadConstraint>, String> {
    let mut constraints =
        filter_topology_spread_constraints(defaults, pod.labels(), action, gates)?;
    if constraints.is_empty() {
        return Ok(constraints);
    }
    let selector = default_selector(pod, objects);
    if selector.is_empty() {
        return Ok(Vec::new());
    }
    for c in &mut constraints {
        c.selector = Some(selector.clone());
    }
    Ok(constraints)
}

/// `nodeLabelsMatchSpreadConstraints`: the node has every constraint's key.
pub fn node_labels_match_spread_constraints(
    labels: &Labels,
    constraints: &[TopologySpreadConstraint],
) -> bool {
    constraints
        .iter()
        .all(|c| labels.contains_key(&c.topology_key))
}

/// `countPodsMatchSelector`: pods of namespace `ns`, not terminating,
/// matching the selector (0 for the match-everything selector).
pub fn count_pods_match_selector(pods: &[Arc<PodInfo>], selector: &Selector, ns: &str) -> i64 {
    let Some(sel) = selector.as_ref().filter(|s| !s.is_empty()) else {
        return 0;
    };
    let mut n = 0;
    for p in pods {
        if p.pod.metadata.deletion_timestamp.is_none()
            && p.pod.metadata.namespace() == ns
            && sel.matches_unchecked(p.pod.labels())
        {
            n += 1;
        }
    }
    n
}

/// Whether the pod has a `nodeSelector` or required node affinity (without
/// either, every node matches its required node affinity).
pub fn has_required_node_affinity(pod: &Pod) -> bool {
    !pod.spec.node_selector.is_empty()
        || crate::scheduler::plugins::nodeaffinity::has_required_node_affinity(pod)
}

/// `RequiredNodeAffinity.Match` ignoring parse errors, as the plugin does
/// for backwards compatibility.
pub fn required_node_affinity_matches(required: &RequiredNodeAffinity, node: &Node) -> bool {
    required.matches_fields(node.name(), node.labels())
}

/// Whether the node has a `NoSchedule`/`NoExecute` taint the pod does not
/// tolerate (`FindMatchingUntoleratedTaint` with `DoNotScheduleTaintsFilterFunc`);
/// a taint whose comparison fails counts as untolerated.
pub fn has_untolerated_do_not_schedule_taint(pod: &Pod, node: &Node, comparison: bool) -> bool {
    !matches!(
        find_matching_untolerated_taint(
            &node.spec.taints,
            &pod.spec.tolerations,
            |t| matches!(t.effect, TaintEffect::NoSchedule | TaintEffect::NoExecute),
            comparison,
        ),
        UntoleratedTaint::None
    )
}

/// Per node, whether it passes the incoming pod's node affinity and taints,
/// computed once per node and reused by every constraint.
#[derive(Clone, Copy, Debug)]
pub struct NodeInclusion {
    /// The node matches the pod's required node affinity.
    pub affinity: bool,
    /// The node has no untolerated NoSchedule/NoExecute taint.
    pub taints: bool,
}

impl NodeInclusion {
    /// Evaluates both for `node`.
    pub fn of(
        required: &RequiredNodeAffinity,
        pod: &Pod,
        node: &Node,
        gates: FeatureGates,
    ) -> NodeInclusion {
        NodeInclusion {
            affinity: required_node_affinity_matches(required, node),
            taints: !has_untolerated_do_not_schedule_taint(
                pod,
                node,
                gates.taint_toleration_comparison_operators,
            ),
        }
    }

    /// `matchNodeInclusionPolicies` for one constraint.
    pub fn matches(&self, c: &TopologySpreadConstraint) -> bool {
        (c.node_affinity_policy != NodeInclusionPolicy::Honor || self.affinity)
            && (c.node_taints_policy != NodeInclusionPolicy::Honor || self.taints)
    }
}
