//! The one set of merge rules of every source (sync's REST API and outbox,
//! import's archive): which toots are added, edited or deleted, that a newer
//! edit is never replaced by an older copy ([`decide`]), which stored toots
//! must be checked for deletion, and what a new copy takes over from the
//! stored one ([`carry_over`]: mirrored files, and what the source cannot
//! tell). No I/O, so every rule is unit tested.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{compare_ids, Toot};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Edited,
    Deleted,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Edited => "edited",
            ChangeKind::Deleted => "deleted",
        }
    }
}

/// What to do to the store.
#[derive(Debug, Default)]
pub struct Plan {
    /// Toots to write; `Some` kinds go to the audit log, `None` is a quiet
    /// refresh (a card that arrived later, a pin, a newly mirrored file).
    pub writes: Vec<(Toot, Option<ChangeKind>)>,
    /// Ids whose content leaves the store (a tombstone remains).
    pub deletes: Vec<String>,
}

impl Plan {
    pub fn count(&self, kind: ChangeKind) -> usize {
        match kind {
            ChangeKind::Deleted => self.deletes.len(),
            _ => self.writes.iter().filter(|(_, k)| *k == Some(kind)).count(),
        }
    }
}

/// Compares what was fetched with what is stored. `fetched` holds only
/// storable toots with mirrored files already carried over; `gone` are ids
/// the server confirmed deleted.
pub fn merge(stored: &[Toot], fetched: &[Toot], gone: &[String]) -> Plan {
    let by_id: HashMap<&str, &Toot> = stored.iter().map(|t| (t.id.as_str(), t)).collect();
    merge_with(&by_id, fetched, gone)
}

/// [`merge`] against stored toots indexed by id, so sync can merge page by
/// page without indexing the store again for each page.
pub fn merge_with(by_id: &HashMap<&str, &Toot>, fetched: &[Toot], gone: &[String]) -> Plan {
    let mut plan = Plan::default();
    let mut seen = HashSet::new();
    for toot in fetched {
        if !seen.insert(toot.id.as_str()) {
            continue;
        }
        match by_id.get(toot.id.as_str()) {
            None => plan.writes.push((toot.clone(), Some(ChangeKind::Added))),
            Some(old) if decide(Some(old.edited_at), toot.edited_at) == Decision::Update => {
                plan.writes.push((toot.clone(), Some(ChangeKind::Edited)))
            }
            Some(old) if *old != toot => plan.writes.push((toot.clone(), None)),
            Some(_) => {}
        }
    }
    for id in gone {
        if by_id.contains_key(id.as_str()) && !seen.contains(id.as_str()) {
            plan.deletes.push(id.clone());
        }
    }
    plan
}

/// What a listing covered, as ids only: sync merges a listing page by page
/// and keeps no more of it than this.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Window {
    /// The stored ids the listing held.
    pub stored_listed: HashSet<String>,
    /// The last id listed: the oldest, as listings are newest first.
    pub last: Option<String>,
    /// The newest id listed.
    pub newest: Option<String>,
    /// How many ids were listed.
    pub count: usize,
}

impl Window {
    /// Records one listed id; `is_stored` says whether the store holds it.
    pub fn list(&mut self, id: &str, is_stored: bool) {
        self.count += 1;
        if is_stored {
            self.stored_listed.insert(id.to_string());
        }
        if self
            .newest
            .as_deref()
            .is_none_or(|newest| compare_ids(id, newest).is_gt())
        {
            self.newest = Some(id.to_string());
        }
        self.last = Some(id.to_string());
    }
}

/// Stored ids that the fetched listing should have contained but did not:
/// everything newer than its oldest toot, or everything at all when the
/// listing reached the end of the history.
pub fn deletion_candidates(stored: &[Toot], window: &Window, reached_end: bool) -> Vec<String> {
    let Some(oldest) = window.last.as_deref() else {
        // An empty listing says nothing reliable (a suspended account lists
        // nothing); the periodic reconcile checks those toots one by one.
        return Vec::new();
    };
    stored
        .iter()
        .filter(|t| !window.stored_listed.contains(t.id.as_str()))
        .filter(|t| reached_end || compare_ids(&t.id, oldest) != Ordering::Less)
        .map(|t| t.id.clone())
        .collect()
}

/// The one visibility filter of every source, applied to each mapped toot
/// before anything of it (media, the toot file) is written: only public and
/// unlisted toots are stored, and a boost only of a post that is so too.
/// [`crate::store::Store::write_toot`] asks it again as the last gate.
pub fn storable(toot: &Toot) -> bool {
    toot.visibility.is_storable()
        && toot
            .reblog
            .as_ref()
            .is_none_or(|shared| shared.toot.visibility.is_storable())
}

/// How a fetched or archived copy relates to what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Not stored yet.
    New,
    /// Stored, and the copy is not newer.
    Present,
    /// Stored, but the copy is a later edit.
    Update,
}

/// The edit rule of every source: a copy replaces a stored one as an edit
/// only when its edit date is later (an unedited copy is older than any
/// edit), so a newer edit is never overwritten by an older copy.
pub fn decide(stored: Option<Option<DateTime<Utc>>>, copy: Option<DateTime<Utc>>) -> Decision {
    match stored {
        None => Decision::New,
        Some(edited) if copy > edited => Decision::Update,
        Some(_) => Decision::Present,
    }
}

/// What a source cannot tell, so that the stored copy's value stands. The
/// REST API and the outbox tell everything ([`Gaps::NONE`]); an export has
/// no pins, no link cards, and media URLs of its own ([`Gaps::ARCHIVE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gaps {
    /// Whether a toot is pinned.
    pub pins: bool,
    /// Link card details: the stored card stands while the link is the same.
    pub cards: bool,
    /// The URLs the files were mirrored from: a stored file is matched by
    /// its attachment id alone.
    pub media_urls: bool,
}

impl Gaps {
    pub const NONE: Gaps = Gaps {
        pins: false,
        cards: false,
        media_urls: false,
    };
    pub const ARCHIVE: Gaps = Gaps {
        pins: true,
        cards: true,
        media_urls: true,
    };
}

/// Passes on to `new` what it lacks and `old` has: the mirrored files where
/// the remote source is the same (so a re-fetched toot is not downloaded
/// again and compares equal), and what the source cannot tell (`gaps`).
/// What `new` brings itself always stands.
pub fn carry_over(new: &mut Toot, old: &Toot, gaps: Gaps) {
    if gaps.pins {
        new.pinned = old.pinned;
    }
    if let Some(prev) = old.card.as_ref().filter(|_| gaps.cards) {
        if new.card.as_ref().is_none_or(|c| c.url == prev.url) {
            new.card = Some(prev.clone());
        }
    }
    for media in &mut new.media {
        if let Some(prev) = old.media.iter().find(|m| m.id == media.id) {
            if media.file.is_none() && (gaps.media_urls || prev.remote_url == media.remote_url) {
                media.file = prev.file.clone();
                media.mime = prev.mime.clone();
                media.size = prev.size;
            }
            if media.preview_file.is_none()
                && (gaps.media_urls || prev.preview_remote_url == media.preview_remote_url)
            {
                media.preview_file = prev.preview_file.clone();
            }
        }
    }
    for emoji in new.emojis.iter_mut().filter(|e| e.file.is_none()) {
        if let Some(prev) = old
            .emojis
            .iter()
            .find(|e| e.shortcode == emoji.shortcode && e.remote_url == emoji.remote_url)
        {
            emoji.file = prev.file.clone();
        }
    }
    if let (Some(card), Some(prev)) = (&mut new.card, &old.card) {
        if card.image.is_none() && card.image_remote_url == prev.image_remote_url {
            card.image = prev.image.clone();
        }
    }
    let old_quote = old.quote.as_ref().and_then(|q| q.shared.as_ref());
    let new_quote = new.quote.as_mut().and_then(|q| q.shared.as_mut());
    for (shared, prev) in [
        (new.reblog.as_deref_mut(), old.reblog.as_deref()),
        (new_quote, old_quote),
    ] {
        if let (Some(shared), Some(prev)) = (shared, prev) {
            if shared.author.avatar.is_none() {
                shared.author.avatar = prev.author.avatar.clone();
            }
            carry_over(&mut shared.toot, &prev.toot, gaps);
        }
    }
}

#[cfg(test)]
mod tests;
