//! `eori`: every party and authorisation holder identified by number has a valid EORI.
//!
//! An EORI is a country prefix and a body. CDS supports the prefixes `GB` and `XI` (Northern
//! Ireland), whose body is 12 or 15 digits (`GB553202734852`), and those of the EU member
//! states, whose body is up to 15 capital letters and digits as each state issues them
//! (`DE150454489082000`, `FR12345678901234`). Another prefix is refused as a country CDS does
//! not support (DMS12153); a supported prefix with a body of the wrong form is an invalid
//! party identifier (DMS12005).
//!
//! Checked: the `ID` of the declarant, representative (`Agent`), exporter, importer,
//! consignor, consignee, carrier, buyer, seller, submitter and each `AuthorisationHolder`.
//! Not checked: the VAT identifiers of `DomesticDutyTaxParty` (PC-VAL-014), the
//! `AEOMutualRecognitionParty`, which may be a third country's AEO known by its own
//! country's number under a mutual recognition agreement, and the unused `Payer` and
//! `Surety`.
//! An identifier without a single digit (`INSERTEORI`) is a placeholder left in a template:
//! it gets a warning, not an error, because HMRC publishes its samples that way.
//!
//! Why: CDS checks every EORI against its register and rejects the declaration on the first
//! it cannot find (DMS12005, as HMRC's `TT_IM001b` rejection points at an authorisation
//! holder's ID); a mistyped prefix or length is found before lodging.
//! Sources: the European Commission's EORI guidance (the issuing state's ISO 3166 code and up
//! to 15 letters or digits); HMRC's EORI guidance (GB and XI numbers: 12 digits, or 15);
//! the CDS error code list (DMS12005, DMS12153); HMRC's CDS samples (GB, XI and DE EORIs).

use super::walk::parties;
use super::{Rule, declaration, finding_at};
use crate::check::Context;
use crate::codes;
use crate::decl::value::Text;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "eori",
    code: codes::VAL_EORI,
    summary: "party and authorisation holder identifiers are EORIs with a supported prefix",
    check,
};

/// EU member states, whose EORIs CDS accepts (with Northern Ireland's `XI` and `GB`).
const EU_MEMBERS: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Parties whose identifier is an EORI.
const EORI_PARTIES: &[&str] = &[
    "Submitter",
    "Agent",
    "Carrier",
    "Consignor",
    "Declarant",
    "Exporter",
    "Buyer",
    "Consignee",
    "Importer",
    "Seller",
];

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let declaration = declaration(cx);
    let mut ids: Vec<&Text> = parties(declaration)
        .into_iter()
        .filter(|(role, _)| EORI_PARTIES.contains(role))
        .filter_map(|(_, party)| party.id.as_ref())
        .collect();
    ids.extend(declaration.authorisation_holders.iter().filter_map(|holder| holder.id.as_ref()));
    ids.sort_by_key(|id| id.node);
    for id in ids {
        if let Some(finding) = check_eori(cx, id) {
            findings.push(finding);
        }
    }
}

/// What is wrong with an EORI, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// No digit at all: a template's placeholder.
    Placeholder,
    /// A prefix of two capital letters that is not GB, XI or an EU member state.
    Unsupported(String),
    /// Not a prefix and body of the right form; the text says what is expected.
    Invalid(&'static str),
}

fn problem(id: &str) -> Option<Problem> {
    if !id.bytes().any(|byte| byte.is_ascii_digit()) {
        return Some(Problem::Placeholder);
    }
    let (Some(prefix), Some(body)) = (id.get(..2), id.get(2..)) else {
        return Some(Problem::Invalid("a country prefix and a number"));
    };
    if !prefix.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return Some(Problem::Invalid("a two-letter country prefix in capitals (GB, XI, DE, ...)"));
    }
    match prefix {
        "GB" | "XI" => {
            let digits = body.bytes().all(|byte| byte.is_ascii_digit());
            (!digits || !matches!(body.len(), 12 | 15))
                .then_some(Problem::Invalid("GB or XI followed by 12 or 15 digits"))
        }
        _ if EU_MEMBERS.contains(&prefix) => {
            let characters =
                body.bytes().all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit());
            (!characters || body.is_empty() || body.len() > 15).then_some(Problem::Invalid(
                "the country prefix and up to 15 capital letters or digits",
            ))
        }
        _ => Some(Problem::Unsupported(prefix.to_owned())),
    }
}

fn check_eori(cx: &Context<'_>, id: &Text) -> Option<Finding> {
    let value = id.as_str();
    if value.is_empty() {
        return None;
    }
    let finding = match problem(value)? {
        Problem::Placeholder => finding_at(cx, RULE.code, id.node, format!("`{value}` looks like a placeholder, not an EORI"))
            .with_severity(Severity::Warning)
            .with_help("replace it with the party's EORI before lodging"),
        Problem::Unsupported(prefix) => finding_at(cx, RULE.code, id.node, format!("`{value}` has the prefix `{prefix}`; CDS supports EORIs from GB, XI and the EU member states only"))
            .with_dms_code("DMS12153")
            .with_help("give the party's GB, XI or EU EORI, or identify it by name and address instead"),
        Problem::Invalid(expected) => finding_at(cx, RULE.code, id.node, format!("`{value}` is not a valid EORI: expected {expected}"))
            .with_dms_code("DMS12005"),
    };
    Some(finding)
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const DECLARANT: &str = "<Declarant>\n\t\t\t<ID>GB417690235000</ID>";
    const IMPORTER: &str = "<Importer>\n\t\t\t\t<ID>GB841293750000</ID>";
    const HOLDER: &str = "<ID>GB841293750000</ID>\n\t\t\t<CategoryCode>CGU</CategoryCode>";

    #[test]
    fn eori() {
        let pass = [
            ("GB EORIs", &[][..]),
            ("15-digit GB EORI", &[(DECLARANT, "<Declarant><ID>GB417690235000123</ID>")][..]),
            ("Northern Ireland", &[(IMPORTER, "<Importer><ID>XI841293750000</ID>")][..]),
            ("German EORI", &[(DECLARANT, "<Declarant><ID>DE150454489082000</ID>")][..]),
        ];
        let fail = [
            ("GB EORI of 11 digits", &[(IMPORTER, "<Importer><ID>GB84129375000</ID>")][..]),
            ("US prefix", &[(DECLARANT, "<Declarant><ID>US417690235000</ID>")][..]),
            ("lowercase prefix", &[(DECLARANT, "<Declarant><ID>gb417690235000</ID>")][..]),
            (
                "authorisation holder with a space",
                &[(HOLDER, "<ID>GB 841293750000</ID><CategoryCode>CGU</CategoryCode>")][..],
            ),
            ("EU EORI with a hyphen", &[(DECLARANT, "<Declarant><ID>FR12345-67890</ID>")][..]),
            ("placeholder", &[(IMPORTER, "<Importer><ID>INSERTEORI</ID>")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
