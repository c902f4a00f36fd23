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
}

/// A header-level amount shared among the items, and each item's share basis.
#[derive(Debug, Clone)]
pub struct Sharing {
    /// The sum of the items' prices in the assessment currency, the key for sharing.
    pub total_price: Decimal,
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
        return Ok((value, format!("{value} {from}")));
    }
    let rate = rates(from).ok_or_else(|| ValueError::NoRate(from.to_owned()))?;
    let converted = value.checked_div(rate).ok_or_else(|| ValueError::NoRate(from.to_owned()))?;
    Ok((converted, format!("{value} {from} (at {rate} {from} per {currency})")))
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
    Ok((value, format!("{label} {shown}")))
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
            value += sign * converted;
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
            let share = if sharing.total_price.is_zero() {
                Decimal::ONE
            } else {
                price / sharing.total_price
            };
            let mut shared =
                |sign: Decimal, amount: &Amount, label: &str| -> Result<(), ValueError> {
                    let (converted, shown) = convert(amount, currency, rates)?;
                    value += sign * converted * share;
                    let portion = if share == Decimal::ONE {
                        String::new()
                    } else {
                        format!(" × {} (share by price)", share.round_dp(6).normalize())
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
