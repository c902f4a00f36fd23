//! Units of measure and unit qualifiers used by specific duties, with their spellings.
//!
//! Every spelling found in the schedules maps to one [`UnitCode`]: the TARIC measurement
//! unit code where TARIC has one (`DTN` for `100 kg`, `ASV` for `% vol`), else the UN/ECE
//! Recommendation 20 code (`DZN`, `GRO`, `BLL`), else a Preclear variant without a code
//! (proof litres, jewels). Each spelling also carries a canonical label, which is what the
//! printer writes, so `GBP/100kg` and `EUR / 100 kg` print the same way.

use rust_decimal::Decimal;
use serde::Serialize;

/// What a specific duty is charged per: a measurement unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UnitCode {
    /// Kilogram (`kg`).
    Kgm,
    /// 100 kg (`100 kg`, `100kg`).
    Dtn,
    /// 1,000 kg (`tonne`, `1000kg`, US `t`).
    Tne,
    /// 10,000 kg (`10 000 kg/polar`).
    Dap,
    /// Gram (`g`).
    Grm,
    /// Litre (`l`, US `liter`).
    Ltr,
    /// Hectolitre (`hl`).
    Hlt,
    /// 1,000 litres (`1,000 l`).
    Klt,
    /// Litre of pure (100%) alcohol (`l alc. 100%`).
    Lpa,
    /// US proof litre (`pf. liter`): half a litre of pure alcohol. No TARIC or Rec 20 code.
    ProofLiter,
    /// Actual alcoholic strength by volume (`% vol`); with qualifier `X` it means `% vol/hl`.
    Asv,
    /// Number of items (`p/st`, `item`, US `each`, `article`, `head`).
    Nar,
    /// 100 items (`100 p/st`).
    Cen,
    /// 1,000 items (`1,000 items`, US `1000`, `thousand`).
    Mil,
    /// Pairs (`pa`, US `pr.`).
    Npr,
    /// 1,000 pairs (`1,000 pa`).
    Mpr,
    /// Dozen (US `doz.`).
    Dzn,
    /// Gross, 144 items (US `gross`).
    Gro,
    /// Metre (`m`, US `lin. m`).
    Mtr,
    /// 100 metres (`100 m`).
    Hmt,
    /// Square metre (`m2`, `m²`).
    Mtk,
    /// Cubic metre (`m3`, `m³`).
    Mtq,
    /// US barrel of 42 US gallons (`bbl`).
    Bll,
    /// Retail price, for excise percentages (`Retail Price`).
    Ret,
    /// 1,000 kWh (`1,000 kWh`).
    Mwh,
    /// Number of cells (`ce/el`).
    Ncl,
    /// Metric carat (`c/k`).
    Ctm,
    /// Terajoule (`TJ`).
    Tjo,
    /// Gram of fissile isotopes (`gi F/S`).
    Gfi,
    /// Percentage of sucrose, Brix (`% sucrose`).
    Brx,
    /// Kilogram of nitrogen (`kg N`).
    Kni,
    /// Kilogram of methylamines (`kg methylamines`).
    Kma,
    /// Kilogram of uranium (`kg U`).
    Kur,
    /// Number of jewels in a watch movement (US `jewel`). No code.
    Jewel,
    /// Number of jewels beyond the seventh (US `jewel over 7`). No code.
    JewelOverSeven,
    /// Number of packs (US `pack`). No code.
    Pack,
    /// Button size in lines times gross (US `line/gross`). No code.
    LineGross,
    /// Number of other pieces or parts of a movement (US `for each other piece or part`). No code.
    PieceOrPart,
}

impl UnitCode {
    /// The TARIC measurement unit code, or the Rec 20 code where TARIC has none; `None` for
    /// units that have neither.
    #[must_use]
    pub fn code(self) -> Option<&'static str> {
        Some(match self {
            UnitCode::Kgm => "KGM",
            UnitCode::Dtn => "DTN",
            UnitCode::Tne => "TNE",
            UnitCode::Dap => "DAP",
            UnitCode::Grm => "GRM",
            UnitCode::Ltr => "LTR",
            UnitCode::Hlt => "HLT",
            UnitCode::Klt => "KLT",
            UnitCode::Lpa => "LPA",
            UnitCode::Asv => "ASV",
            UnitCode::Nar => "NAR",
            UnitCode::Cen => "CEN",
            UnitCode::Mil => "MIL",
            UnitCode::Npr => "NPR",
            UnitCode::Mpr => "MPR",
            UnitCode::Dzn => "DZN",
            UnitCode::Gro => "GRO",
            UnitCode::Mtr => "MTR",
            UnitCode::Hmt => "HMT",
            UnitCode::Mtk => "MTK",
            UnitCode::Mtq => "MTQ",
            UnitCode::Bll => "BLL",
            UnitCode::Ret => "RET",
            UnitCode::Mwh => "MWH",
            UnitCode::Ncl => "NCL",
            UnitCode::Ctm => "CTM",
            UnitCode::Tjo => "TJO",
            UnitCode::Gfi => "GFI",
            UnitCode::Brx => "BRX",
            UnitCode::Kni => "KNI",
            UnitCode::Kma => "KMA",
            UnitCode::Kur => "KUR",
            UnitCode::ProofLiter
            | UnitCode::Jewel
            | UnitCode::JewelOverSeven
            | UnitCode::Pack
            | UnitCode::LineGross
            | UnitCode::PieceOrPart => return None,
        })
    }

    /// The unit this one is a multiple of, and how many of those make one of this, e.g.
    /// `DTN` is 100 `KGM` and a proof litre is 0.5 `LPA`. `None` for base units.
    ///
    /// A declared quantity `q` in the base unit is `q / size` of this unit.
    #[must_use]
    pub fn base(self) -> Option<(UnitCode, Decimal)> {
        Some(match self {
            UnitCode::Dtn => (UnitCode::Kgm, Decimal::ONE_HUNDRED),
            UnitCode::Tne => (UnitCode::Kgm, Decimal::ONE_THOUSAND),
            UnitCode::Dap => (UnitCode::Kgm, Decimal::from(10_000)),
            UnitCode::Grm => (UnitCode::Kgm, Decimal::new(1, 3)),
            UnitCode::Hlt => (UnitCode::Ltr, Decimal::ONE_HUNDRED),
            UnitCode::Klt => (UnitCode::Ltr, Decimal::ONE_THOUSAND),
            // 42 US gallons of 3.785411784 litres each.
            UnitCode::Bll => (UnitCode::Ltr, Decimal::new(158_987_294_928, 9)),
            UnitCode::ProofLiter => (UnitCode::Lpa, Decimal::new(5, 1)),
            UnitCode::Cen => (UnitCode::Nar, Decimal::ONE_HUNDRED),
            UnitCode::Mil => (UnitCode::Nar, Decimal::ONE_THOUSAND),
            UnitCode::Dzn => (UnitCode::Nar, Decimal::from(12)),
            UnitCode::Gro => (UnitCode::Nar, Decimal::from(144)),
            UnitCode::Mpr => (UnitCode::Npr, Decimal::ONE_THOUSAND),
            UnitCode::Hmt => (UnitCode::Mtr, Decimal::ONE_HUNDRED),
            _ => return None,
        })
    }
}

/// What a weight or volume is measured on: TARIC measurement unit qualifiers, plus the US
/// `clean` (clean-yield wool).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// `A`: total alcohol (`tot alc`).
    TotalAlcohol,
    /// `E`: net drained weight (`net drained wt`, UK `eda`).
    NetDrainedWeight,
    /// `F`: common wheat.
    CommonWheat,
    /// `G`: gross (`gross`, `br`).
    Gross,
    /// `I`: biodiesel content.
    Biodiesel,
    /// `J`: fuel content.
    FuelContent,
    /// `K`: bioethanol content.
    Bioethanol,
    /// `L`: live weight.
    LiveWeight,
    /// `M`: net dry matter (`net dry`, UK `mas`).
    NetDry,
    /// `N`: net.
    Net,
    /// `P`: lactic matter.
    LacticMatter,
    /// `R`: standard quality (`std qual`).
    StandardQuality,
    /// `S`: raw sugar.
    RawSugar,
    /// `T`: dry lactic matter.
    DryLacticMatter,
    /// `X`: per hectolitre (with `% vol`).
    Hectolitre,
    /// `Z`: net, per 1% by weight of sucrose (`net/% sacchar.`).
    NetSacchar,
    /// US clean-yield weight (`clean kg`). No TARIC letter.
    Clean,
}

impl Qualifier {
    /// The qualifier with TARIC code `code` (`G` gross, ...).
    #[must_use]
    pub fn from_code(code: char) -> Option<Qualifier> {
        const ALL: [Qualifier; 16] = [
            Qualifier::TotalAlcohol,
            Qualifier::NetDrainedWeight,
            Qualifier::CommonWheat,
            Qualifier::Gross,
            Qualifier::Biodiesel,
            Qualifier::FuelContent,
            Qualifier::Bioethanol,
            Qualifier::LiveWeight,
            Qualifier::NetDry,
            Qualifier::Net,
            Qualifier::LacticMatter,
            Qualifier::StandardQuality,
            Qualifier::RawSugar,
            Qualifier::DryLacticMatter,
            Qualifier::Hectolitre,
            Qualifier::NetSacchar,
        ];
        ALL.into_iter().find(|qualifier| qualifier.code() == Some(code))
    }

    /// The TARIC measurement unit qualifier code, `None` for US-only qualifiers.
    #[must_use]
    pub fn code(self) -> Option<char> {
        Some(match self {
            Qualifier::TotalAlcohol => 'A',
            Qualifier::NetDrainedWeight => 'E',
            Qualifier::CommonWheat => 'F',
            Qualifier::Gross => 'G',
            Qualifier::Biodiesel => 'I',
            Qualifier::FuelContent => 'J',
            Qualifier::Bioethanol => 'K',
            Qualifier::LiveWeight => 'L',
            Qualifier::NetDry => 'M',
            Qualifier::Net => 'N',
            Qualifier::LacticMatter => 'P',
            Qualifier::StandardQuality => 'R',
            Qualifier::RawSugar => 'S',
            Qualifier::DryLacticMatter => 'T',
            Qualifier::Hectolitre => 'X',
            Qualifier::NetSacchar => 'Z',
            Qualifier::Clean => return None,
        })
    }

    /// The canonical spelling, as printed after the unit (`100 kg / net drained wt`).
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Qualifier::TotalAlcohol => "tot alc",
            Qualifier::NetDrainedWeight => "net drained wt",
            Qualifier::CommonWheat => "common wheat",
            Qualifier::Gross => "gross",
            Qualifier::Biodiesel => "biodiesel",
            Qualifier::FuelContent => "fuel content",
            Qualifier::Bioethanol => "bioethanol",
            Qualifier::LiveWeight => "live weight",
            Qualifier::NetDry => "net dry",
            Qualifier::Net => "net",
            Qualifier::LacticMatter => "lactic matter",
            Qualifier::StandardQuality => "std qual",
            Qualifier::RawSugar => "raw sugar",
            Qualifier::DryLacticMatter => "dry lactic matter",
            Qualifier::Hectolitre => "hl",
            Qualifier::NetSacchar => "net/% sacchar.",
            Qualifier::Clean => "clean",
        }
    }
}

/// A unit as written in a rate: its code, the canonical label the printer writes, and an
/// optional qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Unit {
    /// The normalised unit.
    pub code: UnitCode,
    /// The canonical spelling for printing (`100 kg`, `pf. liter`, `each`).
    pub label: &'static str,
    /// What the quantity is measured on, if anything.
    pub qualifier: Option<Qualifier>,
}

impl Unit {
    /// Whether two units need the same declared quantity (same code and qualifier), whatever
    /// their spelling.
    #[must_use]
    pub fn same_quantity(&self, other: &Unit) -> bool {
        self.code == other.code && self.qualifier == other.qualifier
    }
}

/// One accepted spelling: in a spelling, a space matches zero or one space of the input.
pub(crate) struct Spelling<T> {
    pub(crate) text: &'static str,
    pub(crate) label: &'static str,
    pub(crate) value: T,
}

const fn sp<T>(text: &'static str, label: &'static str, value: T) -> Spelling<T> {
    Spelling { text, label, value }
}

/// TARIC and UK units, longest spellings first where one is a prefix of another.
pub(crate) static TARIC_UNITS: &[Spelling<UnitCode>] = &[
    sp("10 000 kg", "10 000 kg", UnitCode::Dap),
    sp("1,000 kg", "1,000 kg", UnitCode::Tne),
    sp("1000 kg", "1,000 kg", UnitCode::Tne),
    sp("tonne", "1,000 kg", UnitCode::Tne),
    sp("100 kg", "100 kg", UnitCode::Dtn),
    sp("kg methylamines", "kg methylamines", UnitCode::Kma),
    sp("kg N", "kg N", UnitCode::Kni),
    sp("kg U", "kg U", UnitCode::Kur),
    sp("kg", "kg", UnitCode::Kgm),
    sp("% vol", "% vol", UnitCode::Asv),
    sp("% sucrose", "% sucrose", UnitCode::Brx),
    sp("hl", "hl", UnitCode::Hlt),
    sp("1,000 l", "1,000 l", UnitCode::Klt),
    sp("1000 l", "1,000 l", UnitCode::Klt),
    sp("l alc. 100%", "l alc. 100%", UnitCode::Lpa),
    sp("l", "l", UnitCode::Ltr),
    sp("1,000 items", "1,000 p/st", UnitCode::Mil),
    sp("1000 items", "1,000 p/st", UnitCode::Mil),
    sp("1,000 p/st", "1,000 p/st", UnitCode::Mil),
    sp("1000 p/st", "1,000 p/st", UnitCode::Mil),
    sp("100 items", "100 p/st", UnitCode::Cen),
    sp("100 p/st", "100 p/st", UnitCode::Cen),
    sp("items", "p/st", UnitCode::Nar),
    sp("item", "p/st", UnitCode::Nar),
    sp("p/st", "p/st", UnitCode::Nar),
    sp("1,000 pa", "1,000 pa", UnitCode::Mpr),
    sp("1000 pa", "1,000 pa", UnitCode::Mpr),
    sp("pa", "pa", UnitCode::Npr),
    sp("1,000 kWh", "1,000 kWh", UnitCode::Mwh),
    sp("1000 kWh", "1,000 kWh", UnitCode::Mwh),
    sp("100 m", "100 m", UnitCode::Hmt),
    sp("m2", "m2", UnitCode::Mtk),
    sp("m²", "m2", UnitCode::Mtk),
    sp("m3", "m3", UnitCode::Mtq),
    sp("m³", "m3", UnitCode::Mtq),
    sp("m", "m", UnitCode::Mtr),
    sp("g", "g", UnitCode::Grm),
    sp("Retail Price", "Retail Price", UnitCode::Ret),
    sp("ce/el", "ce/el", UnitCode::Ncl),
    sp("c/k", "c/k", UnitCode::Ctm),
    sp("TJ", "TJ", UnitCode::Tjo),
    sp("gi F/S", "gi F/S", UnitCode::Gfi),
];

/// TARIC and UK qualifiers, longest spellings first.
pub(crate) static TARIC_QUALIFIERS: &[Spelling<Qualifier>] = &[
    sp("net drained wt", "", Qualifier::NetDrainedWeight),
    sp("net eda", "", Qualifier::NetDrainedWeight),
    sp("eda", "", Qualifier::NetDrainedWeight),
    sp("net / % sacchar.", "", Qualifier::NetSacchar),
    sp("net / % saccha.", "", Qualifier::NetSacchar),
    sp("% sacchar.", "", Qualifier::NetSacchar),
    sp("net dry", "", Qualifier::NetDry),
    sp("net mas", "", Qualifier::NetDry),
    sp("mas", "", Qualifier::NetDry),
    sp("net", "", Qualifier::Net),
    sp("gross", "", Qualifier::Gross),
    sp("br", "", Qualifier::Gross),
    sp("dry lactic matter", "", Qualifier::DryLacticMatter),
    sp("lactic matter", "", Qualifier::LacticMatter),
    sp("std qual", "", Qualifier::StandardQuality),
    sp("tot / alc", "", Qualifier::TotalAlcohol),
    sp("tot alc", "", Qualifier::TotalAlcohol),
    sp("biodiesel", "", Qualifier::Biodiesel),
    sp("raw sugar", "", Qualifier::RawSugar),
    sp("hl", "", Qualifier::Hectolitre),
    sp("fuel content", "", Qualifier::FuelContent),
    sp("bioethanol", "", Qualifier::Bioethanol),
    sp("live weight", "", Qualifier::LiveWeight),
    sp("common wheat", "", Qualifier::CommonWheat),
];

/// US units after `/` (and after `per`), longest spellings first. The label keeps the US
/// spelling because several US units share a code (`each`, `head`, `article`).
pub(crate) static US_UNITS: &[Spelling<(UnitCode, Option<Qualifier>)>] = &[
    sp("clean kg", "clean kg", (UnitCode::Kgm, Some(Qualifier::Clean))),
    sp("kg", "kg", (UnitCode::Kgm, None)),
    sp("pf. liter", "pf. liter", (UnitCode::ProofLiter, None)),
    sp("pf.liter", "pf. liter", (UnitCode::ProofLiter, None)),
    sp("liter", "liter", (UnitCode::Ltr, None)),
    sp("bbl", "bbl", (UnitCode::Bll, None)),
    sp("doz.", "doz.", (UnitCode::Dzn, None)),
    sp("pr.", "pr.", (UnitCode::Npr, None)),
    sp("line / gross", "line/gross", (UnitCode::LineGross, None)),
    sp("gross", "gross", (UnitCode::Gro, None)),
    sp("lin. m", "lin. m", (UnitCode::Mtr, None)),
    sp("m2", "m2", (UnitCode::Mtk, None)),
    sp("m3", "m3", (UnitCode::Mtq, None)),
    sp("m", "m", (UnitCode::Mtr, None)),
    sp("t", "t", (UnitCode::Tne, None)),
    sp("g", "g", (UnitCode::Grm, None)),
    sp("head", "head", (UnitCode::Nar, None)),
    sp("article", "article", (UnitCode::Nar, None)),
    sp("jewel over 7", "jewel over 7", (UnitCode::JewelOverSeven, None)),
    sp("jewel", "jewel", (UnitCode::Jewel, None)),
    sp("1,000 pins", "1,000 pins", (UnitCode::Mil, None)),
    sp("1,000", "1,000", (UnitCode::Mil, None)),
    sp("1000", "1000", (UnitCode::Mil, None)),
    sp("thousand", "thousand", (UnitCode::Mil, None)),
    sp("pack", "pack", (UnitCode::Pack, None)),
];

/// US units after `for each`.
pub(crate) static US_EACH_UNITS: &[Spelling<(UnitCode, Option<Qualifier>)>] =
    &[sp("other piece or part", "other piece or part", (UnitCode::PieceOrPart, None))];

/// The US `each`: per article.
pub(crate) const US_EACH: Unit = Unit { code: UnitCode::Nar, label: "each", qualifier: None };
