//! Workloads shared by the benchmarks: the HMRC sample declarations and a 999-item
//! declaration built from one of them, and the quick-xml floor they are compared to.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use quick_xml::reader::NsReader;

/// The shared data folder: `$PRECLEAR_SHARED`, else `../shared` beside the workspace.
pub fn shared_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match std::env::var_os("PRECLEAR_SHARED") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_relative() { workspace.join(dir) } else { dir }
        }
        None => workspace.join("../shared"),
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "xml") {
            files.push(path);
        }
    }
}

/// Every HMRC sample that reads as a declaration, as bytes.
pub fn corpus_declarations() -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    walk(&shared_dir().join("corpus/hmrc-cds"), &mut files);
    files.sort();
    let declarations: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .filter(|bytes| preclear::decl::read(bytes).declaration().is_some())
        .collect();
    assert!(
        !declarations.is_empty(),
        "no declarations under {}: set PRECLEAR_SHARED",
        shared_dir().display()
    );
    declarations
}

/// A typical import: one item, a third-country duty and VAT (`TT_IM001a`, HMRC's first sample).
pub fn typical() -> Vec<u8> {
    let path = shared_dir().join("corpus/hmrc-cds/TT_IM001a/Step1_TT_IM001a.xml");
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A declaration with `items` goods items: the first item of `TT_IM184a` repeated, renumbered.
pub fn many_items(items: usize) -> Vec<u8> {
    let path = shared_dir().join("corpus/hmrc-cds/TT_IM184a/Step1_TT_IM184a.xml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let start = text.find("<GovernmentAgencyGoodsItem>").expect("an item");
    let first_end = text[start..].find("</GovernmentAgencyGoodsItem>").expect("its end")
        + start
        + "</GovernmentAgencyGoodsItem>".len();
    let last_end = text.rfind("</GovernmentAgencyGoodsItem>").expect("the last item")
        + "</GovernmentAgencyGoodsItem>".len();
    let item = &text[start..first_end];
    let mut out = String::with_capacity(text.len() + item.len() * items);
    out.push_str(&text[..start]);
    for sequence in 1..=items {
        out.push_str(&item.replacen(
            "<SequenceNumeric>1</SequenceNumeric>",
            &format!("<SequenceNumeric>{sequence}</SequenceNumeric>"),
            1,
        ));
        out.push('\n');
    }
    out.push_str(&text[last_end..]);
    out.replacen(
        "<GoodsItemQuantity>4</GoodsItemQuantity>",
        &format!("<GoodsItemQuantity>{items}</GoodsItemQuantity>"),
        1,
    )
    .into_bytes()
}

/// The floor: quick-xml's namespace-aware event loop over the same bytes, counting events.
pub fn floor(bytes: &[u8]) -> usize {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let mut reader = NsReader::from_str(text);
    let mut events = 0;
    loop {
        match reader.read_resolved_event() {
            Ok((_, Event::Eof)) | Err(_) => return events,
            Ok(_) => events += 1,
        }
    }
}

/// Median time of `f` over batches filling about `budget`.
pub fn median_time(budget: Duration, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    let once = start.elapsed().max(Duration::from_nanos(1));
    let per_batch = (budget.as_nanos() / 15 / once.as_nanos()).clamp(1, 1_000_000) as u32;
    let mut samples: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            start.elapsed() / per_batch
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

/// The floor and one of our stages timed in turn, batch after batch.
#[derive(Debug, Clone, Copy)]
pub struct Paired {
    /// Median time of one floor run.
    pub floor: Duration,
    /// Median time of one run of ours.
    pub ours: Duration,
    /// Median over the rounds of the floor's time over ours, in the same round.
    pub share: f64,
}

/// Times `floor` and `ours` in alternating batches filling about `budget` each: on a machine
/// whose speed drifts (shared virtual machines), both see the same minutes, and the share is
/// the median of each round's own ratio rather than a ratio of medians taken at different
/// times.
pub fn paired(budget: Duration, mut floor: impl FnMut(), mut ours: impl FnMut()) -> Paired {
    const ROUNDS: usize = 15;
    let once = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed().max(Duration::from_nanos(1))
    };
    let batch = |once: Duration| {
        (budget.as_nanos() / ROUNDS as u128 / once.as_nanos()).clamp(1, 1_000_000) as u32
    };
    let (floor_batch, ours_batch) = (batch(once(&mut floor)), batch(once(&mut ours)));
    let time = |f: &mut dyn FnMut(), runs: u32| {
        let start = Instant::now();
        for _ in 0..runs {
            f();
        }
        start.elapsed() / runs
    };
    let mut rounds: Vec<(Duration, Duration)> =
        (0..ROUNDS).map(|_| (time(&mut floor, floor_batch), time(&mut ours, ours_batch))).collect();
    let mut shares: Vec<f64> =
        rounds.iter().map(|(floor, ours)| floor.as_secs_f64() / ours.as_secs_f64()).collect();
    shares.sort_by(f64::total_cmp);
    rounds.sort_by_key(|(floor, _)| *floor);
    let floor = rounds[ROUNDS / 2].0;
    rounds.sort_by_key(|(_, ours)| *ours);
    Paired { floor, ours: rounds[ROUNDS / 2].1, share: shares[ROUNDS / 2] }
}

/// Prints a workload's speed as MB/s and as a share of the floor's (timed in turn, [`paired`]).
pub fn report_share(name: &str, bytes: usize, units: usize, unit: &str, timed: Paired) {
    let mb = bytes as f64 / 1e6;
    let floor_mbs = mb / timed.floor.as_secs_f64();
    let ours_mbs = mb / timed.ours.as_secs_f64();
    println!(
        "{name:<34} floor {floor_mbs:8.1} MB/s {:10.0} {unit}/s | ours {ours_mbs:8.1} MB/s {:10.0} {unit}/s | share {:5.1}%",
        units as f64 / timed.floor.as_secs_f64(),
        units as f64 / timed.ours.as_secs_f64(),
        100.0 * timed.share
    );
}
