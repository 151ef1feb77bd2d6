//! The walk behind [`inputs_key`](super::inputs_key): the stat of every
//! entry below site.toml, `content/` and `themes/`, folded into one digest,
//! and on the way the size and modification time of every file in
//! `content/media/` (the keys of the output's media copies, so the render
//! need not stat them again).
//!
//! Each folder is listed once and its entries are stat-ed relative to the
//! open folder (`DirEntry::metadata`, `statx(dirfd, name)` on Linux): the
//! kernel resolves one name, not the 8 or more components of a whole path.
//! The stat calls of a folder, and its subfolders, run on all cores. Each
//! folder is hashed on its own, in name order, and its digest goes into its
//! parent's entry (a hash tree), so the digest does not depend on which
//! thread finished first, and hashing is spread over the cores too. An
//! entry is its name, its kind, its stat (`add_stat`, strict) and, for a
//! folder, the digest of what it holds: a changed name, size, time, inode,
//! a file added or removed anywhere, or a file replaced by a folder all
//! change the digest. Symbolic links are stat-ed, not followed (as before).

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::add_stat;
use crate::fsutil::at::FileStat;
use crate::render::MediaStats;
use crate::store::index::{Identities, Identity};

/// What one folder's walk yields: its digest, and the media files found in
/// it and below (paths relative to `content/media/`).
struct Folder {
    digest: [u8; 32],
    media: Vec<(String, FileStat)>,
    /// The toot files found in it and below (paths relative to
    /// `content/toots/`), for the toot index (`store/index.rs`).
    toots: Vec<(String, Identity)>,
}

/// `<root>/site.toml`, `content/` and `themes/` in this order: hashed into
/// `hash`; returns the stats of the files in `content/media/` and the
/// identities of the toot files. Any entry that cannot be listed or stat-ed
/// is an error.
pub(super) fn walk(hash: &mut Sha256, root: &Path) -> io::Result<(MediaStats, Identities)> {
    let tops = [
        crate::config::FILE_NAME,
        crate::store::CONTENT_DIR,
        "themes",
    ];
    let walked = tops
        .par_iter()
        .map(|top| top_level(root, top))
        .collect::<io::Result<Vec<_>>>()?;
    let mut media = MediaStats::default();
    let mut toots = Identities::default();
    for (top, walked) in tops.iter().zip(walked) {
        let Some((meta, folder)) = walked else {
            hash.update(format!("\0absent {top}"));
            continue;
        };
        add_stat(hash, top.as_bytes(), &meta, true);
        if let Some(folder) = folder {
            hash.update(folder.digest);
            media.extend(folder.media);
            toots.extend(folder.toots);
        }
    }
    Ok((media, toots))
}

/// A top-level entry (followed when it is a link, as before): `None` when
/// it is absent; its stat, and its folder's walk when it is one.
#[allow(clippy::type_complexity)]
fn top_level(root: &Path, top: &str) -> io::Result<Option<(fs::Metadata, Option<Folder>)>> {
    let path = root.join(top);
    let meta = match fs::metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let place = if top == crate::store::CONTENT_DIR {
        Place::Content
    } else {
        Place::Other
    };
    let folder = if meta.is_dir() {
        Some(folder(&path, &place)?)
    } else {
        None
    };
    Ok(Some((meta, folder)))
}

/// Where a folder is, for what its files are collected.
enum Place {
    /// `content/`.
    Content,
    /// `content/media/` or below it: the path of the folder's files
    /// relative to `content/media/` starts with this (`""`, `h.example/u/`).
    Media(String),
    /// `content/toots/` or below it, likewise.
    Toots(String),
    Other,
}

impl Place {
    /// The place of the subfolder `name`. A name that is not UTF-8 is no
    /// media path (the media index skips such files too), so nothing below
    /// it is collected and the render stats those files itself.
    fn of_child(&self, name: &std::ffi::OsStr) -> Place {
        match (self, name.to_str()) {
            (Place::Content, Some("media")) => Place::Media(String::new()),
            (Place::Media(prefix), Some(name)) => Place::Media(format!("{prefix}{name}/")),
            (Place::Content, Some("toots")) => Place::Toots(String::new()),
            (Place::Toots(prefix), Some(name)) => Place::Toots(format!("{prefix}{name}/")),
            _ => Place::Other,
        }
    }
}

/// The folder at `path`, which is at `place`.
fn folder(path: &Path, place: &Place) -> io::Result<Folder> {
    let mut entries = fs::read_dir(path)?
        .map(|entry| entry.map(|e| (e.file_name(), e)))
        .collect::<io::Result<Vec<(OsString, fs::DirEntry)>>>()?;
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let (names, entries): (Vec<OsString>, Vec<fs::DirEntry>) = entries.into_iter().unzip();
    // Relative to the folder read_dir holds open; a symbolic link's own.
    let stats = entries
        .par_iter()
        .with_min_len(64)
        .map(fs::DirEntry::metadata)
        .collect::<io::Result<Vec<_>>>()?;
    // The entries hold the folder open: close it before walking below it,
    // so a deep or wide tree never holds more than a few folders open.
    drop(entries);
    let subfolders = names
        .iter()
        .zip(&stats)
        .filter(|(_, meta)| meta.is_dir())
        .map(|(name, _)| name)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|name| folder(&path.join(name), &place.of_child(name)))
        .collect::<io::Result<Vec<_>>>()?;
    let mut hash = Sha256::new();
    let mut media = Vec::new();
    let mut toots = Vec::new();
    let mut subfolders = subfolders.into_iter();
    for (name, meta) in names.iter().zip(&stats) {
        add_stat(&mut hash, name.as_encoded_bytes(), meta, true);
        if meta.is_dir() {
            let sub = subfolders.next().expect("one walk per subfolder");
            hash.update(sub.digest);
            media.extend(sub.media);
            toots.extend(sub.toots);
        } else if meta.is_file() {
            match (place, name.to_str()) {
                (Place::Media(prefix), Some(name)) => {
                    media.push((format!("{prefix}{name}"), FileStat::of(meta)));
                }
                (Place::Toots(prefix), Some(name)) if name.ends_with(".json") => {
                    if let Some(identity) = Identity::of(meta) {
                        toots.push((format!("{prefix}{name}"), identity));
                    }
                }
                _ => {}
            }
        }
    }
    Ok(Folder {
        digest: hash.finalize().into(),
        media,
        toots,
    })
}
