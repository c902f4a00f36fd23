//! `preference-codes`: each preference (DE 4/17, `DutyTaxFee/DutyRegimeCode`) is a code of
//! the CDS preference list.
//!
//! The code says which rate is claimed: `100` third-country duty, `1xx` suspensions and
//! non-preferential quotas, `2xx` the UK's trading scheme for developing countries, `3xx`
//! preferential duty under a trade agreement, `4xx` customs unions.
//!
//! Why: CDS picks the duty measure by the preference code and rejects one it does not know
//! (DMS10020); whether the claim is backed by an origin and a proof is the
//! preference-claim check's (PC-VAL-011).
//! Sources: the UK Trade Tariff's preference codes (trade-tariff-backend
//! `data/preference_codes.json`); HMRC CDS UK Trade Tariff Volume 3, DE 4/17; UCC Delegated
//! Regulation (EU) 2015/2446 Annex B, DE 4/17.
//!
//! A US declaration carries the special programme indicator of HTSUS General Note 3(c)(i)
//! there instead (`AU`, `KR`, `S+`; see `crate::assess::us`): the code must be one of them.
//! Whether the origin qualifies is the assessment's (PC-DUTY-006).

use super::{Rule, finding_at, items};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;
use crate::tariff::Jurisdiction;

pub(super) const RULE: Rule = Rule {
    name: "preference-codes",
    code: codes::VAL_PREFERENCE_CODE,
    summary: "preference codes (DE 4/17) are in the CDS preference list",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    if super::jurisdiction(cx) == Jurisdiction::Us {
        check_us(cx, findings);
        return;
    }
    let Some(lists) = cx.codelists else { return };
    for item in items(cx) {
        let Some(commodity) = &item.commodity else { continue };
        for fee in &commodity.duty_tax_fees {
            let Some(code) = &fee.duty_regime_code else { continue };
            let value = code.as_str();
            if value.is_empty() || lists.preference_code(value).is_some() {
                continue;
            }
            let message = if value.len() == 3 && value.bytes().all(|byte| byte.is_ascii_digit()) {
                format!("`{value}` is not a preference code of the CDS list")
            } else {
                format!("`{value}` is not a preference code: three digits, e.g. 100, 300")
            };
            findings.push(
                finding_at(cx, RULE.code, code.node, message).with_dms_code("DMS10020").with_help(
                    "100 third-country duty, 300 preferential duty, 120/320 quotas, 140 end use",
                ),
            );
        }
    }
}

/// US declarations: each DE 4/17 is a special programme indicator.
fn check_us(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    for item in items(cx) {
        let Some(commodity) = &item.commodity else { continue };
        for fee in &commodity.duty_tax_fees {
            let Some(code) = &fee.duty_regime_code else { continue };
            let value = code.as_str();
            if value.is_empty() || crate::assess::us::programme(value).is_some() {
                continue;
            }
            findings.push(
                finding_at(
                    cx,
                    RULE.code,
                    code.node,
                    format!("`{value}` is not a special programme indicator of HTSUS General Note 3(c)(i)"),
                )
                .with_help("a US declaration claims a programme with its indicator as the line's special column prints it (AU, KR, S, S+, P, IL, ...), or claims none"),
            );
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const PREFERENCE: &str = "<DutyRegimeCode>100</DutyRegimeCode>";

    #[test]
    fn preference_codes() {
        let pass = [
            ("third-country duty", &[][..]),
            ("end use", &[(PREFERENCE, "<DutyRegimeCode>140</DutyRegimeCode>")][..]),
        ];
        let fail = [
            ("not in the list", &[(PREFERENCE, "<DutyRegimeCode>199</DutyRegimeCode>")][..]),
            ("two digits", &[(PREFERENCE, "<DutyRegimeCode>10</DutyRegimeCode>")][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
