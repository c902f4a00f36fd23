//! Loading a pack's tables into a [`Tariff`]: the nomenclature with its hierarchy, the
//! measure tables indexed by code, and the UK rate tables (VAT, alcohol duty, exchange rates).

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::Date;
use crate::finding::Finding;
use crate::memo::Memo;
use crate::tariff::Jurisdiction;
use crate::tariff::expr::DutyExpr;
use crate::tariff::meta::PackMeta;
use crate::tariff::numbers::{sid_key, year_month_day};
use crate::tariff::schema::{self, TableSchema};
use crate::tariff::table::{Table, bad_pack, index_date, index_word};

/// One file of a pack: its name (e.g. `ukgt.tsv`) and its text.
#[derive(Debug, Clone)]
pub struct PackFile {
    /// The file name within the pack folder.
    pub name: String,
    /// The file's text.
    pub text: Cow<'static, str>,
    /// Whether the file is compiled into Preclear, where the test suite checks every record
    /// (`compiled_in_tables_read_alike_unchecked`): loading it then skips the checks of each
    /// record's fields and order, which were most of a one-file check's start.
    pub(crate) prechecked: bool,
    /// Where the records of a compiled-in table lie, prebuilt when Preclear was compiled.
    pub(crate) index: Option<&'static [u8]>,
}

impl PackFile {
    /// A file whose text lives for the whole program (bundled packs).
    #[must_use]
    pub fn bundled(name: &str, text: &'static str) -> PackFile {
        PackFile {
            name: name.to_owned(),
            text: Cow::Borrowed(text),
            prechecked: false,
            index: None,
        }
    }

    /// File `name` of the pack in `tariffs/<pack>` compiled into Preclear (see
    /// [`PackFile::prechecked`]).
    #[must_use]
    #[cfg_attr(
        not(any(
            feature = "bundled-uk",
            feature = "bundled-us",
            feature = "bundled-eu",
            feature = "bundled-codelists",
            feature = "bundled-sanctions"
        )),
        allow(dead_code)
    )]
    pub(crate) fn compiled_in(pack: &str, name: &str, text: &'static str) -> PackFile {
        PackFile {
            name: name.to_owned(),
            text: Cow::Borrowed(text),
            prechecked: true,
            index: crate::tariff::table::prebuilt_index(pack, name),
        }
    }

    /// A file read at run time.
    #[must_use]
    pub fn owned(name: &str, text: String) -> PackFile {
        PackFile { name: name.to_owned(), text: Cow::Owned(text), prechecked: false, index: None }
    }
}

/// A pack that cannot be loaded at all.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffError {
    /// The finding (code [`crate::codes::TARIFF_BAD_PACK`]) saying what and where.
    pub finding: Box<Finding>,
}

impl fmt::Display for TariffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for TariffError {}

impl From<Finding> for TariffError {
    fn from(finding: Finding) -> Self {
        TariffError { finding: Box::new(finding) }
    }
}

/// "No index": the value used in the hierarchy arrays for a missing parent, child or sibling.
pub(crate) const NONE: u32 = u32::MAX;

/// A commodity code of up to ten digits, stored inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct CodeKey {
    digits: [u8; 10],
    len: u8,
}

impl CodeKey {
    pub(crate) fn new(digits: &str) -> Option<CodeKey> {
        let bytes = digits.as_bytes();
        if bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut key = CodeKey { digits: [0; 10], len: u8::try_from(bytes.len()).ok()? };
        key.digits.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(key)
    }

    pub(crate) fn as_str(&self) -> &str {
        self.digits
            .get(..usize::from(self.len))
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }
}

/// One nomenclature line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// Its record in the line table.
    pub row: u32,
    /// Its code (empty for US header rows).
    pub code: CodeKey,
    /// UK product-line suffix (`80` for every other jurisdiction).
    pub suffix: [u8; 2],
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub parent: u32,
    pub first_child: u32,
    pub next_sibling: u32,
    /// Whether the line comes from `api_commodities.tsv` rather than the nomenclature table.
    pub from_api: bool,
}

impl Line {
    /// A product line (suffix `80`) valid at any date, with no links yet.
    fn new(row: u32, code: CodeKey) -> Line {
        Line {
            row,
            code,
            suffix: *b"80",
            start: None,
            end: None,
            parent: NONE,
            first_child: NONE,
            next_sibling: NONE,
            from_api: false,
        }
    }

    pub(crate) fn valid_on(&self, date: Date) -> bool {
        self.start.is_none_or(|start| start <= date) && self.end.is_none_or(|end| date <= end)
    }
}

/// A table sorted by one column, for binary search.
#[derive(Debug)]
pub(crate) struct Indexed {
    pub table: Table,
    /// Record numbers sorted by the key column.
    pub order: Vec<u32>,
    key: usize,
    /// The first eight bytes of the key of every [`SAMPLE_EVERY`]th record of `order`, so
    /// that a search starts in a small array instead of on records spread over the whole
    /// table (each probe there was a cache miss or two).
    samples: Vec<u64>,
}

/// How many records of [`Indexed::order`] each sample stands for.
const SAMPLE_EVERY: usize = 32;

/// A key's first eight bytes, zero-padded, as a number: it orders as the keys do, ties
/// aside (keys are text, with no zero bytes).
fn key_prefix(key: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(key.bytes()) {
        *slot = byte;
    }
    u64::from_be_bytes(bytes)
}

impl Indexed {
    fn new(table: Table, key: usize) -> Indexed {
        let mut order: Vec<u32> = (0..u32::try_from(table.len()).unwrap_or(u32::MAX)).collect();
        // Compiled-in tables are written in key order (`compiled_in_tables_read_alike_unchecked`
        // checks it); others are checked here.
        let sorted = table.prechecked()
            || order.windows(2).all(|pair| match pair {
                [a, b] => table.get(*a as usize, key) <= table.get(*b as usize, key),
                _ => true,
            });
        if !sorted {
            order.sort_by(|a, b| table.get(*a as usize, key).cmp(table.get(*b as usize, key)));
        }
        let samples = order
            .iter()
            .step_by(SAMPLE_EVERY)
            .map(|&row| key_prefix(table.get(row as usize, key)))
            .collect();
        Indexed { table, order, key, samples }
    }

    /// The records whose key column equals `value`.
    pub(crate) fn rows<'a>(&'a self, value: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.run(value).iter().map(|&row| row as usize)
    }

    /// The records whose key column equals `value`, as a run of [`Indexed::order`] (in
    /// file order within it).
    pub(crate) fn run(&self, value: &str) -> &[u32] {
        // Samples below the value's prefix start blocks whose earlier records are all below
        // the value; samples above it start blocks past every match. The matches lie between.
        let prefix = key_prefix(value);
        let below = self.samples.partition_point(|&sample| sample < prefix);
        let not_above = below
            + self
                .samples
                .get(below..)
                .map_or(0, |rest| rest.partition_point(|&sample| sample == prefix));
        let from = below.saturating_sub(1) * SAMPLE_EVERY;
        let to = (not_above * SAMPLE_EVERY).min(self.order.len());
        let candidates = self.order.get(from..to).unwrap_or_default();
        let start = candidates
            .partition_point(|&row| self.table.cmp_field(row as usize, self.key, value).is_lt());
        let rest = candidates.get(start..).unwrap_or_default();
        let length = rest
            .partition_point(|&row| self.table.cmp_field(row as usize, self.key, value).is_eq());
        rest.get(..length).unwrap_or_default()
    }

    /// The first record whose key column equals `value`.
    pub(crate) fn find(&self, value: &str) -> Option<usize> {
        self.rows(value).next()
    }
}

/// A UK VAT rule: the rate an additional code selects (none: the standard rate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VatRule {
    /// The CDS national additional code (`VATZ`, `VATR`, `VATE`); empty for the standard rate.
    pub additional_code: String,
    /// The rate as written in the pack (`20.00 %`).
    pub expression_source: String,
    /// The rate in percent.
    pub percent: Decimal,
    /// What the rule is.
    pub description: String,
    /// The legal basis.
    pub legal_basis: String,
    /// The rate parsed as a duty expression, once at loading rather than for every item;
    /// `None` when it does not parse (reported when the pack is loaded).
    #[serde(skip)]
    pub expression: Option<DutyExpr>,
}

/// A UK alcohol duty band: a tax type and ABV range for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlcoholBand {
    /// First day of the period.
    pub start: Date,
    /// Last day of the period (open when `None`).
    pub end: Option<Date>,
    /// The CDS tax type code (311-380).
    pub tax_type: String,
    /// HMRC's description of the band.
    pub description: String,
    /// `Core`, `DraughtRelief`, `SmallProducerRelief` or `DraughtAndSmallProducerRelief`.
    pub rate_type: String,
    /// GBP per litre of pure alcohol; `None` where the rate is calculated (small producer relief).
    pub rate: Option<Decimal>,
    /// `Beer`, `Cider`, `Wine`, `Spirits` or `OtherFermentedProduct`.
    pub regime: String,
    /// The alcohol type within the regime.
    pub alcohol_type: String,
    /// Lowest ABV of the band, in percent.
    pub min_abv: Decimal,
    /// Highest ABV of the band, in percent.
    pub max_abv: Decimal,
}

/// A loaded tariff: nomenclature, measures and rates of one jurisdiction.
#[derive(Debug)]
pub struct Tariff {
    pub(crate) jurisdiction: Jurisdiction,
    pub(crate) meta: PackMeta,
    pub(crate) findings: Vec<Finding>,
    pub(crate) line_table: Option<Table>,
    pub(crate) lines: Vec<Line>,
    /// US: for each record of the line table, the record whose rates apply (itself or the
    /// nearest ancestor with rates). Kept beside the lines, which every tariff has many of.
    pub(crate) rate_rows: Vec<u32>,
    /// Line indices sorted by (code, suffix, start).
    pub(crate) by_code: Vec<u32>,
    pub(crate) ukgt: Option<Indexed>,
    pub(crate) api_measures: Option<Indexed>,
    pub(crate) conditions: Option<Indexed>,
    pub(crate) areas: Option<Indexed>,
    pub(crate) footnotes: Option<Indexed>,
    pub(crate) additional_codes: Option<Indexed>,
    pub(crate) quotas: Option<Indexed>,
    pub(crate) supplementary_units: Option<Indexed>,
    pub(crate) quota_definitions: Option<Indexed>,
    pub(crate) api_commodities: Option<Table>,
    pub(crate) exchange_rates: Option<Indexed>,
    pub(crate) vat: Vec<VatRule>,
    pub(crate) alcohol: Vec<AlcoholBand>,
    /// Measures written for Preclear from their legal acts (`authored_measures.tsv`).
    pub(crate) authored: Option<Table>,
    /// [`Tariff::version`], put together on first use (every report quotes it).
    pub(crate) version: std::sync::OnceLock<String>,
    /// Commodities built lately (see [`Tariff::commodity_shared`]).
    pub(crate) commodities: crate::tariff::lookup::CommodityMemo,
    /// Exchange rates looked up lately, by month and currency: a batch converts from the
    /// same few currencies in every declaration.
    /// At most 1,024, so that a service converting from ever other months and codes stays flat.
    pub(crate) rates_memo: Memo<(u32, String), Option<Decimal>, 1024>,
}

/// The tables each kind of pack may hold.
const UK_TABLES: &[TableSchema] = &[
    schema::NOMENCLATURE,
    schema::UKGT,
    schema::MEASURES,
    schema::CONDITIONS,
    schema::AREAS,
    schema::FOOTNOTES,
    schema::ADDITIONAL_CODES,
    schema::QUOTA_DEFINITIONS,
    schema::API_COMMODITIES,
    schema::ALCOHOL_DUTY,
    schema::VAT,
    schema::EXCHANGE_RATES,
    schema::QUOTAS,
    schema::SUPPLEMENTARY_UNITS,
    schema::AUTHORED_MEASURES,
];
const US_TABLES: &[TableSchema] = &[schema::HTS];
const EU_TABLES: &[TableSchema] = &[schema::CET];

fn header_of(jurisdiction: Jurisdiction, name: &str) -> Option<&'static [&'static str]> {
    let tables = match jurisdiction {
        Jurisdiction::Uk => UK_TABLES,
        Jurisdiction::Us => US_TABLES,
        Jurisdiction::Eu => EU_TABLES,
    };
    tables.iter().find(|table| table.file == name).map(|table| table.columns)
}

/// The `pack.toml` among `files`, parsed.
pub(crate) fn read_meta(
    files: &[PackFile],
    findings: &mut Vec<Finding>,
) -> Result<PackMeta, TariffError> {
    let meta_file = files
        .iter()
        .find(|file| file.name == "pack.toml")
        .ok_or_else(|| bad_pack("pack.toml", 1, "the pack has no pack.toml"))?;
    Ok(PackMeta::parse("pack.toml", &meta_file.text, findings))
}

fn parse_date(
    table: &Table,
    row: usize,
    column: usize,
    findings: &mut Vec<Finding>,
) -> Option<Date> {
    date_field(table, row, table.get(row, column), findings)
}

/// A date field already cut from record `row`: empty is no date, anything else must be one.
pub(crate) fn date_field(
    table: &Table,
    row: usize,
    text: &str,
    findings: &mut Vec<Finding>,
) -> Option<Date> {
    if text.is_empty() {
        return None;
    }
    let date = fast_date(text);
    if date.is_none() {
        findings.push(table.finding(row, format!("`{text}` is not a date (YYYY-MM-DD)")));
    }
    date
}

/// Reports the authored measures that cannot apply as written: no code prefixes, bad dates,
/// a rate that does not parse.
fn check_authored(table: &Table, findings: &mut Vec<Finding>) {
    for row in 0..table.len() {
        let codes = table.get(row, 1);
        if codes.split_whitespace().next().is_none()
            || !codes.split_whitespace().all(|code| code.bytes().all(|byte| byte.is_ascii_digit()))
        {
            findings.push(table.finding(row, format!("`{codes}` is not a list of code prefixes")));
        }
        parse_date(table, row, 6, findings);
        parse_date(table, row, 7, findings);
        if let Err(error) = crate::tariff::expr::parse_taric(table.get(row, 8)) {
            findings.push(
                table.finding(
                    row,
                    format!("the rate `{}` does not parse: {error}", table.get(row, 8)),
                ),
            );
        }
    }
}

/// Reads `YYYY-MM-DD` without the general parser's checks and allocations: packs hold
/// tens of thousands of dates, and loading them is on every start-up path.
fn fast_date(text: &str) -> Option<Date> {
    let (year, month, day) = year_month_day(text)?;
    Date::new(year, month, day)
}

/// The bytes of a prebuilt nomenclature line (see `nomenclature_lines` in `core/build.rs`).
const PREBUILT_LINE_BYTES: usize = 28;

/// The lines and code order of a UK nomenclature `table` from their prebuilt form, with room
/// for `spare` more lines; `None` when it does not fit the table (the lines are then built
/// from the table). Unlinked: children are linked as for built lines.
fn prebuilt_lines(prebuilt: &[u8], table: &Table, spare: usize) -> Option<(Vec<Line>, Vec<u32>)> {
    let word = index_word;
    let count = word(prebuilt, 0)? as usize;
    if count != table.len() || word(prebuilt, 4)? as usize != table.static_text()?.len() {
        return None;
    }
    let lines_end = count.checked_mul(PREBUILT_LINE_BYTES)?.checked_add(8)?;
    if prebuilt.len() != lines_end.checked_add(count.checked_mul(4)?)? {
        return None;
    }
    let in_range = |index: u32| (index as usize) < count;
    let mut lines = Vec::with_capacity(count + spare);
    for chunk in prebuilt.get(8..lines_end)?.chunks_exact(PREBUILT_LINE_BYTES) {
        let row = word(chunk, 0).filter(|&row| in_range(row))?;
        let digits: [u8; 10] = chunk.get(4..14)?.try_into().ok()?;
        let parent = word(chunk, 24).filter(|&parent| parent == NONE || in_range(parent))?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        lines.push(Line {
            suffix: chunk.get(14..16)?.try_into().ok()?,
            start: index_date(chunk.get(16..20)?)?,
            end: index_date(chunk.get(20..24)?)?,
            parent,
            ..Line::new(row, CodeKey { digits, len: 10 })
        });
    }
    let by_code = prebuilt
        .get(lines_end..)?
        .chunks_exact(4)
        .map(|chunk| word(chunk, 0).filter(|&index| in_range(index)))
        .collect::<Option<Vec<u32>>>()?;
    Some((lines, by_code))
}

/// How far back from a nomenclature line its parent is looked for before a binary search.
const PARENT_LOOK_BACK: usize = 4096;

/// `(sid, line index)` pairs sorted for a binary search by sid.
fn sorted_sids(sids: &[u64]) -> Vec<(u64, u32)> {
    let mut sorted: Vec<(u64, u32)> = sids
        .iter()
        .enumerate()
        .map(|(index, &sid)| (sid, u32::try_from(index).unwrap_or(NONE)))
        .collect();
    sorted.sort_unstable();
    sorted
}

impl Tariff {
    /// Loads a tariff from its files (the pack's `pack.toml` and tables).
    ///
    /// Bad records are skipped and reported in [`Tariff::findings`].
    ///
    /// # Errors
    ///
    /// When `pack.toml` is missing or names no known jurisdiction, or a table's header is not
    /// the one its name requires.
    pub fn from_files(files: Vec<PackFile>) -> Result<Tariff, TariffError> {
        let mut findings = Vec::new();
        let meta = read_meta(&files, &mut findings)?;
        let jurisdiction: Jurisdiction = meta
            .text("jurisdiction")
            .ok_or_else(|| bad_pack("pack.toml", 1, "no `jurisdiction` key"))?
            .parse()
            .map_err(|message: String| bad_pack("pack.toml", 1, message))?;
        let mut tariff = Tariff {
            jurisdiction,
            meta,
            findings: Vec::new(),
            line_table: None,
            lines: Vec::new(),
            rate_rows: Vec::new(),
            by_code: Vec::new(),
            ukgt: None,
            api_measures: None,
            conditions: None,
            areas: None,
            footnotes: None,
            additional_codes: None,
            quotas: None,
            quota_definitions: None,
            api_commodities: None,
            exchange_rates: None,
            vat: Vec::new(),
            alcohol: Vec::new(),
            authored: None,
            version: std::sync::OnceLock::new(),
            commodities: crate::tariff::lookup::CommodityMemo::default(),
            rates_memo: Memo::default(),
            supplementary_units: None,
        };
        for file in files {
            if file.name == "pack.toml" {
                continue;
            }
            let Some(header) = header_of(jurisdiction, &file.name) else {
                findings.push(bad_pack(
                    &file.name,
                    1,
                    format!("not a table of a {jurisdiction} pack; ignored"),
                ));
                continue;
            };
            let table = Table::parse_file(file, header, &mut findings).map_err(|error| *error.0)?;
            tariff.place(table, &mut findings);
        }
        match jurisdiction {
            Jurisdiction::Uk => tariff.build_uk_lines(&mut findings),
            Jurisdiction::Us => tariff.build_us_lines(&mut findings),
            Jurisdiction::Eu => tariff.build_eu_lines(&mut findings),
        }
        if tariff.line_table.is_none() {
            findings.push(bad_pack("pack.toml", 1, "the pack has no nomenclature table"));
        }
        tariff.link_children();
        tariff.findings = findings;
        Ok(tariff)
    }

    fn place(&mut self, table: Table, findings: &mut Vec<Finding>) {
        match table.name() {
            "nomenclature.tsv" | "hts.tsv" | "cet.tsv" => self.line_table = Some(table),
            "ukgt.tsv" => self.ukgt = Some(Indexed::new(table, 0)),
            "measures.tsv" => self.api_measures = Some(Indexed::new(table, 0)),
            "conditions.tsv" => self.conditions = Some(Indexed::new(table, 0)),
            "areas.tsv" => self.areas = Some(Indexed::new(table, 0)),
            "footnotes.tsv" => self.footnotes = Some(Indexed::new(table, 0)),
            "additional_codes.tsv" => self.additional_codes = Some(Indexed::new(table, 0)),
            "quotas.tsv" => self.quotas = Some(Indexed::new(table, 0)),
            "supplementary_units.tsv" => self.supplementary_units = Some(Indexed::new(table, 0)),
            "quota_definitions.tsv" => self.quota_definitions = Some(Indexed::new(table, 0)),
            "exchange_rates.tsv" => self.exchange_rates = Some(Indexed::new(table, 0)),
            "api_commodities.tsv" => self.api_commodities = Some(table),
            "authored_measures.tsv" => {
                check_authored(&table, findings);
                self.authored = Some(table);
                self.version = std::sync::OnceLock::new();
            }
            "vat.tsv" => self.vat = read_vat(&table, findings),
            "alcohol_duty.tsv" => self.alcohol = read_alcohol(&table, findings),
            // Kept by the importer for reference; nothing is looked up in it.
            _ => {}
        }
    }

    fn build_uk_lines(&mut self, findings: &mut Vec<Finding>) {
        let Some(table) = &self.line_table else { return };
        let api_rows = self.api_commodities.as_ref().map_or(0, Table::len);
        // The compiled-in nomenclature's lines were built with Preclear (`core/build.rs`).
        if table.prechecked()
            && let Some(prebuilt) = crate::tariff::table::uk_nomenclature_lines()
            && let Some((lines, by_code)) = prebuilt_lines(prebuilt, table, api_rows)
        {
            self.lines = lines;
            self.by_code = by_code;
            self.add_api_lines();
            return;
        }
        // Each line's sid, by line index.
        let mut sids: Vec<u64> = Vec::with_capacity(table.len());
        let mut parents: Vec<Option<u64>> = Vec::with_capacity(table.len());
        // Room for the API's commodities too (`add_api_lines`), so that adding them does not
        // copy every line into a buffer twice the size.
        self.lines.reserve_exact(table.len() + api_rows);
        for row in 0..table.len() {
            // One pass over the record's leading fields rather than a scan for each.
            let mut fields = table.fields(row);
            let mut field = || fields.next().unwrap_or_default();
            let (sid_text, code_text, suffix, parent_text, start_text, end_text) =
                (field(), field(), field(), field(), field(), field());
            let (Some(code), Ok(row32)) = (CodeKey::new(code_text), u32::try_from(row)) else {
                findings.push(table.finding(row, format!("`{code_text}` is not a commodity code")));
                continue;
            };
            let (Some(sid), [a, b]) = (sid_key(sid_text), suffix.as_bytes()) else {
                findings.push(table.finding(row, "bad sid or product-line suffix"));
                continue;
            };
            if code.len != 10 {
                findings.push(table.finding(row, "a UK commodity code has ten digits"));
                continue;
            }
            let start = date_field(table, row, start_text, findings);
            let end = date_field(table, row, end_text, findings);
            let parent = if parent_text.is_empty() { None } else { sid_key(parent_text) };
            if !parent_text.is_empty() && parent.is_none() {
                findings.push(table.finding(row, format!("bad parent sid `{parent_text}`")));
            }
            sids.push(sid);
            parents.push(parent);
            self.lines.push(Line { suffix: [*a, *b], start, end, ..Line::new(row32, code) });
        }
        // Parents precede their children, most within a few lines (all within 2,500 in the
        // bundled nomenclature): look back from each line first, and sort the sids for a binary
        // search only for a parent further away, or after its child.
        let mut sorted: Option<Vec<(u64, u32)>> = None;
        for (index, (line, parent)) in self.lines.iter_mut().zip(parents).enumerate() {
            let Some(parent) = parent else { continue };
            let from = index.saturating_sub(PARENT_LOOK_BACK);
            let near = sids
                .get(from..index)
                .and_then(|window| window.iter().rposition(|&sid| sid == parent))
                .map(|at| from + at);
            let found = near.and_then(|at| u32::try_from(at).ok()).or_else(|| {
                let sorted = sorted.get_or_insert_with(|| sorted_sids(&sids));
                let at = sorted.binary_search_by_key(&parent, |&(sid, _)| sid).ok()?;
                sorted.get(at).map(|&(_, index)| index)
            });
            match found {
                Some(at) => line.parent = at,
                None => findings.push(
                    table.finding(line.row as usize, "its parent sid is not in the nomenclature"),
                ),
            }
        }
        self.sort_by_code();
        self.add_api_lines();
    }

    /// Adds the commodities of the API documents that the nomenclature lacks (2021 TARIC
    /// codes such as `0702000007`), under their nearest enclosing line, valid from the date
    /// the documents were captured for.
    fn add_api_lines(&mut self) {
        let Some(api) = &self.api_commodities else { return };
        let start = self
            .meta
            .source("uk-trade-tariff-api")
            .and_then(|source| source.text("effective"))
            .and_then(|date| date.parse().ok());
        let mut added = Vec::new();
        for row in 0..api.len() {
            let code_text = api.get(row, 0);
            let (Some(code), Ok(row32)) = (CodeKey::new(code_text), u32::try_from(row)) else {
                continue;
            };
            if code.len != 10 || !self.find_code(code_text).is_empty() {
                continue;
            }
            let mut parent = NONE;
            let trimmed = code_text.trim_end_matches("00");
            let mut keep = trimmed.len().saturating_sub(1) & !1;
            while keep >= 2 && parent == NONE {
                if let Some(prefix) = trimmed.get(..keep) {
                    let candidates = self.find_code(&crate::tariff::code::pad_to_ten(prefix));
                    parent = candidates
                        .iter()
                        .rfind(|index| {
                            self.lines
                                .get(**index as usize)
                                .is_some_and(|line| &line.suffix == b"80")
                        })
                        .copied()
                        .unwrap_or(NONE);
                }
                keep -= 2;
            }
            let suffix = api.get(row, 1).as_bytes();
            added.push(Line {
                suffix: [
                    suffix.first().copied().unwrap_or(b'8'),
                    suffix.get(1).copied().unwrap_or(b'0'),
                ],
                start,
                parent,
                from_api: true,
                ..Line::new(row32, code)
            });
        }
        // A handful of lines: insert each into the code index rather than sort it again.
        for line in added {
            let index = u32::try_from(self.lines.len()).unwrap_or(NONE);
            let key = (line.code, line.suffix, line.start);
            let lines = &self.lines;
            let at = self.by_code.partition_point(|other| {
                lines
                    .get(*other as usize)
                    .is_some_and(|other| (other.code, other.suffix, other.start) < key)
            });
            self.lines.push(line);
            self.by_code.insert(at, index);
        }
    }

    fn build_us_lines(&mut self, findings: &mut Vec<Finding>) {
        let Some(table) = &self.line_table else { return };
        // The open ancestors: (indent, line index).
        let mut stack: Vec<(u8, u32)> = Vec::new();
        let mut rate_rows = vec![NONE; table.len()];
        for row in 0..table.len() {
            let digits: String = table.get(row, 0).chars().filter(|ch| *ch != '.').collect();
            let (Some(code), Ok(indent), Ok(row32)) =
                (CodeKey::new(&digits), table.get(row, 1).parse::<u8>(), u32::try_from(row))
            else {
                findings.push(table.finding(row, "bad HTS number or indent"));
                continue;
            };
            while stack.last().is_some_and(|&(open, _)| open >= indent) {
                stack.pop();
            }
            let parent = stack.last().map_or(NONE, |&(_, index)| index);
            let has_rates = !table.get(row, 4).is_empty() || !table.get(row, 6).is_empty();
            let rate_row = if has_rates {
                row32
            } else {
                self.lines
                    .get(parent as usize)
                    .and_then(|line| rate_rows.get(line.row as usize).copied())
                    .unwrap_or(NONE)
            };
            if let Some(slot) = rate_rows.get_mut(row) {
                *slot = rate_row;
            }
            let index = u32::try_from(self.lines.len()).unwrap_or(NONE);
            self.lines.push(Line { parent, ..Line::new(row32, code) });
            stack.push((indent, index));
        }
        self.rate_rows = rate_rows;
        self.sort_by_code();
    }

    fn build_eu_lines(&mut self, findings: &mut Vec<Finding>) {
        let Some(table) = &self.line_table else { return };
        for row in 0..table.len() {
            let (Some(code), Ok(row32)) = (CodeKey::new(table.get(row, 0)), u32::try_from(row))
            else {
                findings.push(
                    table.finding(row, format!("`{}` is not a commodity code", table.get(row, 0))),
                );
                continue;
            };
            self.lines.push(Line::new(row32, code));
        }
        self.sort_by_code();
        // The parent of a line is the nearest shorter code in the table (`0102291010` →
        // `0102291000`), found by trimming digit pairs.
        for index in 0..self.lines.len() {
            let Some(code) = self.lines.get(index).map(|line| line.code) else { continue };
            let text = code.as_str().trim_end_matches("00").to_owned();
            let mut parent = NONE;
            let mut keep = text.len().saturating_sub(2) & !1;
            while keep >= 2 {
                if let Some(prefix) = text.get(..keep)
                    && let Some(found) =
                        self.find_code(&crate::tariff::code::pad_to_ten(prefix)).first()
                {
                    parent = *found;
                    break;
                }
                keep -= 2;
            }
            if let Some(line) = self.lines.get_mut(index) {
                line.parent = parent;
            }
        }
    }

    fn sort_by_code(&mut self) {
        let mut order: Vec<u32> = (0..u32::try_from(self.lines.len()).unwrap_or(0))
            .filter(|&index| self.lines.get(index as usize).is_some_and(|line| line.code.len > 0))
            .collect();
        let key = |index: &u32| {
            self.lines.get(*index as usize).map(|line| (line.code, line.suffix, line.start))
        };
        // Packs are written sorted, so this is usually one linear check.
        if !order.is_sorted_by_key(key) {
            order.sort_by_key(key);
        }
        self.by_code = order;
    }

    fn link_children(&mut self) {
        // Walk backwards so each parent's child list ends up in table order.
        for index in (0..self.lines.len()).rev() {
            let Some(parent) = self.lines.get(index).map(|line| line.parent) else { continue };
            if parent == NONE {
                continue;
            }
            let Some(first) = self.lines.get(parent as usize).map(|line| line.first_child) else {
                continue;
            };
            if let Some(line) = self.lines.get_mut(index) {
                line.next_sibling = first;
            }
            if let Some(parent_line) = self.lines.get_mut(parent as usize) {
                parent_line.first_child = u32::try_from(index).unwrap_or(NONE);
            }
        }
    }

    /// The indices of the lines whose code is exactly `digits`, in (suffix, start) order.
    pub(crate) fn find_code(&self, digits: &str) -> &[u32] {
        let Some(key) = CodeKey::new(digits) else { return &[] };
        let code_of = |index: &u32| self.lines.get(*index as usize).map(|line| line.code);
        let start = self.by_code.partition_point(|index| code_of(index) < Some(key));
        let end = self.by_code.partition_point(|index| code_of(index) <= Some(key));
        self.by_code.get(start..end).unwrap_or_default()
    }

    /// The record order of each table indexed by a column, for comparing loads.
    #[cfg(test)]
    pub(crate) fn index_orders(&self) -> Vec<&[u32]> {
        [
            &self.ukgt,
            &self.api_measures,
            &self.conditions,
            &self.areas,
            &self.footnotes,
            &self.additional_codes,
            &self.quotas,
            &self.supplementary_units,
            &self.quota_definitions,
            &self.exchange_rates,
        ]
        .into_iter()
        .flatten()
        .map(|indexed| indexed.order.as_slice())
        .collect()
    }

    /// The pack's version: the upstream version of each of its sources,
    /// `kind: version; ...`.
    #[must_use]
    pub fn version(&self) -> String {
        self.version
            .get_or_init(|| {
                let versions: Vec<String> = self
                    .meta()
                    .sources
                    .iter()
                    .filter_map(|source| {
                        source.text("version").map(|version| format!("{}: {version}", source.kind))
                    })
                    .collect();
                let mut version = versions.join("; ");
                if let Some(authored) = &self.authored {
                    version = format!("{version}; authored measures: {} rules", authored.len());
                }
                version
            })
            .clone()
    }

    /// The jurisdiction the pack is for.
    #[must_use]
    pub fn jurisdiction(&self) -> Jurisdiction {
        self.jurisdiction
    }

    /// The pack's `pack.toml`.
    #[must_use]
    pub fn meta(&self) -> &PackMeta {
        &self.meta
    }

    /// Problems found while loading (bad records are skipped).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The number of nomenclature lines (US: schedule rows, headers included).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The UK VAT rules.
    #[must_use]
    pub fn vat_rules(&self) -> &[VatRule] {
        &self.vat
    }

    /// The VAT rule an additional code selects (`None` or empty: the standard rate).
    #[must_use]
    pub fn vat_rule(&self, additional_code: Option<&str>) -> Option<&VatRule> {
        let wanted = additional_code.unwrap_or_default();
        self.vat.iter().find(|rule| rule.additional_code == wanted)
    }

    /// Every alcohol duty band.
    #[must_use]
    pub fn alcohol_bands(&self) -> &[AlcoholBand] {
        &self.alcohol
    }

    /// The alcohol duty band of `tax_type` in force on `date`.
    #[must_use]
    pub fn alcohol_duty(&self, tax_type: &str, date: Date) -> Option<&AlcoholBand> {
        self.alcohol.iter().find(|band| {
            band.tax_type == tax_type
                && band.start <= date
                && band.end.is_none_or(|end| date <= end)
        })
    }

    /// The in-quota rate of tariff quota `order_number` for commodity `code` (10 digits), as
    /// a TARIC duty sentence (`5.20%`, `13.20% + 8.00 GBP / 100 kg`), and the quota's origin
    /// as the source names it. The source writes plain percentages as fractions (`0.0520`).
    #[must_use]
    pub fn quota_rate(&self, order_number: &str, code: &str) -> Option<(String, String)> {
        let quotas = self.quotas.as_ref()?;
        let rows: Vec<usize> = quotas.rows(order_number).collect();
        let row =
            rows.iter().copied().find(|&row| quotas.table.get(row, 1) == code).or_else(|| {
                let cn = code.get(..8)?;
                rows.iter().copied().find(|&row| quotas.table.get(row, 1) == format!("{cn}00"))
            })?;
        let rate = quotas.table.get(row, 3).trim();
        let sentence = match rate.parse::<Decimal>() {
            Ok(fraction) if !rate.contains('%') => {
                let percent = (fraction * Decimal::ONE_HUNDRED).round_dp(2);
                format!("{percent:.2}%")
            }
            _ => rate.to_owned(),
        };
        Some((sentence, quotas.table.get(row, 2).to_owned()))
    }

    /// The supplementary unit (DE 6/2) of commodity `code` (ten digits) as declarations write
    /// it (`LTR`, `NAR`, `DTN#E`): the code's own entry, else its CN line's, else its HS
    /// subheading's.
    #[must_use]
    pub fn supplementary_unit(&self, code: &str) -> Option<&str> {
        let units = self.supplementary_units.as_ref()?;
        let candidates = [
            Some(code.to_owned()),
            code.get(..8).map(|cn| format!("{cn}00")),
            code.get(..6).map(|hs| format!("{hs}0000")),
        ];
        candidates.into_iter().flatten().find_map(|candidate| {
            let row = units.rows(&candidate).next()?;
            Some(units.table.get(row, 1))
        })
    }

    /// Whether the pack carries monthly exchange rates.
    #[must_use]
    pub fn has_exchange_rates(&self) -> bool {
        self.exchange_rates.as_ref().is_some_and(|rates| !rates.table.is_empty())
    }

    /// HMRC's rate for `currency` (units per GBP 1) in the month of `date`.
    #[must_use]
    pub fn exchange_rate(&self, currency: &str, date: Date) -> Option<Decimal> {
        let rates = self.exchange_rates.as_ref()?;
        let month = u32::from(date.year()) * 100 + u32::from(date.month());
        let key = (month, currency.to_owned());
        if let Some(rate) = self.rates_memo.get(&key) {
            return rate;
        }
        let rate = Self::look_up_rate(rates, currency, date);
        self.rates_memo.insert(key, rate);
        rate
    }

    pub(crate) fn look_up_rate(rates: &Indexed, currency: &str, date: Date) -> Option<Decimal> {
        let month = format!("{:04}-{:02}", date.year(), date.month());
        let run = rates.run(&month);
        let currency_of = |row: u32| rates.table.get(row as usize, 1);
        // The importer writes a month's currencies in order, so a binary search finds one
        // among the ~170; a pack written otherwise is searched from the start.
        let by_order = run
            .binary_search_by(|&row| {
                let listed = currency_of(row).bytes().map(|byte| byte.to_ascii_uppercase());
                listed.cmp(currency.bytes().map(|byte| byte.to_ascii_uppercase()))
            })
            .ok()
            .and_then(|index| run.get(index).copied());
        let row = by_order.or_else(|| {
            run.iter().copied().find(|&row| currency_of(row).eq_ignore_ascii_case(currency))
        })?;
        rates.table.get(row as usize, 2).parse().ok()
    }
}

/// A tariff's exchange rates on one date, each currency looked up once: every item of a
/// declaration converts from the same few currencies, and a lookup searches the month's
/// rates and parses one.
#[derive(Debug)]
pub struct RatesOn<'t> {
    tariff: &'t Tariff,
    date: Date,
    known: RefCell<Vec<(String, Option<Decimal>)>>,
}

impl<'t> RatesOn<'t> {
    /// The rates of `tariff` on `date`.
    #[must_use]
    pub fn new(tariff: &'t Tariff, date: Date) -> RatesOn<'t> {
        RatesOn { tariff, date, known: RefCell::new(Vec::new()) }
    }

    /// As [`Tariff::exchange_rate`] on this date.
    pub fn rate(&self, currency: &str) -> Option<Decimal> {
        let known = self.known.try_borrow().ok().and_then(|known| {
            known.iter().find(|(code, _)| code == currency).map(|(_, rate)| *rate)
        });
        if let Some(rate) = known {
            return rate;
        }
        let rate = self.tariff.exchange_rate(currency, self.date);
        // A few currencies at most in a real declaration; a list of hundreds is not kept.
        if let Ok(mut known) = self.known.try_borrow_mut()
            && known.len() < 16
        {
            known.push((currency.to_owned(), rate));
        }
        rate
    }
}

fn read_vat(table: &Table, findings: &mut Vec<Finding>) -> Vec<VatRule> {
    let mut rules = Vec::new();
    for row in 0..table.len() {
        let source = table.get(row, 1);
        let Some(percent) =
            source.trim().strip_suffix('%').and_then(|number| number.trim().parse().ok())
        else {
            findings.push(table.finding(row, format!("`{source}` is not a percentage")));
            continue;
        };
        let expression = match crate::tariff::expr::parse_taric(source) {
            Ok(expression) => Some(expression),
            Err(error) => {
                findings.push(
                    table.finding(row, format!("`{source}` is not a duty expression: {error}")),
                );
                None
            }
        };
        rules.push(VatRule {
            additional_code: table.get(row, 0).to_owned(),
            expression_source: source.to_owned(),
            percent,
            description: table.get(row, 2).to_owned(),
            legal_basis: table.get(row, 3).to_owned(),
            expression,
        });
    }
    rules
}

fn read_alcohol(table: &Table, findings: &mut Vec<Finding>) -> Vec<AlcoholBand> {
    let mut bands = Vec::with_capacity(table.len());
    for row in 0..table.len() {
        // Every column is read: cut the record once rather than field by field.
        let mut fields = [""; 10];
        for (slot, field) in fields.iter_mut().zip(table.fields(row)) {
            *slot = field;
        }
        let [
            start,
            end,
            tax_type,
            description,
            rate_type,
            rate_text,
            regime,
            alcohol_type,
            min_abv,
            max_abv,
        ] = fields;
        let decimal = |text: &str| text.parse::<Decimal>().ok();
        let (Some(start), Some(min_abv), Some(max_abv)) =
            (date_field(table, row, start, findings), decimal(min_abv), decimal(max_abv))
        else {
            findings.push(table.finding(row, "an alcohol band needs a start date and ABV bounds"));
            continue;
        };
        let rate = decimal(rate_text);
        if !rate_text.is_empty() && rate.is_none() {
            findings.push(table.finding(row, format!("`{rate_text}` is not a rate")));
            continue;
        }
        bands.push(AlcoholBand {
            start,
            end: date_field(table, row, end, findings),
            tax_type: tax_type.to_owned(),
            description: description.to_owned(),
            rate_type: rate_type.to_owned(),
            rate,
            regime: regime.to_owned(),
            alcohol_type: alcohol_type.to_owned(),
            min_abv,
            max_abv,
        });
    }
    bands
}

#[cfg(test)]
mod tests {
    /// `run` finds exactly the records a scan finds, for keys that share their first eight
    /// bytes, runs that cross sample blocks, and keys below, between and above all records.
    #[test]
    fn indexed_runs_are_the_scanned_ones() {
        let mut lines = Vec::new();
        let mut keys = Vec::new();
        for group in 0..40u32 {
            // Ten-digit codes whose first eight digits repeat in groups of three.
            let key = format!("{:08}{:02}", 1000 + group / 3, group % 3);
            // Runs of 1 to 70 records, so that some span two or three blocks of 32.
            for copy in 0..=(group * 7) % 70 {
                lines.push(format!("{key}\t{copy}"));
            }
            keys.push(key);
        }
        // Written out of order, so that `order` is not the identity.
        lines.reverse();
        let text = format!("key\tvalue\n{}\n", lines.join("\n"));
        let mut findings = Vec::new();
        let table = super::Table::parse("t.tsv", text.into(), &["key", "value"], &mut findings)
            .expect("a table");
        assert!(findings.is_empty());
        let indexed = super::Indexed::new(table, 0);
        let probes = keys.iter().cloned().chain(
            ["", "0", "0000100000", "0000100001", "0000101405", "00001013", "9"].map(String::from),
        );
        for probe in probes {
            let mut found: Vec<usize> = indexed.rows(&probe).collect();
            found.sort_unstable();
            let scanned: Vec<usize> = (0..indexed.table.len())
                .filter(|&row| indexed.table.get(row, 0) == probe)
                .collect();
            assert_eq!(found, scanned, "key {probe:?}");
        }
    }

    /// A VAT rate is parsed once, when the pack is read; a rate that is a percentage but no
    /// duty expression is reported there and charges nothing.
    #[test]
    fn vat_rates_are_parsed_when_read() {
        let header = super::schema::VAT.columns;
        let text =
            format!("{}\nVATZ\t0.00 %\tzero\tlaw\n\t2_0 %\tstandard\tlaw\n", header.join("\t"));
        let mut findings = Vec::new();
        let table = super::Table::parse("vat.tsv", text.into(), header, &mut findings).unwrap();
        let rules = super::read_vat(&table, &mut findings);
        assert_eq!(rules.len(), 2);
        let zero = rules[0].expression.as_ref().expect("a parsed rate");
        assert_eq!(*zero, crate::tariff::expr::parse_taric("0.00 %").unwrap());
        assert!(rules[1].expression.is_none());
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].message.contains("`2_0 %` is not a duty expression"), "{findings:?}");
    }

    /// Every nomenclature line's parent, by sid, checked against the table's parent column.
    #[cfg(feature = "bundled-uk")]
    fn parent_links(tariff: &super::Tariff) -> std::collections::BTreeMap<String, String> {
        let table = tariff.line_table.as_ref().expect("a nomenclature");
        let mut links = std::collections::BTreeMap::new();
        for line in tariff.lines.iter().filter(|line| !line.from_api) {
            let parent_column = table.get(line.row as usize, 3);
            let Some(parent) = tariff.lines.get(line.parent as usize) else {
                assert!(parent_column.is_empty(), "row {} lost its parent", line.row);
                continue;
            };
            let parent_sid = table.get(parent.row as usize, 0);
            assert_eq!(parent_sid, parent_column, "row {}", line.row);
            links.insert(table.get(line.row as usize, 0).to_owned(), parent_sid.to_owned());
        }
        links
    }

    #[cfg(feature = "bundled-uk")]
    #[test]
    fn parents_are_found_before_after_and_far_from_their_children() {
        use super::{PackFile, Tariff};
        let files = crate::tariff::bundled::files(crate::tariff::Jurisdiction::Uk).unwrap();
        let in_order = Tariff::from_files(files.clone()).unwrap();
        // The records reversed: every parent after its children, most beyond the look-back.
        let reversed = files
            .into_iter()
            .map(|file| {
                if file.name != "nomenclature.tsv" {
                    return file;
                }
                let (header, records) = file.text.split_once('\n').unwrap();
                let records: Vec<&str> = records.lines().rev().collect();
                PackFile::owned(&file.name, format!("{header}\n{}\n", records.join("\n")))
            })
            .collect();
        let reversed = Tariff::from_files(reversed).unwrap();
        for tariff in [&in_order, &reversed] {
            assert!(
                !tariff.findings().iter().any(|finding| finding.message.contains("parent sid")),
                "{:?}",
                tariff.findings()
            );
        }
        let links = parent_links(&in_order);
        assert!(links.len() > 20_000, "{} links", links.len());
        assert_eq!(links, parent_links(&reversed));
    }

    /// A byte of a prebuilt form and what it is changed to.
    #[cfg(feature = "bundled-uk")]
    type Change = (usize, fn(u8) -> u8);

    #[cfg(feature = "bundled-uk")]
    #[test]
    fn prebuilt_lines_are_the_built_ones() {
        use super::{PackFile, Tariff, prebuilt_lines};
        let prebuilt = crate::tariff::table::uk_nomenclature_lines().expect("prebuilt lines");
        let files = crate::tariff::bundled::files(crate::tariff::Jurisdiction::Uk).unwrap();
        let compiled_in = Tariff::from_files(files.clone()).unwrap();
        let table = compiled_in.line_table.as_ref().unwrap();
        // The load took them: they fit the compiled-in table.
        assert!(prebuilt_lines(prebuilt, table, 0).is_some());
        let built = Tariff::from_files(
            files
                .into_iter()
                .map(|file| PackFile { prechecked: file.name != "nomenclature.tsv", ..file })
                .collect(),
        )
        .unwrap();
        assert!(built.findings().is_empty(), "{:?}", built.findings());
        assert!(compiled_in.lines.len() > 26_000);
        assert!(compiled_in.lines == built.lines, "prebuilt lines differ from the built ones");
        assert_eq!(compiled_in.by_code, built.by_code);
        // Not taken where they do not fit: another count, another size, a bad date or parent.
        let mut bad = prebuilt.to_vec();
        bad.truncate(prebuilt.len() - 4);
        assert!(prebuilt_lines(&bad, table, 0).is_none());
        // The first line (`0100000000`, from 1971-12-31, no parent) begins at byte 8.
        let changes: [Change; 6] = [
            (0, |count| count.wrapping_add(1)),
            (4, |size| size.wrapping_add(1)),
            (8 + 18, |_| 13),
            (8 + 19, |_| 0),
            (8 + 24, |_| 0xfe),
            (8 + 4, |_| b'x'),
        ];
        for (at, change) in changes {
            let mut bad = prebuilt.to_vec();
            bad[at] = change(bad[at]);
            assert!(prebuilt_lines(&bad, table, 0).is_none(), "byte {at} changed");
        }
    }
}
