//! The export archive as a [`Source`]: `outbox.json` streamed in pages of
//! [`PAGE_ITEMS`] items, mapped by the shared ActivityPub mapping (boosts are
//! left to the caller: their post is elsewhere in the export, or only on the
//! network), existence checks against the export's own posts, and media
//! read from the archive's entries.

use std::collections::HashSet;
use std::path::Path;

use super::{BatchSink, Bounds, Item, Media, MediaBody, Page, PageSink, Source};
use crate::error::{Error, Result};
use crate::model::Toot;
use crate::source::activitypub::{self, Activity, Context};
use crate::source::api::BATCH_LIMIT;
use crate::source::archive::{store_entry, Archive, Copied, MediaDir, OutboxInfo};

/// Items per page, as a server's outbox pages hold.
pub(crate) const PAGE_ITEMS: usize = 20;

pub(crate) struct ArchiveSource {
    pub archive: Archive,
    /// The mapping context of the export's actor.
    pub ctx: Context,
    /// What `outbox.json` declared and held, once it was read.
    pub info: OutboxInfo,
}

impl Media for Archive {
    /// The entry whose `media_attachments/…` path the URL ends in. Its size
    /// is capped when it is stored ([`store_media`]).
    fn open_media(&mut self, url: &str, _cap: u64) -> Result<Option<MediaBody<'_>>> {
        let Some(entry) = self.media_entry(url).map(str::to_string) else {
            return Ok(None);
        };
        let shown = self.path().join(&entry).display().to_string();
        let reader = self
            .open_entry(&entry)?
            .ok_or_else(|| Error::Other(format!("{shown}: is missing")))?;
        Ok(Some(MediaBody {
            reader,
            name: entry,
            shown,
            mime: None,
        }))
    }
}

impl Media for ArchiveSource {
    fn open_media(&mut self, url: &str, cap: u64) -> Result<Option<MediaBody<'_>>> {
        self.archive.open_media(url, cap)
    }
}

/// Stores a file opened from an archive under its content-hash name, with
/// the type its claim (or else its name) allows.
pub(crate) fn store_media(
    body: MediaBody<'_>,
    claimed: Option<&str>,
    dest: &MediaDir,
) -> Result<Copied> {
    store_entry(
        body.reader,
        &body.name,
        claimed,
        dest,
        Path::new(&body.shown),
    )
}

/// One export item: the status id it lists (if any) and what it holds.
fn archive_item(item: &serde_json::Value, ctx: &Context) -> (Option<String>, Item) {
    let id = activitypub::item_id(item, ctx);
    let item = match activitypub::activity(item, ctx) {
        Ok(Activity::Post(toot)) => Item::Toot(Ok(*toot)),
        Ok(Activity::Boost(b)) => Item::Boost(b),
        Ok(Activity::Other(kind)) => Item::Other(kind),
        Err(e) => Item::Invalid {
            label: e.message.clone(),
            message: e.to_string(),
        },
    };
    (id, item)
}

impl Source for ArchiveSource {
    /// An export is read to its end: it holds the whole history once.
    fn pages(&mut self, _bounds: &Bounds<'_>, on_page: &mut PageSink<'_>) -> Result<bool> {
        let ctx = &self.ctx;
        let mut page = Page::default();
        self.info = self.archive.stream_outbox(|item, archive| {
            let (id, item) = archive_item(&item, ctx);
            page.listed.extend(id);
            page.items.push(item);
            if page.items.len() == PAGE_ITEMS {
                on_page(std::mem::take(&mut page), archive)?;
            }
            Ok(())
        })?;
        page.last = true;
        on_page(page, &mut self.archive)?;
        Ok(true)
    }

    /// The export's own posts among `toots`; the others are not in it.
    fn existing(&mut self, toots: &[&Toot], on_batch: &mut BatchSink<'_>) -> Result<Vec<String>> {
        let mut missing: HashSet<&str> = toots.iter().map(|t| t.id.as_str()).collect();
        let mut batch = Vec::new();
        let ctx = &self.ctx;
        self.archive.stream_outbox(|item, _| {
            if let Ok(Activity::Post(toot)) = activitypub::activity(&item, ctx) {
                if missing.remove(toot.id.as_str()) {
                    batch.push(Ok(*toot));
                }
            }
            if batch.len() == BATCH_LIMIT {
                on_batch(std::mem::take(&mut batch))?;
            }
            Ok(())
        })?;
        on_batch(batch)?;
        Ok(toots
            .iter()
            .filter(|t| missing.contains(t.id.as_str()))
            .map(|t| t.id.clone())
            .collect())
    }
}
