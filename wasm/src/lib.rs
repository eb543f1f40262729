//! WebAssembly bindings of [`kubelogic`] for the browser playground.
//!
//! This crate holds DTOs and conversions only, no logic of its own: every
//! exported function takes JavaScript values, converts them into the core's
//! types, calls one core entry point, and converts the answer back. The
//! conventions every entry point follows:
//!
//! - **Names**: one JS function (or handle method) per core entry point, in
//!   camelCase (`parseQuantity`, `explainQos`, `schedule`, `placeAll`,
//!   `parseEvictionConfig`, `evictionRun`; handles `Cluster`,
//!   `ScheduleOutcome` and `EvictionSimulator`); DTO fields are camelCase too.
//! - **Inputs**: Kubernetes objects as JSON text or plain JS objects, options
//!   objects as plain JS objects; every one becomes JSON text (a JS value
//!   through `JSON.stringify`) read by the core's serde derives, so errors
//!   carry the field path ([`input`]). No reader of the bindings' own.
//! - **Results**: plain JS objects produced by `serde-wasm-bindgen`'s
//!   JSON-compatible serializer ([`convert::to_js`]), so Rust maps become plain
//!   objects and every result survives `JSON.stringify`.
//! - **Errors**: a thrown JS `Error` whose `message` is the core's message and
//!   whose extra `path` property names the input field at fault
//!   ([`error::BindingError`]); core errors that say more (a byte offset, a
//!   kind) carry it as extra properties.
//! - **Panics**: a bug must never leave the page dead silently, so the module's
//!   start function installs a panic hook that writes the panic message and
//!   the JS stack to `console.error` ([`panic_hook`]).
//! - **Types**: TypeScript declarations for each DTO live next to it in a
//!   `typescript_custom_section`, and exported functions name them with
//!   `unchecked_param_type` / `unchecked_return_type`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod convert;
pub mod error;
pub mod eviction;
pub mod input;
pub mod outcome;
pub mod panic_hook;
pub mod qos;
pub mod quantity;
pub mod scheduler;

use wasm_bindgen::prelude::*;

pub use error::BindingError;
pub use eviction::{eviction_run, parse_eviction_config, EvictionSimulator};
pub use outcome::ScheduleOutcome;
pub use qos::{explain_qos, oom_score_adj, qos_class};
pub use quantity::{add_quantities, compare_quantities, parse_quantity, sub_quantities};
pub use scheduler::{place_all, schedule, Cluster};

/// Runs once when the module is instantiated: installs the panic hook.
#[wasm_bindgen(start)]
fn start() {
    panic_hook::install();
}

/// The version of kubelogic these bindings were built from.
#[wasm_bindgen(js_name = kubelogicVersion)]
pub fn kubelogic_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
