//! Node selectors parsed once for matching, as component-helpers'
//! `scheduling/corev1/nodeaffinity` does: [`LazyErrorNodeSelector`] (a pod's
//! required terms: a term that fails to parse never matches),
//! [`NodeSelectorMatcher`] (strict: parse errors are reported up front),
//! [`PreferredSchedulingTerms`] and [`RequiredNodeAffinity`]
//! (`GetRequiredNodeAffinity`: `nodeSelector` AND required terms).
//!
//! Parsing validates keys as qualified names and values as label values,
//! as `labels.NewRequirement` does; matching then allocates nothing.
//!
//! ```
//! use kubelogic::model::{Node, Pod};
//! use kubelogic::model::nodeaffinity::RequiredNodeAffinity;
//!
//! let pod: Pod = serde_json::from_str(r#"{"spec": {"nodeSelector": {"disk": "ssd"},
//!   "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
//!     {"nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}]}]}}}}}"#)?;
//! let node: Node = serde_json::from_str(r#"{"metadata": {"name": "n", "labels": {"disk": "ssd", "zone": "b"}}}"#)?;
//! assert!(RequiredNodeAffinity::new(&pod).matches(&node));
//! # Ok::<(), serde_json::Error>(())
//! ```

use super::affinity::PreferredSchedulingTerm;
use super::meta::Labels;
use super::node::Node;
use super::pod::Pod;
use super::selector::{
    NodeSelector, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm,
};
use super::validation::{go_string_slice, is_qualified_name, is_valid_label_value, FieldError};

/// The field `matchFields` supports (`metav1.ObjectNameField`).
pub const OBJECT_NAME_FIELD: &str = "metadata.name";

/// A parsed label requirement (`labels.Requirement`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelRequirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub operator: NodeSelectorOperator,
    /// The values.
    pub values: Vec<String>,
    /// For `Gt`/`Lt`: the bound.
    bound: i64,
}

impl LabelRequirement {
    /// `Requirement.Matches`.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.matches_value(labels.get(&self.key).map(String::as_str))
    }

    /// `Requirement.Matches` given the label's value (`None`: the label is absent).
    pub fn matches_value(&self, value: Option<&str>) -> bool {
        requirement_matches(self.operator, &self.values, Some(self.bound), value)
    }
}

/// `labels.Requirement.Matches` for one operator, its values and (for
/// `Gt`/`Lt`) its integer bound, given the label's value (`None`: absent).
/// A `Gt`/`Lt` without a bound, or with a value that is not an integer,
/// does not match.
pub fn requirement_matches(
    operator: NodeSelectorOperator,
    values: &[String],
    bound: Option<i64>,
    value: Option<&str>,
) -> bool {
    use NodeSelectorOperator as Op;
    match operator {
        Op::In => value.is_some_and(|v| values.iter().any(|x| x == v)),
        Op::NotIn => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        Op::Exists => value.is_some(),
        Op::DoesNotExist => value.is_none(),
        Op::Gt | Op::Lt => {
            let (Some(v), Some(bound)) = (value.and_then(|v| v.parse::<i64>().ok()), bound) else {
                return false;
            };
            if operator == Op::Gt {
                v > bound
            } else {
                v < bound
            }
        }
    }
}

/// A parsed field requirement: `metadata.name` (or another field, which a
/// node never has) equal or not equal to one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRequirement {
    /// The field.
    pub key: String,
    /// `true` for `In`, `false` for `NotIn`.
    pub equal: bool,
    /// The value.
    pub value: String,
}

impl FieldRequirement {
    /// Whether a node with this name satisfies the requirement.
    pub fn matches(&self, node_name: &str) -> bool {
        let field = if self.key == OBJECT_NAME_FIELD {
            node_name
        } else {
            ""
        };
        (field == self.value) == self.equal
    }
}

/// `nodeSelectorRequirementsAsSelector` + `labels.NewRequirement`.
fn parse_label_requirements(
    reqs: &[NodeSelectorRequirement],
    path: &str,
    errs: &mut Vec<FieldError>,
) -> Vec<LabelRequirement> {
    use NodeSelectorOperator as Op;
    let mut out = Vec::with_capacity(reqs.len());
    for (i, r) in reqs.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let before = errs.len();
        let key_errs = is_qualified_name(&r.key);
        if !key_errs.is_empty() {
            errs.push(FieldError::invalid(
                format!("{p}.key"),
                &r.key,
                key_errs.join("; "),
            ));
        }
        let values_path = format!("{p}.values");
        let mut bound = 0;
        match r.operator {
            Op::In | Op::NotIn if r.values.is_empty() => errs.push(FieldError::invalid_rendered(
                values_path.clone(),
                go_string_slice(&r.values),
                "for 'in', 'notin' operators, values set can't be empty",
            )),
            Op::Exists | Op::DoesNotExist if !r.values.is_empty() => {
                errs.push(FieldError::invalid_rendered(
                    values_path.clone(),
                    go_string_slice(&r.values),
                    "values set must be empty for exists and does not exist",
                ))
            }
            Op::Gt | Op::Lt => {
                if r.values.len() != 1 {
                    errs.push(FieldError::invalid_rendered(
                        values_path.clone(),
                        go_string_slice(&r.values),
                        "for 'Gt', 'Lt' operators, exactly one value is required",
                    ));
                }
                for (j, v) in r.values.iter().enumerate() {
                    match v.parse::<i64>() {
                        Ok(b) => bound = b,
                        Err(_) => errs.push(FieldError::invalid(
                            format!("{values_path}[{j}]"),
                            v,
                            "for 'Gt', 'Lt' operators, the value must be an integer",
                        )),
                    }
                }
            }
            _ => {}
        }
        for (j, v) in r.values.iter().enumerate() {
            let value_errs = is_valid_label_value(v);
            if !value_errs.is_empty() {
                errs.push(FieldError::invalid(
                    format!("{values_path}[{j}]"),
                    v,
                    value_errs.join("; "),
                ));
            }
        }
        if errs.len() == before {
            out.push(LabelRequirement {
                key: r.key.clone(),
                operator: r.operator,
                values: r.values.clone(),
                bound,
            });
        }
    }
    out
}

/// `nodeSelectorRequirementsAsFieldSelector`.
fn parse_field_requirements(
    reqs: &[NodeSelectorRequirement],
    path: &str,
    errs: &mut Vec<FieldError>,
) -> Vec<FieldRequirement> {
    use NodeSelectorOperator as Op;
    let mut out = Vec::with_capacity(reqs.len());
    for (i, r) in reqs.iter().enumerate() {
        let p = format!("{path}[{i}]");
        match (r.operator, r.values.as_slice()) {
            (Op::In | Op::NotIn, [v]) => out.push(FieldRequirement {
                key: r.key.clone(),
                equal: r.operator == Op::In,
                value: v.clone(),
            }),
            (Op::In | Op::NotIn, _) => errs.push(FieldError::invalid_rendered(
                format!("{p}.values"),
                go_string_slice(&r.values),
                "must have one element",
            )),
            (op, _) => errs.push(FieldError::not_supported(
                format!("{p}.operator"),
                operator_name(op),
                &["In", "NotIn"],
            )),
        }
    }
    out
}

fn operator_name(op: NodeSelectorOperator) -> &'static str {
    use NodeSelectorOperator as Op;
    match op {
        Op::In => "In",
        Op::NotIn => "NotIn",
        Op::Exists => "Exists",
        Op::DoesNotExist => "DoesNotExist",
        Op::Gt => "Gt",
        Op::Lt => "Lt",
    }
}

/// A parsed `NodeSelectorTerm` (`nodeSelectorTerm`): its requirements, or
/// the errors that make it match nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedNodeSelectorTerm {
    /// Label requirements (`None` when the term has no matchExpressions).
    pub match_labels: Option<Vec<LabelRequirement>>,
    /// Field requirements (`None` when the term has no matchFields).
    pub match_fields: Option<Vec<FieldRequirement>>,
    /// Parse errors.
    pub parse_errors: Vec<FieldError>,
}

impl ParsedNodeSelectorTerm {
    /// `newNodeSelectorTerm` with errors under `path`.
    pub fn new(term: &NodeSelectorTerm, path: &str) -> Self {
        let mut errs = Vec::new();
        let match_labels = (!term.match_expressions.is_empty()).then(|| {
            parse_label_requirements(
                &term.match_expressions,
                &format!("{path}.matchExpressions"),
                &mut errs,
            )
        });
        let match_fields = (!term.match_fields.is_empty()).then(|| {
            parse_field_requirements(
                &term.match_fields,
                &format!("{path}.matchFields"),
                &mut errs,
            )
        });
        ParsedNodeSelectorTerm {
            match_labels,
            match_fields,
            parse_errors: errs,
        }
    }

    /// `nodeSelectorTerm.match`: false when the term has parse errors; field
    /// requirements are ignored for a node without a name.
    pub fn matches(&self, name: &str, labels: &Labels) -> bool {
        if !self.parse_errors.is_empty() {
            return false;
        }
        if let Some(reqs) = &self.match_labels {
            if !reqs.iter().all(|r| r.matches(labels)) {
                return false;
            }
        }
        if let Some(reqs) = &self.match_fields {
            if !name.is_empty() && !reqs.iter().all(|r| r.matches(name)) {
                return false;
            }
        }
        true
    }
}

fn is_empty_term(term: &NodeSelectorTerm) -> bool {
    term.match_expressions.is_empty() && term.match_fields.is_empty()
}

/// `LazyErrorNodeSelector`: the terms ORed; empty terms dropped; a term
/// with parse errors never matches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LazyErrorNodeSelector {
    /// The non-empty terms.
    pub terms: Vec<ParsedNodeSelectorTerm>,
}

impl LazyErrorNodeSelector {
    /// `NewLazyErrorNodeSelector` (errors under `{path}nodeSelectorTerms[i]`).
    pub fn new(selector: &NodeSelector, path: &str) -> Self {
        let base = if path.is_empty() {
            "nodeSelectorTerms".to_owned()
        } else {
            format!("{path}.nodeSelectorTerms")
        };
        let terms = selector
            .node_selector_terms
            .iter()
            .enumerate()
            .filter(|(_, t)| !is_empty_term(t))
            .map(|(i, t)| ParsedNodeSelectorTerm::new(t, &format!("{base}[{i}]")))
            .collect();
        LazyErrorNodeSelector { terms }
    }

    /// Whether a term matches the node's name and labels.
    pub fn matches_fields(&self, name: &str, labels: &Labels) -> bool {
        self.terms.iter().any(|t| t.matches(name, labels))
    }

    /// Whether a term matches the node.
    pub fn matches(&self, node: &Node) -> bool {
        self.matches_fields(node.name(), node.labels())
    }

    /// Every parse error of every term.
    pub fn parse_errors(&self) -> impl Iterator<Item = &FieldError> {
        self.terms.iter().flat_map(|t| t.parse_errors.iter())
    }
}

/// `nodeaffinity.NodeSelector`: a selector whose parse errors are reported
/// when it is built (for scheduler-enforced `addedAffinity`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeSelectorMatcher {
    lazy: LazyErrorNodeSelector,
}

impl NodeSelectorMatcher {
    /// `NewNodeSelector`: the selector, or all its parse errors.
    pub fn new(selector: &NodeSelector, path: &str) -> Result<Self, Vec<FieldError>> {
        let lazy = LazyErrorNodeSelector::new(selector, path);
        let errs: Vec<FieldError> = lazy.parse_errors().cloned().collect();
        if errs.is_empty() {
            Ok(NodeSelectorMatcher { lazy })
        } else {
            Err(errs)
        }
    }

    /// Whether a term matches the node.
    pub fn matches(&self, node: &Node) -> bool {
        self.lazy.matches(node)
    }
}

/// A parsed preferred term with its weight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightedNodeSelectorTerm {
    /// The term.
    pub term: ParsedNodeSelectorTerm,
    /// The weight.
    pub weight: i32,
}

/// `PreferredSchedulingTerms`: terms with weight 0 or nothing in them are
/// left out; any parse error fails the whole list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreferredSchedulingTerms {
    /// The terms.
    pub terms: Vec<WeightedNodeSelectorTerm>,
}

impl PreferredSchedulingTerms {
    /// `NewPreferredSchedulingTerms` with errors under `{path}[i]`.
    pub fn new(terms: &[PreferredSchedulingTerm], path: &str) -> Result<Self, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut parsed = Vec::with_capacity(terms.len());
        for (i, t) in terms.iter().enumerate() {
            if t.weight == 0 || is_empty_term(&t.preference) {
                continue;
            }
            let term = ParsedNodeSelectorTerm::new(&t.preference, &format!("{path}[{i}]"));
            if term.parse_errors.is_empty() {
                parsed.push(WeightedNodeSelectorTerm {
                    term,
                    weight: t.weight,
                });
            } else {
                errs.extend(term.parse_errors);
            }
        }
        if errs.is_empty() {
            Ok(PreferredSchedulingTerms { terms: parsed })
        } else {
            Err(errs)
        }
    }

    /// `Score`: the sum of the weights of the matching terms.
    pub fn score(&self, node: &Node) -> i64 {
        self.terms
            .iter()
            .filter(|t| t.term.matches(node.name(), node.labels()))
            .map(|t| i64::from(t.weight))
            .sum()
    }
}

/// `RequiredNodeAffinity`: the pod's `nodeSelector` and its required node
/// affinity terms (`GetRequiredNodeAffinity`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequiredNodeAffinity {
    /// `spec.nodeSelector` (empty: no constraint).
    pub label_selector: Labels,
    /// `requiredDuringSchedulingIgnoredDuringExecution`, parsed lazily.
    pub node_selector: Option<LazyErrorNodeSelector>,
}

impl RequiredNodeAffinity {
    /// `GetRequiredNodeAffinity(pod)`.
    pub fn new(pod: &Pod) -> Self {
        let node_selector = pod
            .spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|na| {
                na.required_during_scheduling_ignored_during_execution
                    .as_ref()
            })
            .map(|ns| LazyErrorNodeSelector::new(ns, ""));
        RequiredNodeAffinity {
            label_selector: pod.spec.node_selector.clone(),
            node_selector,
        }
    }

    /// `Match` on a node's name and labels.
    pub fn matches_fields(&self, name: &str, labels: &Labels) -> bool {
        if !self
            .label_selector
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
        {
            return false;
        }
        match &self.node_selector {
            Some(ns) => ns.matches_fields(name, labels),
            None => true,
        }
    }

    /// `Match`: the node has every `nodeSelector` label and matches a required term.
    pub fn matches(&self, node: &Node) -> bool {
        self.matches_fields(node.name(), node.labels())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(json: &str) -> NodeSelectorTerm {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn invalid_terms_report_paths() {
        let t = term(
            r#"{"matchExpressions": [{"key": "invalid key", "operator": "In", "values": ["bar"]}]}"#,
        );
        let p = ParsedNodeSelectorTerm::new(&t, "[0]");
        assert_eq!(p.parse_errors.len(), 1);
        assert!(p.parse_errors[0]
            .to_string()
            .starts_with("[0].matchExpressions[0].key: Invalid value: \"invalid key\": name part"));
        let t = term(r#"{"matchFields": [{"key": "metadata.name", "operator": "Exists"}]}"#);
        let p = ParsedNodeSelectorTerm::new(&t, "t");
        assert_eq!(
            p.parse_errors[0].to_string(),
            "t.matchFields[0].operator: Unsupported value: \"Exists\": supported values: \"In\", \"NotIn\""
        );
    }

    #[test]
    fn fields_ignored_without_name() {
        let t = term(
            r#"{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a"]}]}"#,
        );
        let p = ParsedNodeSelectorTerm::new(&t, "");
        assert!(p.matches("", &Labels::new()));
        assert!(p.matches("a", &Labels::new()));
        assert!(!p.matches("b", &Labels::new()));
    }
}
