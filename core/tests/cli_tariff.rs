//! The `preclear` subcommands as a user runs them (`tariff show`, `tariff import`, `reconcile`, `check --limit`): output and exit codes.

// Test helpers may unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

fn preclear(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_preclear")).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn show_prints_the_line_and_its_measures() {
    let output = preclear(&["tariff", "show", "8510.90.00.00", "--date", "2024-01-01"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("8510900000 Parts (declarable, valid from 1972-01-01)\n"), "{text}");
    assert!(text.contains("  103 Third country duty: 2.0%\n"), "{text}");
    assert!(text.contains("  305 Value added tax: 20.00 %\n"), "{text}");
}

#[test]
fn show_json_follows_the_contract() {
    let output = preclear(&[
        "tariff",
        "show",
        "0402.29.50.00",
        "--tariff",
        "us",
        "--format",
        "json",
        "--date",
        "2026-06-01",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["code"], "0402295000");
    assert_eq!(json["declarable"], true);
    assert_eq!(json["description"], "Other");
    let general = &json["measures"][0];
    for key in [
        "type",
        "origin",
        "expression",
        "expression_source",
        "additional_code",
        "conditions",
        "legal_basis",
    ] {
        assert!(general.get(key).is_some(), "missing {key}");
    }
    assert_eq!(general["type"], "general");
    assert_eq!(general["expression_source"], "$1.104/kg + 14.9%");
}

#[test]
fn exit_codes_say_what_went_wrong() {
    let not_found = preclear(&["tariff", "show", "9999999999", "--date", "2024-01-01"]);
    assert_eq!(not_found.status.code(), Some(1));
    assert!(
        stderr(&not_found).contains("9999999999 is not in the tariff"),
        "{}",
        stderr(&not_found)
    );
    let bad_code = preclear(&["tariff", "show", "85x9", "--date", "2024-01-01"]);
    assert_eq!(bad_code.status.code(), Some(2));
    let bad_date = preclear(&["tariff", "show", "8510900000", "--date", "2024-13-01"]);
    assert_eq!(bad_date.status.code(), Some(2));
    let bad_pack = preclear(&["tariff", "show", "8510900000", "--tariff", "/nonexistent/pack"]);
    assert_eq!(bad_pack.status.code(), Some(2));
    assert!(stderr(&bad_pack).contains("cannot read"), "{}", stderr(&bad_pack));
}

#[test]
fn import_names_the_missing_file() {
    let out = std::env::temp_dir().join(format!("preclear-cli-import-{}", std::process::id()));
    let output = preclear(&[
        "tariff",
        "import",
        "eu-cet",
        "/nonexistent/cet.csv",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), "error: /nonexistent/cet.csv: file not found\n");
    let unknown = preclear(&["tariff", "import", "nonsense", "x", "--out", &out.to_string_lossy()]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn reconcile_agrees_or_exits_one_on_a_difference() {
    let declaration = "../fixtures/valid/import-standard-h1.xml";
    let agreeing = preclear(&[
        "reconcile",
        declaration,
        "../fixtures/other/notification-dmstax-standard-h1.xml",
    ]);
    assert_eq!(agreeing.status.code(), Some(0), "{}", stderr(&agreeing));
    let text = stdout(&agreeing);
    assert!(text.contains(": 2 of 2 lines match (tax point 2024-03-11)\n"), "{text}");
    let differing = preclear(&[
        "reconcile",
        declaration,
        "../fixtures/other/notification-dmstax-no-namespace.xml",
        "--format",
        "json",
    ]);
    assert_eq!(differing.status.code(), Some(1), "{}", stderr(&differing));
    let json = stdout(&differing);
    assert!(json.contains(r#""matched":0,"total":2"#), "{json}");
    assert!(json.contains("amount: 130.14 charged, 96.40 computed"), "{json}");
    assert!(json.contains("rate: 2.70 charged, 2.00 computed"), "{json}");
    let swapped = preclear(&[
        "reconcile",
        "../fixtures/other/notification-dmstax-standard-h1.xml",
        declaration,
    ]);
    assert_eq!(swapped.status.code(), Some(2));
    assert!(stderr(&swapped).contains("is not a notification"), "{}", stderr(&swapped));
}

#[test]
fn check_limits_are_set_with_limit() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/valid/import-standard-h1.xml");
    let output = preclear(&["check", fixture, "--format", "json", "--date", "2025-01-01"]);
    assert!(!stdout(&output).contains("PC-READ-017"), "{}", stdout(&output));
    let output = preclear(&[
        "check",
        fixture,
        "--format",
        "json",
        "--date",
        "2025-01-01",
        "--limit",
        "depth=3",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("PC-READ-017") && report.contains("nested more than 3 deep"),
        "{report}"
    );
    let output = preclear(&["check", fixture, "--limit", "width=3"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stderr(&output).contains("no limit `width`"), "{}", stderr(&output));
}
