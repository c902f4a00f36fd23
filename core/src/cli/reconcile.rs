//! `preclear reconcile DECLARATION NOTIFICATION`: our tax lines against the authority's tax
//! calculation (a CDS `DMSTAX` notification), line by line. Exit 1 on any difference.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::check::Format;
use super::tariff::{load_tariff, today};
use super::{EXIT_CLEAN, EXIT_FAILURE, EXIT_FINDINGS};
use crate::assess::reconcile::{Outcome, Reconciliation, reconcile, tax_point};
use crate::check::{CheckOptions, Checker, Tariffs};
use crate::decl::{self, Document};
use crate::report::TaxLine;

#[derive(Debug, Args)]
pub(crate) struct ReconcileArgs {
    /// The declaration (WCO DMS XML).
    declaration: String,
    /// The authority's tax calculation notification (DMSTAX).
    notification: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The tariff: `uk`, `us`, `eu` (bundled) or a pack folder. Default: the declaration's.
    #[arg(long)]
    tariff: Option<String>,
}

/// The JSON output.
#[derive(Serialize)]
struct Output<'a> {
    declaration: &'a str,
    notification: &'a str,
    tax_point: Option<String>,
    matched: usize,
    total: usize,
    #[serde(flatten)]
    reconciliation: &'a Reconciliation,
}

fn read(path: &str) -> Result<Vec<u8>, ExitCode> {
    std::fs::read(path).map_err(|error| {
        eprintln!("preclear: cannot read {path}: {error}");
        ExitCode::from(EXIT_FAILURE)
    })
}

pub(crate) fn run(args: &ReconcileArgs) -> ExitCode {
    match reconcile_files(args) {
        Ok(code) | Err(code) => code,
    }
}

fn reconcile_files(args: &ReconcileArgs) -> Result<ExitCode, ExitCode> {
    let notification_bytes = read(&args.notification)?;
    let parsed = decl::read(&notification_bytes);
    let Some(Document::Notification(notification)) = parsed.document else {
        let why = parsed
            .findings
            .first()
            .map_or_else(String::new, |finding| format!(": {}", finding.message));
        eprintln!("preclear: {} is not a notification{why}", args.notification);
        return Err(ExitCode::from(EXIT_FAILURE));
    };
    let tariffs = match &args.tariff {
        None => Tariffs::bundled(),
        Some(name) => Tariffs::fixed(
            load_tariff(name).map_err(|error| {
                eprintln!("preclear: cannot load the tariff `{name}`: {error}");
                ExitCode::from(EXIT_FAILURE)
            })?,
            None,
        ),
    };
    let point = tax_point(&notification);
    let options = CheckOptions { date: today(), tax_point: point, ..CheckOptions::default() };
    let declaration_bytes = read(&args.declaration)?;
    let report = Checker::new(&tariffs, options).check(&args.declaration, &declaration_bytes);
    if report.declaration.is_none() {
        eprintln!(
            "preclear: {} is not a declaration ({})",
            args.declaration, report.document.description
        );
        return Err(ExitCode::from(EXIT_FAILURE));
    }
    let reconciliation = reconcile(&report, &notification);
    let text = match args.format {
        Format::Json => {
            let output = Output {
                declaration: &args.declaration,
                notification: &args.notification,
                tax_point: point.map(|date| date.to_string()),
                matched: reconciliation.matched(),
                total: reconciliation.lines.len(),
                reconciliation: &reconciliation,
            };
            let mut line = serde_json::to_string(&output).map_err(|error| {
                eprintln!("preclear: cannot serialise the reconciliation: {error}");
                ExitCode::from(EXIT_FAILURE)
            })?;
            line.push('\n');
            line
        }
        Format::Text => render(args, point, &reconciliation),
    };
    if let Err(error) = std::io::stdout().lock().write_all(text.as_bytes())
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("preclear: cannot write: {error}");
        return Err(ExitCode::from(EXIT_FAILURE));
    }
    Ok(ExitCode::from(if reconciliation.agrees() { EXIT_CLEAN } else { EXIT_FINDINGS }))
}

fn computed_summary(line: &TaxLine) -> String {
    let currency = line.amount.currency.as_deref().unwrap_or_default();
    format!("{} = {} {currency} ({})", line.rate, line.amount.amount, line.formula)
}

fn render(
    args: &ReconcileArgs,
    point: Option<crate::Date>,
    reconciliation: &Reconciliation,
) -> String {
    let mut out = String::new();
    let point = point.map_or_else(|| "not stated".to_owned(), |date| date.to_string());
    let _ = writeln!(
        out,
        "{} against {}: {} of {} lines match (tax point {point})",
        args.declaration,
        args.notification,
        reconciliation.matched(),
        reconciliation.lines.len()
    );
    for line in &reconciliation.lines {
        let authority = &line.authority;
        let mut charged = Vec::new();
        if let Some(base) = authority.base {
            charged.push(format!("base {base}"));
        }
        if let Some((quantity, unit)) = &authority.quantity {
            charged.push(format!("quantity {quantity} {}", unit.as_deref().unwrap_or_default()));
        }
        if let Some(rate) = authority.rate {
            charged.push(format!("rate {rate}"));
        }
        if let Some(amount) = authority.amount {
            charged.push(format!("amount {amount}"));
        }
        let status = match &line.outcome {
            Outcome::Matched => "match",
            Outcome::Differs { .. } => "DIFFERS",
            Outcome::NotComputed { .. } => "NOT COMPUTED",
        };
        let _ = writeln!(
            out,
            "  item {:>3}  {:<4} {status:<12} charged: {}",
            line.item,
            authority.tax_type,
            charged.join(", ")
        );
        if let Some(computed) = &line.computed {
            let _ =
                writeln!(out, "                        computed: {}", computed_summary(computed));
        }
        match &line.outcome {
            Outcome::Matched => {}
            Outcome::Differs { differences } => {
                for difference in differences {
                    let _ = writeln!(out, "                        - {difference}");
                }
            }
            Outcome::NotComputed { reasons } => {
                for reason in reasons {
                    let _ = writeln!(out, "                        - {reason}");
                }
            }
        }
    }
    for extra in &reconciliation.extra {
        let _ = writeln!(
            out,
            "  item {:>3}  {:<4} {:<12} computed: {}",
            extra.item,
            extra.computed.tax_type,
            "NOT CHARGED",
            computed_summary(&extra.computed)
        );
    }
    out
}
