//! WebAssembly bindings for Preclear. They only convert types: the core does the work.
//!
//! `check(file, xml)` returns the report as JSON, the same shape `preclear check --format
//! json` prints; `version()` returns the version of the core.

use wasm_bindgen::prelude::wasm_bindgen;

/// The version of Preclear.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Checks a declaration and returns its report as JSON.
///
/// # Errors
///
/// When the report cannot be serialised (it always can; the error crosses as a `JsError`
/// rather than a trap).
#[wasm_bindgen]
pub fn check(file: &str, xml: &str) -> Result<String, wasm_bindgen::JsError> {
    let report = preclear::check(file, xml.as_bytes(), &preclear::CheckOptions::default());
    report.to_json_line().map_err(|error| wasm_bindgen::JsError::new(&error.to_string()))
}
