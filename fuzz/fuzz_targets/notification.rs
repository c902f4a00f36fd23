//! The notification reader on arbitrary bytes, and what uses a notification: its message
//! names, its tax point, the pointers of its errors, and the reconciliation of its tax
//! lines with an assessed declaration. No panic, no hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use preclear::assess::reconcile::{reconcile, tax_point};
use preclear::decl::pointer::pointer_path;
use preclear::{CheckOptions, Checker, Date, Report, Tariffs};

/// A declaration assessed against the bundled UK tariff, which notifications reconcile with.
fn assessed() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        let tariffs = Tariffs::bundled();
        let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
        let input = include_bytes!("../../fixtures/valid/import-standard-h1.xml");
        Checker::new(&tariffs, options).check("declaration.xml", input)
    })
}

// The declaration is assessed before the first input, so that loading the bundled tariffs is
// not counted against the first input's time.
fuzz_target!(init: { let _ = assessed(); }, |data: &[u8]| {
    let parsed = preclear::decl::read(data);
    let Some(notification) = parsed.notification() else { return };
    let _ = notification.message_names();
    let _ = tax_point(notification);
    serde_json::to_string(notification).expect("a notification serialises");
    for response in &notification.responses {
        for error in &response.errors {
            let _ = pointer_path(&error.pointers, response.original_declaration.as_ref());
        }
    }
    let reconciliation = reconcile(assessed(), notification);
    let _ = (reconciliation.matched(), reconciliation.agrees());
    serde_json::to_string(&reconciliation).expect("a reconciliation serialises");
});
