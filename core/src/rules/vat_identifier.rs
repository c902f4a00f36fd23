//! `vat-identifier`: the importer's VAT identifier (DE 3/40, role `FR1`) on a UK import is a
//! UK VAT registration number.
//!
//! Why: role FR1 names the VAT number, issued in the country of importation, of the
//! importer who accounts for import VAT; for the UK that is a GB (or XI) VAT registration
//! number, and CDS rejects another country's (DMS12013, as in HMRC's sample `TT_FI005b`).
//! Other roles may carry EU numbers (FR2, the customer of an onward supply). Sources: UK CDS
//! Tariff Volume 3, DE 3/40; CDS error code list.

use super::{Rule, finding_at, items, shipment, text};
use crate::check::Context;
use crate::codes;
use crate::decl::dms::Party;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "vat-identifier",
    code: codes::VAL_VAT_IDENTIFIER,
    summary: "the importer's VAT number (DE 3/40, role FR1) on a UK import is a UK one",
    check,
};

fn is_uk_vat_number(id: &str) -> bool {
    let Some(digits) = id.strip_prefix("GB").or_else(|| id.strip_prefix("XI")) else {
        return false;
    };
    matches!(digits.len(), 9 | 12) && digits.bytes().all(|byte| byte.is_ascii_digit())
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let uk =
        cx.document.meta.responsible_country_code.as_ref().is_none_or(|code| code.as_str() == "GB");
    let import = super::type_code(cx).is_some_and(|kind| kind.starts_with("IM"));
    if !uk || !import {
        return;
    }
    let header = shipment(cx)
        .map(|shipment| shipment.domestic_duty_tax_parties.as_slice())
        .unwrap_or_default();
    let item_parties = items(cx).iter().flat_map(|item| item.domestic_duty_tax_parties.iter());
    for party in header.iter().chain(item_parties) {
        check_party(cx, party, findings);
    }
}

fn check_party(cx: &Context<'_>, party: &Party, findings: &mut Vec<Finding>) {
    if text(party.role_code.as_ref()) != Some("FR1") {
        return;
    }
    let Some(id) = &party.id else { return };
    if !is_uk_vat_number(id.as_str()) {
        findings.push(
            finding_at(cx, RULE.code, id.node, format!("{id} is not a UK VAT registration number; the importer's VAT number (role FR1) on a UK import must be one"))
                .with_dms_code("DMS12013")
                .with_help("a UK VAT number is GB (or XI) and 9 or 12 digits"),
        );
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const BEFORE: &str = "<ExportCountry>";

    #[test]
    fn vat_identifier() {
        let pass = [
            ("no VAT party", &[][..]),
            (
                "GB VAT number",
                &[(
                    BEFORE,
                    "<DomesticDutyTaxParty><ID>GB841293750</ID><RoleCode>FR1</RoleCode></DomesticDutyTaxParty><ExportCountry>",
                )][..],
            ),
            (
                "EU number as the customer (FR2)",
                &[(
                    BEFORE,
                    "<DomesticDutyTaxParty><ID>FR123457845</ID><RoleCode>FR2</RoleCode></DomesticDutyTaxParty><ExportCountry>",
                )][..],
            ),
        ];
        let fail = [(
            "French VAT number as the importer's (FR1)",
            &[(
                BEFORE,
                "<DomesticDutyTaxParty><ID>FR202008288</ID><RoleCode>FR1</RoleCode></DomesticDutyTaxParty><ExportCountry>",
            )][..],
        )];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }

    #[test]
    fn uk_vat_numbers() {
        assert!(super::is_uk_vat_number("GB123456789"));
        assert!(super::is_uk_vat_number("XI123456789012"));
        assert!(!super::is_uk_vat_number("GB1234567"));
        assert!(!super::is_uk_vat_number("FR123456789"));
    }
}
