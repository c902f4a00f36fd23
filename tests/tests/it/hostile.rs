//! Hostile and broken input: structure-aware mutations of real declarations, and every limit
//! of the reader.
//!
//! Each mutation of `preclear_tests::mutate` is applied, with several seeds, to every valid
//! fixture that is a declaration, and the whole check (with the bundled tariffs) runs over the
//! result: it must not panic, and it must report the finding class the mutation calls for.
//! The limit tests set each limit low and check that exceeding it is a `PC-READ-017` finding,
//! then feed the large inputs of the issue (100 MB, a million levels of nesting, a billion
//! laughs) with the default limits. Time is not asserted: `preclear check` on those inputs is
//! measured by hand (see `fuzz/README.md`).

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::OnceLock;

use preclear::decl::xml::ReadLimits;
use preclear::decl::{ReadOptions, read_with};
use preclear::{CheckOptions, Checker, Code, Date, Report, Tariffs, codes};
use preclear_tests::mutate::{Element, Mutation, Rng};

const SEEDS: u64 = 6;

fn tariffs() -> &'static Tariffs {
    static TARIFFS: OnceLock<Tariffs> = OnceLock::new();
    TARIFFS.get_or_init(Tariffs::bundled)
}

fn options() -> CheckOptions {
    CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() }
}

fn check(name: &str, bytes: &[u8]) -> Report {
    Checker::new(tariffs(), options()).check(name, bytes)
}

/// The valid fixtures that are declarations, parsed.
fn bases() -> Vec<(String, Element)> {
    let dir = preclear_tests::workspace_root().join("fixtures/valid");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "xml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let root = Element::parse(&text)?;
            root.child("Declaration")?;
            Some((path.file_name()?.to_string_lossy().into_owned(), root))
        })
        .collect()
}

fn codes_of(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|finding| finding.code.id).collect()
}

fn has(report: &Report, code: Code) -> bool {
    report.findings.iter().any(|finding| finding.code == code)
}

#[test]
fn mutations_of_real_declarations_give_their_finding_class() {
    let bases = bases();
    assert!(bases.len() >= 20, "only {} valid declarations to mutate", bases.len());
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for (name, base) in &bases {
        for &mutation in Mutation::ALL.iter().filter(|mutation| !mutation.is_large()) {
            for seed in 0..SEEDS {
                let mut rng = Rng::new(seed);
                let Some(bytes) = mutation.apply(base, &mut rng) else { continue };
                let case = format!("{name} {mutation:?} seed {seed}");
                let Ok(report) = catch_unwind(AssertUnwindSafe(|| check(&case, &bytes))) else {
                    failures.push(format!("{case}: panicked"));
                    continue;
                };
                checked += 1;
                if let Some(expected) = mutation.expected()
                    && !has(&report, expected)
                {
                    failures.push(format!(
                        "{case}: no {} among {:?}",
                        expected.id,
                        codes_of(&report)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 1000, "only {checked} mutated declarations checked");
}

#[test]
fn large_mutations_give_their_finding_class() {
    let text = std::fs::read_to_string(
        preclear_tests::workspace_root().join("fixtures/valid/import-standard-h1.xml"),
    )
    .unwrap();
    let base = Element::parse(&text).unwrap();
    for &mutation in Mutation::ALL.iter().filter(|mutation| mutation.is_large()) {
        let bytes = mutation.apply(&base, &mut Rng::new(1)).unwrap();
        let report = check(&format!("{mutation:?}"), &bytes);
        match mutation {
            Mutation::Items999 => {
                let items =
                    report.declaration.as_ref().map_or(0, |declaration| declaration.items.len());
                assert_eq!(items, 999);
                for code in [
                    codes::READ_TOO_MANY,
                    codes::READ_LIMIT_EXCEEDED,
                    codes::VAL_GOODS_ITEM_QUANTITY,
                    codes::VAL_ITEM_SEQUENCE,
                ] {
                    assert!(!has(&report, code), "999 items: {} {:?}", code.id, codes_of(&report));
                }
            }
            Mutation::Items1000 => {
                let finding = report
                    .findings
                    .iter()
                    .find(|finding| finding.code == codes::READ_TOO_MANY)
                    .expect("1000 items: the item-count finding");
                assert!(finding.message.contains("1000 times"), "{}", finding.message);
                assert!(has(&report, codes::VAL_ITEM_SEQUENCE), "item 1000 is numbered past 999");
            }
            Mutation::HugeDescription => {
                assert!(has(&report, codes::READ_LIMIT_EXCEEDED), "{:?}", codes_of(&report));
                // The description is cut, and the declaration still read and checked.
                assert!(report.declaration.is_some());
            }
            Mutation::DeepNesting => {
                let finding = report
                    .findings
                    .iter()
                    .find(|finding| finding.code == codes::READ_LIMIT_EXCEEDED)
                    .expect("deep nesting: a limit finding");
                assert!(finding.message.contains("nested more than 256"), "{}", finding.message);
            }
            _ => unreachable!(),
        }
    }
}

/// Reads `input` with the default limits except `change`, and returns the limit finding.
fn limit_message(input: &[u8], change: impl FnOnce(&mut ReadLimits)) -> String {
    let mut limits = ReadLimits::default();
    change(&mut limits);
    let parsed = read_with(input, &ReadOptions { limits });
    parsed.findings.iter().find(|finding| finding.code == codes::READ_LIMIT_EXCEEDED).map_or_else(
        || panic!("no PC-READ-017 among {:?}", parsed.findings),
        |finding| finding.message.clone(),
    )
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(preclear_tests::workspace_root().join("fixtures").join(name)).unwrap()
}

#[test]
fn every_limit_is_configurable_and_a_finding_when_exceeded() {
    let declaration = fixture("valid/import-multi-item-5.xml");
    let message = limit_message(&declaration, |limits| limits.max_input_bytes = 1000);
    assert!(message.contains("the limit of 1000 bytes"), "{message}");
    let message = limit_message(&declaration, |limits| limits.max_depth = 4);
    assert!(message.contains("nested more than 4 deep"), "{message}");
    let message = limit_message(&declaration, |limits| limits.max_elements = 50);
    assert!(message.contains("more than 50 elements"), "{message}");
    let message = limit_message(&declaration, |limits| limits.max_repeats = 3);
    assert!(message.contains("occurs more than 3 times"), "{message}");
    let message = limit_message(&declaration, |limits| limits.max_text_bytes = 4);
    assert!(message.contains("only the first 4 are kept"), "{message}");
    let message = limit_message(&declaration, |limits| limits.max_attribute_bytes = 2);
    assert!(message.contains("only the first 2 are kept"), "{message}");
    let noisy = fixture("warnings/unknown-element-in-commodity.xml");
    let message = limit_message(&noisy, |limits| limits.max_findings = 0);
    assert!(message.contains("more than 0 findings"), "{message}");
    // Limits that cut a value keep reading; the others stop it and return no document.
    let mut limits = ReadLimits { max_text_bytes: 4, ..ReadLimits::default() };
    assert!(read_with(&declaration, &ReadOptions { limits }).document.is_some());
    limits = ReadLimits { max_depth: 4, ..ReadLimits::default() };
    assert!(read_with(&declaration, &ReadOptions { limits }).document.is_none());
}

#[test]
fn the_issue_s_large_inputs_end_in_a_finding() {
    // 100 MB: over the input limit, refused before it is parsed.
    let mut big = b"<?xml version=\"1.0\"?><MetaData>".to_vec();
    big.resize(100 * 1024 * 1024, b' ');
    let report = check("100mb.xml", &big);
    assert!(has(&report, codes::READ_LIMIT_EXCEEDED), "{:?}", codes_of(&report));
    drop(big);

    // A million levels of nesting: stopped at the depth limit.
    let depth = 1_000_000;
    let mut nested = String::with_capacity(depth * 13);
    nested.push_str("<MetaData xmlns=\"urn:wco:datamodel:WCO:DocumentMetaData-DMS:2\">");
    nested.push_str(&"<a>".repeat(depth));
    nested.push_str(&"</a>".repeat(depth));
    nested.push_str("</MetaData>");
    let report = check("nested.xml", nested.as_bytes());
    assert!(has(&report, codes::READ_LIMIT_EXCEEDED), "{:?}", codes_of(&report));

    // A billion laughs: the DOCTYPE is refused, nothing is expanded.
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    laughs.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for level in 2..=9 {
        let previous = format!("&lol{};", level - 1);
        writeln!(laughs, "<!ENTITY lol{level} \"{}\">", previous.repeat(10)).unwrap();
    }
    laughs.push_str("]>\n<MetaData>&lol9;</MetaData>\n");
    let report = check("laughs.xml", laughs.as_bytes());
    assert!(has(&report, codes::READ_DOCTYPE_REFUSED), "{:?}", codes_of(&report));
    assert!(report.declaration.is_none());

    // The same entity used without its DOCTYPE is an undefined entity, not an expansion.
    let report = check("entity.xml", b"<MetaData>&lol9;</MetaData>");
    assert!(has(&report, codes::READ_NOT_WELL_FORMED), "{:?}", codes_of(&report));
}
