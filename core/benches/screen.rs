//! Screening speed: parties screened per second against the full sanctions lists (UN
//! consolidated list and OFAC SDN), and goods items screened per second against the UK
//! restriction rules.
//!
//! The floor for parties is an exact lookup of the lowercased name in a hash set of every
//! listed name, measured in the same run: the cost of the cheapest possible check, so the
//! fuzzy matcher can be read as a multiple of it.

use std::collections::HashSet;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use preclear::Date;
use preclear::screen::{Lists, RulePack, SanctionsLists};
use preclear::tariff::Jurisdiction;

/// Ordinary trading names (from the corpus and the fixtures), and listed names written
/// differently: the mix a broker's declarations bring.
const PARTIES: &[(&str, Option<&str>)] = &[
    ("Shotguns incorporated", Some("CN")),
    ("Lion City Appliances Pte Ltd", Some("SG")),
    ("Gulf Industrial Machinery LLC", Some("AE")),
    ("The French Wine Company", Some("FR")),
    ("Mr Daniel Obutenrey", Some("GB")),
    ("Kildare Sport Horses Ltd", Some("IE")),
    ("Marmara Metal Trading AS", Some("TR")),
    ("Norway Seafood Inc.", Some("NO")),
    ("Korea Mining Development Trading Corporation", Some("KP")),
    ("Fakhrizade Mahabadi, Mohsen", Some("IR")),
    ("Muammar Gaddafi", None),
    ("Мохсен Фахризаде", None),
];

const CODES: &[&str] = &[
    "0101210000",
    "9306210000",
    "93019000",
    "7210122010",
    "0602905000",
    "8516108000",
    "6109100010",
    "0406902100",
];

fn parties(c: &mut Criterion) {
    let bundled = Lists::bundled();
    let Some(Ok(lists)) = bundled.sanctions() else { return };
    let mut group = c.benchmark_group("sanctions");
    group.throughput(Throughput::Elements(PARTIES.len() as u64));
    let names: HashSet<String> =
        lists.entries().iter().map(|entry| entry.name().to_lowercase()).collect();
    group.bench_function("floor-exact-lookup", |b| {
        b.iter(|| {
            PARTIES
                .iter()
                .filter(|(name, _)| names.contains(&black_box(name).to_lowercase()))
                .count()
        });
    });
    group.bench_function("screen-party", |b| {
        b.iter(|| {
            PARTIES
                .iter()
                .map(|(name, country)| lists.screen(black_box(name), *country, 5).len())
                .sum::<usize>()
        });
    });
    group.finish();
    let mut load = c.benchmark_group("load");
    load.sample_size(10);
    load.bench_function("sanctions-lists", |b| {
        b.iter(|| {
            Lists::bundled().sanctions().map(|lists| lists.map_or(0, SanctionsLists::name_count))
        });
    });
    load.bench_function("uk-restriction-rules", |b| {
        b.iter(|| {
            Lists::bundled()
                .rules(Jurisdiction::Uk)
                .map(|rules| rules.map_or(0, |rules: &RulePack| rules.rules().len()))
        });
    });
    load.finish();
}

fn goods(c: &mut Criterion) {
    let bundled = Lists::bundled();
    let Some(Ok(rules)) = bundled.rules(Jurisdiction::Uk) else { return };
    let date = Date::new(2024, 6, 1);
    let mut group = c.benchmark_group("restrictions");
    group.throughput(Throughput::Elements(CODES.len() as u64));
    group.bench_function("rules-for-code", |b| {
        b.iter(|| {
            CODES.iter().map(|code| rules.rules_for(black_box(code), date).len()).sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, parties, goods);
criterion_main!(benches);
