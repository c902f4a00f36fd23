//! A workload for profilers: loads the bundled packs, checks a declaration once to warm up,
//! then checks it `N` times inside [`measured`], so that
//!
//! ```sh
//! cargo build --profile profiling --example profile
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='profile::measured' \
//!     target/profiling/examples/profile typical 20
//! ```
//!
//! counts the instructions of the checks alone (`PROFILE_FLOOR=1` runs the quick-xml floor
//! over the same inputs instead, in `profile::floor`). Workloads: `typical` (HMRC's `TT_IM001a`),
//! `big` (the 999-item declaration of the benches), `corpus` (every HMRC sample declaration),
//! or a file path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_precision_loss, missing_docs)]

#[path = "../benches/common/mod.rs"]
mod common;

use std::hint::black_box;

use preclear::{CheckOptions, Checker, Date, Tariffs};

#[inline(never)]
fn warm_up(checker: &Checker<'_>, inputs: &[Vec<u8>]) -> usize {
    inputs.iter().map(|input| checker.check("input.xml", input).findings.len()).sum()
}

#[inline(never)]
fn floor(inputs: &[Vec<u8>], times: usize) -> usize {
    (0..times)
        .map(|_| inputs.iter().map(|input| common::floor(black_box(input))).sum::<usize>())
        .sum()
}

#[inline(never)]
fn measured(checker: &Checker<'_>, inputs: &[Vec<u8>], times: usize) -> usize {
    let mut total = 0;
    for _ in 0..times {
        for input in inputs {
            let report = checker.check("input.xml", black_box(input));
            total += report.to_json_line().map_or(0, |line| line.len());
        }
    }
    total
}

fn main() {
    let mut args = std::env::args().skip(1);
    let workload = args.next().unwrap_or_else(|| "typical".to_owned());
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let inputs = match workload.as_str() {
        "typical" => vec![common::typical()],
        "big" => vec![common::many_items(999)],
        "corpus" => common::corpus_declarations(),
        path => vec![std::fs::read(path).unwrap()],
    };
    let tariffs = Tariffs::bundled();
    let checker = Checker::new(
        &tariffs,
        CheckOptions { date: Date::new(2024, 3, 1), ..CheckOptions::default() },
    );
    if std::env::var_os("PROFILE_FLOOR").is_some() {
        println!("{}", floor(&inputs, times));
        return;
    }
    black_box(warm_up(&checker, &inputs));
    println!("{}", measured(&checker, &inputs, times));
}
