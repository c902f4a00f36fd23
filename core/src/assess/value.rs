//! The customs value of each goods item, in the assessment currency.
//!
//! The value starts from the declared customs value (DE 4/18) when there is one, else the item
//! price (DE 4/14). Additions and deductions (DE 4/9: codes starting `A` add, `B` deduct) at
//! item level apply to the item; at header level they, and the freight charge, are shared
//! among the items in proportion to their prices. The UK and the EU value goods at the
//! border (CIF: transport and insurance to the place of entry included, UCC Art. 71(1)(e));
//! the US values them without international freight and insurance (19 U.S.C. 1401a), so
//! there freight is left out. Amounts in another currency are converted with the rate the
//! declaration fixes (DE 4/15, units of the currency per unit of the assessment currency)
//! or the tariff's rate for the month; a missing rate is a finding, never a guess.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::check::Context;
use crate::decl::dms::{ChargeDeduction, GoodsItem};
use crate::decl::value::Amount;
use crate::rules::text;

/// How a customs value was built, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomsValue {
    /// The value in the assessment currency, rounded to the cent.
    pub amount: Decimal,
    /// The steps, in words: `price 1000 GBP + freight 13.75 USD (at 1.2406 USD per GBP)`.
    pub explanation: String,
}

/// Why no customs value could be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// Neither a customs value nor an item price is declared.
    Missing,
    /// An amount's currency has no rate for the period.
    NoRate(String),
    /// A sum or product too large to compute exactly.
    Overflow,
}

/// A header-level amount shared among the items, and each item's share basis.
#[derive(Debug, Clone)]
pub struct Sharing {
    /// The sum of the items' prices in the assessment currency, the key for sharing; `None`
    /// when it is too large to compute exactly.
    pub total_price: Option<Decimal>,
}

/// Converts `amount` to the assessment currency.
pub fn convert(
    amount: &Amount,
    currency: &str,
    rates: &dyn Fn(&str) -> Option<Decimal>,
) -> Result<(Decimal, String), ValueError> {
    let value = amount.value.unwrap_or_default();
    let from = amount.currency.as_deref().unwrap_or(currency);
    if from == currency {
        return Ok((value, text!("{value} {from}")));
    }
    let rate = rates(from).ok_or_else(|| ValueError::NoRate(from.to_owned()))?;
    // The rate is never zero (a zero rate is no rate): a failed division is an overflow.
    let converted = value.checked_div(rate).ok_or(ValueError::Overflow)?;
    Ok((converted, text!("{value} {from} (at {rate} {from} per {currency})")))
}

/// The item's price in the assessment currency: the declared customs value, else the price.
pub fn item_price(
    item: &GoodsItem,
    currency: &str,
    rates: &dyn Fn(&str) -> Option<Decimal>,
) -> Result<(Decimal, String), ValueError> {
    let declared = item.customs_value_amount.as_ref().filter(|amount| amount.value.is_some());
    let price = item
        .commodity
        .as_ref()
        .and_then(|commodity| commodity.invoice_line.as_ref())
        .and_then(|line| line.item_charge_amount.as_ref())
        .filter(|amount| amount.value.is_some());
    let (amount, label) = match (declared, price) {
        (Some(amount), _) => (amount, "customs value"),
        (None, Some(amount)) => (amount, "price"),
        (None, None) => return Err(ValueError::Missing),
    };
    let (value, shown) = convert(amount, currency, rates)?;
    Ok((value, text!("{label} {shown}")))
}

fn sign_of(sign: Decimal) -> &'static str {
    if sign.is_sign_negative() { "-" } else { "+" }
}

fn charge_sign(charge: &ChargeDeduction) -> Option<Decimal> {
    match text(charge.charges_type_code.as_ref())?.as_bytes().first()? {
        b'A' => Some(Decimal::ONE),
        b'B' => Some(Decimal::NEGATIVE_ONE),
        _ => None,
    }
}

/// The customs value of one item: its price, its own additions and deductions, and its
/// share of the header's (freight included when `include_freight`).
pub fn customs_value(
    cx: &Context<'_>,
    item: &GoodsItem,
    sharing: &Sharing,
    currency: &str,
    include_freight: bool,
    rates: &dyn Fn(&str) -> Option<Decimal>,
) -> Result<CustomsValue, ValueError> {
    let (price, mut explanation) = item_price(item, currency, rates)?;
    let mut value = price;
    // The declared customs value already includes everything.
    if item.customs_value_amount.as_ref().is_none_or(|amount| amount.value.is_none()) {
        for charge in
            item.customs_valuation.iter().flat_map(|valuation| valuation.charge_deductions.iter())
        {
            let (Some(sign), Some(amount)) =
                (charge_sign(charge), charge.other_charge_deduction_amount.as_ref())
            else {
                continue;
            };
            let (converted, shown) = convert(amount, currency, rates)?;
            value = sign
                .checked_mul(converted)
                .and_then(|signed| value.checked_add(signed))
                .ok_or(ValueError::Overflow)?;
            let code = text(charge.charges_type_code.as_ref()).unwrap_or_default();
            let _ = write!(explanation, " {} {code} {shown}", sign_of(sign));
        }
        let header = cx
            .document
            .declaration
            .goods_shipment
            .as_ref()
            .and_then(|shipment| shipment.customs_valuation.as_ref());
        if let Some(header) = header {
            let total_price = sharing.total_price.ok_or(ValueError::Overflow)?;
            let share = if total_price.is_zero() {
                Decimal::ONE
            } else {
                price.checked_div(total_price).ok_or(ValueError::Overflow)?
            };
            let mut shared =
                |sign: Decimal, amount: &Amount, label: &str| -> Result<(), ValueError> {
                    let (converted, shown) = convert(amount, currency, rates)?;
                    value = sign
                        .checked_mul(converted)
                        .and_then(|signed| signed.checked_mul(share))
                        .and_then(|portion| value.checked_add(portion))
                        .ok_or(ValueError::Overflow)?;
                    let portion = if share == Decimal::ONE {
                        String::new()
                    } else {
                        text!(" × {} (share by price)", share.round_dp(6).normalize())
                    };
                    let _ = write!(explanation, " {} {label} {shown}{portion}", sign_of(sign));
                    Ok(())
                };
            let freight =
                header.freight_charge_amount.as_ref().filter(|amount| amount.value.is_some());
            if include_freight && let Some(freight) = freight {
                shared(Decimal::ONE, freight, "freight")?;
            }
            for charge in &header.charge_deductions {
                let (Some(sign), Some(amount)) =
                    (charge_sign(charge), charge.other_charge_deduction_amount.as_ref())
                else {
                    continue;
                };
                let code = text(charge.charges_type_code.as_ref()).unwrap_or_default().to_owned();
                shared(sign, amount, &code)?;
            }
            if !include_freight && let Some(freight) = freight {
                let _ = write!(
                    explanation,
                    " (freight {} {} not added: the value excludes international freight and insurance)",
                    freight.value.unwrap_or_default(),
                    freight.currency.as_deref().unwrap_or(currency)
                );
            }
        }
    }
    let mut amount = value.round_dp(2);
    amount.rescale(2);
    Ok(CustomsValue { amount, explanation })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::*;

    fn amount(value: Decimal, currency: &str) -> Amount {
        Amount { value: Some(value), currency: Some(currency.to_owned()), ..Amount::default() }
    }

    proptest! {
        /// An amount converted to the assessment currency and back at the same rate is the
        /// amount to within one minor unit (to the cent after rounding).
        #[test]
        fn conversion_round_trips_within_one_minor_unit(
            cents in 0i64..100_000_000_000_000, rate in 1i64..100_000_000, scale in 0u32..=6,
        ) {
            let euros = Decimal::new(cents, 2);
            let rate = Decimal::new(rate, scale);
            let rates = |currency: &str| (currency == "EUR").then_some(rate);
            let (pounds, shown) = convert(&amount(euros, "EUR"), "GBP", &rates).unwrap();
            let back = pounds * rate;
            prop_assert!((back - euros).abs() < Decimal::new(1, 2), "{euros} → {pounds} → {back}");
            prop_assert_eq!(back.round_dp(2), euros);
            prop_assert!(shown.contains(&text!("at {rate} EUR per GBP")), "{}", shown);
        }

        /// An amount in the assessment currency is taken as it is.
        #[test]
        fn the_assessment_currency_is_not_converted(cents in any::<i64>()) {
            let value = Decimal::new(cents, 2);
            let (converted, _) = convert(&amount(value, "GBP"), "GBP", &|_: &str| None).unwrap();
            prop_assert_eq!(converted, value);
        }
    }

    #[test]
    fn a_quotient_too_large_is_an_overflow_not_a_missing_rate() {
        let rates = |_: &str| Some(Decimal::new(1, 28));
        let error = convert(&amount(Decimal::MAX, "EUR"), "GBP", &rates).unwrap_err();
        assert_eq!(error, ValueError::Overflow);
        let error = convert(&amount(Decimal::ONE, "JPY"), "GBP", &|_: &str| None).unwrap_err();
        assert_eq!(error, ValueError::NoRate("JPY".to_owned()));
    }
}
