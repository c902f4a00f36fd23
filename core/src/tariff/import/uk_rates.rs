//! UK taxes and rates: alcohol duty bands (HMRC), the VAT rules (Value Added Tax Act 1994),
//! HMRC's monthly exchange rates, and the FTA tariff-rate quotas of 2021.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use serde_json::Value;

use super::csv::column;
use super::{
    ImportError, Imported, TableOut, json_text, read_csv, read_json, read_text, single_source,
    source_entries,
};
use crate::Date;
use crate::tariff::schema;

/// The first day of `YYYY-MM`.
fn month_start(month: &str) -> Option<String> {
    let date: Date = format!("{month}-01").parse().ok()?;
    Some(date.to_string())
}

/// The last day before the month `YYYY-MM` starts.
fn day_before_month(month: &str) -> Option<String> {
    let date: Date = format!("{month}-01").parse().ok()?;
    let (year, month) = if date.month() == 1 {
        (date.year().checked_sub(1)?, 12)
    } else {
        (date.year(), date.month() - 1)
    };
    Date::new(year, month, crate::date::days_in_month(year, month)).map(|date| date.to_string())
}

/// `uk-taxes`: `alcohol_duty.tsv` from HMRC's alcohol duty rates, and `vat.tsv`.
#[allow(clippy::too_many_lines)] // One linear mapping from source fields to records.
pub(crate) fn import_taxes(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let path = single_source(sources)?;
    let document = read_json(path)?;
    let periods = document
        .as_array()
        .ok_or_else(|| ImportError::new(path, Some(1), "expected a JSON array of rate periods"))?;
    let mut rows = Vec::new();
    for period in periods {
        let name = json_text(period, "name");
        let bad = |what: &str| ImportError::new(path, None, format!("period `{name}`: {what}"));
        let start = month_start(&json_text(period, "validityStartDate"))
            .ok_or_else(|| bad("no validityStartDate"))?;
        let end_month = json_text(period, "validityEndDate");
        let end = if end_month.is_empty() {
            String::new()
        } else {
            day_before_month(&end_month).ok_or_else(|| bad("bad validityEndDate"))?
        };
        for band in
            period.get("rateBands").and_then(Value::as_array).ok_or_else(|| bad("no rateBands"))?
        {
            for details in band.get("rangeDetails").and_then(Value::as_array).into_iter().flatten()
            {
                for range in
                    details.get("abvRanges").and_then(Value::as_array).into_iter().flatten()
                {
                    rows.push(vec![
                        start.clone(),
                        end.clone(),
                        json_text(band, "taxTypeCode"),
                        json_text(band, "description"),
                        json_text(band, "rateType"),
                        json_text(band, "rate"),
                        json_text(details, "alcoholRegime"),
                        json_text(range, "alcoholType"),
                        json_text(range, "minABV"),
                        json_text(range, "maxABV"),
                    ]);
                }
            }
        }
    }
    rows.sort();
    let vat = [
        ["", "20.00 %", "VAT standard rate", "Value Added Tax Act 1994, s. 2(1)"],
        ["VATE", "0.00 %", "VAT exempt", "Value Added Tax Act 1994, s. 31 and Schedule 9"],
        ["VATR", "5.00 %", "VAT reduced rate", "Value Added Tax Act 1994, s. 29A and Schedule 7A"],
        ["VATZ", "0.00 %", "VAT zero rate", "Value Added Tax Act 1994, s. 30 and Schedule 8"],
    ];
    let vat_rows =
        vat.iter().map(|row| row.iter().map(|&field| field.to_owned()).collect()).collect();
    let source = source_entries(&[
        ("title", "UK alcohol duty rates by tax type (311-380) and ABV band; UK import VAT rules"),
        ("upstream", "hmrc/alcohol-duty-calculator"),
        ("path", "conf/rates/alcohol-duty-rates.json"),
        ("commit", "962f5375fea564056cf910e3259bd17a153b39b4"),
        ("version", "periods 2023-1, 2025-2, 2026-2"),
        ("licence", "Apache-2.0 (repository); the rates are HMRC's (Open Government Licence v3.0)"),
        ("effective", "2023-08-01"),
        (
            "rate_unit",
            "GBP per litre of pure alcohol; an empty rate is calculated (small producer relief)",
        ),
        (
            "vat_source",
            "VAT rules written for Preclear from the Value Added Tax Act 1994 (ss. 2, 29A, 30, 31); a CDS national additional code selects a rule, none means the standard rate",
        ),
        (
            "gaps",
            "tobacco and hydrocarbon oil (fuel) duty rates are not in the sources, so the pack holds none",
        ),
        (
            "note",
            "the 2023-1 period starts 2023-01 upstream; the alcohol duty regime itself started on 1 August 2023",
        ),
    ]);
    Ok(Imported {
        tables: vec![
            TableOut { schema: &schema::ALCOHOL_DUTY, rows },
            TableOut { schema: &schema::VAT, rows: vat_rows },
        ],
        source,
        warnings: Vec::new(),
    })
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `01/Jan/2023 to 31/Jan/2023` → `2023-01`.
fn period_month(period: &str) -> Option<String> {
    let mut parts = period.split_whitespace().next()?.split('/');
    let (_day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let month = MONTHS.iter().position(|name| name.eq_ignore_ascii_case(month))? + 1;
    (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{year}-{month:02}"))
}

fn read_month(
    path: &Path,
    rates: &mut BTreeMap<(String, String), String>,
    warnings: &mut Vec<String>,
) -> Result<(), ImportError> {
    let text = read_text(path)?;
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut month = None;
    let mut element = String::new();
    let (mut currency, mut rate) = (String::new(), String::new());
    let position = |reader: &quick_xml::Reader<&[u8]>| {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        Some(text.get(..offset).map_or(0, |before| before.matches('\n').count()) + 1)
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                start.local_name().as_ref().clone_into(&mut element);
                if element == "exchangeRateMonthList" {
                    for attribute in start.attributes().flatten() {
                        if attribute.key.as_ref() == "Period" {
                            month = period_month(&attribute.value);
                        }
                    }
                } else if element == "exchangeRate" {
                    currency.clear();
                    rate.clear();
                }
            }
            Ok(Event::Text(content)) => {
                let value = content.trim().to_owned();
                match element.as_str() {
                    "currencyCode" => currency = value,
                    "rateNew" => rate = value,
                    _ => {}
                }
            }
            Ok(Event::End(end)) => {
                if end.local_name().as_ref() == "exchangeRate" {
                    let Some(month) = month.clone() else {
                        return Err(ImportError::new(
                            path,
                            position(&reader),
                            "no `Period` on exchangeRateMonthList",
                        ));
                    };
                    if currency.len() != 3 || rate.parse::<rust_decimal::Decimal>().is_err() {
                        return Err(ImportError::new(
                            path,
                            position(&reader),
                            format!("bad exchange rate `{currency}` = `{rate}`"),
                        ));
                    }
                    if let Some(previous) =
                        rates.insert((month.clone(), currency.clone()), rate.clone())
                        && previous != rate
                    {
                        warnings.push(format!("{}: {currency} {month} has two rates ({previous}, {rate}); kept {rate}", path.display()));
                    }
                }
                element.clear();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => {
                return Err(ImportError::new(
                    path,
                    position(&reader),
                    format!("not well-formed XML: {error}"),
                ));
            }
        }
    }
    if month.is_none() {
        return Err(ImportError::new(path, None, "not an HMRC exchangeRateMonthList file"));
    }
    Ok(())
}

/// `hmrc-exchange-rates`: `exchange_rates.tsv` (month, currency, units per £1).
pub(crate) fn import_exchange_rates(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let mut files = Vec::new();
    for source in sources {
        if source.is_dir() {
            let entries = std::fs::read_dir(source)
                .map_err(|error| ImportError::new(source, None, error.to_string()))?;
            for entry in entries {
                let path = entry
                    .map_err(|error| ImportError::new(source, None, error.to_string()))?
                    .path();
                if path.extension().is_some_and(|extension| extension == "xml") {
                    files.push(path);
                }
            }
        } else {
            files.push(source.clone());
        }
    }
    files.sort();
    let mut rates = BTreeMap::new();
    let mut warnings = Vec::new();
    for file in &files {
        read_month(file, &mut rates, &mut warnings)?;
    }
    let first = rates.keys().next().map(|key| key.0.clone()).unwrap_or_default();
    let last = rates.keys().next_back().map(|key| key.0.clone()).unwrap_or_default();
    let rows =
        rates.into_iter().map(|((month, currency), rate)| vec![month, currency, rate]).collect();
    let mut source = source_entries(&[
        ("title", "HMRC monthly exchange rates (currency units per GBP 1)"),
        ("upstream", "velikodniy/hmrc-rates"),
        ("path", "data/monthly/*.xml"),
        ("commit", "af3cfc28db0e04f407367bfad724bcb8cfc24b9f"),
        ("licence", "Open Government Licence v3.0 (HMRC data); repository MIT"),
    ]);
    source.extend(source_entries(&[
        ("version", &format!("{first} to {last}")),
        ("effective", &format!("{first}-01")),
    ]));
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::EXCHANGE_RATES, rows }],
        source,
        warnings,
    })
}

/// `uk-quotas`: `quotas.tsv`, one record per FTA quota order number and commodity code.
pub(crate) fn import_quotas(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let path = single_source(sources)?;
    let (header, records) = read_csv(path)?;
    let number = column(path, &header, "fta_quota_number")?;
    let codes = column(path, &header, "fta_commodity_code")?;
    let origin = column(path, &header, "fta_quota_origin")?;
    let rate = column(path, &header, "fta_quota_duty_rate")?;
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for record in &records {
        let order = record.get(number).trim();
        if order.len() != 6 || !order.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ImportError::new(
                path,
                Some(record.line),
                format!("`{order}` is not a quota order number"),
            ));
        }
        let code_list: Vec<&str> =
            record.get(codes).split(';').map(str::trim).filter(|code| !code.is_empty()).collect();
        let rate_list: Vec<&str> = record.get(rate).split(';').map(str::trim).collect();
        if rate_list.len() != 1 && rate_list.len() != code_list.len() {
            warnings.push(format!(
                "{}:{}: quota {order} lists {} rates for {} codes; rates kept in order",
                path.display(),
                record.line,
                rate_list.len(),
                code_list.len()
            ));
        }
        for (index, code) in code_list.iter().enumerate() {
            // Some quotas name a heading or subheading (`070320`): padded to ten digits.
            let Ok(digits) = crate::tariff::code::normalize_code(code) else {
                return Err(ImportError::new(
                    path,
                    Some(record.line),
                    format!("`{code}` is not a commodity code"),
                ));
            };
            let code = crate::tariff::code::pad_to_ten(&digits);
            let in_quota =
                if rate_list.len() == 1 { rate_list.first() } else { rate_list.get(index) };
            rows.push(vec![
                order.to_owned(),
                code,
                record.get(origin).trim().to_owned(),
                in_quota.copied().unwrap_or_default().to_owned(),
            ]);
        }
    }
    rows.sort();
    rows.dedup();
    let source = source_entries(&[
        (
            "title",
            "UK tariff-rate quotas under free-trade agreements (2021): order number, code, origin, in-quota rate",
        ),
        ("upstream", "tcolwell7/UK-Tariff-Rate-Quota-analysis"),
        ("path", "web-scrape/licensed_fta_quotas.xlsx (as DERIVED_licensed_fta_quotas.csv)"),
        ("commit", "9af49c6921f45661c96a2e7b24024ff33f75ec82"),
        ("version", "2021 quota year"),
        (
            "licence",
            "no licence file upstream; the data is gov.uk/HMRC (Open Government Licence v3.0)",
        ),
        ("effective", "2021-01-01"),
        (
            "rate_note",
            "in-quota rates as the source wrote them: a bare fraction such as 0.0520 means 5.20%",
        ),
    ]);
    Ok(Imported { tables: vec![TableOut { schema: &schema::QUOTAS, rows }], source, warnings })
}

/// `uk-supplementary-units`: `supplementary_units.tsv`, the supplementary unit of each
/// commodity code. The ETF writes a unit as a four-digit number: `1` then a unit number for
/// the first (mass) unit, `2` then the number for the supplementary unit; its table
/// `supplementary_units.csv` (`code,qualifier,number[,note]`) names each number. A number
/// that several rows name is read as the first row without a note (the notes flag rows the
/// ETF does not use).
pub(crate) fn import_supplementary_units(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let (json, csv) = match sources {
        [a, b] if a.extension().is_some_and(|extension| extension == "json") => (a, b),
        [a, b] => (b, a),
        _ => {
            let first = sources.first().map_or_else(|| Path::new("."), PathBuf::as_path);
            return Err(ImportError::new(
                first,
                None,
                "needs two sources: supp_units.json and supplementary_units.csv",
            ));
        }
    };
    let mut names: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for (index, line) in read_text(csv)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let (Some(code), Some(qualifier), Some(number)) =
            (fields.first(), fields.get(1), fields.get(2))
        else {
            return Err(ImportError::new(csv, Some(index + 1), "expected `code,qualifier,number`"));
        };
        if number.len() != 3 || !number.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(ImportError::new(
                csv,
                Some(index + 1),
                format!("`{number}` is not a three-digit unit number"),
            ));
        }
        let unit =
            if qualifier.is_empty() { (*code).to_owned() } else { format!("{code}#{qualifier}") };
        let noted = fields.get(3).is_some_and(|note| !note.is_empty());
        match names.get(*number) {
            Some((_, false)) => {}
            Some((_, true)) if noted => {}
            _ => {
                names.insert((*number).to_owned(), (unit, noted));
            }
        }
    }
    let document = read_json(json)?;
    let Some(entries) = document.as_object() else {
        return Err(ImportError::new(json, None, "expected an object of codes"));
    };
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for (code, units) in entries {
        if code.len() != 10 || !code.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(ImportError::new(json, None, format!("`{code}` is not a commodity code")));
        }
        let supplementary = json_text(units, "unit2");
        if supplementary == "0000" || supplementary.is_empty() {
            continue;
        }
        let number = supplementary.get(1..).unwrap_or_default();
        match names.get(number) {
            Some((unit, _)) => rows.push(vec![code.clone(), unit.clone(), supplementary]),
            None => warnings.push(format!(
                "{}: {code}: unit {supplementary} is not in the unit table; skipped",
                json.display()
            )),
        }
    }
    rows.sort();
    let mut source = source_entries(&[
        (
            "title",
            "UK supplementary units by commodity code (HMRC Electronic Tariff File reference data)",
        ),
        ("upstream", "trade-tariff/electronic-tariff-file"),
        ("path", "data/reference/supp_units.json, data/reference/supplementary_units.csv"),
        ("commit", "5ff97aeae5a5777766c684325c29b4c4c9b9d604"),
        (
            "licence",
            "no licence file upstream; Crown copyright data (Open Government Licence v3.0)",
        ),
        ("version", "ETF reference data of 2026-06-30"),
        ("effective", "2026-06-30"),
    ]);
    source.extend(source_entries(&[("unit_numbers", &names.len().to_string())]));
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::SUPPLEMENTARY_UNITS, rows }],
        source,
        warnings,
    })
}
