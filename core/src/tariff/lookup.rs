//! Looking up a commodity code: the line valid on a date, its description path, whether it is
//! declarable, and every measure that applies, inherited down the hierarchy.

// Measures start blank and get their fields one by one; `clone_into` would obscure that.
#![allow(clippy::assigning_clones)]

use std::fmt;

use std::sync::Arc;

use compact_str::CompactString;
use serde::Serialize;

use crate::Date;
use crate::memo::Memo;
use crate::tariff::code::{CodeError, normalize_code, pad_to_ten};
use crate::tariff::expression::{ExpressionKind, ParsedRate, parse_expression};
use crate::tariff::pack::{Line, NONE, Tariff};
use crate::tariff::{Jurisdiction, Jurisdiction::Eu, Jurisdiction::Uk, Jurisdiction::Us};

/// TARIC's geographical area for "every country" (ERGA OMNES).
pub const ERGA_OMNES: &str = "1011";

/// US column 2 countries (HTSUS General Note 3(b)): Cuba, North Korea, Russia, Belarus.
pub(crate) const US_COLUMN_2: [&str; 4] = ["BY", "CU", "KP", "RU"];

/// Why a lookup found no line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// The text is not a commodity code.
    BadCode(CodeError),
    /// No line has this code.
    NotFound(String),
    /// The code exists, but no line with it is valid on the date.
    NotValidOn {
        /// The code looked up.
        code: String,
        /// The date asked for.
        date: Date,
    },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::BadCode(error) => error.fmt(f),
            LookupError::NotFound(code) => write!(f, "{code} is not in the tariff"),
            LookupError::NotValidOn { code, date } => {
                write!(f, "{code} is in the tariff, but not valid on {date}")
            }
        }
    }
}

impl std::error::Error for LookupError {}

/// One ancestor in a commodity's description path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathEntry {
    /// Its code (empty for US header rows).
    pub code: String,
    /// UK product-line suffix (`80` for a line, `10`..`70` for a grouping heading).
    pub suffix: String,
    /// Its description.
    pub description: String,
}

/// A condition of a measure (document, threshold, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// The condition code (`Q`, `A`, `R`, `V`, ...).
    pub code: String,
    /// What the condition says.
    pub condition: String,
    /// The document (certificate) code, when the condition asks for one (`U088`, `D008`).
    pub document: Option<String>,
    /// The requirement text as the source wrote it.
    pub requirement: Option<String>,
    /// The action when the condition is met.
    pub action: String,
    /// The duty that applies then, as the source wrote it.
    pub duty_expression: Option<String>,
}

/// A measure that applies to a commodity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// The measure's id in its source.
    pub id: String,
    /// The measure type (`103`, `142`, `305`, ...; US: `general`, `special`, `column-2`).
    #[serde(rename = "type")]
    pub measure_type: String,
    /// What the type means.
    pub type_description: String,
    /// The geographical area (country, group, `1011` for all); US: programme codes.
    pub origin: String,
    /// The area's name, when the pack has it.
    pub origin_description: Option<String>,
    /// Countries the area excludes.
    pub excluded: Vec<String>,
    /// The rate, printed from the parsed duty expression.
    pub expression: Option<String>,
    /// Why the rate text could not be parsed, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_error: Option<String>,
    /// The parsed rate, for the duty engine.
    #[serde(skip)]
    pub parsed: Option<ParsedRate>,
    /// The rate text exactly as the upstream source wrote it.
    pub expression_source: String,
    /// The additional code that selects this measure (`B999`, `VATZ`, ...).
    pub additional_code: Option<String>,
    /// The additional code's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_code_description: Option<String>,
    /// The tariff quota order number.
    pub order_number: Option<String>,
    /// Conditions (documents, thresholds).
    pub conditions: Vec<Condition>,
    /// Footnote codes.
    pub footnotes: Vec<String>,
    /// The legal basis (regulation, act).
    pub legal_basis: Option<String>,
    /// First day the measure applies.
    pub start: Option<Date>,
    /// Last day the measure applies.
    pub end: Option<Date>,
    /// The code of the line the measure is defined on (an ancestor when inherited).
    pub defined_on: String,
    /// Remarks from the source (flags such as "trade remedy applies").
    pub remarks: Vec<String>,
    /// The pack table it comes from.
    pub source: String,
}

/// A commodity line with its path and applicable measures on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commodity {
    /// The tariff's jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// The code (ten digits for UK/EU; as numbered for the US, without dots).
    pub code: String,
    /// The code as the schedule prints it (`0402.29.50.00`).
    pub printed_code: String,
    /// UK product-line suffix.
    pub suffix: String,
    /// The line's own description.
    pub description: String,
    /// Whether goods can be declared under this code on the date.
    pub declarable: bool,
    /// First day the line is valid, when known.
    pub valid_from: Option<Date>,
    /// Last day the line is valid, when it ends.
    pub valid_to: Option<Date>,
    /// The date the lookup was for.
    pub date: Date,
    /// The origin the measures were filtered by.
    pub origin: Option<String>,
    /// The ancestors, outermost first.
    pub path: Vec<PathEntry>,
    /// US units of quantity.
    pub units: Vec<String>,
    /// US chapter 99 provisions the line's footnotes point to.
    pub chapter_99: Vec<String>,
    /// Every measure that applies.
    pub measures: Vec<Measure>,
}

impl Tariff {
    /// The line for `code` on `date` with every measure that applies to any origin.
    ///
    /// # Errors
    ///
    /// When `code` is not a commodity code, is not in the tariff, or is not valid on `date`.
    pub fn commodity(&self, code: &str, date: Date) -> Result<Commodity, LookupError> {
        self.commodity_from(code, date, None)
    }

    /// Like [`Tariff::commodity`], keeping only the measures that apply to goods from `origin`
    /// (an ISO country code; for the US, also a special programme code).
    ///
    /// # Errors
    ///
    /// As [`Tariff::commodity`].
    pub fn commodity_from(
        &self,
        code: &str,
        date: Date,
        origin: Option<&str>,
    ) -> Result<Commodity, LookupError> {
        let (index, line) = self.line_on(code, date)?;
        Ok(self.build_commodity(index, line, date, normalize_origin(origin)))
    }

    /// Like [`Tariff::commodity_from`], shared: the tariff remembers the last commodities
    /// asked for (line, date and origin), so that items and declarations declaring the same
    /// goods build their measures once. A batch re-checked after a tariff change asks for
    /// the same few thousand lines over and over.
    ///
    /// # Errors
    ///
    /// As [`Tariff::commodity`].
    pub fn commodity_shared(
        &self,
        code: &str,
        date: Date,
        origin: Option<&str>,
    ) -> Result<Arc<Commodity>, LookupError> {
        let (index, line) = self.line_on(code, date)?;
        let origin = normalize_origin(origin);
        let key = CommodityKey {
            line: u32::try_from(index).unwrap_or(NONE),
            date,
            origin: origin.as_deref().map(CompactString::from),
        };
        if let Some(commodity) = self.commodities.get(&key) {
            return Ok(commodity);
        }
        let commodity = Arc::new(self.build_commodity(index, line, date, origin));
        self.commodities.insert(key, Arc::clone(&commodity));
        Ok(commodity)
    }

    fn build_commodity(
        &self,
        index: usize,
        line: &Line,
        date: Date,
        origin: Option<String>,
    ) -> Commodity {
        let mut path = Vec::new();
        let mut parent = line.parent;
        while let Some(ancestor) = self.lines.get(parent as usize) {
            path.push(self.path_entry(ancestor));
            parent = ancestor.parent;
            if path.len() > 64 {
                break; // A cycle in bad data; the path so far is enough.
            }
        }
        path.reverse();
        let measures = match self.jurisdiction {
            Uk => self.uk_measures(index, date, origin.as_deref()),
            Us => self.us_measures(line, origin.as_deref()),
            Eu => self.eu_measures(index),
        };
        let (units, chapter_99) =
            if self.jurisdiction == Us { self.us_notes(line) } else { (Vec::new(), Vec::new()) };
        Commodity {
            jurisdiction: self.jurisdiction,
            code: line.code.as_str().to_owned(),
            printed_code: self.printed_code(line),
            suffix: String::from_utf8_lossy(&line.suffix).into_owned(),
            description: self.description(line).to_owned(),
            declarable: self.declarable(line, date),
            valid_from: line.start,
            valid_to: line.end,
            date,
            origin,
            path,
            units,
            chapter_99,
            measures,
        }
    }

    /// Whether `code` is a line valid on `date`, and if so whether it is declarable, without
    /// building its measures (for validation, which asks this of every item).
    ///
    /// # Errors
    ///
    /// As [`Tariff::commodity`].
    pub fn line_declarable(&self, code: &str, date: Date) -> Result<bool, LookupError> {
        let (_, line) = self.line_on(code, date)?;
        Ok(self.declarable(line, date))
    }

    /// The line `code` names on `date`, and its index.
    fn line_on(&self, code: &str, date: Date) -> Result<(usize, &Line), LookupError> {
        let digits = normalize_code(code).map_err(LookupError::BadCode)?;
        let index = self.resolve(&digits, date)?;
        let line = self.lines.get(index).ok_or(LookupError::NotFound(digits))?;
        Ok((index, line))
    }

    /// The first day the pack's duty rates apply: the effective date of its rate source
    /// (UK Global Tariff, HTSUS or CET).
    #[must_use]
    pub fn rates_effective_from(&self) -> Option<Date> {
        ["uk-global-tariff", "us-hts", "eu-cet"]
            .iter()
            .find_map(|kind| self.meta.source(kind))
            .and_then(|source| source.text("effective"))
            .and_then(|date| date.parse().ok())
    }

    /// Whether `code` is a declarable line on `date`.
    #[must_use]
    pub fn is_declarable(&self, code: &str, date: Date) -> bool {
        let Ok(digits) = normalize_code(code) else { return false };
        self.resolve(&digits, date)
            .ok()
            .and_then(|index| self.lines.get(index))
            .is_some_and(|line| self.declarable(line, date))
    }

    fn resolve(&self, digits: &str, date: Date) -> Result<usize, LookupError> {
        let mut candidates = match self.jurisdiction {
            Uk | Eu => self.find_code(&pad_to_ten(digits)),
            Us => self.find_code(digits),
        };
        if candidates.is_empty() && self.jurisdiction == Us && digits.len() == 10 {
            // A ten-digit entry for an eight-digit line without statistical suffixes.
            if let Some(eight) = digits.strip_suffix("00") {
                candidates = self.find_code(eight);
            }
        }
        if candidates.is_empty() {
            return Err(LookupError::NotFound(digits.to_owned()));
        }
        let valid =
            |index: &&u32| self.lines.get(**index as usize).is_some_and(|line| line.valid_on(date));
        let product_line = candidates.iter().filter(valid).rfind(|index| {
            self.lines.get(**index as usize).is_some_and(|line| &line.suffix == b"80")
        });
        product_line
            .or_else(|| candidates.iter().rfind(valid))
            .map(|index| *index as usize)
            .ok_or_else(|| LookupError::NotValidOn { code: digits.to_owned(), date })
    }

    fn description(&self, line: &Line) -> &str {
        let column = match self.jurisdiction {
            Uk => 6,
            Us | Eu => 2,
        };
        if line.from_api {
            return self
                .api_commodities
                .as_ref()
                .map_or("", |table| table.get(line.row as usize, 2));
        }
        self.line_table.as_ref().map_or("", |table| table.get(line.row as usize, column))
    }

    fn printed_code(&self, line: &Line) -> String {
        match (self.jurisdiction, &self.line_table) {
            (Us, Some(table)) => table.get(line.row as usize, 0).to_owned(),
            _ => line.code.as_str().to_owned(),
        }
    }

    fn path_entry(&self, line: &Line) -> PathEntry {
        PathEntry {
            code: self.printed_code(line),
            suffix: String::from_utf8_lossy(&line.suffix).into_owned(),
            description: self.description(line).to_owned(),
        }
    }

    fn declarable(&self, line: &Line, date: Date) -> bool {
        if &line.suffix != b"80" || !line.valid_on(date) {
            return false;
        }
        let mut child = line.first_child;
        while let Some(child_line) = self.lines.get(child as usize) {
            if child_line.valid_on(date)
                && child_line.code.as_str().len() >= line.code.as_str().len()
            {
                return false;
            }
            child = child_line.next_sibling;
        }
        match self.jurisdiction {
            Us => line.code.as_str().len() == 10,
            Uk | Eu => true,
        }
    }

    fn area_description(&self, area: &str) -> Option<String> {
        if area == ERGA_OMNES {
            return Some("ERGA OMNES".to_owned());
        }
        let areas = self.areas.as_ref()?;
        areas.find(area).map(|row| areas.table.get(row, 1).to_owned())
    }

    /// Whether a measure on `area` (less `excluded`) applies to goods from `origin`.
    fn area_covers(&self, area: &str, excluded: &[String], origin: Option<&str>) -> bool {
        let Some(origin) = origin else { return true };
        if excluded.iter().any(|country| country == origin) {
            return false;
        }
        if area == origin || area == ERGA_OMNES {
            return true;
        }
        self.areas.as_ref().is_some_and(|areas| {
            areas.find(area).is_some_and(|row| {
                areas.table.get(row, 2).split(' ').any(|member| member == origin)
            })
        })
    }

    fn uk_measures(&self, index: usize, date: Date, origin: Option<&str>) -> Vec<Measure> {
        let mut found: Vec<(usize, Measure)> = Vec::new();
        let mut current = u32::try_from(index).unwrap_or(NONE);
        let mut depth = 0;
        // Compared with the API rows' ISO dates as text, formatted once.
        let day = date.to_string();
        while let Some(line) = self.lines.get(current as usize) {
            if &line.suffix == b"80" {
                let code = line.code.as_str();
                // Every UKGT rate is a 103 ERGA OMNES measure, so the nearest line's rate
                // hides the others: stop collecting them once one is found.
                let ukgt_found = found.iter().any(|(_, measure)| measure.source == "ukgt.tsv");
                if let Some(ukgt) = self.ukgt.as_ref().filter(|_| !ukgt_found) {
                    for row in ukgt.rows(code) {
                        let measure = self.ukgt_measure(row, code);
                        // The DIT CSV lists some lines twice, as CN8 and as TARIC10 `...00`,
                        // with the same rate: one measure, with the remarks of both.
                        let same = found.iter_mut().find(|(_, other)| {
                            other.source == measure.source
                                && other.defined_on == measure.defined_on
                                && other.expression_source == measure.expression_source
                        });
                        match same {
                            Some((_, other)) => {
                                for remark in measure.remarks {
                                    if !other.remarks.contains(&remark) {
                                        other.remarks.push(remark);
                                    }
                                }
                            }
                            None => found.push((depth, measure)),
                        }
                    }
                }
                if let Some(api) = &self.api_measures {
                    for row in api.rows(code) {
                        // Dates first: most of a document's measures are out of date on any day.
                        let start = api.table.get(row, 8);
                        let end = api.table.get(row, 9);
                        if start <= day.as_str() && (end.is_empty() || day.as_str() <= end) {
                            found.push((depth, self.api_measure(row)));
                        }
                    }
                }
            }
            current = line.parent;
            depth += 1;
            if depth > 64 {
                break;
            }
        }
        found.extend(self.authored_measures(index).into_iter().map(|measure| (0, measure)));
        found.retain(|(_, measure)| {
            measure.start.is_none_or(|start| start <= date)
                && measure.end.is_none_or(|end| date <= end)
                && self.area_covers(&measure.origin, &measure.excluded, origin)
        });
        // A measure on a nearer line replaces one of the same kind (type, area, additional
        // code, quota) inherited from further up: the API's measures for a line replace the
        // UKGT rate of its heading.
        // On the same line, the API's full measure replaces the UKGT's rate.
        let rank =
            |depth: usize, measure: &Measure| (depth, usize::from(measure.source == "ukgt.tsv"));
        let keep: Vec<bool> = found
            .iter()
            .map(|(depth, measure)| {
                let (own, own_rank) = (measure_key(measure), rank(*depth, measure));
                !found.iter().any(|(other_depth, other)| {
                    rank(*other_depth, other) < own_rank && measure_key(other) == own
                })
            })
            .collect();
        let mut measures: Vec<Measure> = found
            .into_iter()
            .zip(keep)
            .filter_map(|((_, measure), keep)| keep.then_some(measure))
            .collect();
        // The API's VAT measures for a commodity (e.g. only VATZ for tomatoes) replace the
        // general rule; elsewhere the standard rate applies unless an additional code says not.
        let has_vat = measures.iter().any(|measure| is_vat_type(&measure.measure_type));
        if !has_vat && let Some(rule) = self.vat_rule(None) {
            measures.push(self.vat_measure(rule));
        }
        measures
    }

    /// The authored measures whose code prefixes cover line `index`.
    fn authored_measures(&self, index: usize) -> Vec<Measure> {
        let (Some(table), Some(line)) = (&self.authored, self.lines.get(index)) else {
            return Vec::new();
        };
        let code = line.code.as_str();
        (0..table.len())
            .filter(|&row| {
                table.get(row, 1).split_whitespace().any(|prefix| code.starts_with(prefix))
            })
            .map(|row| {
                let mut measure = blank_measure(ExpressionKind::Taric, table.get(row, 8));
                measure.id = table.get(row, 0).to_owned();
                measure.defined_on = table.get(row, 1).to_owned();
                measure.measure_type = table.get(row, 2).to_owned();
                measure.type_description = table.get(row, 3).to_owned();
                measure.origin = table.get(row, 4).to_owned();
                measure.origin_description = self.area_description(&measure.origin);
                measure.excluded =
                    table.get(row, 5).split_whitespace().map(str::to_owned).collect();
                measure.start = table.get(row, 6).parse().ok();
                measure.end = table.get(row, 7).parse().ok();
                measure.legal_basis = Some(table.get(row, 9).to_owned());
                let note = table.get(row, 10);
                if !note.is_empty() {
                    measure.remarks.push(note.to_owned());
                }
                measure.source = "authored_measures.tsv".to_owned();
                measure
            })
            .collect()
    }

    fn vat_measure(&self, rule: &crate::tariff::VatRule) -> Measure {
        let mut measure = blank_measure(ExpressionKind::Taric, &rule.expression_source);
        measure.id = "vat-standard".to_owned();
        measure.defined_on = "all goods".to_owned();
        measure.measure_type = "305".to_owned();
        measure.type_description = "Value added tax".to_owned();
        measure.origin = ERGA_OMNES.to_owned();
        measure.origin_description = self.area_description(ERGA_OMNES);
        measure.legal_basis = Some(rule.legal_basis.clone());
        measure.remarks = vec![text!(
            "{}; other rates by additional code: {}",
            rule.description,
            self.vat
                .iter()
                .filter(|other| !other.additional_code.is_empty())
                .map(|other| text!("{} {}", other.additional_code, other.expression_source))
                .collect::<Vec<_>>()
                .join(", ")
        )];
        measure.source = "vat.tsv".to_owned();
        measure
    }

    fn ukgt_measure(&self, row: usize, code: &str) -> Measure {
        let Some(ukgt) = &self.ukgt else { return blank_measure(ExpressionKind::Taric, "") };
        let table = &ukgt.table;
        let mut measure = blank_measure(ExpressionKind::Taric, table.get(row, 2));
        measure.id = text!("ukgt-{code}");
        measure.measure_type = "103".to_owned();
        measure.type_description = "Third country duty".to_owned();
        measure.origin = ERGA_OMNES.to_owned();
        measure.origin_description = self.area_description(ERGA_OMNES);
        measure.legal_basis =
            Some("Taxation (Cross-border Trade) Act 2018: UK Global Tariff".to_owned());
        measure.start = self
            .meta
            .source("uk-global-tariff")
            .and_then(|source| source.text("effective"))
            .and_then(|date| date.parse().ok());
        measure.defined_on = code.to_owned();
        let flags = [
            (4, "trade remedy applies"),
            (5, "EU rate applies until trade remedy review"),
            (6, "suspension applies"),
            (7, "autonomous tariff quota applies"),
        ];
        measure.remarks = flags
            .iter()
            .filter(|(column, _)| table.get(row, *column).eq_ignore_ascii_case("true"))
            .map(|(_, text)| (*text).to_owned())
            .collect();
        let change = table.get(row, 3);
        if !change.is_empty() {
            measure.remarks.insert(0, text!("change from the EU rate: {change}"));
        }
        measure.source = "ukgt.tsv".to_owned();
        measure
    }

    fn api_measure(&self, row: usize) -> Measure {
        let Some(api) = &self.api_measures else { return blank_measure(ExpressionKind::Taric, "") };
        let table = &api.table;
        let text = |column: usize| table.get(row, column);
        let optional =
            |column: usize| Some(text(column).to_owned()).filter(|value| !value.is_empty());
        let words = |column: usize| {
            text(column).split(' ').filter(|word| !word.is_empty()).map(str::to_owned).collect()
        };
        let mut measure = blank_measure(ExpressionKind::Taric, text(10));
        measure.id = text(1).to_owned();
        measure.measure_type = text(2).to_owned();
        measure.type_description = text(3).to_owned();
        measure.origin = text(4).to_owned();
        measure.origin_description = self.area_description(text(4));
        measure.excluded = words(5);
        measure.additional_code = optional(6);
        measure.additional_code_description = measure.additional_code.as_deref().and_then(|code| {
            let codes = self.additional_codes.as_ref()?;
            codes.find(code).map(|found| codes.table.get(found, 1).to_owned())
        });
        measure.order_number = optional(7);
        measure.start = text(8).parse().ok();
        measure.end = text(9).parse().ok();
        measure.legal_basis = optional(11);
        measure.footnotes = words(12);
        measure.defined_on = text(0).to_owned();
        if !text(13).is_empty() {
            measure.remarks.push(text!("reduction indicator {}", text(13)));
        }
        if let Some(conditions) = &self.conditions {
            measure.conditions = conditions
                .rows(&measure.id)
                .map(|found| {
                    let field = |column: usize| conditions.table.get(found, column).to_owned();
                    let optional =
                        |column: usize| Some(field(column)).filter(|value| !value.is_empty());
                    Condition {
                        code: field(2),
                        condition: field(3),
                        document: optional(4),
                        requirement: optional(5),
                        action: field(6),
                        duty_expression: optional(7),
                    }
                })
                .collect();
        }
        measure.source = "measures.tsv".to_owned();
        measure
    }

    fn eu_measures(&self, index: usize) -> Vec<Measure> {
        let Some(table) = &self.line_table else { return Vec::new() };
        let mut current = u32::try_from(index).unwrap_or(NONE);
        // The nearest line with a rate defines the duty; a TARIC10 line's own rate wins.
        while let Some(line) = self.lines.get(current as usize) {
            let rate = table.get(line.row as usize, 3);
            if !rate.is_empty() {
                let mut measure = blank_measure(ExpressionKind::Taric, rate);
                measure.id = text!("cet-{}", line.code.as_str());
                measure.measure_type = "103".to_owned();
                measure.type_description = "Third country duty".to_owned();
                measure.origin = ERGA_OMNES.to_owned();
                measure.origin_description = self.area_description(ERGA_OMNES);
                measure.legal_basis = Some(
                    "Council Regulation (EEC) No 2658/87, Annex I (Combined Nomenclature 2020)"
                        .to_owned(),
                );
                measure.start = self
                    .meta
                    .source("eu-cet")
                    .and_then(|source| source.text("effective"))
                    .and_then(|date| date.parse().ok());
                measure.defined_on = line.code.as_str().to_owned();
                measure.source = "cet.tsv".to_owned();
                return vec![measure];
            }
            current = line.parent;
        }
        Vec::new()
    }

    fn us_measures(&self, line: &Line, origin: Option<&str>) -> Vec<Measure> {
        let Some(table) = &self.line_table else { return Vec::new() };
        let rate_row = self.rate_row(line);
        if rate_row == NONE {
            return Vec::new();
        }
        let row = rate_row as usize;
        let defined_on = table.get(row, 0).to_owned();
        let legal = "Harmonized Tariff Schedule of the United States (19 U.S.C. 1202)";
        let make = |id: String, kind: &str, description: &str, area: &str, text: &str| {
            let grammar =
                if kind == "special" { ExpressionKind::UsSpecial } else { ExpressionKind::Us };
            let mut measure = blank_measure(grammar, text);
            measure.id = id;
            measure.measure_type = kind.to_owned();
            measure.type_description = description.to_owned();
            measure.origin = area.to_owned();
            measure.legal_basis = Some(legal.to_owned());
            measure.defined_on.clone_from(&defined_on);
            measure.source = "hts.tsv".to_owned();
            measure
        };
        let mut measures = Vec::new();
        let column_2 = origin.is_some_and(|origin| US_COLUMN_2.contains(&origin));
        let general = table.get(row, 4);
        if !general.is_empty() && !column_2 {
            let mut measure = make(
                text!("{defined_on}/general"),
                "general",
                "Column 1 general (normal trade relations) rate",
                "",
                general,
            );
            measure.origin_description = Some("countries with normal trade relations".to_owned());
            measure.footnotes = column_footnotes(table.get(row, 7), "general");
            measures.push(measure);
        }
        for (number, (rate, programmes)) in
            special_groups(table.get(row, 5)).into_iter().enumerate()
        {
            let applies = origin.is_none_or(|origin| {
                programmes.split(',').any(|code| code.trim().eq_ignore_ascii_case(origin))
            });
            if applies && !column_2 {
                let mut measure = make(
                    text!("{defined_on}/special/{}", number + 1),
                    "special",
                    "Column 1 special rate (programmes in General Note 3(c))",
                    programmes,
                    rate,
                );
                measure.origin_description = Some("special programme codes".to_owned());
                measures.push(measure);
            }
        }
        let other = table.get(row, 6);
        if !other.is_empty() && (origin.is_none() || column_2) {
            let mut measure = make(
                text!("{defined_on}/column-2"),
                "column-2",
                "Column 2 rate (General Note 3(b))",
                &US_COLUMN_2.join(","),
                other,
            );
            measure.origin_description = Some("Belarus, Cuba, North Korea, Russia".to_owned());
            measure.footnotes = column_footnotes(table.get(row, 7), "other");
            measures.push(measure);
        }
        let additional = table.get(row, 8).trim();
        if !additional.is_empty() {
            let mut measure = make(
                text!("{defined_on}/additional"),
                "additional",
                "Additional duties",
                "",
                table.get(row, 8),
            );
            measure.remarks.push("additional duty printed on the line".to_owned());
            measures.push(measure);
        }
        measures
    }

    /// US: the record whose rates apply to `line`.
    fn rate_row(&self, line: &Line) -> u32 {
        self.rate_rows.get(line.row as usize).copied().unwrap_or(NONE)
    }

    fn us_notes(&self, line: &Line) -> (Vec<String>, Vec<String>) {
        let Some(table) = &self.line_table else { return (Vec::new(), Vec::new()) };
        let units = table
            .get(line.row as usize, 3)
            .split('|')
            .filter(|unit| !unit.is_empty())
            .map(str::to_owned)
            .collect();
        let mut references = Vec::new();
        // The line's own footnotes, then those of the line its rates come from.
        for row in [line.row, self.rate_row(line)] {
            if row == NONE {
                continue;
            }
            for reference in chapter_99_references(table.get(row as usize, 7)) {
                if !references.contains(&reference) {
                    references.push(reference);
                }
            }
        }
        (units, references)
    }
}

/// What makes two UK measures "of the same kind" for inheritance: type, area, additional
/// code, quota order number.
fn measure_key(measure: &Measure) -> (&str, &str, Option<&str>, Option<&str>) {
    (
        measure.measure_type.as_str(),
        measure.origin.as_str(),
        measure.additional_code.as_deref(),
        measure.order_number.as_deref(),
    )
}

/// Whether a measure type is UK VAT (`305`, or the national `VTS`/`VTZ`/`VTA`/`VTE`).
fn is_vat_type(measure_type: &str) -> bool {
    matches!(measure_type, "305" | "VTA" | "VTE" | "VTS" | "VTZ")
}

fn blank_measure(kind: ExpressionKind, source: &str) -> Measure {
    let (expression, expression_error, parsed) = if source.trim().is_empty() {
        (None, None, None)
    } else {
        match parse_expression(kind, source) {
            Ok(parsed) => (Some(parsed.text), None, Some(parsed.tree)),
            Err(error) => (None, Some(text!("column {}: {}", error.column, error.message)), None),
        }
    };
    Measure {
        id: String::new(),
        measure_type: String::new(),
        type_description: String::new(),
        origin: String::new(),
        origin_description: None,
        excluded: Vec::new(),
        expression,
        expression_error,
        parsed,
        expression_source: source.to_owned(),
        additional_code: None,
        additional_code_description: None,
        order_number: None,
        conditions: Vec::new(),
        footnotes: Vec::new(),
        legal_basis: None,
        start: None,
        end: None,
        defined_on: String::new(),
        remarks: Vec::new(),
        source: String::new(),
    }
}

/// Splits an HTS `special` column into (rate, programme list) groups:
/// `Free (A+,AU,BH) 2.5% (JO)` → `[("Free", "A+,AU,BH"), ("2.5%", "JO")]`.
#[must_use]
pub fn special_groups(text: &str) -> Vec<(&str, &str)> {
    let mut groups = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) =
            rest.get(open..).and_then(|after| after.find(')')).map(|offset| open + offset)
        else {
            break;
        };
        let rate = rest.get(..open).unwrap_or_default().trim();
        let programmes = rest.get(open + 1..close).unwrap_or_default().trim();
        if !rate.is_empty() {
            groups.push((rate, programmes));
        }
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    let tail = rest.trim();
    if !tail.is_empty() {
        groups.push((tail, ""));
    }
    groups
}

/// The footnote texts for `column` (`general`, `other`) from the packed footnotes field.
fn column_footnotes(footnotes: &str, column: &str) -> Vec<String> {
    footnotes
        .split(" || ")
        .filter_map(|note| {
            let mut parts = note.splitn(3, ':');
            let columns = parts.next()?;
            let _kind = parts.next()?;
            let text = parts.next()?;
            columns.split(',').any(|name| name == column).then(|| text.to_owned())
        })
        .collect()
}

/// The chapter 99 subheadings (`9903.88.15`) named in a packed footnotes field.
fn chapter_99_references(footnotes: &str) -> Vec<String> {
    let bytes = footnotes.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = footnotes.get(at..).and_then(|rest| rest.find("99")) {
        let start = at + offset;
        let candidate = bytes.get(start..start + 10);
        let is_reference = candidate.is_some_and(|c| {
            c.iter()
                .enumerate()
                .all(|(i, b)| if i == 4 || i == 7 { *b == b'.' } else { b.is_ascii_digit() })
        }) && (start == 0
            || bytes.get(start - 1).is_some_and(|b| !b.is_ascii_digit() && *b != b'.'));
        if is_reference && let Some(text) = footnotes.get(start..start + 10) {
            if !found.iter().any(|existing: &String| existing == text) {
                found.push(text.to_owned());
            }
            at = start + 10;
        } else {
            at = start + 2;
        }
    }
    found
}

/// The origin as measures are filtered by: trimmed and upper-cased, `None` when blank.
fn normalize_origin(origin: Option<&str>) -> Option<String> {
    origin.map(str::trim).filter(|origin| !origin.is_empty()).map(str::to_ascii_uppercase)
}

/// What a commodity's measures depend on besides the tariff: its line, the date and the
/// origin.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CommodityKey {
    line: u32,
    date: Date,
    origin: Option<CompactString>,
}

/// The commodities a tariff built lately, for [`Tariff::commodity_shared`]: at most 256, a
/// few megabytes of measures.
pub(crate) type CommodityMemo = Memo<CommodityKey, Arc<Commodity>, 256>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_special_rates_by_programme() {
        let text = "Free (BH,CL,JO) See 9822.04.25 (AU) See 9918.04.60, 9918.04.61 (CO)";
        assert_eq!(
            special_groups(text),
            [("Free", "BH,CL,JO"), ("See 9822.04.25", "AU"), ("See 9918.04.60, 9918.04.61", "CO")]
        );
        assert_eq!(special_groups("Free"), [("Free", "")]);
        assert_eq!(special_groups("2% (A"), [("2% (A", "")]);
    }

    #[test]
    fn finds_chapter_99_references() {
        let notes = "general:endnote:See 9903.88.15. || desc:endnote:See subheadings 9904.04.50-9904.05.01.";
        assert_eq!(chapter_99_references(notes), ["9903.88.15", "9904.04.50", "9904.05.01"]);
        assert!(chapter_99_references("0402.99.10.00").is_empty());
        assert_eq!(column_footnotes(notes, "general"), ["See 9903.88.15."]);
    }
}
