//! Label selectors (`metav1.LabelSelector`) and node selectors
//! (`v1.NodeSelector`), with their matching rules.
//!
//! The wire types deserialize strictly in their operators (an unknown
//! operator is an error naming its field path) and tolerate everything else.
//! Matching follows `k8s.io/apimachinery/pkg/labels` and
//! `k8s.io/component-helpers/scheduling/corev1/nodeaffinity`.
//!
//! ```
//! use kubelogic::model::{LabelSelector, Labels};
//!
//! let sel: LabelSelector = serde_json::from_str(
//!     r#"{"matchLabels": {"app": "web"},
//!         "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}"#,
//! )?;
//! let mut labels = Labels::new();
//! labels.insert("app".into(), "web".into());
//! assert!(sel.matches(&labels)?);
//! labels.insert("tier".into(), "db".into());
//! assert!(!sel.matches(&labels)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use super::de::nullable;
use super::meta::Labels;

/// `metav1.LabelSelector`. An empty selector matches everything; an absent
/// one (an `Option` that is `None` where it is used) matches nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelSelector {
    /// `matchLabels`: each key must have exactly this value.
    #[serde(skip_serializing_if = "Labels::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub match_labels: Labels,
    /// `matchExpressions`: each requirement must hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// `matchExpressions[]` of a label selector.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub operator: LabelSelectorOperator,
    /// The values (`In`/`NotIn`: non-empty; `Exists`/`DoesNotExist`: empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(default, deserialize_with = "nullable")]
    pub values: Vec<String>,
}

/// The operators of a label selector requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LabelSelectorOperator {
    /// The label's value is one of `values`.
    In,
    /// The label is absent or its value is none of `values`.
    NotIn,
    /// The label is present.
    Exists,
    /// The label is absent.
    DoesNotExist,
}

/// A selector requirement that Kubernetes would reject when converting the
/// selector (`metav1.LabelSelectorAsSelector` / `labels.NewRequirement`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectorError {
    /// Where in the selector, e.g. `matchExpressions[1].values`.
    pub path: String,
    /// Why, in Kubernetes' words.
    pub message: String,
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for SelectorError {}

fn selector_error(path: String, message: &str) -> SelectorError {
    SelectorError {
        path,
        message: message.to_owned(),
    }
}

impl LabelSelectorRequirement {
    /// Checks the requirement as `labels.NewRequirement` does.
    pub fn validate(&self, path: &str) -> Result<(), SelectorError> {
        match self.operator {
            LabelSelectorOperator::In | LabelSelectorOperator::NotIn if self.values.is_empty() => {
                Err(selector_error(
                    format!("{path}.values"),
                    "for 'in', 'notin' operators, values set can't be empty",
                ))
            }
            LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist
                if !self.values.is_empty() =>
            {
                Err(selector_error(
                    format!("{path}.values"),
                    "values set must be empty for exists and does not exist",
                ))
            }
            _ => Ok(()),
        }
    }

    /// Whether `labels` satisfy this requirement (assumes it is valid).
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            LabelSelectorOperator::In => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            LabelSelectorOperator::NotIn => {
                value.is_none_or(|v| !self.values.iter().any(|x| x == v))
            }
            LabelSelectorOperator::Exists => value.is_some(),
            LabelSelectorOperator::DoesNotExist => value.is_none(),
        }
    }
}

impl LabelSelector {
    /// Checks every requirement; the error names the failing one.
    pub fn validate(&self) -> Result<(), SelectorError> {
        self.match_expressions
            .iter()
            .enumerate()
            .try_for_each(|(i, r)| r.validate(&format!("matchExpressions[{i}]")))
    }

    /// Whether the selector matches nothing and everything alike: no labels, no expressions.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` match (an empty selector matches everything), or
    /// the error Kubernetes gives for an invalid selector.
    pub fn matches(&self, labels: &Labels) -> Result<bool, SelectorError> {
        self.validate()?;
        Ok(self.matches_unchecked(labels))
    }

    /// Matching without validation, for selectors validated once up front.
    pub fn matches_unchecked(&self, labels: &Labels) -> bool {
        // Both are sorted by key: one pass over the labels.
        let mut have = labels.iter();
        self.match_labels.iter().all(|(k, v)| {
            have.find(|(hk, _)| *hk >= k)
                .is_some_and(|(hk, hv)| hk == k && hv == v)
        }) && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

/// `v1.NodeSelector`: the terms are ORed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeSelector {
    /// `nodeSelectorTerms`.
    #[serde(deserialize_with = "nullable")]
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

/// `v1.NodeSelectorTerm`: its expressions and fields are ANDed. A term with
/// neither matches no node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeSelectorTerm {
    /// Requirements on node labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub match_expressions: Vec<NodeSelectorRequirement>,
    /// Requirements on node fields (only `metadata.name` is supported).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "nullable")]
    pub match_fields: Vec<NodeSelectorRequirement>,
}

/// `v1.NodeSelectorRequirement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorRequirement {
    /// The label key (or field name for `matchFields`).
    pub key: String,
    /// The operator.
    pub operator: NodeSelectorOperator,
    /// The values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(default, deserialize_with = "nullable")]
    pub values: Vec<String>,
}

/// The operators of a node selector requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeSelectorOperator {
    /// The value is one of `values`.
    In,
    /// The label is absent or its value is none of `values`.
    NotIn,
    /// The label is present.
    Exists,
    /// The label is absent.
    DoesNotExist,
    /// The value, as an integer, is greater than the single value.
    Gt,
    /// The value, as an integer, is less than the single value.
    Lt,
}

/// What a node selector is matched against: the node's labels and its name
/// (the only field `matchFields` supports).
#[derive(Clone, Copy, Debug)]
pub struct NodeFields<'a> {
    /// `metadata.name` of the node.
    pub name: &'a str,
    /// `metadata.labels` of the node.
    pub labels: &'a Labels,
}

impl NodeSelectorRequirement {
    /// Validates as `nodeaffinity`'s `nodeSelectorRequirementsAsSelector`
    /// (labels) or `nodeSelectorRequirementsAsFieldSelector` (fields) does.
    pub fn validate(&self, path: &str, field: bool) -> Result<(), SelectorError> {
        use NodeSelectorOperator as Op;
        if field {
            if self.key != "metadata.name" {
                return Err(selector_error(
                    format!("{path}.key"),
                    "not a valid field selector key",
                ));
            }
            return match self.operator {
                Op::In | Op::NotIn if self.values.len() == 1 => Ok(()),
                Op::In | Op::NotIn => Err(selector_error(
                    format!("{path}.values"),
                    "must have one element",
                )),
                _ => Err(selector_error(
                    format!("{path}.operator"),
                    "not a valid selector operator",
                )),
            };
        }
        match self.operator {
            Op::In | Op::NotIn if self.values.is_empty() => Err(selector_error(
                format!("{path}.values"),
                "for 'in', 'notin' operators, values set can't be empty",
            )),
            Op::Exists | Op::DoesNotExist if !self.values.is_empty() => Err(selector_error(
                format!("{path}.values"),
                "values set must be empty for exists and does not exist",
            )),
            Op::Gt | Op::Lt => match self.values.as_slice() {
                [v] if v.parse::<i64>().is_ok() => Ok(()),
                [_] => Err(selector_error(
                    format!("{path}.values[0]"),
                    "for 'Gt', 'Lt' operators, the value must be an integer",
                )),
                _ => Err(selector_error(
                    format!("{path}.values"),
                    "for 'Gt', 'Lt' operators, exactly one value is required",
                )),
            },
            _ => Ok(()),
        }
    }

    /// Whether the value (a label's, or the node name for fields) satisfies
    /// this requirement (`labels.Requirement.Matches`).
    pub fn matches_value(&self, value: Option<&str>) -> bool {
        let bound = self.values.first().and_then(|b| b.parse::<i64>().ok());
        super::nodeaffinity::requirement_matches(self.operator, &self.values, bound, value)
    }
}

impl NodeSelectorTerm {
    /// Validates every requirement; the error names the failing one.
    pub fn validate(&self) -> Result<(), SelectorError> {
        for (i, r) in self.match_expressions.iter().enumerate() {
            r.validate(&format!("matchExpressions[{i}]"), false)?;
        }
        for (i, r) in self.match_fields.iter().enumerate() {
            r.validate(&format!("matchFields[{i}]"), true)?;
        }
        Ok(())
    }

    /// Whether the node matches this term. An empty term, or an invalid one,
    /// matches nothing (as upstream's lazy-error node selector does).
    pub fn matches(&self, node: NodeFields<'_>) -> bool {
        if self.match_expressions.is_empty() && self.match_fields.is_empty() {
            return false;
        }
        if self.validate().is_err() {
            return false;
        }
        self.match_expressions
            .iter()
            .all(|r| r.matches_value(node.labels.get(&r.key).map(String::as_str)))
            && self
                .match_fields
                .iter()
                .all(|r| r.matches_value(Some(node.name)))
    }
}

impl NodeSelector {
    /// Whether any term matches the node.
    pub fn matches(&self, node: NodeFields<'_>) -> bool {
        self.node_selector_terms.iter().any(|t| t.matches(node))
    }

    /// Validates every term; the error names the failing one.
    pub fn validate(&self) -> Result<(), SelectorError> {
        for (i, t) in self.node_selector_terms.iter().enumerate() {
            t.validate().map_err(|e| SelectorError {
                path: format!("nodeSelectorTerms[{i}].{}", e.path),
                message: e.message,
            })?;
        }
        Ok(())
    }
}
