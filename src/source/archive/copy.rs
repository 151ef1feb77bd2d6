//! Copying one archive entry into `content/media/<host>/<user>/` under a
//! name derived from its content: the first 16 hex digits of its SHA-256 and
//! an extension from the allowlist of types a page can show (the same as
//! sync's media mirror, `media::extension`). The bytes are
//! hashed while they stream into a temporary file next to the target, which
//! is then renamed (or dropped, when the same content is already there).

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
pub use crate::model::media_type::extension_of_mime as extension;

/// A single media file above this is not copied (the page says so).
pub const MAX_MEDIA_BYTES: u64 = 1 << 30;

/// Where one account's media go.
#[derive(Debug, Clone)]
pub struct MediaDir {
    /// `content/media`.
    pub media_dir: PathBuf,
    /// `<host>/<user>`, already validated as plain names.
    pub prefix: String,
}

/// A copied file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// Relative to `content/media/`.
    pub file: String,
    pub mime: String,
    pub size: u64,
    /// The same content was already stored.
    pub existed: bool,
}

/// The type a file name's extension stands for (when the item names none).
fn mime_of_name(name: &str) -> Option<&'static str> {
    crate::model::media_type::of_file(name).map(|t| t.mime)
}

/// The allowed type of an entry: the claimed one if allowed, else the one its
/// name implies.
pub(crate) fn mime_for(entry: &str, claimed: Option<&str>) -> Option<&'static str> {
    let claimed = claimed.map(|m| {
        m.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if let Some(m) = claimed.as_deref() {
        if let Some(ext) = extension(m) {
            return mime_of_name(&format!("x.{ext}"));
        }
    }
    mime_of_name(entry)
}

pub(super) fn copy(
    reader: impl Read,
    entry: &str,
    claimed: Option<&str>,
    dest: &MediaDir,
    shown: &Path,
) -> Result<Copied> {
    let mime = mime_for(entry, claimed).ok_or_else(|| {
        Error::Other(format!(
            "{}: type {} is not one a page can show",
            shown.display(),
            claimed.unwrap_or("(unknown)")
        ))
    })?;
    let ext = extension(mime).expect("mime_for returns allowed types");
    let dir = dest.media_dir.join(&dest.prefix);
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    // The name is known only once the bytes are hashed; the temporary file
    // (the one scheme of `fsutil`, removed when dropped) is named for
    // `import` meanwhile.
    let mut tmp = crate::fsutil::temp_file(&dir.join("import"))?;
    let (digest, size) = stream_hashed(reader, &mut tmp, shown)?;
    let name = format!("{}.{ext}", &digest[..16]);
    let target = dir.join(&name);
    let existed = target.is_file();
    if !existed {
        tmp.persist(&target)
            .map_err(|e| Error::io(&target, e.error))?;
    }
    Ok(Copied {
        file: format!("{}/{name}", dest.prefix),
        mime: mime.to_string(),
        size,
        existed,
    })
}

/// Streams `reader` into `out`, returning its SHA-256 (hex) and size.
fn stream_hashed(
    mut reader: impl Read,
    out: &mut tempfile::NamedTempFile,
    shown: &Path,
) -> Result<(String, u64)> {
    let tmp = out.path().to_path_buf();
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size: u64 = 0;
    loop {
        let n = reader.read(&mut buf).map_err(|e| Error::io(shown, e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        if size > MAX_MEDIA_BYTES {
            return Err(Error::Other(format!(
                "{}: larger than {MAX_MEDIA_BYTES} bytes",
                shown.display()
            )));
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| Error::io(&tmp, e))?;
    }
    out.as_file().sync_all().map_err(|e| Error::io(&tmp, e))?;
    let digest = format!("{:x}", hasher.finalize());
    Ok((digest, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_claim_or_the_name() {
        assert_eq!(mime_for("a/b.bin", Some("image/png")), Some("image/png"));
        assert_eq!(mime_for("a/b.JPEG", None), Some("image/jpeg"));
        assert_eq!(mime_for("a/b.svg", Some("image/svg+xml")), None);
        assert_eq!(mime_for("a/b.png", Some("text/html")), Some("image/png"));
        assert_eq!(mime_for("a/b", None), None);
    }

    #[test]
    fn copies_by_content_hash_once() {
        let dir = tempfile::tempdir().unwrap();
        let dest = MediaDir {
            media_dir: dir.path().to_path_buf(),
            prefix: "h.example/u".into(),
        };
        let first = copy(&b"PNGDATA"[..], "x/a.png", None, &dest, Path::new("a")).unwrap();
        assert!(first.file.starts_with("h.example/u/") && first.file.ends_with(".png"));
        assert_eq!((first.size, first.existed), (7, false));
        // The same name sync's mirror gives the same bytes: no duplicates.
        let name = crate::media::content_name(b"PNGDATA");
        assert_eq!(first.file, format!("h.example/u/{name}.png"));
        let again = copy(&b"PNGDATA"[..], "y/b.png", None, &dest, Path::new("b")).unwrap();
        assert_eq!(
            (again.file.as_str(), again.existed),
            (first.file.as_str(), true)
        );
        let names: Vec<_> = fs::read_dir(dir.path().join("h.example/u"))
            .unwrap()
            .collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }
}
