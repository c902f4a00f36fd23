//! The committed restriction and sanctions packs are exactly what the importers make of the
//! shared sources, and they load without a problem.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use preclear::screen::{RulePack, SanctionsLists};
use preclear::tariff::import::{self, ImportKind};
use preclear::tariff::meta::PackMeta;
use preclear_tests::{shared, workspace_root};

fn restrictions(relative: &str) -> PathBuf {
    shared(&format!("data/restrictions/{relative}"))
}

/// Every import of the two packs, with its sources and the pack folder it writes.
fn imports() -> Vec<(ImportKind, Vec<PathBuf>, &'static str)> {
    let countries = shared("data/tariffs/iso3166-countries/country-codes.csv");
    let species = [
        "animalia_taxa",
        "plantae_taxa",
        "animalia_synonyms",
        "plantae_synonyms",
        "animalia_legislation",
        "plantae_legislation",
    ]
    .map(|name| restrictions(&format!("cites-speciesplus/{name}_utf8.csv")));
    let ofac = ["sdn", "alt", "add"]
        .map(|name| restrictions(&format!("sanctions/ofac_sdn_moov_watchman/{name}.csv")));
    vec![
        (
            ImportKind::UkRestrictions,
            vec![
                restrictions("uk-pr-codes/uk_chief_pr_measures_by_commodity_2021.csv"),
                restrictions("uk-pr-codes/cds_measure_type_to_chief_pr_code.csv"),
                restrictions("uk-pr-themes/themes.csv"),
            ],
            "uk/restrictions",
        ),
        (ImportKind::CitesSpecies, species.to_vec(), "uk/restrictions"),
        (
            ImportKind::UnSanctions,
            vec![
                restrictions("sanctions/un_sc_consolidated/UN_consolidated.xml"),
                countries.clone(),
            ],
            "sanctions",
        ),
        (ImportKind::OfacSdn, [ofac.to_vec(), vec![countries]].concat(), "sanctions"),
    ]
}

/// `pack.toml`, the files its sources list and its index (the authored `*.rules` files are
/// not imported).
fn imported_files(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
    let mut findings = Vec::new();
    let meta = PackMeta::parse("pack.toml", &text, &mut findings);
    assert!(findings.is_empty(), "{findings:?}");
    let mut files: Vec<String> =
        meta.sources.iter().flat_map(|source| source.files().to_vec()).collect();
    files.push("pack.toml".to_owned());
    // The prebuilt index derived from the tables (the sanctions names).
    files.extend(meta.text("index").map(str::to_owned));
    files.sort();
    files
}

#[test]
fn importers_reproduce_the_committed_screening_packs() {
    let scratch =
        std::env::temp_dir().join(format!("preclear-screening-packs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for (kind, sources, folder) in imports() {
        import::run(kind, &sources, &scratch.join(folder), &mut |_| {})
            .unwrap_or_else(|error| panic!("{}: {error}", kind.name()));
    }
    for folder in ["uk/restrictions", "sanctions"] {
        let committed = workspace_root().join("tariffs").join(folder);
        let generated = scratch.join(folder);
        assert_eq!(
            imported_files(&committed),
            imported_files(&generated),
            "files of tariffs/{folder}"
        );
        for name in imported_files(&committed) {
            let expected = std::fs::read(committed.join(&name)).unwrap();
            let actual = std::fs::read(generated.join(&name)).unwrap();
            assert!(
                expected == actual,
                "tariffs/{folder}/{name} differs from a fresh import: re-run the importer and review the diff"
            );
        }
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn the_committed_packs_load_cleanly() {
    let rules = RulePack::load(workspace_root().join("tariffs/uk/restrictions")).unwrap();
    let messages: Vec<&str> =
        rules.findings().iter().map(|finding| finding.message.as_str()).collect();
    assert!(messages.is_empty(), "{messages:#?}");
    assert!(rules.rules().len() > 30, "{} rules", rules.rules().len());
    assert!(rules.species_count() > 35_000, "{} CITES names", rules.species_count());
    let lists = SanctionsLists::load(workspace_root().join("tariffs/sanctions")).unwrap();
    assert!(lists.findings().is_empty(), "{:?}", lists.findings());
    assert_eq!(lists.entries().iter().filter(|entry| entry.list == "un").count(), 1003);
    assert_eq!(lists.entries().iter().filter(|entry| entry.list == "ofac-sdn").count(), 6839);
}

#[test]
fn the_bundled_packs_are_the_committed_ones() {
    let bundled = preclear::screen::Lists::bundled();
    let rules = bundled.rules(preclear::tariff::Jurisdiction::Uk).unwrap().unwrap();
    let loaded = RulePack::load(workspace_root().join("tariffs/uk/restrictions")).unwrap();
    let ids = |pack: &RulePack| -> Vec<String> {
        pack.rules()
            .iter()
            .map(|rule| rule.id.clone())
            .chain(pack.text_rules().iter().map(|rule| rule.id.clone()))
            .collect()
    };
    assert_eq!(
        ids(rules),
        ids(&loaded),
        "screen/bundled.rs must list every .rules file, in name order"
    );
    assert!(rules.rules() == loaded.rules() && rules.text_rules() == loaded.text_rules());
}
