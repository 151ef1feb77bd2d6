//! A build into an output folder that does not exist yet (a fresh clone's
//! `public/` in CI): every file is written under its own name into a new
//! sibling folder, `.<name>.tootbridge-new-<pid>-<random>` in the same
//! parent, which [`rename_into_place`] renames to `<name>` once, at commit.
//! That saves a temporary name and a rename per file, and keeps every
//! guarantee of `output.rs`: until the rename nothing exists at `<name>`;
//! a failed build removes its sibling folder; a killed one leaves it, and
//! the next build removes it ([`remove_stale_new_folders`]; the process id
//! tells a killed run from one still writing, as for temporary files).
//!
//! An existing folder, even an empty one, is never replaced: a web team may
//! have set its owner, mode or ACLs. The rename refuses to replace anything
//! that appeared at `<name>` meanwhile, and the build then fails, leaving
//! what appeared as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil::process_alive;

const INFIX: &str = ".tootbridge-new-";

/// The prefix of `out_dir`'s sibling folders, and their parent folder.
fn prefix_and_parent(out_dir: &Path) -> Option<(String, &Path)> {
    let name = out_dir.file_name()?.to_str()?;
    let parent = match out_dir.parent()? {
        p if p.as_os_str().is_empty() => Path::new("."),
        p => p,
    };
    Some((format!(".{name}{INFIX}"), parent))
}

/// A new, empty sibling folder to build `out_dir` in, when nothing at all
/// (not even a dangling link) is at `out_dir`; `None` otherwise, or for a
/// path without a plain last name.
pub(super) fn new_folder(out_dir: &Path) -> Result<Option<PathBuf>> {
    match fs::symlink_metadata(out_dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        _ => return Ok(None),
    }
    let Some((prefix, parent)) = prefix_and_parent(out_dir) else {
        return Ok(None);
    };
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let dir = tempfile::Builder::new()
        .prefix(&format!("{prefix}{}-", std::process::id()))
        .rand_bytes(6)
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    // Removed by the staging on failure, or renamed at commit.
    Ok(Some(dir.keep()))
}

/// Removes the sibling folders of `out_dir` that killed builds left (see
/// the top of this file). A folder counts as one only by its full name and
/// only if it holds the staging mark or nothing at all.
pub(super) fn remove_stale_new_folders(out_dir: &Path) {
    let Some((prefix, parent)) = prefix_and_parent(out_dir) else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(owner)
        else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        let ours = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
            && (path.join(super::STAGING_MARK).is_file()
                || fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none()));
        if ours {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// The process id in `<pid>-<random>`.
fn owner(tail: &str) -> Option<u32> {
    let (pid, random) = tail.split_once('-')?;
    let ok = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && !random.is_empty()
        && random.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| pid.parse().ok()).flatten()
}

/// Renames the finished folder `new` to `out_dir`, unless something is at
/// `out_dir` by now.
pub(super) fn rename_into_place(new: &Path, out_dir: &Path) -> Result<()> {
    rename_no_replace(new, out_dir).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            Error::Other(format!(
                "{} appeared while the site was built into {}; it was left as it is, and nothing was published",
                out_dir.display(),
                new.display()
            ))
        } else {
            Error::io(out_dir, e)
        }
    })
}

#[cfg(target_os = "linux")]
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        // A file system without the flag: check, then rename.
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            checked_rename(from, to)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    checked_rename(from, to)
}

fn checked_rename(from: &Path, to: &Path) -> io::Result<()> {
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    fs::rename(from, to)
}

#[cfg(test)]
mod tests;
