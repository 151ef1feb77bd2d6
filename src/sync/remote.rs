//! The two ways sync reads an account: the REST API and the ActivityPub
//! outbox. Both hand their toots to the same [`Sink`] a page at a time
//! (storable toots only; private and direct are dropped here, before anything
//! can reach the store), each page before the next is requested, and keep of
//! the listing only its [`Window`] of ids; both answer the same existence
//! checks, so the rest of sync does not care.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use url::Url;

use crate::error::{Error, Result};
use crate::model::{AccountState, Author, SharedToot, Toot};
use crate::source::activitypub::{self, Activity, Boost, BoostObject, Context};
use crate::source::api::{Api, BATCH_LIMIT};
use crate::source::api_map::{self, ApiAccount};
use crate::source::outbox::Outbox;
use crate::store::merge::{self, Window};

pub(crate) enum Remote<'a> {
    Api { api: Api<'a>, account_id: String },
    Outbox(Box<Outbox<'a>>),
}

/// Where the toots of one page (or one batch of existence checks) go: sync
/// merges and writes them before the next request.
pub(crate) type Sink<'s> = dyn FnMut(Vec<Toot>) -> Result<()> + 's;

/// What one sync saw of an account, without the toots themselves.
#[derive(Default)]
pub(crate) struct Listing {
    /// Every id the listing held (dropped ones too): the fetched window.
    pub window: Window,
    pub reached_end: bool,
    pub pinned: HashSet<String>,
    pub dropped: usize,
    /// Items of a type a mirror does not store, by type (`Create/Tombstone`).
    pub skipped: std::collections::BTreeMap<String, usize>,
    pub errors: Vec<String>,
}

/// What the listing needs to know about the store.
pub(crate) struct Known<'s> {
    pub host: &'s str,
    pub overlap_at: Option<&'s str>,
    pub stored: &'s HashSet<&'s str>,
    /// An unfinished sync wrote toots: only `overlap_at` ends the listing,
    /// not any stored toot.
    pub resume: bool,
    pub since: Option<chrono::NaiveDate>,
    pub boosts: bool,
    pub progress: &'s super::Progress,
}

impl Listing {
    fn keep(&mut self, toot: std::result::Result<Toot, String>, page: &mut Vec<Toot>) {
        match toot {
            Ok(mut toot) if merge::storable(&toot) => {
                toot.pinned = self.pinned.contains(&toot.id);
                page.push(toot);
            }
            Ok(_) => self.dropped += 1,
            Err(e) => self.errors.push(e),
        }
    }

    fn list(&mut self, id: &str, known: &Known<'_>) {
        self.window.list(id, known.stored.contains(id));
    }

    fn progress(&self, known: &Known<'_>) {
        tracing::info!("{} toots listed so far", self.window.count);
        known.progress.send(super::ProgressEvent::Listed {
            toots: self.window.count,
        });
    }
}

impl Remote<'_> {
    pub fn list(
        &self,
        known: &Known<'_>,
        state: &mut AccountState,
        sink: &mut Sink<'_>,
    ) -> Result<Listing> {
        match self {
            Remote::Api { api, account_id } => api_listing(api, account_id, known, state, sink),
            Remote::Outbox(outbox) => outbox_listing(outbox, known, state, sink),
        }
    }

    /// Hands the current versions of the `ids` that still exist to `sink`,
    /// a batch at a time, and returns those gone.
    pub fn existing(
        &self,
        ids: &[String],
        stored: &HashMap<&str, &Toot>,
        known: &Known<'_>,
        listing: &mut Listing,
        sink: &mut Sink<'_>,
    ) -> Result<Vec<String>> {
        match self {
            Remote::Api { api, .. } => api.existing(ids, |present| {
                let mut batch = Vec::new();
                for status in &present {
                    listing.keep(api_map::to_toot(status, known.host), &mut batch);
                }
                drop(present);
                sink(batch)
            }),
            Remote::Outbox(outbox) => {
                let mut gone = Vec::new();
                for chunk in ids.chunks(BATCH_LIMIT) {
                    let mut batch = Vec::new();
                    for id in chunk {
                        let Some(toot) = stored.get(id.as_str()) else {
                            continue;
                        };
                        match outbox.object(&toot.uri)? {
                            None => gone.push(id.clone()),
                            Some(note) => listing.keep(
                                activitypub::note(&note, &outbox.ctx, None)
                                    .map_err(|e| e.to_string()),
                                &mut batch,
                            ),
                        }
                    }
                    sink(batch)?;
                }
                Ok(gone)
            }
        }
    }
}

fn api_listing(
    api: &Api<'_>,
    account_id: &str,
    known: &Known<'_>,
    state: &mut AccountState,
    sink: &mut Sink<'_>,
) -> Result<Listing> {
    let mut listing = Listing::default();
    let mut url = Some(api.first_page(account_id));
    let mut first = true;
    let mut profile_seen = false;
    while let Some(current) = url {
        let (page, next) = api.page(&current)?;
        let overlaps = known.overlap_at.is_some_and(|at| {
            page.iter()
                .any(|s| !crate::model::compare_ids(&s.id, at).is_gt())
        });
        let before_since = known
            .since
            .is_some_and(|day| page.last().is_some_and(|s| s.created_at.date_naive() < day));
        let empty = page.is_empty();
        if !profile_seen {
            if let Some(profile) = page
                .iter()
                .filter_map(|s| s.account.as_ref())
                .find(|a| a.id == account_id)
            {
                apply_profile(state, profile);
                profile_seen = true;
            }
        }
        // The pinned list right after the first page, so that every page
        // is merged with its pins set.
        let pinned = if first {
            let pinned = api.pinned(account_id)?;
            listing.pinned = pinned.iter().map(|s| s.id.clone()).collect();
            pinned
        } else {
            Vec::new()
        };
        let mut batch = Vec::new();
        for status in &page {
            listing.list(&status.id, known);
            listing.keep(api_map::to_toot(status, known.host), &mut batch);
        }
        // Pinned toots the first page does not hold are merged with it (a
        // later page listing one again leaves it as it is).
        let in_page: HashSet<&str> = page.iter().map(|s| s.id.as_str()).collect();
        for status in pinned.iter().filter(|s| !in_page.contains(s.id.as_str())) {
            listing.keep(api_map::to_toot(status, known.host), &mut batch);
        }
        drop(in_page);
        drop((page, pinned));
        sink(batch)?;
        first = false;
        if empty || next.is_none() {
            listing.reached_end = true;
            break;
        }
        if overlaps || before_since {
            break;
        }
        listing.progress(known);
        url = next;
    }
    Ok(listing)
}

fn outbox_listing(
    outbox: &Outbox<'_>,
    known: &Known<'_>,
    state: &mut AccountState,
    sink: &mut Sink<'_>,
) -> Result<Listing> {
    let ctx = &outbox.ctx;
    let mut listing = Listing::default();
    apply_actor(state, &outbox.actor);
    let mut first = true;
    listing.reached_end = outbox.pages(|page| {
        let overlap = page.iter().any(|a| {
            activitypub::item_id(a, ctx).is_some_and(|id| {
                (!known.resume && known.stored.contains(id.as_str()))
                    || Some(id.as_str()) == known.overlap_at
            })
        });
        if first {
            listing.pinned = outbox.featured()?;
            first = false;
        }
        let mut batch = Vec::new();
        for item in &page {
            // Skipped items (other types, posts not embedded) are not
            // listed, but counted by type, so the summary says what was left.
            let Some(id) = activitypub::item_id(item, ctx) else {
                let kind = match activitypub::activity(item, ctx) {
                    Ok(Activity::Other(kind)) => kind,
                    Err(e) => e.message,
                    Ok(_) => "item without a safe status id".to_string(),
                };
                *listing.skipped.entry(kind).or_default() += 1;
                continue;
            };
            listing.list(&id, known);
            if item.get("type").and_then(Value::as_str) == Some("Announce") && !known.boosts {
                continue;
            }
            match activitypub::activity(item, ctx) {
                Ok(Activity::Post(toot)) => listing.keep(Ok(*toot), &mut batch),
                Ok(Activity::Boost(b)) => match boost(outbox, b) {
                    Ok(Some(toot)) => listing.keep(Ok(toot), &mut batch),
                    Ok(None) => {}
                    Err(e) => listing.errors.push(e),
                },
                Ok(Activity::Other(kind)) => *listing.skipped.entry(kind).or_default() += 1,
                Err(e) => listing.errors.push(e.to_string()),
            }
        }
        drop(page);
        sink(batch)?;
        Ok(overlap)
    })?;
    Ok(listing)
}

/// A boost as stored by sync: the boosted post fetched by its URI (the
/// current version, even when the outbox inlines it), wrapped in a toot
/// with the boost's id, date and addressing. `None` when the post is gone.
fn boost(outbox: &Outbox<'_>, b: Boost) -> std::result::Result<Option<Toot>, String> {
    let uri = match &b.object {
        BoostObject::Uri(uri) => uri.clone(),
        BoostObject::Inline(inner) => inner.uri.clone(),
    };
    let Some(object) = outbox.object(&uri).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let author_uri = activitypub::href(object.get("attributedTo")).unwrap_or_default();
    // The post is another account's: relative URLs resolve against its
    // server, and no reply of it is a self-reply of the mirrored account.
    let mut ctx = Context::new(&author_uri, &outbox.ctx.local_host);
    ctx.account_id = None;
    let inner = activitypub::note(&object, &ctx, None).map_err(|e| e.to_string())?;
    let acct = Url::parse(&author_uri)
        .ok()
        .and_then(|u| {
            let user = u.path_segments()?.next_back()?.to_string();
            Some(format!("{user}@{}", u.host_str()?))
        })
        .unwrap_or_default();
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

pub(crate) fn apply_profile(state: &mut AccountState, account: &ApiAccount) {
    state.id = Some(account.id.clone());
    state.display_name = account.display_name.clone();
    state.note = account.note.clone();
    if account.url.is_some() {
        state.url = account.url.clone();
    }
    let avatar = account
        .avatar_static
        .clone()
        .or_else(|| account.avatar.clone());
    set_avatar(state, avatar);
    let emojis: Vec<_> = account.emojis.iter().filter_map(api_map::emoji).collect();
    let unchanged = emojis.len() == state.emojis.len()
        && emojis
            .iter()
            .zip(&state.emojis)
            .all(|(a, b)| a.shortcode == b.shortcode && a.remote_url == b.remote_url);
    if !unchanged {
        state.emojis = emojis;
    }
}

fn apply_actor(state: &mut AccountState, actor: &Value) {
    let text = |k: &str| actor.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(name) = text("name") {
        state.display_name = name;
    }
    if let Some(summary) = text("summary") {
        state.note = summary;
    }
    if let Some(url) = activitypub::href(actor.get("url")) {
        state.url = Some(url);
    }
    set_avatar(state, activitypub::href(actor.get("icon")));
}

fn set_avatar(state: &mut AccountState, avatar: Option<String>) {
    let avatar = avatar.filter(|u| !u.is_empty() && !u.ends_with("/original/missing.png"));
    if avatar != state.avatar_remote_url {
        state.avatar = None;
        state.avatar_remote_url = avatar;
    }
}

/// REST refusals that the outbox may get around: anonymous access switched
/// off (401/403), or no Mastodon API at all (lookup answering 404/405).
pub(crate) fn falls_back(e: &Error) -> bool {
    match e {
        Error::Http {
            status: Some(401 | 403),
            ..
        } => true,
        Error::Http {
            url,
            status: Some(404 | 405),
            ..
        } => url.contains("/api/v1/accounts/lookup"),
        _ => false,
    }
}
