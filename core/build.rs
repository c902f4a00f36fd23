//! Prebuilds where the records of each compiled-in pack table lie, so that loading a bundled
//! pack does not scan its text line by line at every start.
//!
//! For every table of a pack whose `bundled-*` feature is on, writes `OUT_DIR/<pack>-<file>.idx`:
//! little-endian u32s `records, jumps, escaped`, then per record `start, end` (byte offsets of
//! its line without the line end; the top bit of `end` set when the line has escapes), then
//! per jump `record, line` (records whose line does not follow the previous record's), then
//! the records with escapes. `prebuilt.rs`
//! maps (pack folder, file name) to those bytes. `Table::parse_file` reads them; the test
//! `compiled_in_tables_read_alike_unchecked` checks that they give what reading the text gives.
//!
//! It also prebuilds what loading would compute from some of those tables (each form is
//! described at the function that writes it, and each has a test comparing it with what
//! loading builds from the text): the CITES name keys, the UK nomenclature's lines, the
//! sanctions lists' entries and names, the P&R rows' groups and the risk model's root lanes.
//! A form is not written when a record would give a finding at load, which then does the work
//! and reports it.

#[path = "src/fxhash.rs"]
#[allow(dead_code)] // Only the CITES name hash is needed here.
mod fxhash;
#[path = "src/tariff/numbers.rs"]
mod numbers;

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

/// The CITES species table, whose name keys are prebuilt too.
const CITES_SPECIES: (&str, &str) = ("uk/restrictions", "cites_species.tsv");

/// The UK nomenclature, whose lines are prebuilt too.
const UK_NOMENCLATURE: (&str, &str) = ("uk", "nomenclature.tsv");

/// The UK restriction pack's P&R rows, whose groups are prebuilt too.
const PR_MEASURES: (&str, &str) = ("uk/restrictions", "pr_measures.tsv");

/// The sanctions lists in the order their entries and names are numbered (`LISTS` in
/// `screen/sanctions.rs`).
const SANCTIONS_LISTS: [&str; 2] = ["un.tsv", "ofac_sdn.tsv"];

/// Pack files that are not tables (the sanctions name index has a reader of its own).
const NOT_TABLES: &[&str] = &["name_index.tsv"];

fn main() -> Result<(), Box<dyn Error>> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no CARGO_MANIFEST_DIR")?);
    let tariffs = manifest.join("../tariffs");
    println!("cargo::rerun-if-changed=build.rs");
    let mut arms = String::new();
    let mut species = "    None\n";
    let mut uk_lines = "    None\n";
    let mut pr_groups = "    None\n";
    for (feature, pack) in PACKS {
        let variable = format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"));
        if std::env::var_os(variable).is_none() {
            continue;
        }
        let folder = tariffs.join(pack);
        println!("cargo::rerun-if-changed={}", folder.display());
        for name in table_files(&folder)? {
            let text = std::fs::read(folder.join(&name))?;
            let (records, jumps) =
                records(&text).ok_or_else(|| format!("{pack}/{name}: too large"))?;
            let out_name = format!("{}-{name}.idx", pack.replace('/', "-"));
            std::fs::write(out.join(&out_name), encode(&records, &jumps))?;
            if (*pack, name.as_str()) == CITES_SPECIES
                && let Some(keys) = species_keys(&text, &records)
            {
                std::fs::write(out.join("cites-species-keys.idx"), keys)?;
                species = "    Some(include_bytes!(concat!(env!(\"OUT_DIR\"), \"/cites-species-keys.idx\")))\n";
            }
            if (*pack, name.as_str()) == PR_MEASURES
                && let Some(groups) = pr_measure_groups(&text, &records)
            {
                std::fs::write(out.join("pr-measure-groups.bin"), groups)?;
                pr_groups = "    Some(include_bytes!(concat!(env!(\"OUT_DIR\"), \"/pr-measure-groups.bin\")))\n";
            }
            if (*pack, name.as_str()) == UK_NOMENCLATURE
                && let Some(lines) = nomenclature_lines(&text, &records)
            {
                std::fs::write(out.join("uk-nomenclature-lines.bin"), lines)?;
                uk_lines = "    Some(include_bytes!(concat!(env!(\"OUT_DIR\"), \"/uk-nomenclature-lines.bin\")))\n";
            }
            writeln!(
                arms,
                "        ({pack:?}, {name:?}) => Some(include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{out_name}\"))),"
            )?;
        }
    }
    let mut risk_roots = "    None\n";
    if std::env::var_os("CARGO_FEATURE_BUNDLED_UK").is_some() {
        let model = tariffs.join("uk/risk/model.tsv");
        println!("cargo::rerun-if-changed={}", model.display());
        if let Some(roots) = model_roots(&std::fs::read_to_string(model)?) {
            std::fs::write(out.join("risk-model-roots.bin"), roots)?;
            risk_roots =
                "    Some(include_bytes!(concat!(env!(\"OUT_DIR\"), \"/risk-model-roots.bin\")))\n";
        }
    }
    let mut sanctions = "    None\n";
    if std::env::var_os("CARGO_FEATURE_BUNDLED_SANCTIONS").is_some() {
        let folder = tariffs.join("sanctions");
        let texts = SANCTIONS_LISTS
            .iter()
            .map(|name| std::fs::read(folder.join(name)))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(lists) = sanctions_lists(&texts) {
            std::fs::write(out.join("sanctions-lists.bin"), lists)?;
            sanctions =
                "    Some(include_bytes!(concat!(env!(\"OUT_DIR\"), \"/sanctions-lists.bin\")))\n";
        }
    }
    // Without a compiled-in pack nothing reads an index.
    let (unused, body) = if arms.is_empty() {
        ("#[allow(dead_code)]\n", "    let _ = (pack, file);\n    None\n".to_owned())
    } else {
        ("", format!("    match (pack, file) {{\n{arms}        _ => None,\n    }}\n"))
    };
    let source = format!(
        "/// The prebuilt record index of a compiled-in table (see `core/build.rs`).\n\
         {unused}pub(crate) fn record_index(pack: &str, file: &str) -> Option<&'static [u8]> {{\n{body}}}\n\n\
         /// The prebuilt CITES name keys of the compiled-in `cites_species.tsv`.\n\
         #[allow(clippy::unnecessary_wraps)] // `None` without the UK pack.\n\
         pub(crate) fn cites_species_keys() -> Option<&'static [u8]> {{\n{species}}}\n\n\
         /// The prebuilt lines of the compiled-in UK `nomenclature.tsv`.\n\
         #[allow(clippy::unnecessary_wraps)] // `None` without the UK pack.\n\
         pub(crate) fn uk_nomenclature_lines() -> Option<&'static [u8]> {{\n{uk_lines}}}\n\n\
         /// The prebuilt entries and names of the compiled-in sanctions lists.\n\
         #[allow(clippy::unnecessary_wraps)] // `None` without the sanctions pack.\n\
         pub(crate) fn sanctions_lists() -> Option<&'static [u8]> {{\n{sanctions}}}\n\n\
         /// The prebuilt P&R groups of the compiled-in `pr_measures.tsv`.\n\
         #[allow(clippy::unnecessary_wraps)] // `None` without the UK pack.\n\
         pub(crate) fn pr_measure_groups() -> Option<&'static [u8]> {{\n{pr_groups}}}\n\n\
         /// The prebuilt root lanes of the compiled-in risk model.\n\
         #[allow(clippy::unnecessary_wraps)] // `None` without the UK pack.\n\
         pub(crate) fn risk_model_roots() -> Option<&'static [u8]> {{\n{risk_roots}}}\n"
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

type Pairs = Vec<(u32, u32)>;

/// The records and line jumps of a table's text, as `Table` reads it: the header is the first
/// line; every other line that is not empty (once a `\r` before its `\n` is dropped) is a
/// record.
fn records(text: &[u8]) -> Option<(Pairs, Pairs)> {
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
    Some((records, jumps))
}

/// The index file of a table: counts, records, jumps, records with escapes.
fn encode(records: &[(u32, u32)], jumps: &[(u32, u32)]) -> Vec<u8> {
    let escaped: Vec<u32> =
        (0..).zip(records).filter(|(_, (_, end))| end >> 31 == 1).map(|(row, _)| row).collect();
    let mut out = Vec::with_capacity(12 + 8 * (records.len() + jumps.len()) + 4 * escaped.len());
    for count in [records.len(), jumps.len(), escaped.len()] {
        out.extend_from_slice(&u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes());
    }
    for (a, b) in records.iter().chain(jumps) {
        out.extend_from_slice(&a.to_le_bytes());
        out.extend_from_slice(&b.to_le_bytes());
    }
    for row in escaped {
        out.extend_from_slice(&row.to_le_bytes());
    }
    out
}

/// The CITES name keys of `cites_species.tsv` as `RulePack` builds them: for each record
/// (`name`, `appendix`, `synonyms` separated by `|`), the name's key and each synonym's, sorted
/// by hash (stably); 16 bytes a key: hash, row, synonym (0 for the name). `None` when a record
/// has escapes (the keys are then built at load).
fn species_keys(text: &[u8], records: &[(u32, u32)]) -> Option<Vec<u8>> {
    let mut keys: Vec<(u64, u32, u32)> = Vec::new();
    for (row, &(start, end)) in records.iter().enumerate() {
        if end >> 31 == 1 {
            return None;
        }
        let line = std::str::from_utf8(text.get(start as usize..end as usize)?).ok()?;
        let mut fields = line.split('\t');
        let (Some(name), Some(_), Some(synonyms)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let row = u32::try_from(row).ok()?;
        keys.push((fxhash::lowercase_fnv1a(name), row, 0));
        for (n, synonym) in synonyms.split('|').filter(|synonym| !synonym.is_empty()).enumerate() {
            keys.push((fxhash::lowercase_fnv1a(synonym), row, u32::try_from(n + 1).ok()?));
        }
    }
    keys.sort_by_key(|key| key.0);
    let mut out = Vec::with_capacity(16 * keys.len());
    for (hash, row, synonym) in keys {
        out.extend_from_slice(&hash.to_le_bytes());
        out.extend_from_slice(&row.to_le_bytes());
        out.extend_from_slice(&synonym.to_le_bytes());
    }
    Some(out)
}

/// A date as year, month and day; `None` when open.
type Ymd = Option<(u16, u8, u8)>;

/// A date field of a table: empty is open; `None` when it is not `YYYY-MM-DD`.
fn ymd(field: &str) -> Option<Ymd> {
    if field.is_empty() { Some(None) } else { numbers::year_month_day(field).map(Some) }
}

/// Writes a date as a prebuilt form holds it: year (u16), month, day; all zeros when open.
fn push_ymd(out: &mut Vec<u8>, date: Ymd) {
    let (year, month, day) = date.unwrap_or((0, 0, 0));
    out.extend_from_slice(&year.to_le_bytes());
    out.extend_from_slice(&[month, day]);
}

/// A nomenclature record as read for prebuilding.
struct Line {
    code: [u8; 10],
    suffix: [u8; 2],
    start: Ymd,
    end: Ymd,
    sid: u64,
    parent: Option<u64>,
}

/// The bytes of a prebuilt nomenclature line: row, code (ten digits), suffix, start and end
/// (year, month, day; zeros when open), parent line.
const LINE_BYTES: usize = 28;

/// The lines of the UK nomenclature as `Tariff` builds them, when every record is good (else
/// `None`, and the lines are built at load, with findings for the bad records). Little-endian:
/// `lines, text length`, then per line its [`LINE_BYTES`], then the lines in (code, suffix,
/// start) order as u32s.
fn nomenclature_lines(text: &[u8], records: &[(u32, u32)]) -> Option<Vec<u8>> {
    let mut lines: Vec<Line> = Vec::new();
    for &(start, end) in records {
        let line =
            std::str::from_utf8(text.get(start as usize..(end & !(1 << 31)) as usize)?).ok()?;
        let mut fields = line.split('\t');
        let mut field = || fields.next();
        let (sid, code, suffix, parent, start, end) =
            (field()?, field()?, field()?, field()?, field()?, field()?);
        // Escapes are read at load; a record whose leading fields have any is left to it.
        if [sid, code, suffix, parent, start, end].iter().any(|field| field.contains('\\')) {
            return None;
        }
        let code: [u8; 10] = code.as_bytes().try_into().ok()?;
        let suffix: [u8; 2] = suffix.as_bytes().try_into().ok()?;
        if !code.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let parent = if parent.is_empty() { None } else { Some(numbers::sid_key(parent)?) };
        let (start, end, sid) = (ymd(start)?, ymd(end)?, numbers::sid_key(sid)?);
        lines.push(Line { code, suffix, start, end, sid, parent });
    }
    let by_sid: std::collections::HashMap<u64, u32> =
        (0..).zip(&lines).map(|(index, line)| (line.sid, index)).collect();
    // With a sid twice, which one a child names depends on where it lies: load decides.
    if by_sid.len() != lines.len() {
        return None;
    }
    let mut out = Vec::with_capacity(8 + lines.len() * (LINE_BYTES + 4));
    out.extend_from_slice(&u32::try_from(lines.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
    for (row, line) in (0u32..).zip(&lines) {
        out.extend_from_slice(&row.to_le_bytes());
        out.extend_from_slice(&line.code);
        out.extend_from_slice(&line.suffix);
        push_ymd(&mut out, line.start);
        push_ymd(&mut out, line.end);
        let parent = match line.parent {
            Some(sid) => *by_sid.get(&sid)?,
            None => u32::MAX,
        };
        out.extend_from_slice(&parent.to_le_bytes());
    }
    let mut order: Vec<u32> = (0..u32::try_from(lines.len()).ok()?).collect();
    order.sort_by_key(|&index| {
        lines.get(index as usize).map(|line| (line.code, line.suffix, line.start))
    });
    for index in order {
        out.extend_from_slice(&index.to_le_bytes());
    }
    Some(out)
}

/// The entries and names of the sanctions lists as `SanctionsLists` reads them, when every
/// record is plain (no escapes, a name, fields within 64 KiB of their line's start): else
/// `None`, and they are read at load. Little-endian: `entries, names`, each list's text
/// length; per entry (28 bytes) its list, its line's start and the ends of its nine fields
/// (u16, from the line's start), two zero bytes; per name (12 bytes) its entry, start (from
/// the entry's line start), length (u16), variant (0 primary, 1 alias, 2 weak alias) and
/// whether it is a name without its brackets.
fn sanctions_lists(texts: &[Vec<u8>]) -> Option<Vec<u8>> {
    let (mut entries, mut names) = (Vec::new(), Vec::new());
    let mut count = (0u32, 0u32);
    for (list, text) in (0u32..).zip(texts) {
        let text = std::str::from_utf8(text).ok()?;
        let (records, _) = records(text.as_bytes())?;
        for (start, end) in records {
            if end >> 31 == 1 {
                return None;
            }
            let line = text.get(start as usize..end as usize)?;
            let fields: Vec<&str> = line.split('\t').collect();
            let [_, _, _, _, _, _, name, aliases, weak_aliases] = fields[..] else { return None };
            if name.is_empty() {
                return None;
            }
            entries.extend_from_slice(&list.to_le_bytes());
            entries.extend_from_slice(&start.to_le_bytes());
            let mut field_end = 0usize;
            for field in &fields {
                field_end += field.len();
                entries.extend_from_slice(&u16::try_from(field_end).ok()?.to_le_bytes());
                field_end += 1;
            }
            entries.extend_from_slice(&[0, 0]);
            let mut add_name = |text_of_name: &str, variant: u8| -> Option<()> {
                let at = text_of_name.as_ptr() as usize - line.as_ptr() as usize;
                for bare in
                    [1u8, 0].into_iter().filter(|&bare| bare == 0 || text_of_name.contains('('))
                {
                    names.extend_from_slice(&count.0.to_le_bytes());
                    names.extend_from_slice(&u32::try_from(at).ok()?.to_le_bytes());
                    names.extend_from_slice(&u16::try_from(text_of_name.len()).ok()?.to_le_bytes());
                    names.extend_from_slice(&[variant, bare]);
                    count.1 += 1;
                }
                Some(())
            };
            add_name(name, 0)?;
            for (column, variant) in [(aliases, 1), (weak_aliases, 2)] {
                for alias in column.split('|').map(str::trim).filter(|alias| !alias.is_empty()) {
                    add_name(alias, variant)?;
                }
            }
            count.0 += 1;
        }
    }
    let mut out = Vec::with_capacity(8 + 4 * texts.len() + entries.len() + names.len());
    out.extend_from_slice(&count.0.to_le_bytes());
    out.extend_from_slice(&count.1.to_le_bytes());
    for text in texts {
        out.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
    }
    out.extend_from_slice(&entries);
    out.extend_from_slice(&names);
    Some(out)
}

/// Where a field lies in a table's text: start and length.
fn span_of(text: &str, field: &str) -> Option<(u32, u16)> {
    let start = field.as_ptr() as usize - text.as_ptr() as usize;
    Some((u32::try_from(start).ok()?, u16::try_from(field.len()).ok()?))
}

/// The rows of `pr_measures.tsv` grouped as `RulePack` groups them (by P&R code, then origin
/// and area, each in text order; rows in file order), when every record is good (else `None`,
/// and they are grouped at load, with findings for the bad records). Little-endian: `rows,
/// text length, groups`; per group (22 bytes) its row count and where its P&R code, origin
/// and area lie (start u32, length u16); then per row (16 bytes, in group order) where its
/// prefix lies (start u32, length u16, two zero bytes), its start and end dates (year u16,
/// month, day; zeros when open).
fn pr_measure_groups(text: &[u8], records: &[(u32, u32)]) -> Option<Vec<u8>> {
    type Row<'t> = (&'t str, Ymd, Ymd);
    let text = std::str::from_utf8(text).ok()?;
    let mut groups: std::collections::BTreeMap<
        &str,
        std::collections::BTreeMap<(&str, &str), Vec<Row<'_>>>,
    > = std::collections::BTreeMap::new();
    for &(start, end) in records {
        if end >> 31 == 1 {
            return None;
        }
        let mut fields = text.get(start as usize..end as usize)?.split('\t');
        let mut field = || fields.next();
        let (code, pr_code, from, to, origin, area) =
            (field()?, field()?, field()?, field()?, field()?, field()?);
        let row = (numbers::prefix_of(code)?, ymd(from)?, ymd(to)?);
        groups.entry(pr_code).or_default().entry((origin, area)).or_default().push(row);
    }
    let mut out = Vec::new();
    let mut rows = Vec::new();
    let group_count: usize = groups.values().map(std::collections::BTreeMap::len).sum();
    out.extend_from_slice(&u32::try_from(records.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&u32::try_from(group_count).ok()?.to_le_bytes());
    for (pr_code, by_place) in &groups {
        for ((origin, area), scopes) in by_place {
            out.extend_from_slice(&u32::try_from(scopes.len()).ok()?.to_le_bytes());
            for field in [pr_code, origin, area] {
                let (start, length) = span_of(text, field)?;
                out.extend_from_slice(&start.to_le_bytes());
                out.extend_from_slice(&length.to_le_bytes());
            }
            for (prefix, from, to) in scopes {
                let (start, length) = span_of(text, prefix)?;
                rows.extend_from_slice(&start.to_le_bytes());
                rows.extend_from_slice(&length.to_le_bytes());
                rows.extend_from_slice(&[0, 0]);
                push_ymd(&mut rows, *from);
                push_ymd(&mut rows, *to);
            }
        }
    }
    out.extend_from_slice(&rows);
    Some(out)
}

/// The root lanes of the risk model's lane lines (after its `lanes` line) as `LaneFile`
/// indexes them: each line that does not start with a tab and is not blank or a comment, its
/// key part (up to a tab or `\r`) and its subtree (up to the next root), sorted by key part
/// (stably). Little-endian: the lane lines' length, then per root its part and subtree (start,
/// end; u32, from the lane lines' start).
fn model_roots(model: &str) -> Option<Vec<u8>> {
    let blank_or_comment = |line: &str| line.trim().is_empty() || line.starts_with('#');
    let mut offset = 0;
    let mut lanes_at = None;
    for line in model.split_inclusive('\n') {
        offset += line.len();
        let line = line.trim_end_matches('\n').trim_end_matches('\r');
        if !blank_or_comment(line) && line.split('\t').next() == Some("lanes") {
            lanes_at = Some(offset);
            break;
        }
    }
    let text = model.get(lanes_at?..)?;
    let mut roots: Vec<[u32; 4]> = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let line_start = start;
        start += line.len();
        let line = line.strip_suffix('\n').unwrap_or(line);
        if line.starts_with('\t') || blank_or_comment(line) {
            continue;
        }
        let line_start = u32::try_from(line_start).ok()?;
        if let Some(last) = roots.last_mut() {
            last[3] = line_start;
        }
        let part_end =
            line_start + u32::try_from(line.find(['\t', '\r']).unwrap_or(line.len())).ok()?;
        roots.push([line_start, part_end, line_start, u32::try_from(text.len()).ok()?]);
    }
    let part = |root: &[u32; 4]| text.get(root[0] as usize..root[1] as usize);
    roots.sort_by(|a, b| part(a).cmp(&part(b)));
    let mut out = Vec::with_capacity(4 + 16 * roots.len());
    out.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
    for root in roots {
        for value in root {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    Some(out)
}
