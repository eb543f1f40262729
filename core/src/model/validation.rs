//! Field errors and the name validations selectors depend on, with
//! Kubernetes' messages (`k8s.io/apimachinery/pkg/util/validation` and
//! `.../validation/field`).
//!
//! ```
//! use kubelogic::model::validation::{is_qualified_name, is_valid_label_value};
//!
//! assert!(is_qualified_name("example.com/gpu").is_empty());
//! assert_eq!(is_qualified_name("invalid key"), [
//!     "name part must consist of alphanumeric characters, '-', '_' or '.', and must start \
//!      and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', \
//!      regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]);
//! assert!(is_valid_label_value("").is_empty());
//! assert!(!is_valid_label_value("-x").is_empty());
//! ```

use super::affinity::Affinity;
use super::selector::{LabelSelector, LabelSelectorOperator};
use std::fmt;

/// `field.ErrorType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldErrorType {
    /// `FieldValueInvalid`.
    Invalid,
    /// `FieldValueRequired`.
    Required,
    /// `FieldValueNotSupported`.
    NotSupported,
    /// `FieldValueDuplicate`.
    Duplicate,
    /// `FieldValueForbidden`.
    Forbidden,
}

impl FieldErrorType {
    /// The Go constant's string form (`FieldValueInvalid`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldErrorType::Invalid => "FieldValueInvalid",
            FieldErrorType::Required => "FieldValueRequired",
            FieldErrorType::NotSupported => "FieldValueNotSupported",
            FieldErrorType::Duplicate => "FieldValueDuplicate",
            FieldErrorType::Forbidden => "FieldValueForbidden",
        }
    }

    /// The words used in the message (`Invalid value`, ...).
    pub fn description(self) -> &'static str {
        match self {
            FieldErrorType::Invalid => "Invalid value",
            FieldErrorType::Required => "Required value",
            FieldErrorType::NotSupported => "Unsupported value",
            FieldErrorType::Duplicate => "Duplicate value",
            FieldErrorType::Forbidden => "Forbidden",
        }
    }
}

/// A `field.Error`: where, what kind, the offending value as Go prints it,
/// and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldError {
    /// The field path, e.g. `[0].matchExpressions[0].key`.
    pub field: String,
    /// The error type.
    pub error_type: FieldErrorType,
    /// The bad value as Go's field errors render it (`"x"` for strings,
    /// `[]string{"a"}` for lists, `5` for numbers); empty for Required.
    pub value: String,
    /// The detail.
    pub detail: String,
}

impl FieldError {
    /// `field.Invalid` for a string value.
    pub fn invalid(field: impl Into<String>, value: &str, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            error_type: FieldErrorType::Invalid,
            value: crate::quote::go_quote(value),
            detail: detail.into(),
        }
    }

    /// `field.Invalid` for a value already rendered as Go would.
    pub fn invalid_rendered(
        field: impl Into<String>,
        rendered: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            error_type: FieldErrorType::Invalid,
            value: rendered.into(),
            detail: detail.into(),
        }
    }

    /// `field.Required`.
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            error_type: FieldErrorType::Required,
            value: String::new(),
            detail: detail.into(),
        }
    }

    /// `field.NotSupported` for a string value.
    pub fn not_supported(field: impl Into<String>, value: &str, supported: &[&str]) -> Self {
        let list: Vec<String> = supported
            .iter()
            .map(|s| crate::quote::go_quote(s))
            .collect();
        FieldError {
            field: field.into(),
            error_type: FieldErrorType::NotSupported,
            value: crate::quote::go_quote(value),
            detail: format!("supported values: {}", list.join(", ")),
        }
    }

    /// `field.Duplicate` for a string value.
    pub fn duplicate(field: impl Into<String>, value: &str) -> Self {
        FieldError {
            field: field.into(),
            error_type: FieldErrorType::Duplicate,
            value: crate::quote::go_quote(value),
            detail: String::new(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.error_type.description())?;
        // `ErrorBody`: Required and Forbidden print no value.
        if !matches!(
            self.error_type,
            FieldErrorType::Required | FieldErrorType::Forbidden
        ) {
            write!(f, ": {}", self.value)?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldError {}

/// Go's `%#v` of a `[]string`.
pub fn go_string_slice(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| crate::quote::go_quote(v)).collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// `errors.NewAggregate(errs).Error()`: one message as is, several
/// de-duplicated, comma-separated and bracketed.
pub fn aggregate_message(errors: &[FieldError]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errors {
        let msg = e.to_string();
        if !seen.contains(&msg) {
            seen.push(msg);
        }
    }
    match seen.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

const QUALIFIED_NAME_ERR_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_ERR_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const DNS1123_SUBDOMAIN_ERR_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
/// `LabelValueMaxLength` and the name part's maximum length.
pub const QUALIFIED_NAME_MAX_LENGTH: usize = 63;
/// `DNS1123SubdomainMaxLength`.
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;

/// `validation.RegexError`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut s = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            s.push_str(" or ");
        }
        s.push('\'');
        s.push_str(e);
        s.push_str("', ");
    }
    s.push_str("regex used for validation is '");
    s.push_str(fmt);
    s.push_str("')");
    s
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `IsDNS1123Subdomain`: the reasons `value` is not one (empty when valid).
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    let ok = value.split('.').all(|label| {
        let b = label.as_bytes();
        match (b.first(), b.last()) {
            (Some(f), Some(l)) => {
                (f.is_ascii_lowercase() || f.is_ascii_digit())
                    && (l.is_ascii_lowercase() || l.is_ascii_digit())
                    && b.iter()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            }
            _ => false,
        }
    });
    if !ok {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `IsQualifiedName`: the reasons `value` is not a qualified name
/// (`[prefix/]name`), empty when it is one.
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                errs.extend(
                    is_dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > QUALIFIED_NAME_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            max_len_error(QUALIFIED_NAME_MAX_LENGTH)
        ));
    }
    if !is_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `IsValidLabelValue`: the reasons `value` is not a label value (empty when valid).
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > QUALIFIED_NAME_MAX_LENGTH {
        errs.push(max_len_error(QUALIFIED_NAME_MAX_LENGTH));
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `metav1validation.ValidateLabelName`: a qualified name, as a field error.
pub fn validate_label_name(value: &str, field: &str) -> Vec<FieldError> {
    is_qualified_name(value)
        .into_iter()
        .map(|m| FieldError::invalid(field, value, m))
        .collect()
}

/// Go's `%q` for the strings these messages quote (ASCII escapes only).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%#v` of the `[]string` `LabelSelectorAsSelector` builds (nil when empty).
fn go_requirement_values(values: &[String]) -> String {
    if values.is_empty() {
        return "[]string(nil)".to_owned();
    }
    let inner: Vec<String> = values.iter().map(|v| go_quote(v)).collect();
    format!("[]string{{{}}}", inner.join(", "))
}

/// `labels.NewRequirement`'s errors for one requirement, as its aggregate prints them.
fn requirement_error(
    key: &str,
    op: Option<LabelSelectorOperator>,
    values: &[String],
) -> Option<InvalidLabelSelector> {
    let mut errors: Vec<FieldError> = Vec::new();
    let key_errs = is_qualified_name(key);
    if !key_errs.is_empty() {
        errors.push(FieldError::invalid("key", key, key_errs.join("; ")));
    }
    let values_error = |detail: &str| {
        FieldError::invalid_rendered("values", go_requirement_values(values), detail)
    };
    match op {
        // matchLabels: `selection.Equals` with one value.
        None => {}
        Some(LabelSelectorOperator::In | LabelSelectorOperator::NotIn) if values.is_empty() => {
            errors.push(values_error(
                "for 'in', 'notin' operators, values set can't be empty",
            ));
        }
        Some(LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist)
            if !values.is_empty() =>
        {
            errors.push(values_error(
                "values set must be empty for exists and does not exist",
            ));
        }
        Some(_) => {}
    }
    for (i, v) in values.iter().enumerate() {
        let value_errs = is_valid_label_value(v);
        if !value_errs.is_empty() {
            errors.push(FieldError::invalid(
                format!("values[{i}][{key}]"),
                v,
                value_errs.join("; "),
            ));
        }
    }
    errors.dedup();
    (!errors.is_empty()).then_some(InvalidLabelSelector { errors })
}

/// A label selector `metav1.LabelSelectorAsSelector` refuses: the field
/// errors of its first invalid requirement. Displayed as upstream's
/// aggregate (one error as itself, several as `[a, b]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidLabelSelector {
    /// The errors, in the order upstream finds them.
    pub errors: Vec<FieldError>,
}

impl fmt::Display for InvalidLabelSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&aggregate_message(&self.errors))
    }
}

impl std::error::Error for InvalidLabelSelector {}

/// The error `metav1.LabelSelectorAsSelector` returns for `selector`, if any:
/// the first invalid requirement (match labels first, in key order, then
/// match expressions), worded as Kubernetes words it.
///
/// ```
/// use kubelogic::model::{validation::label_selector_error, LabelSelector};
///
/// let sel: LabelSelector = serde_json::from_str(
///     r#"{"matchExpressions": [{"key": "app", "operator": "In", "values": ["a b"]}]}"#)?;
/// let err = label_selector_error(&sel).unwrap();
/// assert!(err.to_string().starts_with("values[0][app]: Invalid value: \"a b\""));
/// assert_eq!(err.errors[0].field, "values[0][app]");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn label_selector_error(selector: &LabelSelector) -> Option<InvalidLabelSelector> {
    for (k, v) in &selector.match_labels {
        if let Some(e) = requirement_error(k, None, std::slice::from_ref(v)) {
            return Some(e);
        }
    }
    selector
        .match_expressions
        .iter()
        .find_map(|r| requirement_error(&r.key, Some(r.operator), &r.values))
}

/// The weight checks of `validateAffinity` (`pkg/apis/core/validation/validation.go`):
/// `ValidatePreferredSchedulingTerms` for node affinity and
/// `validateWeightedPodAffinityTerms` for pod (anti-)affinity reject a
/// preferred term whose weight is outside 1–100, at
/// `<path>.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[i].weight`
/// (and `podAffinity`, `podAntiAffinity`). The API server refuses such a
/// pod, so the scheduler never scores one.
///
/// ```
/// use kubelogic::model::{from_json_str, validation::validate_affinity_weights, Affinity};
///
/// let affinity: Affinity = from_json_str(r#"{"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution":
///     [{"weight": -5, "preference": {}}]}}"#)?;
/// let errors = validate_affinity_weights(&affinity, "spec.affinity");
/// assert_eq!(errors[0].to_string(), "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: \
///     Invalid value: -5: must be in the range 1-100");
/// # Ok::<(), kubelogic::model::ModelError>(())
/// ```
pub fn validate_affinity_weights(affinity: &Affinity, path: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut check = |field: String, weight: i32| {
        if weight <= 0 || weight > 100 {
            errors.push(FieldError::invalid_rendered(
                field,
                weight.to_string(),
                "must be in the range 1-100",
            ));
        }
    };
    const PREFERRED: &str = "preferredDuringSchedulingIgnoredDuringExecution";
    if let Some(na) = &affinity.node_affinity {
        let terms = &na.preferred_during_scheduling_ignored_during_execution;
        for (i, term) in terms.iter().enumerate() {
            check(
                format!("{path}.nodeAffinity.{PREFERRED}[{i}].weight"),
                term.weight,
            );
        }
    }
    for (name, pa) in [
        ("podAffinity", &affinity.pod_affinity),
        ("podAntiAffinity", &affinity.pod_anti_affinity),
    ] {
        let terms = pa
            .iter()
            .flat_map(|a| &a.preferred_during_scheduling_ignored_during_execution);
        for (j, term) in terms.enumerate() {
            check(
                format!("{path}.{name}.{PREFERRED}[{j}].weight"),
                term.weight,
            );
        }
    }
    errors
}

#[cfg(test)]
mod selector_tests {
    use super::*;

    #[test]
    fn label_value_message_is_upstreams() {
        let errs = is_valid_label_value("{{.bad-value.}}");
        assert_eq!(errs, vec!["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_owned()]);
    }

    #[test]
    fn qualified_names() {
        assert!(is_qualified_name("kubernetes.io/hostname").is_empty());
        assert!(is_qualified_name("zone").is_empty());
        assert_eq!(
            is_qualified_name("/x"),
            vec!["prefix part must be non-empty"]
        );
        assert_eq!(is_qualified_name("a/b/c").len(), 1);
        assert_eq!(is_qualified_name("Example.com/x").len(), 1);
        assert_eq!(is_qualified_name(&"a".repeat(64)).len(), 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names() {
        assert!(is_qualified_name("a").is_empty());
        assert!(is_qualified_name("kubernetes.io/hostname").is_empty());
        assert!(!is_qualified_name("a/b/c").is_empty());
        assert!(!is_qualified_name("/b").is_empty());
        assert!(!is_qualified_name("Example.com/b").is_empty());
        assert!(!is_qualified_name(&"a".repeat(64)).is_empty());
        assert!(is_qualified_name(&"a".repeat(63)).is_empty());
    }

    #[test]
    fn field_error_messages() {
        let e = FieldError::invalid("a.b", "x y", "bad");
        assert_eq!(e.to_string(), "a.b: Invalid value: \"x y\": bad");
        let e = FieldError::required("s", "at least one point must be specified");
        assert_eq!(
            e.to_string(),
            "s: Required value: at least one point must be specified"
        );
        assert_eq!(go_string_slice(&["a".into()]), "[]string{\"a\"}");
    }
}
