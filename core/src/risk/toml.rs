//! The small subset of TOML that risk criteria files use: top-level `key = value` pairs,
//! `[table]` headers, `[[array]]` table headers, and values that are strings, numbers,
//! booleans or arrays of those (an array may span lines). Numbers are read as exact
//! decimals, so thresholds and rates never pass through a float.
//!
//! Errors name the line, so a maintainer editing `criteria.toml` sees where it broke.

use std::fmt;

use rust_decimal::Decimal;

/// A value in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A quoted string.
    Text(String),
    /// A number, exactly as written.
    Number(Decimal),
    /// `true` or `false`.
    Bool(bool),
    /// An array.
    Array(Vec<Value>),
}

/// A table: its keys in file order, with the line each was set on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The line of the table's header (0 for the top level).
    pub line: usize,
    /// The keys, values and their lines.
    pub entries: Vec<(String, Value, usize)>,
}

impl Table {
    /// The value of `key`, when set.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(name, _, _)| name == key).map(|(_, value, _)| value)
    }
}

/// A whole file: the top-level table, the named tables and the arrays of tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Keys before any header.
    pub root: Table,
    /// `[name]` tables, in file order.
    pub tables: Vec<(String, Table)>,
    /// `[[name]]` tables, in file order.
    pub arrays: Vec<(String, Table)>,
}

impl Document {
    /// The `[name]` table, when present.
    #[must_use]
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|(table, _)| table == name).map(|(_, table)| table)
    }

    /// Every `[[name]]` table, in file order.
    pub fn array<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Table> + 'a {
        self.arrays.iter().filter(move |(array, _)| array == name).map(|(_, table)| table)
    }
}

/// Why a file could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for SyntaxError {}

enum Target {
    Root,
    Table(usize),
    Array(usize),
}

/// Reads a file.
pub fn parse(text: &str) -> Result<Document, SyntaxError> {
    let mut document = Document::default();
    let mut target = Target::Root;
    let mut lines = text.lines().enumerate().map(|(index, line)| (index + 1, line));
    while let Some((number, raw)) = lines.next() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        let error = |message: &str| SyntaxError { line: number, message: message.to_owned() };
        if let Some(header) = line.strip_prefix("[[") {
            let name = header.strip_suffix("]]").ok_or_else(|| error("`[[` without `]]`"))?;
            let name = bare_key(name.trim()).ok_or_else(|| error("bad table name"))?;
            document.arrays.push((name, Table { line: number, entries: Vec::new() }));
            target = Target::Array(document.arrays.len() - 1);
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let name = header.strip_suffix(']').ok_or_else(|| error("`[` without `]`"))?;
            let name = bare_key(name.trim()).ok_or_else(|| error("bad table name"))?;
            if document.table(&name).is_some() {
                return Err(error(&format!("table [{name}] defined twice")));
            }
            document.tables.push((name, Table { line: number, entries: Vec::new() }));
            target = Target::Table(document.tables.len() - 1);
            continue;
        }
        let (key, rest) = line.split_once('=').ok_or_else(|| error("expected `key = value`"))?;
        let key = bare_key(key.trim()).ok_or_else(|| error("bad key"))?;
        let mut source = rest.trim().to_owned();
        // An array may continue over the following lines until its brackets balance.
        while open_brackets(&source) > 0 {
            let (_, next) = lines.next().ok_or_else(|| error("array not closed"))?;
            source.push(' ');
            source.push_str(strip_comment(next).trim());
        }
        let mut reader = Reader { text: &source, position: 0 };
        let value = reader.value().map_err(|message| error(&message))?;
        reader.skip_spaces();
        if reader.position < source.len() {
            return Err(error("unexpected text after the value"));
        }
        let table = match target {
            Target::Root => Some(&mut document.root),
            Target::Table(index) => document.tables.get_mut(index).map(|(_, table)| table),
            Target::Array(index) => document.arrays.get_mut(index).map(|(_, table)| table),
        };
        let Some(table) = table else { return Err(error("no table to add to")) };
        if table.get(&key).is_some() {
            return Err(error(&format!("key `{key}` set twice")));
        }
        table.entries.push((key, value, number));
    }
    Ok(document)
}

fn bare_key(key: &str) -> Option<String> {
    let valid = !key.is_empty()
        && key.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
    valid.then(|| key.to_owned())
}

/// The line without its comment (a `#` outside a string).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (index, character) in line.char_indices() {
        match character {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return line.get(..index).unwrap_or(line),
            _ => {}
        }
    }
    line
}

/// How many `[` are still open at the end of `text` (outside strings).
fn open_brackets(text: &str) -> i64 {
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    for character in text.chars() {
        match character {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '[' if !in_string => depth += 1,
            ']' if !in_string => depth -= 1,
            _ => {}
        }
    }
    depth
}

struct Reader<'a> {
    text: &'a str,
    position: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.position..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.position += rest.len() - rest.trim_start().len();
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_spaces();
        match self.peek() {
            Some('"') => self.string().map(Value::Text),
            Some('[') => self.array(),
            Some(_) => self.scalar(),
            None => Err("missing value".to_owned()),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.position += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((index, character)) = chars.next() {
            match character {
                '"' => {
                    self.position += index + 1;
                    return Ok(out);
                }
                '\\' => match chars.next().map(|(_, escaped)| escaped) {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    _ => return Err("unknown escape in a string".to_owned()),
                },
                _ => out.push(character),
            }
        }
        Err("string not closed".to_owned())
    }

    fn array(&mut self) -> Result<Value, String> {
        self.position += 1;
        let mut values = Vec::new();
        loop {
            self.skip_spaces();
            if self.peek() == Some(']') {
                self.position += 1;
                return Ok(Value::Array(values));
            }
            values.push(self.value()?);
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.position += 1,
                Some(']') => {}
                _ => return Err("expected `,` or `]` in an array".to_owned()),
            }
        }
    }

    fn scalar(&mut self) -> Result<Value, String> {
        let rest = self.rest();
        let end = rest.find([',', ']', ' ', '\t']).unwrap_or(rest.len());
        let word = rest.get(..end).unwrap_or_default().to_owned();
        self.position += end;
        match word.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => {
                let digits = word.replace('_', "");
                digits
                    .parse::<Decimal>()
                    .map(Value::Number)
                    .map_err(|_| format!("`{word}` is not a string, number or boolean"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tables_arrays_and_values() {
        let document = parse(
            "seed = 7 # a comment\n[lanes]\nred = 80.5\n[[rule]]\nid = \"a # b\"\nlist = [\n  \"x\", # first\n  \"y\",\n]\non = true\n[[rule]]\nid = \"c\"\n",
        )
        .unwrap();
        assert_eq!(document.root.get("seed"), Some(&Value::Number(Decimal::from(7))));
        assert_eq!(
            document.table("lanes").unwrap().get("red"),
            Some(&Value::Number(Decimal::new(805, 1)))
        );
        let rules: Vec<_> = document.array("rule").collect();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].get("id"), Some(&Value::Text("a # b".to_owned())));
        assert_eq!(
            rules[0].get("list"),
            Some(&Value::Array(vec![Value::Text("x".to_owned()), Value::Text("y".to_owned())]))
        );
        assert_eq!(rules[0].get("on"), Some(&Value::Bool(true)));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("a = 1\nb = \n").unwrap_err().line, 2);
        assert_eq!(parse("a = 1\na = 2\n").unwrap_err().line, 2);
        assert_eq!(parse("[x]\n[x]\n").unwrap_err().line, 2);
        assert_eq!(parse("a = [1,\n").unwrap_err().line, 1);
        assert_eq!(parse("a = \"open\n").unwrap_err().line, 1);
        assert_eq!(parse("a = 1x\n").unwrap_err().line, 1);
    }
}
