//! Render keys: a digest of everything one output file is made from.
//!
//! A template renders the same bytes from the same templates and the same
//! context, and a feed from the same toots and settings. So the renderer
//! computes, for each toot page, list page, feed and media copy, a [`Key`]
//! over exactly the values it passes on (the toot views as the templates
//! see them, the pagination, the card keys of a list), and hands the file to
//! the sink with [`Sink::put_keyed`](super::Sink::put_keyed). A sink that
//! remembers the keys of the last build (the output writer) then skips
//! rendering a file whose key and bytes on disk are unchanged. What is not in
//! a key (the templates, the translation tables, the binary, site.toml) is in
//! the output writer's build-wide key: when that changes, nothing is skipped.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The digest of one output file's inputs (128 bits of SHA-256).
pub(crate) type Key = [u8; 16];

/// Builds a [`Key`] from a kind and a sequence of values.
pub(crate) struct KeyHasher(Sha256);

impl KeyHasher {
    /// A hasher for files of `kind` (a template name, `feed.xml`, ...).
    pub(crate) fn new(kind: &str) -> KeyHasher {
        let mut hash = Sha256::new();
        hash.update(kind.as_bytes());
        hash.update([0]);
        KeyHasher(hash)
    }

    /// Adds `value` as the templates would see it (its JSON form).
    pub(crate) fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut KeyHasher {
        // Writing into a hash cannot fail, and our values serialize.
        let _ = serde_json::to_writer(Writer(&mut self.0), value);
        self.0.update([0xff]);
        self
    }

    /// Adds raw bytes (an earlier key, a file's size).
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut KeyHasher {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub(crate) fn key(&mut self) -> Key {
        let digest = std::mem::take(&mut self.0).finalize();
        let mut key = [0; 16];
        key.copy_from_slice(&digest[..16]);
        key
    }
}

/// The key of `value` alone.
pub(crate) fn of<T: Serialize + ?Sized>(kind: &str, value: &T) -> Key {
    KeyHasher::new(kind).value(value).key()
}

struct Writer<'a>(&'a mut Sha256);

impl std::io::Write for Writer<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
