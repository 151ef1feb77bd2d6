//! Import's merge and write step: each mapped toot passes the one
//! visibility filter ([`storable`]), is decided against the store and what
//! this run saw ([`decide`]: the same id is never duplicated and a newer edit
//! is never overwritten by an older copy), gets its media copied from the
//! archive, and goes with its page through sync's [`Writer`]: carried over
//! by the store's rules ([`Gaps::ARCHIVE`]: an export has no pins nor cards),
//! merged, written with its audit line. A stored toot whose files sync could
//! not mirror gets them from the archive.
//!
//! No unfinished-sync mark is left: the mark keeps sync's cursor from
//! skipping toots a stopped *sync* wrote, and import never moves the
//! cursor; a stopped import is completed by running it again. A mark would
//! instead send the next sync back over the whole history.

use std::collections::{HashMap, HashSet};

use chrono::Utc;

use super::Run;
use crate::config::Handle;
use crate::error::Result;
use crate::model::Toot;
use crate::source::archive::MAX_MEDIA_BYTES;
use crate::source::kind::{store_media, Media as SourceMedia};
use crate::store::merge::{decide, storable, Decision, Gaps};
use crate::store::Store;
use crate::sync::writer::{Writer, Written};

/// The writer import uses: no mirror (files come from the archive), the
/// archive's gaps, repeats written again, no mark.
pub(super) fn writer<'a>(
    store: &'a Store,
    handle: &'a Handle,
    stored: &'a HashMap<&'a str, &'a Toot>,
    dry_run: bool,
) -> Writer<'a> {
    Writer {
        store,
        handle,
        stored,
        mirror: None,
        gaps: Gaps::ARCHIVE,
        repeats: true,
        dry_run,
        now: Utc::now(),
        // Import never removes files, so none can become an orphan.
        old_files: HashSet::new(),
        mark: None,
        out: Written::default(),
    }
}

impl Run<'_> {
    /// Writes the decided toots of the page read so far.
    pub(super) fn flush(&mut self) -> Result<()> {
        self.writer.batch(std::mem::take(&mut self.batch))
    }

    /// Merges one mapped toot: drops it unless [`storable`], else copies its
    /// media, then writes it.
    pub(super) fn keep(&mut self, mut toot: Toot, archive: &mut dyn SourceMedia) -> Result<()> {
        if !storable(&toot) {
            self.report.account.dropped += 1;
            return Ok(());
        }
        let stored = self.stored.get(toot.id.as_str());
        let known = match self.seen.get(&toot.id) {
            Some(edited) => Some(*edited),
            None => stored.map(|s| s.edited_at),
        };
        let decision = decide(known, toot.edited_at);
        if decision == Decision::Present {
            // A stored toot given missing media goes to the writer, which
            // counts it (refreshed); one left as it is, is unchanged.
            let completed = !self.seen.contains_key(&toot.id) && self.complete(&toot.id, archive);
            if !completed {
                self.report.account.unchanged += 1;
            }
            return Ok(());
        }
        self.copy_media(&mut toot, archive)?;
        if let Some(reblog) = toot.reblog.as_mut() {
            let mut inner = reblog.toot.clone();
            self.copy_media(&mut inner, archive)?;
            reblog.toot = inner;
        }
        // Counted (added or edited) by the writer, as sync's toots are.
        self.seen.insert(toot.id.clone(), toot.edited_at);
        // A newer copy later in the same page replaces the earlier one.
        match self.batch.iter_mut().find(|t| t.id == toot.id) {
            Some(slot) => *slot = toot,
            None => self.batch.push(toot),
        }
        Ok(())
    }

    /// A stored toot whose media sync could not mirror gets them from the
    /// archive (the rescue case: the instance is gone or throttled).
    /// Whether it was handed to the writer.
    pub(super) fn complete(&mut self, id: &str, archive: &mut dyn SourceMedia) -> bool {
        let Some(stored) = self.stored.get(id) else {
            return false;
        };
        let fillable = stored.media.iter().filter(|m| m.file.is_none()).any(|m| {
            archive
                .open_media(&m.remote_url, MAX_MEDIA_BYTES)
                .is_ok_and(|body| body.is_some())
        });
        if !fillable {
            return false;
        }
        let mut toot = (*stored).clone();
        for media in toot.media.iter_mut().filter(|m| m.file.is_none()) {
            self.copy_one(id, media, archive);
        }
        self.batch.push(toot);
        self.report.completed += 1;
        true
    }

    fn copy_media(&mut self, toot: &mut Toot, archive: &mut dyn SourceMedia) -> Result<()> {
        // Files mirrored already (a post fetched with --online) stay.
        for media in toot.media.iter_mut().filter(|m| m.file.is_none()) {
            self.copy_one(&toot.id, media, archive);
        }
        Ok(())
    }

    /// Copies one attachment's file from the archive; a missing or
    /// unsuitable file is reported and leaves the slot empty.
    fn copy_one(
        &mut self,
        toot_id: &str,
        media: &mut crate::model::Media,
        archive: &mut dyn SourceMedia,
    ) {
        let opened = match archive.open_media(&media.remote_url, MAX_MEDIA_BYTES) {
            Ok(opened) => opened,
            Err(e) => {
                self.report.account.media_failed += 1;
                self.report
                    .warn(format!("toot {toot_id}: {e}; the toot is kept without it"));
                return;
            }
        };
        let Some(body) = opened else {
            self.report.account.media_failed += 1;
            self.report.warn(format!(
                "toot {toot_id}: media file {} is not in the archive; the toot is kept without it",
                media.remote_url
            ));
            return;
        };
        if self.dry_run {
            // Sync's name for a file a dry run would store.
            self.report.account.media_pending += 1;
            return;
        }
        match store_media(body, media.mime.as_deref(), &self.dest) {
            Ok(copied) => {
                if copied.existed {
                    self.report.media_present += 1;
                } else {
                    self.report.account.media_fetched += 1;
                }
                media.file = Some(copied.file);
                media.mime = Some(copied.mime);
                media.size = Some(copied.size);
            }
            Err(e) => {
                self.report.account.media_failed += 1;
                self.report
                    .warn(format!("toot {toot_id}: {e}; the toot is kept without it"));
            }
        }
    }
}
