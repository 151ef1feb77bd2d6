//! The commit's last step: the files an earlier build wrote and this one
//! did not are removed, with the folders they leave empty. What an earlier
//! build wrote is what the manifest (`.tootbridge-manifest`) lists; the
//! manifest written before the first rename already lists this build's
//! files too ([`union`]), so a commit that fails halfway still leaves a
//! list of everything that may be ours. Nothing the manifest does not name
//! is ever removed, nor anything with an unsafe path (a manifest edited by
//! hand), nor a folder that still holds anything. The manifest is read and
//! written here too.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use super::{is_safe_output_path, put, MANIFEST};
use crate::error::{Error, Result};
use crate::fsutil::write_atomic_to_the_end;

/// The paths of `previous` and of `current`, both sorted and each once, in
/// order and each once.
pub(super) fn union<'p>(
    previous: &'p [String],
    current: impl Iterator<Item = &'p str>,
) -> impl Iterator<Item = &'p str> {
    let mut previous = previous.iter().map(String::as_str).peekable();
    let mut current = current.peekable();
    std::iter::from_fn(move || match (previous.peek(), current.peek()) {
        (Some(p), Some(c)) if p < c => previous.next(),
        (Some(p), Some(c)) if p > c => current.next(),
        (Some(_), Some(_)) => {
            previous.next();
            current.next()
        }
        (Some(_), None) => previous.next(),
        (None, _) => current.next(),
    })
}

/// Removes from `out_dir` each path of `previous` that `current` lacks
/// (both sorted); returns how many files were removed.
pub(super) fn remove<'p>(
    out_dir: &Path,
    previous: &[String],
    current: impl Iterator<Item = &'p str>,
) -> Result<usize> {
    let mut current = current.peekable();
    let mut removed = 0;
    for stale in previous {
        while current.next_if(|c| *c < stale.as_str()).is_some() {}
        if current.next_if(|c| *c == stale.as_str()).is_some() || !is_safe_output_path(stale) {
            continue;
        }
        let path = out_dir.join(stale);
        match fs::remove_file(&path) {
            Ok(()) => {
                removed += 1;
                remove_empty_parents(out_dir, &path);
            }
            // Gone already, or something of someone else's is where it
            // or its folder was.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::NotFound | ErrorKind::NotADirectory | ErrorKind::IsADirectory
                ) => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    Ok(removed)
}

/// Removes the folders above `file` up to `out_dir` while they are empty.
pub(super) fn remove_empty_parents(out_dir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out_dir || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Writes the manifest of `paths` (sorted, each once) unless it holds them.
pub(super) fn write_manifest<'p>(
    out_dir: &Path,
    paths: impl Iterator<Item = &'p str>,
) -> Result<()> {
    let mut manifest = String::new();
    for p in paths {
        manifest.push_str(p);
        manifest.push('\n');
    }
    let manifest_path = out_dir.join(MANIFEST);
    if put::same_content(&manifest_path, manifest.as_bytes()).is_none() {
        write_atomic_to_the_end(&manifest_path, manifest.as_bytes(), false)?;
    }
    Ok(())
}

/// The paths the manifest in `out_dir` lists, sorted, each once (it is
/// written so; one edited by hand is put in order here).
pub(crate) fn read_manifest(out_dir: &Path) -> Vec<String> {
    let mut paths: Vec<String> = fs::read_to_string(out_dir.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if !paths.is_sorted_by(|a, b| a < b) {
        paths.sort_unstable();
        paths.dedup();
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(paths: &[&str]) -> Vec<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_union_of_two_sorted_lists_is_sorted_and_has_each_path_once() {
        let cases: [(&[&str], &[&str], &[&str]); 5] = [
            (&[], &[], &[]),
            (&["a"], &[], &["a"]),
            (&[], &["a"], &["a"]),
            (
                &["a", "c", "e"],
                &["b", "c", "d", "f"],
                &["a", "b", "c", "d", "e", "f"],
            ),
            (&["a/b", "b"], &["a/b", "b"], &["a/b", "b"]),
        ];
        for (previous, current, union_of) in cases {
            let previous = owned(previous);
            let got: Vec<&str> = union(&previous, current.iter().copied()).collect();
            assert_eq!(got, union_of, "{previous:?} {current:?}");
        }
    }

    #[test]
    fn only_listed_files_this_build_lacks_are_removed_with_their_empty_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        for rel in [
            "a.html",
            "old/x/1.html",
            "old/keep.txt",
            "gone/2.html",
            "mine.txt",
        ] {
            let path = out.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        // A folder where a listed file was is someone else's: left alone.
        fs::create_dir_all(out.join("was-file")).unwrap();
        let previous = owned(&[
            "../outside.html",
            "a.html",
            "gone/2.html",
            "missing.html",
            "old/x/1.html",
            "was-file",
        ]);
        let removed = remove(out, &previous, ["a.html", "new.html"].into_iter()).unwrap();
        assert_eq!(removed, 2);
        assert!(out.join("a.html").is_file());
        assert!(!out.join("gone").exists(), "an emptied folder goes");
        assert!(!out.join("old/x").exists());
        assert!(
            out.join("old/keep.txt").is_file(),
            "a folder with a file stays"
        );
        assert!(out.join("mine.txt").is_file(), "unlisted files stay");
        assert!(out.join("was-file").is_dir());
    }
}
