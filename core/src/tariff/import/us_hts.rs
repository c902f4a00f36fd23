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
    let edition = Edition::of(path);
    let path_entry = match edition.commit {
        Some(_) => format!("data/hts_archives/{}", edition.file),
        None => edition.file.clone(),
    };
    let effective = edition.effective.clone();
    let mut pairs = vec![
        ("title", "Harmonized Tariff Schedule of the United States (USITC JSON export)"),
        ("upstream", edition.upstream),
        ("path", path_entry.as_str()),
    ];
    if let Some(commit) = edition.commit {
        pairs.push(("commit", commit));
    }
    pairs.push(("version", edition.version.as_str()));
    pairs.push(("licence", "US Government work, public domain (17 USC 105)"));
    if let Some(effective) = &effective {
        pairs.push(("effective", effective.as_str()));
        pairs.push((
            "effective_note",
            "the year of the edition; the export does not carry the revision's own date",
        ));
    }
    pairs.push(("currency", "USD"));
    pairs.push(("order", "schedule order, as printed; rows without a number are headers"));
    let source = source_entries(&pairs);
    let mut warnings = Vec::new();
    if effective.is_none() {
        warnings.push(format!(
            "`{}` is not named like the USITC archives (hts_YYYY_basic, hts_YYYY_rev_N): the pack records the file name as its version and no effective date",
            edition.file
        ));
    }
    Ok(Imported { tables: vec![TableOut { schema: &schema::HTS, rows }], source, warnings })
}

/// The edition an archive file holds, read off its name (`hts_2025_rev_6.json.gz` is the
/// 2025 schedule's revision 6, `hts_2026_basic.json.gz` the 2026 basic edition): the
/// USITC export carries neither.
#[derive(Debug)]
struct Edition {
    file: String,
    version: String,
    effective: Option<String>,
    upstream: &'static str,
    commit: Option<&'static str>,
}

impl Edition {
    fn of(path: &std::path::Path) -> Edition {
        let file =
            path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = file.trim_end_matches(".gz").trim_end_matches(".json");
        let parsed = stem.strip_prefix("hts_").and_then(|rest| {
            let (year, edition) = rest.split_once('_')?;
            if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let version = if edition == "basic" {
                format!("{year} Basic Edition")
            } else {
                let number = edition.strip_prefix("rev_")?;
                if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                format!("{year} Revision {number}")
            };
            Some((version, format!("{year}-01-01")))
        });
        match parsed {
            Some((version, effective)) => Edition {
                file,
                version,
                effective: Some(effective),
                upstream: "arifshehab/tariff-rate-tracker",
                commit: Some("c9b94db4"),
            },
            None => Edition {
                version: stem.to_owned(),
                file,
                effective: None,
                upstream: "a local USITC JSON export",
                commit: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_editions_from_archive_names() {
        let edition = Edition::of(std::path::Path::new("x/hts_2025_rev_17.json.gz"));
        assert_eq!(edition.version, "2025 Revision 17");
        assert_eq!(edition.effective.as_deref(), Some("2025-01-01"));
        let edition = Edition::of(std::path::Path::new("hts_2026_basic.json"));
        assert_eq!(edition.version, "2026 Basic Edition");
        let edition = Edition::of(std::path::Path::new("export.json"));
        assert_eq!(edition.version, "export");
        assert_eq!(edition.effective, None);
    }
}
