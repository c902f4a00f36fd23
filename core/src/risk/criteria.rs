//! Risk criteria: rules with weights and reasons, lane thresholds, the minimum random
//! selection per lane and its seed, read from a jurisdiction's `risk/criteria.toml`.
//!
//! Every rule may be narrowed to commodity-code prefixes (`commodity = [...]`) and origin
//! countries (`origin = [...]`); its `kind` says what else it tests. Weights, thresholds and
//! rates are exact decimals. A rule that cannot be evaluated for lack of data (no value, no
//! computed duty yet) does not hit: criteria only ever add points for what is known.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::facts::{DeclarationFacts, ItemFacts};
use super::toml::{self, SyntaxError, Table, Value};
use crate::report::Money;

/// A selectivity lane, from the lightest control to the heaviest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LaneKind {
    /// Release.
    Green,
    /// Post-clearance audit.
    Blue,
    /// Documentary check.
    Yellow,
    /// Physical examination.
    Red,
}

impl LaneKind {
    /// The name the report uses.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LaneKind::Green => "green",
            LaneKind::Blue => "blue",
            LaneKind::Yellow => "yellow",
            LaneKind::Red => "red",
        }
    }

    /// What the lane means for the goods.
    #[must_use]
    pub fn control(self) -> &'static str {
        match self {
            LaneKind::Green => "release",
            LaneKind::Blue => "post-clearance audit",
            LaneKind::Yellow => "documentary check",
            LaneKind::Red => "physical examination",
        }
    }
}

/// A value for each lane above green.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerLane {
    /// For red.
    pub red: Decimal,
    /// For yellow.
    pub yellow: Decimal,
    /// For blue.
    pub blue: Decimal,
}

impl PerLane {
    /// The lanes above green with their values, heaviest first.
    #[must_use]
    pub fn lanes(&self) -> [(LaneKind, Decimal); 3] {
        [(LaneKind::Red, self.red), (LaneKind::Yellow, self.yellow), (LaneKind::Blue, self.blue)]
    }
}

/// What a rule tests, besides its commodity and origin scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// Nothing more: the scope is the risk (`kind = "commodity"` or `"origin"`).
    Scope,
    /// The country of dispatch differs from the country of origin.
    DispatchDiffers,
    /// The procedure code starts with one of these.
    Procedure(Vec<String>),
    /// The mode of transport at the border is one of these.
    TransportMode(Vec<String>),
    /// The value per kilogram lies outside a reference band.
    UnitValue {
        /// The lowest plausible value per kg.
        min: Option<Decimal>,
        /// The highest plausible value per kg.
        max: Option<Decimal>,
        /// The currency of the band.
        currency: String,
    },
    /// Net mass above gross mass, or supplementary units in kilograms that differ from the
    /// net mass by more than `tolerance` (a share of the net mass).
    MassMismatch {
        /// The share of the net mass allowed between the two.
        tolerance: Decimal,
    },
    /// The trader's EORI is not in the list of known traders.
    NewTrader(Vec<String>),
    /// The customs duty declared differs from the one computed by more than `tolerance`.
    DutyMismatch {
        /// The difference allowed, in the declaration's currency.
        tolerance: Decimal,
    },
    /// The item carries a restriction flag with one of these statuses.
    Restriction(Vec<String>),
}

/// One criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Its identifier, shown in reasons.
    pub id: String,
    /// Points added to the score when it hits.
    pub weight: Decimal,
    /// Why it matters, shown in reasons.
    pub reason: String,
    /// Commodity-code prefixes it is limited to (none: every commodity).
    pub commodities: Vec<String>,
    /// Origin countries it is limited to (none: every origin).
    pub origins: Vec<String>,
    /// What it tests.
    pub test: Test,
}

/// A rule that hit an item, with what made it hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The rule's identifier.
    pub rule: String,
    /// Its points.
    pub weight: Decimal,
    /// The rule's reason followed by the facts that matched.
    pub reason: String,
}

/// The criteria of a jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criteria {
    /// The seed of the random selection.
    pub seed: u64,
    /// The score at or above which each lane is selected.
    pub thresholds: PerLane,
    /// The minimum share of declarations drawn at random into each lane.
    pub random: PerLane,
    /// Points for a learned fraud likelihood of 1 (the model adds `weight × likelihood`).
    pub model_weight: Decimal,
    /// The rules, in file order.
    pub rules: Vec<Rule>,
}

/// Converts an amount into another currency: `(amount, from, to)`; `None` when no rate.
pub type Converter<'a> = dyn Fn(Decimal, &str, &str) -> Option<Decimal> + 'a;

impl Criteria {
    /// Reads a criteria file.
    pub fn parse(text: &str) -> Result<Criteria, SyntaxError> {
        let document = toml::parse(text)?;
        let root = &document.root;
        check_keys(root, &["seed"])?;
        let seed = match root.get("seed") {
            Some(value) => {
                let number = number(root, "seed", value)?;
                u64::try_from(number).map_err(|_| at(root, "seed", "must be a whole number"))?
            }
            None => 0,
        };
        let empty = Table::default();
        let lanes = document.table("lanes").unwrap_or(&empty);
        check_keys(lanes, &["red", "yellow", "blue"])?;
        let thresholds = PerLane {
            red: required_number(lanes, "red")?,
            yellow: required_number(lanes, "yellow")?,
            blue: required_number(lanes, "blue")?,
        };
        if thresholds.red < thresholds.yellow || thresholds.yellow < thresholds.blue {
            return Err(at(lanes, "red", "thresholds must not decrease from red to blue"));
        }
        let random_table = document.table("random").unwrap_or(&empty);
        check_keys(random_table, &["red", "yellow", "blue"])?;
        let rate = |key: &str| optional_number(random_table, key).map(Option::unwrap_or_default);
        let random = PerLane { red: rate("red")?, yellow: rate("yellow")?, blue: rate("blue")? };
        let total = random.red.saturating_add(random.yellow).saturating_add(random.blue);
        if random.lanes().iter().any(|(_, rate)| rate.is_sign_negative()) || total > Decimal::ONE {
            return Err(at(random_table, "red", "rates must be shares between 0 and 1"));
        }
        let model = document.table("model").unwrap_or(&empty);
        check_keys(model, &["weight"])?;
        let model_weight = optional_number(model, "weight")?.unwrap_or_default();
        let rules = document.array("rule").map(rule).collect::<Result<Vec<_>, _>>()?;
        let mut seen = std::collections::BTreeSet::new();
        for (table, rule) in document.array("rule").zip(&rules) {
            if !seen.insert(rule.id.as_str()) {
                return Err(at(table, "id", &text!("rule `{}` defined twice", rule.id)));
            }
        }
        Ok(Criteria { seed, thresholds, random, model_weight, rules })
    }

    /// The lane a score selects.
    #[must_use]
    pub fn lane_for(&self, score: Decimal) -> LaneKind {
        self.thresholds
            .lanes()
            .into_iter()
            .find(|(_, threshold)| score >= *threshold)
            .map_or(LaneKind::Green, |(lane, _)| lane)
    }

    /// The lane a random draw in `[0, 1)` selects at least, with the share of draws that
    /// select it (`[from, to)`: red's share first, then yellow's, then blue's).
    #[must_use]
    pub fn random_lane(&self, draw: Decimal) -> Option<(LaneKind, Decimal, Decimal)> {
        let mut from = Decimal::ZERO;
        for (lane, rate) in self.random.lanes() {
            let to = from.saturating_add(rate);
            if draw < to {
                return Some((lane, from, to));
            }
            from = to;
        }
        None
    }

    /// The rules that hit `item` of `declaration`.
    #[must_use]
    pub fn hits(
        &self,
        declaration: &DeclarationFacts,
        item: &ItemFacts,
        convert: &Converter<'_>,
    ) -> Vec<Hit> {
        self.rules
            .iter()
            .filter_map(|rule| {
                let detail = rule.test(declaration, item, convert)?;
                Some(Hit {
                    rule: rule.id.clone(),
                    weight: rule.weight,
                    reason: text!("{} ({detail})", rule.reason),
                })
            })
            .collect()
    }
}

impl Rule {
    fn in_scope(&self, item: &ItemFacts) -> bool {
        let commodity_ok = self.commodities.is_empty()
            || item.commodity.as_deref().is_some_and(|code| {
                self.commodities.iter().any(|prefix| code.starts_with(prefix.as_str()))
            });
        let origin_ok = self.origins.is_empty()
            || item
                .origin
                .as_deref()
                .is_some_and(|origin| self.origins.iter().any(|listed| listed == origin));
        commodity_ok && origin_ok
    }

    /// What made the rule hit, or `None` when it does not.
    fn test(
        &self,
        declaration: &DeclarationFacts,
        item: &ItemFacts,
        convert: &Converter<'_>,
    ) -> Option<String> {
        if !self.in_scope(item) {
            return None;
        }
        let goods = || {
            let mut goods = item.commodity.clone().unwrap_or_else(|| "no commodity".to_owned());
            if let Some(origin) = &item.origin {
                let _ = write!(goods, " from {origin}");
            }
            goods
        };
        match &self.test {
            Test::Scope => Some(goods()),
            Test::DispatchDiffers => {
                let (dispatch, origin) = (item.dispatch.as_deref()?, item.origin.as_deref()?);
                (dispatch != origin).then(|| text!("dispatched from {dispatch}, origin {origin}"))
            }
            Test::Procedure(codes) => {
                let procedure = item.procedure.as_deref()?;
                codes
                    .iter()
                    .any(|code| procedure.starts_with(code.as_str()))
                    .then(|| text!("procedure {procedure}"))
            }
            Test::TransportMode(modes) => {
                let mode = declaration.border_mode.as_deref()?;
                modes
                    .iter()
                    .any(|listed| listed == mode)
                    .then(|| text!("transport mode at the border {mode}"))
            }
            Test::UnitValue { min, max, currency } => {
                unit_value_outside(item, *min, *max, currency, convert)
            }
            Test::MassMismatch { tolerance } => mass_mismatch(item, *tolerance),
            Test::NewTrader(known) => match declaration.trader.as_deref() {
                Some(trader) if !known.iter().any(|listed| listed == trader) => {
                    Some(text!("trader {trader} is not a known trader"))
                }
                Some(_) => None,
                None => Some("no trader identified".to_owned()),
            },
            Test::DutyMismatch { tolerance } => {
                let (declared, computed) = (item.declared_duty?, item.computed_duty?);
                (declared.saturating_sub(computed).abs() > *tolerance)
                    .then(|| text!("duty declared {declared}, computed {computed}"))
            }
            Test::Restriction(statuses) => {
                let flag = item.flags.iter().find(|flag| statuses.contains(&flag.status))?;
                Some(text!("{} flag {}: {}", flag.category, flag.rule, flag.status))
            }
        }
    }
}

fn unit_value_outside(
    item: &ItemFacts,
    min: Option<Decimal>,
    max: Option<Decimal>,
    currency: &str,
    convert: &Converter<'_>,
) -> Option<String> {
    let Money { amount, currency: from } = item.value.as_ref()?;
    let amount = match from.as_deref() {
        Some(from) if from != currency => convert(*amount, from, currency)?,
        _ => *amount,
    };
    let per_kg = amount.checked_div(item.mass()?)?;
    let band = text!(
        "band {}–{} {currency}/kg",
        min.map_or_else(|| "0".to_owned(), |min| min.to_string()),
        max.map_or_else(|| "∞".to_owned(), |max| max.to_string())
    );
    let outside = min.is_some_and(|min| per_kg < min) || max.is_some_and(|max| per_kg > max);
    outside.then(|| text!("{per_kg:.2} {currency}/kg, {band}"))
}

fn mass_mismatch(item: &ItemFacts, tolerance: Decimal) -> Option<String> {
    if let (Some(net), Some(gross)) = (item.net_mass, item.gross_mass)
        && net > gross
    {
        return Some(text!("net mass {net} kg above gross mass {gross} kg"));
    }
    let supplementary = item.supplementary.as_ref()?;
    let net = item.net_mass?;
    if supplementary.unit.as_deref() != Some("KGM") || net <= Decimal::ZERO {
        return None;
    }
    let gap = supplementary.quantity.saturating_sub(net).abs().checked_div(net)?;
    (gap > tolerance).then(|| {
        text!("supplementary units {} KGM against net mass {net} kg", supplementary.quantity)
    })
}

fn at(table: &Table, key: &str, message: &str) -> SyntaxError {
    let line = table
        .entries
        .iter()
        .find(|(name, _, _)| name == key)
        .map_or(table.line, |(_, _, line)| *line);
    SyntaxError { line: line.max(1), message: text!("`{key}`: {message}") }
}

fn check_keys(table: &Table, allowed: &[&str]) -> Result<(), SyntaxError> {
    match table.entries.iter().find(|(name, _, _)| !allowed.contains(&name.as_str())) {
        Some((name, _, line)) => Err(SyntaxError {
            line: *line,
            message: text!("unknown key `{name}` (expected one of: {})", allowed.join(", ")),
        }),
        None => Ok(()),
    }
}

fn number(table: &Table, key: &str, value: &Value) -> Result<Decimal, SyntaxError> {
    match value {
        Value::Number(number) => Ok(*number),
        _ => Err(at(table, key, "must be a number")),
    }
}

fn optional_number(table: &Table, key: &str) -> Result<Option<Decimal>, SyntaxError> {
    table.get(key).map(|value| number(table, key, value)).transpose()
}

fn required_number(table: &Table, key: &str) -> Result<Decimal, SyntaxError> {
    optional_number(table, key)?.ok_or_else(|| at(table, key, "is required"))
}

fn required_text(table: &Table, key: &str) -> Result<String, SyntaxError> {
    match table.get(key) {
        Some(Value::Text(text)) if !text.trim().is_empty() => Ok(text.clone()),
        Some(_) => Err(at(table, key, "must be a non-empty string")),
        None => Err(at(table, key, "is required")),
    }
}

fn text_list(table: &Table, key: &str) -> Result<Vec<String>, SyntaxError> {
    match table.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(values)) => values
            .iter()
            .map(|value| match value {
                Value::Text(text) => Ok(text.clone()),
                _ => Err(at(table, key, "must be a list of strings")),
            })
            .collect(),
        Some(_) => Err(at(table, key, "must be a list of strings")),
    }
}

fn required_list(table: &Table, key: &str) -> Result<Vec<String>, SyntaxError> {
    let list = text_list(table, key)?;
    if list.is_empty() {
        return Err(at(table, key, "must list at least one value"));
    }
    Ok(list)
}

const COMMON_KEYS: &[&str] = &["id", "kind", "weight", "reason", "commodity", "origin"];

fn rule(table: &Table) -> Result<Rule, SyntaxError> {
    let kind = required_text(table, "kind")?;
    let extra: &[&str] = match kind.as_str() {
        "commodity" | "origin" | "dispatch_differs" => &[],
        "procedure" => &["procedures"],
        "transport_mode" => &["modes"],
        "unit_value" => &["min", "max", "currency"],
        "mass_mismatch" | "duty_mismatch" => &["tolerance"],
        "new_trader" => &["known"],
        "restriction" => &["statuses"],
        other => {
            return Err(at(
                table,
                "kind",
                &text!(
                    "unknown kind `{other}` (expected commodity, origin, dispatch_differs, \
                     procedure, transport_mode, unit_value, mass_mismatch, new_trader, \
                     duty_mismatch or restriction)"
                ),
            ));
        }
    };
    let allowed: Vec<&str> = COMMON_KEYS.iter().chain(extra).copied().collect();
    check_keys(table, &allowed)?;
    let tolerance = || optional_number(table, "tolerance").map(Option::unwrap_or_default);
    let test = match kind.as_str() {
        "commodity" | "origin" => {
            required_list(table, &kind)?;
            Test::Scope
        }
        "dispatch_differs" => Test::DispatchDiffers,
        "procedure" => Test::Procedure(required_list(table, "procedures")?),
        "transport_mode" => Test::TransportMode(required_list(table, "modes")?),
        "unit_value" => {
            let min = optional_number(table, "min")?;
            let max = optional_number(table, "max")?;
            if min.is_none() && max.is_none() {
                return Err(at(table, "kind", "a unit-value band needs `min` or `max`"));
            }
            Test::UnitValue { min, max, currency: required_text(table, "currency")? }
        }
        "mass_mismatch" => Test::MassMismatch { tolerance: tolerance()? },
        "duty_mismatch" => Test::DutyMismatch { tolerance: tolerance()? },
        "new_trader" => Test::NewTrader(text_list(table, "known")?),
        _ => Test::Restriction(required_list(table, "statuses")?),
    };
    Ok(Rule {
        id: required_text(table, "id")?,
        weight: required_number(table, "weight")?,
        reason: required_text(table, "reason")?,
        commodities: text_list(table, "commodity")?,
        origins: text_list(table, "origin")?,
        test,
    })
}
