//! Shared helpers for Preclear's data-driven tests.
//!
//! Tests that read the public corpus and tariff sources find them through one environment
//! variable, `PRECLEAR_SHARED` (CI sets it to `../shared`). When it is unset they look for
//! `../shared` beside the workspace; when neither exists they fail with a message that says
//! so, rather than skipping silently.

use std::path::{Path, PathBuf};

pub mod csv;

/// The workspace root (the parent of this crate's directory).
#[must_use]
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or_else(|| manifest.to_path_buf(), Path::to_path_buf)
}

/// The shared data directory (`$PRECLEAR_SHARED`, else `<workspace>/../shared`).
///
/// # Panics
///
/// When the directory does not exist: the conformance tests need it.
#[must_use]
pub fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os("PRECLEAR_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared"),
    };
    let dir = if dir.is_relative() { workspace_root().join(dir) } else { dir };
    assert!(
        dir.join("corpus").is_dir() && dir.join("data").is_dir(),
        "the shared corpus and data are missing at {} (set PRECLEAR_SHARED to the folder that \
         holds corpus/ and data/)",
        dir.display()
    );
    dir
}

/// A path inside the shared directory.
#[must_use]
pub fn shared(relative: &str) -> PathBuf {
    shared_dir().join(relative)
}

/// Every `*.xml` file below `dir`, sorted by path.
///
/// # Panics
///
/// When the folder cannot be read: the tests need it.
#[must_use]
#[allow(clippy::panic)] // A test helper: an unreadable corpus fails the test that needs it.
pub fn xml_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
                .path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|extension| extension == "xml") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
}
