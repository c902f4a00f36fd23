//! `net-gross-mass`: net mass (DE 6/1) is not above gross mass (DE 6/5), per item and in total.
//!
//! Why: net mass excludes packaging, so it cannot exceed the gross mass; CDS rejects it
//! (DMS11006). A declared total gross mass (DE 6/5 at header level) below the items' net
//! masses is the same error in total; a total that differs from the sum of the items' gross
//! masses is suspicious. Source: UCC Delegated Regulation (EU) 2015/2446 Annex B, DE 6/1,
//! 6/5; CDS error code list.

use rust_decimal::Decimal;

use super::{Rule, declaration, finding_at, items};
use crate::check::Context;
use crate::codes;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "net-gross-mass",
    code: codes::VAL_NET_GROSS_MASS,
    summary: "net mass is not above gross mass, per item and in total",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let mut total_net = Decimal::ZERO;
    let mut total_gross = Decimal::ZERO;
    let mut all_gross = true;
    for item in items(cx) {
        let measure =
            item.commodity.as_ref().and_then(|commodity| commodity.goods_measure.as_ref());
        let net = measure.and_then(|measure| measure.net_net_weight_measure.as_ref());
        let gross = measure.and_then(|measure| measure.gross_mass_measure.as_ref());
        if let Some(net_value) = net.and_then(|net| net.value) {
            total_net = total_net.saturating_add(net_value);
        }
        match gross.and_then(|gross| gross.value) {
            Some(gross_value) => total_gross = total_gross.saturating_add(gross_value),
            None => all_gross = false,
        }
        if let (Some(net), Some(gross)) = (net, gross)
            && let (Some(net_value), Some(gross_value)) = (net.value, gross.value)
            && net_value > gross_value
        {
            findings.push(
                finding_at(
                    cx,
                    RULE.code,
                    net.node,
                    format!("net mass {net_value} kg is above gross mass {gross_value} kg"),
                )
                .with_dms_code("DMS11006")
                .with_help("net mass excludes packaging; gross mass includes it"),
            );
        }
    }
    let Some(total) = declaration(cx).total_gross_mass_measure.as_ref() else { return };
    let Some(total_value) = total.value else { return };
    if total_value < total_net {
        findings.push(
            finding_at(
                cx,
                RULE.code,
                total.node,
                format!(
                    "total gross mass {total_value} kg is below the items' net mass {total_net} kg"
                ),
            )
            .with_dms_code("DMS11006"),
        );
    } else if all_gross && total_value != total_gross {
        findings.push(
            finding_at(
                cx,
                RULE.code,
                total.node,
                format!("total gross mass {total_value} kg differs from the items' gross mass {total_gross} kg"),
            )
            .with_severity(Severity::Warning)
            .with_help("the header total is usually the sum of the items' gross masses"),
        );
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const NET: &str = "<NetNetWeightMeasure>268</NetNetWeightMeasure>";
    const HEADER: &str = "<TotalPackageQuantity>24</TotalPackageQuantity>";

    #[test]
    fn net_gross_mass() {
        let pass = [
            ("net below gross", &[][..]),
            (
                "net equal to gross",
                &[(NET, "<NetNetWeightMeasure>312.5</NetNetWeightMeasure>")][..],
            ),
            (
                "total equal to the items' gross",
                &[(
                    HEADER,
                    "<TotalGrossMassMeasure>312.5</TotalGrossMassMeasure><TotalPackageQuantity>24</TotalPackageQuantity>",
                )][..],
            ),
        ];
        let fail = [
            ("net above gross", &[(NET, "<NetNetWeightMeasure>400</NetNetWeightMeasure>")][..]),
            (
                "total below the items' net",
                &[(
                    HEADER,
                    "<TotalGrossMassMeasure>200</TotalGrossMassMeasure><TotalPackageQuantity>24</TotalPackageQuantity>",
                )][..],
            ),
            (
                "total differs from the items' gross",
                &[(
                    HEADER,
                    "<TotalGrossMassMeasure>300</TotalGrossMassMeasure><TotalPackageQuantity>24</TotalPackageQuantity>",
                )][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
