//! The `preclear` command line.

fn main() -> std::process::ExitCode {
    preclear::cli::allocator::tune();
    preclear::cli::main()
}
