//! `uk-restrictions`: HMRC's table of UK commodity codes with their prohibition and
//! restriction (P&R) codes, HMRC's correlation of CDS measure types to those codes, and the
//! Windsor Framework Annex 2 themes the rule categories refer to.
//!
//! The three sources are told apart by their header, so they may be given in any order. The
//! rules themselves (what each P&R code requires, and the authored embargoes and controls)
//! live in the pack's `*.rules` files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::csv::{CsvRecord, column};
use super::{ImportError, Imported, TableOut, read_csv, source_entries};
use crate::date::Date;
use crate::screen::schema;

/// The rule categories: slug, Annex 2 theme (empty when none), title, and, for categories
/// outside the themes, the legal act (a theme's comes from the themes CSV).
const CATEGORIES: &[(&str, &str, &str, &str)] = &[
    ("cites", "2.6", "Endangered species (CITES)", ""),
    (
        "controlled-drugs",
        "",
        "Controlled drugs",
        "Misuse of Drugs Act 1971, section 3 (import and export only under licence)",
    ),
    ("cultural-goods", "2.25", "Cultural goods", ""),
    ("drug-precursors", "2.1", "Drug precursors", ""),
    (
        "export-controls",
        "",
        "Military and dual-use export controls",
        "Export Control Order 2008 (SI 2008/3231); Regulation (EC) No 428/2009 (dual-use items), as it applies in the UK",
    ),
    ("firearms", "2.16", "Firearms and ammunition", ""),
    (
        "fisheries",
        "",
        "Catch certificates (illegal, unreported and unregulated fishing)",
        "Council Regulation (EC) No 1005/2008 (IUU fishing), as it applies in the UK",
    ),
    ("food-safety", "2.20", "Food and feed of non-animal origin", ""),
    ("hazardous-chemicals", "2.23", "Hazardous chemicals", ""),
    (
        "health-and-safety",
        "",
        "Health and Safety Executive import controls",
        "Health and Safety Executive import controls (ammonium nitrate materials)",
    ),
    ("kimberley", "2.18", "Rough diamonds (Kimberley Process)", ""),
    (
        "marketing-standards",
        "",
        "Marketing standards",
        "Marketing standards for fresh fruit and vegetables and for hops, as they apply in the UK",
    ),
    ("other", "", "Other controls", "Controls the sources do not describe further"),
    (
        "ozone",
        "",
        "Ozone-depleting substances",
        "Regulation (EC) No 1005/2009 on substances that deplete the ozone layer, as it applies in the UK",
    ),
    ("plant-health", "2.20", "Plant health", ""),
    ("prohibitions", "1.2", "Total bans and prohibitions", ""),
    ("sanctions", "1.1", "Sanctions and embargoes", ""),
    ("timber", "2.10", "FLEGT licensing of timber", ""),
    ("veterinary", "2.20", "Veterinary checks (animals and products of animal origin)", ""),
];

#[derive(Default)]
struct Sources<'a> {
    measures: Option<&'a Path>,
    correlation: Option<&'a Path>,
    themes: Option<&'a Path>,
}

fn classify(sources: &[PathBuf]) -> Result<Sources<'_>, ImportError> {
    let mut found = Sources::default();
    for path in sources {
        let (header, _) = read_csv(path)?;
        let first = header.first().map_or("", |name| name.trim());
        let slot = match first {
            "commodity_code_10" => &mut found.measures,
            "cds_measure_type" => &mut found.correlation,
            "Theme" => &mut found.themes,
            _ => {
                return Err(ImportError::new(
                    path,
                    Some(1),
                    "not a source of `uk-restrictions` (expected the P&R table, the measure-type correlation or the themes CSV)",
                ));
            }
        };
        if slot.is_some() {
            return Err(ImportError::new(path, Some(1), "a second source of the same kind"));
        }
        *slot = Some(path);
    }
    Ok(found)
}

fn missing(what: &str) -> ImportError {
    ImportError::new(Path::new("."), None, format!("`uk-restrictions` needs {what}"))
}

fn iso_date(path: &Path, record: &CsvRecord, text: &str) -> Result<String, ImportError> {
    if text.is_empty() {
        return Ok(String::new());
    }
    Date::parse_compact(text).map(|date| date.to_string()).ok_or_else(|| {
        ImportError::new(path, Some(record.line), format!("`{text}` is not a date (YYYYMMDD)"))
    })
}

fn measures(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let (header, records) = read_csv(path)?;
    let columns = [
        "commodity_code_10",
        "chief_pr_code",
        "start_yyyymmdd",
        "end_yyyymmdd",
        "origin_country",
        "area_group",
    ]
    .map(|name| column(path, &header, name));
    let [code, pr, start, end, origin, area] = columns;
    let (code, pr, start, end, origin, area) = (code?, pr?, start?, end?, origin?, area?);
    let mut rows = Vec::with_capacity(records.len());
    for record in &records {
        let commodity = record.get(code).trim();
        if commodity.len() != 10 || !commodity.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ImportError::new(
                path,
                Some(record.line),
                format!("`{commodity}` is not a 10-digit commodity code"),
            ));
        }
        rows.push(vec![
            commodity.to_owned(),
            record.get(pr).trim().to_owned(),
            iso_date(path, record, record.get(start).trim())?,
            iso_date(path, record, record.get(end).trim())?,
            record.get(origin).trim().to_owned(),
            record.get(area).trim().to_owned(),
        ]);
    }
    rows.sort();
    rows.dedup();
    Ok(rows)
}

fn correlation(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let (header, records) = read_csv(path)?;
    let measure = column(path, &header, "cds_measure_type")?;
    let description = column(path, &header, "cds_description_notes")?;
    let code = column(path, &header, "cts_pr_code")?;
    let direction = column(path, &header, "trade_direction")?;
    // P&R code → [measure types, directions, descriptions], each in source order.
    let mut codes: BTreeMap<String, [Vec<String>; 3]> = BTreeMap::new();
    for record in &records {
        let entry = codes.entry(record.get(code).trim().to_owned()).or_default();
        for (list, column) in entry.iter_mut().zip([measure, direction, description]) {
            let value = record.get(column).trim().to_owned();
            if !value.is_empty() && !list.contains(&value) {
                list.push(value);
            }
        }
    }
    Ok(codes
        .into_iter()
        .map(|(code, [measures, directions, descriptions])| {
            let direction = match directions.as_slice() {
                [one] => one.clone(),
                _ => "Both".to_owned(),
            };
            vec![code, measures.join(" "), direction, descriptions.join(" / ")]
        })
        .collect())
}

fn categories(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let (header, records) = read_csv(path)?;
    let theme = column(path, &header, "Theme")?;
    let description = column(path, &header, "Full description")?;
    let mut themes: BTreeMap<String, (String, String)> = BTreeMap::new();
    for record in &records {
        // "2.6. CITES (endangered species)" → ("2.6", "CITES (endangered species)").
        let Some((number, title)) = record.get(theme).trim().split_once(". ") else { continue };
        let legal = record.get(description).trim();
        let legal = legal.strip_prefix(&format!("{number}. ")).unwrap_or(legal);
        let legal = legal.trim_start_matches("- ").trim_end_matches(';').trim_end_matches('.');
        themes.insert(number.to_owned(), (title.trim().to_owned(), legal.to_owned()));
    }
    let mut rows = Vec::new();
    for &(slug, number, title, legal) in CATEGORIES {
        if number.is_empty() {
            rows.push(vec![slug.to_owned(), String::new(), title.to_owned(), legal.to_owned()]);
            continue;
        }
        let (_, legal) = themes.get(number).ok_or_else(|| {
            ImportError::new(path, None, format!("no theme {number} for the category `{slug}`"))
        })?;
        rows.push(vec![slug.to_owned(), number.to_owned(), title.to_owned(), legal.clone()]);
    }
    Ok(rows)
}

/// `uk-restrictions`: `pr_measures.tsv`, `pr_codes.tsv` and `categories.tsv`.
pub(crate) fn import(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let found = classify(sources)?;
    let measures_path = found
        .measures
        .ok_or_else(|| missing("the P&R table (uk_chief_pr_measures_by_commodity_2021.csv)"))?;
    let correlation_path = found.correlation.ok_or_else(|| {
        missing("the measure-type correlation (cds_measure_type_to_chief_pr_code.csv)")
    })?;
    let themes_path = found.themes.ok_or_else(|| missing("the themes (themes.csv)"))?;
    let measure_rows = measures(measures_path)?;
    let pr_codes = correlation(correlation_path)?;
    let category_rows = categories(themes_path)?;
    let source = source_entries(&[
        (
            "title",
            "UK prohibitions and restrictions: commodity codes with their P&R codes, CDS measure types, rule categories",
        ),
        (
            "upstream",
            "trade-tariff/electronic-tariff-file (P&R table, correlation); trade-tariff/trade-tariff-backend (themes)",
        ),
        (
            "path",
            "data/reference/pr.measures.txt (as uk_chief_pr_measures_by_commodity_2021.csv); documentation/Ascii file and CDS measure type correlation table 1.1.docx (as cds_measure_type_to_chief_pr_code.csv); data/green_lanes/themes.csv",
        ),
        (
            "commit",
            "5ff97aeae5a5777766c684325c29b4c4c9b9d604 (electronic-tariff-file); e82fc0bfa21b14b667a5245457de002293a3702d (trade-tariff-backend)",
        ),
        (
            "licence",
            "MIT (repositories), Crown copyright; tariff data Open Government Licence v3.0",
        ),
        (
            "version",
            "CHIEF-era P&R table as of 2021; correlation table v1.1 (2022-10-05); themes as of 2024-01-31",
        ),
        ("effective", "2021-01-01"),
        (
            "areas",
            "area G0120 is every country; D-groups are CHIEF country groups whose members the sources do not list; area 0 means the origin column names the country",
        ),
        (
            "rules",
            "what each P&R code requires is written in pr_codes.rules; authored rules in controls.rules, embargoes.rules, species.rules; document names in documents.rules",
        ),
    ]);
    Ok(Imported {
        tables: vec![
            TableOut { schema: &schema::PR_MEASURES, rows: measure_rows },
            TableOut { schema: &schema::PR_CODES, rows: pr_codes },
            TableOut { schema: &schema::CATEGORIES, rows: category_rows },
        ],
        source,
        warnings: Vec::new(),
    })
}
