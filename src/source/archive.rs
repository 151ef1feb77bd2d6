//! Reading a Mastodon account export: a `.zip` as the server sends it, a
//! `.tar.gz`, or an unpacked folder.
//!
//! Nothing is read whole. `outbox.json` is streamed item by item through
//! serde (one `Value` per item in memory), zip entries are decompressed while
//! they are copied, and a `.tar.gz` (which has no index) is unpacked once into
//! a temporary folder that is removed again when the [`Archive`] is dropped.
//!
//! The archive is trusted no more than a server: entry names only ever select
//! entries (they never become paths in the store; media get content-hash
//! names in [`copy`]), tar entries other than plain files are ignored, a
//! folder's symlinks are not followed, and `outbox.json`, `actor.json` and
//! each media file have a size cap.

mod copy;
mod outbox;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tempfile::TempDir;

use crate::error::{Error, Result};

pub(crate) use copy::copy as store_entry;
pub(crate) use copy::{Copied, MediaDir, MAX_MEDIA_BYTES};
pub(crate) use outbox::OutboxInfo;

/// `actor.json` is one small object.
const MAX_ACTOR_BYTES: u64 = 16 << 20;

/// An opened export.
pub(crate) struct Archive {
    path: PathBuf,
    /// Where the export's own files start ("" or "folder/"), `/`-separated.
    root: String,
    /// Media entries by their `media_attachments/…` suffix.
    media: HashMap<String, String>,
    files: Files,
    /// Keeps an unpacked `.tar.gz` alive; removes it on drop.
    _unpacked: Option<TempDir>,
}

enum Files {
    Zip(Box<zip::ZipArchive<SharedFile>>),
    Dir(PathBuf),
}

impl Archive {
    /// Opens `path`: a folder, a zip or a gzipped tar (told apart by content,
    /// not by name).
    pub(crate) fn open(path: &Path) -> Result<Archive> {
        if path.is_dir() {
            return Archive::from_dir(path, path.to_path_buf(), None);
        }
        let mut magic = [0u8; 4];
        let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
        let read = file.read(&mut magic).map_err(|e| Error::io(path, e))?;
        match &magic[..read] {
            [b'P', b'K', 3, 4] | [b'P', b'K', 5, 6] => Archive::from_zip(path),
            [0x1f, 0x8b, ..] => {
                let temp = crate::fsutil::temp_dir("tootbridge-import-")?;
                unpack_tar_gz(path, temp.path())?;
                let dir = temp.path().to_path_buf();
                Archive::from_dir(path, dir, Some(temp))
            }
            _ => Err(archive_error(
                path,
                "is neither a .zip, a .tar.gz nor a folder of a Mastodon export",
            )),
        }
    }

    fn from_zip(path: &Path) -> Result<Archive> {
        let zip = open_zip(path)?;
        let names: Vec<String> = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .filter(|n| !n.ends_with('/'))
            .collect();
        Archive::build(path, names, Files::Zip(Box::new(zip)), None)
    }

    fn from_dir(path: &Path, dir: PathBuf, unpacked: Option<TempDir>) -> Result<Archive> {
        let mut names = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).follow_links(false) {
            let entry = entry.map_err(|e| archive_error(path, &e.to_string()))?;
            if entry.file_type().is_file() {
                if let Ok(rel) = entry.path().strip_prefix(&dir) {
                    names.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        Archive::build(path, names, Files::Dir(dir), unpacked)
    }

    fn build(
        path: &Path,
        names: Vec<String>,
        files: Files,
        unpacked: Option<TempDir>,
    ) -> Result<Archive> {
        let outbox = names
            .iter()
            .filter(|n| *n == "outbox.json" || n.ends_with("/outbox.json"))
            .min_by_key(|n| (n.len(), n.as_str()))
            .ok_or_else(|| {
                archive_error(
                    path,
                    "has no outbox.json; is it a Mastodon account export (Preferences → Import and export)?",
                )
            })?;
        let root = outbox.trim_end_matches("outbox.json").to_string();
        let media = names
            .iter()
            .filter(|n| n.starts_with(&root))
            .filter_map(|n| Some((media_key(n)?.to_string(), n.clone())))
            .collect();
        Ok(Archive {
            path: path.to_path_buf(),
            root,
            media,
            files,
            _unpacked: unpacked,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// `actor.json`, when the export has one that parses.
    pub(crate) fn actor(&mut self) -> Result<Option<Value>> {
        let name = format!("{}actor.json", self.root);
        let Some(reader) = self.files.open(&name)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        reader
            .take(MAX_ACTOR_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(self.path.join(&name), e))?;
        if bytes.len() as u64 > MAX_ACTOR_BYTES {
            return Err(archive_error(&self.path.join(&name), "is too large"));
        }
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| archive_error(&self.path.join(&name), &e.to_string()))
    }

    /// Streams `outbox.json`, calling `on_item` with each item and the
    /// archive (to copy media while the outbox is being read). An error from
    /// `on_item` stops the stream and is returned as is.
    pub(crate) fn stream_outbox(
        &mut self,
        mut on_item: impl FnMut(Value, &mut Archive) -> Result<()>,
    ) -> Result<OutboxInfo> {
        let name = format!("{}outbox.json", self.root);
        let shown = self.path.join(&name);
        // A second handle on the file, so the outbox can be read while `self`
        // serves media entries.
        // A clone of a zip shares its parsed index (one entry per file of
        // the export), which is not read twice.
        let dir = match &self.files {
            Files::Zip(zip) => Err((**zip).clone()),
            Files::Dir(dir) => Ok(dir.clone()),
        };
        match dir {
            Err(mut zip) => {
                let entry = zip
                    .by_name(&name)
                    .map_err(|e| archive_error(&shown, &e.to_string()))?;
                outbox::stream(BufReader::new(entry), &shown, |v| on_item(v, self))
            }
            Ok(dir) => {
                let path = dir.join(&name);
                let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
                outbox::stream(BufReader::new(file), &shown, |v| on_item(v, self))
            }
        }
    }

    /// The entry holding the media file at `url`, matched on its
    /// `media_attachments/…` suffix whatever prefix the URL carries.
    pub(crate) fn media_entry(&self, url: &str) -> Option<&str> {
        let path = url.split(['?', '#']).next()?;
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        self.media.get(media_key(&decoded)?).map(String::as_str)
    }

    /// The entry named by a path relative to the export (e.g. `avatar.png`
    /// from `actor.json`), if it exists.
    pub(crate) fn relative_entry(&self, relative: &str) -> Option<String> {
        let relative = relative.trim_start_matches("./");
        let safe = !relative.is_empty()
            && Path::new(relative)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        let name = format!("{}{relative}", self.root);
        (safe && self.files.exists(&name)).then_some(name)
    }

    /// Opens one entry for reading; `None` when it is missing.
    pub(crate) fn open_entry(&mut self, entry: &str) -> Result<Option<Box<dyn Read + '_>>> {
        self.files.open(entry)
    }

    /// Copies one entry into `dest` under its content-hash name.
    pub(crate) fn copy(
        &mut self,
        entry: &str,
        claimed_mime: Option<&str>,
        dest: &MediaDir,
    ) -> Result<Copied> {
        let shown = self.path.join(entry);
        let reader = self
            .files
            .open(entry)?
            .ok_or_else(|| archive_error(&shown, "is missing"))?;
        copy::copy(reader, entry, claimed_mime, dest, &shown)
    }
}

impl Files {
    fn open(&mut self, name: &str) -> Result<Option<Box<dyn Read + '_>>> {
        match self {
            Files::Zip(zip) => match zip.by_name(name) {
                Ok(entry) if entry.is_file() => Ok(Some(Box::new(entry))),
                Ok(_) | Err(zip::result::ZipError::FileNotFound) => Ok(None),
                Err(e) => Err(Error::Other(format!("zip entry {name}: {e}"))),
            },
            Files::Dir(dir) => {
                let path = dir.join(name);
                match std::fs::symlink_metadata(&path) {
                    Ok(meta) if meta.is_file() => {
                        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
                        Ok(Some(Box::new(file)))
                    }
                    _ => Ok(None),
                }
            }
        }
    }

    fn exists(&self, name: &str) -> bool {
        match self {
            Files::Zip(zip) => zip.index_for_name(name).is_some(),
            Files::Dir(dir) => std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_file()),
        }
    }
}

/// The `media_attachments/…` part of an entry name or URL path.
fn media_key(name: &str) -> Option<&str> {
    let at = name.find("media_attachments/")?;
    Some(&name[at..])
}

fn open_zip(path: &Path) -> Result<zip::ZipArchive<SharedFile>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let shared = SharedFile {
        file: Arc::new(file),
        pos: 0,
        len,
    };
    zip::ZipArchive::new(shared).map_err(|e| archive_error(path, &e.to_string()))
}

/// One open file read at a position of its own (positional reads), so
/// clones of a zip archive can read two entries at once.
#[derive(Clone)]
struct SharedFile {
    file: Arc<File>,
    pos: u64,
    len: u64,
}

impl Read for SharedFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(&*self.file, buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(&*self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SharedFile {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(back) => self.len.checked_add_signed(back),
            SeekFrom::Current(by) => self.pos.checked_add_signed(by),
        };
        self.pos = target.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start")
        })?;
        Ok(self.pos)
    }
}

fn archive_error(path: &Path, message: &str) -> Error {
    Error::Other(format!("{}: {message}", path.display()))
}

/// Unpacks the plain files of a gzipped tar into `dest`; links, devices
/// and names with `..` or a root are skipped. Each file is written by the
/// atomic-write helper.
fn unpack_tar_gz(path: &Path, dest: &Path) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(BufReader::new(file)));
    let entries = tar.entries().map_err(|e| Error::io(path, e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| Error::io(path, e))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry.path().map_err(|e| Error::io(path, e))?.into_owned();
        if !name
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            tracing::warn!("{}: skipping entry {}", path.display(), name.display());
            continue;
        }
        crate::fsutil::write_stream(&dest.join(&name), &mut entry)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
