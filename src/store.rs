//! `content/` on disk: reading and writing toots and account state.
//!
//! Layout: `content/toots/<host>/<user>/<id>.json` (one [`Toot`] each),
//! `content/state/<host>/<user>.json` (the [`AccountState`]),
//! `content/media/<host>/<user>/...` (mirrored files, [`media`]),
//! `content/pages/*.md` and `content/overrides.toml` (the editors' files,
//! [`pages`]). This module is the only code that reads or writes below
//! `content/`; parsing what it reads is left to the modules that own the
//! format. Every write goes to a temporary file that is
//! renamed into place, so a killed process leaves either the old or the new
//! file. Loading ([`load`]) checks what serde cannot: the file name matches the id, ids and
//! media paths cannot escape the store, and the schema version is one we know.

use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::config::Handle;
use crate::error::{Error, Result};
use crate::fsutil::write_atomic;
/// Kept at its old path for the callers that name it there.
pub use crate::model::AccountData;
use crate::model::{is_safe_id, AccountState, Toot, SCHEMA_VERSION};

pub mod index;
mod load;
mod media;
pub mod merge;
mod pages;

pub use index::TootIndex;
pub use load::Indexing;
pub use load::{load_toot, parse_toot};
pub use media::{content_name, index_folder, media_prefix, StoredMedia};
pub use pages::{StoredAccount, TextFile, OVERRIDES_FILE};

pub const CONTENT_DIR: &str = "content";

/// The store of one site.
#[derive(Debug, Clone)]
pub struct Store {
    content: PathBuf,
}

/// Left by a sync that wrote toots before its state: the point its listing
/// had to reach (the cursor it started from), so the next sync pages back
/// that far instead of stopping at the toots the unfinished one wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unfinished {
    pub overlap_at: Option<String>,
}

impl Store {
    pub fn new(root: &Path) -> Self {
        Store {
            content: root.join(CONTENT_DIR),
        }
    }

    pub fn content_dir(&self) -> &Path {
        &self.content
    }

    /// Removes the temporary files that killed runs left below `content/`
    /// (see [`crate::fsutil::remove_stale_temps`]); every run that writes
    /// the store calls it first. Returns how many were removed.
    pub fn remove_stale_temps(&self) -> usize {
        crate::fsutil::remove_stale_temps(&self.content)
    }

    pub fn media_dir(&self) -> PathBuf {
        self.content.join("media")
    }

    fn toots_dir(&self, handle: &Handle) -> PathBuf {
        self.content
            .join("toots")
            .join(&handle.host)
            .join(&handle.user)
    }

    fn state_path(&self, handle: &Handle) -> PathBuf {
        self.content
            .join("state")
            .join(&handle.host)
            .join(format!("{}.json", handle.user))
    }

    pub fn toot_path(&self, handle: &Handle, id: &str) -> Result<PathBuf> {
        if !is_safe_id(id) {
            return Err(Error::Other(format!(
                "refusing toot id {id:?} of {handle}: it could escape the store"
            )));
        }
        Ok(self.toots_dir(handle).join(format!("{id}.json")))
    }

    /// Loads an account's state (a fresh one when none is stored yet) and all
    /// its toots, newest first.
    pub fn load_account(&self, handle: &Handle) -> Result<AccountData> {
        Ok(self.load_account_indexed(handle, None)?.0)
    }

    /// Writes one toot atomically. Private and direct toots are refused here,
    /// the last gate before the disk, whatever a source let through.
    pub fn write_toot(&self, handle: &Handle, toot: &Toot) -> Result<()> {
        if !merge::storable(toot) {
            let shown = toot.reblog.as_ref().map_or(toot, |shared| {
                if toot.visibility.is_storable() {
                    &shared.toot
                } else {
                    toot
                }
            });
            return Err(Error::Other(format!(
                "refusing to store {} toot {} of {handle}",
                shown.visibility.as_str(),
                toot.id
            )));
        }
        let path = self.toot_path(handle, &toot.id)?;
        // Sources normalize what they map; this is the last gate for any
        // other writer (import merges, tests), so no file gains a character
        // that would break a feed.
        let mut clean = toot.clone();
        clean.normalize();
        write_atomic(&path, &to_pretty_json(&clean), true)
    }

    pub fn remove_toot(&self, handle: &Handle, id: &str) -> Result<()> {
        let path = self.toot_path(handle, id)?;
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    pub fn write_state(&self, handle: &Handle, state: &AccountState) -> Result<()> {
        let mut clean = state.clone();
        clean.normalize();
        write_atomic(&self.state_path(handle), &to_pretty_json(&clean), true)
    }

    /// `content/state/<host>/<user>.unfinished.json`: present while a sync
    /// that has begun writing toots has not completed.
    fn unfinished_path(&self, handle: &Handle) -> PathBuf {
        self.content
            .join("state")
            .join(&handle.host)
            .join(format!("{}.unfinished.json", handle.user))
    }

    /// The mark of an unfinished sync, if one is left. A mark that cannot be
    /// read counts as one that must reach the end of the history.
    pub fn read_unfinished(&self, handle: &Handle) -> Option<Unfinished> {
        let path = self.unfinished_path(handle);
        if !path.exists() {
            return None;
        }
        let mark = read_json::<Unfinished>(&path).unwrap_or_default();
        Some(Unfinished {
            overlap_at: mark.overlap_at.filter(|id| is_safe_id(id)),
        })
    }

    pub fn write_unfinished(&self, handle: &Handle, mark: &Unfinished) -> Result<()> {
        write_atomic(&self.unfinished_path(handle), &to_pretty_json(mark), true)
    }

    pub fn clear_unfinished(&self, handle: &Handle) -> Result<()> {
        let path = self.unfinished_path(handle);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&path, e)),
            _ => Ok(()),
        }
    }

    /// `content/state/<host>/<user>.log.jsonl`: one JSON object a line.
    pub fn audit_path(&self, handle: &Handle) -> PathBuf {
        self.content
            .join("state")
            .join(&handle.host)
            .join(format!("{}.log.jsonl", handle.user))
    }

    /// Appends lines to the account's audit log. Each line is written with
    /// one `write` call in append mode, so a killed sync leaves whole lines.
    pub fn append_audit<T: Serialize>(&self, handle: &Handle, entries: &[T]) -> Result<()> {
        use std::io::Write;
        if entries.is_empty() {
            return Ok(());
        }
        let path = self.audit_path(handle);
        let dir = path.parent().expect("audit path has a parent");
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        for entry in entries {
            let mut line = serde_json::to_vec(entry).expect("audit entries serialize");
            line.push(b'\n');
            file.write_all(&line).map_err(|e| Error::io(&path, e))?;
        }
        file.sync_all().map_err(|e| Error::io(&path, e))
    }
}

fn check_state(state: &AccountState, path: &Path) -> Result<()> {
    for (name, value) in [("avatar", &state.avatar), ("header", &state.header)] {
        if let Some(value) = value {
            if !is_safe_media_path(value) {
                return Err(store_error(
                    path,
                    format!("{name}: {value:?} is not a relative path inside content/media"),
                ));
            }
        }
    }
    Ok(())
}

/// A path relative to `content/media/` made of plain names only: no `..`,
/// no root, no backslashes, no hidden files.
pub fn is_safe_media_path(value: &str) -> bool {
    !value.is_empty()
        && !value.contains('\\')
        && Path::new(value).components().all(|c| match c {
            Component::Normal(name) => name
                .to_str()
                .is_some_and(|n| !n.starts_with('.') && !n.contains(':')),
            _ => false,
        })
}

fn check_schema(schema: u32, path: &Path) -> Result<()> {
    if schema == SCHEMA_VERSION {
        Ok(())
    } else {
        Err(store_error(
            path,
            format!(
                "schema {schema} is not supported (this tootbridge reads schema {SCHEMA_VERSION})"
            ),
        ))
    }
}

fn store_error(path: &Path, message: String) -> Error {
    Error::Store {
        path: path.to_path_buf(),
        message,
    }
}

/// Reads JSON, naming the field path of the first problem (e.g.
/// `media[0].kind: unknown variant`).
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_json(&bytes, path)
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], path: &Path) -> Result<T> {
    // Tracking the field path costs a third of a parse, and every file but
    // a broken one parses: so parse plainly, and only when that fails parse
    // again to name the field (serde_path_to_error wraps the same
    // deserializer, so it fails where the plain parse failed). The plain
    // parse reads a `str` checked as UTF-8 once, not string by string.
    if let Ok(Ok(value)) = std::str::from_utf8(bytes).map(serde_json::from_str) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let message = if field.is_empty() || field == "." {
            inner.to_string()
        } else {
            format!("{field}: {inner}")
        };
        store_error(path, message)
    })
}

/// Pretty JSON with a trailing newline, as every store file is written.
pub fn to_pretty_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("store types always serialize");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests;
