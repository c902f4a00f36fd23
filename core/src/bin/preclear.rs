//! The `preclear` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use preclear::cli::tariff::TariffArgs;

/// Preclear checks customs declarations before they are lodged.
#[derive(Debug, Parser)]
#[command(name = "preclear", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Look codes up in a tariff pack, or import a pack from its sources.
    Tariff(TariffArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Tariff(args) => preclear::cli::tariff::run(args),
    }
}
