//! A pack named on the command line: a pack folder, a `tariffs/` folder and a jurisdiction,
//! or a git revision of `tariffs/` (read with `git ls-tree` and `git show` into a temporary
//! folder that is removed when the pack is dropped).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A pack folder ready to load.
#[derive(Debug)]
pub struct PackDir {
    /// The folder holding `pack.toml`.
    pub dir: PathBuf,
    /// What the user named (for messages).
    pub name: String,
    temporary: Option<PathBuf>,
}

impl Drop for PackDir {
    fn drop(&mut self) {
        if let Some(dir) = &self.temporary {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// Finds the pack `spec` names, for `jurisdiction` (`us`, `uk`, `eu`) when `spec` is a
/// `tariffs/` folder or a git revision.
///
/// # Errors
///
/// A message saying why `spec` names no pack.
pub fn resolve(spec: &str, jurisdiction: &str) -> Result<PackDir, String> {
    let path = Path::new(spec);
    if path.is_dir() {
        for dir in [path.to_path_buf(), path.join(jurisdiction)] {
            if dir.join("pack.toml").is_file() {
                return Ok(PackDir { dir, name: spec.to_owned(), temporary: None });
            }
        }
        return Err(format!(
            "`{spec}` is a folder without a pack.toml (nor a `{jurisdiction}/pack.toml` in it)"
        ));
    }
    if spec.starts_with('-') || spec.is_empty() {
        return Err(format!("`{spec}` is neither a pack folder nor a git revision"));
    }
    let toplevel = git(&["rev-parse", "--show-toplevel"]).map_err(|error| {
        format!("`{spec}` is not a folder, and not in a git repository ({error})")
    })?;
    let toplevel = PathBuf::from(String::from_utf8_lossy(&toplevel).trim());
    let commit = git(&[
        "-C",
        &toplevel.to_string_lossy(),
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{spec}^{{commit}}"),
    ])
    .map_err(|_| format!("`{spec}` is neither a pack folder nor a git revision"))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();
    let prefix = format!("tariffs/{jurisdiction}/");
    let listing = git(&["-C", &toplevel.to_string_lossy(), "ls-tree", &commit, "--", &prefix])
        .map_err(|error| format!("cannot list {prefix} at {spec}: {error}"))?;
    let temporary = std::env::temp_dir().join(format!(
        "preclear-pack-{}-{}-{}",
        std::process::id(),
        jurisdiction,
        commit.get(..12).unwrap_or(&commit)
    ));
    let pack = PackDir {
        dir: temporary.clone(),
        name: spec.to_owned(),
        temporary: Some(temporary.clone()),
    };
    std::fs::create_dir_all(&temporary)
        .map_err(|error| format!("cannot create {}: {error}", temporary.display()))?;
    let mut found = false;
    for entry in String::from_utf8_lossy(&listing).lines() {
        // `mode type hash\tpath`; only the pack's own files (blobs), not its subfolders.
        let Some((head, file)) = entry.split_once('\t') else { continue };
        if head.split_whitespace().nth(1) != Some("blob") {
            continue;
        }
        let Some(name) = file.strip_prefix(&prefix) else { continue };
        let bytes = git(&["-C", &toplevel.to_string_lossy(), "show", &format!("{commit}:{file}")])
            .map_err(|error| format!("cannot read {file} at {spec}: {error}"))?;
        std::fs::write(temporary.join(name), bytes)
            .map_err(|error| format!("cannot write {}: {error}", temporary.join(name).display()))?;
        found |= name == "pack.toml";
    }
    if !found {
        return Err(format!("there is no {prefix}pack.toml at revision `{spec}`"));
    }
    Ok(pack)
}
