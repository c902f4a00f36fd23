//! Screening the parties of a declaration (importer, exporter, consignee, consignor,
//! declarant, buyer, seller, ...) against the sanctions lists: each party with a name is
//! matched with its address country, and each match becomes an entry of the party's
//! `matches` and a finding at the party's name (`PC-PR-006` when the names are the same
//! words, `PC-PR-007` for a possible match).

use std::collections::HashMap;

use crate::check::Context;
use crate::codes;
use crate::decl::dms::{Declaration, Party};
use crate::decl::value::Text;
use crate::finding::{Finding, Provenance};
use crate::report::{PartyMatch, PartyReport};
use crate::screen::sanctions::{SanctionsLists, Variant};
use crate::source::NodeId;

/// At most this many entries are reported for one party.
const MATCHES_PER_PARTY: usize = 5;

/// Every party of the declaration, by its element.
fn parties_by_node(declaration: &Declaration) -> HashMap<NodeId, &Party> {
    let mut parties: Vec<&Party> = Vec::new();
    parties.extend(
        [&declaration.declarant, &declaration.exporter, &declaration.agent, &declaration.submitter]
            .into_iter()
            .flatten()
            .map(AsRef::as_ref),
    );
    if let Some(consignment) = &declaration.consignment {
        parties.extend(
            [&consignment.carrier, &consignment.consignor].into_iter().flatten().map(AsRef::as_ref),
        );
    }
    if let Some(shipment) = &declaration.goods_shipment {
        parties.extend(
            [
                &shipment.importer,
                &shipment.consignee,
                &shipment.consignor,
                &shipment.buyer,
                &shipment.seller,
                &shipment.payer,
                &shipment.surety,
            ]
            .into_iter()
            .flatten()
            .map(AsRef::as_ref),
        );
        for item in &shipment.goods_items {
            parties.extend(
                [&item.consignee, &item.consignor, &item.buyer, &item.seller]
                    .into_iter()
                    .flatten()
                    .map(AsRef::as_ref),
            );
        }
    }
    parties.into_iter().map(|party| (party.node, party)).collect()
}

/// Screens the named parties of the report against the lists.
pub(crate) fn screen_parties(
    context: &Context<'_>,
    lists: &SanctionsLists,
    parties: &mut [PartyReport],
    findings: &mut Vec<Finding>,
) {
    let by_node = parties_by_node(&context.document.declaration);
    for party in parties.iter_mut() {
        let Some(name) = party.name.clone() else { continue };
        let model = by_node.get(&party.node);
        let country = model
            .and_then(|model| model.address.as_ref())
            .and_then(|address| address.country_code.as_ref())
            .map(|code| code.as_str().trim().to_ascii_uppercase());
        let name_node =
            model.and_then(|model| model.name.as_ref()).map_or(party.node, |name: &Text| name.node);
        for found in lists.screen(&name, country.as_deref(), MATCHES_PER_PARTY) {
            let entry = found.entry;
            let score = (found.score * 100.0).round() / 100.0;
            // A low-quality alias is not enough to identify anyone, even word for word.
            let (code, verb) = if found.exact && found.variant != Variant::WeakAlias {
                (codes::PR_SANCTIONS_MATCH, "matches")
            } else {
                (codes::PR_SANCTIONS_POSSIBLE, "may match")
            };
            let message = format!(
                "the {} `{name}` {verb} {} entry {} `{}` ({} `{}`, score {score:.2})",
                party.role,
                list_title(entry.list),
                entry.id(),
                entry.name(),
                found.variant.as_str(),
                found.matched_name,
            );
            let born = if entry.born().is_empty() {
                String::new()
            } else {
                format!(" (the entry gives birth {})", entry.born())
            };
            let help = format!(
                "{}; do not lodge until the match is cleared: compare the entry's identifiers{born} with what you know of the party",
                found.explanation
            );
            findings.push(
                Finding::new(code, message)
                    .at_opt(context.locate(name_node).or_else(|| context.locate(party.node)))
                    .with_help(help)
                    .with_provenance(Provenance {
                        source: format!("tariffs/sanctions/{}", list_file(entry.list)),
                        id: entry.id().to_string(),
                        legal_basis: Some(entry.programme().to_string()),
                    })
                    .with_detail(serde_json::json!({
                        "list": entry.list,
                        "entry": entry.id(),
                        "matched_name": found.matched_name,
                        "variant": found.variant.as_str(),
                        "score": score,
                        "explanation": found.explanation,
                    })),
            );
            party.matches.push(PartyMatch {
                list: entry.list.to_owned(),
                entry: entry.id().to_string(),
                entry_name: entry.name().to_string(),
                kind: entry.kind().to_string(),
                programme: entry.programme().to_string(),
                matched_name: found.matched_name.to_owned(),
                variant: found.variant.as_str().to_owned(),
                score,
                exact: found.exact,
                explanation: found.explanation,
            });
        }
    }
}

fn list_title(list: &str) -> &'static str {
    match list {
        "un" => "the UN Security Council consolidated list",
        "ofac-sdn" => "the OFAC SDN list",
        _ => "a sanctions list",
    }
}

fn list_file(list: &str) -> &'static str {
    match list {
        "un" => "un.tsv",
        _ => "ofac_sdn.tsv",
    }
}
