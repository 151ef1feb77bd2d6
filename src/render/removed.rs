//! Deleted toots: the old permalink of every toot with a tombstone in its
//! account's state becomes a short "this post was removed" page (template
//! `removed.html`, marked `noindex`). The toot itself is dropped before
//! selection (`lib.rs`), so it is in no list, feed, sitemap or fragment.
//! A web server can answer 410 Gone for these pages; the README shows how.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;
use tera::Context;

use super::{html, RenderInput, Sink};
use crate::error::Result;

#[derive(Serialize)]
struct RemovedContext {
    id: String,
    url: String,
}

/// A short "this post was removed" page at the permalink of every deleted
/// toot (a tombstone in the account state), unless a published toot holds
/// that permalink. The removed toot is in no list, feed or sitemap.
pub(crate) fn pages(
    sink: &dyn Sink,
    input: &RenderInput<'_>,
    base_context: &Context,
    published: &HashSet<&str>,
) -> Result<()> {
    let removed: BTreeSet<&str> = input
        .accounts
        .iter()
        .flat_map(|a| a.state.tombstones.iter())
        .map(|t| t.id.as_str())
        .filter(|id| crate::model::is_safe_id(id) && !published.contains(id))
        .collect();
    for id in removed {
        let mut ctx = base_context.clone();
        ctx.insert("section", "removed");
        ctx.insert(
            "removed",
            &RemovedContext {
                id: id.to_string(),
                url: input.site.toot_url(id),
            },
        );
        sink.put(html(
            format!("toots/{id}/index.html"),
            input.theme.render_bytes("removed.html", &ctx)?,
        ))?;
    }
    Ok(())
}
