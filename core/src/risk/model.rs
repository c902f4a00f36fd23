//! The learned scorer: trade-lane fraud rates with back-off, and a logistic layer over them.
//!
//! A trade lane is a chain of fields, most general first: HS6 subheading, then origin, tax
//! type, country of dispatch, duty rate and transport mode. Each level's fraud rate is
//! smoothed towards the level above it (`(frauds + m·parent) / (count + m)`), so a lane seen
//! rarely says little and a lane never seen says nothing. The logistic layer weighs what
//! each level adds in log-odds, plus a few shape features (log mass, log value per kg,
//! dispatch differs from origin) that are logarithms, never exact amounts. No trader
//! identifier is a feature.
//!
//! A score is `bias + Σ contributions`, each contribution named, so the lane's reasons show
//! exactly where a likelihood comes from. The model file is text (tab-separated lines); the
//! scorer does no I/O and runs in the WebAssembly build.

use std::borrow::Cow;

use crate::fxhash::FxHashMap;
use crate::risk::fixed::with_places;
use crate::risk::lanes::{self, LaneFile, Lanes};
use std::fmt::{self, Write as _};

/// The fields a trade lane may chain, in the order a model file names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The HS subheading (six digits).
    Hs6,
    /// Country of origin.
    Origin,
    /// Tax type or preference (the benchmark's tax type; a CDS declaration's DE 4/17).
    TaxType,
    /// Country of dispatch or departure.
    Dispatch,
    /// The customs duty rate, in percent, normalised (`8`, `6.5`).
    DutyRate,
    /// Mode of transport (WCO one-digit code).
    Mode,
}

impl Field {
    const ALL: [Field; 6] =
        [Field::Hs6, Field::Origin, Field::TaxType, Field::Dispatch, Field::DutyRate, Field::Mode];

    /// The name in model files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Field::Hs6 => "hs6",
            Field::Origin => "origin",
            Field::TaxType => "tax_type",
            Field::Dispatch => "dispatch",
            Field::DutyRate => "duty_rate",
            Field::Mode => "mode",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.name() == name)
    }

    fn describe(self, value: &str) -> String {
        match self {
            Field::Hs6 => format!("HS6 {value}"),
            Field::Origin => format!("origin {value}"),
            Field::TaxType => format!("tax type {value}"),
            Field::Dispatch => format!("dispatch {value}"),
            Field::DutyRate => format!("duty rate {value}%"),
            Field::Mode => format!("transport mode {value}"),
        }
    }
}

/// The chain a trainer uses unless told otherwise.
pub const DEFAULT_CHAIN: [Field; 6] = Field::ALL;

/// One goods item as the scorer sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    /// An identifier (the benchmark's declaration id; LRN and item for a declaration). Used
    /// only to split folds and draw baselines, never as a feature.
    pub id: String,
    /// HS6 subheading.
    pub hs6: Option<String>,
    /// Country of origin.
    pub origin: Option<String>,
    /// Tax type or preference.
    pub tax_type: Option<String>,
    /// Country of dispatch.
    pub dispatch: Option<String>,
    /// Duty rate in percent, normalised.
    pub duty_rate: Option<String>,
    /// Mode of transport (WCO one-digit code).
    pub mode: Option<String>,
    /// Net mass in kg.
    pub net_mass: Option<f64>,
    /// Value in the model's currency.
    pub value: Option<f64>,
    /// The label, when known: whether the declaration was found fraudulent.
    pub fraud: Option<bool>,
}

impl Observation {
    /// The value of a field.
    #[must_use]
    pub fn field(&self, field: Field) -> Option<&str> {
        match field {
            Field::Hs6 => self.hs6.as_deref(),
            Field::Origin => self.origin.as_deref(),
            Field::TaxType => self.tax_type.as_deref(),
            Field::Dispatch => self.dispatch.as_deref(),
            Field::DutyRate => self.duty_rate.as_deref(),
            Field::Mode => self.mode.as_deref(),
        }
    }

    /// The lane key of each level of `chain`, as far as the fields are known.
    #[must_use]
    pub fn lane_keys(&self, chain: &[Field]) -> Vec<String> {
        let mut keys = Vec::with_capacity(chain.len());
        self.visit_lane_keys(chain, |_, key| {
            keys.push(key.to_owned());
            true
        });
        keys
    }

    /// Calls `visit(level, key)` with the lane key of each level of `chain` in turn, as far as
    /// the fields are known or until `visit` returns false. Each level's key extends the one
    /// before, so one string serves them all.
    pub(crate) fn visit_lane_keys(
        &self,
        chain: &[Field],
        mut visit: impl FnMut(usize, &str) -> bool,
    ) {
        let mut key = String::new();
        for (level, field) in chain.iter().enumerate() {
            let Some(value) = self.field(*field) else { break };
            if level > 0 {
                key.push(KEY_SEPARATOR);
            }
            key.push_str(value);
            if !visit(level, &key) {
                break;
            }
        }
    }
}

/// Separates the parts of a lane key in memory (model files use tabs).
pub(crate) const KEY_SEPARATOR: char = '\u{1f}';

/// Frauds and declarations seen on a lane.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Declarations found fraudulent.
    pub frauds: u32,
    /// Declarations.
    pub count: u32,
}

/// The shape features of the logistic layer, besides the lane levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `ln(1 + net mass in kg)`.
    LogNetMass,
    /// `ln(1 + value per kg)`.
    LogValuePerKg,
    /// 1 when the country of dispatch differs from the origin.
    DispatchDiffers,
    /// The share of the chain's levels seen in training (how known the lane is).
    LaneDepth,
}

impl Shape {
    /// Every shape feature, in model-file order.
    pub const ALL: [Shape; 4] =
        [Shape::LogNetMass, Shape::LogValuePerKg, Shape::DispatchDiffers, Shape::LaneDepth];

    fn name(self) -> &'static str {
        match self {
            Shape::LogNetMass => "log_net_mass",
            Shape::LogValuePerKg => "log_value_per_kg",
            Shape::DispatchDiffers => "dispatch_differs",
            Shape::LaneDepth => "lane_depth",
        }
    }

    fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.name() == name)
    }
}

/// A shape feature's weight and the standardisation it applies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapeWeight {
    /// Which feature.
    pub shape: Shape,
    /// Its weight on the standardised value.
    pub weight: f64,
    /// The training mean (a missing value counts as the mean: no contribution).
    pub mean: f64,
    /// The training standard deviation.
    pub scale: f64,
}

/// A trained model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// What it was trained on, for the record.
    pub trained_on: String,
    /// The currency of values in training.
    pub currency: String,
    /// The training fraud rate.
    pub prior: f64,
    /// The back-off pseudo-count `m`.
    pub smoothing: f64,
    /// The lane's fields, most general first.
    pub chain: Vec<Field>,
    /// Counts per lane key.
    pub lanes: Lanes,
    /// The logistic layer's bias.
    pub bias: f64,
    /// The weight of each lane level's log-odds shift.
    pub level_weights: Vec<f64>,
    /// The shape features.
    pub shapes: Vec<ShapeWeight>,
}

/// One named part of a score, in log-odds.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// What it is, in words.
    pub name: String,
    /// Its share of the log-odds.
    pub log_odds: f64,
}

/// A score and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The fraud likelihood, in `[0, 1]`.
    pub likelihood: f64,
    /// The bias (the log-odds of a typical declaration on an unknown lane).
    pub bias: f64,
    /// The named contributions; `bias + Σ log_odds` is the score's log-odds.
    pub contributions: Vec<Contribution>,
}

/// The log-odds of a probability.
#[must_use]
pub fn logit(probability: f64) -> f64 {
    let clamped = probability.clamp(1e-6, 1.0 - 1e-6);
    (clamped / (1.0 - clamped)).ln()
}

/// The probability of log-odds.
#[must_use]
pub fn sigmoid(log_odds: f64) -> f64 {
    1.0 / (1.0 + (-log_odds).exp())
}

/// What the scorer derives from an observation before weighing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// Each level's shift in log-odds (0 when the level is unknown).
    pub shifts: Vec<f64>,
    /// Each level's smoothed rate and counts, when the lane was seen at that level.
    pub rates: Vec<Option<(f64, Counts)>>,
    /// The raw shape values (`None` when missing), in [`Shape::ALL`] order.
    pub shapes: Vec<Option<f64>>,
}

/// The raw shape values of an observation, with `depth` the share of levels seen.
fn shape_values(observation: &Observation, depth: f64) -> Vec<Option<f64>> {
    let mass = observation.net_mass.filter(|mass| mass.is_finite() && *mass >= 0.0);
    let value = observation.value.filter(|value| value.is_finite() && *value >= 0.0);
    Shape::ALL
        .iter()
        .map(|shape| match shape {
            Shape::LogNetMass => mass.map(f64::ln_1p),
            Shape::LogValuePerKg => match (value, mass) {
                (Some(value), Some(mass)) if mass > 0.0 => Some((value / mass).ln_1p()),
                _ => None,
            },
            Shape::DispatchDiffers => match (&observation.dispatch, &observation.origin) {
                (Some(dispatch), Some(origin)) => Some(if dispatch == origin { 0.0 } else { 1.0 }),
                _ => None,
            },
            Shape::LaneDepth => Some(depth),
        })
        .collect()
}

/// Back-off over lane tables: each level's smoothed rate and log-odds shift.
pub(crate) fn back_off(
    lanes: &[FxHashMap<String, Counts>],
    chain: &[Field],
    prior: f64,
    smoothing: f64,
    observation: &Observation,
) -> Features {
    let lookup =
        |level: usize, key: &str| lanes.get(level).and_then(|table| table.get(key)).copied();
    back_off_with(lookup, chain, prior, smoothing, observation)
}

/// Back-off over lane counts given by `lookup(level, key)`.
pub(crate) fn back_off_with(
    lookup: impl Fn(usize, &str) -> Option<Counts>,
    chain: &[Field],
    prior: f64,
    smoothing: f64,
    observation: &Observation,
) -> Features {
    let mut rate = prior;
    let mut shifts = vec![0.0; chain.len()];
    let mut rates = vec![None; chain.len()];
    let mut seen = 0usize;
    observation.visit_lane_keys(chain, |level, key| {
        let Some(counts) = lookup(level, key).filter(|counts| counts.count > 0) else {
            return false;
        };
        let smoothed =
            (f64::from(counts.frauds) + smoothing * rate) / (f64::from(counts.count) + smoothing);
        if let Some(shift) = shifts.get_mut(level) {
            *shift = logit(smoothed) - logit(rate);
        }
        if let Some(slot) = rates.get_mut(level) {
            *slot = Some((smoothed, counts));
        }
        rate = smoothed;
        seen += 1;
        true
    });
    #[allow(clippy::cast_precision_loss)] // Chains have a handful of levels.
    let depth = if chain.is_empty() { 0.0 } else { seen as f64 / chain.len() as f64 };
    Features { shifts, rates, shapes: shape_values(observation, depth) }
}

impl Model {
    /// The features of an observation under this model's tables.
    #[must_use]
    pub fn features(&self, observation: &Observation) -> Features {
        let lookup = |level: usize, key: &str| self.lanes.counts(level, key);
        back_off_with(lookup, &self.chain, self.prior, self.smoothing, observation)
    }

    /// The fraud likelihood of an observation from the trade-lane rates alone (the deepest
    /// level seen), before the logistic layer.
    #[must_use]
    pub fn lane_rate(&self, observation: &Observation, levels: usize) -> f64 {
        let lookup = |level: usize, key: &str| self.lanes.counts(level, key);
        let chain = self.chain.get(..levels.min(self.chain.len())).unwrap_or_default();
        let features = back_off_with(lookup, chain, self.prior, self.smoothing, observation);
        features
            .rates
            .iter()
            .rev()
            .find_map(|rate| rate.map(|(rate, _)| rate))
            .unwrap_or(self.prior)
    }

    /// The log-odds of features under the logistic layer.
    #[must_use]
    pub fn log_odds(&self, features: &Features) -> f64 {
        let lanes: f64 = features
            .shifts
            .iter()
            .zip(&self.level_weights)
            .map(|(shift, weight)| shift * weight)
            .sum();
        let shapes: f64 =
            self.shapes.iter().map(|weight| weight.weight * standardised(weight, features)).sum();
        self.bias + lanes + shapes
    }

    /// The fraud likelihood of an observation's features: [`Model::score`]'s, without naming
    /// the contributions, which only the decisive item's reasons show.
    #[must_use]
    pub fn likelihood(&self, features: &Features) -> f64 {
        sigmoid(self.log_odds(features))
    }

    /// Scores an observation, naming every contribution.
    #[must_use]
    pub fn score(&self, observation: &Observation) -> Scored {
        self.explain(observation, &self.features(observation))
    }

    /// Scores an observation whose features are known, naming every contribution.
    #[must_use]
    pub fn explain(&self, observation: &Observation, features: &Features) -> Scored {
        let mut contributions = Vec::new();
        let keys: Vec<Option<&str>> =
            self.chain.iter().map(|field| observation.field(*field)).collect();
        for (level, (shift, weight)) in features.shifts.iter().zip(&self.level_weights).enumerate()
        {
            let Some(Some((rate, counts))) = features.rates.get(level) else { continue };
            if !matches!(keys.get(level), Some(Some(_))) {
                continue;
            }
            // A level names its whole lane, so each reason reads on its own.
            let lane = self
                .chain
                .iter()
                .zip(&keys)
                .take(level + 1)
                .filter_map(|(field, value)| value.map(|value| field.describe(value)))
                .collect::<Vec<_>>()
                .join(", ");
            contributions.push(Contribution {
                name: format!(
                    "trade lane {lane}: fraud rate {rate:.2} over {} declaration{}",
                    counts.count,
                    if counts.count == 1 { "" } else { "s" }
                ),
                log_odds: shift * weight,
            });
        }
        for weight in &self.shapes {
            let index = Shape::ALL.iter().position(|shape| *shape == weight.shape);
            let Some(Some(raw)) = index.and_then(|index| features.shapes.get(index)) else {
                continue;
            };
            let name = match weight.shape {
                Shape::LogNetMass => format!("net mass {} kg", with_places(raw.exp_m1(), 1)),
                Shape::LogValuePerKg => {
                    format!("value per kg {} {}", with_places(raw.exp_m1(), 2), self.currency)
                }
                Shape::DispatchDiffers if *raw > 0.5 => {
                    "dispatched from outside the origin".to_owned()
                }
                Shape::DispatchDiffers => "dispatched from the origin".to_owned(),
                Shape::LaneDepth => {
                    format!("{}% of the trade lane known", with_places(raw * 100.0, 0))
                }
            };
            contributions.push(Contribution {
                name,
                log_odds: weight.weight * standardised(weight, features),
            });
        }
        Scored { likelihood: self.likelihood(features), bias: self.bias, contributions }
    }

    /// The model as its file's text.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Preclear risk model: trade-lane fraud rates with back-off and a logistic layer.\n\
             # Written by `preclear risk train`. A score's log-odds are `bias` plus, for each lane\n\
             # level seen, its weight times the level's shift in log-odds, plus each shape\n\
             # weight times (value - mean) / scale. After `lanes`, the trade lanes as a tree (a level\n\
             # per indent): key part, frauds, declarations."
        );
        let _ = writeln!(out, "format\t{FORMAT}");
        let _ = writeln!(out, "trained_on\t{}", self.trained_on.replace(['\t', '\n'], " "));
        let _ = writeln!(out, "currency\t{}", self.currency);
        let _ = writeln!(out, "prior\t{}", fixed(self.prior));
        let _ = writeln!(out, "smoothing\t{}", fixed(self.smoothing));
        let chain: Vec<&str> = self.chain.iter().map(|field| field.name()).collect();
        let _ = writeln!(out, "chain\t{}", chain.join("\t"));
        let _ = writeln!(out, "bias\t{}", fixed(self.bias));
        for (field, weight) in self.chain.iter().zip(&self.level_weights) {
            let _ = writeln!(out, "level\t{}\t{}", field.name(), fixed(*weight));
        }
        for weight in &self.shapes {
            let _ = writeln!(
                out,
                "shape\t{}\t{}\t{}\t{}",
                weight.shape.name(),
                fixed(weight.weight),
                fixed(weight.mean),
                fixed(weight.scale)
            );
        }
        // The lanes as a tree: a level's key parts are indented under their parent, so each
        // part is written once. The separator sorts below every printable character, so
        // sorting the joined keys puts every lane right under its parent.
        let rows = self.lanes.rows();
        let _ = writeln!(out, "lanes\t{}", rows.len());
        for (key, counts) in rows {
            let depth = key.matches(KEY_SEPARATOR).count();
            let part = key.rsplit(KEY_SEPARATOR).next().unwrap_or_default();
            let part = part.replace(['\t', '\n', '\r'], " ");
            let indent = "\t".repeat(depth);
            let _ = writeln!(out, "{indent}{part}\t{}\t{}", counts.frauds, counts.count);
        }
        out
    }

    fn empty() -> Model {
        Model {
            trained_on: String::new(),
            currency: String::new(),
            prior: 0.0,
            smoothing: 0.0,
            chain: Vec::new(),
            lanes: Lanes::Maps(Vec::new()),
            bias: 0.0,
            level_weights: Vec::new(),
            shapes: Vec::new(),
        }
    }

    /// Reads a model file, checking every line.
    pub fn parse(text: &str) -> Result<Model, ModelError> {
        Model::read(text, true, |lines| Cow::Owned(lines.to_owned()))
    }

    /// Reads the bundled model without checking its lane lines one by one: the test suite
    /// checks them (`the_bundled_model_reads_as_checked`), and its 44,000 lines are read
    /// only where a check looks.
    pub(crate) fn parse_bundled(text: &'static str) -> Result<Model, ModelError> {
        Model::read(text, false, Cow::Borrowed)
    }

    /// Reads a model file; `keep` keeps its lane lines (borrowed when the file lives as long
    /// as the program).
    fn read<'t>(
        text: &'t str,
        check_lanes: bool,
        keep: impl FnOnce(&'t str) -> Cow<'static, str>,
    ) -> Result<Model, ModelError> {
        let mut model = Model { prior: f64::NAN, smoothing: 1.0, ..Model::empty() };
        let mut format_seen = false;
        // Where the lane lines start: (byte offset, line number).
        let mut lanes_at = None;
        let mut offset = 0;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            offset += line.len();
            let line = line.strip_suffix('\n').unwrap_or(line);
            let line = line.strip_suffix('\r').unwrap_or(line);
            let number = index + 1;
            let error = |message: String| ModelError { line: number, message };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split('\t').collect();
            let float = |part: Option<&&str>| -> Result<f64, ModelError> {
                part.and_then(|text| text.parse::<f64>().ok())
                    .filter(|value| value.is_finite())
                    .ok_or_else(|| error(format!("expected a number in `{line}`")))
            };
            match parts.first().copied().unwrap_or_default() {
                "format" => {
                    if parts.get(1).copied() != Some(FORMAT) {
                        return Err(error(format!("not a `{FORMAT}` file")));
                    }
                    format_seen = true;
                }
                "trained_on" => model.trained_on = parts.get(1..).unwrap_or_default().join(" "),
                "currency" => {
                    parts.get(1).copied().unwrap_or_default().clone_into(&mut model.currency);
                }
                "prior" => model.prior = float(parts.get(1))?,
                "smoothing" => model.smoothing = float(parts.get(1))?,
                "chain" => {
                    model.chain = parts
                        .get(1..)
                        .unwrap_or_default()
                        .iter()
                        .map(|name| {
                            Field::from_name(name)
                                .ok_or_else(|| error(format!("unknown lane field `{name}`")))
                        })
                        .collect::<Result<_, _>>()?;
                    model.level_weights = vec![1.0; model.chain.len()];
                }
                "bias" => model.bias = float(parts.get(1))?,
                "level" => {
                    let name = parts.get(1).copied().unwrap_or_default();
                    let level = model
                        .chain
                        .iter()
                        .position(|field| field.name() == name)
                        .ok_or_else(|| error(format!("level `{name}` is not in the chain")))?;
                    let weight = float(parts.get(2))?;
                    if let Some(slot) = model.level_weights.get_mut(level) {
                        *slot = weight;
                    }
                }
                "shape" => {
                    let name = parts.get(1).copied().unwrap_or_default();
                    let shape = Shape::from_name(name)
                        .ok_or_else(|| error(format!("unknown shape feature `{name}`")))?;
                    let scale = float(parts.get(4))?;
                    if scale <= 0.0 {
                        return Err(error(format!("the scale of `{name}` must be positive")));
                    }
                    model.shapes.push(ShapeWeight {
                        shape,
                        weight: float(parts.get(2))?,
                        mean: float(parts.get(3))?,
                        scale,
                    });
                }
                "lanes" => {
                    lanes_at = Some((offset, number + 1));
                    break;
                }
                other => return Err(error(format!("unknown line kind `{other}`"))),
            }
        }
        let (lines, first_line) = match lanes_at {
            Some((start, first_line)) => (text.get(start..).unwrap_or_default(), first_line),
            None => ("", 0),
        };
        let levels = model.chain.len();
        model.lanes = Lanes::File(read_lanes(lines, levels, first_line, check_lanes, keep)?);
        let whole = |message: &str| Err(ModelError { line: 0, message: message.to_owned() });
        if !format_seen {
            whole("the `format` line is missing")
        } else if !(0.0..=1.0).contains(&model.prior) {
            whole("the `prior` line is missing or not a probability")
        } else if model.chain.is_empty() {
            whole("the `chain` line is missing")
        } else {
            Ok(model)
        }
    }
}

/// Indexes the lane lines of a model file (after its `lanes` line, at `first_line`), checking
/// each line first when asked.
fn read_lanes<'t>(
    lines: &'t str,
    levels: usize,
    first_line: usize,
    check: bool,
    keep: impl FnOnce(&'t str) -> Cow<'static, str>,
) -> Result<LaneFile, ModelError> {
    if check {
        lanes::check_lines(lines, levels, first_line)
            .map_err(|(line, message)| ModelError { line, message })?;
    }
    // Unchecked lines are the compiled-in model's (`Model::parse_bundled`).
    let file = if check {
        LaneFile::index(keep(lines), levels)
    } else {
        LaneFile::bundled(keep(lines), levels)
    };
    if check && let Some((line, message)) = file.repeated_root(first_line) {
        return Err(ModelError { line, message });
    }
    Ok(file)
}

fn standardised(weight: &ShapeWeight, features: &Features) -> f64 {
    Shape::ALL
        .iter()
        .position(|shape| *shape == weight.shape)
        .and_then(|index| features.shapes.get(index).copied().flatten())
        .map_or(0.0, |raw| (raw - weight.mean) / weight.scale)
}

/// The format line of model files.
const FORMAT: &str = "preclear-risk-model 1";

/// Rounds to six decimals, as the model file prints numbers: a trainer rounds its model
/// before evaluating, so the figures it reports are those of the file.
#[must_use]
pub fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

fn fixed(value: f64) -> String {
    let text = format!("{:.6}", round6(value));
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// The 1-based line (0 for the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for ModelError {}
