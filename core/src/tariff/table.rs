//! The text table format of tariff packs: UTF-8, one record a line, fields separated by tabs,
//! a header line naming the columns.
//!
//! Tabs, newlines, carriage returns and backslashes inside a field are written as `\t`, `\n`,
//! `\r` and `\\`, so a record is always one line and a rule update shows up as a one-line
//! diff. Loading keeps the file's text and records only where each field starts and ends;
//! only fields with escapes are copied, which keeps loading a full pack fast.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use crate::codes;
use crate::date::Date;
use crate::finding::{Finding, Provenance};
use crate::tariff::pack::PackFile;

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

/// Where a record's fields are: a line of the file, or (for a line with escapes) a run of
/// unescaped fields in the table's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record {
    /// Byte range of the line in the file (without its line end).
    Line { start: u32, end: u32 },
    /// Index of the record's first field in [`Table::escaped`].
    Escaped { first: u32 },
}

/// A field of an escaped record: a range of [`Table::unescaped`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

/// The flag of an escaped record's end in a prebuilt index.
const ESCAPED: u32 = 1 << 31;

/// Where the records of a table lie.
#[derive(Debug)]
enum Records {
    /// Found by reading the text.
    Read(Vec<Record>),
    /// Given by a prebuilt index (see `core/build.rs`), used where it lies: `len` records of
    /// 8 bytes (start, end) from byte 12, the end's top bit set for a record with escapes.
    Prebuilt { index: &'static [u8], len: usize },
}

/// A loaded table: the file text plus where each record lies.
///
/// Loading finds the records and checks their field counts in one pass over the bytes
/// (line ends and tabs are found with SIMD searches); a field is cut out of its line when it
/// is read. Only records with escapes are copied, unescaped, into a buffer of their own, so
/// loading a pack costs about as much as scanning its text once, and keeps 8 bytes a record.
#[derive(Debug)]
pub struct Table {
    name: String,
    text: Cow<'static, str>,
    unescaped: String,
    escaped: Vec<Span>,
    columns: Vec<String>,
    records: Records,
    /// For a prebuilt index, its records with escapes: (record, first field in
    /// [`Table::escaped`]), in record order.
    escaped_rows: Vec<(u32, u32)>,
    /// Records whose line is not the one after the previous record's (blank or skipped
    /// lines came between): (record, its 1-based line), in record order.
    line_jumps: Vec<(u32, u32)>,
    /// Whether the table is a compiled-in file, whose order the test suite checks.
    prechecked: bool,
}

/// Tables are equal when they hold the same records read from the same text, however read.
impl PartialEq for Table {
    fn eq(&self, other: &Table) -> bool {
        self.name == other.name
            && self.text == other.text
            && self.unescaped == other.unescaped
            && self.escaped == other.escaped
            && self.columns == other.columns
            && self.len() == other.len()
            && (0..self.len()).all(|row| self.record(row) == other.record(row))
            && self.line_jumps == other.line_jumps
    }
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
    /// When the header line is missing or names other columns, or the file exceeds 2 GiB.
    pub fn parse(
        name: &str,
        text: Cow<'static, str>,
        expected_columns: &[&str],
        findings: &mut Vec<Finding>,
    ) -> Result<Table, TableError> {
        Table::read(name, text, expected_columns, true, None, findings)
    }

    /// Reads a pack file as a table: as [`Table::parse`], except that the records of a
    /// compiled-in file ([`PackFile::prechecked`]) are not counted field by field, since the
    /// test suite has checked them.
    ///
    /// # Errors
    ///
    /// As [`Table::parse`].
    pub fn parse_file(
        file: PackFile,
        expected_columns: &[&str],
        findings: &mut Vec<Finding>,
    ) -> Result<Table, TableError> {
        Table::read(&file.name, file.text, expected_columns, !file.prechecked, file.index, findings)
    }

    fn read(
        name: &str,
        text: Cow<'static, str>,
        expected_columns: &[&str],
        check_fields: bool,
        index: Option<&'static [u8]>,
        findings: &mut Vec<Finding>,
    ) -> Result<Table, TableError> {
        // Offsets are u32 with the top bit free.
        if text.len() >= 1 << 31 {
            return Err(TableError(Box::new(bad_pack(
                name,
                1,
                "file is too large for a pack table",
            ))));
        }
        let body = text.as_ref();
        let (header, rest_start) = match memchr::memchr(b'\n', body.as_bytes()) {
            Some(end) => (body.get(..end).unwrap_or_default(), end + 1),
            None => (body, body.len()),
        };
        check_header(name, header, expected_columns)?;
        let width = expected_columns.len();
        let mut table = Table {
            name: name.to_owned(),
            text: Cow::Borrowed(""),
            unescaped: String::new(),
            escaped: Vec::new(),
            columns: expected_columns.iter().map(|&column| column.to_owned()).collect(),
            records: Records::Read(Vec::new()),
            escaped_rows: Vec::new(),
            line_jumps: Vec::new(),
            prechecked: !check_fields,
        };
        if let Some(index) = index
            && table.take_index(body, index, width)
        {
            table.text = text;
            return Ok(table);
        }
        let bytes = body.as_bytes();
        let rest = bytes.get(rest_start..).unwrap_or_default();
        // Packs are one record a line: the number of line ends is the capacity needed.
        let mut records = Vec::with_capacity(memchr::memchr_iter(b'\n', rest).count() + 1);
        // The backslashes in order: a line has escapes when the next one lies within it. One
        // scan of the text, rather than a search of every line.
        let mut backslashes = memchr::memchr_iter(b'\\', rest).map(|at| rest_start + at).peekable();
        let tabs_wanted = width - 1;
        let mut line_number: u32 = 2;
        let mut line_start = rest_start;
        // The line of the last record kept (the header's, to begin with).
        let mut last_line: u32 = 1;
        let mut next_line = |table: &mut Table, start: usize, end: usize, line: u32| {
            // Tabs, newlines and backslashes are ASCII, so every cut falls on a character
            // boundary.
            let mut end = end;
            if end > start && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            if end <= start {
                return;
            }
            while backslashes.next_if(|&at| at < start).is_some() {}
            let result = if backslashes.peek().is_some_and(|&at| at < end) {
                table
                    .push_escaped(body.get(start..end).unwrap_or_default(), width)
                    .map(|first| records.push(Record::Escaped { first }))
            } else if !check_fields {
                records.push(Record::Line { start: offset(start), end: offset(end) });
                Ok(())
            } else {
                let field_bytes = bytes.get(start..end).unwrap_or_default();
                let tabs = memchr::memchr_iter(b'\t', field_bytes).count();
                if tabs == tabs_wanted {
                    records.push(Record::Line { start: offset(start), end: offset(end) });
                    Ok(())
                } else {
                    Err(format!("expected {width} fields, found {}", tabs + 1))
                }
            };
            match result {
                Ok(()) => {
                    if line != last_line.saturating_add(1) {
                        table.line_jumps.push((offset(records.len() - 1), line));
                    }
                    last_line = line;
                }
                Err(message) => findings.push(bad_pack(name, line, message)),
            }
        };
        for newline in memchr::memchr_iter(b'\n', rest) {
            let end = rest_start + newline;
            next_line(&mut table, line_start, end, line_number);
            line_number = line_number.saturating_add(1);
            line_start = end + 1;
        }
        if line_start < bytes.len() {
            next_line(&mut table, line_start, bytes.len(), line_number);
        }
        table.records = Records::Read(records);
        table.text = text;
        Ok(table)
    }

    /// Takes a prebuilt index of `body` (see `core/build.rs`) as the table's records, and
    /// unescapes the records it flags. False, with nothing taken, when the index does not
    /// fit the text; the text is then read as any other.
    fn take_index(&mut self, body: &str, index: &'static [u8], width: usize) -> bool {
        let word = |at: usize| index_word(index, at);
        let (Some(records), Some(jumps), Some(escaped)) = (word(0), word(4), word(8)) else {
            return false;
        };
        let (records, jumps, escaped) = (records as usize, jumps as usize, escaped as usize);
        // Sizes in checked arithmetic: a 32-bit target must not wrap on a bad index.
        let size =
            |count: usize, each: usize, after: usize| count.checked_mul(each)?.checked_add(after);
        let Some(jumps_at) = size(records, 8, 12) else { return false };
        let Some(escaped_at) = size(jumps, 8, jumps_at) else { return false };
        // The records are read where they lie; only the last one's end is checked here (a
        // field cut out of the text is checked when it is read).
        let last_end = records.checked_sub(1).and_then(|last| word(12 + 8 * last + 4));
        if size(escaped, 4, escaped_at) != Some(index.len())
            || last_end.is_some_and(|end| (end & !ESCAPED) as usize > body.len())
        {
            return false;
        }
        // Sized up front: unescaping never lengthens a record, and a buffer grown by doubling
        // touched twice the memory at every start.
        let escaped_bytes: usize = (escaped_at..index.len())
            .step_by(4)
            .filter_map(|at| {
                let record = 12 + 8 * word(at).filter(|&row| (row as usize) < records)? as usize;
                Some((word(record + 4)? & !ESCAPED).saturating_sub(word(record)?) as usize)
            })
            .sum();
        self.unescaped.reserve_exact(escaped_bytes);
        self.escaped.reserve_exact(escaped.saturating_mul(width));
        for at in (escaped_at..index.len()).step_by(4) {
            let Some(row) = word(at).filter(|&row| (row as usize) < records) else {
                return self.clear();
            };
            // Within the records, as the index's size was checked.
            let record = 12 + 8 * row as usize;
            let (Some(start), Some(end)) = (word(record), word(record + 4)) else {
                return self.clear();
            };
            let line = body.get(start as usize..(end & !ESCAPED) as usize);
            // A bad escape is reported, with its line, by reading the text.
            let Some(first) = line.and_then(|line| self.push_escaped(line, width).ok()) else {
                return self.clear();
            };
            self.escaped_rows.push((row, first));
        }
        for at in (jumps_at..escaped_at).step_by(8) {
            if let (Some(record), Some(line)) = (word(at), word(at + 4)) {
                self.line_jumps.push((record, line));
            }
        }
        self.records = Records::Prebuilt { index, len: records };
        true
    }

    /// Drops what [`Table::take_index`] took, and says that it did not take the index.
    fn clear(&mut self) -> bool {
        self.escaped_rows.clear();
        self.escaped.clear();
        self.unescaped.clear();
        self.line_jumps.clear();
        false
    }

    /// Unescapes a record's fields into the buffer: the index of the first in
    /// [`Table::escaped`].
    fn push_escaped(&mut self, line: &str, width: usize) -> Result<u32, String> {
        let buffer_start = self.unescaped.len();
        let spans_start = self.escaped.len();
        let mut count = 0;
        // Escaped records are long descriptions: a vector search finds their tabs.
        let mut start = 0;
        for end in memchr::memchr_iter(b'\t', line.as_bytes()).chain([line.len()]) {
            count += 1;
            if let Err(message) = self.unescape(line.get(start..end).unwrap_or_default()) {
                self.unescaped.truncate(buffer_start);
                self.escaped.truncate(spans_start);
                return Err(message);
            }
            start = end + 1;
        }
        if count != width {
            self.unescaped.truncate(buffer_start);
            self.escaped.truncate(spans_start);
            return Err(format!("expected {width} fields, found {count}"));
        }
        if self.unescaped.len() >= 1 << 31 {
            return Err("too much escaped text".to_owned());
        }
        Ok(offset(spans_start))
    }

    fn unescape(&mut self, field: &str) -> Result<(), String> {
        let start = self.unescaped.len();
        let mut rest = field;
        // The text between escapes is copied whole: escaped records are long descriptions.
        while let Some(backslash) = memchr::memchr(b'\\', rest.as_bytes()) {
            self.unescaped.push_str(rest.get(..backslash).unwrap_or_default());
            let mut after = rest.get(backslash + 1..).unwrap_or_default().chars();
            match after.next() {
                Some('t') => self.unescaped.push('\t'),
                Some('n') => self.unescaped.push('\n'),
                Some('r') => self.unescaped.push('\r'),
                Some('\\') => self.unescaped.push('\\'),
                Some(other) => return Err(format!("unknown escape `\\{other}`")),
                None => return Err("a backslash ends the field".to_owned()),
            }
            rest = after.as_str();
        }
        self.unescaped.push_str(rest);
        self.escaped.push(Span { start: offset(start), end: offset(self.unescaped.len()) });
        Ok(())
    }

    /// The line of record `row` if no line jumped after the last recorded jump.
    fn line_at(&self, row: usize) -> u32 {
        let row = offset(row);
        let index = self.line_jumps.partition_point(|&(jump, _)| jump <= row);
        match index.checked_sub(1).and_then(|index| self.line_jumps.get(index)) {
            Some(&(jump, line)) => line.saturating_add(row - jump),
            None => row.saturating_add(2),
        }
    }

    /// `field` (read from this table) for keeping: borrowed when it lies in text compiled
    /// into Preclear, which lives as long as the program, else copied. Loading the sanctions
    /// lists copied some 60,000 such fields at every start.
    pub(crate) fn lend(&self, field: &str) -> Cow<'static, str> {
        if let Cow::Borrowed(text) = self.text {
            let start = (field.as_ptr() as usize).checked_sub(text.as_ptr() as usize);
            let range = start.and_then(|start| Some(start..start.checked_add(field.len())?));
            if let Some(lent) = range.and_then(|range| text.get(range))
                && lent.as_ptr() == field.as_ptr()
            {
                return Cow::Borrowed(lent);
            }
        }
        Cow::Owned(field.to_owned())
    }

    /// The line of record `row` as it is in the text, when it has no escapes (its fields
    /// are then the line's, cut at its tabs).
    pub(crate) fn record_text(&self, row: usize) -> Option<&str> {
        match self.record(row)? {
            Record::Line { start, end } => self.text.get(start as usize..end as usize),
            Record::Escaped { .. } => None,
        }
    }

    /// The table's text when it lives as long as the program (compiled in).
    pub(crate) fn static_text(&self) -> Option<&'static str> {
        match self.text {
            Cow::Borrowed(text) => Some(text),
            Cow::Owned(_) => None,
        }
    }

    /// Whether the table was read from a compiled-in file ([`PackFile::prechecked`]).
    pub(crate) fn prechecked(&self) -> bool {
        self.prechecked
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
        match &self.records {
            Records::Read(records) => records.len(),
            Records::Prebuilt { len, .. } => *len,
        }
    }

    /// Whether no record was read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The 1-based line of record `row` in the file (0 when out of range).
    #[must_use]
    pub fn line(&self, row: usize) -> u32 {
        if row < self.len() { self.line_at(row) } else { 0 }
    }

    /// Where record `row` lies.
    #[inline]
    fn record(&self, row: usize) -> Option<Record> {
        match &self.records {
            Records::Read(records) => records.get(row).copied(),
            Records::Prebuilt { index, len } => {
                if row >= *len {
                    return None;
                }
                let at = 12 + 8 * row;
                let (start, end) = (index_word(index, at)?, index_word(index, at + 4)?);
                if end & ESCAPED == 0 {
                    return Some(Record::Line { start, end });
                }
                let row = u32::try_from(row).ok()?;
                let found = self.escaped_rows.binary_search_by_key(&row, |&(escaped, _)| escaped);
                let &(_, first) = self.escaped_rows.get(found.ok()?)?;
                Some(Record::Escaped { first })
            }
        }
    }

    /// Field `column` of record `row`; empty when out of range.
    #[must_use]
    #[inline]
    pub fn get(&self, row: usize, column: usize) -> &str {
        match self.record(row) {
            Some(Record::Line { start, end }) => {
                let line = self.text.get(start as usize..end as usize).unwrap_or_default();
                nth_field(line, column)
            }
            Some(Record::Escaped { first }) => {
                if column >= self.columns.len() {
                    return "";
                }
                self.escaped
                    .get(first as usize + column)
                    .and_then(|span| self.unescaped.get(span.start as usize..span.end as usize))
                    .unwrap_or_default()
            }
            None => "",
        }
    }

    /// How field `column` of record `row` compares with `value`: `get(row, column).cmp(value)`
    /// without finding the field's end first. Lookups bisect tables by their codes, and
    /// comparing as the field is scanned halves the work of each step.
    #[must_use]
    pub fn cmp_field(&self, row: usize, column: usize, value: &str) -> Ordering {
        let Some(Record::Line { start, end }) = self.record(row) else {
            return self.get(row, column).cmp(value);
        };
        let line = self.text.as_bytes().get(start as usize..end as usize).unwrap_or_default();
        let mut field = line;
        for _ in 0..column {
            match field.iter().position(|&byte| byte == b'\t') {
                Some(tab) => field = field.get(tab + 1..).unwrap_or_default(),
                // Fewer fields than `column`: the field is empty.
                None => return "".cmp(value),
            }
        }
        let mut rest = field.iter();
        for &wanted in value.as_bytes() {
            match rest.next() {
                // The field ends first: it is a prefix of `value`.
                None | Some(b'\t') => return Ordering::Less,
                Some(&byte) if byte != wanted => return byte.cmp(&wanted),
                Some(_) => {}
            }
        }
        match rest.next() {
            None | Some(b'\t') => Ordering::Equal,
            Some(_) => Ordering::Greater,
        }
    }

    /// The fields of record `row` in column order (none when out of range): for readers
    /// that take every column, cheaper than [`Table::get`] for each.
    pub fn fields(&self, row: usize) -> impl Iterator<Item = &str> {
        match self.record(row) {
            Some(Record::Line { start, end }) => {
                Fields::Line(TabFields { rest: self.text.get(start as usize..end as usize) })
            }
            Some(Record::Escaped { first }) => {
                let first = first as usize;
                let spans = self.escaped.get(first..first + self.columns.len()).unwrap_or_default();
                Fields::Escaped { spans: spans.iter(), unescaped: &self.unescaped }
            }
            None => Fields::Line(TabFields { rest: None }),
        }
    }

    /// A finding about record `row` of this table.
    pub fn finding(&self, row: usize, message: impl Into<String>) -> Finding {
        bad_pack(&self.name, self.line(row), message)
    }
}

/// The fields of a record: cut from its line, or (for a line with escapes) its unescaped
/// copies.
enum Fields<'a> {
    Line(TabFields<'a>),
    Escaped { spans: std::slice::Iter<'a, Span>, unescaped: &'a str },
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        match self {
            Fields::Line(fields) => fields.next(),
            Fields::Escaped { spans, unescaped } => spans.next().map(|span| {
                unescaped.get(span.start as usize..span.end as usize).unwrap_or_default()
            }),
        }
    }
}

/// The tab-separated fields of `line`, found with a plain byte scan (see [`nth_field`]).
pub(crate) fn tab_fields(line: &str) -> impl Iterator<Item = &str> {
    TabFields { rest: Some(line) }
}

/// The tab-separated fields of a line, found with a plain byte scan (see [`nth_field`]).
struct TabFields<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for TabFields<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.bytes().position(|byte| byte == b'\t') {
            Some(tab) => {
                self.rest = rest.get(tab + 1..);
                rest.get(..tab)
            }
            None => self.rest.take(),
        }
    }
}

/// The little-endian u32 at byte `at` of a prebuilt form (`core/build.rs`).
#[inline]
pub(crate) fn index_word(index: &[u8], at: usize) -> Option<u32> {
    index.get(at..at.checked_add(4)?)?.try_into().ok().map(u32::from_le_bytes)
}

/// The little-endian u16 at byte `at` of a prebuilt form.
pub(crate) fn index_half(index: &[u8], at: usize) -> Option<u16> {
    index.get(at..at.checked_add(2)?)?.try_into().ok().map(u16::from_le_bytes)
}

/// A date of a prebuilt form (its 4 bytes: year, month, day; all zeros when open), checked as
/// any other; `None` when it is not one.
#[allow(clippy::option_option)] // Not a date at all, or a date that may be open.
pub(crate) fn index_date(bytes: &[u8]) -> Option<Option<Date>> {
    let &[y0, y1, month, day] = bytes else { return None };
    match (u16::from_le_bytes([y0, y1]), month, day) {
        (0, 0, 0) => Some(None),
        (year, month, day) => Date::new(year, month, day).map(Some),
    }
}

/// A table's header line must name exactly the expected columns.
fn check_header(name: &str, header: &str, expected_columns: &[&str]) -> Result<(), TableError> {
    let header = header.strip_suffix('\r').unwrap_or(header);
    if header.is_empty()
        || header.split('\t').count() != expected_columns.len()
        || !header.split('\t').zip(expected_columns).all(|(found, expected)| found == *expected)
    {
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
    Ok(())
}

/// Field `column` of a record line (empty when the line has fewer fields).
#[inline]
fn nth_field(line: &str, column: usize) -> &str {
    // Fields are short (codes, dates, rates): a plain scan beats a SIMD search's setup, which
    // cost more than the search itself on every field read.
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut seen = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if byte == b'\t' {
            if seen == column {
                return line.get(start..at).unwrap_or_default();
            }
            seen += 1;
            start = at + 1;
        }
    }
    if seen == column { line.get(start..).unwrap_or_default() } else { "" }
}

/// The record indexes prebuilt by `core/build.rs` for the compiled-in tables.
mod prebuilt {
    include!(concat!(env!("OUT_DIR"), "/prebuilt.rs"));
}

pub(crate) use prebuilt::{
    cites_species_keys, pr_measure_groups, record_index as prebuilt_index, risk_model_roots,
    sanctions_lists, uk_nomenclature_lines,
};

#[allow(clippy::cast_possible_truncation)] // `parse` checked that offsets fit in 31 bits.
fn offset(value: usize) -> u32 {
    value as u32
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
    fn long_and_short_lines_are_cut_at_every_position() {
        // Lines of every length from empty to 19 bytes, with escapes and a bad line.
        let mut text = String::from("a\tb\n");
        for length in 0..20 {
            text.push_str(&"x".repeat(length));
            // Every other line has an escape, so both kinds of record come in every length.
            text.push_str(if length % 2 == 0 { "\ty\n" } else { "\ty\\\\\n" });
        }
        text.push_str("no-tab\n1\t2");
        let text: &'static str = Box::leak(text.into_boxed_str());
        let (table, findings) = parse(text);
        let table = table.unwrap();
        assert_eq!(table.len(), 21);
        for row in 0..20 {
            assert_eq!(table.get(row, 0), "x".repeat(row));
            assert_eq!(table.get(row, 1), if row % 2 == 0 { "y" } else { "y\\" });
            assert_eq!(table.line(row) as usize, row + 2);
        }
        assert_eq!((table.get(20, 0), table.get(20, 1), table.line(20)), ("1", "2", 23));
        let messages: Vec<_> = findings.iter().map(|f| f.message.clone()).collect();
        assert_eq!(messages, ["t.tsv:22: expected 2 fields, found 1"]);
    }

    #[test]
    fn fields_compare_with_values_as_their_text_does() {
        let text = "a\tb\n\tx\nab\t\nabc\tabd\nab\\\\c\tz\nb\tab\r\n";
        let (table, findings) = parse(text);
        let table = table.unwrap();
        assert!(findings.is_empty());
        // Every field's prefixes and extensions, on both sides of each of its bytes.
        let mut values = vec![String::new(), "\t".to_owned(), "zz".to_owned()];
        for row in 0..table.len() {
            for column in 0..2 {
                let field = table.get(row, column);
                for cut in 0..=field.len() {
                    let prefix = &field[..cut];
                    values.extend([
                        prefix.to_owned(),
                        format!("{prefix}a"),
                        format!("{prefix}\t"),
                        format!("{prefix}~"),
                    ]);
                }
            }
        }
        for row in 0..table.len() {
            // Column 2 is past the last field: empty.
            for column in 0..3 {
                for value in &values {
                    assert_eq!(
                        table.cmp_field(row, column, value),
                        table.get(row, column).cmp(value.as_str()),
                        "row {row}, column {column}, {value:?}"
                    );
                }
            }
        }
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
    fn a_compiled_in_file_reads_alike_without_field_counts() {
        let text = "a\tb\n1\t2\nx\\\\y\tz\n\n3\t4\r\nshort\n";
        let file = PackFile::compiled_in("test", "t.tsv", text);
        let mut findings = Vec::new();
        let unchecked = Table::parse_file(file, &["a", "b"], &mut findings).unwrap();
        assert!(findings.is_empty());
        let (checked, checked_findings) = parse(text);
        let checked = checked.unwrap();
        // The short record is kept unchecked (the test suite keeps compiled-in files free of
        // them) and reads as empty where it has no field: never a panic.
        assert_eq!(unchecked.len(), checked.len() + 1);
        assert_eq!(checked_findings.len(), 1);
        for row in 0..checked.len() {
            for column in 0..2 {
                assert_eq!(unchecked.get(row, column), checked.get(row, column));
            }
            assert_eq!(unchecked.line(row), checked.line(row));
        }
        assert_eq!(unchecked.get(1, 0), "x\\y");
        assert_eq!((unchecked.get(3, 0), unchecked.get(3, 1), unchecked.line(3)), ("short", "", 6));
    }

    fn index(records: &[(u32, u32)], jumps: &[(u32, u32)]) -> &'static [u8] {
        let escaped: Vec<u32> = (0..)
            .zip(records)
            .filter(|(_, (_, end))| end & ESCAPED != 0)
            .map(|(row, _)| row)
            .collect();
        let mut bytes = Vec::new();
        for word in [records.len(), jumps.len(), escaped.len()] {
            bytes.extend_from_slice(&u32::try_from(word).unwrap().to_le_bytes());
        }
        for (a, b) in records.iter().chain(jumps) {
            bytes.extend_from_slice(&a.to_le_bytes());
            bytes.extend_from_slice(&b.to_le_bytes());
        }
        for row in escaped {
            bytes.extend_from_slice(&row.to_le_bytes());
        }
        Box::leak(bytes.into_boxed_slice())
    }

    fn read_with(text: &'static str, index: &'static [u8]) -> (Table, Vec<Finding>) {
        let file = PackFile { index: Some(index), ..PackFile::compiled_in("test", "t.tsv", text) };
        let mut findings = Vec::new();
        (Table::parse_file(file, &["a", "b"], &mut findings).unwrap(), findings)
    }

    #[test]
    fn a_prebuilt_index_is_taken_when_it_fits_the_text() {
        let text = "a\tb\n1\t2\n\nx\\\\y\tz\n";
        let (checked, _) = parse(text);
        let checked = checked.unwrap();
        // Records at 4..7 and (escaped) 9..15, the second after a blank line.
        let (table, findings) = read_with(text, index(&[(4, 7), (9, 15 + ESCAPED)], &[(1, 4)]));
        assert!(findings.is_empty());
        assert!(table == checked);
        assert_eq!((table.get(1, 0), table.line(1)), ("x\\y", 4));
        // An index that does not fit (a record past the end, a short index) is dropped and
        // the text read as any other.
        let words: Vec<u8> =
            [1u32, 0, 1, 4, 7, 5].iter().flat_map(|word| word.to_le_bytes()).collect();
        let escaped_row_past_the_end: &'static [u8] = Box::leak(words.into_boxed_slice());
        for bad in
            [index(&[(4, 7), (9, 99)], &[]), &index(&[(4, 7)], &[])[..16], escaped_row_past_the_end]
        {
            let (table, _) = read_with(text, bad);
            assert!(table == checked);
        }
        // So is one with a bad escape, which reading the text reports with its line.
        let (table, findings) = read_with("a\tb\nx\\q\ty\n", index(&[(4, 10 + ESCAPED)], &[]));
        assert!(table.is_empty());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].message, "t.tsv:2: unknown escape `\\q`");
    }

    #[test]
    fn fields_of_compiled_in_text_are_lent_others_copied() {
        let text = "a\tb\n1\t2\nx\\\\y\tz\n";
        let (table, _) = parse(text);
        let table = table.unwrap();
        assert!(matches!(table.lend(table.get(0, 1)), Cow::Borrowed("2")));
        // An unescaped field lies in the table's own buffer, a field from elsewhere anywhere.
        assert!(matches!(table.lend(table.get(1, 0)), Cow::Owned(ref field) if field == "x\\y"));
        assert!(matches!(table.lend(table.get(1, 1)), Cow::Owned(ref field) if field == "z"));
        let elsewhere = String::from("1");
        assert!(matches!(table.lend(&elsewhere), Cow::Owned(ref field) if field == "1"));
        // Text lying before the table's, or running past its end, is copied too.
        let whole: &'static str = "zz\na\tb\n1\t2\n";
        let (table, _) = parse(&whole[3..whole.len() - 1]);
        let table = table.unwrap();
        assert!(matches!(table.lend(&whole[..2]), Cow::Owned(ref field) if field == "zz"));
        assert!(matches!(table.lend(&whole[7..11]), Cow::Owned(ref field) if field == "1\t2\n"));
        assert!(matches!(table.lend(&whole[7..10]), Cow::Borrowed("1\t2")));
        let mut findings = Vec::new();
        let owned = Table::parse("t.tsv", Cow::Owned(text.to_owned()), &["a", "b"], &mut findings);
        let owned = owned.unwrap();
        assert!(matches!(owned.lend(owned.get(0, 0)), Cow::Owned(ref field) if field == "1"));
    }

    #[test]
    fn out_of_range_reads_are_empty() {
        let (table, _) = parse("a\tb\n1\t2\n");
        let table = table.unwrap();
        assert_eq!(table.get(5, 0), "");
        assert_eq!(table.line(9), 0);
    }
}
