//! The ActivityPub source: WebFinger → actor → outbox, for servers whose
//! REST API refuses anonymous use (401/403) or that are not Mastodon.
//!
//! Outbox pages hold 20 items, newest first, linked by `next`. Items are
//! mapped by `activitypub` (shared with the export import), with the
//! [`Context`] built here from the actor. Existence checks GET
//! the object URI with the ActivityPub Accept header: a deleted post
//! answers 404 (never a Tombstone) on Mastodon.

use serde_json::Value;
use url::Url;

use std::collections::HashSet;

use super::activitypub::{featured_ids, href, Context};
use super::api::webfinger_actor;
use super::http::HttpClient;
use crate::config::{BaseUrl, Handle};
use crate::error::{Error, Result};

pub(crate) const ACCEPT: &str =
    "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

pub(crate) struct Outbox<'a> {
    http: &'a HttpClient,
    pub actor: Value,
    /// The mapping context: actor, followers collection, instance origin
    /// and host (the account id is left to the caller, who may know it).
    pub ctx: Context,
    outbox: Url,
}

/// Local mentions get the short `acct`, as in the REST API of the server
/// the actor lives on (which may differ from the handle's host).
fn context(actor_id: &str, actor: &Value, handle_host: &str) -> Context {
    let host = Url::parse(actor_id)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| handle_host.to_string());
    let mut ctx = Context::new(actor_id, &host);
    ctx.followers = href(actor.get("followers")).and_then(|f| ctx.resolve(&f));
    ctx
}

fn bad(url: &Url, message: &str) -> Error {
    Error::Http {
        url: url.to_string(),
        status: None,
        message: message.to_string(),
    }
}

impl<'a> Outbox<'a> {
    /// Finds the actor by WebFinger (on the configured instance when there
    /// is one) and reads its `outbox` URL.
    pub(crate) fn discover(
        http: &'a HttpClient,
        handle: &Handle,
        instance: Option<&BaseUrl>,
    ) -> Result<Self> {
        let actor_url = webfinger_actor(http, handle, instance)?;
        let (actor, fetched): (Value, _) = http.get_json(&actor_url, ACCEPT)?;
        let outbox = href(actor.get("outbox"))
            .and_then(|o| fetched.url.join(&o).ok())
            .ok_or_else(|| bad(&fetched.url, "the actor has no outbox"))?;
        let actor_id = href(actor.get("id")).unwrap_or_else(|| actor_url.to_string());
        let ctx = context(&actor_id, &actor, &handle.host);
        Ok(Outbox {
            http,
            actor,
            ctx,
            outbox,
        })
    }

    /// The client every request of this outbox goes through.
    pub(crate) fn http(&self) -> &'a HttpClient {
        self.http
    }

    /// Reads the pages of activities, newest first, handing each to
    /// `on_page` before the next is requested, until `on_page` says a page
    /// overlaps what is stored (returns `true`); whether the history ended.
    pub(crate) fn pages(
        &self,
        mut on_page: impl FnMut(Vec<Value>) -> Result<bool>,
    ) -> Result<bool> {
        let (root, fetched): (Value, _) = self.http.get_json(&self.outbox, ACCEPT)?;
        // The root may embed the first page or name it.
        let mut page = match root.get("first") {
            Some(Value::Object(_)) => root["first"].clone(),
            Some(first) => {
                let url = href(Some(first))
                    .and_then(|u| fetched.url.join(&u).ok())
                    .ok_or_else(|| bad(&fetched.url, "the outbox has no usable `first` page"))?;
                self.http.get_json::<Value>(&url, ACCEPT)?.0
            }
            None => root,
        };
        loop {
            let next = href(page.get("next")).and_then(|n| fetched.url.join(&n).ok());
            let batch: Vec<Value> = match page
                .as_object_mut()
                .and_then(|p| p.remove("orderedItems").or_else(|| p.remove("items")))
            {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            };
            drop(page);
            let empty = batch.is_empty();
            let overlap = on_page(batch)?;
            match next {
                Some(next) if !empty && !overlap => {
                    page = self.http.get_json::<Value>(&next, ACCEPT)?.0;
                }
                Some(_) if overlap => return Ok(false),
                _ => return Ok(true),
            }
        }
    }

    /// Ids of the pinned posts: the actor's `featured` collection (one
    /// request, not paginated); empty when the server has none.
    pub(crate) fn featured(&self) -> Result<HashSet<String>> {
        let Some(url) = href(self.actor.get("featured")).and_then(|f| Url::parse(&f).ok()) else {
            return Ok(HashSet::new());
        };
        let collection = match self.http.get_json::<Value>(&url, ACCEPT) {
            Ok((value, _)) => value,
            Err(e) if matches!(e.http_status(), Some(404 | 410)) => return Ok(HashSet::new()),
            Err(e) => return Err(e),
        };
        Ok(featured_ids(&collection, &self.ctx))
    }

    /// GETs an object (a boosted post); `None` when it is gone.
    pub(crate) fn object(&self, uri: &str) -> Result<Option<Value>> {
        object(self.http, uri)
    }
}

/// GETs an ActivityPub object by its URI; `None` when it is gone (404, 410).
pub(crate) fn object(http: &HttpClient, uri: &str) -> Result<Option<Value>> {
    let url = Url::parse(uri).map_err(|e| Error::Http {
        url: uri.to_string(),
        status: None,
        message: format!("not a valid URL: {e}"),
    })?;
    match http.get_json::<Value>(&url, ACCEPT) {
        Ok((value, _)) => Ok(Some(value)),
        Err(e) if matches!(e.http_status(), Some(404 | 410)) => Ok(None),
        Err(e) => Err(e),
    }
}
