//! The catalogue of finding codes.
//!
//! Codes are stable: once published a code keeps its meaning, and a retired code is never
//! reused. Each family names the stage that reports it: `PC-READ` (reading the document),
//! `PC-VAL` (validation rules), `PC-DUTY` (valuation, measures, duties and taxes), `PC-PR`
//! (prohibitions, restrictions, sanctions), `PC-RISK` (risk) and `PC-TARIFF` (tariff data).

use crate::finding::{Code, Severity};

macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident = ($id:literal, $severity:ident, $title:literal); )*) => {
        $(
            $(#[$doc])*
            pub const $name: Code = Code { id: $id, severity: Severity::$severity, title: $title };
        )*
        /// Every code in the catalogue, in catalogue order.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    // Reading the document.

    /// The input is not well-formed XML (unclosed element, bad comment, stray markup, ...).
    READ_NOT_WELL_FORMED = ("PC-READ-001", Error, "not well-formed XML");
    /// A DOCTYPE or entity declaration was found; Preclear never expands entities.
    READ_DOCTYPE_REFUSED = ("PC-READ-002", Error, "DOCTYPE and entity declarations are refused");
    /// An element that the schema does not define at this place.
    READ_UNKNOWN_ELEMENT = ("PC-READ-003", Warning, "unknown element");
    /// A known element out of the schema's sequence order.
    READ_MISPLACED_ELEMENT = ("PC-READ-004", Warning, "element out of schema order");
    /// An element occurs more often than the schema allows; the extra occurrence is ignored.
    READ_TOO_MANY = ("PC-READ-005", Error, "element occurs too many times");
    /// A number that is not a plain decimal (`12,50`, `1e5`, letters, too many digits).
    READ_INVALID_NUMBER = ("PC-READ-006", Error, "invalid number");
    /// A date or date-time that does not match its format code.
    READ_INVALID_DATE = ("PC-READ-007", Error, "invalid date");
    /// A value longer than the schema allows.
    READ_TOO_LONG = ("PC-READ-008", Error, "value too long");
    /// A number with more digits, or more decimals, than the schema allows.
    READ_TOO_MANY_DIGITS = ("PC-READ-009", Error, "too many digits");
    /// Text where the schema expects only child elements; it is ignored.
    READ_UNEXPECTED_TEXT = ("PC-READ-010", Warning, "unexpected text");
    /// An attribute the schema does not define; it is ignored.
    READ_UNKNOWN_ATTRIBUTE = ("PC-READ-011", Warning, "unknown attribute");
    /// An element in a namespace other than the one its schema requires; it is ignored.
    READ_WRONG_NAMESPACE = ("PC-READ-012", Warning, "element in the wrong namespace");
    /// The file is XML but not a customs declaration (a notification, an inventory message, ...).
    READ_NOT_A_DECLARATION = ("PC-READ-013", Error, "not a declaration");
    /// A required element is missing.
    READ_MISSING_ELEMENT = ("PC-READ-014", Error, "required element missing");
    /// The input is not valid UTF-8.
    READ_INVALID_ENCODING = ("PC-READ-015", Error, "invalid text encoding");
    /// The input holds no root element.
    READ_EMPTY = ("PC-READ-016", Error, "empty document");
    /// The input exceeds a configured limit (size, depth, items, value length).
    READ_LIMIT_EXCEEDED = ("PC-READ-017", Error, "limit exceeded");
    /// Content after the root element; it is ignored.
    READ_TRAILING_CONTENT = ("PC-READ-018", Warning, "content after the root element");
    /// A required attribute is missing.
    READ_MISSING_ATTRIBUTE = ("PC-READ-019", Error, "required attribute missing");
    /// An attribute value that breaks its format (`currencyID="gbp"`, unknown `formatCode`).
    READ_INVALID_ATTRIBUTE = ("PC-READ-020", Error, "invalid attribute value");
    /// A value that breaks a pattern or enumeration of the schema.
    READ_INVALID_VALUE = ("PC-READ-021", Error, "value not allowed by the schema");
    /// The root is a declaration in an envelope or dialect that Preclear reads with a caveat.
    READ_ENVELOPE = ("PC-READ-022", Info, "declaration read from an envelope");

    // Prohibitions, restrictions and sanctions.

    /// Goods whose import or export is prohibited (an embargo, a ban), with no licence declared.
    PR_PROHIBITED = ("PC-PR-001", Error, "prohibited goods");
    /// Restricted goods without a document that satisfies the restriction.
    PR_NEEDS_DOCUMENT = ("PC-PR-002", Error, "restricted goods: document missing");
    /// Restricted goods with a document (or a statement) that satisfies the restriction.
    PR_SATISFIED = ("PC-PR-003", Info, "restricted goods: document declared");
    /// A restriction that may apply; the broker should check. A warning for a written rule
    /// (an embargo's chapter list) or a statement Preclear does not know; information where
    /// the source cannot tell whether the goods are concerned (a country group it does not
    /// resolve, a control on only some goods of the code, an HMRC code it does not describe).
    PR_MAY_APPLY = ("PC-PR-004", Warning, "restriction may apply");
    /// The goods description names a CITES-listed species or a protected-wildlife keyword.
    PR_PROTECTED_SPECIES = ("PC-PR-005", Warning, "protected species named in the description");
    /// A party's name is the same words as a sanctions-list name.
    PR_SANCTIONS_MATCH = ("PC-PR-006", Error, "party matches a sanctions list entry");
    /// A party's name is close to a sanctions-list name.
    PR_SANCTIONS_POSSIBLE = ("PC-PR-007", Warning, "party may match a sanctions list entry");

    // Tariff data and duty expressions.

    /// A duty expression that does not follow the grammar.
    TARIFF_BAD_EXPRESSION = ("PC-TARIFF-001", Error, "malformed duty expression");
    /// A tariff pack that cannot be loaded.
    TARIFF_BAD_PACK = ("PC-TARIFF-002", Error, "malformed tariff pack");
    /// A commodity code that is not in the tariff.
    TARIFF_UNKNOWN_CODE = ("PC-TARIFF-003", Error, "commodity code not in the tariff");
    /// The declaration's date lies outside the period the loaded tariff covers.
    TARIFF_DATE_OUTSIDE_PACK = ("PC-TARIFF-004", Warning, "date outside the tariff's period");
}

/// Looks a code up by its identifier.
#[must_use]
pub fn by_id(id: &str) -> Option<Code> {
    ALL.iter().copied().find(|code| code.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in ALL {
            assert!(seen.insert(code.id), "duplicate code {}", code.id);
            let mut parts = code.id.split('-');
            assert_eq!(parts.next(), Some("PC"), "{}", code.id);
            let family = parts.next().unwrap_or_default();
            assert!(
                ["READ", "VAL", "DUTY", "PR", "RISK", "TARIFF"].contains(&family),
                "{}",
                code.id
            );
            let number = parts.next().unwrap_or_default();
            assert!(number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()), "{}", code.id);
        }
    }
}
