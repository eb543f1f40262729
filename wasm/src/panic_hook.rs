//! A panic hook that reports Rust panics on the browser console.
//!
//! The same job as the `console_error_panic_hook` crate, without the extra
//! dependency: the message, its source location and the JavaScript stack go to
//! `console.error`, so a bug in the bindings or the core shows up in the
//! developer tools instead of as a bare `RuntimeError: unreachable`.

use std::panic::{self, PanicHookInfo};
use std::sync::Once;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);

    /// A JavaScript `Error`, created only to read its `stack`.
    #[wasm_bindgen(js_name = Error)]
    type StackTrace;

    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new() -> StackTrace;

    #[wasm_bindgen(structural, method, getter)]
    fn stack(this: &StackTrace) -> String;
}

/// Installs the hook; later calls do nothing.
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| panic::set_hook(Box::new(report)));
}

fn report(info: &PanicHookInfo<'_>) {
    let stack = StackTrace::new().stack();
    console_error(&format!(
        "kubelogic-wasm panicked (this is a bug, please report it): {info}\n\nStack:\n\n{stack}"
    ));
}
