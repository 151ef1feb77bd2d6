//! The steps of one account's sync, in the order [`Run::go`] calls them:
//! load what the store holds and decide where the listing must reach, list
//! the new toots (`open.rs`, `remote.rs`), check the stored toots that left
//! the fetched window, record what the listing saw, refresh pins and retry
//! missing media of the other stored toots, mirror the profile's files,
//! advance the cursor, and finish: deletions, orphaned media, the audit log
//! and the state, last.

use std::collections::{HashMap, HashSet};

use super::remote::{Known, Listing, Remote, Sink};
use super::writer::{Writer, Written};
use super::{AuditEntry, Run};
use crate::error::Result;
use crate::media::{MediaReport, Mirror};
use crate::model::{AccountData, AccountState, Tombstone, Toot};
use crate::source::api::PAGE_LIMIT;
use crate::store::merge::{self, ChangeKind};
use crate::store::Unfinished;

/// What the store held when the sync began, and where its listing must reach.
pub(super) struct Start {
    pub data: AccountData,
    /// Every stored toot is checked this time (`--full`, or the daily
    /// reconcile is due).
    pub reconcile_due: bool,
    /// The mark an unfinished earlier sync left.
    pub unfinished: Option<Unfinished>,
    /// The listing ends once it reaches this id.
    pub overlap_at: Option<String>,
}

impl<'a> Run<'a> {
    /// Loads the account and decides whether a full reconcile is due and
    /// how far back the listing must page.
    pub(super) fn load_store(&self) -> Result<Start> {
        let handle = &self.account.handle;
        let data = self.store.load_account(handle)?;
        let reconcile_due = self.options.full
            || data.state.last_reconcile.is_none_or(|last| {
                self.now - last >= chrono::Duration::hours(self.config.sync.reconcile_hours.into())
            });
        // After an unfinished sync, the cursor it started from.
        let unfinished = self.store.read_unfinished(handle);
        let overlap_at = match &unfinished {
            Some(mark) => mark.overlap_at.clone(),
            None => data
                .state
                .newest_id
                .clone()
                .or_else(|| data.toots.first().map(|t| t.id.clone())),
        };
        Ok(Start {
            data,
            reconcile_due,
            unfinished,
            overlap_at,
        })
    }

    /// What the listing needs to know of the store.
    pub(super) fn known<'k>(&self, start: &'k Start, stored: &'k HashSet<&'k str>) -> Known<'k>
    where
        'a: 'k,
    {
        let options = self.options;
        Known {
            overlap_at: start.overlap_at.as_deref(),
            stored,
            resume: start.unfinished.is_some(),
            since: self.config.select.since,
            boosts: self.config.select.boosts,
            progress: &options.progress,
        }
    }

    /// The writer every batch goes through (see `writer.rs`).
    pub(super) fn writer<'w>(
        &self,
        start: &'w Start,
        stored: &'w HashMap<&'w str, &'w Toot>,
        mirror: &'w Mirror<'w>,
    ) -> Writer<'w>
    where
        'a: 'w,
    {
        let account = self.account;
        Writer {
            store: self.store,
            handle: &account.handle,
            stored,
            mirror: self.config.sync.media.then_some(mirror),
            gaps: merge::Gaps::NONE,
            repeats: false,
            dry_run: self.options.dry_run,
            now: self.now,
            old_files: start
                .data
                .toots
                .iter()
                .flat_map(crate::media::files_of)
                .collect(),
            mark: start.unfinished.is_none().then(|| Unfinished {
                overlap_at: start.overlap_at.clone(),
            }),
            out: Written::default(),
        }
    }

    /// Asks the source about the stored toots that left the fetched window
    /// (all of them when a reconcile is due); the current versions of those
    /// that exist go through the writer. Returns the ids that are gone.
    pub(super) fn check_stored_toots(
        &self,
        remote: &mut Remote<'_>,
        start: &Start,
        stored: &HashMap<&str, &Toot>,
        listing: &mut Listing,
        writer: &mut Writer<'_>,
    ) -> Result<HashSet<String>> {
        let toots = &start.data.toots;
        let check: Vec<String> = if start.reconcile_due && !listing.reached_end {
            toots.iter().map(|t| t.id.clone()).collect()
        } else {
            merge::deletion_candidates(toots, &listing.window, listing.reached_end)
        };
        let check: Vec<String> = check
            .into_iter()
            .filter(|id| !writer.out.handled.contains(id))
            .collect();
        if check.is_empty() {
            return Ok(HashSet::new());
        }
        let sink: &mut Sink<'_> = &mut |b| writer.batch(b);
        Ok(remote
            .existing(&check, stored, listing, sink)?
            .into_iter()
            .collect())
    }

    /// Puts what the listing saw into the report, and stamps the reconcile.
    pub(super) fn record_listing(
        &mut self,
        start: &Start,
        state: &mut AccountState,
        listing: &mut Listing,
    ) {
        if start.reconcile_due || listing.reached_end {
            // Stamped only when due: a small account's listing reaches its
            // end on every sync, and a new stamp each time would change the
            // state file (a commit per CI run) with nothing new.
            if start.reconcile_due {
                state.last_reconcile = Some(self.now);
            }
            self.report.reconciled = true;
        }
        self.report.dropped = listing.dropped;
        self.report.skipped = std::mem::take(&mut listing.skipped);
        let handle = &self.account.handle;
        for error in &listing.errors {
            self.report.errors.push(format!("{handle}: {error}"));
        }
    }

    /// Refreshes the pins and retries the missing media of the stored toots
    /// this run has not handled yet, a page at a time.
    pub(super) fn refresh_stored_toots(
        &self,
        data: &AccountData,
        listing: &Listing,
        gone: &HashSet<String>,
        mirror: &Mirror<'_>,
        writer: &mut Writer<'_>,
    ) -> Result<()> {
        let mut batch = Vec::new();
        for old in &data.toots {
            if writer.out.handled.contains(&old.id) || gone.contains(&old.id) {
                continue;
            }
            let mut toot = old.clone();
            toot.pinned = listing.pinned.contains(&toot.id);
            let retry = self.config.sync.media && mirror.has_missing(&mut toot.clone());
            if toot.pinned != old.pinned || retry {
                batch.push(toot);
            }
            if batch.len() == PAGE_LIMIT {
                writer.batch(std::mem::take(&mut batch))?;
            }
        }
        writer.batch(batch)
    }

    /// Mirrors the avatar and the custom emoji of the profile (when
    /// `[sync] media` is on) and reports the media of the whole run.
    pub(super) fn mirror_profile(
        &mut self,
        mirror: &Mirror<'_>,
        state: &mut AccountState,
        media: &mut MediaReport,
    ) {
        if self.config.sync.media {
            self.profile_files(mirror, state, media);
        }
        self.report.media_fetched = media.fetched;
        self.report.media_failed = media.failed;
        self.report.media_pending = media.pending;
        for error in &media.errors {
            tracing::warn!("{}: {error}", self.account.handle);
        }
        self.report.errors.append(&mut media.errors);
    }

    /// Mirrors the avatar and the custom emoji of the profile.
    fn profile_files(
        &self,
        mirror: &Mirror<'_>,
        state: &mut AccountState,
        media: &mut MediaReport,
    ) {
        let mut fill = |url: &str, slot: &mut Option<String>| {
            if slot.as_deref().is_some_and(|f| self.store.has_media(f)) {
                return;
            }
            match mirror.image(url) {
                None => media.pending += 1,
                Some(Ok(done)) => {
                    *slot = Some(done.file);
                    media.fetched += 1;
                }
                Some(Err(e)) => {
                    *slot = None;
                    media.failed += 1;
                    media.errors.push(e);
                }
            }
        };
        if let Some(url) = state.avatar_remote_url.clone() {
            fill(&url, &mut state.avatar);
        }
        for emoji in &mut state.emojis {
            fill(&emoji.remote_url.clone(), &mut emoji.file);
        }
    }

    /// Records what the batches did, then removes deleted toots and the
    /// media no toot refers to any more, and writes the state last.
    pub(super) fn finish(
        &mut self,
        data: &AccountData,
        out: Written,
        deletes: Vec<String>,
        mut state: AccountState,
    ) -> Result<()> {
        let handle = &self.account.handle;
        let audit: Vec<AuditEntry> = deletes
            .iter()
            .map(|id| self.entry(id, ChangeKind::Deleted))
            .collect();
        for entry in &audit {
            tracing::debug!("{handle}: {} {}", entry.change.as_str(), entry.id);
        }
        self.report.added = out.added;
        self.report.edited = out.edited;
        self.report.refreshed = out.refreshed;
        self.report.unchanged = out.unchanged;
        self.report.deleted = deletes.len();
        self.report.most_held = out.most_held;
        self.report.changes = out.changes;
        self.report.changes.extend(audit.iter().cloned());
        if self.options.dry_run {
            return Ok(());
        }
        for id in &deletes {
            self.store.remove_toot(handle, id)?;
            if !state.tombstones.iter().any(|t| &t.id == id) {
                state.tombstones.push(Tombstone {
                    id: id.clone(),
                    deleted_at: self.now,
                });
            }
        }
        // Media of deleted toots and replaced attachments leave with them.
        let deleted: HashSet<&str> = deletes.iter().map(String::as_str).collect();
        let mut kept = out.kept_files;
        for toot in &data.toots {
            if !deleted.contains(toot.id.as_str()) && !out.rewritten.contains(&toot.id) {
                kept.extend(crate::media::files_of(toot));
            }
        }
        let mut orphans: Vec<String> = data
            .toots
            .iter()
            .flat_map(crate::media::files_of)
            .filter(|f| !kept.contains(f))
            .collect();
        orphans.sort();
        orphans.dedup();
        for file in orphans {
            self.store.remove_media(&file)?;
        }
        self.store.append_audit(handle, &audit)?;
        if state != data.state {
            self.store.write_state(handle, &state)?;
        }
        self.store.clear_unfinished(handle)
    }

    fn entry(&self, id: &str, change: ChangeKind) -> AuditEntry {
        AuditEntry {
            time: self.now,
            id: id.to_string(),
            change,
        }
    }
}

/// Moves the cursor to the newest id listed, never back.
pub(super) fn advance_cursor(state: &mut AccountState, listing: &Listing) {
    if let Some(newest) = &listing.window.newest {
        if state
            .newest_id
            .as_deref()
            .is_none_or(|old| crate::model::compare_ids(newest, old).is_gt())
        {
            state.newest_id = Some(newest.clone());
        }
    }
}

/// The stored toots the source confirmed gone. As `merge` decides, a toot
/// listed in this run is not deleted.
pub(super) fn confirmed_deletions(
    data: &AccountData,
    gone: &HashSet<String>,
    out: &Written,
) -> Vec<String> {
    data.toots
        .iter()
        .filter(|t| gone.contains(&t.id) && !out.handled.contains(&t.id))
        .map(|t| t.id.clone())
        .collect()
}
