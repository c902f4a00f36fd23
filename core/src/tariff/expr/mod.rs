//! The duty-expression language: parsing the rate text of real tariff schedules into an exact,
//! typed syntax tree.
//!
//! Two grammars share one tree ([`DutyExpr`]):
//! * [`parse_taric`] reads TARIC duty sentences, as in the EU CET and UK Global Tariff rate
//!   columns and the UK Trade Tariff API (`12.80% + 176.80 EUR / 100 kg`,
//!   `9.00% + EA MAX 18.70% + ADSZ`, seasonal rates, `Entry Price`);
//! * [`parse_us`] reads the HTSUS `general` and `other` columns (`4.4¢/kg`, `33 1/3%`,
//!   `Free`, the sugar sliding scale, chapter 99 references), and [`parse_us_special`] the
//!   `special` column (`Free (A+,AU,...) 3.2% (JP) See 9822.04.01 (AU)`).
//!
//! Amounts are exact decimals with their written scale; `33 1/3%` keeps its fraction.
//! Units are normalised to TARIC / Rec 20 codes ([`UnitCode`]). Text that names a rate
//! without stating it becomes [`DutyExpr::NotComputable`], never zero and never an error.
//! Known data errors that still have one clear reading are accepted and listed by
//! [`DutyExpr::repairs`]. Anything else is an [`ExprError`] with the column where the grammar
//! stopped, convertible to a [`crate::Finding`].
//!
//! Every tree prints (`Display`) in a canonical form that parses back to the same tree.

mod ast;
mod error;
mod lex;
mod normalize;
mod taric;
mod units;
mod us;

pub use ast::{
    Agricultural, Amount, Basis, Bound, Component, Currency, DayRange, DutyExpr, Fraction,
    HeadingRange, Money, Op, Prep, Program, Rate, Repair, Season, SlidingScale, SpecialRate,
    SpecialSegment, Subheading, Term, UsSpecial,
};
pub use error::{Expected, ExprError};
pub use units::{Qualifier, Unit, UnitCode};

use error::PResult;
use normalize::{normalize, original_offset};

/// Parses a TARIC duty sentence (EU CET, UK Global Tariff, UK Trade Tariff API).
///
/// # Errors
///
/// When the text does not follow the grammar; the error says where and what was expected.
pub fn parse_taric(text: &str) -> Result<DutyExpr, ExprError> {
    run(text, taric::cell)
}

/// Parses an HTSUS `general` (column 1) or `other` (column 2) rate.
///
/// # Errors
///
/// When the text does not follow the grammar; the error says where and what was expected.
pub fn parse_us(text: &str) -> Result<DutyExpr, ExprError> {
    run(text, us::general)
}

/// Parses an HTSUS `special` (column 1 special) cell.
///
/// # Errors
///
/// When the text does not follow the grammar; the error says where and what was expected.
pub fn parse_us_special(text: &str) -> Result<UsSpecial, ExprError> {
    run(text, us::special)
}

/// Normalises `text`, runs `parser` over all of it and maps failures back to `text`.
fn run<T>(text: &str, parser: impl Fn(&str) -> PResult<'_, T>) -> Result<T, ExprError> {
    let normalized = normalize(text);
    let failure = match parser(&normalized) {
        Ok(("", value)) => return Ok(value),
        Ok((rest, _)) => error::PError { at: rest, expected: Expected::END },
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => e,
        Err(nom::Err::Incomplete(_)) => error::PError { at: "", expected: Expected::END },
    };
    // Point at the offending token, not at the space before it.
    let at = failure.at.trim_start_matches(' ');
    let offset = normalized.len().saturating_sub(at.len());
    let offset = if matches!(normalized, std::borrow::Cow::Borrowed(_)) {
        offset
    } else {
        original_offset(text, offset)
    };
    let expected = if failure.expected.is_empty() { Expected::RATE } else { failure.expected };
    Err(ExprError::new(text, offset, expected))
}
