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
use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::fsutil::{remove_stale_temps, temp_file, write_atomic_to_the_end};
use crate::render::keys::Key;
use crate::render::{Body, OutputFile, Sink};

mod memo;
pub mod record;
pub use memo::FILE as RENDER_RECORD;

pub const MANIFEST: &str = ".tootbridge-manifest";
/// Present while a build stages or renames files; a build killed meanwhile
/// leaves it, and the next build then runs in full (no build-record
/// shortcut), which removes the temporary files the killed one left.
pub const STAGING_MARK: &str = ".tootbridge-staging";

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
pub struct Staging {
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
    /// Every path of this build.
    paths: HashSet<String>,
    /// (path, temporary file) of every file that differs from the disk;
    /// dropping a temporary file removes it.
    changed: Vec<(String, tempfile::TempPath)>,
    unchanged: usize,
    kept: usize,
}

impl Staging {
    /// Prepares `out_dir`: creates it and removes temporary files a killed
    /// build left behind.
    pub fn begin(out_dir: &Path) -> Result<Staging> {
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
    pub fn remembering(mut self, global: Key) -> Staging {
        let trust = !self.was_killed && !self.fresh;
        self.memo = Some(memo::Memo::load(&self.out_dir, global, trust));
        self
    }

    /// Records no keys for this build (its privacy scan found something,
    /// and kept files would not be scanned again).
    pub fn forget_keys(&self) {
        if let Some(memo) = &self.memo {
            memo.forget();
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Staged> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts everything staged in place, removes stale files and records the
    /// manifest.
    pub fn commit(mut self) -> Result<WriteReport> {
        // The last moment a signal can stop the build with the old output
        // untouched; from here on the commit runs to its end.
        crate::interrupt::check()?;
        self.done = true;
        let staged = std::mem::take(&mut *self.state());
        let written = staged.changed.len();
        let paths: BTreeSet<&str> = staged.paths.iter().map(String::as_str).collect();
        // Before the first rename: every file that may exist after this
        // build, whether it completes or not.
        let mut pending: BTreeSet<&str> = self.previous.iter().map(String::as_str).collect();
        pending.extend(paths.iter().copied());
        // A failed rename stops the others; the temporary files not renamed
        // are removed as they are dropped.
        write_manifest(&self.out_dir, &pending)?;
        staged.changed.into_par_iter().try_for_each(|(path, tmp)| {
            let dest = self.out_dir.join(path);
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

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        crate::interrupt::check()?;
        self.claim(&file.path)?;
        let dest = self.out_dir.join(&file.path);
        let bytes = match &file.body {
            Body::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
            Body::Copy(source) => {
                match fs::metadata(source) {
                    Ok(meta) if meta.is_file() => {}
                    Ok(_) => {
                        return Err(Error::Other(format!("{} is not a file", source.display())))
                    }
                    Err(e) => return Err(Error::io(source, e)),
                }
                if self.fresh {
                    // Nothing to compare with: the kernel copies the file
                    // without it passing through this process.
                    let mut to = self.stage(file.path, &dest)?;
                    return copy_into(source, &mut to, &dest);
                }
                std::borrow::Cow::Owned(fs::read(source).map_err(|e| Error::io(source, e))?)
            }
        };
        if !self.fresh && same_content(&dest, &bytes) {
            self.state().unchanged += 1;
            return Ok(());
        }
        let mut to = self.stage(file.path, &dest)?;
        std::io::Write::write_all(&mut to, &bytes).map_err(|e| Error::io(&dest, e))
    }

    fn keyed(&self) -> bool {
        self.memo.is_some()
    }

    fn put_keyed(
        &self,
        path: &str,
        key: Key,
        make: &mut dyn FnMut() -> Result<OutputFile>,
    ) -> Result<()> {
        let Some(memo) = &self.memo else {
            return self.put(make()?);
        };
        if memo.is_current(&self.out_dir, path, &key) {
            self.claim(path)?;
            let mut state = self.state();
            state.unchanged += 1;
            state.kept += 1;
        } else {
            let file = make()?;
            if file.path != path {
                return Err(Error::Other(format!(
                    "a file for {path} came out as {}",
                    file.path
                )));
            }
            self.put(file)?;
        }
        memo.note(path, key);
        Ok(())
    }
}

impl Staging {
    /// Takes `path` for this build: a safe path, and not taken yet.
    fn claim(&self, path: &str) -> Result<()> {
        if !is_safe_output_path(path) {
            return Err(Error::Other(format!(
                "refusing to write output path {path:?}"
            )));
        }
        if !self.state().paths.insert(path.to_string()) {
            return Err(Error::Other(format!(
                "two output files share the path {path}"
            )));
        }
        Ok(())
    }
}

/// Copies `source` into the new temporary file `to` (staged for `dest`).
/// Unlike `fs::copy`, the copy gets the permissions every other output file
/// gets (from the umask), not the source's: a store file readable by its
/// owner only must not become a page the web server cannot read.
/// `io::copy` between files still copies in the kernel on Linux.
fn copy_into(source: &Path, to: &mut fs::File, dest: &Path) -> Result<()> {
    let mut from = fs::File::open(source).map_err(|e| Error::io(source, e))?;
    std::io::copy(&mut from, to).map_err(|e| Error::io(dest, e))?;
    Ok(())
}

impl Staging {
    /// A new temporary file for `dest`, recorded before anything is written
    /// into it, so a failed write is cleaned up with the rest.
    fn stage(&self, path: String, dest: &Path) -> Result<fs::File> {
        self.make_folder(dest)?;
        let (file, tmp) = temp_file(dest)?.into_parts();
        self.state().changed.push((path, tmp));
        Ok(file)
    }

    /// Makes the folder `file` goes in, once per build.
    fn make_folder(&self, file: &Path) -> Result<()> {
        let dir = file.parent().unwrap_or(Path::new("."));
        if self
            .folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(dir)
        {
            return Ok(());
        }
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf());
        Ok(())
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
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            body: Body::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn writes_changed_only_and_removes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(
            &out,
            &[file("index.html", "a"), file("toots/1/index.html", "b")],
        )
        .unwrap();
        assert_eq!(
            first,
            WriteReport {
                written: 2,
                unchanged: 0,
                removed: 0,
                kept: 0
            }
        );
        fs::write(out.join("own.txt"), "not ours").unwrap();

        let again = write(
            &out,
            &[file("index.html", "a"), file("toots/1/index.html", "b")],
        )
        .unwrap();
        assert_eq!(
            again,
            WriteReport {
                written: 0,
                unchanged: 2,
                removed: 0,
                kept: 0
            }
        );

        let changed = write(&out, &[file("index.html", "c")]).unwrap();
        assert_eq!(
            changed,
            WriteReport {
                written: 1,
                unchanged: 0,
                removed: 1,
                kept: 0
            }
        );
        assert!(
            !out.join("toots").exists(),
            "empty folders of stale files go too"
        );
        assert_eq!(fs::read_to_string(out.join("own.txt")).unwrap(), "not ours");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "c");
    }

    fn copy(path: &str, source: &Path) -> OutputFile {
        OutputFile {
            path: path.into(),
            body: Body::Copy(source.to_path_buf()),
        }
    }

    #[test]
    fn missing_copy_source_fails_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[file("index.html", "old")]).unwrap();
        let manifest = fs::read(out.join(MANIFEST)).unwrap();
        let err = write(
            &out,
            &[
                file("index.html", "new"),
                copy("media/a.png", &dir.path().join("missing.png")),
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("missing.png"), "{err}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), manifest);
    }

    #[test]
    fn copies_into_a_new_folder_and_compares_in_an_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.png");
        fs::write(&source, [0u8, 159, 146, 150]).unwrap();
        let out = dir.path().join("public");
        let files = [file("index.html", "a"), copy("media/x/a.png", &source)];
        // New folder: written without comparing, the media by the kernel.
        assert_eq!(write(&out, &files).unwrap().written, 2);
        assert_eq!(
            fs::read(out.join("media/x/a.png")).unwrap(),
            [0, 159, 146, 150]
        );
        // Same files again: compared, nothing written.
        let again = write(&out, &files).unwrap();
        assert_eq!((again.written, again.unchanged), (0, 2));
        fs::write(&source, [1u8, 2]).unwrap();
        let changed = write(&out, &files).unwrap();
        assert_eq!((changed.written, changed.unchanged), (1, 1));
        assert_eq!(fs::read(out.join("media/x/a.png")).unwrap(), [1, 2]);
    }

    #[cfg(unix)]
    #[test]
    fn copied_media_get_the_permissions_of_other_output_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.png");
        fs::write(&source, "png").unwrap();
        fs::set_permissions(&source, fs::Permissions::from_mode(0o600)).unwrap();
        let out = dir.path().join("public");
        write(
            &out,
            &[file("media/x.html", "x"), copy("media/a.png", &source)],
        )
        .unwrap();
        let mode = |p: &str| fs::metadata(out.join(p)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("media/a.png"), mode("media/x.html"));
    }

    #[test]
    fn a_failed_first_build_leaves_no_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.png");
        fs::write(&source, "png").unwrap();
        let out = dir.path().join("public");
        let failed = write(
            &out,
            &[
                copy("media/a.png", &source),
                file("index.html", "a"),
                copy("media/b.png", &dir.path().join("missing.png")),
            ],
        );
        assert!(failed.is_err());
        assert!(!out.exists(), "staged copies and folders are removed");
    }

    #[test]
    fn a_failure_while_staging_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[file("index.html", "1")]).unwrap();
        let manifest = fs::read(out.join(MANIFEST)).unwrap();
        // A file of someone else's is in the way of `blocked/x.html`.
        fs::write(out.join("blocked"), "not ours").unwrap();
        let failed = write(
            &out,
            &[
                file("index.html", "2"),
                file("new/extra.html", "2"),
                file("blocked/x.html", "2"),
            ],
        );
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "1");
        assert!(!out.join("new").exists(), "staged files and folders go");
        assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), manifest);
        let left: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn files_of_a_failed_commit_are_removed_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[file("index.html", "1")]).unwrap();
        // A folder of someone else's is where `blocked.html` would go, so
        // its rename fails after others may have succeeded.
        fs::create_dir_all(out.join("blocked.html/inner")).unwrap();
        let failed = write(
            &out,
            &[
                file("index.html", "2"),
                file("extra.html", "2"),
                file("blocked.html", "2"),
            ],
        );
        assert!(failed.is_err());
        // Every file is old or new, never torn.
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(index == "1" || index == "2", "{index}");
        let next = write(&out, &[file("index.html", "3")]).unwrap();
        assert!(!out.join("extra.html").exists());
        assert!(out.join("blocked.html/inner").is_dir());
        assert!(next.removed <= 1);
        assert_eq!(
            fs::read_to_string(out.join(MANIFEST)).unwrap(),
            "index.html\n"
        );
    }

    #[test]
    fn unchanged_files_keep_their_modification_time() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [file("a.html", "a"), file("b/c.xml", "c")];
        write(&out, &files).unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        for f in ["a.html", "b/c.xml", MANIFEST] {
            fs::File::options()
                .write(true)
                .open(out.join(f))
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        let report = write(&out, &files).unwrap();
        assert_eq!(report.written, 0);
        for f in ["a.html", "b/c.xml", MANIFEST] {
            assert_eq!(
                fs::metadata(out.join(f)).unwrap().modified().unwrap(),
                old,
                "{f}"
            );
        }
    }

    #[test]
    fn unsafe_paths_are_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "", MANIFEST] {
            assert!(
                write(dir.path(), &[file("ok.html", "x"), file(bad, "x")]).is_err(),
                "{bad}"
            );
        }
        assert!(!dir.path().join("ok.html").exists());
    }
}
