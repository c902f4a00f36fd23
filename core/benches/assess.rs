//! Assessment speed: whole checks (read, validate, assess duties, screen, risk) of a typical
//! declaration and of a 999-item one, with the bundled tariffs already loaded, against the
//! quick-xml floor over the same bytes in the same run.
//!
//! Run with `cargo bench -p preclear --bench assess`. The summary prints assessments per
//! second and items per second, and the floor's figures beside them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, missing_docs)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};
use preclear::{CheckOptions, Checker, Date, Tariffs};

/// A typical import: one item, a third-country duty and VAT (`TT_IM001a`, HMRC's first sample).
fn typical() -> Vec<u8> {
    let path = common::shared_dir().join("corpus/hmrc-cds/TT_IM001a/Step1_TT_IM001a.xml");
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn checker(tariffs: &Tariffs) -> Checker<'_> {
    Checker::new(tariffs, CheckOptions { date: Date::new(2024, 3, 1), ..CheckOptions::default() })
}

fn bench_assess(c: &mut Criterion) {
    let tariffs = Tariffs::bundled();
    let checker = checker(&tariffs);
    let typical = typical();
    let big = common::many_items(999);
    // Load every pack once, outside the measurement.
    let report = checker.check("typical", &typical);
    assert!(!report.totals.is_empty(), "the typical declaration is assessed");

    let mut group = c.benchmark_group("assess");
    group.throughput(Throughput::Elements(1));
    group.bench_function("typical", |b| b.iter(|| checker.check("typical", black_box(&typical))));
    group.finish();

    let mut group = c.benchmark_group("assess-999-items");
    group.throughput(Throughput::Elements(999));
    group.bench_function("check", |b| b.iter(|| checker.check("big", black_box(&big))));
    group.finish();
}

fn summary() {
    let tariffs = Tariffs::bundled();
    let checker = checker(&tariffs);
    let typical = typical();
    let big = common::many_items(999);
    let report = checker.check("big", &big);
    let assessed = report.declaration.as_ref().map_or(0, |declaration| {
        declaration.items.iter().filter(|item| !item.tax_lines.is_empty()).count()
    });
    assert_eq!(assessed, 999, "every item of the 999-item declaration is assessed");
    let budget = Duration::from_secs(2);
    let per_second = |time: Duration| 1.0 / time.as_secs_f64();
    let timed = common::paired(
        budget,
        || {
            black_box(common::floor(black_box(&typical)));
        },
        || {
            black_box(checker.check("typical", black_box(&typical)));
        },
    );
    println!("\nwhole checks with duties (bundled tariffs loaded; the floor timed in turn):");
    println!(
        "  typical declaration: {:.0} assessments/s ({:.1} µs each); quick-xml floor {:.0}/s; share {:.0}%",
        per_second(timed.ours),
        timed.ours.as_secs_f64() * 1e6,
        per_second(timed.floor),
        100.0 * timed.share
    );
    let timed = common::paired(
        budget,
        || {
            black_box(common::floor(black_box(&big)));
        },
        || {
            black_box(checker.check("big", black_box(&big)));
        },
    );
    println!(
        "  999-item declaration: {:.1} assessments/s ({:.0} items/s); quick-xml floor {:.0} items/s; share {:.0}%",
        per_second(timed.ours),
        999.0 * per_second(timed.ours),
        999.0 * per_second(timed.floor),
        100.0 * timed.share
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench_assess
}

fn main() {
    benches();
    summary();
    Criterion::default().configure_from_args().final_summary();
}
