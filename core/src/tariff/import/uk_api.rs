//! UK Trade Tariff API commodity documents (`/commodities/{id}` JSON): every import measure
//! with its geographical area (and the group's members), exclusions, additional code, quota
//! order number, conditions with document codes, footnotes, legal acts and validity.
//!
//! The measures are attached to the document's commodity code. Identical measures read from
//! several documents are kept once; a measure id that occurs with different contents (the
//! upstream fixtures hand-edited some) is kept each time, numbered `ID~2`, `ID~3`, ...

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use super::{ImportError, Imported, TableOut, date_part, json_text, read_json, source_entries};
use crate::tariff::schema;

type Row = Vec<String>;

#[derive(Default)]
struct Collected {
    /// (measure row, its condition rows) by (code, id, content) so equal measures merge.
    measures: BTreeSet<(Row, Vec<Row>)>,
    areas: BTreeMap<String, (String, BTreeSet<String>)>,
    footnotes: BTreeMap<String, String>,
    additional_codes: BTreeMap<String, String>,
    quotas: BTreeSet<Row>,
    commodities: BTreeSet<Row>,
}

fn list(value: &Value, key: &str) -> Vec<Value> {
    value.get(key).and_then(Value::as_array).cloned().unwrap_or_default()
}

fn note_area(collected: &mut Collected, area: &Value) -> String {
    let id = json_text(area, "id");
    if id.is_empty() {
        return id;
    }
    let members: BTreeSet<String> = list(area, "children_geographical_areas")
        .iter()
        .map(|child| json_text(child, "id"))
        .collect();
    for child in list(area, "children_geographical_areas") {
        let child_id = json_text(&child, "id");
        collected
            .areas
            .entry(child_id)
            .or_insert_with(|| (json_text(&child, "description"), BTreeSet::new()));
    }
    let entry = collected
        .areas
        .entry(id.clone())
        .or_insert_with(|| (json_text(area, "description"), BTreeSet::new()));
    entry.1.extend(members.into_iter().filter(|member| member != &id));
    id
}

#[allow(clippy::too_many_lines)] // One linear mapping from source fields to records.
fn read_document(
    path: &std::path::Path,
    document: &Value,
    collected: &mut Collected,
) -> Result<usize, ImportError> {
    let code = json_text(document, "goods_nomenclature_item_id");
    if code.len() != 10 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ImportError::new(
            path,
            None,
            "not a UK Trade Tariff API commodity document (no 10-digit goods_nomenclature_item_id)",
        ));
    }
    let measures = document
        .get("import_measures")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::new(path, None, "no `import_measures` list"))?;
    collected.commodities.insert(vec![
        code.clone(),
        json_text(document, "producline_suffix"),
        json_text(document, "description_plain"),
        json_text(document, "declarable"),
    ]);
    for footnote in list(document, "footnotes") {
        collected
            .footnotes
            .insert(json_text(&footnote, "code"), json_text(&footnote, "description"));
    }
    for measure in measures {
        let id = json_text(measure, "id");
        if id.is_empty() {
            return Err(ImportError::new(path, None, format!("a measure of {code} has no id")));
        }
        let measure_type = measure.get("measure_type").cloned().unwrap_or(Value::Null);
        let area = note_area(collected, measure.get("geographical_area").unwrap_or(&Value::Null));
        let mut excluded: Vec<String> = Vec::new();
        for country in list(measure, "excluded_countries") {
            let country_id = json_text(&country, "id");
            collected
                .areas
                .entry(country_id.clone())
                .or_insert_with(|| (json_text(&country, "description"), BTreeSet::new()));
            excluded.push(country_id);
        }
        excluded.sort();
        let additional_code = match measure.get("additional_code") {
            Some(code_value @ Value::Object(_)) => {
                let additional = json_text(code_value, "code");
                collected
                    .additional_codes
                    .insert(additional.clone(), json_text(code_value, "description"));
                additional
            }
            _ => String::new(),
        };
        let order_number = match measure.get("order_number") {
            Some(order @ Value::Object(_)) => {
                let number = json_text(order, "number");
                if let Some(definition @ Value::Object(_)) = order.get("definition") {
                    collected.quotas.insert(vec![
                        number.clone(),
                        date_part(&json_text(definition, "validity_start_date")),
                        date_part(&json_text(definition, "validity_end_date")),
                        json_text(definition, "initial_volume"),
                        json_text(definition, "measurement_unit"),
                        json_text(definition, "monetary_unit"),
                        json_text(definition, "status"),
                        json_text(definition, "balance"),
                    ]);
                }
                number
            }
            _ => String::new(),
        };
        let legal_acts: Vec<String> = list(measure, "legal_acts")
            .iter()
            .map(|act| json_text(act, "regulation_code"))
            .filter(|code| !code.is_empty())
            .collect();
        let mut footnotes = Vec::new();
        for footnote in list(measure, "footnotes") {
            let footnote_code = json_text(&footnote, "code");
            collected.footnotes.insert(footnote_code.clone(), json_text(&footnote, "description"));
            footnotes.push(footnote_code);
        }
        let expression =
            measure.get("duty_expression").map(|expr| json_text(expr, "base")).unwrap_or_default();
        let row = vec![
            code.clone(),
            id,
            json_text(&measure_type, "id"),
            json_text(&measure_type, "description"),
            area,
            excluded.join(" "),
            additional_code,
            order_number,
            date_part(&json_text(measure, "effective_start_date")),
            date_part(&json_text(measure, "effective_end_date")),
            expression,
            legal_acts.join(" "),
            footnotes.join(" "),
            json_text(measure, "reduction_indicator"),
        ];
        let conditions = list(measure, "measure_conditions")
            .iter()
            .map(|condition| {
                vec![
                    json_text(condition, "condition_code"),
                    json_text(condition, "condition"),
                    json_text(condition, "document_code"),
                    json_text(condition, "requirement"),
                    json_text(condition, "action"),
                    json_text(condition, "duty_expression"),
                ]
            })
            .collect();
        collected.measures.insert((row, conditions));
    }
    Ok(measures.len())
}

/// `uk-trade-tariff-api`: measures, conditions, areas, footnotes, additional codes, quotas.
pub(crate) fn import(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let mut collected = Collected::default();
    let mut read = 0;
    for path in sources {
        let document = read_json(path)?;
        read += read_document(path, &document, &mut collected)?;
    }
    let mut measure_rows = Vec::new();
    let mut condition_rows = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut warnings = Vec::new();
    for (mut row, conditions) in std::mem::take(&mut collected.measures) {
        let key =
            (row.first().cloned().unwrap_or_default(), row.get(1).cloned().unwrap_or_default());
        let count = seen.entry(key.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            warnings.push(format!(
                "measure {} of {} occurs with different contents; kept as {}~{count}",
                key.1, key.0, key.1
            ));
            if let Some(id) = row.get_mut(1) {
                id.push('~');
                id.push_str(&count.to_string());
            }
        }
        let id = row.get(1).cloned().unwrap_or_default();
        for (sequence, condition) in conditions.into_iter().enumerate() {
            let mut full = vec![id.clone(), format!("{:02}", sequence + 1)];
            full.extend(condition);
            condition_rows.push(full);
        }
        measure_rows.push(row);
    }
    condition_rows.sort();
    let areas = collected
        .areas
        .into_iter()
        .map(|(id, (description, members))| {
            vec![id, description, members.into_iter().collect::<Vec<_>>().join(" ")]
        })
        .collect();
    let footnotes = collected.footnotes.into_iter().map(|(code, text)| vec![code, text]).collect();
    let additional =
        collected.additional_codes.into_iter().map(|(code, text)| vec![code, text]).collect();
    let mut source = source_entries(&[
        ("title", "UK Trade Tariff API v2 commodity documents (import measures)"),
        ("upstream", "trade-tariff/trade-tariff-duty-calculator"),
        ("path", "spec/fixtures/uk/commodities/*.json"),
        ("commit", "c9cbbc7281de978517df9d74371eefc43e3b41a5"),
        ("version", "API v2 responses captured around 2021"),
        ("licence", "Open Government Licence v3.0 (Crown copyright data); repository MIT"),
        ("effective", "2021-01-01"),
        ("caveat", "upstream test fixtures: some measures were hand-edited by their authors"),
    ]);
    source.push((
        "documents".to_owned(),
        crate::tariff::meta::MetaValue::Integer(i64::try_from(sources.len()).unwrap_or(i64::MAX)),
    ));
    source.push((
        "measures_read".to_owned(),
        crate::tariff::meta::MetaValue::Integer(i64::try_from(read).unwrap_or(i64::MAX)),
    ));
    Ok(Imported {
        tables: vec![
            TableOut { schema: &schema::MEASURES, rows: measure_rows },
            TableOut { schema: &schema::CONDITIONS, rows: condition_rows },
            TableOut { schema: &schema::AREAS, rows: areas },
            TableOut { schema: &schema::FOOTNOTES, rows: footnotes },
            TableOut { schema: &schema::ADDITIONAL_CODES, rows: additional },
            TableOut {
                schema: &schema::QUOTA_DEFINITIONS,
                rows: collected.quotas.into_iter().collect(),
            },
            TableOut {
                schema: &schema::API_COMMODITIES,
                rows: collected.commodities.into_iter().collect(),
            },
        ],
        source,
        warnings,
    })
}
