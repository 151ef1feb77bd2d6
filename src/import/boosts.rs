//! Boosts: resolved from the archive itself in a second streaming pass over
//! the outbox (exports list a boost before or after the post it shares), or
//! with `--online` from the network; otherwise skipped and reported.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{Archive, Run, SourceMedia};
use crate::error::Result;
use crate::media::MediaReport;
use crate::model::{Author, SharedToot, Toot};
use crate::source::activitypub::{self, Activity, Boost, BoostObject};

impl Run<'_> {
    /// Second pass: boosts of posts that the archive itself holds.
    pub(super) fn resolve_boosts(&mut self, archive: &mut Archive) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let wanted: HashSet<String> = self
            .pending
            .iter()
            .filter_map(|b| match &b.object {
                BoostObject::Uri(uri) => Some(uri.clone()),
                BoostObject::Inline(_) => None,
            })
            .collect();
        let ctx = self.ctx.clone();
        let mut found: HashMap<String, Toot> = HashMap::new();
        archive.stream_outbox(|item, _| {
            let uri = item.pointer("/object/id").and_then(Value::as_str);
            if uri
                .and_then(|u| ctx.resolve(u))
                .is_some_and(|u| wanted.contains(&u))
            {
                if let Ok(Activity::Post(toot)) = activitypub::activity(&item, &ctx) {
                    found.insert(toot.uri.clone(), *toot);
                }
            }
            Ok(())
        })?;
        for boost in std::mem::take(&mut self.pending) {
            let BoostObject::Uri(uri) = &boost.object else {
                continue;
            };
            match found.get(uri) {
                Some(inner) => {
                    let inner = inner.clone();
                    let author = self.author.clone().expect("set before streaming");
                    self.boost(boost, inner, author, archive)?;
                }
                None => {
                    let uri = uri.clone();
                    self.fetch_boosted(boost, &uri, archive)?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn boost(
        &mut self,
        boost: Boost,
        inner: Toot,
        author: Author,
        archive: &mut dyn SourceMedia,
    ) -> Result<()> {
        let url = Some(boost.uri.clone());
        let toot = Toot {
            url,
            reblog: Some(Box::new(SharedToot {
                author,
                toot: inner,
            })),
            ..Toot::empty(boost.id, boost.uri, boost.created_at, boost.visibility)
        };
        self.keep(toot, archive)
    }

    /// A boosted post that is not in the archive: fetched with `--online`,
    /// else skipped.
    fn fetch_boosted(
        &mut self,
        boost: Boost,
        uri: &str,
        archive: &mut dyn SourceMedia,
    ) -> Result<()> {
        let Some(online) = &self.online else {
            self.report.skipped_boosts += 1;
            self.report.warn(format!(
                "boost {} skipped: the boosted post {uri} is not in the archive \
                 (--online fetches it)",
                boost.id
            ));
            return Ok(());
        };
        let mut media = MediaReport::default();
        let fetched = online.boosted(
            uri,
            &self.dest.store,
            &self.dest.prefix,
            self.dry_run,
            &mut media,
        );
        let counts = &mut self.report.account;
        counts.media_fetched += media.fetched;
        counts.media_pending += media.pending;
        counts.media_failed += media.failed;
        for error in media.errors {
            self.report.warn(format!("boost {}: {error}", boost.id));
        }
        match fetched {
            Ok(Some((inner, author))) => self.boost(boost, inner, author, archive),
            Ok(None) => {
                self.report.skipped_boosts += 1;
                self.report
                    .warn(format!("boost {} skipped: {uri} is gone", boost.id));
                Ok(())
            }
            Err(e) => {
                self.report.skipped_boosts += 1;
                self.report.warn(format!("boost {} skipped: {e}", boost.id));
                Ok(())
            }
        }
    }
}
