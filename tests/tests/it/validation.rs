//! Validation against HMRC's decisions on its own samples.
//!
//! - The three rejected variants of the exports-examples import each produce an error with
//!   the DMS code of their rejection notification, at the element its pointers name; the
//!   accepted original produces none.
//! - Across `hmrc-cds`, every declaration HMRC accepted or cleared (a DMSACC or DMSCLE
//!   notification beside it) produces no error; one snapshot lists, per declaration, the
//!   error codes found, so a rule change shows up as a reviewed diff. A declaration without
//!   a date of its own is checked at the date of HMRC's decision (one sample was accepted in
//!   2021 and rejected when resubmitted after the 2023 alcohol duty reform).
//! - Every rejection notification in `hmrc-cds` whose declaration is in the corpus is
//!   compared the same way: caught at the same element, or listed as not caught.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use preclear::decl::pointer::pointer_path;
use preclear::decl::read;
use preclear::{CheckOptions, Checker, Date, Report, Severity, Tariffs};

fn tariffs() -> &'static Tariffs {
    static TARIFFS: OnceLock<Tariffs> = OnceLock::new();
    TARIFFS.get_or_init(Tariffs::bundled)
}

/// Checks a corpus file; declarations without a date are checked at `date` (the date of
/// HMRC's decision when there is one), else at a fixed date.
fn check_file_at(path: &Path, date: Option<Date>) -> Report {
    let bytes = std::fs::read(path).unwrap();
    let options = CheckOptions { date: date.or(Date::new(2025, 1, 1)), ..CheckOptions::default() };
    Checker::new(tariffs(), options).check(&path.display().to_string(), &bytes)
}

fn check_file(path: &Path) -> Report {
    check_file_at(path, None)
}

/// The issue date of a notification: when HMRC decided.
fn notification_date(path: &Path) -> Option<Date> {
    let bytes = std::fs::read(path).ok()?;
    let parsed = read(&bytes);
    parsed.notification()?.responses.first()?.issue_date_time.as_ref()?.date
}

/// The (DMS code, path) of every error of a rejection notification, decoded against the
/// declaration it answers.
fn rejection_errors(notification: &Path, declaration: &Path) -> Vec<(String, String)> {
    let declaration_bytes = std::fs::read(declaration).unwrap();
    let parsed_declaration = read(&declaration_bytes);
    let model = parsed_declaration.declaration().map(|document| &document.declaration);
    let bytes = std::fs::read(notification).unwrap();
    let parsed = read(&bytes);
    let notification = parsed.notification().unwrap();
    let mut errors = Vec::new();
    for response in &notification.responses {
        for error in &response.errors {
            let code = error.validation_code.as_ref().unwrap().as_str().replace("CDS", "DMS");
            let path = pointer_path(&error.pointers, model).unwrap_or_default();
            errors.push((code, path));
        }
    }
    errors
}

fn finds(report: &Report, code: &str, path: &str) -> bool {
    report.findings.iter().any(|finding| {
        finding.severity == Severity::Error
            && finding.dms_code == Some(code)
            && finding.location.as_ref().is_some_and(|location| location.path == path)
    })
}

#[test]
fn rejected_variants_are_caught_where_hmrc_points() {
    let imports = preclear_tests::shared("corpus/hmrc-exports-examples/example_messages/Imports");
    let cases = [
        (
            "Format_Rejection",
            "TT1_IM_v2.02_Rejected_Format.xml",
            "TT1_IM_v2.01_Rejected_Format_Notification.xml",
        ),
        (
            "Obligation_Rejection",
            "TT1_IM_v2.02_Rejected_Obligation_Netmass.xml",
            "TT1_IM_v2.01_Rejected_Obligation_Netmass_Notification.xml",
        ),
        (
            "Ref_Data_Rejection",
            "TT1_IM_v2.02_Rejected_RefData.xml",
            "TT1_IM_v2.01_Rejected_RefData_Notification.xml",
        ),
    ];
    let mut expected_codes = Vec::new();
    for (folder, declaration, notification) in cases {
        let declaration =
            imports.join("Rejected").join(folder).join("Declaration").join(declaration);
        let notification =
            imports.join("Rejected").join(folder).join("Example_Notification").join(notification);
        let report = check_file(&declaration);
        for (code, path) in rejection_errors(&notification, &declaration) {
            assert!(
                finds(&report, &code, &path),
                "{folder}: no error {code} at {path}; findings: {:#?}",
                report.findings
            );
            expected_codes.push(code);
        }
    }
    assert_eq!(expected_codes, ["DMS10020", "DMS10001", "DMS12050"]);
    let accepted = check_file(&imports.join("Accepted/Declaration/TT1_IM_v2.02_Accepted.xml"));
    assert!(!accepted.has_errors(), "the accepted declaration: {:#?}", accepted.findings);
}

/// What HMRC decided about each declaration folder (the notifications beside the
/// declarations), and when.
fn decision(folder: &Path) -> (&'static str, Option<Date>) {
    let files = preclear_tests::xml_files(folder);
    let named = |part: &str| {
        files.iter().find(|path| path.file_name().unwrap().to_string_lossy().contains(part))
    };
    if let Some(accepted) = named("DMSACC").or_else(|| named("DMSCLE")) {
        ("accepted", notification_date(accepted))
    } else if let Some(rejected) = named("DMSREJ") {
        ("rejected", notification_date(rejected))
    } else {
        ("unknown", None)
    }
}

#[test]
fn corpus_declarations_and_hmrc_decisions() {
    let root = preclear_tests::shared("corpus/hmrc-cds");
    let mut lines = Vec::new();
    let mut false_positives = Vec::new();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for path in preclear_tests::xml_files(&root) {
        if read(&std::fs::read(&path).unwrap()).declaration().is_none() {
            continue;
        }
        let folder = path.parent().unwrap();
        // Notifications sit beside the declaration or in an Example_Notifications folder.
        let folder = if folder.file_name().is_some_and(|name| name == "Movement_Messages") {
            folder.parent().unwrap()
        } else {
            folder
        };
        let (decided, decided_on) = decision(folder);
        // A declaration without a date of its own is checked at the date HMRC decided on it.
        let report = check_file_at(&path, decided_on);
        let mut codes: Vec<String> = report
            .findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .map(|finding| {
                format!(
                    "{}{}",
                    finding.code,
                    finding.dms_code.map(|code| format!("/{code}")).unwrap_or_default()
                )
            })
            .collect();
        codes.sort();
        codes.dedup();
        let entry = counts.entry(decided).or_default();
        entry.0 += 1;
        if !codes.is_empty() {
            entry.1 += 1;
        }
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        if decided == "accepted" && !codes.is_empty() {
            false_positives.push(format!("{name}: {codes:?}"));
        }
        lines.push(format!(
            "{name} ({decided}): {}",
            if codes.is_empty() { "no errors".to_owned() } else { codes.join(", ") }
        ));
    }
    assert!(false_positives.is_empty(), "accepted declarations with errors: {false_positives:#?}");
    let mut summary = String::new();
    for (decided, (total, with_errors)) in &counts {
        let _ = writeln!(summary, "{decided}: {total} declarations, {with_errors} with errors");
    }
    summary.push('\n');
    summary.push_str(&lines.join("\n"));
    insta::assert_snapshot!(summary);
}

#[test]
fn corpus_rejections_compared_with_hmrc() {
    let root = preclear_tests::shared("corpus/hmrc-cds");
    let mut lines = Vec::new();
    for notification in preclear_tests::xml_files(&root)
        .into_iter()
        .filter(|path| path.to_string_lossy().contains("DMSREJ"))
    {
        let folder = notification.parent().unwrap();
        let folder = if folder.file_name().is_some_and(|name| name == "Example_Notifications") {
            folder.parent().unwrap()
        } else {
            folder
        };
        let declarations: Vec<PathBuf> = preclear_tests::xml_files(folder)
            .into_iter()
            .filter(|path| read(&std::fs::read(path).unwrap()).declaration().is_some())
            .collect();
        let Some(declaration) = declarations.first() else { continue };
        let report = check_file_at(declaration, notification_date(&notification));
        for (code, path) in rejection_errors(&notification, declaration) {
            let verdict = if finds(&report, &code, &path) { "caught" } else { "not caught" };
            let name = notification.strip_prefix(&root).unwrap().display();
            lines.push(format!("{name}: {code} at {path}: {verdict}"));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}
