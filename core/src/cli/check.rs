//! `preclear check`: read, check and report each input, as text or NDJSON, on one thread or
//! several (`--jobs`), in input order.

use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Read as _, Write as _};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Condvar, Mutex, PoisonError};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget};

use super::tariff::{load_tariff, today};
use super::{EXIT_CLEAN, EXIT_FAILURE, EXIT_FINDINGS};
use crate::check::{CheckOptions, Checker, Tariffs, jurisdiction_of_country};
use crate::decl::ReadOptions;
use crate::decl::xml::ReadLimits;
use crate::report::{TextOptions, render_text};
use crate::tariff::Jurisdiction;

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
    /// Changes a reader limit, `NAME=N` (repeatable): `input-bytes` (default 67108864),
    /// `depth` (256), `elements` (2000000), `repeats` (9999), `findings` (10000),
    /// `text-bytes` (65536), `attribute-bytes` (1024). An input over a limit gets a
    /// PC-READ-017 finding.
    #[arg(long = "limit", value_name = "NAME=N", value_parser = parse_limit)]
    limits: Vec<(Limit, usize)>,
    /// Inputs checked at once, on as many threads (default: every core). Reports still come
    /// out in input order, each as soon as those before it are out; `--jobs 1` checks on the
    /// calling thread alone (otherwise the packs also load on threads of their own).
    #[arg(long, short = 'j')]
    jobs: Option<NonZeroUsize>,
    #[command(flatten)]
    risk: super::risk::CheckRiskArgs,
}

/// A reader limit that `--limit` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    InputBytes,
    Depth,
    Elements,
    Repeats,
    Findings,
    TextBytes,
    AttributeBytes,
}

/// Parses `NAME=N` for `--limit`.
fn parse_limit(text: &str) -> Result<(Limit, usize), String> {
    let (name, value) = text.split_once('=').ok_or_else(|| format!("`{text}` is not NAME=N"))?;
    let limit = match name {
        "input-bytes" => Limit::InputBytes,
        "depth" => Limit::Depth,
        "elements" => Limit::Elements,
        "repeats" => Limit::Repeats,
        "findings" => Limit::Findings,
        "text-bytes" => Limit::TextBytes,
        "attribute-bytes" => Limit::AttributeBytes,
        _ => {
            return Err(format!(
                "no limit `{name}`: input-bytes, depth, elements, repeats, findings, text-bytes, attribute-bytes"
            ));
        }
    };
    let value = value.parse::<usize>().map_err(|error| format!("`{value}`: {error}"))?;
    Ok((limit, value))
}

/// The reader limits: the defaults with `--limit` applied.
fn read_limits(changes: &[(Limit, usize)]) -> ReadLimits {
    let mut limits = ReadLimits::default();
    for &(limit, value) in changes {
        let small = u32::try_from(value).unwrap_or(u32::MAX);
        match limit {
            Limit::InputBytes => limits.max_input_bytes = value,
            Limit::Depth => limits.max_depth = small,
            Limit::Elements => limits.max_elements = value,
            Limit::Repeats => limits.max_repeats = small,
            Limit::Findings => limits.max_findings = value,
            Limit::TextBytes => limits.max_text_bytes = value,
            Limit::AttributeBytes => limits.max_attribute_bytes = value,
        }
    }
    limits
}

/// An input to check: a path or standard input.
#[derive(Debug)]
pub(crate) enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub(crate) fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }

    /// Reads the input, at most `limit` bytes and one more: a larger input is over the
    /// reader's size limit whatever its length, and is not held in memory whole.
    pub(crate) fn read(&self, limit: usize) -> std::io::Result<Vec<u8>> {
        let limit = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
        let mut bytes = Vec::new();
        match self {
            Input::Stdin => std::io::stdin().take(limit).read_to_end(&mut bytes)?,
            Input::File(path) => {
                let file = std::fs::File::open(path)?;
                // Sized to the file (and one byte to see the end): grown by doubling, the
                // buffer of a 10 MB declaration took 16 MB for the whole check.
                let length = file.metadata().map_or(0, |metadata| metadata.len());
                let wanted = length.saturating_add(1).min(limit);
                bytes.reserve_exact(usize::try_from(wanted).unwrap_or(0));
                file.take(limit).read_to_end(&mut bytes)?
            }
        };
        Ok(bytes)
    }
}

/// Expands the arguments: directories become their `*.xml` files, sorted by path.
pub(crate) fn collect_inputs(arguments: &[String], failed: &mut bool) -> Vec<Input> {
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
    let tariffs = match tariffs_of(args) {
        Ok(tariffs) => tariffs,
        Err(error) => {
            eprintln!("preclear: {error}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    // The process ends with the run: freeing the packs (names, rules, tariffs) one by one
    // would cost about a tenth of a one-file check.
    let tariffs = std::mem::ManuallyDrop::new(tariffs);
    let options = CheckOptions {
        date: args.date.or_else(today),
        read: ReadOptions { limits: read_limits(&args.limits) },
        ..CheckOptions::default()
    };
    let checker = Checker::new(&tariffs, options);
    let inputs = collect_inputs(&args.inputs, &mut failed);
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let job = Job {
        checker: &checker,
        max_input_bytes: options.read.limits.max_input_bytes,
        format: args.format,
        color: stdout_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let cores = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    let jobs = cores.min(inputs.len().max(1));
    // `--jobs 1` keeps to one thread throughout; otherwise the packs load side by side.
    let preload = if cores > 1 { first_jurisdiction(&inputs, &options) } else { None };
    // The bar goes to stderr when a person watches it; reports on the same terminal are
    // written with the bar cleared.
    let progress = if inputs.len() > 1 && std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(
            Some(inputs.len() as u64),
            ProgressDrawTarget::stderr_with_hz(10),
        )
    } else {
        ProgressBar::hidden()
    };
    // Not locked once for the run: with several jobs, the worker that completes a report
    // writes it.
    let mut out = std::io::stdout();
    let mut write_error = None;
    let mut emit = |outcome: Outcome| -> bool {
        progress.inc(1);
        let output = match outcome {
            Outcome::Report { output, has_errors } => {
                any_errors |= has_errors;
                output
            }
            Outcome::Failed(message) => {
                progress.suspend(|| eprintln!("preclear: {message}"));
                failed = true;
                return true;
            }
        };
        let written = if stdout_is_terminal && !progress.is_hidden() {
            progress.suspend(|| out.write_all(output.as_bytes()))
        } else {
            out.write_all(output.as_bytes())
        };
        match written {
            Ok(()) => true,
            Err(error) => {
                write_error = Some(error);
                false
            }
        }
    };
    std::thread::scope(|scope| {
        if let Some(jurisdiction) = preload {
            load_side_by_side(scope, &tariffs, jurisdiction);
        }
        if jobs == 1 {
            for (index, input) in inputs.iter().enumerate() {
                if !emit(job.check(index, input)) {
                    break;
                }
            }
        } else {
            check_in_parallel(&job, &inputs, jobs, &mut emit);
        }
    });
    progress.finish_and_clear();
    if let Some(error) = write_error {
        // A closed pipe (e.g. `| head`) ends the run quietly.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("preclear: cannot write the report: {error}");
        }
        return ExitCode::from(EXIT_FAILURE);
    }
    if failed {
        ExitCode::from(EXIT_FAILURE)
    } else if any_errors {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_CLEAN)
    }
}

/// The tariffs the arguments ask for: the bundled packs or a given tariff, with the risk
/// profile given, if any.
fn tariffs_of(args: &CheckArgs) -> Result<Tariffs, String> {
    let tariffs = match &args.tariff {
        None => Tariffs::bundled(),
        Some(name) => match load_tariff(name) {
            Ok(tariff) => Tariffs::fixed(tariff, None),
            Err(error) => return Err(format!("cannot load the tariff `{name}`: {error}")),
        },
    };
    Ok(match args.risk.profile()? {
        Some(profile) => tariffs.with_risk(profile),
        None => tariffs,
    })
}

/// A guess at the jurisdiction of the run's first input, from the `ResponsibleCountryCode`
/// in its first [`PEEK_BYTES`]: the guess only chooses the packs loaded ahead, and each check
/// still reads its declaration whole. Standard input cannot be read twice.
fn first_jurisdiction(inputs: &[Input], options: &CheckOptions) -> Option<Jurisdiction> {
    if options.jurisdiction.is_some() {
        return options.jurisdiction;
    }
    let first = inputs.first()?;
    if matches!(first, Input::Stdin) {
        return None;
    }
    let head = first.read(PEEK_BYTES).ok()?;
    Some(jurisdiction_of_country(responsible_country(&head)))
}

/// How much of the first input [`first_jurisdiction`] reads: the metadata header comes
/// first, and a 10 MB declaration should not be read twice.
const PEEK_BYTES: usize = 64 * 1024;

/// The text of the first `ResponsibleCountryCode` element in `head`, whatever its prefix.
fn responsible_country(head: &[u8]) -> Option<&str> {
    const TAG: &[u8] = b"ResponsibleCountryCode>";
    let start = memchr::memmem::find(head, TAG)? + TAG.len();
    let rest = head.get(start..)?;
    let value = rest.get(..memchr::memchr(b'<', rest)?)?;
    std::str::from_utf8(value).ok().map(str::trim)
}

/// Loads the packs a check of `jurisdiction` uses on threads of their own, so that a run
/// starts in about the time of its largest pack rather than of all of them in turn; the
/// checks wait on a pack only until its thread has it. A thread that cannot be started
/// leaves its pack to load on first use.
fn load_side_by_side<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    tariffs: &'scope Tariffs,
    jurisdiction: Jurisdiction,
) {
    // Two threads and the checks, which load the tariff first, each with about a third of the
    // work (the restriction rules; the code lists, the sanctions lists and the risk model, in
    // the order a check needs them): each thread's allocations take an arena of their own, so
    // more threads than cores would only add memory.
    let loads: [Box<dyn FnOnce() + Send + 'scope>; 2] = [
        Box::new(move || {
            let _ = tariffs.screening().rules(jurisdiction);
        }),
        Box::new(move || {
            let _ = tariffs.codelists();
            let _ = tariffs.screening().sanctions();
            let _ = tariffs.risk(jurisdiction);
        }),
    ];
    for load in loads {
        let _ = std::thread::Builder::new().spawn_scoped(scope, load);
    }
}

/// What checking one input gives: its report as written out, or why there is none.
#[derive(Debug)]
enum Outcome {
    Report { output: String, has_errors: bool },
    Failed(String),
}

/// How each input is checked and written: shared by every worker.
#[derive(Debug)]
struct Job<'a> {
    checker: &'a Checker<'a>,
    /// Inputs are read up to this size and one byte more (the reader's size limit).
    max_input_bytes: usize,
    format: Format,
    color: bool,
}

impl Job<'_> {
    /// Reads, checks and renders input `index` (the text format separates reports with a
    /// blank line).
    fn check(&self, index: usize, input: &Input) -> Outcome {
        let bytes = match input.read(self.max_input_bytes) {
            Ok(bytes) => bytes,
            Err(error) => return Outcome::Failed(format!("cannot read {}: {error}", input.name())),
        };
        let report = self.checker.check(&input.name(), &bytes);
        let has_errors = report.has_errors();
        let output = match self.format {
            Format::Json => match report.to_json_line() {
                Ok(mut line) => {
                    line.push('\n');
                    line
                }
                Err(error) => {
                    return Outcome::Failed(format!(
                        "cannot serialise the report of {}: {error}",
                        input.name()
                    ));
                }
            },
            Format::Text => {
                let text = render_text(&report, Some(&bytes), TextOptions { color: self.color });
                if index > 0 { format!("\n{text}") } else { text }
            }
        };
        Outcome::Report { output, has_errors }
    }
}

/// What the workers share: the next input to claim, the outcomes waiting for their
/// predecessors, how many were written, and whether writing stopped.
struct Window<'e> {
    claimed: usize,
    written: usize,
    stop: bool,
    /// Workers waiting for the writer to catch up.
    waiting: usize,
    pending: BTreeMap<usize, Outcome>,
    emit: &'e mut (dyn FnMut(Outcome) -> bool + Send),
}

/// Checks `inputs` on `jobs` threads and hands the outcomes to `emit` in input order as soon
/// as each one's predecessors are out. Workers run at most `4 × jobs` inputs ahead of the
/// writer, so memory holds a bounded number of reports however many inputs there are.
/// `emit` returning false stops the run.
///
/// The worker that completes the next input in order writes it (and any that were waiting
/// for it) itself: a separate writer thread would have to be woken for every report, a
/// system call and a context switch each, on machines with no core to spare for it.
fn check_in_parallel(
    job: &Job<'_>,
    inputs: &[Input],
    jobs: usize,
    emit: &mut (dyn FnMut(Outcome) -> bool + Send),
) {
    let window = jobs * 4;
    let state = Mutex::new(Window {
        claimed: 0,
        written: 0,
        stop: false,
        waiting: 0,
        pending: BTreeMap::new(),
        emit,
    });
    let room = Condvar::new();
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let (lock, room) = (&lock, &room);
            scope.spawn(move || {
                loop {
                    let index = {
                        let mut shared = lock();
                        loop {
                            if shared.stop || shared.claimed >= inputs.len() {
                                return;
                            }
                            if shared.claimed < shared.written + window {
                                break;
                            }
                            shared.waiting += 1;
                            shared = room.wait(shared).unwrap_or_else(PoisonError::into_inner);
                            shared.waiting -= 1;
                        }
                        shared.claimed += 1;
                        shared.claimed - 1
                    };
                    let Some(input) = inputs.get(index) else { return };
                    let outcome = job.check(index, input);
                    let mut shared = lock();
                    let shared = &mut *shared;
                    shared.pending.insert(index, outcome);
                    let before = shared.written;
                    while !shared.stop
                        && let Some(outcome) = shared.pending.remove(&shared.written)
                    {
                        shared.written += 1;
                        shared.stop = !(shared.emit)(outcome);
                    }
                    if (shared.written != before || shared.stop) && shared.waiting > 0 {
                        room.notify_all();
                    }
                }
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Input {
        Input::File(Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(path))
    }

    #[test]
    fn the_packs_loaded_ahead_are_those_of_the_first_input() {
        let options = CheckOptions::default();
        let us = fixture("valid/us-auto-body-stampings-germany.xml");
        let uk = fixture("valid/duty-compound.xml");
        assert_eq!(
            first_jurisdiction(&[us, fixture("valid/duty-compound.xml")], &options),
            Some(Jurisdiction::Us)
        );
        assert_eq!(first_jurisdiction(&[uk], &options), Some(Jurisdiction::Uk));
        // Standard input cannot be read twice, and a missing file is reported by its check.
        assert_eq!(first_jurisdiction(&[Input::Stdin], &options), None);
        assert_eq!(first_jurisdiction(&[fixture("no-such-file.xml")], &options), None);
        assert_eq!(first_jurisdiction(&[], &options), None);
        let eu = CheckOptions { jurisdiction: Some(Jurisdiction::Eu), ..options };
        assert_eq!(first_jurisdiction(&[Input::Stdin], &eu), Some(Jurisdiction::Eu));
    }

    #[test]
    fn the_responsible_country_is_found_with_any_prefix() {
        fn code(head: &str) -> Option<&str> {
            responsible_country(head.as_bytes())
        }
        assert_eq!(code("<md:ResponsibleCountryCode>US</md:ResponsibleCountryCode>"), Some("US"));
        assert_eq!(code("<ResponsibleCountryCode> fr </ResponsibleCountryCode>"), Some("fr"));
        assert_eq!(code("<md:ResponsibleAgencyName>x</md:ResponsibleAgencyName>"), None);
        // Cut off inside the value: no guess.
        assert_eq!(code("<ResponsibleCountryCode>G"), None);
        assert_eq!(
            jurisdiction_of_country(code("<ResponsibleCountryCode> fr <")),
            Jurisdiction::Eu
        );
    }
}
