//! Reading speed: the typed declaration reader against the quick-xml floor, over the HMRC
//! samples and a 999-item declaration, in the same run.
//!
//! Run with `cargo bench -p preclear --bench read`. Criterion measures each workload; a
//! summary at the end prints our throughput as a share of the floor's.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, missing_docs)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};

fn bench_read(c: &mut Criterion) {
    let corpus = common::corpus_declarations();
    let corpus_bytes: usize = corpus.iter().map(Vec::len).sum();
    let big = common::many_items(999);

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(corpus_bytes as u64));
    group.bench_function("floor", |b| {
        b.iter(|| corpus.iter().map(|d| common::floor(black_box(d))).sum::<usize>());
    });
    group.bench_function("read", |b| {
        b.iter(|| {
            corpus.iter().map(|d| preclear::decl::read(black_box(d)).source.len()).sum::<usize>()
        });
    });
    group.finish();

    let mut group = c.benchmark_group("999-items");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("floor", |b| b.iter(|| common::floor(black_box(&big))));
    group.bench_function("read", |b| b.iter(|| preclear::decl::read(black_box(&big)).source.len()));
    group.finish();
}

fn summary() {
    let corpus = common::corpus_declarations();
    let corpus_bytes: usize = corpus.iter().map(Vec::len).sum();
    let big = common::many_items(999);
    let budget = Duration::from_secs(2);
    println!("\nshare of the quick-xml floor (same bytes, timed in turn):");
    let timed = common::paired(
        budget,
        || {
            black_box(corpus.iter().map(|d| common::floor(black_box(d))).sum::<usize>());
        },
        || {
            black_box(
                corpus
                    .iter()
                    .map(|d| preclear::decl::read(black_box(d)).source.len())
                    .sum::<usize>(),
            );
        },
    );
    common::report_share("read corpus", corpus_bytes, corpus.len(), "decl", timed);
    let timed = common::paired(
        budget,
        || {
            black_box(common::floor(black_box(&big)));
        },
        || {
            black_box(preclear::decl::read(black_box(&big)).source.len());
        },
    );
    common::report_share("read 999-item declaration", big.len(), 999, "item", timed);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench_read
}

fn main() {
    benches();
    summary();
    Criterion::default().configure_from_args().final_summary();
}
