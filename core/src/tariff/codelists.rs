//! Code lists: a small typed API over the `codelists` pack (countries, currencies, units,
//! package types, transport modes, HS subheadings, UN/LOCODEs, CDS preference codes).
//!
//! Every table is sorted by code, so each lookup is a binary search.

use serde::Serialize;

use crate::Date;
use crate::finding::Finding;
use crate::tariff::pack::{PackFile, TariffError, read_meta};
use crate::tariff::schema::{self, TableSchema};
use crate::tariff::table::{Table, bad_pack};

const TABLES: &[TableSchema] = &[
    schema::COUNTRIES,
    schema::CURRENCIES,
    schema::UNITS,
    schema::PACKAGES,
    schema::TRANSPORT_MODES,
    schema::HS,
    schema::LOCODES,
    schema::PREFERENCE_CODES,
];

/// A currency from ISO 4217.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Currency<'a> {
    /// The alphabetic code.
    pub code: &'a str,
    /// The currency's name.
    pub name: &'a str,
    /// The number of decimals of its minor unit (`None` for funds and metals).
    pub minor_units: Option<u8>,
    /// The month it was withdrawn (`YYYY-MM`), when it no longer is in use.
    pub withdrawn: Option<&'a str>,
}

impl Currency<'_> {
    /// Whether the currency was in use on `date` (withdrawn ones until their month began).
    #[must_use]
    pub fn active_on(&self, date: Date) -> bool {
        let Some(withdrawn) = self.withdrawn else { return true };
        let month = format!("{:04}-{:02}", date.year(), date.month());
        month.as_str() < withdrawn.get(..7).unwrap_or(withdrawn)
    }
}

/// An HS edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HsEdition {
    /// HS 2017.
    Hs2017,
    /// HS 2022.
    Hs2022,
}

/// Reports the first record of `table` not in code order: lookups are binary searches.
fn check_sorted(table: &Table, findings: &mut Vec<Finding>) {
    let mut previous = table.get(0, 0);
    for row in 1..table.len() {
        let code = table.get(row, 0);
        if previous >= code {
            findings
                .push(table.finding(row, "records are not sorted by code; lookups may miss it"));
            return;
        }
        previous = code;
    }
}

/// The loaded code lists.
#[derive(Debug)]
pub struct CodeLists {
    tables: Vec<Table>,
    findings: Vec<Finding>,
}

impl CodeLists {
    /// Loads the code lists from the pack's files.
    ///
    /// # Errors
    ///
    /// When `pack.toml` is missing or a table's header is wrong.
    pub fn from_files(files: Vec<PackFile>) -> Result<CodeLists, TariffError> {
        let mut findings = Vec::new();
        let meta = read_meta(&files, &mut findings)?;
        if meta.text("jurisdiction") != Some("codelists") {
            return Err(bad_pack(
                "pack.toml",
                1,
                "not a code-list pack (jurisdiction = \"codelists\")",
            )
            .into());
        }
        let mut tables: Vec<Option<Table>> = TABLES.iter().map(|_| None).collect();
        for file in files {
            if file.name == "pack.toml" {
                continue;
            }
            let Some(position) = TABLES.iter().position(|table| table.file == file.name) else {
                findings.push(bad_pack(&file.name, 1, "not a code-list table; ignored"));
                continue;
            };
            let header = TABLES.get(position).map(|table| table.columns).unwrap_or_default();
            // The compiled-in lists are checked to be in order by the test suite.
            let check_order = !file.prechecked;
            let table = Table::parse_file(file, header, &mut findings).map_err(|error| *error.0)?;
            if check_order {
                check_sorted(&table, &mut findings);
            }
            if let Some(slot) = tables.get_mut(position) {
                *slot = Some(table);
            }
        }
        let mut loaded = Vec::new();
        for (TableSchema { file: name, columns: header }, table) in TABLES.iter().zip(tables) {
            let table = if let Some(table) = table {
                table
            } else {
                {
                    findings.push(bad_pack(name, 1, "missing from the pack"));
                    let text = format!("{}\n", header.join("\t"));
                    Table::parse(name, std::borrow::Cow::Owned(text), header, &mut findings)
                        .map_err(|error| *error.0)?
                }
            };
            loaded.push(table);
        }
        Ok(CodeLists { tables: loaded, findings })
    }

    /// Problems found while loading.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    fn row(&self, table: usize, code: &str) -> Option<(&Table, usize)> {
        let table = self.tables.get(table)?;
        let mut low = 0;
        let mut high = table.len();
        while low < high {
            let middle = low + (high - low) / 2;
            match table.cmp_field(middle, 0, code) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some((table, middle)),
            }
        }
        None
    }

    /// The number of records in each table, by file name.
    #[must_use]
    pub fn counts(&self) -> Vec<(&str, usize)> {
        self.tables.iter().map(|table| (table.name(), table.len())).collect()
    }

    /// The name of the country (ISO 3166-1 alpha-2, or a CDS code such as `XI`, `EU`, `ZU`).
    #[must_use]
    pub fn country(&self, code: &str) -> Option<&str> {
        self.row(0, code).map(|(table, row)| table.get(row, 3))
    }

    /// Whether `code` is a country code CDS accepts.
    #[must_use]
    pub fn country_exists(&self, code: &str) -> bool {
        self.row(0, code).is_some()
    }

    /// The ISO 4217 currency.
    #[must_use]
    pub fn currency(&self, code: &str) -> Option<Currency<'_>> {
        self.row(1, code).map(|(table, row)| Currency {
            code: table.get(row, 0),
            name: table.get(row, 4),
            minor_units: table.get(row, 2).parse().ok(),
            withdrawn: Some(table.get(row, 3)).filter(|text| !text.is_empty()),
        })
    }

    /// Whether the currency exists and was in use on `date`.
    #[must_use]
    pub fn currency_active_on(&self, code: &str, date: Date) -> bool {
        self.currency(code).is_some_and(|currency| currency.active_on(date))
    }

    /// Whether `code` is a unit: UN/ECE Rec 20 (not deleted), TARIC (`DTN`, `KGM#G`, `ASV`) or CDS.
    #[must_use]
    pub fn unit_known(&self, code: &str) -> bool {
        self.row(2, code).is_some_and(|(table, row)| table.get(row, 3) != "D")
    }

    /// The unit's name.
    #[must_use]
    pub fn unit_name(&self, code: &str) -> Option<&str> {
        self.row(2, code).map(|(table, row)| table.get(row, 1))
    }

    /// The Rec 21 package type's name.
    #[must_use]
    pub fn package_type(&self, code: &str) -> Option<&str> {
        self.row(3, code).map(|(table, row)| table.get(row, 1))
    }

    /// The Rec 19 transport mode's name.
    #[must_use]
    pub fn transport_mode(&self, code: &str) -> Option<&str> {
        self.row(4, code).map(|(table, row)| table.get(row, 1))
    }

    /// Whether the six-digit subheading exists in the HS edition.
    #[must_use]
    pub fn hs6_exists(&self, code: &str, edition: HsEdition) -> bool {
        let wanted = match edition {
            HsEdition::Hs2017 => "2017",
            HsEdition::Hs2022 => "2022",
        };
        self.row(5, code)
            .is_some_and(|(table, row)| table.get(row, 1).split(' ').any(|found| found == wanted))
    }

    /// The HS subheading's description (the newest edition's).
    #[must_use]
    pub fn hs6_description(&self, code: &str) -> Option<&str> {
        self.row(5, code).map(|(table, row)| table.get(row, 2))
    }

    /// Whether the five-character UN/LOCODE exists (`GBFXT`; spaces are ignored).
    #[must_use]
    pub fn locode_exists(&self, code: &str) -> bool {
        let compact: String = code.chars().filter(|ch| !ch.is_whitespace()).collect();
        self.row(6, &compact.to_ascii_uppercase()).is_some()
    }

    /// The CDS preference code's description (`100`, `300`, ...).
    #[must_use]
    pub fn preference_code(&self, code: &str) -> Option<&str> {
        self.row(7, code).map(|(table, row)| table.get(row, 1))
    }
}
