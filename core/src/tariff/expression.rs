//! The one place where a measure's rate text meets the duty-expression grammar.
//!
//! Measures keep the rate exactly as the upstream source wrote it (`expression_source`).
//! [`parse_expression`] turns that text into a [`DutyExpression`]; it is the single wiring
//! point for the grammar in [`crate::tariff::expr`]. Until that grammar is connected, the
//! expression carries the source text with its whitespace normalised and no syntax tree.

use serde::Serialize;

/// Which grammar a rate text follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExpressionKind {
    /// TARIC/UK duty sentences (`10.20 % + 93.10 EUR / 100 kg`, `0.00 %`, `p/st`).
    Taric,
    /// US HTS rate texts (`$1.104/kg + 14.9%`, `Free`, `See 9903.88.15`).
    Us,
}

/// A duty expression: the text as read, and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyExpression {
    /// The grammar it follows.
    pub kind: ExpressionKind,
    /// The expression printed in its canonical form.
    pub text: String,
}

/// Why a rate text is not a duty expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpressionError {
    /// 1-based column of the problem in the source text.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses a measure's rate text.
///
/// # Errors
///
/// When the text does not follow the grammar of `kind`. (Until the grammar is wired in, only
/// text that is not a single line is refused.)
pub fn parse_expression(
    kind: ExpressionKind,
    text: &str,
) -> Result<DutyExpression, ExpressionError> {
    if let Some(index) = text.find(['\n', '\r']) {
        return Err(ExpressionError {
            column: text.get(..index).map_or(1, |before| before.chars().count() + 1),
            message: "a duty expression is one line".to_owned(),
        });
    }
    Ok(DutyExpression { kind, text: text.split_whitespace().collect::<Vec<_>>().join(" ") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_text_until_the_grammar_is_wired_in() {
        let parsed =
            parse_expression(ExpressionKind::Taric, " 12.80%  + 176.80 EUR / 100 kg").unwrap();
        assert_eq!(parsed.text, "12.80% + 176.80 EUR / 100 kg");
        assert_eq!(parse_expression(ExpressionKind::Us, "1%\n2%").unwrap_err().column, 3);
    }
}
