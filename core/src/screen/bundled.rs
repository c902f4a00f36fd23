//! The screening packs compiled into the binary: the UK restriction rules with the UK
//! tariff (`bundled-uk`), the sanctions lists on their own (`bundled-sanctions`).

use crate::screen::rules::RulePack;
use crate::screen::sanctions::SanctionsLists;
#[allow(unused_imports)] // Used only by the `bundled-*` features.
use crate::tariff::PackFile;
use crate::tariff::TariffError;
#[allow(unused_imports)] // Used only when a `bundled-*` feature is off.
use crate::tariff::table::bad_pack;

#[allow(unused_macros)] // Used only by the `bundled-*` features.
macro_rules! pack_files {
    ($dir:literal: $($file:literal),* $(,)?) => {
        vec![$(PackFile::compiled_in($dir, $file, include_str!(concat!("../../../tariffs/", $dir, "/", $file)))),*]
    };
}

/// The files of the UK restriction rules.
#[cfg(feature = "bundled-uk")]
pub(crate) fn uk_rule_files() -> Vec<PackFile> {
    pack_files!("uk/restrictions":
        "pack.toml", "pr_measures.tsv", "pr_codes.tsv", "categories.tsv", "cites_species.tsv",
        // The rule files in name order, as `RulePack::load` reads them.
        "controls.rules", "documents.rules", "embargoes.rules", "pr_codes.rules", "species.rules",
    )
}

/// The files of the sanctions lists.
#[cfg(feature = "bundled-sanctions")]
pub(crate) fn sanctions_files() -> Vec<PackFile> {
    pack_files!("sanctions": "pack.toml", "un.tsv", "ofac_sdn.tsv", "name_index.tsv")
}

/// The UK restriction rules, when compiled in.
pub(crate) fn uk_rules() -> Result<RulePack, TariffError> {
    #[cfg(feature = "bundled-uk")]
    return RulePack::from_files(uk_rule_files());
    #[cfg(not(feature = "bundled-uk"))]
    Err(bad_pack(
        "pack.toml",
        1,
        "the UK restriction rules are not compiled in (feature `bundled-uk`)",
    )
    .into())
}

/// The sanctions lists, when compiled in.
pub(crate) fn sanctions() -> Result<SanctionsLists, TariffError> {
    #[cfg(feature = "bundled-sanctions")]
    return SanctionsLists::from_files(sanctions_files());
    #[cfg(not(feature = "bundled-sanctions"))]
    Err(bad_pack(
        "pack.toml",
        1,
        "the sanctions lists are not compiled in (feature `bundled-sanctions`)",
    )
    .into())
}
