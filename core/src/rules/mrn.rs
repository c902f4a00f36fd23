//! `mrn`: MRNs have the structure and check character of a Movement Reference Number.
//!
//! An MRN is 18 characters: the last two digits of the year it was issued, the issuing
//! country (`GB`, `XI`), 13 capital letters or digits, and a check character: the ISO 6346
//! check digit of the first 17 (remainder 10 gives `0`). Every MRN CDS issued in HMRC's
//! published notifications (acceptances, tax and clearance notices, rejections) and every
//! amendment's and cancellation's `Declaration/ID` follows that scheme (`24GBA4ZYBWXU1BSA00`,
//! `18GBJCM3USAFD2WD51`).
//!
//! Checked: `Declaration/ID`, the MRN of the declaration an amendment, cancellation or goods
//! presentation refers to: a malformed one is an error (DMS10020) and one with a wrong check
//! character refers to no declaration (DMS12015). Also the previous documents that are MRNs
//! (types `355` entry summary, `MRN`, and `SDE` simplified declaration when it is not an
//! entry in the declarant's records; with an optional `-n` item suffix): HMRC's trade-test
//! declarations quote made-up MRNs there and CDS accepted them, so there a wrong MRN is a
//! warning.
//!
//! Why: a mistyped MRN makes CDS refuse an amendment or fail to link a declaration to its
//! entry summary or simplified declaration, which the broker only learns after lodging.
//! Sources: the MRN structure of the Union Customs Code's data requirements, as HMRC's CDS
//! guidance uses it; ISO 6346 (check digit); the MRNs in HMRC's CDS notifications, all of
//! which this algorithm verifies.

use super::iso6346::check_digit;
use super::{Rule, declaration, finding_at, items, shipment, text};
use crate::check::Context;
use crate::codes;
use crate::decl::dms::PreviousDocument;
use crate::decl::value::Text;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "mrn",
    code: codes::VAL_MRN,
    summary: "MRNs have 18 characters and a valid ISO 6346 check character",
    check,
};

/// Previous document types whose identifier is an MRN.
const MRN_DOCUMENTS: &[&str] = &["355", "MRN", "SDE"];

/// What is wrong with an MRN.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// Not two digits, two letters, 13 letters or digits and a check character.
    Shape,
    /// The check character should be the given digit.
    Check(u8),
}

fn problem(mrn: &str) -> Option<Problem> {
    let bytes = mrn.as_bytes();
    let (Some(year), Some(country), Some(rest)) = (bytes.get(..2), bytes.get(2..4), bytes.get(4..))
    else {
        return Some(Problem::Shape);
    };
    let shape = bytes.len() == 18
        && year.iter().all(u8::is_ascii_digit)
        && country.iter().all(u8::is_ascii_uppercase)
        && rest.iter().all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit());
    if !shape {
        return Some(Problem::Shape);
    }
    let expected = check_digit(mrn.get(..17)?)?;
    (bytes.get(17) != Some(&(b'0' + expected))).then_some(Problem::Check(expected))
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    if let Some(id) = &declaration(cx).id
        && !id.as_str().is_empty()
    {
        check_declaration_id(cx, id, findings);
    }
    let header = shipment(cx).map_or(&[][..], |shipment| &shipment.previous_documents);
    for document in header.iter().chain(items(cx).iter().flat_map(|item| &item.previous_documents))
    {
        check_previous(cx, document, findings);
    }
}

fn check_declaration_id(cx: &Context<'_>, id: &Text, findings: &mut Vec<Finding>) {
    let value = id.as_str();
    let Some(problem) = problem(value) else { return };
    findings.push(match problem {
        Problem::Shape => finding_at(cx, RULE.code, id.node, format!("`{value}` is not an MRN: 18 characters, the year, the country, 13 letters or digits and a check character"))
            .with_dms_code("DMS10020")
            .with_help("copy the MRN from the acceptance notification (DMSACC)"),
        Problem::Check(expected) => finding_at(cx, RULE.code, id.node, format!("MRN `{value}` has a wrong check character: it would be `{expected}`, so no declaration has this MRN"))
            .with_dms_code("DMS12015")
            .with_help("copy the MRN from the acceptance notification (DMSACC)"),
    });
}

fn check_previous(cx: &Context<'_>, document: &PreviousDocument, findings: &mut Vec<Finding>) {
    let Some(kind) = text(document.type_code.as_ref()) else { return };
    if !MRN_DOCUMENTS.contains(&kind) {
        return;
    }
    let Some(id) = &document.id else { return };
    let value = id.as_str();
    // A simplified declaration's MRN may carry the item it refers to (`...R1-2`).
    let mrn = value.split_once('-').map_or(value, |(mrn, _)| mrn);
    // A simplified declaration may also be an entry in the declarant's records, referred to
    // by its own reference (`XISDE553202734852I20231019133850` in HMRC's TT_IM030a).
    let looks_like_mrn = mrn.bytes().take(2).all(|byte| byte.is_ascii_digit());
    if mrn.is_empty() || (kind == "SDE" && !looks_like_mrn) {
        return;
    }
    let Some(problem) = problem(mrn) else { return };
    let category = text(document.category_code.as_ref()).unwrap_or_default();
    let message = match problem {
        Problem::Shape => format!(
            "previous document {category}{kind} `{value}` is not an MRN: 18 characters, the year, the country, 13 letters or digits and a check character"
        ),
        Problem::Check(expected) => format!(
            "previous document {category}{kind} `{value}` has a wrong MRN check character: it would be `{expected}`"
        ),
    };
    findings.push(
        finding_at(cx, RULE.code, id.node, message)
            .with_severity(Severity::Warning)
            .with_help("copy the MRN from the notification that issued it; a mistyped MRN does not link this declaration to that one"),
    );
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const ENTRY_SUMMARY: &str = "<ID>24GB7R2K9QX4LM1TA8</ID>";
    const TYPE: &str = "<TypeCode>IMA</TypeCode>";

    #[test]
    fn mrn() {
        let pass = [
            ("entry summary MRN", &[][..]),
            (
                "amendment of an issued MRN",
                &[
                    (TYPE, "<TypeCode>COR</TypeCode>"),
                    (
                        "</FunctionalReferenceID>",
                        "</FunctionalReferenceID><ID>24GBA4ZYBWXU1BSA00</ID>",
                    ),
                ][..],
            ),
            (
                "simplified declaration with its item",
                &[(ENTRY_SUMMARY, "<ID>24GB7R2K9QX4LM1TA8-1</ID>")][..],
            ),
        ];
        let fail = [
            (
                "amendment of an MRN with a wrong check character",
                &[
                    (TYPE, "<TypeCode>COR</TypeCode>"),
                    (
                        "</FunctionalReferenceID>",
                        "</FunctionalReferenceID><ID>24GBA4ZYBWXU1BSA01</ID>",
                    ),
                ][..],
            ),
            (
                "cancellation of an LRN",
                &[
                    (TYPE, "<TypeCode>INV</TypeCode>"),
                    ("</FunctionalReferenceID>", "</FunctionalReferenceID><ID>PCFX24IMA0001</ID>"),
                ][..],
            ),
            ("entry summary MRN mistyped", &[(ENTRY_SUMMARY, "<ID>24GB7R2K9QX4LM1TA6</ID>")][..]),
            ("entry summary MRN too short", &[(ENTRY_SUMMARY, "<ID>24GB7R2K9QX4LM1T</ID>")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
