//! `total-packages`: the total number of packages (DE 6/18) equals the sum of the items'
//! packages (DE 6/10).
//!
//! Why: the header total is the sum of the item quantities; a mismatch means a package count
//! is wrong somewhere, which customs reconcile against the transport documents. CDS does not
//! reject it (HMRC's own samples disagree with themselves), so it is a warning. Source: UCC
//! Delegated Regulation (EU) 2015/2446 Annex B, DE 6/18 ("total number of packages ... the
//! sum of the numbers of packages declared for the goods items").

use rust_decimal::Decimal;

use super::{Rule, declaration, finding_at, is_additional_message, items};
use crate::check::Context;
use crate::codes;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "total-packages",
    code: codes::VAL_TOTAL_PACKAGES,
    summary: "TotalPackageQuantity (DE 6/18) is the sum of the items' package quantities",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    if is_additional_message(cx) {
        return;
    }
    let Some(total) = &declaration(cx).total_package_quantity else { return };
    let Some(total_value) = total.value else { return };
    let mut sum = Decimal::ZERO;
    let mut any = false;
    for item in items(cx) {
        for packaging in &item.packaging {
            if let Some(quantity) =
                packaging.quantity_quantity.as_ref().and_then(|quantity| quantity.value)
            {
                sum = sum.saturating_add(quantity);
                any = true;
            }
        }
    }
    if any && sum != total_value {
        findings.push(
            finding_at(
                cx,
                RULE.code,
                total.node,
                format!("TotalPackageQuantity (DE 6/18) is {total_value}, but the items declare {sum} packages"),
            )
            .with_severity(Severity::Warning)
            .with_help("the total is the sum of every item's Packaging/QuantityQuantity"),
        );
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    #[test]
    fn total_packages() {
        let pass = [("24 packages in one item", &[][..])];
        let fail = [(
            "total 30 for 24 packages",
            &[(
                "<TotalPackageQuantity>24</TotalPackageQuantity>",
                "<TotalPackageQuantity>30</TotalPackageQuantity>",
            )][..],
        )];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
