//! A model's trade-lane counts: maps built by training, or a model file's lane lines read
//! where they lie.
//!
//! Reading every lane of the bundled model (44,000 lines) into maps was a sixth of a one-file
//! check's start, yet a check reaches a handful of lanes. A [`LaneFile`] keeps the lane lines
//! as text with an index of the root lanes (the lines without indent, one per first-level
//! key), found with a scan for line ends; a root's subtree is read into a map the first time
//! a lookup reaches it, and kept.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::fxhash::FxHashMap;
use crate::risk::model::{Counts, KEY_SEPARATOR};

/// The trade lanes of a model.
#[derive(Debug, Clone)]
pub enum Lanes {
    /// One map per chain level, keyed by the level's parts joined by the key separator.
    Maps(Vec<FxHashMap<String, Counts>>),
    /// A model file's lane lines.
    File(LaneFile),
}

impl Lanes {
    /// The counts of the lane `key` (its parts from the root, joined) at `level`.
    #[must_use]
    pub fn counts(&self, level: usize, key: &str) -> Option<Counts> {
        match self {
            Lanes::Maps(maps) => maps.get(level)?.get(key).copied(),
            Lanes::File(file) => file.counts(key),
        }
    }

    /// Every lane as (joined key, counts), sorted by key.
    #[must_use]
    pub fn rows(&self) -> Vec<(String, Counts)> {
        let mut rows: Vec<(String, Counts)> = match self {
            Lanes::Maps(maps) => {
                maps.iter().flatten().map(|(key, counts)| (key.clone(), *counts)).collect()
            }
            Lanes::File(file) => {
                let mut map = FxHashMap::default();
                read_subtree(&file.text, file.levels, &mut map);
                map.into_iter().collect()
            }
        };
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    }

    /// The number of lanes.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Lanes::Maps(maps) => maps.iter().map(std::collections::HashMap::len).sum(),
            Lanes::File(_) => self.rows().len(),
        }
    }

    /// Whether there are no lanes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PartialEq for Lanes {
    fn eq(&self, other: &Lanes) -> bool {
        self.rows() == other.rows()
    }
}

/// The lane lines of a model file and where each root lane's subtree lies.
#[derive(Debug, Clone)]
pub struct LaneFile {
    /// The lines after the `lanes` line (borrowed from the bundled model).
    text: Cow<'static, str>,
    /// The chain's length: lanes deeper than it are errors.
    levels: usize,
    /// The root lanes, sorted by key part.
    roots: Vec<RootLane>,
}

#[derive(Debug, Clone)]
struct RootLane {
    /// Byte range of the root's key part in [`LaneFile::text`].
    part: (u32, u32),
    /// Byte range of the root's line and those of its subtree.
    subtree: (u32, u32),
    /// The subtree's lanes by joined key, read on first use.
    lanes: OnceLock<FxHashMap<String, Counts>>,
}

impl LaneFile {
    /// Indexes the lane lines of a model file (`text`, after its `lanes` line). The lines are
    /// not checked here: [`check_lines`] does that for a file from outside.
    #[must_use]
    pub fn index(text: Cow<'static, str>, levels: usize) -> LaneFile {
        // Offsets are u32: a model file of 4 GiB is not a model file.
        let text = if u32::try_from(text.len()).is_ok() { text } else { Cow::Borrowed("") };
        let bytes = text.as_bytes();
        let mut roots: Vec<RootLane> = Vec::new();
        // A root's line is one that does not start with a tab: only those are looked at.
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', bytes).map(|newline| newline + 1))
            .filter(|&start| bytes.get(start).is_some_and(|&byte| byte != b'\t'));
        for line_start in line_starts {
            let rest = text.get(line_start..).unwrap_or_default();
            let line = rest.split('\n').next().unwrap_or_default();
            if is_blank_or_comment(line) {
                continue;
            }
            if let Some(last) = roots.last_mut() {
                last.subtree.1 = offset(line_start);
            }
            let part_end = line_start + line.find(['\t', '\r']).unwrap_or(line.len());
            roots.push(RootLane {
                part: (offset(line_start), offset(part_end)),
                subtree: (offset(line_start), offset(bytes.len())),
                lanes: OnceLock::new(),
            });
        }
        let mut file = LaneFile { text, levels, roots };
        // Files written by `preclear risk train` list their roots in order already.
        if !file.roots.is_sorted_by(|a, b| file.part(a) <= file.part(b)) {
            let mut roots = std::mem::take(&mut file.roots);
            roots.sort_by(|a, b| file.part(a).cmp(file.part(b)));
            file.roots = roots;
        }
        file
    }

    /// The lane lines of the compiled-in model, with the roots `core/build.rs` found in them
    /// when those fit `text` (else indexed as [`LaneFile::index`] does). Finding the 2,400
    /// roots among 44,700 lines was a fifth of loading the packs.
    #[must_use]
    pub(crate) fn bundled(text: Cow<'static, str>, levels: usize) -> LaneFile {
        let prebuilt = crate::tariff::table::risk_model_roots();
        match prebuilt.and_then(|bytes| prebuilt_roots(bytes, &text)) {
            Some(roots) => LaneFile { text, levels, roots },
            None => LaneFile::index(text, levels),
        }
    }

    /// A root lane written twice (its subtrees would be two, one of them never found): the
    /// line of the second and what to say, for lines starting at `first_line`.
    #[must_use]
    pub fn repeated_root(&self, first_line: usize) -> Option<(usize, String)> {
        let pair = self.roots.windows(2).find(|pair| match pair {
            [a, b] => self.part(a) == self.part(b),
            _ => false,
        })?;
        // The later of the two in the file.
        let second = pair.iter().map(|root| root.part.0).max()?;
        let before = self.text.get(..second as usize).unwrap_or_default();
        let line = first_line + memchr::memchr_iter(b'\n', before.as_bytes()).count();
        let part = pair.first().map(|root| self.part(root)).unwrap_or_default();
        Some((line, format!("the root lane `{part}` is written twice; write its lanes under one")))
    }

    fn part(&self, root: &RootLane) -> &str {
        self.text.get(root.part.0 as usize..root.part.1 as usize).unwrap_or_default()
    }

    fn counts(&self, key: &str) -> Option<Counts> {
        let first = key.split(KEY_SEPARATOR).next().unwrap_or_default();
        let index = self.roots.binary_search_by(|root| self.part(root).cmp(first)).ok()?;
        let root = self.roots.get(index)?;
        let lanes = root.lanes.get_or_init(|| {
            let subtree =
                self.text.get(root.subtree.0 as usize..root.subtree.1 as usize).unwrap_or_default();
            let mut lanes = FxHashMap::default();
            read_subtree(subtree, self.levels, &mut lanes);
            lanes
        });
        lanes.get(key).copied()
    }
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Root lanes from their prebuilt form (see `model_roots` in `core/build.rs`), when they fit
/// `text`: its length, ranges within it, parts in order.
fn prebuilt_roots(bytes: &[u8], text: &str) -> Option<Vec<RootLane>> {
    let word = crate::tariff::table::index_word;
    if word(bytes, 0)? as usize != text.len() || !(bytes.len() - 4).is_multiple_of(16) {
        return None;
    }
    let mut roots = Vec::with_capacity((bytes.len() - 4) / 16);
    let mut last_part: Option<&str> = None;
    for root in bytes.get(4..)?.chunks_exact(16) {
        let (part, subtree) = ((word(root, 0)?, word(root, 4)?), (word(root, 8)?, word(root, 12)?));
        let key = text.get(part.0 as usize..part.1 as usize)?;
        text.get(subtree.0 as usize..subtree.1 as usize)?;
        if last_part.is_some_and(|last| last > key) {
            return None;
        }
        last_part = Some(key);
        roots.push(RootLane { part, subtree, lanes: OnceLock::new() });
    }
    Some(roots)
}

fn is_blank_or_comment(line: &str) -> bool {
    line.trim().is_empty() || line.starts_with('#')
}

/// Reads lane lines into `lanes`, skipping lines that are not lanes (a file from outside has
/// been through [`check_lines`] before).
fn read_subtree(text: &str, levels: usize, lanes: &mut FxHashMap<String, Counts>) {
    let mut path = LanePath::default();
    for (_, line) in lane_lines(text) {
        if let Ok(counts) = path.read(line, levels) {
            lanes.insert(path.key.clone(), counts);
        }
    }
}

/// Checks every lane line of a model file (`text`, after its `lanes` line, whose line number is
/// `first_line - 1`): the error names the line.
///
/// # Errors
///
/// The first line that is not `key<TAB>frauds<TAB>declarations` at a depth the chain allows.
pub fn check_lines(text: &str, levels: usize, first_line: usize) -> Result<(), (usize, String)> {
    let mut path = LanePath::default();
    for (index, line) in lane_lines(text) {
        path.read(line, levels).map_err(|message| (first_line + index, message))?;
    }
    Ok(())
}

/// The lines of `text` that are lanes (not blank, not comments), with their 0-based index.
fn lane_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter(|(_, line)| !is_blank_or_comment(line))
}

/// Where the lane being read lies: its key (the parts from the root, joined by
/// [`KEY_SEPARATOR`]) and where each level's part ends in it.
#[derive(Debug, Default)]
struct LanePath {
    key: String,
    ends: Vec<usize>,
}

impl LanePath {
    /// Reads one lane line: moves the path to it and returns its counts.
    fn read(&mut self, line: &str, levels: usize) -> Result<Counts, String> {
        // Byte scans: the 44,000 lane lines of the bundled model are read on first use.
        let depth = line.bytes().take_while(|&byte| byte == b'\t').count();
        let mut parts = crate::tariff::table::tab_fields(line.get(depth..).unwrap_or_default());
        let (Some(part), Some(frauds), Some(count), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("a lane line is `key<TAB>frauds<TAB>declarations`".to_owned());
        };
        let number = |text: &str| {
            text.parse::<u32>().map_err(|_| format!("`{text}` is not a count of declarations"))
        };
        let counts = Counts { frauds: number(frauds)?, count: number(count)? };
        if counts.frauds > counts.count || counts.count == 0 {
            return Err("frauds must not exceed a positive count of declarations".to_owned());
        }
        if depth > self.ends.len() {
            return Err("a lane is indented deeper than under its parent".to_owned());
        }
        if depth >= levels {
            return Err(format!(
                "a lane at level {} does not fit the chain of {levels}",
                depth + 1
            ));
        }
        // The key is the parts from the root joined by the separator: keep the parent's.
        self.ends.truncate(depth);
        self.key.truncate(self.ends.last().copied().unwrap_or(0));
        if depth > 0 {
            self.key.push(KEY_SEPARATOR);
        }
        self.key.push_str(part);
        self.ends.push(self.key.len());
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "bundled-uk")]
    #[test]
    fn prebuilt_roots_are_the_indexed_ones() {
        let model = crate::risk::bundled_model().unwrap();
        let lanes_line = model.find("\nlanes\t").unwrap() + 1;
        let text = &model[model[lanes_line..].find('\n').unwrap() + lanes_line + 1..];
        let roots = |file: &LaneFile| -> Vec<((u32, u32), (u32, u32))> {
            file.roots.iter().map(|root| (root.part, root.subtree)).collect()
        };
        let indexed = LaneFile::index(text.into(), 3);
        assert!(indexed.roots.len() > 2_000);
        let prebuilt = crate::tariff::table::risk_model_roots().expect("prebuilt roots");
        assert!(prebuilt_roots(prebuilt, text).is_some(), "the prebuilt roots do not fit");
        assert_eq!(roots(&LaneFile::bundled(text.into(), 3)), roots(&indexed));
        // Not taken where they do not fit: another text, a range past it, roots out of order.
        assert!(prebuilt_roots(prebuilt, &text[1..]).is_none());
        let mut bad = prebuilt.to_vec();
        bad[4 + 12..4 + 16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(prebuilt_roots(&bad, text).is_none());
        let mut swapped = prebuilt.to_vec();
        swapped[4..20].copy_from_slice(&prebuilt[20..36]);
        swapped[20..36].copy_from_slice(&prebuilt[4..20]);
        assert!(prebuilt_roots(&swapped, text).is_none());
        assert!(LaneFile::bundled(text[1..].to_owned().into(), 3).roots.len() > 2_000);
    }

    const LINES: &str = "851610\t3\t10\n\tCN\t2\t4\n\t\tA00\t1\t2\n\tVN\t0\t6\n# a comment\n\n010129\t0\t5\n\tUS\t0\t5\n";

    fn key(parts: &[&str]) -> String {
        parts.join(&KEY_SEPARATOR.to_string())
    }

    #[test]
    fn a_lane_is_found_under_its_root_whatever_the_roots_order() {
        let file = Lanes::File(LaneFile::index(LINES.into(), 3));
        assert_eq!(file.counts(0, "851610"), Some(Counts { frauds: 3, count: 10 }));
        assert_eq!(
            file.counts(2, &key(&["851610", "CN", "A00"])),
            Some(Counts { frauds: 1, count: 2 })
        );
        assert_eq!(file.counts(1, &key(&["851610", "VN"])), Some(Counts { frauds: 0, count: 6 }));
        assert_eq!(file.counts(1, &key(&["010129", "US"])), Some(Counts { frauds: 0, count: 5 }));
        // Not there: an unknown root, a child of another root, a part of a key alone.
        assert_eq!(file.counts(0, "999999"), None);
        assert_eq!(file.counts(1, &key(&["010129", "CN"])), None);
        assert_eq!(file.counts(0, "CN"), None);
        assert_eq!(file.len(), 6);
    }

    #[test]
    fn file_and_maps_hold_the_same_lanes() {
        let file = Lanes::File(LaneFile::index(LINES.into(), 3));
        let mut maps = vec![FxHashMap::default(); 3];
        for (joined, counts) in file.rows() {
            let level = joined.matches(KEY_SEPARATOR).count();
            maps[level].insert(joined, counts);
        }
        let maps = Lanes::Maps(maps);
        assert_eq!(file, maps);
        assert_eq!(
            maps.counts(2, &key(&["851610", "CN", "A00"])),
            Some(Counts { frauds: 1, count: 2 })
        );
        assert_eq!(maps.len(), 6);
        assert!(Lanes::File(LaneFile::index("".into(), 3)).is_empty());
    }

    #[test]
    fn a_bad_lane_line_is_named() {
        assert_eq!(check_lines(LINES, 3, 20), Ok(()));
        assert_eq!(check_lines("851610\t3\t10\n\t\tCN\t1\t2\n", 3, 20).unwrap_err().0, 21);
        assert_eq!(check_lines("851610\t3\n", 3, 20).unwrap_err().0, 20);
        assert_eq!(check_lines("851610\t3\t1\n", 3, 20).unwrap_err().0, 20);
        let too_deep = check_lines("a\t0\t1\n\tb\t0\t1\n", 1, 7).unwrap_err();
        assert_eq!(too_deep, (8, "a lane at level 2 does not fit the chain of 1".to_owned()));
    }

    #[test]
    fn a_root_written_twice_is_named() {
        let file = LaneFile::index("b\t0\t1\na\t0\t1\n\tx\t0\t1\nb\t1\t2\n".into(), 2);
        let (line, message) = file.repeated_root(10).unwrap();
        assert_eq!(line, 13);
        assert!(message.contains("`b`"), "{message}");
        assert_eq!(LaneFile::index(LINES.into(), 3).repeated_root(10), None);
    }

    #[test]
    fn windows_line_ends_read_alike() {
        let file = Lanes::File(LaneFile::index(LINES.replace('\n', "\r\n").into(), 3));
        assert_eq!(file, Lanes::File(LaneFile::index(LINES.into(), 3)));
        assert_eq!(file.counts(0, "010129"), Some(Counts { frauds: 0, count: 5 }));
    }
}
