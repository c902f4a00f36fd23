//! Screening on HMRC's published declarations (`$PRECLEAR_SHARED/corpus/hmrc-cds`).
//!
//! One snapshot lists the flags of every corpus declaration, each checked by hand (see the
//! notes in the snapshot's header); the assertions hold the acceptance cases: live horses
//! satisfied by their CITES and veterinary documents, shotgun cartridges by licence 9100, the
//! rifle and suppressor for Sudan flagged under the arms embargo and export controls, Russian
//! steel licensed by 9011, plants flagged for plant health. A second snapshot lists every
//! named party of the corpus with its best score against the sanctions lists: none reaches
//! the threshold.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use preclear::screen::sanctions::MATCH_THRESHOLD;
use preclear::{CheckOptions, Checker, Date, Report, Tariffs};

fn tariffs() -> &'static Tariffs {
    static TARIFFS: OnceLock<Tariffs> = OnceLock::new();
    TARIFFS.get_or_init(Tariffs::bundled)
}

fn corpus_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|extension| extension == "xml") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&preclear_tests::shared("corpus/hmrc-cds"), &mut files);
    files.sort();
    files
}

/// Every corpus declaration (notifications and unreadable files left out), checked with the
/// bundled packs at a fixed date when the declaration gives none.
fn corpus_reports() -> &'static Vec<(String, Report)> {
    static REPORTS: OnceLock<Vec<(String, Report)>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let corpus = preclear_tests::shared("corpus/hmrc-cds");
        let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
        let checker = Checker::new(tariffs(), options);
        corpus_files()
            .into_iter()
            .filter_map(|path| {
                let name = path
                    .strip_prefix(&corpus)
                    .unwrap()
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let report = checker.check(&name, &std::fs::read(&path).unwrap());
                (report.document.kind == "declaration").then_some((name, report))
            })
            .collect()
    })
}

fn flags_of<'a>(
    reports: &'a [(String, Report)],
    file: &str,
) -> Vec<(u32, &'a str, &'a str, Vec<String>)> {
    let (_, report) = reports
        .iter()
        .find(|(name, _)| name == file)
        .unwrap_or_else(|| panic!("{file} not in the corpus"));
    report
        .declaration
        .iter()
        .flat_map(|declaration| &declaration.items)
        .flat_map(|item| {
            item.flags.iter().map(move |flag| {
                (
                    item.sequence.unwrap_or(0),
                    flag.rule.as_str(),
                    flag.status.as_str(),
                    flag.documents.clone(),
                )
            })
        })
        .collect()
}

fn has(
    flags: &[(u32, &str, &str, Vec<String>)],
    item: u32,
    rule: &str,
    status: &str,
    document: Option<&str>,
) -> bool {
    flags.iter().any(|(sequence, found, found_status, documents)| {
        *sequence == item
            && *found == rule
            && *found_status == status
            && document.is_none_or(|document| documents.iter().any(|code| code == document))
    })
}

#[test]
fn corpus_flags_match_their_snapshot() {
    let reports = corpus_reports();
    let mut with_flags = 0;
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut body = String::new();
    for (name, report) in reports {
        let items = report
            .declaration
            .as_ref()
            .map(|declaration| declaration.items.as_slice())
            .unwrap_or_default();
        if items.iter().all(|item| item.flags.is_empty()) {
            continue;
        }
        with_flags += 1;
        let _ = writeln!(body, "{name}");
        for item in items.iter().filter(|item| !item.flags.is_empty()) {
            let _ = writeln!(
                body,
                "  item {} {} origin {} {:?}",
                item.sequence.unwrap_or(0),
                item.commodity_code.as_deref().unwrap_or("-"),
                item.origin.as_deref().unwrap_or("-"),
                item.description.as_deref().unwrap_or("").chars().take(60).collect::<String>()
            );
            for flag in &item.flags {
                *by_status.entry(flag.status.clone()).or_default() += 1;
                let _ = writeln!(
                    body,
                    "    {} {} [{}]",
                    flag.status,
                    flag.rule,
                    flag.documents.join(" ")
                );
            }
        }
    }
    let statuses: Vec<String> =
        by_status.iter().map(|(status, count)| format!("{status} {count}")).collect();
    let text = format!(
        "{} declarations, {with_flags} with flags; flags: {}\n\n{body}",
        reports.len(),
        statuses.join(", ")
    );
    insta::assert_snapshot!(text);
}

#[test]
fn corpus_acceptance_cases_are_flagged() {
    let reports = corpus_reports();
    let horses = flags_of(reports, "TT_IM074a/TT_IM074a.xml");
    assert!(has(&horses, 1, "uk-cites-equines", "satisfied", Some("C400")), "{horses:?}");
    assert!(has(&horses, 1, "uk-vet-live-animals", "satisfied", Some("C640")), "{horses:?}");
    let cartridges = flags_of(reports, "TT_IM008b/TT_IM008b.xml");
    assert!(has(&cartridges, 1, "uk-firearms-import", "satisfied", Some("9100")), "{cartridges:?}");
    let rifle = flags_of(reports, "TT_EX004a/TT_EX004a.xml");
    for item in [1, 2] {
        assert!(has(&rifle, item, "uk-embargo-sudan-arms", "prohibited", None), "{rifle:?}");
    }
    assert!(
        has(&rifle, 1, "uk-export-controls-military", "needs_document", Some("9104")),
        "{rifle:?}"
    );
    assert!(has(&rifle, 2, "uk-export-controls-military", "satisfied", Some("X002")), "{rifle:?}");
    let steel = flags_of(reports, "TT_IM058a/TT_IM058a.xml");
    assert!(has(&steel, 1, "uk-russia-iron-steel", "satisfied", Some("9011")), "{steel:?}");
    for file in ["TT_IM057a/Step1_TT_IM057a.xml", "TT_IM075a/TT_IM075a.xml"] {
        let plants = flags_of(reports, file);
        assert!(has(&plants, 1, "uk-pr-phc", "satisfied", Some("N851")), "{file}: {plants:?}");
    }
}

#[test]
fn corpus_parties_match_no_sanctions_entry() {
    let lists = preclear::screen::Lists::bundled();
    let lists = lists.sanctions().unwrap().unwrap();
    // Name → (roles, best score against the lists, the entry).
    let mut parties: BTreeMap<String, (Vec<String>, f64, String)> = BTreeMap::new();
    for (name, report) in corpus_reports() {
        for party in &report.parties {
            assert!(
                party.matches.is_empty(),
                "{name}: the {} `{:?}` matches {:?}",
                party.role,
                party.name,
                party.matches
            );
            let Some(party_name) = &party.name else { continue };
            let entry = parties.entry(party_name.clone()).or_insert_with(|| {
                let best = lists.screen_at(party_name, party.country.as_deref(), 1, 0.0);
                best.first().map_or((Vec::new(), 0.0, "-".to_owned()), |found| {
                    (
                        Vec::new(),
                        found.score,
                        format!("{} {} `{}`", found.entry.list, found.entry.id, found.matched_name),
                    )
                })
            });
            if !entry.0.contains(&party.role) {
                entry.0.push(party.role.clone());
            }
        }
    }
    let mut text = format!(
        "{} distinct named parties; threshold {MATCH_THRESHOLD}; none reaches it. Best score of each:\n",
        parties.len()
    );
    for (name, (roles, score, entry)) in &parties {
        assert!(*score < MATCH_THRESHOLD, "{name} scores {score} against {entry}");
        let _ = writeln!(text, "{score:.2}  {name:?} ({}) ~ {entry}", roles.join(", "));
    }
    insta::assert_snapshot!(text);
}
