//! The one shape every source of toots has: the REST API
//! ([`ApiSource`]), the ActivityPub outbox ([`OutboxSource`]) and the export
//! archive ([`ArchiveSource`]) each
//! - yield the listing a [`Page`] at a time, newest first, each page handed
//!   over before the next is read (so one page is held at a time);
//! - answer whether stored toots still exist, with their current versions;
//! - open readers for media files ([`Media`]).
//!
//! What a page holds is mapped but not yet filtered: the one visibility filter
//! ([`crate::store::merge::storable`]) is applied by the caller (sync's
//! listing, import) before anything is written. Where a listing stops is the
//! source's own rule (the API compares ids, the outbox looks for stored ones,
//! the archive reads to its end), given the [`Bounds`] of the store.

use std::collections::HashSet;
use std::io::Read;

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::Result;
use crate::model::Toot;
use crate::source::activitypub::{self, Activity, Boost, Context};
use crate::source::api_map::ApiAccount;
use crate::source::http::HttpClient;

mod api;
mod archive;
mod outbox;

pub(crate) use api::ApiSource;
pub(crate) use archive::{store_media, ArchiveSource};
pub(crate) use outbox::{boosted_post, Boosted, OutboxSource};

/// One item of a page. Nearly every item is a toot, so the small variants
/// are not worth boxing the large one for.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Item {
    /// A post (or a boost the source resolved), mapped, or why it could not be.
    Toot(std::result::Result<Toot, String>),
    /// A boost whose post the source did not resolve (the archive's: its
    /// post is elsewhere in the export, or only on the network).
    Boost(Boost),
    /// An item of a type a mirror does not store (`Like`, `Create/Tombstone`).
    Other(String),
    /// An item without a usable status id: `label` counts it by kind,
    /// `message` names it.
    Invalid { label: String, message: String },
}

/// The account's profile, as the source first sees it.
pub(crate) enum Profile {
    Api(Box<ApiAccount>),
    Actor(Value),
}

/// One page of a listing.
#[derive(Default)]
pub(crate) struct Page {
    /// The status ids the page lists, kept or not: the listing's window.
    pub listed: Vec<String>,
    pub items: Vec<Item>,
    /// Ids of the pinned toots, with the first page.
    pub pinned: Option<HashSet<String>>,
    pub profile: Option<Profile>,
    /// No page follows.
    pub last: bool,
}

/// What a listing needs to know of the store to stop where it overlaps.
pub(crate) struct Bounds<'b> {
    /// The listing ends once it reaches this id.
    pub overlap_at: Option<&'b str>,
    pub stored: &'b HashSet<&'b str>,
    /// An unfinished sync wrote toots: only `overlap_at` ends the listing.
    pub resume: bool,
    pub since: Option<NaiveDate>,
    /// Boosts are wanted (else they are listed, not fetched).
    pub boosts: bool,
}

impl Bounds<'_> {
    /// Bounds that stop nowhere: the whole listing.
    pub(crate) fn everything<'s>(stored: &'s HashSet<&'s str>) -> Bounds<'s> {
        Bounds {
            overlap_at: None,
            stored,
            resume: true,
            since: None,
            boosts: true,
        }
    }
}

/// Where the pages go, with the source's media (to copy files while the
/// listing is read).
pub(crate) type PageSink<'s> = dyn FnMut(Page, &mut dyn Media) -> Result<()> + 's;

/// Where the current versions of checked toots go, a batch at a time.
pub(crate) type BatchSink<'s> =
    dyn FnMut(Vec<std::result::Result<Toot, String>>) -> Result<()> + 's;

/// A media file opened for reading.
pub(crate) struct MediaBody<'r> {
    pub reader: Box<dyn Read + 'r>,
    /// The file's name in the source (an archive entry, or the URL).
    pub name: String,
    /// How errors name it (the entry's path in the archive, or the URL).
    pub shown: String,
    /// The content type the source claims for it, if any.
    pub mime: Option<String>,
}

/// Opens media files of a source by their remote URL.
pub(crate) trait Media {
    /// The file at `url`, at most `cap` bytes where the source enforces it;
    /// `None` when the source does not hold it.
    fn open_media(&mut self, url: &str, cap: u64) -> Result<Option<MediaBody<'_>>>;
}

/// The three capabilities of every source.
pub(crate) trait Source: Media {
    /// Hands the listing to `on_page` a page at a time, newest first, until
    /// it reaches `bounds`; returns whether the history ended.
    fn pages(&mut self, bounds: &Bounds<'_>, on_page: &mut PageSink<'_>) -> Result<bool>;

    /// Hands the current versions of the `toots` that still exist to
    /// `on_batch`, a batch at a time, and returns the ids of those gone.
    fn existing(&mut self, toots: &[&Toot], on_batch: &mut BatchSink<'_>) -> Result<Vec<String>>;
}

/// Both network sources fetch media through their HTTP client, which may be
/// shared by threads (sync mirrors four files at once, each on its own copy
/// of the reference).
impl Media for &HttpClient {
    fn open_media(&mut self, url: &str, cap: u64) -> Result<Option<MediaBody<'_>>> {
        http_media(self, url, cap).map(Some)
    }
}

/// GETs the file at `url` (at most `cap` bytes) with its claimed type.
pub(crate) fn http_media(http: &HttpClient, url: &str, cap: u64) -> Result<MediaBody<'static>> {
    let parsed = url::Url::parse(url).map_err(|e| crate::error::Error::Http {
        url: url.to_string(),
        status: None,
        message: format!("not a valid URL: {e}"),
    })?;
    let fetched = http.get(&parsed, "*/*", cap)?;
    Ok(MediaBody {
        reader: Box::new(std::io::Cursor::new(fetched.body)),
        name: url.to_string(),
        shown: url.to_string(),
        mime: fetched.content_type,
    })
}

/// Maps one outbox item (of a server or of an export) to the status id it
/// lists, if any, and what it holds. An `Announce` is listed but not mapped
/// when boosts are not wanted.
pub(crate) fn outbox_item(
    item: &Value,
    ctx: &Context,
    boosts: bool,
) -> (Option<String>, Option<Item>) {
    let Some(id) = activitypub::item_id(item, ctx) else {
        let item = match activitypub::activity(item, ctx) {
            Ok(Activity::Other(kind)) => Item::Other(kind),
            Err(e) => Item::Invalid {
                label: e.message.clone(),
                message: e.to_string(),
            },
            Ok(_) => Item::Invalid {
                label: "item without a safe status id".to_string(),
                message: "item without a safe status id".to_string(),
            },
        };
        return (None, Some(item));
    };
    if item.get("type").and_then(Value::as_str) == Some("Announce") && !boosts {
        return (Some(id), None);
    }
    let item = match activitypub::activity(item, ctx) {
        Ok(Activity::Post(toot)) => Item::Toot(Ok(*toot)),
        Ok(Activity::Boost(b)) => Item::Boost(b),
        Ok(Activity::Other(kind)) => Item::Other(kind),
        Err(e) => Item::Toot(Err(e.to_string())),
    };
    (Some(id), Some(item))
}

#[cfg(test)]
mod tests;
