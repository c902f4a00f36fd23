//! `obligations`: the data elements a declaration's type and data set require.
//!
//! Why: CDS rejects a declaration that leaves out a data element its data set makes
//! mandatory (DMS10001), pointing at where the element belongs; HMRC's obligation-rejection
//! sample is a supplementary declaration without net mass.
//!
//! The data set follows from the declaration:
//! - imports (`IM` + additional type): the super-reduced data set (H7) when an item has the
//!   additional procedure `1H7`; the GB-to-NI "not at risk" data set (H8) when a `UKIM`
//!   authorisation is declared; otherwise the standard data sets (H1-H6, and C21 for entries
//!   in the declarant's records, types J and K);
//! - exports (`EX`): full declarations (types A and D) against the rest.
//!
//! Required by all: the LRN (DE 2/5); per item a description (DE 6/8) and a commodity code
//! (DE 6/14), except for entries in the declarant's records (types J, K) and arrival
//! declarations (Q), which identify goods by reference. Standard import data sets also need
//! net mass (DE 6/1) per item; frontier and pre-lodged standard imports (A, D) and full
//! exports (A, D) also gross mass (DE 6/5), packages (DE 6/9-6/11) and, for imports, the
//! country of origin (DE 5/15).
//! Sources: UCC Delegated Regulation (EU) 2015/2446 Annex B (data requirements by column,
//! as retained in UK law); HMRC CDS UK Trade Tariff Volume 3 (data sets H7, H8);
//! HMRC's samples, whose accepted declarations this rule must not fault.

use super::{Rule, declaration, finding_missing, items, text, type_code};
use crate::check::Context;
use crate::codes;
use crate::decl::dms::GoodsItem;
use crate::finding::Finding;
use crate::source::NodeId;

pub(super) const RULE: Rule = Rule {
    name: "obligations",
    code: codes::VAL_OBLIGATION,
    summary: "the data elements the declaration's type and data set require are present",
    check,
};

/// What a declaration's type and data set require of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Requirements {
    commodity: bool,
    net_mass: bool,
    gross_mass: bool,
    packages: bool,
    origin: bool,
    description: bool,
}

fn requirements(cx: &Context<'_>, kind: &str) -> Option<Requirements> {
    let (family, additional) = (kind.get(..2)?, kind.get(2..)?);
    let full = matches!(additional, "A" | "D");
    // Entries in the declarant's records (J, K) and arrival declarations (Q) identify the
    // goods by reference, not by description and commodity code.
    let commodity = !matches!(additional, "J" | "K" | "Q");
    match family {
        "IM" => {
            let super_reduced = items(cx).iter().any(|item| {
                item.government_procedures
                    .iter()
                    .any(|procedure| text(procedure.current_code.as_ref()) == Some("1H7"))
            });
            let not_at_risk = declaration(cx)
                .authorisation_holders
                .iter()
                .any(|holder| text(holder.category_code.as_ref()) == Some("UKIM"));
            let standard = !super_reduced && !not_at_risk;
            Some(Requirements {
                commodity,
                net_mass: standard,
                gross_mass: standard && full,
                packages: standard && full,
                origin: standard && full,
                description: commodity,
            })
        }
        "EX" => Some(Requirements {
            commodity,
            net_mass: full,
            gross_mass: full,
            packages: full,
            origin: false,
            description: commodity,
        }),
        _ => None,
    }
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let declaration = declaration(cx);
    // Presence, not content: a blank value is already reported by the reader.
    if declaration.functional_reference_id.is_none() {
        findings.push(missing(cx, declaration.node, "FunctionalReferenceID", "the LRN (DE 2/5)"));
    }
    let Some(kind) = type_code(cx) else { return };
    let Some(required) = requirements(cx, kind) else { return };
    for item in items(cx) {
        check_item(cx, item, required, findings);
    }
}

fn check_item(
    cx: &Context<'_>,
    item: &GoodsItem,
    required: Requirements,
    findings: &mut Vec<Finding>,
) {
    let Some(commodity) = &item.commodity else {
        if !required.commodity {
            return;
        }
        findings.push(missing(
            cx,
            item.node,
            "Commodity",
            "the goods description and commodity code (DE 6/8, 6/14)",
        ));
        return;
    };
    if required.description && text(commodity.description.as_ref()).is_none() {
        findings.push(missing(
            cx,
            commodity.node,
            "Description",
            "the description of goods (DE 6/8)",
        ));
    }
    let has_code = commodity.classifications.iter().any(|classification| {
        text(classification.identification_type_code.as_ref()) == Some("TSP")
            && text(classification.id.as_ref()).is_some()
    });
    if required.commodity && !has_code {
        findings.push(missing(
            cx,
            commodity.node,
            "Classification",
            "the commodity code (DE 6/14, classification type TSP)",
        ));
    }
    let measure = commodity.goods_measure.as_ref();
    let measure_node = measure.map_or(commodity.node, |measure| measure.node);
    let prefix = if measure.is_some() { "" } else { "GoodsMeasure/" };
    if required.net_mass
        && measure.and_then(|measure| measure.net_net_weight_measure.as_ref()).is_none()
    {
        findings.push(missing(
            cx,
            measure_node,
            &format!("{prefix}NetNetWeightMeasure"),
            "the net mass (DE 6/1)",
        ));
    }
    if required.gross_mass
        && measure.and_then(|measure| measure.gross_mass_measure.as_ref()).is_none()
    {
        findings.push(missing(
            cx,
            measure_node,
            &format!("{prefix}GrossMassMeasure"),
            "the gross mass (DE 6/5)",
        ));
    }
    if required.packages && item.packaging.is_empty() {
        findings.push(missing(cx, item.node, "Packaging", "the packages (DE 6/9-6/11)"));
    }
    if required.origin
        && item.origins.iter().all(|origin| text(origin.country_code.as_ref()).is_none())
    {
        findings.push(missing(cx, item.node, "Origin", "the country of origin (DE 5/15)"));
    }
}

fn missing(cx: &Context<'_>, parent: NodeId, element: &str, what: &str) -> Finding {
    finding_missing(
        cx,
        RULE.code,
        parent,
        element,
        format!("missing: {what}, which this type of declaration requires"),
    )
    .with_dms_code("DMS10001")
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const NET: &str = "<NetNetWeightMeasure>268</NetNetWeightMeasure>";
    const GROSS: &str = "<GrossMassMeasure>312.5</GrossMassMeasure>";
    const TYPE: &str = "<TypeCode>IMA</TypeCode>";
    const APC: &str = "<CurrentCode>000</CurrentCode>";
    const HOLDER: &str = "<CategoryCode>DPO</CategoryCode>";

    #[test]
    fn obligations() {
        let pass = [
            ("full import", &[][..]),
            (
                "simplified import without gross mass",
                &[(TYPE, "<TypeCode>IMB</TypeCode>"), (GROSS, "")][..],
            ),
            (
                "super-reduced data set without net mass",
                &[(NET, ""), (APC, "<CurrentCode>1H7</CurrentCode>")][..],
            ),
            (
                "not at risk (UKIM) without net mass",
                &[(NET, ""), (HOLDER, "<CategoryCode>UKIM</CategoryCode>")][..],
            ),
        ];
        let fail = [
            ("no net mass", &[(NET, "")][..]),
            (
                "supplementary declaration without net mass",
                &[(TYPE, "<TypeCode>IMZ</TypeCode>"), (NET, "")][..],
            ),
            ("no gross mass", &[(GROSS, "")][..]),
            (
                "no description",
                &[(
                    "<Description>Cordless electric kettles, stainless steel, 1.7 litre</Description>",
                    "",
                )][..],
            ),
            ("no LRN", &[("<FunctionalReferenceID>PCFX24IMA0001</FunctionalReferenceID>", "")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
