//! Importers: turn the upstream tariff sources into Preclear's pack tables (native only).
//!
//! Each import kind reads its sources, writes its own tables into the pack directory and
//! rewrites its own `[source.KIND]` table in `pack.toml`. The output depends only on the
//! sources: records are sorted (the US schedule keeps its printed order), numbers are kept as
//! the source wrote them, so re-running an import reproduces the committed pack byte for byte.

mod changelog;
mod cites_species;
mod codelists;
mod csv;
mod sanctions;
mod uk_api;
mod uk_nomenclature;
mod uk_rates;
mod uk_restrictions;
mod uk_tariffs;
mod us_hts;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::tariff::meta::{MetaValue, PackMeta, SourceMeta};
use crate::tariff::schema::TableSchema;
use crate::tariff::table::record_line;

pub(crate) use csv::read_csv;

/// What an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// UK Global Tariff third-country duties (the DIT CSV) → `tariffs/uk/ukgt.tsv`.
    UkGlobalTariff,
    /// UK nomenclature (the DBT commodities CSV, plus the UKGT CSV for 2021 lines).
    UkNomenclature,
    /// UK Trade Tariff API commodity documents (JSON) → measures, conditions, areas, quotas.
    UkTradeTariffApi,
    /// UK alcohol duty rates (HMRC JSON) and the VAT rules.
    UkTaxes,
    /// HMRC monthly exchange rates (the `monthly/*.xml` files or their folder).
    HmrcExchangeRates,
    /// UK tariff-rate quotas under the FTAs (order number, origin, codes, in-quota rate).
    UkQuotas,
    /// UK supplementary units by commodity code (the Electronic Tariff File's `supp_units.json`
    /// and its unit code table `supplementary_units.csv`).
    UkSupplementaryUnits,
    /// The US Harmonized Tariff Schedule (USITC JSON, optionally gzipped).
    UsHts,
    /// The EU common external tariff of 2020 (the `cet_duty_rate` column of the DIT CSV).
    EuCet,
    /// Code lists: countries, currencies, units, packages, transport modes, HS, UN/LOCODE,
    /// CDS preference codes.
    Codelists,
    /// UK prohibitions and restrictions: HMRC's commodity → P&R code table, the CDS
    /// measure-type correlation and the Annex 2 themes → `tariffs/uk/restrictions/`.
    UkRestrictions,
    /// CITES-listed species and their synonyms (Species+ checklist) → the restriction pack.
    CitesSpecies,
    /// The UN Security Council consolidated sanctions list (XML) → `tariffs/sanctions/`.
    UnSanctions,
    /// The US OFAC SDN list (legacy CSV: `sdn.csv`, `alt.csv`, `add.csv`) → `tariffs/sanctions/`.
    OfacSdn,
}

impl ImportKind {
    /// Every kind, in the order `preclear tariff import --help` lists them.
    pub const ALL: [ImportKind; 14] = [
        ImportKind::UkGlobalTariff,
        ImportKind::UkNomenclature,
        ImportKind::UkTradeTariffApi,
        ImportKind::UkTaxes,
        ImportKind::HmrcExchangeRates,
        ImportKind::UkQuotas,
        ImportKind::UkSupplementaryUnits,
        ImportKind::UsHts,
        ImportKind::EuCet,
        ImportKind::Codelists,
        ImportKind::UkRestrictions,
        ImportKind::CitesSpecies,
        ImportKind::UnSanctions,
        ImportKind::OfacSdn,
    ];

    /// The kind's name on the command line and in `pack.toml`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::UkGlobalTariff => "uk-global-tariff",
            ImportKind::UkNomenclature => "uk-nomenclature",
            ImportKind::UkTradeTariffApi => "uk-trade-tariff-api",
            ImportKind::UkTaxes => "uk-taxes",
            ImportKind::HmrcExchangeRates => "hmrc-exchange-rates",
            ImportKind::UkQuotas => "uk-quotas",
            ImportKind::UkSupplementaryUnits => "uk-supplementary-units",
            ImportKind::UsHts => "us-hts",
            ImportKind::EuCet => "eu-cet",
            ImportKind::Codelists => "codelists",
            ImportKind::UkRestrictions => "uk-restrictions",
            ImportKind::CitesSpecies => "cites-species",
            ImportKind::UnSanctions => "un-sanctions",
            ImportKind::OfacSdn => "ofac-sdn",
        }
    }

    /// The kind named `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Whether this kind writes a pack's rated lines (HTS, UK Global Tariff, CET): its imports
    /// are entered in the pack's `CHANGELOG.md`.
    #[must_use]
    pub fn rates_lines(self) -> bool {
        matches!(self, ImportKind::UsHts | ImportKind::UkGlobalTariff | ImportKind::EuCet)
    }

    /// The pack this kind writes into: the `jurisdiction` of its `pack.toml`, also the name
    /// of the tariff packs' folders.
    #[must_use]
    pub fn pack(self) -> &'static str {
        match self {
            ImportKind::UsHts => "us",
            ImportKind::EuCet => "eu",
            ImportKind::Codelists => "codelists",
            ImportKind::UkRestrictions | ImportKind::CitesSpecies => "uk-restrictions",
            ImportKind::UnSanctions | ImportKind::OfacSdn => "sanctions",
            _ => "uk",
        }
    }
}

/// An import that failed: which file, which line, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file (or folder) at fault.
    pub file: PathBuf,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl ImportError {
    pub(crate) fn new(file: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        ImportError { file: file.to_path_buf(), line, message: message.into() }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Each table written, with its record count.
    pub tables: Vec<(String, usize)>,
    /// Warnings about the sources (kept data, odd values), for stderr.
    pub warnings: Vec<String>,
}

/// One table to write: its schema and records (already in their final order).
#[derive(Debug)]
pub(crate) struct TableOut {
    pub schema: &'static TableSchema,
    pub rows: Vec<Vec<String>>,
}

/// What a kind's reader produced, before it is written.
#[derive(Debug)]
pub(crate) struct Imported {
    pub tables: Vec<TableOut>,
    pub source: Vec<(String, MetaValue)>,
    pub warnings: Vec<String>,
}

/// Runs an import of `kind` from `sources` into the pack directory `out`.
///
/// `progress` receives a line now and then for long imports.
///
/// # Errors
///
/// When a source cannot be read or is not in the expected format (the error names the file
/// and line), or the output cannot be written.
pub fn run(
    kind: ImportKind,
    sources: &[PathBuf],
    out: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<ImportSummary, ImportError> {
    if sources.is_empty() {
        return Err(ImportError::new(
            out,
            None,
            format!("`{}` needs at least one source file", kind.name()),
        ));
    }
    for source in sources {
        if !source.exists() {
            return Err(ImportError::new(source, None, "file not found"));
        }
    }
    progress(&format!("{}: reading {} source(s)", kind.name(), sources.len()));
    // The pack this import replaces, to say in the changelog what the update changed.
    let previous = if kind.rates_lines() && out.join("pack.toml").is_file() {
        crate::tariff::read_pack_files(out).ok()
    } else {
        None
    };
    let imported = match kind {
        ImportKind::UkGlobalTariff => uk_tariffs::import_ukgt(sources)?,
        ImportKind::EuCet => uk_tariffs::import_eu_cet(sources)?,
        ImportKind::UkNomenclature => uk_nomenclature::import(sources)?,
        ImportKind::UkTradeTariffApi => uk_api::import(sources)?,
        ImportKind::UkTaxes => uk_rates::import_taxes(sources)?,
        ImportKind::HmrcExchangeRates => uk_rates::import_exchange_rates(sources)?,
        ImportKind::UkQuotas => uk_rates::import_quotas(sources)?,
        ImportKind::UkSupplementaryUnits => uk_rates::import_supplementary_units(sources)?,
        ImportKind::UsHts => us_hts::import(sources, progress)?,
        ImportKind::Codelists => codelists::import(sources)?,
        ImportKind::UkRestrictions => uk_restrictions::import(sources)?,
        ImportKind::CitesSpecies => cites_species::import(sources)?,
        ImportKind::UnSanctions => sanctions::import_un(sources)?,
        ImportKind::OfacSdn => sanctions::import_ofac(sources)?,
    };
    let mut summary = write_pack(kind, out, imported, progress)?;
    if matches!(kind, ImportKind::UnSanctions | ImportKind::OfacSdn) {
        write_name_index(out, progress)?;
    }
    if kind.rates_lines() {
        changelog::update(kind, out, previous.as_deref(), &mut summary)?;
    }
    Ok(summary)
}

fn write_pack(
    kind: ImportKind,
    out: &Path,
    imported: Imported,
    progress: &mut dyn FnMut(&str),
) -> Result<ImportSummary, ImportError> {
    std::fs::create_dir_all(out).map_err(|error| {
        ImportError::new(out, None, format!("cannot create the folder: {error}"))
    })?;
    let meta_path = out.join("pack.toml");
    let mut meta = match std::fs::read_to_string(&meta_path) {
        Ok(text) => {
            let mut findings = Vec::new();
            let meta = PackMeta::parse("pack.toml", &text, &mut findings);
            if let Some(finding) = findings.first() {
                return Err(ImportError::new(&meta_path, None, finding.message.clone()));
            }
            meta
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => PackMeta::default(),
        Err(error) => return Err(ImportError::new(&meta_path, None, error.to_string())),
    };
    if let Some(existing) = meta.text("jurisdiction")
        && existing != kind.pack()
    {
        return Err(ImportError::new(
            &meta_path,
            None,
            format!("this pack is `{existing}`; `{}` writes a `{}` pack", kind.name(), kind.pack()),
        ));
    }
    meta.set_text("jurisdiction", kind.pack());
    meta.set_text("format", "preclear-pack 1");
    let mut tables = Vec::new();
    let mut files = Vec::new();
    let mut counts = Vec::new();
    for table in &imported.tables {
        let path = out.join(table.schema.file);
        let mut text = record_line(table.schema.columns);
        text.push('\n');
        for row in &table.rows {
            text.push_str(&record_line(row));
            text.push('\n');
        }
        progress(&format!(
            "{}: writing {} ({} records)",
            kind.name(),
            path.display(),
            table.rows.len()
        ));
        std::fs::write(&path, text)
            .map_err(|error| ImportError::new(&path, None, format!("cannot write: {error}")))?;
        tables.push((table.schema.file.to_owned(), table.rows.len()));
        files.push(table.schema.file.to_owned());
        counts.push(format!("{}={}", table.schema.file, table.rows.len()));
    }
    let mut entries = vec![
        ("files".to_owned(), MetaValue::List(files)),
        ("records".to_owned(), MetaValue::List(counts)),
    ];
    entries.extend(imported.source);
    entries.push((
        "importer".to_owned(),
        MetaValue::Text(format!("preclear-import {} v1", kind.name())),
    ));
    meta.set_source(SourceMeta { kind: kind.name().to_owned(), entries });
    std::fs::write(&meta_path, meta.render())
        .map_err(|error| ImportError::new(&meta_path, None, format!("cannot write: {error}")))?;
    Ok(ImportSummary { tables, warnings: imported.warnings })
}

/// Writes the sanctions pack's prebuilt name index from the lists now in the pack, and names
/// it in `pack.toml`, so that loading the pack does not fold every listed name.
fn write_name_index(out: &Path, progress: &mut dyn FnMut(&str)) -> Result<(), ImportError> {
    use crate::screen::sanctions::{INDEX_FILE, SanctionsLists};
    let files = crate::tariff::read_pack_files(out)
        .map_err(|error| ImportError::new(out, None, error.to_string()))?;
    let lists = SanctionsLists::from_files(files)
        .map_err(|error| ImportError::new(out, None, error.to_string()))?;
    let path = out.join(INDEX_FILE);
    progress(&format!("writing {} ({} names)", path.display(), lists.name_count()));
    std::fs::write(&path, lists.index_text())
        .map_err(|error| ImportError::new(&path, None, format!("cannot write: {error}")))?;
    let meta_path = out.join("pack.toml");
    let mut meta = lists.meta().clone();
    meta.set_text("index", INDEX_FILE);
    std::fs::write(&meta_path, meta.render())
        .map_err(|error| ImportError::new(&meta_path, None, format!("cannot write: {error}")))
}

/// Source metadata entries from `(key, value)` pairs.
pub(crate) fn source_entries(pairs: &[(&str, &str)]) -> Vec<(String, MetaValue)> {
    pairs.iter().map(|&(key, value)| (key.to_owned(), MetaValue::Text(value.to_owned()))).collect()
}

/// Reads a whole file as UTF-8 (a leading byte-order mark is dropped).
pub(crate) fn read_text(path: &Path) -> Result<String, ImportError> {
    let bytes =
        std::fs::read(path).map_err(|error| ImportError::new(path, None, error.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        ImportError::new(
            path,
            None,
            format!("not UTF-8 text (byte {})", error.utf8_error().valid_up_to()),
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text))
}

/// Reads a JSON file.
pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value, ImportError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|error| {
        ImportError::new(path, Some(error.line()), format!("not valid JSON: {error}"))
    })
}

/// The string at `key` of a JSON object (empty for null or missing; numbers as written).
pub(crate) fn json_text(value: &serde_json::Value, key: &str) -> String {
    match value.get(key) {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(serde_json::Value::Number(number)) => number.to_string(),
        Some(serde_json::Value::Bool(flag)) => flag.to_string(),
        _ => String::new(),
    }
}

/// The first source, which single-source kinds read.
pub(crate) fn single_source(sources: &[PathBuf]) -> Result<&Path, ImportError> {
    match sources {
        [one] => Ok(one),
        [first, ..] => {
            Err(ImportError::new(first, None, "this import kind reads exactly one source file"))
        }
        [] => Err(ImportError::new(Path::new("."), None, "no source file given")),
    }
}

/// A commodity code from the DIT CSV, whose leading zeros were stripped, as ten digits.
///
/// Codes of up to 8 digits are CN8 lines (`1012100` → `0101210000`); 9 or 10 digits are
/// TARIC10 lines (`102291010` → `0102291010`).
pub(crate) fn pad_stripped_code(code: &str) -> Option<String> {
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) || code.len() > 10 {
        return None;
    }
    let width = if code.len() <= 8 { 8 } else { 10 };
    let mut padded = format!("{code:0>width$}");
    while padded.len() < 10 {
        padded.push('0');
    }
    Some(padded)
}

/// The date part of an API timestamp (`2021-01-01T00:00:00.000Z` → `2021-01-01`).
pub(crate) fn date_part(timestamp: &str) -> String {
    timestamp
        .get(..10)
        .filter(|date| date.parse::<crate::Date>().is_ok())
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_stripped_codes() {
        assert_eq!(pad_stripped_code("1012100").as_deref(), Some("0101210000"));
        assert_eq!(pad_stripped_code("85109000").as_deref(), Some("8510900000"));
        assert_eq!(pad_stripped_code("102291010").as_deref(), Some("0102291010"));
        assert_eq!(pad_stripped_code("7202999000").as_deref(), Some("7202999000"));
        assert_eq!(pad_stripped_code("12a"), None);
        assert_eq!(pad_stripped_code(""), None);
    }

    #[test]
    fn kinds_round_trip_their_names() {
        for kind in ImportKind::ALL {
            assert_eq!(ImportKind::from_name(kind.name()), Some(kind));
        }
    }
}
