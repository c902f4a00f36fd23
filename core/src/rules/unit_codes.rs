//! `unit-codes`: every `unitCode` is a unit CDS knows, and masses are in kilograms.
//!
//! Checks the `unitCode` of every measure and quantity against UN/ECE Recommendation 20
//! (deleted codes excluded), the TARIC units and qualified units (`ASV`, `KGM#G`, `TNE#I`,
//! `DTN#S`, ...) and the CDS tax-base units (`EAS`, `GP1`, `KTC`). A specific tax base
//! (`SpecificTaxBaseQuantity`, DE 4/4) may also be `GBP`, the unit HMRC uses for excise
//! charged on value. Gross and net mass (DE 6/5, 6/1, and the total gross mass) are in
//! kilograms: a unit other than `KGM` there is an error.
//!
//! Why: the unit of a tax base decides which duty component applies, and an unknown one
//! stops the calculation (DMS10020); a mass in another unit would be read as kilograms.
//! The schema only limits `unitCode` to five characters, so nothing else catches a typo.
//! Sources: UN/ECE Recommendation 20 (2021); the UK Trade Tariff's measurement units and
//! qualifiers; UCC Delegated Regulation (EU) 2015/2446 Annex B, DE 4/4, 6/1, 6/2, 6/5;
//! HMRC's CDS samples (`ASV`, `LPA`, `KGM#G`, `TNE#I`, `GBP` on tax bases).

use super::walk::{MeasureKind, measures};
use super::{Rule, declaration, finding_at};
use crate::check::Context;
use crate::codes;
use crate::decl::value::Measure;
use crate::finding::Finding;
use crate::tariff::CodeLists;

pub(super) const RULE: Rule = Rule {
    name: "unit-codes",
    code: codes::VAL_UNIT_CODE,
    summary: "unit codes are UN/ECE Rec 20, TARIC or CDS units, and masses are in kilograms",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(lists) = cx.codelists else { return };
    for (kind, measure) in measures(declaration(cx)) {
        if let Some(finding) = check_unit(cx, lists, kind, measure) {
            findings.push(finding);
        }
    }
}

fn check_unit(
    cx: &Context<'_>,
    lists: &CodeLists,
    kind: MeasureKind,
    measure: &Measure,
) -> Option<Finding> {
    let unit = measure.unit.as_deref()?;
    let finding = |message: String, help: &str| {
        Some(
            finding_at(cx, RULE.code, measure.node, message)
                .with_dms_code("DMS10020")
                .with_help(help.to_owned()),
        )
    };
    match kind {
        MeasureKind::Mass if unit == "KGM" => None,
        MeasureKind::Mass => finding(
            format!("mass is declared in kilograms; the unit here is `{unit}`"),
            "give the mass in kilograms, with `unitCode=\"KGM\"` or no unit",
        ),
        MeasureKind::TaxBase if unit == "GBP" => None,
        _ if lists.unit_known(unit) => None,
        _ if lists.unit_known(&unit.to_ascii_uppercase()) => finding(
            format!("unit code `{unit}` must be written in capital letters"),
            &format!("write `{}`", unit.to_ascii_uppercase()),
        ),
        _ => finding(
            format!("`{unit}` is not a unit code CDS knows"),
            "use a UN/ECE Rec 20 code (KGM, LTR, NAR, ...) or a TARIC unit with its qualifier (KGM#G, ASV, LPA)",
        ),
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const NET: &str = "<NetNetWeightMeasure>268</NetNetWeightMeasure>";
    const PACKAGES: &str = "<QuantityQuantity>24</QuantityQuantity>";
    const FEE: &str = "<TypeCode>B00</TypeCode>";

    fn tax_base(unit: &str) -> String {
        format!(
            "<SpecificTaxBaseQuantity unitCode=\"{unit}\">10</SpecificTaxBaseQuantity><TypeCode>B00</TypeCode>"
        )
    }

    #[test]
    fn unit_codes() {
        let (asv, gbp, qualified, litre) =
            (tax_base("ASV"), tax_base("GBP"), tax_base("KGM#G"), tax_base("ltr"));
        let pass = [
            ("no units", &[][..]),
            (
                "net mass in KGM",
                &[(NET, "<NetNetWeightMeasure unitCode=\"KGM\">268</NetNetWeightMeasure>")][..],
            ),
            ("tax base in % vol", &[(FEE, asv.as_str())][..]),
            ("tax base in GBP", &[(FEE, gbp.as_str())][..]),
            ("qualified unit KGM#G", &[(FEE, qualified.as_str())][..]),
        ];
        let fail = [
            (
                "net mass in tonnes",
                &[(NET, "<NetNetWeightMeasure unitCode=\"TNE\">0.268</NetNetWeightMeasure>")][..],
            ),
            (
                "packages in a made-up unit",
                &[(PACKAGES, "<QuantityQuantity unitCode=\"BOXES\">24</QuantityQuantity>")][..],
            ),
            ("tax base in lowercase litres", &[(FEE, litre.as_str())][..]),
            (
                "GBP outside a tax base",
                &[(PACKAGES, "<QuantityQuantity unitCode=\"GBP\">24</QuantityQuantity>")][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
