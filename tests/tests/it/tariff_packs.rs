//! The committed tariff packs are exactly what the importers make of the shared sources.

// Test helpers may unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use preclear::tariff::import::{self, ImportKind};
use preclear_tests::{shared, workspace_root};

fn tariffs(relative: &str) -> PathBuf {
    shared(&format!("data/tariffs/{relative}"))
}

/// Every import, with its sources, in the order the packs are built.
fn imports() -> Vec<(ImportKind, Vec<PathBuf>)> {
    let ukgt_csv = tariffs("uk-global-tariff/ukgt-2021-vs-eu-cet.csv");
    let mut api_documents = Vec::new();
    for dir in [
        "uk-trade-tariff-api-samples",
        "uk-extra/trade-tariff-duty-calculator/spec/fixtures/uk/commodities",
    ] {
        let mut documents: Vec<PathBuf> = std::fs::read_dir(tariffs(dir))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
            .filter(|path| !path.file_name().unwrap().to_string_lossy().starts_with("xi-"))
            .collect();
        documents.sort();
        api_documents.extend(documents);
    }
    vec![
        (ImportKind::UkGlobalTariff, vec![ukgt_csv.clone()]),
        (
            ImportKind::UkNomenclature,
            vec![
                tariffs(
                    "uk-extra/dbt-uk-tariff-commodities-v4.0.1205/StaticDataForAgents/uk-tariff-2021-01-01--v4.0.1205--commodities-report.csv",
                ),
                ukgt_csv.clone(),
            ],
        ),
        (ImportKind::UkTradeTariffApi, api_documents),
        (
            ImportKind::UkTaxes,
            vec![tariffs(
                "uk-extra/hmrc-alcohol-duty-calculator/conf/rates/alcohol-duty-rates.json",
            )],
        ),
        (ImportKind::HmrcExchangeRates, vec![tariffs("uk-extra/hmrc-rates/data/monthly")]),
        (
            ImportKind::UkQuotas,
            vec![tariffs("uk-extra/uk-trq-analysis-tcolwell7/DERIVED_licensed_fta_quotas.csv")],
        ),
        (
            ImportKind::UkSupplementaryUnits,
            vec![
                tariffs("uk-extra/electronic-tariff-file/data/reference/supp_units.json"),
                tariffs("uk-extra/electronic-tariff-file/data/reference/supplementary_units.csv"),
            ],
        ),
        (ImportKind::UsHts, vec![tariffs("us-hts/hts_2026_rev_10.json.gz")]),
        (ImportKind::EuCet, vec![ukgt_csv]),
        (
            ImportKind::Codelists,
            vec![
                tariffs("iso3166-countries/country-codes.csv"),
                tariffs("iso4217-currencies/codes-all.csv"),
                tariffs("unece-rec20-units/rec20-codes-2021.csv"),
                tariffs("uk-trade-tariff-reference/measurement_units.json"),
                tariffs("unece-rec20-units/rec21-package-types-2021.csv"),
                tariffs("hs-nomenclature/harmonized-system-hs2017.csv"),
                tariffs("hs-nomenclature/harmonized-system-hs2022.csv"),
                tariffs("un-locode/unlocode-code-list-edi3-2021.csv"),
                tariffs("uk-trade-tariff-reference/preference_codes.json"),
            ],
        ),
    ]
}

/// The files of a pack folder; subfolders (`risk/`) hold rule files no importer writes.
fn files_in(dir: &Path) -> Vec<String> {
    // Only files: `tariffs/uk/restrictions/` is a pack of its own (see screening_packs.rs).
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().unwrap().is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        // Authored rule files are written by hand, not by an importer.
        .filter(|name| !name.starts_with("authored_"))
        // The changelog is the pack's history of imports, not a function of one source.
        .filter(|name| name != "CHANGELOG.md")
        .collect();
    names.sort();
    names
}

#[test]
fn importers_reproduce_the_committed_packs() {
    let scratch = std::env::temp_dir().join(format!("preclear-packs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for (kind, sources) in imports() {
        let out = scratch.join(kind.pack());
        import::run(kind, &sources, &out, &mut |_| {})
            .unwrap_or_else(|error| panic!("{}: {error}", kind.name()));
    }
    for pack in ["uk", "us", "eu", "codelists"] {
        let committed = workspace_root().join("tariffs").join(pack);
        let generated = scratch.join(pack);
        assert_eq!(files_in(&committed), files_in(&generated), "files of tariffs/{pack}");
        for name in files_in(&committed) {
            let expected = std::fs::read(committed.join(&name)).unwrap();
            let actual = std::fs::read(generated.join(&name)).unwrap();
            assert!(
                expected == actual,
                "tariffs/{pack}/{name} differs from a fresh import: re-run the importer and review the diff"
            );
        }
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn bad_sources_are_named_with_their_line() {
    let scratch = std::env::temp_dir().join(format!("preclear-bad-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let missing = scratch.join("missing.csv");
    let error = import::run(
        ImportKind::UkGlobalTariff,
        std::slice::from_ref(&missing),
        &scratch,
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(error.file, missing);
    assert!(error.to_string().ends_with("file not found"), "{error}");

    let bad = scratch.join("bad.csv");
    std::fs::write(&bad, "commodity,description,cet_duty_rate,ukgt_duty_rate\n1012100,Horses,0%,0%\n12x,Oops,1%,1%\n").unwrap();
    let error = import::run(ImportKind::EuCet, std::slice::from_ref(&bad), &scratch, &mut |_| {})
        .unwrap_err();
    assert_eq!(error.line, Some(3), "{error}");
    assert!(error.to_string().contains("`12x` is not a commodity code"), "{error}");

    let wrong = tariffs("iso4217-currencies/codes-all.csv");
    let error = import::run(
        ImportKind::UkGlobalTariff,
        std::slice::from_ref(&wrong),
        &scratch,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(error.to_string().contains("no `commodity` column"), "{error}");

    let error = import::run(ImportKind::UsHts, std::slice::from_ref(&wrong), &scratch, &mut |_| {})
        .unwrap_err();
    assert!(error.to_string().contains("not valid JSON"), "{error}");
    std::fs::remove_dir_all(&scratch).unwrap();
}
