//! The tables of every pack: file name and columns, shared by the importers that write them
//! and the loaders that read them, so the two cannot drift apart.

/// A pack table: its file name and header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSchema {
    /// The file name within the pack folder.
    pub file: &'static str,
    /// The column names, in order (the header line).
    pub columns: &'static [&'static str],
}

/// UK nomenclature lines.
pub const NOMENCLATURE: TableSchema = TableSchema {
    file: "nomenclature.tsv",
    columns: &["sid", "code", "suffix", "parent", "start", "end", "description"],
};
/// UK Global Tariff third-country rates.
pub const UKGT: TableSchema = TableSchema {
    file: "ukgt.tsv",
    columns: &[
        "code",
        "width",
        "rate",
        "change",
        "trade_remedy",
        "cet_until_review",
        "suspension",
        "atq",
    ],
};
/// UK Trade Tariff API measures.
pub const MEASURES: TableSchema = TableSchema {
    file: "measures.tsv",
    columns: &[
        "code",
        "id",
        "type",
        "type_description",
        "area",
        "excluded",
        "additional_code",
        "order_number",
        "start",
        "end",
        "expression",
        "legal_acts",
        "footnotes",
        "reduction",
    ],
};
/// Conditions of the API measures.
pub const CONDITIONS: TableSchema = TableSchema {
    file: "conditions.tsv",
    columns: &[
        "measure",
        "sequence",
        "code",
        "condition",
        "document",
        "requirement",
        "action",
        "duty_expression",
    ],
};
/// Geographical areas with their members.
pub const AREAS: TableSchema =
    TableSchema { file: "areas.tsv", columns: &["id", "description", "members"] };
/// Footnotes.
pub const FOOTNOTES: TableSchema =
    TableSchema { file: "footnotes.tsv", columns: &["code", "description"] };
/// Additional codes.
pub const ADDITIONAL_CODES: TableSchema =
    TableSchema { file: "additional_codes.tsv", columns: &["code", "description"] };
/// Quota definitions of the API measures.
pub const QUOTA_DEFINITIONS: TableSchema = TableSchema {
    file: "quota_definitions.tsv",
    columns: &[
        "order_number",
        "start",
        "end",
        "initial_volume",
        "unit",
        "monetary_unit",
        "status",
        "balance",
    ],
};
/// The API documents' commodities.
pub const API_COMMODITIES: TableSchema = TableSchema {
    file: "api_commodities.tsv",
    columns: &["code", "suffix", "description", "declarable"],
};
/// UK alcohol duty bands.
pub const ALCOHOL_DUTY: TableSchema = TableSchema {
    file: "alcohol_duty.tsv",
    columns: &[
        "start",
        "end",
        "tax_type",
        "description",
        "rate_type",
        "rate",
        "regime",
        "alcohol_type",
        "min_abv",
        "max_abv",
    ],
};
/// UK VAT rules.
pub const VAT: TableSchema = TableSchema {
    file: "vat.tsv",
    columns: &["additional_code", "rate", "description", "legal_basis"],
};
/// UK supplementary units (DE 6/2) by commodity code: the unit as declarations write it
/// (`LTR`, `NAR`, `DTN#E`).
pub const SUPPLEMENTARY_UNITS: TableSchema =
    TableSchema { file: "supplementary_units.tsv", columns: &["code", "unit", "etf_unit"] };
/// Measures written for Preclear from their legal acts (additional duties by origin,
/// safeguards): one general rule a line, never one declaration's result.
pub const AUTHORED_MEASURES: TableSchema = TableSchema {
    file: "authored_measures.tsv",
    columns: &[
        "id",
        "codes",
        "type",
        "type_description",
        "origin",
        "excluded",
        "start",
        "end",
        "expression",
        "legal_basis",
        "note",
    ],
};
/// HMRC monthly exchange rates.
pub const EXCHANGE_RATES: TableSchema =
    TableSchema { file: "exchange_rates.tsv", columns: &["month", "currency", "rate"] };
/// UK FTA tariff-rate quotas.
pub const QUOTAS: TableSchema =
    TableSchema { file: "quotas.tsv", columns: &["order_number", "code", "origin", "rate"] };
/// The US Harmonized Tariff Schedule.
pub const HTS: TableSchema = TableSchema {
    file: "hts.tsv",
    columns: &[
        "htsno",
        "indent",
        "description",
        "units",
        "general",
        "special",
        "other",
        "footnotes",
        "additional_duties",
    ],
};
/// The EU common external tariff.
pub const CET: TableSchema =
    TableSchema { file: "cet.tsv", columns: &["code", "width", "description", "rate"] };
/// Countries.
pub const COUNTRIES: TableSchema = TableSchema {
    file: "countries.tsv",
    columns: &["code", "alpha3", "numeric", "name", "source"],
};
/// Currencies.
pub const CURRENCIES: TableSchema = TableSchema {
    file: "currencies.tsv",
    columns: &["code", "numeric", "minor_unit", "withdrawn", "name"],
};
/// Units of measurement.
pub const UNITS: TableSchema =
    TableSchema { file: "units.tsv", columns: &["code", "name", "symbol", "status", "source"] };
/// Package types.
pub const PACKAGES: TableSchema = TableSchema { file: "packages.tsv", columns: &["code", "name"] };
/// Transport modes.
pub const TRANSPORT_MODES: TableSchema =
    TableSchema { file: "transport_modes.tsv", columns: &["code", "name"] };
/// HS six-digit subheadings.
pub const HS: TableSchema =
    TableSchema { file: "hs.tsv", columns: &["code", "editions", "description"] };
/// UN/LOCODEs.
pub const LOCODES: TableSchema = TableSchema { file: "locodes.tsv", columns: &["locode"] };
/// CDS preference codes.
pub const PREFERENCE_CODES: TableSchema =
    TableSchema { file: "preference_codes.tsv", columns: &["code", "description"] };
