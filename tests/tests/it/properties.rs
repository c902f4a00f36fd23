//! Properties of the whole check's assessment, over generated declarations: a real
//! five-item declaration (`fixtures/valid/import-multi-item-5.xml`) with generated item
//! prices, a generated freight charge shared among the items, and its items in a generated
//! order, checked against the bundled UK tariff.
//!
//! - the order of the items does not change any total;
//! - totals are the sums of the rounded lines;
//! - every line is rounded by the stated policy (down to the penny for the UK);
//! - the VAT base of an item is its customs value plus its duty and excise lines;
//! - an ad valorem duty line never falls when its item's price rises.
//!
//! And over a US declaration (`fixtures/valid/us-chapter-99-china-section-301.xml`: general
//! duties, one compound, and chapter 99 additional duties) against the bundled US tariff:
//!
//! - every ad valorem line is its base times its rate, rounded half up to the cent;
//! - the freight is not part of the US value, so no freight changes any line;
//! - the order of the items changes no line and no total.
//!
//! The engine's own properties (MIN/MAX, unit and currency conversions, compound rates) are
//! next to it, in `core/src/assess/evaluate.rs`.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use preclear::report::{Report, TaxLine};
use preclear::{CheckOptions, Checker, Date, Tariffs};
use preclear_tests::mutate::{Element, Node};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn tariffs() -> &'static Tariffs {
    static TARIFFS: OnceLock<Tariffs> = OnceLock::new();
    TARIFFS.get_or_init(Tariffs::bundled)
}

fn fixture(relative: &str) -> Element {
    let path = preclear_tests::workspace_root().join(relative);
    Element::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The UK declaration the properties start from.
fn base() -> &'static Element {
    static BASE: OnceLock<Element> = OnceLock::new();
    BASE.get_or_init(|| fixture("fixtures/valid/import-multi-item-5.xml"))
}

/// The US declaration the properties start from.
fn base_us() -> &'static Element {
    static BASE: OnceLock<Element> = OnceLock::new();
    BASE.get_or_init(|| fixture("fixtures/valid/us-chapter-99-china-section-301.xml"))
}

const NS: &str = "urn:wco:datamodel:WCO:DEC-DMS:2";

/// The UK declaration with the items' prices (in pence), a freight charge (in pence, shared
/// among the items by price), and the items in the order `order` gives.
fn declaration(prices: &[i64], freight: Option<i64>, order: &[usize]) -> Vec<u8> {
    declaration_from(base(), prices, freight, order)
}

/// `base` with the items' prices (in hundredths), a freight charge (replacing the declared
/// one, if any), and the items in the order `order` gives.
fn declaration_from(
    base: &Element,
    prices: &[i64],
    freight: Option<i64>,
    order: &[usize],
) -> Vec<u8> {
    let mut root = base.clone();
    let declaration = root.child_mut("Declaration").unwrap();
    let shipment = declaration.child_mut("GoodsShipment").unwrap();
    let is_item =
        |node: &Node| matches!(node, Node::Element(e) if e.name == "GovernmentAgencyGoodsItem");
    let first = shipment.children.iter().position(is_item).unwrap();
    let mut items: Vec<Element> = shipment
        .children
        .iter()
        .filter_map(|node| match node {
            Node::Element(e) if e.name == "GovernmentAgencyGoodsItem" => Some(e.clone()),
            _ => None,
        })
        .collect();
    shipment.children.retain(|node| !is_item(node));
    for (item, price) in items.iter_mut().zip(prices) {
        let amount = item
            .child_mut("Commodity")
            .and_then(|commodity| commodity.child_mut("InvoiceLine"))
            .and_then(|line| line.child_mut("ItemChargeAmount"))
            .unwrap();
        amount.set_text(&Decimal::new(*price, 2).to_string());
    }
    let ordered: Vec<Node> =
        order.iter().map(|&index| Node::Element(items[index].clone())).collect();
    shipment.children.splice(first..first, ordered);
    let currency = if std::ptr::eq(base, base_us()) { "USD" } else { "GBP" };
    if let Some(freight) = freight {
        shipment
            .children
            .retain(|node| !matches!(node, Node::Element(e) if e.name == "CustomsValuation"));
        let mut valuation = Element::new(Some(NS), "CustomsValuation");
        let mut charge = Element::new(Some(NS), "FreightChargeAmount");
        charge.attributes.push((None, "currencyID".to_owned(), currency.to_owned()));
        charge.set_text(&Decimal::new(freight, 2).to_string());
        valuation.children.push(Node::Element(charge));
        shipment.children.push(Node::Element(valuation));
    }
    root.to_xml().into_bytes()
}

fn check(bytes: &[u8]) -> Report {
    let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
    Checker::new(tariffs(), options).check("generated.xml", bytes)
}

/// Each item's lines by item number.
fn lines_by_item(report: &Report) -> BTreeMap<u32, Vec<TaxLine>> {
    report
        .declaration
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|item| (item.sequence.unwrap(), item.tax_lines.clone()))
        .collect()
}

fn totals(report: &Report) -> BTreeMap<String, Decimal> {
    report.totals.iter().map(|total| (total.tax_type.clone(), total.amount.amount)).collect()
}

fn prices() -> impl Strategy<Value = Vec<i64>> {
    proptest::collection::vec(1i64..100_000_000_000, 5)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn item_order_changes_no_total(
        prices in prices(),
        freight in proptest::option::of(0i64..10_000_000),
        order in Just(vec![0usize, 1, 2, 3, 4]).prop_shuffle(),
    ) {
        let in_order = check(&declaration(&prices, freight, &[0, 1, 2, 3, 4]));
        let shuffled = check(&declaration(&prices, freight, &order));
        prop_assert!(!in_order.totals.is_empty());
        prop_assert_eq!(totals(&in_order), totals(&shuffled));
        // Each item keeps its own lines too, wherever it stands.
        prop_assert_eq!(lines_by_item(&in_order), lines_by_item(&shuffled));
    }

    #[test]
    fn totals_are_sums_of_rounded_lines_and_vat_is_on_value_plus_duties(
        prices in prices(),
        freight in proptest::option::of(0i64..10_000_000),
    ) {
        let report = check(&declaration(&prices, freight, &[0, 1, 2, 3, 4]));
        let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
        for item in &report.declaration.as_ref().unwrap().items {
            let value = item.customs_value.as_ref().unwrap().amount;
            let mut duties = Decimal::ZERO;
            for line in &item.tax_lines {
                let amount = line.amount.amount;
                // The UK policy: each line rounded down to the penny.
                prop_assert_eq!(amount.scale(), 2, "{:?}", line);
                *sums.entry(line.tax_type.clone()).or_default() += amount;
                if line.tax_type != "B00" {
                    duties += amount;
                }
            }
            for vat in item.tax_lines.iter().filter(|line| line.tax_type == "B00") {
                let base = vat.base.as_ref().unwrap().amount;
                prop_assert_eq!(base, value + duties, "item {:?}", item.sequence);
                // 20% of the base, rounded down: never above it, never a penny below.
                let exact = base * Decimal::new(20, 2);
                prop_assert!(vat.amount.amount <= exact && exact - vat.amount.amount < Decimal::new(1, 2));
            }
        }
        prop_assert_eq!(sums, totals(&report));
    }

    #[test]
    fn ad_valorem_duty_never_falls_when_the_price_rises(
        prices in prices(), item in 0usize..5, rise in 0i64..10_000_000_000,
    ) {
        let mut higher = prices.clone();
        higher[item] += rise;
        let low = lines_by_item(&check(&declaration(&prices, None, &[0, 1, 2, 3, 4])));
        let high = lines_by_item(&check(&declaration(&higher, None, &[0, 1, 2, 3, 4])));
        for (sequence, lines) in &low {
            for line in lines.iter().filter(|line| line.base.is_some()) {
                let other = high[sequence].iter().find(|other| other.tax_type == line.tax_type).unwrap();
                prop_assert!(line.amount.amount <= other.amount.amount, "{:?} then {:?}", line, other);
            }
        }
    }

    #[test]
    fn us_ad_valorem_lines_are_base_times_rate_rounded_half_up(
        prices in prices(), freight in proptest::option::of(0i64..10_000_000),
    ) {
        let report = check(&declaration_from(base_us(), &prices, freight, &[0, 1, 2, 3, 4]));
        let mut ad_valorem = 0;
        for item in &report.declaration.as_ref().unwrap().items {
            for line in &item.tax_lines {
                prop_assert_eq!(line.amount.amount.scale(), 2, "{:?}", line);
                prop_assert_eq!(line.amount.currency.as_deref(), Some("USD"));
                // A plain percentage on a value base; the compound line has none.
                let (Some(base), Some(percent)) = (&line.base, line.rate.strip_suffix('%')) else {
                    continue;
                };
                let Ok(percent) = percent.parse::<Decimal>() else { continue };
                let exact = base.amount * percent / Decimal::ONE_HUNDRED;
                let expected = exact.round_dp_with_strategy(
                    2,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                );
                prop_assert_eq!(line.amount.amount, expected, "{:?}", line);
                prop_assert!((line.amount.amount - exact).abs() <= Decimal::new(5, 3));
                ad_valorem += 1;
            }
        }
        // Eight of the nine lines are plain percentages: the test must have seen them.
        prop_assert_eq!(ad_valorem, 8);
    }

    #[test]
    fn us_freight_and_item_order_change_no_line(
        prices in prices(),
        freight in 0i64..10_000_000,
        order in Just(vec![0usize, 1, 2, 3, 4]).prop_shuffle(),
    ) {
        let plain = check(&declaration_from(base_us(), &prices, Some(0), &[0, 1, 2, 3, 4]));
        let other = check(&declaration_from(base_us(), &prices, Some(freight), &order));
        prop_assert!(!plain.totals.is_empty());
        prop_assert_eq!(totals(&plain), totals(&other));
        prop_assert_eq!(lines_by_item(&plain), lines_by_item(&other));
    }
}
