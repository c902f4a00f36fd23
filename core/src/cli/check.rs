//! `preclear check`: read, check and report each input, as text or NDJSON.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::tariff::{load_tariff, today};
use super::{EXIT_CLEAN, EXIT_FAILURE, EXIT_FINDINGS};
use crate::check::{CheckOptions, Checker, Tariffs};
use crate::report::{TextOptions, render_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Human-readable, with source snippets.
    Text,
    /// One JSON report per input, one per line (NDJSON).
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Files or directories to check; `-` reads standard input.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The tariff: `uk`, `us`, `eu` (bundled) or a pack folder. Default: each declaration's
    /// `ResponsibleCountryCode` (GB → uk, US → us, an EU member state → eu), else uk. The
    /// lane comes from the risk profile of the tariff's jurisdiction (the UK has one).
    #[arg(long)]
    tariff: Option<String>,
    /// The date to apply the tariff at when a declaration gives none (YYYY-MM-DD; default: today).
    #[arg(long)]
    date: Option<crate::Date>,
    #[command(flatten)]
    risk: super::risk::CheckRiskArgs,
}

/// An input to check: a path or standard input.
#[derive(Debug)]
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }

    fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Input::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes)?;
                Ok(bytes)
            }
            Input::File(path) => std::fs::read(path),
        }
    }
}

/// Expands the arguments: directories become their `*.xml` files, sorted by path.
fn collect_inputs(arguments: &[String], failed: &mut bool) -> Vec<Input> {
    let mut inputs = Vec::new();
    for argument in arguments {
        if argument == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(argument);
        if path.is_dir() {
            let mut files = Vec::new();
            if let Err(error) = collect_xml_files(path, &mut files) {
                eprintln!("preclear: cannot read directory {}: {error}", path.display());
                *failed = true;
            }
            files.sort();
            inputs.extend(files.into_iter().map(Input::File));
        } else {
            inputs.push(Input::File(path.to_path_buf()));
        }
    }
    inputs
}

fn collect_xml_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_xml_files(&path, files)?;
        } else if path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("xml")) {
            files.push(path);
        }
    }
    Ok(())
}

pub(crate) fn run(args: &CheckArgs) -> ExitCode {
    let mut failed = false;
    let mut any_errors = false;
    let tariffs = match &args.tariff {
        None => Tariffs::bundled(),
        Some(name) => match load_tariff(name) {
            Ok(tariff) => Tariffs::fixed(tariff, None),
            Err(error) => {
                eprintln!("preclear: cannot load the tariff `{name}`: {error}");
                return ExitCode::from(EXIT_FAILURE);
            }
        },
    };
    let tariffs = match args.risk.profile() {
        Ok(Some(profile)) => tariffs.with_risk(profile),
        Ok(None) => tariffs,
        Err(error) => {
            eprintln!("preclear: {error}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    let options = CheckOptions { date: args.date.or_else(today), ..CheckOptions::default() };
    let checker = Checker::new(&tariffs, options);
    let inputs = collect_inputs(&args.inputs, &mut failed);
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (index, input) in inputs.iter().enumerate() {
        let bytes = match input.read() {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("preclear: cannot read {}: {error}", input.name());
                failed = true;
                continue;
            }
        };
        let report = checker.check(&input.name(), &bytes);
        any_errors |= report.has_errors();
        let written = match args.format {
            Format::Json => match report.to_json_line() {
                Ok(line) => writeln!(out, "{line}"),
                Err(error) => {
                    eprintln!("preclear: cannot serialise the report of {}: {error}", input.name());
                    failed = true;
                    continue;
                }
            },
            Format::Text => {
                let separator = if index > 0 { "\n" } else { "" };
                write!(
                    out,
                    "{separator}{}",
                    render_text(&report, Some(&bytes), TextOptions { color })
                )
            }
        };
        if let Err(error) = written {
            // A closed pipe (e.g. `| head`) ends the run quietly.
            if error.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("preclear: cannot write the report: {error}");
            }
            return ExitCode::from(EXIT_FAILURE);
        }
    }
    if failed {
        ExitCode::from(EXIT_FAILURE)
    } else if any_errors {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_CLEAN)
    }
}
