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
        vec![$(PackFile::bundled($file, include_str!(concat!("../../../tariffs/", $dir, "/", $file)))),*]
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
