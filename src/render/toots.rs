//! The published toots as the renderer holds them: a key per toot, and
//! views made when a page needs them, not all at once.
//!
//! A build of 50,000 toots cannot keep every toot's [`TootView`] (sanitized
//! HTML, dates, links: a few KB each) for the whole build. So a view is made
//! where a file that shows the toot is rendered, and dropped after it; only
//! the views the feeds and the embed fragment read are kept ([`Toots::kept`]),
//! until those steps are done.
//!
//! Each toot's key is a digest of everything its view is made from: the
//! stored toot, what the view reads of its account, which of the files both
//! name are in the media store, its place in a thread and the editors'
//! title, note and pin. Everything else a view depends on (the binary, the
//! theme and its translations, site.toml, `--base-url`) is in the output
//! writer's build-wide key. So two builds under one build-wide key make the
//! same view from the same toot key, and keys of pages, cards and feeds take
//! it in place of the view: a rebuild keeps a file without making the views
//! it shows.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::Serialize;

use super::editorial;
use super::keys::{Key, KeyHasher, MediaNames};
use super::view::{self, Site, TootView};
use crate::error::Result;
use crate::model::AccountData;
use crate::model::{AccountState, Toot};
use crate::overrides::Overrides;
use crate::select::{Entry, Selection};
use crate::store::index::{self, is_stub, KnownToots};

/// The digest of a stored toot as its key takes it (see `store/index.rs`:
/// the toot index records it, so a rebuild keys a toot it did not read).
pub(crate) fn digest_of(toot: &Toot) -> [u8; 16] {
    debug_assert!(!is_stub(toot), "the digest of an index stub");
    super::keys::of("stored toot", toot)
}

pub(super) struct Toots<'a> {
    pub(super) selection: &'a Selection<'a>,
    site: &'a Site<'a>,
    overrides: &'a Overrides,
    /// What the loader knows of the toots (`build` only).
    known: Option<&'a KnownToots>,
    /// The store's `content/` folder, to read a stub's toot from.
    content: &'a std::path::Path,
    /// Each toot's key (all empty when the sink takes no keys).
    pub(super) keys: Vec<Key>,
    pinned: Vec<bool>,
    /// Views made once and kept until [`Toots::release`].
    kept: Vec<Mutex<Option<Arc<TootView>>>>,
    /// Which toots' views are kept when a step makes them.
    keep: Vec<bool>,
}

impl<'a> Toots<'a> {
    /// The selection's toots; `keyed`: compute their keys; `keep`: the toots
    /// whose views later steps read (feeds, the embed fragment).
    pub(super) fn new(
        selection: &'a Selection<'a>,
        site: &'a Site<'a>,
        overrides: &'a Overrides,
        (known, content): (Option<&'a KnownToots>, &'a std::path::Path),
        keyed: bool,
        keep: &HashSet<usize>,
    ) -> Toots<'a> {
        let n = selection.entries.len();
        let mut pinned = vec![false; n];
        for &i in &selection.pinned {
            pinned[i] = true;
        }
        let mut toots = Toots {
            selection,
            site,
            overrides,
            known,
            content,
            keys: Vec::new(),
            pinned,
            kept: (0..n).map(|_| Mutex::new(None)).collect(),
            keep: (0..n).map(|i| keep.contains(&i)).collect(),
        };
        if keyed {
            toots.keys = toots.compute_keys();
        } else {
            toots.keys = vec![Key::default(); n];
        }
        toots
    }

    pub(super) fn len(&self) -> usize {
        self.selection.entries.len()
    }

    pub(super) fn id(&self, i: usize) -> &'a str {
        &self.selection.entries[i].toot.id
    }

    /// When the toot appeared on the account (its view's `created`).
    pub(super) fn created(&self, i: usize) -> DateTime<Utc> {
        self.selection.entries[i].toot.created_at
    }

    /// When the toot last changed, as `feed::last_change` says of its view.
    pub(super) fn last_change(&self, i: usize) -> DateTime<Utc> {
        let created = self.created(i);
        let edited = self.selection.entries[i].shown().edited_at;
        edited.unwrap_or(created).max(created)
    }

    /// A new view of toot `i`, with its thread links and the editors' marks.
    /// The toot of an index stub is read from its file here.
    pub(super) fn make(&self, i: usize) -> Result<TootView> {
        let selection = self.selection;
        let entry = &selection.entries[i];
        let mut view = if is_stub(entry.toot) {
            let handle = &entry.account.handle;
            let rel = index::relative(&handle.host, &handle.user, &entry.toot.id);
            let path = index::path_of(self.content, &rel);
            let toot = index::load_full(&path, entry.toot)?;
            // Its key took the recorded digest: a toot whose content changed
            // since (its stub the same) would be shown under the old key.
            let known = self.known.and_then(|k| k.get(entry.account, entry.toot));
            if known.is_none_or(|k| k.digest != digest_of(&toot)) {
                return Err(index::changed(&path, "its content is not the indexed one"));
            }
            let entry = Entry {
                account: entry.account,
                toot: &toot,
            };
            view::toot_view(&entry, self.site)
        } else {
            view::toot_view(entry, self.site)
        };
        if let Some(parts) = selection.threads.get(&i) {
            view.thread_len = parts.len();
        }
        if let Some(&root) = selection.thread_root.get(&i) {
            let root_id = self.id(root);
            view.thread_root_url = Some(format!("{}#toot-{root_id}", self.site.toot_url(root_id)));
            view.reply_to = None;
        }
        let pinned: &[usize] = if self.pinned[i] { &[0] } else { &[] };
        editorial::apply_overrides(std::slice::from_mut(&mut view), self.overrides, pinned);
        Ok(view)
    }

    /// The view of toot `i`, made once and kept until [`Toots::release`].
    pub(super) fn kept(&self, i: usize) -> Result<Arc<TootView>> {
        let mut cell = self.kept[i].lock().unwrap_or_else(|e| e.into_inner());
        if let Some(view) = &*cell {
            return Ok(view.clone());
        }
        let view = Arc::new(self.make(i)?);
        *cell = Some(view.clone());
        Ok(view)
    }

    /// Hands a view made for a page to the steps after it, if they need it.
    pub(super) fn offer(&self, i: usize, view: TootView) {
        if self.keep[i] {
            let mut cell = self.kept[i].lock().unwrap_or_else(|e| e.into_inner());
            cell.get_or_insert_with(|| Arc::new(view));
        }
    }

    /// Drops the kept view of toot `i` (made again if asked for later).
    pub(super) fn release_one(&self, i: usize) {
        self.kept[i]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
    }

    /// Drops the kept views: the steps that read them are done.
    pub(super) fn release(&self) {
        for cell in &self.kept {
            cell.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
    }

    fn compute_keys(&self) -> Vec<Key> {
        let media = &MediaNames::new(self.site.media);
        // By address: the selection's entries point into one list of accounts.
        let mut accounts: HashMap<usize, Key> = HashMap::new();
        for entry in &self.selection.entries {
            accounts
                .entry(std::ptr::from_ref(entry.account) as usize)
                .or_insert_with(|| account_key(entry.account, media));
        }
        let selection = self.selection;
        (0..self.len())
            .into_par_iter()
            .map(|i| {
                let entry = &selection.entries[i];
                let mut hash = KeyHasher::new("toot view");
                hash.bytes(&accounts[&(std::ptr::from_ref(entry.account) as usize)]);
                // The toot by its digest, and whether each media file it
                // names is there: a view shows a file only if it is.
                let known = self.known.and_then(|k| k.get(entry.account, entry.toot));
                let (digest, names) = match known {
                    Some(known) => (known.digest, known.media(entry.toot)),
                    None => {
                        assert!(!is_stub(entry.toot), "an index stub without its facts");
                        let names = index::media_paths(entry.toot);
                        (digest_of(entry.toot), std::borrow::Cow::Owned(names))
                    }
                };
                hash.bytes(&digest);
                for name in names.iter() {
                    hash.value(name).value(&media.contains(name));
                }
                let id = entry.toot.id.as_str();
                hash.value(&selection.threads.get(&i).map_or(0, Vec::len))
                    .value(&selection.thread_root.get(&i).map(|&r| self.id(r)))
                    .value(&self.overrides.titles.get(id))
                    .value(&self.overrides.notes.get(id))
                    .value(&self.pinned[i]);
                hash.key()
            })
            .collect()
    }
}

/// What a toot's view reads of its account.
fn account_key(account: &AccountData, media: &MediaNames<'_>) -> Key {
    // Destructured without `..`, so a new field is either in the key or
    // said here to be none of the view's business.
    let AccountState {
        schema: _,
        handle: _,
        id,
        display_name,
        note: _,
        url,
        avatar,
        avatar_remote_url: _,
        header: _,
        emojis,
        newest_id: _,
        last_reconcile: _,
        tombstones: _,
    } = &account.state;
    let mut hash = KeyHasher::new("account");
    hash.value(&account.handle.to_string());
    hash_with_media(&mut hash, &(id, display_name, url, avatar, emojis), media);
    hash.key()
}

/// Adds `value` to `hash`, and after each string that names a file in the
/// media store a mark: a view shows a file only if it is there, so its key
/// must change when a file it names arrives or goes.
fn hash_with_media<T: Serialize + ?Sized>(hash: &mut KeyHasher, value: &T, media: &MediaNames<'_>) {
    hash.value_marking(value, media);
}

#[cfg(test)]
mod tests;
