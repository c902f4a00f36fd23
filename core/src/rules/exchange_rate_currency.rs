//! `exchange-rate-currency`: a fixed rate of exchange (DE 4/15, `CurrencyExchange`) is given
//! with the currency code `GBP`.
//!
//! DE 4/15 is only used where the contract fixes the rate; CDS then takes the rate for
//! converting into pounds sterling and requires the currency code `GBP` with it (DMS12109).
//! Without a fixed rate CDS applies HMRC's monthly rate and the element is left out, as in
//! every sample HMRC publishes.
//!
//! Why: a rate given with another currency code is ambiguous (into or out of that
//! currency?) and CDS rejects it. Declarations for the US or the EU give the rate the same
//! way, with the currency duties are assessed in (USD, EUR): the assessment reads it as units
//! of the invoice currency per unit of that currency.
//! Sources: the CDS error code list (DMS12109: "When providing fixed rate of exchange rate in
//! D.E. 4/15, a currency code of GBP must be supplied"); HMRC CDS UK Trade Tariff Volume 3,
//! DE 4/15.

use super::{Rule, declaration, finding_at, finding_missing};
use crate::check::Context;
use crate::codes;
use crate::finding::Finding;
use crate::tariff::Jurisdiction;

pub(super) const RULE: Rule = Rule {
    name: "exchange-rate-currency",
    code: codes::VAL_EXCHANGE_RATE_CURRENCY,
    summary: "a fixed exchange rate (DE 4/15) is given with the currency code GBP",
    check,
};

const HELP: &str = "give the fixed rate with `<CurrencyTypeCode>GBP</CurrencyTypeCode>`, or leave DE 4/15 out to use HMRC's monthly rate";

fn check(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    let jurisdiction = super::jurisdiction(cx);
    let currency = jurisdiction.currency();
    let (dms_code, help) = match jurisdiction {
        Jurisdiction::Uk => (Some("DMS12109"), HELP.to_owned()),
        Jurisdiction::Us | Jurisdiction::Eu => (
            None,
            format!(
                "give the fixed rate with `<CurrencyTypeCode>{currency}</CurrencyTypeCode>`, in units of the invoice currency per {currency}"
            ),
        ),
    };
    let with_codes = |finding: Finding| {
        let finding = finding.with_help(help.clone());
        match dms_code {
            Some(dms) => finding.with_dms_code(dms),
            None => finding,
        }
    };
    for exchange in &declaration(cx).currency_exchanges {
        if exchange.rate_numeric.is_none() {
            continue;
        }
        match &exchange.currency_type_code {
            Some(code) if code.as_str() == currency => {}
            Some(code) => findings.push(with_codes(finding_at(
                cx,
                RULE.code,
                code.node,
                format!(
                    "a fixed exchange rate needs the currency code {currency}, not `{}`",
                    code.as_str()
                ),
            ))),
            None => findings.push(with_codes(finding_missing(
                cx,
                RULE.code,
                exchange.node,
                "CurrencyTypeCode",
                format!("a fixed exchange rate needs the currency code {currency}"),
            ))),
        }
    }
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::RULE;
    use crate::rules::test::check_rule;

    const DECLARANT: &str = "<Declarant>";

    fn exchange(currency: Option<&str>) -> String {
        let code = currency
            .map(|code| format!("<CurrencyTypeCode>{code}</CurrencyTypeCode>"))
            .unwrap_or_default();
        format!(
            "<CurrencyExchange>{code}<RateNumeric>1.17250</RateNumeric></CurrencyExchange><Declarant>"
        )
    }

    #[test]
    fn exchange_rate_currency() {
        let (sterling, euro, none) = (exchange(Some("GBP")), exchange(Some("EUR")), exchange(None));
        let pass = [
            ("no fixed rate", &[][..]),
            ("fixed rate with GBP", &[(DECLARANT, sterling.as_str())][..]),
        ];
        let fail = [
            ("fixed rate with EUR", &[(DECLARANT, euro.as_str())][..]),
            ("fixed rate without a currency", &[(DECLARANT, none.as_str())][..]),
        ];
        insta::assert_snapshot!(check_rule(&RULE, &pass, &fail));
    }
}
