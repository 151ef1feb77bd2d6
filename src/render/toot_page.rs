//! The page of one published toot (`toots/<id>/index.html`): what it shows
//! besides the base context, and its render. Its key is made from its
//! toots' keys (`pages.rs`).

use serde::Serialize;
use tera::{Context, Value};

use super::theme::Theme;
use super::view::{self, Site, TootView};
use super::{archive, html, jsonld, OutputFile};
use crate::config::SiteConfig;
use crate::error::Result;
use crate::sanitize::SafeHtml;
use crate::select::Selection;

/// What the page of one published toot shows, besides the base context.
#[derive(Serialize)]
pub struct TootPage<'a> {
    toot: &'a TootView,
    /// The later parts of the toot's thread, when it starts one.
    thread: Vec<&'a TootView>,
    json_ld: SafeHtml,
    og_image: Option<&'a view::MediaView>,
    archive_month: archive::MonthLink,
}

impl<'a> TootPage<'a> {
    /// The page of the `i`-th published toot, with its thread parts.
    pub fn new(
        views: &'a [TootView],
        selection: &Selection<'_>,
        i: usize,
        config: &SiteConfig,
        site: &Site<'_>,
    ) -> TootPage<'a> {
        let parts = selection.threads.get(&i).map(Vec::as_slice).unwrap_or(&[]);
        let thread = parts.iter().map(|&p| &views[p]).collect();
        TootPage::with_thread(&views[i], thread, config, site)
    }

    /// The page of `toot`, whose thread continues with `thread`.
    pub fn with_thread(
        toot: &'a TootView,
        thread: Vec<&'a TootView>,
        config: &SiteConfig,
        site: &Site<'_>,
    ) -> TootPage<'a> {
        TootPage {
            toot,
            thread,
            json_ld: jsonld::posting(
                toot,
                &config.title,
                config.base_url.trimmed(),
                config.language.code(),
            ),
            og_image: jsonld::preview_image(toot),
            archive_month: archive::month_link(site, archive::month_of(site, &toot.created), 0),
        }
    }
}

/// Renders the page of one published toot. `ctx` starts as a copy of the
/// base context and is reused for the next toot: every key set here is set
/// for every toot.
pub fn toot_page(theme: &Theme, ctx: &mut Context, page: &TootPage<'_>) -> Result<OutputFile> {
    let toot = Value::from_serializable(page.toot);
    let thread = Value::from_serializable(&page.thread);
    toot_page_with(theme, ctx, page, toot, thread)
}

/// [`toot_page`] with the Tera values of the page's toot and of its thread
/// made by the caller, which shares them with the toots' cards (a view's
/// value is made once, not for each template that shows it).
pub(super) fn toot_page_with(
    theme: &Theme,
    ctx: &mut Context,
    page: &TootPage<'_>,
    toot: Value,
    thread: Value,
) -> Result<OutputFile> {
    ctx.insert("section", "toot");
    insert_shell(theme, ctx)?;
    ctx.insert_value("toot", toot);
    ctx.insert_value("thread", thread);
    ctx.insert("json_ld", &page.json_ld);
    ctx.insert("og_image", &page.og_image);
    ctx.insert("archive_month", &page.archive_month);
    Ok(html(
        format!("toots/{}/index.html", page.toot.id),
        theme.render_bytes("toot.html", ctx)?,
    ))
}

/// The page shell's header and footer (`partials/site_header.html`,
/// `partials/site_footer.html`) are the same on every toot page: they read
/// only the base context and `section`. So they are rendered once per
/// context, before its first toot, and `base.html` prints the copies
/// (`shell_header`, `shell_footer`) instead of including the partials again,
/// which saves about half of a toot page's variable look-ups. A theme that
/// overrides a partial changes the copies; one whose `base.html` does not
/// print them renders its own markup as before.
fn insert_shell(theme: &Theme, ctx: &mut Context) -> Result<()> {
    if ctx.contains_key("shell_header") {
        return Ok(());
    }
    let header = theme.render("partials/site_header.html", ctx)?;
    let footer = theme.render("partials/site_footer.html", ctx)?;
    ctx.insert("shell_header", &header);
    ctx.insert("shell_footer", &footer);
    Ok(())
}
