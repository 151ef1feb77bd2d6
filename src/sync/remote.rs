//! The two ways sync reads an account: the REST API and the ActivityPub
//! outbox, both [`Source`]s. Their pages go to the same [`Sink`] one at a
//! time (storable toots only; private and direct are dropped here, before
//! anything can reach the store), each page before the next is requested;
//! of the listing only its [`Window`] of ids is kept. Both answer the same
//! existence checks, so the rest of sync does not care which it reads.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{AccountState, Toot};
use crate::source::activitypub;
use crate::source::api_map::{self, ApiAccount};
use crate::source::kind::{ApiSource, Bounds, Item, OutboxSource, Profile, Source};
use crate::store::merge::{self, Window};

pub(crate) enum Remote<'a> {
    Api(ApiSource<'a>),
    Outbox(Box<OutboxSource<'a>>),
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
    pub overlap_at: Option<&'s str>,
    pub stored: &'s HashSet<&'s str>,
    /// An unfinished sync wrote toots: only `overlap_at` ends the listing,
    /// not any stored toot.
    pub resume: bool,
    pub since: Option<chrono::NaiveDate>,
    pub boosts: bool,
    pub progress: &'s super::Progress,
}

impl Known<'_> {
    fn bounds(&self) -> Bounds<'_> {
        Bounds {
            overlap_at: self.overlap_at,
            stored: self.stored,
            resume: self.resume,
            since: self.since,
            boosts: self.boosts,
        }
    }
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

    fn progress(&self, known: &Known<'_>) {
        tracing::info!("{} toots listed so far", self.window.count);
        known.progress.send(super::ProgressEvent::Listed {
            toots: self.window.count,
        });
    }
}

impl<'a> Remote<'a> {
    fn source(&mut self) -> &mut dyn Source {
        match self {
            Remote::Api(api) => api,
            Remote::Outbox(outbox) => &mut **outbox,
        }
    }

    /// Reads the listing through the source, page by page: the profile and
    /// pins it brings are applied, every listed id enters the window, the
    /// storable toots go to `sink`.
    pub(super) fn list(
        &mut self,
        known: &Known<'_>,
        state: &mut AccountState,
        sink: &mut Sink<'_>,
    ) -> Result<Listing> {
        let mut listing = Listing::default();
        let bounds = known.bounds();
        listing.reached_end = self.source().pages(&bounds, &mut |page, _media| {
            match page.profile {
                Some(Profile::Api(account)) => apply_profile(state, &account),
                Some(Profile::Actor(actor)) => apply_actor(state, &actor),
                None => {}
            }
            if let Some(pinned) = page.pinned {
                listing.pinned = pinned;
            }
            for id in &page.listed {
                listing.window.list(id, known.stored.contains(id.as_str()));
            }
            let mut batch = Vec::new();
            for item in page.items {
                match item {
                    Item::Toot(toot) => listing.keep(toot, &mut batch),
                    // Both network sources resolve their boosts themselves.
                    Item::Boost(_) => {}
                    // Skipped items are not listed, but counted by type, so
                    // the summary says what was left.
                    Item::Other(kind) | Item::Invalid { label: kind, .. } => {
                        *listing.skipped.entry(kind).or_default() += 1;
                    }
                }
            }
            sink(batch)?;
            if !page.last {
                listing.progress(known);
            }
            Ok(())
        })?;
        Ok(listing)
    }

    /// Hands the current versions of the `ids` that still exist to `sink`,
    /// a batch at a time, and returns those gone.
    pub(super) fn existing(
        &mut self,
        ids: &[String],
        stored: &HashMap<&str, &Toot>,
        listing: &mut Listing,
        sink: &mut Sink<'_>,
    ) -> Result<Vec<String>> {
        let toots: Vec<&Toot> = ids
            .iter()
            .filter_map(|id| stored.get(id.as_str()).copied())
            .collect();
        self.source().existing(&toots, &mut |present| {
            let mut batch = Vec::new();
            for toot in present {
                listing.keep(toot, &mut batch);
            }
            sink(batch)
        })
    }
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
