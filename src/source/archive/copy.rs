//! What an archive entry may be stored as: the type it claims if the one
//! table ([`crate::model::media_type`]) allows it, else the type its name
//! implies. The bytes go to the store ([`Store::put_media`]), which names
//! them by content (the names sync's media mirror gives the same bytes) and
//! writes them atomically.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};
pub(super) use crate::model::media_type::extension_of_mime as extension;
use crate::store::Store;
/// A copied file is a stored one.
pub(crate) use crate::store::StoredMedia as Copied;

/// A single media file above this is not copied (the page says so).
pub(crate) const MAX_MEDIA_BYTES: u64 = 1 << 30;

/// Where one account's media go.
#[derive(Debug, Clone)]
pub(crate) struct MediaDir {
    pub store: Store,
    /// `<host>/<user>`, already validated as plain names.
    pub prefix: String,
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

/// Puts one entry into the store ([`Store::put_media`]) with the type
/// [`mime_for`] allows; `shown` names it in errors.
pub(crate) fn copy(
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
    let shown = shown.display().to_string();
    dest.store
        .put_media(reader, &dest.prefix, mime, MAX_MEDIA_BYTES, &shown)
}

#[cfg(test)]
mod tests;
