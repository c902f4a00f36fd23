//! Sanctions lists and the name matcher.
//!
//! A sanctions pack (`tariffs/sanctions/`) holds one table per list (`un.tsv`,
//! `ofac_sdn.tsv`), one entry a line: id, kind, programme, listing date, countries, birth,
//! primary name, aliases and weak aliases. Loading folds every name into words (see
//! [`crate::screen::names`]), weighs each word by how rare it is across the lists, and
//! indexes the words and their phonetic prefixes.
//!
//! Matching a party name: the entries sharing a word or a phonetic prefix with it are
//! scored. Each query word is paired with at most one word of the listed name (best pairs
//! first, Jaro-Winkler or phonetic similarity of at least [`WORD_THRESHOLD`]); the score is
//! the weighted share of the query's words matched, lowered by the share of the listed name's
//! words left unmatched, so word order does not matter and rare words count more than
//! `Mohammed` or `Trading`. A party's country adjusts the score a little when the entry
//! gives countries. Scores of at least [`MATCH_THRESHOLD`] are reported with the variant
//! matched, the word pairs and the score.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::finding::Finding;
use crate::screen::names::{fold, jaro_winkler, phonetic, word_similarity};
use crate::screen::schema;
use crate::tariff::meta::PackMeta;
use crate::tariff::table::{Table, bad_pack};
use crate::tariff::{PackFile, TariffError};

/// Two words count as the same word from this similarity on.
pub const WORD_THRESHOLD: f64 = 0.84;

/// A name of one word rests on that word alone, so it must be closer.
pub const SINGLE_WORD_THRESHOLD: f64 = 0.92;

/// A name is reported as a possible match from this score on.
pub const MATCH_THRESHOLD: f64 = 0.86;

/// How much the share of the listed name's words left unmatched lowers the score.
const UNMATCHED_LISTED_WEIGHT: f64 = 0.3;

/// Which name of an entry matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The entry's primary name.
    Primary,
    /// A good-quality alias (a.k.a., f.k.a., original script).
    Alias,
    /// A low-quality alias, which the list says is not enough to identify anyone.
    WeakAlias,
}

impl Variant {
    /// The name in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Primary => "primary name",
            Variant::Alias => "alias",
            Variant::WeakAlias => "weak alias",
        }
    }
}

/// A listed person or organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The list: `un` or `ofac-sdn`.
    pub list: &'static str,
    /// The entry's id in the list (`QDi.276`, `306`).
    pub id: String,
    /// `individual` or `entity`.
    pub kind: String,
    /// The sanctions programme(s).
    pub programme: String,
    /// Date listed, when the list gives it.
    pub listed_on: String,
    /// ISO alpha-2 codes of the nationality and address countries.
    pub countries: Vec<String>,
    /// Date or year of birth (individuals).
    pub born: String,
    /// The primary name as listed.
    pub name: String,
}

#[derive(Debug, Clone)]
struct Word {
    folded: String,
    phonetic: String,
    weight: f64,
}

#[derive(Debug, Clone)]
struct Name {
    entry: u32,
    text: String,
    variant: Variant,
    words: Vec<Word>,
    whole: String,
}

/// One listed name a party name matched.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// The name variant matched, as listed.
    pub matched_name: &'a str,
    /// Which variant it is.
    pub variant: Variant,
    /// The score, 0 to 1.
    pub score: f64,
    /// Whether every word of both names is the same after folding (order aside).
    pub exact: bool,
    /// The word pairs, unmatched words and country evidence, in words.
    pub explanation: String,
}

/// Loaded sanctions lists with their name index.
#[derive(Debug, Default)]
pub struct SanctionsLists {
    meta: PackMeta,
    entries: Vec<Entry>,
    names: Vec<Name>,
    index: HashMap<String, Vec<u32>>,
    frequency: HashMap<String, u32>,
    findings: Vec<Finding>,
}

/// The list tables a pack may hold, with the name each list has in reports.
const LISTS: [(&str, &str); 2] = [("un.tsv", "un"), ("ofac_sdn.tsv", "ofac-sdn")];

fn phonetic_key(phonetic: &str) -> String {
    let prefix: String = phonetic.chars().take(3).collect();
    format!("~{prefix}")
}

impl SanctionsLists {
    /// Loads a pack from its files (`pack.toml` and the list tables).
    ///
    /// # Errors
    ///
    /// When `pack.toml` is missing or is not a sanctions pack, or a table has the wrong header.
    pub fn from_files(files: Vec<PackFile>) -> Result<SanctionsLists, TariffError> {
        let mut findings = Vec::new();
        let meta = super::read_meta(&files, &mut findings)?;
        if meta.text("jurisdiction") != Some("sanctions") {
            return Err(bad_pack(
                "pack.toml",
                1,
                "not a sanctions pack (`jurisdiction = \"sanctions\"`)",
            )
            .into());
        }
        let mut lists = SanctionsLists { meta, ..SanctionsLists::default() };
        let mut raw_names: Vec<(u32, String, Variant)> = Vec::new();
        for file in files {
            let Some(&(_, list)) = LISTS.iter().find(|(name, _)| *name == file.name) else {
                continue;
            };
            let table = Table::parse(&file.name, file.text, schema::LIST_COLUMNS, &mut findings)
                .map_err(|error| TariffError { finding: error.0 })?;
            lists.add_table(list, &table, &mut raw_names, &mut findings);
        }
        lists.index_names(raw_names);
        lists.findings = findings;
        Ok(lists)
    }

    fn add_table(
        &mut self,
        list: &'static str,
        table: &Table,
        names: &mut Vec<(u32, String, Variant)>,
        findings: &mut Vec<Finding>,
    ) {
        for row in 0..table.len() {
            let name = table.get(row, 6);
            if name.is_empty() {
                findings.push(table.finding(row, "an entry without a name"));
                continue;
            }
            let entry = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
            self.entries.push(Entry {
                list,
                id: table.get(row, 0).to_owned(),
                kind: table.get(row, 1).to_owned(),
                programme: table.get(row, 2).to_owned(),
                listed_on: table.get(row, 3).to_owned(),
                countries: table.get(row, 4).split_whitespace().map(str::to_owned).collect(),
                born: table.get(row, 5).to_owned(),
                name: name.to_owned(),
            });
            names.push((entry, name.to_owned(), Variant::Primary));
            for (column, variant) in [(7, Variant::Alias), (8, Variant::WeakAlias)] {
                for alias in table
                    .get(row, column)
                    .split('|')
                    .map(str::trim)
                    .filter(|alias| !alias.is_empty())
                {
                    names.push((entry, alias.to_owned(), variant));
                }
            }
        }
    }

    #[allow(clippy::cast_precision_loss)] // Counts of names are far below 2^52.
    fn index_names(&mut self, raw: Vec<(u32, String, Variant)>) {
        let mut folded: Vec<(u32, String, Variant, Vec<String>)> = Vec::with_capacity(raw.len());
        for (entry, text, variant) in raw {
            // `BUTEMBO AIRLINES (BAL)`: the name is also indexed without its parenthesis, so
            // that a party called `Butembo Airlines` is not held to the acronym.
            if text.contains('(') {
                let bare = without_parentheses(&text);
                let words = fold(&bare);
                if !words.is_empty() && bare.trim() != text.trim() {
                    folded.push((entry, text.clone(), variant, words));
                }
            }
            let words = fold(&text);
            folded.push((entry, text, variant, words));
        }
        for (_, _, _, words) in &folded {
            let mut seen: Vec<&str> = Vec::new();
            for word in words {
                if !seen.contains(&word.as_str()) {
                    seen.push(word);
                    *self.frequency.entry(word.clone()).or_default() += 1;
                }
            }
        }
        let total = folded.len() as f64;
        for (entry, text, variant, words) in folded {
            if words.is_empty() {
                continue;
            }
            let index = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
            let words: Vec<Word> = words
                .into_iter()
                .map(|folded| {
                    let count = self.frequency.get(&folded).copied().unwrap_or(0);
                    let phonetic = phonetic(&folded);
                    Word { weight: (1.0 + total / (1.0 + f64::from(count))).ln(), folded, phonetic }
                })
                .collect();
            for word in &words {
                for key in [word.folded.clone(), phonetic_key(&word.phonetic)] {
                    let postings = self.index.entry(key).or_default();
                    if postings.last() != Some(&index) {
                        postings.push(index);
                    }
                }
            }
            let whole = words.iter().map(|word| word.folded.as_str()).collect();
            self.names.push(Name { entry, text, variant, words, whole });
        }
    }

    /// The weight of a query word: rare words (or words no list uses) weigh more.
    #[allow(clippy::cast_precision_loss)]
    fn weight(&self, folded: &str) -> f64 {
        let count = self.frequency.get(folded).copied().unwrap_or(0);
        (1.0 + self.names.len() as f64 / (1.0 + f64::from(count))).ln()
    }

    /// The entries a name (and, optionally, its country) matches, best first, at most `limit`.
    #[must_use]
    pub fn screen(&self, name: &str, country: Option<&str>, limit: usize) -> Vec<NameMatch<'_>> {
        self.screen_at(name, country, limit, MATCH_THRESHOLD)
    }

    /// As [`SanctionsLists::screen`], with another threshold (to see how far below the
    /// threshold ordinary names stay).
    #[must_use]
    pub fn screen_at(
        &self,
        name: &str,
        country: Option<&str>,
        limit: usize,
        threshold: f64,
    ) -> Vec<NameMatch<'_>> {
        let query: Vec<Word> = fold(name)
            .into_iter()
            .map(|folded| Word {
                weight: self.weight(&folded),
                phonetic: phonetic(&folded),
                folded,
            })
            .collect();
        if query.is_empty() {
            return Vec::new();
        }
        let whole: String = query.iter().map(|word| word.folded.as_str()).collect();
        let mut candidates: Vec<u32> = Vec::new();
        for word in &query {
            for key in [word.folded.clone(), phonetic_key(&word.phonetic)] {
                if let Some(postings) = self.index.get(&key) {
                    candidates.extend_from_slice(postings);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: HashMap<u32, NameMatch<'_>> = HashMap::new();
        for candidate in candidates {
            let Some(listed) = self.names.get(candidate as usize) else { continue };
            let Some(entry) = self.entries.get(listed.entry as usize) else { continue };
            let Some(mut found) = score(&query, &whole, listed, entry) else { continue };
            adjust_for_country(&mut found, entry, country);
            if found.score < threshold {
                continue;
            }
            let better = best
                .get(&listed.entry)
                .is_none_or(|current| (found.exact, found.score) > (current.exact, current.score));
            if better {
                best.insert(listed.entry, found);
            }
        }
        let mut matches: Vec<NameMatch<'_>> = best.into_values().collect();
        matches.sort_by(|a, b| {
            b.exact
                .cmp(&a.exact)
                .then(b.score.total_cmp(&a.score))
                .then(a.entry.list.cmp(b.entry.list))
                .then(a.entry.id.cmp(&b.entry.id))
        });
        matches.truncate(limit);
        matches
    }

    /// The entries of every list.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The number of names (primary names and aliases) indexed.
    #[must_use]
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The pack's `pack.toml`.
    #[must_use]
    pub fn meta(&self) -> &PackMeta {
        &self.meta
    }

    /// Problems found while loading.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
}

/// The text without its parenthesised parts.
fn without_parentheses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Scores one listed name against the query; `None` when no word pairs up.
fn score<'a>(
    query: &[Word],
    whole: &str,
    listed: &'a Name,
    entry: &'a Entry,
) -> Option<NameMatch<'a>> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let threshold = if query.len() == 1 || listed.words.len() == 1 {
        SINGLE_WORD_THRESHOLD
    } else {
        WORD_THRESHOLD
    };
    for (i, q) in query.iter().enumerate() {
        for (j, c) in listed.words.iter().enumerate() {
            let similarity = word_similarity(&q.folded, &q.phonetic, &c.folded, &c.phonetic);
            if similarity >= threshold {
                pairs.push((similarity, i, j));
            }
        }
    }
    if pairs.is_empty() {
        return None;
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut query_used = vec![false; query.len()];
    let mut listed_used = vec![false; listed.words.len()];
    let mut chosen: Vec<(f64, usize, usize)> = Vec::new();
    for (similarity, i, j) in pairs {
        if query_used.get(i) == Some(&false) && listed_used.get(j) == Some(&false) {
            if let Some(flag) = query_used.get_mut(i) {
                *flag = true;
            }
            if let Some(flag) = listed_used.get_mut(j) {
                *flag = true;
            }
            chosen.push((similarity, i, j));
        }
    }
    let query_total: f64 = query.iter().map(|word| word.weight).sum();
    let listed_total: f64 = listed.words.iter().map(|word| word.weight).sum();
    let query_matched: f64 =
        chosen.iter().filter_map(|&(s, i, _)| query.get(i).map(|word| word.weight * s)).sum();
    let listed_matched: f64 = chosen
        .iter()
        .filter_map(|&(s, _, j)| listed.words.get(j).map(|word| word.weight * s))
        .sum();
    let query_share = if query_total > 0.0 { query_matched / query_total } else { 0.0 };
    let listed_share = if listed_total > 0.0 { listed_matched / listed_total } else { 0.0 };
    let mut value = query_share * (1.0 - UNMATCHED_LISTED_WEIGHT * (1.0 - listed_share));
    // One shared word is not a match between names of several words.
    if query.len() == 1 && listed.words.len() > 1 {
        value = value.min(listed_share);
    } else if query.len() > 1 && listed.words.len() > 1 && chosen.len() < 2 {
        value = value.min(0.6);
    }
    // The same letters split into other words (`Abu Bakr`, `Abubakr`).
    let joined = if whole.chars().count() >= 8 { jaro_winkler(whole, &listed.whole) } else { 0.0 };
    if joined >= 0.97 {
        value = value.max(joined);
    }
    let exact = chosen.len() == query.len()
        && chosen.len() == listed.words.len()
        && chosen.iter().all(|&(s, i, j)| {
            s >= 1.0 && query.get(i).map(|w| &w.folded) == listed.words.get(j).map(|w| &w.folded)
        });
    if exact {
        value = 1.0;
    }
    let mut explanation = String::new();
    let mut sorted = chosen.clone();
    sorted.sort_by_key(|&(_, i, _)| i);
    for (n, (similarity, i, j)) in sorted.iter().enumerate() {
        let (Some(q), Some(c)) = (query.get(*i), listed.words.get(*j)) else { continue };
        let separator = if n == 0 { "words " } else { ", " };
        let relation = if q.folded == c.folded { "=" } else { "~" };
        let _ =
            write!(explanation, "{separator}{}{relation}{} {similarity:.2}", q.folded, c.folded);
    }
    let unmatched: Vec<&str> = listed
        .words
        .iter()
        .zip(&listed_used)
        .filter(|(_, used)| !**used)
        .map(|(word, _)| word.folded.as_str())
        .chain(
            query
                .iter()
                .zip(&query_used)
                .filter(|(_, used)| !**used)
                .map(|(word, _)| word.folded.as_str()),
        )
        .collect();
    if !unmatched.is_empty() {
        let _ = write!(explanation, "; not matched: {}", unmatched.join(", "));
    }
    if joined >= 0.97 && !exact {
        let _ = write!(explanation, "; as one word {joined:.2}");
    }
    Some(NameMatch {
        entry,
        matched_name: &listed.text,
        variant: listed.variant,
        score: value,
        exact,
        explanation,
    })
}

/// A country the entry names supports a match a little; a different one weakens it.
fn adjust_for_country(found: &mut NameMatch<'_>, entry: &Entry, country: Option<&str>) {
    let Some(country) = country.filter(|country| !country.is_empty()) else { return };
    if entry.countries.is_empty() {
        return;
    }
    if entry.countries.iter().any(|listed| listed == country) {
        let _ = write!(found.explanation, "; country {country} matches the entry");
        if !found.exact {
            found.score = (found.score + 0.02).min(0.99);
        }
    } else {
        let _ = write!(
            found.explanation,
            "; country {country} is not the entry's ({})",
            entry.countries.join(", ")
        );
        if !found.exact {
            found.score -= 0.04;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const UN: &str = "id\tkind\tprogramme\tlisted_on\tcountries\tborn\tname\taliases\tweak_aliases\n\
KPe.001\tentity\tDPRK\t2009-04-24\tKP\t\tKOREA MINING DEVELOPMENT TRADING CORPORATION\tCHANGGWANG SINYONG CORPORATION|KOMID\t\n\
QDi.001\tindividual\tAl-Qaida\t2001-01-25\tSA\t1957\tUSAMA MUHAMMED AWAD BIN LADEN\tUsama Bin Muhammad Bin Awad Bin Ladin|Осама бен Ладен\tAbu Abdallah\n\
LYi.001\tindividual\tLibya\t2011-02-26\tLY\t1942\tMUAMMAR MOHAMMED ABU MINYAR QADHAFI\t\t\n\
XXi.001\tindividual\tTest\t\tRU\t\tVLADIMIR IVANOVICH PETROV\tВладимир Иванович Петров\t\n";

    pub(crate) fn lists() -> SanctionsLists {
        SanctionsLists::from_files(vec![
            PackFile::owned("pack.toml", "jurisdiction = \"sanctions\"\n".to_owned()),
            PackFile::owned("un.tsv", UN.to_owned()),
        ])
        .unwrap()
    }

    fn best(name: &str, country: Option<&str>) -> Option<(String, String, f64, bool)> {
        let lists = lists();
        lists.screen(name, country, 3).first().map(|found| {
            (found.entry.id.clone(), found.matched_name.to_owned(), found.score, found.exact)
        })
    }

    #[test]
    fn exact_names_match_in_any_case_and_word_order() {
        let found = best("Korea Mining Development Trading Corporation", Some("KP")).unwrap();
        assert_eq!((found.0.as_str(), found.3), ("KPe.001", true));
        let found = best("Petrov Vladimir Ivanovich", None).unwrap();
        assert_eq!((found.0.as_str(), found.2, found.3), ("XXi.001", 1.0, true));
    }

    #[test]
    fn transliterations_and_variants_match_with_the_variant_named() {
        let found = best("Муаммар Каддафи", None);
        assert!(found.is_none(), "two words of five are not enough: {found:?}");
        let found = best("Muammar Mohamed Abu Minyar Gaddafi", Some("LY")).unwrap();
        assert_eq!(found.0, "LYi.001");
        assert!(found.2 >= MATCH_THRESHOLD && !found.3, "{found:?}");
        let found = best("Владимир Иванович Петров", None).unwrap();
        assert_eq!((found.0.as_str(), found.3), ("XXi.001", true));
        let found = best("Usama bin Muhammad bin Awad bin Ladin", None).unwrap();
        assert_eq!(found.1, "Usama Bin Muhammad Bin Awad Bin Ladin");
    }

    #[test]
    fn ordinary_names_do_not_match() {
        for name in [
            "Korea Trading Company",
            "Mining Development Ltd",
            "Vladimir Smith",
            "Abdallah Import Export",
            "Cheval",
            "Shotguns incorporated",
            "RU Steel Inc.",
        ] {
            assert_eq!(best(name, None), None, "{name}");
        }
    }

    #[test]
    fn a_different_country_lowers_the_score() {
        let lists = lists();
        let here = lists.screen("Muammar Mohammed Abu Minyar Gadafi", Some("LY"), 1);
        let there = lists.screen("Muammar Mohammed Abu Minyar Gadafi", Some("FR"), 1);
        assert!(here[0].score > there.first().map_or(0.0, |found| found.score));
        assert!(here[0].explanation.contains("country LY matches"), "{}", here[0].explanation);
    }
}
