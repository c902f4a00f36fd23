//! Every stage against the quick-xml floor, over the same bytes in the same run: the floor,
//! read, read + validate, and the full check (read, validate, assess, screen, risk, report to
//! JSON), for a typical declaration and per item of a 999-item one; loading the bundled
//! packs; and one cold `preclear check` of a small file (a whole process).
//!
//! Run with `cargo bench -p preclear --bench pipeline`. After criterion's figures, a summary
//! prints each stage's throughput as a share of the floor's (medians of short batches, so
//! that noisy shared machines still give comparable ratios).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, missing_docs)]

mod common;

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use preclear::tariff::{CodeLists, Jurisdiction, Tariff};
use preclear::{CheckOptions, Checker, Date, Tariffs};

fn options() -> CheckOptions {
    CheckOptions { date: Date::new(2024, 3, 1), ..CheckOptions::default() }
}

/// The stages, each a function of the input bytes.
fn floor(input: &[u8]) -> usize {
    common::floor(black_box(input))
}

fn read(input: &[u8]) -> usize {
    preclear::decl::read(black_box(input)).source.len()
}

fn read_validate(input: &[u8]) -> usize {
    preclear::check("input.xml", black_box(input), &options()).findings.len()
}

fn full(checker: &Checker<'_>, input: &[u8]) -> usize {
    let report = checker.check("input.xml", black_box(input));
    report.to_json_line().map_or(0, |line| line.len())
}

fn workloads() -> [(&'static str, Vec<u8>, usize); 2] {
    [("typical", common::typical(), 1), ("999-items", common::many_items(999), 999)]
}

fn bench_stages(c: &mut Criterion) {
    let tariffs = Tariffs::bundled();
    let checker = Checker::new(&tariffs, options());
    for (name, input, items) in workloads() {
        // Load every pack once, outside the measurement.
        black_box(full(&checker, &input));
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(items as u64));
        group.bench_function("floor", |b| b.iter(|| floor(&input)));
        group.bench_function("read", |b| b.iter(|| read(&input)));
        group.bench_function("read+validate", |b| b.iter(|| read_validate(&input)));
        group.bench_function("full-check", |b| b.iter(|| full(&checker, &input)));
        group.finish();
    }
    let mut group = c.benchmark_group("load");
    group.bench_function("tariff-uk", |b| b.iter(|| Tariff::bundled(Jurisdiction::Uk).is_ok()));
    group.bench_function("codelists", |b| b.iter(|| CodeLists::bundled().is_ok()));
    group.bench_function("first-check", |b| {
        let typical = common::typical();
        b.iter(|| {
            let tariffs = Tariffs::bundled();
            full(&Checker::new(&tariffs, options()), &typical)
        });
    });
    group.finish();
}

/// One `preclear check` of `TT_IM001a` as a new process: the best and the median of `runs`.
fn cold_check(runs: usize) -> (Duration, Duration) {
    let path = common::shared_dir().join("corpus/hmrc-cds/TT_IM001a/Step1_TT_IM001a.xml");
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let output = Command::new(env!("CARGO_BIN_EXE_preclear"))
                .args(["check", "--format", "json", "--jobs", "1", "--date", "2024-03-01"])
                .arg(&path)
                .output()
                .unwrap();
            let elapsed = start.elapsed();
            assert!(!output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
            elapsed
        })
        .collect();
    times.sort();
    (times[0], times[times.len() / 2])
}

fn summary() {
    let tariffs = Tariffs::bundled();
    let checker = Checker::new(&tariffs, options());
    let budget = Duration::from_millis(1500);
    println!(
        "\nshare of the quick-xml floor (same bytes; the floor and each stage timed in turn, \
         15 rounds; median of each round's ratio):"
    );
    for (name, input, items) in workloads() {
        black_box(full(&checker, &input));
        let per_second = |time: Duration| items as f64 / time.as_secs_f64();
        println!("  {name} ({} bytes):", input.len());
        let stages: [(&str, &dyn Fn() -> usize); 3] = [
            ("read", &|| read(&input)),
            ("read+validate", &|| read_validate(&input)),
            ("full check", &|| full(&checker, &input)),
        ];
        for (stage, run) in stages {
            let timed = common::paired(
                budget,
                || {
                    black_box(floor(&input));
                },
                || {
                    black_box(run());
                },
            );
            println!(
                "    {stage:<14} {:>9.0} items/s  {:>9.1} µs/declaration  share {:5.1}%  \
                 (floor {:.0} items/s)",
                per_second(timed.ours),
                timed.ours.as_secs_f64() * 1e6,
                100.0 * timed.share,
                per_second(timed.floor),
            );
        }
    }
    let typical = common::typical();
    let load = |f: &dyn Fn()| common::median_time(budget, f);
    println!("  loading (median):");
    println!(
        "    UK tariff pack          {:8.2} ms",
        load(&|| {
            black_box(Tariff::bundled(Jurisdiction::Uk).is_ok());
        })
        .as_secs_f64()
            * 1e3
    );
    println!(
        "    every pack + first check {:7.2} ms",
        load(&|| {
            let tariffs = Tariffs::bundled();
            black_box(full(&Checker::new(&tariffs, options()), &typical));
        })
        .as_secs_f64()
            * 1e3
    );
    let (best, median) = cold_check(15);
    println!(
        "  cold `preclear check` of TT_IM001a (whole process): best {:.1} ms, median {:.1} ms",
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));
    targets = bench_stages
}

fn main() {
    let quick = std::env::var_os("PIPELINE_SUMMARY_ONLY").is_some();
    if !quick {
        benches();
    }
    summary();
    Criterion::default().configure_from_args().final_summary();
}
