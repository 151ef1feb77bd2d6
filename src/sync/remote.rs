//! The two ways sync reads an account: the REST API and the ActivityPub
//! outbox. Both produce the same [`Listing`] (storable toots only; private
//! and direct are dropped here, before anything can reach the store) and
//! answer the same existence checks, so the rest of sync does not care.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use url::Url;

use crate::error::{Error, Result};
use crate::model::{compare_ids, AccountState, Author, SharedToot, Toot};
use crate::source::activitypub::{self, Activity, Boost, BoostObject, Context};
use crate::source::api::Api;
use crate::source::api_map::{self, ApiAccount};
use crate::source::outbox::Outbox;

pub(crate) enum Remote<'a> {
    Api { api: Api<'a>, account_id: String },
    Outbox(Box<Outbox<'a>>),
}

/// What one sync saw of an account.
#[derive(Default)]
pub(crate) struct Listing {
    /// Storable toots, newest first, pinned flags set.
    pub toots: Vec<Toot>,
    /// Every id the listing held (dropped ones too): the fetched window.
    pub listed_ids: Vec<String>,
    pub reached_end: bool,
    pub pinned: HashSet<String>,
    pub dropped: usize,
    pub errors: Vec<String>,
}

/// What the listing needs to know about the store.
pub(crate) struct Known<'s> {
    pub host: &'s str,
    pub overlap_at: Option<&'s str>,
    pub stored: &'s HashSet<&'s str>,
    pub since: Option<chrono::NaiveDate>,
    pub boosts: bool,
    pub progress: &'s super::Progress,
}

impl Listing {
    fn keep(&mut self, toot: std::result::Result<Toot, String>) {
        match toot {
            Ok(mut toot) if toot.visibility.is_storable() => {
                toot.pinned = self.pinned.contains(&toot.id);
                self.toots.push(toot);
            }
            Ok(_) => self.dropped += 1,
            Err(e) => self.errors.push(e),
        }
    }
}

impl Remote<'_> {
    pub fn list(&self, known: &Known<'_>, state: &mut AccountState) -> Result<Listing> {
        match self {
            Remote::Api { api, account_id } => api_listing(api, account_id, known, state),
            Remote::Outbox(outbox) => outbox_listing(outbox, known, state),
        }
    }

    /// Current versions of the `ids` that still exist, and those gone.
    pub fn existing(
        &self,
        ids: &[String],
        stored: &HashMap<&str, &Toot>,
        known: &Known<'_>,
        listing: &mut Listing,
    ) -> Result<Vec<String>> {
        match self {
            Remote::Api { api, .. } => {
                let (present, gone) = api.existing(ids)?;
                for status in &present {
                    listing.keep(api_map::to_toot(status, known.host));
                }
                Ok(gone)
            }
            Remote::Outbox(outbox) => {
                let mut gone = Vec::new();
                for id in ids {
                    let Some(toot) = stored.get(id.as_str()) else {
                        continue;
                    };
                    match outbox.object(&toot.uri)? {
                        None => gone.push(id.clone()),
                        Some(note) => listing.keep(
                            activitypub::note(&note, &outbox.ctx, None).map_err(|e| e.to_string()),
                        ),
                    }
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
) -> Result<Listing> {
    let mut listing = Listing::default();
    let mut statuses = Vec::new();
    let mut url = Some(api.first_page(account_id));
    while let Some(current) = url {
        let (page, next) = api.page(&current)?;
        let overlaps = known
            .overlap_at
            .is_some_and(|at| page.iter().any(|s| !compare_ids(&s.id, at).is_gt()));
        let before_since = known
            .since
            .is_some_and(|day| page.last().is_some_and(|s| s.created_at.date_naive() < day));
        let empty = page.is_empty();
        statuses.extend(page);
        if empty || next.is_none() {
            listing.reached_end = true;
            break;
        }
        if overlaps || before_since {
            break;
        }
        tracing::info!("{} toots listed so far", statuses.len());
        known.progress.send(super::ProgressEvent::Listed {
            toots: statuses.len(),
        });
        url = next;
    }
    if let Some(profile) = statuses
        .iter()
        .filter_map(|s| s.account.as_ref())
        .find(|a| a.id == account_id)
    {
        apply_profile(state, profile);
    }
    let pinned = api.pinned(account_id)?;
    listing.pinned = pinned.iter().map(|s| s.id.clone()).collect();
    listing.listed_ids = statuses.iter().map(|s| s.id.clone()).collect();
    let listed: HashSet<String> = listing.listed_ids.iter().cloned().collect();
    for status in statuses
        .iter()
        .chain(pinned.iter().filter(|s| !listed.contains(&s.id)))
    {
        listing.keep(api_map::to_toot(status, known.host));
    }
    Ok(listing)
}

fn outbox_listing(
    outbox: &Outbox<'_>,
    known: &Known<'_>,
    state: &mut AccountState,
) -> Result<Listing> {
    let ctx = &outbox.ctx;
    let mut listing = Listing::default();
    let (items, reached_end) = outbox.items(|page| {
        page.iter().any(|a| {
            activitypub::item_id(a, ctx).is_some_and(|id| {
                known.stored.contains(id.as_str()) || Some(id.as_str()) == known.overlap_at
            })
        })
    })?;
    listing.reached_end = reached_end;
    listing.pinned = outbox.featured()?;
    apply_actor(state, &outbox.actor);
    for item in &items {
        // Skipped items (other types, posts not embedded) are not listed.
        let Some(id) = activitypub::item_id(item, ctx) else {
            continue;
        };
        listing.listed_ids.push(id);
        if item.get("type").and_then(Value::as_str) == Some("Announce") && !known.boosts {
            continue;
        }
        match activitypub::activity(item, ctx) {
            Ok(Activity::Post(toot)) => listing.keep(Ok(*toot)),
            Ok(Activity::Boost(b)) => match boost(outbox, b) {
                Ok(Some(toot)) => listing.keep(Ok(toot)),
                Ok(None) => {}
                Err(e) => listing.errors.push(e),
            },
            Ok(Activity::Other(_)) => {}
            Err(e) => listing.errors.push(e.to_string()),
        }
    }
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
