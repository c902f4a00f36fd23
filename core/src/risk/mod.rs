//! Risk selectivity: the lane a declaration is likely to get (red, yellow, blue, green) and
//! why.
//!
//! A [`Profile`] holds a jurisdiction's [`Criteria`] (rules with weights and reasons, lane
//! thresholds, a seeded random selection) and, optionally, a learned [`Model`]. Each item's
//! score is the sum of the weights of the rules it hits plus the model's weight times its
//! fraud likelihood; the declaration's score is its highest item's. The score selects a
//! lane; a draw from the declaration's reference and the seed may raise it to meet the
//! minimum random selection. The same input and seed always give the same lane.
//!
//! The stage reads the declaration and what earlier stages put in the report (computed tax
//! lines, restriction flags), so criteria on declared vs computed duty and on restrictions
//! come alive as those stages fill the report.

pub mod criteria;
pub mod draw;
pub mod facts;
mod fixed;
pub mod lanes;
pub mod model;
mod toml;
pub mod train;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;

pub use self::criteria::{Criteria, Hit, LaneKind};
use self::facts::{DeclarationFacts, ItemFacts};
use self::fixed::{signed_with_places, with_places};
pub use self::model::{Model, ModelError, Observation, Scored};
pub use self::toml::SyntaxError;
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;
use crate::report::{Lane, Report};
use crate::tariff::RatesOn;

/// What the risk stage applies: criteria, and a learned model when one is loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The criteria.
    pub criteria: Criteria,
    /// The learned scorer.
    pub model: Option<Model>,
}

/// The bundled UK criteria file, when the UK pack is compiled in.
#[must_use]
pub fn bundled_criteria() -> Option<&'static str> {
    #[cfg(feature = "bundled-uk")]
    return Some(include_str!("../../../tariffs/uk/risk/criteria.toml"));
    #[cfg(not(feature = "bundled-uk"))]
    None
}

/// The bundled UK model file (trained on the benchmark), when the UK pack is compiled in.
#[must_use]
pub fn bundled_model() -> Option<&'static str> {
    #[cfg(feature = "bundled-uk")]
    return Some(include_str!("../../../tariffs/uk/risk/model.tsv"));
    #[cfg(not(feature = "bundled-uk"))]
    None
}

impl Profile {
    /// Reads a profile from the text of a criteria file and, optionally, of a model file.
    pub fn parse(criteria: &str, model: Option<&str>) -> Result<Profile, String> {
        Profile::read(criteria, model, Model::parse)
    }

    fn read<'t>(
        criteria: &str,
        model: Option<&'t str>,
        read_model: fn(&'t str) -> Result<Model, ModelError>,
    ) -> Result<Profile, String> {
        let criteria =
            Criteria::parse(criteria).map_err(|error| text!("risk criteria, {error}"))?;
        let model =
            model.map(read_model).transpose().map_err(|error| text!("risk model, {error}"))?;
        Ok(Profile { criteria, model })
    }

    /// The UK profile compiled into the library (criteria and the benchmark-trained model),
    /// or `None` when the UK pack is not compiled in.
    #[must_use]
    pub fn bundled() -> Option<Result<Profile, Box<Finding>>> {
        let criteria = bundled_criteria()?;
        Some(Profile::read(criteria, bundled_model(), Model::parse_bundled).map_err(|error| {
            Box::new(
                Finding::new(codes::RISK_BAD_PROFILE, text!("the bundled {error}"))
                    .with_help("the bundled risk files are part of the UK pack: rebuild Preclear"),
            )
        }))
    }
}

/// Converts `amount` from one currency to another with the tariff's exchange rates (units
/// per GBP) at the declaration's date.
fn convert(rates: Option<&RatesOn<'_>>, amount: Decimal, from: &str, to: &str) -> Option<Decimal> {
    if from == to {
        return Some(amount);
    }
    let rates = rates?;
    let per_pound = |currency: &str| {
        if currency == "GBP" {
            Some(Decimal::ONE)
        } else {
            rates.rate(currency).filter(|rate| !rate.is_zero())
        }
    };
    amount.checked_div(per_pound(from)?)?.checked_mul(per_pound(to)?)
}

/// What the model sees of an item.
fn observation(
    declaration: &DeclarationFacts,
    item: &ItemFacts,
    currency: &str,
    convert: &criteria::Converter<'_>,
) -> Observation {
    let value = item.value.as_ref().and_then(|money| match money.currency.as_deref() {
        Some(from) => convert(money.amount, from, currency),
        None => None,
    });
    Observation {
        // An id names a row of training history; scoring does not read it.
        id: String::new(),
        hs6: item.hs6().map(str::to_owned),
        origin: item.origin.clone(),
        tax_type: item.preference.clone(),
        dispatch: item.dispatch.clone(),
        duty_rate: item.duty_rate.map(train::normalise_rate),
        mode: declaration.border_mode.clone(),
        net_mass: item.net_mass.and_then(|mass| mass.to_f64()),
        value: value.and_then(|value| value.to_f64()),
        fraud: None,
    }
}

/// A probability as an exact decimal with four places.
fn likelihood_decimal(likelihood: f64) -> Decimal {
    #[allow(clippy::cast_possible_truncation)] // A probability times 10⁴ fits easily.
    let basis_points = (likelihood.clamp(0.0, 1.0) * 10_000.0).round() as i64;
    Decimal::new(basis_points, 4)
}

/// One item's assessment.
struct ItemScore<'a> {
    item: &'a ItemFacts,
    hits: Vec<Hit>,
    /// What the model saw of the item and read from it, when there is a model.
    modelled: Option<(Observation, model::Features)>,
    model_points: Decimal,
    score: Decimal,
}

/// Assesses the declaration in `context`: its lane, score and reasons.
#[must_use]
pub fn assess(profile: &Profile, context: &Context<'_>, report: &Report) -> Lane {
    let facts = DeclarationFacts::of(context, report);
    let rates = context.tariff.zip(context.date).map(|(tariff, date)| RatesOn::new(tariff, date));
    let convert = |amount: Decimal, from: &str, to: &str| convert(rates.as_ref(), amount, from, to);
    assess_facts(profile, &facts, &convert)
}

/// Assesses a declaration from its facts.
#[must_use]
pub fn assess_facts(
    profile: &Profile,
    facts: &DeclarationFacts,
    convert: &criteria::Converter<'_>,
) -> Lane {
    let criteria = &profile.criteria;
    let no_item = ItemFacts::default();
    let items: Vec<&ItemFacts> =
        if facts.items.is_empty() { vec![&no_item] } else { facts.items.iter().collect() };
    // A declaration without items has nothing for the model to score.
    let model = profile.model.as_ref().filter(|_| !facts.items.is_empty());
    let scores: Vec<ItemScore<'_>> = items
        .into_iter()
        .map(|item| {
            let hits = criteria.hits(facts, item, convert);
            let modelled = model.map(|model| {
                let observation = observation(facts, item, &model.currency, convert);
                let features = model.features(&observation);
                (observation, features)
            });
            let likelihood = model
                .zip(modelled.as_ref())
                .map(|(model, (_, features))| model.likelihood(features));
            let model_points = likelihood.map_or(Decimal::ZERO, |likelihood| {
                criteria.model_weight.saturating_mul(likelihood_decimal(likelihood)).round_dp(2)
            });
            let score = hits
                .iter()
                .fold(model_points, |score, hit| score.saturating_add(hit.weight))
                .round_dp(2);
            ItemScore { item, hits, modelled, model_points, score }
        })
        .collect();
    // The highest-scoring item decides; the first one on a tie.
    let decisive =
        scores.iter().reduce(|best, next| if next.score > best.score { next } else { best });
    let score = decisive.map_or(Decimal::ZERO, |decisive| decisive.score);
    let by_score = criteria.lane_for(score);
    let reference = facts.reference.as_deref().unwrap_or_default();
    let draw = draw::draw(criteria.seed, reference);
    let drawn = criteria.random_lane(draw).filter(|(lane, _, _)| *lane > by_score);
    let lane = drawn.map_or(by_score, |(lane, _, _)| lane);

    let decision = decision(criteria, facts, decisive, draw, drawn, by_score);
    let mut reasons = vec![decision];
    if let Some(decisive) = decisive {
        // Named contributions for the decisive item alone: the others' are never shown.
        let scored = model
            .zip(decisive.modelled.as_ref())
            .map(|(model, (observation, features))| model.explain(observation, features));
        reasons.extend(item_reasons(criteria, facts, decisive, scored.as_ref()));
    }
    Lane { lane: lane.as_str().to_owned(), score, reasons }
}

/// The first reason: the lane, and what put the declaration there.
fn decision(
    criteria: &Criteria,
    facts: &DeclarationFacts,
    decisive: Option<&ItemScore<'_>>,
    draw: Decimal,
    drawn: Option<(LaneKind, Decimal, Decimal)>,
    by_score: LaneKind,
) -> String {
    let score = decisive.map_or(Decimal::ZERO, |decisive| decisive.score);
    let item_note = match decisive {
        Some(decisive) if facts.items.len() > 1 => text!(" (item {})", decisive.item.sequence),
        _ => String::new(),
    };
    match drawn {
        Some((lane, from, to)) => text!(
            "{} ({}): drawn at random (draw {draw} of seed {} in the {} share [{from}, {to})); \
             the score {score}{item_note} alone gives {}",
            lane.as_str(),
            lane.control(),
            criteria.seed,
            lane.as_str(),
            by_score.as_str()
        ),
        None if by_score == LaneKind::Green => text!(
            "green (release): score {score}{item_note} is below the blue threshold {}",
            criteria.thresholds.blue
        ),
        None => {
            let threshold = criteria
                .thresholds
                .lanes()
                .into_iter()
                .find(|(lane, _)| *lane == by_score)
                .map_or(Decimal::ZERO, |(_, threshold)| threshold);
            text!(
                "{} ({}): score {score}{item_note} reaches the {} threshold {threshold}",
                by_score.as_str(),
                by_score.control(),
                by_score.as_str()
            )
        }
    }
}

/// The decisive item's reasons: its criteria hits, then the model's likelihood and its
/// largest contributions.
fn item_reasons(
    criteria: &Criteria,
    facts: &DeclarationFacts,
    decisive: &ItemScore<'_>,
    scored: Option<&Scored>,
) -> Vec<String> {
    let mut reasons = Vec::new();
    let item = if facts.items.is_empty() {
        String::new()
    } else {
        text!("item {}: ", decisive.item.sequence)
    };
    for hit in &decisive.hits {
        reasons.push(text!("+{} {}: {item}{}", hit.weight, hit.rule, hit.reason));
    }
    if let Some(scored) = scored {
        reasons.push(text!(
            "+{} model: {item}fraud likelihood {} × weight {}",
            decisive.model_points,
            with_places(scored.likelihood, 2),
            criteria.model_weight
        ));
        reasons.push(text!(
            "model: base {} log-odds (likelihood {} on an unknown lane)",
            signed_with_places(scored.bias, 2),
            with_places(model::sigmoid(scored.bias), 2)
        ));
        let mut contributions: Vec<_> = scored
            .contributions
            .iter()
            .filter(|contribution| contribution.log_odds.abs() >= 0.005)
            .collect();
        contributions.sort_by(|a, b| {
            b.log_odds.abs().partial_cmp(&a.log_odds.abs()).unwrap_or(std::cmp::Ordering::Equal)
        });
        for contribution in contributions.into_iter().take(MODEL_REASONS) {
            reasons.push(text!(
                "model: {} {}",
                signed_with_places(contribution.log_odds, 2),
                contribution.name
            ));
        }
    }
    reasons
}

/// The most model contributions a lane lists (the largest, by size).
const MODEL_REASONS: usize = 6;

#[cfg(test)]
mod tests;
