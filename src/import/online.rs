//! `import --online`: a boost whose post is not in the archive (the usual
//! case: exports hold only the account's own posts) is resolved over the
//! network, through the HTTP client sync uses for the account (the same
//! options: guard, timeouts, proxies) and sync's media mirror. The post is
//! fetched and mapped by the one function sync's outbox boosts use
//! ([`boosted_post`]), and kept only if it is public or unlisted; its
//! author's actor adds the name, profile link and avatar. Without
//! `--online` the import never touches the network.

use serde_json::Value;
use url::Url;

use crate::config::{AccountConfig, SiteConfig};
use crate::media::{MediaReport, Mirror};
use crate::model::{Author, Toot};
use crate::source::activitypub::Context;
use crate::source::http::HttpClient;
use crate::source::kind::{boosted_post, Boosted};
use crate::source::network::Network;
use crate::source::outbox::object;

/// The network side of an online import.
pub(super) struct Online {
    http: HttpClient,
    cap: u64,
    /// The mirrored account's server.
    local_host: String,
}

impl Online {
    /// A client that may reach what sync may reach for this account.
    pub(super) fn new(
        config: &SiteConfig,
        account: &AccountConfig,
        root: &std::path::Path,
    ) -> crate::error::Result<Online> {
        let network = Network::from_site(config, root, &Default::default())?;
        let options = crate::sync::http_options(config, account, network);
        Ok(Online {
            http: HttpClient::new(options)?,
            cap: config.sync.max_media_bytes.0,
            local_host: account.handle.host.clone(),
        })
    }

    /// The requests made so far (for the report, as sync counts them).
    pub(super) fn requests(&self) -> usize {
        self.http.requests()
    }

    /// Fetches the boosted post at `uri` and its author, mirroring their
    /// files into the store's `content/media/<prefix>` (not in a dry run).
    /// `Ok(None)` when the post is gone (404/410).
    pub(super) fn boosted(
        &self,
        uri: &str,
        store: &crate::store::Store,
        prefix: &str,
        dry_run: bool,
        media: &mut MediaReport,
    ) -> Result<Option<(Toot, Author)>, String> {
        let Some(Boosted {
            post: mut toot,
            author_uri,
            ..
        }) = boosted_post(&self.http, uri, &self.local_host)?
        else {
            return Ok(None);
        };
        if author_uri.is_empty() {
            return Err(format!("{uri}: the post names no author"));
        }
        let author_url = Url::parse(&author_uri).map_err(|e| format!("{author_uri}: {e}"))?;
        let host = author_url.host_str().unwrap_or_default().to_string();
        let ctx = Context::new(&author_uri, &host);
        // The author's profile is a nicety: without it the post still shows.
        let actor = object(&self.http, &author_uri)
            .ok()
            .flatten()
            .unwrap_or(Value::Null);
        let text = |key: &str| actor.get(key).and_then(Value::as_str);
        let user = text("preferredUsername")
            .map(str::to_string)
            .or_else(|| author_url.path_segments()?.next_back().map(str::to_string))
            .unwrap_or_default();
        let mirror = Mirror {
            http: &self.http,
            store,
            prefix: prefix.to_string(),
            cap: self.cap,
            dry_run,
            // No progress display for the few posts an import fetches.
            progress: &(),
        };
        let avatar = actor
            .pointer("/icon/url")
            .and_then(Value::as_str)
            .and_then(|u| ctx.resolve(u))
            .and_then(|u| mirror.image(&u))
            .and_then(Result::ok)
            .map(|m| m.file);
        if toot.visibility.is_storable() {
            mirror.toots(std::slice::from_mut(&mut toot), media);
        }
        let author = Author {
            acct: format!("{user}@{host}"),
            display_name: text("name").unwrap_or_default().to_string(),
            url: text("url")
                .and_then(|u| ctx.resolve(u))
                .unwrap_or(author_uri),
            avatar,
            emojis: Vec::new(),
        };
        Ok(Some((toot, author)))
    }
}
