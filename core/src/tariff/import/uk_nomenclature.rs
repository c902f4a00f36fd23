//! The UK nomenclature: the DBT commodities table (codes with product-line suffix, validity
//! and parent links, as of early 2026) plus the UK Global Tariff's 2021 lines that the 2026
//! table no longer holds, so that a 2021 declaration's codes still resolve.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::csv::column;
use super::{ImportError, Imported, TableOut, pad_stripped_code, read_csv, source_entries};
use crate::Date;
use crate::tariff::schema;

/// The day the UK Global Tariff took effect; UKGT lines are valid from then.
const UKGT_START: &str = "2021-01-01";

struct Node {
    sid: String,
    code: String,
    suffix: String,
    parent: String,
    start: String,
    end: String,
    description: String,
}

fn valid_on(node: &Node, date: &str) -> bool {
    node.start.as_str() <= date && (node.end.is_empty() || node.end.as_str() >= date)
}

fn day_before(date: &str) -> Option<String> {
    let date: Date = date.parse().ok()?;
    let (year, month, day) = (date.year(), date.month(), date.day());
    let previous = if day > 1 {
        Date::new(year, month, day - 1)
    } else if month > 1 {
        Date::new(year, month - 1, crate::date::days_in_month(year, month - 1))
    } else {
        Date::new(year.checked_sub(1)?, 12, 31)
    };
    previous.map(|date| date.to_string())
}

fn open_date(text: &str) -> &str {
    if text == "#NA" { "" } else { text }
}

fn read_dbt(path: &Path) -> Result<Vec<Node>, ImportError> {
    let (header, records) = read_csv(path)?;
    let index = |name| column(path, &header, name);
    let (sid, code, suffix, description, start, end, parent) = (
        index("commodity__sid")?,
        index("commodity__code")?,
        index("commodity__suffix")?,
        index("commodity__description")?,
        index("commodity__validity_start")?,
        index("commodity__validity_end")?,
        index("parent__sid")?,
    );
    let mut nodes = Vec::with_capacity(records.len());
    for record in records {
        let node = Node {
            sid: record.get(sid).to_owned(),
            code: record.get(code).to_owned(),
            suffix: record.get(suffix).to_owned(),
            parent: open_date(record.get(parent)).to_owned(),
            start: record.get(start).to_owned(),
            end: open_date(record.get(end)).to_owned(),
            description: record.get(description).to_owned(),
        };
        let code_ok = node.code.len() == 10 && node.code.bytes().all(|b| b.is_ascii_digit());
        let dates_ok = node.start.parse::<Date>().is_ok()
            && (node.end.is_empty() || node.end.parse::<Date>().is_ok());
        if !code_ok || node.suffix.len() != 2 || !dates_ok || node.sid.is_empty() {
            return Err(ImportError::new(
                path,
                Some(record.line),
                format!(
                    "not a commodity record (code `{}`, suffix `{}`, start `{}`)",
                    node.code, node.suffix, node.start
                ),
            ));
        }
        nodes.push(node);
    }
    Ok(nodes)
}

/// `uk-nomenclature`: `nomenclature.tsv` from the DBT table and the UKGT CSV (any order).
#[allow(clippy::too_many_lines)] // One linear mapping from source fields to records.
pub(crate) fn import(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let mut dbt = None;
    let mut ukgt = None;
    for path in sources {
        let (header, _) = read_csv(path)?;
        if header.iter().any(|column| column == "commodity__sid") {
            dbt = Some(path);
        } else if header.iter().any(|column| column == "ukgt_duty_rate") {
            ukgt = Some(path);
        } else {
            return Err(ImportError::new(
                path,
                Some(1),
                "neither the DBT commodities table (commodity__sid, ...) nor the UKGT CSV (commodity, ukgt_duty_rate, ...)",
            ));
        }
    }
    let dbt = dbt.ok_or_else(|| {
        ImportError::new(Path::new("."), None, "the DBT commodities CSV is missing")
    })?;
    let mut nodes = read_dbt(dbt)?;
    let mut warnings = Vec::new();
    let mut ukgt_added = 0;
    if let Some(ukgt) = ukgt {
        let (header, records) = read_csv(ukgt)?;
        let code_column = column(ukgt, &header, "commodity")?;
        let description_column = column(ukgt, &header, "description")?;
        // Each code's suffix-80 records from the DBT table.
        let mut by_code: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, node) in nodes.iter().enumerate() {
            if node.suffix == "80" {
                by_code.entry(node.code.clone()).or_default().push(index);
            }
        }
        let mut missing = BTreeMap::new();
        for record in &records {
            let code = pad_stripped_code(record.get(code_column).trim()).ok_or_else(|| {
                ImportError::new(
                    ukgt,
                    Some(record.line),
                    format!("`{}` is not a commodity code", record.get(code_column)),
                )
            })?;
            let existing = by_code.get(&code).map(Vec::as_slice).unwrap_or_default();
            if existing.iter().filter_map(|&i| nodes.get(i)).any(|node| valid_on(node, UKGT_START))
            {
                continue;
            }
            let later_start =
                existing.iter().filter_map(|&i| nodes.get(i)).map(|node| node.start.as_str()).min();
            let end = later_start.and_then(day_before).unwrap_or_default();
            missing.insert(code, (end, record.get(description_column).to_owned()));
        }
        let added: BTreeSet<String> = missing.keys().cloned().collect();
        for (code, (end, description)) in missing {
            let parent = parent_for(&code, &by_code, &nodes, &added);
            if parent.is_empty() {
                warnings.push(format!("UKGT line {code} has no parent in the nomenclature"));
            }
            nodes.push(Node {
                sid: format!("ukgt-{code}"),
                code,
                suffix: "80".to_owned(),
                parent,
                start: UKGT_START.to_owned(),
                end,
                description,
            });
            ukgt_added += 1;
        }
    }
    nodes.sort_by(|a, b| {
        (&a.code, &a.suffix, &a.start, &a.sid).cmp(&(&b.code, &b.suffix, &b.start, &b.sid))
    });
    let rows = nodes
        .into_iter()
        .map(|node| {
            vec![
                node.sid,
                node.code,
                node.suffix,
                node.parent,
                node.start,
                node.end,
                node.description,
            ]
        })
        .collect();
    let mut source = source_entries(&[
        (
            "title",
            "UK goods nomenclature (DBT uk-tariff-2021-01-01 commodities table v4.0.1205) with the UK Global Tariff's 2021 lines",
        ),
        ("upstream", "CormacOBroin-MSFT/DocumentProcessingWorkflow"),
        ("path", "StaticDataForAgents/uk-tariff-2021-01-01--v4.0.1205--commodities-report.csv"),
        ("commit", "6ea9b6e6be59bced8ae0ec25ee57f83026e44017"),
        (
            "upstream_2021_lines",
            "GSS-Cogs/family-trade datasets/DIT-UK-tariffs/observations.csv @ edf3ccb4",
        ),
        ("version", "v4.0.1205 (nomenclature as of about January 2026)"),
        ("licence", "Open Government Licence v3.0 (Crown copyright, DBT/DIT); repository MIT"),
        ("effective", "2026-01-01"),
        (
            "declarable",
            "a line is declarable on a date when its suffix is 80, it is valid then and no line valid then names it as parent",
        ),
    ]);
    source
        .push(("ukgt_lines_added".to_owned(), crate::tariff::meta::MetaValue::Integer(ukgt_added)));
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::NOMENCLATURE, rows }],
        source,
        warnings,
    })
}

/// The sid of the nearest enclosing line of a UKGT-only `code`, valid when the UKGT started.
fn parent_for(
    code: &str,
    by_code: &BTreeMap<String, Vec<usize>>,
    nodes: &[Node],
    added: &BTreeSet<String>,
) -> String {
    for keep in [8, 6, 4, 2] {
        let Some(prefix) = code.get(..keep) else { continue };
        let candidate = format!("{prefix:0<10}");
        if candidate == code {
            continue;
        }
        if added.contains(&candidate) {
            return format!("ukgt-{candidate}");
        }
        let found = by_code
            .get(&candidate)
            .into_iter()
            .flatten()
            .filter_map(|&i| nodes.get(i))
            .find(|node| valid_on(node, UKGT_START));
        if let Some(node) = found {
            return node.sid.clone();
        }
    }
    String::new()
}
