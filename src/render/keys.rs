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

mod encode;

pub(crate) use encode::MediaNames;

/// The digest of one output file's inputs (128 bits of SHA-256).
pub(crate) type Key = [u8; 16];

/// Builds a [`Key`] from a kind and a sequence of values.
pub(crate) struct KeyHasher {
    hash: Sha256,
    /// Encoded values not hashed yet: one `update` per few KiB, not one per
    /// string.
    pending: Vec<u8>,
}

/// How much [`KeyHasher::pending`] holds before it is hashed.
const PENDING: usize = 8 * 1024;

impl KeyHasher {
    /// A hasher for files of `kind` (a template name, `feed.xml`, ...).
    pub(crate) fn new(kind: &str) -> KeyHasher {
        let mut hasher = KeyHasher {
            hash: Sha256::new(),
            pending: Vec::with_capacity(4 * 1024),
        };
        hasher.bytes(kind.as_bytes());
        hasher
    }

    /// Adds `value` as the templates would see it (what serde makes of it,
    /// in [`encode`]'s unambiguous form).
    pub(crate) fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut KeyHasher {
        encode::encode(value, &mut self.pending, Some(&mut self.hash), None);
        self.flush_full()
    }

    /// [`KeyHasher::value`], with a mark after each string that is the name
    /// of a file in `media` (see [`encode`]).
    pub(crate) fn value_marking<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
        media: &MediaNames<'_>,
    ) -> &mut KeyHasher {
        encode::encode(value, &mut self.pending, Some(&mut self.hash), Some(media));
        self.flush_full()
    }

    /// Adds raw bytes (an earlier key, a file's size).
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut KeyHasher {
        // Tagged like no encoded value, so raw bytes and values never
        // encode alike.
        self.pending.push(0xff);
        self.pending
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        encode::put(&mut self.pending, Some(&mut self.hash), bytes);
        self.flush_full()
    }

    fn flush_full(&mut self) -> &mut KeyHasher {
        if self.pending.len() >= PENDING {
            self.hash.update(&self.pending);
            self.pending.clear();
        }
        self
    }

    pub(crate) fn key(&mut self) -> Key {
        self.hash.update(&self.pending);
        self.pending.clear();
        let digest = std::mem::take(&mut self.hash).finalize();
        let mut key = [0; 16];
        key.copy_from_slice(&digest[..16]);
        key
    }
}

/// The key of `value` alone.
pub(crate) fn of<T: Serialize + ?Sized>(kind: &str, value: &T) -> Key {
    KeyHasher::new(kind).value(value).key()
}

#[cfg(test)]
mod tests;
