//! Sanctions lists and the name matcher.
//!
//! A sanctions pack (`tariffs/sanctions/`) holds one table per list (`un.tsv`,
//! `ofac_sdn.tsv`), one entry a line: id, kind, programme, listing date, countries, birth,
//! primary name, aliases and weak aliases. Every name is folded into words (see
//! [`crate::screen::names`]), each word weighed by how rare it is across the lists, and the
//! words, their phonetic prefixes and their sound keys indexed.
//!
//! The index is prebuilt: the importer writes it to the pack's `name_index.tsv` (named by
//! `index` in `pack.toml`), one key a line in byte order with the names that have it, so
//! loading only finds its line starts and a lookup is a binary search. Names are folded when
//! they are first scored. A pack without the index, or whose index no longer fits its lists
//! (a checksum over the names says so), has it built in memory.
//!
//! Matching a party name: the entries sharing a word or a phonetic prefix with it are
//! scored. Each query word is paired with at most one word of the listed name (best pairs
//! first, Jaro-Winkler or phonetic similarity of at least [`WORD_THRESHOLD`]); the score is
//! the weighted share of the query's words matched, lowered by the share of the listed name's
//! words left unmatched, so word order does not matter and rare words count more than
//! `Mohammed` or `Trading`. A party's country adjusts the score a little when the entry
//! gives countries. Scores of at least [`MATCH_THRESHOLD`] are reported with the variant
//! matched, the word pairs and the score.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::finding::Finding;
use crate::fxhash::Fnv1a;
use crate::memo::Memo;
use crate::screen::names::{fold, jaro_winkler, phonetic, word_similarity};
use crate::screen::schema;
use crate::tariff::meta::PackMeta;
use crate::tariff::table::{Table, bad_pack, index_half, index_word};
use crate::tariff::{PackFile, TariffError};

/// Two words count as the same word from this similarity on.
pub const WORD_THRESHOLD: f64 = 0.84;

/// A name of one word rests on that word alone, so it must be closer.
pub const SINGLE_WORD_THRESHOLD: f64 = 0.92;

/// A name is reported as a possible match from this score on.
pub const MATCH_THRESHOLD: f64 = 0.86;

/// How much the share of the listed name's words left unmatched lowers the score.
const UNMATCHED_LISTED_WEIGHT: f64 = 0.3;

/// Which name of an entry matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The entry's primary name.
    Primary,
    /// A good-quality alias (a.k.a., f.k.a., original script).
    Alias,
    /// A low-quality alias, which the list says is not enough to identify anyone.
    WeakAlias,
}

impl Variant {
    /// The name in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Primary => "primary name",
            Variant::Alias => "alias",
            Variant::WeakAlias => "weak alias",
        }
    }
}

/// A listed person or organisation.
///
/// Its text is borrowed from the compiled-in lists (copied from lists read at run time): one
/// record's fields, cut where they are read. Seven text fields of their own made an entry 184
/// bytes, and the 7,842 entries of the bundled lists are written at every start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The list: `un` or `ofac-sdn`.
    pub list: &'static str,
    /// The record's fields in the lists' column order, one byte (a tab) between each two.
    text: Cow<'static, str>,
    /// Where each field ends in `text`.
    ends: [u32; LIST_FIELDS],
}

/// The columns of a sanctions list (`schema::LIST_COLUMNS`).
const LIST_FIELDS: usize = 9;

impl Entry {
    /// An entry of `list` whose record is `fields`, borrowing `line` (its record line, when it
    /// is those fields joined by tabs) and copying them otherwise.
    fn new(
        list: &'static str,
        fields: [&str; LIST_FIELDS],
        line: Option<Cow<'static, str>>,
    ) -> Option<Entry> {
        let mut ends = [0; LIST_FIELDS];
        let mut end = 0usize;
        for (slot, field) in ends.iter_mut().zip(fields) {
            end += field.len();
            *slot = u32::try_from(end).ok()?;
            end += 1;
        }
        let length = end - 1;
        let text = match line {
            Some(line) if line.len() == length => line,
            _ => Cow::Owned(fields.join("\t")),
        };
        Some(Entry { list, text, ends })
    }

    /// Where field `column` starts in the entry's text.
    fn field_start(&self, column: usize) -> usize {
        column
            .checked_sub(1)
            .and_then(|previous| self.ends.get(previous))
            .map_or(0, |end| *end as usize + 1)
    }

    /// Field `column` of the record.
    fn field(&self, column: usize) -> &str {
        let end = self.ends.get(column).map_or(0, |end| *end as usize);
        self.text.get(self.field_start(column)..end).unwrap_or_default()
    }

    /// The entry's id in the list (`QDi.276`, `306`).
    #[must_use]
    pub fn id(&self) -> &str {
        self.field(0)
    }

    /// `individual` or `entity`.
    #[must_use]
    pub fn kind(&self) -> &str {
        self.field(1)
    }

    /// The sanctions programme(s).
    #[must_use]
    pub fn programme(&self) -> &str {
        self.field(2)
    }

    /// Date listed, when the list gives it.
    #[must_use]
    pub fn listed_on(&self) -> &str {
        self.field(3)
    }

    /// ISO alpha-2 codes of the nationality and address countries, separated by spaces (see
    /// [`Entry::countries`]).
    #[must_use]
    pub fn country_codes(&self) -> &str {
        self.field(4)
    }

    /// Date or year of birth (individuals).
    #[must_use]
    pub fn born(&self) -> &str {
        self.field(5)
    }

    /// The primary name as listed.
    #[must_use]
    pub fn name(&self) -> &str {
        self.field(6)
    }

    /// ISO alpha-2 codes of the nationality and address countries.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.country_codes().split_whitespace()
    }
}

#[derive(Debug, Clone)]
struct Word {
    folded: String,
    phonetic: String,
    /// Its [`sound_key`].
    sound: String,
    weight: f64,
}

impl Word {
    fn new(folded: String, weight: f64) -> Word {
        let phonetic = phonetic(&folded);
        let sound = sound_key(&phonetic);
        Word { folded, phonetic, sound, weight }
    }

    /// Whether two words could be alike at all: the same first letter, the same first
    /// sound, or the same consonant classes. Most pairs of a candidate are not, and this
    /// spares their Jaro-Winkler.
    fn may_match(&self, other: &Word) -> bool {
        self.folded.chars().next() == other.folded.chars().next()
            || self.phonetic.chars().next() == other.phonetic.chars().next()
            || self.sound == other.sound
    }
}

/// A listed name folded into weighed words.
#[derive(Debug, Clone)]
struct Name {
    words: Vec<Word>,
    /// The words written as one.
    whole: String,
}

/// One name of an entry as the lists give it, folded when it is first scored.
#[derive(Debug)]
struct NameSlot {
    entry: u32,
    variant: Variant,
    /// Where the name as listed lies in its entry's text: start and length.
    text: (u32, u32),
    /// Whether this slot is the name without its parenthesised parts: `BUTEMBO AIRLINES
    /// (BAL)` is also indexed as `Butembo Airlines`, so that a party called that is not held
    /// to the acronym.
    bare: bool,
    /// The name folded, once scored; `None` when it has no words to match. Boxed: few names
    /// are ever scored, and the slots of all 22,000 are written at every start.
    folded: OnceLock<Option<Box<Name>>>,
}

impl NameSlot {
    /// The words of the name, or `None` when the slot is not indexed: no words, or a bare
    /// form that is the name itself.
    fn words(&self, text: &str) -> Option<Vec<String>> {
        let words = if self.bare {
            let bare = without_parentheses(text);
            if bare.trim() == text.trim() {
                return None;
            }
            fold(&bare)
        } else {
            fold(text)
        };
        (!words.is_empty()).then_some(words)
    }
}

/// The name index: one line a key (a folded word, `~` and a phonetic prefix, or `#` and a
/// sound key) with the ids of the names that have it, after a header line. Ids ascend and are
/// written as the first id and then the differences, which makes the file a third smaller
/// (the page downloads it).
#[derive(Debug, Default)]
struct NameIndex {
    text: Cow<'static, str>,
    /// Where the key lines (after the header) start. Lookups bisect the text itself: the
    /// lines are in key order, so nothing is built on loading.
    body_start: usize,
    /// The names a listed word's rarity is measured against.
    counted: usize,
    /// The names with words, which a query word's rarity is measured against.
    named: usize,
    /// Where each key line starts, once the index has been searched often enough to pay for
    /// finding them: bisecting the text itself lands inside long lines of ids and searches
    /// for their ends, about 3,000 instructions a lookup; bisecting line starts takes a
    /// tenth of that. A one-file check does not look up often enough to build them.
    line_starts: OnceLock<Vec<u32>>,
    /// Lookups made by bisecting the text.
    text_lookups: AtomicUsize,
    /// The counts of words looked up: the names scored for a query mostly share its words,
    /// and weighing each of them looked the same common words up again.
    counts: Memo<String, u32, COUNTED_WORDS>,
}

/// The index file's first field.
const INDEX_FORMAT: &str = "preclear-name-index 2";

/// One listed name a party name matched.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// The name variant matched, as listed.
    pub matched_name: &'a str,
    /// Which variant it is.
    pub variant: Variant,
    /// The score, 0 to 1.
    pub score: f64,
    /// Whether every word of both names is the same after folding (order aside).
    pub exact: bool,
    /// The word pairs, unmatched words and country evidence, in words.
    pub explanation: String,
}

/// Loaded sanctions lists with their name index.
#[derive(Debug, Default)]
pub struct SanctionsLists {
    meta: PackMeta,
    entries: Vec<Entry>,
    names: Vec<NameSlot>,
    index: NameIndex,
    findings: Vec<Finding>,
    /// The answers to recent queries: a back-office's declarations name the same traders
    /// again and again, and a name is screened the same way each time.
    recent: Memo<Query, Vec<Found>, RECENT_QUERIES>,
}

/// A query as [`SanctionsLists::screen_at`] takes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Query {
    name: String,
    country: Option<String>,
    limit: usize,
    threshold: u64,
}

/// A match as remembered for a repeated query: the slot of the listed name and what
/// [`NameMatch`] says beyond it.
#[derive(Debug, Clone)]
struct Found {
    slot: u32,
    score: f64,
    exact: bool,
    explanation: String,
}

/// How many queries' answers are kept; past it the memory starts afresh, so that a batch of
/// any size holds at most this many.
const RECENT_QUERIES: usize = 4096;

/// The most word counts the index remembers.
const COUNTED_WORDS: usize = 65_536;

/// The file name of the prebuilt name index the importer writes.
pub const INDEX_FILE: &str = "name_index.tsv";

/// The list tables a pack may hold, with the name each list has in reports.
const LISTS: [(&str, &str); 2] = [("un.tsv", "un"), ("ofac_sdn.tsv", "ofac-sdn")];

/// The entries and names of the compiled-in lists from their prebuilt form (see
/// `sanctions_lists` in `core/build.rs`), text borrowed from the lists; `None` when it does not
/// fit `tables` (the lists are then read record by record).
fn prebuilt_entries(
    bytes: &[u8],
    tables: &[Option<Table>; LISTS.len()],
) -> Option<(Vec<Entry>, Vec<NameSlot>)> {
    let word = |bytes: &[u8], at: usize| index_word(bytes, at).map(|word| word as usize);
    let half = |bytes: &[u8], at: usize| index_half(bytes, at).map(usize::from);
    let (entry_count, name_count) = (word(bytes, 0)?, word(bytes, 4)?);
    let mut texts = [""; LISTS.len()];
    for (at, (text, table)) in (8..).step_by(4).zip(texts.iter_mut().zip(tables)) {
        *text = table.as_ref()?.static_text()?;
        if word(bytes, at)? != text.len() {
            return None;
        }
    }
    let entries_at = 8 + 4 * LISTS.len();
    let names_at = entry_count.checked_mul(PREBUILT_ENTRY_BYTES)?.checked_add(entries_at)?;
    if bytes.len() != name_count.checked_mul(12)?.checked_add(names_at)? {
        return None;
    }
    let mut entries = Vec::with_capacity(entry_count);
    for chunk in bytes.get(entries_at..names_at)?.chunks_exact(PREBUILT_ENTRY_BYTES) {
        let list = word(chunk, 0)?;
        let (text, (_, list_name)) = (texts.get(list)?, LISTS.get(list)?);
        let start = word(chunk, 4)?;
        let mut ends = [0; LIST_FIELDS];
        for (end, at) in ends.iter_mut().zip((8..).step_by(2)) {
            *end = u32::try_from(half(chunk, at)?).ok()?;
        }
        let line = text.get(start..start.checked_add(ends[LIST_FIELDS - 1] as usize)?)?;
        // The fields must be where the ends say: one tab between each two.
        let fits = ends.windows(2).all(|pair| match *pair {
            [end, next] => end <= next && line.as_bytes().get(end as usize) == Some(&b'\t'),
            _ => false,
        });
        if !fits {
            return None;
        }
        entries.push(Entry { list: list_name, text: Cow::Borrowed(line), ends });
    }
    let mut names = Vec::with_capacity(name_count);
    for chunk in bytes.get(names_at..)?.chunks_exact(12) {
        let entry = word(chunk, 0)?;
        let (start, length) = (word(chunk, 4)?, half(chunk, 8)?);
        entries.get(entry)?.text.get(start..start.checked_add(length)?)?;
        let variant = match chunk.get(10)? {
            0 => Variant::Primary,
            1 => Variant::Alias,
            2 => Variant::WeakAlias,
            _ => return None,
        };
        names.push(NameSlot {
            entry: u32::try_from(entry).ok()?,
            variant,
            text: (u32::try_from(start).ok()?, u32::try_from(length).ok()?),
            bare: *chunk.get(11)? == 1,
            folded: OnceLock::new(),
        });
    }
    Some((entries, names))
}

/// The bytes of a prebuilt sanctions entry (see `sanctions_lists` in `core/build.rs`).
const PREBUILT_ENTRY_BYTES: usize = 28;

/// The index key of a word's sound: the classes of its first four consonants (as Soundex
/// groups them: b f p v, c g j k q s x z, d t, l, m n, r), so that `Gaddafi`, `Kadhafi` and
/// `Qadhafi` share a key although their letters differ.
fn sound_key(phonetic: &str) -> String {
    let mut key = String::with_capacity(8);
    key.push('#');
    let mut classes = 0;
    let mut last = ' ';
    for ch in phonetic.chars() {
        let class = match ch {
            'b' | 'f' | 'p' | 'v' => '1',
            'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => '2',
            'd' | 't' => '3',
            'l' => '4',
            'm' | 'n' => '5',
            'r' => '6',
            'a' | 'e' | 'i' | 'o' | 'u' | 'h' | 'w' | 'y' => continue,
            // Other scripts: the letter itself.
            other => other,
        };
        if class != last {
            key.push(class);
            classes += 1;
            last = class;
        }
        if classes > 3 {
            break;
        }
    }
    if key.len() == 1 { format!("#{phonetic}") } else { key }
}

/// The index key of a word's phonetic start, so `Gadafi` finds `Gaddafi`.
fn prefix_key(phonetic: &str) -> String {
    let prefix: String = phonetic.chars().take(4).collect();
    format!("~{prefix}")
}

/// A sound key shared by more names than this (`#25`) says too little to search by.
const SOUND_POSTINGS: usize = 500;

/// The most a party's country adds to a score.
const COUNTRY_BONUS: f64 = 0.02;

impl SanctionsLists {
    /// Loads a pack from its files (`pack.toml` and the list tables).
    ///
    /// # Errors
    ///
    /// When `pack.toml` is missing or is not a sanctions pack, or a table has the wrong header.
    pub fn from_files(files: Vec<PackFile>) -> Result<SanctionsLists, TariffError> {
        let mut findings = Vec::new();
        let meta = super::read_meta(&files, &mut findings)?;
        if meta.text("jurisdiction") != Some("sanctions") {
            return Err(bad_pack(
                "pack.toml",
                1,
                "not a sanctions pack (`jurisdiction = \"sanctions\"`)",
            )
            .into());
        }
        let index_file = meta.text("index").map(str::to_owned);
        let mut lists = SanctionsLists { meta, ..SanctionsLists::default() };
        let mut prebuilt = None;
        // The lists in a fixed order, whatever the order of the files: names are numbered
        // in it, and the index refers to them by number.
        let mut tables: [Option<Table>; LISTS.len()] = Default::default();
        // Whether every file is compiled in, where the test suite checks that the index is
        // the lists' (`compiled_in_tables_read_alike_unchecked`).
        let compiled_in = files.iter().all(|file| file.prechecked);
        for file in files {
            if Some(file.name.as_str()) == index_file.as_deref() {
                prebuilt = Some((file.text, file.prechecked));
                continue;
            }
            let Some(slot) = LISTS.iter().position(|(name, _)| *name == file.name) else {
                continue;
            };
            let table = Table::parse_file(file, schema::LIST_COLUMNS, &mut findings)
                .map_err(|error| TariffError { finding: error.0 })?;
            if let Some(slot) = tables.get_mut(slot) {
                *slot = Some(table);
            }
        }
        // The compiled-in lists' entries and names were read with Preclear (`core/build.rs`).
        let prebuilt_lists = crate::tariff::table::sanctions_lists()
            .filter(|_| compiled_in)
            .and_then(|bytes| prebuilt_entries(bytes, &tables));
        if let Some((entries, names)) = prebuilt_lists {
            lists.entries = entries;
            lists.names = names;
        } else {
            // Sized up front: grown by doubling, these vectors were copied a megabyte at a time
            // and touched twice the memory at start-up. About three names an entry (22,804
            // names for 7,842 entries in the bundled lists), counting aliases and names without
            // brackets.
            let rows: usize = tables.iter().flatten().map(Table::len).sum();
            lists.entries.reserve_exact(rows);
            lists.names.reserve_exact(rows.saturating_mul(3));
            for ((_, list), table) in LISTS.iter().zip(&tables) {
                if let Some(table) = table {
                    lists.add_table(list, table, &mut findings);
                }
            }
        }
        // Hashing every name was a fifth of loading the lists.
        let checksum = (!compiled_in).then(|| lists.checksum());
        let names = lists.names.len();
        let loaded = match (prebuilt, &index_file) {
            (Some((text, index_compiled_in)), Some(name)) => {
                NameIndex::parse(text, names, checksum, !index_compiled_in)
                    .map_err(|problem| {
                        let message = format!(
                            "{problem}: the index was rebuilt in memory (re-run the importer)"
                        );
                        findings.push(bad_pack(name, 1, message));
                    })
                    .ok()
            }
            (None, Some(name)) => {
                findings.push(bad_pack(
                    "pack.toml",
                    1,
                    format!("the index `{name}` is missing: it was rebuilt in memory"),
                ));
                None
            }
            _ => None,
        };
        lists.index = if let Some(index) = loaded {
            index
        } else {
            let checksum = checksum.unwrap_or_else(|| lists.checksum());
            let text = lists.build_index(checksum);
            NameIndex::parse(Cow::Owned(text), lists.names.len(), Some(checksum), false)
                .unwrap_or_default()
        };
        lists.findings = findings;
        Ok(lists)
    }

    /// The name index as the importer writes it to [`INDEX_FILE`].
    #[must_use]
    pub fn index_text(&self) -> &str {
        &self.index.text
    }

    fn add_table(&mut self, list: &'static str, table: &Table, findings: &mut Vec<Finding>) {
        for row in 0..table.len() {
            // Every column is read: cut the record once rather than field by field.
            let mut fields = [""; 9];
            for (slot, field) in fields.iter_mut().zip(table.fields(row)) {
                *slot = field;
            }
            let name = fields.get(6).copied().unwrap_or_default();
            if name.is_empty() {
                findings.push(table.finding(row, "an entry without a name"));
                continue;
            }
            let entry_number = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
            let line = table.record_text(row).map(|line| table.lend(line));
            let Some(entry) = Entry::new(list, fields, line) else {
                findings.push(table.finding(row, "an entry too long to keep"));
                continue;
            };
            // Each name as (start, length) in the entry's text: where it lies in its field,
            // from where that field starts there.
            let place = |column: usize, name: &str| -> (u32, u32) {
                let field = fields.get(column).copied().unwrap_or_default();
                let offset = (name.as_ptr() as usize).wrapping_sub(field.as_ptr() as usize);
                let start = entry.field_start(column).saturating_add(offset);
                (u32::try_from(start).unwrap_or(u32::MAX), u32::try_from(name.len()).unwrap_or(0))
            };
            let mut names = vec![(place(6, name), Variant::Primary)];
            for (column, variant) in [(7, Variant::Alias), (8, Variant::WeakAlias)] {
                let aliases = fields.get(column).copied().unwrap_or_default();
                for alias in aliases.split('|').map(str::trim).filter(|alias| !alias.is_empty()) {
                    names.push((place(column, alias), variant));
                }
            }
            for (text, variant) in names {
                self.add_name(entry_number, &entry, text, variant);
            }
            self.entries.push(entry);
        }
    }

    fn add_name(&mut self, entry_number: u32, entry: &Entry, text: (u32, u32), variant: Variant) {
        let (start, length) = (text.0 as usize, text.1 as usize);
        let name = entry.text.get(start..start.saturating_add(length)).unwrap_or_default();
        if name.contains('(') {
            let bare = NameSlot {
                entry: entry_number,
                variant,
                text,
                bare: true,
                folded: OnceLock::new(),
            };
            self.names.push(bare);
        }
        self.names.push(NameSlot {
            entry: entry_number,
            variant,
            text,
            bare: false,
            folded: OnceLock::new(),
        });
    }

    /// The name of a slot as listed.
    fn slot_text(&self, slot: &NameSlot) -> &str {
        let (start, length) = (slot.text.0 as usize, slot.text.1 as usize);
        let entry = self.entries.get(slot.entry as usize);
        entry
            .and_then(|entry| entry.text.get(start..start.saturating_add(length)))
            .unwrap_or_default()
    }

    /// A checksum over the names (FNV-1a, the same on every platform), which the index
    /// records so that an index left behind by an update of the lists is not used.
    fn checksum(&self) -> u64 {
        let mut hash = Fnv1a::new();
        for slot in &self.names {
            let variant = match slot.variant {
                Variant::Primary => b'p',
                Variant::Alias => b'a',
                Variant::WeakAlias => b'w',
            };
            let fields = [
                &slot.entry.to_le_bytes()[..],
                &[variant, u8::from(slot.bare)],
                self.slot_text(slot).as_bytes(),
                &[0],
            ];
            fields.into_iter().flatten().for_each(|&byte| hash.add(byte));
        }
        hash.finish()
    }

    /// Folds every name and writes the index: the header (format, names, counted names,
    /// names with words, checksum), then each key and its name ids in key order.
    fn build_index(&self, checksum: u64) -> String {
        let mut keys: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let (mut counted, mut named) = (0usize, 0usize);
        for (id, slot) in self.names.iter().enumerate() {
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            let Some(words) = slot.words(self.slot_text(slot)) else {
                counted += usize::from(!slot.bare);
                continue;
            };
            counted += 1;
            named += 1;
            for word in words {
                let phonetic = phonetic(&word);
                let prefix = prefix_key(&phonetic);
                let sound = sound_key(&phonetic);
                for key in [word, prefix, sound] {
                    let postings = keys.entry(key).or_default();
                    if postings.last() != Some(&id) {
                        postings.push(id);
                    }
                }
            }
        }
        let mut text =
            format!("{INDEX_FORMAT}\t{}\t{counted}\t{named}\t{checksum:016x}\n", self.names.len());
        for (key, postings) in keys {
            text.push_str(&key);
            let mut previous = 0;
            for (n, id) in postings.iter().enumerate() {
                text.push(if n == 0 { '\t' } else { ' ' });
                let _ = write!(text, "{}", id.saturating_sub(previous));
                previous = *id;
            }
            text.push('\n');
        }
        text
    }

    /// The listed name of a slot, folded and weighed on first use.
    fn name<'a>(&'a self, slot: &'a NameSlot) -> Option<&'a Name> {
        slot.folded
            .get_or_init(|| {
                #[allow(clippy::cast_precision_loss)] // Counts of names are far below 2^52.
                let total = self.index.counted as f64;
                let words: Vec<Word> = slot
                    .words(self.slot_text(slot))?
                    .into_iter()
                    .map(|folded| {
                        let count = self.index.count(&folded);
                        Word::new(folded, (1.0 + total / (1.0 + f64::from(count))).ln())
                    })
                    .collect();
                let whole = words.iter().map(|word| word.folded.as_str()).collect();
                Some(Box::new(Name { words, whole }))
            })
            .as_deref()
    }

    /// The weight of a query word: rare words (or words no list uses) weigh more.
    #[allow(clippy::cast_precision_loss)]
    fn weight(&self, folded: &str) -> f64 {
        let count = self.index.count(folded);
        (1.0 + self.index.named as f64 / (1.0 + f64::from(count))).ln()
    }

    /// The entries a name (and, optionally, its country) matches, best first, at most `limit`.
    #[must_use]
    pub fn screen(&self, name: &str, country: Option<&str>, limit: usize) -> Vec<NameMatch<'_>> {
        self.screen_at(name, country, limit, MATCH_THRESHOLD)
    }

    /// As [`SanctionsLists::screen`], with another threshold (to see how far below the
    /// threshold ordinary names stay).
    #[must_use]
    pub fn screen_at(
        &self,
        name: &str,
        country: Option<&str>,
        limit: usize,
        threshold: f64,
    ) -> Vec<NameMatch<'_>> {
        let query = Query {
            name: name.to_owned(),
            country: country.map(str::to_owned),
            limit,
            threshold: threshold.to_bits(),
        };
        let found = self.recent.get(&query).unwrap_or_else(|| {
            let found = self.search(name, country, limit, threshold);
            self.recent.insert(query, found.clone());
            found
        });
        found
            .into_iter()
            .filter_map(|found| {
                let slot = self.names.get(found.slot as usize)?;
                Some(NameMatch {
                    entry: self.entries.get(slot.entry as usize)?,
                    matched_name: self.slot_text(slot),
                    variant: slot.variant,
                    score: found.score,
                    exact: found.exact,
                    explanation: found.explanation,
                })
            })
            .collect()
    }

    /// Screens a name against the lists, best first.
    fn search(
        &self,
        name: &str,
        country: Option<&str>,
        limit: usize,
        threshold: f64,
    ) -> Vec<Found> {
        let query: Vec<Word> = fold(name)
            .into_iter()
            .map(|folded| {
                let weight = self.weight(&folded);
                Word::new(folded, weight)
            })
            .collect();
        if query.is_empty() {
            return Vec::new();
        }
        let whole: String = query.iter().map(|word| word.folded.as_str()).collect();
        // A name that pairs up with none of the query's rarest words cannot reach the
        // threshold once those words carry more than (1 - threshold) of the query's weight,
        // so only the names sharing a key with one of them are scored.
        let total: f64 = query.iter().map(|word| word.weight).sum();
        let needed = (1.0 - (threshold - COUNTRY_BONUS)) * total;
        let mut by_weight: Vec<&Word> = query.iter().collect();
        by_weight.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        let mut candidates: Vec<u32> = Vec::new();
        let mut covered = 0.0;
        for word in by_weight {
            // A word no list uses is likely another spelling of a listed one, so the names
            // that sound alike are scored too (`Kadhafi` for `Qadhafi`).
            let listed = self.index.postings(&word.folded);
            candidates.extend(listed.into_iter().flat_map(Postings::ids));
            if let Some(postings) = self.index.postings(&prefix_key(&word.phonetic)) {
                candidates.extend(postings.ids());
            }
            if listed.is_none()
                && let Some(postings) = self.index.postings(&word.sound)
                && postings.len() <= SOUND_POSTINGS
            {
                candidates.extend(postings.ids());
            }
            covered += word.weight;
            if covered > needed {
                break;
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        // Per entry, its best name: (name, score, adjusted score).
        let mut best: HashMap<u32, (u32, Scored, f64)> = HashMap::new();
        for candidate in candidates {
            let Some(slot) = self.names.get(candidate as usize) else { continue };
            let Some(listed) = self.name(slot) else { continue };
            let Some(entry) = self.entries.get(slot.entry as usize) else { continue };
            let Some(scored) = score(&query, &whole, listed) else { continue };
            let adjusted = scored.value + country_adjustment(&scored, entry, country);
            if adjusted < threshold {
                continue;
            }
            let better = best.get(&slot.entry).is_none_or(|(_, current, current_adjusted)| {
                (scored.exact, adjusted) > (current.exact, *current_adjusted)
            });
            if better {
                best.insert(slot.entry, (candidate, scored, adjusted));
            }
        }
        let mut matches: Vec<(&Entry, Found)> = best
            .into_values()
            .filter_map(|(candidate, scored, adjusted)| {
                let slot = self.names.get(candidate as usize)?;
                let listed = self.name(slot)?;
                let entry = self.entries.get(slot.entry as usize)?;
                let mut explanation = explain(&query, listed, &scored);
                explanation.push_str(&country_note(entry, country));
                let found =
                    Found { slot: candidate, score: adjusted, exact: scored.exact, explanation };
                Some((entry, found))
            })
            .collect();
        matches.sort_by(|(a_entry, a), (b_entry, b)| {
            b.exact
                .cmp(&a.exact)
                .then(b.score.total_cmp(&a.score))
                .then(a_entry.list.cmp(b_entry.list))
                .then(a_entry.id().cmp(b_entry.id()))
        });
        matches.truncate(limit);
        matches.into_iter().map(|(_, found)| found).collect()
    }

    /// The entries of every list.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The number of names (primary names and aliases) indexed.
    #[must_use]
    pub fn name_count(&self) -> usize {
        self.index.named
    }

    /// The pack's `pack.toml`.
    #[must_use]
    pub fn meta(&self) -> &PackMeta {
        &self.meta
    }

    /// Problems found while loading.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
}

/// The ids of the names a key of the index lists.
#[derive(Debug, Clone, Copy)]
struct Postings<'a>(&'a str);

impl<'a> Postings<'a> {
    fn ids(self) -> impl Iterator<Item = u32> + 'a {
        self.0.split(' ').scan(0u32, |id, delta| {
            // A malformed delta ends the list rather than shifting every id after it.
            *id = id.checked_add(delta.parse().ok()?)?;
            Some(*id)
        })
    }

    fn len(self) -> usize {
        // Common words have thousands of ids: count their separators at vector speed.
        memchr::memchr_iter(b' ', self.0.as_bytes()).count() + 1
    }
}

impl NameIndex {
    /// Reads an index's header and finds its key lines; an index for other names, out of
    /// order or malformed is refused with the reason. The names' `checksum` is `None` for
    /// compiled-in lists, whose index the test suite checks.
    fn parse(
        text: Cow<'static, str>,
        names: usize,
        checksum: Option<u64>,
        check_lines: bool,
    ) -> Result<NameIndex, String> {
        let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
        let fields: Vec<&str> = header.split('\t').collect();
        let [format, slots, counted, named, sum] = fields[..] else {
            return Err("the index has no header line".to_owned());
        };
        if format != INDEX_FORMAT {
            return Err(format!("the index is not a `{INDEX_FORMAT}` file"));
        }
        let number =
            |field: &str| field.parse::<usize>().map_err(|_| format!("`{field}` is not a count"));
        let (counted, named) = (number(counted)?, number(named)?);
        let other_names = checksum.is_some_and(|checksum| sum != format!("{checksum:016x}"));
        if number(slots)? != names || other_names {
            return Err("the index was built from other lists".to_owned());
        }
        // A compiled-in index is checked by the test suite (`compiled_in_tables_read_alike_unchecked`).
        if check_lines {
            let mut previous: Option<&str> = None;
            for line in body.split_terminator('\n') {
                let Some((key, _)) = line.split_once('\t') else {
                    return Err(format!("a line of the index has no names: `{line}`"));
                };
                if previous.is_some_and(|previous| previous >= key) {
                    return Err(format!("the index is not in key order at `{key}`"));
                }
                previous = Some(key);
            }
        }
        let body_start = (header.len() + 1).min(text.len());
        Ok(NameIndex { text, body_start, counted, named, ..NameIndex::default() })
    }

    /// Lookups by bisecting the text before the line starts are found.
    const TEXT_LOOKUPS: usize = 256;

    /// The names of `key`'s line (after its tab).
    fn find(&self, key: &[u8]) -> Option<&str> {
        let starts = match self.line_starts.get() {
            Some(starts) => starts,
            None if self.text_lookups.fetch_add(1, Ordering::Relaxed) < Self::TEXT_LOOKUPS
                || u32::try_from(self.text.len()).is_err() =>
            {
                return self.find_in_text(key);
            }
            None => self.line_starts.get_or_init(|| self.find_line_starts()),
        };
        self.find_in_lines(starts, key)
    }

    /// Where each key line starts in the body (an index over 4 GiB is only ever bisected
    /// as text).
    fn find_line_starts(&self) -> Vec<u32> {
        let body = self.text.get(self.body_start..).unwrap_or_default().as_bytes();
        let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', body).count() + 1);
        if !body.is_empty() {
            starts.push(0);
        }
        let ends = memchr::memchr_iter(b'\n', body).map(|end| end + 1);
        starts.extend(
            ends.filter(|&start| start < body.len()).filter_map(|start| u32::try_from(start).ok()),
        );
        starts
    }

    /// [`NameIndex::find`] by bisecting the line starts.
    fn find_in_lines(&self, starts: &[u32], key: &[u8]) -> Option<&str> {
        let body = self.text.get(self.body_start..)?;
        let bytes = body.as_bytes();
        // A line's key runs to its tab (to its end, on a malformed line without one).
        let key_at = |start: u32| {
            let line = bytes.get(start as usize..).unwrap_or_default();
            let end = line.iter().position(|&byte| byte == b'\t' || byte == b'\n');
            line.get(..end.unwrap_or(line.len())).unwrap_or_default()
        };
        let line = starts.binary_search_by(|&start| key_at(start).cmp(key)).ok()?;
        let tab = *starts.get(line)? as usize + key.len();
        if bytes.get(tab) != Some(&b'\t') {
            return None;
        }
        let end = starts.get(line + 1).map_or(bytes.len(), |&next| next as usize);
        let ids = body.get(tab + 1..end)?;
        Some(ids.strip_suffix('\n').unwrap_or(ids))
    }

    /// [`NameIndex::find`] by bisecting the key lines' text.
    fn find_in_text(&self, key: &[u8]) -> Option<&str> {
        let body = self.text.get(self.body_start..)?;
        let bytes = body.as_bytes();
        // `low` is always a line start; the key is on a line starting in `low..high`.
        let (mut low, mut high) = (0, bytes.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let start =
                memchr::memrchr(b'\n', bytes.get(low..middle)?).map_or(low, |at| low + at + 1);
            let end =
                memchr::memchr(b'\n', bytes.get(start..)?).map_or(bytes.len(), |at| start + at);
            let line = bytes.get(start..end)?;
            let tab = memchr::memchr(b'\t', line).unwrap_or(line.len());
            match line.get(..tab)?.cmp(key) {
                std::cmp::Ordering::Less => low = end + 1,
                std::cmp::Ordering::Greater => high = start,
                std::cmp::Ordering::Equal => return body.get(start + tab + 1..end),
            }
        }
        None
    }

    fn postings(&self, key: &str) -> Option<Postings<'_>> {
        self.find(key.as_bytes()).map(Postings)
    }

    /// How many names have the word.
    fn count(&self, word: &str) -> u32 {
        if let Some(count) = self.counts.get(word) {
            return count;
        }
        let count = self
            .postings(word)
            .map_or(0, |postings| u32::try_from(postings.len()).unwrap_or(u32::MAX));
        self.counts.insert(word.to_owned(), count);
        count
    }
}

/// The text without its parenthesised parts.
fn without_parentheses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// How one listed name scores against the query.
#[derive(Debug, Clone)]
struct Scored {
    value: f64,
    exact: bool,
    /// The word pairs: similarity, query word, listed word.
    chosen: Vec<(f64, usize, usize)>,
    /// The similarity of the names written as one word.
    joined: f64,
}

/// Scores one listed name against the query; `None` when no word pairs up.
fn score(query: &[Word], whole: &str, listed: &Name) -> Option<Scored> {
    let threshold = if query.len() == 1 || listed.words.len() == 1 {
        SINGLE_WORD_THRESHOLD
    } else {
        WORD_THRESHOLD
    };
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, q) in query.iter().enumerate() {
        for (j, c) in listed.words.iter().enumerate() {
            if !q.may_match(c) {
                continue;
            }
            let similarity = word_similarity(&q.folded, &q.phonetic, &c.folded, &c.phonetic);
            if similarity >= threshold {
                pairs.push((similarity, i, j));
            }
        }
    }
    if pairs.is_empty() {
        return None;
    }
    // Best pairs first; each word is paired at most once.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut query_used, mut listed_used) = (0u64, 0u64);
    let mut chosen: Vec<(f64, usize, usize)> = Vec::with_capacity(query.len());
    for (similarity, i, j) in pairs {
        let (query_bit, listed_bit) = (1u64 << (i % 64), 1u64 << (j % 64));
        if query_used & query_bit == 0 && listed_used & listed_bit == 0 {
            query_used |= query_bit;
            listed_used |= listed_bit;
            chosen.push((similarity, i, j));
        }
    }
    let share = |words: &[Word], matched: f64| {
        let total: f64 = words.iter().map(|word| word.weight).sum();
        if total > 0.0 { matched / total } else { 0.0 }
    };
    let query_share = share(
        query,
        chosen.iter().filter_map(|&(s, i, _)| query.get(i).map(|word| word.weight * s)).sum(),
    );
    let listed_share = share(
        &listed.words,
        chosen
            .iter()
            .filter_map(|&(s, _, j)| listed.words.get(j).map(|word| word.weight * s))
            .sum(),
    );
    let mut value = query_share * (1.0 - UNMATCHED_LISTED_WEIGHT * (1.0 - listed_share));
    // One shared word is not a match between names of several words.
    if query.len() == 1 && listed.words.len() > 1 {
        value = value.min(listed_share);
    } else if query.len() > 1 && listed.words.len() > 1 && chosen.len() < 2 {
        value = value.min(0.6);
    }
    // The same letters split into other words (`Abu Bakr`, `Abubakr`).
    let joined = if whole.len() >= 8 { jaro_winkler(whole, &listed.whole) } else { 0.0 };
    if joined >= 0.97 {
        value = value.max(joined);
    }
    let exact = chosen.len() == query.len()
        && chosen.len() == listed.words.len()
        && chosen.iter().all(|&(s, i, j)| {
            s >= 1.0 && query.get(i).map(|w| &w.folded) == listed.words.get(j).map(|w| &w.folded)
        });
    if exact {
        value = 1.0;
    }
    Some(Scored { value, exact, chosen, joined })
}

/// The word pairs and their similarity, the words left unmatched, in words.
fn explain(query: &[Word], listed: &Name, scored: &Scored) -> String {
    let mut explanation = String::new();
    let mut sorted = scored.chosen.clone();
    sorted.sort_by_key(|&(_, i, _)| i);
    for (n, (similarity, i, j)) in sorted.iter().enumerate() {
        let (Some(q), Some(c)) = (query.get(*i), listed.words.get(*j)) else { continue };
        let separator = if n == 0 { "words " } else { ", " };
        let relation = if q.folded == c.folded { "=" } else { "~" };
        let _ =
            write!(explanation, "{separator}{}{relation}{} {similarity:.2}", q.folded, c.folded);
    }
    let listed_left = listed
        .words
        .iter()
        .enumerate()
        .filter(|(j, _)| !scored.chosen.iter().any(|chosen| chosen.2 == *j));
    let query_left = query
        .iter()
        .enumerate()
        .filter(|(i, _)| !scored.chosen.iter().any(|chosen| chosen.1 == *i));
    let unmatched: Vec<&str> =
        listed_left.chain(query_left).map(|(_, word)| word.folded.as_str()).collect();
    if !unmatched.is_empty() {
        let _ = write!(explanation, "; not matched: {}", unmatched.join(", "));
    }
    if scored.joined >= 0.97 && !scored.exact {
        let _ = write!(explanation, "; as one word {:.2}", scored.joined);
    }
    explanation
}

/// A country the entry names supports a match a little; a different one weakens it. Names
/// that are the same words keep their score.
fn country_adjustment(scored: &Scored, entry: &Entry, country: Option<&str>) -> f64 {
    let Some(country) = country.filter(|country| !country.is_empty()) else { return 0.0 };
    if scored.exact || entry.countries().next().is_none() {
        return 0.0;
    }
    if entry.countries().any(|listed| listed == country) {
        COUNTRY_BONUS.min(0.99 - scored.value).max(0.0)
    } else {
        -0.04
    }
}

fn country_note(entry: &Entry, country: Option<&str>) -> String {
    let Some(country) = country.filter(|country| !country.is_empty()) else { return String::new() };
    if entry.countries().next().is_none() {
        String::new()
    } else if entry.countries().any(|listed| listed == country) {
        format!("; country {country} matches the entry")
    } else {
        let listed: Vec<&str> = entry.countries().collect();
        format!("; country {country} is not the entry's ({})", listed.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "bundled-sanctions")]
    #[test]
    fn the_bundled_index_answers_alike_from_its_text_and_its_line_starts() {
        let lists = SanctionsLists::from_files(crate::screen::bundled::sanctions_files()).unwrap();
        let index = &lists.index;
        let starts = index.find_line_starts();
        let body = index.text.get(index.body_start..).unwrap();
        assert!(starts.len() > 20_000);
        for line in body.lines() {
            let key = line.split('\t').next().unwrap().as_bytes();
            let found = index.find_in_lines(&starts, key);
            assert_eq!(found, index.find_in_text(key), "{line}");
            assert!(found.is_some());
            // A key cut short, or run on, is another key.
            let short = &key[..key.len() - 1];
            assert_eq!(index.find_in_lines(&starts, short), index.find_in_text(short));
            let long = [key, b"~"].concat();
            assert_eq!(index.find_in_lines(&starts, &long), index.find_in_text(&long));
        }
        // Past the lookups made on the text, `find` uses the line starts.
        for _ in 0..=NameIndex::TEXT_LOOKUPS {
            index.find(b"mohammed");
        }
        assert!(index.line_starts.get().is_some_and(|built| *built == starts));
    }

    #[cfg(feature = "bundled-sanctions")]
    #[test]
    fn prebuilt_entries_and_names_are_the_read_ones() {
        let files = crate::screen::bundled::sanctions_files();
        let compiled_in = SanctionsLists::from_files(files.clone()).unwrap();
        let read = SanctionsLists::from_files(
            files.into_iter().map(|file| PackFile { prechecked: false, ..file }).collect(),
        )
        .unwrap();
        assert!(read.findings().is_empty(), "{:?}", read.findings());
        // The load took them: they fit the compiled-in lists.
        let prebuilt = crate::tariff::table::sanctions_lists().expect("prebuilt lists");
        let mut tables: [Option<Table>; LISTS.len()] = Default::default();
        for (slot, (name, _)) in tables.iter_mut().zip(LISTS) {
            let file = crate::screen::bundled::sanctions_files()
                .into_iter()
                .find(|file| file.name == name)
                .unwrap();
            *slot = Some(Table::parse_file(file, schema::LIST_COLUMNS, &mut Vec::new()).unwrap());
        }
        assert!(prebuilt_entries(prebuilt, &tables).is_some());
        assert!(compiled_in.entries.len() > 7_000);
        assert!(compiled_in.entries == read.entries, "prebuilt entries differ from those read");
        let names = |lists: &SanctionsLists| -> Vec<(u32, Variant, String, bool)> {
            let slots = lists.names.iter();
            slots
                .map(|slot| (slot.entry, slot.variant, lists.slot_text(slot).to_owned(), slot.bare))
                .collect()
        };
        assert!(compiled_in.names.len() > 20_000);
        assert!(names(&compiled_in) == names(&read), "prebuilt names differ from those read");
        // Not taken where they do not fit: another count, another size, a bad variant.
        for at in [0, 4, 8, prebuilt.len() - 2] {
            let mut bad = prebuilt.to_vec();
            bad[at] = bad[at].wrapping_add(3);
            assert!(prebuilt_entries(&bad, &tables).is_none(), "byte {at} changed");
        }
    }

    pub(crate) const UN: &str = "id\tkind\tprogramme\tlisted_on\tcountries\tborn\tname\taliases\tweak_aliases\n\
KPe.001\tentity\tDPRK\t2009-04-24\tKP\t\tKOREA MINING DEVELOPMENT TRADING CORPORATION\tCHANGGWANG SINYONG CORPORATION|KOMID\t\n\
QDi.001\tindividual\tAl-Qaida\t2001-01-25\tSA\t1957\tUSAMA MUHAMMED AWAD BIN LADEN\tUsama Bin Muhammad Bin Awad Bin Ladin|Осама бен Ладен\tAbu Abdallah\n\
LYi.001\tindividual\tLibya\t2011-02-26\tLY\t1942\tMUAMMAR MOHAMMED ABU MINYAR QADHAFI\t\t\n\
XXi.001\tindividual\tTest\t\tRU\t\tVLADIMIR IVANOVICH PETROV\tВладимир Иванович Петров\t\n";

    pub(crate) fn lists() -> SanctionsLists {
        SanctionsLists::from_files(vec![
            PackFile::owned("pack.toml", "jurisdiction = \"sanctions\"\n".to_owned()),
            PackFile::owned("un.tsv", UN.to_owned()),
        ])
        .unwrap()
    }

    #[test]
    fn fields_and_names_of_a_record_with_escapes_are_its_own() {
        let un = format!(
            "{UN}ESi.001\tentity\tA\\\\B\t\tIR\t\tZED TRADING (ZT)\tZed Corp | Zedco\\tLtd\tZ\n"
        );
        let lists = SanctionsLists::from_files(vec![
            PackFile::owned("pack.toml", "jurisdiction = \"sanctions\"\n".to_owned()),
            PackFile::owned("un.tsv", un),
        ])
        .unwrap();
        assert!(lists.findings().is_empty(), "{:?}", lists.findings());
        let entry = lists.entries().last().unwrap();
        assert_eq!(
            (entry.id(), entry.kind(), entry.programme(), entry.country_codes(), entry.name()),
            ("ESi.001", "entity", "A\\B", "IR", "ZED TRADING (ZT)")
        );
        let names: Vec<(&str, Variant, bool)> = lists
            .names
            .iter()
            .filter(|slot| slot.entry as usize == lists.entries().len() - 1)
            .map(|slot| (lists.slot_text(slot), slot.variant, slot.bare))
            .collect();
        assert_eq!(
            names,
            [
                ("ZED TRADING (ZT)", Variant::Primary, true),
                ("ZED TRADING (ZT)", Variant::Primary, false),
                ("Zed Corp", Variant::Alias, false),
                ("Zedco\tLtd", Variant::Alias, false),
                ("Z", Variant::WeakAlias, false),
            ]
        );
        // A plain record's entry borrows its line; its names lie in it.
        let plain = lists.entries().first().unwrap();
        assert_eq!(plain.name(), "KOREA MINING DEVELOPMENT TRADING CORPORATION");
        assert_eq!(ids(&lists, "Zed Corp"), ["ESi.001"]);
    }

    #[test]
    fn every_key_of_an_index_is_found_by_bisecting_its_text() {
        let keys = ["a", "ab", "b", "ba", "c", "cab", "d", "e", "f", "zz"];
        let lines: Vec<String> =
            keys.iter().enumerate().map(|(n, key)| format!("{key}\t{n}\n")).collect();
        let text = format!("header\n{}", lines.concat());
        let index = NameIndex { text: Cow::Owned(text), body_start: 7, ..NameIndex::default() };
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(index.find(key.as_bytes()), Some(n.to_string().as_str()), "{key}");
        }
        for absent in ["", "0", "aa", "bb", "ca", "z", "zzz", "\t"] {
            assert_eq!(index.find(absent.as_bytes()), None, "{absent}");
        }
        let empty =
            NameIndex { text: Cow::Borrowed("header\n"), body_start: 7, ..NameIndex::default() };
        assert_eq!(empty.find(b"a"), None);
        // The same answers from the line starts, which a busy index finds.
        let starts = index.find_line_starts();
        assert_eq!(starts.len(), keys.len());
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(index.find_in_lines(&starts, key.as_bytes()), Some(n.to_string().as_str()));
        }
        for absent in ["", "0", "aa", "bb", "ca", "z", "zzz", "\t"] {
            assert_eq!(index.find_in_lines(&starts, absent.as_bytes()), None, "{absent}");
        }
        assert_eq!(empty.find_in_lines(&empty.find_line_starts(), b"a"), None);
        // Malformed lines: no tab, no final line end.
        let odd = NameIndex {
            text: Cow::Borrowed("header\nb\nc\t1 2\nd\t3"),
            body_start: 7,
            ..NameIndex::default()
        };
        let odd_starts = odd.find_line_starts();
        for key in ["a", "b", "c", "d", "e"] {
            let key = key.as_bytes();
            assert_eq!(odd.find_in_lines(&odd_starts, key), odd.find_in_text(key));
        }
        assert_eq!(odd.find_in_lines(&odd_starts, b"c"), Some("1 2"));
        assert_eq!(odd.find_in_lines(&odd_starts, b"d"), Some("3"));
    }

    fn with_index(un: &str, index: &str) -> SanctionsLists {
        SanctionsLists::from_files(vec![
            PackFile::owned(
                "pack.toml",
                "jurisdiction = \"sanctions\"\nindex = \"name_index.tsv\"\n".to_owned(),
            ),
            PackFile::owned("un.tsv", un.to_owned()),
            PackFile::owned(INDEX_FILE, index.to_owned()),
        ])
        .unwrap()
    }

    fn ids(lists: &SanctionsLists, name: &str) -> Vec<String> {
        lists.screen(name, None, 3).iter().map(|found| found.entry.id().to_string()).collect()
    }

    #[test]
    fn a_prebuilt_index_is_used_as_it_is() {
        let built = lists();
        let text = built.index_text().to_owned();
        assert!(text.starts_with(INDEX_FORMAT), "{text}");
        let prebuilt = with_index(UN, &text);
        assert!(prebuilt.findings().is_empty(), "{:?}", prebuilt.findings());
        assert_eq!(prebuilt.index_text(), text);
        for name in ["Korea Mining Development Trading Corporation", "Muammar Qadhafi", "KOMID"] {
            assert_eq!(ids(&prebuilt, name), ids(&built, name), "{name}");
        }
        assert_eq!(prebuilt.name_count(), built.name_count());
    }

    #[test]
    fn a_stale_or_broken_index_is_rebuilt_with_a_finding() {
        let text = lists().index_text().to_owned();
        // The lists gained an entry since the index was written.
        let updated =
            format!("{UN}ZZi.001\tindividual\tTest\t\tRU\t\tGRIGORY EFIMOVICH RASPUTIN\t\t\n");
        let stale = with_index(&updated, &text);
        assert!(
            stale.findings()[0].message.contains("built from other lists"),
            "{:?}",
            stale.findings()
        );
        assert_eq!(ids(&stale, "Grigory Rasputin"), ["ZZi.001"]);
        // Two key lines swapped: lookups by binary search would miss keys.
        let mut lines: Vec<&str> = text.lines().collect();
        lines.swap(3, 4);
        let unsorted = with_index(UN, &(lines.join("\n") + "\n"));
        assert!(
            unsorted.findings()[0].message.contains("not in key order"),
            "{:?}",
            unsorted.findings()
        );
        assert_eq!(ids(&unsorted, "KOMID"), ["KPe.001"]);
        let garbage = with_index(UN, "not an index\n");
        assert!(garbage.findings()[0].message.contains("rebuilt in memory"));
        assert_eq!(ids(&garbage, "KOMID"), ["KPe.001"]);
    }

    fn best(name: &str, country: Option<&str>) -> Option<(String, String, f64, bool)> {
        let lists = lists();
        lists.screen(name, country, 3).first().map(|found| {
            (found.entry.id().to_string(), found.matched_name.to_owned(), found.score, found.exact)
        })
    }

    #[test]
    fn exact_names_match_in_any_case_and_word_order() {
        let found = best("Korea Mining Development Trading Corporation", Some("KP")).unwrap();
        assert_eq!((found.0.as_str(), found.3), ("KPe.001", true));
        let found = best("Petrov Vladimir Ivanovich", None).unwrap();
        assert_eq!((found.0.as_str(), found.2, found.3), ("XXi.001", 1.0, true));
    }

    #[test]
    fn transliterations_and_variants_match_with_the_variant_named() {
        let found = best("Муаммар Каддафи", None);
        assert!(found.is_none(), "two words of five are not enough: {found:?}");
        let found = best("Muammar Mohamed Abu Minyar Gaddafi", Some("LY")).unwrap();
        assert_eq!(found.0, "LYi.001");
        assert!(found.2 >= MATCH_THRESHOLD && !found.3, "{found:?}");
        let found = best("Владимир Иванович Петров", None).unwrap();
        assert_eq!((found.0.as_str(), found.3), ("XXi.001", true));
        let found = best("Usama bin Muhammad bin Awad bin Ladin", None).unwrap();
        assert_eq!(found.1, "Usama Bin Muhammad Bin Awad Bin Ladin");
    }

    #[test]
    fn a_repeated_query_is_answered_as_the_first_time_and_memory_stays_bounded() {
        let lists = lists();
        let name = "Muammar Mohammed Abu Minyar Gadafi";
        let first = lists.screen(name, Some("LY"), 5);
        assert_eq!(first.first().map(|found| found.entry.id()), Some("LYi.001"));
        assert_eq!(lists.screen(name, Some("LY"), 5), first);
        // Another country is another query, scored afresh.
        let elsewhere = lists.screen(name, Some("FR"), 5);
        assert!(elsewhere.first().is_some_and(|found| found.score < first[0].score));
        for n in 0..RECENT_QUERIES + 10 {
            let _ = lists.screen(&format!("Nobody {n}"), None, 5);
            let held = lists.recent.len();
            assert!(held <= RECENT_QUERIES, "{held} queries held");
        }
        assert_eq!(lists.screen(name, Some("LY"), 5), first);
    }

    #[test]
    fn ordinary_names_do_not_match() {
        for name in [
            "Korea Trading Company",
            "Mining Development Ltd",
            "Vladimir Smith",
            "Abdallah Import Export",
            "Cheval",
            "Shotguns incorporated",
            "RU Steel Inc.",
        ] {
            assert_eq!(best(name, None), None, "{name}");
        }
    }

    #[test]
    fn a_different_country_lowers_the_score() {
        let lists = lists();
        let here = lists.screen("Muammar Mohammed Abu Minyar Gadafi", Some("LY"), 1);
        let there = lists.screen("Muammar Mohammed Abu Minyar Gadafi", Some("FR"), 1);
        assert!(here[0].score > there.first().map_or(0.0, |found| found.score));
        assert!(here[0].explanation.contains("country LY matches"), "{}", here[0].explanation);
    }
}
