//! The tables of the restriction and sanctions packs, shared by the importers that write them
//! and the loaders that read them.

use crate::tariff::schema::TableSchema;

/// UK commodity codes with their prohibition and restriction (P&R) codes, from HMRC's table.
pub const PR_MEASURES: TableSchema = TableSchema {
    file: "pr_measures.tsv",
    columns: &["code", "pr_code", "start", "end", "origin", "area"],
};

/// The P&R codes with the CDS measure types they correspond to and their trade direction.
pub const PR_CODES: TableSchema = TableSchema {
    file: "pr_codes.tsv",
    columns: &["pr_code", "measure_types", "direction", "description"],
};

/// Rule categories, with the Windsor Framework Annex 2 theme and legal act where there is one.
pub const CATEGORIES: TableSchema =
    TableSchema { file: "categories.tsv", columns: &["category", "theme", "title", "legal_basis"] };

/// CITES-listed species with their appendix and synonyms (`|`-separated), for screening
/// goods descriptions.
pub const CITES_SPECIES: TableSchema =
    TableSchema { file: "cites_species.tsv", columns: &["name", "appendix", "synonyms"] };

/// The columns of a sanctions list table (one entry a line).
pub const LIST_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "programme",
    "listed_on",
    "countries",
    "born",
    "name",
    "aliases",
    "weak_aliases",
];

/// The UN Security Council consolidated list.
pub const UN_LIST: TableSchema = TableSchema { file: "un.tsv", columns: LIST_COLUMNS };

/// The US OFAC Specially Designated Nationals list.
pub const OFAC_SDN: TableSchema = TableSchema { file: "ofac_sdn.tsv", columns: LIST_COLUMNS };
