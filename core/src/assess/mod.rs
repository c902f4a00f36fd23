//! Assessment: the duties and taxes customs will charge, per item and in total, each line
//! with its formula and the measure and legal basis it comes from.
//!
//! For each goods item: the customs value ([`value`]); the measures of its commodity code on
//! the date for its origin, chosen as customs do (a claimed quota with its order number, else a
//! claimed and proven preference, else a claimed suspension, else the third-country duty; plus
//! additional, anti-dumping and countervailing duties, excise, and VAT); each rate evaluated
//! exactly ([`evaluate`]) and rounded once per line by the jurisdiction's stated policy.
//! VAT is charged on the customs value plus every duty and excise line (VAT Act 1994 s. 21;
//! Directive 2006/112/EC Art. 86). What cannot be assessed is reported, never taken as zero.
//!
//! The jurisdiction of the loaded tariff sets the currency, the rounding and the valuation
//! basis (printed in the report). US items choose their column, special programme and
//! chapter 99 additions in [`us`] (tax types `DUTY` and `CH99`). EU items pay the common
//! external tariff's third-country duty on the CIF value in EUR; amounts in another currency
//! need the declaration's fixed rate (DE 4/15), as the EU pack carries no exchange rates, and
//! import VAT is not assessed because the member states' rates are not in the data (said
//! once per declaration). A fixed rate is given, as CDS has it, with the assessment
//! currency's code and converts the invoice currency (DE 4/10).

pub mod evaluate;
pub mod reconcile;
pub(crate) mod us;
pub mod value;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use self::evaluate::{EvalError, Evaluated, Inputs, Quantity, evaluate};
use self::value::{CustomsValue, Sharing, ValueError, customs_value, item_price};
use crate::check::Context;
use crate::codes;
use crate::date::Date;
use crate::decl::dms::GoodsItem;
use crate::finding::{Finding, Provenance};
use crate::report::{ItemReport, Money, Quantity as ReportQuantity, Report, TaxLine, Total};
use crate::rules::text;
use crate::tariff::expr::{
    Component, DutyExpr, Qualifier, Season, Term, Unit, UnitCode, parse_taric,
};
use crate::tariff::{Commodity, Jurisdiction, LookupError, Measure, RatesOn, Tariff};

/// How amounts are rounded, stated in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Each tax line rounded down to the penny (what HMRC's calculations show: 20% of
    /// 141.88 is charged as 28.37).
    DownToCent,
    /// Each tax line rounded half up to the cent.
    HalfUpToCent,
}

impl Rounding {
    fn apply(self, amount: Decimal) -> Decimal {
        let mut rounded = match self {
            Rounding::DownToCent => amount.round_dp_with_strategy(2, RoundingStrategy::ToZero),
            Rounding::HalfUpToCent => {
                amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            }
        };
        rounded.rescale(2);
        rounded
    }

    fn describe(self) -> &'static str {
        match self {
            Rounding::DownToCent => {
                "each tax line rounded down to the penny; totals are sums of rounded lines"
            }
            Rounding::HalfUpToCent => {
                "each tax line rounded half up to the cent; totals are sums of rounded lines"
            }
        }
    }
}

/// The assessment's conventions, printed in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentInfo {
    /// The currency of every computed amount.
    pub currency: &'static str,
    /// The rounding policy.
    pub rounding: &'static str,
    /// The valuation basis.
    pub valuation: &'static str,
}

/// A jurisdiction's conventions.
#[derive(Debug, Clone, Copy)]
struct Policy {
    currency: &'static str,
    rounding: Rounding,
    include_freight: bool,
    valuation: &'static str,
}

fn policy(jurisdiction: Jurisdiction) -> Policy {
    match jurisdiction {
        Jurisdiction::Uk => Policy {
            currency: "GBP",
            rounding: Rounding::DownToCent,
            include_freight: true,
            valuation: "CIF: price plus transport and insurance to the UK border (UCC Art. 71 as retained; Taxation (Cross-border Trade) Act 2018)",
        },
        Jurisdiction::Eu => Policy {
            currency: "EUR",
            rounding: Rounding::HalfUpToCent,
            include_freight: true,
            valuation: "CIF: price plus transport and insurance to the EU border (UCC Art. 71)",
        },
        Jurisdiction::Us => Policy {
            currency: "USD",
            rounding: Rounding::HalfUpToCent,
            include_freight: false,
            valuation: "transaction value without international freight and insurance (19 U.S.C. 1401a)",
        },
    }
}

/// What an item claims, as declared.
#[derive(Debug, Default)]
struct Claims<'a> {
    preference: Option<&'a str>,
    quota: Option<&'a str>,
    origin: Option<&'a str>,
    preferential_origin: Option<&'a str>,
    proof_of_origin: bool,
    taric_additional: Vec<&'a str>,
    national_additional: Vec<&'a str>,
    tax_types: Vec<&'a str>,
}

fn claims(item: &GoodsItem) -> Claims<'_> {
    let mut claims = Claims::default();
    if let Some(commodity) = &item.commodity {
        for fee in &commodity.duty_tax_fees {
            claims.preference = claims.preference.or_else(|| text(fee.duty_regime_code.as_ref()));
            claims.quota = claims.quota.or_else(|| text(fee.quota_order_id.as_ref()));
            if let Some(kind) = text(fee.type_code.as_ref()) {
                claims.tax_types.push(kind);
            }
        }
        for classification in &commodity.classifications {
            let (Some(kind), Some(id)) = (
                text(classification.identification_type_code.as_ref()),
                text(classification.id.as_ref()),
            ) else {
                continue;
            };
            match kind {
                "TRA" => claims.taric_additional.push(id),
                "GN" => claims.national_additional.push(id),
                _ => {}
            }
        }
    }
    for origin in &item.origins {
        match text(origin.type_code.as_ref()) {
            Some("2") => claims.preferential_origin = text(origin.country_code.as_ref()),
            _ => claims.origin = claims.origin.or_else(|| text(origin.country_code.as_ref())),
        }
    }
    claims.proof_of_origin = item.additional_documents.iter().any(|document| {
        let category = text(document.category_code.as_ref()).unwrap_or_default();
        let code = text!("{category}{}", text(document.type_code.as_ref()).unwrap_or_default());
        category == "U"
            || ["N954", "N864", "N865", "N866", "9001", "9002", "Y088"].contains(&code.as_str())
    });
    claims
}

/// The quantities an item declares: net and gross mass, supplementary units, and declared
/// tax base quantities.
fn quantities(
    item: &GoodsItem,
    supplementary_unit: Option<(UnitCode, Option<Qualifier>)>,
) -> Vec<Quantity> {
    let mut quantities = Vec::new();
    let Some(commodity) = &item.commodity else { return quantities };
    if let Some(measure) = &commodity.goods_measure {
        if let Some(net) = measure.net_net_weight_measure.as_ref().and_then(|mass| mass.value) {
            quantities.push(Quantity {
                amount: net,
                unit: UnitCode::Kgm,
                qualifier: None,
                source: "net mass",
            });
        }
        if let Some(gross) = measure.gross_mass_measure.as_ref().and_then(|mass| mass.value) {
            quantities.push(Quantity {
                amount: gross,
                unit: UnitCode::Kgm,
                qualifier: Some(Qualifier::Gross),
                source: "gross mass",
            });
        }
        if let Some(tariff_quantity) = &measure.tariff_quantity {
            let declared_unit = tariff_quantity.unit.as_deref().and_then(unit_of_code);
            if let (Some(amount), Some((unit, qualifier))) =
                (tariff_quantity.value, declared_unit.or(supplementary_unit))
            {
                quantities.push(Quantity {
                    amount,
                    unit,
                    qualifier,
                    source: "supplementary units",
                });
            }
        }
    }
    for fee in &commodity.duty_tax_fees {
        let Some(base) = &fee.specific_tax_base_quantity else { continue };
        if let (Some(amount), Some((unit, qualifier))) =
            (base.value, base.unit.as_deref().and_then(unit_of_code))
        {
            quantities.push(Quantity { amount, unit, qualifier, source: "declared tax base" });
        }
    }
    quantities
}

/// The unit codes declarations write, each with a rate per that unit in the grammar's terms.
const UNIT_SENTENCES: [(&str, &str); 16] = [
    ("KGM", "1 GBP / kg"),
    ("DTN", "1 GBP / 100 kg"),
    ("TNE", "1 GBP / tonne"),
    ("GRM", "1 GBP / g"),
    ("LTR", "1 GBP / l"),
    ("HLT", "1 GBP / hl"),
    ("KLT", "1 GBP / 1,000 l"),
    ("LPA", "1 GBP / l alc. 100%"),
    ("ASV", "1 GBP / % vol"),
    ("NAR", "1 GBP / p/st"),
    ("CEN", "1 GBP / 100 p/st"),
    ("MIL", "1 GBP / 1,000 p/st"),
    ("NPR", "1 GBP / pa"),
    ("MTR", "1 GBP / m"),
    ("MTK", "1 GBP / m2"),
    ("MTQ", "1 GBP / m3"),
];

/// A unit code as declarations write it (`KGM`, `KGM#G`, `LPA`, `HLT`) in the grammar's terms.
fn unit_of_code(code: &str) -> Option<(UnitCode, Option<Qualifier>)> {
    // The sentences are parsed once, not for every item that declares a quantity.
    static UNITS: OnceLock<Vec<(&str, Option<Unit>)>> = OnceLock::new();
    let units = UNITS.get_or_init(|| {
        UNIT_SENTENCES
            .iter()
            .map(|(code, sentence)| {
                let unit = parse_taric(sentence)
                    .ok()
                    .and_then(|expr| expr.required_units().first().copied());
                (*code, unit)
            })
            .collect()
    });
    let (base, qualifier) = code.split_once('#').unwrap_or((code, ""));
    let (_, unit) = units.iter().find(|(known, _)| *known == base)?;
    let unit = (*unit)?;
    let qualifier = qualifier.chars().next().and_then(Qualifier::from_code).or(unit.qualifier);
    Some((unit.code, qualifier))
}

/// The supplementary unit the tariff gives a commodity (its `109` measure), if any.
fn supplementary_unit(commodity: &Commodity) -> Option<(UnitCode, Option<Qualifier>)> {
    commodity.measures.iter().filter(|measure| measure.measure_type == "109").find_map(|measure| {
        match measure.parsed.as_ref()?.duty()? {
            DutyExpr::SupplementaryUnit(unit) => Some((unit.code, unit.qualifier)),
            _ => None,
        }
    })
}

/// The kind of a measure, for selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ThirdCountry,
    Preference,
    Quota,
    Suspension,
    Additional,
    AntiDumping { provisional: bool },
    Countervailing { provisional: bool },
    Excise,
    Vat,
    Other,
}

fn kind_of(measure: &Measure) -> Kind {
    match measure.measure_type.as_str() {
        "103" | "105" | "general" | "column-2" => Kind::ThirdCountry,
        "142" | "145" | "106" | "special" => Kind::Preference,
        "122" | "123" | "143" | "146" | "147" => Kind::Quota,
        "112" | "115" | "117" | "119" | "141" => Kind::Suspension,
        "695" | "696" => Kind::Additional,
        "551" => Kind::AntiDumping { provisional: true },
        "552" => Kind::AntiDumping { provisional: false },
        "553" => Kind::Countervailing { provisional: true },
        "554" => Kind::Countervailing { provisional: false },
        "306" => Kind::Excise,
        "305" | "VTA" | "VTE" | "VTS" | "VTZ" => Kind::Vat,
        _ => Kind::Other,
    }
}

/// The CDS tax type (DE 4/3) of a kind of duty, for the UK.
fn uk_tax_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Additional => "A20",
        Kind::AntiDumping { provisional: false } => "A30",
        Kind::AntiDumping { provisional: true } => "A35",
        Kind::Countervailing { provisional: false } => "A40",
        Kind::Countervailing { provisional: true } => "A45",
        Kind::Vat => "B00",
        _ => "A00",
    }
}

/// One line to compute: its tax type, the rate, and where the rate comes from.
#[derive(Debug, Clone)]
struct Planned {
    tax_type: String,
    expr: DutyExpr,
    rate_text: String,
    measure: String,
    legal_basis: String,
    provenance: Provenance,
}

/// `expr` with amounts written to at least two decimals (`2.0%` as `2.00%`), as TARIC and
/// the authority's notifications print them; the value is unchanged.
fn with_cents(expr: &DutyExpr) -> DutyExpr {
    fn components(components: &[Component]) -> Vec<Component> {
        components
            .iter()
            .map(|component| match &component.term {
                Term::Rate(rate)
                    if rate.amount.fraction.is_none() && rate.amount.value.scale() < 2 =>
                {
                    let mut rate = rate.clone();
                    rate.amount.value.rescale(2);
                    Component { op: component.op, term: Term::Rate(rate) }
                }
                _ => component.clone(),
            })
            .collect()
    }
    match expr {
        DutyExpr::Compound(parts) => DutyExpr::Compound(components(parts)),
        DutyExpr::Bounded { base, bound, limit } => DutyExpr::Bounded {
            base: Box::new(with_cents(base)),
            bound: *bound,
            limit: components(limit),
        },
        DutyExpr::Seasonal(seasons) => DutyExpr::Seasonal(
            seasons
                .iter()
                .map(|season| Season {
                    rate: with_cents(&season.rate),
                    periods: season.periods.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn planned(tax_type: &str, measure: &Measure, expr: &DutyExpr) -> Planned {
    let origin = if measure.origin.is_empty() || measure.origin == "1011" {
        String::new()
    } else {
        text!(" for {}", measure.origin_description.as_deref().unwrap_or(&measure.origin))
    };
    let additional = measure
        .additional_code
        .as_deref()
        .map(|code| text!(", additional code {code}"))
        .unwrap_or_default();
    let order =
        measure.order_number.as_deref().map(|order| text!(", quota {order}")).unwrap_or_default();
    Planned {
        tax_type: tax_type.to_owned(),
        rate_text: with_cents(expr).to_string(),
        expr: with_cents(expr),
        measure: text!(
            "{} {}{origin}{additional}{order}, defined on {}",
            measure.measure_type,
            measure.type_description,
            measure.defined_on
        ),
        legal_basis: measure.legal_basis.clone().unwrap_or_default(),
        provenance: Provenance {
            source: measure.source.clone(),
            id: measure.id.clone(),
            legal_basis: measure.legal_basis.clone(),
        },
    }
}

/// What an item's assessment found and computed.
struct ItemAssessment {
    lines: Vec<TaxLine>,
    value: Option<CustomsValue>,
    findings: Vec<Finding>,
}

/// Assesses every goods item of the declaration in `cx` into `report`.
pub fn assess(cx: &Context<'_>, report: &mut Report) {
    let Some(tariff) = cx.tariff else { return };
    // Exports and exit declarations owe no import duties.
    if crate::rules::type_code(cx).is_some_and(|kind| kind.starts_with("EX")) {
        return;
    }
    let Some(date) = cx.date else {
        report.findings.push(Finding::new(
            codes::DUTY_NOT_ASSESSED,
            "the declaration gives no date and none was supplied; duties are not assessed",
        ));
        return;
    };
    // Rates apply from the pack's first date; earlier declarations are assessed then (the
    // commodity-code rule has already said so).
    let date = tariff.rates_effective_from().filter(|from| date < *from).unwrap_or(date);
    let policy = policy(tariff.jurisdiction());
    // A fixed rate (DE 4/15) is given with the assessment currency's code and converts the
    // invoice currency (DE 4/10), as CDS reads it; one given with another code converts that
    // currency.
    let invoice_currency = cx
        .document
        .declaration
        .invoice_amount
        .as_ref()
        .and_then(|amount| amount.currency.as_deref());
    let declared_rates: Vec<(String, Decimal)> = cx
        .document
        .declaration
        .currency_exchanges
        .iter()
        .filter_map(|exchange| {
            let code = text(exchange.currency_type_code.as_ref())?;
            let currency = if code == policy.currency { invoice_currency? } else { code };
            Some((currency.to_owned(), exchange.rate_numeric.as_ref()?.value?))
        })
        .collect();
    let tariff_rates = RatesOn::new(tariff, date);
    let rates = |currency: &str| -> Option<Decimal> {
        declared_rates
            .iter()
            .find(|(code, _)| code == currency)
            .map(|(_, rate)| *rate)
            .or_else(|| tariff_rates.rate(currency))
            .filter(|rate| !rate.is_zero())
    };
    let items = crate::rules::items(cx);
    if let Some(indicator) = northern_ireland(cx, items) {
        report.findings.push(Finding::new(
            codes::DUTY_NOT_ASSESSED,
            text!("the goods move into Northern Ireland ({indicator}): the EU duty on goods at risk (A50, A70, A80, A90) and the VAT on it (B05) under the Windsor Framework are not assessed; the lines shown are the UK's"),
        ));
    }
    let total_price = items
        .iter()
        .filter_map(|item| item_price(item, policy.currency, &rates).ok())
        .try_fold(Decimal::ZERO, |sum, (price, _)| sum.checked_add(price));
    let sharing = Sharing { total_price };
    let Some(declaration) = report.declaration.as_mut() else { return };
    // A total too large to compute is left out and said so, never shown clamped.
    let mut totals: BTreeMap<String, Option<Decimal>> = BTreeMap::new();
    for (item, item_report) in items.iter().zip(declaration.items.iter_mut()) {
        let assessed = assess_item(cx, tariff, item, item_report, date, policy, &sharing, &rates);
        for line in &assessed.lines {
            let total = totals.entry(line.tax_type.clone()).or_insert(Some(Decimal::ZERO));
            *total = total.and_then(|total| total.checked_add(line.amount.amount));
        }
        if let Some(value) = assessed.value {
            if item_report.customs_value.is_none() {
                item_report.customs_value = Some(Money {
                    amount: value.amount,
                    currency: Some(policy.currency.to_owned()),
                });
            }
            item_report.valuation = Some(value.explanation);
        }
        item_report.tax_lines = assessed.lines;
        report.findings.extend(assessed.findings);
    }
    let mut kept = Vec::new();
    for (tax_type, amount) in totals {
        match amount {
            Some(amount) => kept.push(Total {
                tax_type,
                amount: Money { amount, currency: Some(policy.currency.to_owned()) },
            }),
            None => report.findings.push(Finding::new(
                codes::DUTY_OVERFLOW,
                text!("the total of {tax_type} is too large to compute exactly; it is not shown"),
            )),
        }
    }
    report.totals = kept;
    if let Some(gap) = not_assessed(tariff.jurisdiction()) {
        report.findings.push(Finding::new(codes::DUTY_NOT_ASSESSED, gap));
    }
    report.assessment = Some(AssessmentInfo {
        currency: policy.currency,
        rounding: policy.rounding.describe(),
        valuation: policy.valuation,
    });
}

/// What a jurisdiction's assessment leaves out, said once per declaration.
fn not_assessed(jurisdiction: Jurisdiction) -> Option<&'static str> {
    match jurisdiction {
        Jurisdiction::Uk => None,
        Jurisdiction::Eu => Some(
            "import VAT is not assessed: the member states' VAT rates are not in the loaded data (the EU pack holds the common external tariff's third-country duties)",
        ),
        Jurisdiction::Us => Some(
            "the merchandise processing fee (19 CFR 24.23) and the harbor maintenance fee (19 CFR 24.24) are not assessed: their yearly bounds, the mode and the port are not in the loaded data",
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn assess_item(
    cx: &Context<'_>,
    tariff: &Tariff,
    item: &GoodsItem,
    item_report: &ItemReport,
    date: Date,
    policy: Policy,
    sharing: &Sharing,
    rates: &dyn Fn(&str) -> Option<Decimal>,
) -> ItemAssessment {
    let mut assessment = ItemAssessment { lines: Vec::new(), value: None, findings: Vec::new() };
    let node = item.sequence_numeric.as_ref().map_or(item.node, |sequence| sequence.node);
    let at = |finding: Finding| finding.at_opt(cx.locate(item.node));
    let Some(code) = item_report.commodity_code.as_deref() else { return assessment };
    let (note, assessed) = procedure_note(item_report.procedure.as_deref());
    if let Some(note) = note {
        assessment.findings.push(at(note));
    }
    if !assessed {
        return assessment;
    }
    let claims = claims(item);
    let value =
        match customs_value(cx, item, sharing, policy.currency, policy.include_freight, rates) {
            Ok(value) => value,
            Err(error) => {
                assessment.findings.push(at(value_error_finding(&error, date, tariff)));
                return assessment;
            }
        };
    let claimed_preferential =
        claims.preference.is_some_and(|code| code.starts_with('2') || code.starts_with('3'));
    // The US planner picks the column itself from every measure of the line.
    let measure_origin = if tariff.jurisdiction() == Jurisdiction::Us {
        None
    } else if claimed_preferential {
        claims.preferential_origin.or(claims.origin)
    } else {
        claims.origin
    };
    let commodity = match item_commodity(tariff, code, date, measure_origin) {
        Ok(commodity) => commodity,
        Err(error) => {
            // The commodity-code rule reports the code; say only that nothing was assessed.
            assessment.findings.push(at(Finding::new(
                codes::DUTY_NOT_ASSESSED,
                text!("duties are not assessed: {error}"),
            )));
            assessment.value = Some(value);
            return assessment;
        }
    };
    let supplementary = supplementary_unit(&commodity)
        .or_else(|| tariff.supplementary_unit(&commodity.code).and_then(unit_of_code));
    let quantities = quantities(item, supplementary);
    let inputs = Inputs {
        value: value.amount,
        currency: policy.currency,
        quantities: &quantities,
        date,
        rates,
    };
    let plan = if tariff.jurisdiction() == Jurisdiction::Us {
        let duties =
            us::plan(cx, tariff, &commodity, &claims, item, date, &mut assessment.findings);
        Plan { duties, vat: None }
    } else {
        plan_lines(
            tariff.jurisdiction(),
            &commodity,
            &claims,
            claimed_preferential,
            item,
            &mut assessment.findings,
            cx,
        )
    };
    // `None` once the sum is too large to compute exactly.
    let mut duties = Some(Decimal::ZERO);
    for planned in plan.duties {
        if let Some(line) =
            compute(planned, &inputs, &value, policy, &mut assessment.findings, cx, node)
        {
            duties = duties.and_then(|duties| duties.checked_add(line.amount.amount));
            assessment.lines.push(line);
        }
    }
    for excise in
        excise_lines(tariff, &claims, item, &quantities, date, &mut assessment.findings, cx, node)
    {
        duties = duties.and_then(|duties| duties.checked_add(excise.amount.amount));
        assessment.lines.push(excise);
    }
    let vat_base = plan
        .vat
        .as_ref()
        .and_then(|_| vat_base(value.amount, duties, &mut assessment.findings, cx, node));
    if let (Some(vat), Some(base)) = (plan.vat, vat_base) {
        let vat_value = CustomsValue { amount: base, explanation: String::new() };
        let vat_inputs = Inputs { value: base, ..inputs.clone() };
        if let Some(line) =
            compute(vat, &vat_inputs, &vat_value, policy, &mut assessment.findings, cx, node)
        {
            assessment.lines.push(line);
        }
    }
    assessment.value = Some(value);
    compare_declared(cx, item, &assessment.lines, &mut assessment.findings);
    assessment
}

/// The VAT base: the customs value plus every duty and excise line (`duties`, `None` when
/// their sum overflowed). A base too large to compute exactly is a finding, and VAT is not
/// computed.
fn vat_base(
    value: Decimal,
    duties: Option<Decimal>,
    findings: &mut Vec<Finding>,
    cx: &Context<'_>,
    node: crate::source::NodeId,
) -> Option<Decimal> {
    let base = duties.and_then(|duties| value.checked_add(duties));
    if base.is_none() {
        findings.push(
            Finding::new(
                codes::DUTY_OVERFLOW,
                "the VAT base (customs value plus duties) is too large to compute exactly; VAT is not computed",
            )
            .at_opt(cx.locate(node)),
        );
    }
    base
}

/// `amount` written with at least two decimals (`28.5` as `28.50`).
fn cents(amount: Decimal) -> Decimal {
    let mut amount = amount;
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount
}

/// What marks a declaration as bringing goods into Northern Ireland: a statement of the `NI`
/// family (DE 2/2: `NIIMP`, `NIDOM`, `NIREM`, `NIQUO`) or an importer with an `XI` EORI.
fn northern_ireland(cx: &Context<'_>, items: &[GoodsItem]) -> Option<String> {
    let declaration = &cx.document.declaration;
    let statements = declaration
        .additional_information
        .iter()
        .chain(items.iter().flat_map(|item| item.additional_information.iter()));
    for statement in statements {
        if let Some(code) =
            text(statement.statement_code.as_ref()).filter(|code| code.starts_with("NI"))
        {
            return Some(text!("statement {code}"));
        }
    }
    let importer = declaration.goods_shipment.as_ref()?.importer.as_ref()?;
    text(importer.id.as_ref()).filter(|id| id.starts_with("XI")).map(|id| text!("importer {id}"))
}

/// Whether requested procedure `code` (DE 1/10, first two digits) charges import duties:
/// release for free circulation (4x) and re-import (6x). Others export the goods or suspend
/// the duties.
fn releases_for_free_circulation(code: &str) -> bool {
    matches!(code, "40" | "42" | "43" | "44" | "45" | "46" | "48" | "49" | "61" | "63" | "68")
}

/// What the requested procedure (DE 1/10) means for the assessment: a note to make, and
/// whether to assess. Duties are charged on release for free circulation (4x) and on
/// re-import (6x), calculated and suspended under inward processing and temporary admission;
/// other procedures export the goods or suspend the duties without a calculation.
fn procedure_note(procedure: Option<&str>) -> (Option<Finding>, bool) {
    match procedure.and_then(|procedure| procedure.get(..2)) {
        Some(requested) if suspends_duties(requested) => (
            Some(Finding::new(
                codes::DUTY_NOT_ASSESSED,
                text!(
                    "requested procedure {requested} suspends the duties: the lines show what the guarantee secures, not what is payable"
                ),
            )),
            true,
        ),
        Some(requested) if !releases_for_free_circulation(requested) => (
            Some(Finding::new(
                codes::DUTY_NOT_ASSESSED,
                text!(
                    "requested procedure {requested} does not release the goods for free circulation; no duties are assessed for the item"
                ),
            )),
            false,
        ),
        _ => (None, true),
    }
}

/// Whether requested procedure `code` places the goods under inward processing (51) or
/// temporary admission (53, 54): the duties are calculated, then suspended against a
/// guarantee.
fn suspends_duties(code: &str) -> bool {
    matches!(code, "51" | "53" | "54")
}

fn value_error_finding(error: &ValueError, date: Date, tariff: &Tariff) -> Finding {
    match error {
        ValueError::Missing => Finding::new(
            codes::DUTY_NO_VALUE,
            "the item has neither a customs value (DE 4/18) nor a price (DE 4/14); duties are not assessed",
        ),
        ValueError::Overflow => Finding::new(
            codes::DUTY_OVERFLOW,
            "the item's customs value is too large to compute exactly; duties are not assessed",
        ),
        ValueError::NoRate(currency) if !tariff.has_exchange_rates() => Finding::new(
            codes::DUTY_NO_EXCHANGE_RATE,
            text!(
                "no exchange rate for {currency}: the declaration fixes none (DE 4/15) and the {} tariff carries no exchange rates; duties are not assessed",
                tariff.jurisdiction().as_str().to_ascii_uppercase()
            ),
        )
        .with_help(text!(
            "declare the rate in DE 4/15: CurrencyExchange with CurrencyTypeCode {} and RateNumeric in units of the invoice currency per {}",
            policy(tariff.jurisdiction()).currency,
            policy(tariff.jurisdiction()).currency
        )),
        ValueError::NoRate(currency) => Finding::new(
            codes::DUTY_NO_EXCHANGE_RATE,
            text!(
                "no exchange rate for {currency} in {}-{:02}; duties are not assessed",
                date.year(),
                date.month()
            ),
        )
        .with_help("declare the rate (DE 4/15, CurrencyExchange), or load a tariff whose exchange rates cover the month"),
    }
}

/// The commodity an item is assessed under. A national subdivision missing from the loaded
/// nomenclature is assessed on its CN line, as the commodity-code rule has already said.
fn item_commodity(
    tariff: &Tariff,
    code: &str,
    date: Date,
    origin: Option<&str>,
) -> Result<Arc<Commodity>, LookupError> {
    tariff.commodity_shared(code, date, origin).or_else(|error| match (&error, code.get(..8)) {
        (LookupError::NotFound(_), Some(cn)) if code.len() == 10 => {
            tariff.commodity_shared(&text!("{cn}00"), date, origin).map_err(|_| error)
        }
        _ => Err(error),
    })
}

/// Where the declarant declared the tax assessed (DE 4/6) for a tax type the assessment
/// computed, a finding for each difference, at the declared amount.
fn compare_declared(
    cx: &Context<'_>,
    item: &GoodsItem,
    lines: &[TaxLine],
    findings: &mut Vec<Finding>,
) {
    let Some(commodity) = &item.commodity else { return };
    let mut declared: Vec<(&str, Option<Decimal>, crate::source::NodeId)> = Vec::new();
    for fee in &commodity.duty_tax_fees {
        let (Some(kind), Some(amount)) = (
            text(fee.type_code.as_ref()),
            fee.payment.as_ref().and_then(|payment| payment.tax_assessed_amount.as_ref()),
        ) else {
            continue;
        };
        let Some(value) = amount.value else { continue };
        match declared.iter_mut().find(|(other, _, _)| *other == kind) {
            Some(entry) => entry.1 = entry.1.and_then(|sum| sum.checked_add(value)),
            None => declared.push((kind, Some(value), amount.node)),
        }
    }
    for (kind, amount, node) in declared {
        let computed: Vec<&TaxLine> = lines.iter().filter(|line| line.tax_type == kind).collect();
        if computed.is_empty() {
            continue;
        }
        let total = computed
            .iter()
            .try_fold(Decimal::ZERO, |sum, line| sum.checked_add(line.amount.amount));
        let (Some(amount), Some(total)) = (amount, total) else {
            findings.push(
                Finding::new(
                    codes::DUTY_OVERFLOW,
                    text!("{kind}: the declared or the computed amount is too large to compute exactly; they are not compared"),
                )
                .at_opt(cx.locate(node)),
            );
            continue;
        };
        if total != amount {
            let formulas: Vec<&str> = computed.iter().map(|line| line.formula.as_str()).collect();
            findings.push(
                Finding::new(
                    codes::DUTY_DECLARED_DIFFERS,
                    text!("{kind}: {amount} declared, {total} computed ({})", formulas.join("; ")),
                )
                .at_opt(cx.locate(node))
                .with_help("check the rate, the base and the quantities of the line against the tariff; the computed line shows its formula"),
            );
        }
    }
}

/// The lines an item's measures call for: customs duties (one applicable duty plus
/// additional duties) and VAT.
struct Plan {
    duties: Vec<Planned>,
    vat: Option<Planned>,
}

fn parsed_duty(measure: &Measure) -> Option<&DutyExpr> {
    measure.parsed.as_ref()?.duty()
}

#[allow(clippy::too_many_lines)]
fn plan_lines(
    jurisdiction: Jurisdiction,
    commodity: &Commodity,
    claims: &Claims<'_>,
    claimed_preferential: bool,
    item: &GoodsItem,
    findings: &mut Vec<Finding>,
    cx: &Context<'_>,
) -> Plan {
    let mut duties = Vec::new();
    let at = |finding: Finding| finding.at_opt(cx.locate(item.node));
    let of_kind =
        |kind: Kind| commodity.measures.iter().filter(move |measure| kind_of(measure) == kind);
    let duty_type = match jurisdiction {
        Jurisdiction::Uk | Jurisdiction::Eu => "A00",
        Jurisdiction::Us => "DUTY",
    };
    // The applicable customs duty: quota, else preference, else suspension, else third country.
    let mut chosen: Option<Planned> = None;
    if let Some(order) = claims.quota {
        let quota_measure =
            of_kind(Kind::Quota).find(|measure| measure.order_number.as_deref() == Some(order));
        if let Some(measure) =
            quota_measure.and_then(|measure| Some((measure, parsed_duty(measure)?)))
        {
            chosen = Some(planned(duty_type, measure.0, measure.1));
        } else if let Some((sentence, origin)) =
            cx.tariff.and_then(|tariff| tariff.quota_rate(order, &commodity.code))
        {
            if let Ok(expr) = parse_taric(&sentence) {
                chosen = Some(Planned {
                    tax_type: duty_type.to_owned(),
                    rate_text: with_cents(&expr).to_string(),
                    expr: with_cents(&expr),
                    measure: text!("tariff quota {order} (in-quota rate, {origin})"),
                    legal_basis: "Customs (Tariff Quotas) (EU Exit) Regulations 2020 and the trade agreements they implement".to_owned(),
                    provenance: Provenance { source: "quotas.tsv".to_owned(), id: order.to_owned(), legal_basis: None },
                });
            }
        } else {
            findings.push(at(Finding::new(
                codes::DUTY_QUOTA_UNKNOWN,
                text!("quota {order} is not in the loaded tariff for {}; the rate without the quota is applied", commodity.code),
            )));
        }
    }
    if chosen.is_none() && claimed_preferential {
        let preference = claims.preference.unwrap_or_default();
        let reason = if claims.preferential_origin.is_none() {
            Some("no preferential origin (DE 5/16) is declared".to_owned())
        } else if !claims.proof_of_origin {
            Some("no proof of origin is declared in DE 2/3".to_owned())
        } else {
            None
        };
        if let Some(reason) = reason {
            findings.push(at(Finding::new(
                codes::DUTY_PREFERENCE_REFUSED,
                text!(
                    "preference {preference} is refused: {reason}; the third-country duty applies"
                ),
            )));
        } else {
            let measure = of_kind(Kind::Preference)
                .find_map(|measure| Some((measure, parsed_duty(measure)?)));
            match measure {
                Some((measure, expr)) => chosen = Some(planned(duty_type, measure, expr)),
                None => findings.push(at(Finding::new(
                    codes::DUTY_PREFERENCE_RATE_UNKNOWN,
                    text!(
                        "the loaded tariff holds no preferential rate for {} on {}; the third-country duty is shown",
                        claims.preferential_origin.unwrap_or("the origin"),
                        commodity.code
                    ),
                )
                .with_help("the preferential rates of most agreements are not in the loaded data; check the agreement's schedule"))),
            }
        }
    }
    if chosen.is_none()
        && claims.preference.is_some_and(|code| matches!(code, "115" | "119" | "140"))
    {
        chosen = of_kind(Kind::Suspension)
            .find_map(|measure| Some(planned(duty_type, measure, parsed_duty(measure)?)));
        if chosen.is_none() {
            findings.push(at(Finding::new(
                codes::DUTY_PREFERENCE_RATE_UNKNOWN,
                text!(
                    "preference {} claims a suspension or end-use relief, but the loaded tariff holds no suspension for {}; the third-country duty is shown",
                    claims.preference.unwrap_or_default(),
                    commodity.code
                ),
            )
            .with_help("the UK's suspensions are not in the loaded data; check the suspension list in force on the date")));
        }
    }
    if chosen.is_none() {
        chosen = of_kind(Kind::ThirdCountry)
            .find_map(|measure| Some(planned(duty_type, measure, parsed_duty(measure)?)));
    }
    match chosen {
        Some(planned) => duties.push(planned),
        None => findings.push(at(Finding::new(
            codes::DUTY_NO_MEASURE,
            text!("the loaded tariff has no customs duty measure for {}", commodity.code),
        ))),
    }
    for measure in &commodity.measures {
        let kind = kind_of(measure);
        let applies = match kind {
            // A claimed quota excludes the safeguard duty (its quota is the relief).
            Kind::Additional => measure.measure_type != "696" || claims.quota.is_none(),
            Kind::AntiDumping { .. } | Kind::Countervailing { .. } => measure
                .additional_code
                .as_deref()
                .is_none_or(|code| claims.taric_additional.contains(&code)),
            _ => false,
        };
        if applies && let Some(expr) = parsed_duty(measure) {
            duties.push(planned(uk_tax_type(kind), measure, expr));
        }
    }
    let vat = (jurisdiction == Jurisdiction::Uk).then(|| vat_line(cx, commodity, claims)).flatten();
    Plan { duties, vat }
}

/// VAT: the rate a national additional code selects (`VATZ`, `VATR`, `VATE`), else the
/// commodity's VAT measure, else the standard rate.
fn vat_line(cx: &Context<'_>, commodity: &Commodity, claims: &Claims<'_>) -> Option<Planned> {
    let tariff = cx.tariff?;
    let rule = claims
        .national_additional
        .iter()
        .find_map(|code| tariff.vat_rule(Some(code)))
        .or_else(|| tariff.vat_rule(None))?;
    let measure = commodity.measures.iter().find(|measure| kind_of(measure) == Kind::Vat);
    let expr = rule.expression.as_ref()?;
    let code = if rule.additional_code.is_empty() {
        String::new()
    } else {
        text!(" (additional code {})", rule.additional_code)
    };
    Some(Planned {
        tax_type: "B00".to_owned(),
        rate_text: with_cents(expr).to_string(),
        expr: with_cents(expr),
        measure: text!("VAT: {}{code}", rule.description),
        legal_basis: rule.legal_basis.clone(),
        provenance: Provenance {
            source: measure.map_or_else(|| "vat.tsv".to_owned(), |measure| measure.source.clone()),
            id: rule.additional_code.clone(),
            legal_basis: Some(rule.legal_basis.clone()),
        },
    })
}

/// Alcohol duty by the tax type the item declares (DE 4/3, 311-380): the rate per litre of
/// pure alcohol for the period, on the litres of pure alcohol the item declares (DE 4/5
/// `LPA`), or its litres at the declared strength (`EAS` wine easement, else `ASV`).
#[allow(clippy::too_many_arguments)]
fn excise_lines(
    tariff: &Tariff,
    claims: &Claims<'_>,
    item: &GoodsItem,
    quantities: &[Quantity],
    date: Date,
    findings: &mut Vec<Finding>,
    cx: &Context<'_>,
    node: crate::source::NodeId,
) -> Vec<TaxLine> {
    let mut lines = Vec::new();
    let at = |finding: Finding| finding.at_opt(cx.locate(node));
    let mut excise_types: Vec<&str> = claims
        .tax_types
        .iter()
        .copied()
        .filter(|kind| kind.len() == 3 && kind.bytes().all(|byte| byte.is_ascii_digit()))
        .collect();
    // CDS declares one tax type in several `DutyTaxFee`s (one per quantity): charge it once.
    excise_types.dedup();
    for code in &claims.national_additional {
        if let Some(kind) = code
            .strip_prefix('X')
            .filter(|kind| kind.len() == 3 && kind.bytes().all(|byte| byte.is_ascii_digit()))
            && !excise_types.contains(&kind)
        {
            excise_types.push(kind);
        }
    }
    for kind in excise_types {
        let Some(band) = tariff.alcohol_duty(kind, date) else {
            findings.push(at(Finding::new(
                codes::DUTY_EXCISE_RATE_MISSING,
                text!("excise tax type {kind}: its rate is not in the loaded tariff (it holds alcohol duty only); the excise is not computed"),
            )));
            continue;
        };
        let Some(rate) = band.rate else {
            findings.push(at(Finding::new(codes::DUTY_NOT_COMPUTABLE, text!("alcohol duty {kind} ({}) is calculated per producer (small producer relief); not computed", band.description))));
            continue;
        };
        let declared = |code: &str| {
            item.commodity.iter().flat_map(|commodity| commodity.duty_tax_fees.iter()).find_map(
                |fee| {
                    let base = fee.specific_tax_base_quantity.as_ref()?;
                    (base.unit.as_deref() == Some(code)).then_some(base.value).flatten()
                },
            )
        };
        // The litres: declared as a tax base (LTR, or HLT in hectolitres), else the
        // supplementary units when they are litres.
        let litres = declared("LTR")
            .or_else(|| {
                declared("HLT")
                    .and_then(|hectolitres| hectolitres.checked_mul(Decimal::ONE_HUNDRED))
            })
            .or_else(|| {
                quantities
                    .iter()
                    .find(|quantity| {
                        quantity.unit == UnitCode::Ltr && quantity.source == "supplementary units"
                    })
                    .map(|quantity| quantity.amount)
            });
        let pure = |litres: Decimal, strength: Decimal| {
            litres
                .checked_mul(strength)
                .and_then(|product| product.checked_div(Decimal::ONE_HUNDRED))
        };
        let (lpa, how) = match (declared("EAS"), declared("ASV"), litres, declared("LPA")) {
            (Some(strength), _, Some(litres), _) => {
                (pure(litres, strength), text!("{litres} l × {strength}% (wine strength easement)"))
            }
            (_, _, _, Some(lpa)) => (Some(lpa), text!("{lpa} l of pure alcohol declared")),
            (_, Some(strength), Some(litres), _) => {
                (pure(litres, strength), text!("{litres} l × {strength}% vol"))
            }
            _ => {
                findings.push(at(Finding::new(
                    codes::DUTY_MISSING_QUANTITY,
                    text!("alcohol duty {kind} is charged per litre of pure alcohol, which the item does not give"),
                )
                .with_help("declare the litres of pure alcohol (tax base quantity, unitCode LPA), or the litres and the strength (ASV)")));
                continue;
            }
        };
        let Some((lpa, exact)) = lpa.and_then(|lpa| Some((lpa, rate.checked_mul(lpa)?))) else {
            findings.push(at(Finding::new(
                codes::DUTY_OVERFLOW,
                text!("alcohol duty {kind} is not computed: the amount is too large to compute exactly ({how})"),
            )));
            continue;
        };
        let amount = Rounding::DownToCent.apply(exact);
        lines.push(TaxLine {
            tax_type: kind.to_owned(),
            base: None,
            base_quantity: Some(ReportQuantity {
                quantity: lpa.normalize(),
                unit: Some("LPA".to_owned()),
            }),
            rate: text!("{} GBP / l alc. 100%", cents(rate)),
            amount: Money { amount, currency: Some("GBP".to_owned()) },
            formula: text!("{} GBP × {} LPA ({how})", cents(rate), lpa.normalize()),
            measure: text!("alcohol duty {kind}: {}", band.description),
            legal_basis: "Finance (No. 2) Act 2023, Part 2 (alcohol duty)".to_owned(),
        });
    }
    lines
}

fn compute(
    planned: Planned,
    inputs: &Inputs<'_>,
    value: &CustomsValue,
    policy: Policy,
    findings: &mut Vec<Finding>,
    cx: &Context<'_>,
    node: crate::source::NodeId,
) -> Option<TaxLine> {
    match evaluate(&planned.expr, inputs) {
        Ok(Evaluated { amount, formula, quantity }) => {
            let rounded = policy.rounding.apply(amount);
            let ad_valorem = quantity.is_none();
            Some(TaxLine {
                tax_type: planned.tax_type,
                base: ad_valorem.then(|| Money {
                    amount: value.amount,
                    currency: Some(policy.currency.to_owned()),
                }),
                base_quantity: quantity
                    .map(|(quantity, unit)| ReportQuantity { quantity, unit: Some(unit) }),
                rate: planned.rate_text,
                amount: Money { amount: rounded, currency: Some(policy.currency.to_owned()) },
                formula,
                measure: planned.measure,
                legal_basis: planned.legal_basis,
            })
        }
        Err(error) => {
            let code = match error {
                EvalError::MissingQuantity { .. } => codes::DUTY_MISSING_QUANTITY,
                EvalError::MissingRate(_) => codes::DUTY_NO_EXCHANGE_RATE,
                EvalError::Overflow => codes::DUTY_OVERFLOW,
                _ => codes::DUTY_NOT_COMPUTABLE,
            };
            findings.push(
                Finding::new(
                    code,
                    text!("{} `{}` is not computed: {error}", planned.tax_type, planned.rate_text),
                )
                .at_opt(cx.locate(node))
                .with_provenance(planned.provenance),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_unit_code_reads_as_its_unit() {
        let expected = [
            ("KGM", UnitCode::Kgm),
            ("DTN", UnitCode::Dtn),
            ("TNE", UnitCode::Tne),
            ("HLT", UnitCode::Hlt),
        ];
        for (code, unit) in expected {
            assert_eq!(unit_of_code(code).map(|(code, _)| code), Some(unit), "{code}");
        }
        // Every sentence parses to a unit: a slip in the table would read as no unit.
        for (code, _) in UNIT_SENTENCES {
            assert!(unit_of_code(code).is_some(), "{code}");
        }
        assert_eq!(unit_of_code("KGM#G"), Some((UnitCode::Kgm, Qualifier::from_code('G'))));
        assert_eq!(
            unit_of_code("LPA").map(|(code, _)| code),
            unit_of_code("LPA#").map(|(code, _)| code)
        );
        assert_eq!(unit_of_code("XYZ"), None);
        assert_eq!(unit_of_code(""), None);
    }
}
