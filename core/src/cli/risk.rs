//! `preclear risk`: train the learned scorer on labelled history and evaluate it, and the
//! `check` options that choose the risk criteria, model and seed.

use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::{EXIT_CLEAN, EXIT_FAILURE};
use crate::risk::train::{self, Metrics, TrainOptions};
use crate::risk::{self, Model, Profile};

#[derive(Debug, Args)]
pub(crate) struct RiskArgs {
    #[command(subcommand)]
    command: RiskCommand,
}

#[derive(Debug, Subcommand)]
enum RiskCommand {
    /// Train a model on labelled history (CSV) and write it as a text file.
    Train(TrainArgs),
    /// Print precision and recall at the top 5% and 10% of a labelled set, beside the
    /// HS6-only fraud rate and a random ranking.
    Evaluate(EvaluateArgs),
}

#[derive(Debug, Args)]
struct TrainArgs {
    /// The training history.
    #[arg(long)]
    data: String,
    /// A later validation history: picks the smoothing and stops the descent early.
    #[arg(long)]
    valid: Option<String>,
    /// Where to write the model.
    #[arg(long)]
    out: String,
    /// The currency of the history's values.
    #[arg(long, default_value = "KRW")]
    currency: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
struct EvaluateArgs {
    /// The model file.
    #[arg(long)]
    model: String,
    /// The labelled test history.
    #[arg(long)]
    data: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The seed of the random baseline.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

/// The risk options of `preclear check`.
#[derive(Debug, Args)]
pub(crate) struct CheckRiskArgs {
    /// Risk criteria file (default: the bundled UK criteria).
    #[arg(long = "risk-criteria")]
    criteria: Option<String>,
    /// Risk model file written by `preclear risk train` (default: the bundled UK model).
    #[arg(long = "risk-model")]
    model: Option<String>,
    /// The seed of the random selection (default: the criteria's).
    #[arg(long = "risk-seed")]
    seed: Option<u64>,
}

impl CheckRiskArgs {
    /// The profile the options ask for, or `None` when they ask for the bundled one.
    pub(crate) fn profile(&self) -> Result<Option<Profile>, String> {
        if self.criteria.is_none() && self.model.is_none() && self.seed.is_none() {
            return Ok(None);
        }
        let criteria = match &self.criteria {
            Some(path) => read(path)?,
            None => risk::bundled_criteria()
                .ok_or("no bundled risk criteria: pass --risk-criteria")?
                .to_owned(),
        };
        let model = match &self.model {
            Some(path) => Some(read(path)?),
            None => risk::bundled_model().map(str::to_owned),
        };
        let mut profile = Profile::parse(&criteria, model.as_deref())?;
        if let Some(seed) = self.seed {
            profile.criteria.seed = seed;
        }
        Ok(Some(profile))
    }
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))
}

fn history(path: &str) -> Result<Vec<risk::Observation>, String> {
    train::read_history(&read(path)?).map_err(|error| format!("{path}: {error}"))
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |name| name.to_string_lossy().into_owned())
}

pub(crate) fn run(args: &RiskArgs) -> ExitCode {
    let result = match &args.command {
        RiskCommand::Train(args) => run_train(args),
        RiskCommand::Evaluate(args) => run_evaluate(args),
    };
    match result {
        Ok(()) => ExitCode::from(EXIT_CLEAN),
        Err(message) => {
            eprintln!("preclear: {message}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn metrics_line(name: &str, metrics: &Metrics) -> String {
    format!(
        "{name:<22} {:>8.3} {:>8.3} {:>8.3} {:>8.3}",
        metrics.precision_at_5, metrics.precision_at_10, metrics.recall_at_5, metrics.recall_at_10
    )
}

const HEADER: &str = "                       prec@5% prec@10% recall@5% recall@10%";

fn run_train(args: &TrainArgs) -> Result<(), String> {
    let started = Instant::now();
    let train_set = history(&args.data)?;
    let valid_set = args.valid.as_deref().map(history).transpose()?;
    let frauds = train_set.iter().filter(|obs| obs.fraud == Some(true)).count();
    let options = TrainOptions {
        currency: args.currency.clone(),
        trained_on: train::trained_on(
            &file_name(&args.data),
            &train_set,
            args.valid.as_deref().map(file_name).as_deref(),
        ),
        ..TrainOptions::default()
    };
    let (model, summary) = train::train(&train_set, valid_set.as_deref(), &options);
    std::fs::write(&args.out, model.render())
        .map_err(|error| format!("cannot write {}: {error}", args.out))?;
    let elapsed = started.elapsed();
    println!("trained on {} declarations ({frauds} frauds)", train_set.len());
    if !summary.smoothing_trials.is_empty() {
        println!("back-off smoothing on the validation set:\n{HEADER}");
        for (smoothing, metrics) in &summary.smoothing_trials {
            println!("{}", metrics_line(&format!("  m = {smoothing}"), metrics));
        }
    }
    println!("smoothing m = {}; logistic layer kept at step {}", summary.smoothing, summary.steps);
    if let (Some(valid), Some(loss)) = (&summary.valid, summary.valid_log_loss) {
        println!("validation (log-loss {loss:.4}):\n{HEADER}\n{}", metrics_line("model", valid));
    }
    let lanes = model.lanes.len();
    println!("wrote {} ({lanes} trade lanes) in {:.2} s", args.out, elapsed.as_secs_f64());
    Ok(())
}

#[derive(Serialize)]
struct EvaluationJson<'a> {
    declarations: usize,
    frauds: usize,
    #[serde(flatten)]
    model: &'a Metrics,
    baselines: Baselines<'a>,
    seed: u64,
}

#[derive(Serialize)]
struct Baselines<'a> {
    hs6_rate: &'a Metrics,
    random: &'a Metrics,
}

fn run_evaluate(args: &EvaluateArgs) -> Result<(), String> {
    let started = Instant::now();
    let model =
        Model::parse(&read(&args.model)?).map_err(|error| format!("{}: {error}", args.model))?;
    let data = history(&args.data)?;
    let evaluation = train::evaluate(&model, &data, args.seed);
    let elapsed = started.elapsed();
    match args.format {
        Format::Json => {
            let json = EvaluationJson {
                declarations: evaluation.declarations,
                frauds: evaluation.frauds,
                model: &evaluation.model,
                baselines: Baselines { hs6_rate: &evaluation.hs6_rate, random: &evaluation.random },
                seed: evaluation.seed,
            };
            let line = serde_json::to_string(&json).map_err(|error| error.to_string())?;
            println!("{line}");
        }
        Format::Text => {
            println!(
                "{} declarations, {} frauds ({})\n{HEADER}\n{}\n{}\n{}",
                evaluation.declarations,
                evaluation.frauds,
                file_name(&args.data),
                metrics_line("model", &evaluation.model),
                metrics_line("baseline: HS6 rate", &evaluation.hs6_rate),
                metrics_line(
                    &format!("baseline: random ({})", evaluation.seed),
                    &evaluation.random
                ),
            );
        }
    }
    eprintln!("evaluated in {:.2} s", elapsed.as_secs_f64());
    Ok(())
}
