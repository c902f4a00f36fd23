//! `commodity-code`: each item's commodity code exists in the tariff on the declaration
//! date and is declarable; its TARIC and national additional codes fit it.
//!
//! Why: the commodity code (DE 6/14 CN code + 6/15 TARIC code) selects every duty, tax and
//! restriction; CDS rejects a malformed code (DMS10004), and a code that is not in the
//! nomenclature on the acceptance date or is not declarable (a heading or an intermediate
//! line) cannot be assessed. A national additional code (DE 6/17, `GN`) selects VAT and
//! excise rates, so it must be one the tariff knows. Without a tariff, the six-digit HS
//! subheading is checked against HS 2022 (HS 2017 before 2022). A declaration dated before
//! the pack's rates apply is checked at the pack's first date, with a warning that says so.
//! The alcohol excise additional codes `X401`-`X487` are refused from 1 August 2023, when
//! alcohol duty moved to tax types (DMS12056, as HMRC's sample `TT_IM063a` is rejected).
//! Sources: UK Trade Tariff nomenclature (validity and product-line suffix 80 = declarable);
//! WCO HS 2017/2022; CDS error code list.

use super::{Rule, finding_at, items, text};
use crate::check::Context;
use crate::codes;
use crate::date::Date;
use crate::decl::dms::{Classification, GoodsItem};
use crate::finding::{Finding, Severity};
use crate::tariff::{HsEdition, Jurisdiction, LookupError};

pub(super) const RULE: Rule = Rule {
    name: "commodity-code",
    code: codes::VAL_COMMODITY_CODE,
    summary: "commodity codes exist on the date, are declarable, and their additional codes fit",
    check,
};

fn classification<'a>(item: &'a GoodsItem, kind: &str) -> impl Iterator<Item = &'a Classification> {
    item.commodity.iter().flat_map(|commodity| commodity.classifications.iter()).filter(
        move |classification| text(classification.identification_type_code.as_ref()) == Some(kind),
    )
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let date = cx.date;
    // The date the tariff is applied at: the declaration's, moved into the pack's period.
    let effective = cx.tariff.and_then(crate::tariff::Tariff::rates_effective_from);
    let lookup_date = match (date, effective) {
        (Some(date), Some(from)) if date < from => {
            findings.push(
                Finding::new(
                    codes::TARIFF_DATE_OUTSIDE_PACK,
                    format!("the declaration is dated {date}, before the tariff's rates apply ({from}); it is checked against the tariff of {from}"),
                )
                .at_opt(super::declaration(cx).acceptance_date_time.as_ref().or(super::declaration(cx).issue_date_time.as_ref()).and_then(|date_time| cx.locate(date_time.node)))
                .with_help("load the tariff in force on the declaration's date to check it exactly"),
            );
            Some(from)
        }
        (date, _) => date,
    };
    for item in items(cx) {
        check_item(cx, item, lookup_date, findings);
    }
}

fn check_item(cx: &Context<'_>, item: &GoodsItem, date: Option<Date>, findings: &mut Vec<Finding>) {
    let Some(cn) = classification(item, "TSP").next() else { return };
    let Some(cn_id) = &cn.id else { return };
    let cn_code = cn_id.as_str();
    let super_reduced = item
        .government_procedures
        .iter()
        .any(|procedure| text(procedure.current_code.as_ref()) == Some("1H7"));
    let digits = cn_code.bytes().all(|byte| byte.is_ascii_digit());
    let length_ok = cn_code.len() == 8 || (super_reduced && cn_code.len() == 6);
    if !digits || !length_ok {
        let expected = if super_reduced { "6 or 8 digits" } else { "8 digits" };
        findings.push(
            finding_at(cx, RULE.code, cn_id.node, format!("commodity code `{cn_code}` is not {expected}"))
                .with_dms_code("DMS10004")
                .with_help("DE 6/14 is the 8-digit combined nomenclature code; the TARIC code (DE 6/15) goes in a separate TRC classification"),
        );
        return;
    }
    let mut code = cn_code.to_owned();
    if let Some(taric) = classification(item, "TRC").next().and_then(|taric| taric.id.as_ref()) {
        if taric.as_str().len() == 2 && taric.as_str().bytes().all(|byte| byte.is_ascii_digit()) {
            code.push_str(taric.as_str());
        } else {
            findings.push(
                finding_at(
                    cx,
                    RULE.code,
                    taric.node,
                    format!("TARIC code `{taric}` is not 2 digits"),
                )
                .with_dms_code("DMS10004"),
            );
            return;
        }
    }
    let Some(date) = date else { return };
    let Some(tariff) = cx.tariff.filter(|tariff| tariff.jurisdiction() != Jurisdiction::Us) else {
        check_hs6(cx, cn_id.node, cn_code, date, findings);
        return;
    };
    // Exports declare the 8-digit CN code, and the super-reduced data set may declare 6 or 8
    // digits: those need the code to exist, not to be a 10-digit declarable line.
    let exists_is_enough =
        super_reduced || super::type_code(cx).is_some_and(|kind| kind.starts_with("EX"));
    match tariff.line_declarable(&code, date) {
        Ok(true) => check_additional_codes(cx, item, findings),
        Ok(false) if exists_is_enough => check_additional_codes(cx, item, findings),
        Ok(false) => findings.push(
            finding_at(cx, RULE.code, cn_id.node, format!("commodity code {code} is not declarable on {date}: it has subdivisions"))
                .with_help(format!("declare the code of the subdivision that fits the goods (see `preclear tariff show {code}`)")),
        ),
        Err(LookupError::NotValidOn { .. }) => findings.push(
            finding_at(cx, RULE.code, cn_id.node, format!("commodity code {code} is in the tariff but not valid on {date}"))
                .with_help("the code was ended or not yet in force on that date; classify under the code valid then"),
        ),
        Err(LookupError::NotFound(_)) if code.len() == 10 && tariff.line_declarable(&format!("{cn_code}00"), date) == Ok(true) => {
            // The loaded nomenclature may lack a national TARIC subdivision of a line it
            // holds as declarable: say so, and go on with the 8-digit line.
            findings.push(
                finding_at(cx, RULE.code, cn_id.node, format!("TARIC subdivision {code} is not in the loaded nomenclature, which holds {cn_code}00 as declarable; checked as {cn_code}00"))
                    .with_severity(Severity::Warning)
                    .with_help("check the TARIC code (DE 6/15) against the tariff in force on the declaration's date"),
            );
            check_additional_codes(cx, item, findings);
        }
        Err(error) => findings.push(
            finding_at(cx, RULE.code, cn_id.node, format!("commodity code {code}: {error}"))
                .with_help("check the code against the tariff (`preclear tariff show`)"),
        ),
    }
}

/// Without a tariff of the declaration's kind: the HS subheading must exist.
fn check_hs6(
    cx: &Context<'_>,
    node: crate::source::NodeId,
    code: &str,
    date: Date,
    findings: &mut Vec<Finding>,
) {
    let Some(codelists) = cx.codelists else { return };
    let Some(hs6) = code.get(..6) else { return };
    let edition =
        if Some(date) >= Date::new(2022, 1, 1) { HsEdition::Hs2022 } else { HsEdition::Hs2017 };
    if !codelists.hs6_exists(hs6, edition) {
        let name = if edition == HsEdition::Hs2022 { "HS 2022" } else { "HS 2017" };
        findings.push(finding_at(
            cx,
            RULE.code,
            node,
            format!("HS subheading {hs6} does not exist in {name}"),
        ));
    }
}

/// The pre-reform alcohol excise additional codes (`X401`-`X487`), withdrawn when alcohol
/// duty moved to tax types on 1 August 2023 (Finance (No. 2) Act 2023, Part 2).
fn is_legacy_alcohol_code(code: &str) -> bool {
    code.strip_prefix("X4")
        .is_some_and(|rest| rest.len() == 2 && rest.bytes().all(|byte| byte.is_ascii_digit()))
}

/// National additional codes (`GN`) must be ones the tariff knows: VAT rate codes (`VATZ`,
/// `VATR`, ...) or excise codes (`X` + three characters).
fn check_additional_codes(cx: &Context<'_>, item: &GoodsItem, findings: &mut Vec<Finding>) {
    let Some(tariff) = cx.tariff else { return };
    for national in classification(item, "GN") {
        let Some(id) = &national.id else { continue };
        let code = id.as_str();
        if is_legacy_alcohol_code(code)
            && cx.date.is_some_and(|date| Some(date) >= Date::new(2023, 8, 1))
        {
            findings.push(
                finding_at(cx, RULE.code, id.node, format!("`{code}` is a legacy alcohol excise code; since 1 August 2023 alcohol duty is declared by tax type (311-380)"))
                    .with_dms_code("DMS12056")
                    .with_help("declare the alcohol duty tax type code in DE 4/3 instead of the X4.. additional code"),
            );
            continue;
        }
        let vat = tariff.vat_rule(Some(code)).is_some();
        let excise = code.len() == 4
            && code.starts_with('X')
            && code.bytes().all(|byte| byte.is_ascii_alphanumeric());
        if !vat && !excise {
            findings.push(
                finding_at(cx, RULE.code, id.node, format!("national additional code `{code}` is not a VAT or excise code the tariff knows"))
                    .with_dms_code("DMS10020")
                    .with_help("VAT codes are VATZ (zero), VATR (reduced), VATE (exempt); excise codes are X and three characters"),
            );
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const CN: &str = "<ID>85161080</ID>";
    const TARIC: &str = "<ID>90</ID>\n\t\t\t\t\t\t<IdentificationTypeCode>TRC</IdentificationTypeCode>\n\t\t\t\t\t</Classification>";

    #[test]
    fn commodity_code() {
        let pass = [
            ("kettles 8516108090", &[][..]),
            (
                "with VAT code VATZ",
                &[(
                    TARIC,
                    "<ID>90</ID><IdentificationTypeCode>TRC</IdentificationTypeCode></Classification><Classification><ID>VATZ</ID><IdentificationTypeCode>GN</IdentificationTypeCode></Classification>",
                )][..],
            ),
        ];
        let fail = [
            ("seven digits", &[(CN, "<ID>8516108</ID>")][..]),
            ("letters", &[(CN, "<ID>8516IO80</ID>")][..]),
            ("not in the tariff", &[(CN, "<ID>85169999</ID>")][..]),
            (
                "a line with subdivisions, not declarable",
                &[(
                    TARIC,
                    "<ID>00</ID><IdentificationTypeCode>TRC</IdentificationTypeCode></Classification>",
                )][..],
            ),
            (
                "legacy alcohol code X435 in 2024",
                &[(
                    TARIC,
                    "<ID>90</ID><IdentificationTypeCode>TRC</IdentificationTypeCode></Classification><Classification><ID>X435</ID><IdentificationTypeCode>GN</IdentificationTypeCode></Classification>",
                )][..],
            ),
            (
                "TARIC code of one digit",
                &[(
                    TARIC,
                    "<ID>0</ID><IdentificationTypeCode>TRC</IdentificationTypeCode></Classification>",
                )][..],
            ),
            (
                "unknown national additional code",
                &[(
                    TARIC,
                    "<ID>90</ID><IdentificationTypeCode>TRC</IdentificationTypeCode></Classification><Classification><ID>VAZZ</ID><IdentificationTypeCode>GN</IdentificationTypeCode></Classification>",
                )][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
