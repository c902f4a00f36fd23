//! The one place where a measure's rate text meets the duty-expression grammar.
//!
//! Measures keep the rate exactly as the upstream source wrote it (`expression_source`).
//! [`parse_expression`] turns that text into a [`DutyExpression`]: the typed tree of
//! [`crate::tariff::expr`] and its canonical printed form.

use serde::Serialize;

use super::expr::{self, DutyExpr, SpecialRate};

/// Which grammar a rate text follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExpressionKind {
    /// TARIC/UK duty sentences (`10.20 % + 93.10 EUR / 100 kg`, `0.00 %`, `p/st`).
    Taric,
    /// US HTS `general` and `other` rates (`$1.104/kg + 14.9%`, `Free`).
    Us,
    /// One segment of a US HTS `special` cell, without its programme list (`Free`, `3.2%`,
    /// `See 9822.04.01`).
    UsSpecial,
}

/// A parsed rate: a duty expression, or what a US special segment says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ParsedRate {
    /// A duty expression.
    Duty(DutyExpr),
    /// A US special segment: a rate or a cross-reference.
    Special(SpecialRate),
}

impl ParsedRate {
    /// The duty expression, when the rate is one (a `See` reference is not).
    #[must_use]
    pub fn duty(&self) -> Option<&DutyExpr> {
        match self {
            ParsedRate::Duty(duty) | ParsedRate::Special(SpecialRate::Rate(duty)) => Some(duty),
            ParsedRate::Special(_) => None,
        }
    }
}

/// A duty expression: its tree, its canonical text and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyExpression {
    /// The grammar it follows.
    pub kind: ExpressionKind,
    /// The expression printed in its canonical form.
    pub text: String,
    /// The tree.
    pub tree: ParsedRate,
}

/// Why a rate text is not a duty expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpressionError {
    /// 1-based column of the problem in the source text.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl From<expr::ExprError> for ExpressionError {
    fn from(error: expr::ExprError) -> Self {
        ExpressionError {
            column: error.column(),
            message: format!("expected {}", error.expected()),
        }
    }
}

/// Parses a measure's rate text.
///
/// # Errors
///
/// When the text does not follow the grammar of `kind`: the error gives the column where the
/// grammar stopped.
pub fn parse_expression(
    kind: ExpressionKind,
    text: &str,
) -> Result<DutyExpression, ExpressionError> {
    let tree = match kind {
        ExpressionKind::Taric => ParsedRate::Duty(expr::parse_taric(text)?),
        ExpressionKind::Us => ParsedRate::Duty(expr::parse_us(text)?),
        ExpressionKind::UsSpecial => {
            let special = expr::parse_us_special(text)?;
            match <[_; 1]>::try_from(special.segments) {
                Ok([segment]) => ParsedRate::Special(segment.rate),
                Err(segments) => {
                    return Err(ExpressionError {
                        column: 1,
                        message: format!("expected one special segment, found {}", segments.len()),
                    });
                }
            }
        }
    };
    let text = match &tree {
        ParsedRate::Duty(duty) => duty.to_string(),
        ParsedRate::Special(special) => special.to_string(),
    };
    Ok(DutyExpression { kind, text, tree })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_into_a_tree() {
        let parsed =
            parse_expression(ExpressionKind::Taric, " 12.80%  + 176.80 EUR / 100 kg").unwrap();
        assert!(parsed.tree.duty().is_some());
        assert_eq!(
            parse_expression(ExpressionKind::Taric, &parsed.text).unwrap().tree,
            parsed.tree,
            "the canonical text parses back to the same tree"
        );
        let us = parse_expression(ExpressionKind::Us, "$1.104/kg + 14.9%").unwrap();
        assert!(us.tree.duty().is_some());
        let see = parse_expression(ExpressionKind::UsSpecial, "See 9822.04.25").unwrap();
        assert!(see.tree.duty().is_none());
        let free = parse_expression(ExpressionKind::UsSpecial, "Free").unwrap();
        assert!(free.tree.duty().is_some());
    }

    #[test]
    fn malformed_text_gives_the_column() {
        let error = parse_expression(ExpressionKind::Taric, "12.80% + ?? EUR").unwrap_err();
        assert_eq!(error.column, 10);
    }
}
