//! A small RFC 4180 CSV reader for the shared data files.
//!
//! Enough for the published tariff CSVs: comma-separated fields, double-quoted fields with
//! `""` escapes and embedded newlines, LF or CRLF line ends, an optional UTF-8 BOM.

/// Reads `text` into records of fields.
#[must_use]
pub fn records(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// A CSV file read as a header row and data rows.
#[derive(Debug)]
pub struct Table {
    /// The header row.
    pub header: Vec<String>,
    /// The data rows.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Parses `text`, taking the first record as the header.
    #[must_use]
    pub fn parse(text: &str) -> Table {
        let mut records = records(text).into_iter();
        let header = records.next().unwrap_or_default();
        Table { header, rows: records.collect() }
    }

    /// The index of column `name`.
    #[must_use]
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_line_ends() {
        let text = "a,b,c\r\n1,\"x, \"\"y\"\"\",\"multi\nline\"\n2,,3";
        let table = Table::parse(text);
        assert_eq!(table.header, ["a", "b", "c"]);
        assert_eq!(table.rows[0], ["1", "x, \"y\"", "multi\nline"]);
        assert_eq!(table.rows[1], ["2", "", "3"]);
        assert_eq!(table.column("c"), Some(2));
    }
}
