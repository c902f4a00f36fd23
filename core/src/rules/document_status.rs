//! `document-status`: each document status code (DE 2/3, `LPCOExemptionCode`) is one of the
//! EDIFACT 4183 codes CDS uses.
//!
//! The status says how a licence or certificate is used: attached (`AC`, `AE`, `AP`, ...),
//! electronic (`EA`, `EE`, `EL`, `EP`, `ES`), held elsewhere (`JA`, `JE`, `JP`, `LP`),
//! unavailable (`UA`, `UP`) or not required (`XB`, `XW`, `XX`).
//!
//! Why: CDS decrements a licence's balance, or waives the document, by its status; a status
//! it does not know is rejected (DMS10020). The list Preclear carries is the one HMRC's
//! samples use, plus `EL` (named by the CDS error DMS71203); CDS Volume 3 Appendix 5C lists a
//! few more, so a well-formed code outside it is a warning, anything else an error.
//! Sources: UN/EDIFACT code list 4183 (status, condition); HMRC CDS UK Trade Tariff
//! Volume 3, Appendix 5C (document status codes); the CDS error code list; HMRC's samples.

use super::walk::additional_documents;
use super::{Rule, declaration, finding_at};
use crate::check::Context;
use crate::codes;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "document-status",
    code: codes::VAL_DOCUMENT_STATUS,
    summary: "document status codes (DE 2/3) are EDIFACT 4183 codes CDS uses",
    check,
};

/// Document status codes: those of HMRC's CDS samples, and `EL` (CDS error DMS71203).
const STATUSES: &[&str] = &[
    "AC", "AE", "AG", "AP", "AT", "CC", "EA", "EE", "EL", "EP", "ES", "GE", "JA", "JE", "JP", "LP",
    "UA", "UP", "XB", "XW", "XX",
];

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    for document in additional_documents(declaration(cx)) {
        let Some(status) = &document.lpco_exemption_code else { continue };
        let code = status.as_str();
        if code.is_empty() || STATUSES.contains(&code) {
            continue;
        }
        let well_formed = code.len() == 2 && code.bytes().all(|byte| byte.is_ascii_uppercase());
        let finding = if well_formed {
            finding_at(
                cx,
                RULE.code,
                status.node,
                format!("`{code}` is not a document status code Preclear knows"),
            )
            .with_severity(Severity::Warning)
            .with_help("check the code against CDS Volume 3 Appendix 5C")
        } else {
            finding_at(
                cx,
                RULE.code,
                status.node,
                format!(
                    "`{code}` is not a document status code: two capital letters, e.g. AE, EP, XW"
                ),
            )
            .with_dms_code("DMS10020")
        };
        findings.push(finding);
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const STATUS: &str = "<LPCOExemptionCode>AC</LPCOExemptionCode>";

    #[test]
    fn document_status() {
        let pass = [
            ("attached", &[][..]),
            ("electronic, exhausted", &[(STATUS, "<LPCOExemptionCode>EE</LPCOExemptionCode>")][..]),
            ("waived", &[(STATUS, "<LPCOExemptionCode>XW</LPCOExemptionCode>")][..]),
        ];
        let fail = [
            ("unknown status", &[(STATUS, "<LPCOExemptionCode>QQ</LPCOExemptionCode>")][..]),
            ("lowercase", &[(STATUS, "<LPCOExemptionCode>ac</LPCOExemptionCode>")][..]),
            ("a digit", &[(STATUS, "<LPCOExemptionCode>A1</LPCOExemptionCode>")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
