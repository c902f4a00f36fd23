//! `tax-amount-currency`: tax amounts a declarant calculates (DE 4/6 payable tax,
//! `TaxAssessedAmount`; DE 4/7 total, `PaymentAmount`) are in pounds sterling.
//!
//! Why: duties and taxes are paid in GBP; CDS rejects a declared tax amount in another
//! currency (DMS12111) rather than convert it. US and EU declarations declare them in the
//! currency duties are paid in there (USD, EUR). Customs values and prices may be in the
//! invoice currency; only the tax amounts must be GBP.
//! Sources: the CDS error code list (DMS12111: "The provided tax amount (D.E. 4/6 or D.E. 4/7)
//! must always be declared with currency code GBP"); HMRC CDS UK Trade Tariff Volume 3,
//! DE 4/6, 4/7.

use super::walk::{AmountKind, amounts};
use super::{Rule, declaration, finding_at};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;
use crate::tariff::Jurisdiction;

pub(super) const RULE: Rule = Rule {
    name: "tax-amount-currency",
    code: codes::VAL_TAX_AMOUNT_CURRENCY,
    summary: "declared tax amounts (DE 4/6, 4/7) are in GBP",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let jurisdiction = super::jurisdiction(cx);
    let expected = jurisdiction.currency();
    for (kind, amount) in amounts(declaration(cx)) {
        // An amount without a currency is the amount-currency check's (PC-VAL-010).
        let Some(currency) = amount.currency.as_deref() else { continue };
        if kind != AmountKind::Tax || currency == expected {
            continue;
        }
        let finding = finding_at(
            cx,
            RULE.code,
            amount.node,
            format!("tax amounts must be declared in {expected}; this one is in `{currency}`"),
        );
        findings.push(match jurisdiction {
            Jurisdiction::Uk => finding.with_dms_code("DMS12111").with_help(
                "convert the tax amount to pounds sterling at HMRC's rate for the month",
            ),
            Jurisdiction::Us | Jurisdiction::Eu => {
                finding.with_help(format!("declare the tax amount in {expected}"))
            }
        });
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const PAYMENT: &str =
        "<TypeCode>B00</TypeCode>\n\t\t\t\t\t\t<Payment>\n\t\t\t\t\t\t\t<MethodCode>E</MethodCode>";

    fn payment(tax: &str, total: &str) -> String {
        format!(
            "<TypeCode>B00</TypeCode><Payment><MethodCode>E</MethodCode><TaxAssessedAmount currencyID=\"{tax}\">964.00</TaxAssessedAmount><PaymentAmount currencyID=\"{total}\">964.00</PaymentAmount>"
        )
    }

    #[test]
    fn tax_amount_currency() {
        let (sterling, euros, dollars) =
            (payment("GBP", "GBP"), payment("EUR", "GBP"), payment("GBP", "USD"));
        let pass =
            [("no tax amounts", &[][..]), ("tax in GBP", &[(PAYMENT, sterling.as_str())][..])];
        let fail = [
            ("payable tax in EUR", &[(PAYMENT, euros.as_str())][..]),
            ("total in USD", &[(PAYMENT, dollars.as_str())][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
