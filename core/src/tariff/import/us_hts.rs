//! The US Harmonized Tariff Schedule, from the USITC JSON export (optionally gzipped): every
//! row in schedule order, header rows without numbers included (they carry the description
//! path), with its general, special and column 2 rates as printed and its footnotes.

use std::io::Read as _;
use std::path::PathBuf;

use serde_json::Value;

use super::{ImportError, Imported, TableOut, json_text, single_source, source_entries};
use crate::tariff::schema;

fn footnotes(row: &Value) -> String {
    let mut parts = Vec::new();
    for note in row.get("footnotes").and_then(Value::as_array).into_iter().flatten() {
        let columns: Vec<&str> = note
            .get("columns")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let value = json_text(note, "value");
        parts.push(format!("{}:{}:{}", columns.join(","), json_text(note, "type"), value.trim()));
    }
    parts.join(" || ")
}

/// `us-hts`: `hts.tsv`.
pub(crate) fn import(
    sources: &[PathBuf],
    progress: &mut dyn FnMut(&str),
) -> Result<Imported, ImportError> {
    let path = single_source(sources)?;
    let bytes =
        std::fs::read(path).map_err(|error| ImportError::new(path, None, error.to_string()))?;
    let json_bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut inflated = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut inflated).map_err(
            |error| ImportError::new(path, None, format!("not a valid gzip file: {error}")),
        )?;
        inflated
    } else {
        bytes
    };
    progress(&format!("us-hts: parsing {} bytes of JSON", json_bytes.len()));
    let document: Value = serde_json::from_slice(&json_bytes).map_err(|error| {
        ImportError::new(path, Some(error.line()), format!("not valid JSON: {error}"))
    })?;
    let rows_in = document
        .as_array()
        .ok_or_else(|| ImportError::new(path, Some(1), "expected a JSON array of HTS rows"))?;
    let mut rows = Vec::with_capacity(rows_in.len());
    for (index, row) in rows_in.iter().enumerate() {
        if index % 10_000 == 0 && index > 0 {
            progress(&format!("us-hts: {index} of {} rows", rows_in.len()));
        }
        let number = json_text(row, "htsno");
        let indent = json_text(row, "indent");
        let well_formed = row.is_object()
            && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && !indent.is_empty()
            && indent.bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            return Err(ImportError::new(
                path,
                None,
                format!(
                    "row {} (htsno `{number}`) is not an HTS row (htsno digits and dots, numeric indent)",
                    index + 1
                ),
            ));
        }
        let units: Vec<&str> = row
            .get("units")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        rows.push(vec![
            number,
            indent,
            json_text(row, "description"),
            units.join("|"),
            json_text(row, "general"),
            json_text(row, "special"),
            json_text(row, "other"),
            footnotes(row),
            json_text(row, "additionalDuties"),
        ]);
    }
    let source = source_entries(&[
        ("title", "Harmonized Tariff Schedule of the United States (USITC JSON export)"),
        ("upstream", "arifshehab/tariff-rate-tracker"),
        ("path", "data/hts_archives/hts_2026_rev_10.json.gz"),
        ("commit", "c9b94db4"),
        ("version", "2026 Revision 10"),
        ("licence", "US Government work, public domain (17 USC 105)"),
        ("effective", "2026-01-01"),
        (
            "effective_note",
            "the year of the edition; the export does not carry the revision's own date",
        ),
        ("currency", "USD"),
        ("order", "schedule order, as printed; rows without a number are headers"),
    ]);
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::HTS, rows }],
        source,
        warnings: Vec::new(),
    })
}
