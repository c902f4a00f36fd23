//! The `preclear` command line.

/// jemalloc, rather than the system allocator: a check makes and drops thousands of small
/// strings and lists per declaration, and jemalloc's per-thread caches take about a quarter
/// of the user time off a batch (the 999-item declaration: 0.44 s to 0.32 s user for ten).
/// It keeps the pages it frees for the next input (`dirty_decay_ms:-1`, set at build time
/// in `.cargo/config.toml`): returning them made every large input fault its memory in
/// again. Peak memory is the same as with the system allocator.
#[cfg(not(any(target_env = "msvc", target_family = "wasm")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    preclear::cli::main()
}
