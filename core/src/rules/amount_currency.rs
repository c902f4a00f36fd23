//! `amount-currency`: every amount says its currency (`currencyID`).
//!
//! Why: an amount without a currency cannot be converted or assessed; the schema leaves the
//! attribute optional, CDS does not (DMS10001). Source: WCO DMS `AmountType`; CDS error code
//! list.

use super::{Rule, declaration, finding_at, items, shipment};
use crate::check::Context;
use crate::codes;
use crate::decl::value::Amount;
use crate::finding::Finding;

pub(super) const RULE: Rule = Rule {
    name: "amount-currency",
    code: codes::VAL_AMOUNT_CURRENCY,
    summary: "every amount has a currencyID",
    check,
};

/// Every amount of the declaration, with its element name.
fn amounts<'a>(cx: &Context<'a>) -> Vec<(&'static str, &'a Amount)> {
    let declaration = declaration(cx);
    let mut amounts: Vec<(&'static str, &'a Amount)> = Vec::new();
    let mut add = |name: &'static str, amount: Option<&'a Amount>| {
        if let Some(amount) = amount {
            amounts.push((name, amount));
        }
    };
    add("InvoiceAmount", declaration.invoice_amount.as_ref());
    for guarantee in &declaration.obligation_guarantees {
        add("AmountAmount", guarantee.amount_amount.as_ref());
    }
    if let Some(valuation) = shipment(cx).and_then(|shipment| shipment.customs_valuation.as_ref()) {
        add("FreightChargeAmount", valuation.freight_charge_amount.as_ref());
        for charge in &valuation.charge_deductions {
            add("OtherChargeDeductionAmount", charge.other_charge_deduction_amount.as_ref());
        }
    }
    for item in items(cx) {
        add("CustomsValueAmount", item.customs_value_amount.as_ref());
        add("StatisticalValueAmount", item.statistical_value_amount.as_ref());
        if let Some(valuation) = &item.customs_valuation {
            for charge in &valuation.charge_deductions {
                add("OtherChargeDeductionAmount", charge.other_charge_deduction_amount.as_ref());
            }
        }
        for document in &item.additional_documents {
            add(
                "AmountAmount",
                document.write_off.as_ref().and_then(|write_off| write_off.amount_amount.as_ref()),
            );
        }
        if let Some(commodity) = &item.commodity {
            add(
                "ItemChargeAmount",
                commodity.invoice_line.as_ref().and_then(|line| line.item_charge_amount.as_ref()),
            );
            for fee in &commodity.duty_tax_fees {
                add("AdValoremTaxBaseAmount", fee.ad_valorem_tax_base_amount.as_ref());
                add("DeductAmount", fee.deduct_amount.as_ref());
                if let Some(payment) = &fee.payment {
                    add("TaxAssessedAmount", payment.tax_assessed_amount.as_ref());
                    add("PaymentAmount", payment.payment_amount.as_ref());
                }
            }
        }
    }
    amounts
}

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (name, amount) in amounts(cx) {
        if amount.currency.is_none() {
            findings.push(
                finding_at(
                    cx,
                    RULE.code,
                    amount.node,
                    format!("`{name}` has no currency (`currencyID`)"),
                )
                .with_dms_code("DMS10001")
                .with_help(format!("write e.g. <{name} currencyID=\"GBP\">")),
            );
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    #[test]
    fn amount_currency() {
        let pass = [("every amount in GBP", &[][..])];
        let fail = [(
            "item price without currency",
            &[(
                "<ItemChargeAmount currencyID=\"GBP\">4820.00</ItemChargeAmount>",
                "<ItemChargeAmount>4820.00</ItemChargeAmount>",
            )][..],
        )];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
