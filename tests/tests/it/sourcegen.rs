//! Generates the declaration model `core/src/decl/dms.rs` from the DMS schema tree.
//!
//! The schema tree (`docs/wco-dms-schema-tree.txt` in the shared data) lists all 459 element
//! paths of the DMS declaration with cardinality, WCO id, format and facets. This test turns
//! it into typed structs, their readers and the schema table. When the committed file differs
//! from what the generator produces, the test rewrites it and fails, so a change to the
//! generator or to the schema shows up as a reviewed diff.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Different element names that share one model type (their children are unions).
const SHARED_TYPES: &[(&str, &[&str])] = &[
    (
        "Party",
        &[
            "Submitter",
            "Agent",
            "Carrier",
            "Consignor",
            "Declarant",
            "Exporter",
            "Buyer",
            "Consignee",
            "Importer",
            "Payer",
            "Seller",
            "Surety",
            "AEOMutualRecognitionParty",
            "DomesticDutyTaxParty",
        ],
    ),
    ("Office", &["ExitOffice", "PresentationOffice", "SupervisingOffice", "GuaranteeOffice"]),
    (
        "TransportMeans",
        &["BorderTransportMeans", "ArrivalTransportMeans", "DepartureTransportMeans"],
    ),
    ("Location", &["GoodsLocation", "LoadingLocation"]),
];

/// WCO ids the schema tree leaves empty, as CDS notifications use them in pointers.
const WCO_ID_OVERRIDES: &[(&str, &str)] = &[(
    "Declaration/GoodsShipment/GovernmentAgencyGoodsItem/Commodity/Classification/IdentificationTypeCode",
    "337",
)];

/// Model type names that read better than the element name.
const TYPE_RENAMES: &[(&str, &str)] = &[("GovernmentAgencyGoodsItem", "GoodsItem")];

/// Field names that read better than the snake-cased element name.
const FIELD_RENAMES: &[(&str, &str)] = &[
    ("GovernmentAgencyGoodsItem", "goods_items"),
    ("AEOMutualRecognitionParty", "aeo_mutual_recognition_parties"),
    ("DomesticDutyTaxParty", "domestic_duty_tax_parties"),
    ("AdditionalInformation", "additional_information"),
    ("TransportEquipment", "transport_equipment"),
    ("Packaging", "packaging"),
    ("DangerousGoods", "dangerous_goods"),
    ("Itinerary", "itineraries"),
    ("GovernmentProcedure", "government_procedures"),
    ("ObligationGuarantee", "obligation_guarantees"),
];

/// What the EU customs data model calls some elements (data element numbers), for docs.
const DATA_ELEMENTS: &[(&str, &str)] = &[
    ("Declaration/FunctionCode", "Function code: 9 original, 13 amendment or cancellation."),
    ("Declaration/FunctionalReferenceID", "DE 2/5 LRN, the declarant's reference."),
    ("Declaration/ID", "MRN of the declaration being amended or cancelled."),
    (
        "Declaration/TypeCode",
        "DE 1/1 + 1/2: declaration type and additional type (IMA, EXD, COR, ...).",
    ),
    ("Declaration/GoodsItemQuantity", "DE 1/9: number of goods items."),
    ("Declaration/InvoiceAmount", "DE 4/11: total amount invoiced."),
    ("Declaration/TotalPackageQuantity", "DE 6/18: total packages."),
    ("Declaration/Agent", "DE 3/20-3/21: representative and status."),
    ("Declaration/AuthorisationHolder", "DE 3/39: holders of authorisations."),
    ("Declaration/CurrencyExchange", "DE 4/15: exchange rate."),
    ("Declaration/Declarant", "DE 3/17-3/18: declarant."),
    ("Declaration/Exporter", "DE 3/1-3/2: exporter."),
    ("Declaration/ExitOffice", "DE 5/12: customs office of exit."),
    ("Declaration/GoodsShipment/Importer", "DE 3/15-3/16: importer."),
    (
        "Declaration/GoodsShipment/GovernmentAgencyGoodsItem",
        "DE 1/6 onwards: the goods items (at most 999).",
    ),
    ("GovernmentAgencyGoodsItem/SequenceNumeric", "DE 1/6: goods item number."),
    ("GovernmentAgencyGoodsItem/CustomsValueAmount", "DE 4/18: customs value."),
    ("GovernmentAgencyGoodsItem/StatisticalValueAmount", "DE 8/6: statistical value."),
    ("Commodity/Description", "DE 6/8: description of goods."),
    (
        "Commodity/Classification",
        "DE 6/13-6/17: commodity code parts by type (TSP, TRC, TRA, GN, CV).",
    ),
    ("Commodity/DutyTaxFee", "DE 4/3-4/8, 4/17, 8/1: tax lines, preference and quota."),
    ("GoodsMeasure/GrossMassMeasure", "DE 6/5: gross mass in kg."),
    ("GoodsMeasure/NetNetWeightMeasure", "DE 6/1: net mass in kg."),
    ("GoodsMeasure/TariffQuantity", "DE 6/2: supplementary units."),
    ("InvoiceLine/ItemChargeAmount", "DE 4/14: item price."),
    (
        "GovernmentAgencyGoodsItem/GovernmentProcedure",
        "DE 1/10-1/11: procedure codes (requested + previous, then additional).",
    ),
    (
        "GovernmentAgencyGoodsItem/Origin",
        "DE 5/15-5/16: origin country and type (1 non-preferential, 2 preferential).",
    ),
    (
        "GovernmentAgencyGoodsItem/AdditionalDocument",
        "DE 2/3, 8/7: documents, certificates and authorisations.",
    ),
    (
        "GovernmentAgencyGoodsItem/AdditionalInformation",
        "DE 2/2: additional information statements.",
    ),
    ("GovernmentAgencyGoodsItem/Packaging", "DE 6/9-6/11: packages."),
    ("PreviousDocument", "DE 2/1: previous documents."),
    ("GovernmentAgencyGoodsItem/ValuationAdjustment", "DE 4/13: valuation indicators."),
    ("CustomsValuation/MethodCode", "DE 4/16: valuation method."),
    ("CustomsValuation/ChargeDeduction", "DE 4/9: additions and deductions."),
    ("GoodsShipment/TransactionNatureCode", "DE 8/5: nature of transaction."),
    ("GoodsShipment/Destination", "DE 5/8: country of destination."),
    ("GoodsShipment/ExportCountry", "DE 5/14: country of dispatch or export."),
    ("GoodsShipment/TradeTerms", "DE 4/1: delivery terms."),
    ("GoodsShipment/Warehouse", "DE 2/7: warehouse."),
    ("Consignment/GoodsLocation", "DE 5/23: location of goods."),
    ("Consignment/TransportEquipment", "DE 7/10: containers."),
    (
        "Declaration/BorderTransportMeans",
        "DE 7/4, 7/14-7/15: active means of transport at the border.",
    ),
    ("Declaration/ObligationGuarantee", "DE 8/2-8/3: guarantee."),
];

#[derive(Debug, Clone)]
struct Entry {
    path: String,
    name: String,
    min: u32,
    max: Option<u32>,
    wco_id: String,
    format: String,
    base: Option<String>,
    facets: BTreeMap<String, String>,
    remarks: String,
    children: Vec<usize>,
}

fn parse_tree(text: &str) -> Vec<Entry> {
    let mut entries = vec![Entry {
        path: "Declaration".into(),
        name: "Declaration".into(),
        min: 1,
        max: Some(1),
        wco_id: "42A".into(),
        format: String::new(),
        base: None,
        facets: BTreeMap::new(),
        remarks: String::new(),
        children: Vec::new(),
    }];
    let mut by_path: BTreeMap<String, usize> = BTreeMap::new();
    by_path.insert("Declaration".into(), 0);
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (line, remarks) = match line.split_once("  codes: ") {
            Some((line, remarks)) => (line, remarks.trim().to_owned()),
            None => (line, String::new()),
        };
        let mut parts = line.split_whitespace();
        let path = parts.next().unwrap().to_owned();
        let cardinality = parts.next().unwrap();
        let (min, max) = cardinality.trim_matches(['[', ']']).split_once("..").unwrap();
        let wco_id = parts.next().unwrap().trim_start_matches("WCO:").to_owned();
        let wco_id = match WCO_ID_OVERRIDES.iter().find(|(overridden, _)| *overridden == path) {
            Some((_, id)) if wco_id.is_empty() => (*id).to_owned(),
            _ => wco_id,
        };
        let rest: Vec<&str> = parts.collect();
        let (format, base, facets) = if rest.is_empty() {
            (String::new(), None, BTreeMap::new())
        } else {
            let facets = rest[2..]
                .iter()
                .map(|facet| {
                    let (key, value) = facet.split_once('=').unwrap();
                    (key.to_owned(), value.to_owned())
                })
                .collect();
            (rest[0].to_owned(), Some(rest[1].to_owned()), facets)
        };
        let name = path.rsplit('/').next().unwrap().to_owned();
        let parent_path = path.rsplit_once('/').unwrap().0;
        let parent = by_path[parent_path];
        let index = entries.len();
        entries.push(Entry {
            path: path.clone(),
            name,
            min: min.parse().unwrap(),
            max: if max == "n" { None } else { Some(max.parse().unwrap()) },
            wco_id,
            format,
            base,
            facets,
            remarks,
            children: Vec::new(),
        });
        entries[parent].children.push(index);
        by_path.insert(path, index);
    }
    entries
}

fn type_name(element: &str) -> String {
    for (shared, members) in SHARED_TYPES {
        if members.contains(&element) {
            return (*shared).to_owned();
        }
    }
    for (from, to) in TYPE_RENAMES {
        if *from == element {
            return (*to).to_owned();
        }
    }
    element.to_owned()
}

fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let previous_lower = i > 0 && chars[i - 1].is_lowercase();
            let acronym_end = i > 0
                && chars[i - 1].is_uppercase()
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if previous_lower || acronym_end {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(*c);
        }
    }
    out
}

fn field_name(element: &str, repeated: bool) -> String {
    for (from, to) in FIELD_RENAMES {
        if *from == element {
            return (*to).to_owned();
        }
    }
    let base = snake_case(element);
    let base = if base == "type" { "type_".to_owned() } else { base };
    if !repeated || base.ends_with('s') {
        base
    } else if let Some(stem) = base.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{base}s")
    }
}

fn leaf_kind(base: &str) -> (&'static str, &'static str) {
    match base {
        "AmountType" => ("Amount", "Amount"),
        "MeasureType" => ("Measure", "Measure"),
        "QuantityType" => ("Measure", "Quantity"),
        "NumericType" => ("Numeric", "Numeric"),
        "DateTimeType" => ("DateTime", "DateTime"),
        "CodeType" | "IDType" | "TextType" => ("Text", "Text"),
        other => panic!("unknown base type {other}"),
    }
}

/// A field of a model type: the union over every element mapped to the type.
#[derive(Debug, Clone)]
struct Field {
    element: String,
    rust_name: String,
    rust_type: String,
    repeated: bool,
    is_class: bool,
    is_date_time: bool,
    doc: Option<String>,
}

fn doc_for(path: &str) -> Option<String> {
    DATA_ELEMENTS
        .iter()
        .find(|(suffix, _)| path == *suffix || path.ends_with(&format!("/{suffix}")))
        .map(|(_, doc)| (*doc).to_owned())
}

/// Groups class elements by model type and merges their children in schema order.
fn merge_types(entries: &[Entry]) -> (BTreeMap<String, Vec<Field>>, Vec<String>) {
    let mut types: BTreeMap<String, Vec<Field>> = BTreeMap::new();
    let mut type_order: Vec<String> = Vec::new();
    for entry in entries.iter().filter(|entry| entry.base.is_none()) {
        let name = type_name(&entry.name);
        if !types.contains_key(&name) {
            type_order.push(name.clone());
        }
        let fields = types.entry(name).or_default();
        let mut insert_at = 0;
        for &child in &entry.children {
            let child = &entries[child];
            let repeated = child.max != Some(1);
            let (rust_type, is_class, is_date_time) = match &child.base {
                Some(base) => {
                    let (rust_type, _) = leaf_kind(base);
                    (rust_type.to_owned(), false, base == "DateTimeType")
                }
                None => (type_name(&child.name), true, false),
            };
            if let Some(position) = fields.iter().position(|field| field.element == child.name) {
                let field = &mut fields[position];
                assert_eq!(field.rust_type, rust_type, "{} has two types", child.path);
                field.repeated |= repeated;
                if field.doc.is_none() {
                    field.doc = doc_for(&child.path);
                }
                insert_at = position + 1;
            } else {
                fields.insert(
                    insert_at,
                    Field {
                        element: child.name.clone(),
                        rust_name: String::new(),
                        rust_type,
                        repeated,
                        is_class,
                        is_date_time,
                        doc: doc_for(&child.path),
                    },
                );
                insert_at += 1;
            }
        }
    }
    for fields in types.values_mut() {
        for field in fields.iter_mut() {
            field.rust_name = field_name(&field.element, field.repeated);
        }
    }
    (types, type_order)
}

fn generate(entries: &[Entry]) -> String {
    let (types, type_order) = merge_types(entries);
    let mut out = String::new();
    out.push_str(
        "//! The WCO DMS declaration model (UK CDS, WCO Data Model 3.6) and its schema table.\n\
         //!\n\
         //! @generated by `tests/tests/it/sourcegen.rs` from the DMS schema tree\n\
         //! (`docs/wco-dms-schema-tree.txt`, schema version 2.15). Do not edit: change the\n\
         //! generator and run `cargo test -p preclear-tests --test it sourcegen`.\n\
         //!\n\
         //! Element names map to snake-case fields (`GoodsItemQuantity` → `goods_item_quantity`),\n\
         //! repeatable elements to `Vec`s, and elements with the same shape share one type\n\
         //! (every party is a [`Party`]). The [`SCHEMA`] table holds, for each of the schema's\n\
         //! element paths, its WCO id, cardinality, format and facets.\n\n\
         #![allow(clippy::too_many_lines)]\n\n\
         use serde::Serialize;\n\n\
         use super::schema::{ElementKind, Facets, LeafKind, SchemaNode};\n\
         use super::value::{Amount, DateTime, Measure, Numeric, Text};\n\
         use super::xml::{Cursor, Element, Frame, Stop, Tag};\n\
         use crate::source::NodeId;\n\n",
    );

    // Slots: for each class entry, the schema index of each field of its type (or none).
    let mut slot_tables: Vec<String> = Vec::with_capacity(entries.len());
    for entry in entries {
        if entry.base.is_some() {
            slot_tables.push("&[]".into());
            continue;
        }
        let fields = &types[&type_name(&entry.name)];
        let slots: Vec<String> = fields
            .iter()
            .map(|field| {
                entry
                    .children
                    .iter()
                    .find(|&&child| entries[child].name == field.element)
                    .map_or_else(|| "None".to_owned(), |child| format!("Some({child})"))
            })
            .collect();
        slot_tables.push(format!("&[{}]", slots.join(", ")));
    }

    for type_name in &type_order {
        write_type(&mut out, entries, type_name, &types[type_name]);
    }
    write_schema_table(&mut out, entries, &slot_tables);
    out
}

fn write_type(out: &mut String, entries: &[Entry], type_name: &str, fields: &[Field]) {
    {
        let elements: Vec<&Entry> = entries
            .iter()
            .filter(|entry| entry.base.is_none() && self::type_name(&entry.name) == *type_name)
            .collect();
        let mut names: Vec<&str> = elements.iter().map(|entry| entry.name.as_str()).collect();
        names.dedup();
        let _ = writeln!(
            out,
            "/// The `{}` element{}.",
            names.join("`, `"),
            if names.len() > 1 { "s" } else { "" }
        );
        let _ = writeln!(out, "///");
        let _ = writeln!(out, "/// Found at:");
        for element in &elements {
            let doc = doc_for(&element.path).map(|doc| format!(" {doc}")).unwrap_or_default();
            let _ = writeln!(out, "/// - `{}` (WCO {}).{doc}", element.path, element.wco_id);
        }
        let _ = writeln!(out, "#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]");
        let _ = writeln!(out, "#[non_exhaustive]");
        let _ = writeln!(out, "pub struct {type_name} {{");
        let _ = writeln!(out, "    /// The element this was read from.");
        let _ = writeln!(out, "    #[serde(skip)]");
        let _ = writeln!(out, "    pub node: NodeId,");
        for field in fields {
            let doc = field.doc.clone().unwrap_or_else(|| format!("`{}`.", field.element));
            let doc = if field.doc.is_some() { format!("`{}`: {doc}", field.element) } else { doc };
            let _ = writeln!(out, "    /// {doc}");
            if field.repeated {
                let _ = writeln!(out, "    #[serde(skip_serializing_if = \"Vec::is_empty\")]");
                let _ = writeln!(out, "    pub {}: Vec<{}>,", field.rust_name, field.rust_type);
            } else {
                let _ = writeln!(out, "    #[serde(skip_serializing_if = \"Option::is_none\")]");
                if field.is_class {
                    let _ = writeln!(
                        out,
                        "    pub {}: Option<Box<{}>>,",
                        field.rust_name, field.rust_type
                    );
                } else {
                    let _ =
                        writeln!(out, "    pub {}: Option<{}>,", field.rust_name, field.rust_type);
                }
            }
        }
        let _ = writeln!(out, "}}\n");

        let _ = writeln!(out, "impl Element for {type_name} {{");
        let _ = writeln!(
            out,
            "    fn set_node(&mut self, node: NodeId) {{\n        self.node = node;\n    }}\n"
        );
        let _ = writeln!(
            out,
            "    fn read_child(&mut self, cx: &mut Cursor<'_>, frame: &mut Frame, schema: &'static SchemaNode, tag: &Tag<'_>) -> Result<(), Stop> {{"
        );
        let _ = writeln!(out, "        match tag.local() {{");
        for (slot, field) in fields.iter().enumerate() {
            let method = if field.is_class {
                if field.repeated { "repeated" } else { "class_boxed" }
            } else if field.is_date_time {
                "date_time"
            } else {
                "leaf"
            };
            let _ = writeln!(
                out,
                "            \"{}\" => cx.{method}(frame, tag, schema_slot(schema, {slot}), &mut self.{}),",
                field.element, field.rust_name
            );
        }
        let _ = writeln!(out, "            _ => cx.unknown(frame, tag),");
        let _ = writeln!(out, "        }}\n    }}\n");
        let presence: Vec<String> = fields
            .iter()
            .map(|field| {
                if field.repeated {
                    format!("!self.{}.is_empty()", field.rust_name)
                } else {
                    format!("self.{}.is_some()", field.rust_name)
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "    fn finish(&self, cx: &mut Cursor<'_>, schema: &'static SchemaNode) {{"
        );
        let _ = writeln!(
            out,
            "        cx.require_children(self.node, schema, &[{}]);",
            presence.join(", ")
        );
        let _ = writeln!(out, "    }}\n}}\n");
    }
}

fn write_schema_table(out: &mut String, entries: &[Entry], slot_tables: &[String]) {
    let mut sibling_position: BTreeMap<usize, usize> = BTreeMap::new();
    for entry in entries {
        for (position, &child) in entry.children.iter().enumerate() {
            sibling_position.insert(child, position);
        }
    }
    out.push_str(
        "/// The schema node of a field of a model type, for the element being read; `None` when\n\
         /// the element's schema has no such child (the field belongs to another element of the\n\
         /// same type).\n\
         fn schema_slot(schema: &SchemaNode, slot: usize) -> Option<&'static SchemaNode> {\n\
         \x20   let index = schema.slots.get(slot).copied().flatten()?;\n\
         \x20   SCHEMA.get(usize::from(index))\n\
         }\n\n",
    );
    let _ = writeln!(
        out,
        "/// Every element of the DMS declaration schema; `SCHEMA[0]` is `Declaration`."
    );
    let _ = writeln!(out, "pub static SCHEMA: [SchemaNode; {}] = [", entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let kind = match &entry.base {
            None => "ElementKind::Class".to_owned(),
            Some(base) => format!("ElementKind::Leaf(LeafKind::{})", leaf_kind(base).1),
        };
        let facet = |key: &str| {
            entry.facets.get(key).map_or("None".to_owned(), |value| format!("Some({value})"))
        };
        let pattern = entry
            .facets
            .get("pattern")
            .map_or("None".to_owned(), |value| format!("Some({value:?})"));
        let enumeration = entry.facets.get("enum").map_or("&[]".to_owned(), |value| {
            let values: Vec<String> = value.split('|').map(|value| format!("{value:?}")).collect();
            format!("&[{}]", values.join(", "))
        });
        let max = entry.max.map_or("None".to_owned(), |max| format!("Some({max})"));
        let _ = writeln!(
            out,
            "    SchemaNode {{ path: {:?}, name: {:?}, wco_id: {:?}, min: {}, max: {max}, format: {:?}, kind: {kind}, \
             facets: Facets {{ max_length: {}, length: {}, total_digits: {}, fraction_digits: {}, pattern: {pattern}, enumeration: {enumeration} }}, \
             position: {}, remarks: {:?}, slots: {} }}, // {index}",
            entry.path,
            entry.name,
            entry.wco_id,
            entry.min,
            entry.format,
            facet("maxLength"),
            facet("length"),
            facet("totalDigits"),
            facet("fractionDigits"),
            sibling_position.get(&index).copied().unwrap_or(0),
            entry.remarks,
            slot_tables[index],
        );
    }
    out.push_str("];\n");
}

fn rustfmt(source: &str) -> String {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .arg("--config-path")
        .arg(preclear_tests::workspace_root().join("rustfmt.toml"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("rustfmt runs");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(source.as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "rustfmt failed on the generated source");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn declaration_model_is_generated_from_the_schema_tree() {
    let tree =
        std::fs::read_to_string(preclear_tests::shared("docs/wco-dms-schema-tree.txt")).unwrap();
    let entries = parse_tree(&tree);
    assert_eq!(entries.len(), 460, "459 schema paths plus the Declaration root");
    let generated = rustfmt(&generate(&entries));
    let target = preclear_tests::workspace_root().join("core/src/decl/dms.rs");
    let current = std::fs::read_to_string(&target).unwrap_or_default();
    if current != generated {
        std::fs::write(&target, &generated).unwrap();
        panic!(
            "{} was out of date and has been regenerated; review the diff and commit it",
            Path::new("core/src/decl/dms.rs").display()
        );
    }
}
