//! Loading the screening packs from a folder (native builds only).

use std::path::Path;

use crate::screen::rules::RulePack;
use crate::screen::sanctions::SanctionsLists;
use crate::tariff::read_pack_files;
use crate::tariff::table::bad_pack;
use crate::tariff::{PackFile, TariffError};

impl RulePack {
    /// Loads the restriction pack in `dir`: `pack.toml`, the tables it lists and every
    /// `*.rules` file of the folder (sorted by name).
    ///
    /// # Errors
    ///
    /// When a file cannot be read, or the pack cannot be loaded.
    pub fn load(dir: impl AsRef<Path>) -> Result<RulePack, TariffError> {
        let dir = dir.as_ref();
        let mut files = read_pack_files(dir)?;
        let unreadable = |error: std::io::Error| {
            TariffError::from(bad_pack(
                &dir.display().to_string(),
                1,
                format!("cannot read: {error}"),
            ))
        };
        let mut rule_files: Vec<_> = std::fs::read_dir(dir)
            .map_err(unreadable)?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "rules"))
            .collect();
        rule_files.sort();
        for path in rule_files {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path).map_err(unreadable)?;
            files.push(PackFile::owned(&name, text));
        }
        RulePack::from_files(files)
    }
}

impl SanctionsLists {
    /// Loads the sanctions pack in `dir`.
    ///
    /// # Errors
    ///
    /// When a file cannot be read, or the pack cannot be loaded.
    pub fn load(dir: impl AsRef<Path>) -> Result<SanctionsLists, TariffError> {
        SanctionsLists::from_files(read_pack_files(dir.as_ref())?)
    }
}
