//! `amendment`: amendments (`COR`) and cancellations (`INV`) say what they change.
//!
//! Why: an amendment or cancellation refers to a lodged declaration by its MRN (`ID`), uses
//! function code 13, and says what changes: an amendment points at the changed data
//! elements (`AdditionalInformation` of type `AES` with `Pointer`s), a cancellation gives a
//! reason (`Amendment/ChangeReasonCode`). An original declaration (function code 9) is
//! never of type `COR` or `INV`. Source: HMRC CDS Declaration Completion Instructions
//! (amendments and invalidations); WCO DMS schema; HMRC's amendment and cancellation samples.

use super::{Rule, declaration, finding_at, finding_missing, text, type_code};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "amendment",
    code: codes::VAL_AMENDMENT,
    summary: "amendments and cancellations carry function code 13, the MRN, and pointers or a reason",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let declaration = declaration(cx);
    let Some(kind) = type_code(cx) else { return };
    let function = text(declaration.function_code.as_ref());
    let is_change = matches!(kind, "COR" | "INV");
    // A goods presentation (GPR) refers to a lodged declaration with function code 13 too.
    let uses_thirteen = is_change || kind == "GPR";
    let what = if kind == "INV" { "a cancellation" } else { "an amendment" };
    if let Some(function_code) = &declaration.function_code {
        if is_change && function != Some("13") {
            findings.push(
                finding_at(
                    cx,
                    RULE.code,
                    function_code.node,
                    format!(
                        "{what} ({kind}) must have function code 13, not {}",
                        function_code.as_str()
                    ),
                )
                .with_dms_code("DMS10020"),
            );
        }
        if !uses_thirteen && function == Some("13") {
            findings.push(
                finding_at(cx, RULE.code, function_code.node, format!("function code 13 is for amendments (COR), cancellations (INV) and goods presentations (GPR); this declaration is of type {kind}"))
                    .with_dms_code("DMS10020")
                    .with_help("an original declaration has function code 9"),
            );
        }
    }
    if !is_change {
        return;
    }
    if text(declaration.id.as_ref()).is_none() {
        findings.push(
            finding_missing(
                cx,
                RULE.code,
                declaration.node,
                "ID",
                format!("{what} needs the MRN of the declaration it changes (`ID`)"),
            )
            .with_dms_code("DMS10001"),
        );
    }
    if kind == "COR" {
        let points = declaration.additional_information.iter().any(|information| {
            text(information.statement_type_code.as_ref()) == Some("AES")
                && !information.pointers.is_empty()
        });
        if !points {
            findings.push(
                finding_missing(cx, RULE.code, declaration.node, "AdditionalInformation", "an amendment needs an `AdditionalInformation` of type AES with a `Pointer` to each changed data element".to_owned())
                    .with_dms_code("DMS10001"),
            );
        }
    } else {
        let reason = declaration
            .amendments
            .iter()
            .any(|amendment| text(amendment.change_reason_code.as_ref()).is_some());
        if !reason {
            findings.push(
                finding_missing(
                    cx,
                    RULE.code,
                    declaration.node,
                    "Amendment",
                    "a cancellation needs a reason (`Amendment/ChangeReasonCode`)".to_owned(),
                )
                .with_dms_code("DMS10001"),
            );
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const TYPE: &str = "<TypeCode>IMA</TypeCode>";
    const FUNCTION: &str = "<FunctionCode>9</FunctionCode>";
    const AFTER_LRN: &str = "<FunctionalReferenceID>PCFX24IMA0001</FunctionalReferenceID>";
    const MRN: &str =
        "<FunctionalReferenceID>PCFX24IMA0001</FunctionalReferenceID><ID>24GB7R2K9QX4LM1TA6</ID>";
    const POINTER: &str = "<AdditionalDocument>\n\t\t\t<CategoryCode>1</CategoryCode>";
    const AES: &str = "<AdditionalInformation><StatementDescription>Net mass corrected</StatementDescription><StatementTypeCode>AES</StatementTypeCode><Pointer><SequenceNumeric>1</SequenceNumeric><DocumentSectionCode>42A</DocumentSectionCode></Pointer></AdditionalInformation><AdditionalDocument>\n\t\t\t<CategoryCode>1</CategoryCode>";
    const REASON: &str = "</Agent>";

    #[test]
    fn amendment() {
        let pass = [
            ("original", &[][..]),
            (
                "amendment with MRN and pointer",
                &[
                    (FUNCTION, "<FunctionCode>13</FunctionCode>"),
                    (AFTER_LRN, MRN),
                    (TYPE, "<TypeCode>COR</TypeCode>"),
                    (POINTER, AES),
                ][..],
            ),
            (
                "cancellation with MRN and reason",
                &[
                    (FUNCTION, "<FunctionCode>13</FunctionCode>"),
                    (AFTER_LRN, MRN),
                    (TYPE, "<TypeCode>INV</TypeCode>"),
                    (
                        REASON,
                        "</Agent><Amendment><ChangeReasonCode>1</ChangeReasonCode></Amendment>",
                    ),
                ][..],
            ),
        ];
        let fail = [
            (
                "amendment with function code 9",
                &[(AFTER_LRN, MRN), (TYPE, "<TypeCode>COR</TypeCode>"), (POINTER, AES)][..],
            ),
            (
                "original with function code 13",
                &[(FUNCTION, "<FunctionCode>13</FunctionCode>")][..],
            ),
            (
                "amendment without MRN",
                &[
                    (FUNCTION, "<FunctionCode>13</FunctionCode>"),
                    (TYPE, "<TypeCode>COR</TypeCode>"),
                    (POINTER, AES),
                ][..],
            ),
            (
                "amendment without pointer",
                &[
                    (FUNCTION, "<FunctionCode>13</FunctionCode>"),
                    (AFTER_LRN, MRN),
                    (TYPE, "<TypeCode>COR</TypeCode>"),
                ][..],
            ),
            (
                "cancellation without reason",
                &[
                    (FUNCTION, "<FunctionCode>13</FunctionCode>"),
                    (AFTER_LRN, MRN),
                    (TYPE, "<TypeCode>INV</TypeCode>"),
                ][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
