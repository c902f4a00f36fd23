//! Tests of the risk stage: a hit and a miss for each criterion kind, the lane decision and
//! its reasons, the random selection, and the model file and trainer on small data.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::criteria::{Criteria, LaneKind};
use super::facts::{DeclarationFacts, ItemFacts};
use super::model::{Model, Observation};
use super::train::{TrainOptions, evaluate, read_history, train};
use super::{Profile, assess_facts};
use crate::report::{Flag, Money, Quantity};

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

const HEADER: &str = "seed = 1\n[lanes]\nred = 80\nyellow = 50\nblue = 30\n";

/// Criteria holding one rule, and no random selection.
fn one_rule(rule: &str) -> Criteria {
    Criteria::parse(&format!("{HEADER}[[rule]]\nid = \"r\"\nweight = 40\nreason = \"why\"\n{rule}"))
        .unwrap()
}

fn no_convert(_: Decimal, _: &str, _: &str) -> Option<Decimal> {
    None
}

fn item() -> ItemFacts {
    ItemFacts {
        sequence: 1,
        commodity: Some("8516108000".to_owned()),
        origin: Some("CN".to_owned()),
        dispatch: Some("CN".to_owned()),
        procedure: Some("4000".to_owned()),
        value: Some(Money { amount: dec("1000"), currency: Some("GBP".to_owned()) }),
        net_mass: Some(dec("100")),
        gross_mass: Some(dec("110")),
        ..ItemFacts::default()
    }
}

fn declaration(item: ItemFacts) -> DeclarationFacts {
    DeclarationFacts {
        reference: Some("LRN-1".to_owned()),
        trader: Some("GB000000000001".to_owned()),
        border_mode: Some("1".to_owned()),
        items: vec![item],
    }
}

/// Whether the one rule of `criteria` hits `item`.
fn hits(criteria: &Criteria, item: ItemFacts) -> bool {
    let declaration = declaration(item);
    !criteria.hits(&declaration, &declaration.items[0], &no_convert).is_empty()
}

#[test]
fn commodity_rule_hits_matching_prefixes_only() {
    let criteria = one_rule("kind = \"commodity\"\ncommodity = [\"8516\", \"2208\"]");
    assert!(hits(&criteria, item()));
    assert!(!hits(&criteria, ItemFacts { commodity: Some("8517".to_owned()), ..item() }));
    assert!(!hits(&criteria, ItemFacts { commodity: None, ..item() }));
}

#[test]
fn origin_rule_hits_listed_origins_within_its_commodities() {
    let criteria = one_rule("kind = \"origin\"\ncommodity = [\"85\"]\norigin = [\"CN\"]");
    assert!(hits(&criteria, item()));
    assert!(!hits(&criteria, ItemFacts { origin: Some("JP".to_owned()), ..item() }));
    assert!(!hits(&criteria, ItemFacts { commodity: Some("6109".to_owned()), ..item() }));
}

#[test]
fn dispatch_rule_hits_when_dispatch_differs_from_origin() {
    let criteria = one_rule("kind = \"dispatch_differs\"");
    assert!(hits(&criteria, ItemFacts { dispatch: Some("SG".to_owned()), ..item() }));
    assert!(!hits(&criteria, item()));
    assert!(!hits(&criteria, ItemFacts { dispatch: None, ..item() }));
}

#[test]
fn procedure_rule_hits_listed_prefixes() {
    let criteria = one_rule("kind = \"procedure\"\nprocedures = [\"51\", \"71\"]");
    assert!(hits(&criteria, ItemFacts { procedure: Some("5100".to_owned()), ..item() }));
    assert!(!hits(&criteria, item()));
}

#[test]
fn transport_mode_rule_reads_the_border_mode() {
    let criteria = one_rule("kind = \"transport_mode\"\nmodes = [\"5\"]");
    let mut postal = declaration(item());
    postal.border_mode = Some("5".to_owned());
    assert!(!criteria.hits(&postal, &postal.items[0], &no_convert).is_empty());
    assert!(!hits(&criteria, item()));
}

#[test]
fn unit_value_rule_hits_outside_the_band_and_converts_currencies() {
    let criteria = one_rule(
        "kind = \"unit_value\"\ncommodity = [\"8516\"]\nmin = 3\nmax = 50\ncurrency = \"GBP\"",
    );
    // 1000 GBP over 100 kg: 10 GBP/kg, inside.
    assert!(!hits(&criteria, item()));
    let cheap = ItemFacts {
        value: Some(Money { amount: dec("200"), currency: Some("GBP".to_owned()) }),
        ..item()
    };
    assert!(hits(&criteria, cheap));
    let dear = ItemFacts {
        value: Some(Money { amount: dec("6000"), currency: Some("GBP".to_owned()) }),
        ..item()
    };
    assert!(hits(&criteria, dear));
    // 200 000 KRW at 2000 KRW per GBP: 1 GBP/kg, below the band.
    let krw = declaration(ItemFacts {
        value: Some(Money { amount: dec("200000"), currency: Some("KRW".to_owned()) }),
        ..item()
    });
    let convert = |amount: Decimal, from: &str, to: &str| {
        (from == "KRW" && to == "GBP").then(|| amount / dec("2000"))
    };
    let found = criteria.hits(&krw, &krw.items[0], &convert);
    assert_eq!(found.len(), 1);
    assert!(found[0].reason.contains("1.00 GBP/kg"), "{}", found[0].reason);
    // Without a rate or a mass, nothing is known and nothing hits.
    assert!(krw.items.iter().all(|item| criteria.hits(&krw, item, &no_convert).is_empty()));
    assert!(!hits(&criteria, ItemFacts { net_mass: None, gross_mass: None, ..item() }));
}

#[test]
fn mass_rule_hits_net_above_gross_and_kilograms_off_the_net_mass() {
    let criteria = one_rule("kind = \"mass_mismatch\"\ntolerance = 0.05");
    assert!(!hits(&criteria, item()));
    assert!(hits(&criteria, ItemFacts { net_mass: Some(dec("120")), ..item() }));
    let kilograms = |quantity: &str| ItemFacts {
        supplementary: Some(Quantity { quantity: dec(quantity), unit: Some("KGM".to_owned()) }),
        ..item()
    };
    assert!(hits(&criteria, kilograms("80")));
    assert!(!hits(&criteria, kilograms("103")));
}

#[test]
fn new_trader_rule_hits_traders_not_listed() {
    let unknown = one_rule("kind = \"new_trader\"\nknown = [\"GB999\"]");
    assert!(hits(&unknown, item()));
    let known = one_rule("kind = \"new_trader\"\nknown = [\"GB000000000001\"]");
    assert!(!hits(&known, item()));
}

#[test]
fn duty_rule_compares_declared_and_computed_duty_when_both_are_known() {
    let criteria = one_rule("kind = \"duty_mismatch\"\ntolerance = 1");
    let duty = |declared: &str, computed: &str| ItemFacts {
        declared_duty: Some(dec(declared)),
        computed_duty: Some(dec(computed)),
        ..item()
    };
    assert!(hits(&criteria, duty("10.00", "40.00")));
    assert!(!hits(&criteria, duty("40.00", "40.50")));
    // The duty stage has not run: nothing to compare.
    assert!(!hits(&criteria, ItemFacts { declared_duty: Some(dec("10")), ..item() }));
}

#[test]
fn restriction_rule_hits_flags_with_listed_statuses() {
    let criteria = one_rule("kind = \"restriction\"\nstatuses = [\"needs_document\"]");
    let flag = |status: &str| ItemFacts {
        flags: vec![Flag {
            rule: "uk-cites-0101".to_owned(),
            category: "cites".to_owned(),
            status: status.to_owned(),
            documents: vec!["C400".to_owned()],
            legal_basis: String::new(),
            message: String::new(),
        }],
        ..item()
    };
    assert!(hits(&criteria, flag("needs_document")));
    assert!(!hits(&criteria, flag("satisfied")));
    assert!(!hits(&criteria, item()));
}

#[test]
fn criteria_errors_name_the_line() {
    let error =
        Criteria::parse(&format!("{HEADER}[[rule]]\nid = \"x\"\nkind = \"colour\"\n")).unwrap_err();
    assert_eq!(error.line, 8);
    assert!(error.message.contains("unknown kind"), "{}", error.message);
    let error = Criteria::parse(&format!(
        "{HEADER}[[rule]]\nid = \"x\"\nkind = \"origin\"\norigins = [\"CN\"]\n"
    ))
    .unwrap_err();
    assert_eq!(error.line, 9);
    assert!(Criteria::parse("[lanes]\nred = 10\nyellow = 50\nblue = 30\n").is_err());
    assert!(Criteria::parse(&format!("{HEADER}[random]\nred = 0.9\nblue = 0.2\n")).is_err());
}

#[test]
fn the_bundled_criteria_and_model_load() {
    let profile = Profile::bundled().unwrap().unwrap();
    assert!(!profile.criteria.rules.is_empty());
    assert!(profile.model.is_some());
}

#[test]
fn thresholds_and_draws_select_lanes() {
    let criteria =
        Criteria::parse(&format!("{HEADER}[random]\nred = 0.1\nyellow = 0.2\n")).unwrap();
    assert_eq!(criteria.lane_for(dec("80")), LaneKind::Red);
    assert_eq!(criteria.lane_for(dec("79.99")), LaneKind::Yellow);
    assert_eq!(criteria.lane_for(dec("30")), LaneKind::Blue);
    assert_eq!(criteria.lane_for(dec("0")), LaneKind::Green);
    assert_eq!(criteria.random_lane(dec("0.05")), Some((LaneKind::Red, dec("0"), dec("0.1"))));
    assert_eq!(criteria.random_lane(dec("0.25")), Some((LaneKind::Yellow, dec("0.1"), dec("0.3"))));
    assert_eq!(criteria.random_lane(dec("0.3")), None);
}

#[test]
fn the_lane_lists_its_reasons_and_a_draw_can_raise_it() {
    let criteria = one_rule("kind = \"origin\"\norigin = [\"CN\"]");
    let profile = Profile { criteria, model: None };
    let lane = assess_facts(&profile, &declaration(item()), &no_convert);
    assert_eq!(lane.lane, "blue");
    assert_eq!(lane.score, dec("40"));
    assert_eq!(
        lane.reasons,
        [
            "blue (post-clearance audit): score 40 reaches the blue threshold 30",
            "+40 r: item 1: why (8516108000 from CN)",
        ]
    );
    let green = assess_facts(
        &profile,
        &declaration(ItemFacts { origin: Some("JP".to_owned()), ..item() }),
        &no_convert,
    );
    assert_eq!(green.lane, "green");
    assert_eq!(green.reasons, ["green (release): score 0 is below the blue threshold 30"]);

    // Every declaration is drawn into red: the draw lifts the lane and says so.
    let mut always = profile.clone();
    always.criteria.random.red = Decimal::ONE;
    let drawn = assess_facts(&always, &declaration(item()), &no_convert);
    assert_eq!(drawn.lane, "red");
    assert!(drawn.reasons[0].starts_with("red (physical examination): drawn at random"));
    assert!(drawn.reasons[0].ends_with("alone gives blue"), "{}", drawn.reasons[0]);
}

#[test]
fn the_highest_item_decides() {
    let criteria = one_rule("kind = \"origin\"\norigin = [\"CN\"]");
    let profile = Profile { criteria, model: None };
    let mut facts = declaration(ItemFacts { origin: Some("JP".to_owned()), ..item() });
    facts.items.push(ItemFacts { sequence: 2, ..item() });
    let lane = assess_facts(&profile, &facts, &no_convert);
    assert_eq!(lane.lane, "blue");
    assert!(lane.reasons[0].contains("(item 2)"), "{}", lane.reasons[0]);
    assert!(lane.reasons[1].contains("item 2:"), "{}", lane.reasons[1]);
}

const HISTORY: &str = "\u{feff}Declaration ID,HS6 Code,Country of Origin,Country of Departure,Tax Type,Tax Rate,Mode of Transport,Net Mass,Item Price,Fraud
1,851610,CN,CN,A,8.0,10,100,5000,1
2,851610,CN,CN,A,8.0,10,120,6000,1
3,851610,CN,CN,A,8.0,10,90,4000,0
4,851610,JP,JP,A,8.0,40,10,9000,0
5,610910,VN,VN,C,0.0,10,50,700,0
6,610910,VN,VN,C,0.0,10,55,800,0
7,610910,VN,HK,C,0.0,10,40,100,1
8,610910,VN,VN,C,0.0,10,60,900,0
";

/// A history where kettles from CN are fraudulent seven times in ten and T-shirts from VN
/// once in ten.
fn larger_history() -> String {
    let mut text = String::from(HISTORY.lines().next().unwrap());
    for index in 0..400 {
        let (lane, fraud) = if index % 2 == 0 {
            ("851610,CN,CN,A,8.0,10", index % 20 < 14)
        } else {
            ("610910,VN,VN,C,0.0,10", index % 20 == 1)
        };
        let _ =
            write!(text, "\n{index},{lane},{},{},{}", 10 + index % 7, 900 + index, u8::from(fraud));
    }
    text
}

#[test]
fn history_reads_the_benchmark_columns() {
    let history = read_history(HISTORY).unwrap();
    assert_eq!(history.len(), 8);
    assert_eq!(history[0].duty_rate.as_deref(), Some("8"));
    assert_eq!(history[0].mode.as_deref(), Some("1"));
    assert_eq!(history[3].mode.as_deref(), Some("4"));
    assert_eq!(history[0].fraud, Some(true));
    assert!(read_history("Declaration ID,HS6 Code\n1\n").is_err());
    assert!(read_history("HS6 Code\n851610\n").is_err());
}

#[test]
fn a_trained_model_ranks_its_lanes_explains_itself_and_survives_its_file() {
    let history = read_history(&larger_history()).unwrap();
    let (model, summary) = train(&history, Some(&history), &TrainOptions::default());
    assert!(summary.steps <= TrainOptions::default().max_steps);
    let read = Model::parse(&model.render()).unwrap();
    assert_eq!(read, model);
    let risky = Observation {
        hs6: Some("851610".to_owned()),
        origin: Some("CN".to_owned()),
        ..Observation::default()
    };
    let safe = Observation {
        hs6: Some("610910".to_owned()),
        origin: Some("VN".to_owned()),
        ..Observation::default()
    };
    // The likelihood alone is the scored one, to the bit: items other than the decisive one
    // are weighed by it.
    for observation in [&risky, &safe, &Observation::default()] {
        assert_eq!(
            model.likelihood(&model.features(observation)).to_bits(),
            model.score(observation).likelihood.to_bits()
        );
    }
    let (risky, safe) = (model.score(&risky), model.score(&safe));
    assert!(risky.likelihood > safe.likelihood);
    // The contributions add up to the score.
    let log_odds = risky.bias + risky.contributions.iter().map(|c| c.log_odds).sum::<f64>();
    assert!((super::model::sigmoid(log_odds) - risky.likelihood).abs() < 1e-9);
    assert!(risky.contributions[0].name.starts_with("trade lane HS6 851610"));
    let evaluation = evaluate(&model, &history, 3);
    assert_eq!(evaluation.declarations, 400);
    assert_eq!(evaluation.frauds, 160);
    // The top 5% and 10% are all kettles, seven in ten of them frauds.
    assert!(evaluation.model.precision_at_10 > 0.6);
    assert!(evaluation.random.precision_at_10 < evaluation.model.precision_at_10);
}

#[test]
fn model_errors_name_the_line() {
    assert_eq!(Model::parse("format\tpreclear-risk-model 1\nprior\tx\n").unwrap_err().line, 2);
    let lanes = "format\tpreclear-risk-model 1\nprior\t0.2\nchain\ths6\nlanes\t1\n\t\tCN\t1\t2\n";
    assert_eq!(Model::parse(lanes).unwrap_err().line, 5);
    assert!(Model::parse("prior\t0.2\nchain\ths6\n").is_err());
}

#[cfg(feature = "bundled-uk")]
#[test]
fn the_bundled_model_reads_as_checked() {
    // Start-up reads the bundled model's lanes unchecked, on first use: every line must pass
    // the checks a model from outside goes through, and give the same lanes.
    let text = super::bundled_model().unwrap();
    let checked = Model::parse(text).unwrap();
    let bundled = Model::parse_bundled(text).unwrap();
    assert_eq!(checked, bundled);
    assert_eq!(bundled.lanes.len(), 44_691);
    let lanes_line = text.lines().find(|line| line.starts_with("lanes\t")).unwrap();
    assert_eq!(lanes_line, "lanes\t44691");
    // A lane of the file's middle is found, at every level of its chain.
    let observation = Observation {
        hs6: Some("010129".to_owned()),
        origin: Some("US".to_owned()),
        ..Observation::default()
    };
    let features = bundled.features(&observation);
    assert!(features.rates[0].is_some() && features.rates[1].is_some(), "{features:?}");
}
