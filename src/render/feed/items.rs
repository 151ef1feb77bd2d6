//! Each toot's feed item, serialised once in each format and pasted into
//! every feed that carries it (the site feed, its tag feeds, its account
//! feed). A toot in five tags used to be serialised eighteen times.
//!
//! The item bytes come from the same writers as before (`rss`,
//! `atom_syndication`, `serde_json`): each item is written inside a minimal
//! frame, and the frame written without it is cut away. Each feed is then
//! its own frame, written without items, with the items pasted in at the one
//! place the writer puts them (last in `<channel>`, `<feed>` and `"items"`).
//! Both cuts are checked, and `tests.rs` compares the result with writing
//! the whole feed at once, byte for byte.

use std::sync::OnceLock;

use super::Format;
use crate::error::{Error, Result};

/// A toot's item in each feed format, made on first use (see
/// [`super::super::view::TootView::feed_items`]).
#[derive(Debug, Clone, Default)]
pub struct FeedItems {
    rss: OnceLock<String>,
    atom: OnceLock<String>,
    json: OnceLock<String>,
}

impl FeedItems {
    /// The item in `format`, made with `make` the first time it is asked for.
    pub(in crate::render) fn get(
        &self,
        format: Format,
        make: impl FnOnce() -> Result<String>,
    ) -> Result<&str> {
        let cell = match format {
            Format::Rss => &self.rss,
            Format::Atom => &self.atom,
            Format::Json => &self.json,
        };
        if let Some(done) = cell.get() {
            return Ok(done);
        }
        // Two threads may both make it; they make the same bytes.
        let made = make()?;
        Ok(cell.get_or_init(|| made))
    }
}

/// What `one` (a frame written with one item) holds besides `empty` (the
/// same frame without it), where the writer puts the item just before
/// `tail`: the item's bytes as they appear in any feed at that depth.
pub(in crate::render) fn cut_item(
    empty: &[u8],
    one: &[u8],
    tail: &[u8],
    what: &str,
) -> Result<String> {
    let head = empty
        .strip_suffix(tail)
        .ok_or_else(|| frame_error(what, "frame does not end as expected"))?;
    let item = one
        .strip_prefix(head)
        .and_then(|rest| rest.strip_suffix(tail))
        .ok_or_else(|| frame_error(what, "item frame does not match the empty frame"))?;
    String::from_utf8(item.to_vec()).map_err(|_| frame_error(what, "item is not UTF-8"))
}

/// `frame` (a feed written without items, ending in `tail`) with `items`
/// pasted in before `tail`.
pub(in crate::render) fn paste_items<'i>(
    mut frame: Vec<u8>,
    tail: &[u8],
    items: impl Iterator<Item = Result<&'i str>>,
    what: &str,
) -> Result<Vec<u8>> {
    if !frame.ends_with(tail) {
        return Err(frame_error(what, "feed frame does not end as expected"));
    }
    let cut = frame.len() - tail.len();
    let rest = frame.split_off(cut);
    for item in items {
        frame.extend_from_slice(item?.as_bytes());
    }
    frame.extend_from_slice(&rest);
    Ok(frame)
}

fn frame_error(what: &str, message: &str) -> Error {
    Error::Other(format!("writing {what}: {message}"))
}

#[cfg(test)]
#[path = "items_tests.rs"]
mod tests;
