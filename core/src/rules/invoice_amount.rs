//! `invoice-amount`: the invoice amount (DE 4/11) and the item prices (DE 4/14) agree.
//!
//! Why: CDS requires the item prices to be in the invoice currency (DMS12082) and in one
//! currency across the declaration (DMS12057); an invoice total that differs from the sum of
//! the item prices is worth a look (other charges may explain it). Source: CDS error code
//! list; UCC Delegated Regulation (EU) 2015/2446 Annex B, DE 4/11, 4/14.

use rust_decimal::Decimal;

use super::{Rule, declaration, finding_at, is_additional_message, items};
use crate::check::Context;
use crate::codes;
use crate::finding::{Finding, Severity};

pub(super) const RULE: Rule = Rule {
    name: "invoice-amount",
    code: codes::VAL_INVOICE_AMOUNT,
    summary: "item prices are in the invoice currency, one currency throughout, and add up",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    if is_additional_message(cx) {
        return;
    }
    let prices: Vec<_> = items(cx)
        .iter()
        .filter_map(|item| {
            item.commodity.as_ref()?.invoice_line.as_ref()?.item_charge_amount.as_ref()
        })
        .collect();
    let first_currency = prices.iter().find_map(|price| price.currency.as_deref());
    for price in &prices {
        if let (Some(currency), Some(first)) = (price.currency.as_deref(), first_currency)
            && currency != first
        {
            findings.push(
                    finding_at(cx, RULE.code, price.node, format!("item price in {currency}, another item's in {first}; every item must use one currency"))
                        .with_dms_code("DMS12057"),
                );
        }
    }
    let Some(invoice) = &declaration(cx).invoice_amount else { return };
    let (Some(invoice_currency), Some(invoice_value)) =
        (invoice.currency.as_deref(), invoice.value)
    else {
        return;
    };
    let mut sum = Decimal::ZERO;
    let mut comparable = !prices.is_empty();
    for price in &prices {
        match (price.currency.as_deref(), price.value) {
            (Some(currency), Some(value)) if currency == invoice_currency => {
                sum = sum.saturating_add(value);
            }
            (Some(currency), _) => {
                comparable = false;
                findings.push(
                    finding_at(cx, RULE.code, price.node, format!("item price in {currency}, but the invoice amount (DE 4/11) is in {invoice_currency}"))
                        .with_dms_code("DMS12082"),
                );
            }
            _ => comparable = false,
        }
    }
    if comparable && sum != invoice_value {
        findings.push(
            finding_at(cx, RULE.code, invoice.node, format!("invoice amount {invoice_value} {invoice_currency} differs from the items' prices, {sum} {invoice_currency}"))
                .with_severity(Severity::Warning)
                .with_help("when the invoice includes other charges, declare them as additions (DE 4/9)"),
        );
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const INVOICE: &str = "<InvoiceAmount currencyID=\"GBP\">4820.00</InvoiceAmount>";
    const PRICE: &str = "<ItemChargeAmount currencyID=\"GBP\">4820.00</ItemChargeAmount>";

    #[test]
    fn invoice_amount() {
        let pass = [("prices add up", &[][..])];
        let fail = [
            (
                "price in another currency",
                &[(PRICE, "<ItemChargeAmount currencyID=\"EUR\">4820.00</ItemChargeAmount>")][..],
            ),
            (
                "prices do not add up",
                &[(INVOICE, "<InvoiceAmount currencyID=\"GBP\">5000.00</InvoiceAmount>")][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
