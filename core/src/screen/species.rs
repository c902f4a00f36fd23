//! Screening goods descriptions for CITES-listed species (scientific names and their
//! synonyms) and for the maintained keywords (ivory, rhino horn, pangolin, ...). A mention
//! only warns: the description may name the species for another reason, but the broker should
//! check whether a CITES permit is needed.

use crate::check::Context;
use crate::codes;
use crate::finding::{Finding, Provenance};
use crate::report::Flag;
use crate::screen::goods::{Declared, ItemFacts, Outcome, dedup, name_documents};
use crate::screen::rules::{RulePack, TextKind, TextRule};

/// The lowercase words of a text (letters and digits; everything else separates words).
#[must_use]
pub fn words(text: &str) -> Vec<String> {
    text.split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `word` is `term` or its plural (`pangolins`, `tusks`, `species`).
fn same_word(word: &str, term: &str) -> bool {
    // The term itself, or with `s` or `es`: most words are ruled out by their length or
    // first letter alone.
    word.len().wrapping_sub(term.len()) <= 2
        && term.as_bytes().first().is_none_or(|first| word.as_bytes().first() == Some(first))
        && word.starts_with(term)
        && matches!(word.get(term.len()..), Some("" | "s" | "es"))
}

/// The phrases of `rule` that occur in `words`, as written in the rule.
fn keywords_found(rule: &TextRule, words: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for term in &rule.terms {
        let Some(length) = (!term.is_empty()).then_some(term.len()) else { continue };
        let occurs = words
            .windows(length)
            .any(|window| window.iter().zip(term).all(|(word, part)| same_word(word, part)));
        if occurs {
            found.push(term.join(" "));
        }
    }
    found
}

/// The CITES names that occur in `words`: each pair of adjacent words is looked up as a
/// binomial, so `Manis pentadactyla scales` finds `Manis pentadactyla`.
fn species_found(pack: &RulePack, words: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for pair in words.windows(2) {
        let [genus, epithet] = pair else { continue };
        if let Some(species) = pack.species_pair(genus, epithet) {
            let name = match &species.accepted {
                Some(accepted) => {
                    format!(
                        "{} (a synonym of {accepted}), Appendix {}",
                        species.name, species.appendix
                    )
                }
                None => format!("{}, Appendix {}", species.name, species.appendix),
            };
            if !found.contains(&name) {
                found.push(name);
            }
        }
    }
    found
}

/// Screens an item's description against the description rules.
pub(crate) fn screen_description(
    context: &Context<'_>,
    pack: &RulePack,
    facts: &ItemFacts,
) -> Vec<Outcome> {
    let Some((description, node)) = &facts.description else { return Vec::new() };
    let words = words(description);
    let mut outcomes = Vec::new();
    for rule in pack.text_rules() {
        let found = match rule.kind {
            TextKind::Species => species_found(pack, &words),
            TextKind::Keyword => keywords_found(rule, &words),
        };
        if found.is_empty() {
            continue;
        }
        let held: Vec<&Declared> = facts
            .documents
            .iter()
            .filter(|document| {
                rule.documents.iter().any(|code| *code == document.code) && document.held(&[])
            })
            .collect();
        let contradicted: Vec<String> = dedup(
            facts
                .documents
                .iter()
                .filter(|document| rule.exemptions.iter().any(|code| *code == document.code))
                .map(|document| document.code.to_string()),
        );
        let mentions = found.join("; ");
        let (status, code, message, documents, at) = if let Some(first) = held.first() {
            let codes = dedup(held.iter().map(|document| document.code.to_string()));
            (
                "satisfied",
                codes::PR_SATISFIED,
                text!(
                    "{}: the description names {mentions}; covered by {}",
                    rule.title,
                    name_documents(pack, &codes, "and")
                ),
                codes,
                first.node,
            )
        } else {
            let statement = if contradicted.is_empty() {
                String::new()
            } else {
                text!(
                    ", although {} declares the goods outside CITES",
                    name_documents(pack, &contradicted, "and")
                )
            };
            (
                "warning",
                codes::PR_PROTECTED_SPECIES,
                text!(
                    "{}: the description names {mentions}{statement}; check whether {} is needed",
                    rule.title,
                    name_documents(pack, &rule.documents, "or")
                ),
                rule.documents.clone(),
                *node,
            )
        };
        let flag = Flag {
            rule: rule.id.clone(),
            category: rule.category.clone(),
            status: status.to_owned(),
            documents: documents.clone(),
            legal_basis: rule.legal_basis.clone(),
            message: message.clone(),
        };
        let finding = Finding::new(code, message)
            .at_opt(context.locate(at).or_else(|| context.locate(*node)))
            .with_help(rule.message.clone())
            .with_provenance(Provenance {
                source: rule.source.clone(),
                id: rule.id.clone(),
                legal_basis: Some(rule.legal_basis.clone()),
            })
            .with_detail(serde_json::json!({
                "rule": rule.id,
                "category": rule.category,
                "status": status,
                "documents": documents,
                "found": found,
            }));
        outcomes.push(Outcome { flag, finding });
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::rules::tests::{DOCUMENTS, pack};
    use crate::source::NodeId;

    fn screen(description: &str, documents: &[&str]) -> Vec<(String, String, String)> {
        let rules = text!(
            "{DOCUMENTS}[uk-cites-species]\ntitle = CITES species\nkind = species\ncategory = cites\nlegal_basis = r\nmessage = m\ndocuments = C400\nexemptions = Y900\n[uk-keyword-ivory]\ntitle = Ivory\nkind = keyword\nterms = ivory | elephant tusk | rhino horn\ncategory = cites\nlegal_basis = r\nmessage = m\ndocuments = C400\nexemptions = Y900\n"
        );
        let pack = pack(&rules);
        assert!(pack.findings().is_empty(), "{:?}", pack.findings());
        let facts = ItemFacts {
            description: Some((description.to_owned(), NodeId::NONE)),
            documents: documents
                .iter()
                .map(|code| Declared { code: (*code).into(), status: None, node: NodeId::NONE })
                .collect(),
            ..ItemFacts::default()
        };
        crate::check::with_empty_context(None, |context| screen_description(context, &pack, &facts))
            .into_iter()
            .map(|outcome| (outcome.flag.rule, outcome.flag.status, outcome.flag.message))
            .collect()
    }

    #[test]
    fn finds_binomials_and_synonyms_in_any_case() {
        let found = screen("Scales of MANIS AURITA, dried", &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "warning");
        assert!(
            found[0].2.contains("Manis aurita (a synonym of Manis pentadactyla), Appendix I"),
            "{}",
            found[0].2
        );
        assert!(screen("Manis (genus only) and pentadactyla apart", &[]).is_empty());
    }

    #[test]
    fn a_word_is_the_term_or_its_plural() {
        for (word, term, same) in [
            ("tusk", "tusk", true),
            ("tusks", "tusk", true),
            ("horses", "horse", true),
            ("boxes", "box", true),
            ("tuskes", "tusk", true),
            ("tusky", "tusk", false),
            ("tusksy", "tusk", false),
            ("tusksss", "tusk", false),
            ("tus", "tusk", false),
            ("", "tusk", false),
            ("s", "", true),
            ("ivorycoast", "ivory", false),
            ("éléphants", "éléphant", true),
            ("éléphant", "éléphan", false),
        ] {
            assert_eq!(same_word(word, term), same, "{word} {term}");
        }
    }

    #[test]
    fn keywords_match_whole_words_and_plurals() {
        let found = screen("Two elephant tusks and carved ivory", &["Y900"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].2.contains("ivory; elephant tusk"), "{}", found[0].2);
        assert!(found[0].2.contains("although Y900"), "{}", found[0].2);
        assert!(screen("Ivorycoast cotton; rhinoceros", &[]).is_empty());
        assert_eq!(screen("Carved ivory", &["C400"])[0].1, "satisfied");
    }
}
