//! `preference-claim`: a claimed tariff preference has a preferential origin and a proof of
//! origin.
//!
//! Why: a preference code (DE 4/17) starting with 2 (GSP) or 3 (trade agreement) asks for
//! the preferential rate; customs grant it only with the preferential country of origin
//! (DE 5/16, origin type 2) and a proof of origin in DE 2/3 (a `U` document code such as U110
//! "statement on origin", an EUR.1 `N954`, a Form A `N864`, `9001` origin declaration on the
//! invoice, or a scheme's waiver such as `Y088`). Sources: UK CDS Tariff Volume 3, DE 4/17
//! and Appendix 5 (document codes); UCC Delegated Regulation (EU) 2015/2446 Annex B.
//! US declarations are not checked here: their DE 4/17 holds an HTSUS programme indicator.

use super::{Rule, finding_at, finding_missing, items, text};
use crate::check::Context;
use crate::codes;
use crate::decl::dms::GoodsItem;
use crate::finding::Finding;
use crate::tariff::Jurisdiction;

pub(super) const RULE: Rule = Rule {
    name: "preference-claim",
    code: codes::VAL_PREFERENCE_CLAIM,
    summary: "a claimed preference has a preferential origin (type 2) and a proof of origin",
    check,
};

/// The document codes (category + type) that prove preferential origin, besides every `U` code.
const PROOFS: &[&str] = &["N954", "N864", "N865", "N866", "9001", "9002", "Y088"];

fn is_proof(item: &GoodsItem) -> bool {
    item.additional_documents.iter().any(|document| {
        let category = text(document.category_code.as_ref()).unwrap_or_default();
        let code = format!("{category}{}", text(document.type_code.as_ref()).unwrap_or_default());
        category == "U" || PROOFS.contains(&code.as_str())
    })
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    // A US declaration carries a programme indicator there instead, which needs neither
    // (the preference-codes rule checks the indicator).
    if super::jurisdiction(cx) == Jurisdiction::Us {
        return;
    }
    for item in items(cx) {
        let Some(commodity) = &item.commodity else { continue };
        let Some(preference) =
            commodity.duty_tax_fees.iter().find_map(|fee| fee.duty_regime_code.as_ref())
        else {
            continue;
        };
        if !matches!(preference.as_str().as_bytes().first(), Some(b'2' | b'3')) {
            continue;
        }
        let code = preference.as_str();
        let preferential =
            item.origins.iter().any(|origin| text(origin.type_code.as_ref()) == Some("2"));
        if !preferential {
            findings.push(
                finding_missing(cx, RULE.code, item.node, "Origin", format!("preference {code} is claimed, but no preferential origin (Origin with TypeCode 2, DE 5/16) is declared"))
                    .with_help("declare the country of preferential origin, or the preference code 100 (no preference)"),
            );
        }
        if !is_proof(item) {
            findings.push(
                finding_at(cx, RULE.code, preference.node, format!("preference {code} is claimed without a proof of origin in DE 2/3"))
                    .with_help("declare the proof: a U document code (e.g. U110 statement on origin), EUR.1 N954, or 9001 origin declaration"),
            );
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const PREFERENCE: &str = "<DutyRegimeCode>100</DutyRegimeCode>";
    const ORIGIN: &str = "<CountryCode>CN</CountryCode>\n\t\t\t\t\t<TypeCode>1</TypeCode>";
    const DOCUMENT: &str =
        "<LPCOExemptionCode>AC</LPCOExemptionCode>\n\t\t\t\t</AdditionalDocument>";
    const PROOF: &str = "<LPCOExemptionCode>AC</LPCOExemptionCode></AdditionalDocument><AdditionalDocument><CategoryCode>U</CategoryCode><ID>LCA-88214</ID><TypeCode>110</TypeCode></AdditionalDocument>";

    #[test]
    fn preference_claim() {
        let pass = [
            ("no preference", &[][..]),
            (
                "preference 300 with origin type 2 and U110",
                &[
                    (PREFERENCE, "<DutyRegimeCode>300</DutyRegimeCode>"),
                    (ORIGIN, "<CountryCode>SG</CountryCode><TypeCode>2</TypeCode>"),
                    (DOCUMENT, PROOF),
                ][..],
            ),
        ];
        let fail = [
            (
                "preference 300, non-preferential origin",
                &[(PREFERENCE, "<DutyRegimeCode>300</DutyRegimeCode>"), (DOCUMENT, PROOF)][..],
            ),
            (
                "preference 300, no proof",
                &[
                    (PREFERENCE, "<DutyRegimeCode>300</DutyRegimeCode>"),
                    (ORIGIN, "<CountryCode>SG</CountryCode><TypeCode>2</TypeCode>"),
                ][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
