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
//!   place until the whole site has rendered. A build into an output folder
//!   that does not exist yet writes every file under its own name into a new
//!   sibling folder instead (`output/fresh.rs`), which is renamed into place
//!   once, at commit. A template error, a bad path, a
//!   missing media file, a privacy finding under `strict_privacy` or SIGINT/
//!   SIGTERM (seen at the next file) therefore leaves the previous output
//!   exactly as it was ([`Staging::abort`], also run on drop);
//! - [`Staging::commit`] then renames the staged files over the old ones, so
//!   a build killed even then leaves every file either old or new, never
//!   truncated (a torn temporary file is removed by the next build, which
//!   looks for them through the whole folder only when the staging mark a
//!   killed build leaves is there). Once renaming has begun a signal no
//!   longer stops it;
//! - files that an earlier build wrote and this one did not are removed,
//!   using a manifest (`.tootbridge-manifest`) in the output folder. Files
//!   tootbridge did not write are never deleted. The manifest written before
//!   the first rename already lists this build's files, so if renaming fails
//!   halfway, the next successful build still removes what this one wrote and
//!   that one does not.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::fsutil::at::Dir;
use crate::fsutil::remove_stale_temps_to;
use crate::render::keys::Key;
use crate::render::{OutputFile, Sink};

mod fresh;
mod memo;
mod put;
pub(crate) mod record;
mod stale;
pub use memo::FILE as RENDER_RECORD;
pub(crate) use stale::read_manifest;
use stale::{remove_empty_parents, write_manifest};

pub const MANIFEST: &str = ".tootbridge-manifest";
/// Present while a build stages or renames files; a build killed meanwhile
/// leaves it, and the next build then runs in full (no build-record
/// shortcut) and looks for the temporary files the killed one left. It is
/// made before the first temporary file and removed after the last rename.
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

/// Size and modification time (nanoseconds since the epoch, a u64: a u128
/// gave every per-file record 16-byte alignment) of an output file, taken
/// once per build from the stat the writer made anyway (the memo's check,
/// the comparison, or the written file's handle; a rename keeps the time),
/// so the records need not stat every file again.
pub(crate) use crate::fsutil::at::FileStat as Stamp;

/// Whether a build into `out_dir` under `global` will find the last
/// build's render keys (as [`Staging::remembering`] would: no killed build
/// since, the record made under `global`); only the record's first lines
/// are read.
pub(crate) fn remembers(out_dir: &Path, global: &Key) -> bool {
    !out_dir.join(STAGING_MARK).exists() && memo::recorded_under(out_dir, global)
}

/// The last build's render keys in `out_dir`, read before a build begins
/// (only reading, so it can overlap the store's load; a failed load then
/// leaves the output folder untouched), for [`Staging::remembering`].
pub(crate) struct Recalled(memo::Memo);

/// The record in `out_dir`, for a build that [`remembers`] it.
pub(crate) fn recall(out_dir: &Path, global: Key) -> Recalled {
    Recalled(memo::Memo::load(out_dir, global, true))
}

/// What a commit leaves: the report, and the stamp of every file of this
/// build, sorted by path (the manifest's order), for the build record.
pub(crate) struct Committed {
    pub report: WriteReport,
    pub outputs: Vec<(String, Stamp)>,
}

/// Writes `files` into `out_dir` as described at the top of this file.
pub fn write(out_dir: &Path, files: &[OutputFile]) -> Result<WriteReport> {
    let staging = Staging::begin(out_dir)?;
    files
        .par_iter()
        .try_for_each(|file| staging.put(file.clone()))?;
    Ok(staging.commit()?.report)
}

/// Locks are split by a hash of the path, so threads putting different
/// files rarely wait for each other.
const SHARDS: usize = 64;

fn shard_of(bytes: &[u8]) -> usize {
    // FNV-1a: a spread, not a defence (the paths are our own).
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % SHARDS as u64) as usize
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// One build's writes to the output folder: staged while the site renders,
/// put in place by [`Staging::commit`].
pub(crate) struct Staging {
    out_dir: PathBuf,
    /// Where files are written: `out_dir`, or the new sibling folder of a
    /// build into a folder that did not exist (see `output/fresh.rs`).
    dir: PathBuf,
    /// That sibling folder, renamed to `out_dir` at commit.
    new_dir: Option<PathBuf>,
    /// `dir`, held open: kept files are stat-ed and new files and folders
    /// made relative to it (`fsutil/at.rs`). After the rename of a new
    /// folder it is the output folder still.
    root: Dir,
    previous: Vec<String>,
    /// Every file of this build by path, split into [`SHARDS`].
    placed: Box<[Mutex<HashMap<String, Placed, ahash::RandomState>>]>,
    /// The output folder was empty or new: no file of this build can exist
    /// yet, so none is compared with the disk.
    fresh: bool,
    /// The output folder did not exist before and is written in place (a
    /// path `output/fresh.rs` leaves alone); an aborted build removes it.
    created: bool,
    /// Folders made so far, so each is made once, not once per file.
    folders: Box<[Mutex<HashSet<Box<Path>>>]>,
    /// Set once committed or aborted, so `Drop` does nothing more.
    done: bool,
    /// A staging mark was there before this build: one was killed.
    was_killed: bool,
    /// The keys of the last build's files, when [`Staging::remembering`].
    memo: Option<memo::Memo>,
    /// Bookkeeping files written in full to their temporary names in
    /// `dir` (the toot index), put in place by the commit with the site.
    staged: Vec<crate::fsutil::Staged>,
}

/// How one file of this build got to be there.
struct Placed {
    /// The temporary file of a changed file in an existing folder;
    /// dropping it removes it.
    tmp: Option<tempfile::TempPath>,
    stamp: Stamp,
    /// Its key, for the memo (`output/memo.rs`).
    key: Option<Key>,
    how: How,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    Written,
    Unchanged,
    Kept,
}

impl Staging {
    /// Prepares `out_dir`: creates it (or its new sibling) and removes the
    /// temporary files and folders a killed build left behind.
    pub(crate) fn begin(out_dir: &Path) -> Result<Staging> {
        crate::interrupt::check()?;
        // A killed build into a new folder leaves its sibling folder.
        fresh::remove_stale_new_folders(out_dir);
        let (dir, new_dir, fresh, created) = match fresh::new_folder(out_dir)? {
            Some(new) => (new.clone(), Some(new), true, false),
            None => {
                let created = !out_dir.exists();
                let fresh = created || fs::read_dir(out_dir).is_ok_and(|mut d| d.next().is_none());
                fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
                (out_dir.to_path_buf(), None, fresh, created)
            }
        };
        let root = match Dir::open(&dir) {
            Ok(root) => root,
            Err(e) => {
                if let Some(new) = &new_dir {
                    let _ = fs::remove_dir_all(new);
                }
                return Err(Error::io(&dir, e));
            }
        };
        let mark = dir.join(STAGING_MARK);
        let was_killed = mark.exists();
        // A build killed while staging leaves torn temporary files anywhere
        // below; never publish them. Without its mark only the folder's own
        // files can be left (the build record is written after the mark is
        // removed), so the whole tree is walked only after a killed build.
        if new_dir.is_none() {
            remove_stale_temps_to(&dir, was_killed);
        }
        if let Err(e) = fs::write(&mark, std::process::id().to_string()) {
            if let Some(new) = &new_dir {
                let _ = fs::remove_dir_all(new);
            }
            return Err(Error::io(&mark, e));
        }
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            previous: read_manifest(&dir),
            dir,
            new_dir,
            root,
            placed: (0..SHARDS).map(|_| Mutex::default()).collect(),
            fresh,
            created,
            folders: (0..SHARDS).map(|_| Mutex::default()).collect(),
            done: false,
            was_killed,
            memo: None,
            staged: Vec::new(),
        })
    }

    /// Keeps files whose key is the same as in the last build under the
    /// build-wide key `global` (see `output/memo.rs`), and records this
    /// build's keys on commit.
    /// With the last build's keys under `global` (`recalled` when they
    /// were read already), unless a build was killed here since.
    pub(crate) fn remembering(mut self, global: Key, recalled: Option<Recalled>) -> Staging {
        // (`remembers` asks the same before a build begins.)
        let trust = !self.was_killed && !self.fresh;
        self.memo = Some(match recalled {
            Some(Recalled(memo)) if trust => memo,
            _ => memo::Memo::load(&self.out_dir, global, trust),
        });
        self
    }

    /// Where this build's files are written until the commit (the output
    /// folder, or the new folder that becomes it).
    pub(crate) fn work_dir(&self) -> &Path {
        &self.dir
    }

    /// Records no keys for this build (its privacy scan found something,
    /// and kept files would not be scanned again).
    pub(crate) fn forget_keys(&self) {
        if let Some(memo) = &self.memo {
            memo.forget();
        }
    }

    /// Puts everything staged in place, removes stale files and records the
    /// manifest.
    pub(crate) fn commit(mut self) -> Result<Committed> {
        // The last moment a signal can stop the build with the old output
        // untouched; from here on the commit runs to its end.
        crate::interrupt::check()?;
        self.done = true;
        // Sized first: at 50,000 toots this list is about 13 MB, and growing
        // it by doubling came on top of the build's peak.
        let count: usize = self.placed.iter().map(|shard| lock(shard).len()).sum();
        let mut files: Vec<(String, Placed)> = Vec::with_capacity(count);
        for shard in self.placed.iter() {
            files.extend(std::mem::take(&mut *lock(shard)));
        }
        files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut report = WriteReport::default();
        for (_, placed) in &files {
            match placed.how {
                How::Written => report.written += 1,
                How::Unchanged => report.unchanged += 1,
                How::Kept => report.kept += 1,
            }
        }
        report.unchanged += report.kept;
        // Before the first rename: every file that may exist after this
        // build, whether it completes or not (both lists are sorted, so
        // they are merged as they are written).
        let manifest = write_manifest(
            &self.dir,
            stale::union(&self.previous, files.iter().map(|(p, _)| p.as_str())),
        );
        if let Some(new) = self.new_dir.take() {
            // One rename puts the whole new folder in place.
            // The bookkeeping goes in place inside the new folder, so it
            // arrives with it.
            let renamed = manifest
                .and_then(|()| self.put_staged())
                .and_then(|()| fresh::rename_into_place(&new, &self.out_dir));
            if renamed.is_err() {
                let _ = fs::remove_dir_all(&new);
            }
            renamed?;
            self.dir = self.out_dir.clone();
        } else {
            manifest?;
            // A failed rename stops the others; the temporary files not
            // renamed are removed as they are dropped.
            let out_dir = &self.out_dir;
            files.par_iter_mut().try_for_each(|(path, placed)| {
                let Some(tmp) = placed.tmp.take() else {
                    return Ok(());
                };
                let dest = out_dir.join(&*path);
                tmp.persist(&dest).map_err(|e| Error::io(&dest, e.error))
            })?;
            self.put_staged()?;
        }
        report.removed = stale::remove(
            &self.out_dir,
            &self.previous,
            files.iter().map(|(p, _)| p.as_str()),
        )?;
        write_manifest(&self.out_dir, files.iter().map(|(p, _)| p.as_str()))?;
        self.previous = Vec::new();
        if let Some(memo) = &self.memo {
            let keyed: Vec<(&str, Key, Stamp)> = files
                .iter()
                .filter_map(|(p, placed)| Some((p.as_str(), placed.key?, placed.stamp)))
                .collect();
            memo.save(&self.out_dir, keyed)?;
        }
        self.unmark();
        let outputs = files
            .into_iter()
            .map(|(p, placed)| (p, placed.stamp))
            .collect();
        Ok(Committed { report, outputs })
    }

    fn unmark(&self) {
        let _ = fs::remove_file(self.dir.join(STAGING_MARK));
    }

    fn discard(&mut self) {
        self.done = true;
        if let Some(new) = self.new_dir.take() {
            // Nothing but what this build made is in it.
            let _ = fs::remove_dir_all(new);
            return;
        }
        for shard in self.placed.iter() {
            for (_, placed) in std::mem::take(&mut *lock(shard)) {
                if let Some(tmp) = placed.tmp {
                    let path = tmp.to_path_buf();
                    drop(tmp);
                    remove_empty_parents(&self.out_dir, &path);
                }
            }
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
