//! The risk stage over the fixtures, the corpus and the benchmark: lanes are deterministic,
//! a criteria change moves exactly the fixtures it matches, every corpus declaration gets a
//! lane with reasons, and the bundled model is what `preclear risk train` makes of the
//! benchmark and still meets the acceptance figures.

// A test's panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::fmt::Write as _;
use std::path::Path;

use preclear::report::Lane;
use preclear::risk::train::{self, TrainOptions};
use preclear::risk::{self, Model, Profile};
use preclear::{CheckOptions, Checker, Date, Report, Tariffs};

fn name(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every fixture's report under `tariffs`, checked as the fixture harness does.
fn fixture_reports(tariffs: &Tariffs) -> Vec<(String, Report)> {
    let root = preclear_tests::workspace_root().join("fixtures");
    let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
    let checker = Checker::new(tariffs, options);
    preclear_tests::xml_files(&root)
        .iter()
        .map(|path| {
            let name = name(path, &root);
            let report = checker.check(&name, &std::fs::read(path).unwrap());
            (name, report)
        })
        .collect()
}

fn bundled_profile_with(extra_criteria: &str) -> Profile {
    let criteria = format!("{}{extra_criteria}", risk::bundled_criteria().unwrap());
    Profile::parse(&criteria, risk::bundled_model()).unwrap()
}

/// Whether the report was checked against the UK tariff.
fn is_uk(report: &Report) -> bool {
    report.tariff.as_ref().is_some_and(|tariff| tariff.jurisdiction == "uk")
}

fn lane_name(lane: Option<&Lane>) -> &str {
    lane.map_or("none", |lane| lane.lane.as_str())
}

#[test]
fn the_same_input_and_seed_give_the_same_lane() {
    let first = fixture_reports(&Tariffs::bundled());
    let second = fixture_reports(&Tariffs::bundled());
    assert_eq!(first.len(), second.len());
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert_eq!(a.lane, b.lane, "{name}");
        // A UK declaration always gets a lane with its reasons; anything else gets none (the
        // bundled risk profile is the UK's).
        match &a.lane {
            Some(lane) => {
                assert!(a.declaration.is_some(), "{name}");
                assert!(!lane.reasons.is_empty(), "{name}");
            }
            None => assert!(a.declaration.is_none() || !is_uk(a), "{name}"),
        }
    }
    // The seed decides the random selection: with every declaration drawn into a lane, the
    // lane depends only on the draw, the same for the same seed.
    let mut profile = bundled_profile_with("");
    profile.criteria.random.red = "0.5".parse().unwrap();
    profile.criteria.random.yellow = "0.5".parse().unwrap();
    let lanes = |seed: u64| {
        let mut profile = profile.clone();
        profile.criteria.seed = seed;
        fixture_reports(&Tariffs::bundled().with_risk(profile))
            .into_iter()
            .map(|(name, report)| (name, lane_name(report.lane.as_ref()).to_owned()))
            .collect::<Vec<_>>()
    };
    assert_eq!(lanes(11), lanes(11));
    assert_ne!(lanes(11), lanes(12), "another seed draws other lanes");
}

#[test]
fn a_criteria_change_moves_exactly_the_matching_fixtures() {
    // Electric kettles and heaters (8516) from CN become a high-risk pair.
    let rule = "\n[[rule]]\nid = \"kettles-from-cn\"\nkind = \"origin\"\ncommodity = [\"8516\"]\n\
                origin = [\"CN\"]\nweight = 60\nreason = \"electric heaters from CN under \
                investigation\"\n";
    let before = fixture_reports(&Tariffs::bundled());
    let after = fixture_reports(&Tariffs::bundled().with_risk(bundled_profile_with(rule)));
    let mut moved = Vec::new();
    let mut diff = String::new();
    for ((name, old), (_, new)) in before.iter().zip(&after) {
        // Only the UK has a bundled profile: other declarations get a lane from the provided
        // one alone.
        if old.declaration.is_some() && !is_uk(old) {
            continue;
        }
        let matches = old.declaration.as_ref().is_some_and(|declaration| {
            declaration.items.iter().any(|item| {
                item.commodity_code.as_deref().is_some_and(|code| code.starts_with("8516"))
                    && item.origin.as_deref() == Some("CN")
            })
        });
        let (old_lane, new_lane) = (lane_name(old.lane.as_ref()), lane_name(new.lane.as_ref()));
        assert_eq!(old_lane != new_lane, matches, "{name}: {old_lane} → {new_lane}");
        if old.lane != new.lane {
            moved.push(name.clone());
            let (old, new) = (old.lane.as_ref().unwrap(), new.lane.as_ref().unwrap());
            let _ =
                writeln!(diff, "{name}: {} {} → {} {}", old.lane, old.score, new.lane, new.score);
            for reason in &new.reasons {
                let _ = writeln!(diff, "    {reason}");
            }
        }
    }
    assert!(moved.contains(&"valid/import-standard-h1.xml".to_owned()), "{moved:?}");
    insta::assert_snapshot!(diff);
}

#[test]
fn every_corpus_declaration_gets_a_lane_with_reasons() {
    let root = preclear_tests::shared("corpus");
    let tariffs = Tariffs::bundled();
    let checker = Checker::new(&tariffs, CheckOptions::default());
    let mut summary = String::new();
    let mut declarations = 0;
    for dir in ["hmrc-cds", "hmrc-exports-examples"] {
        for path in preclear_tests::xml_files(&root.join(dir)) {
            let name = name(&path, &root);
            let report = checker.check(&name, &std::fs::read(&path).unwrap());
            if report.declaration.is_none() {
                assert!(report.lane.is_none(), "{name}");
                continue;
            }
            declarations += 1;
            let lane = report.lane.as_ref().unwrap_or_else(|| panic!("{name} has no lane"));
            assert!(!lane.reasons.is_empty(), "{name}");
            let _ = writeln!(summary, "{name}: {} {}", lane.lane, lane.score);
        }
    }
    assert!(declarations > 100, "only {declarations} corpus declarations");
    insta::assert_snapshot!(summary);
}

fn benchmark(file: &str) -> Vec<risk::Observation> {
    let path = preclear_tests::shared("data/risk/kcs-synthetic-declarations").join(file);
    train::read_history(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_bundled_model_is_a_fresh_training_on_the_benchmark() {
    let (train_file, valid_file) = ("df_syn_train_eng.csv", "df_syn_valid_eng.csv");
    let train_set = benchmark(train_file);
    let valid_set = benchmark(valid_file);
    let options = TrainOptions {
        trained_on: train::trained_on(train_file, &train_set, Some(valid_file)),
        ..TrainOptions::default()
    };
    let (model, _) = train::train(&train_set, Some(&valid_set), &options);
    let bundled = risk::bundled_model().unwrap();
    assert!(
        model.render() == bundled,
        "tariffs/uk/risk/model.tsv is stale: run `preclear risk train` as its README says"
    );

    // The acceptance figures on the test split, beside the baselines.
    let model = Model::parse(bundled).unwrap();
    let evaluation = train::evaluate(&model, &benchmark("df_syn_test_eng.csv"), 2026);
    assert!(evaluation.model.precision_at_5 >= 0.93, "{evaluation:?}");
    assert!(evaluation.model.precision_at_10 >= 0.85, "{evaluation:?}");
    assert!(evaluation.model.precision_at_10 > evaluation.hs6_rate.precision_at_10);
    assert!(evaluation.hs6_rate.precision_at_10 > evaluation.random.precision_at_10);
}
