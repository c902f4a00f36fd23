//! What changed between two packs of one jurisdiction, without a corpus: the rated lines
//! added, removed and re-rated, and the measures changed (`preclear tariff diff`, and the
//! importer's `CHANGELOG.md` entries).
//!
//! A *line* is a commodity code that carries a rate in the pack's rate table:
//!
//! - US (`hts.tsv`): an HTS number with a general, special or column 2 rate (a text that is
//!   not blank); it is
//!   *re-rated* when any of the three rate texts changed;
//! - UK (`ukgt.tsv`): a UK Global Tariff line and its third-country rate;
//! - EU (`cet.tsv`): a CET line and its third-country rate.
//!
//! A *measure* is what else the pack attaches to a line: for the US, the chapter 99
//! references of its footnotes and its additional duties column; for the UK, each measure
//! of `measures.tsv` (by its id). Rate texts are compared as printed: a change of wording is
//! a change, as it is in the source.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::tariff::pack::{PackFile, TariffError, read_meta};
use crate::tariff::schema::{self, TableSchema};
use crate::tariff::table::{Table, bad_pack};

/// A line whose rate texts changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rerated {
    /// The code as the pack prints it (`0101.21.00` for the US).
    pub code: String,
    /// The rate texts before, `column: text` for each rate column that changed.
    pub old: String,
    /// The rate texts after, in the same columns.
    pub new: String,
    /// The rate columns that changed (`general`, `special`, `column 2`, `rate`).
    pub columns: Vec<String>,
}

/// A measure that appeared, vanished or changed on a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureChange {
    /// The line's code, as printed.
    pub code: String,
    /// What the measure is (`chapter 99`, `additional duties`, or a UK measure's id and type).
    pub measure: String,
    /// The measure before (empty when it is new).
    pub old: String,
    /// The measure after (empty when it vanished).
    pub new: String,
}

/// Counts of a [`PackDiff`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DiffCounts {
    /// Rated lines in the old pack.
    pub old_lines: usize,
    /// Rated lines in the new pack.
    pub new_lines: usize,
    /// Lines only the new pack rates.
    pub added: usize,
    /// Lines only the old pack rates.
    pub removed: usize,
    /// Lines whose rate texts changed.
    pub rerated: usize,
    /// Measures added, removed or changed.
    pub measures_changed: usize,
}

/// What changed from one pack to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackDiff {
    /// The jurisdiction of both packs.
    pub jurisdiction: String,
    /// The old pack's version (`us-hts: 2025 Basic Edition`).
    pub old_version: String,
    /// The new pack's version.
    pub new_version: String,
    /// The counts.
    pub counts: DiffCounts,
    /// Codes of the lines added, in code order.
    pub added: Vec<String>,
    /// Codes of the lines removed, in code order.
    pub removed: Vec<String>,
    /// The lines re-rated, in code order.
    pub rerated: Vec<Rerated>,
    /// The measures changed, in code order.
    pub measures_changed: Vec<MeasureChange>,
}

impl PackDiff {
    /// The diff's summary as text: versions and counts, one line each.
    #[must_use]
    pub fn summary(&self) -> String {
        let c = &self.counts;
        format!(
            "{} tariff: {} → {}\nrated lines: {} → {}\nadded: {}\nremoved: {}\nre-rated: {}\nmeasures changed: {}\n",
            self.jurisdiction,
            self.old_version,
            self.new_version,
            c.old_lines,
            c.new_lines,
            c.added,
            c.removed,
            c.rerated,
            c.measures_changed
        )
    }
}

/// The rated lines and measures of one pack.
struct Lines {
    jurisdiction: String,
    version: String,
    /// Code (sort key) → (printed code, rate texts).
    rates: BTreeMap<String, (String, Vec<String>)>,
    /// (code sort key, measure) → (printed code, text).
    measures: BTreeMap<(String, String), (String, String)>,
}

/// The rate columns of a table, with their names.
type RateColumns = &'static [(usize, &'static str)];

/// The rate columns of a jurisdiction's rate table: (file, code column, rate columns with
/// their names).
fn rate_table(jurisdiction: &str) -> Option<(&'static TableSchema, usize, RateColumns)> {
    match jurisdiction {
        "us" => Some((&schema::HTS, 0, &[(4, "general"), (5, "special"), (6, "column 2")])),
        "uk" => Some((&schema::UKGT, 0, &[(2, "rate")])),
        "eu" => Some((&schema::CET, 0, &[(3, "rate")])),
        _ => None,
    }
}

fn table_of(files: &[PackFile], table_schema: &TableSchema) -> Result<Option<Table>, TariffError> {
    let Some(file) = files.iter().find(|file| file.name == table_schema.file) else {
        return Ok(None);
    };
    let mut findings = Vec::new();
    let table = Table::parse(
        &file.name,
        Cow::Owned(file.text.to_string()),
        table_schema.columns,
        &mut findings,
    )
    .map_err(|error| *error.0)?;
    match findings.into_iter().next() {
        Some(finding) => Err(finding.into()),
        None => Ok(Some(table)),
    }
}

/// The HTS numbers of chapter 99 a US footnote cell refers to (`See 9903.88.03.`).
fn chapter_99_refs(footnotes: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for (start, _) in footnotes.match_indices("99") {
        let rest = footnotes.get(start..).unwrap_or_default();
        let number: String =
            rest.chars().take_while(|ch| ch.is_ascii_digit() || *ch == '.').collect();
        let number = number.trim_end_matches('.');
        let preceded_by_digit = footnotes
            .get(..start)
            .and_then(|before| before.chars().last())
            .is_some_and(|ch| ch.is_ascii_digit() || ch == '.');
        if !preceded_by_digit && number.len() >= 10 && number.starts_with("990") {
            refs.push(number.to_owned());
        }
    }
    refs.sort();
    refs.dedup();
    refs
}

fn lines_of(files: &[PackFile]) -> Result<Lines, TariffError> {
    let mut findings = Vec::new();
    let meta = read_meta(files, &mut findings)?;
    if let Some(finding) = findings.into_iter().next() {
        return Err(finding.into());
    }
    let jurisdiction = meta
        .text("jurisdiction")
        .ok_or_else(|| bad_pack("pack.toml", 1, "no `jurisdiction` key"))?
        .to_owned();
    let (table_schema, code_column, rate_columns) = rate_table(&jurisdiction).ok_or_else(|| {
        bad_pack(
            "pack.toml",
            1,
            format!("`{jurisdiction}` is not a tariff pack (uk, us or eu) that rates lines"),
        )
    })?;
    let versions: Vec<String> = meta
        .sources
        .iter()
        .filter_map(|source| {
            source.text("version").map(|version| format!("{}: {version}", source.kind))
        })
        .collect();
    let table = table_of(files, table_schema)?.ok_or_else(|| {
        bad_pack(table_schema.file, 1, format!("the pack has no `{}`", table_schema.file))
    })?;
    let mut lines = Lines {
        jurisdiction: jurisdiction.clone(),
        version: versions.join("; "),
        rates: BTreeMap::new(),
        measures: BTreeMap::new(),
    };
    for row in 0..table.len() {
        let printed = table.get(row, code_column);
        if printed.is_empty() {
            continue;
        }
        let key: String = printed.chars().filter(|ch| *ch != '.').collect();
        let rates: Vec<String> =
            rate_columns.iter().map(|&(column, _)| table.get(row, column).to_owned()).collect();
        // A rate column holding only blanks (the export has a few) carries no rate.
        if rates.iter().all(|rate| rate.trim().is_empty()) {
            continue;
        }
        // The first row of a code is its line (a schedule prints each number once).
        lines.rates.entry(key.clone()).or_insert_with(|| (printed.to_owned(), rates));
        if jurisdiction == "us" {
            let refs = chapter_99_refs(table.get(row, 7)).join(" ");
            if !refs.is_empty() {
                lines
                    .measures
                    .entry((key.clone(), "chapter 99".to_owned()))
                    .or_insert_with(|| (printed.to_owned(), refs));
            }
            let additional = table.get(row, 8);
            if !additional.is_empty() {
                lines
                    .measures
                    .entry((key, "additional duties".to_owned()))
                    .or_insert_with(|| (printed.to_owned(), additional.to_owned()));
            }
        }
    }
    if jurisdiction == "uk"
        && let Some(measures) = table_of(files, &schema::MEASURES)?
    {
        for row in 0..measures.len() {
            let code = measures.get(row, 0).to_owned();
            let id = format!("{} {}", measures.get(row, 1), measures.get(row, 2));
            let text = format!(
                "{} area {} from {} to {}",
                measures.get(row, 10),
                measures.get(row, 4),
                measures.get(row, 8),
                measures.get(row, 9)
            );
            lines.measures.insert((code.clone(), id), (code, text));
        }
    }
    Ok(lines)
}

/// Compares two packs given as their files (`pack.toml` and tables).
///
/// # Errors
///
/// When either pack cannot be read, has no rate table, or the two are of different
/// jurisdictions.
pub fn diff_packs(old: &[PackFile], new: &[PackFile]) -> Result<PackDiff, TariffError> {
    let old = lines_of(old)?;
    let new = lines_of(new)?;
    if old.jurisdiction != new.jurisdiction {
        return Err(bad_pack(
            "pack.toml",
            1,
            format!(
                "the packs are of different jurisdictions: `{}` and `{}`",
                old.jurisdiction, new.jurisdiction
            ),
        )
        .into());
    }
    let names: Vec<&str> = rate_table(&old.jurisdiction)
        .map(|(_, _, columns)| columns.iter().map(|&(_, name)| name).collect())
        .unwrap_or_default();
    let mut diff = PackDiff {
        jurisdiction: old.jurisdiction.clone(),
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        counts: DiffCounts {
            old_lines: old.rates.len(),
            new_lines: new.rates.len(),
            ..DiffCounts::default()
        },
        added: Vec::new(),
        removed: Vec::new(),
        rerated: Vec::new(),
        measures_changed: Vec::new(),
    };
    for (key, (printed, rates)) in &new.rates {
        match old.rates.get(key) {
            None => diff.added.push(printed.clone()),
            Some((_, old_rates)) if old_rates != rates => {
                let mut changed = Vec::new();
                let mut before = Vec::new();
                let mut after = Vec::new();
                for ((old_rate, new_rate), name) in old_rates.iter().zip(rates).zip(&names) {
                    if old_rate != new_rate {
                        changed.push((*name).to_owned());
                        before.push(format!("{name}: {old_rate}"));
                        after.push(format!("{name}: {new_rate}"));
                    }
                }
                diff.rerated.push(Rerated {
                    code: printed.clone(),
                    old: before.join("; "),
                    new: after.join("; "),
                    columns: changed,
                });
            }
            Some(_) => {}
        }
    }
    for (key, (printed, _)) in &old.rates {
        if !new.rates.contains_key(key) {
            diff.removed.push(printed.clone());
        }
    }
    let mut keys: Vec<&(String, String)> = old.measures.keys().chain(new.measures.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let before = old.measures.get(key);
        let after = new.measures.get(key);
        let text = |entry: Option<&(String, String)>| {
            entry.map(|(_, text)| text.clone()).unwrap_or_default()
        };
        if before.map(|(_, text)| text) != after.map(|(_, text)| text) {
            let code = after.or(before).map(|(code, _)| code.clone()).unwrap_or_default();
            diff.measures_changed.push(MeasureChange {
                code,
                measure: key.1.clone(),
                old: text(before),
                new: text(after),
            });
        }
    }
    diff.counts.added = diff.added.len();
    diff.counts.removed = diff.removed.len();
    diff.counts.rerated = diff.rerated.len();
    diff.counts.measures_changed = diff.measures_changed.len();
    Ok(diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_chapter_99_references() {
        assert_eq!(
            chapter_99_refs(
                "general:endnote:See 9903.88.15. || general:endnote:See 9903.01.10-9903.01.12"
            ),
            vec!["9903.01.10", "9903.01.12", "9903.88.15"]
        );
        assert!(chapter_99_refs("see note 99(a)").is_empty());
    }
}
