//! `pack.toml`: what a tariff pack holds and where each part came from.
//!
//! The file uses a small subset of TOML that Preclear writes and reads itself: top-level
//! `key = value` pairs, then one `[source.KIND]` table per importer run, with string,
//! integer and string-list values. Each importer rewrites only its own table, so running the
//! importers in any order gives the same bytes.

use std::fmt::Write as _;

use crate::finding::Finding;
use crate::tariff::table::bad_pack;

/// A value in `pack.toml`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum MetaValue {
    /// A quoted string.
    Text(String),
    /// An integer.
    Integer(i64),
    /// A list of strings.
    List(Vec<String>),
}

impl MetaValue {
    /// The string, when this is one.
    #[must_use]
    pub fn as_text(&self) -> Option<&str> {
        match self {
            MetaValue::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// One importer's record of its source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceMeta {
    /// The import kind, e.g. `uk-global-tariff`.
    pub kind: String,
    /// Its keys in file order (`files`, `upstream`, `commit`, `licence`, ...).
    pub entries: Vec<(String, MetaValue)>,
}

impl SourceMeta {
    /// The value of `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&MetaValue> {
        self.entries.iter().find(|(name, _)| name == key).map(|(_, value)| value)
    }

    /// The string value of `key`.
    #[must_use]
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(MetaValue::as_text)
    }

    /// The files this source produced.
    #[must_use]
    pub fn files(&self) -> &[String] {
        match self.get("files") {
            Some(MetaValue::List(files)) => files,
            _ => &[],
        }
    }
}

/// The parsed `pack.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct PackMeta {
    /// Top-level keys (`jurisdiction`, `format`, ...).
    pub entries: Vec<(String, MetaValue)>,
    /// One table per import kind, sorted by kind.
    pub sources: Vec<SourceMeta>,
}

impl PackMeta {
    /// The string value of a top-level key.
    #[must_use]
    pub fn text(&self, key: &str) -> Option<&str> {
        self.entries.iter().find(|(name, _)| name == key).and_then(|(_, value)| value.as_text())
    }

    /// The source table for `kind`.
    #[must_use]
    pub fn source(&self, kind: &str) -> Option<&SourceMeta> {
        self.sources.iter().find(|source| source.kind == kind)
    }

    /// Replaces (or adds) the table for `source.kind`, keeping the tables sorted.
    pub fn set_source(&mut self, source: SourceMeta) {
        self.sources.retain(|existing| existing.kind != source.kind);
        self.sources.push(source);
        self.sources.sort_by(|a, b| a.kind.cmp(&b.kind));
    }

    /// Sets a top-level string key.
    pub fn set_text(&mut self, key: &str, value: &str) {
        let value = MetaValue::Text(value.to_owned());
        match self.entries.iter_mut().find(|(name, _)| name == key) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key.to_owned(), value)),
        }
    }

    /// Parses `pack.toml`; lines that cannot be read are findings.
    #[must_use]
    pub fn parse(file: &str, text: &str, findings: &mut Vec<Finding>) -> PackMeta {
        let mut meta = PackMeta::default();
        for (index, raw) in text.lines().enumerate() {
            let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                match header.strip_suffix(']').and_then(|inner| inner.strip_prefix("source.")) {
                    Some(kind) => {
                        meta.sources
                            .push(SourceMeta { kind: kind.to_owned(), entries: Vec::new() });
                    }
                    None => findings.push(bad_pack(file, line_number, "expected `[source.KIND]`")),
                }
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                findings.push(bad_pack(file, line_number, "expected `key = value`"));
                continue;
            };
            let Some(value) = parse_value(value.trim()) else {
                findings.push(bad_pack(
                    file,
                    line_number,
                    format!("cannot read the value of `{}`", key.trim()),
                ));
                continue;
            };
            let entry = (key.trim().to_owned(), value);
            match meta.sources.last_mut() {
                Some(source) => source.entries.push(entry),
                None => meta.entries.push(entry),
            }
        }
        meta
    }

    /// Writes the file.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# A Preclear tariff pack. Written by `preclear tariff import`: edit the importer, not this file.\n",
        );
        for (key, value) in &self.entries {
            write_entry(&mut out, key, value);
        }
        for source in &self.sources {
            let _ = write!(out, "\n[source.{}]\n", source.kind);
            for (key, value) in &source.entries {
                write_entry(&mut out, key, value);
            }
        }
        out
    }
}

fn write_entry(out: &mut String, key: &str, value: &MetaValue) {
    let _ = match value {
        MetaValue::Text(text) => writeln!(out, "{key} = {}", quote(text)),
        MetaValue::Integer(number) => writeln!(out, "{key} = {number}"),
        MetaValue::List(items) => {
            let items: Vec<String> = items.iter().map(|item| quote(item)).collect();
            writeln!(out, "{key} = [{}]", items.join(", "))
        }
    };
}

fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for ch in text.chars() {
        match ch {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

/// Reads one quoted string from the start of `text`; returns it and the rest.
fn read_string(text: &str) -> Option<(String, &str)> {
    let mut chars = text.strip_prefix('"')?.char_indices();
    let mut value = String::new();
    while let Some((index, ch)) = chars.next() {
        match ch {
            '"' => return Some((value, text.get(index + 2..)?)),
            '\\' => match chars.next()?.1 {
                '"' => value.push('"'),
                '\\' => value.push('\\'),
                'n' => value.push('\n'),
                't' => value.push('\t'),
                _ => return None,
            },
            other => value.push(other),
        }
    }
    None
}

fn parse_value(text: &str) -> Option<MetaValue> {
    if text.starts_with('"') {
        let (value, rest) = read_string(text)?;
        return rest.trim().is_empty().then_some(MetaValue::Text(value));
    }
    if let Some(mut rest) = text.strip_prefix('[') {
        let mut items = Vec::new();
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix(']') {
                return after.trim().is_empty().then_some(MetaValue::List(items));
            }
            let (item, after) = read_string(rest)?;
            items.push(item);
            rest = after.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest);
        }
    }
    text.parse().ok().map(MetaValue::Integer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_parses_back() {
        let mut meta = PackMeta::default();
        meta.set_text("jurisdiction", "uk");
        meta.set_source(SourceMeta {
            kind: "b".into(),
            entries: vec![
                ("files".into(), MetaValue::List(vec!["x.tsv".into(), "y \"q\".tsv".into()])),
                ("records".into(), MetaValue::Integer(12)),
            ],
        });
        meta.set_source(SourceMeta {
            kind: "a".into(),
            entries: vec![("licence".into(), MetaValue::Text("OGL\\3".into()))],
        });
        let text = meta.render();
        let mut findings = Vec::new();
        let back = PackMeta::parse("pack.toml", &text, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(back, meta);
        assert_eq!(back.sources[0].kind, "a");
        assert_eq!(back.source("b").unwrap().files().len(), 2);
    }

    #[test]
    fn bad_lines_are_findings() {
        let mut findings = Vec::new();
        let meta = PackMeta::parse(
            "pack.toml",
            "a = \"x\"\nnonsense\n[other]\nb = [\"x\"\nc = 1\n",
            &mut findings,
        );
        assert_eq!(meta.text("a"), Some("x"));
        let lines: Vec<_> = findings.iter().map(|f| f.message.clone()).collect();
        assert_eq!(
            lines,
            [
                "pack.toml:2: expected `key = value`",
                "pack.toml:3: expected `[source.KIND]`",
                "pack.toml:4: cannot read the value of `b`"
            ]
        );
    }
}
