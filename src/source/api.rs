//! The Mastodon REST source: account resolution (WebFinger, then
//! `/api/v1/accounts/lookup`), the statuses listing with its `Link` paging,
//! pinned toots, and the existence checks that tell a deleted toot from one
//! that merely left the fetched window.
//!
//! Paging and merge *decisions* live in `sync.rs` and `store/merge.rs`; this
//! module only knows URLs and response shapes.

use serde::Deserialize;
use url::Url;

use super::api_map::{ApiAccount, ApiStatus};
use super::guard;
use super::http::HttpClient;
use crate::config::{BaseUrl, Handle};
use crate::error::{Error, Result};

/// Mastodon's largest page.
pub(crate) const PAGE_LIMIT: usize = 40;
/// Ids per batch `GET /api/v1/statuses?id[]=` (more is a 422).
pub(crate) const BATCH_LIMIT: usize = 20;
const JSON: &str = "application/json";

/// One account's REST endpoint set.
pub(crate) struct Api<'a> {
    http: &'a HttpClient,
    base: Url,
    /// `None` until a batch request showed whether the server has it.
    batch_supported: std::cell::Cell<Option<bool>>,
}

#[derive(Deserialize)]
struct Jrd {
    #[serde(default)]
    links: Vec<JrdLink>,
}

#[derive(Deserialize)]
struct JrdLink {
    rel: String,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    href: Option<String>,
}

/// The server that hosts `handle`: the configured `instance`, else the
/// origin of the actor URI that WebFinger on the handle's domain names.
pub(crate) fn instance_base(
    http: &HttpClient,
    handle: &Handle,
    instance: Option<&BaseUrl>,
) -> Result<Url> {
    match instance {
        Some(instance) => Ok(origin(&instance.0)),
        None => Ok(origin(&webfinger_actor(http, handle, None)?)),
    }
}

/// The actor URI of `handle` by WebFinger, asked of the configured instance
/// or of the handle's domain (redirects to the web domain are followed).
pub(crate) fn webfinger_actor(
    http: &HttpClient,
    handle: &Handle,
    instance: Option<&BaseUrl>,
) -> Result<Url> {
    let mut url = match instance {
        Some(instance) => origin(&instance.0)
            .join(".well-known/webfinger")
            .expect("joins"),
        None => {
            let loopback =
                handle.host.starts_with("127.0.0.1:") || handle.host.starts_with("localhost:");
            let scheme = if loopback { "http" } else { "https" };
            parse(&format!("{scheme}://{}/.well-known/webfinger", handle.host))?
        }
    };
    url.query_pairs_mut()
        .append_pair("resource", &format!("acct:{}@{}", handle.user, handle.host));
    let (jrd, fetched): (Jrd, _) = http.get_json(&url, "application/jrd+json, application/json")?;
    let actor = jrd
        .links
        .iter()
        .find(|l| {
            l.rel == "self"
                && l.kind.as_deref().is_some_and(|k| {
                    k.starts_with("application/activity+json")
                        || k.starts_with("application/ld+json")
                })
        })
        .and_then(|l| l.href.as_deref())
        .ok_or_else(|| Error::Http {
            url: fetched.url.to_string(),
            status: None,
            message: format!("WebFinger names no ActivityPub actor for {handle}"),
        })?;
    let actor = parse(actor)?;
    guard::check_url(&actor).map_err(|message| Error::Http {
        url: actor.to_string(),
        status: None,
        message,
    })?;
    Ok(actor)
}

/// The scheme, host and port of `url`, with the root path.
pub(crate) fn origin(url: &Url) -> Url {
    let mut base = url.clone();
    base.set_path("/");
    base.set_query(None);
    base.set_fragment(None);
    base
}

fn parse(text: &str) -> Result<Url> {
    Url::parse(text).map_err(|e| Error::Http {
        url: text.to_string(),
        status: None,
        message: format!("not a valid URL: {e}"),
    })
}

impl<'a> Api<'a> {
    pub(crate) fn new(http: &'a HttpClient, base: Url) -> Self {
        Api {
            http,
            base,
            batch_supported: std::cell::Cell::new(None),
        }
    }

    /// The client every request of this API goes through.
    pub(crate) fn http(&self) -> &'a HttpClient {
        self.http
    }

    pub(crate) fn base(&self) -> &Url {
        &self.base
    }

    fn endpoint(&self, path: &str) -> Url {
        self.base.join(path).expect("static API paths join")
    }

    /// `GET /api/v1/accounts/lookup?acct=user`.
    pub(crate) fn lookup(&self, user: &str) -> Result<ApiAccount> {
        let mut url = self.endpoint("api/v1/accounts/lookup");
        url.query_pairs_mut().append_pair("acct", user);
        Ok(self.http.get_json(&url, JSON)?.0)
    }

    /// The first (newest) page of an account's statuses.
    pub(crate) fn first_page(&self, account_id: &str) -> Url {
        let mut url = self.endpoint(&format!("api/v1/accounts/{account_id}/statuses"));
        url.query_pairs_mut()
            .append_pair("limit", &PAGE_LIMIT.to_string());
        url
    }

    /// One page and the URL of the next (older) one, if any. Mastodon sends
    /// a `Link: rel="next"` only for full pages; a server that sends none
    /// gets a `max_id` cursor built from the last id of a full page.
    pub(crate) fn page(&self, url: &Url) -> Result<(Vec<ApiStatus>, Option<Url>)> {
        let (statuses, fetched): (Vec<ApiStatus>, _) = self.http.get_json(url, JSON)?;
        let next = fetched.next.or_else(|| {
            let last = statuses.last().filter(|_| statuses.len() >= PAGE_LIMIT)?;
            let mut next = url.clone();
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, _)| k != "max_id")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            next.query_pairs_mut()
                .clear()
                .extend_pairs(pairs)
                .append_pair("max_id", &last.id);
            Some(next)
        });
        Ok((statuses, next))
    }

    /// The account's pinned statuses (`pinned=true`, one request).
    pub(crate) fn pinned(&self, account_id: &str) -> Result<Vec<ApiStatus>> {
        let mut url = self.endpoint(&format!("api/v1/accounts/{account_id}/statuses"));
        url.query_pairs_mut().append_pair("pinned", "true");
        Ok(self.http.get_json(&url, JSON)?.0)
    }

    /// `GET /api/v1/statuses/:id`: `None` when the server answers 404 or 410
    /// (for a toot stored as public or unlisted: deleted, or its author gone).
    pub(crate) fn status(&self, id: &str) -> Result<Option<ApiStatus>> {
        let url = self.endpoint(&format!("api/v1/statuses/{id}"));
        match self.http.get_json(&url, JSON) {
            Ok((status, _)) => Ok(Some(status)),
            Err(e) if matches!(e.http_status(), Some(404 | 410)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Which of `ids` still exist: `on_found` gets the current statuses of
    /// each batch as it arrives (so no more than one batch is held), and the
    /// ids that are gone are returned. Uses the batch endpoint (20 ids a
    /// request, Mastodon 4.3+) and falls back to one request per id where
    /// the server lacks it.
    pub(crate) fn existing(
        &self,
        ids: &[String],
        mut on_found: impl FnMut(Vec<ApiStatus>) -> Result<()>,
    ) -> Result<Vec<String>> {
        let mut gone = Vec::new();
        for chunk in ids.chunks(BATCH_LIMIT) {
            let batch = if chunk.len() > 1 && self.batch_supported.get() != Some(false) {
                self.batch(chunk)?
            } else {
                None
            };
            let found = match batch {
                Some(found) => {
                    let found_ids: std::collections::HashSet<&str> =
                        found.iter().map(|s| s.id.as_str()).collect();
                    gone.extend(
                        chunk
                            .iter()
                            .filter(|id| !found_ids.contains(id.as_str()))
                            .cloned(),
                    );
                    found
                }
                None => {
                    let mut found = Vec::new();
                    for id in chunk {
                        match self.status(id)? {
                            Some(status) => found.push(status),
                            None => gone.push(id.clone()),
                        }
                    }
                    found
                }
            };
            on_found(found)?;
        }
        Ok(gone)
    }

    /// `None` when the server has no batch endpoint, or its answer cannot be
    /// trusted (nothing found although a single request finds a toot).
    fn batch(&self, chunk: &[String]) -> Result<Option<Vec<ApiStatus>>> {
        let mut url = self.endpoint("api/v1/statuses");
        for id in chunk {
            url.query_pairs_mut().append_pair("id[]", id);
        }
        let found: Vec<ApiStatus> = match self.http.get_json(&url, JSON) {
            Ok((found, _)) => found,
            Err(e) if matches!(e.http_status(), Some(400 | 404 | 405 | 422)) => {
                tracing::info!(
                    "{}: no batch status endpoint, checking toots one by one",
                    self.base
                );
                self.batch_supported.set(Some(false));
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        if self.batch_supported.get().is_none() {
            if found.is_empty() && self.status(&chunk[0])?.is_some() {
                self.batch_supported.set(Some(false));
                return Ok(None);
            }
            self.batch_supported.set(Some(true));
        }
        Ok(Some(found))
    }
}
