//! Code lists: ISO 3166-1 countries (with the CDS special codes), ISO 4217 currencies (with
//! minor units and withdrawals), UN/ECE Rec 20 units plus the TARIC/CDS units and qualifiers,
//! Rec 21 package types, Rec 19 transport modes, HS 2017/2022 subheadings, UN/LOCODEs and the
//! CDS preference codes. Each source is recognised by its file name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::csv::column;
use super::{ImportError, Imported, TableOut, json_text, read_csv, read_json, source_entries};
use crate::tariff::schema;

/// Country codes CDS accepts beyond ISO 3166-1, with their source: the codes the UK Trade
/// Tariff's geographical areas add (statistical `Q*` codes, `X*` territories, the
/// continental-shelf sectors `Z*`), and the CDS codes `EU` and `XI`.
const SPECIAL_COUNTRIES: &[[&str; 3]] = &[
    ["EU", "European Union", "CDS: origin and party codes for the European Union"],
    [
        "QP",
        "High seas (maritime domain outside of territorial waters)",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QQ",
        "Stores and provisions",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QR",
        "Stores and provisions within the framework of intra-EU trade",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QS",
        "Stores and provisions within the framework of trade with third countries",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QU",
        "Countries and territories not specified",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QV",
        "Countries and territories not specified within the framework of intra-EU trade",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QW",
        "Countries and territories not specified within the framework of trade with third countries",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QX",
        "Countries and territories not specified for commercial or military reasons",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QY",
        "Countries and territories not specified for commercial or military reasons in the framework of intra-EU trade",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "QZ",
        "Countries and territories not specified for commercial or military reasons in the framework of trade with third countries",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "XC",
        "Ceuta",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    ["XI", "Northern Ireland", "CDS: Northern Ireland (EORIs and the Windsor Framework)"],
    [
        "XK",
        "Kosovo",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "XL",
        "Melilla",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "XS",
        "Serbia",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "XU",
        "United Kingdom (excluding Northern Ireland)",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "ZB",
        "Continental Shelf, Belgian sector",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "ZD",
        "Continental Shelf, Danish sector",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "ZE",
        "Continental Shelf, Irish sector",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "ZF",
        "Continental Shelf, French sector",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "ZG",
        "Continental Shelf, German sector",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json); HMRC's CDS samples TT_EX005a, TT_EX047a",
    ],
    [
        "ZH",
        "Continental Shelf, Netherlands sector",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json)",
    ],
    [
        "ZN",
        "Continental Shelf, Norwegian sector",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json); HMRC's CDS sample TT_IM095a",
    ],
    [
        "ZU",
        "Continental Shelf, United Kingdom sector",
        "UK Trade Tariff geographical areas (trade-tariff-duty-calculator countries.json); HMRC's CDS samples TT_IM095a, TT_IM097a",
    ],
];

/// UN/ECE Recommendation 19 (Codes for Modes of Transport), as CDS uses them in DE 7/4 and 7/5.
const TRANSPORT_MODES: &[[&str; 2]] = &[
    ["0", "Transport mode not specified"],
    ["1", "Maritime transport"],
    ["2", "Rail transport"],
    ["3", "Road transport"],
    ["4", "Air transport"],
    ["5", "Mail"],
    ["6", "Multimodal transport"],
    ["7", "Fixed transport installation"],
    ["8", "Inland water transport"],
    ["9", "Transport mode not applicable"],
];

/// Tax-base units CDS declarations use that neither Rec 20 nor the TARIC list has.
const CDS_UNITS: &[[&str; 2]] = &[
    ["EAS", "easement applied (CDS tax base)"],
    ["GP1", "gross annual production (CDS tax base)"],
    ["KTC", "kilogram of tobacco (CDS tax base)"],
];

#[derive(Default)]
struct Lists {
    countries: Option<Vec<Vec<String>>>,
    currencies: Option<Vec<Vec<String>>>,
    rec20: Option<Vec<Vec<String>>>,
    taric_units: Option<Vec<Vec<String>>>,
    packages: Option<Vec<Vec<String>>>,
    hs2017: Option<BTreeMap<String, String>>,
    hs2022: Option<BTreeMap<String, String>>,
    locodes: Option<Vec<Vec<String>>>,
    preferences: Option<Vec<Vec<String>>>,
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|name| name.to_str()).unwrap_or_default()
}

fn read_countries(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let (header, records) = read_csv(path)?;
    let alpha2 = column(path, &header, "ISO3166-1-Alpha-2")?;
    let alpha3 = column(path, &header, "ISO3166-1-Alpha-3")?;
    let numeric = column(path, &header, "ISO3166-1-numeric")?;
    let name = column(path, &header, "CLDR display name")?;
    let official = column(path, &header, "official_name_en")?;
    let mut rows = Vec::new();
    for record in records {
        // Kept as text: Namibia's code is the two letters "NA", not a missing value.
        let code = record.get(alpha2).trim();
        if code.is_empty() {
            continue;
        }
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ImportError::new(
                path,
                Some(record.line),
                format!("`{code}` is not an alpha-2 code"),
            ));
        }
        let display =
            if record.get(official).is_empty() { record.get(name) } else { record.get(official) };
        rows.push(vec![
            code.to_owned(),
            record.get(alpha3).to_owned(),
            record.get(numeric).to_owned(),
            display.to_owned(),
            "iso3166".to_owned(),
        ]);
    }
    for [code, name, source] in SPECIAL_COUNTRIES {
        if !rows.iter().any(|row| row.first().is_some_and(|existing| existing == code)) {
            rows.push(vec![
                (*code).to_owned(),
                String::new(),
                String::new(),
                (*name).to_owned(),
                (*source).to_owned(),
            ]);
        }
    }
    rows.sort();
    Ok(rows)
}

fn read_currencies(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let (header, records) = read_csv(path)?;
    let (alpha, name, numeric, minor, withdrawn) = (
        column(path, &header, "AlphabeticCode")?,
        column(path, &header, "Currency")?,
        column(path, &header, "NumericCode")?,
        column(path, &header, "MinorUnit")?,
        column(path, &header, "WithdrawalDate")?,
    );
    // Per code: name, numeric, minor unit, in use somewhere, latest withdrawal.
    let mut by_code: BTreeMap<String, (String, String, String, bool, String)> = BTreeMap::new();
    for record in records {
        let code = record.get(alpha).trim();
        if code.is_empty() {
            continue;
        }
        if code.len() != 3 {
            return Err(ImportError::new(
                path,
                Some(record.line),
                format!("`{code}` is not an ISO 4217 code"),
            ));
        }
        let minor_unit = record.get(minor).trim();
        let minor_unit =
            if minor_unit.bytes().all(|b| b.is_ascii_digit()) { minor_unit } else { "" };
        let withdrawal = record.get(withdrawn).trim();
        let entry = by_code.entry(code.to_owned()).or_insert_with(|| {
            (
                record.get(name).to_owned(),
                record.get(numeric).to_owned(),
                minor_unit.to_owned(),
                false,
                String::new(),
            )
        });
        if withdrawal.is_empty() {
            // A current row gives the current name and minor unit.
            *entry = (
                record.get(name).to_owned(),
                record.get(numeric).to_owned(),
                minor_unit.to_owned(),
                true,
                String::new(),
            );
        } else if !entry.3 && withdrawal > entry.4.as_str() {
            withdrawal.clone_into(&mut entry.4);
        }
    }
    Ok(by_code
        .into_iter()
        .map(|(code, (name, numeric, minor, _, withdrawn))| {
            vec![code, numeric, minor, withdrawn, name]
        })
        .collect())
}

fn read_rec20(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let (header, records) = read_csv(path)?;
    let (code, name, symbol, status) = (
        column(path, &header, "code")?,
        column(path, &header, "name")?,
        column(path, &header, "symbol")?,
        column(path, &header, "status")?,
    );
    Ok(records
        .iter()
        .filter(|record| !record.get(code).is_empty())
        .map(|record| {
            vec![
                record.get(code).to_owned(),
                record.get(name).to_owned(),
                record.get(symbol).to_owned(),
                record.get(status).to_owned(),
                "rec20".to_owned(),
            ]
        })
        .collect())
}

fn read_taric_units(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let document = read_json(path)?;
    let units = document
        .as_object()
        .ok_or_else(|| ImportError::new(path, Some(1), "expected a JSON object of units"))?;
    let mut rows = Vec::new();
    for value in units.values() {
        let unit = json_text(value, "measurement_unit_code");
        let qualifier = json_text(value, "measurement_unit_qualifier_code");
        let code = if qualifier.is_empty() { unit } else { format!("{unit}#{qualifier}") };
        let expansion = json_text(value, "expansion");
        let name = if expansion.is_empty() { json_text(value, "unit") } else { expansion };
        rows.push(vec![
            code,
            name,
            json_text(value, "abbreviation"),
            String::new(),
            "taric".to_owned(),
        ]);
    }
    Ok(rows)
}

fn read_packages(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let (header, records) = read_csv(path)?;
    let (code, name) = (column(path, &header, "code")?, column(path, &header, "name")?);
    let mut rows: Vec<Vec<String>> = records
        .iter()
        .map(|record| vec![record.get(code).to_owned(), record.get(name).to_owned()])
        .collect();
    rows.sort();
    Ok(rows)
}

fn read_hs(path: &Path) -> Result<BTreeMap<String, String>, ImportError> {
    let (header, records) = read_csv(path)?;
    let (code, description, level) = (
        column(path, &header, "hscode")?,
        column(path, &header, "description")?,
        column(path, &header, "level")?,
    );
    let mut codes = BTreeMap::new();
    for record in records {
        // `999999` is UN Comtrade's "not specified" code, not a WCO subheading.
        if record.get(level) == "6" && record.get(code) != "999999" {
            let subheading = record.get(code);
            if subheading.len() != 6 || !subheading.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ImportError::new(
                    path,
                    Some(record.line),
                    format!("`{subheading}` is not a six-digit code"),
                ));
            }
            codes.insert(subheading.to_owned(), record.get(description).to_owned());
        }
    }
    Ok(codes)
}

fn read_locodes(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let (header, records) = read_csv(path)?;
    let locode = column(path, &header, "locode")?;
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let code = record.get(locode).trim();
        if code.chars().count() == 5 {
            rows.push(vec![code.to_owned()]);
        }
    }
    rows.sort();
    rows.dedup();
    Ok(rows)
}

fn read_preferences(path: &Path) -> Result<Vec<Vec<String>>, ImportError> {
    let document = read_json(path)?;
    let list = document.as_array().ok_or_else(|| {
        ImportError::new(path, Some(1), "expected a JSON array of preference codes")
    })?;
    let mut rows: Vec<Vec<String>> = list
        .iter()
        .map(|entry: &Value| vec![json_text(entry, "id"), json_text(entry, "description")])
        .collect();
    rows.sort();
    Ok(rows)
}

fn missing(what: &str) -> ImportError {
    ImportError::new(Path::new("."), None, format!("the code lists need {what} among the sources"))
}

/// `codelists`: every code-list table.
#[allow(clippy::too_many_lines)] // One linear mapping from source fields to records.
pub(crate) fn import(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let mut lists = Lists::default();
    for path in sources {
        match file_name(path) {
            "country-codes.csv"
                if path.parent().is_some_and(|dir| dir.ends_with("iso3166-countries")) =>
            {
                lists.countries = Some(read_countries(path)?);
            }
            "codes-all.csv" => lists.currencies = Some(read_currencies(path)?),
            "rec20-codes-2021.csv" => lists.rec20 = Some(read_rec20(path)?),
            "measurement_units.json" => lists.taric_units = Some(read_taric_units(path)?),
            "rec21-package-types-2021.csv" => lists.packages = Some(read_packages(path)?),
            "harmonized-system-hs2017.csv" => lists.hs2017 = Some(read_hs(path)?),
            "harmonized-system-hs2022.csv" => lists.hs2022 = Some(read_hs(path)?),
            "unlocode-code-list-edi3-2021.csv" => lists.locodes = Some(read_locodes(path)?),
            "preference_codes.json" => lists.preferences = Some(read_preferences(path)?),
            other => {
                return Err(ImportError::new(
                    path,
                    None,
                    format!("`{other}` is not a code-list source Preclear knows"),
                ));
            }
        }
    }
    let mut units = lists.rec20.ok_or_else(|| missing("rec20-codes-2021.csv"))?;
    let known: std::collections::BTreeSet<String> =
        units.iter().filter_map(|row| row.first().cloned()).collect();
    for row in lists.taric_units.ok_or_else(|| missing("measurement_units.json"))? {
        if row.first().is_some_and(|code| !known.contains(code)) {
            units.push(row);
        }
    }
    for [code, name] in CDS_UNITS {
        units.push(vec![
            (*code).to_owned(),
            (*name).to_owned(),
            String::new(),
            String::new(),
            "cds".to_owned(),
        ]);
    }
    units.sort();
    units.dedup_by(|a, b| a.first() == b.first());
    let hs2017 = lists.hs2017.ok_or_else(|| missing("harmonized-system-hs2017.csv"))?;
    let hs2022 = lists.hs2022.ok_or_else(|| missing("harmonized-system-hs2022.csv"))?;
    let mut hs: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (code, description) in &hs2017 {
        hs.insert(code.clone(), ("2017".to_owned(), description.clone()));
    }
    for (code, description) in &hs2022 {
        let editions = if hs2017.contains_key(code) { "2017 2022" } else { "2022" };
        hs.insert(code.clone(), (editions.to_owned(), description.clone()));
    }
    let hs_rows = hs
        .into_iter()
        .map(|(code, (editions, description))| vec![code, editions, description])
        .collect();
    let modes = TRANSPORT_MODES
        .iter()
        .map(|[code, name]| vec![(*code).to_owned(), (*name).to_owned()])
        .collect();
    let source = source_entries(&[
        ("title", "Code lists for validating declarations"),
        (
            "countries",
            "datasets/country-codes data/country-codes.csv @ caa72d1e (ODC-PDDL-1.0), plus CDS codes EU and XI, and the UK Trade Tariff's Q*, X* and continental-shelf Z* areas (trade-tariff/trade-tariff-duty-calculator @ c9cbbc72, MIT)",
        ),
        ("currencies", "datasets/currency-codes data/codes-all.csv @ ab9b0ae8 (ODC-PDDL-1.0)"),
        (
            "units",
            "edi3/edi3.github.io UN/ECE Rec 20 (2021) @ caa7acab (ODC-PDDL-1.0); trade-tariff/trade-tariff-backend db/measurement_units.json @ 3c026694 (MIT); CDS tax-base units EAS, GP1, KTC from HMRC's CDS trade-test declarations",
        ),
        ("packages", "edi3/edi3.github.io UN/ECE Rec 21 (2021) @ caa7acab (ODC-PDDL-1.0)"),
        (
            "transport_modes",
            "UN/ECE Recommendation 19, Codes for Modes of Transport (codes 0-9), written for Preclear",
        ),
        (
            "hs",
            "datasets/harmonized-system data/harmonized-system.csv: HS2022 @ a3e0d10b, HS2017 @ a72bef25 (ODC-PDDL-1.0); six-digit subheadings, without UN Comtrade's 999999",
        ),
        (
            "locodes",
            "edi3/edi3.github.io _data/unlocode-*.json @ caa7acab (2021 code list; ODC-PDDL-1.0): five-character codes only",
        ),
        (
            "preference_codes",
            "trade-tariff/trade-tariff-backend data/preference_codes.json @ 3c026694 (MIT)",
        ),
        ("licence", "ODC-PDDL-1.0 and MIT as listed per list"),
        ("version", "2021-2026 vintages as listed per list"),
        ("effective", "2022-01-01"),
    ]);
    Ok(Imported {
        tables: vec![
            TableOut {
                schema: &schema::COUNTRIES,
                rows: lists
                    .countries
                    .ok_or_else(|| missing("iso3166-countries/country-codes.csv"))?,
            },
            TableOut {
                schema: &schema::CURRENCIES,
                rows: lists.currencies.ok_or_else(|| missing("codes-all.csv"))?,
            },
            TableOut { schema: &schema::UNITS, rows: units },
            TableOut {
                schema: &schema::PACKAGES,
                rows: lists.packages.ok_or_else(|| missing("rec21-package-types-2021.csv"))?,
            },
            TableOut { schema: &schema::TRANSPORT_MODES, rows: modes },
            TableOut { schema: &schema::HS, rows: hs_rows },
            TableOut {
                schema: &schema::LOCODES,
                rows: lists.locodes.ok_or_else(|| missing("unlocode-code-list-edi3-2021.csv"))?,
            },
            TableOut {
                schema: &schema::PREFERENCE_CODES,
                rows: lists.preferences.ok_or_else(|| missing("preference_codes.json"))?,
            },
        ],
        source,
        warnings: Vec::new(),
    })
}
