//! List pages (the index and every tag page): paginated, made of the toots'
//! cards, with a window of page links.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::sitemap::SitemapEntry;
use super::theme::Theme;
use super::view::TootView;
use super::{feed, html, Sink, TagContext};
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
    number: usize,
    total: usize,
    current_url: String,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

/// What every list page needs: the toots' cards and where pages go.
pub(super) struct Lists<'a> {
    pub(super) sink: &'a dyn Sink,
    pub(super) theme: &'a Theme,
    pub(super) base_context: &'a Context,
    pub(super) views: &'a [TootView],
    /// The card of each toot, by view index.
    pub(super) cards: &'a [String],
    pub(super) per_page: usize,
}

impl Lists<'_> {
    /// Writes `first_file` (e.g. `index.html`) and `page/N/index.html` for the
    /// following pages, under `prefix`, of the toots at `items` (view
    /// indexes); returns the pages for the sitemap.
    pub(super) fn paginate(
        &self,
        template: &str,
        section: &str,
        items: &[usize],
        list_base: &str,
        prefix: &str,
        tag: Option<&TagContext>,
    ) -> Result<Vec<SitemapEntry>> {
        let chunks: Vec<&[usize]> = if items.is_empty() {
            vec![&[]]
        } else {
            items.chunks(self.per_page).collect()
        };
        let total = chunks.len();
        let url_of = |n: usize| {
            if n == 1 {
                format!("{list_base}/")
            } else {
                format!("{list_base}/page/{n}/")
            }
        };
        chunks
            .par_iter()
            .enumerate()
            .map(|(i, chunk)| {
                let number = i + 1;
                let mut ctx = self.base_context.clone();
                ctx.insert("section", section);
                let cards: Vec<&str> = chunk.iter().map(|&t| self.cards[t].as_str()).collect();
                ctx.insert("cards", &cards);
                if let Some(tag) = tag {
                    ctx.insert("tag", tag);
                }
                ctx.insert(
                    "pagination",
                    &Pagination {
                        number,
                        total,
                        current_url: url_of(number),
                        prev_url: (number > 1).then(|| url_of(number - 1)),
                        next_url: (number < total).then(|| url_of(number + 1)),
                        pages: page_window(number, total)
                            .into_iter()
                            .map(|(n, gap_before)| PageLink {
                                number: n,
                                url: url_of(n),
                                current: n == number,
                                gap_before,
                            })
                            .collect(),
                    },
                );
                let path = if number == 1 {
                    format!("{prefix}index.html")
                } else {
                    format!("{prefix}page/{number}/index.html")
                };
                self.sink
                    .put(html(path, self.theme.render(template, &ctx)?))?;
                Ok(SitemapEntry {
                    url: url_of(number),
                    lastmod: chunk
                        .iter()
                        .map(|&t| feed::last_change(&self.views[t]))
                        .max(),
                })
            })
            .collect()
    }
}

/// The page numbers a list page links to: the first and last
/// [`WINDOW_EDGE`] pages and [`WINDOW_AROUND`] pages either side of the
/// current one, each with whether pages before it are left out. Linking every
/// page from every page would make the index grow with the square of the
/// number of toots (10,000 toots: 500 pages of 500 links each).
fn page_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let mut previous = 0;
    for n in 1..=total {
        let shown =
            n <= WINDOW_EDGE || n + WINDOW_EDGE > total || n.abs_diff(current) <= WINDOW_AROUND;
        if shown {
            out.push((n, n != previous + 1));
            previous = n;
        }
    }
    out
}

const WINDOW_EDGE: usize = 2;
const WINDOW_AROUND: usize = 3;

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn page_links_are_a_window_not_every_page() {
        let numbers = |c, t| -> Vec<(usize, bool)> { page_window(c, t) };
        assert_eq!(numbers(1, 1), [(1, false)]);
        let all: Vec<_> = (1..=9).map(|n| (n, false)).collect();
        assert_eq!(numbers(5, 9), all);
        assert_eq!(
            numbers(50, 500),
            [
                (1, false),
                (2, false),
                (47, true),
                (48, false),
                (49, false),
                (50, false),
                (51, false),
                (52, false),
                (53, false),
                (499, true),
                (500, false)
            ]
        );
        assert_eq!(numbers(1, 500).len(), 6);
    }
}
