//! The check: read a declaration, then run every stage over it, into one [`Report`].

use crate::codes;
use crate::decl::{self, Document, ReadOptions};
use crate::finding::Finding;
use crate::report::{DeclarationReport, DocumentInfo, PartyReport, REPORT_VERSION, Report};

/// Options for a check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Options for reading the input.
    pub read: ReadOptions,
}

/// Checks one input. `file` is the name the report carries (`-` for standard input).
#[must_use]
pub fn check(file: &str, input: &[u8], options: &CheckOptions) -> Report {
    let parsed = decl::read_with(input, &options.read);
    let mut findings = parsed.findings;
    let mut report = Report {
        report_version: REPORT_VERSION,
        file: file.to_owned(),
        document: DocumentInfo {
            kind: "unreadable",
            description: "the input could not be read; nothing was checked".to_owned(),
        },
        tariff: None,
        declaration: None,
        totals: Vec::new(),
        parties: Vec::new(),
        lane: None,
        findings: Vec::new(),
    };
    match &parsed.document {
        Some(Document::Declaration(document)) => {
            report.document = DocumentInfo {
                kind: "declaration",
                description: format!(
                    "{} declaration",
                    document.declaration.type_code.as_ref().map_or("untyped", |code| code.as_str())
                ),
            };
            report.declaration = Some(DeclarationReport::of(&document.declaration));
            report.parties = PartyReport::all(&document.declaration);
        }
        Some(Document::Notification(notification)) => {
            let names = notification.message_names();
            report.document = DocumentInfo {
                kind: "notification",
                description: format!("a DMS notification ({names})"),
            };
            findings.push(
                Finding::new(
                    codes::READ_NOT_A_DECLARATION,
                    format!("this file is a DMS notification ({names}) from the customs authority, not a declaration"),
                )
                .with_help("check the declaration it answers instead"),
            );
        }
        Some(Document::Other(other)) => {
            let description = other.describe();
            report.document = DocumentInfo { kind: "other", description: description.clone() };
            findings.push(
                Finding::new(
                    codes::READ_NOT_A_DECLARATION,
                    format!("this file is {description}, not a customs declaration"),
                )
                .with_help("Preclear checks WCO DMS declarations (`MetaData/Declaration`)"),
            );
        }
        None => {}
    }
    report.findings = findings;
    report
}
