//! The declarations tests read from disk: the project's fixtures, and XML files under any
//! folder (the shared corpus).

use std::path::{Path, PathBuf};

/// Every `*.xml` file under `dir`, at any depth, appended to `files` (nothing when `dir`
/// cannot be read).
pub(crate) fn xml_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            xml_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "xml") {
            files.push(path);
        }
    }
}

/// Every fixture, sorted by path.
///
/// # Panics
///
/// When the fixtures are missing: the tests that read them would otherwise pass on nothing.
pub(crate) fn fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    xml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures"), &mut files);
    files.sort();
    assert!(files.len() > 50, "the fixtures are missing");
    files
}
