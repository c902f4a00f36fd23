//! The values of data elements: text, amounts with their currency, measures with their unit,
//! numbers and date-times, each remembering the element it was read from.
//!
//! A value that could not be read (a number such as `12,50`) is kept with `value: None`;
//! the reader has already reported it, so later stages skip it instead of reporting it
//! again as missing.

use std::fmt;

use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::date::Date;
use crate::source::NodeId;

/// A text, code or identifier value, trimmed of surrounding whitespace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    /// The value. Most values are codes and identifiers of a few bytes, which this type keeps
    /// inline (up to 24 bytes) instead of in an allocation of their own.
    pub value: CompactString,
    /// The element it was read from.
    pub node: NodeId,
}

impl Text {
    /// The value as a string slice.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

/// A monetary amount (`*Amount` elements) with its `currencyID`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// The amount; `None` when the text was not a valid number (already reported).
    #[serde(rename = "amount")]
    pub value: Option<Decimal>,
    /// The ISO 4217 code from `currencyID`, when given.
    pub currency: Option<String>,
    /// The element it was read from.
    #[serde(skip)]
    pub node: NodeId,
}

/// A measure or quantity (`*Measure`, `*Quantity` elements) with its `unitCode`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// The quantity; `None` when the text was not a valid number (already reported).
    #[serde(rename = "quantity")]
    pub value: Option<Decimal>,
    /// The unit code exactly as written (`KGM`, `KGM#G`, `ASV`, ...), when given.
    pub unit: Option<String>,
    /// The element it was read from.
    #[serde(skip)]
    pub node: NodeId,
}

/// A plain number (`*Numeric` elements).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numeric {
    /// The number; `None` when the text was not a valid number (already reported).
    pub value: Option<Decimal>,
    /// The element it was read from.
    pub node: NodeId,
}

impl Numeric {
    /// The value as a whole number, when it is one and fits.
    #[must_use]
    pub fn as_u32(&self) -> Option<u32> {
        let value = self.value?;
        if value.fract().is_zero() { u32::try_from(value.trunc().mantissa()).ok() } else { None }
    }
}

impl Serialize for Numeric {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.value {
            Some(value) => Serialize::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }
}

/// A time of day with an optional UTC offset, from format code 304.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeOfDay {
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=59.
    pub second: u8,
    /// Offset from UTC in hours (`Z` = 0), when given.
    pub utc_offset_hours: Option<i8>,
}

/// A date-time element (`*DateTime` with a `DateTimeString` child).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DateTime {
    /// The text of `DateTimeString`, as written.
    pub text: String,
    /// The `formatCode` attribute: `102` (CCYYMMDD) or `304` (`CCYYMMDDhhmmss` with a zone).
    pub format_code: Option<String>,
    /// The date; `None` when the text does not match the format (already reported).
    pub date: Option<Date>,
    /// The time, for format 304.
    pub time: Option<TimeOfDay>,
    /// The element it was read from.
    #[serde(skip)]
    pub node: NodeId,
}

/// Why a number could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Not the lexical form of a decimal (`12,50`, `1e5`, `abc`, empty).
    Syntax,
    /// More significant digits than Preclear computes with exactly (28).
    Overflow,
}

/// The digits of a decimal's lexical form, for facet checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DigitCounts {
    /// Digits before the point, without leading zeros.
    pub integer: u32,
    /// Digits after the point, without trailing zeros.
    pub fraction: u32,
}

impl DigitCounts {
    /// `totalDigits` as XML Schema counts it.
    pub fn total(self) -> u32 {
        self.integer + self.fraction
    }
}

/// Parses the XML Schema `xs:decimal` lexical form: an optional sign, digits, an optional
/// point and digits. No exponent, no thousands separators, no decimal comma.
pub(crate) fn parse_decimal(text: &str) -> Result<(Decimal, DigitCounts), NumberError> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (integer, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if (integer.is_empty() && fraction.is_empty()) || !all_digits(integer) || !all_digits(fraction)
    {
        return Err(NumberError::Syntax);
    }
    let significant_integer = integer.trim_start_matches('0');
    let significant_fraction = fraction.trim_end_matches('0');
    let counts = DigitCounts {
        integer: u32::try_from(significant_integer.len()).unwrap_or(u32::MAX),
        fraction: u32::try_from(significant_fraction.len()).unwrap_or(u32::MAX),
    };
    // rust_decimal holds 28 significant digits exactly; more would be rounded, so refuse.
    if counts.total() > 28 || fraction.len() > 28 {
        return Err(NumberError::Overflow);
    }
    let negative = text.starts_with('-');
    let mut normalised = String::with_capacity(text.len() + 1);
    if negative {
        normalised.push('-');
    }
    normalised.push_str(if integer.is_empty() { "0" } else { integer });
    if !fraction.is_empty() {
        normalised.push('.');
        normalised.push_str(fraction);
    }
    let value = Decimal::from_str_exact(&normalised).map_err(|_| NumberError::Overflow)?;
    Ok((value, counts))
}

/// Parses a `DateTimeString` by its format code. Returns the date and, for 304, the time.
pub(crate) fn parse_date_time(text: &str, format_code: &str) -> Option<(Date, Option<TimeOfDay>)> {
    match format_code {
        "102" => Date::parse_compact(text).map(|date| (date, None)),
        "304" => {
            let date = Date::parse_compact(text.get(0..8)?)?;
            let rest = text.get(8..)?;
            let clock = rest.get(0..6)?;
            if !clock.bytes().all(|byte| byte.is_ascii_digit()) {
                return None;
            }
            let hour: u8 = clock.get(0..2)?.parse().ok()?;
            let minute: u8 = clock.get(2..4)?.parse().ok()?;
            let second: u8 = clock.get(4..6)?.parse().ok()?;
            if hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            let zone = rest.get(6..)?;
            // The schema's pattern requires a zone whenever a time is given.
            let utc_offset_hours = if zone == "Z" {
                Some(0)
            } else {
                let sign = match zone.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let hours = zone.get(1..)?;
                if hours.len() != 2 || !hours.bytes().all(|byte| byte.is_ascii_digit()) {
                    return None;
                }
                let hours: i8 = hours.parse().ok()?;
                if hours > 14 {
                    return None;
                }
                Some(sign * hours)
            };
            Some((date, Some(TimeOfDay { hour, minute, second, utc_offset_hours })))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_xml_schema_lexical_rules() {
        assert_eq!(parse_decimal("1000").unwrap().0, Decimal::new(1000, 0));
        assert_eq!(parse_decimal("12.50").unwrap().0.to_string(), "12.50");
        assert_eq!(parse_decimal(".5").unwrap().0.to_string(), "0.5");
        assert_eq!(parse_decimal("5.").unwrap().0.to_string(), "5");
        assert_eq!(parse_decimal("-3").unwrap().0.to_string(), "-3");
        for bad in ["12,50", "1e5", "", ".", "+", "1 000", "0x10", "--1", "NaN", "١٢"] {
            assert_eq!(parse_decimal(bad), Err(NumberError::Syntax), "{bad}");
        }
        let forty_digits = "1234567890123456789012345678901234567890";
        assert_eq!(parse_decimal(forty_digits), Err(NumberError::Overflow));
    }

    #[test]
    fn digit_counts_ignore_insignificant_zeros() {
        let (_, counts) = parse_decimal("00120.500").unwrap();
        assert_eq!((counts.integer, counts.fraction), (3, 1));
    }

    #[test]
    fn date_times_follow_their_format_code() {
        let (date, time) = parse_date_time("20171001010000+01", "304").unwrap();
        assert_eq!(date.to_string(), "2017-10-01");
        assert_eq!(time.unwrap().utc_offset_hours, Some(1));
        assert!(parse_date_time("20240222100938Z", "304").is_some());
        assert!(parse_date_time("20240222", "102").is_some());
        assert!(parse_date_time("20240230", "102").is_none());
        assert!(parse_date_time("20240222", "304").is_none());
        assert!(parse_date_time("20240222100938", "304").is_none());
        assert!(parse_date_time("20240222250000Z", "304").is_none());
        assert!(parse_date_time("20240222", "999").is_none());
    }
}
