//! The restriction pack: rules on commodity codes (imported from HMRC's P&R table, and
//! authored in `.rules` files), rules on goods descriptions (CITES species, keywords), the
//! categories and the names of document codes.
//!
//! A pack is a folder such as `tariffs/uk/restrictions/`: the tables written by the importer
//! (`pr_measures.tsv`, `pr_codes.tsv`, `categories.tsv`, `cites_species.tsv`, listed in
//! `pack.toml`) and the authored `*.rules` files. A rule block with `source = pr_measures ICP`
//! takes its commodity codes, dates and countries from the imported rows of that P&R code;
//! every other block lists its own.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::date::Date;
use crate::finding::Finding;
use crate::screen::rulefile::{self, Block};
use crate::screen::schema;
use crate::tariff::meta::PackMeta;
use crate::tariff::numbers::{decimal, prefix_of};
use crate::tariff::pack::date_field;
use crate::tariff::table::{Table, bad_pack, index_date, index_half, index_word};
use crate::tariff::{PackFile, TariffError};

/// What a rule does when it applies and no document satisfies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// The goods need one of the rule's documents (an error without one).
    Restriction,
    /// The goods may not cross, unless a licence for an exception is declared.
    Prohibition,
    /// The rule may apply; a warning asks the broker to check.
    Advisory,
}

/// Which movements a rule concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Goods entering.
    Import,
    /// Goods leaving.
    Export,
    /// Both.
    Both,
}

impl Direction {
    fn parse(text: &str) -> Option<Direction> {
        match text.to_ascii_lowercase().as_str() {
            "import" => Some(Direction::Import),
            "export" => Some(Direction::Export),
            "both" => Some(Direction::Both),
            _ => None,
        }
    }

    /// Whether a rule of this direction concerns a movement in `movement`.
    #[must_use]
    pub fn covers(self, movement: Direction) -> bool {
        self == Direction::Both || self == movement
    }
}

/// The countries a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Countries {
    /// Every country.
    Any,
    /// These ISO 3166 alpha-2 codes.
    Listed(Vec<String>),
    /// A named group whose members the source does not give (e.g. a CHIEF group `D0700`).
    Group(String),
}

/// Which country of the movement a rule's countries are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryOf {
    /// The country of origin.
    Origin,
    /// The country of dispatch (export country).
    Dispatch,
    /// Either the origin or the dispatch country ("originating in or consigned from").
    OriginOrDispatch,
    /// The country of destination.
    Destination,
}

/// Whether a rule's code covers only goods it controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every good of the code is controlled: a missing document is an error.
    Whole,
    /// The control concerns only some goods of the code (CITES species, aquaculture
    /// excepted, ...): a missing document is reported, but not as an error.
    Part,
}

/// The part of the UK a declaration is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Territory {
    /// Great Britain.
    GreatBritain,
    /// Northern Ireland, where EU goods rules apply under the Windsor Framework.
    NorthernIreland,
}

/// A commodity code prefix with the dates it is in the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Digits, trailing `00` pairs removed (see [`commodity_prefix`]); borrowed from a
    /// compiled-in table.
    pub prefix: Cow<'static, str>,
    /// First day.
    pub from: Option<Date>,
    /// Last day.
    pub to: Option<Date>,
}

impl Scope {
    fn valid_on(&self, date: Option<Date>) -> bool {
        date.is_none_or(|date| {
            self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
        })
    }
}

/// A rule on commodity codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, e.g. `uk-pr-icp` or `uk-embargo-sudan-arms`.
    pub id: String,
    /// A short title.
    pub title: String,
    /// What happens when it applies.
    pub kind: RuleKind,
    /// Import, export or both.
    pub direction: Direction,
    /// The commodity codes it covers.
    pub scopes: Vec<Scope>,
    /// Codes it does not cover, although a scope does.
    pub except_commodities: Vec<String>,
    /// The countries it covers.
    pub countries: Countries,
    /// Countries excluded from `countries`.
    pub except_countries: Vec<String>,
    /// Which country of the movement `countries` means.
    pub country_of: CountryOf,
    /// Whether the code's goods are all concerned.
    pub coverage: Coverage,
    /// The part of the UK the rule applies in (`None`: all of it).
    pub territory: Option<Territory>,
    /// The category (`cites`, `firearms`, ...; see `categories.tsv`).
    pub category: String,
    /// The legal basis.
    pub legal_basis: String,
    /// Document codes that satisfy it (licences, certificates).
    pub documents: Vec<String>,
    /// Document codes stating the goods are outside it (`Y900`: not CITES-listed).
    pub exemptions: Vec<String>,
    /// Document status codes that count although they say the document is not held (`XW`).
    pub waivers: Vec<String>,
    /// P&R codes of imported rules this rule replaces where both apply.
    pub supersedes: Vec<String>,
    /// What the rule means for the broker.
    pub message: String,
    /// The P&R code of an imported rule.
    pub pr_code: Option<String>,
    /// The CDS measure types of that P&R code.
    pub measure_types: Vec<String>,
    /// Where the rule is written (`file:line`).
    pub source: String,
}

impl Rule {
    /// Whether the rule covers a movement with these countries (`None`: not declared).
    #[must_use]
    pub fn covers_country(
        &self,
        origin: Option<&str>,
        dispatch: Option<&str>,
        destination: Option<&str>,
    ) -> bool {
        let candidates: Vec<&str> = match self.country_of {
            CountryOf::Origin => origin.into_iter().collect(),
            CountryOf::Dispatch => dispatch.into_iter().collect(),
            CountryOf::OriginOrDispatch => origin.into_iter().chain(dispatch).collect(),
            CountryOf::Destination => destination.into_iter().collect(),
        };
        let excluded = |country: &str| self.except_countries.iter().any(|code| code == country);
        match &self.countries {
            // An unknown country cannot be excluded, so the rule may apply.
            Countries::Any | Countries::Group(_) => {
                candidates.is_empty() || candidates.iter().any(|country| !excluded(country))
            }
            Countries::Listed(codes) => candidates
                .iter()
                .any(|country| !excluded(country) && codes.iter().any(|code| code == country)),
        }
    }

    /// Whether `prefix` (a normalised declared code) is one this rule excepts.
    fn excepts(&self, code: &str) -> bool {
        self.except_commodities.iter().any(|except| code.starts_with(except.as_str()))
    }
}

/// What a description rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Scientific names of CITES-listed species (`cites_species.tsv`).
    Species,
    /// Words and phrases (ivory, rhino horn, ...).
    Keyword,
}

/// A rule on goods descriptions; it only warns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRule {
    /// Stable id.
    pub id: String,
    /// A short title.
    pub title: String,
    /// What it looks for.
    pub kind: TextKind,
    /// Lowercase words or phrases (keywords).
    pub terms: Vec<Vec<String>>,
    /// The category.
    pub category: String,
    /// The legal basis.
    pub legal_basis: String,
    /// Documents that would cover the goods.
    pub documents: Vec<String>,
    /// Statements that the goods are outside the rule (which the description contradicts).
    pub exemptions: Vec<String>,
    /// What it means.
    pub message: String,
    /// Where it is written.
    pub source: String,
}

/// A CITES-listed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Species {
    /// The name as the source writes it (`Loxodonta africana`).
    pub name: String,
    /// The appendix (`I`, `II`, `III`, or several).
    pub appendix: String,
    /// The accepted name when `name` is a synonym.
    pub accepted: Option<String>,
}

/// A rule category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The slug rules use (`cites`).
    pub slug: String,
    /// The Windsor Framework Annex 2 theme (`2.6`), when the category is one.
    pub theme: String,
    /// Its title.
    pub title: String,
    /// The legal act of the theme.
    pub legal_basis: String,
}

/// A loaded restriction pack.
#[derive(Debug, Default)]
pub struct RulePack {
    meta: PackMeta,
    rules: Vec<Rule>,
    /// Prefix → (rule, scope) pairs.
    index: Vec<IndexEntry>,
    text_rules: Vec<TextRule>,
    /// `cites_species.tsv`, which species lookups read.
    species_table: Option<Table>,
    /// Every CITES name (species and synonyms) by the hash of its lowercase form.
    species: SpeciesKeys,
    /// Which hashes may be a CITES name's.
    species_filter: HashFilter,
    categories: Vec<Category>,
    documents: BTreeMap<String, String>,
    findings: Vec<Finding>,
}

/// Where a CITES name is: `cites_species.tsv` row, and 0 for the species or the 1-based
/// synonym. Sorted by the hash of the name's lowercase form, so that loading hashes each name
/// in place instead of copying and lowercasing it into a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SpeciesKey {
    hash: u64,
    row: u32,
    synonym: u32,
}

/// The CITES name keys in hash order: read where they lie in the prebuilt bytes of
/// `core/build.rs` (16 bytes each: hash, row, synonym), or built at load. Decoded into a
/// vector, the prebuilt keys cost a third of a megabyte of fresh memory at every start.
#[derive(Debug)]
enum SpeciesKeys {
    Prebuilt(&'static [u8]),
    Built(Vec<SpeciesKey>),
}

impl Default for SpeciesKeys {
    fn default() -> Self {
        SpeciesKeys::Built(Vec::new())
    }
}

/// One bit for each value of a hash's top 18 bits (32 KB), set for the hashes of a set of
/// names: most word pairs of a description are no CITES name, and the filter says so from
/// memory that stays in cache, where a search of the 21,000 keys misses the cache at nearly
/// every step. An empty filter (a pack without species) rules nothing out.
#[derive(Debug, Default)]
struct HashFilter(Vec<u64>);

impl HashFilter {
    const BITS: u32 = 18;

    fn new(hashes: impl Iterator<Item = u64>) -> HashFilter {
        let mut words = vec![0_u64; 1 << (Self::BITS - 6)];
        for hash in hashes {
            let bit = hash >> (64 - Self::BITS);
            if let Some(word) = usize::try_from(bit / 64).ok().and_then(|at| words.get_mut(at)) {
                *word |= 1 << (bit % 64);
            }
        }
        HashFilter(words)
    }

    /// Whether `hash` may be in the set (always, for an empty filter).
    fn may_contain(&self, hash: u64) -> bool {
        let bit = hash >> (64 - Self::BITS);
        usize::try_from(bit / 64)
            .ok()
            .and_then(|at| self.0.get(at))
            .is_none_or(|word| word & (1 << (bit % 64)) != 0)
    }
}

impl SpeciesKeys {
    /// The prebuilt keys, when they fit a table of `rows` records.
    fn prebuilt(bytes: &'static [u8], rows: usize) -> Option<SpeciesKeys> {
        let keys = SpeciesKeys::Prebuilt(bytes);
        let fits = bytes.len().is_multiple_of(16)
            && keys.iter().all(|key| (key.row as usize) < rows)
            && keys.iter().is_sorted_by_key(|key| key.hash);
        fits.then_some(keys)
    }

    fn len(&self) -> usize {
        match self {
            SpeciesKeys::Prebuilt(bytes) => bytes.len() / 16,
            SpeciesKeys::Built(keys) => keys.len(),
        }
    }

    fn get(&self, n: usize) -> Option<SpeciesKey> {
        match self {
            SpeciesKeys::Prebuilt(bytes) => {
                let key = bytes.get(n.checked_mul(16)?..)?.get(..16)?;
                let (hash, rest) = key.split_at(8);
                let (row, synonym) = rest.split_at(4);
                Some(SpeciesKey {
                    hash: u64::from_le_bytes(hash.try_into().ok()?),
                    row: u32::from_le_bytes(row.try_into().ok()?),
                    synonym: u32::from_le_bytes(synonym.try_into().ok()?),
                })
            }
            SpeciesKeys::Built(keys) => keys.get(n).copied(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = SpeciesKey> + '_ {
        (0..self.len()).map_while(|n| self.get(n))
    }

    /// The keys from the first whose hash is `hash` on.
    fn starting_at(&self, hash: u64) -> impl Iterator<Item = SpeciesKey> + '_ {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if self.get(middle).is_some_and(|key| key.hash < hash) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        (low..self.len()).map_while(|n| self.get(n))
    }
}

/// The first position at or after `from` whose item is not `before` (items are `before`, then
/// not), found in steps that double from `from`, then a binary search within the last step.
fn gallop<T>(items: &[T], from: usize, before: impl Fn(&T) -> bool) -> usize {
    let mut low = from.min(items.len());
    let mut bound = low;
    let mut step = 1_usize;
    while items.get(bound).is_some_and(&before) {
        low = bound + 1;
        bound = bound.saturating_add(step);
        step = step.saturating_mul(2);
    }
    let high = bound.min(items.len()).max(low);
    low + items.get(low..high).map_or(0, |rest| rest.partition_point(&before))
}

fn same_lowercase(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// A commodity code as a prefix: digits only, trailing `00` pairs removed down to four digits,
/// since `0101210000` and `010121` name the same goods (`None` for anything but 2 to 10
/// digits).
#[must_use]
pub fn commodity_prefix(code: &str) -> Option<String> {
    prefix_of(code).map(str::to_owned)
}

/// A number that orders prefixes (digits, at most ten: see [`commodity_prefix`]) as their text
/// does: the digits padded with zeros to ten, then the length, so that a prefix sorts before
/// the longer ones it starts.
fn prefix_order(prefix: &str) -> u64 {
    let digits = decimal(prefix).unwrap_or(0);
    let length = prefix.len().min(10);
    let padded = (length..10).fold(digits, |value, _| value * 10);
    padded * 16 + length as u64
}

fn parse_kind(text: &str) -> Option<RuleKind> {
    match text {
        "restriction" => Some(RuleKind::Restriction),
        "prohibition" => Some(RuleKind::Prohibition),
        "advisory" => Some(RuleKind::Advisory),
        _ => None,
    }
}

fn is_document_code(code: &str) -> bool {
    code.len() == 4 && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn is_country(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The imported rows of one P&R code, grouped by country: (origin, area) → scopes.
/// A P&R code's rows by (origin, area), borrowed from `pr_measures.tsv`.
type PrGroups<'t> = BTreeMap<(&'t str, &'t str), Vec<Scope>>;

/// A scope in the prefix index: its prefix's [`prefix_order`], its rule and scope.
type IndexEntry = (u64, u32, u32);

impl RulePack {
    /// Loads a pack from its files (`pack.toml`, the tables it lists, and `*.rules` files).
    ///
    /// Bad records and rules become findings ([`RulePack::findings`]); only a missing or
    /// unreadable table makes the whole pack fail.
    ///
    /// # Errors
    ///
    /// When `pack.toml` or a table is missing or has the wrong header.
    pub fn from_files(files: Vec<PackFile>) -> Result<RulePack, TariffError> {
        let mut findings = Vec::new();
        let meta = super::read_meta(&files, &mut findings)?;
        if meta.text("jurisdiction") != Some("uk-restrictions") {
            return Err(bad_pack(
                "pack.toml",
                1,
                "not a restriction pack (`jurisdiction = \"uk-restrictions\"`)",
            )
            .into());
        }
        let mut pack = RulePack { meta, ..RulePack::default() };
        let mut tables: HashMap<&'static str, Table> = HashMap::new();
        let mut blocks = Vec::new();
        let mut species_keys = None;
        for file in files {
            let wanted =
                [schema::PR_MEASURES, schema::PR_CODES, schema::CATEGORIES, schema::CITES_SPECIES]
                    .into_iter()
                    .find(|table| table.file == file.name);
            if let Some(table) = wanted {
                if table.file == schema::CITES_SPECIES.file && file.prechecked {
                    species_keys = crate::tariff::table::cites_species_keys();
                }
                let parsed = Table::parse_file(file, table.columns, &mut findings)
                    .map_err(|error| TariffError { finding: error.0 })?;
                tables.insert(table.file, parsed);
            } else if std::path::Path::new(&file.name)
                .extension()
                .is_some_and(|extension| extension.eq_ignore_ascii_case("rules"))
            {
                blocks.extend(rulefile::parse(&file.name, &file.text, &mut findings));
            }
        }
        for table in
            [schema::PR_MEASURES, schema::PR_CODES, schema::CATEGORIES, schema::CITES_SPECIES]
        {
            if !tables.contains_key(table.file) {
                return Err(bad_pack(table.file, 1, "missing from the restriction pack").into());
            }
        }
        if let Some(table) = tables.get(schema::CATEGORIES.file) {
            pack.read_categories(table);
        }
        if let Some(table) = tables.remove(schema::CITES_SPECIES.file) {
            pack.read_species(table, species_keys);
        }
        let mut pr_groups = tables
            .get(schema::PR_MEASURES.file)
            .map(|table| pr_groups(table, &mut findings))
            .unwrap_or_default();
        let mut pr_uses = pr_uses(&blocks);
        let pr_codes = tables.get(schema::PR_CODES.file);
        for block in &blocks {
            if block.id == "documents" {
                for (code, name, line) in &block.entries {
                    if !is_document_code(code) {
                        findings.push(bad_pack(
                            &block.file,
                            *line,
                            format!("`{code}` is not a document code"),
                        ));
                    }
                    pack.documents.insert(code.clone(), name.clone());
                }
                continue;
            }
            match block.get("kind") {
                Some("keyword" | "species") => {
                    if let Some(rule) = text_rule(block, &mut findings) {
                        pack.text_rules.push(rule);
                    }
                }
                _ => {
                    pack.add_rule_block(
                        block,
                        &mut pr_groups,
                        &mut pr_uses,
                        pr_codes,
                        &mut findings,
                    );
                }
            }
        }
        pack.check_references(&mut findings);
        let with_rules: std::collections::HashSet<&str> =
            pack.rules.iter().filter_map(|rule| rule.pr_code.as_deref()).collect();
        for code in pr_groups.keys() {
            if !with_rules.contains(code) {
                findings.push(bad_pack(
                    schema::PR_MEASURES.file,
                    1,
                    format!(
                        "the P&R code {code} has rows but no rule (`source = pr_measures {code}`)"
                    ),
                ));
            }
        }
        pack.build_index();
        pack.findings = findings;
        Ok(pack)
    }

    fn read_categories(&mut self, table: &Table) {
        self.categories = (0..table.len())
            .map(|row| Category {
                slug: table.get(row, 0).to_owned(),
                theme: table.get(row, 1).to_owned(),
                title: table.get(row, 2).to_owned(),
                legal_basis: table.get(row, 3).to_owned(),
            })
            .collect();
    }

    /// Each species under its lowercase name, and each synonym pointing to it: taken from
    /// `prebuilt` keys (the compiled-in table's, from `core/build.rs`) when they fit the table.
    fn read_species(&mut self, table: Table, prebuilt: Option<&'static [u8]>) {
        if let Some(keys) = prebuilt.and_then(|keys| SpeciesKeys::prebuilt(keys, table.len())) {
            self.species_filter = HashFilter::new(keys.iter().map(|key| key.hash));
            self.species = keys;
            self.species_table = Some(table);
            return;
        }
        let mut species = Vec::new();
        for row in 0..table.len() {
            let row_number = u32::try_from(row).unwrap_or(u32::MAX);
            let mut fields = table.fields(row);
            let (Some(name), Some(_), Some(synonyms)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            species.push(SpeciesKey {
                hash: crate::fxhash::lowercase_fnv1a(name),
                row: row_number,
                synonym: 0,
            });
            for (n, synonym) in
                synonyms.split('|').filter(|synonym| !synonym.is_empty()).enumerate()
            {
                let synonym_number = u32::try_from(n + 1).unwrap_or(u32::MAX);
                species.push(SpeciesKey {
                    hash: crate::fxhash::lowercase_fnv1a(synonym),
                    row: row_number,
                    synonym: synonym_number,
                });
            }
        }
        // Stable: names with the same hash keep the file's order, and the last one read wins.
        species.sort_by_key(|key| key.hash);
        self.species_filter = HashFilter::new(species.iter().map(|key| key.hash));
        self.species = SpeciesKeys::Built(species);
        self.species_table = Some(table);
    }

    /// The name a species key points to, with its appendix and accepted name.
    fn species_at(&self, key: SpeciesKey) -> Option<Species> {
        let table = self.species_table.as_ref()?;
        let row = key.row as usize;
        let accepted = table.get(row, 0);
        let appendix = table.get(row, 1).to_owned();
        if key.synonym == 0 {
            return Some(Species { name: accepted.to_owned(), appendix, accepted: None });
        }
        let synonym = table
            .get(row, 2)
            .split('|')
            .filter(|synonym| !synonym.is_empty())
            .nth(key.synonym as usize - 1)?;
        Some(Species { name: synonym.to_owned(), appendix, accepted: Some(accepted.to_owned()) })
    }

    fn add_rule_block(
        &mut self,
        block: &Block,
        pr_groups: &mut BTreeMap<&str, PrGroups<'_>>,
        pr_uses: &mut HashMap<&str, usize>,
        pr_codes: Option<&Table>,
        findings: &mut Vec<Finding>,
    ) {
        let Some(template) = rule_template(block, findings) else { return };
        let code = match pr_source(block) {
            None => {
                if template.scopes.is_empty() {
                    findings.push(block.finding("commodities", "no `commodities` and no `source`"));
                }
                self.rules.push(template);
                return;
            }
            Some(Err(())) => {
                findings.push(block.finding("source", "expected `source = pr_measures CODE`"));
                return;
            }
            Some(Ok(code)) => code,
        };
        let (measure_types, direction) = pr_codes
            .and_then(|table| {
                (0..table.len()).find(|&row| table.get(row, 0) == code).map(|row| (table, row))
            })
            .map_or((Vec::new(), None), |(table, row)| {
                (
                    table.get(row, 1).split_whitespace().map(str::to_owned).collect(),
                    Direction::parse(table.get(row, 2)),
                )
            });
        if let Some(direction) = direction
            && direction != template.direction
        {
            findings.push(block.finding(
                "direction",
                format!("HMRC's correlation table gives {code} the direction {direction:?}"),
            ));
        }
        let last_use = pr_uses.get_mut(code).is_none_or(|uses| {
            *uses = uses.saturating_sub(1);
            *uses == 0
        });
        let Some(groups) = pr_groups.get_mut(code) else {
            findings.push(
                block.finding(
                    "source",
                    format!("no row of pr_measures.tsv has the P&R code {code}"),
                ),
            );
            return;
        };
        for ((origin, area), scopes) in groups.iter_mut() {
            let (countries, suffix) = if !origin.is_empty() {
                (Countries::Listed(vec![(*origin).to_owned()]), origin.to_lowercase())
            } else if area.is_empty() || *area == "G0120" || *area == "0" {
                (Countries::Any, String::new())
            } else {
                (Countries::Group((*area).to_owned()), area.to_lowercase())
            };
            let id = if suffix.is_empty() {
                template.id.clone()
            } else {
                format!("{}-{suffix}", template.id)
            };
            self.rules.push(Rule {
                id,
                scopes: if last_use { std::mem::take(scopes) } else { scopes.clone() },
                countries,
                pr_code: Some(code.to_owned()),
                measure_types: measure_types.clone(),
                ..template.clone()
            });
        }
    }

    /// Every rule's category and documents must be known.
    fn check_references(&self, findings: &mut Vec<Finding>) {
        let known = |slug: &str| self.categories.iter().any(|category| category.slug == slug);
        let rules = self.rules.iter().map(|rule| {
            (&rule.id, &rule.category, &rule.source, rule.documents.iter().chain(&rule.exemptions))
        });
        let text_rules = self.text_rules.iter().map(|rule| {
            (&rule.id, &rule.category, &rule.source, rule.documents.iter().chain(&rule.exemptions))
        });
        let mut seen = std::collections::HashSet::new();
        for (id, category, source, documents) in rules.chain(text_rules) {
            let (file, line) = source.rsplit_once(':').unwrap_or((source, "1"));
            let line = line.parse().unwrap_or(1);
            if !seen.insert(id.clone()) {
                findings.push(bad_pack(file, line, format!("[{id}] a second rule with this id")));
            }
            if !known(category) {
                findings.push(bad_pack(
                    file,
                    line,
                    format!("[{id}] unknown category `{category}` (see categories.tsv)"),
                ));
            }
            for document in documents {
                if !self.documents.contains_key(document) {
                    findings.push(bad_pack(
                        file,
                        line,
                        format!(
                            "[{id}] document `{document}` has no name in a `[documents]` block"
                        ),
                    ));
                }
            }
        }
    }

    fn build_index(&mut self) {
        // The scopes sorted by the number that orders their prefixes as text (then by rule and
        // scope): a prefix's scopes are a run, and the prefixes a declared heading starts a
        // range. Ten thousand scopes once made 150,000 string comparisons into an ordered map,
        // then a vector for each of their 4,000 prefixes, at every start.
        let mut index: Vec<IndexEntry> =
            Vec::with_capacity(self.rules.iter().map(|rule| rule.scopes.len()).sum());
        for (rule_index, rule) in self.rules.iter().enumerate() {
            for (scope_index, scope) in rule.scopes.iter().enumerate() {
                index.push((
                    prefix_order(&scope.prefix),
                    u32::try_from(rule_index).unwrap_or(u32::MAX),
                    u32::try_from(scope_index).unwrap_or(u32::MAX),
                ));
            }
        }
        // Entries are pushed in (rule, scope) order, so a stable sort on the prefix order
        // alone gives the full order, and it takes whatever runs of codes the packs' order
        // leaves as they are (about 40 % fewer instructions than sorting the triples).
        index.sort_by_key(|&(order, _, _)| order);
        self.index = index;
    }

    /// Where the index entries whose prefix order lies in `orders` are, looking from position
    /// `from` on (no entry before it may lie in `orders`). A code's prefixes lie close together
    /// in the index, so each search gallops out from where the last one ended: it touches
    /// memory the last one brought into cache, where a binary search over the whole index
    /// misses the cache at nearly every step.
    fn indexed_from(&self, from: usize, orders: std::ops::Range<u64>) -> std::ops::Range<usize> {
        let start = gallop(&self.index, from, |&(order, _, _)| order < orders.start);
        let end = gallop(&self.index, start, |&(order, _, _)| order < orders.end);
        start..end
    }

    /// The rules covering a declared commodity code on `date`, in pack order.
    ///
    /// A rule covers the code when one of its prefixes starts the code, or when the code (a
    /// heading declared without its subdivisions) starts one of its prefixes.
    pub fn rules_for(&self, code: &str, date: Option<Date>) -> Vec<&Rule> {
        let Some(declared) = commodity_prefix(code) else { return Vec::new() };
        let mut hits: Vec<u32> = Vec::new();
        let mut consider = |entries: &[IndexEntry]| {
            for &(_, rule, scope) in entries {
                let valid = self
                    .rules
                    .get(rule as usize)
                    .and_then(|found| found.scopes.get(scope as usize))
                    .is_some_and(|scope| scope.valid_on(date));
                if valid && !hits.contains(&rule) {
                    hits.push(rule);
                }
            }
        };
        // The orders searched for only grow: the code's prefixes, shortest first, then the
        // range of those the code starts.
        let mut from = 0;
        for length in 2..declared.len() {
            if let Some(prefix) = declared.get(..length) {
                let order = prefix_order(prefix);
                let found = self.indexed_from(from, order..order + 1);
                from = found.end;
                consider(self.index.get(found).unwrap_or_default());
            }
        }
        // The prefixes that start with the declared one: as text, from it up to the first that
        // differs in its digits (`0101` → `0102`, ten digits padded: the next 10^(10 - length)).
        let start = prefix_order(&declared);
        let span = 10u64.pow(10 - u32::try_from(declared.len().min(10)).unwrap_or(10));
        let found = self.indexed_from(from, start..(start / 16 + span) * 16);
        consider(self.index.get(found).unwrap_or_default());
        hits.sort_unstable();
        hits.iter()
            .filter_map(|&rule| self.rules.get(rule as usize))
            .filter(|rule| !rule.excepts(&declared))
            .collect()
    }

    /// Every commodity rule, in pack order.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The description rules.
    #[must_use]
    pub fn text_rules(&self) -> &[TextRule] {
        &self.text_rules
    }

    /// The CITES name keys, for comparing those prebuilt with those built at load.
    #[cfg(test)]
    pub(crate) fn species_keys(&self) -> Vec<SpeciesKey> {
        self.species.iter().collect()
    }

    /// The CITES-listed name `name` (lowercase binomial), if it is one.
    #[must_use]
    pub fn species(&self, name: &str) -> Option<Species> {
        self.species_hashed(crate::fxhash::lowercase_fnv1a(name), || name.to_owned())
    }

    /// The CITES-listed binomial `genus epithet` (lowercase words), if it is one: built as a
    /// name only when its hash may be a CITES name's.
    #[must_use]
    pub fn species_pair(&self, genus: &str, epithet: &str) -> Option<Species> {
        let hash = crate::fxhash::lowercase_fnv1a_parts(&[genus, " ", epithet]);
        self.species_hashed(hash, || format!("{genus} {epithet}"))
    }

    fn species_hashed(&self, hash: u64, name: impl FnOnce() -> String) -> Option<Species> {
        if !self.species_filter.may_contain(hash) {
            return None;
        }
        let name = name();
        let name = name.as_str();
        self.species
            .starting_at(hash)
            .take_while(|key| key.hash == hash)
            .filter_map(|key| self.species_at(key))
            .filter(|species| same_lowercase(&species.name, name))
            .last()
    }

    /// The number of CITES names (species and synonyms, a name written twice counted once).
    #[must_use]
    pub fn species_count(&self) -> usize {
        let mut count = 0;
        for (n, key) in self.species.iter().enumerate() {
            let Some(species) = self.species_at(key) else { continue };
            let earlier = (0..n).rev().map_while(|m| self.species.get(m));
            let seen = earlier.take_while(|other| other.hash == key.hash).any(|other| {
                self.species_at(other)
                    .is_some_and(|other| same_lowercase(&other.name, &species.name))
            });
            count += usize::from(!seen);
        }
        count
    }

    /// The categories.
    #[must_use]
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The name of a document code, when the pack gives one.
    #[must_use]
    pub fn document_name(&self, code: &str) -> Option<&str> {
        self.documents.get(code).map(String::as_str)
    }

    /// The pack's `pack.toml`.
    #[must_use]
    pub fn meta(&self) -> &PackMeta {
        &self.meta
    }

    /// Problems found while loading (bad records, unknown references).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
}

/// Groups the imported rows by P&R code, then by (origin, area).
fn pr_groups<'t>(table: &'t Table, findings: &mut Vec<Finding>) -> BTreeMap<&'t str, PrGroups<'t>> {
    // The compiled-in table's groups were made with Preclear (`core/build.rs`).
    if table.prechecked()
        && let Some(groups) = crate::tariff::table::pr_measure_groups()
            .and_then(|bytes| prebuilt_groups(bytes, table))
    {
        return groups;
    }
    let mut groups: BTreeMap<&str, PrGroups<'t>> = BTreeMap::new();
    for row in 0..table.len() {
        // One pass over the record's fields rather than a scan for each.
        let mut fields = table.fields(row);
        let mut field = || fields.next().unwrap_or_default();
        let (code, pr_code, start, end, origin, area) =
            (field(), field(), field(), field(), field(), field());
        let Some(prefix) = prefix_of(code).map(|prefix| table.lend(prefix)) else {
            findings.push(table.finding(row, format!("`{code}` is not a commodity code")));
            continue;
        };
        let from = date_field(table, row, start, findings);
        let to = date_field(table, row, end, findings);
        groups.entry(pr_code).or_default().entry((origin, area)).or_default().push(Scope {
            prefix,
            from,
            to,
        });
    }
    groups
}

/// How many rule blocks take each P&R code's rows: the last to take them moves its scopes out
/// rather than copying them (10,000 scopes at every start).
fn pr_uses(blocks: &[Block]) -> HashMap<&str, usize> {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for code in blocks.iter().filter_map(|block| pr_source(block).and_then(Result::ok)) {
        *uses.entry(code).or_default() += 1;
    }
    uses
}

/// The P&R code a rule block takes its rows from (`source = pr_measures CODE`): `None`
/// without a `source`, `Some(Err(()))` for a `source` of another form.
fn pr_source(block: &Block) -> Option<Result<&str, ()>> {
    let mut words = block.get("source")?.split_whitespace();
    Some(match (words.next(), words.next(), words.next()) {
        (Some("pr_measures"), Some(code), None) => Ok(code),
        _ => Err(()),
    })
}

/// The P&R groups of a compiled-in `pr_measures.tsv` from their prebuilt form (see
/// `pr_measure_groups` in `core/build.rs`), text borrowed from the table; `None` when it does
/// not fit the table (the rows are then grouped at load).
fn prebuilt_groups<'t>(bytes: &[u8], table: &'t Table) -> Option<BTreeMap<&'t str, PrGroups<'t>>> {
    let word = |bytes: &[u8], at: usize| index_word(bytes, at).map(|word| word as usize);
    let text = table.static_text()?;
    let span = |bytes: &[u8], at: usize| -> Option<&'static str> {
        let (start, length) = (word(bytes, at)?, index_half(bytes, at + 4)?);
        text.get(start..start.checked_add(usize::from(length))?)
    };
    let (rows, group_count) = (word(bytes, 0)?, word(bytes, 8)?);
    if rows != table.len() || word(bytes, 4)? != text.len() {
        return None;
    }
    let rows_at = group_count.checked_mul(22)?.checked_add(12)?;
    if bytes.len() != rows.checked_mul(16)?.checked_add(rows_at)? {
        return None;
    }
    let mut groups: BTreeMap<&str, PrGroups<'t>> = BTreeMap::new();
    let mut row_chunks = bytes.get(rows_at..)?.chunks_exact(16);
    for group in bytes.get(12..rows_at)?.chunks_exact(22) {
        let (pr_code, origin, area) = (span(group, 4)?, span(group, 10)?, span(group, 16)?);
        let count = word(group, 0)?;
        let mut scopes = Vec::with_capacity(count);
        for _ in 0..count {
            let row = row_chunks.next()?;
            scopes.push(Scope {
                prefix: Cow::Borrowed(span(row, 0)?),
                from: index_date(row.get(8..12)?)?,
                to: index_date(row.get(12..16)?)?,
            });
        }
        groups.entry(pr_code).or_default().insert((origin, area), scopes);
    }
    // Every row in a group.
    row_chunks.next().is_none().then_some(groups)
}

fn block_date(block: &Block, key: &str, findings: &mut Vec<Finding>) -> Option<Date> {
    let text = block.get(key)?;
    let date = text.parse::<Date>().ok();
    if date.is_none() {
        findings.push(block.finding(key, format!("`{text}` is not a date (YYYY-MM-DD)")));
    }
    date
}

fn codes(
    block: &Block,
    key: &str,
    valid: fn(&str) -> bool,
    what: &str,
    findings: &mut Vec<Finding>,
) -> Vec<String> {
    let words = block.words(key);
    for word in &words {
        if !valid(word) {
            findings.push(block.finding(key, format!("`{word}` is not {what}")));
        }
    }
    words.into_iter().filter(|word| valid(word)).collect()
}

fn required<'a>(block: &'a Block, key: &str, findings: &mut Vec<Finding>) -> Option<&'a str> {
    let value = block.get(key).filter(|value| !value.is_empty());
    if value.is_none() {
        findings.push(block.finding(key, format!("`{key}` is required")));
    }
    value
}

const RULE_KEYS: &[&str] = &[
    "title",
    "kind",
    "direction",
    "commodities",
    "except_commodities",
    "countries",
    "except_countries",
    "country_of",
    "from",
    "to",
    "category",
    "legal_basis",
    "documents",
    "exemptions",
    "waivers",
    "supersedes",
    "message",
    "source",
    "coverage",
    "territory",
];

const TEXT_KEYS: &[&str] =
    &["title", "kind", "terms", "category", "legal_basis", "documents", "exemptions", "message"];

fn unknown_keys(block: &Block, known: &[&str], findings: &mut Vec<Finding>) {
    for (key, _, _) in &block.entries {
        if !known.contains(&key.as_str()) {
            findings.push(block.finding(key, format!("unknown key `{key}`")));
        }
    }
}

/// A rule from a block; imported blocks get their scopes and countries later.
fn rule_template(block: &Block, findings: &mut Vec<Finding>) -> Option<Rule> {
    unknown_keys(block, RULE_KEYS, findings);
    let title = required(block, "title", findings)?;
    let kind =
        parse_kind(required(block, "kind", findings)?).or_else(|| {
            findings.push(block.finding(
                "kind",
                "`kind` is restriction, prohibition, advisory, keyword or species",
            ));
            None
        })?;
    let direction = Direction::parse(required(block, "direction", findings)?).or_else(|| {
        findings.push(block.finding("direction", "`direction` is import, export or both"));
        None
    })?;
    let category = required(block, "category", findings)?;
    let legal_basis = required(block, "legal_basis", findings)?;
    let message = required(block, "message", findings)?;
    let from = block_date(block, "from", findings);
    let to = block_date(block, "to", findings);
    let mut scopes = Vec::new();
    for code in block.words("commodities") {
        match commodity_prefix(&code) {
            Some(prefix) => scopes.push(Scope { prefix: Cow::Owned(prefix), from, to }),
            None => findings
                .push(block.finding("commodities", format!("`{code}` is not a commodity code"))),
        }
    }
    let except_commodities = block
        .words("except_commodities")
        .iter()
        .filter_map(|code| commodity_prefix(code))
        .collect();
    let countries = match block.get("countries") {
        None | Some("*") => Countries::Any,
        Some(_) => {
            Countries::Listed(codes(block, "countries", is_country, "a country code", findings))
        }
    };
    let country_of = country_of(block, direction, findings);
    let (coverage, territory) = coverage_and_territory(block, findings);
    Some(Rule {
        id: block.id.clone(),
        title: title.to_owned(),
        kind,
        direction,
        scopes,
        except_commodities,
        countries,
        except_countries: codes(block, "except_countries", is_country, "a country code", findings),
        country_of,
        coverage,
        territory,
        category: category.to_owned(),
        legal_basis: legal_basis.to_owned(),
        documents: codes(block, "documents", is_document_code, "a document code", findings),
        exemptions: codes(block, "exemptions", is_document_code, "a document code", findings),
        waivers: codes(block, "waivers", is_status_code, "a status code", findings),
        supersedes: block.words("supersedes"),
        message: message.to_owned(),
        pr_code: None,
        measure_types: Vec::new(),
        source: format!("{}:{}", block.file, block.line),
    })
}

fn is_status_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn country_of(block: &Block, direction: Direction, findings: &mut Vec<Finding>) -> CountryOf {
    match block.get("country_of") {
        None => match direction {
            Direction::Export => CountryOf::Destination,
            _ => CountryOf::Origin,
        },
        Some("origin") => CountryOf::Origin,
        Some("dispatch") => CountryOf::Dispatch,
        Some("origin-or-dispatch") => CountryOf::OriginOrDispatch,
        Some("destination") => CountryOf::Destination,
        Some(other) => {
            findings.push(block.finding(
                "country_of",
                format!("`{other}` is not origin, dispatch, origin-or-dispatch or destination"),
            ));
            CountryOf::Origin
        }
    }
}

fn coverage_and_territory(
    block: &Block,
    findings: &mut Vec<Finding>,
) -> (Coverage, Option<Territory>) {
    let coverage = match block.get("coverage") {
        None | Some("whole") => Coverage::Whole,
        Some("part") => Coverage::Part,
        Some(other) => {
            findings.push(block.finding("coverage", format!("`{other}` is not whole or part")));
            Coverage::Whole
        }
    };
    let territory = match block.get("territory") {
        None => None,
        Some("gb") => Some(Territory::GreatBritain),
        Some("ni") => Some(Territory::NorthernIreland),
        Some(other) => {
            findings.push(block.finding("territory", format!("`{other}` is not gb or ni")));
            None
        }
    };
    (coverage, territory)
}

fn text_rule(block: &Block, findings: &mut Vec<Finding>) -> Option<TextRule> {
    unknown_keys(block, TEXT_KEYS, findings);
    let kind = match block.get("kind") {
        Some("species") => TextKind::Species,
        _ => TextKind::Keyword,
    };
    let terms: Vec<Vec<String>> = block
        .phrases("terms")
        .iter()
        .map(|phrase| phrase.to_lowercase().split_whitespace().map(str::to_owned).collect())
        .collect();
    if kind == TextKind::Keyword && terms.is_empty() {
        findings.push(block.finding("terms", "a keyword rule needs `terms`"));
    }
    Some(TextRule {
        id: block.id.clone(),
        title: required(block, "title", findings)?.to_owned(),
        kind,
        terms,
        category: required(block, "category", findings)?.to_owned(),
        legal_basis: required(block, "legal_basis", findings)?.to_owned(),
        documents: codes(block, "documents", is_document_code, "a document code", findings),
        exemptions: codes(block, "exemptions", is_document_code, "a document code", findings),
        message: required(block, "message", findings)?.to_owned(),
        source: format!("{}:{}", block.file, block.line),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn key_bytes(keys: &[(u64, u32, u32)]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for (hash, row, synonym) in keys {
            bytes.extend_from_slice(&hash.to_le_bytes());
            bytes.extend_from_slice(&row.to_le_bytes());
            bytes.extend_from_slice(&synonym.to_le_bytes());
        }
        bytes
    }

    #[cfg(feature = "bundled-uk")]
    #[test]
    fn prebuilt_pr_groups_are_the_grouped_ones() {
        let file = crate::screen::bundled::uk_rule_files()
            .into_iter()
            .find(|file| file.name == schema::PR_MEASURES.file)
            .unwrap();
        let mut findings = Vec::new();
        let columns = schema::PR_MEASURES.columns;
        let compiled_in = Table::parse_file(file.clone(), columns, &mut findings).unwrap();
        let read =
            Table::parse_file(PackFile { prechecked: false, ..file }, columns, &mut findings)
                .unwrap();
        let prebuilt = crate::tariff::table::pr_measure_groups().expect("prebuilt groups");
        // The load takes them: they fit the compiled-in table.
        assert!(prebuilt_groups(prebuilt, &compiled_in).is_some());
        let grouped = pr_groups(&read, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(
            grouped
                .values()
                .map(|groups| groups.values().map(Vec::len).sum::<usize>())
                .sum::<usize>(),
            read.len()
        );
        assert!(pr_groups(&compiled_in, &mut findings) == grouped, "prebuilt groups differ");
        // Not taken where they do not fit: another count, another size, a bad date.
        for at in [0, 4, 8, prebuilt.len() - 1] {
            let mut bad = prebuilt.to_vec();
            bad[at] = bad[at].wrapping_add(40);
            assert!(prebuilt_groups(&bad, &compiled_in).is_none(), "byte {at} changed");
        }
    }

    #[test]
    fn prebuilt_species_keys_are_taken_only_when_they_fit() {
        let good: &'static [u8] = key_bytes(&[(1, 0, 0), (5, 1, 2), (5, 0, 1), (9, 0, 0)]).leak();
        let keys = SpeciesKeys::prebuilt(good, 2).unwrap();
        assert_eq!(keys.len(), 4);
        assert_eq!(keys.get(1), Some(SpeciesKey { hash: 5, row: 1, synonym: 2 }));
        assert_eq!(keys.get(4), None);
        let from = |hash| keys.starting_at(hash).map(|key| key.hash).collect::<Vec<_>>();
        assert_eq!(
            (from(0), from(5), from(6), from(10)),
            (vec![1, 5, 5, 9], vec![5, 5, 9], vec![9], vec![])
        );
        // A row past the table, keys out of order, a cut key: built at load instead.
        assert!(SpeciesKeys::prebuilt(good, 1).is_none());
        assert!(SpeciesKeys::prebuilt(key_bytes(&[(5, 0, 0), (1, 0, 0)]).leak(), 2).is_none());
        assert!(SpeciesKeys::prebuilt(&good[..20], 2).is_none());
    }

    #[test]
    fn galloping_finds_what_a_binary_search_finds() {
        let items: Vec<u32> = (0..300).map(|n| n / 3 * 2).collect();
        for from in [0, 1, 5, 150, 299, 300, 400] {
            for value in 0..205 {
                let start = from.min(items.len());
                let expected = start + items[start..].partition_point(|&item| item < value);
                assert_eq!(gallop(&items, from, |&item| item < value), expected, "{from} {value}");
            }
        }
        assert_eq!(gallop(&[] as &[u32], 0, |_| true), 0);
        assert_eq!(gallop(&[1, 2, 3], 0, |_| true), 3);
    }

    #[test]
    fn the_hash_filter_keeps_every_member_and_rules_out_most_others() {
        let members: Vec<u64> =
            (0..20_000_u64).map(|n| n.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        let filter = HashFilter::new(members.iter().copied());
        assert!(members.iter().all(|&hash| filter.may_contain(hash)));
        let others = (0..100_000_u64)
            .map(|n| (n + 1_000_000).wrapping_mul(0xD6E8_FEB8_6659_FD93))
            .filter(|&hash| filter.may_contain(hash))
            .count();
        // 20,000 members set at most 20,000 of 262,144 bits.
        assert!(others < 10_000, "{others} of 100,000 others pass");
        assert!(HashFilter::default().may_contain(42), "an empty filter rules nothing out");
    }

    #[test]
    fn species_pairs_are_found_as_whole_names_are() {
        let pack = pack("");
        for (genus, epithet) in [
            ("loxodonta", "africana"),
            ("manis", "aurita"),
            ("Manis", "PENTADACTYLA"),
            ("manis", "africana"),
            ("loxodonta", "africanas"),
            ("éléphant", "africana"),
        ] {
            let whole = pack.species(&format!("{genus} {epithet}"));
            assert_eq!(pack.species_pair(genus, epithet), whole, "{genus} {epithet}");
        }
        assert!(pack.species_pair("manis", "aurita").is_some());
        assert!(pack.species_pair("manis", "africana").is_none());
    }

    #[cfg(feature = "bundled-uk")]
    #[test]
    fn the_bundled_species_filter_keeps_every_name() {
        let pack = RulePack::from_files(crate::screen::bundled::uk_rule_files()).unwrap();
        let keys = pack.species_keys();
        assert!(keys.len() > 10_000);
        assert!(keys.iter().all(|key| pack.species_filter.may_contain(key.hash)));
    }

    pub(crate) const CATEGORIES: &str = "category\ttheme\ttitle\tlegal_basis\ncites\t2.6\tCITES\tReg 338/97\nfirearms\t2.16\tWeapons\tDir 91/477\nveterinary\t\tVeterinary\tReg 2017/625\nsanctions\t1.1\tSanctions\tArt 215 TFEU\n";
    pub(crate) const PR_CODES: &str = "pr_code\tmeasure_types\tdirection\tdescription\nICP\t710\tImport\tImport control - CITES\n";
    pub(crate) const PR_MEASURES: &str = "code\tpr_code\tstart\tend\torigin\tarea\n0106110000\tICP\t2007-10-01\t\t\tG0120\n0106120000\tICP\t2007-10-01\t\t\tG0120\n0106140000\tCVD\t2008-01-01\t\t\tD0700\n9601100010\tICP\t2007-10-01\t2009-12-31\tJP\t0\n";
    pub(crate) const SPECIES: &str = "name\tappendix\tsynonyms\nLoxodonta africana\tI/II\t\nManis pentadactyla\tI\tManis aurita|Manis dalmanni\n";

    pub(crate) fn pack(rules: &str) -> RulePack {
        let files = vec![
            PackFile::owned("pack.toml", "jurisdiction = \"uk-restrictions\"\n".to_owned()),
            PackFile::owned("categories.tsv", CATEGORIES.to_owned()),
            PackFile::owned("pr_codes.tsv", PR_CODES.to_owned()),
            PackFile::owned("pr_measures.tsv", PR_MEASURES.to_owned()),
            PackFile::owned("cites_species.tsv", SPECIES.to_owned()),
            PackFile::owned("test.rules", rules.to_owned()),
        ];
        let mut pack = RulePack::from_files(files).unwrap();
        // Tests give rules for some of the P&R codes of the small table only.
        pack.findings.retain(|finding| !finding.message.contains("has rows but no rule"));
        pack
    }

    pub(crate) const DOCUMENTS: &str = "[documents]\nC400 = CITES permit\nC635 = CITES label\nY900 = not CITES\n9100 = firearms import licence\n9104 = export licence\nC640 = CHED-A\n";

    #[test]
    fn prefix_order_is_text_order() {
        let mut prefixes = [
            "01",
            "0101",
            "010100",
            "01010001",
            "0102",
            "010199",
            "93",
            "9306",
            "9999999999",
            "10",
        ];
        let mut by_order = prefixes;
        prefixes.sort_unstable();
        by_order.sort_by_key(|prefix| super::prefix_order(prefix));
        assert_eq!(by_order, prefixes);
    }

    /// The index as maps built it one insertion at a time.
    fn inserted_index(pack: &RulePack) -> BTreeMap<String, Vec<(u32, u32)>> {
        let mut index: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for (rule, found) in pack.rules.iter().enumerate() {
            for (scope, found) in found.scopes.iter().enumerate() {
                let entry = (u32::try_from(rule).unwrap(), u32::try_from(scope).unwrap());
                index.entry(found.prefix.to_string()).or_default().push(entry);
            }
        }
        index
    }

    fn built_index(pack: &RulePack) -> BTreeMap<String, Vec<(u32, u32)>> {
        let mut index: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for &(order, rule, scope) in &pack.index {
            let prefix = pack.rules[rule as usize].scopes[scope as usize].prefix.to_string();
            assert_eq!(order, prefix_order(&prefix));
            index.entry(prefix).or_default().push((rule, scope));
        }
        index
    }

    #[test]
    fn the_sorted_index_is_the_inserted_one() {
        let rule = |id: &str, codes: &str| {
            format!(
                "[{id}]\ntitle = t\nkind = restriction\ndirection = import\ncategory = cites\nlegal_basis = x\nmessage = m\ncommodities = {codes}\n"
            )
        };
        let text =
            format!("{}{}", rule("a", "9306 93 0101000000 010121"), rule("b", "93 9306 0101"));
        let pack = pack(&text);
        let index = built_index(&pack);
        assert_eq!(index.keys().collect::<Vec<_>>(), ["0101", "010121", "93", "9306"]);
        assert_eq!(index["93"], [(0, 1), (1, 0)]);
        assert_eq!(index, inserted_index(&pack));
    }

    /// The rules covering a code, found by trying every scope of every rule.
    fn rules_by_scan<'p>(pack: &'p RulePack, code: &str, date: Option<Date>) -> Vec<&'p Rule> {
        let declared = commodity_prefix(code).unwrap();
        pack.rules
            .iter()
            .filter(|rule| {
                rule.scopes.iter().any(|scope| {
                    scope.valid_on(date)
                        && (declared.starts_with(scope.prefix.as_ref())
                            || scope.prefix.starts_with(declared.as_str()))
                })
            })
            .filter(|rule| !rule.excepts(&declared))
            .collect()
    }

    #[cfg(feature = "bundled-uk")]
    #[test]
    fn the_bundled_index_finds_what_a_scan_finds() {
        let pack = crate::screen::bundled::uk_rules().unwrap();
        let mut codes: Vec<String> = Vec::new();
        for rule in pack.rules.iter().step_by(4) {
            for scope in rule.scopes.iter().step_by(13) {
                // The prefix, its parents, and the codes just before and after it.
                for length in (2..=scope.prefix.len()).step_by(2) {
                    codes.push(scope.prefix[..length].to_owned());
                }
                let number: u64 = scope.prefix.parse().unwrap();
                for near in [number.saturating_sub(1), number + 1] {
                    codes.push(format!("{near:0width$}", width = scope.prefix.len()));
                }
            }
        }
        codes.extend(["01", "0100", "99", "9999999999", "0000"].map(str::to_owned));
        assert!(codes.len() > 500, "{} codes", codes.len());
        for code in &codes {
            for date in [None, Date::new(2010, 6, 1), Date::new(2026, 11, 27)] {
                let ids = |rules: Vec<&Rule>| {
                    rules.iter().map(|rule| rule.id.clone()).collect::<Vec<_>>()
                };
                assert_eq!(
                    ids(pack.rules_for(code, date)),
                    ids(rules_by_scan(&pack, code, date)),
                    "{code} {date:?}"
                );
            }
        }
    }

    #[cfg(feature = "bundled-uk")]
    #[test]
    fn the_bundled_sorted_index_is_the_inserted_one() {
        let pack = crate::screen::bundled::uk_rules().unwrap();
        let index = built_index(&pack);
        assert!(index.len() > 1_000, "{} prefixes", index.len());
        assert_eq!(index, inserted_index(&pack));
    }

    #[test]
    fn prefixes_drop_trailing_zero_pairs() {
        assert_eq!(commodity_prefix("0101210000").as_deref(), Some("010121"));
        assert_eq!(commodity_prefix("9702000000").as_deref(), Some("9702"));
        assert_eq!(commodity_prefix("970200").as_deref(), Some("9702"));
        assert_eq!(commodity_prefix("0602905010").as_deref(), Some("0602905010"));
        assert_eq!(commodity_prefix("93").as_deref(), Some("93"));
        assert_eq!(commodity_prefix("9306x"), None);
        assert_eq!(commodity_prefix("1"), None);
    }

    #[test]
    fn imported_rules_group_by_country_and_take_their_dates() {
        let text = format!(
            "{DOCUMENTS}[uk-pr-icp]\ntitle = CITES import control\nkind = restriction\ndirection = import\ncategory = cites\nlegal_basis = Reg 338/97\nmessage = m\ndocuments = C400 C635\nexemptions = Y900\nsource = pr_measures ICP\n"
        );
        let pack = pack(&text);
        assert!(pack.findings().is_empty(), "{:?}", pack.findings());
        let ids: Vec<_> = pack.rules().iter().map(|rule| rule.id.as_str()).collect();
        assert_eq!(ids, ["uk-pr-icp", "uk-pr-icp-jp"]);
        assert_eq!(pack.rules()[0].measure_types, ["710"]);
        let date = Date::new(2024, 1, 1);
        let hits: Vec<_> =
            pack.rules_for("0106110000", date).iter().map(|rule| rule.id.clone()).collect();
        assert_eq!(hits, ["uk-pr-icp"]);
        // A heading declared without its subdivisions is covered by the rules of its lines.
        assert_eq!(pack.rules_for("0106000000", date)[0].id, "uk-pr-icp");
        assert!(pack.rules_for("0106190000", date).is_empty());
        // The Japanese row ended in 2009.
        assert!(pack.rules_for("9601100010", date).is_empty());
        assert_eq!(pack.rules_for("9601100010", Date::new(2008, 5, 1))[0].id, "uk-pr-icp-jp");
    }

    #[test]
    fn rows_taken_by_two_blocks_give_both_their_scopes() {
        let block = |id: &str| {
            format!(
                "[{id}]\ntitle = t\nkind = restriction\ndirection = import\ncategory = cites\nlegal_basis = x\nmessage = m\nsource = pr_measures ICP\n"
            )
        };
        let pack = pack(&format!("{DOCUMENTS}{}{}", block("first"), block("second")));
        let scopes = |id: &str| {
            let rule = pack.rules().iter().find(|rule| rule.id == id).unwrap();
            rule.scopes.iter().map(|scope| scope.prefix.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(scopes("first"), ["010611", "010612"]);
        assert_eq!(scopes("second"), scopes("first"));
        assert_eq!(scopes("first-jp"), ["9601100010"]);
        assert_eq!(scopes("second-jp"), scopes("first-jp"));
    }

    #[test]
    fn authored_rules_are_checked() {
        let text = "[r]\ntitle = t\nkind = ban\ndirection = import\ncategory = cites\nlegal_basis = x\nmessage = m\ncommodities = 93\n[s]\ntitle = t\nkind = restriction\ndirection = import\ncategory = nope\nlegal_basis = x\nmessage = m\ncommodities = 9x\ndocuments = Q1\ncolour = red\n";
        let pack = pack(text);
        let messages: Vec<_> =
            pack.findings().iter().map(|finding| finding.message.clone()).collect();
        assert_eq!(
            messages,
            [
                "test.rules:3: [r] `kind` is restriction, prohibition, advisory, keyword or species",
                "test.rules:18: [s] unknown key `colour`",
                "test.rules:16: [s] `9x` is not a commodity code",
                "test.rules:17: [s] `Q1` is not a document code",
                "test.rules:16: [s] no `commodities` and no `source`",
                "test.rules:9: [s] unknown category `nope` (see categories.tsv)",
            ]
        );
    }
}
