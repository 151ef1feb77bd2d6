//! What the editors add to the rendered site: the titles, notes and pin
//! markers of `content/overrides.toml` on the toots' views, and the Markdown
//! pages of `content/pages/` (loaded by `pages.rs`) in the navigation and as
//! pages of their own. The data types stay with their loaders; rendering
//! them is done here, so neither loader depends on the renderer.

use serde::Serialize;

use super::sitemap::SitemapEntry;
use super::theme::Theme;
use super::view::TootView;
use super::{html, Sink};
use crate::error::{Error, Result};
use crate::overrides::Overrides;
use crate::pages::Pages;

/// Applies titles, notes and the pin marker to the views of published toots.
/// Hidden toots have no view; `pinned` (indexes into `views`) are the toots
/// the selection pinned, which excludes later parts of threads.
pub(super) fn apply_overrides(views: &mut [TootView], overrides: &Overrides, pinned: &[usize]) {
    for &i in pinned {
        views[i].pinned = true;
    }
    if overrides.titles.is_empty() && overrides.notes.is_empty() {
        return;
    }
    for view in views {
        if let Some(title) = overrides.titles.get(&view.id) {
            view.title = title.clone();
        }
        if let Some(note) = overrides.notes.get(&view.id) {
            view.note = Some(crate::markdown::to_html(note));
        }
    }
}

#[derive(Serialize)]
struct NavLink<'a> {
    title: &'a str,
    slug: &'a str,
    url: String,
}

fn page_url(base: &str, slug: &str) -> String {
    format!("{base}/{slug}/")
}

/// Adds what every template may show: `nav_pages` (title, slug, url) for the
/// navigation and `index_intro` (the HTML of `_index.md`, or none).
pub(super) fn insert_pages_context(context: &mut super::Values, pages: &Pages, base: &str) {
    let nav: Vec<NavLink<'_>> = pages
        .pages
        .iter()
        .map(|p| NavLink {
            title: &p.title,
            slug: &p.slug,
            url: page_url(base, &p.slug),
        })
        .collect();
    super::insert_value(context, "nav_pages", &nav);
    super::insert_value(
        context,
        "index_intro",
        &pages.intro.as_ref().map(|p| &p.content),
    );
}

/// Renders `page.html` for every page into `sink`; returns the sitemap
/// entries of the pages that are not drafts. `taken` tells whether the site
/// already has files in a folder (e.g. `tags/`).
pub(super) fn render_pages(
    sink: &dyn Sink,
    taken: &dyn Fn(&str) -> bool,
    theme: &Theme,
    base_context: &tera::Context,
    pages: &Pages,
    base: &str,
) -> Result<Vec<SitemapEntry>> {
    let mut entries = Vec::new();
    for page in &pages.pages {
        let prefix = format!("{}/", page.slug);
        if taken(&prefix) {
            return Err(Error::Config {
                path: page.source.clone(),
                line: None,
                message: format!(
                    "the page address `{prefix}` is taken by the site; set another `slug`"
                ),
            });
        }
        let url = page_url(base, &page.slug);
        let mut ctx = base_context.clone();
        ctx.insert("section", "page");
        ctx.insert("page", page);
        ctx.insert("page_url", &url);
        sink.put(html(
            format!("{}/index.html", page.slug),
            theme.render_bytes("page.html", &ctx)?,
        ))?;
        if !page.draft {
            entries.push(SitemapEntry { url, lastmod: None });
        }
    }
    Ok(entries)
}
