//! The DIT "UK Global Tariff" CSV: UK third-country duties (GBP, from 1 January 2021) and the
//! EU common external tariff rates they replaced (EUR, 2020).

use std::path::{Path, PathBuf};

use super::csv::{CsvRecord, column};
use super::{
    ImportError, Imported, TableOut, pad_stripped_code, read_csv, single_source, source_entries,
};
use crate::tariff::schema;

const UPSTREAM: &[(&str, &str)] = &[
    ("upstream", "GSS-Cogs/family-trade"),
    ("path", "datasets/DIT-UK-tariffs/observations.csv"),
    ("commit", "edf3ccb4"),
    ("publisher", "Department for International Trade (DIT), published 2 December 2020"),
];

struct DitRow {
    code: String,
    /// The width of the source's code once its leading zeros are back: `8` (CN8) or `10`.
    width: &'static str,
    record: CsvRecord,
}

struct DitCsv {
    rows: Vec<DitRow>,
    header: Vec<String>,
}

fn read_dit_csv(path: &Path) -> Result<DitCsv, ImportError> {
    let (header, records) = read_csv(path)?;
    let code_column = column(path, &header, "commodity")?;
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let code = pad_stripped_code(record.get(code_column).trim()).ok_or_else(|| {
            ImportError::new(
                path,
                Some(record.line),
                format!("`{}` is not a commodity code", record.get(code_column)),
            )
        })?;
        let width = if record.get(code_column).trim().len() <= 8 { "8" } else { "10" };
        rows.push(DitRow { code, width, record });
    }
    // A CN8 line and its TARIC10 line `...00` pad to the same code; both are kept.
    rows.sort_by(|a, b| (&a.code, a.width).cmp(&(&b.code, b.width)));
    let key = |row: Option<&DitRow>| row.map(|row| (row.code.clone(), row.width));
    if let Some(pair) = rows.windows(2).find(|pair| key(pair.first()) == key(pair.get(1))) {
        let line = pair.get(1).map(|row| row.record.line);
        return Err(ImportError::new(path, line, "the same commodity code appears twice"));
    }
    Ok(DitCsv { rows, header })
}

/// `uk-global-tariff`: `ukgt.tsv` with the MFN rate and the DIT flags per line.
pub(crate) fn import_ukgt(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let path = single_source(sources)?;
    let csv = read_dit_csv(path)?;
    let names = [
        "ukgt_duty_rate",
        "change",
        "trade_remedy_applies",
        "cet_applies_until_trade_remedy_transition_reviews_concluded",
        "suspension_applies",
        "atq_applies",
    ];
    let columns: Vec<usize> =
        names.iter().map(|name| column(path, &csv.header, name)).collect::<Result<_, _>>()?;
    let rows = csv
        .rows
        .iter()
        .map(|row| {
            let mut fields = vec![row.code.clone(), row.width.to_owned()];
            fields.extend(columns.iter().map(|&index| row.record.get(index).to_owned()));
            fields
        })
        .collect();
    let mut source = source_entries(UPSTREAM);
    source.extend(source_entries(&[
        (
            "title",
            "UK Global Tariff: third-country (MFN) duties, measure type 103, ERGA OMNES (1011)",
        ),
        ("version", "UK Global Tariff 2021"),
        ("licence", "Open Government Licence v3.0 (Crown copyright)"),
        ("effective", "2021-01-01"),
        ("currency", "GBP"),
    ]));
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::UKGT, rows }],
        source,
        warnings: Vec::new(),
    })
}

/// `eu-cet`: `cet.tsv` with the 2020 EU third-country duty and DIT's description per line.
pub(crate) fn import_eu_cet(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let path = single_source(sources)?;
    let csv = read_dit_csv(path)?;
    let description = column(path, &csv.header, "description")?;
    let rate = column(path, &csv.header, "cet_duty_rate")?;
    let rows = csv
        .rows
        .iter()
        .map(|row| {
            vec![
                row.code.clone(),
                row.width.to_owned(),
                row.record.get(description).to_owned(),
                row.record.get(rate).to_owned(),
            ]
        })
        .collect();
    let mut source = source_entries(UPSTREAM);
    source.extend(source_entries(&[
        (
            "title",
            "EU Common External Tariff: third-country duties as DIT published them for comparison",
        ),
        ("version", "CET 2020"),
        ("licence", "Open Government Licence v3.0 (Crown copyright); EU tariff facts"),
        ("effective", "2020-01-01"),
        ("currency", "EUR"),
    ]));
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::CET, rows }],
        source,
        warnings: Vec::new(),
    })
}
