//! Conformance against HMRC's published CDS samples (`$PRECLEAR_SHARED/corpus`).
//!
//! One summary snapshot lists, per file, what it was read as and its findings by code (the
//! oxc coverage-snapshot habit): any change in how the corpus reads shows up as a diff.
//! The assertions hold the acceptance points: declarations read without errors, the files
//! that are not well-formed fail once at the right line, multi-item declarations list every
//! item as the file has it (checked against an independent XML parser), and no prefix of any
//! file makes the reader panic.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use preclear::decl::{Document, read};
use preclear::{CheckOptions, Severity, check, codes};

/// Corpus files that are not well-formed XML as published, with the line of the one error
/// each must give. All three have a comment that is not closed where intended, so a later
/// `<!--` puts `--` inside it.
const NOT_WELL_FORMED: &[(&str, u32)] = &[
    ("hmrc-cds/TT_EX002a/TT_EX002a.xml", 72),
    ("hmrc-cds/TT_EX022a/TT_EX022a_Declaration1_(Step1).xml", 52),
    ("hmrc-cds/TT_IM084a/TT_IM084a.xml", 164),
];

fn corpus_files() -> Vec<PathBuf> {
    let mut files = preclear_tests::xml_files(&preclear_tests::shared("corpus/hmrc-cds"));
    files
        .extend(preclear_tests::xml_files(&preclear_tests::shared("corpus/hmrc-exports-examples")));
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    let corpus = preclear_tests::shared("corpus");
    path.strip_prefix(&corpus)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether an independent parser sees a `Declaration` in the DEC-DMS namespace under a
/// `MetaData` root (or inside the MDG envelope).
fn is_dec_dms_declaration(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let Ok(document) = roxmltree::Document::parse(text) else { return false };
    let root = document.root_element();
    let metadata = if root.tag_name().name() == "MetaData" {
        Some(root)
    } else {
        root.descendants().find(|node| node.tag_name().name() == "MetaData")
    };
    metadata.is_some_and(|metadata| {
        metadata.children().any(|child| {
            child.tag_name().name() == "Declaration"
                && child.tag_name().namespace() == Some("urn:wco:datamodel:WCO:DEC-DMS:2")
        })
    })
}

#[test]
fn corpus_reads_as_published() {
    let files = corpus_files();
    assert!(files.len() > 400, "the corpus looks incomplete: {} files", files.len());
    let mut lines = Vec::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut declarations_with_errors = Vec::new();
    for path in &files {
        let name = relative(path);
        let bytes = std::fs::read(path).unwrap();
        let parsed = read(&bytes);
        let kind = match &parsed.document {
            Some(Document::Declaration(_)) => "declaration".to_owned(),
            Some(Document::Notification(notification)) => {
                format!("notification {}", notification.message_names())
            }
            Some(Document::Other(other)) => format!("other {:?}", other.kind),
            None => "unreadable".to_owned(),
        };
        *kinds.entry(kind.split(' ').next().unwrap().to_owned()).or_default() += 1;
        let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
        for finding in &parsed.findings {
            *by_code.entry(format!("{} {}", finding.code, finding.severity)).or_default() += 1;
        }
        let codes: Vec<String> =
            by_code.iter().map(|(code, count)| format!("{code} ×{count}")).collect();
        lines.push(format!(
            "{name}: {kind}{}{}",
            if codes.is_empty() { "" } else { ": " },
            codes.join(", ")
        ));

        if let Some((_, line)) = NOT_WELL_FORMED.iter().find(|(file, _)| *file == name) {
            let errors: Vec<_> =
                parsed.findings.iter().filter(|finding| finding.is_error()).collect();
            assert_eq!(errors.len(), 1, "{name}: exactly one error");
            assert_eq!(errors[0].code, codes::READ_NOT_WELL_FORMED, "{name}");
            assert_eq!(
                errors[0].location.as_ref().map(|location| location.line),
                Some(*line),
                "{name}"
            );
            continue;
        }
        if is_dec_dms_declaration(&bytes) {
            assert!(
                matches!(parsed.document, Some(Document::Declaration(_))),
                "{name} must read as a declaration"
            );
            if parsed.findings.iter().any(|finding| finding.severity == Severity::Error) {
                declarations_with_errors.push(name.clone());
            }
            let unknown: Vec<_> = parsed
                .findings
                .iter()
                .filter(|finding| finding.code == codes::READ_UNKNOWN_ELEMENT)
                .map(|finding| &finding.message)
                .collect();
            assert!(unknown.is_empty(), "{name}: unknown elements {unknown:?}");
        }
    }
    assert!(
        declarations_with_errors.is_empty(),
        "declarations with errors: {declarations_with_errors:?}"
    );
    let mut summary = format!("files: {}\n", files.len());
    for (kind, count) in &kinds {
        let _ = writeln!(summary, "{kind}: {count}");
    }
    summary.push('\n');
    summary.push_str(&lines.join("\n"));
    insta::assert_snapshot!(summary);
}

#[test]
fn check_names_what_non_declarations_are() {
    let cases = [
        ("hmrc-cds/TT_IM001a/Example_Notifications/02_DMSTAX.xml", "DMSTAX"),
        ("hmrc-cds/TT_IM001a/Example_Notifications/01_DMSACC.xml", "DMSACC"),
        ("hmrc-cds/TT_IM169a/DIS_Report/DIS_Report.xml", "Declaration Information Service"),
    ];
    for (file, expected) in cases {
        let bytes = std::fs::read(preclear_tests::shared(&format!("corpus/{file}"))).unwrap();
        let report = check(file, &bytes, &CheckOptions::default());
        let finding = report
            .findings
            .iter()
            .find(|finding| finding.code == codes::READ_NOT_A_DECLARATION)
            .unwrap_or_else(|| panic!("{file}: no PC-READ-013"));
        assert!(finding.message.contains(expected), "{file}: {}", finding.message);
        assert!(report.declaration.is_none());
    }
    let inventory = corpus_files()
        .into_iter()
        .find(|path| {
            std::fs::read_to_string(path)
                .is_ok_and(|text| text.contains("inventoryLinkingMovementRequest"))
        })
        .unwrap();
    let report =
        check("inventory.xml", &std::fs::read(&inventory).unwrap(), &CheckOptions::default());
    assert!(report.findings.iter().any(|finding| finding.code == codes::READ_NOT_A_DECLARATION
        && finding.message.contains("inventory-linking")));
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.tag_name().name() == name)
}

fn text_of(node: Option<roxmltree::Node<'_, '_>>) -> Option<String> {
    node.and_then(|n| n.text()).map(|t| t.trim().to_owned())
}

/// What an independent DOM parser finds for each goods item.
fn items_by_dom(text: &str) -> Vec<serde_json::Value> {
    let document = roxmltree::Document::parse(text).unwrap();
    document
        .descendants()
        .filter(|node| node.tag_name().name() == "GovernmentAgencyGoodsItem")
        .map(|item| {
            let commodity = child(item, "Commodity").unwrap();
            let classification = |kind: &str| {
                commodity
                    .children()
                    .filter(|c| c.tag_name().name() == "Classification")
                    .find(|c| text_of(child(*c, "IdentificationTypeCode")).as_deref() == Some(kind))
                    .and_then(|c| text_of(child(c, "ID")))
            };
            let code = format!("{}{}", classification("TSP").unwrap(), classification("TRC").unwrap_or_default());
            let origin = item.children().find(|c| c.tag_name().name() == "Origin").and_then(|o| text_of(child(o, "CountryCode")));
            let price = child(commodity, "InvoiceLine").and_then(|line| text_of(child(line, "ItemChargeAmount")));
            let measure = child(commodity, "GoodsMeasure").unwrap();
            serde_json::json!({
                "sequence": text_of(child(item, "SequenceNumeric")).unwrap().parse::<u32>().unwrap(),
                "commodity_code": code,
                "origin": origin,
                "item_price": price,
                "gross_mass": text_of(child(measure, "GrossMassMeasure")),
                "net_mass": text_of(child(measure, "NetNetWeightMeasure")),
            })
        })
        .collect()
}

#[test]
fn multi_item_declarations_list_every_item_as_the_file_has_it() {
    let samples = [
        "hmrc-cds/TT_IM001d/Step1_TT_IM001d.xml",
        "hmrc-cds/TT_IM184a/Step1_TT_IM184a.xml",
        "hmrc-cds/TT_IM017a/Step1_TT_IM017a.xml",
    ];
    for file in samples {
        let path = preclear_tests::shared(&format!("corpus/{file}"));
        let path = if path.exists() {
            path
        } else {
            // Sample folders name their first step differently; take the declaration in it.
            let dir = path.parent().unwrap().to_path_buf();
            corpus_files()
                .into_iter()
                .find(|p| p.starts_with(&dir) && !p.to_string_lossy().contains("Notification"))
                .unwrap()
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let report = check(file, text.as_bytes(), &CheckOptions::default());
        let json = serde_json::to_value(&report).unwrap();
        let items = json["declaration"]["items"].as_array().unwrap();
        let expected = items_by_dom(&text);
        assert!(expected.len() > 1, "{file} is a multi-item sample");
        assert_eq!(items.len(), expected.len(), "{file}: item count");
        for (item, expected) in items.iter().zip(&expected) {
            for key in ["sequence", "commodity_code", "origin", "gross_mass", "net_mass"] {
                assert_eq!(item[key], expected[key], "{file} item {}: {key}", expected["sequence"]);
            }
            assert_eq!(
                item["item_price"]["amount"], expected["item_price"],
                "{file} item {}: price",
                expected["sequence"]
            );
        }
    }
}

#[test]
fn no_prefix_of_any_corpus_file_panics() {
    let mut checked = 0usize;
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        // Every byte offset would take minutes in a debug build; 64 evenly spaced cuts per
        // file plus the cuts just inside each end cover every kind of truncation point.
        let step = (bytes.len() / 64).max(1);
        let mut lengths: Vec<usize> = (0..bytes.len()).step_by(step).collect();
        lengths.extend([1, 2, 3, bytes.len().saturating_sub(1), bytes.len().saturating_sub(2)]);
        // A cut before the root's end tag leaves an element open, which must be an error.
        let root_end = bytes.windows(2).rposition(|pair| pair == b"</").unwrap_or(0);
        for length in lengths {
            let prefix = &bytes[..length.min(bytes.len())];
            let report = check("prefix", prefix, &CheckOptions::default());
            if length <= root_end {
                assert!(
                    report.has_errors(),
                    "{} cut at {length} must not look complete",
                    relative(&path)
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 20_000, "only {checked} prefixes checked");
}
