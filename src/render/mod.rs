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

pub mod atom;
mod attachments;
pub mod embed;
pub mod feed;
pub mod feedset;
pub mod jsonfeed;
mod jsonld;
mod lists;
pub mod removed;
pub mod sink;
pub mod sitemap;
pub mod theme;
mod title;
pub mod view;

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::select::Selection;
use crate::store::AccountData;
use lists::Lists;
use sink::Tracked;
pub use sink::{Collect, Sink};
use sitemap::SitemapEntry;
use theme::Theme;
use view::{Site, TootView};

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
    css_url: String,
    favicon_url: String,
    accounts: Vec<AccountContext>,
    /// `open_cw_on_permalink` of site.toml.
    open_cw_on_permalink: bool,
}

#[derive(Serialize)]
struct AccountContext {
    handle: String,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct TagContext {
    name: String,
    url: String,
    count_text: String,
    /// The tag's RSS feed, when `[feeds] tags` is on.
    feed_url: Option<String>,
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
    /// Editorial decisions (content/overrides.toml).
    pub overrides: &'a crate::overrides::Overrides,
    /// Editorial pages (content/pages/).
    pub pages: &'a crate::pages::Pages,
}

/// Renders the whole site into `sink`.
///
/// Each toot is serialized for the templates once, and its `<article>` as
/// lists show it (its card) is rendered once: the index, every tag page and
/// the toot's own page reuse it instead of rendering the partial again.
pub fn render(input: &RenderInput<'_>, sink: &dyn Sink) -> Result<()> {
    let RenderInput {
        config,
        base,
        theme,
        selection,
        site,
        ..
    } = *input;
    let sink = Tracked {
        sink,
        folders: Mutex::new(HashSet::new()),
    };
    let mut views = toot_views(selection, site)?;
    crate::overrides::apply_to_views(&mut views, input.overrides, &selection.pinned);
    let mut base_context = base_context(config, base, theme);
    crate::pages::insert_context(&mut base_context, input.pages, base);

    let mut pages = Vec::new();
    let per_page = config.pages.per_page.0;

    // One page per published toot, in parallel; each task also renders the
    // toot's card. The context is cloned once per task batch, not per toot.
    let cards = (0..views.len())
        .into_par_iter()
        .map_init(
            || base_context.clone(),
            |ctx, i| {
                let (card, page) = toot_page(theme, ctx, &views, selection, i, config)?;
                sink.put(page)?;
                Ok(card)
            },
        )
        .collect::<Result<Vec<String>>>()?;
    pages.extend(views.iter().map(|view| SitemapEntry {
        url: view.page_url.clone(),
        lastmod: Some(feed::last_change(view)),
    }));
    let lists = Lists {
        sink: &sink,
        theme,
        base_context: &base_context,
        views: &views,
        cards: &cards,
        per_page,
    };

    // Index pages.
    let listed: Vec<&TootView> = selection.listed.iter().map(|&i| &views[i]).collect();
    pages.extend(lists.paginate(
        "index.html",
        "home",
        &selection.home_order(),
        base,
        "",
        None,
    )?);

    // Tag pages and the tag index.
    let mut tag_index = Vec::new();
    for (slug, (name, indexes)) in &selection.tags {
        let tag = TagContext {
            name: name.clone(),
            url: site.tag_url(slug),
            count_text: theme.i18n.count("toots", indexes.len() as u64),
            feed_url: config
                .feeds
                .tags
                .then(|| format!("{}feed.xml", site.tag_url(slug))),
        };
        let prefix = format!("tags/{slug}/");
        pages.extend(lists.paginate(
            "tag.html",
            "tags",
            indexes,
            tag.url.trim_end_matches('/'),
            &prefix,
            Some(&tag),
        )?);
        tag_index.push(tag);
    }
    drop(cards);
    tag_index.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.name.cmp(&b.name))
    });
    let mut ctx = base_context.clone();
    ctx.insert("section", "tags");
    ctx.insert("tags", &tag_index);
    sink.put(html(
        "tags/index.html".into(),
        theme.render("tags.html", &ctx)?,
    ))?;
    pages.push(SitemapEntry {
        url: format!("{base}/tags/"),
        lastmod: views.iter().map(feed::last_change).max(),
    });

    let mut ctx = base_context.clone();
    ctx.insert("section", "404");
    sink.put(html("404.html".into(), theme.render("404.html", &ctx)?))?;

    removed::pages(&sink, input, &base_context, &views)?;

    // Feeds, sitemap, robots.txt and the CMS fragment.
    let specs = feedset::specs(&feedset::SpecInput {
        config,
        base,
        i18n: &theme.i18n,
        site,
        accounts: input.accounts,
        selection,
        views: &views,
    });
    specs.par_iter().try_for_each(|spec| {
        feed::render_all(spec, &theme.i18n)?
            .into_iter()
            .try_for_each(|file| sink.put(file))
    })?;
    if config.robots_txt {
        sink.put(OutputFile {
            path: "robots.txt".into(),
            body: Body::Bytes(sitemap::robots(base)),
        })?;
    }
    let latest: Vec<&TootView> = listed.iter().take(config.embed.items.0).copied().collect();
    for file in embed::render(theme, &base_context, &config.title, base, &latest)? {
        sink.put(file)?;
    }

    // Theme static files and mirrored media.
    for (name, bytes) in &theme.statics {
        sink.put(OutputFile {
            path: name.clone(),
            body: Body::Bytes(bytes.clone()),
        })?;
    }
    let mut media = BTreeSet::new();
    for view in &views {
        collect_media(view, base, &mut media);
    }
    media.into_par_iter().try_for_each(|rel| {
        sink.put(OutputFile {
            path: format!("media/{rel}"),
            body: Body::Copy(input.media_dir.join(&rel)),
        })
    })?;

    // Editorial pages last: their addresses must not be taken by the site.
    pages.extend(crate::pages::render(
        &sink,
        &|folder| sink.has_folder(folder),
        theme,
        &base_context,
        input.pages,
        base,
    )?);
    sink.put(OutputFile {
        path: "sitemap.xml".into(),
        body: Body::Bytes(sitemap::sitemap(&pages)),
    })
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
    check_unique_ids(&views)?;
    Ok(views)
}

/// What every page's template sees: `site` and the UI strings `t`.
pub fn base_context(config: &SiteConfig, base: &str, theme: &Theme) -> Context {
    let mut base_context = Context::new();
    base_context.insert(
        "site",
        &SiteContext {
            title: &config.title,
            description: &config.description,
            base,
            lang: config.language.code(),
            feed_url: format!("{base}/feed.xml"),
            tags_url: format!("{base}/tags/"),
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
        },
    );
    base_context.insert("t", &theme.i18n.strings);
    base_context
}

/// The `i`-th published toot: its card (the `<article>` lists show, from
/// `partials/toot.html` with `heading = "h2"`) and its page, with its thread
/// parts. `ctx` starts as a copy of the base context and is reused for the
/// next toot: every key set here is set for every toot.
pub fn toot_page(
    theme: &Theme,
    ctx: &mut Context,
    views: &[TootView],
    selection: &Selection<'_>,
    i: usize,
    config: &SiteConfig,
) -> Result<(String, OutputFile)> {
    let toot = &views[i];
    ctx.insert("toot", toot);
    ctx.insert("heading", "h2");
    let card = theme.render("partials/toot.html", ctx)?;
    ctx.remove("heading");
    ctx.insert("section", "toot");
    let thread: Vec<&TootView> = selection
        .threads
        .get(&i)
        .map(|parts| parts.iter().map(|&p| &views[p]).collect())
        .unwrap_or_default();
    ctx.insert("thread", &thread);
    let base = config.base_url.trimmed();
    ctx.insert(
        "json_ld",
        &jsonld::posting(toot, &config.title, base, config.language.code()),
    );
    ctx.insert("og_image", &jsonld::preview_image(toot));
    let page = html(
        format!("toots/{}/index.html", toot.id),
        theme.render("toot.html", ctx)?,
    );
    Ok((card, page))
}

pub(crate) fn html(path: String, text: String) -> OutputFile {
    OutputFile {
        path,
        body: Body::Bytes(text.into_bytes()),
    }
}

fn collect_media(view: &TootView, base: &str, out: &mut BTreeSet<String>) {
    let prefix = format!("{base}/media/");
    let mut add = |url: &Option<String>| {
        if let Some(rel) = url.as_deref().and_then(|u| u.strip_prefix(&prefix)) {
            out.insert(rel.to_string());
        }
    };
    add(&view.author.avatar);
    if let Some(b) = &view.boosted_by {
        add(&b.avatar);
    }
    for m in &view.media {
        add(&m.url);
        add(&m.preview_url);
    }
    if let Some(card) = &view.card {
        add(&card.image_url);
    }
    if let Some(q) = &view.quote {
        add(&q.author.avatar);
    }
    for url in &view.emoji_urls {
        add(&Some(url.clone()));
    }
}

fn check_unique_ids(views: &[TootView]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for v in views {
        if !seen.insert(v.id.as_str()) {
            return Err(Error::Other(format!(
                "two published toots share the id {}; their pages would collide at toots/{}/",
                v.id, v.id
            )));
        }
    }
    Ok(())
}
