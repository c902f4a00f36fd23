//! `CHANGELOG.md` of a tariff pack: one entry per import that changed the pack's rated lines,
//! newest first, with the counts of [`crate::tariff::diff::diff_packs`] against the pack it
//! replaced. The importer writes the entry; a person reviews it with the pack's diff.

use std::fmt::Write as _;
use std::path::Path;

use super::{ImportError, ImportKind, ImportSummary};
use crate::tariff::PackFile;
use crate::tariff::diff::{PackDiff, diff_packs};
use crate::tariff::meta::PackMeta;

/// The file name, in the pack folder.
pub(crate) const FILE: &str = "CHANGELOG.md";

/// How many codes an entry lists per kind of change; the rest are counted.
const LISTED: usize = 12;

fn heading(pack: &str) -> String {
    format!(
        "# Changelog of the `{pack}` tariff pack\n\n\
         Written by `preclear tariff import`, newest first: each import that changed the pack's rated\n\
         lines, counted against the pack it replaced (`preclear tariff diff OLD NEW` lists every change).\n\
         Review an entry with the snapshot changes it causes before committing them together.\n"
    )
}

fn list(out: &mut String, label: &str, codes: &[String]) {
    if codes.is_empty() {
        return;
    }
    let shown: Vec<&str> = codes.iter().take(LISTED).map(String::as_str).collect();
    let more = codes.len().saturating_sub(LISTED);
    let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
    let _ = writeln!(out, "- {label}: {}{tail}", shown.join(", "));
}

fn entry(kind: ImportKind, meta: &PackMeta, diff: Option<&PackDiff>, lines: usize) -> String {
    let source = meta.source(kind.name());
    let text = |key: &str| source.and_then(|source| source.text(key)).unwrap_or("?").to_owned();
    let mut out = String::new();
    let effective = source
        .and_then(|source| source.text("effective"))
        .map(|date| format!(" (effective {date})"))
        .unwrap_or_default();
    let _ = writeln!(out, "## {}: {}{effective}\n", kind.name(), text("version"));
    let commit = source
        .and_then(|source| source.text("commit"))
        .map(|commit| format!(" @ {commit}"))
        .unwrap_or_default();
    let _ = writeln!(out, "- source: {} `{}`{commit}", text("upstream"), text("path"));
    match diff {
        None => {
            let _ = writeln!(out, "- first import: {lines} rated lines");
        }
        Some(diff) => {
            let c = &diff.counts;
            let _ = writeln!(out, "- replaces: {}", diff.old_version);
            let _ = writeln!(
                out,
                "- rated lines: {} → {}; added {}, removed {}, re-rated {}; measures changed {}",
                c.old_lines, c.new_lines, c.added, c.removed, c.rerated, c.measures_changed
            );
            list(&mut out, "added", &diff.added);
            list(&mut out, "removed", &diff.removed);
            let rerated: Vec<String> = diff.rerated.iter().map(|line| line.code.clone()).collect();
            list(&mut out, "re-rated", &rerated);
        }
    }
    out
}

/// Adds the entry of the import just written to `out`'s changelog; `previous` is the pack
/// it replaced. Re-importing the same source changes nothing and adds no entry.
pub(crate) fn update(
    kind: ImportKind,
    out: &Path,
    previous: Option<&[PackFile]>,
    summary: &mut ImportSummary,
) -> Result<(), ImportError> {
    let current = crate::tariff::read_pack_files(out).map_err(|error| {
        ImportError::new(out, None, format!("cannot read the pack just written: {error}"))
    })?;
    let mut findings = Vec::new();
    let meta = crate::tariff::pack::read_meta(&current, &mut findings)
        .map_err(|error| ImportError::new(&out.join("pack.toml"), None, error.to_string()))?;
    let diff = match previous {
        Some(previous) => match diff_packs(previous, &current) {
            Ok(diff) => Some(diff),
            Err(error) => {
                summary.warnings.push(format!(
                    "the previous pack could not be compared ({error}); the changelog counts this import as a first one"
                ));
                None
            }
        },
        None => None,
    };
    if let Some(diff) = &diff {
        let c = &diff.counts;
        if diff.old_version == diff.new_version
            && c.added + c.removed + c.rerated + c.measures_changed == 0
        {
            return Ok(());
        }
    }
    let lines = match diff_packs(&current, &current) {
        Ok(same) => same.counts.new_lines,
        Err(error) => return Err(ImportError::new(out, None, error.to_string())),
    };
    let path = out.join(FILE);
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(ImportError::new(&path, None, error.to_string())),
    };
    let entries =
        existing.find("\n## ").map_or("", |start| existing.get(start + 1..).unwrap_or_default());
    let text = format!(
        "{}\n{}{}{}",
        heading(kind.pack()),
        entry(kind, &meta, diff.as_ref(), lines),
        if entries.is_empty() { "" } else { "\n" },
        entries
    );
    std::fs::write(&path, text)
        .map_err(|error| ImportError::new(&path, None, format!("cannot write: {error}")))?;
    Ok(())
}
