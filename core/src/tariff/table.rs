//! The text table format of tariff packs: UTF-8, one record a line, fields separated by tabs,
//! a header line naming the columns.
//!
//! Tabs, newlines, carriage returns and backslashes inside a field are written as `\t`, `\n`,
//! `\r` and `\\`, so a record is always one line and a rule update shows up as a one-line
//! diff. Loading keeps the file's text and records only where each field starts and ends;
//! only fields with escapes are copied, which keeps loading a full pack fast.

use std::borrow::Cow;
use std::fmt;

use crate::codes;
use crate::finding::{Finding, Provenance};

/// Escapes one field for a pack table.
#[must_use]
pub fn escape_field(text: &str) -> Cow<'_, str> {
    if !text.contains(['\t', '\n', '\r', '\\']) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\t' => escaped.push_str("\\t"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\\' => escaped.push_str("\\\\"),
            other => escaped.push(other),
        }
    }
    Cow::Owned(escaped)
}

/// Joins escaped fields into one record line (without the newline).
#[must_use]
pub fn record_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = String::new();
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            line.push('\t');
        }
        line.push_str(&escape_field(field.as_ref()));
    }
    line
}

/// Where a record lies in the file, for [`Table::finish_record`].
#[derive(Debug, Clone, Copy)]
struct Record {
    start: usize,
    field_start: usize,
    end: usize,
    escaped: bool,
    line: u32,
}

/// Where a field's text lives: in the file itself, or in the table's buffer of unescaped text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
    unescaped: bool,
}

/// A loaded table: the file text plus the span of every field.
#[derive(Debug)]
pub struct Table {
    name: String,
    text: Cow<'static, str>,
    unescaped: String,
    columns: Vec<String>,
    spans: Vec<Span>,
    /// The 1-based line number of each record, for messages.
    lines: Vec<u32>,
}

/// Why a table could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub struct TableError(pub Box<Finding>);

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for TableError {}

/// A finding about pack data at `file:line`.
pub fn bad_pack(file: &str, line: u32, message: impl Into<String>) -> Finding {
    let message = message.into();
    Finding::new(codes::TARIFF_BAD_PACK, format!("{file}:{line}: {message}")).with_provenance(
        Provenance { source: file.to_owned(), id: format!("line {line}"), legal_basis: None },
    )
}

impl Table {
    /// Reads a table whose header must be exactly `expected_columns`.
    ///
    /// A record with the wrong number of fields, or a bad escape, is skipped with a finding;
    /// a missing or different header makes the whole table unreadable.
    ///
    /// # Errors
    ///
    /// When the header line is missing or names other columns, or the file exceeds 4 GiB.
    pub fn parse(
        name: &str,
        text: Cow<'static, str>,
        expected_columns: &[&str],
        findings: &mut Vec<Finding>,
    ) -> Result<Table, TableError> {
        if u32::try_from(text.len()).is_err() {
            return Err(TableError(Box::new(bad_pack(
                name,
                1,
                "file is too large for a pack table",
            ))));
        }
        let mut table = Table {
            name: name.to_owned(),
            text: Cow::Borrowed(""),
            unescaped: String::new(),
            columns: expected_columns.iter().map(|&column| column.to_owned()).collect(),
            spans: Vec::new(),
            lines: Vec::new(),
        };
        let body = text.as_ref();
        let (header, rest_start) = match body.find('\n') {
            Some(end) => (body.get(..end).unwrap_or_default(), end + 1),
            None => (body, body.len()),
        };
        let header = header.strip_suffix('\r').unwrap_or(header);
        let found: Vec<&str> = header.split('\t').collect();
        if header.is_empty() || found != expected_columns {
            return Err(TableError(Box::new(bad_pack(
                name,
                1,
                format!(
                    "expected the header `{}`, found `{}`",
                    expected_columns.join("\\t"),
                    header.replace('\t', "\\t")
                ),
            ))));
        }
        let width = expected_columns.len();
        table.spans.reserve(body.len() / 12);
        // One pass over the bytes: tabs end fields, newlines end records, a backslash marks
        // a field to unescape. Tabs, newlines and backslashes are ASCII, so every cut falls
        // on a character boundary.
        let bytes = body.as_bytes();
        let mut line_number: u32 = 2;
        let mut line_start = rest_start;
        let mut field_start = rest_start;
        let mut escaped = false;
        let mut row: Vec<Span> = Vec::with_capacity(width);
        let mut record_result: Result<(), String> = Ok(());
        let rest = bytes.get(rest_start..).unwrap_or_default();
        for (offset, &byte) in rest.iter().enumerate() {
            let index = rest_start + offset;
            match byte {
                b'\t' => {
                    if record_result.is_ok() {
                        record_result =
                            table.push_field(body, field_start, index, escaped, &mut row);
                    }
                    field_start = index + 1;
                    escaped = false;
                }
                b'\\' => escaped = true,
                b'\n' => {
                    let end = if index > line_start && bytes.get(index - 1) == Some(&b'\r') {
                        index - 1
                    } else {
                        index
                    };
                    let record =
                        Record { start: line_start, field_start, end, escaped, line: line_number };
                    table.finish_record(
                        body,
                        record,
                        &mut row,
                        std::mem::replace(&mut record_result, Ok(())),
                        findings,
                    );
                    line_number = line_number.saturating_add(1);
                    line_start = index + 1;
                    field_start = index + 1;
                    escaped = false;
                }
                _ => {}
            }
        }
        if line_start < bytes.len() {
            let record = Record {
                start: line_start,
                field_start,
                end: bytes.len(),
                escaped,
                line: line_number,
            };
            table.finish_record(body, record, &mut row, record_result, findings);
        }
        table.text = text;
        Ok(table)
    }

    /// Ends a record: its last field, then the record itself when it has every field.
    fn finish_record(
        &mut self,
        body: &str,
        record: Record,
        row: &mut Vec<Span>,
        mut result: Result<(), String>,
        findings: &mut Vec<Finding>,
    ) {
        if record.end > record.start {
            if result.is_ok() {
                result = self.push_field(body, record.field_start, record.end, record.escaped, row);
            }
            let width = self.columns.len();
            match result {
                Ok(()) if row.len() == width => {
                    self.spans.extend_from_slice(row);
                    self.lines.push(record.line);
                }
                Ok(()) => findings.push(bad_pack(
                    &self.name,
                    record.line,
                    format!("expected {width} fields, found {}", row.len()),
                )),
                Err(message) => findings.push(bad_pack(&self.name, record.line, message)),
            }
        }
        row.clear();
    }

    #[inline]
    fn push_field(
        &mut self,
        body: &str,
        start: usize,
        end: usize,
        escaped: bool,
        row: &mut Vec<Span>,
    ) -> Result<(), String> {
        if escaped {
            self.unescape_into_row(body.get(start..end).unwrap_or_default(), row)
        } else {
            row.push(span(start, end, false));
            Ok(())
        }
    }

    fn unescape_into_row(&mut self, field: &str, row: &mut Vec<Span>) -> Result<(), String> {
        let buffer_start = self.unescaped.len();
        let mut chars = field.chars();
        while let Some(ch) = chars.next() {
            if ch != '\\' {
                self.unescaped.push(ch);
                continue;
            }
            match chars.next() {
                Some('t') => self.unescaped.push('\t'),
                Some('n') => self.unescaped.push('\n'),
                Some('r') => self.unescaped.push('\r'),
                Some('\\') => self.unescaped.push('\\'),
                Some(other) => {
                    self.unescaped.truncate(buffer_start);
                    return Err(format!("unknown escape `\\{other}`"));
                }
                None => {
                    self.unescaped.truncate(buffer_start);
                    return Err("a backslash ends the field".to_owned());
                }
            }
        }
        if u32::try_from(self.unescaped.len()).is_err() {
            return Err("too much escaped text".to_owned());
        }
        row.push(span(buffer_start, self.unescaped.len(), true));
        Ok(())
    }

    /// The table's file name (as given when loading).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The column names.
    #[must_use]
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The number of records read.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether no record was read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The 1-based line of record `row` in the file (0 when out of range).
    #[must_use]
    pub fn line(&self, row: usize) -> u32 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    /// Field `column` of record `row`; empty when out of range.
    #[must_use]
    pub fn get(&self, row: usize, column: usize) -> &str {
        let Some(span) = self.spans.get(row * self.columns.len() + column) else {
            return "";
        };
        let source: &str = if span.unescaped { &self.unescaped } else { &self.text };
        source.get(span.start as usize..span.end as usize).unwrap_or_default()
    }

    /// A finding about record `row` of this table.
    pub fn finding(&self, row: usize, message: impl Into<String>) -> Finding {
        bad_pack(&self.name, self.line(row), message)
    }
}

#[allow(clippy::cast_possible_truncation)] // `parse` checked that offsets fit in u32.
fn span(start: usize, end: usize, unescaped: bool) -> Span {
    Span { start: start as u32, end: end as u32, unescaped }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &'static str) -> (Result<Table, TableError>, Vec<Finding>) {
        let mut findings = Vec::new();
        let table = Table::parse("t.tsv", Cow::Borrowed(text), &["a", "b"], &mut findings);
        (table, findings)
    }

    #[test]
    fn escapes_round_trip() {
        let line = record_line(&["x\ty", "a\\b\nc"]);
        assert_eq!(line, "x\\ty\ta\\\\b\\nc");
        let text: &'static str = Box::leak(format!("a\tb\n{line}\n").into_boxed_str());
        let (table, findings) = parse(text);
        let table = table.unwrap();
        assert!(findings.is_empty());
        assert_eq!(table.get(0, 0), "x\ty");
        assert_eq!(table.get(0, 1), "a\\b\nc");
    }

    #[test]
    fn malformed_lines_become_findings_with_their_line() {
        let (table, findings) = parse("a\tb\n1\t2\nonly-one\n3\t4\t5\nbad\\q\tx\n\n6\t7\r\n");
        let table = table.unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(table.get(1, 1), "7");
        assert_eq!(table.line(1), 7);
        let messages: Vec<_> = findings.iter().map(|f| f.message.clone()).collect();
        assert_eq!(
            messages,
            [
                "t.tsv:3: expected 2 fields, found 1",
                "t.tsv:4: expected 2 fields, found 3",
                "t.tsv:5: unknown escape `\\q`",
            ]
        );
        assert!(findings.iter().all(|f| f.code == codes::TARIFF_BAD_PACK));
    }

    #[test]
    fn a_wrong_header_is_an_error() {
        let (table, _) = parse("a\tc\n1\t2\n");
        let error = table.unwrap_err();
        assert!(error.0.message.starts_with("t.tsv:1: expected the header"), "{}", error.0.message);
        let (table, _) = parse("");
        assert!(table.is_err());
        let (table, _) = parse("a\tb\nx\\");
        assert_eq!(table.unwrap().len(), 0);
    }

    #[test]
    fn out_of_range_reads_are_empty() {
        let (table, _) = parse("a\tb\n1\t2\n");
        let table = table.unwrap();
        assert_eq!(table.get(5, 0), "");
        assert_eq!(table.line(9), 0);
    }
}
