//! List pages (the home page, every tag page and every month of the archive),
//! made of the toots' cards, with stable pagination.
//!
//! A list's root (`index.html`, `tags/<tag>/`, `archive/2026/11/`) shows its
//! newest `per_page` toots. Its archive pages are numbered from the oldest
//! toot: page 1 holds the oldest `per_page` toots, page 2 the next ones, and
//! only full pages exist. So once a page is written its toots never change;
//! a new post changes the root, and when it fills a page, that new page and
//! the navigation of the few pages next to it. The toots of the newest,
//! not yet full page are all on the root (it shows at least as many).
//! Archive pages live under `p/N/`, not the `page/N/` of versions that
//! counted from the newest toot, so an old address never shows other posts.

use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::cards::Cards;
use super::keys::{Key, KeyHasher};
use super::sitemap::SitemapEntry;
use super::theme::Theme;
use super::toots::Toots;
use super::{html, Sink};
use crate::error::Result;

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages between the previous link and this one are left out.
    gap_before: bool,
}

#[derive(Serialize)]
struct Pagination {
    /// 0 on the list's root page, else the archive page's number (1 = the
    /// oldest toots).
    number: usize,
    current_url: String,
    /// Newer toots: the next archive page, or the root from the newest one.
    prev_url: Option<String>,
    /// Older toots: the archive page before this one (from the root: the
    /// newest full archive page).
    next_url: Option<String>,
    /// Links to nearby archive pages, newest first.
    pages: Vec<PageLink>,
    /// The list's root page.
    root_url: String,
}

/// What every list page needs: the toots' cards and where pages go.
pub(super) struct Lists<'a> {
    pub(super) sink: &'a dyn Sink,
    pub(super) theme: &'a Theme,
    pub(super) base_context: &'a Context,
    /// The base context's key (see `keys.rs`).
    pub(super) base_key: &'a Key,
    pub(super) toots: &'a Toots<'a>,
    pub(super) cards: &'a Cards<'a>,
    pub(super) per_page: usize,
}

/// One list: where it lives and what it holds.
pub(super) struct List<'a> {
    /// The template of every page of the list.
    pub(super) template: &'a str,
    /// The navigation section the list belongs to (`home`, `tags`, ...).
    pub(super) section: &'a str,
    /// The root page's toots (view indexes), in the order shown.
    pub(super) root: &'a [usize],
    /// Every toot of the list, newest first; the archive pages split it.
    pub(super) items: &'a [usize],
    /// The root's URL without the trailing slash.
    pub(super) url: &'a str,
    /// The root's folder in the output (`""`, `tags/x/`), with its slash.
    pub(super) prefix: &'a str,
    /// Extra template values of every page of the list (the tag, the month),
    /// as JSON: the page key hashes them, and Tera 2's own maps have no fixed
    /// order to hash.
    pub(super) extra: Vec<(&'static str, serde_json::Value)>,
}

impl Lists<'_> {
    /// Writes the list's root page and its archive pages; returns them for
    /// the sitemap.
    pub(super) fn paginate(&self, list: &List<'_>) -> Result<Vec<SitemapEntry>> {
        let full = full_pages(list.items.len(), self.per_page);
        let url_of = |n: usize| {
            if n == 0 {
                format!("{}/", list.url)
            } else {
                format!("{}/p/{n}/", list.url)
            }
        };
        (0..=full)
            .into_par_iter()
            .map(|number| {
                let shown = if number == 0 {
                    list.root
                } else {
                    &list.items[page_range(list.items.len(), self.per_page, number)]
                };
                let newer = match number {
                    0 => None,
                    n if n == full => Some(0),
                    n => Some(n + 1),
                };
                let older = match number {
                    0 => (full > 0).then_some(full),
                    n => (n > 1).then(|| n - 1),
                };
                let pagination = Pagination {
                    number,
                    current_url: url_of(number),
                    prev_url: newer.map(url_of),
                    next_url: older.map(url_of),
                    pages: page_window(number, full)
                        .into_iter()
                        .map(|(n, gap_before)| PageLink {
                            number: n,
                            url: url_of(n),
                            current: n == number,
                            gap_before,
                        })
                        .collect(),
                    root_url: url_of(0),
                };
                let path = if number == 0 {
                    format!("{}index.html", list.prefix)
                } else {
                    format!("{}p/{number}/index.html", list.prefix)
                };
                let key = if self.sink.keyed() {
                    let mut hash = KeyHasher::new(list.template);
                    hash.bytes(self.base_key)
                        .value(list.section)
                        .value(&list.extra)
                        .value(&pagination);
                    for &t in shown {
                        hash.bytes(&self.cards.keys[t]);
                    }
                    hash.key()
                } else {
                    Key::default()
                };
                self.sink.put_keyed(&path, key, &mut || {
                    let mut ctx = self.base_context.clone();
                    for (name, value) in &list.extra {
                        ctx.insert(*name, value);
                    }
                    ctx.insert("section", list.section);
                    // The held cards are shared with the context, not copied.
                    let cards = shown
                        .iter()
                        .map(|&t| self.cards.get(t))
                        .collect::<Result<Vec<tera::Value>>>()?;
                    ctx.insert_value("cards", tera::Value::from(cards));
                    ctx.insert("pagination", &pagination);
                    Ok(html(
                        path.clone(),
                        self.theme.render_bytes(list.template, &ctx)?,
                    ))
                })?;
                Ok(SitemapEntry {
                    url: url_of(number),
                    lastmod: shown.iter().map(|&t| self.toots.last_change(t)).max(),
                })
            })
            .collect()
    }
}

/// How many archive pages a list of `n` toots has: full pages only.
pub(super) fn full_pages(n: usize, per_page: usize) -> usize {
    n / per_page.max(1)
}

/// The positions (in the newest-first list of `n` toots) of archive page
/// `number`, counted from the oldest toot.
fn page_range(n: usize, per_page: usize, number: usize) -> Range<usize> {
    n - number * per_page..n - (number - 1) * per_page
}

/// The archive pages a list page links to, newest first, each with whether
/// pages before it in that order are left out: [`WINDOW_AROUND`] pages either
/// side of the current one (of the newest ones on the root) and page 1.
/// Only the pages near the newest one depend on how many pages exist, so a
/// new full page changes the links of at most [`WINDOW_AROUND`] others.
/// Linking every page from every page would make the lists grow with the
/// square of the number of toots.
fn page_window(current: usize, full: usize) -> Vec<(usize, bool)> {
    if full == 0 {
        return Vec::new();
    }
    let centre = if current == 0 { full } else { current };
    let top = (centre + WINDOW_AROUND).min(full);
    let bottom = centre.saturating_sub(WINDOW_AROUND).max(1);
    let mut out: Vec<(usize, bool)> = (bottom..=top).rev().map(|n| (n, false)).collect();
    if bottom > 1 {
        out.push((1, bottom > 2));
    }
    out
}

const WINDOW_AROUND: usize = 3;

#[cfg(test)]
mod tests;
