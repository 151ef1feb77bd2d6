//! Merging sync's toots into the store one page at a time: each batch the
//! sources hand over (a listing page, a batch of existence checks, stored
//! toots to refresh) gets its mirrored files carried over, its media
//! mirrored, is merged with the store as loaded when the sync began, and is
//! written (toots, then their audit lines) before the next request. So sync
//! holds one page of statuses and the media in flight, however long the
//! history; of the rest it keeps ids and file names only.
//!
//! Writing early is safe because writes are idempotent: a sync stopped
//! midway has written complete toots and their audit lines, and as the
//! account's state (cursor, tombstones) is written only when the whole sync
//! succeeded, the next run lists the same window again and finds those toots
//! stored and unchanged. Before its first toot, a sync leaves a mark
//! ([`Unfinished`]) naming the cursor it started from, removed with the
//! state at the end: without it, the next sync would stop at the newest
//! toots this one wrote and never page back to the older ones it missed.
//!
//! `import` writes through the same writer (its toots decided, their files
//! copied from the archive, no mirror and no mark: see `crate::import`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::config::Handle;
use crate::error::Result;
use crate::media::{files_of, MediaReport, Mirror};
use crate::model::Toot;
use crate::store::merge::{self, ChangeKind};
use crate::store::{Store, Unfinished};

use super::AuditEntry;

pub(crate) struct Writer<'w> {
    pub store: &'w Store,
    pub handle: &'w Handle,
    /// The store as loaded when the sync began, by id.
    pub stored: &'w HashMap<&'w str, &'w Toot>,
    /// `None` when `[sync] media` is off.
    pub mirror: Option<&'w Mirror<'w>>,
    /// What the source cannot tell, carried over from the stored toot.
    pub gaps: merge::Gaps,
    /// A repeated id is written again (an export may hold a newer copy
    /// later; import decides which copy wins), instead of the first copy
    /// winning (sync lists a toot again in its existence checks).
    pub repeats: bool,
    pub dry_run: bool,
    pub now: DateTime<Utc>,
    /// Files the stored toots refer to (only these can become orphans).
    pub old_files: HashSet<String>,
    /// Written before the first toot, unless an earlier unfinished sync
    /// left one (see [`crate::store::Unfinished`]).
    pub mark: Option<Unfinished>,
    pub out: Written,
}

/// What the batches did, for the report and the final step.
#[derive(Default)]
pub(crate) struct Written {
    /// Ids of every toot handed over in this run; the first copy wins.
    pub handled: HashSet<String>,
    /// Stored toots rewritten in this run.
    pub rewritten: HashSet<String>,
    /// Files of `old_files` that rewritten or new toots refer to.
    pub kept_files: HashSet<String>,
    pub changes: Vec<AuditEntry>,
    pub added: usize,
    pub edited: usize,
    pub refreshed: usize,
    /// Toots handed over that the store already held as they are.
    pub unchanged: usize,
    pub media: MediaReport,
    /// The most toots one batch held.
    pub most_held: usize,
}

impl Writer<'_> {
    /// Mirrors, merges and writes one batch.
    pub(crate) fn batch(&mut self, mut toots: Vec<Toot>) -> Result<()> {
        let out = &mut self.out;
        out.most_held = out.most_held.max(toots.len());
        let repeats = self.repeats;
        // Ids handed over in an earlier batch: a toot this run wrote already
        // (as added), so a later copy of it is an edit, not a second toot.
        let mut again = HashSet::new();
        toots.retain(|t| {
            let first = out.handled.insert(t.id.clone());
            if !first && repeats {
                again.insert(t.id.clone());
            }
            first || repeats
        });
        if toots.is_empty() {
            return Ok(());
        }
        for toot in &mut toots {
            if let Some(old) = self.stored.get(toot.id.as_str()) {
                merge::carry_over(toot, old, self.gaps);
            }
        }
        if let Some(mirror) = self.mirror {
            mirror.toots(&mut toots, &mut out.media);
        }
        let plan = merge::merge_with(self.stored, &toots, &[]);
        out.unchanged += toots.len().saturating_sub(plan.writes.len());
        drop(toots);
        let mut audit = Vec::new();
        for (toot, kind) in &plan.writes {
            let kind = match kind {
                Some(ChangeKind::Added) if again.contains(&toot.id) => Some(ChangeKind::Edited),
                kind => *kind,
            };
            match &kind {
                Some(change) => {
                    match change {
                        ChangeKind::Added => out.added += 1,
                        ChangeKind::Edited => out.edited += 1,
                        ChangeKind::Deleted => {}
                    }
                    audit.push(AuditEntry {
                        time: self.now,
                        id: toot.id.clone(),
                        change: *change,
                    });
                }
                None => out.refreshed += 1,
            }
            if self.stored.contains_key(toot.id.as_str()) {
                out.rewritten.insert(toot.id.clone());
            }
            out.kept_files.extend(
                files_of(toot)
                    .into_iter()
                    .filter(|f| self.old_files.contains(f)),
            );
        }
        for entry in &audit {
            tracing::debug!("{}: {} {}", self.handle, entry.change.as_str(), entry.id);
        }
        out.changes.extend(audit.iter().cloned());
        if self.dry_run {
            return Ok(());
        }
        if let Some(mark) = self.mark.as_ref().filter(|_| !plan.writes.is_empty()) {
            self.store.write_unfinished(self.handle, mark)?;
            self.mark = None;
        }
        for (toot, _) in &plan.writes {
            self.store.write_toot(self.handle, toot)?;
        }
        self.store.append_audit(self.handle, &audit)
    }
}
