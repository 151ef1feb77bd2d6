//! The build record (`.tootbridge-build`): the no-change shortcut of `build`.
//!
//! Output depends only on the inputs (site.toml, `content/`, `themes/`, the
//! `--base-url` override and the tootbridge binary): no clock, no network, no
//! environment. So after a successful build we record, in
//! `.tootbridge-build` in the output folder, a digest of those inputs (path,
//! size and modification time of every file, never their bytes) and of the
//! output (path and size of every file in the manifest), with the build's
//! counts and warnings. The next build computes the input digest again; when
//! it matches and every output file is still there with its size and was not
//! modified after the record, nothing can differ, and the build returns the
//! recorded report without loading, rendering or comparing anything. Any
//! doubt (a changed or unreadable input, a missing, resized or newer output
//! file, a different binary) means a normal build.

use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{read_manifest, Stamp, WriteReport};

pub const FILE: &str = ".tootbridge-build";
const HEADER: &str = "tootbridge build record 1";

/// What a recorded build reports again.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Recorded {
    pub published: usize,
    pub skipped: usize,
    pub warnings: Vec<String>,
}

/// What a build's first look at its inputs found.
pub(crate) struct Inputs {
    /// The digest of everything a build of the site reads.
    pub key: String,
    /// The files of `content/media/`, stat-ed on the way.
    pub media: crate::render::MediaStats,
    /// The toot files' identities, for the toot index.
    pub toots: crate::store::index::Identities,
}

/// Digest of everything a build of `root` reads, or `None` when some input
/// cannot be read (then the build runs normally and will report it).
#[cfg(test)]
pub(crate) fn inputs_key(root: &Path, base_url: Option<&str>) -> Option<String> {
    scan_inputs(root, base_url).map(|inputs| inputs.key)
}

/// The digest of everything a build of `root` reads (path, kind, size and
/// times of every file, see `record/inputs.rs`), with the stats of the
/// media files; `None` when some input cannot be read (then the build runs
/// normally and will report it).
pub(crate) fn scan_inputs(root: &Path, base_url: Option<&str>) -> Option<Inputs> {
    let mut hash = Sha256::new();
    hash.update(HEADER);
    hash.update(env!("CARGO_PKG_VERSION"));
    // A rebuilt binary may render differently.
    let exe = std::env::current_exe().ok()?;
    add_stat(&mut hash, b"exe", &fs::metadata(exe).ok()?, false);
    hash.update([0xff]);
    hash.update(base_url.unwrap_or("\0none"));
    let (media, toots) = inputs::walk(&mut hash, root).ok()?;
    Some(Inputs {
        key: format!("{:x}", hash.finalize()),
        media,
        toots,
    })
}

/// The build-wide key of the output writer's render record
/// (`output/memo.rs`): what the per-file keys leave out, namely the binary,
/// site.toml, the `--base-url` override and the files of the site's theme
/// folder (the built-in theme is part of the binary). `None` when one of
/// them cannot be read; then nothing is kept from the last build.
pub(crate) fn render_key(
    root: &Path,
    base_url: Option<&str>,
    theme: &str,
) -> Option<crate::render::keys::Key> {
    let mut hash = crate::render::keys::KeyHasher::new("render record");
    hash.bytes(env!("CARGO_PKG_VERSION").as_bytes());
    let exe = fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mut stat = Sha256::new();
    add_stat(&mut stat, b"exe", &exe, false);
    hash.bytes(&stat.finalize());
    hash.value(&base_url);
    hash.bytes(&fs::read(root.join(crate::config::FILE_NAME)).ok()?);
    let dir = root.join("themes").join(theme);
    if dir.exists() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.ok()?;
            let rel = entry.path().strip_prefix(&dir).ok()?.to_string_lossy();
            hash.value(&rel);
            if entry.file_type().is_file() {
                hash.bytes(&fs::read(entry.path()).ok()?);
            }
        }
    }
    Some(hash.key())
}

/// Adds a file's name, kind, size and modification time to `hash`; with
/// `strict` (the site's own files) also what no edit can keep.
fn add_stat(hash: &mut Sha256, name: &[u8], meta: &fs::Metadata, strict: bool) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hash.update(name);
    hash.update([0, meta.is_dir() as u8]);
    hash.update(meta.len().to_le_bytes());
    hash.update(mtime.to_le_bytes());
    // The change time, inode and device too: an edit that keeps the size
    // and sets the modification time back (`touch -d`, `cp -p` or a tar
    // restore of another version) still changes them, and no user can set
    // the change time. A copy of the site (`cp -a`, a CI cache) only misses
    // this shortcut; the rebuild after it is still incremental. Not for the
    // binary: a reinstalled or restored copy of the same binary must keep
    // the render record (`render_key`), or every page would render again.
    #[cfg(unix)]
    if strict {
        use std::os::unix::fs::MetadataExt;
        hash.update(meta.ctime().to_le_bytes());
        hash.update(meta.ctime_nsec().to_le_bytes());
        hash.update(meta.ino().to_le_bytes());
        hash.update(meta.dev().to_le_bytes());
    }
}

/// Digest of the output listed in the manifest, if every file is there, is a
/// file and was not modified after `not_after` (nanoseconds, as a
/// [`Stamp`]). The files are stat-ed relative to the open output folder
/// (`fsutil/at.rs`), so the kernel does not walk the folder's own path
/// again for each of them.
fn outputs_key(out_dir: &Path, not_after: u64) -> Option<(String, usize)> {
    let paths = read_manifest(out_dir);
    if paths.is_empty() {
        return None;
    }
    let dir = crate::fsutil::at::Dir::open(out_dir).ok()?;
    // `file_stat` is `None` for anything but a regular file.
    let stats = paths
        .par_iter()
        .map(|rel| dir.file_stat(rel).filter(|stat| stat.mtime <= not_after))
        .collect::<Option<Vec<_>>>()?;
    let digest = digest_of(paths.iter().zip(&stats).map(|(p, s)| (p.as_str(), s.size)));
    Some((digest, paths.len()))
}

/// The recorded report, when the output in `out_dir` is exactly what a build
/// with inputs `key` wrote.
pub(crate) fn lookup(out_dir: &Path, key: &str) -> Option<(Recorded, WriteReport)> {
    // A build was killed while staging or renaming: run in full, which also
    // removes the temporary files it left.
    if out_dir.join(super::STAGING_MARK).exists() {
        return None;
    }
    let path = out_dir.join(FILE);
    let text = fs::read_to_string(&path).ok()?;
    let mut lines = text.splitn(4, '\n');
    if lines.next()? != HEADER || lines.next()?.strip_prefix("inputs ")? != key {
        return None;
    }
    let outputs = lines.next()?.strip_prefix("outputs ")?.to_string();
    let recorded: Recorded = serde_json::from_str(lines.next()?).ok()?;
    let modified = Stamp::of(&fs::metadata(&path).ok()?).mtime;
    let (now, count) = outputs_key(out_dir, modified)?;
    (now == outputs).then_some((
        recorded,
        WriteReport {
            written: 0,
            unchanged: count,
            removed: 0,
            kept: count,
        },
    ))
}

/// The digest `outputs_key` makes of files with these paths (in manifest
/// order) and sizes.
fn digest_of<'a>(files: impl Iterator<Item = (&'a str, u64)>) -> String {
    let mut hash = Sha256::new();
    for (rel, size) in files {
        hash.update(rel.as_bytes());
        hash.update([0]);
        hash.update(size.to_le_bytes());
    }
    format!("{:x}", hash.finalize())
}

/// Records a successful build (after its output is complete) whose files
/// are `outputs`, with the stamps the build took (sorted by path, as in the
/// manifest), so no output file is stat-ed again. Unchanged records are not
/// rewritten, so a rebuild touches no file at all.
pub(crate) fn record(
    out_dir: &Path,
    key: &str,
    recorded: &Recorded,
    outputs: &[(String, Stamp)],
) -> crate::error::Result<()> {
    if outputs.is_empty() {
        return Ok(());
    }
    let outputs_digest = digest_of(outputs.iter().map(|(p, s)| (p.as_str(), s.size)));
    let text = format!(
        "{HEADER}\ninputs {key}\noutputs {outputs_digest}\n{}\n",
        serde_json::to_string(recorded).expect("record serializes")
    );
    let path = out_dir.join(FILE);
    let same = fs::read(&path).is_ok_and(|old| old == text.as_bytes());
    // Rewrite it when an output file is newer (it was just restored), or the
    // record would never hold again.
    let still_holds = || {
        let modified = fs::metadata(&path).ok().map(|m| Stamp::of(&m).mtime);
        modified.is_some_and(|limit| outputs.iter().all(|(_, s)| s.mtime <= limit))
    };
    if same && still_holds() {
        return Ok(());
    }
    // Part of the commit: it completes even after a signal.
    crate::fsutil::write_atomic_to_the_end(&path, text.as_bytes(), false)
}

mod inputs;
#[cfg(test)]
mod tests;
