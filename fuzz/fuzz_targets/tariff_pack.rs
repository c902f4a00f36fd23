//! The tariff-pack and code-list loaders on fuzzed table text, then every lookup a check
//! makes on the loaded pack. No panic, no hang.
//!
//! An input is `PACK/FILE` on its first line (`uk/ukgt.tsv`, `us/pack.toml`,
//! `codelists/units.tsv`, ...), then the text of that file. The pack is the bundled one of
//! that name cut to the first lines of each table, with that one file replaced by the text
//! (added when the pack has no such file). `fuzz/seed.sh` writes a seed for every file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use preclear::tariff::bundled::{codelist_files, files};
use preclear::tariff::{CodeLists, Jurisdiction, PackFile, Tariff};
use preclear::{CheckOptions, Checker, Date, Tariffs};

/// Lines kept of each bundled table: enough for hierarchies and every column, small enough
/// to load thousands of times a second.
const LINES: usize = 60;

fn cut(text: &'static str) -> &'static str {
    let end = text.match_indices('\n').nth(LINES).map_or(text.len(), |(index, _)| index + 1);
    text.get(..end).unwrap_or(text)
}

/// The small packs: `(name, files)`.
fn packs() -> &'static [(&'static str, Vec<(String, &'static str)>)] {
    static PACKS: OnceLock<Vec<(&'static str, Vec<(String, &'static str)>)>> = OnceLock::new();
    PACKS.get_or_init(|| {
        let small = |files: Vec<PackFile>| -> Vec<(String, &'static str)> {
            files
                .into_iter()
                .map(|file| {
                    let text = match file.text {
                        std::borrow::Cow::Borrowed(text) => cut(text),
                        std::borrow::Cow::Owned(_) => "",
                    };
                    (file.name, text)
                })
                .collect()
        };
        let mut packs = Vec::new();
        for (name, jurisdiction) in
            [("uk", Jurisdiction::Uk), ("us", Jurisdiction::Us), ("eu", Jurisdiction::Eu)]
        {
            packs.push((name, small(files(jurisdiction).expect("bundled"))));
        }
        packs.push(("codelists", small(codelist_files().expect("bundled"))));
        packs
    })
}

/// Runs of 2 to 10 digits in the text: commodity codes to look up.
fn codes(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| (2..=10).contains(&run.len()))
        .take(8)
        .collect()
}

fn exercise_tariff(tariff: &Tariff, text: &str) {
    let _ = (tariff.version(), tariff.findings().len(), tariff.line_count());
    let _ = tariff.rates_effective_from();
    let dates = [Date::new(2021, 1, 1), Date::new(2025, 1, 1), Date::new(2099, 12, 31)];
    for date in dates.into_iter().flatten() {
        for currency in ["USD", "EUR", "JPY", ""] {
            let _ = tariff.exchange_rate(currency, date);
        }
        for kind in ["311", "321", "999"] {
            let _ = tariff.alcohol_duty(kind, date);
        }
        for code in codes(text).into_iter().chain(["0101210000", "8516108000", "22"]) {
            for origin in [None, Some("CN"), Some("1011")] {
                if let Ok(commodity) = tariff.commodity_from(code, date, origin) {
                    for measure in &commodity.measures {
                        let _ = measure.parsed.as_ref().and_then(|parsed| parsed.duty());
                    }
                }
            }
            let _ = tariff.line_declarable(code, date);
            let _ = tariff.is_declarable(code, date);
            let _ = tariff.supplementary_unit(code);
            let _ = tariff.quota_rate("050001", code);
        }
    }
    let _ = tariff.vat_rule(None);
    let _ = tariff.vat_rule(Some("VATZ"));
    let _ = (tariff.vat_rules().len(), tariff.alcohol_bands().len());
}

/// Checks a real declaration, its commodity code taken from the text, against the pack: the
/// assessment evaluates whatever rates the pack holds.
fn assess_with(tariff: Tariff, text: &str) {
    const DECLARATION: &str = include_str!("../../fixtures/valid/import-standard-h1.xml");
    let code = codes(text).into_iter().find(|code| code.len() == 10).unwrap_or("8516108090");
    let (cn, taric) = code.split_at(8);
    let declaration = DECLARATION
        .replacen("<ID>85161080</ID>", &format!("<ID>{cn}</ID>"), 1)
        .replacen("<ID>90</ID>", &format!("<ID>{taric}</ID>"), 1);
    let jurisdiction = tariff.jurisdiction();
    let tariffs = Tariffs::provided();
    tariffs.provide(tariff);
    let options = CheckOptions {
        date: Date::new(2025, 1, 1),
        jurisdiction: Some(jurisdiction),
        ..CheckOptions::default()
    };
    let report = Checker::new(&tariffs, options).check("fuzz.xml", declaration.as_bytes());
    report.to_json_line().expect("a report serialises");
}

fn exercise_codelists(lists: &CodeLists, text: &str) {
    let _ = (lists.findings().len(), lists.counts());
    let words = text.split(|c: char| c.is_ascii_whitespace()).take(8).chain(["GB", "GBP", "KGM"]);
    for word in words {
        let _ = (lists.country(word), lists.country_exists(word), lists.currency(word));
        let _ = (lists.unit_known(word), lists.unit_name(word), lists.package_type(word));
        let _ = (lists.transport_mode(word), lists.hs6_description(word));
        let _ = (lists.locode_exists(word), lists.preference_code(word));
        if let Some(date) = Date::new(2025, 1, 1) {
            let _ = lists.currency_active_on(word, date);
        }
    }
}

fuzz_target!(init: { let _ = packs(); }, |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once('\n').unwrap_or((&text, ""));
    let Some((pack, file)) = head.split_once('/') else { return };
    let Some((_, files)) = packs().iter().find(|(name, _)| *name == pack) else { return };
    let mut pack_files: Vec<PackFile> = files
        .iter()
        .filter(|(name, _)| name != file)
        .map(|(name, text)| PackFile::bundled(name, text))
        .collect();
    pack_files.push(PackFile::owned(file, body.to_owned()));
    if pack == "codelists" {
        if let Ok(lists) = CodeLists::from_files(pack_files) {
            exercise_codelists(&lists, body);
        }
    } else if let Ok(tariff) = Tariff::from_files(pack_files) {
        exercise_tariff(&tariff, body);
        assess_with(tariff, body);
    }
});
