//! US assessment: which HTSUS rates an item pays, before [`super::compute`] evaluates them.
//!
//! Policy (stated in the report): amounts in USD, each line rounded half up to the cent, on
//! the transaction value without international freight and insurance (19 U.S.C. 1401a).
//!
//! **The ordinary duty** (tax type `DUTY`) is, for each item:
//!
//! - the *column 2* rate when the country of origin is Cuba, North Korea, Russia or Belarus
//!   (HTSUS General Note 3(b)); a programme claimed for such goods is refused;
//! - else the *special* rate of the programme the item claims, when the origin can qualify
//!   for it and the line grants it a rate;
//! - else the *column 1 general* rate.
//!
//! **Claiming a programme.** Our declarations are WCO DMS documents, so a US declaration
//! claims a special programme the way a CDS one claims a preference: in the preference field
//! (DE 4/17, `DutyTaxFee/DutyRegimeCode`), which carries the special programme indicator of
//! HTSUS General Note 3(c)(i) exactly as the line's special column prints it (`AU`, `KR`,
//! `S`, `S+`, `P`, `IL`, ...). The origin is the preferential origin (DE 5/16, `Origin`
//! type 2) when declared, else the country of origin. [`PROGRAMMES`] maps each indicator to
//! the countries whose goods can qualify; a claim is refused (PC-DUTY-006, with the reason)
//! when the programme has ended (GSP on 31 December 2020, ATPA in 2013, NAFTA replaced by
//! USMCA on 1 July 2020), when the origin is not a party to it, or when the line's special
//! column does not name the indicator. Programmes whose beneficiary countries are designated
//! by proclamation (AGOA `D`, CBERA `E`/`E*`, CBTPA `R`) are not in the data: the claim is
//! not checked and the general rate is shown (PC-DUTY-013). Rules of origin, certifications
//! and goods-based conditions (civil aircraft `C`, pharmaceuticals `K`, dye intermediates `L`)
//! are the importer's to meet; they are not checked.
//!
//! **Chapter 99.** A line's footnotes name the chapter 99 headings that may modify its rate
//! (`See 9903.88.03.`). A heading applies to an item when its text names the item's origin
//! (`articles the product of China`, matched with the country's name in the code lists) and
//! the entry date falls within the dates its text states (`effective with respect to entries
//! on or after September 27, 2024`, `through November 9, 2026`). Its rate is taken from the
//! column the item is assessed in (column 2 for column 2 origins, the programme's special
//! rate when one is applied and the heading has one, else general) and read as the HTSUS
//! writes it:
//!
//! - `The duty provided in the applicable subheading + 25%`: an additional line, tax type
//!   `CH99`, on top of the ordinary duty, its measure naming the heading;
//! - `The duty provided in the applicable subheading` or `No change`: nothing is added (an
//!   exclusion heading);
//! - a rate of its own (`35%` for goods of Russia under 9903.90.08): the heading's rate is the
//!   duty, in lieu of the line's (the HTSUS writes `applicable subheading +` wherever a heading
//!   adds to the line's rate);
//! - anything else is reported, not guessed (PC-DUTY-014).
//!
//! A declaration may declare a chapter 99 heading on the item as a national additional code
//! (`Classification` with `IdentificationTypeCode` `GN`, e.g. `99038869`): that is how a
//! product exclusion is claimed. A declared heading that applies displaces every heading
//! whose text excepts it (`Except as provided in headings 9903.88.05, ..., 9903.88.69`).
//! Headings whose text does not say which origins they cover (their scope lives in the
//! chapter 99 U.S. notes, which the data lack: `9903.41.05`, the `9904` quota headings) are
//! reported once per item (PC-DUTY-014) and not applied.
//!
//! **Not assessed.** The merchandise processing fee (19 CFR 24.23) and the harbor
//! maintenance fee (19 CFR 24.24) depend on yearly-indexed bounds, the mode and the port,
//! none of which is in the data; the report says so once (PC-DUTY-010). Anti-dumping and
//! countervailing duties are outside the HTS (19 CFR 159.41/159.47). US rounding of values to
//! whole dollars (19 CFR 159.3) is not applied: lines are computed on the value to the cent.

use std::fmt::Write as _;

use super::{Claims, Planned, parsed_duty, planned, with_cents};
use crate::check::Context;
use crate::codes;
use crate::date::Date;
use crate::decl::dms::GoodsItem;
use crate::finding::{Finding, Provenance};
use crate::tariff::expr::{Component, DutyExpr, Op, SpecialRate, Subheading};
use crate::tariff::{Commodity, Measure, ParsedRate, Tariff, US_COLUMN_2};

/// Who can claim a programme.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Countries {
    /// Goods of these countries (ISO 3166 alpha-2).
    Listed(&'static [&'static str]),
    /// Goods of any origin (the conditions are about the goods, not the country).
    Any,
    /// The beneficiary countries are designated by proclamation and are not in the data.
    NotInData,
}

/// A special programme of HTSUS General Note 3(c)(i).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Programme {
    /// The indicator printed in the special column (`AU`, `S+`).
    pub code: &'static str,
    /// The agreement or act.
    pub name: &'static str,
    /// Whose goods can qualify.
    pub countries: Countries,
    /// The last day claims are granted, and why, when the programme has ended.
    pub ended: Option<((u16, u8, u8), &'static str)>,
}

const GSP_ENDED: Option<((u16, u8, u8), &str)> =
    Some(((2020, 12, 31), "the GSP expired on 31 December 2020 and has not been renewed"));
const ATPA_ENDED: Option<((u16, u8, u8), &str)> =
    Some(((2013, 7, 31), "the Andean Trade Preference Act expired on 31 July 2013"));
const NAFTA_ENDED: Option<((u16, u8, u8), &str)> = Some((
    (2020, 6, 30),
    "NAFTA was replaced by the USMCA on 1 July 2020; claim S or S+ for goods of Canada or Mexico",
));
const CAFTA_DR: &[&str] = &["CR", "DO", "GT", "HN", "NI", "SV"];
const USMCA: &[&str] = &["CA", "MX"];

/// The special programme indicators of HTSUS General Note 3(c)(i), with the countries whose
/// goods can qualify. Israel's `IL` also covers goods of the West Bank, the Gaza Strip and
/// the qualifying industrial zones of Jordan and Egypt (General Note 3(a)(v)).
pub(crate) const PROGRAMMES: &[Programme] = &[
    Programme {
        code: "A",
        name: "Generalized System of Preferences",
        countries: Countries::NotInData,
        ended: GSP_ENDED,
    },
    Programme {
        code: "A+",
        name: "Generalized System of Preferences (least-developed beneficiaries)",
        countries: Countries::NotInData,
        ended: GSP_ENDED,
    },
    Programme {
        code: "A*",
        name: "Generalized System of Preferences (some beneficiaries excluded)",
        countries: Countries::NotInData,
        ended: GSP_ENDED,
    },
    Programme {
        code: "AU",
        name: "United States-Australia Free Trade Agreement",
        countries: Countries::Listed(&["AU"]),
        ended: None,
    },
    Programme {
        code: "B",
        name: "Automotive Products Trade Act",
        countries: Countries::Listed(&["CA"]),
        ended: None,
    },
    Programme {
        code: "BH",
        name: "United States-Bahrain Free Trade Agreement",
        countries: Countries::Listed(&["BH"]),
        ended: None,
    },
    Programme {
        code: "C",
        name: "Agreement on Trade in Civil Aircraft",
        countries: Countries::Any,
        ended: None,
    },
    Programme {
        code: "CA",
        name: "North American Free Trade Agreement (goods of Canada)",
        countries: Countries::Listed(&["CA"]),
        ended: NAFTA_ENDED,
    },
    Programme {
        code: "CL",
        name: "United States-Chile Free Trade Agreement",
        countries: Countries::Listed(&["CL"]),
        ended: None,
    },
    Programme {
        code: "CO",
        name: "United States-Colombia Trade Promotion Agreement",
        countries: Countries::Listed(&["CO"]),
        ended: None,
    },
    Programme {
        code: "D",
        name: "African Growth and Opportunity Act",
        countries: Countries::NotInData,
        ended: None,
    },
    Programme {
        code: "E",
        name: "Caribbean Basin Economic Recovery Act",
        countries: Countries::NotInData,
        ended: None,
    },
    Programme {
        code: "E*",
        name: "Caribbean Basin Economic Recovery Act (some beneficiaries excluded)",
        countries: Countries::NotInData,
        ended: None,
    },
    Programme {
        code: "IL",
        name: "United States-Israel Free Trade Area",
        countries: Countries::Listed(&["IL", "PS", "JO", "EG"]),
        ended: None,
    },
    Programme {
        code: "J",
        name: "Andean Trade Preference Act",
        countries: Countries::Listed(&["BO", "CO", "EC", "PE"]),
        ended: ATPA_ENDED,
    },
    Programme {
        code: "J*",
        name: "Andean Trade Preference Act (some goods excluded)",
        countries: Countries::Listed(&["BO", "CO", "EC", "PE"]),
        ended: ATPA_ENDED,
    },
    Programme {
        code: "JO",
        name: "United States-Jordan Free Trade Area",
        countries: Countries::Listed(&["JO"]),
        ended: None,
    },
    Programme {
        code: "JP",
        name: "United States-Japan Trade Agreement",
        countries: Countries::Listed(&["JP"]),
        ended: None,
    },
    Programme {
        code: "K",
        name: "Agreement on Trade in Pharmaceutical Products",
        countries: Countries::Any,
        ended: None,
    },
    Programme {
        code: "KR",
        name: "United States-Korea Free Trade Agreement",
        countries: Countries::Listed(&["KR"]),
        ended: None,
    },
    Programme {
        code: "L",
        name: "Uruguay Round concessions on intermediate chemicals for dyes",
        countries: Countries::Any,
        ended: None,
    },
    Programme {
        code: "MA",
        name: "United States-Morocco Free Trade Agreement",
        countries: Countries::Listed(&["MA"]),
        ended: None,
    },
    Programme {
        code: "MX",
        name: "North American Free Trade Agreement (goods of Mexico)",
        countries: Countries::Listed(&["MX"]),
        ended: NAFTA_ENDED,
    },
    Programme {
        code: "NP",
        name: "Nepal Preference Program",
        countries: Countries::Listed(&["NP"]),
        ended: Some((
            (2025, 12, 31),
            "the Nepal Preference Program was authorised through 31 December 2025; a renewal is not in the data",
        )),
    },
    Programme {
        code: "OM",
        name: "United States-Oman Free Trade Agreement",
        countries: Countries::Listed(&["OM"]),
        ended: None,
    },
    Programme {
        code: "P",
        name: "Dominican Republic-Central America-United States Free Trade Agreement",
        countries: Countries::Listed(CAFTA_DR),
        ended: None,
    },
    Programme {
        code: "P+",
        name: "Dominican Republic-Central America-United States Free Trade Agreement (some goods excluded)",
        countries: Countries::Listed(CAFTA_DR),
        ended: None,
    },
    Programme {
        code: "PA",
        name: "United States-Panama Trade Promotion Agreement",
        countries: Countries::Listed(&["PA"]),
        ended: None,
    },
    Programme {
        code: "PE",
        name: "United States-Peru Trade Promotion Agreement",
        countries: Countries::Listed(&["PE"]),
        ended: None,
    },
    Programme {
        code: "R",
        name: "United States-Caribbean Basin Trade Partnership Act",
        countries: Countries::NotInData,
        ended: None,
    },
    Programme {
        code: "S",
        name: "United States-Mexico-Canada Agreement",
        countries: Countries::Listed(USMCA),
        ended: None,
    },
    Programme {
        code: "S+",
        name: "United States-Mexico-Canada Agreement (some goods excluded)",
        countries: Countries::Listed(USMCA),
        ended: None,
    },
    Programme {
        code: "SG",
        name: "United States-Singapore Free Trade Agreement",
        countries: Countries::Listed(&["SG"]),
        ended: None,
    },
];

/// The programme with indicator `code`.
pub(crate) fn programme(code: &str) -> Option<&'static Programme> {
    PROGRAMMES.iter().find(|programme| programme.code == code)
}

/// Tax type of the ordinary customs duty on a US line.
pub(super) const DUTY: &str = "DUTY";
/// Tax type of an additional duty of a chapter 99 heading.
pub(super) const CHAPTER_99: &str = "CH99";

/// What became of a programme claim.
enum Claim {
    /// The special rate applies.
    Granted(Planned),
    /// Refused, with the reason (PC-DUTY-006).
    Refused(String),
    /// Not checkable with the data (PC-DUTY-013), or its rate is elsewhere (PC-DUTY-012).
    Unchecked(Finding),
}

/// The duty lines of a US item: the ordinary duty and the chapter 99 additions.
pub(super) fn plan(
    cx: &Context<'_>,
    tariff: &Tariff,
    commodity: &Commodity,
    claims: &Claims<'_>,
    item: &GoodsItem,
    date: Date,
    findings: &mut Vec<Finding>,
) -> Vec<Planned> {
    let at = |finding: Finding| finding.at_opt(cx.locate(item.node));
    let country = claims.origin.or(claims.preferential_origin);
    let column_2 = country.filter(|country| US_COLUMN_2.contains(country));
    let mut duty: Option<Planned> = None;
    let mut granted: Option<&str> = None;
    if let Some(code) = claims.preference {
        let claim = match column_2 {
            Some(country) => Claim::Refused(format!(
                "goods of {country} take the column 2 rate (HTSUS General Note 3(b)); no special programme applies"
            )),
            None => claim(commodity, code, claims.preferential_origin.or(claims.origin), date),
        };
        match claim {
            Claim::Granted(planned) => {
                duty = Some(planned);
                granted = Some(code);
            }
            Claim::Refused(reason) => findings.push(at(Finding::new(
                codes::DUTY_PREFERENCE_REFUSED,
                format!(
                    "programme {code} is refused: {reason}; the {} rate applies",
                    if column_2.is_some() { "column 2" } else { "general" }
                ),
            ))),
            Claim::Unchecked(finding) => findings.push(at(finding)),
        }
    }
    if duty.is_none() {
        let column = if column_2.is_some() { "column-2" } else { "general" };
        duty = commodity
            .measures
            .iter()
            .filter(|measure| measure.measure_type == column)
            .find_map(|measure| Some(planned(DUTY, measure, parsed_duty(measure)?)));
    }
    let mut lines = Vec::new();
    let additions =
        chapter_99(cx, tariff, commodity, claims, column_2.is_some(), granted, date, findings, &at);
    let mut in_lieu = None;
    let mut notes = Vec::new();
    for addition in additions {
        match addition {
            Addition::InLieu(planned) => in_lieu = in_lieu.or(Some(planned)),
            Addition::Additional(planned) => lines.push(planned),
            Addition::Note(note) => notes.push(note),
        }
    }
    match in_lieu.or(duty) {
        Some(mut duty) => {
            for note in notes {
                let _ = write!(duty.measure, "; {note}");
            }
            lines.insert(0, duty);
        }
        None => findings.push(at(Finding::new(
            codes::DUTY_NO_MEASURE,
            format!("the loaded tariff has no customs duty rate for {}", commodity.printed_code),
        ))),
    }
    lines
}

/// The special rate of programme `code` on the line, if the origin qualifies.
fn claim(commodity: &Commodity, code: &str, origin: Option<&str>, date: Date) -> Claim {
    let Some(programme) = programme(code) else {
        return Claim::Refused(format!(
            "`{code}` is not a special programme indicator of HTSUS General Note 3(c)(i)"
        ));
    };
    if let Some(((year, month, day), why)) = programme.ended
        && Date::new(year, month, day).is_some_and(|end| date > end)
    {
        return Claim::Refused(why.to_owned());
    }
    let Some(origin) = origin else {
        return Claim::Refused("no country of origin is declared (DE 5/15 or 5/16)".to_owned());
    };
    match programme.countries {
        Countries::Listed(countries) if !countries.contains(&origin) => {
            return Claim::Refused(format!(
                "goods of {origin} do not qualify for {} ({}), which covers goods of {}",
                programme.code,
                programme.name,
                countries.join(", ")
            ));
        }
        Countries::NotInData => {
            return Claim::Unchecked(
                Finding::new(
                    codes::DUTY_PROGRAMME_NOT_CHECKED,
                    format!(
                        "programme {code} ({}): its beneficiary countries are designated by proclamation and are not in the loaded data, so the claim for goods of {origin} is not checked; the general rate is shown",
                        programme.name
                    ),
                )
                .with_help("check the country's designation for the programme on the entry date"),
            );
        }
        Countries::Listed(_) | Countries::Any => {}
    }
    let listed = commodity
        .measures
        .iter()
        .filter(|measure| measure.measure_type == "special")
        .find(|measure| measure.origin.split(',').any(|listed| listed.trim() == code));
    let Some(measure) = listed else {
        let special: Vec<&str> = commodity
            .measures
            .iter()
            .filter(|measure| measure.measure_type == "special")
            .map(|measure| measure.expression_source.as_str())
            .collect();
        let column = if special.is_empty() {
            "it has no special rates".to_owned()
        } else {
            format!("its special column lists {}", special.join(" "))
        };
        return Claim::Refused(format!(
            "{} grants no special rate under programme {code} ({column})",
            commodity.printed_code
        ));
    };
    match &measure.parsed {
        Some(ParsedRate::Special(SpecialRate::Rate(expr))) => {
            let mut granted = planned(DUTY, measure, expr);
            granted.measure = format!(
                "special rate under programme {code} ({}) for goods of {origin}, defined on {}",
                programme.name, measure.defined_on
            );
            granted.legal_basis = format!(
                "Harmonized Tariff Schedule of the United States (19 U.S.C. 1202), General Note 3(c)(i): {}",
                programme.name
            );
            granted.provenance.legal_basis = Some(granted.legal_basis.clone());
            Claim::Granted(granted)
        }
        _ => Claim::Unchecked(
            Finding::new(
                codes::DUTY_PREFERENCE_RATE_UNKNOWN,
                format!(
                    "the special rate of {} under programme {code} is `{}`, which is not evaluated; the general rate is shown",
                    commodity.printed_code, measure.expression_source
                ),
            )
            .with_help("the rate is in the chapter 98/99 heading or note it names; check it there"),
        ),
    }
}

/// What a chapter 99 heading does to an item.
enum Addition {
    /// Its rate replaces the line's.
    InLieu(Planned),
    /// An additional duty line.
    Additional(Planned),
    /// A declared heading that adds nothing, said on the duty line.
    Note(String),
}

/// A chapter 99 heading as the data describe it.
struct Heading {
    /// `9903.88.03`.
    number: String,
    /// The heading's own text.
    description: String,
    measures: Vec<Measure>,
    declared: bool,
}

impl Heading {
    /// The headings this heading's text excepts (`Except as provided in headings ...`).
    fn excepts(&self) -> Vec<String> {
        let text = self.description.trim_start();
        if !text.starts_with("Except as provided in heading") {
            return Vec::new();
        }
        // The exceptions end where the heading says what it covers.
        let end = ["articles", "effective", "Effective", "products"]
            .iter()
            .filter_map(|word| text.find(word))
            .min()
            .unwrap_or(text.len());
        headings_in(text.get(..end).unwrap_or_default())
    }

    /// Whether the heading's text names the origin of the goods it covers.
    fn names_origin(&self) -> bool {
        self.description.contains("product of ") || self.description.contains("products of ")
    }

    /// Whether the heading's text names `name` (a country's name in the code lists) as the
    /// origin of the goods it covers.
    fn covers(&self, name: &str) -> bool {
        let text = &self.description;
        ["of ", "of the "].iter().any(|of| {
            let phrase = format!("{of}{name}");
            text.match_indices(phrase.as_str()).any(|(at, _)| {
                text.get(at + phrase.len()..)
                    .is_none_or(|rest| rest.is_empty() || rest.starts_with([',', ' ', '.', ';']))
            })
        })
    }

    /// Whether the dates the heading's text states include `date`.
    fn in_effect(&self, date: Date) -> bool {
        let text = &self.description;
        let from = text.find("on or after ").and_then(|at| text.get(at + 12..)).and_then(date_in);
        let through = text.find(" through ").and_then(|at| text.get(at + 9..)).and_then(date_in);
        from.is_none_or(|from| date >= from) && through.is_none_or(|through| date <= through)
    }
}

/// The chapter 99 headings (`9903.88.03`) named in `text`.
fn headings_in(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|word| word.trim_end_matches('.'))
        .filter(|word| {
            word.len() == 10
                && word.starts_with("99")
                && word
                    .bytes()
                    .enumerate()
                    .all(|(i, b)| if i == 4 || i == 7 { b == b'.' } else { b.is_ascii_digit() })
        })
        .map(str::to_owned)
        .collect()
}

/// `September 27, 2024` at the start of `text`.
fn date_in(text: &str) -> Option<Date> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut words = text.split_whitespace();
    let month = words.next()?;
    let month = MONTHS.iter().position(|name| *name == month)?;
    let day: u8 = words.next()?.trim_end_matches(',').parse().ok()?;
    let year: u16 = words.next()?.trim_end_matches(|c: char| !c.is_ascii_digit()).parse().ok()?;
    Date::new(year, u8::try_from(month + 1).ok()?, day)
}

/// `99038869` as the schedule prints it, `9903.88.69`.
fn printed_heading(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 || !digits.starts_with("99") {
        return None;
    }
    Some(format!("{}.{}.{}", digits.get(..4)?, digits.get(4..6)?, digits.get(6..8)?))
}

/// The legal basis of a chapter 99 heading.
fn heading_basis(number: &str) -> String {
    let act = if number.starts_with("9903.88.") || number.starts_with("9903.91.") {
        "; Section 301 of the Trade Act of 1974 (19 U.S.C. 2411)"
    } else {
        ""
    };
    format!(
        "Harmonized Tariff Schedule of the United States (19 U.S.C. 1202), chapter 99 heading {number}{act}"
    )
}

/// The chapter 99 headings that apply to the item, and what each does.
#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
fn chapter_99(
    cx: &Context<'_>,
    tariff: &Tariff,
    commodity: &Commodity,
    claims: &Claims<'_>,
    column_2: bool,
    programme: Option<&str>,
    date: Date,
    findings: &mut Vec<Finding>,
    at: &dyn Fn(Finding) -> Finding,
) -> Vec<Addition> {
    let country = claims.origin.or(claims.preferential_origin);
    let name = country.and_then(|country| cx.codelists?.country(country));
    let mut numbers: Vec<(String, bool)> =
        commodity.chapter_99.iter().map(|number| (number.clone(), false)).collect();
    for code in &claims.national_additional {
        let Some(number) = printed_heading(code) else { continue };
        match numbers.iter_mut().find(|(known, _)| *known == number) {
            Some(entry) => entry.1 = true,
            None => numbers.push((number, true)),
        }
    }
    let mut applicable: Vec<Heading> = Vec::new();
    let mut unscoped: Vec<String> = Vec::new();
    for (number, declared) in numbers {
        let Ok(line) = tariff.commodity(&number, date) else {
            if declared {
                findings.push(at(Finding::new(
                    codes::DUTY_CHAPTER_99_NOT_APPLIED,
                    format!("chapter 99 heading {number} is declared but is not in the loaded tariff; it is not applied"),
                )));
            } else {
                unscoped.push(format!("{number} (not in the loaded tariff)"));
            }
            continue;
        };
        let heading =
            Heading { number, description: line.description, measures: line.measures, declared };
        if !heading.names_origin() {
            let rates: Vec<&str> = heading
                .measures
                .iter()
                .filter_map(|measure| measure.expression.as_deref())
                .filter(|rate| !rate.is_empty() && *rate != "No change")
                .collect();
            unscoped.push(if rates.is_empty() {
                heading.number.clone()
            } else {
                format!("{} ({})", heading.number, rates.join("; "))
            });
            continue;
        }
        let covered = match (country, name) {
            (Some(_), Some(name)) => heading.covers(name) && heading.in_effect(date),
            (Some(country), None) => {
                unscoped.push(format!(
                    "{} (the code lists that name {country} are not loaded)",
                    heading.number
                ));
                continue;
            }
            (None, _) => false,
        };
        if covered {
            applicable.push(heading);
        } else if heading.declared {
            findings.push(at(Finding::new(
                codes::DUTY_CHAPTER_99_NOT_APPLIED,
                format!(
                    "chapter 99 heading {} is declared, but its text does not cover goods of {} on {date}; it is not applied",
                    heading.number,
                    country.unwrap_or("an undeclared origin")
                ),
            )));
        }
    }
    if !unscoped.is_empty() {
        findings.push(at(Finding::new(
            codes::DUTY_CHAPTER_99_NOT_APPLIED,
            format!(
                "{} refers to chapter 99 heading{} {}, whose text in the loaded tariff does not say which goods or origins {} covers; not applied",
                commodity.printed_code,
                if unscoped.len() == 1 { "" } else { "s" },
                unscoped.join(", "),
                if unscoped.len() == 1 { "it" } else { "each" },
            ),
        )
        .with_help("the scope of these headings is in the chapter 99 U.S. notes, which the data do not carry; check whether they apply to the entry")));
    }
    // A declared heading displaces the headings that except it.
    let declared: Vec<String> = applicable
        .iter()
        .filter(|heading| heading.declared)
        .map(|heading| heading.number.clone())
        .collect();
    let mut additions = Vec::new();
    for heading in &applicable {
        let excepts = heading.excepts();
        // Reported in the measure text of the declared heading.
        if declared.iter().any(|number| excepts.contains(number)) {
            continue;
        }
        let column = if column_2 { "column-2" } else { "general" };
        let special = programme.and_then(|code| {
            heading.measures.iter().find(|measure| {
                measure.measure_type == "special"
                    && measure.origin.split(',').any(|listed| listed.trim() == code)
            })
        });
        let Some(measure) = special
            .or_else(|| heading.measures.iter().find(|measure| measure.measure_type == column))
        else {
            continue; // No rate in the item's column: the heading does not modify it.
        };
        let goods = match (country, name) {
            (Some(country), Some(name)) => format!("goods of {country} ({name})"),
            (country, _) => format!("goods of {}", country.unwrap_or("an undeclared origin")),
        };
        let mut note = String::new();
        let displaced: Vec<&str> = applicable
            .iter()
            .filter(|other| other.excepts().contains(&heading.number))
            .map(|other| other.number.as_str())
            .collect();
        if heading.declared && !displaced.is_empty() {
            let _ = write!(note, "; declared, so {} does not apply", displaced.join(", "));
        } else if !heading.declared {
            let exceptions: Vec<&str> = applicable
                .iter()
                .filter(|other| other.number != heading.number && excepts.contains(&other.number))
                .map(|other| other.number.as_str())
                .collect();
            if !exceptions.is_empty() {
                let _ = write!(
                    note,
                    "; {} applies instead to goods it covers, when declared",
                    exceptions.join(", ")
                );
            }
        }
        let legal_basis = heading_basis(&heading.number);
        let provenance = Provenance {
            source: measure.source.clone(),
            id: measure.id.clone(),
            legal_basis: Some(legal_basis.clone()),
        };
        match measure.parsed.as_ref().and_then(ParsedRate::duty) {
            Some(DutyExpr::ProvidedIn {
                subheading: Subheading::Applicable,
                adjust: Some(component @ Component { op: Op::Plus, .. }),
            }) => {
                let expr = with_cents(&DutyExpr::Compound(vec![component.clone()]));
                additions.push(Addition::Additional(Planned {
                    tax_type: CHAPTER_99.to_owned(),
                    rate_text: expr.to_string(),
                    expr,
                    measure: format!(
                        "{} additional duty on {goods}: {}, referenced from {}{note}",
                        heading.number,
                        measure.expression.as_deref().unwrap_or_default(),
                        commodity.printed_code
                    ),
                    legal_basis,
                    provenance,
                }));
            }
            Some(
                DutyExpr::ProvidedIn { subheading: Subheading::Applicable, adjust: None }
                | DutyExpr::NoChange,
            ) => {
                if heading.declared {
                    additions.push(Addition::Note(format!(
                        "chapter 99 heading {} declared for {goods}: no additional duty{note}",
                        heading.number
                    )));
                }
            }
            Some(expr @ (DutyExpr::Compound(_) | DutyExpr::Bounded { .. } | DutyExpr::Free { .. })) => {
                let line_column = if column_2 { "column 2" } else { "general" };
                let expr = with_cents(expr);
                additions.push(Addition::InLieu(Planned {
                    tax_type: DUTY.to_owned(),
                    rate_text: expr.to_string(),
                    expr,
                    measure: format!(
                        "{} rate for {goods}, in lieu of the {line_column} rate of {}{note}",
                        heading.number, commodity.printed_code
                    ),
                    legal_basis,
                    provenance,
                }));
            }
            _ => findings.push(at(Finding::new(
                codes::DUTY_CHAPTER_99_NOT_APPLIED,
                format!(
                    "chapter 99 heading {} applies to {goods}, but its rate `{}` is not evaluated; not applied",
                    heading.number, measure.expression_source
                ),
            )
            .with_provenance(provenance))),
        }
    }
    additions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_heading_dates_and_exceptions() {
        let heading = Heading {
            number: "9903.91.03".to_owned(),
            description: "Except as provided in heading 9903.91.10, effective with respect to entries on or after September 27, 2024, articles the product of China, as provided for in subdivision (d) of U.S. note 31 to this subchapter".to_owned(),
            measures: Vec::new(),
            declared: false,
        };
        assert_eq!(heading.excepts(), ["9903.91.10"]);
        assert!(!heading.in_effect(Date::new(2024, 9, 26).unwrap()));
        assert!(heading.in_effect(Date::new(2024, 9, 27).unwrap()));
        assert!(heading.names_origin());
        assert!(heading.covers("China"));
        assert!(!heading.covers("Russian Federation"));
        let exclusion = Heading {
            description: "Effective with respect to entries on or after June 15, 2024 and through November 9, 2026, articles the product of China".to_owned(),
            ..heading
        };
        assert!(exclusion.in_effect(Date::new(2026, 11, 9).unwrap()));
        assert!(!exclusion.in_effect(Date::new(2026, 11, 10).unwrap()));
        assert!(exclusion.excepts().is_empty());
        assert_eq!(printed_heading("99038869").as_deref(), Some("9903.88.69"));
        assert_eq!(printed_heading("85012040"), None);
    }

    #[test]
    fn every_programme_is_listed_once() {
        for (index, programme) in PROGRAMMES.iter().enumerate() {
            assert!(
                PROGRAMMES.iter().skip(index + 1).all(|other| other.code != programme.code),
                "{} twice",
                programme.code
            );
        }
        assert!(programme("AU").is_some());
        assert!(programme("300").is_none());
    }
}
