//! `cites-species`: the CITES-listed species and their synonyms, from UNEP-WCMC's Species+
//! checklist extract (taxonomy, synonyms and listing history for animals and plants), into
//! `cites_species.tsv` of the restriction pack.
//!
//! A species is listed when it, or its nearest ancestor with a current listing (genus,
//! family, order, ...), is currently in Appendix I, II or III and the listing does not
//! except it (`Aloe spp.` except `Aloe vera`). Reservations and their withdrawals (`II/r`,
//! `II/w`) are one party's position, not a listing, and deletions end a listing. Synonyms
//! take the appendix of the species they stand for.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::csv::{CsvRecord, column};
use super::{ImportError, Imported, TableOut, read_csv, source_entries};
use crate::screen::schema;

#[derive(Debug, Clone)]
struct Taxon {
    name: String,
    rank: String,
    parent: String,
}

#[derive(Default)]
struct Kingdom<'a> {
    taxa: Option<&'a Path>,
    synonyms: Option<&'a Path>,
    legislation: Option<&'a Path>,
}

fn kingdoms(sources: &[PathBuf]) -> Result<[(&'static str, Kingdom<'_>); 2], ImportError> {
    let mut found = [("animalia", Kingdom::default()), ("plantae", Kingdom::default())];
    for path in sources {
        let name =
            path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let (kingdom, part) = name.split_once('_').unwrap_or_default();
        let Some((_, slots)) = found.iter_mut().find(|(key, _)| *key == kingdom) else {
            return Err(ImportError::new(
                path,
                None,
                "not a Species+ file (expected animalia_* or plantae_*)",
            ));
        };
        let slot = if part.starts_with("taxa") {
            &mut slots.taxa
        } else if part.starts_with("synonyms") {
            &mut slots.synonyms
        } else if part.starts_with("legislation") {
            &mut slots.legislation
        } else {
            return Err(ImportError::new(
                path,
                None,
                "not a taxa, synonyms or legislation file of Species+",
            ));
        };
        *slot = Some(path);
    }
    for (kingdom, slots) in &found {
        if slots.taxa.is_none() || slots.synonyms.is_none() || slots.legislation.is_none() {
            return Err(ImportError::new(
                Path::new("."),
                None,
                format!("`cites-species` needs the {kingdom} taxa, synonyms and legislation files"),
            ));
        }
    }
    Ok(found)
}

/// A taxon's key: Species+ numbers taxa within each rank, so `species:7956`.
fn key(rank: &str, id: &str) -> String {
    format!("{}:{}", rank.trim().to_ascii_lowercase(), id.trim())
}

/// The taxa of a file by key, with its records and header.
type TaxaFile = (HashMap<String, Taxon>, Vec<CsvRecord>, Vec<String>);

fn read_taxa(path: &Path, parent_column: &str) -> Result<TaxaFile, ImportError> {
    let (header, records) = read_csv(path)?;
    let name = column(path, &header, "Scientific name")?;
    let rank = column(path, &header, "Rank")?;
    let id = column(path, &header, "RecID")?;
    let parent_rank = column(path, &header, "ParentRank")?;
    let parent = column(path, &header, parent_column)?;
    let mut taxa = HashMap::new();
    for record in &records {
        taxa.insert(
            key(record.get(rank), record.get(id)),
            Taxon {
                name: record.get(name).trim().to_owned(),
                rank: record.get(rank).trim().to_ascii_lowercase(),
                parent: key(record.get(parent_rank), record.get(parent)),
            },
        );
    }
    Ok((taxa, records, header))
}

/// Current listings by taxon id: the appendices and the ids they except.
struct Listings {
    appendices: HashMap<String, Vec<String>>,
    excepted: HashMap<String, HashSet<String>>,
    deleted: HashSet<String>,
}

fn read_listings(path: &Path) -> Result<Listings, ImportError> {
    let (header, records) = read_csv(path)?;
    let rank = column(path, &header, "rank_name")?;
    let id = column(path, &header, "rec_id")?;
    let listing = column(path, &header, "listing")?;
    let current = column(path, &header, "is_current")?;
    let excluded = column(path, &header, "excluded_rec_ids")?;
    let mut listings =
        Listings { appendices: HashMap::new(), excepted: HashMap::new(), deleted: HashSet::new() };
    for record in &records {
        if record.get(current).trim() != "1" {
            continue;
        }
        let taxon = key(record.get(rank), record.get(id));
        match record.get(listing).trim() {
            appendix @ ("I" | "II" | "III") => {
                let appendices = listings.appendices.entry(taxon.clone()).or_default();
                if !appendices.iter().any(|known| known == appendix) {
                    appendices.push(appendix.to_owned());
                }
                // "SPECIES: 147981,SPECIES:19476" names the excepted taxa by rank and id.
                let except = listings.excepted.entry(taxon).or_default();
                for part in record.get(excluded).split(',') {
                    if let Some((rank, number)) = part.split_once(':') {
                        except.insert(key(rank, number));
                    }
                }
            }
            deletion if deletion.starts_with("DEL") => {
                listings.deleted.insert(taxon);
            }
            _ => {}
        }
    }
    for appendices in listings.appendices.values_mut() {
        appendices.sort_by_key(String::len);
    }
    Ok(listings)
}

/// The appendix of a species: that of its nearest listed ancestor (itself included), unless
/// that listing excepts it or a taxon on the way, or the species' own listing was deleted.
fn appendix_of(id: &str, taxa: &HashMap<String, Taxon>, listings: &Listings) -> Option<String> {
    let mut path: Vec<&str> = Vec::new();
    let mut current = id;
    for _ in 0..16 {
        path.push(current);
        if let Some(appendices) = listings.appendices.get(current) {
            let excepted = listings.excepted.get(current);
            if excepted.is_some_and(|excepted| path.iter().any(|taxon| excepted.contains(*taxon))) {
                return None;
            }
            return Some(appendices.join("/"));
        }
        if current == id && listings.deleted.contains(current) {
            return None;
        }
        current = taxa.get(current)?.parent.as_str();
        if current.ends_with(':') {
            return None;
        }
    }
    None
}

/// The genus name above a taxon (its parent when that is a genus).
fn genus_of<'a>(
    parent: &str,
    taxa: &'a HashMap<String, Taxon>,
    synonyms: &'a HashMap<String, Taxon>,
) -> Option<&'a str> {
    let taxon = taxa.get(parent).or_else(|| synonyms.get(parent))?;
    (taxon.rank == "genus" && !taxon.name.is_empty()).then_some(taxon.name.as_str())
}

/// `Loxodonta` + `africana` → `Loxodonta africana`, with the source's casing tidied (some
/// rows write the epithet in capitals).
fn binomial(genus: &str, epithet: &str) -> Option<String> {
    let epithet = epithet.trim().to_lowercase();
    if epithet.is_empty() || epithet.contains(char::is_whitespace) {
        return None;
    }
    let mut genus_chars = genus.trim().chars();
    let first = genus_chars.next()?;
    let genus: String =
        first.to_uppercase().chain(genus_chars.flat_map(char::to_lowercase)).collect();
    Some(format!("{genus} {epithet}"))
}

/// `cites-species`: `cites_species.tsv` with the listed species and their synonyms.
pub(crate) fn import(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    // Accepted name → (appendix, synonyms); every lowercase name used so far.
    let mut species: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut counts = Vec::new();
    for (kingdom, files) in kingdoms(sources)? {
        let (Some(taxa_path), Some(synonyms_path), Some(legislation_path)) =
            (files.taxa, files.synonyms, files.legislation)
        else {
            continue;
        };
        let (taxa, taxa_records, taxa_header) = read_taxa(taxa_path, "ParentRecID")?;
        let (synonyms, synonym_records, synonym_header) = read_taxa(synonyms_path, "Parent recID")?;
        let listings = read_listings(legislation_path)?;
        let id_column = column(taxa_path, &taxa_header, "RecID")?;
        let rank_column = column(taxa_path, &taxa_header, "Rank")?;
        let status_column = column(taxa_path, &taxa_header, "Status")?;
        let mut accepted: HashMap<String, String> = HashMap::new();
        for record in &taxa_records {
            let id = key(record.get(rank_column), record.get(id_column));
            let id = id.as_str();
            let Some(taxon) = taxa.get(id) else { continue };
            if taxon.rank != "species" || record.get(status_column).trim() != "A" {
                continue;
            }
            let Some(name) = genus_of(&taxon.parent, &taxa, &synonyms)
                .and_then(|genus| binomial(genus, &taxon.name))
            else {
                continue;
            };
            // Every accepted name is taken, listed or not, so that a synonym spelled like an
            // unlisted species (`Aloe vera`, once a name for `Aloe succotrina`) is not used.
            used.insert(name.to_lowercase());
            let Some(appendix) = appendix_of(id, &taxa, &listings) else { continue };
            accepted.insert(id.to_owned(), name.clone());
            species.insert(name, (appendix, Vec::new()));
        }
        let synonym_id = column(synonyms_path, &synonym_header, "RecID")?;
        let synonym_rank = column(synonyms_path, &synonym_header, "Rank")?;
        let accepted_rank = column(synonyms_path, &synonym_header, "AcceptedRank")?;
        let accepted_column = column(synonyms_path, &synonym_header, "AcceptedRecID")?;
        let mut synonym_count = 0;
        for record in &synonym_records {
            let Some(taxon) = synonyms.get(&key(record.get(synonym_rank), record.get(synonym_id)))
            else {
                continue;
            };
            if taxon.rank != "species" {
                continue;
            }
            let accepted_key = key(record.get(accepted_rank), record.get(accepted_column));
            let Some(accepted_name) = accepted.get(&accepted_key) else { continue };
            let Some(genus) = genus_of(&taxon.parent, &taxa, &synonyms) else { continue };
            let Some(name) = binomial(genus, &taxon.name) else { continue };
            if !used.insert(name.to_lowercase()) {
                continue;
            }
            if let Some((_, names)) = species.get_mut(accepted_name) {
                names.push(name);
                synonym_count += 1;
            }
        }
        counts.push(format!(
            "{kingdom}: {} listed species, {synonym_count} synonyms",
            accepted.len()
        ));
    }
    let rows = species
        .into_iter()
        .map(|(name, (appendix, mut synonyms))| {
            synonyms.sort();
            vec![name, appendix, synonyms.join("|")]
        })
        .collect();
    let mut source = source_entries(&[
        (
            "title",
            "CITES-listed species and their synonyms (Species+ checklist extract), for screening goods descriptions",
        ),
        ("upstream", "unepwcmc/SAPI"),
        (
            "path",
            "lib/files/{animals,plants}/{animalia,plantae}_{taxa,synonyms,legislation}_utf8.csv",
        ),
        ("commit", "f0eb2c7992bb78106a1f0d9f752d12c0cd06074c"),
        ("licence", "BSD-3-Clause (UNEP-WCMC 2013)"),
        ("version", "Species+ extract of 2013 (CITES Appendices as of CoP16)"),
        ("effective", "2013-06-12"),
        (
            "listed",
            "a species is listed when it or its nearest ancestor with a current listing is in Appendix I, II or III and the listing does not except it; synonyms take the appendix of their accepted species",
        ),
    ]);
    source.push(("counts".to_owned(), crate::tariff::meta::MetaValue::List(counts)));
    Ok(Imported {
        tables: vec![TableOut { schema: &schema::CITES_SPECIES, rows }],
        source,
        warnings: Vec::new(),
    })
}
