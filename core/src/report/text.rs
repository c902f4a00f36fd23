//! Text rendering in the style of compiler diagnostics: a summary of the declaration, then
//! each finding with its code, `file:line:column`, the source line with the element
//! underlined, the path, and help.

use std::fmt::Write as _;

use super::{ItemReport, Money, Report};
use crate::finding::{Finding, Severity};

/// How to render text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
}

const TAB_WIDTH: usize = 4;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.as_str())
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

fn money(money: &Money) -> String {
    match &money.currency {
        Some(currency) => format!("{} {currency}", money.amount),
        None => money.amount.to_string(),
    }
}

fn item_line(item: &ItemReport) -> String {
    let mut line =
        format!("item {:>3}", item.sequence.map_or_else(|| "?".to_owned(), |n| n.to_string()));
    let _ = write!(line, "  {}", item.commodity_code.as_deref().unwrap_or("(no commodity code)"));
    for code in &item.additional_codes {
        let _ = write!(line, "+{code}");
    }
    if let Some(origin) = &item.origin {
        let _ = write!(line, "  origin {origin}");
        if let Some(kind) = &item.origin_type {
            let _ = write!(line, "/{kind}");
        }
    }
    if let Some(value) = item.customs_value.as_ref().or(item.item_price.as_ref()) {
        let label = if item.customs_value.is_some() { "value" } else { "price" };
        let _ = write!(line, "  {label} {}", money(value));
    }
    if let Some(gross) = item.gross_mass {
        let _ = write!(line, "  gross {gross} kg");
    }
    if let Some(net) = item.net_mass {
        let _ = write!(line, "  net {net} kg");
    }
    if let Some(procedure) = &item.procedure {
        let _ = write!(line, "  procedure {procedure}");
    }
    line
}

/// Renders a report. `source` is the input, for snippets; without it findings show only
/// their location.
#[must_use]
pub fn render_text(report: &Report, source: Option<&[u8]>, options: TextOptions) -> String {
    let style = Style { color: options.color };
    let mut out = String::new();
    let headline = match &report.declaration {
        Some(declaration) => {
            let mut headline =
                format!("{} declaration", declaration.type_code.as_deref().unwrap_or("untyped"));
            if let Some(lrn) = &declaration.lrn {
                let _ = write!(headline, ", LRN {lrn}");
            }
            if let Some(mrn) = &declaration.mrn {
                let _ = write!(headline, ", MRN {mrn}");
            }
            let count = declaration.items.len();
            let _ = write!(headline, ", {count} item{}", if count == 1 { "" } else { "s" });
            headline
        }
        None => report.document.description.clone(),
    };
    let _ = writeln!(out, "{}: {headline}", style.bold(&report.file));
    if let Some(tariff) = &report.tariff {
        let _ = writeln!(
            out,
            "  tariff {}{}",
            tariff.jurisdiction,
            tariff.date.as_ref().map(|date| format!(" at {date}")).unwrap_or_default()
        );
        let _ = writeln!(out, "  {}", style.dim(&format!("       {}", tariff.version)));
    }
    if let Some(declaration) = &report.declaration {
        for item in &declaration.items {
            let _ = writeln!(out, "  {}", item_line(item));
            if let Some(description) = &item.description {
                let shown: String = description.chars().take(90).collect();
                let _ = writeln!(out, "  {}", style.dim(&format!("          {shown}")));
            }
            for line in &item.tax_lines {
                let _ = writeln!(
                    out,
                    "          {} {} = {}  ({})",
                    line.tax_type,
                    line.rate,
                    money(&line.amount),
                    line.formula
                );
            }
            for flag in &item.flags {
                let _ =
                    writeln!(out, "          {} {}: {}", flag.status, flag.category, flag.message);
            }
        }
    }
    for total in &report.totals {
        let _ = writeln!(out, "  total {} {}", total.tax_type, money(&total.amount));
    }
    if let Some(lane) = &report.lane {
        let _ = writeln!(out, "  lane {} (score {})", style.bold(&lane.lane), lane.score);
        for reason in &lane.reasons {
            let _ = writeln!(out, "       {reason}");
        }
    }
    for finding in &report.findings {
        out.push('\n');
        render_finding(&mut out, &style, &report.file, finding, source);
    }
    let counts = report.counts();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "\n{}: {}, {}, {}",
        style.bold("result"),
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info")
    );
    out
}

fn render_finding(
    out: &mut String,
    style: &Style,
    file: &str,
    finding: &Finding,
    source: Option<&[u8]>,
) {
    let _ = writeln!(
        out,
        "{}{}: {}",
        style.severity(finding.severity),
        style.bold(&format!("[{}]", finding.code)),
        finding.message
    );
    let Some(location) = &finding.location else {
        let _ = writeln!(out, "  {} {file}", style.dim("-->"));
        if let Some(help) = &finding.help {
            let _ = writeln!(out, "   = help: {help}");
        }
        return;
    };
    let _ = writeln!(out, "  {} {file}:{}:{}", style.dim("-->"), location.line, location.column);
    if let Some(line_text) = source.and_then(|source| source_line(source, location.offset)) {
        let number = location.line.to_string();
        let gutter = " ".repeat(number.len());
        let (shown, caret_start) = expand_tabs(&line_text.text, line_text.column_chars);
        let shown_len = shown.chars().count();
        let available = shown_len.saturating_sub(caret_start).max(1);
        let span_chars = line_text.span_chars(location.len).clamp(1, available);
        let _ = writeln!(out, "{gutter} {}", style.dim("|"));
        let _ = writeln!(out, "{} {} {}", style.dim(&number), style.dim("|"), shown.trim_end());
        let carets = format!("{}{}", " ".repeat(caret_start), "^".repeat(span_chars));
        let caret_style = match finding.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        let _ = writeln!(out, "{gutter} {} {}", style.dim("|"), style.paint(caret_style, &carets));
    }
    if !location.path.is_empty() {
        let _ = writeln!(out, "   = at: {}", location.path);
    }
    if let Some(dms_code) = finding.dms_code {
        let _ = writeln!(out, "   = DMS code: {dms_code}");
    }
    if let Some(help) = &finding.help {
        let _ = writeln!(out, "   = help: {help}");
    }
}

struct SourceLine {
    text: String,
    /// Characters before the offset on its line.
    column_chars: usize,
    /// Bytes from the offset to the end of the line.
    rest_bytes: String,
}

impl SourceLine {
    fn span_chars(&self, len_bytes: usize) -> usize {
        let mut taken = 0;
        let mut chars = 0;
        for character in self.rest_bytes.chars() {
            if taken >= len_bytes {
                break;
            }
            taken += character.len_utf8();
            chars += if character == '\t' { TAB_WIDTH } else { 1 };
        }
        chars
    }
}

fn source_line(source: &[u8], offset: usize) -> Option<SourceLine> {
    let offset = offset.min(source.len());
    let start =
        source.get(..offset)?.iter().rposition(|byte| *byte == b'\n').map_or(0, |index| index + 1);
    let end = source
        .get(offset..)?
        .iter()
        .position(|byte| *byte == b'\n')
        .map_or(source.len(), |index| offset + index);
    let text = String::from_utf8_lossy(source.get(start..end)?).into_owned();
    let before = String::from_utf8_lossy(source.get(start..offset)?).into_owned();
    let rest_bytes = String::from_utf8_lossy(source.get(offset..end)?).into_owned();
    Some(SourceLine { text, column_chars: before.chars().count(), rest_bytes })
}

/// Expands tabs so carets line up; returns the line and the caret's column.
fn expand_tabs(line: &str, column_chars: usize) -> (String, usize) {
    let mut shown = String::with_capacity(line.len());
    let mut caret = 0;
    for (index, character) in line.chars().enumerate() {
        if index == column_chars {
            caret = shown.chars().count();
        }
        if character == '\t' {
            shown.push_str(&" ".repeat(TAB_WIDTH));
        } else if character != '\r' {
            shown.push(character);
        }
    }
    if column_chars >= line.chars().count() {
        caret = shown.chars().count();
    }
    (shown, caret)
}
