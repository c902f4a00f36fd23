//! Calendar dates: declaration dates, tariff validity periods, exchange-rate months.
//!
//! A small proleptic-Gregorian date is all Preclear needs; it avoids a date-time dependency
//! in the core and in the WebAssembly build.

use std::fmt;
use std::num::NonZeroU8;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar date (year 1..=9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    /// Never zero, so that an `Option<Date>` takes no more room than a date: packs hold tens of
    /// thousands of optional validity dates.
    month: NonZeroU8,
    day: u8,
}

impl Date {
    /// The date, when `year`, `month` and `day` name a real day.
    #[must_use]
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month: NonZeroU8::new(month)?, day })
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1..=12.
    #[must_use]
    pub fn month(self) -> u8 {
        self.month.get()
    }

    /// The day of the month, 1..=31.
    #[must_use]
    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses `CCYYMMDD` (EDIFACT format code 102).
    #[must_use]
    pub fn parse_compact(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 8 || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let year = text.get(0..4)?.parse().ok()?;
        let month = text.get(4..6)?.parse().ok()?;
        let day = text.get(6..8)?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// The number of days since 0001-01-01, for date arithmetic.
    #[must_use]
    pub fn ordinal(self) -> i64 {
        // Days before this year, then before this month, then the day.
        let y = i64::from(self.year) - 1;
        let mut days = y * 365 + y / 4 - y / 100 + y / 400;
        for month in 1..self.month.get() {
            days += i64::from(days_in_month(self.year, month));
        }
        days + i64::from(self.day) - 1
    }
}

/// Whether `year` is a leap year.
#[must_use]
pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The number of days in `month` of `year`.
#[must_use]
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month.get(), self.day)
    }
}

/// Error for a string that is not an ISO `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParseError(pub String);

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a date in the form YYYY-MM-DD", self.0)
    }
}

impl std::error::Error for DateParseError {}

impl FromStr for Date {
    type Err = DateParseError;

    /// Parses ISO `YYYY-MM-DD`.
    fn from_str(text: &str) -> Result<Date, DateParseError> {
        let error = || DateParseError(text.to_owned());
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return Err(error());
        }
        let digits = |range: std::ops::Range<usize>| {
            text.get(range).filter(|part| part.bytes().all(|b| b.is_ascii_digit()))
        };
        let year = digits(0..4).and_then(|part| part.parse().ok()).ok_or_else(error)?;
        let month = digits(5..7).and_then(|part| part.parse().ok()).ok_or_else(error)?;
        let day = digits(8..10).and_then(|part| part.parse().ok()).ok_or_else(error)?;
        Date::new(year, month, day).ok_or_else(error)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_dates() {
        let date: Date = "2024-02-29".parse().unwrap();
        assert_eq!(date.to_string(), "2024-02-29");
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2023-13-01".parse::<Date>().is_err());
        assert!("2023-1-01".parse::<Date>().is_err());
        assert!("+023-01-01".parse::<Date>().is_err());
    }

    #[test]
    fn parses_compact_dates() {
        assert_eq!(Date::parse_compact("20171001"), Date::new(2017, 10, 1));
        assert_eq!(Date::parse_compact("20170931"), None);
        assert_eq!(Date::parse_compact("2017100"), None);
    }

    #[test]
    fn ordinals_count_days() {
        let a = Date::new(2024, 2, 28).unwrap();
        let b = Date::new(2024, 3, 1).unwrap();
        assert_eq!(b.ordinal() - a.ordinal(), 2);
        assert_eq!(Date::new(1, 1, 1).unwrap().ordinal(), 0);
        let c = Date::new(2025, 1, 1).unwrap();
        assert_eq!(c.ordinal() - Date::new(2024, 1, 1).unwrap().ordinal(), 366);
    }
}
