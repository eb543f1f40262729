//! A scheduling result kept in wasm memory, read lazily from JavaScript.
//!
//! [`Cluster::schedule`](crate::Cluster::schedule) converts the whole
//! `ScheduleResult` into a plain JS object: one row per node, every feasible
//! node's name. On a 5,000-node cluster that conversion costs more than the
//! scheduling cycle itself. [`ScheduleOutcome`] (from
//! `Cluster.scheduleOutcome`) keeps the result on the Rust side instead: the
//! decision (`selected`, `message`, counts) costs a few bytes, and rows are
//! converted only when asked for (`node(name)`, `rows(start, end)`,
//! `feasibleNames(start, end)`), in exactly the shape of
//! `ScheduleResult.nodes` entries. `toJSON()` gives the full `ScheduleResult`,
//! so `JSON.stringify(outcome)` is what `Cluster.schedule` returns.

use kubelogic::scheduler::cycle::{NodeRow, ScheduleResult};
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::scheduler::ScheduleView;

#[wasm_bindgen(typescript_custom_section)]
const TS_OUTCOME: &'static str = r#"
/** `Cluster.scheduleOutcome` options: the profile only (rows are read lazily). */
export interface ScheduleOutcomeOptions {
  profile?: ProfileInput;
}
"#;

/// The outcome of one scheduling cycle, held in wasm memory (free it with
/// `free()` when done, or let the JS garbage collector do it).
#[wasm_bindgen]
#[derive(Debug)]
pub struct ScheduleOutcome {
    result: ScheduleResult,
}

impl ScheduleOutcome {
    /// Wraps a result.
    pub fn new(result: ScheduleResult) -> Self {
        ScheduleOutcome { result }
    }

    /// The result.
    pub fn result(&self) -> &ScheduleResult {
        &self.result
    }
}

/// A string, or `null` (as in the plain result; `Option<String>` would be `undefined`).
fn string_or_null(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// `start..end` clamped to `0..len` (`end` defaults to `len`).
fn range(start: Option<usize>, end: Option<usize>, len: usize) -> std::ops::Range<usize> {
    let end = end.unwrap_or(len).min(len);
    start.unwrap_or(0).min(end)..end
}

#[wasm_bindgen]
impl ScheduleOutcome {
    /// The pod, `namespace/name`.
    #[wasm_bindgen(getter)]
    pub fn pod(&self) -> String {
        self.result.pod.clone()
    }

    /// The chosen node; `null` when nothing fits.
    #[wasm_bindgen(getter, unchecked_return_type = "string | null")]
    pub fn selected(&self) -> JsValue {
        string_or_null(self.result.selected_name())
    }

    /// The exact FailedScheduling event message when nothing fits; else `null`.
    #[wasm_bindgen(getter, unchecked_return_type = "string | null")]
    pub fn message(&self) -> JsValue {
        string_or_null(self.result.message().as_deref())
    }

    /// How many node rows there are (every node of the cluster).
    #[wasm_bindgen(getter, js_name = nodeCount)]
    pub fn node_count(&self) -> usize {
        self.result.nodes.len()
    }

    /// How many nodes passed filtering.
    #[wasm_bindgen(getter, js_name = feasibleCount)]
    pub fn feasible_count(&self) -> usize {
        self.result.feasible.len()
    }

    /// How many nodes share the highest total.
    #[wasm_bindgen(getter, js_name = tiedCount)]
    pub fn tied_count(&self) -> usize {
        self.result.tied.len()
    }

    /// `EvaluatedNodes`: nodes filtered.
    #[wasm_bindgen(getter, js_name = evaluatedNodes)]
    pub fn evaluated_nodes(&self) -> usize {
        self.result.evaluated_nodes
    }

    /// Nodes scored (0 when a single feasible node was chosen directly).
    #[wasm_bindgen(getter, js_name = scoredNodes)]
    pub fn scored_nodes(&self) -> usize {
        self.result.scored_nodes
    }

    /// Every node with the highest total.
    #[wasm_bindgen(getter)]
    pub fn tied(&self) -> Vec<String> {
        self.result.tied_names().map(str::to_owned).collect()
    }

    /// Plugins whose PreFilter returned Skip.
    #[wasm_bindgen(getter, js_name = skippedFilterPlugins)]
    pub fn skipped_filter_plugins(&self) -> Vec<String> {
        self.result
            .skipped_filter_plugins
            .iter()
            .map(|p| (*p).to_owned())
            .collect()
    }

    /// Plugins whose PreScore returned Skip.
    #[wasm_bindgen(getter, js_name = skippedScorePlugins)]
    pub fn skipped_score_plugins(&self) -> Vec<String> {
        self.result
            .skipped_score_plugins
            .iter()
            .map(|p| (*p).to_owned())
            .collect()
    }

    /// What DefaultPreemption did; `null` when it did not run.
    #[wasm_bindgen(getter, unchecked_return_type = "PreemptionResult | null")]
    pub fn preemption(&self) -> Result<JsValue, JsValue> {
        to_js(&self.result.preemption)
    }

    /// The error that stopped the cycle; `null` when none did.
    #[wasm_bindgen(getter, unchecked_return_type = "ScheduleError | null")]
    pub fn error(&self) -> Result<JsValue, JsValue> {
        to_js(&self.result.error)
    }

    /// The names of the feasible nodes `start..end` (in cluster order;
    /// clamped; both omitted: all of them).
    #[wasm_bindgen(js_name = feasibleNames)]
    pub fn feasible_names(&self, start: Option<usize>, end: Option<usize>) -> Vec<String> {
        let names: Vec<&str> = self.result.feasible_names().collect();
        names
            .get(range(start, end, names.len()))
            .unwrap_or_default()
            .iter()
            .map(|n| (*n).to_owned())
            .collect()
    }

    /// The row of the node `name` (as in `ScheduleResult.nodes`); `null`
    /// when the cluster has no such node.
    #[wasm_bindgen(unchecked_return_type = "NodeResult | null")]
    pub fn node(&self, name: &str) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .result
                .node_index(name)
                .and_then(|i| self.result.row(i)),
        )
    }

    /// The rows `start..end` in cluster order (clamped; both omitted: all).
    #[wasm_bindgen(unchecked_return_type = "NodeResult[]")]
    pub fn rows(&self, start: Option<usize>, end: Option<usize>) -> Result<JsValue, JsValue> {
        let rows: Vec<NodeRow<'_>> = range(start, end, self.result.nodes.len())
            .filter_map(|i| self.result.row(i))
            .collect();
        to_js(&rows)
    }

    /// The full result, as `Cluster.schedule` returns it (also what
    /// `JSON.stringify(outcome)` prints).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ScheduleResult")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&ScheduleView::new(&self.result))
    }
}
