//! Text normalisation applied before parsing.
//!
//! Rate cells come from PDFs, spreadsheets and HTML, so the same rate is spelt with stray
//! spacing. Before parsing, Preclear
//! * turns every whitespace character (newline, tab, no-break space) into a space, collapses
//!   runs of spaces and trims both ends;
//! * joins words broken by a hyphen at a line end (`thou- sand` → `thousand`,
//!   `appli- cable` → `applicable`): a hyphen after a letter, followed by spaces and a
//!   lowercase letter. A genuine compound broken at a line end (`internal- revenue`, in two
//!   chapter 98 cells) is joined too: no rule tells it from `thou- sand`, and such wording is
//!   only ever displayed;
//! * drops HTML tags (`<span>0.00</span> %`), as found in the UK Trade Tariff API.
//!
//! Most cells need none of this; they are borrowed, not copied. Errors report columns in the
//! original text, so the same rules can map a normalised offset back.

use std::borrow::Cow;

/// Normalises `text`, borrowing it when it is already normal.
pub(crate) fn normalize(text: &str) -> Cow<'_, str> {
    if is_normal(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(normalized_chars(text).into_iter().map(|(_, ch)| ch).collect())
}

/// The byte offset in `text` of the character that became byte `offset` of the normalised
/// text; the end of the last kept character when `offset` is at or past the end.
pub(crate) fn original_offset(text: &str, offset: usize) -> usize {
    let mut produced = 0;
    let mut end = 0;
    for (source, ch) in normalized_chars(text) {
        if produced >= offset {
            return source;
        }
        produced += ch.len_utf8();
        end = source + text.get(source..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
    }
    end
}

/// Whether `text` needs no normalisation (the fast path: one pass, no allocation).
fn is_normal(text: &str) -> bool {
    let mut before_previous: Option<char> = None;
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            ' ' => {
                // Leading, trailing or doubled spaces, and a space after a hyphen after a letter.
                let hyphen_break =
                    previous == Some('-') && before_previous.is_some_and(char::is_alphabetic);
                if previous.is_none_or(|p| p == ' ') || hyphen_break || chars.peek().is_none() {
                    return false;
                }
            }
            '<' => return false,
            c if c.is_whitespace() => return false,
            _ => {}
        }
        before_previous = previous;
        previous = Some(ch);
    }
    true
}

/// The normalised characters, each with the byte offset of its source in `text`.
fn normalized_chars(text: &str) -> Vec<(usize, char)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // Past the last `>` no `<` can open a tag; knowing that keeps the scan linear.
    let last_close = chars.iter().rposition(|&(_, c)| c == '>');
    let mut out: Vec<(usize, char)> = Vec::with_capacity(chars.len());
    let mut pending_space: Option<usize> = None;
    let mut i = 0;
    while let Some(&(pos, ch)) = chars.get(i) {
        if ch == '<' && last_close.is_some_and(|last| last > i) {
            // A tag runs to the next `>`; a `<` with no `>` after it is kept.
            let close = chars.iter().skip(i).position(|&(_, c)| c == '>').unwrap_or(0);
            i += close + 1;
            continue;
        }
        if ch.is_whitespace() {
            pending_space.get_or_insert(pos);
            i += 1;
            continue;
        }
        if ch == '-'
            && pending_space.is_none()
            && out.last().is_some_and(|&(_, p)| p.is_alphabetic())
        {
            // Tags are invisible here as everywhere: `AN-<b> bzt` must join as `AN- bzt` does,
            // or normalising twice would not give what normalising once gives.
            let mut j = i + 1;
            let mut spaced = false;
            loop {
                match chars.get(j) {
                    Some(&(_, c)) if c.is_whitespace() => {
                        spaced = true;
                        j += 1;
                    }
                    Some(&(_, '<')) if last_close.is_some_and(|last| last > j) => {
                        j += chars.iter().skip(j).position(|&(_, c)| c == '>').unwrap_or(0) + 1;
                    }
                    _ => break,
                }
            }
            if spaced && chars.get(j).is_some_and(|&(_, c)| c.is_lowercase()) {
                i = j;
                continue;
            }
        }
        if let Some(space) = pending_space.take()
            && !out.is_empty()
        {
            out.push((space, ' '));
        }
        out.push((pos, ch));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_text_is_borrowed() {
        for text in ["6.8%", "4.4¢/kg", "12.80% + 176.80 EUR / 100 kg", "01 JAN - 31 JAN"] {
            assert!(matches!(normalize(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn whitespace_is_collapsed_and_trimmed() {
        assert_eq!(normalize(" 9.00% +  EA "), "9.00% + EA");
        assert_eq!(normalize("Free \n(A+, AU)"), "Free (A+, AU)");
        assert_eq!(normalize("1.1\u{a0}€/100\u{a0}kg/net"), "1.1 €/100 kg/net");
        assert_eq!(normalize("3.7% "), "3.7%");
    }

    #[test]
    fn tags_around_a_hyphen_break_are_invisible() {
        // Found by fuzzing: the tag kept the hyphen break from joining, so the normalised text
        // (`AN- bzt`) normalised again to something else (`ANbzt`).
        for text in ["AN-<.05 \u{1}> bzt", "AN- <i>bzt", "AN-<b></b>\nbzt"] {
            let once = normalize(text).into_owned();
            assert_eq!(once, "ANbzt", "{text:?}");
            assert_eq!(normalize(&once), once, "{text:?}");
        }
        // A tag with no space is not a line break: the hyphen stays.
        assert_eq!(normalize("AN-<b>bzt"), "AN-bzt");
        assert_eq!(normalize("AN-bzt"), "AN-bzt");
    }

    #[test]
    fn hyphen_breaks_are_joined() {
        assert_eq!(normalize("$2.50/thou- sand + 40%"), "$2.50/thousand + 40%");
        assert_eq!(normalize("appli-\ncable"), "applicable");
        // Not a line break: date ranges and code ranges keep their hyphens.
        assert_eq!(normalize("01 JAN - 31 JAN"), "01 JAN - 31 JAN");
        assert_eq!(normalize("JAN- 14"), "JAN- 14");
        assert_eq!(normalize("9823.09.01-9823.09.09"), "9823.09.01-9823.09.09");
    }

    #[test]
    fn a_lone_angle_bracket_is_kept() {
        assert_eq!(normalize("a < b"), "a < b");
        assert_eq!(normalize("<b> < c"), "< c");
    }

    #[test]
    fn tags_are_dropped() {
        assert_eq!(
            normalize("<span>0.00</span> GBP / <abbr title='Tonne'>1000 kg/biodiesel</abbr>"),
            "0.00 GBP / 1000 kg/biodiesel"
        );
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let text = "  9.00% +  EA";
        let norm = normalize(text);
        let at = norm.find("EA").unwrap();
        assert_eq!(original_offset(text, at), text.find("EA").unwrap());
        assert_eq!(original_offset(text, norm.len()), text.len());
        assert_eq!(original_offset("6.8", 3), 3);
    }
}
