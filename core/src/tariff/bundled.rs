//! The packs compiled into the binary, each behind its own feature (`bundled-uk`,
//! `bundled-us`, `bundled-eu`, `bundled-codelists`) so that the WebAssembly page carries only
//! what it needs.

use crate::tariff::Jurisdiction;
use crate::tariff::codelists::CodeLists;
use crate::tariff::pack::{PackFile, Tariff, TariffError};
use crate::tariff::table::bad_pack;

#[allow(unused_macros)] // Used only by the `bundled-*` features.
macro_rules! pack_files {
    ($dir:literal: $($file:literal),* $(,)?) => {
        vec![$(PackFile::compiled_in($dir, $file, include_str!(concat!("../../../tariffs/", $dir, "/", $file)))),*]
    };
}

/// The bundled files of a jurisdiction's pack, when that pack was compiled in.
#[must_use]
pub fn files(jurisdiction: Jurisdiction) -> Option<Vec<PackFile>> {
    match jurisdiction {
        Jurisdiction::Uk => uk(),
        Jurisdiction::Us => us(),
        Jurisdiction::Eu => eu(),
    }
}

#[cfg(feature = "bundled-uk")]
#[allow(clippy::unnecessary_wraps)] // `None` when the feature is off.
fn uk() -> Option<Vec<PackFile>> {
    Some(pack_files!("uk":
        "pack.toml", "nomenclature.tsv", "ukgt.tsv", "measures.tsv", "conditions.tsv", "areas.tsv",
        "footnotes.tsv", "additional_codes.tsv", "quota_definitions.tsv", "api_commodities.tsv",
        "alcohol_duty.tsv", "vat.tsv", "exchange_rates.tsv", "quotas.tsv", "supplementary_units.tsv",
        "authored_measures.tsv",
    ))
}

#[cfg(not(feature = "bundled-uk"))]
fn uk() -> Option<Vec<PackFile>> {
    None
}

#[cfg(feature = "bundled-us")]
#[allow(clippy::unnecessary_wraps)] // `None` when the feature is off.
fn us() -> Option<Vec<PackFile>> {
    Some(pack_files!("us": "pack.toml", "hts.tsv"))
}

#[cfg(not(feature = "bundled-us"))]
fn us() -> Option<Vec<PackFile>> {
    None
}

#[cfg(feature = "bundled-eu")]
#[allow(clippy::unnecessary_wraps)] // `None` when the feature is off.
fn eu() -> Option<Vec<PackFile>> {
    Some(pack_files!("eu": "pack.toml", "cet.tsv"))
}

#[cfg(not(feature = "bundled-eu"))]
fn eu() -> Option<Vec<PackFile>> {
    None
}

/// The bundled code-list files, when compiled in.
#[must_use]
pub fn codelist_files() -> Option<Vec<PackFile>> {
    #[cfg(feature = "bundled-codelists")]
    return Some(pack_files!("codelists":
        "pack.toml", "countries.tsv", "currencies.tsv", "units.tsv", "packages.tsv",
        "transport_modes.tsv", "hs.tsv", "locodes.tsv", "preference_codes.tsv",
    ));
    #[cfg(not(feature = "bundled-codelists"))]
    None
}

impl Tariff {
    /// The jurisdiction's pack compiled into the binary.
    ///
    /// # Errors
    ///
    /// When that pack was not compiled in (its `bundled-*` feature is off), or cannot be loaded.
    pub fn bundled(jurisdiction: Jurisdiction) -> Result<Tariff, TariffError> {
        let files = files(jurisdiction).ok_or_else(|| {
            bad_pack(
                "pack.toml",
                1,
                format!(
                    "the {jurisdiction} pack is not compiled in (feature `bundled-{jurisdiction}`)"
                ),
            )
        })?;
        Tariff::from_files(files)
    }
}

impl CodeLists {
    /// The code lists compiled into the binary.
    ///
    /// # Errors
    ///
    /// When they were not compiled in (feature `bundled-codelists`), or cannot be loaded.
    pub fn bundled() -> Result<CodeLists, TariffError> {
        let files = codelist_files().ok_or_else(|| {
            bad_pack(
                "pack.toml",
                1,
                "the code lists are not compiled in (feature `bundled-codelists`)",
            )
        })?;
        CodeLists::from_files(files)
    }
}

#[cfg(all(
    test,
    feature = "bundled-uk",
    feature = "bundled-us",
    feature = "bundled-eu",
    feature = "bundled-codelists",
    feature = "bundled-sanctions"
))]
mod tests {
    use super::*;
    use crate::Date;
    use crate::screen::bundled::{sanctions_files, uk_rule_files};
    use crate::screen::rules::RulePack;
    use crate::screen::sanctions::SanctionsLists;
    use crate::tariff::table::Table;

    fn checked(files: &[PackFile]) -> Vec<PackFile> {
        files.iter().map(|file| PackFile { prechecked: false, ..file.clone() }).collect()
    }

    /// Compiled-in files load without checking each record (`PackFile::prechecked`): this is
    /// where they are checked, so that a pack update that breaks a record fails here.
    #[test]
    fn compiled_in_tables_read_alike_unchecked() {
        let packs = [
            files(Jurisdiction::Uk).unwrap(),
            files(Jurisdiction::Us).unwrap(),
            files(Jurisdiction::Eu).unwrap(),
            codelist_files().unwrap(),
            uk_rule_files(),
            sanctions_files(),
        ];
        let mut tables = 0;
        for pack in &packs {
            assert!(pack.iter().all(|file| file.prechecked));
            // The sanctions name index has a reader of its own (checked in `screen::sanctions`).
            let tables_of_pack = pack.iter().filter(|file| {
                let extension = std::path::Path::new(&file.name).extension();
                extension.is_some_and(|extension| extension == "tsv")
                    && file.name != "name_index.tsv"
            });

            for file in tables_of_pack {
                assert!(file.index.is_some(), "{} has no prebuilt index", file.name);
                let header: Vec<&str> =
                    file.text.lines().next().unwrap_or_default().split('\t').collect();
                let mut findings = Vec::new();
                let unchecked = Table::parse_file(file.clone(), &header, &mut findings).unwrap();
                let checked =
                    Table::parse(&file.name, file.text.clone(), &header, &mut findings).unwrap();
                assert!(findings.is_empty(), "{}: {findings:?}", file.name);
                assert!(unchecked == checked, "{} reads differently unchecked", file.name);
                tables += 1;
            }
        }
        assert_eq!(tables, 31);
        // What the loaders check beyond the tables' records (code lists in order, dates,
        // rates, rule references) holds for the compiled-in packs too.
        for jurisdiction in [Jurisdiction::Uk, Jurisdiction::Us, Jurisdiction::Eu] {
            let tariff = Tariff::from_files(checked(&files(jurisdiction).unwrap())).unwrap();
            assert!(tariff.findings().is_empty(), "{jurisdiction}: {:?}", tariff.findings());
            // Indexed tables are taken to be in key order: the order checked (and sorted if
            // need be) is the file's.
            let compiled_in = Tariff::bundled(jurisdiction).unwrap();
            assert_eq!(compiled_in.index_orders(), tariff.index_orders(), "{jurisdiction}");
        }
        assert_eq!(Tariff::bundled(Jurisdiction::Uk).unwrap().index_orders().len(), 10);
        let lists = CodeLists::from_files(checked(&codelist_files().unwrap())).unwrap();
        assert!(lists.findings().is_empty(), "{:?}", lists.findings());
        let rules = RulePack::from_files(checked(&uk_rule_files())).unwrap();
        assert!(rules.findings().is_empty(), "{:?}", rules.findings());
        // The CITES name keys prebuilt by `core/build.rs` are those built at load.
        assert!(crate::tariff::table::cites_species_keys().is_some());
        let compiled_in = RulePack::from_files(uk_rule_files()).unwrap();
        assert!(rules.species_keys().len() > 20_000);
        assert_eq!(compiled_in.species_keys(), rules.species_keys());
        let sanctions = SanctionsLists::from_files(checked(&sanctions_files())).unwrap();
        assert!(sanctions.findings().is_empty(), "{:?}", sanctions.findings());
    }

    /// Exchange rates are remembered by month and currency: asked again, in any case, a
    /// rate is the one looked up, and months or codes without a rate stay without one.
    #[test]
    fn remembered_exchange_rates_are_the_looked_up_ones() {
        let tariff = Tariff::bundled(Jurisdiction::Uk).unwrap();
        let rates = tariff.exchange_rates.as_ref().unwrap();
        let mut found = 0;
        for date in [Date::new(2019, 1, 31), Date::new(2024, 6, 1), Date::new(1990, 1, 1)] {
            let date = date.unwrap();
            for currency in ["USD", "usd", "EUR", "AED", "XXX", "", "GBP"] {
                let looked_up = Tariff::look_up_rate(rates, currency, date);
                for _ in 0..2 {
                    assert_eq!(
                        tariff.exchange_rate(currency, date),
                        looked_up,
                        "{currency} {date}"
                    );
                }
                found += usize::from(looked_up.is_some());
            }
        }
        // USD (both cases), EUR and AED in the two months the pack covers.
        assert_eq!(found, 8);
    }
}
