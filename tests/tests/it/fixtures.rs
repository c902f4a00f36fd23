//! The data-driven harness: every declaration under `fixtures/` is checked and its full
//! report is an insta snapshot, so a change to a rule, a tariff or the reader shows up as a
//! reviewed diff of real outcomes.
//!
//! The folder says what a fixture must produce, as rust-analyzer's `ok`/`err` folders do:
//! `valid/` no errors and no warnings, `invalid/` at least one error, `warnings/` warnings
//! but no error, `other/` a "not a declaration" finding, `restricted/` goods flagged by the
//! screening stage, `sanctions/` a party matched against the sanctions lists.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use std::sync::OnceLock;

use preclear::{CheckOptions, Checker, Date, Report, Severity, Tariffs, codes};

/// The bundled tariffs, loaded once for all fixtures.
fn tariffs() -> &'static Tariffs {
    static TARIFFS: OnceLock<Tariffs> = OnceLock::new();
    TARIFFS.get_or_init(Tariffs::bundled)
}

/// Checks one fixture file, naming it by its path from the workspace root. Declarations that
/// give no date are checked at a fixed date, so reports do not change with the clock.
fn check_fixture(path: &Path) -> (String, Report) {
    let root = preclear_tests::workspace_root();
    let relative = path.strip_prefix(&root).unwrap_or(path);
    let name = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let bytes = std::fs::read(path).unwrap();
    let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
    let report = Checker::new(tariffs(), options).check(&name, &bytes);
    (name, report)
}

fn folder_of(name: &str) -> &str {
    name.split('/').nth(1).unwrap_or_default()
}

fn assert_folder_expectation(name: &str, report: &Report) {
    let counts = report.counts();
    let summary = || {
        report
            .findings
            .iter()
            .map(|finding| format!("{} {} {}", finding.code, finding.severity, finding.message))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match folder_of(name) {
        "valid" => {
            assert!(
                counts.errors == 0 && counts.warnings == 0,
                "{name} must be clean:\n{}",
                summary()
            );
            assert!(report.declaration.is_some(), "{name} must read as a declaration");
        }
        "invalid" => assert!(counts.errors > 0, "{name} must have an error"),
        "warnings" => {
            assert!(
                counts.errors == 0 && counts.warnings > 0,
                "{name} must have warnings only:\n{}",
                summary()
            );
        }
        "other" => assert!(
            report.findings.iter().any(|finding| finding.code == codes::READ_NOT_A_DECLARATION
                && finding.severity == Severity::Error),
            "{name} must be recognised as not a declaration"
        ),
        "restricted" => {
            let flags: Vec<_> = report
                .declaration
                .iter()
                .flat_map(|declaration| &declaration.items)
                .flat_map(|item| &item.flags)
                .collect();
            assert!(
                flags.iter().any(|flag| flag.status != "satisfied"),
                "{name} must flag goods as prohibited, needing a document, or to check:\n{}",
                summary()
            );
            assert!(
                report
                    .findings
                    .iter()
                    .filter(|finding| finding.code.id.starts_with("PC-PR-"))
                    .count()
                    >= flags.len(),
                "{name}: every flag must come with a PC-PR finding"
            );
        }
        "sanctions" => assert!(
            report.parties.iter().any(|party| !party.matches.is_empty()),
            "{name} must match a party against the sanctions lists:\n{}",
            summary()
        ),
        other => panic!(
            "{name}: fixtures belong in valid/, invalid/, warnings/, other/, restricted/ or sanctions/, not {other}/"
        ),
    }
}

#[test]
fn every_fixture_report_matches_its_snapshot() {
    insta::glob!("../../../fixtures", "**/*.xml", |path| {
        let (name, report) = check_fixture(path);
        assert_folder_expectation(&name, &report);
        insta::assert_json_snapshot!(report);
    });
}

#[test]
fn fixtures_cover_every_folder() {
    for folder in ["valid", "invalid", "warnings", "other", "restricted", "sanctions"] {
        let dir = preclear_tests::workspace_root().join("fixtures").join(folder);
        let count = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|e| e == "xml"))
            .count();
        assert!(count > 0, "fixtures/{folder} holds no fixture");
    }
}
