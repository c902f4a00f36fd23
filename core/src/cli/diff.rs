//! `preclear diff`: what a tariff update does to a corpus of declarations. Every declaration
//! is checked under the old pack and the new one, and the two reports are compared
//! ([`crate::impact`]).

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::check::collect_inputs;
use super::packref;
use super::tariff::today;
use super::{EXIT_CLEAN, EXIT_FAILURE};
use crate::check::{CheckOptions, Checker, Tariffs};
use crate::impact::{self, DeclarationImpact};
use crate::tariff::Tariff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For people: each affected declaration, then the summary.
    Text,
    /// One JSON object: `declarations` (every one compared) and `summary`.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The pack before the update: a pack folder, a `tariffs/` folder, or a git revision of
    /// `tariffs/` (`HEAD~1`, a tag, a commit).
    #[arg(long)]
    old: String,
    /// The pack after the update, named the same ways.
    #[arg(long)]
    new: String,
    /// The jurisdiction of the packs (`us`, `uk`, `eu`): which folder of a `tariffs/` folder
    /// or revision to read. Declarations of other jurisdictions use the bundled packs under
    /// both.
    #[arg(long, default_value = "us")]
    tariff: String,
    /// Declarations: files or directories (every *.xml, sorted); `-` reads standard input.
    #[arg(required = true)]
    corpus: Vec<String>,
    /// The date to apply the tariffs at when a declaration gives none (default: today).
    #[arg(long)]
    date: Option<crate::Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn load(spec: &str, jurisdiction: &str) -> Result<Tariffs, String> {
    let pack = packref::resolve(spec, jurisdiction)?;
    let tariff = Tariff::load(&pack.dir)
        .map_err(|error| format!("cannot load the pack `{}`: {error}", pack.name))?;
    if tariff.jurisdiction().as_str() != jurisdiction {
        return Err(format!(
            "`{}` is a {} pack, not {jurisdiction} (pass --tariff {})",
            pack.name,
            tariff.jurisdiction(),
            tariff.jurisdiction()
        ));
    }
    if let Some(finding) = tariff.findings().first() {
        eprintln!(
            "warning: the pack `{}` has {} problem(s); the first: {}",
            pack.name,
            tariff.findings().len(),
            finding.message
        );
    }
    let tariffs = Tariffs::bundled();
    tariffs.provide(tariff);
    Ok(tariffs)
}

pub(crate) fn run(args: &DiffArgs) -> ExitCode {
    if args.tariff.parse::<crate::tariff::Jurisdiction>().is_err() {
        eprintln!("preclear: `--tariff {}`: expected uk, us or eu", args.tariff);
        return ExitCode::from(EXIT_FAILURE);
    }
    let (old, new) = match (load(&args.old, &args.tariff), load(&args.new, &args.tariff)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("preclear: {error}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    let options = CheckOptions { date: args.date.or_else(today), ..CheckOptions::default() };
    let (old_checker, new_checker) = (Checker::new(&old, options), Checker::new(&new, options));
    let mut failed = false;
    let inputs = collect_inputs(&args.corpus, &mut failed);
    let mut impacts: Vec<DeclarationImpact> = Vec::new();
    for input in &inputs {
        let bytes = match input.read() {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("preclear: cannot read {}: {error}", input.name());
                failed = true;
                continue;
            }
        };
        let name = input.name();
        impacts.push(impact::compare(
            &old_checker.check(&name, &bytes),
            &new_checker.check(&name, &bytes),
        ));
    }
    let summary = impact::summarize(&impacts);
    let text = match args.format {
        Format::Text => impact::render_text(&impacts, &summary),
        Format::Json => {
            let value = serde_json::json!({ "declarations": impacts, "summary": summary });
            match serde_json::to_string_pretty(&value) {
                Ok(json) => json + "\n",
                Err(error) => {
                    eprintln!("preclear: {error}");
                    return ExitCode::from(EXIT_FAILURE);
                }
            }
        }
    };
    if let Err(error) = std::io::stdout().lock().write_all(text.as_bytes())
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("preclear: cannot write the output: {error}");
        return ExitCode::from(EXIT_FAILURE);
    }
    if failed { ExitCode::from(EXIT_FAILURE) } else { ExitCode::from(EXIT_CLEAN) }
}
