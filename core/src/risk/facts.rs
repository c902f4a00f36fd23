//! What the risk stage looks at: the facts of a declaration and its items, taken from the
//! declaration as read and from what earlier stages added to the report (computed tax lines,
//! restriction flags).
//!
//! Criteria and the learned scorer read these facts and nothing else, so their tests build
//! facts directly, and a stage that lands later feeds risk by filling the report.

use rust_decimal::Decimal;

use crate::check::Context;
use crate::decl::dms::{DutyTaxFee, GoodsItem};
use crate::decl::value::Text;
use crate::report::{Flag, ItemReport, Money, Quantity, Report};

/// The facts of one declaration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclarationFacts {
    /// The key of the random draw: the LRN, else the MRN.
    pub reference: Option<String>,
    /// The importer's EORI, else the declarant's.
    pub trader: Option<String>,
    /// DE 7/4 mode of transport at the border (`1` sea, `4` air, ...).
    pub border_mode: Option<String>,
    /// The items, in document order.
    pub items: Vec<ItemFacts>,
}

/// The facts of one goods item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFacts {
    /// DE 1/6 item number (the position when the declaration gives none).
    pub sequence: u32,
    /// The commodity code, all parts joined.
    pub commodity: Option<String>,
    /// Country of origin.
    pub origin: Option<String>,
    /// DE 5/14 country of dispatch or export (the item's, else the shipment's).
    pub dispatch: Option<String>,
    /// Procedure code (requested + previous).
    pub procedure: Option<String>,
    /// DE 4/17 preference.
    pub preference: Option<String>,
    /// The value of the goods: customs value, else item price, else statistical value.
    pub value: Option<Money>,
    /// Net mass (kg).
    pub net_mass: Option<Decimal>,
    /// Gross mass (kg).
    pub gross_mass: Option<Decimal>,
    /// Supplementary units.
    pub supplementary: Option<Quantity>,
    /// Customs duty declared (tax types `A…`), when the declaration states amounts.
    pub declared_duty: Option<Decimal>,
    /// Customs duty computed by the duty stage (tax types `A…`), when it ran.
    pub computed_duty: Option<Decimal>,
    /// The customs duty rate in percent: computed, else declared.
    pub duty_rate: Option<Decimal>,
    /// Restriction flags from screening.
    pub flags: Vec<Flag>,
}

fn text(value: Option<&Text>) -> Option<String> {
    value.map(|text| text.value.trim().to_owned()).filter(|text| !text.is_empty())
}

/// Whether a tax type is a customs duty (`A00` duty, `A30`… anti-dumping and the like).
fn is_customs_duty(tax_type: &str) -> bool {
    tax_type.starts_with('A')
}

/// Reads a rate printed as `2.00%` or `2` into a percentage.
fn percent(rate: &str) -> Option<Decimal> {
    rate.trim().trim_end_matches('%').trim().parse::<Decimal>().ok()
}

impl DeclarationFacts {
    /// The facts of the declaration in `context`, with what earlier stages put in `report`.
    #[must_use]
    pub fn of(context: &Context<'_>, report: &Report) -> DeclarationFacts {
        let declaration = &context.document.declaration;
        let summary = report.declaration.as_ref();
        let shipment = declaration.goods_shipment.as_ref();
        let party_id = |role: &str| {
            report
                .parties
                .iter()
                .find(|party| party.role == role)
                .and_then(|party| party.id.clone())
        };
        let shipment_dispatch = shipment
            .and_then(|shipment| shipment.export_country.as_ref())
            .and_then(|country| text(country.id.as_ref()));
        let goods: &[GoodsItem] = shipment.map_or(&[], |shipment| &shipment.goods_items);
        let items = summary.map_or(&[][..], |summary| &summary.items);
        DeclarationFacts {
            reference: summary.and_then(|summary| summary.lrn.clone().or(summary.mrn.clone())),
            trader: party_id("importer").or_else(|| party_id("declarant")),
            border_mode: declaration
                .border_transport_means
                .as_ref()
                .and_then(|means| text(means.mode_code.as_ref())),
            items: items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    ItemFacts::of(index, item, goods.get(index), shipment_dispatch.as_deref())
                })
                .collect(),
        }
    }
}

impl ItemFacts {
    fn of(
        index: usize,
        item: &ItemReport,
        goods: Option<&GoodsItem>,
        shipment_dispatch: Option<&str>,
    ) -> ItemFacts {
        let fees: &[DutyTaxFee] = goods
            .and_then(|goods| goods.commodity.as_ref())
            .map_or(&[], |commodity| &commodity.duty_tax_fees);
        let duty_fees = || {
            fees.iter().filter(|fee| {
                fee.type_code.as_ref().is_some_and(|code| is_customs_duty(code.as_str()))
            })
        };
        let declared_amounts: Vec<Decimal> = duty_fees()
            .filter_map(|fee| fee.payment.as_ref())
            .filter_map(|payment| {
                payment
                    .tax_assessed_amount
                    .as_ref()
                    .or(payment.payment_amount.as_ref())
                    .and_then(|amount| amount.value)
            })
            .collect();
        let duty_lines = || item.tax_lines.iter().filter(|line| is_customs_duty(&line.tax_type));
        let computed_rate = duty_lines().find_map(|line| percent(&line.rate));
        let declared_rate =
            duty_fees().find_map(|fee| fee.tax_rate_numeric.as_ref().and_then(|rate| rate.value));
        ItemFacts {
            sequence: item.sequence.unwrap_or_else(|| u32::try_from(index + 1).unwrap_or(u32::MAX)),
            commodity: item.commodity_code.clone(),
            origin: item.origin.clone(),
            dispatch: goods
                .and_then(|goods| goods.export_country.as_ref())
                .and_then(|country| text(country.id.as_ref()))
                .or_else(|| shipment_dispatch.map(str::to_owned)),
            procedure: item.procedure.clone(),
            preference: item.preference.clone(),
            value: item
                .customs_value
                .clone()
                .or_else(|| item.item_price.clone())
                .or_else(|| item.statistical_value.clone()),
            net_mass: item.net_mass,
            gross_mass: item.gross_mass,
            supplementary: item.supplementary_units.clone(),
            declared_duty: (!declared_amounts.is_empty()).then(|| {
                declared_amounts
                    .iter()
                    .fold(Decimal::ZERO, |sum, amount| sum.saturating_add(*amount))
            }),
            computed_duty: (duty_lines().count() > 0).then(|| {
                duty_lines().fold(Decimal::ZERO, |sum, line| sum.saturating_add(line.amount.amount))
            }),
            duty_rate: computed_rate.or(declared_rate),
            flags: item.flags.clone(),
        }
    }

    /// The HS subheading (the first six digits of the commodity code).
    #[must_use]
    pub fn hs6(&self) -> Option<&str> {
        self.commodity.as_deref().and_then(|code| code.get(..6))
    }

    /// The mass the goods' value is compared with: net, else gross.
    #[must_use]
    pub fn mass(&self) -> Option<Decimal> {
        self.net_mass.or(self.gross_mass).filter(|mass| *mass > Decimal::ZERO)
    }
}
