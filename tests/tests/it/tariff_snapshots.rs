//! The `tariff show --format json` document of a handful of codes, as reviewed snapshots.

// Test helpers may unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use preclear::Date;
use preclear::tariff::{Jurisdiction, Tariff};

fn show(
    jurisdiction: Jurisdiction,
    code: &str,
    day: &str,
    origin: Option<&str>,
) -> serde_json::Value {
    let tariff = Tariff::bundled(jurisdiction).unwrap();
    let date: Date = day.parse().unwrap();
    serde_json::to_value(tariff.commodity_from(code, date, origin).unwrap()).unwrap()
}

#[test]
fn uk_parts_of_shavers() {
    insta::assert_json_snapshot!(show(Jurisdiction::Uk, "8510900000", "2024-01-01", None));
}

#[test]
fn uk_biodiesel_blends_from_canada() {
    insta::assert_json_snapshot!(show(Jurisdiction::Uk, "1516209821", "2021-06-01", Some("CA")));
}

#[test]
fn uk_cherry_tomatoes_from_morocco() {
    insta::assert_json_snapshot!(show(Jurisdiction::Uk, "0702000007", "2021-03-01", Some("MA")));
}

#[test]
fn us_milk_powder() {
    insta::assert_json_snapshot!(show(Jurisdiction::Us, "0402.29.50.00", "2026-06-01", None));
}

#[test]
fn eu_live_cattle() {
    insta::assert_json_snapshot!(show(Jurisdiction::Eu, "0102.29.10", "2020-06-01", None));
}
