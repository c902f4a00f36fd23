//! Duties against HMRC's own calculations.
//!
//! - Golden cases from the corpus hold exactly (type, base, rate, amount), as HMRC printed
//!   them in the scenarios' tax calculation notifications.
//! - Every `*DMSTAX*` notification in `hmrc-cds` is reconciled with its declaration (the one
//!   with the notification's LRN, in its original version: amendments carry only what they
//!   change and are not applied) at HMRC's tax point. One snapshot lists per file
//!   the lines matched out of the lines charged and, for every other line, why it differs,
//!   so a change to the engine or the packs shows up as a reviewed diff.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use preclear::assess::reconcile::{Outcome, reconcile, tax_point};
use preclear::decl::read;
use preclear::{CheckOptions, Checker, Date, Report, Tariffs};

fn corpus() -> PathBuf {
    preclear_tests::shared("corpus/hmrc-cds")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(corpus()).unwrap().display().to_string()
}

fn check_at(tariffs: &Tariffs, path: &Path, tax_point: Option<Date>) -> Report {
    let bytes = std::fs::read(path).unwrap();
    let options =
        CheckOptions { tax_point, date: Date::new(2025, 1, 1), ..CheckOptions::default() };
    Checker::new(tariffs, options).check(&relative(path), &bytes)
}

/// The declaration a notification is about: same LRN (any declaration of the scenario when
/// none carries it), the original rather than an amendment (CDS amendments carry only what
/// they change, and Preclear does not apply them to the original), and whether a later
/// version of it (version 2 or more) was calculated, which the amendment may explain.
fn declaration_for(notification: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    let scenario = corpus().join(relative(notification).split('/').next().unwrap());
    let bytes = std::fs::read(notification).unwrap();
    let parsed = read(&bytes);
    let response = parsed.notification()?.responses.iter().find(|r| r.declaration.is_some())?;
    let about = response.declaration.as_ref()?;
    let lrn = about.functional_reference_id.as_ref().map(|text| text.value.trim().to_owned());
    let version: u32 =
        about.version_id.as_ref().and_then(|text| text.value.trim().parse().ok()).unwrap_or(1);
    let declarations: Vec<(PathBuf, Option<String>, Option<String>)> =
        preclear_tests::xml_files(&scenario)
            .into_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(&path).unwrap();
                let parsed = read(&bytes);
                let declaration = &parsed.declaration()?.declaration;
                let text = |value: Option<&preclear::decl::value::Text>| {
                    value.map(|text| text.value.trim().to_owned())
                };
                Some((
                    path,
                    text(declaration.functional_reference_id.as_ref()),
                    text(declaration.function_code.as_ref()),
                ))
            })
            .collect();
    let same_lrn: Vec<_> = declarations.iter().filter(|(_, other, _)| *other == lrn).collect();
    let candidates: Vec<_> =
        if same_lrn.is_empty() { declarations.iter().collect() } else { same_lrn };
    let amendment = candidates.iter().find(|(_, _, code)| code.as_deref() == Some("13"));
    let original = candidates.iter().find(|(_, _, code)| code.as_deref() != Some("13"));
    let chosen = original.or(amendment)?;
    let amended = amendment.filter(|_| version > 1).map(|(path, _, _)| path.clone());
    Some((chosen.0.clone(), amended))
}

#[test]
fn golden_cases_hold_exactly() {
    let tariffs = Tariffs::bundled();
    let lines = |declaration: &str, notification: &str| {
        let notification = corpus().join(notification);
        let bytes = std::fs::read(&notification).unwrap();
        let point = tax_point(read(&bytes).notification().unwrap());
        let report = check_at(&tariffs, &corpus().join(declaration), point);
        report.declaration.unwrap().items[0]
            .tax_lines
            .iter()
            .map(|line| {
                let base = line.base.as_ref().map(|base| base.amount.to_string());
                format!(
                    "{} {} × {} = {}",
                    line.tax_type,
                    line.rate,
                    base.unwrap_or_default(),
                    line.amount.amount
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        lines("TT_IM001a/Step1_TT_IM001a.xml", "TT_IM001a/Example_Notifications/02_DMSTAX.xml"),
        ["A00 2.00% × 1000.00 = 20.00", "B00 20.00% × 1020.00 = 204.00"]
    );
    let mut steel =
        lines("TT_IM058a/TT_IM058a.xml", "TT_IM058a/Example_Notifications/02_DMSTAX(1).xml");
    steel.sort();
    assert_eq!(
        steel,
        [
            "A00 0.00% × 3000.00 = 0.00",
            "A20 25.00% × 3000.00 = 750.00",
            "A20 35.00% × 3000.00 = 1050.00",
            "B00 20.00% × 4800.00 = 960.00"
        ]
    );
}

#[test]
fn every_tax_calculation_in_the_corpus_is_reconciled() {
    let tariffs = Tariffs::bundled();
    let notifications: Vec<PathBuf> = preclear_tests::xml_files(&corpus())
        .into_iter()
        .filter(|path| path.file_name().unwrap().to_string_lossy().contains("DMSTAX"))
        .collect();
    assert_eq!(notifications.len(), 95, "the corpus has 95 DMSTAX files");
    let (mut matched, mut total, mut files_agreeing) = (0, 0, 0);
    let mut detail = String::new();
    for notification in &notifications {
        let name = relative(notification);
        let Some((declaration, amended)) = declaration_for(notification) else {
            let _ = writeln!(detail, "{name}: no declaration in the corpus");
            continue;
        };
        let bytes = std::fs::read(notification).unwrap();
        let parsed = read(&bytes);
        let document = parsed.notification().unwrap();
        let report = check_at(&tariffs, &declaration, tax_point(document));
        let reconciliation = reconcile(&report, document);
        matched += reconciliation.matched();
        total += reconciliation.lines.len();
        files_agreeing += usize::from(reconciliation.agrees());
        let amended = amended
            .map(|path| format!(", version 2 after amendment {} (not applied)", relative(&path)))
            .unwrap_or_default();
        let _ = writeln!(
            detail,
            "{name} ({}{amended}): {}/{}",
            relative(&declaration),
            reconciliation.matched(),
            reconciliation.lines.len()
        );
        for line in &reconciliation.lines {
            let why = match &line.outcome {
                Outcome::Matched => continue,
                Outcome::Differs { differences } => differences.join("; "),
                Outcome::NotComputed { reasons } => format!("not computed: {}", reasons.join("; ")),
            };
            let _ = writeln!(detail, "    item {} {}: {why}", line.item, line.authority.tax_type);
        }
        for extra in &reconciliation.extra {
            let _ = writeln!(
                detail,
                "    item {} {}: computed {} ({}) but not charged",
                extra.item,
                extra.computed.tax_type,
                extra.computed.amount.amount,
                extra.computed.formula
            );
        }
    }
    let summary = format!(
        "{} notifications, {files_agreeing} agreeing in full; lines matched: {matched} of {total}\n\n{detail}",
        notifications.len()
    );
    insta::assert_snapshot!(summary);
}
