//! `document-codes`: each document, certificate or authorisation (DE 2/3, and the deferment
//! account of DE 2/6) is coded as a category and a type, and carries what its code requires.
//!
//! A document code is a one-character category (`CategoryCode`) and a three-character type
//! (`TypeCode`): `C505` is category `C`, type `505`. The rule checks:
//! - both parts are there and have that shape (capital letters and digits; DMS10001,
//!   DMS10020);
//! - the category is one Preclear knows: the Union codes of CDS Volume 3 Appendix 5A (`C`
//!   certificates and authorisations, `D` anti-dumping documents, `E` and `X` export licences,
//!   `L` licences, `N` UN/EDIFACT documents, `U` proofs of origin, `Y` statements) and the
//!   national codes of Appendix 5B (`1`, `9`); another category is a warning, as the
//!   appendices grow;
//! - a document that is a certificate, licence, authorisation or proof (categories `1`, `C`,
//!   `D`, `E`, `L`, `N`, `U`, `X`, and the national licences `91xx`) gives its identifier
//!   (DMS77000), unless its status says it is unavailable or not required (`U*`, `X*`);
//! - a licence or proof of origin (`E`, `L`, `U`, `X`, `91xx`) gives its status
//!   (`LPCOExemptionCode`, DMS77002), which says how much of it the declaration uses.
//!
//! `Y` statements and the other national codes (`9WKS`, `999L`) need neither.
//! Why: CDS matches each document against the tariff's measure conditions by its code and
//! identifier, and rejects a licence declared without them (DMS77000, DMS77002).
//! Sources: HMRC CDS UK Trade Tariff Volume 3, Appendices 5A-5D (document codes and status
//! codes); UCC Delegated Regulation (EU) 2015/2446 Annex B, DE 2/3, 2/6; the CDS error codes;
//! HMRC's CDS samples, whose accepted declarations omit the identifier only for `Y` and
//! `9` codes.

use super::walk::additional_documents;
use super::{Rule, declaration, finding_at, finding_missing, text};
use crate::check::Context;
use crate::codes;
use crate::decl::dms::AdditionalDocument;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "document-codes",
    code: codes::VAL_DOCUMENT_CODE,
    summary: "document codes (DE 2/3) are a known category and a type, with the ID and status they require",
    check,
};

/// Categories of document codes Preclear knows (CDS Volume 3 Appendices 5A and 5B).
const CATEGORIES: &[&str] = &["1", "9", "C", "D", "E", "L", "N", "U", "X", "Y"];

/// Categories whose documents have an identifier.
const NEED_ID: &[&str] = &["1", "C", "D", "E", "L", "N", "U", "X"];

/// Categories of licences and proofs of origin, whose documents have a status.
const NEED_STATUS: &[&str] = &["E", "L", "U", "X"];

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    for document in additional_documents(declaration(cx)) {
        check_document(cx, document, findings);
    }
}

fn well_formed(part: &str, length: usize) -> bool {
    part.len() == length
        && part.bytes().all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit())
}

fn check_document(cx: &Context<'_>, document: &AdditionalDocument, findings: &mut Vec<Finding>) {
    let (category, kind) = (&document.category_code, &document.type_code);
    let (category, kind) = match (category, kind) {
        // Nothing coded: a bare reference, as in some of HMRC's older samples.
        (None, None) => return,
        (Some(category), Some(kind)) => (category, kind),
        (Some(_), None) | (None, Some(_)) => {
            let missing = if category.is_none() { "CategoryCode" } else { "TypeCode" };
            findings.push(
                finding_missing(cx, RULE.code, document.node, missing, format!("the document code has no `{missing}`: a code is a category and a type (C505, N935)"))
                    .with_dms_code("DMS10001"),
            );
            return;
        }
    };
    let mut malformed = false;
    if !well_formed(category.as_str(), 1) {
        malformed = true;
        findings.push(
            finding_at(
                cx,
                RULE.code,
                category.node,
                format!(
                    "document category `{}` must be one capital letter or digit",
                    category.as_str()
                ),
            )
            .with_dms_code("DMS10020"),
        );
    }
    if !well_formed(kind.as_str(), 3) {
        malformed = true;
        findings.push(
            finding_at(
                cx,
                RULE.code,
                kind.node,
                format!(
                    "document type `{}` must be three capital letters or digits",
                    kind.as_str()
                ),
            )
            .with_dms_code("DMS10020"),
        );
    }
    if malformed {
        return;
    }
    let category_code = category.as_str();
    // Spelled out only in a finding: most documents pass.
    let code = format_args!("{category_code}{}", kind.as_str());
    if !CATEGORIES.contains(&category_code) {
        findings.push(
            finding_at(cx, RULE.code, category.node, format!("`{category_code}` is not a document category Preclear knows (document code {code})"))
                .with_severity(Severity::Warning)
                .with_help("check the code against CDS Volume 3 Appendices 5A and 5B"),
        );
        return;
    }
    let licence = category_code == "9" && kind.as_str().starts_with('1');
    let status = text(document.lpco_exemption_code.as_ref());
    let waived = status.is_some_and(|status| status.starts_with(['U', 'X']));
    if (NEED_ID.contains(&category_code) || licence)
        && text(document.id.as_ref()).is_none()
        && !waived
    {
        findings.push(
            finding_missing(cx, RULE.code, document.node, "ID", format!("document {code} needs its identifier (`ID`)"))
                .with_dms_code("DMS77000")
                .with_help("give the certificate, licence or authorisation number; if it is unavailable or not required, say so with a status code (UA, XW, ...)"),
        );
    }
    if (NEED_STATUS.contains(&category_code) || licence) && document.lpco_exemption_code.is_none() {
        findings.push(
            finding_missing(cx, RULE.code, document.node, "LPCOExemptionCode", format!("document {code} needs its status code (`LPCOExemptionCode`)"))
                .with_dms_code("DMS77002")
                .with_help("say how the licence is used: AE attached and exhausted, AP attached and partly used, EE electronic and exhausted, ..."),
        );
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const DEFERMENT: &str = "<CategoryCode>C</CategoryCode>\n\t\t\t\t\t<ID>GBDPO2374618</ID>\n\t\t\t\t\t<TypeCode>506</TypeCode>";
    const INVOICE: &str = "<TypeCode>935</TypeCode>";
    const STATUS: &str = "<LPCOExemptionCode>AC</LPCOExemptionCode>";

    fn document(code: &str, id: Option<&str>, status: Option<&str>) -> String {
        let (category, kind) = code.split_at(1);
        let id = id.map(|id| format!("<ID>{id}</ID>")).unwrap_or_default();
        let status = status
            .map(|status| format!("<LPCOExemptionCode>{status}</LPCOExemptionCode>"))
            .unwrap_or_default();
        format!(
            "{DEFERMENT}</AdditionalDocument><AdditionalDocument><CategoryCode>{category}</CategoryCode>{id}<TypeCode>{kind}</TypeCode>{status}"
        )
    }

    #[test]
    fn document_codes() {
        let statement = document("Y929", None, None);
        let licence = document("9120", Some("GBAHC123456"), Some("AE"));
        let waived = document("C085", None, Some("XW"));
        let certificate = document("C640", None, Some("AE"));
        let export_licence = document("X002", Some("GBSIEL/2024/0001234"), None);
        let unknown = document("Q123", Some("ABC"), None);
        let lowercase = document("c640", Some("CVEDP.GB.2024.1234567"), Some("AE"));
        let pass = [
            ("authorisations and an invoice", &[][..]),
            ("a statement without an ID", &[(DEFERMENT, statement.as_str())][..]),
            ("a licence with ID and status", &[(DEFERMENT, licence.as_str())][..]),
            ("a waived certificate without an ID", &[(DEFERMENT, waived.as_str())][..]),
        ];
        let fail = [
            ("certificate without an ID", &[(DEFERMENT, certificate.as_str())][..]),
            ("export licence without a status", &[(DEFERMENT, export_licence.as_str())][..]),
            ("unknown category", &[(DEFERMENT, unknown.as_str())][..]),
            ("lowercase category", &[(DEFERMENT, lowercase.as_str())][..]),
            ("type of two characters", &[(INVOICE, "<TypeCode>93</TypeCode>")][..]),
            ("no type", &[(INVOICE, ""), (STATUS, "")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
