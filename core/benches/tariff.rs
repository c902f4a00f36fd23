//! Loading the bundled tariff packs, and lookups per second.
//!
//! The floor is a plain split of the same text into lines, measured in the same run, so
//! loading can be read as a ratio to the cost of touching the data at all.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use preclear::Date;
use preclear::tariff::{CodeLists, Jurisdiction, Tariff, bundled};

fn pack_bytes(jurisdiction: Jurisdiction) -> usize {
    bundled::files(jurisdiction).unwrap_or_default().iter().map(|file| file.text.len()).sum()
}

fn loading(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    for jurisdiction in [Jurisdiction::Uk, Jurisdiction::Us, Jurisdiction::Eu] {
        group.throughput(Throughput::Bytes(pack_bytes(jurisdiction) as u64));
        group.bench_function(format!("floor-scan-{jurisdiction}"), |b| {
            let files = bundled::files(jurisdiction).unwrap_or_default();
            b.iter(|| {
                files
                    .iter()
                    .map(|file| black_box(file.text.as_ref()).lines().count())
                    .sum::<usize>()
            });
        });
        group.bench_function(format!("tariff-{jurisdiction}"), |b| {
            b.iter(|| Tariff::bundled(black_box(jurisdiction)).map(|tariff| tariff.line_count()));
        });
    }
    group.bench_function("codelists", |b| {
        b.iter(|| CodeLists::bundled().map(|lists| lists.findings().len()));
    });
    group.finish();
}

fn lookups(c: &mut Criterion) {
    let date: Date = "2024-06-01"
        .parse()
        .unwrap_or_else(|_| Date::new(2024, 6, 1).unwrap_or_else(|| unreachable!()));
    let mut group = c.benchmark_group("lookup");
    group.throughput(Throughput::Elements(4));
    if let Ok(uk) = Tariff::bundled(Jurisdiction::Uk) {
        let codes = ["8510900000", "0102291020", "1516209821", "0702000007"];
        group.bench_function("uk-commodity", |b| {
            b.iter(|| {
                codes.iter().filter(|code| uk.commodity(black_box(code), date).is_ok()).count()
            });
        });
    }
    if let Ok(us) = Tariff::bundled(Jurisdiction::Us) {
        let codes = ["0402.29.50.00", "0101.21.00.10", "8471.30.01.00", "9403.60.80.81"];
        group.bench_function("us-commodity", |b| {
            b.iter(|| {
                codes.iter().filter(|code| us.commodity(black_box(code), date).is_ok()).count()
            });
        });
    }
    if let Ok(lists) = CodeLists::bundled() {
        let codes = ["GBFXT", "USNYC", "DEHAM", "CNSHA"];
        group.bench_function("locode", |b| {
            b.iter(|| codes.iter().filter(|code| lists.locode_exists(black_box(code))).count());
        });
    }
    group.finish();
}

criterion_group!(benches, loading, lookups);
criterion_main!(benches);
