//! The numbers of pack records read without the general parsers: sids, digit runs and dates
//! are read tens of thousands of times at every start. Free of the rest of the crate, so that
//! `core/build.rs` reads the compiled-in packs with the very same functions.

/// Digits only (at most 12) as a number: sids are read twice a nomenclature line at every
/// start, and `str::parse` handles signs and every width.
pub(crate) fn decimal(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 12 {
        return None;
    }
    text.bytes().try_fold(0u64, |value, byte| {
        byte.is_ascii_digit().then(|| value * 10 + u64::from(byte - b'0'))
    })
}

/// The sid of a UK nomenclature record as a number: TARIC sids as they are, UKGT-only lines
/// (`ukgt-CODE`) above every TARIC sid.
pub(crate) fn sid_key(text: &str) -> Option<u64> {
    if let Some(code) = text.strip_prefix("ukgt-") {
        return decimal(code).filter(|_| code.len() == 10).map(|code| (1 << 40) + code);
    }
    decimal(text).filter(|&sid| sid < 1 << 40)
}

/// A commodity code as a rule prefix, a slice of `code`: digits only, trailing `00` pairs
/// removed down to four digits (`None` for anything but 2 to 10 digits).
pub(crate) fn prefix_of(code: &str) -> Option<&str> {
    if !(2..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut prefix = code;
    while prefix.len() > 4 && prefix.len().is_multiple_of(2) && prefix.ends_with("00") {
        prefix = prefix.get(..prefix.len() - 2).unwrap_or(prefix);
    }
    Some(prefix)
}

/// The year, month and day of `YYYY-MM-DD`, unchecked against the calendar.
pub(crate) fn year_month_day(text: &str) -> Option<(u16, u8, u8)> {
    let bytes: [u8; 10] = text.as_bytes().try_into().ok()?;
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = bytes else { return None };
    let digit = |byte: u8| byte.is_ascii_digit().then(|| u16::from(byte - b'0'));
    let year = digit(y0)? * 1000 + digit(y1)? * 100 + digit(y2)? * 10 + digit(y3)?;
    let month = u8::try_from(digit(m0)? * 10 + digit(m1)?).ok()?;
    let day = u8::try_from(digit(d0)? * 10 + digit(d1)?).ok()?;
    Some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::{sid_key, year_month_day};

    #[test]
    fn sids_are_digits_and_ukgt_lines_sort_above_them() {
        assert_eq!(sid_key("27623"), Some(27_623));
        assert_eq!(sid_key("ukgt-0101210000"), Some((1 << 40) + 101_210_000));
        assert!(sid_key("ukgt-0101210000") > sid_key("999999999999"));
        for bad in ["", "+5", "-1", "12a", "ukgt-01012100", "ukgt-", "1099511627776", "１２"] {
            assert_eq!(sid_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_read_digit_by_digit() {
        assert_eq!(year_month_day("2026-11-27"), Some((2026, 11, 27)));
        for bad in ["2026-11-2", "2026/11/27", "2026-1a-27", "+026-11-27", "2026-11-270"] {
            assert_eq!(year_month_day(bad), None, "{bad}");
        }
    }
}
