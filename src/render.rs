//! Selection → every output file. No disk I/O here: the caller passes in the
//! loaded store, the theme and the set of mirrored media files, and a
//! [`Sink`] (`sink.rs`) that takes each [`OutputFile`] as it is rendered
//! (`output.rs` stages it on disk, or [`Collect`] keeps it in memory).
//!
//! Toot pages and their cards are rendered here, the index and tag pages in
//! `lists.rs`; feeds (`feedset.rs`, `feed.rs`,
//! `atom.rs`, `jsonfeed.rs`), the sitemap (`sitemap.rs`), the CMS fragment
//! (`embed.rs`) and the pages of deleted toots (`removed.rs`) have their own
//! files.

mod archive;
pub(crate) mod atom;
mod attachments;
mod cards;
mod editorial;
pub(crate) mod embed;
pub(crate) mod feed;
pub(crate) mod feedset;
pub(crate) mod jsonfeed;
mod jsonld;
pub(crate) mod keys;
pub(crate) mod legal;
mod lists;
pub(crate) mod removed;
pub(crate) mod sink;
pub(crate) mod sitemap;
mod steps;
pub(crate) mod theme;
mod title;
mod toot_files;
mod toot_page;
mod toots;
pub(crate) mod view;

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::model::AccountData;
use crate::select::Selection;
use cards::Cards;
use sink::Tracked;
pub(crate) use sink::{Collect, Recall, Sink};
use theme::Theme;
pub use toot_page::{toot_page, TootPage};
pub(crate) use toots::digest_of;
use toots::Toots;
use view::{Site, TootView};

/// The size and modification time of each regular file in `content/media/`
/// (by its path relative to that folder, `/`-separated), as `build`'s inputs
/// walk saw them: the keys of the output's copies.
pub(crate) type MediaStats =
    std::collections::HashMap<String, crate::fsutil::at::FileStat, ahash::RandomState>;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Copy this file from the store (mirrored media).
    Copy(PathBuf),
}

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    base: &'a str,
    lang: &'a str,
    feed_url: String,
    tags_url: String,
    archive_url: String,
    css_url: String,
    favicon_url: String,
    accounts: Vec<AccountContext>,
    /// The footer's legal and service links (`legal.rs`).
    links: Vec<legal::FooterLink>,
    /// `open_cw_on_permalink` of site.toml.
    open_cw_on_permalink: bool,
}

#[derive(Serialize)]
struct AccountContext {
    handle: String,
    name: String,
    url: String,
}

/// Inputs of a render.
pub struct RenderInput<'a> {
    pub config: &'a SiteConfig,
    /// Absolute base URL without trailing slash (config or `--base-url`).
    pub base: &'a str,
    pub theme: &'a Theme,
    pub selection: &'a Selection<'a>,
    pub site: &'a Site<'a>,
    /// Every configured account (profiles and tombstones).
    pub accounts: &'a [AccountData],
    /// The store's media folder, to copy mirrored files from.
    pub media_dir: &'a std::path::Path,
    /// The store's `content/` folder, to read the toots of index stubs from.
    pub content_dir: &'a std::path::Path,
    /// What the loader knows of the toots (`build` only, see `toots.rs`).
    pub known: Option<&'a crate::store::index::KnownToots>,
    /// The size and modification time of media files, as `build`'s inputs
    /// walk took them (files it does not list are stat-ed when copied).
    pub media_stats: Option<&'a MediaStats>,
    /// Editorial decisions (content/overrides.toml).
    pub overrides: &'a crate::overrides::Overrides,
    /// Editorial pages (content/pages/).
    pub pages: &'a crate::pages::Pages,
    /// What the output writer remembers of the last build, if anything.
    pub recall: Option<&'a dyn Recall>,
}

/// Renders the whole site into `sink`: a list of named steps (`steps.rs`).
///
/// Each toot's view is made where a file that shows it is rendered (see
/// `toots.rs`), and its card (its `<article>` as lists show it) is rendered
/// once: every list page that shows the toot reuses it (`cards.rs`).
pub fn render(input: &RenderInput<'_>, sink: &dyn Sink) -> Result<()> {
    let mut laps = crate::timing::Laps::start("render");
    let sink = Tracked::new(sink);
    let base = steps::Base::new(input, &sink);
    let feeds = steps::feed_plans(input);
    let toots = Toots::new(
        input.selection,
        input.site,
        input.overrides,
        (input.known, input.content_dir),
        sink.keyed(),
        &steps::views_to_keep(input, &feeds),
    );
    laps.lap("toots");
    let steps = steps::Steps {
        input,
        sink: &sink,
        base: &base,
        toots: &toots,
    };
    let cards = Cards::new(
        input.theme,
        &base.context,
        &toots,
        &base.key,
        cards::held_budget(toots.len()),
    );
    laps.lap("cards");
    let media = steps.toot_files(&cards)?;
    laps.lap("toot files");
    let mut sitemap = steps.lists(&cards)?;
    drop(cards);
    laps.lap("lists");
    steps.feeds(&feeds)?;
    laps.lap("feeds");
    steps.extras()?;
    laps.lap("extras");
    toots.release();
    steps.fixed_pages()?;
    steps.media(media)?;
    laps.lap("media");
    sitemap.extend(steps.legal_and_editorial()?);
    let r = steps.sitemap(sitemap);
    laps.lap("legal, sitemap");
    r
}

/// Pretty JSON for the published JSON files, with `<`, `>` and `&` written
/// as `\u003c`, `\u003e` and `\u0026` (U+2028/U+2029 too). Parsers read the
/// same values, but the raw text never contains markup, so a CMS that pastes
/// a plain-text field or the whole file into a page cannot be tricked into
/// emitting a tag.
pub(crate) fn json_bytes<T: Serialize>(value: &T, name: &str) -> Result<Vec<u8>> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Other(format!("writing {name}: {e}")))?;
    let mut out = crate::sanitize::json_without_markup(&text);
    out.push('\n');
    Ok(out.into_bytes())
}

/// The view of every published toot (sanitized once, shared by pages,
/// lists and feeds), with thread links, in selection order.
pub fn toot_views(selection: &Selection<'_>, site: &Site<'_>) -> Result<Vec<TootView>> {
    let mut views: Vec<TootView> = selection
        .entries
        .par_iter()
        .map(|e| view::toot_view(e, site))
        .collect();
    view::link_threads(&mut views, &selection.threads);
    check_unique_ids(views.iter().map(|v| v.id.as_str()))?;
    Ok(views)
}

/// Template values by name, as JSON: what a page key hashes. Tera 2's own
/// maps are hash maps without a fixed order, so keys never hash them.
pub(crate) type Values = serde_json::Map<String, serde_json::Value>;

/// `value` as JSON, for [`Values`] and list extras.
pub(crate) fn json_of<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Other(format!("template value: {e}")))
}

/// Adds `value` under `name`. The values inserted here are structs, lists
/// and string-keyed maps, which always serialize.
pub(crate) fn insert_value<T: Serialize + ?Sized>(values: &mut Values, name: &str, value: &T) {
    let value = serde_json::to_value(value).expect("string-keyed values serialize to JSON");
    values.insert(name.to_string(), value);
}

/// The Tera context holding `values`.
pub fn tera_context(values: &Values) -> tera::Context {
    let mut context = tera::Context::new();
    for (name, value) in values {
        context.insert(name.clone(), value);
    }
    context
}

/// What every page's template sees: `site` and the UI strings `t`.
pub fn base_context(config: &SiteConfig, base: &str, theme: &Theme) -> Values {
    let mut base_context = Values::new();
    insert_value(
        &mut base_context,
        "site",
        &SiteContext {
            title: &config.title,
            description: &config.description,
            base,
            lang: config.language.code(),
            feed_url: format!("{base}/feed.xml"),
            tags_url: format!("{base}/tags/"),
            archive_url: format!("{base}/archive/"),
            css_url: format!("{base}/style.css"),
            favicon_url: format!("{base}/favicon.svg"),
            open_cw_on_permalink: config.open_cw_on_permalink,
            accounts: config
                .accounts
                .iter()
                .map(|a| AccountContext {
                    handle: a.handle.to_string(),
                    name: a.handle.user.clone(),
                    url: format!("https://{}/@{}", a.handle.host, a.handle.user),
                })
                .collect(),
            links: legal::footer_links(config, base, &theme.i18n),
        },
    );
    insert_value(&mut base_context, "t", &theme.i18n.strings);
    base_context
}

/// An HTML file of `text` (a `String` or rendered bytes).
pub(crate) fn html(path: String, text: impl Into<Vec<u8>>) -> OutputFile {
    OutputFile {
        path,
        body: Body::Bytes(text.into()),
    }
}

/// Refuses two published toots with one id (their pages would collide).
pub(crate) fn check_unique_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(Error::Other(format!(
                "two published toots share the id {id}; their pages would collide at toots/{id}/"
            )));
        }
    }
    Ok(())
}
