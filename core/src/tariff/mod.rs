//! Tariff packs: the nomenclature, the measures that apply to each commodity code, and the
//! rates and code lists a declaration is checked against.
//!
//! A pack is a folder under `tariffs/` (`uk`, `us`, `eu`, `codelists`) of sorted text tables
//! written by the importers (see [`import`]) with a `pack.toml` recording each source. A
//! [`Tariff`] is loaded from such a folder ([`Tariff::load`], native only), from in-memory
//! files ([`Tariff::from_files`], for WebAssembly), or from the packs compiled into the binary
//! ([`Tariff::bundled`]). Loading never panics: bad records become
//! [`crate::codes::TARIFF_BAD_PACK`] findings with their file and line.

pub mod bundled;
pub mod code;
pub mod codelists;
pub mod diff;
pub mod expr;
pub mod expression;
#[cfg(all(feature = "import", not(target_arch = "wasm32")))]
pub mod import;
mod lookup;
pub mod meta;
#[cfg(not(target_arch = "wasm32"))]
mod native;
pub(crate) mod numbers;
pub(crate) mod pack;
pub mod schema;
pub mod table;

pub use code::{CodeError, normalize_code};
pub use codelists::CodeLists;
pub use codelists::{Currency, HsEdition};
pub use expression::{DutyExpression, ExpressionKind, ParsedRate, parse_expression};
pub(crate) use lookup::US_COLUMN_2;
pub use lookup::{
    Commodity, Condition, ERGA_OMNES, LookupError, Measure, PathEntry, special_groups,
};
#[cfg(not(target_arch = "wasm32"))]
pub use native::read_pack_files;
pub use pack::{AlcoholBand, PackFile, RatesOn, Tariff, TariffError, VatRule};

use std::fmt;
use std::str::FromStr;

/// Whose tariff a pack holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Jurisdiction {
    /// The United Kingdom: UK Global Tariff, UK nomenclature, VAT, excise, exchange rates.
    Uk,
    /// The United States: the Harmonized Tariff Schedule.
    Us,
    /// The European Union: the common external tariff.
    Eu,
}

impl Jurisdiction {
    /// The short lowercase name (`uk`, `us`, `eu`), also the pack folder's name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Jurisdiction::Uk => "uk",
            Jurisdiction::Us => "us",
            Jurisdiction::Eu => "eu",
        }
    }
    /// The currency duties are assessed and paid in (`GBP`, `USD`, `EUR`).
    #[must_use]
    pub fn currency(self) -> &'static str {
        match self {
            Jurisdiction::Uk => "GBP",
            Jurisdiction::Us => "USD",
            Jurisdiction::Eu => "EUR",
        }
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Jurisdiction {
    type Err = String;

    fn from_str(text: &str) -> Result<Jurisdiction, String> {
        match text.to_ascii_lowercase().as_str() {
            "uk" | "gb" => Ok(Jurisdiction::Uk),
            "us" => Ok(Jurisdiction::Us),
            "eu" => Ok(Jurisdiction::Eu),
            _ => Err(format!("`{text}` is not a jurisdiction (uk, us or eu)")),
        }
    }
}
