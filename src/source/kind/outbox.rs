//! The ActivityPub outbox as a [`Source`]: its pages of activities mapped by
//! the shared mapping (the `featured` collection with the first page), each
//! boost resolved by fetching its post ([`boost`]), existence checks by
//! GETting each toot's URI, and media over HTTP.

use url::Url;

use super::Source;
use super::{outbox_item, BatchSink, Bounds, Item, Media, MediaBody, Page, PageSink, Profile};
use crate::error::Result;
use crate::model::{Author, SharedToot, Toot};
use crate::source::activitypub::{self, Boost, BoostObject, Context};
use crate::source::api::BATCH_LIMIT;
use crate::source::http::HttpClient;
use crate::source::outbox::Outbox;

pub(crate) struct OutboxSource<'a> {
    pub outbox: Outbox<'a>,
}

impl Media for OutboxSource<'_> {
    fn open_media(&mut self, url: &str, cap: u64) -> Result<Option<MediaBody<'_>>> {
        super::http_media(self.outbox.http(), url, cap).map(Some)
    }
}

impl Source for OutboxSource<'_> {
    fn pages(&mut self, bounds: &Bounds<'_>, on_page: &mut PageSink<'_>) -> Result<bool> {
        let outbox = &self.outbox;
        let ctx = &outbox.ctx;
        let mut first = true;
        outbox.pages(|page| {
            // The outbox's ids need not be ordered: a page holding a stored
            // toot (or the cursor) is the last one needed.
            let overlap = page.iter().any(|a| {
                activitypub::item_id(a, ctx).is_some_and(|id| {
                    (!bounds.resume && bounds.stored.contains(id.as_str()))
                        || Some(id.as_str()) == bounds.overlap_at
                })
            });
            let mut out = Page {
                last: overlap,
                ..Page::default()
            };
            if first {
                out.profile = Some(Profile::Actor(outbox.actor.clone()));
                out.pinned = Some(outbox.featured()?);
                first = false;
            }
            for item in &page {
                let (id, item) = outbox_item(item, ctx, bounds.boosts);
                out.listed.extend(id);
                let item = match item {
                    Some(Item::Boost(b)) => match boost(outbox, b) {
                        Ok(Some(toot)) => Some(Item::Toot(Ok(toot))),
                        Ok(None) => None,
                        Err(e) => Some(Item::Toot(Err(e))),
                    },
                    other => other,
                };
                out.items.extend(item);
            }
            drop(page);
            on_page(out, &mut outbox.http())?;
            Ok(overlap)
        })
    }

    fn existing(&mut self, toots: &[&Toot], on_batch: &mut BatchSink<'_>) -> Result<Vec<String>> {
        let outbox = &self.outbox;
        let mut gone = Vec::new();
        for chunk in toots.chunks(BATCH_LIMIT) {
            let mut batch = Vec::new();
            for toot in chunk {
                match outbox.object(&toot.uri)? {
                    None => gone.push(toot.id.clone()),
                    Some(note) => batch.push(
                        activitypub::note(&note, &outbox.ctx, None).map_err(|e| e.to_string()),
                    ),
                }
            }
            on_batch(batch)?;
        }
        Ok(gone)
    }
}

/// A boosted post fetched by its URI, mapped as its author's.
pub(crate) struct Boosted {
    pub post: Toot,
    /// The author's actor URI (`attributedTo`).
    pub author_uri: String,
    /// `user@host` from the actor URI's last segment.
    pub acct: String,
}

/// The post a boost shares, as sync and `import --online` fetch it: GET
/// its URI (with the ActivityPub Accept header, through the account's
/// client) and map it as a post of its author: relative URLs resolve
/// against the author's server, and no reply of it is a self-reply of the
/// mirrored account; mentions local to `local_host` (the mirrored account's
/// server) get the short `acct`, as its REST API gives them. `None` when the
/// post is gone.
pub(crate) fn boosted_post(
    http: &HttpClient,
    uri: &str,
    local_host: &str,
) -> std::result::Result<Option<Boosted>, String> {
    let Some(object) = crate::source::outbox::object(http, uri).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let author_uri = activitypub::href(object.get("attributedTo")).unwrap_or_default();
    let mut ctx = Context::new(&author_uri, local_host);
    ctx.account_id = None;
    let post = activitypub::note(&object, &ctx, None).map_err(|e| e.to_string())?;
    let acct = Url::parse(&author_uri)
        .ok()
        .and_then(|u| {
            let user = u.path_segments()?.next_back()?.to_string();
            Some(format!("{user}@{}", u.host_str()?))
        })
        .unwrap_or_default();
    Ok(Some(Boosted {
        post,
        author_uri,
        acct,
    }))
}

/// A boost as stored by sync: the boosted post fetched by its URI (the
/// current version, even when the outbox inlines it), wrapped in a toot
/// with the boost's id, date and addressing. `None` when the post is gone.
pub(crate) fn boost(outbox: &Outbox<'_>, b: Boost) -> std::result::Result<Option<Toot>, String> {
    let uri = match &b.object {
        BoostObject::Uri(uri) => uri.clone(),
        BoostObject::Inline(inner) => inner.uri.clone(),
    };
    let Some(Boosted {
        post: inner,
        author_uri,
        acct,
    }) = boosted_post(outbox.http(), &uri, &outbox.ctx.local_host)?
    else {
        return Ok(None);
    };
    let mut wrapper = inner.clone();
    wrapper.id = b.id;
    wrapper.uri = b.uri;
    wrapper.url = None;
    wrapper.content = String::new();
    wrapper.media.clear();
    wrapper.visibility = b.visibility;
    wrapper.created_at = b.created_at;
    wrapper.reblog = Some(Box::new(SharedToot {
        author: Author {
            acct,
            display_name: String::new(),
            url: author_uri,
            avatar: None,
            emojis: Vec::new(),
        },
        toot: inner,
    }));
    Ok(Some(wrapper))
}
