//! Every rate cell of the real schedules parses, and prints back to the same tree.
//!
//! Sources (read from the shared data, never copied): the DIT UK Global Tariff / EU CET
//! comparison CSV (columns `cet_duty_rate`, `ukgt_duty_rate`), HTSUS 2026 revision 10
//! (`general`, `special`, `other`, chapters 01–99), and the UK Trade Tariff API samples
//! (`duty_expression`). The snapshot counts the shape of every cell per column and lists the
//! cells that state no computable rate, for review.

// Helpers here may panic: a panic is a failing test.
#![cfg(test)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;

use preclear::tariff::expr::{
    Bound, DutyExpr, Money, Op, Rate, SpecialRate, Subheading, Term, UsSpecial, parse_taric,
    parse_us, parse_us_special,
};
use preclear_tests::csv::Table;
use preclear_tests::shared;

/// Shape counts and not-computable texts of one column.
#[derive(Default)]
struct Column {
    cells: usize,
    shapes: BTreeMap<String, usize>,
    not_computable: BTreeMap<String, usize>,
}

impl Column {
    fn add(&mut self, shape: String) {
        *self.shapes.entry(shape).or_default() += 1;
    }
}

#[derive(Default)]
struct Report {
    columns: BTreeMap<&'static str, Column>,
    failures: Vec<String>,
}

impl Report {
    fn taric(&mut self, column: &'static str, id: &str, text: &str) {
        let col = self.columns.entry(column).or_default();
        col.cells += 1;
        match parse_taric(text) {
            Err(e) => self.failures.push(format!("{column} {id}: {e}")),
            Ok(expr) => {
                let printed = expr.to_string();
                if parse_taric(&printed).as_ref() != Ok(&expr) {
                    self.failures.push(format!(
                        "{column} {id}: `{text}` prints as `{printed}`, which does not parse back"
                    ));
                }
                note_not_computable(col, &expr);
                col.add(shape(&expr));
            }
        }
    }

    fn us(&mut self, column: &'static str, id: &str, text: &str) {
        let col = self.columns.entry(column).or_default();
        col.cells += 1;
        match parse_us(text) {
            Err(e) => self.failures.push(format!("{column} {id}: {e}")),
            Ok(expr) => {
                let printed = expr.to_string();
                if parse_us(&printed).as_ref() != Ok(&expr) {
                    self.failures.push(format!(
                        "{column} {id}: `{text}` prints as `{printed}`, which does not parse back"
                    ));
                }
                note_not_computable(col, &expr);
                col.add(shape(&expr));
            }
        }
    }

    fn us_special(&mut self, column: &'static str, id: &str, text: &str) {
        let col = self.columns.entry(column).or_default();
        col.cells += 1;
        match parse_us_special(text) {
            Err(e) => self.failures.push(format!("{column} {id}: {e}")),
            Ok(special) => {
                let printed = special.to_string();
                if parse_us_special(&printed).as_ref() != Ok(&special) {
                    self.failures.push(format!(
                        "{column} {id}: `{text}` prints as `{printed}`, which does not parse back"
                    ));
                }
                for segment in &special.segments {
                    if let SpecialRate::Rate(expr) = &segment.rate {
                        note_not_computable(col, expr);
                    }
                }
                col.add(special_shape(&special));
            }
        }
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for (name, col) in &self.columns {
            let not_computable: usize = col.not_computable.values().sum();
            let _ = writeln!(out, "{name}: {} cells, {not_computable} not computable", col.cells);
            for (shape, count) in &col.shapes {
                let _ = writeln!(out, "  {count:>6}  {shape}");
            }
            if !col.not_computable.is_empty() {
                let _ = writeln!(out, "  not computable:");
                for (text, count) in &col.not_computable {
                    let _ = writeln!(out, "  {count:>6}  {text}");
                }
            }
            out.push('\n');
        }
        out
    }
}

fn note_not_computable(col: &mut Column, expr: &DutyExpr) {
    if let DutyExpr::NotComputable { text } = expr {
        *col.not_computable.entry(text.clone()).or_default() += 1;
    }
}

fn rate_shape(rate: &Rate) -> String {
    let mut shape = match (rate.money, rate.unit) {
        (Money::Percent, None) => "ad_valorem",
        (Money::Percent, Some(_)) => "ad_valorem_per_unit",
        _ => "specific",
    }
    .to_owned();
    if rate.amount.fraction.is_some() {
        shape.push_str("[fraction]");
    }
    if rate.basis.is_some() {
        shape.push_str("[basis]");
    }
    shape
}

fn components_shape(components: &[preclear::tariff::expr::Component]) -> String {
    let parts: Vec<String> = components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let term = match &c.term {
                Term::Rate(rate) => rate_shape(rate),
                Term::Agricultural(a) => format!("agricultural({})", a.as_str()),
            };
            match (i, c.op) {
                (0, Op::Plus) => term,
                (_, Op::Plus) => format!("+{term}"),
                (_, Op::Minus) => format!("-{term}"),
            }
        })
        .collect();
    match parts.as_slice() {
        [single] => single.clone(),
        _ => format!("compound({})", parts.concat()),
    }
}

fn shape(expr: &DutyExpr) -> String {
    let base = match expr {
        DutyExpr::Compound(components) => components_shape(components),
        DutyExpr::Bounded { base, bound, limit } => {
            let name = match bound {
                Bound::Min => "min",
                Bound::Max => "max",
            };
            let inner = match &**base {
                DutyExpr::Compound(components) => components_shape(components),
                other => shape(other),
            };
            format!("{name}({inner}, {})", components_shape(limit))
        }
        DutyExpr::Seasonal(seasons) => {
            let parts: Vec<String> = seasons.iter().map(|s| shape(&s.rate)).collect();
            format!("seasonal({})", parts.join(", "))
        }
        DutyExpr::EntryPrice => "entry_price".into(),
        DutyExpr::Nihil => "nihil".into(),
        DutyExpr::SupplementaryUnit(_) => "supplementary_unit".into(),
        DutyExpr::Free { condition: None } => "free".into(),
        DutyExpr::Free { condition: Some(_) } => "free(conditional)".into(),
        DutyExpr::NoChange => "no_change".into(),
        DutyExpr::SlidingScale(_) => "sliding_scale".into(),
        DutyExpr::ProvidedIn { subheading, adjust } => {
            let target = match subheading {
                Subheading::Applicable => "applicable",
                Subheading::Such => "such",
                Subheading::Listed(_) => "listed",
                Subheading::SuchForOriginating { .. } => "such_for_originating",
            };
            match adjust {
                None => format!("provided_in({target})"),
                Some(c) => {
                    let sign = match c.op {
                        Op::Plus => "+",
                        Op::Minus => "-",
                    };
                    let term = match &c.term {
                        Term::Rate(rate) => rate_shape(rate),
                        Term::Agricultural(a) => a.as_str().to_owned(),
                    };
                    format!("provided_in({target}){sign}{term}")
                }
            }
        }
        DutyExpr::WithProviso { expr, .. } => format!("proviso({})", shape(expr)),
        DutyExpr::NotComputable { .. } => "not_computable".into(),
    };
    let repairs = expr.repairs();
    if repairs.is_empty() {
        base
    } else {
        let names: Vec<String> = repairs
            .iter()
            .map(|r| serde_json::to_value(r).map(|v| v.to_string()).unwrap_or_default())
            .collect();
        format!("{base} repaired{names:?}").replace('"', "").replace('\\', "")
    }
}

fn special_shape(special: &UsSpecial) -> String {
    let parts: Vec<String> = special
        .segments
        .iter()
        .map(|segment| {
            let mut s = match &segment.rate {
                SpecialRate::Rate(expr) => shape(expr),
                SpecialRate::SeeHeadings(_) => "see_headings".into(),
                SpecialRate::SeeNote(_) => "see_note".into(),
            };
            if !segment.programs.is_empty() {
                s.push_str(" (programs)");
            }
            if segment.note.is_some() {
                s.push_str(" (note)");
            }
            s
        })
        .collect();
    parts.join(" | ")
}

fn read(relative: &str) -> String {
    let path = shared(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ukgt_and_cet(report: &mut Report) {
    let table = Table::parse(&read("data/tariffs/uk-global-tariff/ukgt-2021-vs-eu-cet.csv"));
    let code = table.column("commodity").expect("commodity column");
    for (name, column) in [("cet_duty_rate", "eu_cet"), ("ukgt_duty_rate", "uk_global_tariff")] {
        let index = table.column(name).unwrap_or_else(|| panic!("{name} column"));
        for row in &table.rows {
            let text = &row[index];
            if !text.trim().is_empty() {
                report.taric(column, &row[code], text);
            }
        }
    }
}

fn hts(report: &mut Report) {
    let path = shared("data/tariffs/us-hts/hts_2026_rev_10.json.gz");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut json = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut json).expect("gzip");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("HTS JSON");
    for row in &rows {
        let htsno = row["htsno"].as_str().unwrap_or_default();
        let chapter: u32 = htsno.get(..2).and_then(|c| c.parse().ok()).unwrap_or(0);
        assert!(
            (1..=99).contains(&chapter)
                || ["general", "special", "other"].iter().all(|c| row[c]
                    .as_str()
                    .unwrap_or_default()
                    .trim()
                    .is_empty()),
            "a rate on a row without a chapter: {row}"
        );
        let group = if chapter <= 97 { "01-97" } else { "98-99" };
        for (column, name) in [("general", "general"), ("other", "other"), ("special", "special")] {
            let text = row[column].as_str().unwrap_or_default();
            if text.trim().is_empty() {
                continue;
            }
            let label: &'static str = match (name, group) {
                ("general", "01-97") => "us_general_ch01-97",
                ("general", _) => "us_general_ch98-99",
                ("other", "01-97") => "us_other_ch01-97",
                ("other", _) => "us_other_ch98-99",
                ("special", "01-97") => "us_special_ch01-97",
                _ => "us_special_ch98-99",
            };
            if name == "special" {
                report.us_special(label, htsno, text);
            } else {
                report.us(label, htsno, text);
            }
        }
    }
}

/// The `duty_expression` strings of the UK Trade Tariff API samples: the plain `base` and
/// the HTML `formatted_base`/`duty_expression` forms.
fn uk_api(report: &mut Report) {
    fn walk(value: &serde_json::Value, key: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let inside = key == "duty_expression";
                    match v {
                        serde_json::Value::String(s)
                            if (k == "duty_expression"
                                || (inside && (k == "base" || k == "formatted_base")))
                                && !s.trim().is_empty() =>
                        {
                            out.push(s.clone());
                        }
                        _ => walk(v, k, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            _ => {}
        }
    }
    let mut texts = Vec::new();
    for dir in [
        "data/tariffs/uk-trade-tariff-api-samples",
        "data/tariffs/uk-extra/trade-tariff-duty-calculator/spec/fixtures/uk/commodities",
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(shared(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|entry| entry.expect("dir entry").path())
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    std::path::Path::new(n).extension().is_some_and(|e| e == "json")
                })
            })
            .collect();
        paths.sort();
        for path in paths {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(
                &std::fs::read_to_string(&path).expect("read"),
            ) else {
                continue;
            };
            walk(&value, "", &mut texts);
        }
    }
    for text in texts {
        report.taric("uk_api_duty_expression", "sample", &text);
    }
}

#[test]
fn every_real_rate_parses_and_round_trips() {
    let mut report = Report::default();
    ukgt_and_cet(&mut report);
    hts(&mut report);
    uk_api(&mut report);
    assert!(
        report.failures.is_empty(),
        "{} cells failed:\n{}",
        report.failures.len(),
        report.failures.iter().take(60).cloned().collect::<Vec<_>>().join("\n")
    );
    insta::assert_snapshot!("expr_coverage", report.render());
}
