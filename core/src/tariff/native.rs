//! Loading packs from a folder (native builds only; the WebAssembly build gets its files from
//! the page and calls [`Tariff::from_files`]).

use std::path::Path;

use crate::tariff::codelists::CodeLists;
use crate::tariff::meta::PackMeta;
use crate::tariff::pack::{PackFile, Tariff, TariffError};
use crate::tariff::table::bad_pack;

/// Reads `pack.toml` and every file its sources list.
///
/// # Errors
///
/// When the folder, `pack.toml` or a listed file cannot be read.
pub fn read_pack_files(dir: &Path) -> Result<Vec<PackFile>, TariffError> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|error| {
            TariffError::from(bad_pack(
                &path.display().to_string(),
                1,
                format!("cannot read: {error}"),
            ))
        })
    };
    let meta_text = read("pack.toml")?;
    let mut findings = Vec::new();
    let meta = PackMeta::parse("pack.toml", &meta_text, &mut findings);
    let mut files = vec![PackFile::owned("pack.toml", meta_text)];
    for source in &meta.sources {
        for name in source.files() {
            if name.contains(['/', '\\']) || name.starts_with('.') {
                return Err(bad_pack(
                    "pack.toml",
                    1,
                    format!("`{name}` is not a file name in the pack"),
                )
                .into());
            }
            files.push(PackFile::owned(name, read(name)?));
        }
    }
    // A prebuilt index derived from the tables (the sanctions pack's name index). When it is
    // missing, the pack's loader builds it and says so.
    if let Some(name) = meta.text("index")
        && !name.contains(['/', '\\'])
        && !name.starts_with('.')
        && let Ok(text) = std::fs::read_to_string(dir.join(name))
    {
        files.push(PackFile::owned(name, text));
    }
    Ok(files)
}

impl Tariff {
    /// Loads the pack in `dir` (the folder holding `pack.toml`).
    ///
    /// # Errors
    ///
    /// When a file cannot be read, or the pack cannot be loaded (see [`Tariff::from_files`]).
    pub fn load(dir: impl AsRef<Path>) -> Result<Tariff, TariffError> {
        Tariff::from_files(read_pack_files(dir.as_ref())?)
    }
}

impl CodeLists {
    /// Loads the code-list pack in `dir`.
    ///
    /// # Errors
    ///
    /// When a file cannot be read, or the pack cannot be loaded.
    pub fn load(dir: impl AsRef<Path>) -> Result<CodeLists, TariffError> {
        CodeLists::from_files(read_pack_files(dir.as_ref())?)
    }
}
