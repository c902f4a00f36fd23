//! The `.rules` text format of authored restriction rules: one block per rule, one
//! `key = value` per line, so that a change to a rule is a one-line diff with its legal basis
//! beside it.
//!
//! ```text
//! # A comment.
//! [uk-embargo-sudan-arms]
//! title = Arms embargo on Sudan
//! kind = prohibition
//! commodities = 9301 9302 9303
//! ```
//!
//! A block starts with `[id]`; keys are unique within a block; values run to the end of the
//! line. Lists are separated by spaces (codes) or by ` | ` (phrases); the reader of each key
//! decides. Lines that cannot be read become findings with their file and line.

use crate::finding::Finding;
use crate::tariff::table::bad_pack;

/// One `[id]` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The id between the brackets.
    pub id: String,
    /// The file it comes from.
    pub file: String,
    /// The line of the `[id]` header.
    pub line: u32,
    /// Its keys and values, in file order, with the line of each.
    pub entries: Vec<(String, String, u32)>,
}

impl Block {
    /// The value of `key`, if present.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.iter().find(|(name, _, _)| name == key).map(|(_, value, _)| value.as_str())
    }

    /// The line of `key` (the header's line when absent).
    #[must_use]
    pub fn line_of(&self, key: &str) -> u32 {
        self.entries.iter().find(|(name, _, _)| name == key).map_or(self.line, |(_, _, line)| *line)
    }

    /// The space-separated words of `key` (empty when absent).
    #[must_use]
    pub fn words(&self, key: &str) -> Vec<String> {
        self.get(key)
            .map(|value| value.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// The ` | `-separated phrases of `key` (empty when absent).
    #[must_use]
    pub fn phrases(&self, key: &str) -> Vec<String> {
        self.get(key)
            .map(|value| {
                value
                    .split('|')
                    .map(str::trim)
                    .filter(|phrase| !phrase.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A finding about `key` of this block.
    pub fn finding(&self, key: &str, message: impl Into<String>) -> Finding {
        bad_pack(&self.file, self.line_of(key), format!("[{}] {}", self.id, message.into()))
    }
}

/// Reads the blocks of a `.rules` file.
#[must_use]
pub fn parse(file: &str, text: &str, findings: &mut Vec<Finding>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            match header.strip_suffix(']').map(str::trim) {
                Some(id) if !id.is_empty() && !id.contains(char::is_whitespace) => {
                    if blocks.iter().any(|block| block.id == id) {
                        findings.push(bad_pack(file, line, format!("a second block `[{id}]`")));
                    }
                    blocks.push(Block {
                        id: id.to_owned(),
                        file: file.to_owned(),
                        line,
                        entries: Vec::new(),
                    });
                }
                _ => findings.push(bad_pack(file, line, "expected `[id]` (no spaces)")),
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            findings.push(bad_pack(file, line, "expected `key = value`"));
            continue;
        };
        let key = key.trim();
        let Some(block) = blocks.last_mut() else {
            findings.push(bad_pack(file, line, "a `key = value` line before any `[id]` block"));
            continue;
        };
        if block.entries.iter().any(|(name, _, _)| name == key) {
            findings.push(bad_pack(file, line, format!("[{}] `{key}` given twice", block.id)));
            continue;
        }
        block.entries.push((key.to_owned(), value.trim().to_owned(), line));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_lists_and_phrases() {
        let mut findings = Vec::new();
        let blocks = parse(
            "t.rules",
            "# head\n[a]\ntitle = A rule = with equals\ncommodities = 9301  9302\n\n[b]\nterms = rhino horn | ivory |\n",
            &mut findings,
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].get("title"), Some("A rule = with equals"));
        assert_eq!(blocks[0].words("commodities"), ["9301", "9302"]);
        assert_eq!(blocks[0].line_of("commodities"), 4);
        assert_eq!(blocks[1].phrases("terms"), ["rhino horn", "ivory"]);
        assert!(blocks[1].words("missing").is_empty());
    }

    #[test]
    fn bad_lines_are_findings_with_their_line() {
        let mut findings = Vec::new();
        let blocks =
            parse("t.rules", "x = 1\n[a b]\n[a]\nno equals\nk = 1\nk = 2\n[a]\n", &mut findings);
        let messages: Vec<_> = findings.iter().map(|finding| finding.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "t.rules:1: a `key = value` line before any `[id]` block",
                "t.rules:2: expected `[id]` (no spaces)",
                "t.rules:4: expected `key = value`",
                "t.rules:6: [a] `k` given twice",
                "t.rules:7: a second block `[a]`",
            ]
        );
        assert_eq!(blocks.len(), 2);
    }
}
