//! Parse errors: where the grammar stopped and what it expected there.
//!
//! The parsers use [`PError`], a nom error that remembers the furthest position reached and
//! the set of things that would have been accepted there. The public [`ExprError`] turns that
//! into a 1-based character column in the original text and converts to a [`Finding`].

use std::fmt;

use nom::error::{ErrorKind, ParseError};

use crate::codes::TARIFF_BAD_EXPRESSION;
use crate::finding::Finding;

/// What the grammar would have accepted where it stopped: a small set of token classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Expected(u32);

/// The names of the token classes, in bit order.
const NAMES: &[&str] = &[
    "a duty rate",
    "a number",
    "`%` or a currency code",
    "a money amount (`%`, `¢`, `$`) or `each`",
    "a unit",
    "a unit qualifier",
    "`+`/`-`",
    "`MIN`/`MAX`",
    "a date range",
    "a day of the month",
    "a month (JAN to DEC)",
    "`-`",
    "`,`",
    "`)`",
    "a programme code",
    "a programme list",
    "a subheading",
    "the sliding-scale wording",
    "text",
    "the end of the expression",
    "at most 8 `MIN`/`MAX` bounds",
];

impl Expected {
    /// Nothing known (an internal failure with no better description).
    pub const NOTHING: Expected = Expected(0);
    /// The start of a rate.
    pub const RATE: Expected = Expected(1);
    /// A number.
    pub const NUMBER: Expected = Expected(1 << 1);
    /// `%` or a currency after a TARIC amount.
    pub const MONEY: Expected = Expected(1 << 2);
    /// `%`, `¢` or `$` around a US amount, or `each` after it.
    pub const US_MONEY: Expected = Expected(1 << 3);
    /// A unit of measure.
    pub const UNIT: Expected = Expected(1 << 4);
    /// A unit qualifier.
    pub const QUALIFIER: Expected = Expected(1 << 5);
    /// An operator joining two terms.
    pub const OPERATOR: Expected = Expected(1 << 6);
    /// `MIN` or `MAX`.
    pub const BOUND: Expected = Expected(1 << 7);
    /// A seasonal date range in parentheses.
    pub const DATE_RANGE: Expected = Expected(1 << 8);
    /// A day of the month.
    pub const DAY: Expected = Expected(1 << 9);
    /// A month name.
    pub const MONTH: Expected = Expected(1 << 10);
    /// `-` in a date range.
    pub const DASH: Expected = Expected(1 << 11);
    /// `,` in a list.
    pub const COMMA: Expected = Expected(1 << 12);
    /// `)`.
    pub const CLOSE: Expected = Expected(1 << 13);
    /// A US special-programme code (`AU`, `A+`).
    pub const PROGRAM: Expected = Expected(1 << 14);
    /// A parenthesised programme list.
    pub const PROGRAMS: Expected = Expected(1 << 15);
    /// A subheading reference.
    pub const SUBHEADING: Expected = Expected(1 << 16);
    /// The fixed wording of the US sugar sliding scale.
    pub const SLIDING: Expected = Expected(1 << 17);
    /// Some text.
    pub const TEXT: Expected = Expected(1 << 18);
    /// The end of the expression.
    pub const END: Expected = Expected(1 << 19);
    /// Fewer `MIN`/`MAX` bounds than were given.
    pub const FEWER_BOUNDS: Expected = Expected(1 << 20);

    /// Both sets.
    #[must_use]
    pub const fn union(self, other: Expected) -> Expected {
        Expected(self.0 | other.0)
    }

    /// Whether the set is empty.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every class in `other` is in this set.
    #[must_use]
    pub const fn contains(self, other: Expected) -> bool {
        self.0 & other.0 == other.0
    }

    /// The names of the classes in the set.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        NAMES.iter().enumerate().filter(move |(bit, _)| self.0 & (1 << bit) != 0).map(|(_, n)| *n)
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.names().collect();
        match names.split_last() {
            None => f.write_str("something else"),
            Some((last, [])) => f.write_str(last),
            Some((last, rest)) => write!(f, "{} or {last}", rest.join(", ")),
        }
    }
}

/// The parsers' error: the remaining input where parsing stopped and what was expected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PError<'a> {
    pub(crate) at: &'a str,
    pub(crate) expected: Expected,
}

impl<'a> ParseError<&'a str> for PError<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        PError { at: input, expected: Expected::NOTHING }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// Keeps the alternative that got further; at the same place, either would do.
    fn or(self, other: Self) -> Self {
        match other.at.len().cmp(&self.at.len()) {
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Equal => {
                PError { at: self.at, expected: self.expected.union(other.expected) }
            }
        }
    }
}

/// The result type of the internal parsers.
pub(crate) type PResult<'a, T> = nom::IResult<&'a str, T, PError<'a>>;

/// A recoverable failure at `at`.
pub(crate) fn fail<T>(at: &str, expected: Expected) -> PResult<'_, T> {
    Err(nom::Err::Error(PError { at, expected }))
}

/// An unrecoverable failure at `at`: the input committed to a form and broke it.
pub(crate) fn fatal<T>(at: &str, expected: Expected) -> PResult<'_, T> {
    Err(nom::Err::Failure(PError { at, expected }))
}

/// Turns a recoverable failure into an unrecoverable one, after a token that commits.
pub(crate) fn commit<T>(result: PResult<'_, T>) -> PResult<'_, T> {
    result.map_err(|e| match e {
        nom::Err::Error(e) => nom::Err::Failure(e),
        other => other,
    })
}

/// Labels a failure that happened right at `input` (without progress) with `expected`.
pub(crate) fn label<'a, T>(
    input: &'a str,
    expected: Expected,
    result: PResult<'a, T>,
) -> PResult<'a, T> {
    result.map_err(|e| {
        e.map(|e| if e.at.len() >= input.len() { PError { at: input, expected } } else { e })
    })
}

/// A duty expression that does not follow the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    text: String,
    column: usize,
    expected: Expected,
}

impl ExprError {
    pub(crate) fn new(text: &str, byte_offset: usize, expected: Expected) -> ExprError {
        let column =
            text.get(..byte_offset).map_or(text.chars().count(), |s| s.chars().count()) + 1;
        ExprError { text: text.to_owned(), column, expected }
    }

    /// The text that failed to parse, as given.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based column, in characters of [`ExprError::text`], where the grammar stopped.
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }

    /// What would have been accepted at that column.
    #[must_use]
    pub fn expected(&self) -> Expected {
        self.expected
    }

    /// The finding to report, with code [`TARIFF_BAD_EXPRESSION`] and the text, column and
    /// expectation as JSON detail.
    pub fn to_finding(&self) -> Finding {
        Finding::new(TARIFF_BAD_EXPRESSION, format!("malformed duty expression: {self}"))
            .with_help("check the rate against the published schedule; the rest of the tariff line is still used")
            .with_detail(serde_json::json!({
                "text": self.text,
                "column": self.column,
                "expected": self.expected.to_string(),
            }))
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at column {} of `{}`", self.expected, self.column, self.text)
    }
}

impl std::error::Error for ExprError {}

impl From<ExprError> for Finding {
    fn from(error: ExprError) -> Finding {
        error.to_finding()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_prints_as_a_list() {
        assert_eq!(Expected::UNIT.to_string(), "a unit");
        assert_eq!(
            Expected::OPERATOR.union(Expected::END).to_string(),
            "`+`/`-` or the end of the expression"
        );
        assert_eq!(
            Expected::OPERATOR.union(Expected::BOUND).union(Expected::END).to_string(),
            "`+`/`-`, `MIN`/`MAX` or the end of the expression"
        );
    }

    #[test]
    fn columns_count_characters() {
        let error = ExprError::new("4.4¢/kgx", "4.4¢/".len(), Expected::UNIT);
        assert_eq!(error.column(), 6);
        let finding = error.to_finding();
        assert_eq!(finding.code, TARIFF_BAD_EXPRESSION);
        let detail = finding.detail.unwrap();
        assert_eq!(detail["column"], 6);
        assert_eq!(detail["text"], "4.4¢/kgx");
        assert_eq!(detail["expected"], "a unit");
    }
}
