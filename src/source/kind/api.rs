//! The REST API as a [`Source`]: the account's statuses page by page (the
//! pinned list fetched right after the first page and merged with it), the
//! batch status endpoint for existence checks, and media over HTTP.

use std::collections::HashSet;

use super::{BatchSink, Bounds, Item, Media, MediaBody, Page, PageSink, Profile, Source};
use crate::error::Result;
use crate::model::Toot;
use crate::source::api::Api;
use crate::source::api_map;

pub(crate) struct ApiSource<'a> {
    pub api: Api<'a>,
    pub account_id: String,
    /// The handle's host: local mentions get the short `acct`.
    pub host: String,
}

impl Media for ApiSource<'_> {
    fn open_media(&mut self, url: &str, cap: u64) -> Result<Option<MediaBody<'_>>> {
        super::http_media(self.api.http(), url, cap).map(Some)
    }
}

impl Source for ApiSource<'_> {
    fn pages(&mut self, bounds: &Bounds<'_>, on_page: &mut PageSink<'_>) -> Result<bool> {
        let (api, account_id, host) = (&self.api, self.account_id.as_str(), self.host.as_str());
        let mut url = Some(api.first_page(account_id));
        let mut first = true;
        let mut profile_seen = false;
        while let Some(current) = url {
            let (page, next) = api.page(&current)?;
            // Mastodon ids grow with time: a page reaching the stored
            // cursor (or the `since` day) is the last one needed.
            let overlaps = bounds.overlap_at.is_some_and(|at| {
                page.iter()
                    .any(|s| !crate::model::compare_ids(&s.id, at).is_gt())
            });
            let before_since = bounds
                .since
                .is_some_and(|day| page.last().is_some_and(|s| s.created_at.date_naive() < day));
            let empty = page.is_empty();
            let mut out = Page::default();
            if !profile_seen {
                if let Some(profile) = page
                    .iter()
                    .filter_map(|s| s.account.as_ref())
                    .find(|a| a.id == account_id)
                {
                    out.profile = Some(Profile::Api(Box::new(profile.clone())));
                    profile_seen = true;
                }
            }
            // The pinned list right after the first page, so that every page
            // is merged with its pins set.
            let pinned = if first {
                api.pinned(account_id)?
            } else {
                Vec::new()
            };
            if first {
                out.pinned = Some(pinned.iter().map(|s| s.id.clone()).collect());
            }
            for status in &page {
                out.listed.push(status.id.clone());
                out.items.push(Item::Toot(api_map::to_toot(status, host)));
            }
            // Pinned toots the first page does not hold are merged with it (a
            // later page listing one again leaves it as it is).
            let in_page: HashSet<&str> = page.iter().map(|s| s.id.as_str()).collect();
            for status in pinned.iter().filter(|s| !in_page.contains(s.id.as_str())) {
                out.items.push(Item::Toot(api_map::to_toot(status, host)));
            }
            drop(in_page);
            drop((page, pinned));
            let ended = empty || next.is_none();
            out.last = ended || overlaps || before_since;
            on_page(out, &mut api.http())?;
            first = false;
            if ended {
                return Ok(true);
            }
            if overlaps || before_since {
                return Ok(false);
            }
            url = next;
        }
        Ok(false)
    }

    fn existing(&mut self, toots: &[&Toot], on_batch: &mut BatchSink<'_>) -> Result<Vec<String>> {
        let ids: Vec<String> = toots.iter().map(|t| t.id.clone()).collect();
        let host = self.host.as_str();
        self.api.existing(&ids, |present| {
            let batch = present
                .iter()
                .map(|status| api_map::to_toot(status, host))
                .collect();
            drop(present);
            on_batch(batch)
        })
    }
}
