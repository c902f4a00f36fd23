//! The reader skips the whitespace ahead of each event instead of reporting it as a text
//! event (most text events are indentation). These tests read inputs both ways, skipping and
//! with whitespace reported as text (quick-xml's default), and require the same document,
//! findings, element positions and counters.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use super::xml::{Cursor, Next, REPORT_WHITESPACE, ReadLimits};
use super::{Parsed, ReadOptions, read_with};
use crate::source::NodeId;
use crate::test_files::{fixtures, xml_files};

fn read_both(input: &[u8], options: &ReadOptions) -> (Parsed, Parsed) {
    let skipping = read_with(input, options);
    REPORT_WHITESPACE.with(|flag| flag.set(true));
    let reporting = read_with(input, options);
    REPORT_WHITESPACE.with(|flag| flag.set(false));
    (skipping, reporting)
}

fn assert_same_with(name: &str, input: &[u8], options: &ReadOptions) {
    let (skipping, reporting) = read_both(input, options);
    assert_eq!(
        format!("{:?}", skipping.findings),
        format!("{:?}", reporting.findings),
        "{name}: findings"
    );
    assert_eq!(
        format!("{:?}", skipping.document),
        format!("{:?}", reporting.document),
        "{name}: document"
    );
    assert_eq!(
        format!("{:?}", skipping.source.nodes()),
        format!("{:?}", reporting.source.nodes()),
        "{name}: element positions"
    );
    assert_eq!(
        format!("{:?}", skipping.stats),
        format!("{:?}", reporting.stats),
        "{name}: counters"
    );
}

fn assert_same(name: &str, input: &[u8]) {
    assert_same_with(name, input, &ReadOptions::default());
}

fn rewrite_values(text: &str, variant: impl Fn(usize, &str) -> String) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    let mut index = 0;
    while let Some(open) = rest.find('>') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let end = rest.find('<').unwrap_or(rest.len());
        let value = &rest[..end];
        if value.trim().is_empty() || value.contains('&') {
            out.push_str(value);
        } else {
            out.push_str(&variant(index, value.trim()));
            index += 1;
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whitespace around references, comments, CDATA, processing instructions and stray
/// elements inside values, and line ends of every kind.
fn tricky_value(index: usize, value: &str) -> String {
    match index % 12 {
        0 => format!("  {value}  "),
        1 => format!("{value} &amp; {value}"),
        2 => format!("{value} &amp;  <!-- note -->  {value}"),
        3 => format!("<![CDATA[{value}]]> &#65; {value}"),
        4 => format!("\r\n {value} \r\n"),
        5 => format!("{value} <!--x--> {value}"),
        6 => format!(" &lt; {value}"),
        7 => format!("{value}&#x20;&#x20; {value}"),
        8 => format!("{value} <?pi x?>\t&gt;"),
        9 => format!("{value} <Stray> y </Stray> {value}"),
        10 => format!("\t<![CDATA[ {value} ]]>\r <![CDATA[]]> "),
        _ => format!("&quot; \n\n {value}"),
    }
}

#[test]
fn the_toggle_changes_the_events() {
    // Without this the comparisons below could compare a reader with itself.
    let count_text = |report: bool| {
        REPORT_WHITESPACE.with(|flag| flag.set(report));
        let mut cursor = Cursor::new("<a>\n  <b>x</b>\n</a>", ReadLimits::default());
        REPORT_WHITESPACE.with(|flag| flag.set(false));
        let mut texts = 0;
        loop {
            match cursor.next(NodeId::NONE) {
                Ok(Next::Text(_)) => texts += 1,
                Ok(Next::Eof) | Err(_) => return texts,
                Ok(_) => {}
            }
        }
    };
    assert_eq!(count_text(false), 1);
    assert_eq!(count_text(true), 3);
}

#[test]
fn fixtures_read_the_same() {
    for path in fixtures() {
        assert_same(&path.display().to_string(), &std::fs::read(&path).unwrap());
    }
}

#[test]
fn shared_corpus_reads_the_same() {
    let shared = std::env::var_os("PRECLEAR_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        |dir| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir),
    );
    let mut files = Vec::new();
    xml_files(&shared.join("corpus"), &mut files);
    files.sort();
    // The conformance runs set PRECLEAR_SHARED: there the corpus must be found.
    if std::env::var_os("PRECLEAR_SHARED").is_some() {
        assert!(files.len() > 400, "the shared corpus is missing under {}", shared.display());
    }
    for path in files {
        assert_same(&path.display().to_string(), &std::fs::read(&path).unwrap());
    }
}

#[test]
fn values_with_whitespace_around_their_parts_read_the_same() {
    for path in fixtures() {
        // The fixtures that are not UTF-8 are refused whole; they have no values.
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for shift in 0..3 {
            let rewritten =
                rewrite_values(&text, |index, value| tricky_value(index + shift, value));
            assert_same(&format!("{} (shift {shift})", path.display()), rewritten.as_bytes());
        }
    }
}

#[test]
fn text_between_elements_and_past_the_limits_reads_the_same() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/valid/amendment-cor.xml");
    let text = std::fs::read_to_string(path).unwrap();
    // Stray text after the indentation of every element.
    let stray = text.replace(">\n", ">\n  stray &amp; text\n");
    assert_same("stray text", stray.as_bytes());
    for max_findings in [0, 1, 2, 5] {
        let options = ReadOptions { limits: ReadLimits { max_findings, ..ReadLimits::default() } };
        assert_same_with(
            &format!("stray text, {max_findings} findings"),
            stray.as_bytes(),
            &options,
        );
    }
    let options = ReadOptions { limits: ReadLimits { max_text_bytes: 3, ..ReadLimits::default() } };
    let rewritten = rewrite_values(&text, tricky_value);
    assert_same_with("short values", rewritten.as_bytes(), &options);
}

#[test]
fn whitespace_before_errors_reads_the_same() {
    let cases: &[&str] = &[
        "  \n<!DOCTYPE a>\n<a/>",
        "<a>\n  <!-- a -- b -->\n</a>",
        "<a>\n  <b>x &amp;  &undefined; </b>\n</a>",
        "<a/>\n   trailing",
        "<a/>\n  <b/>",
        "<a/>\n  &amp;",
        "   text before <a/>",
        "  &amp; <a/>",
        "<?xml version=\"1.0\"?>\n\n  <a>\n</a>\n\n",
        "<a>\n  <b>\n",
        "<a>\n  <b>\n  </c>\n</a>",
        "<a>\n  <b x='1' x='2'/>\n</a>",
        "\n\n",
        "",
        "<a>\r\n\t<b> &#xD; </b>\r\n</a>",
    ];
    for case in cases {
        assert_same(case, case.as_bytes());
    }
}
