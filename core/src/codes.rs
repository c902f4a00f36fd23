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

    // Validation rules (see `crate::rules`). 001-019: structure, quantities, procedures and
    // obligations; 020-049: code lists and formats.

    /// DE 1/9 does not match the number of goods items.
    VAL_GOODS_ITEM_QUANTITY = ("PC-VAL-001", Error, "item count differs from the goods items");
    /// Goods item numbers are not 1..n, unique and at most 999.
    VAL_ITEM_SEQUENCE = ("PC-VAL-002", Error, "goods item numbers out of sequence");
    /// Net mass above gross mass, per item or in total.
    VAL_NET_GROSS_MASS = ("PC-VAL-003", Error, "net mass above gross mass");
    /// A procedure code (DE 1/10, 1/11) that is not valid.
    VAL_PROCEDURE_CODE = ("PC-VAL-004", Error, "invalid procedure code");
    /// An amendment or cancellation without what identifies what it changes.
    VAL_AMENDMENT = ("PC-VAL-005", Error, "incomplete amendment or cancellation");
    /// A data element the declaration type requires is missing.
    VAL_OBLIGATION = ("PC-VAL-006", Error, "required data element missing");
    /// A commodity code that is not in the tariff, not valid on the date, or not declarable.
    VAL_COMMODITY_CODE = ("PC-VAL-007", Error, "invalid commodity code");
    /// DE 6/18 differs from the sum of the items' packages.
    VAL_TOTAL_PACKAGES = ("PC-VAL-008", Warning, "total packages differ from the items");
    /// The invoice amount disagrees with the items (currency or total).
    VAL_INVOICE_AMOUNT = ("PC-VAL-009", Error, "invoice amount disagrees with the items");
    /// An amount without a currency.
    VAL_AMOUNT_CURRENCY = ("PC-VAL-010", Error, "amount without a currency");
    /// A preference claimed without a preferential origin or a proof of origin.
    VAL_PREFERENCE_CLAIM = ("PC-VAL-011", Error, "preference claim incomplete");
    /// A quota order number without a quota preference code.
    VAL_QUOTA_PREFERENCE = ("PC-VAL-012", Error, "quota without a quota preference");
    /// An authorisation held by a party that is not on the declaration.
    VAL_AUTHORISATION_HOLDER = ("PC-VAL-013", Error, "authorisation holder not on the declaration");
    /// A VAT identifier that cannot be used for this import.
    VAL_VAT_IDENTIFIER = ("PC-VAL-014", Error, "invalid VAT identifier");
    /// A goods location code that is not well formed.
    VAL_GOODS_LOCATION = ("PC-VAL-015", Warning, "invalid goods location");
    /// A country code that is not ISO 3166-1 alpha-2 nor one of the codes CDS adds.
    VAL_COUNTRY_CODE = ("PC-VAL-020", Error, "unknown country code");
    /// A currency that is not ISO 4217, or was withdrawn before the declaration's date.
    VAL_CURRENCY_CODE = ("PC-VAL-021", Error, "unknown or withdrawn currency");
    /// A unit that is neither UN/ECE Rec 20 nor a TARIC or CDS unit, or mass not in kilograms.
    VAL_UNIT_CODE = ("PC-VAL-022", Error, "unknown unit code");
    /// A package type that is not in UN/ECE Rec 21.
    VAL_PACKAGE_TYPE = ("PC-VAL-023", Error, "unknown package type");
    /// A mode of transport that CDS does not accept.
    VAL_TRANSPORT_MODE = ("PC-VAL-024", Error, "invalid mode of transport");
    /// A location coded as a UN/LOCODE that is not one.
    VAL_LOCODE = ("PC-VAL-025", Warning, "unknown UN/LOCODE");
    /// A document code (DE 2/3) that is malformed or misses its identifier or status.
    VAL_DOCUMENT_CODE = ("PC-VAL-026", Error, "invalid or incomplete document code");
    /// A document status code (DE 2/3) that is not in the EDIFACT 4183 list CDS uses.
    VAL_DOCUMENT_STATUS = ("PC-VAL-027", Error, "invalid document status code");
    /// A preference code (DE 4/17) that is not in the CDS list.
    VAL_PREFERENCE_CODE = ("PC-VAL-028", Error, "unknown preference code");
    /// A declaration type (DE 1/1 and 1/2) that CDS does not accept.
    VAL_DECLARATION_TYPE = ("PC-VAL-029", Error, "invalid declaration type");
    /// A party or authorisation holder identifier that is not a valid EORI.
    VAL_EORI = ("PC-VAL-030", Error, "invalid EORI");
    /// An MRN with the wrong structure or check character.
    VAL_MRN = ("PC-VAL-031", Error, "invalid MRN");
    /// An LRN longer than CDS accepts.
    VAL_LRN = ("PC-VAL-032", Error, "LRN too long");
    /// An ISO 6346 container number with the wrong check digit.
    VAL_CONTAINER_NUMBER = ("PC-VAL-033", Warning, "invalid container number");
    /// A tax amount (DE 4/6, 4/7) declared in a currency other than GBP.
    VAL_TAX_AMOUNT_CURRENCY = ("PC-VAL-034", Error, "tax amount not in GBP");
    /// A fixed exchange rate (DE 4/15) for a currency other than GBP.
    VAL_EXCHANGE_RATE_CURRENCY = ("PC-VAL-035", Error, "exchange rate without GBP");

    // Valuation, measures, duties and taxes (see `crate::assess`).

    /// The customs value of an item cannot be determined.
    DUTY_NO_VALUE = ("PC-DUTY-001", Warning, "no customs value");
    /// An amount is in a currency with no exchange rate for the period.
    DUTY_NO_EXCHANGE_RATE = ("PC-DUTY-002", Error, "no exchange rate");
    /// A rate cannot be computed (text rate, entry price, Meursing component, ...).
    DUTY_NOT_COMPUTABLE = ("PC-DUTY-003", Warning, "rate not computable");
    /// A rate is charged on a quantity the declaration does not give.
    DUTY_MISSING_QUANTITY = ("PC-DUTY-004", Error, "quantity needed for a specific rate");
    /// The loaded tariff has no duty measure for the commodity (a gap in the data, said so).
    DUTY_NO_MEASURE = ("PC-DUTY-005", Info, "no duty measure");
    /// A claimed preference is refused, with the reason.
    DUTY_PREFERENCE_REFUSED = ("PC-DUTY-006", Warning, "preference refused");
    /// A quota order number the tariff does not hold for the commodity.
    DUTY_QUOTA_UNKNOWN = ("PC-DUTY-007", Info, "quota not found");
    /// An excise tax type whose rate the tariff does not hold.
    DUTY_EXCISE_RATE_MISSING = ("PC-DUTY-008", Info, "excise rate not in the tariff");
    /// A tax line declared by the trader differs from the one computed.
    DUTY_DECLARED_DIFFERS = ("PC-DUTY-009", Error, "declared tax differs from the computed tax");
    /// Something the assessment does not cover, said so rather than guessed.
    DUTY_NOT_ASSESSED = ("PC-DUTY-010", Info, "not assessed");
    /// An amount too large to compute exactly.
    DUTY_OVERFLOW = ("PC-DUTY-011", Error, "amount out of range");
    /// A proven preference, or a claimed suspension, whose rate the loaded tariff does not
    /// hold: the third-country duty is shown instead.
    DUTY_PREFERENCE_RATE_UNKNOWN = ("PC-DUTY-012", Info, "preferential rate not in the tariff");
    /// A US special programme claim whose eligibility the data cannot decide (beneficiary
    /// countries designated by proclamation): the general rate is shown.
    DUTY_PROGRAMME_NOT_CHECKED = ("PC-DUTY-013", Info, "programme eligibility not in the data");
    /// A US chapter 99 heading the line refers to, or the item declares, that is not applied:
    /// its text does not say which goods or origins it covers, or its rate is not evaluated.
    DUTY_CHAPTER_99_NOT_APPLIED = ("PC-DUTY-014", Info, "chapter 99 heading not applied");

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

    // Risk.

    /// Risk criteria or a risk model that cannot be read; the lane is not assessed.
    RISK_BAD_PROFILE = ("PC-RISK-001", Error, "malformed risk criteria or model");

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
