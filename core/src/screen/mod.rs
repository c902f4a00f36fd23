//! The screening stage: prohibitions, restrictions and sanctions.
//!
//! Goods: each item's commodity code, movement (import or export), countries, date and
//! declared documents are checked against the restriction rules of its jurisdiction
//! ([`RulePack`], e.g. `tariffs/uk/restrictions/`), and its description against the CITES
//! species names and keywords; each rule that applies becomes a flag on the item and a
//! `PC-PR-…` finding. Parties: every named party is matched against the sanctions lists
//! ([`SanctionsLists`], `tariffs/sanctions/`), and each match becomes an entry of the party's
//! `matches` and a finding.
//!
//! The packs load like tariff packs: bundled into the binary (features `bundled-uk` and
//! `bundled-sanctions`), from a folder (native), or from in-memory files (WebAssembly). The
//! stage itself does no I/O and uses no threads.

pub(crate) mod bundled;
pub mod goods;
pub mod names;
#[cfg(not(target_arch = "wasm32"))]
mod native;
mod parties;
pub mod rulefile;
pub mod rules;
pub mod sanctions;
pub mod schema;
pub mod species;

use std::sync::OnceLock;

pub use self::rules::{
    Category, Coverage, Direction, Rule, RuleKind, RulePack, Species, Territory, TextRule,
};
pub use self::sanctions::{Entry, NameMatch, SanctionsLists, Variant};
use crate::check::Context;
use crate::finding::Finding;
use crate::report::Report;
use crate::tariff::meta::PackMeta;
use crate::tariff::table::bad_pack;
use crate::tariff::{Jurisdiction, PackFile, TariffError};

type Loaded<T> = OnceLock<Result<T, Box<Finding>>>;

/// Reads a pack's `pack.toml` from its files.
fn read_meta(files: &[PackFile], findings: &mut Vec<Finding>) -> Result<PackMeta, TariffError> {
    let meta = files
        .iter()
        .find(|file| file.name == "pack.toml")
        .ok_or_else(|| bad_pack("pack.toml", 1, "the pack has no pack.toml"))?;
    Ok(PackMeta::parse("pack.toml", &meta.text, findings))
}

/// The restriction rules and sanctions lists a check screens with: none, the bundled packs
/// (loaded on first use), or packs the caller loaded.
#[derive(Debug, Default)]
pub struct Lists {
    bundled: bool,
    uk_rules: Loaded<RulePack>,
    sanctions: Loaded<SanctionsLists>,
    provided_rules: OnceLock<RulePack>,
    provided_sanctions: OnceLock<SanctionsLists>,
}

impl Lists {
    /// No screening data: the stage does nothing.
    #[must_use]
    pub fn none() -> Lists {
        Lists::default()
    }

    /// The packs compiled into the library.
    #[must_use]
    pub fn bundled() -> Lists {
        Lists { bundled: true, ..Lists::default() }
    }

    /// Packs the caller loaded (e.g. from files the page fetched): the rules for UK
    /// declarations and the sanctions lists for every declaration.
    #[must_use]
    pub fn provided(rules: Option<RulePack>, sanctions: Option<SanctionsLists>) -> Lists {
        let lists = Lists::default();
        if let Some(rules) = rules {
            lists.provide_rules(rules);
        }
        if let Some(sanctions) = sanctions {
            lists.provide_sanctions(sanctions);
        }
        lists
    }

    /// Makes `rules` the restriction rules for UK declarations (the page fetches them with
    /// the UK pack). Returns false, and keeps the rules it has, when there already are some.
    pub fn provide_rules(&self, rules: RulePack) -> bool {
        self.provided_rules.set(rules).is_ok()
    }

    /// Makes `sanctions` the sanctions lists. Returns false, and keeps the lists it has, when
    /// there already are some.
    pub fn provide_sanctions(&self, sanctions: SanctionsLists) -> bool {
        self.provided_sanctions.set(sanctions).is_ok()
    }

    /// The restriction rules for a jurisdiction, or why they could not be loaded.
    pub fn rules(&self, jurisdiction: Jurisdiction) -> Option<Result<&RulePack, &Finding>> {
        if jurisdiction != Jurisdiction::Uk {
            return None;
        }
        if let Some(rules) = self.provided_rules.get() {
            return Some(Ok(rules));
        }
        if !self.bundled {
            return None;
        }
        let loaded =
            self.uk_rules.get_or_init(|| bundled::uk_rules().map_err(|error| error.finding));
        Some(loaded.as_ref().map_err(AsRef::as_ref))
    }

    /// The sanctions lists, or why they could not be loaded.
    pub fn sanctions(&self) -> Option<Result<&SanctionsLists, &Finding>> {
        if let Some(lists) = self.provided_sanctions.get() {
            return Some(Ok(lists));
        }
        if !self.bundled {
            return None;
        }
        let loaded =
            self.sanctions.get_or_init(|| bundled::sanctions().map_err(|error| error.finding));
        Some(loaded.as_ref().map_err(AsRef::as_ref))
    }
}

/// Runs the stage: goods against the jurisdiction's rules, parties against the lists.
pub fn run(context: &Context<'_>, lists: &Lists, jurisdiction: Jurisdiction, report: &mut Report) {
    match lists.rules(jurisdiction) {
        Some(Ok(rules)) => {
            if let Some(declaration) = report.declaration.as_mut() {
                goods::screen_goods(context, rules, &mut declaration.items, &mut report.findings);
            }
        }
        Some(Err(finding)) => report.findings.push(finding.clone()),
        None => {}
    }
    match lists.sanctions() {
        Some(Ok(sanctions)) => {
            parties::screen_parties(context, sanctions, &mut report.parties, &mut report.findings);
        }
        Some(Err(finding)) => report.findings.push(finding.clone()),
        None => {}
    }
}
