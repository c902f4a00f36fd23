//! Training and evaluating the learned scorer on labelled history.
//!
//! History is a CSV of past declarations with their inspection outcome, in the shape of the
//! Korea Customs Service's public synthetic declarations (`Declaration ID`, `HS6 Code`,
//! `Country of Origin`, `Country of Departure`, `Tax Type`, `Tax Rate`, `Mode of Transport`,
//! `Net Mass`, `Item Price`, `Fraud`). Training counts frauds per trade lane on the training
//! set only; the validation set, when given, picks the back-off smoothing and stops the
//! logistic layer's descent early. Nothing here reads files or clocks: the CLI does.

use rust_decimal::Decimal;
use serde::Serialize;

use super::draw;
use super::lanes::Lanes;
use super::model::{
    Counts, DEFAULT_CHAIN, Features, Field, Model, Observation, Shape, ShapeWeight, back_off,
    back_off_with, logit, round6, sigmoid,
};

/// Why history could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for DataError {}

/// Normalises a duty rate (`8.0` → `8`, `6.50` → `6.5`).
#[must_use]
pub fn normalise_rate(rate: Decimal) -> String {
    rate.normalize().to_string()
}

/// The WCO one-digit transport mode of a benchmark code: the benchmark writes the WCO mode
/// times ten (`10` sea, `40` air, `50` post).
fn wco_mode(code: &str) -> String {
    match code.as_bytes() {
        [digit, b'0'] if digit.is_ascii_digit() => char::from(*digit).to_string(),
        _ => code.to_owned(),
    }
}

/// Reads labelled history (or unlabelled, when the `Fraud` column is absent).
pub fn read_history(text: &str) -> Result<Vec<Observation>, DataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(DataError { line: 1, message: "the file is empty".to_owned() });
    };
    let header: Vec<&str> = header.split(',').map(str::trim).collect();
    let column = |name: &str| header.iter().position(|column| *column == name);
    let required = |name: &str| {
        column(name).ok_or_else(|| DataError { line: 1, message: format!("no `{name}` column") })
    };
    let id = required("Declaration ID")?;
    let hs6 = required("HS6 Code")?;
    let origin = column("Country of Origin");
    let dispatch = column("Country of Departure");
    let tax_type = column("Tax Type");
    let tax_rate = column("Tax Rate");
    let mode = column("Mode of Transport");
    let net_mass = column("Net Mass");
    let price = column("Item Price");
    let fraud = column("Fraud");
    let mut observations = Vec::new();
    for (index, line) in lines {
        let number = index + 1;
        let error = |message: String| DataError { line: number, message };
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != header.len() {
            return Err(error(format!(
                "{} fields where the header has {}",
                fields.len(),
                header.len()
            )));
        }
        let get = |column: Option<usize>| {
            column.and_then(|column| fields.get(column)).copied().filter(|text| !text.is_empty())
        };
        let number_of = |column: Option<usize>| -> Result<Option<f64>, DataError> {
            get(column)
                .map(|text| {
                    text.parse::<f64>().map_err(|_| error(format!("`{text}` is not a number")))
                })
                .transpose()
        };
        let duty_rate = get(tax_rate)
            .map(|text| {
                text.parse::<Decimal>()
                    .map(normalise_rate)
                    .map_err(|_| error(format!("`{text}` is not a rate")))
            })
            .transpose()?;
        let label = match get(fraud) {
            None => None,
            Some("0") => Some(false),
            Some("1") => Some(true),
            Some(other) => return Err(error(format!("`{other}` is not a 0/1 label"))),
        };
        observations.push(Observation {
            id: get(Some(id)).unwrap_or_default().to_owned(),
            hs6: get(Some(hs6)).map(str::to_owned),
            origin: get(origin).map(str::to_owned),
            tax_type: get(tax_type).map(str::to_owned),
            dispatch: get(dispatch).map(str::to_owned),
            duty_rate,
            mode: get(mode).map(wco_mode),
            net_mass: number_of(net_mass)?,
            value: number_of(price)?,
            fraud: label,
        });
    }
    Ok(observations)
}

/// How a model records its training data: the file names and counts.
#[must_use]
pub fn trained_on(train_name: &str, train: &[Observation], valid_name: Option<&str>) -> String {
    let frauds = train.iter().filter(|obs| obs.fraud == Some(true)).count();
    let valid = valid_name.map(|valid| format!("; validation {valid}")).unwrap_or_default();
    format!("{train_name} ({} declarations, {frauds} frauds){valid}", train.len())
}

/// Options for training.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// The lane's fields, most general first.
    pub chain: Vec<Field>,
    /// The smoothing values to choose from on the validation set (the first without one).
    pub smoothings: Vec<f64>,
    /// Folds for the out-of-fold lane rates the logistic layer learns from.
    pub folds: u64,
    /// The most descent steps.
    pub max_steps: usize,
    /// Steps without improvement on the validation set before stopping.
    pub patience: usize,
    /// The descent's step size.
    pub learning_rate: f64,
    /// L2 penalty on the weights.
    pub l2: f64,
    /// The currency of values in the data.
    pub currency: String,
    /// What the model is trained on, for the record.
    pub trained_on: String,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            chain: DEFAULT_CHAIN.to_vec(),
            smoothings: vec![1.0, 0.5, 2.0, 4.0],
            folds: 5,
            max_steps: 400,
            patience: 40,
            learning_rate: 0.05,
            l2: 1e-4,
            currency: "KRW".to_owned(),
            trained_on: String::new(),
        }
    }
}

/// What training did, for the record.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSummary {
    /// The smoothing chosen.
    pub smoothing: f64,
    /// Validation precision at 5% and 10% of the plain back-off, per smoothing tried.
    pub smoothing_trials: Vec<(f64, Metrics)>,
    /// Descent steps kept (the best on validation).
    pub steps: usize,
    /// Validation log-loss of the kept layer.
    pub valid_log_loss: Option<f64>,
    /// Validation metrics of the model.
    pub valid: Option<Metrics>,
}

/// Ranking quality at the top of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Share of frauds among the top 5%.
    pub precision_at_5: f64,
    /// Share of frauds among the top 10%.
    pub precision_at_10: f64,
    /// Share of all frauds found in the top 5%.
    pub recall_at_5: f64,
    /// Share of all frauds found in the top 10%.
    pub recall_at_10: f64,
}

/// Precision and recall at the top 5% and 10% of `scores` (ties keep input order).
#[must_use]
pub fn metrics(observations: &[Observation], scores: &[f64]) -> Metrics {
    let mut order: Vec<usize> = (0..observations.len().min(scores.len())).collect();
    order.sort_by(|a, b| {
        let (a_score, b_score) = (scores.get(*a), scores.get(*b));
        b_score.partial_cmp(&a_score).unwrap_or(std::cmp::Ordering::Equal)
    });
    let is_fraud =
        |index: &usize| observations.get(*index).and_then(|obs| obs.fraud).unwrap_or(false);
    let frauds = order.iter().filter(|index| is_fraud(index)).count();
    let at = |percent: usize| -> (f64, f64) {
        let top = (order.len() * percent / 100).max(1).min(order.len());
        let hits = order.iter().take(top).filter(|index| is_fraud(index)).count();
        #[allow(clippy::cast_precision_loss)] // Counts of declarations.
        let precision = if top == 0 { 0.0 } else { hits as f64 / top as f64 };
        #[allow(clippy::cast_precision_loss)]
        let recall = if frauds == 0 { 0.0 } else { hits as f64 / frauds as f64 };
        (precision, recall)
    };
    let (precision_at_5, recall_at_5) = at(5);
    let (precision_at_10, recall_at_10) = at(10);
    Metrics { precision_at_5, precision_at_10, recall_at_5, recall_at_10 }
}

/// The model's scores, and the two baselines': the HS6-only fraud rate and a seeded draw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Declarations scored.
    pub declarations: usize,
    /// Frauds among them.
    pub frauds: usize,
    /// The model.
    pub model: Metrics,
    /// The HS6-only fraud rate, from the model's training counts.
    pub hs6_rate: Metrics,
    /// A random ranking drawn with `seed`.
    pub random: Metrics,
    /// The seed of the random baseline.
    pub seed: u64,
}

/// Evaluates a model on labelled declarations, beside the two baselines.
#[must_use]
pub fn evaluate(model: &Model, observations: &[Observation], seed: u64) -> Evaluation {
    let scores: Vec<f64> =
        observations.iter().map(|obs| model.log_odds(&model.features(obs))).collect();
    let hs6: Vec<f64> = observations.iter().map(|obs| model.lane_rate(obs, 1)).collect();
    let random: Vec<f64> = observations.iter().map(|obs| draw::draw_f64(seed, &obs.id)).collect();
    Evaluation {
        declarations: observations.len(),
        frauds: observations.iter().filter(|obs| obs.fraud == Some(true)).count(),
        model: metrics(observations, &scores),
        hs6_rate: metrics(observations, &hs6),
        random: metrics(observations, &random),
        seed,
    }
}

type Tables = Vec<crate::fxhash::FxHashMap<String, Counts>>;

fn count_lanes(observations: &[&Observation], chain: &[Field]) -> Tables {
    let mut tables: Tables = vec![crate::fxhash::FxHashMap::default(); chain.len()];
    for observation in observations {
        let fraud = observation.fraud == Some(true);
        for (level, key) in observation.lane_keys(chain).into_iter().enumerate() {
            if let Some(table) = tables.get_mut(level) {
                let counts = table.entry(key).or_default();
                counts.count += 1;
                counts.frauds += u32::from(fraud);
            }
        }
    }
    tables
}

fn fraud_rate(observations: &[&Observation]) -> f64 {
    let frauds = observations.iter().filter(|obs| obs.fraud == Some(true)).count();
    #[allow(clippy::cast_precision_loss)] // Counts of declarations.
    let rate = frauds as f64 / observations.len().max(1) as f64;
    rate
}

/// The logistic layer's inputs: lane shifts, then standardised shapes.
struct Design {
    rows: Vec<Vec<f64>>,
    labels: Vec<f64>,
}

fn design(features: &[Features], labels: &[f64], shapes: &[ShapeWeight]) -> Design {
    let rows = features
        .iter()
        .map(|features| {
            let mut row = features.shifts.clone();
            for weight in shapes {
                let index = Shape::ALL.iter().position(|shape| *shape == weight.shape);
                let raw = index.and_then(|index| features.shapes.get(index).copied().flatten());
                row.push(raw.map_or(0.0, |raw| (raw - weight.mean) / weight.scale));
            }
            row
        })
        .collect();
    Design { rows, labels: labels.to_vec() }
}

fn log_loss(design: &Design, bias: f64, weights: &[f64]) -> f64 {
    let total: f64 = design
        .rows
        .iter()
        .zip(&design.labels)
        .map(|(row, label)| {
            let z = bias + row.iter().zip(weights).map(|(x, w)| x * w).sum::<f64>();
            let p = sigmoid(z).clamp(1e-9, 1.0 - 1e-9);
            -(label * p.ln() + (1.0 - label) * (1.0 - p).ln())
        })
        .sum();
    #[allow(clippy::cast_precision_loss)]
    let mean = total / design.rows.len().max(1) as f64;
    mean
}

/// The smoothing whose plain back-off ranks the validation set best (mean precision at 5%
/// and 10%), with the figures of each candidate; the first candidate without validation.
fn choose_smoothing(
    tables: &Tables,
    prior: f64,
    valid: Option<&[&Observation]>,
    options: &TrainOptions,
) -> (f64, Vec<(f64, Metrics)>) {
    let chain = &options.chain;
    let mut smoothing = options.smoothings.first().copied().unwrap_or(1.0);
    let mut trials = Vec::new();
    let Some(valid) = valid else { return (smoothing, trials) };
    let owned: Vec<Observation> = valid.iter().map(|obs| (*obs).clone()).collect();
    let mut best = f64::NEG_INFINITY;
    for candidate in &options.smoothings {
        let scores: Vec<f64> = valid
            .iter()
            .map(|obs| {
                let features = back_off(tables, chain, prior, *candidate, obs);
                logit(prior) + features.shifts.iter().sum::<f64>()
            })
            .collect();
        let found = metrics(&owned, &scores);
        let quality = found.precision_at_5 + found.precision_at_10;
        trials.push((*candidate, found));
        if quality > best {
            best = quality;
            smoothing = *candidate;
        }
    }
    (smoothing, trials)
}

/// Out-of-fold lane features for training rows: each fold's rates come from the other
/// folds, so the layer learns how far a rate seen elsewhere carries rather than trusting
/// its own label.
fn out_of_fold_features(
    labelled: &[&Observation],
    tables: &Tables,
    prior: f64,
    smoothing: f64,
    options: &TrainOptions,
) -> Vec<Features> {
    let chain = &options.chain;
    let folds = options.folds.max(2);
    let fold_of = |obs: &Observation| draw::hash(0, &obs.id) % folds;
    let fold_tables: Vec<Tables> = (0..folds)
        .map(|fold| {
            let inside: Vec<&Observation> =
                labelled.iter().copied().filter(|obs| fold_of(obs) == fold).collect();
            count_lanes(&inside, chain)
        })
        .collect();
    labelled
        .iter()
        .map(|obs| {
            let own = usize::try_from(fold_of(obs)).ok().and_then(|fold| fold_tables.get(fold));
            let lookup = |level: usize, key: &str| {
                let all = tables.get(level).and_then(|table| table.get(key)).copied()?;
                let inside = own
                    .and_then(|own| own.get(level))
                    .and_then(|table| table.get(key))
                    .copied()
                    .unwrap_or_default();
                Some(Counts {
                    frauds: all.frauds.saturating_sub(inside.frauds),
                    count: all.count.saturating_sub(inside.count),
                })
            };
            back_off_with(lookup, chain, prior, smoothing, obs)
        })
        .collect()
}

/// Each shape feature's training mean and standard deviation, with a zero weight.
fn standardise(features: &[Features]) -> Vec<ShapeWeight> {
    Shape::ALL
        .iter()
        .enumerate()
        .map(|(index, shape)| {
            let values: Vec<f64> = features
                .iter()
                .filter_map(|features| features.shapes.get(index).copied().flatten())
                .collect();
            #[allow(clippy::cast_precision_loss)]
            let count = values.len().max(1) as f64;
            let mean = values.iter().sum::<f64>() / count;
            let variance = values.iter().map(|value| (value - mean).powi(2)).sum::<f64>() / count;
            let scale = variance.sqrt();
            ShapeWeight {
                shape: *shape,
                weight: 0.0,
                mean: round6(mean),
                scale: round6(if scale > 1e-9 { scale } else { 1.0 }),
            }
        })
        .collect()
}

/// The layer found by descent: bias, weights, the step kept, and its validation log-loss.
struct Descent {
    bias: f64,
    weights: Vec<f64>,
    step: usize,
    valid_log_loss: Option<f64>,
}

/// Descends from the plain back-off (every level weighs 1, shapes 0) with Adam on the mean
/// log-loss; the validation set keeps the best step and stops the descent.
fn descend(
    train: &Design,
    valid: Option<&Design>,
    levels: usize,
    prior: f64,
    options: &TrainOptions,
) -> Descent {
    let width = train.rows.first().map_or(levels, Vec::len);
    let mut weights: Vec<f64> =
        (0..width).map(|index| if index < levels { 1.0 } else { 0.0 }).collect();
    let mut bias = logit(prior);
    let mut best = (bias, weights.clone(), 0usize);
    let mut best_loss = valid.map_or(f64::INFINITY, |valid| log_loss(valid, bias, &weights));
    let (beta1, beta2, epsilon) = (0.9, 0.999, 1e-8);
    let mut moments = vec![(0.0, 0.0); width + 1];
    #[allow(clippy::cast_precision_loss)]
    let rows = train.rows.len().max(1) as f64;
    let mut since_best = 0usize;
    for step in 1..=options.max_steps {
        let mut gradient = vec![0.0; width + 1];
        for (row, label) in train.rows.iter().zip(&train.labels) {
            let z = bias + row.iter().zip(&weights).map(|(x, w)| x * w).sum::<f64>();
            let error = sigmoid(z) - label;
            if let Some(slot) = gradient.first_mut() {
                *slot += error / rows;
            }
            for (slot, x) in gradient.iter_mut().skip(1).zip(row) {
                *slot += error * x / rows;
            }
        }
        for (slot, weight) in gradient.iter_mut().skip(1).zip(&weights) {
            *slot += options.l2 * weight;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        let power = step.min(10_000) as i32;
        let correction1 = 1.0 - f64::powi(beta1, power);
        let correction2 = 1.0 - f64::powi(beta2, power);
        for (index, (g, moment)) in gradient.iter().zip(moments.iter_mut()).enumerate() {
            moment.0 = beta1 * moment.0 + (1.0 - beta1) * g;
            moment.1 = beta2 * moment.1 + (1.0 - beta2) * g * g;
            let update = options.learning_rate * (moment.0 / correction1)
                / ((moment.1 / correction2).sqrt() + epsilon);
            if index == 0 {
                bias -= update;
            } else if let Some(weight) = weights.get_mut(index - 1) {
                *weight -= update;
            }
        }
        let Some(valid) = valid else {
            best = (bias, weights.clone(), step);
            continue;
        };
        let loss = log_loss(valid, bias, &weights);
        if loss < best_loss {
            best_loss = loss;
            best = (bias, weights.clone(), step);
            since_best = 0;
        } else {
            since_best += 1;
            if since_best >= options.patience {
                break;
            }
        }
    }
    let (bias, weights, step) = best;
    Descent { bias, weights, step, valid_log_loss: valid.map(|_| best_loss) }
}

fn labels_of(observations: &[&Observation]) -> Vec<f64> {
    observations.iter().map(|obs| if obs.fraud == Some(true) { 1.0 } else { 0.0 }).collect()
}

/// Trains a model on `train`, using `valid` (when given) to pick the smoothing and to stop
/// the descent.
#[must_use]
pub fn train(
    train: &[Observation],
    valid: Option<&[Observation]>,
    options: &TrainOptions,
) -> (Model, TrainSummary) {
    let chain = &options.chain;
    let labelled: Vec<&Observation> = train.iter().filter(|obs| obs.fraud.is_some()).collect();
    let prior = round6(fraud_rate(&labelled));
    let tables = count_lanes(&labelled, chain);
    let valid: Option<Vec<&Observation>> =
        valid.map(|valid| valid.iter().filter(|obs| obs.fraud.is_some()).collect());
    let (smoothing, smoothing_trials) = choose_smoothing(&tables, prior, valid.as_deref(), options);
    let train_features = out_of_fold_features(&labelled, &tables, prior, smoothing, options);
    let shapes = standardise(&train_features);
    let train_design = design(&train_features, &labels_of(&labelled), &shapes);
    let valid_design = valid.as_ref().map(|valid| {
        let features: Vec<Features> =
            valid.iter().map(|obs| back_off(&tables, chain, prior, smoothing, obs)).collect();
        design(&features, &labels_of(valid), &shapes)
    });
    let descent = descend(&train_design, valid_design.as_ref(), chain.len(), prior, options);
    let model = Model {
        trained_on: options.trained_on.clone(),
        currency: options.currency.clone(),
        prior,
        smoothing,
        chain: chain.clone(),
        lanes: Lanes::Maps(tables),
        bias: round6(descent.bias),
        level_weights: descent.weights.iter().take(chain.len()).copied().map(round6).collect(),
        shapes: shapes
            .iter()
            .zip(descent.weights.iter().skip(chain.len()))
            .map(|(shape, weight)| ShapeWeight { weight: round6(*weight), ..*shape })
            .collect(),
    };
    let valid_metrics = valid.as_ref().map(|valid| {
        let owned: Vec<Observation> = valid.iter().map(|obs| (*obs).clone()).collect();
        let scores: Vec<f64> =
            owned.iter().map(|obs| model.log_odds(&model.features(obs))).collect();
        metrics(&owned, &scores)
    });
    let summary = TrainSummary {
        smoothing,
        smoothing_trials,
        steps: descent.step,
        valid_log_loss: descent.valid_log_loss,
        valid: valid_metrics,
    };
    (model, summary)
}
