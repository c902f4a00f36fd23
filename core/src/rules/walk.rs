//! Every place in a declaration where one kind of value occurs (parties, addresses, amounts,
//! measures), for the rules that check a value wherever the schema puts it.
//!
//! Lists are in document order, so findings come out in the order of the input.

use crate::decl::dms::{
    AdditionalDocument, Address, Consignment, CustomsValuation, Declaration, GoodsItem, Party,
};
use crate::decl::value::{Amount, Measure};

/// A party and the element that holds it (`Declarant`, `Importer`, ...).
pub(crate) type RoledParty<'a> = (&'static str, &'a Party);

fn add<'a>(out: &mut Vec<RoledParty<'a>>, role: &'static str, party: Option<&'a Party>) {
    if let Some(party) = party {
        out.push((role, party));
    }
}

/// Every party of the declaration, with its element name, in document order.
pub(crate) fn parties(declaration: &Declaration) -> Vec<RoledParty<'_>> {
    let mut out = Vec::new();
    add(&mut out, "Submitter", declaration.submitter.as_deref());
    for document in &declaration.additional_documents {
        add(&mut out, "Submitter", document.submitter.as_deref());
    }
    add(&mut out, "Agent", declaration.agent.as_deref());
    if let Some(consignment) = &declaration.consignment {
        consignment_parties(consignment, &mut out);
    }
    add(&mut out, "Declarant", declaration.declarant.as_deref());
    add(&mut out, "Exporter", declaration.exporter.as_deref());
    if let Some(shipment) = &declaration.goods_shipment {
        for party in &shipment.aeo_mutual_recognition_parties {
            add(&mut out, "AEOMutualRecognitionParty", Some(party));
        }
        add(&mut out, "Buyer", shipment.buyer.as_deref());
        add(&mut out, "Consignee", shipment.consignee.as_deref());
        if let Some(consignment) = &shipment.consignment {
            consignment_parties(consignment, &mut out);
        }
        add(&mut out, "Consignor", shipment.consignor.as_deref());
        for party in &shipment.domestic_duty_tax_parties {
            add(&mut out, "DomesticDutyTaxParty", Some(party));
        }
        for item in &shipment.goods_items {
            for document in &item.additional_documents {
                add(&mut out, "Submitter", document.submitter.as_deref());
            }
            for party in &item.aeo_mutual_recognition_parties {
                add(&mut out, "AEOMutualRecognitionParty", Some(party));
            }
            add(&mut out, "Buyer", item.buyer.as_deref());
            add(&mut out, "Consignee", item.consignee.as_deref());
            add(&mut out, "Consignor", item.consignor.as_deref());
            for party in &item.domestic_duty_tax_parties {
                add(&mut out, "DomesticDutyTaxParty", Some(party));
            }
            add(&mut out, "Seller", item.seller.as_deref());
        }
        add(&mut out, "Importer", shipment.importer.as_deref());
        add(&mut out, "Payer", shipment.payer.as_deref());
        add(&mut out, "Seller", shipment.seller.as_deref());
        add(&mut out, "Surety", shipment.surety.as_deref());
    }
    out
}

fn consignment_parties<'a>(consignment: &'a Consignment, out: &mut Vec<RoledParty<'a>>) {
    add(out, "Carrier", consignment.carrier.as_deref());
    for item in &consignment.consignment_items {
        add(out, "Consignor", item.consignor.as_deref());
    }
    add(out, "Consignor", consignment.consignor.as_deref());
}

/// Every document (DE 2/3, and the header's DE 2/6), header first, then item by item.
pub(crate) fn additional_documents(declaration: &Declaration) -> Vec<&AdditionalDocument> {
    let items: &[GoodsItem] =
        declaration.goods_shipment.as_ref().map_or(&[], |shipment| &shipment.goods_items);
    declaration
        .additional_documents
        .iter()
        .chain(items.iter().flat_map(|item| &item.additional_documents))
        .collect()
}

/// Every address: the parties' and the goods location's.
pub(crate) fn addresses(declaration: &Declaration) -> Vec<&Address> {
    let mut out: Vec<&Address> = parties(declaration)
        .into_iter()
        .filter_map(|(_, party)| party.address.as_deref())
        .collect();
    if let Some(consignment) =
        declaration.goods_shipment.as_ref().and_then(|shipment| shipment.consignment.as_ref())
    {
        for location in [&consignment.goods_location, &consignment.loading_location] {
            if let Some(address) = location.as_ref().and_then(|location| location.address.as_ref())
            {
                out.push(address);
            }
        }
    }
    out
}

/// What an amount is, for the rules that treat some amounts apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AmountKind {
    /// A tax amount: `TaxAssessedAmount` (DE 4/6) or `PaymentAmount` (DE 4/7).
    Tax,
    /// Any other amount (prices, values, tax bases, additions, guarantees).
    Other,
}

/// Every amount of the declaration, in document order.
pub(crate) fn amounts(declaration: &Declaration) -> Vec<(AmountKind, &Amount)> {
    let mut out = Vec::new();
    push(&mut out, AmountKind::Other, declaration.invoice_amount.as_ref());
    for amount in written_off(&declaration.additional_documents) {
        push(&mut out, AmountKind::Other, Some(amount));
    }
    if let Some(shipment) = &declaration.goods_shipment {
        for amount in valuation(shipment.customs_valuation.as_deref()) {
            push(&mut out, AmountKind::Other, Some(amount));
        }
        for item in &shipment.goods_items {
            push(&mut out, AmountKind::Other, item.customs_value_amount.as_ref());
            push(&mut out, AmountKind::Other, item.statistical_value_amount.as_ref());
            for amount in written_off(&item.additional_documents) {
                push(&mut out, AmountKind::Other, Some(amount));
            }
            if let Some(commodity) = &item.commodity {
                for fee in &commodity.duty_tax_fees {
                    push(&mut out, AmountKind::Other, fee.ad_valorem_tax_base_amount.as_ref());
                    push(&mut out, AmountKind::Other, fee.deduct_amount.as_ref());
                    if let Some(payment) = &fee.payment {
                        push(&mut out, AmountKind::Tax, payment.tax_assessed_amount.as_ref());
                        push(&mut out, AmountKind::Tax, payment.payment_amount.as_ref());
                    }
                }
                let line = commodity.invoice_line.as_ref();
                push(
                    &mut out,
                    AmountKind::Other,
                    line.and_then(|line| line.item_charge_amount.as_ref()),
                );
            }
            for amount in valuation(item.customs_valuation.as_deref()) {
                push(&mut out, AmountKind::Other, Some(amount));
            }
        }
    }
    for guarantee in &declaration.obligation_guarantees {
        push(&mut out, AmountKind::Other, guarantee.amount_amount.as_ref());
    }
    out
}

fn push<'a, K, T>(out: &mut Vec<(K, &'a T)>, kind: K, value: Option<&'a T>) {
    if let Some(value) = value {
        out.push((kind, value));
    }
}

fn written_off(documents: &[AdditionalDocument]) -> Vec<&Amount> {
    documents
        .iter()
        .filter_map(|document| document.write_off.as_ref()?.amount_amount.as_ref())
        .collect()
}

fn valuation(valuation: Option<&CustomsValuation>) -> Vec<&Amount> {
    let Some(valuation) = valuation else { return Vec::new() };
    valuation
        .freight_charge_amount
        .iter()
        .chain(
            valuation
                .charge_deductions
                .iter()
                .filter_map(|charge| charge.other_charge_deduction_amount.as_ref()),
        )
        .collect()
}

/// What a measure or quantity is, for the rules that treat some apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MeasureKind {
    /// A mass: gross (DE 6/5) or net (DE 6/1), in kilograms.
    Mass,
    /// A specific tax base (DE 4/4), which may be a value in GBP.
    TaxBase,
    /// Any other measure or quantity.
    Other,
}

/// Every measure and quantity of the declaration, in document order.
pub(crate) fn measures(declaration: &Declaration) -> Vec<(MeasureKind, &Measure)> {
    let mut out = Vec::new();
    push(&mut out, MeasureKind::Other, declaration.goods_item_quantity.as_ref());
    push(&mut out, MeasureKind::Other, declaration.loading_list_quantity.as_ref());
    push(&mut out, MeasureKind::Mass, declaration.total_gross_mass_measure.as_ref());
    push(&mut out, MeasureKind::Other, declaration.total_package_quantity.as_ref());
    for document in &declaration.additional_documents {
        push(
            &mut out,
            MeasureKind::Other,
            document.write_off.as_ref().and_then(|write_off| write_off.quantity_quantity.as_ref()),
        );
    }
    let items: &[GoodsItem] =
        declaration.goods_shipment.as_ref().map_or(&[], |shipment| &shipment.goods_items);
    for item in items {
        for document in &item.additional_documents {
            push(
                &mut out,
                MeasureKind::Other,
                document
                    .write_off
                    .as_ref()
                    .and_then(|write_off| write_off.quantity_quantity.as_ref()),
            );
        }
        if let Some(commodity) = &item.commodity {
            for fee in &commodity.duty_tax_fees {
                push(&mut out, MeasureKind::TaxBase, fee.specific_tax_base_quantity.as_ref());
            }
            if let Some(measure) = &commodity.goods_measure {
                push(&mut out, MeasureKind::Mass, measure.gross_mass_measure.as_ref());
                push(&mut out, MeasureKind::Mass, measure.net_net_weight_measure.as_ref());
                push(&mut out, MeasureKind::Other, measure.tariff_quantity.as_ref());
            }
        }
        for packaging in &item.packaging {
            for measure in [
                &packaging.quantity_quantity,
                &packaging.length_measure,
                &packaging.width_measure,
                &packaging.height_measure,
                &packaging.volume_measure,
            ] {
                push(&mut out, MeasureKind::Other, measure.as_ref());
            }
        }
    }
    out
}
