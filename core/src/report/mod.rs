//! The report: what a check found, in the shape of the JSON contract
//! (`report_version` 1), and its text rendering.
//!
//! Every stage appends to one [`Report`]; the CLI prints it as text or NDJSON and the page
//! receives it as a JS object of the same shape.

mod json;
mod text;

use rust_decimal::Decimal;
use serde::Serialize;

pub use self::text::{TextOptions, render_text};
use crate::decl::dms::{Declaration, GoodsItem, Party};
use crate::decl::value::{Amount, Measure, Text};
use crate::finding::{Finding, Severity, SeverityCounts};
use crate::source::NodeId;

/// The version of the report's JSON shape. Fields may be added freely; renaming or
/// removing one bumps it.
pub const REPORT_VERSION: u32 = 1;

/// An amount of money as the report prints it: an exact decimal string and a currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    /// The amount, exactly as computed or declared.
    pub amount: Decimal,
    /// ISO 4217 code, when known.
    pub currency: Option<String>,
}

impl Money {
    fn from_amount(amount: &Amount) -> Option<Money> {
        Some(Money { amount: amount.value?, currency: amount.currency.clone() })
    }
}

/// A quantity with its unit, as the report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quantity {
    /// The quantity.
    pub quantity: Decimal,
    /// The unit code as written (`KGM`, `ASV`, ...), when given.
    pub unit: Option<String>,
}

impl Quantity {
    fn from_measure(measure: &Measure) -> Option<Quantity> {
        Some(Quantity { quantity: measure.value?, unit: measure.unit.clone() })
    }
}

/// The tariff a report was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TariffRef {
    /// `uk`, `us`, `eu`, or a pack name.
    pub jurisdiction: String,
    /// The pack's version.
    pub version: String,
    /// The date the tariff was applied at (`YYYY-MM-DD`).
    pub date: Option<String>,
}

/// A computed tax line of an item (filled by the duty stage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxLine {
    /// Tax type code (A00 customs duty, B00 VAT, ...).
    #[serde(rename = "type")]
    pub tax_type: String,
    /// The value the rate applies to.
    pub base: Option<Money>,
    /// The quantity a specific rate applies to.
    pub base_quantity: Option<Quantity>,
    /// The rate applied, printed.
    pub rate: String,
    /// The amount.
    pub amount: Money,
    /// The computation in words.
    pub formula: String,
    /// The measure applied.
    pub measure: String,
    /// The legal basis of the measure.
    pub legal_basis: String,
}

/// A prohibition, restriction or sanction flag of an item (filled by the screening stage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The rule id.
    pub rule: String,
    /// The category (`cites`, `firearms`, ...).
    pub category: String,
    /// `prohibited`, `needs_document`, `satisfied` or `warning`.
    pub status: String,
    /// Documents that satisfy, or would satisfy, the rule.
    pub documents: Vec<String>,
    /// The legal basis.
    pub legal_basis: String,
    /// What it means.
    pub message: String,
}

/// One goods item, as declared and as assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    /// DE 1/6 item number.
    pub sequence: Option<u32>,
    /// The commodity code: all classification parts joined (CN 8 + TARIC 2), as assessed.
    pub commodity_code: Option<String>,
    /// TARIC and national additional codes (`TRA`, `GN` classifications).
    pub additional_codes: Vec<String>,
    /// Description of the goods.
    pub description: Option<String>,
    /// Country of origin (the non-preferential one when both are given).
    pub origin: Option<String>,
    /// Origin type: 1 non-preferential, 2 preferential.
    pub origin_type: Option<String>,
    /// Preferential origin, when declared besides the non-preferential one.
    pub preferential_origin: Option<String>,
    /// Procedure code (requested + previous, e.g. `4000`).
    pub procedure: Option<String>,
    /// Additional procedure codes.
    pub additional_procedures: Vec<String>,
    /// Preference (DE 4/17), when declared.
    pub preference: Option<String>,
    /// DE 4/14 item price, as declared.
    pub item_price: Option<Money>,
    /// DE 4/18 customs value: declared, or computed by the duty stage.
    pub customs_value: Option<Money>,
    /// How the duty stage built the customs value, in words.
    pub valuation: Option<String>,
    /// DE 8/6 statistical value.
    pub statistical_value: Option<Money>,
    /// DE 6/5 gross mass (kg).
    pub gross_mass: Option<Decimal>,
    /// DE 6/1 net mass (kg).
    pub net_mass: Option<Decimal>,
    /// DE 6/2 supplementary units.
    pub supplementary_units: Option<Quantity>,
    /// Computed tax lines.
    pub tax_lines: Vec<TaxLine>,
    /// Prohibition, restriction and sanction flags.
    pub flags: Vec<Flag>,
}

/// The declaration as the report summarises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclarationReport {
    /// Declaration type and additional type (`IMA`, `EXD`, `COR`, ...).
    #[serde(rename = "type")]
    pub type_code: Option<String>,
    /// Function code (9 original, 13 amendment or cancellation).
    pub function_code: Option<String>,
    /// LRN.
    pub lrn: Option<String>,
    /// MRN (of the declaration amended or cancelled).
    pub mrn: Option<String>,
    /// Declared number of items (DE 1/9).
    pub goods_item_quantity: Option<Decimal>,
    /// Total amount invoiced (DE 4/11).
    pub invoice_amount: Option<Money>,
    /// The goods items, in document order.
    pub items: Vec<ItemReport>,
}

/// A total by tax type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Total {
    /// Tax type code.
    #[serde(rename = "type")]
    pub tax_type: String,
    /// The total.
    pub amount: Money,
}

/// A sanctions-list entry a party may be (filled by the screening stage).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyMatch {
    /// The list: `un` (UN Security Council consolidated list) or `ofac-sdn`.
    pub list: String,
    /// The entry's id in the list (`QDi.276`, `306`).
    pub entry: String,
    /// The entry's primary name.
    pub entry_name: String,
    /// `individual` or `entity`.
    pub kind: String,
    /// The sanctions programme(s) of the entry.
    pub programme: String,
    /// The name variant that matched, as listed.
    pub matched_name: String,
    /// `primary name`, `alias` or `weak alias`.
    pub variant: String,
    /// How alike the names are, 0 to 1 (1: the same words after folding case, accents,
    /// scripts and word order).
    pub score: f64,
    /// Whether the names are the same words.
    pub exact: bool,
    /// Why: the word pairs and their similarity, the words left unmatched, the country.
    pub explanation: String,
}

/// A party named in the declaration, with its screening matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyReport {
    /// Role: `exporter`, `importer`, `declarant`, `consignee`, ...
    pub role: String,
    /// EORI or other identifier.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Country of the address.
    pub country: Option<String>,
    /// Sanctions-list matches (filled by the screening stage).
    pub matches: Vec<PartyMatch>,
    /// The party's element, for locating findings about it.
    #[serde(skip)]
    pub node: NodeId,
}

/// The selectivity lane (filled by the risk stage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lane {
    /// `red`, `yellow`, `blue` or `green`.
    pub lane: String,
    /// The score.
    pub score: Decimal,
    /// Why.
    pub reasons: Vec<String>,
}

/// What kind of document the input was, for inputs that are not declarations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    /// `declaration`, `notification`, `other`, or `unreadable`.
    pub kind: &'static str,
    /// A description, e.g. `DMSTAX` or `an inventory-linking message (...)`.
    pub description: String,
}

/// Everything a check found about one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// [`REPORT_VERSION`].
    pub report_version: u32,
    /// The input's name, as given on the command line (`-` for standard input).
    pub file: String,
    /// What the input is.
    pub document: DocumentInfo,
    /// The tariff applied, once the duty stage runs.
    pub tariff: Option<TariffRef>,
    /// The declaration; `None` when nothing could be read or the input is not a declaration.
    pub declaration: Option<DeclarationReport>,
    /// Totals by tax type.
    pub totals: Vec<Total>,
    /// The assessment's currency, rounding policy and valuation basis, when duties were
    /// assessed.
    pub assessment: Option<crate::assess::AssessmentInfo>,
    /// Parties.
    pub parties: Vec<PartyReport>,
    /// Selectivity lane.
    pub lane: Option<Lane>,
    /// Findings, in stage order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Counts of findings by severity.
    #[must_use]
    pub fn counts(&self) -> SeverityCounts {
        SeverityCounts::of(&self.findings)
    }

    /// Whether any finding is an error (the declaration would be rejected or could not be read).
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|finding| finding.severity == Severity::Error)
    }

    /// The report as one line of JSON (NDJSON).
    ///
    /// # Errors
    ///
    /// Only if serialisation fails, which the report's types do not do.
    pub fn to_json_line(&self) -> Result<String, serde_json::Error> {
        // Sized up front: grown from serde_json's 128 bytes, the buffer of a typical report
        // was copied six times over.
        let items = self.declaration.as_ref().map_or(0, |declaration| declaration.items.len());
        let mut line = Vec::with_capacity(4096 + 1024 * items + 512 * self.findings.len());
        json::write(&mut line, self)?;
        // serde_json writes UTF-8; checked again rather than trusted (this crate has no unsafe
        // code), which costs far less than the copies saved.
        String::from_utf8(line).map_err(serde::ser::Error::custom)
    }
}

fn text(value: Option<&Text>) -> Option<String> {
    value.map(|text| text.value.as_str().to_owned()).filter(|text| !text.is_empty())
}

impl DeclarationReport {
    /// Summarises a declaration.
    #[must_use]
    pub fn of(declaration: &Declaration) -> DeclarationReport {
        let items = declaration
            .goods_shipment
            .as_ref()
            .map(|shipment| shipment.goods_items.iter().map(ItemReport::of).collect())
            .unwrap_or_default();
        DeclarationReport {
            type_code: text(declaration.type_code.as_ref()),
            function_code: text(declaration.function_code.as_ref()),
            lrn: text(declaration.functional_reference_id.as_ref()),
            mrn: text(declaration.id.as_ref()),
            goods_item_quantity: declaration
                .goods_item_quantity
                .as_ref()
                .and_then(|quantity| quantity.value),
            invoice_amount: declaration.invoice_amount.as_ref().and_then(Money::from_amount),
            items,
        }
    }
}

impl ItemReport {
    /// Summarises a goods item as declared.
    #[must_use]
    pub fn of(item: &GoodsItem) -> ItemReport {
        let commodity = item.commodity.as_ref();
        let classification = |kind: &str| -> Vec<String> {
            commodity
                .map(|commodity| {
                    commodity
                        .classifications
                        .iter()
                        .filter(|classification| {
                            classification.identification_type_code.as_ref().map(Text::as_str)
                                == Some(kind)
                        })
                        .filter_map(|classification| text(classification.id.as_ref()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let commodity_code = classification("TSP").into_iter().next().map(|mut code| {
            if let Some(taric) = classification("TRC").into_iter().next() {
                code.push_str(&taric);
            }
            code
        });
        let mut additional_codes = classification("TRA");
        additional_codes.extend(classification("GN"));
        let origin_of = |kind: &str| {
            item.origins
                .iter()
                .find(|origin| origin.type_code.as_ref().map(Text::as_str) == Some(kind))
        };
        let origin = origin_of("1").or_else(|| item.origins.first());
        let preferential = origin_of("2").filter(|_| origin_of("1").is_some());
        let mut procedures = item.government_procedures.iter();
        let procedure = procedures.next().and_then(|procedure| {
            let current = text(procedure.current_code.as_ref())?;
            Some(text!("{current}{}", text(procedure.previous_code.as_ref()).unwrap_or_default()))
        });
        let additional_procedures =
            procedures.filter_map(|procedure| text(procedure.current_code.as_ref())).collect();
        let goods_measure = commodity.and_then(|commodity| commodity.goods_measure.as_ref());
        let preference = commodity.and_then(|commodity| {
            commodity.duty_tax_fees.iter().find_map(|fee| text(fee.duty_regime_code.as_ref()))
        });
        ItemReport {
            sequence: item.sequence_numeric.as_ref().and_then(crate::decl::value::Numeric::as_u32),
            commodity_code,
            additional_codes,
            description: commodity.and_then(|commodity| text(commodity.description.as_ref())),
            origin: origin.and_then(|origin| text(origin.country_code.as_ref())),
            origin_type: origin.and_then(|origin| text(origin.type_code.as_ref())),
            preferential_origin: preferential.and_then(|origin| text(origin.country_code.as_ref())),
            procedure,
            additional_procedures,
            preference,
            item_price: commodity
                .and_then(|commodity| commodity.invoice_line.as_ref())
                .and_then(|line| line.item_charge_amount.as_ref())
                .and_then(Money::from_amount),
            customs_value: item.customs_value_amount.as_ref().and_then(Money::from_amount),
            valuation: None,
            statistical_value: item.statistical_value_amount.as_ref().and_then(Money::from_amount),
            gross_mass: goods_measure
                .and_then(|measure| measure.gross_mass_measure.as_ref())
                .and_then(|mass| mass.value),
            net_mass: goods_measure
                .and_then(|measure| measure.net_net_weight_measure.as_ref())
                .and_then(|mass| mass.value),
            supplementary_units: goods_measure
                .and_then(|measure| measure.tariff_quantity.as_ref())
                .and_then(Quantity::from_measure),
            tax_lines: Vec::new(),
            flags: Vec::new(),
        }
    }
}

impl PartyReport {
    fn of(role: &str, party: &Party) -> PartyReport {
        PartyReport {
            role: role.to_owned(),
            id: text(party.id.as_ref()),
            name: text(party.name.as_ref()),
            country: party.address.as_ref().and_then(|address| text(address.country_code.as_ref())),
            matches: Vec::new(),
            node: party.node,
        }
    }

    /// The parties of a declaration, header first, then the shipment's, then each item's.
    #[must_use]
    pub fn all(declaration: &Declaration) -> Vec<PartyReport> {
        let mut parties = Vec::new();
        let mut add = |role: &str, party: Option<&Party>| {
            // A party with neither identifier nor name (an agent with only its status code)
            // names nobody.
            if let Some(party) = party.filter(|party| party.id.is_some() || party.name.is_some()) {
                parties.push(PartyReport::of(role, party));
            }
        };
        add("declarant", declaration.declarant.as_deref());
        add("exporter", declaration.exporter.as_deref());
        add("agent", declaration.agent.as_deref());
        add("submitter", declaration.submitter.as_deref());
        if let Some(consignment) = &declaration.consignment {
            add("carrier", consignment.carrier.as_deref());
            add("consignor", consignment.consignor.as_deref());
        }
        if let Some(shipment) = &declaration.goods_shipment {
            add("importer", shipment.importer.as_deref());
            add("consignee", shipment.consignee.as_deref());
            add("consignor", shipment.consignor.as_deref());
            add("buyer", shipment.buyer.as_deref());
            add("seller", shipment.seller.as_deref());
            add("payer", shipment.payer.as_deref());
            add("surety", shipment.surety.as_deref());
            for item in &shipment.goods_items {
                add("consignee", item.consignee.as_deref());
                add("consignor", item.consignor.as_deref());
                add("buyer", item.buyer.as_deref());
                add("seller", item.seller.as_deref());
            }
        }
        parties
    }
}
