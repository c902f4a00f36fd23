//! `currency-codes`: every currency is an ISO 4217 currency in use on the declaration's date.
//!
//! Checks the `currencyID` of every amount (invoice, item price, values, additions and
//! deductions, tax bases and tax amounts, write-offs, guarantees) and the exchange rate's
//! `CurrencyTypeCode` (DE 4/15). A currency withdrawn before the declaration's date (`DEM`
//! after 2002, `HRK` from 2023) cannot be converted at the monthly rate; a code that was
//! never a currency is a typing error, and the ISO codes for metals, bond units, SDRs and
//! tests (`XAU`, `XDR`, `XTS`, `XXX`) are not currencies an invoice is paid in.
//!
//! Why: CDS converts every amount to GBP at HMRC's published rate for the currency; it
//! rejects a currency it has no rate for (DMS10020). `currencyID` values that are not three
//! capital letters are already reported by the reader; an amount without a currency is the
//! amount-currency check's (PC-VAL-010).
//! Sources: ISO 4217 (current and historic lists, with withdrawal dates); UCC Delegated
//! Regulation (EU) 2015/2446 Annex B, DE 4/10, 4/11, 4/15; HMRC exchange rates.

use super::walk::amounts;
use super::{Rule, declaration, finding_at};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;
use crate::source::NodeId;
use crate::tariff::CodeLists;

pub(super) const RULE: Rule = Rule {
    name: "currency-codes",
    code: codes::VAL_CURRENCY_CODE,
    summary: "currencies are ISO 4217 codes in use on the declaration's date",
    check,
};

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(lists) = cx.codelists else { return };
    let declaration = declaration(cx);
    let mut currencies: Vec<(NodeId, &str)> = amounts(declaration)
        .into_iter()
        .filter_map(|(_, amount)| Some((amount.node, amount.currency.as_deref()?)))
        .collect();
    for exchange in &declaration.currency_exchanges {
        if let Some(code) = &exchange.currency_type_code {
            currencies.push((code.node, code.as_str()));
        }
    }
    currencies.sort_by_key(|(node, _)| *node);
    for (node, code) in currencies {
        if let Some(finding) = check_currency(cx, lists, node, code) {
            findings.push(finding);
        }
    }
}

fn check_currency(
    cx: &Context<'_>,
    lists: &CodeLists,
    node: NodeId,
    code: &str,
) -> Option<Finding> {
    // The reader reports codes that are not three capital letters.
    if code.len() != 3 || !code.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return None;
    }
    let Some(currency) = lists.currency(code) else {
        return Some(
            finding_at(cx, RULE.code, node, format!("`{code}` is not an ISO 4217 currency"))
                .with_dms_code("DMS10020")
                .with_help("use the three-letter ISO 4217 code: GBP, EUR, USD, ..."),
        );
    };
    // Metals, bond units, SDRs and the test code have no minor unit: not money to invoice in.
    if currency.minor_units.is_none() && currency.withdrawn.is_none() {
        return Some(
            finding_at(
                cx,
                RULE.code,
                node,
                format!("`{code}` ({}) is not a currency amounts are paid in", currency.name),
            )
            .with_dms_code("DMS10020")
            .with_help("declare the amount in the currency of the invoice"),
        );
    }
    let date = cx.date?;
    if currency.active_on(date) {
        return None;
    }
    let withdrawn = currency.withdrawn.unwrap_or_default();
    Some(
        finding_at(
            cx,
            RULE.code,
            node,
            format!(
                "`{code}` ({}) was withdrawn in {withdrawn}, before the declaration's date {date}",
                currency.name
            ),
        )
        .with_dms_code("DMS10020")
        .with_help("declare the amount in the currency that replaced it"),
    )
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const INVOICE: &str = "<InvoiceAmount currencyID=\"GBP\">";
    const PRICE: &str = "<ItemChargeAmount currencyID=\"GBP\">";

    #[test]
    fn currency_codes() {
        let pass = [
            ("GBP", &[][..]),
            (
                "USD invoice and price",
                &[
                    (INVOICE, "<InvoiceAmount currencyID=\"USD\">"),
                    (PRICE, "<ItemChargeAmount currencyID=\"USD\">"),
                ][..],
            ),
            (
                "lowercase (the reader reports it)",
                &[(INVOICE, "<InvoiceAmount currencyID=\"gbp\">")][..],
            ),
        ];
        let fail = [
            ("not a currency", &[(INVOICE, "<InvoiceAmount currencyID=\"GBX\">")][..]),
            ("Deutsche Mark in 2024", &[(PRICE, "<ItemChargeAmount currencyID=\"DEM\">")][..]),
            ("Croatian kuna in 2024", &[(PRICE, "<ItemChargeAmount currencyID=\"HRK\">")][..]),
            ("gold", &[(INVOICE, "<InvoiceAmount currencyID=\"XAU\">")][..]),
            (
                "exchange rate currency",
                &[(
                    "<Declarant>",
                    "<CurrencyExchange><CurrencyTypeCode>XYZ</CurrencyTypeCode></CurrencyExchange><Declarant>",
                )][..],
            ),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
