//! Start-up tuning of the C allocator (Linux with glibc).
//!
//! Loading the bundled packs writes several megabytes of fresh heap at every start, and on
//! virtual machines each 4 KiB page the kernel faults in costs microseconds: page faults were
//! about half of a one-file check's wall time. glibc reads its tunables only as a program
//! starts, so `preclear` starts itself again, once, with [`TUNABLES`]: a heap grown in large
//! steps and backed by transparent huge pages. A `GLIBC_TUNABLES` already in the environment
//! (even empty) is left as it is, which is also how to run without the tuning.

/// The glibc tunables `preclear` runs with.
pub const TUNABLES: &str = "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=16777216";

/// Starts `preclear` again with [`TUNABLES`], unless `GLIBC_TUNABLES` is set; returns (and the
/// run goes on untuned) when that is not possible.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("GLIBC_TUNABLES").is_none() {
        use std::os::unix::process::CommandExt;
        let Ok(program) = std::env::current_exe() else { return };
        let mut args = std::env::args_os();
        let mut command = std::process::Command::new(program);
        if let Some(name) = args.next() {
            command.arg0(name);
        }
        // Returns only when the program could not be started.
        let _ = command.args(args).env("GLIBC_TUNABLES", TUNABLES).exec();
    }
}
