//! `preclear check` over many inputs: `--jobs N` writes the same reports, in input order, as
//! the single-threaded run.

// Test helpers may unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_preclear"))
        .arg("check")
        .args(["--date", "2024-03-01"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn jobs_give_the_sequential_reports_in_input_order() {
    let dir = fixtures();
    let dir = dir.to_str().unwrap();
    let sequential = check(&["--format", "json", "--jobs", "1", dir]);
    let lines: Vec<String> = stdout(&sequential).lines().map(str::to_owned).collect();
    assert!(lines.len() > 20, "{} reports", lines.len());
    // Directories expand to their files sorted by path.
    let files: Vec<String> = lines
        .iter()
        .map(|line| {
            let report: serde_json::Value = serde_json::from_str(line).unwrap();
            report["file"].as_str().unwrap().to_owned()
        })
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    for jobs in ["2", "3", "7"] {
        let parallel = check(&["--format", "json", "--jobs", jobs, dir]);
        assert_eq!(parallel.status.code(), sequential.status.code(), "--jobs {jobs}");
        assert_eq!(stdout(&parallel), stdout(&sequential), "--jobs {jobs}");
        // Not a terminal: no progress bar.
        assert_eq!(parallel.stderr, sequential.stderr, "--jobs {jobs}");
    }
}

#[test]
fn jobs_keep_the_order_of_the_arguments_and_the_text_format() {
    let dir = fixtures();
    let mut inputs: Vec<String> = std::fs::read_dir(dir.join("valid"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "xml"))
        .map(|path| path.to_str().unwrap().to_owned())
        .collect();
    // Reverse order, and a missing file in the middle.
    inputs.sort();
    inputs.reverse();
    inputs.insert(inputs.len() / 2, dir.join("no-such-file.xml").to_str().unwrap().to_owned());
    let args = |jobs: &'static str| {
        let mut args = vec!["--jobs", jobs];
        args.extend(inputs.iter().map(String::as_str));
        args
    };
    let sequential = check(&args("1"));
    let parallel = check(&args("4"));
    assert_eq!(sequential.status.code(), Some(2));
    assert_eq!(parallel.status.code(), Some(2));
    assert_eq!(stdout(&parallel), stdout(&sequential));
    assert_eq!(parallel.stderr, sequential.stderr);
    let text = stdout(&sequential);
    let first = text.find(&inputs[0]).unwrap();
    let last = text.rfind(inputs.last().unwrap().as_str()).unwrap();
    assert!(first < last);
}
