//! `quota-preference`: a tariff quota order number (DE 8/1) goes with a quota preference
//! code (DE 4/17), and the other way round; UK imports do not quote EU quotas.
//!
//! Why: the quota's in-quota rate applies only with a preference code of the quota family
//! (second digit 2: 120, 123, 220, 320, ...); CDS refuses an order number with another
//! preference (DMS12110), a quota preference without an order number (DMS12070), and, from
//! 2021, an EU order number (starting `09`) on an import into the UK (DMS12144). Sources:
//! UK CDS Tariff Volume 3, DE 4/17 and 8/1; CDS error code list.

use super::{Rule, finding_at, items, text};
use crate::check::Context;
use crate::codes;
use crate::date::Date;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "quota-preference",
    code: codes::VAL_QUOTA_PREFERENCE,
    summary: "a quota order number goes with a quota preference code, and no EU quota on UK imports",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let uk_import = super::type_code(cx).is_some_and(|kind| kind.starts_with("IM"))
        && cx
            .document
            .meta
            .responsible_country_code
            .as_ref()
            .is_none_or(|code| code.as_str() == "GB");
    for item in items(cx) {
        let Some(commodity) = &item.commodity else { continue };
        let preference =
            commodity.duty_tax_fees.iter().find_map(|fee| fee.duty_regime_code.as_ref());
        let quota = commodity.duty_tax_fees.iter().find_map(|fee| fee.quota_order_id.as_ref());
        let is_quota_preference = preference.is_some_and(|code| {
            code.as_str().len() == 3 && code.as_str().as_bytes().get(1) == Some(&b'2')
        });
        match (quota, preference) {
            (Some(order), Some(preference)) if !is_quota_preference => findings.push(
                finding_at(cx, RULE.code, order.node, format!("quota {order} is quoted with preference {preference}, which is not a quota preference"))
                    .with_dms_code("DMS12110")
                    .with_help("quota preference codes have 2 as their second digit: 120, 123, 220, 320, ..."),
            ),
            (None, Some(preference)) if is_quota_preference => findings.push(
                finding_at(cx, RULE.code, preference.node, format!("preference {preference} claims a tariff quota, but no quota order number (DE 8/1) is given"))
                    .with_dms_code("DMS12070"),
            ),
            _ => {}
        }
        if let Some(order) = quota {
            let after_transition = cx.date.is_some_and(|date| Some(date) >= Date::new(2021, 1, 1));
            if uk_import
                && after_transition
                && text(Some(order)).is_some_and(|order| order.starts_with("09"))
            {
                findings.push(
                    finding_at(cx, RULE.code, order.node, format!("quota {order} is an EU quota (order numbers starting 09); imports into the UK use UK quotas (05...)"))
                        .with_dms_code("DMS12144"),
                );
            }
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const PREFERENCE: &str = "<DutyRegimeCode>100</DutyRegimeCode>";
    const TAX_TYPE: &str = "<TypeCode>A00</TypeCode>";

    #[test]
    fn quota_preference() {
        let pass = [
            ("no quota", &[][..]),
            (
                "quota 050023 with preference 120",
                &[
                    (PREFERENCE, "<DutyRegimeCode>120</DutyRegimeCode>"),
                    (TAX_TYPE, "<TypeCode>A00</TypeCode><QuotaOrderID>050023</QuotaOrderID>"),
                ][..],
            ),
        ];
        let fail = [
            (
                "quota with preference 100",
                &[(TAX_TYPE, "<TypeCode>A00</TypeCode><QuotaOrderID>050023</QuotaOrderID>")][..],
            ),
            (
                "preference 120 without quota",
                &[(PREFERENCE, "<DutyRegimeCode>120</DutyRegimeCode>")][..],
            ),
            (
                "EU quota 091525 on a UK import",
                &[
                    (PREFERENCE, "<DutyRegimeCode>120</DutyRegimeCode>"),
                    (TAX_TYPE, "<TypeCode>A00</TypeCode><QuotaOrderID>091525</QuotaOrderID>"),
                ][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
