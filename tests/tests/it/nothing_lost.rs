//! Nothing lost: every element and attribute of every corpus file and fixture is either read
//! into the model or reported by a finding.
//!
//! An independent parser (roxmltree) counts the input's elements and attributes; the reader's
//! [`preclear::decl::xml::ReadStats`] counts what it modelled and what it reported. The two
//! must add up exactly. Namespace declarations are not attributes (neither side counts them);
//! `xsi:schemaLocation` is a validator hint and counted on its own. Inputs that are refused
//! whole (not well-formed, a DOCTYPE, not UTF-8) or recognised as another kind of document
//! (inventory linking, DIS reports) are reported by that one finding.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use preclear::decl::{Document, read};
use preclear::{CheckOptions, check, codes};
use preclear_tests::xml_files;

/// Elements, attributes, and `xsi:schemaLocation`-type attributes, as roxmltree sees them.
fn count(text: &str) -> Option<(usize, usize, usize)> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let document = roxmltree::Document::parse_with_options(text, options).ok()?;
    let (mut elements, mut attributes, mut hints) = (0, 0, 0);
    for node in document.descendants().filter(roxmltree::Node::is_element) {
        elements += 1;
        for attribute in node.attributes() {
            attributes += 1;
            if attribute.namespace() == Some("http://www.w3.org/2001/XMLSchema-instance")
                && matches!(attribute.name(), "schemaLocation" | "noNamespaceSchemaLocation")
            {
                hints += 1;
            }
        }
    }
    Some((elements, attributes, hints))
}

#[derive(Debug, Default)]
struct Tally {
    accounted: usize,
    refused: usize,
    other: usize,
    elements: usize,
    reported_elements: usize,
    attributes: usize,
    reported_attributes: usize,
}

fn walk(path: &Path, tally: &mut Tally, failures: &mut Vec<String>) {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).unwrap();
    let parsed = read(&bytes);
    match &parsed.document {
        None => {
            assert!(
                parsed.findings.iter().any(preclear::Finding::is_error),
                "{name}: no document, yet no error"
            );
            tally.refused += 1;
            return;
        }
        Some(Document::Other(_)) => {
            let report = check(&name, &bytes, &CheckOptions::default());
            assert!(
                report.findings.iter().any(|finding| finding.code == codes::READ_NOT_A_DECLARATION),
                "{name}: another kind of document, yet not reported as such"
            );
            tally.other += 1;
            return;
        }
        Some(Document::Declaration(_) | Document::Notification(_)) => {}
    }
    let Some((elements, attributes, hints)) = std::str::from_utf8(&bytes).ok().and_then(count)
    else {
        // Read by Preclear but refused by roxmltree: only trailing content after the root,
        // which Preclear reports.
        assert!(
            parsed.findings.iter().any(|finding| finding.code == codes::READ_TRAILING_CONTENT),
            "{name}: roxmltree cannot read it, and Preclear reports no trailing content"
        );
        tally.refused += 1;
        return;
    };
    let stats = &parsed.stats;
    if elements != stats.modelled_elements + stats.reported_elements {
        failures.push(format!(
            "{name}: {elements} elements in the input, {} modelled + {} reported",
            stats.modelled_elements, stats.reported_elements
        ));
    }
    if attributes != stats.modelled_attributes + stats.reported_attributes + stats.schema_hints
        || stats.schema_hints > hints
    {
        failures.push(format!(
            "{name}: {attributes} attributes ({hints} schema hints) in the input, {} modelled + {} reported + {} hints",
            stats.modelled_attributes, stats.reported_attributes, stats.schema_hints
        ));
    }
    if stats.reported_elements + stats.reported_attributes > 0 && parsed.findings.is_empty() {
        failures.push(format!("{name}: elements reported, yet no finding"));
    }
    tally.accounted += 1;
    tally.elements += elements;
    tally.reported_elements += stats.reported_elements;
    tally.attributes += attributes;
    tally.reported_attributes += stats.reported_attributes;
}

#[test]
fn every_element_and_attribute_is_modelled_or_reported() {
    let mut files = xml_files(&preclear_tests::shared("corpus/hmrc-cds"));
    files.extend(xml_files(&preclear_tests::shared("corpus/hmrc-exports-examples")));
    let corpus = files.len();
    files.extend(xml_files(&preclear_tests::workspace_root().join("fixtures")));
    files.sort();
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for path in &files {
        walk(path, &mut tally, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} files lose something:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{} corpus files and {} fixtures: {tally:?}", corpus, files.len() - corpus);
    assert!(corpus > 400, "the corpus looks incomplete: {corpus} files");
    assert!(tally.accounted > 500, "{tally:?}");
    assert!(tally.reported_elements > 0 && tally.reported_attributes > 0, "{tally:?}");
}
