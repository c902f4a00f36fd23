//! `procedure-codes`: the procedure code (DE 1/10: requested + previous procedure) and the
//! additional procedure codes (DE 1/11) of each goods item.
//!
//! Why: the requested procedure decides the data set, the duties and the controls; CDS
//! refuses an unknown one before any other check (DMS12050, as HMRC's reference-data
//! rejection sample shows for `99`). Additional procedure codes are three characters, and
//! `000` ("no additional procedure") cannot be combined with another (DMS12149).
//! Sources: UCC Delegated Regulation (EU) 2015/2446 Annex B, DE 1/10 and 1/11 code lists
//! (as retained in UK law), plus the UK-only codes HMRC's own samples use (requested `00`
//! for entries in the declarant's records; previous `02`, `05`, `06`, `12`, `14`, `15`, `20`,
//! `90`); CDS error code list.

use super::{Rule, finding_at, items, text};
use crate::check::Context;
use crate::codes;
use crate::decl::dms::GovernmentProcedure;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "procedure-codes",
    code: codes::VAL_PROCEDURE_CODE,
    summary: "procedure codes (DE 1/10) and additional procedure codes (DE 1/11) are valid",
    check,
};

/// Requested procedures (DE 1/10, first two digits).
const REQUESTED: &[&str] = &[
    "00", "01", "07", "10", "11", "21", "22", "23", "31", "40", "42", "43", "44", "45", "46", "48",
    "51", "53", "54", "61", "63", "68", "71", "76", "77", "78", "95", "96",
];

/// Previous procedures (DE 1/10, last two digits).
const PREVIOUS: &[&str] = &[
    "00", "01", "02", "05", "06", "07", "10", "11", "12", "14", "15", "20", "21", "22", "23", "31",
    "40", "42", "43", "44", "45", "46", "48", "51", "53", "54", "61", "63", "68", "71", "76", "77",
    "78", "90", "95", "96",
];

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    for item in items(cx) {
        let mut procedures = item.government_procedures.iter();
        let Some(first) = procedures.next() else { continue };
        check_procedure(cx, first, findings);
        let additional: Vec<&GovernmentProcedure> = procedures.collect();
        check_additional(cx, &additional, findings);
    }
}

fn check_procedure(cx: &Context<'_>, procedure: &GovernmentProcedure, findings: &mut Vec<Finding>) {
    if let Some(current) = &procedure.current_code {
        let code = current.as_str();
        if !REQUESTED.contains(&code) {
            findings.push(
                finding_at(cx, RULE.code, current.node, format!("`{code}` is not a requested procedure code (DE 1/10)"))
                    .with_dms_code("DMS12050")
                    .with_help("the requested procedure is two digits, e.g. 40 (release for free circulation), 71 (customs warehousing), 10 (export)"),
            );
        }
    }
    match &procedure.previous_code {
        Some(previous) if !PREVIOUS.contains(&previous.as_str()) => {
            let code = previous.as_str();
            let message =
                format!("`{code}` is not a previous procedure code (DE 1/10) Preclear knows");
            let finding = finding_at(cx, RULE.code, previous.node, message);
            // The UK list of previous procedures is longer than the one Preclear carries:
            // a well-formed unknown code is a warning, anything else an error.
            let well_formed = code.len() == 2 && code.bytes().all(|byte| byte.is_ascii_digit());
            findings.push(if well_formed {
                finding.with_severity(Severity::Warning)
            } else {
                finding.with_dms_code("DMS10020")
            });
        }
        Some(_) => {}
        None => {
            findings.push(
                finding_at(
                    cx,
                    RULE.code,
                    procedure.node,
                    "the procedure code (DE 1/10) has no previous procedure; write `00` when there is none".to_owned(),
                )
                .with_dms_code("DMS10001"),
            );
        }
    }
}

fn check_additional(
    cx: &Context<'_>,
    additional: &[&GovernmentProcedure],
    findings: &mut Vec<Finding>,
) {
    let codes: Vec<&str> =
        additional.iter().filter_map(|procedure| text(procedure.current_code.as_ref())).collect();
    for procedure in additional {
        let Some(current) = &procedure.current_code else { continue };
        let code = current.as_str();
        let well_formed = code.len() == 3
            && code.bytes().all(|byte| byte.is_ascii_digit() || byte.is_ascii_uppercase());
        if !well_formed {
            findings.push(
                finding_at(cx, RULE.code, current.node, format!("`{code}` is not an additional procedure code (DE 1/11): three digits or capital letters"))
                    .with_dms_code("DMS10020"),
            );
        } else if code == "000" && codes.len() > 1 {
            findings.push(
                finding_at(cx, RULE.code, current.node, "`000` (no additional procedure) is declared with other additional procedure codes".to_owned())
                    .with_dms_code("DMS12149")
                    .with_help("remove `000`, or the other codes"),
            );
        }
        if let Some(previous) = &procedure.previous_code {
            findings.push(
                finding_at(
                    cx,
                    RULE.code,
                    previous.node,
                    "an additional procedure code (DE 1/11) has no previous procedure".to_owned(),
                )
                .with_dms_code("DMS10002"),
            );
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const CPC: &str = "<CurrentCode>40</CurrentCode>\n\t\t\t\t\t<PreviousCode>00</PreviousCode>";
    const APC: &str = "<CurrentCode>000</CurrentCode>";

    #[test]
    fn procedure_codes() {
        let pass = [
            ("4000 with 000", &[][..]),
            (
                "7100 with C07",
                &[
                    (CPC, "<CurrentCode>71</CurrentCode><PreviousCode>00</PreviousCode>"),
                    (APC, "<CurrentCode>C07</CurrentCode>"),
                ][..],
            ),
        ];
        let fail = [
            (
                "requested 99",
                &[(CPC, "<CurrentCode>99</CurrentCode><PreviousCode>00</PreviousCode>")][..],
            ),
            (
                "previous X1",
                &[(CPC, "<CurrentCode>40</CurrentCode><PreviousCode>X1</PreviousCode>")][..],
            ),
            (
                "previous 88 (unknown)",
                &[(CPC, "<CurrentCode>40</CurrentCode><PreviousCode>88</PreviousCode>")][..],
            ),
            ("no previous", &[(CPC, "<CurrentCode>40</CurrentCode>")][..]),
            (
                "000 with 1RD",
                &[(
                    APC,
                    "<CurrentCode>000</CurrentCode></GovernmentProcedure><GovernmentProcedure><CurrentCode>1RD</CurrentCode>",
                )][..],
            ),
            ("additional code of two characters", &[(APC, "<CurrentCode>C0</CurrentCode>")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
