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

use rayon::prelude::*;
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
pub use load::{load_toot, parse_toot};
use load::{read_into, Folder, READ_BUFFER};
pub use media::{content_name, index_folder, media_prefix, StoredMedia};
pub use pages::{StoredAccount, TextFile, OVERRIDES_FILE};

pub const CONTENT_DIR: &str = "content";

/// Puts `items` in `order` (`order[k]` is the index of the item that goes
/// to place `k`), in place: a store of 50,000 toots is not copied to sort it.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        // Follow the cycle through `start`: place k takes the item at
        // order[k], which is then the next place to fill.
        let mut place = start;
        loop {
            done[place] = true;
            let from = order[place];
            if from == start {
                break;
            }
            items.swap(place, from);
            place = from;
        }
    }
}

/// What [`Store::load_account_indexed`] loads through: the last toot index,
/// and the digest of a toot it reads (`render/toots.rs` makes it).
#[derive(Clone, Copy)]
pub struct Indexing<'a> {
    pub index: &'a TootIndex,
    pub digest: &'a (dyn Fn(&Toot) -> [u8; 16] + Sync),
    /// The files' identities as the inputs walk took them, if it did.
    pub identities: Option<&'a index::Identities>,
}

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

    /// [`Store::load_account`], taking the stubs of the files `index`
    /// recorded instead of reading them (see `index.rs`). With an index it
    /// also returns what is known of each toot (in the toots' order), the
    /// digest of a read toot made by `digest`.
    pub fn load_account_indexed(
        &self,
        handle: &Handle,
        index: Option<Indexing<'_>>,
    ) -> Result<(AccountData, Vec<index::Known>)> {
        let state_path = self.state_path(handle);
        let state = if state_path.exists() {
            let state: AccountState = read_json(&state_path)?;
            check_schema(state.schema, &state_path)?;
            check_state(&state, &state_path)?;
            let mut state = state;
            state.normalize();
            state
        } else {
            AccountState::new(&handle.to_string())
        };
        let (mut toots, mut known): (Vec<Toot>, Vec<Option<index::Known>>) = Default::default();
        let dir = self.toots_dir(handle);
        if dir.exists() {
            let listing = fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
            let mut paths = Vec::new();
            for entry in listing {
                let path = entry.map_err(|e| Error::io(&dir, e))?.path();
                if path.extension().is_some_and(|ext| ext == "json") {
                    paths.push(path);
                }
            }
            // Not sorted: the toots are, by id, below (a file's name is its
            // id, so no two compare equal).
            let folder = Folder::open(&dir)?;
            // Files are independent: parse them in parallel (order kept),
            // each worker reading into one buffer of its own. With an index,
            // a file whose identity it recorded is not read (`index.rs`).
            (toots, known) = paths
                .par_iter()
                .map_init(
                    || Vec::with_capacity(READ_BUFFER),
                    |buf, path| {
                        let read = |buf: &mut Vec<u8>| {
                            let file = folder.open_file(path).map_err(|e| Error::io(path, e))?;
                            read_into(file, path, buf)?;
                            parse_toot(buf, path)
                        };
                        let Some(Indexing {
                            index,
                            digest,
                            identities,
                        }) = index
                        else {
                            return Ok((read(buf)?, None));
                        };
                        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
                        let rel = index::relative(&handle.host, &handle.user, &stem);
                        // Taken before the read (by the inputs walk, or now):
                        // a change after it makes the recorded identity
                        // stale, never the content.
                        let identity = identities
                            .and_then(|known| known.get(&rel).copied())
                            .or_else(|| folder.identity(path.file_name().unwrap_or_default()));
                        if let Some(identity) = &identity {
                            if let Some(recorded) = index.get(&rel, identity) {
                                if let Some((stub, known)) = index.stub_of(recorded) {
                                    return Ok((stub, Some(known)));
                                }
                            }
                        }
                        let toot = read(buf)?;
                        let known = index::Known {
                            digest: digest(&toot),
                            stub_media: Vec::new(),
                            entry: identity.map(index::Entry::Read),
                        };
                        Ok((toot, Some(known)))
                    },
                )
                .collect::<Result<(Vec<_>, Vec<_>)>>()?;
        }
        // Newest first; what is known of each toot moves with it.
        let mut order: Vec<usize> = (0..toots.len()).collect();
        order.sort_by(|&a, &b| crate::model::compare_ids(&toots[b].id, &toots[a].id));
        permute(&mut toots, &order);
        permute(&mut known, &order);
        Ok((
            AccountData {
                handle: handle.clone(),
                state,
                toots,
            },
            known.into_iter().flatten().collect(),
        ))
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
