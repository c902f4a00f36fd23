//! Screening on HMRC's published declarations (`$PRECLEAR_SHARED/corpus/hmrc-cds`).
//!
//! One snapshot lists the flags of every corpus declaration, each checked by hand (the
//! `CHECKED` notes, printed under each declaration); the assertions hold the acceptance cases: live horses
//! satisfied by their CITES and veterinary documents, shotgun cartridges by licence 9100, the
//! rifle and suppressor for Sudan flagged under the arms embargo and export controls, Russian
//! steel licensed by 9011, plants flagged for plant health. A second snapshot lists every
//! named party of the corpus with its best score against the sanctions lists: none reaches
//! the threshold.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use preclear::screen::sanctions::MATCH_THRESHOLD;
use preclear::{CheckOptions, Checker, Date, Report, Tariffs};

fn tariffs() -> &'static Tariffs {
    static TARIFFS: OnceLock<Tariffs> = OnceLock::new();
    TARIFFS.get_or_init(Tariffs::bundled)
}

/// Every corpus declaration (notifications and unreadable files left out), checked with the
/// bundled packs at a fixed date when the declaration gives none.
fn corpus_reports() -> &'static Vec<(String, Report)> {
    static REPORTS: OnceLock<Vec<(String, Report)>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let corpus = preclear_tests::shared("corpus/hmrc-cds");
        let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
        let checker = Checker::new(tariffs(), options);
        preclear_tests::xml_files(&preclear_tests::shared("corpus/hmrc-cds"))
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

/// Every corpus declaration that carries flags, with what a reading by hand of the
/// declaration, its notes and the rules found: each flag is right for the rule data, or the
/// note says where the data is uncertain. A new flag, or a flag gone, fails the test until
/// the declaration is read again and its note updated.
const CHECKED: &[(&str, &str)] = &[
    (
        "TT_EX004a/TT_EX004a.xml",
        "rifle (9301 90) and suppressor (9305 91) exported to Sudan: both prohibited by the UN arms embargo, the only licence declared being 9104 with status XX (not held); the rifle also lacks its military export licence, the suppressor has X002 (EA)",
    ),
    (
        "TT_EX010a/TT_EX010a.xml",
        "military ammunition (9306 30 30) exported to Pakistan under a standard individual export licence 9104: satisfied; Pakistan is under no arms embargo",
    ),
    (
        "TT_EX013b/TT_EX013b.xml",
        "rifle and suppressor exported under dual-use authorisation X002 on both items: satisfied; destination GB, no embargo",
    ),
    (
        "TT_EX028a/Step1_TT_EX028a.xml",
        "builders' shingles (4418 50) exported: HMRC's table puts the CITES export control on the code (listed timbers), and no C400 or Y900 is declared (9107/XX is a general no-licence statement); information only, as the control concerns only listed species",
    ),
    (
        "TT_IM004a/TT_IM004a.xml",
        "fish balls of anchovy from Montenegro: CVED N853 and catch certificate C673 declared; the Japanese-origin food control does not apply to ME",
    ),
    (
        "TT_IM006a/TT_IM006a.xml",
        "frozen chicken from Argentina: animal health and veterinary controls met by N853 (status JE) and 9120",
    ),
    (
        "TT_IM008a/Step1_TT_IM008a.xml",
        "shotgun cartridges from China declared with 9026 (made before 1900, exempt from import licensing): the firearms licence rule is met by that exemption",
    ),
    (
        "TT_IM008b/TT_IM008b.xml",
        "shotgun cartridges from China with firearms licence 9100 (ES): satisfied (acceptance case)",
    ),
    (
        "TT_IM015a/TT_IM015a.xml",
        "shotgun cartridges from China with firearms licence 9100: satisfied",
    ),
    (
        "TT_IM017b/Step1_TT_IM017b.xml",
        "shotgun cartridges from China with firearms licence 9100: satisfied",
    ),
    (
        "TT_IM021a/Step1_TT_IM021a.xml",
        "live horses from the US into Northern Ireland, not at risk (NIREM), so UK rules: CHED-A C640 declared; the EU's CITES control on 0101 does not apply",
    ),
    (
        "TT_IM026a/TT_IM026a.xml",
        "frozen chicken cuts from Brazil: N853 declared with XW (waiver claimed), which these veterinary measures accept, and 9120",
    ),
    (
        "TT_IM032a/TT_IM032a.xml",
        "plastic vanity case (4202 12 19) into a customs warehouse: the table marks the code for CITES and animal health (cases of reptile leather), no Y900; information only, the controls concern some goods of the code (the sample notes CDS does no tariff validation of this H2 declaration)",
    ),
    (
        "TT_IM032b/TT_IM032b.xml",
        "as TT_IM032a (the rejected variant): CITES and animal health marks on 4202 12 19, information only",
    ),
    (
        "TT_IM036a/TT_IM036a.xml",
        "spectacle frames (9003 19 00 40) into Northern Ireland with the CITES certificate C400: satisfied",
    ),
    (
        "TT_IM042a/Step1_TT_IM042a.xml",
        "crude sunflower-seed oil (1512 11 10) from GB: the table marks the code for animal health controls (chapter 15 fats), no document; information only",
    ),
    (
        "TT_IM044a/Step1_TT_IM044a.xml",
        "frozen chicken from Argentina: N853 and 9120 declared, satisfied",
    ),
    (
        "TT_IM045a/Step1_TT_IM045a.xml",
        "frozen chicken from Argentina: N853 and 9120 declared, satisfied",
    ),
    (
        "TT_IM051a/TT_IM051a.xml",
        "fresh avocados from New Zealand with phytosanitary certificate N851 (AP): satisfied",
    ),
    (
        "TT_IM057a/Step1_TT_IM057a.xml",
        "seed potatoes from GB into Northern Ireland (NIDOM) with phytosanitary certificate N851: satisfied (acceptance case)",
    ),
    (
        "TT_IM058a/TT_IM058a.xml",
        "tinplated steel (7210 12 20 10) of Russian origin with licence 9011 exempting it from the import ban: licensed (acceptance case)",
    ),
    (
        "TT_IM074a/TT_IM074a.xml",
        "live racehorses from France into Northern Ireland, at risk: CITES control met by C400 and C635, veterinary check by CHED-A C640 (acceptance case)",
    ),
    (
        "TT_IM075a/TT_IM075a.xml",
        "outdoor plants (0602 90 50) from the Netherlands with phytosanitary certificate N851: satisfied (acceptance case)",
    ),
    (
        "TT_IM088a/TT_IM088a.xml",
        "waffles from Jamaica: CHED-D C678 declared with XX (not required for these goods), accepted by the food control; CVED N853 declared",
    ),
    (
        "TT_IM091a/TT_IM091a.xml",
        "silver jewellery from Switzerland with the CITES certificate C400: satisfied",
    ),
    (
        "TT_IM093a/TT_IM093a.xml",
        "wooden cases (4415 10 10) from the US: plant health on wood may apply (quarantine release), no N851; information only",
    ),
    (
        "TT_IM095a/Step1_TT_IM095a.xml",
        "chilled mussels from the continental shelf (ZN): N853 and 9120 declared, satisfied",
    ),
    (
        "TT_IM097a/Step1_TT_IM097a.xml",
        "mackerel from the continental shelf (ZU): veterinary documents N853 and 9120, catch certificate C673: satisfied",
    ),
    (
        "TT_IM105a/Step1_TT_IM105a.xml",
        "live horses from the US into Northern Ireland, not at risk (NIREM): CHED-A C640 declared; no EU CITES control",
    ),
    (
        "TT_IM117a/Step1_TT_IM117a.xml",
        "potatoes for starch from GB into Northern Ireland (NIDOM): the phytosanitary certificate N851 is missing, but the declaration states Y979, which Preclear does not know and which may be the exemption, so a warning rather than an error",
    ),
    ("TT_IM121a/TT_IM121a.xml", "frozen chicken from Argentina: N853 and 9120 declared, satisfied"),
    (
        "TT_IM131a/Step1_TT_IM131a.xml",
        "bread from Tunisia: CHED-D C678 with XX (not required for these goods) and CVED N853, satisfied",
    ),
    (
        "TT_IM157a/STEP1_TT_IM157a.xml",
        "hydrogenated vegetable fat (1516 20 98 21) from Canada: the table marks the code for animal health controls, no document; information only",
    ),
    ("TT_IM175a/Step1_TT_IM175a.xml", "chicken from France: N853 and 9120 declared, satisfied"),
    (
        "TT_IM181a/Step1_TT_IM181a.xml",
        "carvings from Jersey (a CO declaration, so no commodity rule applies) whose description repeats the heading text `worked ivory, bone, tortoiseshell`, with Y900: the keyword warnings ask the broker to confirm no ivory or tortoiseshell is in the goods",
    ),
    (
        "TT_IM184a/Step1_TT_IM184a.xml",
        "item 4, live horses from the US into GB: CHED-A C640 declared, satisfied",
    ),
    (
        "TT_IM186a/Step1_TT_IM186a.xml",
        "spectacle frames (9003 19 00 40) declared not CITES-listed (Y900): satisfied",
    ),
    ("TT_IM188a/Step1_TT_IM188a.xml", "bison meat from Japan: N853 declared, satisfied"),
    (
        "TT_IM207a/Step1_TT_IM207a.xml",
        "tinplated steel of Russian origin with licence 9011: licensed",
    ),
    ("TT_IM219a/Step1_TT_IM219a.xml", "chicken from Argentina: N853 and 9120 declared, satisfied"),
];

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
        let note = CHECKED.iter().find(|(file, _)| file == name).map(|(_, note)| *note);
        let note = note
            .unwrap_or_else(|| panic!("{name} carries flags: read it and add a note to CHECKED"));
        let _ = writeln!(body, "{name}\n  checked: {note}");
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
    assert_eq!(with_flags, CHECKED.len(), "CHECKED names a declaration that carries no flag");
    let statuses: Vec<String> =
        by_status.iter().map(|(status, count)| format!("{status} {count}")).collect();
    let text = format!(
        "{} declarations, {with_flags} with flags, each checked by hand (the note under its name); flags: {}\n\n{body}",
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
                        format!(
                            "{} {} `{}`",
                            found.entry.list,
                            found.entry.id(),
                            found.matched_name
                        ),
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
