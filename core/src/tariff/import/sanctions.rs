//! `un-sanctions` and `ofac-sdn`: the UN Security Council consolidated list (its official XML)
//! and the US OFAC Specially Designated Nationals list (its legacy CSV files `sdn.csv`,
//! `alt.csv`, `add.csv`) into the compact tables of `tariffs/sanctions/`.
//!
//! Only what screening needs is kept: the entry id, kind, programme, listing date, the ISO
//! codes of its nationality and address countries, its date of birth, its names and aliases.
//! Vessels and aircraft are left out: they are not parties to a declaration. Country names
//! are mapped to ISO 3166 codes with the ISO country table (a further source of both kinds).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

use super::csv::column;
use super::{ImportError, Imported, TableOut, read_csv, read_text, source_entries};
use crate::screen::schema;

/// Country names the lists write differently from the ISO table; `None`: no single country.
const COUNTRY_ALIASES: &[(&str, Option<&str>)] = &[
    ("burma", Some("MM")),
    ("congo democratic republic of the", Some("CD")),
    ("congo republic of the", Some("CG")),
    ("cote d ivoire", Some("CI")),
    ("korea north", Some("KP")),
    ("korea south", Some("KR")),
    ("kosovo", Some("XK")),
    ("man isle of", Some("IM")),
    ("palestinian", Some("PS")),
    ("region: crimea", Some("UA")),
    ("region: gaza", Some("PS")),
    ("region: northern mali", Some("ML")),
    ("turkey", Some("TR")),
    ("united kingdom", Some("GB")),
    ("united states", Some("US")),
    ("virgin islands british", Some("VG")),
    ("west bank", Some("PS")),
    ("former soviet union", None),
    ("na", None),
    ("netherlands antilles", None),
    ("region: kafia kingi", None),
    ("undetermined", None),
];

fn country_key(name: &str) -> String {
    let lower = name.to_lowercase().replace(['’', '\''], " ");
    let lower = lower.trim();
    let lower = lower.strip_prefix("the ").unwrap_or(lower);
    lower.replace(['(', ')', ',', '.'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Country names → ISO alpha-2, from the ISO table's English names.
struct Countries {
    names: HashMap<String, Option<String>>,
    unknown: BTreeMap<String, usize>,
}

impl Countries {
    fn read(path: &Path) -> Result<Countries, ImportError> {
        let (header, records) = read_csv(path)?;
        let code = column(path, &header, "ISO3166-1-Alpha-2")?;
        let columns: Vec<usize> = [
            "official_name_en",
            "UNTERM English Short",
            "UNTERM English Formal",
            "CLDR display name",
        ]
        .iter()
        .map(|name| column(path, &header, name))
        .collect::<Result<_, _>>()?;
        let mut names = HashMap::new();
        for record in &records {
            let iso = record.get(code).trim();
            if iso.len() != 2 {
                continue;
            }
            for &index in &columns {
                let name = record.get(index);
                if !name.trim().is_empty() {
                    names.insert(country_key(name), Some(iso.to_owned()));
                }
            }
        }
        for &(alias, iso) in COUNTRY_ALIASES {
            names.insert(country_key(alias), iso.map(str::to_owned));
        }
        Ok(Countries { names, unknown: BTreeMap::new() })
    }

    fn code(&mut self, name: &str) -> Option<String> {
        let key = country_key(name);
        if key.is_empty() || key == "0" {
            return None;
        }
        if let Some(code) = self.names.get(&key) {
            return code.clone();
        }
        *self.unknown.entry(name.trim().to_owned()).or_default() += 1;
        None
    }

    fn warnings(&self) -> Vec<String> {
        self.unknown
            .iter()
            .map(|(name, count)| format!("country `{name}` ({count}×) has no ISO code; left out"))
            .collect()
    }
}

/// A list entry as written to the pack.
#[derive(Debug, Default)]
struct Entry {
    id: String,
    kind: String,
    programme: String,
    listed_on: String,
    countries: Vec<String>,
    born: String,
    name: String,
    aliases: Vec<String>,
    weak_aliases: Vec<String>,
}

/// Collapses whitespace; a `|` (the alias separator) becomes `/`.
fn clean(text: &str) -> String {
    text.replace('|', "/").split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Entry {
    fn add_country(&mut self, code: Option<String>) {
        if let Some(code) = code
            && !self.countries.contains(&code)
        {
            self.countries.push(code);
        }
    }

    fn add_alias(&mut self, alias: &str, weak: bool) {
        // The UN list sometimes puts several aliases in one: `Azim Adhajani; Azim Agha-Jani`.
        if alias.contains(';') {
            for part in alias.split(';') {
                self.add_alias(part, weak);
            }
            return;
        }
        let alias = clean(alias);
        if alias.is_empty()
            || alias == self.name
            || self.aliases.contains(&alias)
            || self.weak_aliases.contains(&alias)
        {
            return;
        }
        if weak { self.weak_aliases.push(alias) } else { self.aliases.push(alias) }
    }

    fn row(mut self) -> Vec<String> {
        self.countries.sort();
        vec![
            self.id,
            self.kind,
            self.programme,
            self.listed_on,
            self.countries.join(" "),
            self.born,
            self.name,
            self.aliases.join("|"),
            self.weak_aliases.join("|"),
        ]
    }
}

/// An element of the UN XML: its name, text and children.
#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    fn text_of(&self, name: &str) -> &str {
        self.child(name).map_or("", |child| child.text.trim())
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |child| child.name == name)
    }
}

fn parse_xml(path: &Path, text: &str) -> Result<Element, ImportError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    let error = |message: String| ImportError::new(path, None, message);
    loop {
        match reader
            .read_event()
            .map_err(|problem| error(format!("not well-formed XML: {problem}")))?
        {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_owned();
                stack.push(Element { name, ..Element::default() });
            }
            Event::Empty(start) => {
                let name = start.local_name().as_ref().to_owned();
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Element { name, ..Element::default() });
                }
            }
            Event::End(_) => {
                let element =
                    stack.pop().ok_or_else(|| error("an end tag without a start".to_owned()))?;
                stack
                    .last_mut()
                    .ok_or_else(|| error("an end tag without a start".to_owned()))?
                    .children
                    .push(element);
            }
            Event::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text.into_inner());
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&data.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                let character = if reference.is_char_ref() {
                    reference.resolve_char_ref().ok().flatten()
                } else {
                    match &*reference {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    }
                };
                let character = character.ok_or_else(|| error("an undefined entity".to_owned()))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push(character);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().ok_or_else(|| error("no root element".to_owned()))?;
    root.children.pop().ok_or_else(|| error("no root element".to_owned()))
}

/// Tells the ISO country table apart from the list files by its header.
fn split_countries(sources: &[PathBuf]) -> Result<(Countries, Vec<&PathBuf>), ImportError> {
    let mut countries = None;
    let mut rest = Vec::new();
    for path in sources {
        let is_csv = path.extension().is_some_and(|extension| extension == "csv");
        let is_country_table = is_csv
            && read_text(path)?
                .lines()
                .next()
                .is_some_and(|header| header.contains("ISO3166-1-Alpha-2"));
        if is_country_table {
            countries = Some(Countries::read(path)?);
        } else {
            rest.push(path);
        }
    }
    let countries = countries.ok_or_else(|| {
        ImportError::new(
            Path::new("."),
            None,
            "the ISO country table (country-codes.csv) is needed to map country names",
        )
    })?;
    Ok((countries, rest))
}

fn un_entry(element: &Element, individual: bool, countries: &mut Countries) -> Entry {
    let name_parts: Vec<&str> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .map(|part| element.text_of(part))
        .filter(|part| !part.is_empty())
        .collect();
    let mut entry = Entry {
        id: element.text_of("REFERENCE_NUMBER").to_owned(),
        kind: if individual { "individual" } else { "entity" }.to_owned(),
        programme: clean(element.text_of("UN_LIST_TYPE")),
        listed_on: element.text_of("LISTED_ON").to_owned(),
        ..Entry::default()
    };
    // Some entities list two names in one: `COMPAGNIE ... (CAGL) ; GREAT LAKES ... (GLBC)`.
    let full = clean(&name_parts.join(" "));
    let mut names = full.split(" ; ").map(str::trim).filter(|name| !name.is_empty());
    names.next().unwrap_or_default().clone_into(&mut entry.name);
    for other in names {
        entry.add_alias(other, false);
    }
    for nationality in element.all("NATIONALITY") {
        for value in nationality.all("VALUE") {
            let code = countries.code(&value.text);
            entry.add_country(code);
        }
    }
    let address = if individual { "INDIVIDUAL_ADDRESS" } else { "ENTITY_ADDRESS" };
    for address in element.all(address) {
        let code = countries.code(address.text_of("COUNTRY"));
        entry.add_country(code);
    }
    if let Some(birth) = element.all("INDIVIDUAL_DATE_OF_BIRTH").next() {
        let date = birth.text_of("DATE");
        entry.born =
            if date.is_empty() { birth.text_of("YEAR").to_owned() } else { date.to_owned() };
    }
    let alias = if individual { "INDIVIDUAL_ALIAS" } else { "ENTITY_ALIAS" };
    for alias in element.all(alias) {
        let weak = alias.text_of("QUALITY").eq_ignore_ascii_case("low");
        entry.add_alias(alias.text_of("ALIAS_NAME"), weak);
    }
    let original = element.text_of("NAME_ORIGINAL_SCRIPT").to_owned();
    entry.add_alias(&original, false);
    entry
}

/// `un-sanctions`: `un.tsv` from the consolidated list XML.
pub(crate) fn import_un(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let (mut countries, rest) = split_countries(sources)?;
    let [path] = rest.as_slice() else {
        return Err(ImportError::new(
            Path::new("."),
            None,
            "`un-sanctions` reads one consolidated list XML and the ISO country table",
        ));
    };
    let root = parse_xml(path, &read_text(path)?)?;
    if root.name != "CONSOLIDATED_LIST" {
        return Err(ImportError::new(
            path,
            Some(1),
            "not the UN consolidated list (no CONSOLIDATED_LIST root)",
        ));
    }
    let mut entries = Vec::new();
    for (group, item, individual) in
        [("INDIVIDUALS", "INDIVIDUAL", true), ("ENTITIES", "ENTITY", false)]
    {
        for element in root.all(group).flat_map(|group| group.all(item)) {
            let entry = un_entry(element, individual, &mut countries);
            if entry.id.is_empty() || entry.name.is_empty() {
                return Err(ImportError::new(
                    path,
                    None,
                    format!("an {item} without a reference number or name"),
                ));
            }
            entries.push(entry);
        }
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let generated = text_attribute(&read_text(path)?, "dateGenerated");
    let count = entries.len();
    let rows = entries.into_iter().map(Entry::row).collect();
    let mut source = source_entries(&[
        ("title", "UN Security Council consolidated sanctions list (individuals and entities)"),
        ("upstream", "moov-io/watchman (copy of the list published at scsanctions.un.org)"),
        ("path", "test/testdata/UN_consolidated.xml"),
        ("commit", "d299005fe25f511fe8abdb6425c745e16cb5ca2c"),
        ("licence", "UN public information; repository Apache-2.0"),
        ("version", &format!("dateGenerated {generated}")),
        ("effective", generated.get(..10).unwrap_or_default()),
        (
            "kept",
            "reference number, kind, list (UN_LIST_TYPE), listing date, nationality and address countries, date of birth, name (FIRST..FOURTH_NAME), aliases (QUALITY Good or none, and the name in original script), weak aliases (QUALITY Low)",
        ),
        (
            "refresh",
            "preclear tariff import un-sanctions consolidated.xml country-codes.csv --out tariffs/sanctions (the XML from https://scsanctions.un.org/resources/xml/en/consolidated.xml)",
        ),
    ]);
    source.push((
        "entries".to_owned(),
        crate::tariff::meta::MetaValue::Integer(i64::try_from(count).unwrap_or(i64::MAX)),
    ));
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::UN_LIST, rows }],
        source,
        warnings: countries.warnings(),
    })
}

fn text_attribute(text: &str, name: &str) -> String {
    let Some(start) = text.find(&format!("{name}=\"")) else { return String::new() };
    let rest = text.get(start + name.len() + 2..).unwrap_or_default();
    rest.split('"').next().unwrap_or_default().to_owned()
}

/// OFAC's `-0-` is an empty field.
fn ofac(text: &str) -> &str {
    let text = text.trim();
    if text == "-0-" { "" } else { text }
}

/// The weak aliases OFAC writes in the remarks: `a.k.a. 'BNC'`.
fn weak_aliases(remarks: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = remarks;
    while let Some(index) = rest.find("a.k.a. '") {
        rest = rest.get(index + 8..).unwrap_or_default();
        let Some(end) = rest.find('\'') else { break };
        found.push(rest.get(..end).unwrap_or_default().to_owned());
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    found
}

/// The first date of birth in OFAC remarks: `DOB 1962;` → `1962`.
fn date_of_birth(remarks: &str) -> String {
    remarks
        .split(';')
        .find_map(|part| part.trim().strip_prefix("DOB "))
        .map(|dob| dob.trim().trim_end_matches('.').to_owned())
        .unwrap_or_default()
}

/// `ofac-sdn`: `ofac_sdn.tsv` from `sdn.csv`, `alt.csv` and `add.csv`.
pub(crate) fn import_ofac(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let (mut countries, rest) = split_countries(sources)?;
    let find = |name: &str| {
        rest.iter()
            .find(|path| path.file_name().is_some_and(|file| file == name))
            .copied()
            .ok_or_else(|| {
                ImportError::new(
                    Path::new("."),
                    None,
                    format!(
                        "`ofac-sdn` needs {name} (with alt.csv, add.csv and the ISO country table)"
                    ),
                )
            })
    };
    let (sdn, alt, add) = (find("sdn.csv")?, find("alt.csv")?, find("add.csv")?);
    // The legacy files have no header line: read_csv takes the first record as one, so it is
    // put back.
    let records = |path: &Path| -> Result<Vec<Vec<String>>, ImportError> {
        let (first, records) = read_csv(path)?;
        let mut rows = vec![first];
        rows.extend(records.into_iter().map(|record| record.fields));
        Ok(rows)
    };
    let mut entries: BTreeMap<u64, Entry> = BTreeMap::new();
    let mut skipped = 0usize;
    for (index, row) in records(sdn)?.iter().enumerate() {
        let field = |n: usize| row.get(n).map_or("", |text| ofac(text));
        let id: u64 = field(0).parse().map_err(|_| {
            ImportError::new(sdn, Some(index + 1), format!("`{}` is not an entry number", field(0)))
        })?;
        let kind = match field(2) {
            "individual" => "individual",
            "" => "entity",
            _ => {
                skipped += 1;
                continue;
            }
        };
        let mut entry = Entry {
            id: id.to_string(),
            kind: kind.to_owned(),
            programme: field(3).replace("] [", " "),
            name: clean(field(1)),
            born: date_of_birth(field(11)),
            ..Entry::default()
        };
        for alias in weak_aliases(field(11)) {
            entry.add_alias(&alias, true);
        }
        entries.insert(id, entry);
    }
    for row in records(alt)? {
        let field = |n: usize| row.get(n).map_or("", |text| ofac(text));
        if let Some(entry) = field(0).parse().ok().and_then(|id: u64| entries.get_mut(&id)) {
            entry.add_alias(field(3), false);
        }
    }
    for row in records(add)? {
        let field = |n: usize| row.get(n).map_or("", |text| ofac(text));
        if let Some(entry) = field(0).parse().ok().and_then(|id: u64| entries.get_mut(&id)) {
            let code = countries.code(field(4));
            entry.add_country(code);
        }
    }
    let count = entries.len();
    let rows = entries.into_values().map(Entry::row).collect();
    let mut source = source_entries(&[
        ("title", "US OFAC Specially Designated Nationals list (individuals and entities)"),
        ("upstream", "moov-io/watchman (copy of OFAC's legacy CSV files)"),
        ("path", "test/testdata/{sdn,alt,add}.csv"),
        ("commit", "d299005fe25f511fe8abdb6425c745e16cb5ca2c"),
        ("licence", "US Government work (public domain); repository Apache-2.0"),
        ("version", "SDN list as of January 2019"),
        ("effective", "2019-01-04"),
        (
            "kept",
            "entry number, kind (individual, or entity when the type is empty), programmes, address countries, first date of birth in the remarks, name, aliases (alt.csv), weak aliases (a.k.a. '...' in the remarks); vessels and aircraft left out",
        ),
        (
            "refresh",
            "preclear tariff import ofac-sdn sdn.csv alt.csv add.csv country-codes.csv --out tariffs/sanctions (the files from https://www.treasury.gov/ofac/downloads/)",
        ),
    ]);
    source.push((
        "entries".to_owned(),
        crate::tariff::meta::MetaValue::Integer(i64::try_from(count).unwrap_or(i64::MAX)),
    ));
    source.push((
        "vessels_and_aircraft_left_out".to_owned(),
        crate::tariff::meta::MetaValue::Integer(i64::try_from(skipped).unwrap_or(i64::MAX)),
    ));
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::OFAC_SDN, rows }],
        source,
        warnings: countries.warnings(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ofac_remarks() {
        assert_eq!(weak_aliases("a.k.a. 'BNC'; a.k.a. 'X Y'."), ["BNC", "X Y"]);
        assert_eq!(date_of_birth("DOB 1962; POB Shati."), "1962");
        assert_eq!(date_of_birth("POB Shati."), "");
        assert_eq!(ofac("-0- "), "");
    }

    #[test]
    fn country_names_fold() {
        assert_eq!(
            country_key("The Democratic People's Republic of Korea"),
            "democratic people s republic of korea"
        );
        assert_eq!(country_key("Korea, North"), "korea north");
    }
}
