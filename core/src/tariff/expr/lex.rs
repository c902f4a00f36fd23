//! Tokens shared by the TARIC and US grammars: spaces, numbers, keywords and spelling
//! tables.
//!
//! The input is already normalised (single spaces, no tabs), so "optional space" means at
//! most one space. None of these allocate.

use nom::Parser;
use nom::bytes::complete::tag;
use nom::character::complete::{satisfy, space1};
use nom::combinator::{not, peek};
use rust_decimal::Decimal;

use super::error::{Expected, PError, PResult, fail};
use super::units::Spelling;

/// Skips optional spaces.
pub(crate) fn sp0(input: &str) -> &str {
    input.trim_start_matches(' ')
}

/// Requires at least one space.
pub(crate) fn sp1(input: &str) -> PResult<'_, ()> {
    let (rest, _) = space1(input)?;
    Ok((rest, ()))
}

/// Whether `c` continues a word (so a keyword or unit before it is only a prefix).
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The word `word`, not followed by a letter or digit (`EA` does not match `EAR`).
pub(crate) fn keyword<'a>(word: &'static str) -> impl FnMut(&'a str) -> PResult<'a, &'a str> {
    move |input: &'a str| {
        let (rest, matched) = tag(word).parse(input)?;
        let (rest, ()) = not(peek(satisfy(is_word))).parse(rest)?;
        Ok((rest, matched))
    }
}

/// A decimal number with optional thousands separators and fraction: `12`, `12.80`,
/// `1,024.00`, `0.0622005`. The scale is kept as written.
pub(crate) fn decimal(input: &str) -> PResult<'_, Decimal> {
    let bytes = input.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut mantissa: u128 = 0;
    let mut digits = 0u32;
    let mut scale = 0u32;
    let push = |b: u8, mantissa: &mut u128| {
        *mantissa = mantissa.saturating_mul(10).saturating_add(u128::from(b - b'0'));
    };
    let mut i = 0;
    while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        push(b, &mut mantissa);
        digits += 1;
        i += 1;
    }
    if digits == 0 {
        return fail(input, Expected::NUMBER);
    }
    // Thousands groups: `,ddd` not followed by another digit, after at most three digits.
    if digits <= 3 {
        while bytes.get(i) == Some(&b',') && (1..=3).all(|k| digit_at(i + k)) && !digit_at(i + 4) {
            for k in 1..=3 {
                if let Some(&b) = bytes.get(i + k) {
                    push(b, &mut mantissa);
                }
            }
            digits += 3;
            i += 4;
        }
    }
    if bytes.get(i) == Some(&b'.') && digit_at(i + 1) {
        i += 1;
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            push(b, &mut mantissa);
            digits += 1;
            scale += 1;
            i += 1;
        }
    }
    // Decimal holds 28 significant digits; more is not a rate.
    if digits > 28 {
        return fail(input, Expected::NUMBER);
    }
    let value = i128::try_from(mantissa)
        .ok()
        .and_then(|m| Decimal::try_from_i128_with_scale(m, scale).ok());
    match (value, input.get(i..)) {
        (Some(value), Some(rest)) => Ok((rest, value)),
        _ => fail(input, Expected::NUMBER),
    }
}

/// A small unsigned integer (up to 9 digits): days, fraction parts.
pub(crate) fn small_uint(input: &str) -> PResult<'_, u32> {
    let len = input.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 9 {
        return fail(input, Expected::NUMBER);
    }
    let value = input.get(..len).and_then(|s| s.parse().ok());
    match (value, input.get(len..)) {
        (Some(value), Some(rest)) => Ok((rest, value)),
        _ => fail(input, Expected::NUMBER),
    }
}

/// Matches `spelling` at the start of `input`, where each space in the spelling matches zero
/// or one space of the input (`100 kg` matches `100kg`). Returns the bytes consumed.
pub(crate) fn match_loose(input: &str, spelling: &str) -> Option<usize> {
    let bytes = input.as_bytes();
    let mut i = 0;
    for &s in spelling.as_bytes() {
        if s == b' ' {
            if bytes.get(i) == Some(&b' ') {
                i += 1;
            }
        } else if bytes.get(i) == Some(&s) {
            i += 1;
        } else {
            return None;
        }
    }
    Some(i)
}

/// The first spelling of `table` that matches at the start of `input` and ends at a word
/// boundary. With `of_may_follow`, a spelling may also run straight into `of ` (the HTSUS
/// has `m2of recording surface`).
pub(crate) fn lookup<'a, 't, T>(
    input: &'a str,
    table: &'t [Spelling<T>],
    of_may_follow: bool,
) -> Option<(&'a str, &'t Spelling<T>)> {
    table.iter().find_map(|spelling| {
        let len = match_loose(input, spelling.text)?;
        let rest = input.get(len..)?;
        let at_boundary = !rest.chars().next().is_some_and(is_word)
            || (of_may_follow && rest.starts_with("of "))
            || spelling.text.ends_with(|c: char| !is_word(c));
        at_boundary.then_some((rest, spelling))
    })
}

/// The text up to (not including) the first character for which `stop` holds, trimmed; fails
/// when empty.
pub(crate) fn text_until(input: &str, stop: impl Fn(char) -> bool) -> PResult<'_, &str> {
    let end = input.find(stop).unwrap_or(input.len());
    let text = input.get(..end).unwrap_or(input).trim_end();
    if text.is_empty() {
        return fail(input, Expected::TEXT);
    }
    // The rest starts right after the text, spaces included, so callers see them.
    Ok((input.get(text.len()..).unwrap_or_default(), text))
}

/// Lifts an `Option`-returning lookup into a parser result.
pub(crate) fn found<'a, T>(
    input: &'a str,
    expected: Expected,
    value: Option<(&'a str, T)>,
) -> PResult<'a, T> {
    value.ok_or(nom::Err::Error(PError { at: input, expected }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tariff::expr::units::{TARIC_UNITS, US_UNITS, UnitCode};

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(decimal("12.80%"), Ok(("%", dec("12.80"))));
        assert_eq!(decimal("12.80%").unwrap().1.to_string(), "12.80");
        assert_eq!(decimal("0.0622005¢"), Ok(("¢", dec("0.0622005"))));
        assert_eq!(decimal("1,024.00 EUR"), Ok((" EUR", dec("1024.00"))));
        assert_eq!(decimal("17 GBP"), Ok((" GBP", dec("17"))));
    }

    #[test]
    fn decimal_edges() {
        // A comma not followed by exactly three digits is not a thousands separator.
        assert_eq!(decimal("12,80%"), Ok((",80%", dec("12"))));
        assert_eq!(decimal("1,0000"), Ok((",0000", dec("1"))));
        // A dot without digits after it is not part of the number.
        assert_eq!(decimal("1."), Ok((".", dec("1"))));
        assert!(decimal("x").is_err());
        assert!(decimal("").is_err());
        assert!(decimal("12345678901234567890123456789").is_err());
    }

    #[test]
    fn loose_spellings() {
        assert_eq!(match_loose("100kg", "100 kg"), Some(5));
        assert_eq!(match_loose("100 kg", "100 kg"), Some(6));
        assert_eq!(match_loose("net/% sacchar.", "net / % sacchar."), Some(14));
        assert_eq!(match_loose("net/ % sacchar.", "net / % sacchar."), Some(15));
        assert_eq!(match_loose("10 kg", "100 kg"), None);
    }

    #[test]
    fn lookups_respect_word_boundaries() {
        let (rest, s) = lookup("kg eda", TARIC_UNITS, false).unwrap();
        assert_eq!((rest, s.value), (" eda", UnitCode::Kgm));
        assert!(lookup("kgs", TARIC_UNITS, false).is_none());
        let (rest, s) = lookup("tonne", TARIC_UNITS, false).unwrap();
        assert_eq!((rest, s.label), ("", "1,000 kg"));
        let (rest, s) = lookup("m2of recording surface", US_UNITS, true).unwrap();
        assert_eq!((rest, s.label), ("of recording surface", "m2"));
        let (_, s) = lookup("gross + 4.3%", US_UNITS, false).unwrap();
        assert_eq!(s.value.0, UnitCode::Gro);
        let (_, s) = lookup("doz. + 1.4%", US_UNITS, false).unwrap();
        assert_eq!(s.value.0, UnitCode::Dzn);
    }

    #[test]
    fn keywords_need_a_boundary() {
        assert_eq!(keyword("EA")("EA MAX"), Ok((" MAX", "EA")));
        assert!(keyword("EA")("EAR").is_err());
    }

    #[test]
    fn text_until_trims() {
        assert_eq!(text_until("the case + 14%", |c| c == '+'), Ok((" + 14%", "the case")));
        assert_eq!(text_until("the case", |c| c == '+'), Ok(("", "the case")));
        assert!(text_until(" + 1%", |c| c == '+').is_err());
    }
}
