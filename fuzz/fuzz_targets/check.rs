//! The whole check (read, validate, assess against the bundled tariffs, screen, risk) and
//! both renderings of its report, on arbitrary bytes: no panic, no hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use preclear::report::{TextOptions, render_text};
use preclear::{CheckOptions, Checker, Date, Tariffs};

fn tariffs() -> &'static Tariffs {
    static TARIFFS: OnceLock<Tariffs> = OnceLock::new();
    TARIFFS.get_or_init(Tariffs::bundled)
}

// The tariffs are loaded before the first input, so that loading them is not counted
// against the first input's time.
fuzz_target!(init: { let _ = tariffs(); }, |data: &[u8]| {
    let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
    let report = Checker::new(tariffs(), options).check("fuzz.xml", data);
    report.to_json_line().expect("a report serialises");
    let _ = render_text(&report, Some(data), TextOptions::default());
});
