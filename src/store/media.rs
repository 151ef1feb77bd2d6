//! `content/media/`: the mirrored files of every account, named by their
//! content. [`Store::put_media`] is the one way a file gets there, whether
//! sync's mirror downloaded it or an import read it from an archive: it
//! checks the type against the one table ([`crate::model::media_type`]),
//! hashes the bytes while they stream into a temporary file next to the
//! target (the one scheme of [`crate::fsutil`]), and renames that into place
//! as `<host>/<user>/<first 16 hex digits of SHA-256>.<ext>`, or drops it
//! when the same content is already stored. So a file is stored once
//! however often it is put, and a killed run leaves whole files only.

use std::collections::HashSet;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{is_safe_media_path, Store};
use crate::error::{Error, Result};
use crate::model::media_type::extension_of_mime;

/// A file in `content/media/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMedia {
    /// Relative to `content/media/`.
    pub file: String,
    /// The type it was put with.
    pub mime: String,
    pub size: u64,
    /// The same content was already stored.
    pub existed: bool,
}

impl Store {
    /// Streams `reader` into `content/media/<prefix>/` under its content
    /// name. `mime` must be a type of the table (the extension comes from
    /// it); more than `max_bytes` is refused. `shown` names the source in
    /// errors (a URL, an archive entry).
    pub fn put_media(
        &self,
        mut reader: impl Read,
        prefix: &str,
        mime: &str,
        max_bytes: u64,
        shown: &str,
    ) -> Result<StoredMedia> {
        let ext = extension_of_mime(mime).ok_or_else(|| {
            Error::Other(format!("{shown}: type {mime} is not one a page can show"))
        })?;
        if !is_safe_media_path(prefix) {
            return Err(Error::Other(format!(
                "{shown}: media cannot be stored under content/media/{prefix}"
            )));
        }
        let dir = self.media_dir().join(prefix);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        // The name is known only once the bytes are hashed: meanwhile the
        // temporary file is named for an incoming file.
        let mut tmp = crate::fsutil::temp_file(&dir.join("incoming"))?;
        let tmp_path = tmp.path().to_path_buf();
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut size: u64 = 0;
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| Error::Other(format!("{shown}: {e}")))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if size > max_bytes {
                return Err(Error::Other(format!(
                    "{shown}: larger than {max_bytes} bytes"
                )));
            }
            hasher.update(&buf[..n]);
            tmp.write_all(&buf[..n])
                .map_err(|e| Error::io(&tmp_path, e))?;
        }
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::io(&tmp_path, e))?;
        let digest = format!("{:x}", hasher.finalize());
        let name = format!("{}.{ext}", &digest[..16]);
        let target = dir.join(&name);
        let existed = target.is_file();
        if !existed {
            tmp.persist(&target)
                .map_err(|e| Error::io(&target, e.error))?;
        }
        Ok(StoredMedia {
            file: format!("{prefix}/{name}"),
            mime: mime.to_string(),
            size,
            existed,
        })
    }

    /// Whether the mirrored file `file` (relative to `content/media/`) is
    /// there.
    pub fn has_media(&self, file: &str) -> bool {
        is_safe_media_path(file) && self.media_dir().join(file).is_file()
    }

    /// Every file below `content/media/`, as `/`-separated relative paths.
    pub fn media_index(&self) -> Result<HashSet<String>> {
        index_folder(&self.media_dir())
    }

    /// Removes a mirrored file (relative to `content/media/`); a missing
    /// file is fine, a path that could escape the store is refused.
    pub fn remove_media(&self, file: &str) -> Result<()> {
        if !is_safe_media_path(file) {
            return Err(Error::Other(format!(
                "refusing to remove media {file:?}: not a path inside content/media"
            )));
        }
        let path = self.media_dir().join(file);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&path, e)),
        }
    }
}

/// Every file below `media_dir` (a store's `content/media/`), as
/// `/`-separated relative paths.
pub fn index_folder(media_dir: &Path) -> Result<HashSet<String>> {
    let mut out = HashSet::new();
    if !media_dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(media_dir) {
        let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", media_dir.display())))?;
        if entry.file_type().is_file() {
            if let Ok(rel) = entry.path().strip_prefix(media_dir) {
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(out)
}

/// The first 16 hex digits of the SHA-256 of `bytes`: the name
/// [`Store::put_media`] gives them.
pub fn content_name(bytes: &[u8]) -> String {
    let digest = format!("{:x}", Sha256::digest(bytes));
    digest[..16].to_string()
}

/// `<host>/<user>`, the folder of an account's media, with characters a
/// media path may not hold replaced (a `host:port` becomes `host_port`).
pub fn media_prefix(host: &str, user: &str) -> String {
    format!("{}/{}", host.replace(':', "_"), user)
}

#[cfg(test)]
mod tests;
