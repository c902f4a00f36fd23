//! Commodity codes as users write them: `0402.29.50.00`, `0402 29 50 00` or `0402295000`.

use std::fmt;

/// The longest code Preclear reads: a 10-digit commodity code.
pub const MAX_DIGITS: usize = 10;

/// Why a text is not a commodity code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Nothing but separators.
    Empty,
    /// A character that is neither a digit nor a separator (`.`, space, `-`).
    NotADigit(char),
    /// An odd number of digits, or more than ten.
    BadLength(usize),
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::Empty => f.write_str("the commodity code is empty"),
            CodeError::NotADigit(ch) => write!(f, "`{ch}` is not allowed in a commodity code"),
            CodeError::BadLength(len) => {
                write!(f, "a commodity code has 2, 4, 6, 8 or 10 digits, not {len}")
            }
        }
    }
}

impl std::error::Error for CodeError {}

/// The digits of a commodity code, without dots, spaces or hyphens.
///
/// # Errors
///
/// When the text holds other characters, or a number of digits that no code has.
pub fn normalize_code(text: &str) -> Result<String, CodeError> {
    let mut digits = String::with_capacity(MAX_DIGITS);
    for ch in text.trim().chars() {
        match ch {
            '0'..='9' => digits.push(ch),
            '.' | ' ' | '-' => {}
            other => return Err(CodeError::NotADigit(other)),
        }
    }
    match digits.len() {
        0 => Err(CodeError::Empty),
        len if len % 2 == 1 || len > MAX_DIGITS => Err(CodeError::BadLength(len)),
        _ => Ok(digits),
    }
}

/// Pads a code with trailing zero pairs to ten digits (`85109000` → `8510900000`).
#[must_use]
pub fn pad_to_ten(digits: &str) -> String {
    // Pushed rather than formatted with `{:0<10}`: every tariff lookup pads a code.
    let mut padded = String::with_capacity(digits.len().max(10));
    padded.push_str(digits);
    while padded.len() < 10 {
        padded.push('0');
    }
    padded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dots_and_spaces() {
        assert_eq!(normalize_code("0402.29.50.00").unwrap(), "0402295000");
        assert_eq!(normalize_code(" 8510 90 00 00 ").unwrap(), "8510900000");
        assert_eq!(normalize_code("85109000").unwrap(), "85109000");
        assert_eq!(normalize_code("8510x"), Err(CodeError::NotADigit('x')));
        assert_eq!(normalize_code(".."), Err(CodeError::Empty));
        assert_eq!(normalize_code("123"), Err(CodeError::BadLength(3)));
        assert_eq!(normalize_code("123456789012"), Err(CodeError::BadLength(12)));
        assert_eq!(pad_to_ten("85109000"), "8510900000");
        assert_eq!(pad_to_ten(""), "0000000000");
        assert_eq!(pad_to_ten("8510900000"), "8510900000");
        assert_eq!(pad_to_ten("851090000012"), "851090000012");
    }
}
