//! Tariff updates reviewed as snapshot diffs of real outcomes.
//!
//! Each real US transition among the HTS archives in `$PRECLEAR_SHARED/data/tariffs/us-hts`
//! (2025 basic → rev 6 → rev 17 → 2026 basic → rev 9 → rev 10) is imported at test time, and
//! its `tariff diff` summary and the `diff` of every US fixture under both packs are a
//! snapshot. The counts of `tariff diff` are checked against a count written here, directly
//! over the JSON sources; and one rate changed by hand in a copy of the bundled pack must
//! change exactly the reports of the fixtures that use it.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use preclear::tariff::diff::diff_packs;
use preclear::tariff::import::{self, ImportKind};
use preclear::tariff::{PackFile, Tariff, read_pack_files};
use preclear::{CheckOptions, Checker, Date, Report, Tariffs, impact};
use preclear_tests::{shared, workspace_root, xml_files};

/// The archives, oldest first.
const EDITIONS: [&str; 6] =
    ["2025_basic", "2025_rev_6", "2025_rev_17", "2026_basic", "2026_rev_9", "2026_rev_10"];

fn archive(edition: &str) -> PathBuf {
    shared(&format!("data/tariffs/us-hts/hts_{edition}.json.gz"))
}

/// Every edition imported once per test binary (two at a time) into a scratch folder, read
/// back into memory, and the folder removed.
fn packs() -> &'static BTreeMap<&'static str, Vec<PackFile>> {
    static PACKS: OnceLock<BTreeMap<&'static str, Vec<PackFile>>> = OnceLock::new();
    PACKS.get_or_init(|| {
        let scratch = std::env::temp_dir().join(format!("preclear-updates-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        let import_one = |edition: &'static str| {
            let out = scratch.join(edition);
            import::run(ImportKind::UsHts, &[archive(edition)], &out, &mut |_| {})
                .unwrap_or_else(|error| panic!("importing {edition}: {error}"));
            (edition, read_pack_files(&out).unwrap())
        };
        let (first, second) = EDITIONS.split_at(EDITIONS.len() / 2);
        let packs = std::thread::scope(|scope| {
            let other = scope.spawn(|| second.iter().map(|e| import_one(e)).collect::<Vec<_>>());
            let mut packs: BTreeMap<_, _> = first.iter().map(|e| import_one(e)).collect();
            packs.extend(other.join().unwrap());
            packs
        });
        std::fs::remove_dir_all(&scratch).unwrap();
        packs
    })
}

/// The fixtures (every one, or only those whose `ResponsibleCountryCode` is US), by their
/// path from the root.
fn fixtures(us_only: bool) -> Vec<(String, Vec<u8>)> {
    let root = workspace_root();
    xml_files(&root.join("fixtures"))
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            let us = String::from_utf8_lossy(&bytes).contains("ResponsibleCountryCode>US<");
            (us || !us_only).then(|| {
                let name = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                (name, bytes)
            })
        })
        .collect()
}

/// The bundled packs, with `us` as the US pack.
fn with_us(us: Tariff) -> Tariffs {
    let tariffs = Tariffs::bundled();
    assert!(tariffs.provide(us));
    tariffs
}

/// The options the fixture harness checks with.
fn options() -> CheckOptions {
    CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() }
}

fn reports(tariffs: &Tariffs, fixtures: &[(String, Vec<u8>)]) -> Vec<Report> {
    let checker = Checker::new(tariffs, options());
    fixtures.iter().map(|(name, bytes)| checker.check(name, bytes)).collect()
}

/// The `tariff diff` summary and the `diff` over the US fixtures from `old` to `new`.
fn transition(old: &str, new: &str) -> String {
    let packs = packs();
    let (old_files, new_files) = (&packs[old], &packs[new]);
    let diff = diff_packs(old_files, new_files).unwrap();
    let fixtures = fixtures(true);
    let before = reports(&with_us(Tariff::from_files(old_files.clone()).unwrap()), &fixtures);
    let after = reports(&with_us(Tariff::from_files(new_files.clone()).unwrap()), &fixtures);
    let impacts: Vec<_> =
        before.iter().zip(&after).map(|(old, new)| impact::compare(old, new)).collect();
    let summary = impact::summarize(&impacts);
    format!(
        "# preclear tariff diff\n{}\n# preclear diff over the US fixtures\n{}",
        diff.summary(),
        impact::render_text(&impacts, &summary)
    )
}

#[test]
fn us_2025_basic_to_2025_rev_6() {
    insta::assert_snapshot!(transition("2025_basic", "2025_rev_6"));
}

#[test]
fn us_2025_rev_6_to_2025_rev_17() {
    insta::assert_snapshot!(transition("2025_rev_6", "2025_rev_17"));
}

#[test]
fn us_2025_rev_17_to_2026_basic() {
    insta::assert_snapshot!(transition("2025_rev_17", "2026_basic"));
}

#[test]
fn us_2026_basic_to_2026_rev_9() {
    insta::assert_snapshot!(transition("2026_basic", "2026_rev_9"));
}

#[test]
fn us_2026_rev_9_to_2026_rev_10() {
    insta::assert_snapshot!(transition("2026_rev_9", "2026_rev_10"));
}

/// The rated lines of an archive, counted without the importer: HTS number → (general,
/// special, other) for every row with a number and at least one of the three texts not blank
/// (the first row of a number, should one repeat).
fn independent_lines(edition: &str) -> BTreeMap<String, [String; 3]> {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(archive(edition)).unwrap())
        .read_to_end(&mut json)
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    let text = |row: &serde_json::Value, key: &str| match &row[key] {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut lines = BTreeMap::new();
    for row in &rows {
        let number = text(row, "htsno");
        let rates = [text(row, "general"), text(row, "special"), text(row, "other")];
        if !number.is_empty() && rates.iter().any(|rate| !rate.trim().is_empty()) {
            lines.entry(number).or_insert(rates);
        }
    }
    lines
}

#[test]
fn tariff_diff_counts_match_an_independent_count() {
    let old = independent_lines("2025_basic");
    let new = independent_lines("2026_rev_10");
    let old_codes: BTreeSet<&String> = old.keys().collect();
    let new_codes: BTreeSet<&String> = new.keys().collect();
    let added = new_codes.difference(&old_codes).count();
    let removed = old_codes.difference(&new_codes).count();
    let rerated =
        new.iter().filter(|(code, rates)| old.get(*code).is_some_and(|o| o != *rates)).count();

    let packs = packs();
    let diff = diff_packs(&packs["2025_basic"], &packs["2026_rev_10"]).unwrap();
    assert_eq!(
        (diff.counts.added, diff.counts.removed, diff.counts.rerated),
        (added, removed, rerated),
        "tariff diff 2025 basic → 2026 rev 10 against the count over the JSON sources"
    );
    assert_eq!((diff.counts.old_lines, diff.counts.new_lines), (old.len(), new.len()));
    assert_eq!((added, removed, rerated), (304, 699, 211), "the counts reviewed in the changelog");
}

/// A copy of the bundled US pack with the general rate of `code` replaced.
fn us_pack_with_rate(code: &str, rate: &str, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let source = workspace_root().join("tariffs/us");
    std::fs::copy(source.join("pack.toml"), dir.join("pack.toml")).unwrap();
    let table = std::fs::read_to_string(source.join("hts.tsv")).unwrap();
    let mut changed = 0;
    let lines: Vec<String> = table
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split('\t').collect();
            if fields[0] == code {
                fields[4] = rate;
                changed += 1;
            }
            fields.join("\t")
        })
        .collect();
    assert_eq!(changed, 1, "{code} is one line of hts.tsv");
    std::fs::write(dir.join("hts.tsv"), lines.join("\n") + "\n").unwrap();
}

#[test]
fn one_changed_rate_changes_exactly_the_reports_that_use_it() {
    // Women's overcoats of wool: 55.9¢/kg + 16.4% becomes 55.9¢/kg + 20%.
    let dir = std::env::temp_dir().join(format!("preclear-one-rate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    us_pack_with_rate("6102.10.00.00", "55.9¢/kg + 20%", &dir);
    let modified = Tariff::load(&dir).unwrap();
    assert!(modified.findings().is_empty(), "{:?}", modified.findings());
    let fixtures = fixtures(false);
    let before = reports(&Tariffs::bundled(), &fixtures);
    let after = reports(&with_us(modified), &fixtures);
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(old, new)| {
            // The reports differ beyond the version they name.
            let json = |report: &Report| {
                let mut value = serde_json::to_value(report).unwrap();
                value["tariff"] = serde_json::Value::Null;
                value
            };
            json(old) != json(new)
        })
        .map(|(_, new)| new.file.as_str())
        .collect();
    let using: Vec<&str> = fixtures
        .iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("<ID>61021000</ID>"))
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(!using.is_empty());
    assert_eq!(changed, using, "exactly the fixtures declaring 6102.10.00 change");

    let impacts: Vec<_> =
        before.iter().zip(&after).map(|(old, new)| impact::compare(old, new)).collect();
    let text = impact::render_text(&impacts, &impact::summarize(&impacts));
    // 55.9¢/kg × 350 kg = 195.65; 16.4% × 8400.00 = 1377.60 → 20% × 8400.00 = 1680.00; the
    // item's section 301 line (7.5% × 8400.00 = 630.00) stays.
    assert!(
        text.contains("item 2 6102100000 origin CN: 2203.25 → 2505.65 USD: +302.40 (+13.73%)"),
        "{text}"
    );
    assert!(
        text.contains("DUTY 55.90¢/kg + 16.40% 1573.25 → 55.90¢/kg + 20.00% 1875.65"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    std::fs::remove_dir_all(&dir).unwrap();
}
