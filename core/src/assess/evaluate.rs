//! Evaluating a duty expression: a rate, the customs value and the declared quantities in,
//! an exact amount and the formula in words out.
//!
//! The TARIC rules apply (they are also what the UK Trade Tariff's calculator does):
//! components are added or subtracted in order; a percentage is of the customs value; a
//! specific amount is per unit of a quantity (`176.80 GBP / 100 kg` is per 100 kg of net
//! mass), converted from its currency at the period's rate; `MAX` caps (`min(base, limit)`)
//! and `MIN` floors (`max(base, limit)`). Nothing is rounded here: amounts stay exact until
//! the policy rounds the line.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::tariff::expr::{
    Bound, Component, DutyExpr, Money, Op, Qualifier, Rate, Season, Term, Unit, UnitCode,
};

/// A quantity the declaration gives for an item, with the unit it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// The amount.
    pub amount: Decimal,
    /// The unit (a TARIC/Rec 20 code).
    pub unit: UnitCode,
    /// Its qualifier (`G` gross, `E` net drained weight, ...), if any.
    pub qualifier: Option<Qualifier>,
    /// Where it comes from, for the formula (`net mass`, `supplementary units`, ...).
    pub source: &'static str,
}

/// What an expression is evaluated against.
#[derive(Clone)]
pub struct Inputs<'a> {
    /// The customs value in the assessment currency.
    pub value: Decimal,
    /// The assessment currency (`GBP`, `USD`, `EUR`).
    pub currency: &'a str,
    /// The quantities the declaration gives.
    pub quantities: &'a [Quantity],
    /// The date (for seasonal rates).
    pub date: Date,
    /// Units of a foreign currency per unit of the assessment currency, by code.
    pub rates: &'a dyn Fn(&str) -> Option<Decimal>,
}

impl std::fmt::Debug for Inputs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inputs")
            .field("value", &self.value)
            .field("currency", &self.currency)
            .field("quantities", &self.quantities)
            .field("date", &self.date)
            .finish_non_exhaustive()
    }
}

/// An evaluated expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluated {
    /// The exact amount, in the assessment currency.
    pub amount: Decimal,
    /// The computation in words: `2.00% × 1000.00 GBP`.
    pub formula: String,
    /// The quantity a specific rate was charged on, when one was.
    pub quantity: Option<(Decimal, String)>,
}

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// The rate states no computable amount.
    NotComputable(String),
    /// A quantity the rate is charged on is not declared.
    MissingQuantity {
        /// The unit needed, printed.
        unit: String,
        /// How to declare it.
        how: String,
    },
    /// A currency with no exchange rate for the period.
    MissingRate(String),
    /// An EU agricultural component needs the Meursing additional code.
    Agricultural(String),
    /// The entry price system needs the declared entry price.
    EntryPrice,
    /// A US sugar sliding scale needs the polarity.
    SlidingScale,
    /// A number out of range.
    Overflow,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::NotComputable(text) => write!(f, "the rate states no computable amount: \"{text}\""),
            EvalError::MissingQuantity { unit, how } => write!(f, "the rate is charged per {unit}, which the declaration does not give ({how})"),
            EvalError::MissingRate(currency) => write!(f, "no exchange rate for {currency} in the period"),
            EvalError::Agricultural(component) => write!(f, "the agricultural component {component} depends on the Meursing additional code, which is not evaluated"),
            EvalError::EntryPrice => f.write_str("the entry price system needs the entry price of the consignment, which is not evaluated"),
            EvalError::SlidingScale => f.write_str("the sliding scale needs the sugar's polarity, which is not declared"),
            EvalError::Overflow => f.write_str("the amount is too large to compute exactly"),
        }
    }
}

/// Evaluates `expr` against `inputs`.
pub fn evaluate(expr: &DutyExpr, inputs: &Inputs<'_>) -> Result<Evaluated, EvalError> {
    match expr {
        DutyExpr::Compound(components) => compound(components, inputs),
        DutyExpr::Bounded { base, bound, limit } => {
            let base = evaluate(base, inputs)?;
            let limit = compound(limit, inputs)?;
            let (name, pick_limit) = match bound {
                Bound::Max => ("MAX", limit.amount < base.amount),
                Bound::Min => ("MIN", limit.amount > base.amount),
            };
            let binding = if pick_limit { text!(" ({name} applies)") } else { String::new() };
            let formula = text!("{} {name} {}{binding}", base.formula, limit.formula);
            let chosen = if pick_limit { limit } else { base };
            Ok(Evaluated { amount: chosen.amount, formula, quantity: chosen.quantity })
        }
        DutyExpr::Seasonal(seasons) => {
            let season = season_on(seasons, inputs.date).ok_or_else(|| {
                EvalError::NotComputable(text!("no seasonal rate covers {}", inputs.date))
            })?;
            evaluate(&season.rate, inputs)
        }
        DutyExpr::EntryPrice => Err(EvalError::EntryPrice),
        DutyExpr::Nihil | DutyExpr::Free { .. } | DutyExpr::NoChange => {
            Ok(Evaluated { amount: Decimal::ZERO, formula: expr.to_string(), quantity: None })
        }
        DutyExpr::SupplementaryUnit(_) => {
            Ok(Evaluated { amount: Decimal::ZERO, formula: String::new(), quantity: None })
        }
        DutyExpr::SlidingScale(_) => Err(EvalError::SlidingScale),
        DutyExpr::ProvidedIn { adjust, .. } => match adjust {
            // The referenced subheading's own rate is assessed on its own line; this line is
            // what the heading adds.
            Some(component) => compound(std::slice::from_ref(component), inputs),
            None => {
                Ok(Evaluated { amount: Decimal::ZERO, formula: expr.to_string(), quantity: None })
            }
        },
        DutyExpr::WithProviso { expr, .. } => evaluate(expr, inputs),
        DutyExpr::NotComputable { text } => Err(EvalError::NotComputable(text.clone())),
    }
}

fn compound(components: &[Component], inputs: &Inputs<'_>) -> Result<Evaluated, EvalError> {
    let mut amount = Decimal::ZERO;
    let mut parts: Vec<String> = Vec::new();
    let mut quantity = None;
    for component in components {
        let evaluated = match &component.term {
            Term::Rate(rate) => rate_amount(rate, inputs)?,
            Term::Agricultural(agricultural) => {
                return Err(EvalError::Agricultural(agricultural.as_str().to_owned()));
            }
        };
        match component.op {
            Op::Plus => amount = amount.checked_add(evaluated.amount).ok_or(EvalError::Overflow)?,
            Op::Minus => {
                amount = amount.checked_sub(evaluated.amount).ok_or(EvalError::Overflow)?;
            }
        }
        let sign = if parts.is_empty() {
            if component.op == Op::Minus { "- " } else { "" }
        } else if component.op == Op::Minus {
            " - "
        } else {
            " + "
        };
        parts.push(text!("{sign}{}", evaluated.formula));
        if quantity.is_none() {
            quantity = evaluated.quantity;
        }
    }
    Ok(Evaluated { amount, formula: parts.concat(), quantity })
}

/// The multiplier of a percentage amount, exactly (`33 1/3%` is `100/3 / 100`).
fn percent_of(rate: &Rate, value: Decimal) -> Result<Decimal, EvalError> {
    let (numerator, denominator) = rate.amount.exact_ratio().ok_or(EvalError::Overflow)?;
    value
        .checked_mul(numerator)
        .and_then(|product| product.checked_div(Decimal::ONE_HUNDRED))
        .and_then(|product| product.checked_div(Decimal::from(denominator)))
        .ok_or(EvalError::Overflow)
}

fn rate_amount(rate: &Rate, inputs: &Inputs<'_>) -> Result<Evaluated, EvalError> {
    let printed =
        crate::tariff::expr::DutyExpr::Compound(vec![Component::plus(Term::Rate(rate.clone()))])
            .to_string();
    match (&rate.money, &rate.unit) {
        (Money::Percent, None) => {
            let amount = percent_of(rate, inputs.value)?;
            Ok(Evaluated {
                amount,
                formula: text!("{printed} × {} {}", inputs.value, inputs.currency),
                quantity: None,
            })
        }
        (Money::Percent, Some(unit)) => {
            Err(EvalError::NotComputable(text!("{printed} (a percentage of {})", unit.label)))
        }
        (money, unit) => {
            let (per_unit, currency) = money_in_assessment_currency(rate, *money, inputs)?;
            match unit {
                None => Ok(Evaluated {
                    amount: per_unit,
                    formula: text!("{printed}{currency}"),
                    quantity: None,
                }),
                Some(unit) => {
                    let (quantity, described) = quantity_in(unit, inputs)?;
                    let amount = per_unit.checked_mul(quantity).ok_or(EvalError::Overflow)?;
                    let formula = text!("{printed}{currency} × {quantity} ({described})");
                    Ok(Evaluated {
                        amount,
                        formula,
                        quantity: Some((quantity, unit.label.to_owned())),
                    })
                }
            }
        }
    }
}

/// A specific amount in the assessment currency, and the conversion shown in the formula.
fn money_in_assessment_currency(
    rate: &Rate,
    money: Money,
    inputs: &Inputs<'_>,
) -> Result<(Decimal, String), EvalError> {
    let (amount, currency) = match money {
        Money::Currency(currency) => (rate.amount.value, currency.as_str().to_owned()),
        Money::Cents => (
            rate.amount.value.checked_div(Decimal::ONE_HUNDRED).ok_or(EvalError::Overflow)?,
            "USD".to_owned(),
        ),
        Money::Dollars => (rate.amount.value, "USD".to_owned()),
        Money::Percent => (rate.amount.value, inputs.currency.to_owned()),
    };
    // The agricultural euro is the euro for evaluation.
    let currency = if currency == "XEM" { "EUR".to_owned() } else { currency };
    if currency == inputs.currency {
        return Ok((amount, String::new()));
    }
    let exchange =
        (inputs.rates)(&currency).ok_or_else(|| EvalError::MissingRate(currency.clone()))?;
    let converted = amount.checked_div(exchange).ok_or(EvalError::Overflow)?;
    Ok((converted, text!(" (at {exchange} {currency} per {})", inputs.currency)))
}

/// The declared quantity in the rate's unit: a declared quantity of that unit, or the net or
/// gross mass for mass units, converted to the unit's multiple (per 100 kg, per hl, ...).
fn quantity_in(unit: &Unit, inputs: &Inputs<'_>) -> Result<(Decimal, String), EvalError> {
    let (base, multiple) = unit.code.base().unwrap_or((unit.code, Decimal::ONE));
    let exact = inputs
        .quantities
        .iter()
        .find(|quantity| quantity.unit == unit.code && quantity.qualifier == unit.qualifier);
    let in_base = inputs
        .quantities
        .iter()
        .find(|quantity| quantity.unit == base && quantity.qualifier == unit.qualifier);
    let (quantity, multiple) = match (exact, in_base) {
        (Some(quantity), _) => (quantity, Decimal::ONE),
        (None, Some(quantity)) => (quantity, multiple),
        (None, None) => {
            let how = match (base, unit.qualifier) {
                (UnitCode::Kgm, None) => "declare the net mass (DE 6/1)".to_owned(),
                (UnitCode::Kgm, Some(Qualifier::Gross)) => {
                    "declare the gross mass (DE 6/5)".to_owned()
                }
                (code, qualifier) => text!(
                    "declare it as supplementary units (DE 6/2) or a tax base quantity with unitCode {}{}",
                    code.code().unwrap_or("?"),
                    qualifier
                        .and_then(Qualifier::code)
                        .map(|letter| text!("#{letter}"))
                        .unwrap_or_default()
                ),
            };
            return Err(EvalError::MissingQuantity { unit: unit.label.to_owned(), how });
        }
    };
    let amount = quantity.amount.checked_div(multiple).ok_or(EvalError::Overflow)?;
    let described = if multiple == Decimal::ONE {
        text!("{} {}", quantity.source, unit.label)
    } else {
        text!("{} {} {} ÷ {multiple}", quantity.source, quantity.amount, base.code().unwrap_or("?"))
    };
    Ok((amount.normalize(), described))
}

/// The season whose periods contain `date`; a season without periods covers the rest.
fn season_on(seasons: &[Season], date: Date) -> Option<&Season> {
    let day = (date.month(), date.day());
    let within = |season: &Season| {
        season.periods.iter().any(|period| {
            let from = (period.start_month(), period.from_day);
            let to = (period.to_month, period.to_day);
            if from <= to { from <= day && day <= to } else { day >= from || day <= to }
        })
    };
    seasons
        .iter()
        .find(|season| within(season))
        .or_else(|| seasons.iter().find(|season| season.periods.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tariff::expr::parse_taric;

    fn inputs<'a>(
        quantities: &'a [Quantity],
        rates: &'a dyn Fn(&str) -> Option<Decimal>,
    ) -> Inputs<'a> {
        Inputs {
            value: Decimal::new(100_000, 2),
            currency: "GBP",
            quantities,
            date: Date::new(2024, 3, 1).unwrap(),
            rates,
        }
    }

    fn net(kg: i64) -> Quantity {
        Quantity {
            amount: Decimal::from(kg),
            unit: UnitCode::Kgm,
            qualifier: None,
            source: "net mass",
        }
    }

    #[test]
    fn ad_valorem_specific_compound_and_bounds() {
        let no_rates = |_: &str| None;
        let quantities = [net(500)];
        let inputs = inputs(&quantities, &no_rates);
        let duty = |text: &str| evaluate(&parse_taric(text).unwrap(), &inputs).unwrap().amount;
        assert_eq!(duty("2.00%"), Decimal::new(2000, 2));
        assert_eq!(duty("12.00% + 147.00 GBP / 100 kg"), Decimal::new(85500, 2));
        assert_eq!(duty("10.00% MAX 50.00 GBP / 100 kg"), Decimal::from(100));
        assert_eq!(duty("1.00% MIN 5.00 GBP / 100 kg"), Decimal::from(25));
        assert!(matches!(
            evaluate(&parse_taric("Entry Price").unwrap(), &inputs),
            Err(EvalError::EntryPrice)
        ));
    }

    #[test]
    fn euro_amounts_convert_and_missing_quantities_say_what_is_needed() {
        let rates = |currency: &str| (currency == "EUR").then(|| Decimal::new(125, 2));
        let quantities = [net(100)];
        let inputs = inputs(&quantities, &rates);
        let evaluated = evaluate(&parse_taric("10.00 EUR / 100 kg").unwrap(), &inputs).unwrap();
        assert_eq!(evaluated.amount, Decimal::from(8));
        let missing = evaluate(&parse_taric("26.00 GBP / hl").unwrap(), &inputs).unwrap_err();
        assert!(matches!(missing, EvalError::MissingQuantity { .. }), "{missing:?}");
    }

    #[test]
    fn seasons_wrap_over_the_new_year() {
        let no_rates = |_: &str| None;
        let quantities = [];
        let expr = parse_taric("14.00% (01 JUL - 31 JAN), 0.00% (01 FEB - 30 JUN)").unwrap();
        let mut at = inputs(&quantities, &no_rates);
        at.date = Date::new(2024, 1, 15).unwrap();
        assert_eq!(evaluate(&expr, &at).unwrap().amount, Decimal::from(140));
        at.date = Date::new(2024, 3, 15).unwrap();
        assert_eq!(evaluate(&expr, &at).unwrap().amount, Decimal::ZERO);
    }

    mod properties {
        //! Properties of the evaluation, over generated rates, values and quantities.

        use proptest::prelude::*;

        use super::*;

        /// Cents as a decimal with two places, non-negative.
        fn money() -> impl Strategy<Value = Decimal> {
            (0i64..1_000_000_000_000).prop_map(|cents| Decimal::new(cents, 2))
        }

        /// A percentage rate as TARIC writes it (`12.80%`).
        fn percent() -> impl Strategy<Value = Decimal> {
            (0i64..=10_000).prop_map(|basis| Decimal::new(basis, 2))
        }

        /// A mass in kilograms with up to three decimals.
        fn kilograms() -> impl Strategy<Value = Decimal> {
            (0i64..10_000_000_000).prop_map(|grams| Decimal::new(grams, 3))
        }

        fn duty(text: &str, value: Decimal, quantities: &[Quantity]) -> Result<Decimal, EvalError> {
            let rates = |currency: &str| (currency == "EUR").then(|| Decimal::new(117, 2));
            let inputs = Inputs {
                value,
                currency: "GBP",
                quantities,
                date: Date::new(2024, 3, 1).unwrap(),
                rates: &rates,
            };
            evaluate(&parse_taric(text).unwrap(), &inputs).map(|evaluated| evaluated.amount)
        }

        proptest! {
            /// Ad valorem duty never falls as the value rises, before and after rounding.
            #[test]
            fn ad_valorem_duty_is_monotone_in_the_value(
                rate in percent(), low in money(), extra in money()
            ) {
                let high = low + extra;
                let text = text!("{rate:.2}%");
                let (at_low, at_high) = (duty(&text, low, &[])?, duty(&text, high, &[])?);
                prop_assert!(at_low <= at_high, "{text}: {at_low} at {low}, {at_high} at {high}");
                let round = |amount: Decimal| amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
                prop_assert!(round(at_low) <= round(at_high));
            }

            /// `MAX` caps and `MIN` floors: the result is the smaller (larger) of the two
            /// sides, so it never exceeds (falls below) either bound.
            #[test]
            fn max_and_min_bounds_hold(
                rate in percent(), specific in money(), value in money(), mass in kilograms()
            ) {
                let quantities = [net_kg(mass)];
                let base = duty(&text!("{rate:.2}%"), value, &quantities)?;
                let limit = duty(&text!("{specific:.2} GBP / 100 kg"), value, &quantities)?;
                let capped = duty(&text!("{rate:.2}% MAX {specific:.2} GBP / 100 kg"), value, &quantities)?;
                let floored = duty(&text!("{rate:.2}% MIN {specific:.2} GBP / 100 kg"), value, &quantities)?;
                prop_assert!(capped <= base && capped <= limit);
                prop_assert!(capped == base || capped == limit);
                prop_assert!(floored >= base && floored >= limit);
                prop_assert!(floored == base || floored == limit);
            }

            /// A specific rate gives the same duty whichever multiple of the unit it is
            /// written per (per kg, per 100 kg, per tonne), and per 100 kg is the mass ÷ 100.
            #[test]
            fn unit_multiples_convert_exactly(cents in 0i64..10_000_000, mass in kilograms()) {
                let quantities = [net_kg(mass)];
                let per_100_kg = Decimal::new(cents, 2);
                let per_kg = per_100_kg / Decimal::ONE_HUNDRED;
                let per_tonne = per_100_kg * Decimal::TEN;
                let a = duty(&text!("{per_100_kg} GBP / 100 kg"), Decimal::ZERO, &quantities)?;
                let b = duty(&text!("{per_kg} GBP / kg"), Decimal::ZERO, &quantities)?;
                let c = duty(&text!("{per_tonne} GBP / tonne"), Decimal::ZERO, &quantities)?;
                prop_assert_eq!(a.normalize(), (per_100_kg * mass / Decimal::ONE_HUNDRED).normalize());
                prop_assert_eq!(a.normalize(), b.normalize());
                prop_assert_eq!(a.normalize(), c.normalize());
            }

            /// A quantity declared in the rate's own unit is used as it is, not converted
            /// from the mass.
            #[test]
            fn a_quantity_in_the_rate_s_unit_is_taken_as_declared(
                cents in 0i64..10_000_000, mass in kilograms(), hundreds in kilograms()
            ) {
                let declared = Quantity {
                    amount: hundreds,
                    unit: UnitCode::Dtn,
                    qualifier: None,
                    source: "supplementary units",
                };
                let rate = Decimal::new(cents, 2);
                let amount = duty(&text!("{rate} GBP / 100 kg"), Decimal::ZERO, &[net_kg(mass), declared])?;
                prop_assert_eq!(amount.normalize(), (rate * hundreds).normalize());
            }

            /// A euro amount is converted at the rate (euros per pound), exactly: converting
            /// back gives the euro amount to within a minor unit, in fact to within 10^-12 (the
            /// division keeps 28 digits). Not to the cent after rounding: an amount exactly
            /// half a cent from two cents (3808501460.535) comes back a hair below it.
            #[test]
            fn euro_amounts_convert_and_round_trip(cents in 0i64..10_000_000, mass in kilograms()) {
                let quantities = [net_kg(mass)];
                let euros = Decimal::new(cents, 2);
                let pounds = duty(&text!("{euros} EUR / 100 kg"), Decimal::ZERO, &quantities)?;
                let back = pounds * Decimal::new(117, 2);
                let exact = euros * mass / Decimal::ONE_HUNDRED;
                prop_assert!((back - exact).abs() < Decimal::new(1, 2), "{back} vs {exact}");
                prop_assert!((back - exact).abs() < Decimal::new(1, 12), "{back} vs {exact}");
            }

            /// Compound components add and subtract in order.
            #[test]
            fn compound_components_add_up(
                rate in percent(), specific in money(), value in money(), mass in kilograms()
            ) {
                let quantities = [net_kg(mass)];
                let ad_valorem = duty(&text!("{rate:.2}%"), value, &quantities)?;
                let per_mass = duty(&text!("{specific:.2} GBP / 100 kg"), value, &quantities)?;
                let plus = duty(&text!("{rate:.2}% + {specific:.2} GBP / 100 kg"), value, &quantities)?;
                prop_assert_eq!(plus, ad_valorem + per_mass);
            }

            /// Values beyond what decimals hold are an overflow error, never a panic.
            #[test]
            fn huge_values_are_an_error_not_a_panic(
                rate in percent(), scale in 0u32..28, mantissa in any::<i64>()
            ) {
                let value = Decimal::MAX / Decimal::new(1, 0).max(Decimal::from(scale + 1));
                let huge = Quantity { amount: Decimal::MAX, ..net_kg(Decimal::ZERO) };
                let _ = duty(&text!("{rate:.2}%"), value, &[]);
                let _ = duty(&text!("{rate:.2}% + 1000.00 EUR / kg"), Decimal::new(mantissa, scale), &[huge]);
            }
        }

        fn net_kg(amount: Decimal) -> Quantity {
            Quantity { amount, unit: UnitCode::Kgm, qualifier: None, source: "net mass" }
        }

        impl From<EvalError> for TestCaseError {
            fn from(error: EvalError) -> TestCaseError {
                TestCaseError::fail(error.to_string())
            }
        }
    }
}
