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
pub mod atom;
mod attachments;
mod editorial;
pub mod embed;
pub mod feed;
pub mod feedset;
pub mod jsonfeed;
mod jsonld;
pub mod keys;
pub mod legal;
mod lists;
pub mod removed;
pub mod sink;
pub mod sitemap;
pub mod theme;
mod title;
mod toot_page;
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
use keys::Key;
use lists::{Cards, List, Lists};
use sink::Tracked;
pub use sink::{Collect, Sink};
use sitemap::SitemapEntry;
use theme::Theme;
pub use toot_page::{toot_page, TootPage};
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
    editorial::apply_overrides(&mut views, input.overrides, &selection.pinned);
    let mut base_context = base_context(config, base, theme);
    editorial::insert_pages_context(&mut base_context, input.pages, base);

    let mut pages = Vec::new();
    let per_page = config.pages.per_page.0;

    // When the sink remembers the last build's files by key (see keys.rs),
    // each toot's key is computed once from its view, and pages, cards, lists
    // and feeds take their keys from these.
    let keyed = sink.keyed();
    let base_key = if keyed {
        keys::of("base", &base_context.clone().into_json())
    } else {
        Key::default()
    };
    let view_keys: Vec<Key> = if keyed {
        views.par_iter().map(|v| keys::of("view", v)).collect()
    } else {
        Vec::new()
    };

    // One page per published toot, in parallel. The context is cloned once
    // per task batch, not per toot.
    (0..views.len()).into_par_iter().try_for_each_init(
        || base_context.clone(),
        |ctx, i| {
            let page = TootPage::new(&views, selection, i, config, site);
            let path = format!("toots/{}/index.html", views[i].id);
            let key = if keyed {
                page.key(&base_key, &view_keys)
            } else {
                Key::default()
            };
            sink.put_keyed(&path, key, &mut || toot_page(theme, ctx, &page))
        },
    )?;
    pages.extend(views.iter().map(|view| SitemapEntry {
        url: view.page_url.clone(),
        lastmod: Some(feed::last_change(view)),
    }));
    let cards = Cards::new(theme, &base_context, &views, &view_keys, &base_key);
    let lists = Lists {
        sink: &sink,
        theme,
        base_context: &base_context,
        base_key: &base_key,
        views: &views,
        cards: &cards,
        per_page,
    };

    // The home page, then the tag pages and the archive by month.
    let listed: Vec<&TootView> = selection.listed.iter().map(|&i| &views[i]).collect();
    pages.extend(lists.paginate(&List {
        template: "index.html",
        section: "home",
        root: &home_root(selection, per_page),
        items: &selection.listed,
        url: base,
        prefix: "",
        extra: Context::new(),
    })?);

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
        let mut extra = Context::new();
        extra.insert("tag", &tag);
        pages.extend(lists.paginate(&List {
            template: "tag.html",
            section: "tags",
            root: &indexes[..indexes.len().min(per_page)],
            items: indexes,
            url: tag.url.trim_end_matches('/'),
            prefix: &format!("tags/{slug}/"),
            extra,
        })?);
        tag_index.push(tag);
    }
    pages.extend(archive::pages(
        &lists,
        &base_context,
        site,
        &selection.listed,
    )?);
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
    let id_keys: std::collections::HashMap<&str, &Key> = views
        .iter()
        .map(|v| v.id.as_str())
        .zip(view_keys.iter())
        .collect();
    specs.par_iter().try_for_each(|spec| {
        for format in feed::Format::ALL {
            let key = if keyed {
                feed::spec_key(spec, format, &id_keys)
            } else {
                Key::default()
            };
            sink.put_keyed(&format.path(spec), key, &mut || {
                feed::render(spec, format, &theme.i18n)
            })?;
        }
        Ok::<_, Error>(())
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
        let source = input.media_dir.join(&rel);
        let path = format!("media/{rel}");
        let mut make = || {
            Ok(OutputFile {
                path: path.clone(),
                body: Body::Copy(source.clone()),
            })
        };
        // A copy's key is its source file's name, size and modification time.
        match std::fs::metadata(&source) {
            Ok(meta) if keyed => {
                let mtime = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                let key = keys::KeyHasher::new("copy")
                    .value(&rel)
                    .bytes(&meta.len().to_le_bytes())
                    .bytes(&mtime.to_le_bytes())
                    .key();
                sink.put_keyed(&path, key, &mut make)
            }
            _ => sink.put(make()?),
        }
    })?;

    pages.extend(legal::statement_page(
        &sink,
        config,
        base,
        theme,
        &base_context,
        input.pages,
    )?);

    // Editorial pages last: their addresses must not be taken by the site.
    pages.extend(editorial::render_pages(
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

/// The home page's toots: the pinned ones, then the newest `per_page` others.
/// It shows at least `per_page` toots that are not pinned, so every toot of
/// the newest, not yet full archive page is on it.
fn home_root(selection: &Selection<'_>, per_page: usize) -> Vec<usize> {
    let mut order = selection.home_order();
    order.truncate(selection.pinned.len() + per_page);
    order
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
    base_context.insert("t", &theme.i18n.strings);
    base_context
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
