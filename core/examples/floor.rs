//! The floor as a whole process, for comparing with `preclear check --jobs 1` over the same
//! files: reads each file named (directories: their `*.xml` files, sorted) and runs the
//! quick-xml namespace-aware event loop over it, on one thread.
//!
//! ```sh
//! cargo build --release --example floor
//! time target/release/examples/floor /tmp/corpus-5000
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_precision_loss, missing_docs)]

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(path).unwrap().map(|entry| entry.unwrap().path()).collect();
        entries.sort();
        for entry in entries {
            if entry.is_dir() || entry.extension().is_some_and(|extension| extension == "xml") {
                collect(&entry, files);
            }
        }
    } else {
        files.push(path.to_path_buf());
    }
}

fn main() {
    let mut files = Vec::new();
    for argument in std::env::args().skip(1) {
        collect(Path::new(&argument), &mut files);
    }
    let mut events = 0;
    for file in &files {
        events += common::floor(&std::fs::read(file).unwrap());
    }
    println!("{} files, {events} events", files.len());
}
