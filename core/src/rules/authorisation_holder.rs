//! `authorisation-holder`: the holder of a guarantee (`CGU`) or deferment (`DPO`)
//! authorisation is a party to the declaration.
//!
//! Why: a comprehensive guarantee or a deferment account covers the debt of the party that
//! holds it; a holder EORI that is neither the importer, the declarant nor the representative
//! cannot secure this declaration's duties, and CDS rejects it (DMS12005 "invalid party ID",
//! as in HMRC's sample `TT_IM001b`; DMS12150). Source: UK CDS Tariff Volume 3, DE 3/39; CDS
//! error code list.

use super::{Rule, declaration, finding_at, shipment, text};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "authorisation-holder",
    code: codes::VAL_AUTHORISATION_HOLDER,
    summary: "guarantee (CGU) and deferment (DPO) authorisations are held by a party to the declaration",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let declaration = declaration(cx);
    // An importer declared by name only, or under a placeholder (`INSERTEORI`, which the
    // EORI rule reports), may be the holder under an EORI not on the declaration: nothing can
    // be concluded then.
    let importer = shipment(cx).and_then(|shipment| shipment.importer.as_ref());
    let looks_like_eori = |id: &str| {
        id.len() > 2
            && id.bytes().take(2).all(|byte| byte.is_ascii_uppercase())
            && id.bytes().skip(2).all(|byte| byte.is_ascii_alphanumeric())
            && id.bytes().skip(2).any(|byte| byte.is_ascii_digit())
    };
    if importer.is_some_and(|importer| !text(importer.id.as_ref()).is_some_and(looks_like_eori)) {
        return;
    }
    let parties: Vec<&str> = [
        declaration.declarant.as_ref(),
        declaration.agent.as_ref(),
        declaration.exporter.as_ref(),
        shipment(cx).and_then(|shipment| shipment.importer.as_ref()),
    ]
    .into_iter()
    .flatten()
    .filter_map(|party| text(party.id.as_ref()))
    .collect();
    if parties.is_empty() {
        return;
    }
    for holder in &declaration.authorisation_holders {
        let Some(category) = text(holder.category_code.as_ref()) else { continue };
        if !matches!(category, "CGU" | "DPO") {
            continue;
        }
        let Some(id) = &holder.id else { continue };
        if !parties.contains(&id.as_str()) {
            let what =
                if category == "CGU" { "comprehensive guarantee" } else { "deferment of payment" };
            findings.push(
                finding_at(cx, RULE.code, id.node, format!("the {what} authorisation ({category}) is held by {id}, which is not the importer, declarant or representative"))
                    .with_dms_code("DMS12005")
                    .with_help(format!("declare the {category} holder's EORI as one of the parties, or correct the holder")),
            );
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const HOLDER: &str = "<ID>GB841293750000</ID>\n\t\t\t<CategoryCode>CGU</CategoryCode>";

    #[test]
    fn authorisation_holder() {
        let pass = [("CGU held by the importer", &[][..])];
        let fail = [(
            "CGU held by another EORI",
            &[(HOLDER, "<ID>GB941293750000</ID><CategoryCode>CGU</CategoryCode>")][..],
        )];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
