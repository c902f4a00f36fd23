//! Screening goods items: each rule that covers an item's commodity code, movement, country
//! and date becomes a flag on the item (`prohibited`, `needs_document`, `satisfied` or
//! `warning`) and a `PC-PR-…` finding located at the element concerned.

use std::fmt::Write as _;

use compact_str::CompactString;

use crate::check::Context;
use crate::codes;
use crate::decl::dms::{AdditionalDocument, Declaration, GoodsItem};
use crate::decl::value::Text;
use crate::finding::{Finding, Provenance, Severity};
use crate::report::{Flag, ItemReport};
use crate::screen::rules::{Countries, Coverage, Direction, Rule, RuleKind, RulePack, Territory};
use crate::screen::species;
use crate::source::NodeId;

/// A document declared for an item (DE 2/3), at item or header level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declared {
    /// Category code + type code (`C400`); inline, as codes are a few bytes.
    pub code: CompactString,
    /// The status (`LPCOExemptionCode`), when given.
    pub status: Option<CompactString>,
    /// The `AdditionalDocument` element.
    pub node: NodeId,
}

impl Declared {
    /// Whether the status says the document is held (everything but the `X…` "not
    /// required/waiver" and `U…` "unavailable" statuses), or is one `accepted` anyway.
    pub(crate) fn held(&self, accepted: &[String]) -> bool {
        match self.status.as_deref() {
            None => true,
            Some(status) => {
                !(status.starts_with('X') || status.starts_with('U'))
                    || accepted.iter().any(|code| code == status)
            }
        }
    }
}

/// What a status code says, for messages.
pub(crate) fn status_meaning(status: &str) -> &'static str {
    match status {
        "XX" => "document not required",
        "XW" => "waiver claimed",
        "XB" => "below the quantity threshold",
        "XU" => "not in use",
        "UA" | "UE" | "UP" => "document unavailable",
        _ => "document not held",
    }
}

fn declared_documents(documents: &[AdditionalDocument], into: &mut Vec<Declared>) {
    for document in documents {
        let category = document.category_code.as_ref().map_or("", Text::as_str);
        let kind = document.type_code.as_ref().map_or("", Text::as_str);
        if category.is_empty() && kind.is_empty() {
            continue;
        }
        let mut code = CompactString::default();
        code.push_str(category);
        code.push_str(kind);
        code.make_ascii_uppercase();
        into.push(Declared {
            code,
            status: document
                .lpco_exemption_code
                .as_ref()
                .map(|status| {
                    let mut status = CompactString::from(status.as_str());
                    status.make_ascii_uppercase();
                    status
                })
                .filter(|status| !status.is_empty()),
            node: document.node,
        });
    }
}

/// The facts of an item the rules look at.
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemFacts {
    /// The commodity code (CN + TARIC) and the element of its first part.
    pub code: Option<(String, NodeId)>,
    pub origin: Option<String>,
    pub dispatch: Option<String>,
    pub destination: Option<String>,
    pub documents: Vec<Declared>,
    /// The description and its element.
    pub description: Option<(String, NodeId)>,
    /// The element findings about the whole item point at.
    pub node: NodeId,
    pub sequence: Option<u32>,
    /// The part of the UK the declaration is for.
    pub territory: Option<Territory>,
}

fn country(text: Option<&Text>) -> Option<String> {
    text.map(|text| text.as_str().trim().to_ascii_uppercase()).filter(|code| !code.is_empty())
}

impl ItemFacts {
    pub(crate) fn of(
        declaration: &Declaration,
        header: &HeaderFacts,
        item: &GoodsItem,
    ) -> ItemFacts {
        let shipment = declaration.goods_shipment.as_ref();
        let commodity = item.commodity.as_ref();
        let classification = |kind: &str| {
            commodity.and_then(|commodity| {
                commodity.classifications.iter().find(|classification| {
                    classification.identification_type_code.as_ref().map(Text::as_str) == Some(kind)
                })
            })
        };
        let code = classification("TSP").and_then(|cn| cn.id.as_ref()).map(|cn| {
            let mut code = cn.as_str().trim().to_owned();
            if code.len() == 8
                && let Some(taric) = classification("TRC").and_then(|taric| taric.id.as_ref())
            {
                code.push_str(taric.as_str().trim());
            }
            (code, cn.node)
        });
        let origin = item
            .origins
            .iter()
            .find(|origin| origin.type_code.as_ref().map(Text::as_str) == Some("1"))
            .or_else(|| item.origins.first())
            .and_then(|origin| country(origin.country_code.as_ref()));
        let dispatch = item
            .export_country
            .as_ref()
            .or_else(|| shipment.and_then(|shipment| shipment.export_country.as_ref()))
            .and_then(|export| country(export.id.as_ref()));
        let destination = item
            .destination
            .as_ref()
            .or_else(|| shipment.and_then(|shipment| shipment.destination.as_ref()))
            .and_then(|destination| country(destination.country_code.as_ref()));
        let mut documents =
            Vec::with_capacity(item.additional_documents.len() + header.documents.len());
        declared_documents(&item.additional_documents, &mut documents);
        documents.extend_from_slice(&header.documents);
        let description = commodity
            .and_then(|commodity| commodity.description.as_ref())
            .filter(|text| !text.as_str().trim().is_empty())
            .map(|text| (text.as_str().to_owned(), text.node));
        ItemFacts {
            territory: Some(header.territory(item)),
            code,
            origin,
            dispatch,
            destination,
            documents,
            description,
            node: item.node,
            sequence: item.sequence_numeric.as_ref().and_then(crate::decl::value::Numeric::as_u32),
        }
    }

    fn label(&self) -> String {
        let item = self.sequence.map_or_else(|| "item".to_owned(), |n| text!("item {n}"));
        match &self.code {
            Some((code, _)) => text!("{item} ({code})"),
            None => item,
        }
    }
}

/// What the items of a declaration share: the documents declared at header level and the
/// header's evidence of the territory. Read once, not again for each of its items.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeaderFacts {
    pub documents: Vec<Declared>,
    /// Whether a header statement (DE 2/2) is `NIREM`.
    not_at_risk: bool,
    /// Whether a header statement is a Northern Ireland one (`NI…`).
    ni_statement: bool,
    /// Whether the declarant, importer or exporter has an `XI` EORI.
    xi_eori: bool,
}

/// A statement code (DE 2/2) as the territory rules compare it.
fn statement(text: &Text) -> String {
    text.as_str().trim().to_ascii_uppercase()
}

impl HeaderFacts {
    pub(crate) fn of(declaration: &Declaration) -> HeaderFacts {
        let mut documents = Vec::with_capacity(declaration.additional_documents.len());
        declared_documents(&declaration.additional_documents, &mut documents);
        let statements: Vec<String> = declaration
            .additional_information
            .iter()
            .filter_map(|information| information.statement_code.as_ref())
            .map(statement)
            .collect();
        let shipment = declaration.goods_shipment.as_ref();
        let parties = [
            declaration.declarant.as_ref(),
            declaration.exporter.as_ref(),
            shipment.and_then(|shipment| shipment.importer.as_ref()),
        ];
        let xi_eori = parties.into_iter().flatten().any(|party| {
            party
                .id
                .as_ref()
                .is_some_and(|id| id.as_str().trim().to_ascii_uppercase().starts_with("XI"))
        });
        HeaderFacts {
            documents,
            not_at_risk: statements.iter().any(|code| code == "NIREM"),
            ni_statement: statements.iter().any(|code| code.starts_with("NI")),
            xi_eori,
        }
    }

    /// Which goods rules an item follows: Northern Ireland's (the EU's, under the Windsor
    /// Framework) when the item or the declaration carries a Northern Ireland statement (DE 2/2
    /// `NIIMP`, `NIDOM`, ...) or its declarant, importer or exporter has an `XI` EORI, unless
    /// either declares the goods not at risk of entering the EU (`NIREM`); Great Britain's
    /// otherwise.
    pub(crate) fn territory(&self, item: &GoodsItem) -> Territory {
        let (mut not_at_risk, mut ni_statement) = (self.not_at_risk, self.ni_statement);
        for code in item
            .additional_information
            .iter()
            .filter_map(|information| information.statement_code.as_ref())
        {
            let code = statement(code);
            not_at_risk |= code == "NIREM";
            ni_statement |= code.starts_with("NI");
        }
        if not_at_risk {
            Territory::GreatBritain
        } else if ni_statement || self.xi_eori {
            Territory::NorthernIreland
        } else {
            Territory::GreatBritain
        }
    }
}

/// Whether a declaration imports or exports, from its type (`IMA`, `EXD`, ...).
pub(crate) fn movement(declaration: &Declaration) -> Option<Direction> {
    let kind = declaration.type_code.as_ref()?.as_str().get(..2)?.to_ascii_uppercase();
    match kind.as_str() {
        "IM" => Some(Direction::Import),
        "EX" => Some(Direction::Export),
        _ => None,
    }
}

/// A list of document codes with their names, joined by `conjunction`:
/// `C400 (CITES permit or certificate) or C635 (CITES label)`.
pub(crate) fn name_documents(pack: &RulePack, codes: &[String], conjunction: &str) -> String {
    let mut out = String::new();
    for (index, code) in codes.iter().enumerate() {
        if index > 0 {
            if index + 1 == codes.len() {
                let _ = write!(out, " {conjunction} ");
            } else {
                out.push_str(", ");
            }
        }
        out.push_str(code);
        if let Some(name) = pack.document_name(code) {
            let _ = write!(out, " ({name})");
        }
    }
    out
}

/// One outcome: the flag and the finding that goes with it.
pub(crate) struct Outcome {
    pub flag: Flag,
    pub finding: Finding,
}

/// Screens one item against the commodity rules.
pub(crate) fn screen_item(
    context: &Context<'_>,
    pack: &RulePack,
    movement: Option<Direction>,
    facts: &ItemFacts,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    if let (Some((code, code_node)), Some(movement)) = (&facts.code, movement) {
        let applicable: Vec<&Rule> = pack
            .rules_for(code, context.date)
            .into_iter()
            .filter(|rule| rule.direction.covers(movement))
            .filter(|rule| rule.territory.is_none() || rule.territory == facts.territory)
            .filter(|rule| {
                rule.covers_country(
                    facts.origin.as_deref(),
                    facts.dispatch.as_deref(),
                    facts.destination.as_deref(),
                )
            })
            .collect();
        let superseded: Vec<&str> =
            applicable.iter().flat_map(|rule| rule.supersedes.iter().map(String::as_str)).collect();
        for rule in applicable {
            if rule.pr_code.as_deref().is_some_and(|pr| superseded.contains(&pr)) {
                continue;
            }
            outcomes.push(evaluate(context, pack, rule, facts, *code_node));
        }
    }
    outcomes.extend(species::screen_description(context, pack, facts));
    outcomes
}

fn provenance(rule: &Rule) -> Provenance {
    let source = match &rule.pr_code {
        Some(code) => text!("pr_measures.tsv ({code}), {}", rule.source),
        None => rule.source.clone(),
    };
    Provenance { source, id: rule.id.clone(), legal_basis: Some(rule.legal_basis.clone()) }
}

/// What an evaluation decided, before the flag and finding are built.
struct Decision {
    status: &'static str,
    code: crate::finding::Code,
    severity: Severity,
    message: String,
    documents: Vec<String>,
    node: NodeId,
}

/// The status of one applicable rule for an item.
fn evaluate(
    context: &Context<'_>,
    pack: &RulePack,
    rule: &Rule,
    facts: &ItemFacts,
    code_node: NodeId,
) -> Outcome {
    let decision = decide(pack, rule, facts, code_node);
    let flag = Flag {
        rule: rule.id.clone(),
        category: rule.category.clone(),
        status: decision.status.to_owned(),
        documents: decision.documents.clone(),
        legal_basis: rule.legal_basis.clone(),
        message: decision.message.clone(),
    };
    let finding = Finding::new(decision.code, decision.message)
        .with_severity(decision.severity)
        .at_opt(context.locate(decision.node).or_else(|| context.locate(facts.node)))
        .with_help(rule.message.clone())
        .with_provenance(provenance(rule))
        .with_detail(serde_json::json!({
            "rule": rule.id,
            "category": rule.category,
            "status": decision.status,
            "documents": decision.documents,
        }));
    Outcome { flag, finding }
}

fn decide(pack: &RulePack, rule: &Rule, facts: &ItemFacts, code_node: NodeId) -> Decision {
    let label = facts.label();
    let measure = if rule.measure_types.is_empty() {
        String::new()
    } else {
        text!(" (CDS measure type {})", rule.measure_types.join("/"))
    };
    let title = text!("{}{measure}", rule.title);
    satisfied(pack, rule, facts, &title, &label)
        .unwrap_or_else(|| missing(pack, rule, facts, &title, &label, code_node))
}

/// The decision when a declared document satisfies the rule, or a statement exempts the goods.
fn satisfied(
    pack: &RulePack,
    rule: &Rule,
    facts: &ItemFacts,
    title: &str,
    label: &str,
) -> Option<Decision> {
    let held: Vec<&Declared> = facts
        .documents
        .iter()
        .filter(|document| {
            rule.documents.iter().any(|code| *code == document.code) && document.held(&rule.waivers)
        })
        .collect();
    if let Some(first) = held.first() {
        let codes = dedup(held.iter().map(|document| document.code.to_string()));
        let verb = if rule.kind == RuleKind::Prohibition { "licensed by" } else { "satisfied by" };
        let waived: Vec<String> = held
            .iter()
            .filter(|document| !document.held(&[]))
            .map(|document| {
                let status = document.status.as_deref().unwrap_or_default();
                text!("{} with status {status} ({})", document.code, status_meaning(status))
            })
            .collect();
        let waiver = if waived.is_empty() {
            String::new()
        } else {
            text!("; the declarant states {}", waived.join(", "))
        };
        return Some(Decision {
            status: "satisfied",
            code: codes::PR_SATISFIED,
            severity: Severity::Info,
            message: text!(
                "{title}: {label} is {verb} {}{waiver}",
                name_documents(pack, &codes, "and")
            ),
            documents: codes,
            node: first.node,
        });
    }
    let exempted: Vec<&Declared> = facts
        .documents
        .iter()
        .filter(|document| rule.exemptions.iter().any(|code| *code == document.code))
        .collect();
    if let Some(first) = exempted.first() {
        let codes = dedup(exempted.iter().map(|document| document.code.to_string()));
        return Some(Decision {
            status: "satisfied",
            code: codes::PR_SATISFIED,
            severity: Severity::Info,
            message: text!(
                "{title}: {label} is declared outside it by {}",
                name_documents(pack, &codes, "and")
            ),
            documents: codes,
            node: first.node,
        });
    }
    None
}

/// The decision when nothing declared satisfies the rule.
fn missing(
    pack: &RulePack,
    rule: &Rule,
    facts: &ItemFacts,
    title: &str,
    label: &str,
    code_node: NodeId,
) -> Decision {
    let mut wanted = rule.documents.clone();
    wanted.extend(rule.exemptions.iter().cloned());
    let not_held: Vec<String> = facts
        .documents
        .iter()
        .filter(|document| rule.documents.iter().any(|code| *code == document.code))
        .map(|document| {
            let status = document.status.as_deref().unwrap_or_default();
            text!("{} is declared with status {status} ({})", document.code, status_meaning(status))
        })
        .collect();
    let declared = if not_held.is_empty() {
        "none is declared".to_owned()
    } else {
        text!("{}, which does not count", not_held.join("; "))
    };
    // Why the rule may not concern these goods, when the source cannot tell.
    let doubt = match (&rule.countries, rule.coverage) {
        (Countries::Group(group), _) => Some(text!(
            "it covers the origins of group {group}, whose members the source does not list"
        )),
        (_, Coverage::Part) => Some(
            "HMRC marks the whole code, although the control concerns only some of its goods"
                .to_owned(),
        ),
        _ => None,
    };
    match (rule.kind, doubt) {
        (RuleKind::Prohibition, _) => {
            let licence = if wanted.is_empty() {
                String::new()
            } else {
                text!(" unless licensed by {} ({declared})", name_documents(pack, &wanted, "or"))
            };
            Decision {
                status: "prohibited",
                code: codes::PR_PROHIBITED,
                severity: Severity::Error,
                message: text!("{title}: {label} is prohibited{licence}"),
                documents: wanted,
                node: code_node,
            }
        }
        (RuleKind::Restriction, None) => {
            needs_document(pack, facts, title, label, &declared, wanted, code_node)
        }
        // The source cannot tell whether the goods are concerned, so the finding informs.
        (RuleKind::Restriction, Some(doubt)) => Decision {
            status: "warning",
            code: codes::PR_MAY_APPLY,
            severity: Severity::Info,
            message: text!(
                "{title}: {label} may need {} ({doubt}); {declared}",
                name_documents(pack, &wanted, "or")
            ),
            documents: wanted,
            node: code_node,
        },
        (RuleKind::Advisory, doubt) => {
            let documents = if wanted.is_empty() {
                String::new()
            } else {
                text!("; it is met by {} ({declared})", name_documents(pack, &wanted, "or"))
            };
            let doubt = doubt.map(|doubt| text!(" ({doubt})")).unwrap_or_default();
            // A P&R code of HMRC's table only says a control exists on the code; a written
            // rule names goods and countries the broker should check.
            let severity = if rule.pr_code.is_some() { Severity::Info } else { Severity::Warning };
            Decision {
                status: "warning",
                code: codes::PR_MAY_APPLY,
                severity,
                message: text!("{title}: may apply to {label}{doubt}{documents}"),
                documents: wanted,
                node: code_node,
            }
        }
    }
}

pub(crate) fn dedup(codes: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        if !out.contains(&code) {
            out.push(code);
        }
    }
    out
}

/// A restriction that certainly applies and that no declared document satisfies.
fn needs_document(
    pack: &RulePack,
    facts: &ItemFacts,
    title: &str,
    label: &str,
    declared: &str,
    wanted: Vec<String>,
    code_node: NodeId,
) -> Decision {
    // A statement (Y…) the pack does not know may be the exemption this measure
    // accepts, so the missing document is then a warning, not an error.
    let unknown: Vec<String> = dedup(
        facts
            .documents
            .iter()
            .filter(|document| {
                document.code.starts_with('Y') && pack.document_name(&document.code).is_none()
            })
            .map(|document| document.code.to_string()),
    );
    if unknown.is_empty() {
        Decision {
            status: "needs_document",
            code: codes::PR_NEEDS_DOCUMENT,
            severity: Severity::Error,
            message: text!(
                "{title}: {label} needs {}; {declared}",
                name_documents(pack, &wanted, "or")
            ),
            documents: wanted,
            node: code_node,
        }
    } else {
        Decision {
            status: "warning",
            code: codes::PR_MAY_APPLY,
            severity: Severity::Warning,
            message: text!(
                "{title}: {label} needs {} unless the statement {} exempts the goods (Preclear does not know it); {declared}",
                name_documents(pack, &wanted, "or"),
                unknown.join(", ")
            ),
            documents: wanted,
            node: code_node,
        }
    }
}

/// Screens every goods item of the declaration into its report item's flags.
pub(crate) fn screen_goods(
    context: &Context<'_>,
    pack: &RulePack,
    items: &mut [ItemReport],
    findings: &mut Vec<Finding>,
) {
    let declaration = &context.document.declaration;
    let Some(shipment) = &declaration.goods_shipment else { return };
    let movement = movement(declaration);
    let header = HeaderFacts::of(declaration);
    for (item, report) in shipment.goods_items.iter().zip(items.iter_mut()) {
        let facts = ItemFacts::of(declaration, &header, item);
        for outcome in screen_item(context, pack, movement, &facts) {
            report.flags.push(outcome.flag);
            findings.push(outcome.finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::rules::tests::{DOCUMENTS, pack};

    fn facts(code: &str, documents: &[(&str, Option<&str>)]) -> ItemFacts {
        ItemFacts {
            code: Some((code.to_owned(), NodeId::NONE)),
            documents: documents
                .iter()
                .map(|(code, status)| Declared {
                    code: (*code).into(),
                    status: status.map(Into::into),
                    node: NodeId::NONE,
                })
                .collect(),
            sequence: Some(1),
            node: NodeId::NONE,
            ..ItemFacts::default()
        }
    }

    fn statuses(
        rules: &str,
        movement: Direction,
        facts: &ItemFacts,
    ) -> Vec<(String, String, Vec<String>)> {
        let pack = pack(&text!("{DOCUMENTS}{rules}"));
        assert!(pack.findings().is_empty(), "{:?}", pack.findings());
        crate::check::with_empty_context(crate::Date::new(2024, 6, 1), |context| {
            screen_item(context, &pack, Some(movement), facts)
        })
        .into_iter()
        .map(|outcome| (outcome.flag.rule, outcome.flag.status, outcome.flag.documents))
        .collect()
    }

    const RESTRICTION: &str = "[uk-firearms-import]\ntitle = Firearms import licensing\nkind = restriction\ndirection = import\ncommodities = 9301 9302 9303 9304 9305 9306\ncategory = firearms\nlegal_basis = Import of Goods (Control) Order 1954\nmessage = m\ndocuments = 9100\n";

    #[test]
    fn a_restriction_is_satisfied_by_a_held_document_and_needs_one_otherwise() {
        let satisfied =
            statuses(RESTRICTION, Direction::Import, &facts("9306210000", &[("9100", Some("ES"))]));
        assert_eq!(
            satisfied,
            [("uk-firearms-import".to_owned(), "satisfied".to_owned(), vec!["9100".to_owned()])]
        );
        let missing =
            statuses(RESTRICTION, Direction::Import, &facts("9306210000", &[("N935", None)]));
        assert_eq!(missing[0].1, "needs_document");
        assert_eq!(missing[0].2, ["9100"]);
        // A waiver status does not count.
        let waived =
            statuses(RESTRICTION, Direction::Import, &facts("9306210000", &[("9100", Some("XX"))]));
        assert_eq!(waived[0].1, "needs_document");
        // Exports and other goods are not concerned.
        assert!(statuses(RESTRICTION, Direction::Export, &facts("9306210000", &[])).is_empty());
        assert!(statuses(RESTRICTION, Direction::Import, &facts("8516108000", &[])).is_empty());
    }

    #[test]
    fn a_prohibition_applies_by_destination_unless_licensed() {
        let rules = "[uk-embargo-sudan-arms]\ntitle = Sudan arms embargo\nkind = prohibition\ndirection = export\ncommodities = 93\ncountries = SD\ncategory = sanctions\nlegal_basis = UNSCR 1556 (2004)\nmessage = m\ndocuments = 9104\nfrom = 2004-07-30\n";
        let mut item = facts("93019000", &[("9104", Some("XX"))]);
        item.destination = Some("SD".to_owned());
        assert_eq!(statuses(rules, Direction::Export, &item)[0].1, "prohibited");
        item.documents[0].status = Some("EE".into());
        assert_eq!(statuses(rules, Direction::Export, &item)[0].1, "satisfied");
        item.destination = Some("US".to_owned());
        assert!(statuses(rules, Direction::Export, &item).is_empty());
        item.destination = None;
        assert!(
            statuses(rules, Direction::Export, &item).is_empty(),
            "an unknown destination is not Sudan"
        );
    }

    #[test]
    fn exemptions_satisfy_and_unresolved_groups_only_warn() {
        let rules = "[uk-pr-icp]\ntitle = CITES\nkind = restriction\ndirection = import\ncategory = cites\nlegal_basis = r\nmessage = m\ndocuments = C400 C635\nexemptions = Y900\nsource = pr_measures ICP\n[uk-pr-cvd]\ntitle = Vet\nkind = restriction\ndirection = import\ncategory = veterinary\nlegal_basis = r\nmessage = m\ndocuments = C640\nsource = pr_measures CVD\n";
        let exempt = statuses(rules, Direction::Import, &facts("0106110000", &[("Y900", None)]));
        assert_eq!(
            exempt,
            [("uk-pr-icp".to_owned(), "satisfied".to_owned(), vec!["Y900".to_owned()])]
        );
        let vet = statuses(rules, Direction::Import, &facts("0106140000", &[]));
        assert_eq!(
            vet,
            [("uk-pr-cvd-d0700".to_owned(), "warning".to_owned(), vec!["C640".to_owned()])]
        );
        let vet = statuses(rules, Direction::Import, &facts("0106140000", &[("C640", Some("AE"))]));
        assert_eq!(vet[0].1, "satisfied");
    }

    #[test]
    fn advisories_warn_and_authored_rules_supersede_imported_ones() {
        let rules = "[uk-pr-cvd]\ntitle = Vet\nkind = restriction\ndirection = import\ncategory = veterinary\nlegal_basis = r\nmessage = m\ndocuments = C640\nsource = pr_measures CVD\n[uk-vet-live]\ntitle = Live animals\nkind = restriction\ndirection = import\ncommodities = 0106\nexcept_countries = GB\ncategory = veterinary\nlegal_basis = r\nmessage = m\ndocuments = C640\nsupersedes = CVD\n[uk-luxury]\ntitle = Luxury\nkind = advisory\ndirection = import\ncommodities = 0106\ncountries = RU\ncategory = sanctions\nlegal_basis = r\nmessage = m\n";
        let mut item = facts("0106140000", &[]);
        item.origin = Some("RU".to_owned());
        let found = statuses(rules, Direction::Import, &item);
        assert_eq!(
            found
                .iter()
                .map(|(rule, status, _)| (rule.as_str(), status.as_str()))
                .collect::<Vec<_>>(),
            [("uk-vet-live", "needs_document"), ("uk-luxury", "warning")]
        );
        item.origin = Some("GB".to_owned());
        let found = statuses(rules, Direction::Import, &item);
        assert_eq!(
            found[0].0, "uk-pr-cvd-d0700",
            "the authored rule excludes GB, so the imported one applies"
        );
    }
}
