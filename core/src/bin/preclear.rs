//! The `preclear` command line.

fn main() -> std::process::ExitCode {
    preclear::cli::main()
}
