//! Prebuilds where the records of each compiled-in pack table lie, so that loading a bundled
//! pack does not scan its text line by line at every start.
//!
//! For every table of a pack whose `bundled-*` feature is on, writes `OUT_DIR/<pack>-<file>.idx`:
//! little-endian u32s `records, jumps`, then per record `start, end` (byte offsets of its line
//! without the line end; the top bit of `end` set when the line has escapes), then per jump
//! `record, line` (records whose line does not follow the previous record's). `prebuilt.rs`
//! maps (pack folder, file name) to those bytes. `Table::parse_file` reads them; the test
//! `compiled_in_tables_read_alike_unchecked` checks that they give what reading the text gives.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// (feature, pack folder under `tariffs/`).
const PACKS: &[(&str, &str)] = &[
    ("bundled-uk", "uk"),
    ("bundled-uk", "uk/restrictions"),
    ("bundled-us", "us"),
    ("bundled-eu", "eu"),
    ("bundled-codelists", "codelists"),
    ("bundled-sanctions", "sanctions"),
];

/// Pack files that are not tables (the sanctions name index has a reader of its own).
const NOT_TABLES: &[&str] = &["name_index.tsv"];

fn main() -> Result<(), Box<dyn Error>> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no CARGO_MANIFEST_DIR")?);
    let tariffs = manifest.join("../tariffs");
    println!("cargo::rerun-if-changed=build.rs");
    let mut arms = String::new();
    for (feature, pack) in PACKS {
        let variable = format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"));
        if std::env::var_os(variable).is_none() {
            continue;
        }
        let folder = tariffs.join(pack);
        println!("cargo::rerun-if-changed={}", folder.display());
        for name in table_files(&folder)? {
            let text = std::fs::read(folder.join(&name))?;
            let index = record_index(&text).ok_or_else(|| format!("{pack}/{name}: too large"))?;
            let out_name = format!("{}-{name}.idx", pack.replace('/', "-"));
            std::fs::write(out.join(&out_name), index)?;
            writeln!(
                arms,
                "        ({pack:?}, {name:?}) => Some(include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{out_name}\"))),"
            )?;
        }
    }
    let body = if arms.is_empty() {
        "    let _ = (pack, file);\n    None\n".to_owned()
    } else {
        format!("    match (pack, file) {{\n{arms}        _ => None,\n    }}\n")
    };
    let source = format!(
        "/// The prebuilt record index of a compiled-in table (see `core/build.rs`).\n\
         pub(crate) fn record_index(pack: &str, file: &str) -> Option<&'static [u8]> {{\n{body}}}\n"
    );
    std::fs::write(out.join("prebuilt.rs"), source)?;
    Ok(())
}

/// The `*.tsv` tables of a pack folder, by name.
fn table_files(folder: &Path) -> Result<Vec<String>, Box<dyn Error>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let name = entry?.file_name().into_string().map_err(|_| "a file name is not UTF-8")?;
        if Path::new(&name).extension().is_some_and(|extension| extension == "tsv")
            && !NOT_TABLES.contains(&name.as_str())
        {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The index of a table's text, as `Table` reads it: the header is the first line; every
/// other line that is not empty (once a `\r` before its `\n` is dropped) is a record.
fn record_index(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() >= 1 << 31 {
        return None;
    }
    let mut records: Vec<(u32, u32)> = Vec::new();
    let mut jumps: Vec<(u32, u32)> = Vec::new();
    let mut last_line = 1;
    let mut start = text.iter().position(|&byte| byte == b'\n')? + 1;
    let mut line = 2;
    while start <= text.len() {
        let rest = text.get(start..)?;
        let line_end =
            rest.iter().position(|&byte| byte == b'\n').map_or(text.len(), |at| start + at);
        let mut end = line_end;
        if end > start && text.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        if end > start {
            let escaped = text.get(start..end)?.contains(&b'\\');
            if line != last_line + 1 {
                jumps.push((u32::try_from(records.len()).ok()?, line));
            }
            last_line = line;
            let flagged = u32::try_from(end).ok()? | if escaped { 1 << 31 } else { 0 };
            records.push((u32::try_from(start).ok()?, flagged));
        }
        line += 1;
        start = line_end + 1;
    }
    let mut out = Vec::with_capacity(8 + 8 * (records.len() + jumps.len()));
    for value in [u32::try_from(records.len()).ok()?, u32::try_from(jumps.len()).ok()?] {
        out.extend_from_slice(&value.to_le_bytes());
    }
    for (a, b) in records.iter().chain(&jumps) {
        out.extend_from_slice(&a.to_le_bytes());
        out.extend_from_slice(&b.to_le_bytes());
    }
    Some(out)
}
