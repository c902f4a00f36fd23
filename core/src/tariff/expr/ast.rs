//! The duty-expression syntax tree and its canonical printing.
//!
//! One tree serves TARIC duty sentences (EU CET, UK Global Tariff, UK Trade Tariff API) and
//! US HTSUS rate columns. Amounts are exact: [`Decimal`] keeps the scale as written
//! (`12.80%` stays `12.80%`) and `33 1/3%` keeps its fraction. `Display` prints a canonical
//! form that parses back to the same tree: TARIC spacing for TARIC rates
//! (`176.80 EUR / 100 kg`), HTSUS spelling for US rates (`4.4¢/kg`).
//!
//! Evaluation follows the TARIC rules: components are added or subtracted in order; `MAX`
//! caps (`min(left, right)`) and `MIN` floors (`max(left, right)`), splitting at the last
//! `MIN`/`MAX`, which is how [`DutyExpr::Bounded`] nests.

use std::fmt::{self, Display, Write as _};

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::units::{Unit, UnitCode};

/// A parsed duty rate (one rate cell).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyExpr {
    /// One or more components, added or subtracted in order: `12.80% + 176.80 EUR / 100 kg`,
    /// `44¢ each + 6% on the case`. Never empty.
    Compound(Vec<Component>),
    /// `base MIN limit` or `base MAX limit`. A sentence with several bounds splits at the
    /// last one, so `base` may itself be bounded while `limit` never is.
    Bounded {
        /// The rate being bounded.
        base: Box<DutyExpr>,
        /// `MIN` (a floor) or `MAX` (a ceiling).
        bound: Bound,
        /// The floor or ceiling.
        limit: Vec<Component>,
    },
    /// Rates by period of the year: `15.00% (01 JAN-14 FEB, 16 JUN-31 DEC), 0.00% (15 FEB-15 JUN)`.
    Seasonal(Vec<Season>),
    /// `Entry Price`: the EU entry price system (the duty depends on the declared price).
    EntryPrice,
    /// `NIHIL`: no duty (TARIC duty expression 37).
    Nihil,
    /// A supplementary unit on its own (`p/st`): a measure that asks for a quantity and
    /// charges nothing.
    SupplementaryUnit(Unit),
    /// US `Free`, possibly with a condition (`Free, under bond`).
    Free {
        /// The condition after the comma, if any.
        condition: Option<String>,
    },
    /// US chapter 99 `No change`: the heading adds nothing to the ordinary rate.
    NoChange,
    /// The US sugar polarity sliding scale.
    SlidingScale(Box<SlidingScale>),
    /// US chapter 99 rates that refer to another subheading's rate:
    /// `The duty provided in the applicable subheading + 25%`.
    ProvidedIn {
        /// Which subheading's rate.
        subheading: Subheading,
        /// What is added to or taken off that rate.
        adjust: Option<Component>,
    },
    /// A rate followed by a condition that needs a person to apply:
    /// `4.3% + 1.7¢/jewel + 0.2¢ for each other piece or part, but if consisting in part of a
    /// plate or a set of plates the total duty shall not exceed the duty for the complete
    /// movement`.
    WithProviso {
        /// The rate.
        expr: Box<DutyExpr>,
        /// The text after `, but`.
        proviso: String,
    },
    /// Text that states no computable rate (`The rate applicable to each garment in the
    /// ensemble if separately entered`, `See additional U.S. note 1`). It is kept, never read
    /// as zero, so a caller can report it.
    NotComputable {
        /// The text, whitespace-normalised.
        text: String,
    },
}

/// One component of a compound rate, with the operator that joins it to the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Component {
    /// `+` or `-` (the first component of a sentence has `+` unless it is written `-`).
    pub op: Op,
    /// The component.
    pub term: Term,
}

/// How a component joins the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Added.
    Plus,
    /// Subtracted.
    Minus,
}

/// `MIN` or `MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// A floor: the duty is `max(base, limit)`.
    Min,
    /// A ceiling: the duty is `min(base, limit)`.
    Max,
}

/// A component.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// An ad valorem or specific rate.
    Rate(Rate),
    /// An EU agricultural component resolved through the Meursing table (`EA`, `ADSZ`, ...).
    Agricultural(Agricultural),
}

/// An ad valorem (`6.8%`) or specific (`176.80 EUR / 100 kg`, `4.4¢/kg`) rate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Rate {
    /// The number.
    pub amount: Amount,
    /// Percent or a currency.
    pub money: Money,
    /// What a specific rate is charged per (`None` for plain ad valorem).
    pub unit: Option<Unit>,
    /// What the rate applies to, when not the whole good (`on the case`, `of total sugars`).
    pub basis: Option<Basis>,
    /// The source omitted the `%` of a leading ad valorem amount (`6.4 + 24.6 EUR/100 kg`,
    /// a known CET data error) and the parser read it as a percentage. Printing keeps the
    /// omission, so callers can still see and report it.
    pub repaired: bool,
}

/// An exact amount: a decimal plus, for US column 2, an optional fraction (`33 1/3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Amount {
    /// The decimal part as written, scale included (`12.80`).
    pub value: Decimal,
    /// A fraction added to `value` (`1/3` in `33 1/3%`).
    pub fraction: Option<Fraction>,
}

/// A proper fraction `numerator/denominator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Fraction {
    /// The numerator.
    pub numerator: u32,
    /// The denominator (never zero).
    pub denominator: u32,
}

impl Amount {
    /// A plain decimal amount.
    #[must_use]
    pub fn decimal(value: Decimal) -> Amount {
        Amount { value, fraction: None }
    }

    /// The amount as an exact ratio `numerator / denominator` (`33 1/3` is `100 / 3`), for
    /// evaluation without rounding before the final step; `None` if the numerator overflows.
    #[must_use]
    pub fn exact_ratio(&self) -> Option<(Decimal, u32)> {
        match self.fraction {
            None => Some((self.value, 1)),
            Some(f) => {
                let whole = self.value.checked_mul(Decimal::from(f.denominator))?;
                Some((whole.checked_add(Decimal::from(f.numerator))?, f.denominator))
            }
        }
    }
}

/// Percent or money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Money {
    /// A percentage (of the customs value, or of the unit when there is one: `% / Retail Price`).
    Percent,
    /// An amount in an ISO 4217 currency (or `XEM`, the TARIC agricultural euro). `€` reads
    /// as `EUR`.
    Currency(Currency),
    /// US cents (`4.4¢`).
    Cents,
    /// US dollars (`$1.035`).
    Dollars,
}

/// A three-letter currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// Pound sterling.
    pub const GBP: Currency = Currency(*b"GBP");
    /// The TARIC agricultural euro.
    pub const XEM: Currency = Currency(*b"XEM");

    /// The currency with three-capital-letter code `code`.
    #[must_use]
    pub fn new(code: &str) -> Option<Currency> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes.iter().all(u8::is_ascii_uppercase).then_some(Currency(bytes))
    }

    /// The code, e.g. `EUR`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What a rate applies to, when not the whole good: `on the case`, `of total sugars`,
/// `upon the value of the non-U.S. content`, `, including weight of container`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Basis {
    /// The linking word.
    pub prep: Prep,
    /// The rest of the phrase (`the case`).
    pub text: String,
}

/// The word that introduces a [`Basis`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Prep {
    /// `on the case`.
    On,
    /// `of total sugars`.
    Of,
    /// `upon the value of the non-U.S. content`.
    Upon,
    /// `, including weight of container`.
    Including,
}

impl Prep {
    fn as_str(self) -> &'static str {
        match self {
            Prep::On => "on",
            Prep::Of => "of",
            Prep::Upon => "upon",
            Prep::Including => "including",
        }
    }
}

/// EU agricultural components (TARIC duty expressions 12–29). The UK spellings `AC`, `SD`,
/// `FD` and `(reduced)` read as the EU ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Agricultural {
    /// `EA`: agricultural component (UK `AC`).
    Ea,
    /// `EAR`: reduced agricultural component (UK `AC (reduced)`).
    Ear,
    /// `ADSZ`: additional duty on sugar (UK `SD`).
    Adsz,
    /// `ADSZR`: reduced additional duty on sugar (UK `SD (reduced)`).
    Adszr,
    /// `ADFM`: additional duty on flour (UK `FD`).
    Adfm,
    /// `ADFMR`: reduced additional duty on flour (UK `FD (reduced)`).
    Adfmr,
}

impl Agricultural {
    /// The EU spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Agricultural::Ea => "EA",
            Agricultural::Ear => "EAR",
            Agricultural::Adsz => "ADSZ",
            Agricultural::Adszr => "ADSZR",
            Agricultural::Adfm => "ADFM",
            Agricultural::Adfmr => "ADFMR",
        }
    }
}

/// One seasonal rate and the periods it applies in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Season {
    /// The rate in these periods (never itself seasonal).
    pub rate: DutyExpr,
    /// The periods. Empty when the source gave none for its last rate (a known data error,
    /// read as "the rest of the year").
    pub periods: Vec<DayRange>,
}

/// A yearly period `01 JAN-14 FEB` (inclusive; it may wrap over the new year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DayRange {
    /// First day.
    pub from_day: u8,
    /// First month, 1–12; `None` when the source left it out (`01-31 DEC`), meaning the
    /// month of `to_month`.
    pub from_month: Option<u8>,
    /// Last day.
    pub to_day: u8,
    /// Last month, 1–12.
    pub to_month: u8,
}

impl DayRange {
    /// The first month, taking an omitted one from the last month.
    #[must_use]
    pub fn start_month(&self) -> u8 {
        self.from_month.unwrap_or(self.to_month)
    }
}

/// The US sugar sliding scale: `base` less `step` for each degree of polarity under
/// `degrees`, but not less than `floor`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SlidingScale {
    /// The rate at `degrees` of polarity.
    pub base: Rate,
    /// The reduction per degree under `degrees` (fractions of a degree in proportion).
    pub step: Rate,
    /// The reference polarity, in degrees.
    pub degrees: Decimal,
    /// The lowest rate.
    pub floor: Rate,
}

/// Which subheading a US chapter 99 rate refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subheading {
    /// `The duty provided in the applicable subheading`.
    Applicable,
    /// `The duty rate provided in such subheading`.
    Such,
    /// `The duty provided in subheadings 8716.39.00, 8716.90.30 or 8716.90.50`.
    Listed(Vec<String>),
    /// `The duty rate provided for originating goods of Korea in such subheading`: the
    /// special rate of the subheading that the heading's description names, for the
    /// agreement with this country.
    SuchForOriginating {
        /// The country as written (`Korea`).
        country: String,
    },
}

/// A data error the parser accepted; callers may report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Repair {
    /// A leading amount without `%`, read as a percentage.
    MissingPercent,
    /// A date range without its first month, read as the last month.
    MissingStartMonth,
    /// A day that the month does not have (`31 APR`), kept as written.
    ImpossibleDate {
        /// The day.
        day: u8,
        /// The month.
        month: u8,
    },
    /// A seasonal rate without periods, read as the rest of the year.
    SeasonWithoutPeriod,
}

impl DutyExpr {
    /// The units a declaration must give quantities in for this rate, each once (by code and
    /// qualifier), in order of appearance. `% vol / hl` (`ASV` qualified `X`) needs both the
    /// strength and the volume in hectolitres.
    #[must_use]
    pub fn required_units(&self) -> Vec<Unit> {
        let mut units = Vec::new();
        self.collect_units(&mut units);
        units
    }

    pub(crate) fn collect_units(&self, units: &mut Vec<Unit>) {
        match self {
            DutyExpr::Compound(components) => {
                for c in components {
                    push_unit(units, c.unit());
                }
            }
            DutyExpr::Bounded { base, limit, .. } => {
                base.collect_units(units);
                for c in limit {
                    push_unit(units, c.unit());
                }
            }
            DutyExpr::Seasonal(seasons) => seasons.iter().for_each(|s| s.rate.collect_units(units)),
            DutyExpr::SupplementaryUnit(unit) => push_unit(units, Some(*unit)),
            DutyExpr::SlidingScale(scale) => {
                push_unit(units, scale.base.unit);
                push_unit(units, scale.step.unit);
                push_unit(units, scale.floor.unit);
            }
            DutyExpr::ProvidedIn { adjust, .. } => {
                push_unit(units, adjust.as_ref().and_then(Component::unit));
            }
            DutyExpr::WithProviso { expr, .. } => expr.collect_units(units),
            DutyExpr::EntryPrice
            | DutyExpr::Nihil
            | DutyExpr::Free { .. }
            | DutyExpr::NoChange
            | DutyExpr::NotComputable { .. } => {}
        }
    }

    /// The data errors the parser accepted in this rate, in order of appearance.
    #[must_use]
    pub fn repairs(&self) -> Vec<Repair> {
        let mut repairs = Vec::new();
        self.collect_repairs(&mut repairs);
        repairs
    }

    fn collect_repairs(&self, repairs: &mut Vec<Repair>) {
        let components = |cs: &[Component], repairs: &mut Vec<Repair>| {
            for c in cs {
                if let Term::Rate(Rate { repaired: true, .. }) = c.term {
                    repairs.push(Repair::MissingPercent);
                }
            }
        };
        match self {
            DutyExpr::Compound(cs) => components(cs, repairs),
            DutyExpr::Bounded { base, limit, .. } => {
                base.collect_repairs(repairs);
                components(limit, repairs);
            }
            DutyExpr::Seasonal(seasons) => {
                for season in seasons {
                    season.rate.collect_repairs(repairs);
                    if season.periods.is_empty() {
                        repairs.push(Repair::SeasonWithoutPeriod);
                    }
                    for range in &season.periods {
                        if range.from_month.is_none() {
                            repairs.push(Repair::MissingStartMonth);
                        }
                        for (day, month) in
                            [(range.from_day, range.start_month()), (range.to_day, range.to_month)]
                        {
                            if day > days_in_month(month) {
                                repairs.push(Repair::ImpossibleDate { day, month });
                            }
                        }
                    }
                }
            }
            DutyExpr::WithProviso { expr, .. } => expr.collect_repairs(repairs),
            _ => {}
        }
    }

    /// Whether this is text that states no computable rate.
    #[must_use]
    pub fn is_not_computable(&self) -> bool {
        matches!(self, DutyExpr::NotComputable { .. })
    }
}

/// Adds `unit` unless a unit needing the same quantity is already listed.
fn push_unit(units: &mut Vec<Unit>, unit: Option<Unit>) {
    if let Some(unit) = unit
        && !units.iter().any(|u| u.same_quantity(&unit))
    {
        units.push(unit);
    }
}

/// Days in a month of a leap year (a seasonal period recurs every year, so 29 FEB is valid).
fn days_in_month(month: u8) -> u8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Component {
    /// A component added to the previous ones.
    #[must_use]
    pub fn plus(term: Term) -> Component {
        Component { op: Op::Plus, term }
    }

    /// The unit of a specific rate component.
    #[must_use]
    pub fn unit(&self) -> Option<Unit> {
        match &self.term {
            Term::Rate(rate) => rate.unit,
            Term::Agricultural(_) => None,
        }
    }
}

impl Rate {
    /// An ad valorem rate without a unit or basis.
    #[must_use]
    pub fn percent(value: Decimal) -> Rate {
        Rate {
            amount: Amount::decimal(value),
            money: Money::Percent,
            unit: None,
            basis: None,
            repaired: false,
        }
    }

    /// Whether the rate uses US money (cents or dollars) and so prints its unit in HTSUS
    /// style.
    fn is_us(&self) -> bool {
        matches!(self.money, Money::Cents | Money::Dollars)
    }
}

/// The three-letter month names, as printed.
pub(crate) const MONTHS: [&str; 12] =
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

fn month_name(month: u8) -> &'static str {
    MONTHS.get(usize::from(month).wrapping_sub(1)).copied().unwrap_or("???")
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)?;
        if let Some(fraction) = self.fraction {
            write!(f, " {}/{}", fraction.numerator, fraction.denominator)?;
        }
        Ok(())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Unit {
    /// The TARIC form: `100 kg / net drained wt`. (US units print inside [`Rate`].)
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label)?;
        if let Some(q) = self.qualifier {
            write!(f, " / {}", q.label())?;
        }
        Ok(())
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.money {
            Money::Percent if self.repaired => write!(f, "{}", self.amount)?,
            Money::Percent => write!(f, "{}%", self.amount)?,
            Money::Currency(currency) => write!(f, "{} {currency}", self.amount)?,
            Money::Cents => write!(f, "{}¢", self.amount)?,
            Money::Dollars => write!(f, "${}", self.amount)?,
        }
        if let Some(unit) = &self.unit {
            if self.is_us() {
                // US units keep their own spelling, qualifier included (`clean kg`).
                match unit.label {
                    "each" => f.write_str(" each")?,
                    label if unit.code == UnitCode::PieceOrPart => write!(f, " for each {label}")?,
                    label => write!(f, "/{label}")?,
                }
            } else {
                write!(f, " / {unit}")?;
            }
        }
        if let Some(basis) = &self.basis {
            match basis.prep {
                Prep::Including => write!(f, ", including {}", basis.text)?,
                prep => write!(f, " {} {}", prep.as_str(), basis.text)?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Rate(rate) => rate.fmt(f),
            Term::Agricultural(a) => f.write_str(a.as_str()),
        }
    }
}

fn write_components(f: &mut fmt::Formatter<'_>, components: &[Component]) -> fmt::Result {
    for (i, c) in components.iter().enumerate() {
        match (i, c.op) {
            (0, Op::Plus) => {}
            (0, Op::Minus) => f.write_str("- ")?,
            (_, Op::Plus) => f.write_str(" + ")?,
            (_, Op::Minus) => f.write_str(" - ")?,
        }
        c.term.fmt(f)?;
    }
    Ok(())
}

impl fmt::Display for DayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.from_day)?;
        if let Some(month) = self.from_month {
            write!(f, " {}", month_name(month))?;
        }
        write!(f, "-{:02} {}", self.to_day, month_name(self.to_month))
    }
}

impl fmt::Display for Season {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.rate.fmt(f)?;
        if let Some((first, rest)) = self.periods.split_first() {
            write!(f, " ({first}")?;
            for range in rest {
                write!(f, ", {range}")?;
            }
            f.write_char(')')?;
        }
        Ok(())
    }
}

impl fmt::Display for Subheading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subheading::Applicable => f.write_str("The duty provided in the applicable subheading"),
            Subheading::Such => f.write_str("The duty rate provided in such subheading"),
            Subheading::SuchForOriginating { country } => write!(
                f,
                "The duty rate provided for originating goods of {country} in such subheading"
            ),
            Subheading::Listed(codes) => {
                f.write_str("The duty provided in subheadings ")?;
                for (i, code) in codes.iter().enumerate() {
                    match i {
                        0 => {}
                        i if i + 1 == codes.len() => f.write_str(" or ")?,
                        _ => f.write_str(", ")?,
                    }
                    f.write_str(code)?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for SlidingScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} less {} for each degree under {} degrees (and fractions of a degree in \
             proportion) but not less than {}",
            self.base, self.step, self.degrees, self.floor
        )
    }
}

impl fmt::Display for DutyExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DutyExpr::Compound(components) => write_components(f, components),
            DutyExpr::Bounded { base, bound, limit } => {
                base.fmt(f)?;
                f.write_str(match bound {
                    Bound::Min => " MIN ",
                    Bound::Max => " MAX ",
                })?;
                write_components(f, limit)
            }
            DutyExpr::Seasonal(seasons) => {
                for (i, season) in seasons.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    season.fmt(f)?;
                }
                Ok(())
            }
            DutyExpr::EntryPrice => f.write_str("Entry Price"),
            DutyExpr::Nihil => f.write_str("NIHIL"),
            DutyExpr::SupplementaryUnit(unit) => unit.fmt(f),
            DutyExpr::Free { condition: None } => f.write_str("Free"),
            DutyExpr::Free { condition: Some(condition) } => write!(f, "Free, {condition}"),
            DutyExpr::NoChange => f.write_str("No change"),
            DutyExpr::SlidingScale(scale) => scale.fmt(f),
            DutyExpr::ProvidedIn { subheading, adjust } => {
                subheading.fmt(f)?;
                match adjust {
                    None => Ok(()),
                    Some(Component { op: Op::Plus, term }) => write!(f, " + {term}"),
                    Some(Component { op: Op::Minus, term }) => write!(f, " minus {term}"),
                }
            }
            DutyExpr::WithProviso { expr, proviso } => write!(f, "{expr}, but {proviso}"),
            DutyExpr::NotComputable { text } => f.write_str(text),
        }
    }
}

/// A US "special" (column 1 special) cell: rates for lists of preference programmes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct UsSpecial {
    /// The segments, in order: `Free (A,AU,...)`, `3.2% (JP)`, `See 9822.04.01 (AU)`.
    pub segments: Vec<SpecialSegment>,
}

/// One segment of a US special cell: a rate and the programmes it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SpecialSegment {
    /// The rate, or a cross-reference.
    pub rate: SpecialRate,
    /// The programmes (`A+`, `AU`, ...), as listed; empty when the cell gives none.
    pub programs: Vec<Program>,
    /// A note in parentheses instead of a programme list: `Free (See U.S. note 4 of this
    /// subchapter)`.
    pub note: Option<String>,
}

/// What a special segment says.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialRate {
    /// A rate (including `Free`, `No change` and text that states no computable rate).
    Rate(DutyExpr),
    /// `See 9822.04.01-9822.04.03, 9919.04.50`: the rate is in these chapter 98/99 headings.
    SeeHeadings(Vec<HeadingRange>),
    /// `See U.S. note 3(e)`: the rate is in a note.
    SeeNote(String),
}

/// One heading, or an inclusive range of headings, in a `See` reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct HeadingRange {
    /// The first (or only) heading, e.g. `9822.04.01`.
    pub first: String,
    /// The last heading of a range.
    pub last: Option<String>,
}

/// A US special programme indicator (`A`, `A+`, `A*`, `AU`, `S+`): one or two capital letters
/// and an optional `+` or `*`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Program {
    bytes: [u8; 3],
    len: u8,
}

impl Program {
    /// The programme for `code`, when it has the programme-indicator shape.
    #[must_use]
    pub fn new(code: &str) -> Option<Program> {
        let b = code.as_bytes();
        let valid = match b {
            [a] | [a, b'+' | b'*'] => a.is_ascii_uppercase(),
            [a, c] | [a, c, b'+' | b'*'] => a.is_ascii_uppercase() && c.is_ascii_uppercase(),
            _ => false,
        };
        if !valid {
            return None;
        }
        let mut bytes = [0u8; 3];
        for (slot, byte) in bytes.iter_mut().zip(b) {
            *slot = *byte;
        }
        Some(Program { bytes, len: u8::try_from(b.len()).ok()? })
    }

    /// The indicator, e.g. `A+`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.bytes
            .get(..usize::from(self.len))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Program({})", self.as_str())
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Program {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl UsSpecial {
    /// The segment whose programme list names `program`, if any.
    #[must_use]
    pub fn for_program(&self, program: &str) -> Option<&SpecialSegment> {
        self.segments.iter().find(|s| s.programs.iter().any(|p| p.as_str() == program))
    }

    /// The units the rates of all segments need, each once (see [`DutyExpr::required_units`]).
    #[must_use]
    pub fn required_units(&self) -> Vec<Unit> {
        let mut units = Vec::new();
        for segment in &self.segments {
            if let SpecialRate::Rate(expr) = &segment.rate {
                expr.collect_units(&mut units);
            }
        }
        units
    }
}

impl fmt::Display for HeadingRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.first)?;
        if let Some(last) = &self.last {
            write!(f, "-{last}")?;
        }
        Ok(())
    }
}

impl fmt::Display for SpecialRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecialRate::Rate(expr) => expr.fmt(f),
            SpecialRate::SeeHeadings(ranges) => {
                f.write_str("See ")?;
                for (i, range) in ranges.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    range.fmt(f)?;
                }
                Ok(())
            }
            SpecialRate::SeeNote(text) => write!(f, "See {text}"),
        }
    }
}

impl fmt::Display for SpecialSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.rate.fmt(f)?;
        if let Some((first, rest)) = self.programs.split_first() {
            write!(f, " ({first}")?;
            for program in rest {
                write!(f, ",{program}")?;
            }
            f.write_char(')')?;
        }
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

impl fmt::Display for UsSpecial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            segment.fmt(f)?;
        }
        Ok(())
    }
}
