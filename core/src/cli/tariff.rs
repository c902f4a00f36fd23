//! `preclear tariff show` and `preclear tariff import`: look a code up in a tariff pack, and
//! regenerate packs from the upstream sources.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use crate::Date;
use crate::tariff::diff::{PackDiff, diff_packs};
use crate::tariff::import::{self, ImportKind};
use crate::tariff::{Commodity, Jurisdiction, LookupError, Tariff, TariffError};

/// Arguments of `preclear tariff`.
#[derive(Debug, Args)]
pub struct TariffArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: TariffCommand,
}

/// The `tariff` subcommands.
#[derive(Debug, Subcommand)]
pub enum TariffCommand {
    /// Print a commodity line, its description path and every measure that applies.
    Show(ShowArgs),
    /// Regenerate a tariff pack from upstream sources.
    Import(ImportArgs),
    /// List the lines added, removed and re-rated, and the measures changed, from one pack to
    /// another.
    Diff(DiffArgs),
}

/// Arguments of `preclear tariff diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old pack: a pack folder, a `tariffs/` folder or a git revision of `tariffs/`.
    pub old: String,
    /// The new pack, named the same ways.
    pub new: String,
    /// Which pack of a `tariffs/` folder or revision (`us`, `uk`, `eu`).
    #[arg(long, default_value = "us")]
    pub tariff: String,
    /// Output format (`text`: the counts and every change, one a line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of `tariff show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `preclear tariff show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The commodity code, with or without dots and spaces (`0402.29.50.00`, `8510900000`).
    pub code: String,
    /// The date the measures must be valid on (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub date: Option<Date>,
    /// Keep only the measures that apply to goods from this country (ISO alpha-2).
    #[arg(long)]
    pub origin: Option<String>,
    /// The tariff: `uk`, `us` or `eu` (the bundled packs), or the path of a pack folder.
    #[arg(long, default_value = "uk")]
    pub tariff: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `preclear tariff import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the sources are.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(ImportKind::ALL.map(ImportKind::name)))]
    pub kind: String,
    /// The source files (for `hmrc-exchange-rates`, also a folder of monthly XML files).
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// The pack folder to write (e.g. `tariffs/uk`).
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `preclear tariff ...`: 0 done, 1 code not found, 2 usage or I/O error.
#[must_use]
pub fn run(args: TariffArgs) -> ExitCode {
    match args.command {
        TariffCommand::Show(show) => run_show(&show),
        TariffCommand::Import(import) => run_import(&import),
        TariffCommand::Diff(diff) => run_diff(&diff),
    }
}

/// Today's date in UTC (`None` when the clock is unreadable).
#[must_use]
pub fn today() -> Option<Date> {
    let seconds =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    civil_from_days(i64::try_from(seconds / 86_400).ok()?)
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Option<Date> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date::new(u16::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

/// Loads `uk`/`us`/`eu` from the bundled packs, anything else as a pack folder.
///
/// # Errors
///
/// When the pack cannot be loaded.
pub fn load_tariff(name: &str) -> Result<Tariff, TariffError> {
    match name.parse::<Jurisdiction>() {
        Ok(jurisdiction) if !std::path::Path::new(name).is_dir() => Tariff::bundled(jurisdiction),
        _ => Tariff::load(name),
    }
}

fn run_show(args: &ShowArgs) -> ExitCode {
    let tariff = match load_tariff(&args.tariff) {
        Ok(tariff) => tariff,
        Err(error) => {
            eprintln!("error: cannot load the tariff `{}`: {error}", args.tariff);
            return ExitCode::from(2);
        }
    };
    if !tariff.findings().is_empty() {
        eprintln!(
            "warning: the tariff pack has {} problem(s); the first: {}",
            tariff.findings().len(),
            tariff.findings().first().map_or("", |f| f.message.as_str())
        );
    }
    let Some(date) = args.date.or_else(today) else {
        eprintln!("error: cannot read today's date from the clock; pass --date");
        return ExitCode::from(2);
    };
    let commodity = match tariff.commodity_from(&args.code, date, args.origin.as_deref()) {
        Ok(commodity) => commodity,
        Err(error @ LookupError::BadCode(_)) => {
            eprintln!("error: `{}`: {error}", args.code);
            return ExitCode::from(2);
        }
        Err(error) => {
            eprintln!("error: {error} ({} tariff)", tariff.jurisdiction());
            return ExitCode::from(1);
        }
    };
    let text = match args.format {
        Format::Json => match serde_json::to_string_pretty(&commodity) {
            Ok(json) => json + "\n",
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        },
        Format::Text => render_text(&commodity),
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write the output: {error}");
            ExitCode::from(2)
        }
    }
}

/// The `text` format of `tariff show`.
#[must_use]
pub fn render_text(commodity: &Commodity) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let validity = match (commodity.valid_from, commodity.valid_to) {
        (Some(from), Some(to)) => format!(", valid {from} to {to}"),
        (Some(from), None) => format!(", valid from {from}"),
        _ => String::new(),
    };
    let declarable = if commodity.declarable { "declarable" } else { "not declarable" };
    let _ = writeln!(
        out,
        "{} {} ({declarable}{validity})",
        commodity.printed_code,
        commodity.description.replace('\n', " ")
    );
    for (depth, entry) in commodity.path.iter().enumerate() {
        let code = if entry.code.is_empty() { "-".to_owned() } else { entry.code.clone() };
        let _ = writeln!(
            out,
            "{:indent$}{code} {}",
            "",
            entry.description.replace('\n', " "),
            indent = 2 + depth * 2
        );
    }
    if !commodity.units.is_empty() {
        let _ = writeln!(out, "units: {}", commodity.units.join(", "));
    }
    if !commodity.chapter_99.is_empty() {
        let _ = writeln!(out, "chapter 99: {}", commodity.chapter_99.join(", "));
    }
    let origin = commodity.origin.as_deref().unwrap_or("any");
    let _ = writeln!(
        out,
        "\nmeasures on {} (origin: {origin}, {} tariff):",
        commodity.date, commodity.jurisdiction
    );
    if commodity.measures.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for measure in &commodity.measures {
        let area = match &measure.origin_description {
            Some(description) if measure.origin.is_empty() => description.clone(),
            Some(description) => format!("{description} ({})", measure.origin),
            None => measure.origin.clone(),
        };
        let rate = if measure.expression_source.is_empty() {
            "-"
        } else {
            measure.expression_source.as_str()
        };
        let _ = writeln!(out, "  {} {}: {rate}", measure.measure_type, measure.type_description);
        let _ = writeln!(out, "      origin: {area}");
        if !measure.excluded.is_empty() {
            let _ = writeln!(out, "      excluding: {}", measure.excluded.join(" "));
        }
        if let Some(code) = &measure.additional_code {
            let description = measure.additional_code_description.as_deref().unwrap_or_default();
            let _ = writeln!(out, "      additional code: {code} {description}");
        }
        if let Some(order) = &measure.order_number {
            let _ = writeln!(out, "      quota order number: {order}");
        }
        for condition in &measure.conditions {
            let document = condition.document.as_deref().unwrap_or("-");
            let duty = condition
                .duty_expression
                .as_deref()
                .map(|duty| format!(" → {duty}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "      condition {} document {document}: {}{duty}",
                condition.code, condition.action
            );
        }
        let mut validity = String::new();
        if let Some(start) = measure.start {
            let _ = write!(validity, " from {start}");
        }
        if let Some(end) = measure.end {
            let _ = write!(validity, " to {end}");
        }
        let legal = measure.legal_basis.as_deref().unwrap_or("-");
        let _ = writeln!(
            out,
            "      legal basis: {legal}; defined on {}{validity} ({})",
            measure.defined_on, measure.source
        );
        for remark in &measure.remarks {
            let _ = writeln!(out, "      note: {remark}");
        }
    }
    out
}

/// The diff of two packs named on the command line.
///
/// # Errors
///
/// A message saying which pack cannot be found or read.
pub fn diff_named(old: &str, new: &str, jurisdiction: &str) -> Result<PackDiff, String> {
    let read = |spec: &str| {
        let pack = super::packref::resolve(spec, jurisdiction)?;
        crate::tariff::read_pack_files(&pack.dir)
            .map_err(|error| format!("cannot read the pack `{spec}`: {error}"))
    };
    let (old_files, new_files) = (read(old)?, read(new)?);
    diff_packs(&old_files, &new_files).map_err(|error| format!("cannot compare the packs: {error}"))
}

/// The `text` format of `tariff diff`: the summary, then one change a line.
#[must_use]
pub fn render_diff(diff: &PackDiff) -> String {
    use std::fmt::Write as _;
    let mut out = diff.summary();
    for code in &diff.added {
        let _ = writeln!(out, "+ {code}");
    }
    for code in &diff.removed {
        let _ = writeln!(out, "- {code}");
    }
    for line in &diff.rerated {
        let _ = writeln!(out, "~ {}: {} → {}", line.code, line.old, line.new);
    }
    for measure in &diff.measures_changed {
        let text = |text: &str| if text.is_empty() { "none".to_owned() } else { text.to_owned() };
        let _ = writeln!(
            out,
            "m {} {}: {} → {}",
            measure.code,
            measure.measure,
            text(&measure.old),
            text(&measure.new)
        );
    }
    out
}

fn run_diff(args: &DiffArgs) -> ExitCode {
    let diff = match diff_named(&args.old, &args.new, &args.tariff) {
        Ok(diff) => diff,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let text = match args.format {
        Format::Text => render_diff(&diff),
        Format::Json => match serde_json::to_string_pretty(&diff) {
            Ok(json) => json + "\n",
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        },
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write the output: {error}");
            ExitCode::from(2)
        }
    }
}

fn run_import(args: &ImportArgs) -> ExitCode {
    let Some(kind) = ImportKind::from_name(&args.kind) else {
        eprintln!("error: unknown import kind `{}`", args.kind);
        return ExitCode::from(2);
    };
    let mut progress = |message: &str| eprintln!("{message}");
    match import::run(kind, &args.sources, &args.out, &mut progress) {
        Ok(summary) => {
            for warning in &summary.warnings {
                eprintln!("warning: {warning}");
            }
            for (table, count) in &summary.tables {
                eprintln!("wrote {} ({count} records)", args.out.join(table).display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_days_to_dates() {
        assert_eq!(civil_from_days(0), Date::new(1970, 1, 1));
        assert_eq!(civil_from_days(19_782), Date::new(2024, 2, 29));
        assert_eq!(civil_from_days(20_000), Date::new(2024, 10, 4));
    }
}
