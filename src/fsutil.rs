//! The one temporary-file scheme of every writer (output staging, the store,
//! the media mirror, the archive import) and the atomic write built on it.
//!
//! A temporary file lives next to its target, so the final rename stays on
//! one file system, and is named `.<name>.tmp-<pid>-<random>`:
//! - the random part comes from `tempfile`, which creates the file
//!   exclusively (`O_EXCL`), so two threads of one process writing the same
//!   target (two toots mirroring the same avatar) never share a file;
//! - the process id lets [`remove_stale_temps`] tell the files of a killed
//!   run from those of a run that is still writing;
//! - the leading dot and the `.tmp-` infix are how a stale file is known to
//!   be ours; nothing else is ever removed.
//!
//! Before a new temporary file is made, [`crate::interrupt::check`] is asked
//! whether SIGINT or SIGTERM arrived, so an interrupted run stops at its
//! next write and its cleanup (the temporary files' `Drop`) runs.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

pub(crate) mod at;

/// The infix that marks a temporary file (`.<name>.tmp-<pid>-<random>`).
pub(crate) const TEMP_INFIX: &str = ".tmp-";

/// Writes `bytes` to a temporary file next to `path`, then renames it over
/// `path`: readers see the old or the new file, never a torn one, even if the
/// process is killed. `durable` also flushes the file to the device first
/// (store files, which are the only copy; output files can be rebuilt).
/// Fails with [`Error::Interrupted`] once a termination signal has arrived.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    crate::interrupt::check()?;
    write_atomic_to_the_end(path, bytes, durable)
}

/// [`write_atomic`] that a signal does not stop: for the last steps of a
/// commit (the output manifest, the build record), which must complete once
/// the first file has been renamed into place.
pub(crate) fn write_atomic_to_the_end(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    write_atomic_with(path, durable, |out| out.write_all(bytes))
}

/// [`write_atomic_to_the_end`] of what `write` writes into a buffered
/// writer, for large files made line by line (the render record: 14 MB at
/// 50,000 toots, which as one string came on top of the build's peak).
pub(crate) fn write_atomic_with(
    path: &Path,
    durable: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let staged = stage_with(path, write)?;
    if durable {
        let file = staged.tmp.as_file();
        file.sync_all().map_err(|e| Error::io(path, e))?;
    }
    staged.put_in_place()
}

/// A file written in full to its temporary name, not yet in place: dropped,
/// it is removed; [`Staged::put_in_place`] renames it over its target.
pub(crate) struct Staged {
    tmp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
}

impl Staged {
    pub(crate) fn put_in_place(self) -> Result<()> {
        let Staged { tmp, path } = self;
        tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        Ok(())
    }
}

/// The first half of [`write_atomic_with`]: what `write` writes, in a
/// temporary file next to `path` (its folders made as needed), for a writer
/// that may put it in place only once other work has succeeded.
pub(crate) fn stage_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Staged> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = new_temp(path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp);
    let written = write(&mut out).and_then(|()| out.flush());
    // On any error the temporary file is dropped, which removes it.
    written.map_err(|e| Error::io(path, e))?;
    let tmp = out
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    Ok(Staged {
        tmp,
        path: path.to_path_buf(),
    })
}

/// [`write_atomic`] of what `reader` yields, streamed (an entry of an
/// archive being unpacked); `path`'s folders are made as needed.
pub(crate) fn write_stream(path: &Path, reader: &mut impl std::io::Read) -> Result<()> {
    crate::interrupt::check()?;
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = new_temp(path)?;
    std::io::copy(reader, &mut tmp).map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// A new, empty temporary file next to `path` (whose folder must exist),
/// removed when dropped unless persisted. Fails with
/// [`Error::Interrupted`] once a termination signal has arrived.
pub(crate) fn temp_file(path: &Path) -> Result<tempfile::NamedTempFile> {
    crate::interrupt::check()?;
    new_temp(path)
}

fn new_temp(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let prefix = format!(".{name}{TEMP_INFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).rand_bytes(6);
    // tempfile's own default is 0600; a page or media file must stay as
    // readable as any other file the process writes (the umask decides).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))
}

/// A new temporary folder in the system's temporary directory, named
/// `<prefix><random>` and removed with everything in it when dropped (an
/// unpacked `.tar.gz` export lives there while it is imported).
pub(crate) fn temp_dir(prefix: &str) -> Result<tempfile::TempDir> {
    let base = std::env::temp_dir();
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(&base)
        .map_err(|e| Error::io(&base, e))
}

/// Removes the temporary files that killed runs left below `dir` (see the
/// top of this file). Files of a process that still runs are left alone, so
/// two runs on the same folder do not break each other's writes. Returns how
/// many were removed.
pub(crate) fn remove_stale_temps(dir: &Path) -> usize {
    remove_stale_temps_to(dir, true)
}

/// [`remove_stale_temps`] in `dir` itself, and with `deep` in every folder
/// below it.
pub(crate) fn remove_stale_temps_to(dir: &Path, deep: bool) -> usize {
    let mut removed = 0;
    let walk = walkdir::WalkDir::new(dir).max_depth(if deep { usize::MAX } else { 1 });
    for entry in walk.into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(pid) = entry.file_name().to_str().and_then(temp_owner) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// The process id in the name of one of our temporary files: the current
/// `.<name>.tmp-<pid>-<random>`, and the two older schemes
/// `.<name>.tmp-<pid>` and `.import-<pid>.tmp`, whose files killed runs of
/// earlier versions may have left.
fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(pid) = rest
        .strip_prefix("import-")
        .and_then(|r| r.strip_suffix(".tmp"))
    {
        return digits(pid).then(|| pid.parse().ok()).flatten();
    }
    let (stem, tail) = rest.rsplit_once(TEMP_INFIX)?;
    let (pid, random) = tail.split_once('-').unwrap_or((tail, "x"));
    let random_ok = !random.is_empty() && random.bytes().all(|b| b.is_ascii_alphanumeric());
    if stem.is_empty() || !digits(pid) || !random_ok {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` runs; where that cannot be told (no `/proc`), it is
/// assumed to, and its files are kept.
pub(crate) fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// The names in `dir`, sorted: the unit tests' view of a folder (of the
/// output writer's and the media store's alike).
#[cfg(test)]
pub(crate) fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests;
