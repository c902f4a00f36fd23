//! The check: read a declaration, pick its tariff, then run every stage over it, into one
//! [`Report`].
//!
//! ```no_run
//! use preclear::{CheckOptions, Checker, Tariffs};
//!
//! let tariffs = Tariffs::bundled();
//! let checker = Checker::new(&tariffs, CheckOptions::default());
//! let report = checker.check("declaration.xml", b"<md:MetaData ...");
//! assert_eq!(report.report_version, 1);
//! ```

use std::sync::OnceLock;

use crate::codes;
use crate::date::Date;
use crate::decl::{self, DeclarationDocument, Document, ReadOptions};
use crate::finding::{Finding, Location};
use crate::report::{
    DeclarationReport, DocumentInfo, PartyReport, REPORT_VERSION, Report, TariffRef,
};
use crate::risk;
use crate::screen;
use crate::source::{NodeId, SourceMap};
use crate::tariff::{CodeLists, Jurisdiction, Tariff};

/// Options for a check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Options for reading the input.
    pub read: ReadOptions,
    /// The date to apply the tariff at when the declaration gives none (no acceptance or
    /// issue date). The core reads no clock: callers pass today's date if they want it.
    pub date: Option<Date>,
    /// Check every declaration against this jurisdiction's pack instead of the one its
    /// `ResponsibleCountryCode` names (the page's tariff choice).
    pub jurisdiction: Option<Jurisdiction>,
    /// The date to assess at whatever the declaration says: the tax point of the authority's
    /// calculation when reconciling with it.
    pub tax_point: Option<Date>,
}

/// The tariffs a check may use: one fixed pack, or for each declaration the pack of its
/// jurisdiction: compiled in and loaded on first use, or provided by the caller. Likewise
/// the risk profiles: one for every declaration, or one per jurisdiction (compiled in for
/// the UK, or provided by the caller).
#[derive(Debug, Default)]
pub struct Tariffs {
    fixed: Option<Tariff>,
    bundled: bool,
    uk: OnceLock<Result<Tariff, Box<Finding>>>,
    us: OnceLock<Result<Tariff, Box<Finding>>>,
    eu: OnceLock<Result<Tariff, Box<Finding>>>,
    codelists: OnceLock<Result<CodeLists, Box<Finding>>>,
    provided_codelists: Option<CodeLists>,
    risk_uk: OnceLock<Option<Result<risk::Profile, Box<Finding>>>>,
    risk_us: OnceLock<Option<Result<risk::Profile, Box<Finding>>>>,
    risk_eu: OnceLock<Option<Result<risk::Profile, Box<Finding>>>>,
    provided_risk: Option<risk::Profile>,
    screening: screen::Lists,
}

impl Tariffs {
    /// No tariff: checks read and validate what needs no tariff.
    #[must_use]
    pub fn none() -> Tariffs {
        Tariffs::default()
    }

    /// The packs compiled into the library (the `bundled-*` features), chosen by each
    /// declaration's `ResponsibleCountryCode`.
    #[must_use]
    pub fn bundled() -> Tariffs {
        Tariffs { bundled: true, screening: screen::Lists::bundled(), ..Tariffs::default() }
    }

    /// The packs the caller loads itself and hands over with [`Tariffs::provide`] (the page
    /// fetches them from its own origin); a jurisdiction with no pack is checked without a
    /// tariff.
    #[must_use]
    pub fn provided() -> Tariffs {
        Tariffs::default()
    }

    /// Makes `tariff` the pack of its jurisdiction. Returns false, and keeps the pack it
    /// has, when that jurisdiction already has one.
    pub fn provide(&self, tariff: Tariff) -> bool {
        self.cell(tariff.jurisdiction()).set(Ok(tariff)).is_ok()
    }

    /// Makes `codelists` the code lists. Returns false, and keeps the lists it has, when
    /// there already are some.
    pub fn provide_codelists(&self, codelists: CodeLists) -> bool {
        self.provided_codelists.is_none() && self.codelists.set(Ok(codelists)).is_ok()
    }

    /// Makes `profile` the risk profile of `jurisdiction`'s declarations (the page fetches
    /// the UK's with the UK pack). Returns false, and keeps the profile it has, when that
    /// jurisdiction already has one or [`Tariffs::with_risk`] set one for every declaration.
    pub fn provide_risk(&self, jurisdiction: Jurisdiction, profile: risk::Profile) -> bool {
        self.provided_risk.is_none() && self.risk_cell(jurisdiction).set(Some(Ok(profile))).is_ok()
    }

    fn cell(&self, jurisdiction: Jurisdiction) -> &OnceLock<Result<Tariff, Box<Finding>>> {
        match jurisdiction {
            Jurisdiction::Uk => &self.uk,
            Jurisdiction::Us => &self.us,
            Jurisdiction::Eu => &self.eu,
        }
    }

    fn risk_cell(
        &self,
        jurisdiction: Jurisdiction,
    ) -> &OnceLock<Option<Result<risk::Profile, Box<Finding>>>> {
        match jurisdiction {
            Jurisdiction::Uk => &self.risk_uk,
            Jurisdiction::Us => &self.risk_us,
            Jurisdiction::Eu => &self.risk_eu,
        }
    }

    /// One pack for every declaration, with the given code lists (or the bundled ones).
    #[must_use]
    pub fn fixed(tariff: Tariff, codelists: Option<CodeLists>) -> Tariffs {
        Tariffs {
            fixed: Some(tariff),
            bundled: true,
            provided_codelists: codelists,
            screening: screen::Lists::bundled(),
            ..Tariffs::default()
        }
    }

    /// The same tariffs, screening with `lists` (restriction rules and sanctions lists).
    #[must_use]
    pub fn with_screening(mut self, lists: screen::Lists) -> Tariffs {
        self.screening = lists;
        self
    }

    /// The restriction rules and sanctions lists checks screen with.
    #[must_use]
    pub fn screening(&self) -> &screen::Lists {
        &self.screening
    }

    /// The tariff for a jurisdiction, or why there is none.
    pub fn select(&self, jurisdiction: Jurisdiction) -> Option<Result<&Tariff, &Finding>> {
        if let Some(fixed) = &self.fixed {
            return Some(Ok(fixed));
        }
        let cell = self.cell(jurisdiction);
        if !self.bundled {
            return cell.get().map(|provided| provided.as_ref().map_err(AsRef::as_ref));
        }
        let loaded =
            cell.get_or_init(|| Tariff::bundled(jurisdiction).map_err(|error| error.finding));
        Some(loaded.as_ref().map_err(AsRef::as_ref))
    }

    /// The same tariffs with `profile` as the risk profile of every declaration.
    #[must_use]
    pub fn with_risk(mut self, profile: risk::Profile) -> Tariffs {
        self.provided_risk = Some(profile);
        self
    }

    /// The risk profile for a jurisdiction (the bundled one exists for the UK), or why there
    /// is none.
    pub fn risk(&self, jurisdiction: Jurisdiction) -> Option<Result<&risk::Profile, &Finding>> {
        if let Some(provided) = &self.provided_risk {
            return Some(Ok(provided));
        }
        let cell = self.risk_cell(jurisdiction);
        let loaded = if self.bundled {
            cell.get_or_init(|| match jurisdiction {
                Jurisdiction::Uk => risk::Profile::bundled(),
                Jurisdiction::Us | Jurisdiction::Eu => None,
            })
        } else {
            cell.get()?
        };
        Some(loaded.as_ref()?.as_ref().map_err(AsRef::as_ref))
    }

    /// The code lists, or why there are none.
    pub fn codelists(&self) -> Option<Result<&CodeLists, &Finding>> {
        if let Some(provided) = &self.provided_codelists {
            return Some(Ok(provided));
        }
        if !self.bundled {
            return self.codelists.get().map(|provided| provided.as_ref().map_err(AsRef::as_ref));
        }
        let loaded =
            self.codelists.get_or_init(|| CodeLists::bundled().map_err(|error| error.finding));
        Some(loaded.as_ref().map_err(AsRef::as_ref))
    }
}

/// What a stage sees: the input, the declaration, its positions, the tariff and the date.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The input bytes.
    pub input: &'a [u8],
    /// Positions of the elements read.
    pub source: &'a SourceMap,
    /// The declaration.
    pub document: &'a DeclarationDocument,
    /// The tariff applied, when there is one.
    pub tariff: Option<&'a Tariff>,
    /// The code lists, when loaded.
    pub codelists: Option<&'a CodeLists>,
    /// The date the declaration is checked at.
    pub date: Option<Date>,
}

impl Context<'_> {
    /// The location of an element read from the input.
    #[must_use]
    pub fn locate(&self, node: NodeId) -> Option<Location> {
        self.source.locate(self.input, node)
    }
}

/// Runs `stage` with an empty declaration, no tariff and no code lists at `date`: the context a
/// stage's unit tests give the parts that read only the facts they pass in.
#[cfg(test)]
pub(crate) fn with_empty_context<R>(date: Option<Date>, stage: impl FnOnce(&Context) -> R) -> R {
    let source = SourceMap::new();
    let document = DeclarationDocument::default();
    stage(&Context {
        input: b"",
        source: &source,
        document: &document,
        tariff: None,
        codelists: None,
        date,
    })
}

/// Runs checks with a set of tariffs.
#[derive(Debug, Clone, Copy)]
pub struct Checker<'a> {
    tariffs: &'a Tariffs,
    options: CheckOptions,
}

/// The jurisdiction a declaration is for, from `ResponsibleCountryCode` (GB, XI → UK; US; an
/// EU member state → EU); the UK when it names none.
#[must_use]
pub fn jurisdiction_of(document: &DeclarationDocument) -> Jurisdiction {
    jurisdiction_of_country(
        document.meta.responsible_country_code.as_ref().map(crate::decl::value::Text::as_str),
    )
}

/// The jurisdiction of a `ResponsibleCountryCode` (any case), as [`jurisdiction_of`] says.
#[must_use]
pub fn jurisdiction_of_country(code: Option<&str>) -> Jurisdiction {
    const EU_MEMBERS: &[[u8; 2]] = &[
        *b"AT", *b"BE", *b"BG", *b"CY", *b"CZ", *b"DE", *b"DK", *b"EE", *b"ES", *b"FI", *b"FR",
        *b"GR", *b"HR", *b"HU", *b"IE", *b"IT", *b"LT", *b"LU", *b"LV", *b"MT", *b"NL", *b"PL",
        *b"PT", *b"RO", *b"SE", *b"SI", *b"SK", *b"EU",
    ];
    // Compared as two bytes: every item's origin is looked up, and as strings each member
    // was a call to compare memory.
    let Some(&[first, second]) = code.map(str::as_bytes) else { return Jurisdiction::Uk };
    match [first.to_ascii_uppercase(), second.to_ascii_uppercase()] {
        [b'U', b'S'] => Jurisdiction::Us,
        pair if EU_MEMBERS.contains(&pair) => Jurisdiction::Eu,
        _ => Jurisdiction::Uk,
    }
}

/// The date a declaration is checked at: its acceptance date, else its issue date.
#[must_use]
pub fn declaration_date(document: &DeclarationDocument) -> Option<Date> {
    let declaration = &document.declaration;
    [&declaration.acceptance_date_time, &declaration.issue_date_time]
        .into_iter()
        .find_map(|date_time| date_time.as_ref().and_then(|date_time| date_time.date))
}

impl<'a> Checker<'a> {
    /// A checker over `tariffs`.
    #[must_use]
    pub fn new(tariffs: &'a Tariffs, options: CheckOptions) -> Checker<'a> {
        Checker { tariffs, options }
    }

    /// Checks one input. `file` is the name the report carries (`-` for standard input).
    #[must_use]
    pub fn check(&self, file: &str, input: &[u8]) -> Report {
        let parsed = decl::read_with(input, &self.options.read);
        let mut report = Report {
            report_version: REPORT_VERSION,
            file: file.to_owned(),
            document: DocumentInfo {
                kind: "unreadable",
                description: "the input could not be read; nothing was checked".to_owned(),
            },
            tariff: None,
            declaration: None,
            totals: Vec::new(),
            assessment: None,
            parties: Vec::new(),
            lane: None,
            findings: parsed.findings,
        };
        match &parsed.document {
            Some(Document::Declaration(document)) => {
                report.document = DocumentInfo {
                    kind: "declaration",
                    description: format!(
                        "{} declaration",
                        document
                            .declaration
                            .type_code
                            .as_ref()
                            .map_or("untyped", |code| code.as_str())
                    ),
                };
                report.declaration = Some(DeclarationReport::of(&document.declaration));
                report.parties = PartyReport::all(&document.declaration);
                self.run_stages(input, &parsed.source, document, &mut report);
            }
            Some(Document::Notification(notification)) => {
                let names = notification.message_names();
                report.document = DocumentInfo {
                    kind: "notification",
                    description: format!("a DMS notification ({names})"),
                };
                report.findings.push(
                    Finding::new(
                        codes::READ_NOT_A_DECLARATION,
                        format!("this file is a DMS notification ({names}) from the customs authority, not a declaration"),
                    )
                    .with_help("check the declaration it answers instead"),
                );
            }
            Some(Document::Other(other)) => {
                let description = other.describe();
                report.document = DocumentInfo { kind: "other", description: description.clone() };
                report.findings.push(
                    Finding::new(
                        codes::READ_NOT_A_DECLARATION,
                        format!("this file is {description}, not a customs declaration"),
                    )
                    .with_help("Preclear checks WCO DMS declarations (`MetaData/Declaration`)"),
                );
            }
            None => {}
        }
        report
    }

    /// Picks the tariff and runs the stages that follow reading.
    fn run_stages(
        &self,
        input: &[u8],
        source: &SourceMap,
        document: &DeclarationDocument,
        report: &mut Report,
    ) {
        let jurisdiction = self.options.jurisdiction.unwrap_or_else(|| jurisdiction_of(document));
        let date =
            self.options.tax_point.or_else(|| declaration_date(document)).or(self.options.date);
        let tariff = match self.tariffs.select(jurisdiction) {
            Some(Ok(tariff)) => Some(tariff),
            Some(Err(finding)) => {
                report.findings.push(finding.clone());
                None
            }
            None => None,
        };
        let codelists = match self.tariffs.codelists() {
            Some(Ok(codelists)) => Some(codelists),
            Some(Err(finding)) => {
                report.findings.push(finding.clone());
                None
            }
            None => None,
        };
        if let Some(tariff) = tariff {
            report.tariff = Some(TariffRef {
                jurisdiction: tariff.jurisdiction().as_str().to_owned(),
                version: tariff.version(),
                date: date.map(|date| date.to_string()),
            });
        }
        let context = Context { input, source, document, tariff, codelists, date };
        crate::rules::validate(&context, &mut report.findings);
        crate::assess::assess(&context, report);
        // Screening and the lane follow the tariff applied, as the duties do: the restriction
        // rules are that jurisdiction's, and a profile's criteria read the duties computed and
        // convert values with that tariff's exchange rates.
        let applied = tariff.map_or(jurisdiction, Tariff::jurisdiction);
        // Screening before risk: the lane weighs the restriction flags.
        screen::run(&context, &self.tariffs.screening, applied, report);
        match self.tariffs.risk(applied) {
            Some(Ok(profile)) => report.lane = Some(risk::assess(profile, &context, report)),
            Some(Err(finding)) => report.findings.push(finding.clone()),
            None => {}
        }
    }
}

/// Checks one input without a tariff (reading, and the checks that need no tariff).
/// `file` is the name the report carries (`-` for standard input).
#[must_use]
pub fn check(file: &str, input: &[u8], options: &CheckOptions) -> Report {
    Checker::new(&Tariffs::none(), *options).check(file, input)
}

#[cfg(all(test, feature = "bundled-uk", feature = "bundled-codelists"))]
mod tests {
    use super::*;

    const DECLARATION: &[u8] = include_bytes!("../../fixtures/valid/import-standard-h1.xml");

    #[test]
    fn provided_packs_check_like_the_bundled_ones() {
        let uk_profile = || risk::Profile::bundled().unwrap().unwrap();
        let bundled = Tariffs::bundled();
        let provided = Tariffs::provided();
        assert!(provided.provide(Tariff::bundled(Jurisdiction::Uk).unwrap()));
        assert!(!provided.provide(Tariff::bundled(Jurisdiction::Uk).unwrap()));
        assert!(provided.provide_codelists(CodeLists::bundled().unwrap()));
        assert!(provided.provide_risk(Jurisdiction::Uk, uk_profile()));
        assert!(!provided.provide_risk(Jurisdiction::Uk, uk_profile()));
        let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
        let expected = Checker::new(&bundled, options).check("a.xml", DECLARATION);
        assert!(expected.tariff.is_some());
        assert!(expected.lane.is_some());
        assert_eq!(Checker::new(&provided, options).check("a.xml", DECLARATION), expected);
    }

    #[test]
    fn a_provided_risk_profile_is_its_jurisdictions_only() {
        let uk_profile = || risk::Profile::bundled().unwrap().unwrap();
        let provided = Tariffs::provided();
        assert!(provided.provide_risk(Jurisdiction::Uk, uk_profile()));
        let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
        assert!(Checker::new(&provided, options).check("a.xml", DECLARATION).lane.is_some());
        let us = CheckOptions { jurisdiction: Some(Jurisdiction::Us), ..options };
        assert_eq!(Checker::new(&provided, us).check("a.xml", DECLARATION).lane, None);
        // A profile for every declaration leaves no room for one per jurisdiction.
        let everywhere = Tariffs::provided().with_risk(uk_profile());
        assert!(!everywhere.provide_risk(Jurisdiction::Uk, uk_profile()));
        assert!(Checker::new(&everywhere, us).check("a.xml", DECLARATION).lane.is_some());
    }

    #[cfg(feature = "bundled-us")]
    #[test]
    fn the_lane_follows_the_tariff_applied() {
        let options = CheckOptions { date: Date::new(2025, 1, 1), ..CheckOptions::default() };
        let check = |jurisdiction| {
            let tariffs = Tariffs::fixed(Tariff::bundled(jurisdiction).unwrap(), None);
            Checker::new(&tariffs, options).check("a.xml", DECLARATION)
        };
        // A GB declaration assessed with the US tariff: no US profile, so no lane.
        assert!(check(Jurisdiction::Uk).lane.is_some());
        assert_eq!(check(Jurisdiction::Us).lane, None);
    }

    #[test]
    fn responsible_countries_name_their_jurisdiction_in_any_case() {
        for member in ["AT", "de", "Fr", "sK", "EU", "eu"] {
            assert_eq!(jurisdiction_of_country(Some(member)), Jurisdiction::Eu, "{member}");
        }
        for us in ["US", "us", "uS"] {
            assert_eq!(jurisdiction_of_country(Some(us)), Jurisdiction::Us, "{us}");
        }
        for other in ["GB", "XI", "gb", "", "U", "USA", "DEU", "CH", "NO", "é"] {
            assert_eq!(jurisdiction_of_country(Some(other)), Jurisdiction::Uk, "{other}");
        }
        assert_eq!(jurisdiction_of_country(None), Jurisdiction::Uk);
    }

    #[test]
    fn the_jurisdiction_option_overrides_the_declaration() {
        let provided = Tariffs::provided();
        assert!(provided.provide(Tariff::bundled(Jurisdiction::Uk).unwrap()));
        let options =
            CheckOptions { jurisdiction: Some(Jurisdiction::Us), ..CheckOptions::default() };
        // The US pack was not provided: the declaration is checked without a tariff.
        assert_eq!(Checker::new(&provided, options).check("a.xml", DECLARATION).tariff, None);
        let options = CheckOptions { jurisdiction: Some(Jurisdiction::Uk), ..options };
        let report = Checker::new(&provided, options).check("a.xml", DECLARATION);
        assert_eq!(report.tariff.map(|tariff| tariff.jurisdiction).as_deref(), Some("uk"));
    }
}
