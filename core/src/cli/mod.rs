//! The `preclear` command line: `check` declarations, and more subcommands as stages land.

mod check;
mod diff;
pub mod packref;
mod reconcile;
mod risk;
pub mod tariff;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status: no input has an error finding.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status: some input has an error finding.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage or I/O failure.
pub const EXIT_FAILURE: u8 = 2;

/// Preclear checks customs declarations before they are lodged.
#[derive(Debug, Parser)]
#[command(name = "preclear", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check declarations (WCO DMS XML): files, directories (every *.xml, sorted) or `-` for stdin.
    Check(check::CheckArgs),
    /// Compare the duties computed for a declaration with the authority's tax calculation
    /// (a CDS DMSTAX notification); exit 1 on any difference.
    Reconcile(reconcile::ReconcileArgs),
    /// Look codes up in a tariff pack, or import a pack from its sources.
    Tariff(tariff::TariffArgs),
    /// Compare each declaration's report under two tariff packs (an update's impact).
    Diff(diff::DiffArgs),
    /// Train and evaluate the learned risk scorer.
    Risk(risk::RiskArgs),
}

/// Runs the command line with the process arguments.
#[must_use]
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(EXIT_FAILURE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Tariff(args) => tariff::run(args),
        Command::Reconcile(args) => reconcile::run(&args),
        Command::Risk(args) => risk::run(&args),
        Command::Diff(args) => diff::run(&args),
    }
}
