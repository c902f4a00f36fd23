//! A small RFC 4180 CSV reader for the importers: quoted fields, doubled quotes, newlines
//! inside quotes, CRLF line ends. It records the line each record starts on for messages.

use std::path::Path;

use super::{ImportError, read_text};

/// One CSV record and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvRecord {
    pub line: usize,
    pub fields: Vec<String>,
}

impl CsvRecord {
    /// Field `index`, empty when missing.
    pub fn get(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", String::as_str)
    }
}

/// Reads a CSV file; the first record is the header.
pub(crate) fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<CsvRecord>), ImportError> {
    let text = read_text(path)?;
    let mut records =
        parse(&text).map_err(|(line, message)| ImportError::new(path, Some(line), message))?;
    if records.is_empty() {
        return Err(ImportError::new(path, Some(1), "empty CSV file: no header line"));
    }
    let header = records.remove(0).fields;
    Ok((header, records))
}

/// The index of `name` in `header`, or an error naming the file.
pub(crate) fn column(path: &Path, header: &[String], name: &str) -> Result<usize, ImportError> {
    header.iter().position(|column| column.trim() == name).ok_or_else(|| {
        ImportError::new(
            path,
            Some(1),
            format!("no `{name}` column in the header (is this the right file?)"),
        )
    })
}

fn parse(text: &str) -> Result<Vec<CsvRecord>, (usize, String)> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut in_quotes = false;
    let mut quoted_field = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if in_quotes {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                other => field.push(other),
            }
            continue;
        }
        match ch {
            '"' if field.is_empty() && !quoted_field => {
                in_quotes = true;
                quoted_field = true;
            }
            '"' => return Err((line, "a quote inside an unquoted field".to_owned())),
            ',' => {
                fields.push(std::mem::take(&mut field));
                quoted_field = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                quoted_field = false;
                records.push(CsvRecord { line: record_line, fields: std::mem::take(&mut fields) });
                line += 1;
                record_line = line;
            }
            other => field.push(other),
        }
    }
    if in_quotes {
        return Err((record_line, "a quoted field is not closed".to_owned()));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(CsvRecord { line: record_line, fields });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_and_embedded_newlines() {
        let records = parse("a,b\n1,\"x, \"\"y\"\"\nz\"\r\n2,NA\n").unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].fields, ["1", "x, \"y\"\nz"]);
        assert_eq!(records[2].line, 4);
        assert_eq!(records[2].get(1), "NA");
        assert_eq!(parse("a\n\"open").unwrap_err().0, 2);
        assert!(parse("a\nb\"c\n").is_err());
    }
}
