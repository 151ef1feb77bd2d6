//! The only writer of the output folder.
//!
//! It gets the complete site as [`OutputFile`]s (rendered in memory first, so
//! a template error never leaves a half-written site), then:
//! - writes only files whose bytes differ from what is on disk, so unchanged
//!   files keep their modification time and `rsync`/object-storage syncs
//!   upload only real changes;
//! - writes each file to a temporary name and renames it, so a killed build
//!   leaves every file either old or new, never truncated (the torn temporary
//!   file it may leave is removed by the next build);
//! - removes files that an earlier build wrote and this one did not, using a
//!   manifest (`.tootbridge-manifest`) in the output folder. Files tootbridge
//!   did not write are never deleted.
//!
//! Everything that can be checked before the first write is checked first
//! (paths, and that every file to copy exists), so most failures leave the
//! folder untouched. A failure while writing (disk full, a folder in the way)
//! leaves each file old or new; the manifest written before the first file
//! already lists this build's files, so the next successful build still
//! removes whatever this one wrote and that one does not.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::fsutil::{remove_stale_temps, write_atomic};
use crate::render::{Body, OutputFile};

pub const MANIFEST: &str = ".tootbridge-manifest";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Writes `files` into `out_dir` as described at the top of this file.
pub fn write(out_dir: &Path, files: &[OutputFile]) -> Result<WriteReport> {
    let mut report = WriteReport::default();
    let mut paths = BTreeSet::new();
    for file in files {
        if !is_safe_output_path(&file.path) {
            return Err(Error::Other(format!(
                "refusing to write output path {:?}",
                file.path
            )));
        }
        if !paths.insert(file.path.as_str()) {
            return Err(Error::Other(format!(
                "two output files share the path {}",
                file.path
            )));
        }
    }
    for file in files {
        if let Body::Copy(source) = &file.body {
            match fs::metadata(source) {
                Ok(meta) if meta.is_file() => {}
                Ok(_) => return Err(Error::Other(format!("{} is not a file", source.display()))),
                Err(e) => return Err(Error::io(source, e)),
            }
        }
    }
    fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
    // A build killed mid-write leaves a torn temporary file; never publish it.
    remove_stale_temps(out_dir);
    let previous = read_manifest(out_dir);
    // Before the first write: every file that may exist after this build,
    // whether it completes or not.
    let mut pending: BTreeSet<&str> = previous.iter().map(String::as_str).collect();
    pending.extend(paths.iter().copied());
    write_manifest(out_dir, &pending)?;

    // Files are independent (distinct paths, checked above): compare and
    // write them in parallel. Every file is tried (as a sequential loop would
    // up to the failing file); then the first error in file order wins. Files
    // already written are listed in the manifest written above.
    let written = files
        .par_iter()
        .map(|file| -> Result<bool> {
            let dest = out_dir.join(&file.path);
            let bytes = match &file.body {
                Body::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
                Body::Copy(source) => {
                    std::borrow::Cow::Owned(fs::read(source).map_err(|e| Error::io(source, e))?)
                }
            };
            if same_content(&dest, &bytes) {
                Ok(false)
            } else {
                write_atomic(&dest, &bytes, false)?;
                Ok(true)
            }
        })
        .collect::<Vec<Result<bool>>>()
        .into_iter()
        .collect::<Result<Vec<bool>>>()?;
    report.written = written.iter().filter(|&&w| w).count();
    report.unchanged = written.len() - report.written;

    for stale in previous.iter().filter(|p| !paths.contains(p.as_str())) {
        if !is_safe_output_path(stale) {
            continue;
        }
        let path = out_dir.join(stale);
        match fs::remove_file(&path) {
            Ok(()) => {
                report.removed += 1;
                remove_empty_parents(out_dir, &path);
            }
            // Gone already, or a file of someone else's is where its folder was.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }

    write_manifest(out_dir, &paths)?;
    Ok(report)
}

fn write_manifest(out_dir: &Path, paths: &BTreeSet<&str>) -> Result<()> {
    let manifest: String = paths.iter().map(|p| format!("{p}\n")).collect();
    let manifest_path = out_dir.join(MANIFEST);
    if !same_content(&manifest_path, manifest.as_bytes()) {
        write_atomic(&manifest_path, manifest.as_bytes(), false)?;
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
        && path != crate::buildcache::FILE
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
                removed: 0
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
                removed: 0
            }
        );

        let changed = write(&out, &[file("index.html", "c")]).unwrap();
        assert_eq!(
            changed,
            WriteReport {
                written: 1,
                unchanged: 0,
                removed: 1
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
    fn files_of_a_failed_write_are_removed_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[file("index.html", "1")]).unwrap();
        // A file of someone else's is in the way of `blocked/x.html`.
        fs::write(out.join("blocked"), "not ours").unwrap();
        let failed = write(
            &out,
            &[
                file("index.html", "2"),
                file("extra.html", "2"),
                file("blocked/x.html", "2"),
            ],
        );
        assert!(failed.is_err());
        // Every file is old or new, never torn.
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert_eq!(fs::read_to_string(out.join("extra.html")).unwrap(), "2");
        let next = write(&out, &[file("index.html", "3")]).unwrap();
        assert_eq!(next.removed, 1);
        assert!(!out.join("extra.html").exists());
        assert_eq!(fs::read_to_string(out.join("blocked")).unwrap(), "not ours");
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
