//! Validation rules: "will customs reject it?", every reason pointed at the element.
//!
//! One rule per file. Each rule has a stable code (`PC-VAL-…`), a doc comment saying what it
//! checks, why, and its legal or technical source, and its own pass/fail cases whose rendered
//! findings are one insta snapshot per rule. Where a CDS error code means the same thing,
//! findings carry it as `dms_code` (`DMS10001`, ...), located where the authority's
//! notification would point.

use crate::check::Context;
use crate::decl::dms::{Declaration, GoodsItem, GoodsShipment};
use crate::decl::value::Text;
use crate::finding::{Code, Finding};
use crate::source::NodeId;
use crate::tariff::{Jurisdiction, Tariff};

mod amendment;
mod amount_currency;
mod authorisation_holder;
mod commodity_code;
mod container_numbers;
mod country_codes;
mod currency_codes;
mod declaration_type;
mod document_codes;
mod document_status;
mod eori;
mod exchange_rate_currency;
mod goods_item_quantity;
mod goods_location;
mod invoice_amount;
mod iso6346;
mod item_sequence;
mod locodes;
mod lrn;
mod mrn;
mod net_gross_mass;
mod obligations;
mod package_types;
mod preference_claim;
mod preference_codes;
mod procedure_codes;
mod quota_preference;
mod tax_amount_currency;
mod total_packages;
mod transport_modes;
mod unit_codes;
mod vat_identifier;
mod walk;

/// A validation rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// A short kebab-case name (`item-sequence`).
    pub name: &'static str,
    /// The finding code the rule reports with.
    pub code: Code,
    /// What the rule checks, in one sentence.
    pub summary: &'static str,
    /// The check.
    pub check: fn(&Context<'_>, &mut Vec<Finding>),
}

/// Every rule, in the order they run.
pub const RULES: &[Rule] = &[
    goods_item_quantity::RULE,
    item_sequence::RULE,
    net_gross_mass::RULE,
    procedure_codes::RULE,
    amendment::RULE,
    obligations::RULE,
    commodity_code::RULE,
    total_packages::RULE,
    invoice_amount::RULE,
    amount_currency::RULE,
    preference_claim::RULE,
    quota_preference::RULE,
    authorisation_holder::RULE,
    vat_identifier::RULE,
    goods_location::RULE,
    // Code lists and formats (PC-VAL-020 onwards).
    declaration_type::RULE,
    lrn::RULE,
    mrn::RULE,
    eori::RULE,
    country_codes::RULE,
    currency_codes::RULE,
    exchange_rate_currency::RULE,
    tax_amount_currency::RULE,
    unit_codes::RULE,
    package_types::RULE,
    transport_modes::RULE,
    locodes::RULE,
    container_numbers::RULE,
    document_codes::RULE,
    document_status::RULE,
    preference_codes::RULE,
];

/// Runs every rule over the declaration in `cx`.
pub fn validate(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    for rule in RULES {
        (rule.check)(cx, findings);
    }
}

/// A finding of `code` at `node`, with the CDS error code that means the same.
pub(crate) fn finding_at(cx: &Context<'_>, code: Code, node: NodeId, message: String) -> Finding {
    Finding::new(code, message).at_opt(cx.locate(node))
}

/// A finding about a missing element `child` of `parent`: its path is where the element
/// belongs (as the authority's pointer names it), its line and column the parent's.
pub(crate) fn finding_missing(
    cx: &Context<'_>,
    code: Code,
    parent: NodeId,
    child: &str,
    message: String,
) -> Finding {
    let location = cx.locate(parent).map(|mut location| {
        location.path.push('/');
        location.path.push_str(child);
        location
    });
    Finding::new(code, message).at_opt(location)
}

/// The declaration.
pub(crate) fn declaration<'a>(cx: &Context<'a>) -> &'a Declaration {
    &cx.document.declaration
}

/// The goods shipment, when there is one.
pub(crate) fn shipment<'a>(cx: &Context<'a>) -> Option<&'a GoodsShipment> {
    cx.document.declaration.goods_shipment.as_deref()
}

/// The goods items, in document order.
pub(crate) fn items<'a>(cx: &Context<'a>) -> &'a [GoodsItem] {
    shipment(cx).map_or(&[], |shipment| shipment.goods_items.as_slice())
}

/// A text value, trimmed, when present and not empty.
pub(crate) fn text(value: Option<&Text>) -> Option<&str> {
    value.map(Text::as_str).filter(|text| !text.is_empty())
}

/// Whether the declaration is a message about another declaration (an amendment `COR`, a
/// cancellation `INV`, a goods presentation `GPR`), which resends only what it changes.
pub(crate) fn is_additional_message(cx: &Context<'_>) -> bool {
    matches!(type_code(cx), Some("COR" | "INV" | "GPR"))
}

/// The jurisdiction the declaration is checked for: the loaded tariff's, else the one its
/// `ResponsibleCountryCode` names.
pub(crate) fn jurisdiction(cx: &Context<'_>) -> Jurisdiction {
    cx.tariff.map_or_else(|| crate::check::jurisdiction_of(cx.document), Tariff::jurisdiction)
}

/// The declaration type (`IMA`, `EXD`, `COR`, ...).
pub(crate) fn type_code<'a>(cx: &Context<'a>) -> Option<&'a str> {
    text(declaration(cx).type_code.as_ref())
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
pub(crate) mod test {
    //! The pass/fail harness every rule's tests use: cases are edits of one valid base
    //! declaration, and the findings of the failing cases are rendered as text, one snapshot
    //! per rule.

    use std::fmt::Write as _;
    use std::sync::OnceLock;

    use super::Rule;
    use crate::check::{CheckOptions, Checker, Tariffs};
    use crate::report::{TextOptions, render_text};

    /// A valid single-item import declaration (type IMA) that every rule passes.
    pub(crate) const BASE: &str = include_str!("base.xml");

    /// A case: a name and the edits (find, replace) that make it from [`BASE`].
    pub(crate) type Case<'a> = (&'a str, &'a [(&'a str, &'a str)]);

    /// The goods item's number in [`BASE`], with the element that makes it unique.
    pub(crate) const ITEM_SEQUENCE: &str =
        "<GovernmentAgencyGoodsItem>\n\t\t\t\t<SequenceNumeric>1</SequenceNumeric>";

    /// An edit that adds a second, minimal goods item (number 2) after the first.
    pub(crate) const SECOND_ITEM: (&str, &str) = (
        "</GovernmentAgencyGoodsItem>",
        "</GovernmentAgencyGoodsItem>\n<GovernmentAgencyGoodsItem><SequenceNumeric>2</SequenceNumeric>\
         <Commodity><Description>Kettle spare lids</Description><Classification><ID>85169000</ID>\
         <IdentificationTypeCode>TSP</IdentificationTypeCode></Classification><Classification><ID>00</ID>\
         <IdentificationTypeCode>TRC</IdentificationTypeCode></Classification><GoodsMeasure>\
         <GrossMassMeasure>12</GrossMassMeasure><NetNetWeightMeasure>10</NetNetWeightMeasure></GoodsMeasure>\
         <InvoiceLine><ItemChargeAmount currencyID=\"GBP\">120.00</ItemChargeAmount></InvoiceLine></Commodity>\
         <GovernmentProcedure><CurrentCode>40</CurrentCode><PreviousCode>00</PreviousCode></GovernmentProcedure>\
         <GovernmentProcedure><CurrentCode>000</CurrentCode></GovernmentProcedure>\
         <Origin><CountryCode>CN</CountryCode><TypeCode>1</TypeCode></Origin>\
         <Packaging><SequenceNumeric>1</SequenceNumeric><MarksNumbersID>LCA/KT/L</MarksNumbersID>\
         <QuantityQuantity>1</QuantityQuantity><TypeCode>CT</TypeCode></Packaging></GovernmentAgencyGoodsItem>",
    );

    fn tariffs() -> &'static Tariffs {
        static TARIFFS: OnceLock<Tariffs> = OnceLock::new();
        TARIFFS.get_or_init(Tariffs::bundled)
    }

    fn apply(case: &Case<'_>) -> String {
        let mut xml = BASE.to_owned();
        for (find, replace) in case.1 {
            assert!(
                xml.contains(find),
                "case `{}`: `{find}` is not in the base declaration",
                case.0
            );
            xml = xml.replacen(find, replace, 1);
        }
        xml
    }

    /// Checks that `pass` cases give no finding of the rule's code and `fail` cases give at
    /// least one, and snapshots the rendered findings of the failing cases.
    pub(crate) fn check_rule(rule: &Rule, pass: &[Case<'_>], fail: &[Case<'_>]) -> String {
        let checker = Checker::new(tariffs(), CheckOptions::default());
        let mut rendered = String::new();
        for case in pass {
            let report = checker.check(case.0, apply(case).as_bytes());
            let hits: Vec<_> = report.findings.iter().filter(|f| f.code == rule.code).collect();
            assert!(hits.is_empty(), "pass case `{}` of {}: {hits:#?}", case.0, rule.name);
        }
        for case in fail {
            let xml = apply(case);
            let mut report = checker.check(case.0, xml.as_bytes());
            report.findings.retain(|f| f.code == rule.code);
            assert!(
                !report.findings.is_empty(),
                "fail case `{}` of {} found nothing",
                case.0,
                rule.name
            );
            report.declaration = None;
            report.tariff = None;
            let text = render_text(&report, Some(xml.as_bytes()), TextOptions::default());
            let _ = writeln!(rendered, "=== {}", case.0);
            // The report's headline and summary say nothing about the rule: keep findings only.
            for line in text.lines().skip_while(|line| !line.contains('[')) {
                if !line.starts_with("result:") {
                    let _ = writeln!(rendered, "{line}");
                }
            }
        }
        rendered
    }
}
