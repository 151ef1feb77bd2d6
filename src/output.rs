//! The only writer of the output folder.
//!
//! Files arrive one at a time while the site renders ([`Staging`] is a
//! [`Sink`]), so a build holds only the files in flight, never the whole site:
//! - a file whose bytes equal what is on disk is left alone, so unchanged
//!   files keep their modification time and `rsync`/object-storage syncs
//!   upload only real changes (into an empty or new folder nothing is
//!   compared, and media are copied by the kernel);
//! - any other file is written at once to a temporary name next to its place
//!   (`fsutil`'s `.<name>.tmp-<pid>-<random>`), and nothing is renamed into
//!   place until the whole site has rendered. A template error, a bad path, a
//!   missing media file, a privacy finding under `strict_privacy` or SIGINT/
//!   SIGTERM (seen at the next file) therefore leaves the previous output
//!   exactly as it was ([`Staging::abort`], also run on drop);
//! - [`Staging::commit`] then renames the staged files over the old ones, so
//!   a build killed even then leaves every file either old or new, never
//!   truncated (a torn temporary file is removed by the next build). Once
//!   renaming has begun a signal no longer stops it;
//! - files that an earlier build wrote and this one did not are removed,
//!   using a manifest (`.tootbridge-manifest`) in the output folder. Files
//!   tootbridge did not write are never deleted. The manifest written before
//!   the first rename already lists this build's files, so if renaming fails
//!   halfway, the next successful build still removes what this one wrote and
//!   that one does not.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::fsutil::{remove_stale_temps, write_atomic_to_the_end};
use crate::render::keys::Key;
use crate::render::{OutputFile, Sink};

mod memo;
mod put;
pub(crate) mod record;
pub use memo::FILE as RENDER_RECORD;

pub const MANIFEST: &str = ".tootbridge-manifest";
/// Present while a build stages or renames files; a build killed meanwhile
/// leaves it, and the next build then runs in full (no build-record
/// shortcut), which removes the temporary files the killed one left.
pub(crate) const STAGING_MARK: &str = ".tootbridge-staging";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Of the unchanged files, those kept without rendering them (their
    /// inputs were those of the last build, see `output/memo.rs`).
    pub kept: usize,
}

/// Writes `files` into `out_dir` as described at the top of this file.
pub fn write(out_dir: &Path, files: &[OutputFile]) -> Result<WriteReport> {
    let staging = Staging::begin(out_dir)?;
    files
        .par_iter()
        .try_for_each(|file| staging.put(file.clone()))?;
    staging.commit()
}

/// One build's writes to the output folder: staged while the site renders,
/// put in place by [`Staging::commit`].
pub(crate) struct Staging {
    out_dir: PathBuf,
    previous: Vec<String>,
    state: Mutex<Staged>,
    /// The output folder did not exist before (an aborted first build
    /// removes it again).
    created: bool,
    /// The output folder was empty or new: no file of this build can exist
    /// yet, so none is compared with the disk.
    fresh: bool,
    /// Folders made so far, so each is made once, not once per file.
    folders: Mutex<HashSet<PathBuf>>,
    /// Set once committed or aborted, so `Drop` does nothing more.
    done: bool,
    /// A staging mark was there before this build: one was killed.
    was_killed: bool,
    /// The keys of the last build's files, when [`Staging::remembering`].
    memo: Option<memo::Memo>,
}

#[derive(Default)]
struct Staged {
    /// Every path of this build (shared with `changed` and the memo).
    paths: HashSet<Arc<str>>,
    /// (path, temporary file) of every file that differs from the disk;
    /// dropping a temporary file removes it.
    changed: Vec<(Arc<str>, tempfile::TempPath)>,
    unchanged: usize,
    kept: usize,
}

impl Staging {
    /// Prepares `out_dir`: creates it and removes temporary files a killed
    /// build left behind.
    pub(crate) fn begin(out_dir: &Path) -> Result<Staging> {
        crate::interrupt::check()?;
        let created = !out_dir.exists();
        let fresh = created || fs::read_dir(out_dir).is_ok_and(|mut d| d.next().is_none());
        fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
        // A build killed mid-write leaves a torn temporary file; never publish it.
        remove_stale_temps(out_dir);
        let mark = out_dir.join(STAGING_MARK);
        let was_killed = mark.exists();
        fs::write(&mark, std::process::id().to_string()).map_err(|e| Error::io(&mark, e))?;
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            previous: read_manifest(out_dir),
            state: Mutex::new(Staged::default()),
            created,
            fresh,
            folders: Mutex::new(HashSet::new()),
            done: false,
            was_killed,
            memo: None,
        })
    }

    /// Keeps files whose key is the same as in the last build under the
    /// build-wide key `global` (see `output/memo.rs`), and records this
    /// build's keys on commit.
    pub(crate) fn remembering(mut self, global: Key) -> Staging {
        let trust = !self.was_killed && !self.fresh;
        self.memo = Some(memo::Memo::load(&self.out_dir, global, trust));
        self
    }

    /// Records no keys for this build (its privacy scan found something,
    /// and kept files would not be scanned again).
    pub(crate) fn forget_keys(&self) {
        if let Some(memo) = &self.memo {
            memo.forget();
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Staged> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts everything staged in place, removes stale files and records the
    /// manifest.
    pub(crate) fn commit(mut self) -> Result<WriteReport> {
        // The last moment a signal can stop the build with the old output
        // untouched; from here on the commit runs to its end.
        crate::interrupt::check()?;
        self.done = true;
        let staged = std::mem::take(&mut *self.state());
        let written = staged.changed.len();
        let paths: BTreeSet<&str> = staged.paths.iter().map(|p| &**p).collect();
        // Before the first rename: every file that may exist after this
        // build, whether it completes or not.
        let mut pending: BTreeSet<&str> = self.previous.iter().map(String::as_str).collect();
        pending.extend(paths.iter().copied());
        // A failed rename stops the others; the temporary files not renamed
        // are removed as they are dropped.
        write_manifest(&self.out_dir, &pending)?;
        drop(pending);
        staged.changed.into_par_iter().try_for_each(|(path, tmp)| {
            let dest = self.out_dir.join(&*path);
            tmp.persist(&dest).map_err(|e| Error::io(&dest, e.error))
        })?;
        let mut report = WriteReport {
            written,
            unchanged: staged.unchanged,
            removed: 0,
            kept: staged.kept,
        };
        for stale in self.previous.iter().filter(|p| !paths.contains(p.as_str())) {
            if !is_safe_output_path(stale) {
                continue;
            }
            let path = self.out_dir.join(stale);
            match fs::remove_file(&path) {
                Ok(()) => {
                    report.removed += 1;
                    remove_empty_parents(&self.out_dir, &path);
                }
                // Gone already, or something of someone else's is where it
                // or its folder was.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound
                            | std::io::ErrorKind::NotADirectory
                            | std::io::ErrorKind::IsADirectory
                    ) => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        write_manifest(&self.out_dir, &paths)?;
        // The memo's record is the last thing made: free the path sets first.
        drop(paths);
        drop(staged.paths);
        if let Some(memo) = &self.memo {
            memo.save(&self.out_dir)?;
        }
        self.unmark();
        Ok(report)
    }

    fn unmark(&self) {
        let _ = fs::remove_file(self.out_dir.join(STAGING_MARK));
    }

    fn discard(&mut self) {
        self.done = true;
        let staged = std::mem::take(&mut *self.state());
        for (_, tmp) in staged.changed {
            let path = tmp.to_path_buf();
            drop(tmp);
            remove_empty_parents(&self.out_dir, &path);
        }
        self.unmark();
        if self.created {
            // Only succeeds when empty: nothing but what this build staged.
            let _ = fs::remove_dir(&self.out_dir);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            self.discard();
        }
    }
}

fn write_manifest(out_dir: &Path, paths: &BTreeSet<&str>) -> Result<()> {
    let manifest: String = paths.iter().map(|p| format!("{p}\n")).collect();
    let manifest_path = out_dir.join(MANIFEST);
    if !same_content(&manifest_path, manifest.as_bytes()) {
        write_atomic_to_the_end(&manifest_path, manifest.as_bytes(), false)?;
    }
    Ok(())
}

fn same_content(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|existing| existing == bytes)
        }
        _ => false,
    }
}

pub(crate) fn read_manifest(out_dir: &Path) -> Vec<String> {
    fs::read_to_string(out_dir.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn remove_empty_parents(out_dir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out_dir || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Relative, `/`-separated, made of plain names only.
pub fn is_safe_output_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.starts_with('/')
        && path != MANIFEST
        && path != STAGING_MARK
        && path != record::FILE
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests;
