//! The steps of [`render`](super::render), one method each: the toots' own
//! files, the lists, the fixed pages, the feeds, the extras (robots.txt, the
//! embed fragment, the theme's static files), the media copies, the legal
//! and editorial pages, and the sitemap.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::cards::Cards;
use super::feedset::{self, FeedPlan};
use super::keys::{self, Key, KeyHasher};
use super::lists::{List, Lists};
use super::sink::Tracked;
use super::sitemap::{self, SitemapEntry};
use super::toot_files::TootFiles;
use super::toots::Toots;
use super::view::TootView;
use super::{archive, base_context, editorial, embed, feed, html, json_of, legal, removed};
use super::{Body, OutputFile, RenderInput, Sink};
use crate::error::{Error, Result};
use crate::fsutil::at::FileStat;

/// What every page's template sees, and its key.
pub(super) struct Base {
    pub(super) context: Context,
    /// The context's key (empty when the sink takes no keys).
    pub(super) key: Key,
}

impl Base {
    pub(super) fn new(input: &RenderInput<'_>, sink: &dyn Sink) -> Base {
        // Built as JSON first: the key hashes it in a fixed order (Tera 2's
        // own maps have none), and Tera takes the same values from it.
        let mut values = base_context(input.config, input.base, input.theme);
        editorial::insert_pages_context(&mut values, input.pages, input.base);
        let key = if sink.keyed() {
            keys::of("base", &values)
        } else {
            Key::default()
        };
        let context = super::tera_context(&values);
        Base { context, key }
    }
}

/// The site's feeds, their toots as indexes.
pub(super) fn feed_plans(input: &RenderInput<'_>) -> Vec<FeedPlan> {
    feedset::specs(&feedset::SpecInput {
        config: input.config,
        base: input.base,
        i18n: &input.theme.i18n,
        site: input.site,
        accounts: input.accounts,
        selection: input.selection,
    })
}

/// The toots whose views steps after the toots' files read: the feeds' and
/// the embed fragment's. Made once, they are shared by every feed.
pub(super) fn views_to_keep(input: &RenderInput<'_>, feeds: &[FeedPlan]) -> HashSet<usize> {
    let mut keep: HashSet<usize> = feeds.iter().flat_map(|f| f.toots.iter().copied()).collect();
    keep.extend(embedded(input));
    keep
}

/// The toots of the embed fragment: the newest listed ones.
fn embedded<'a>(input: &'a RenderInput<'_>) -> impl Iterator<Item = usize> + 'a {
    let listed = &input.selection.listed;
    listed.iter().take(input.config.embed.items.0).copied()
}

#[derive(Serialize)]
struct TagContext {
    name: String,
    url: String,
    count_text: String,
    /// The tag's RSS feed, when `[feeds] tags` is on.
    feed_url: Option<String>,
}

/// What the steps share.
pub(super) struct Steps<'a> {
    pub(super) input: &'a RenderInput<'a>,
    pub(super) sink: &'a Tracked<'a>,
    pub(super) base: &'a Base,
    pub(super) toots: &'a Toots<'a>,
}

impl Steps<'_> {
    /// Every toot's page (and card); returns the mirrored files the toots
    /// show.
    pub(super) fn toot_files(&self, cards: &Cards<'_>) -> Result<BTreeSet<String>> {
        super::check_unique_ids((0..self.toots.len()).map(|i| self.toots.id(i)))?;
        TootFiles {
            sink: self.sink,
            recall: self.input.recall,
            config: self.input.config,
            site: self.input.site,
            theme: self.input.theme,
            base_context: &self.base.context,
            base_key: &self.base.key,
            toots: self.toots,
            cards,
        }
        .render()
    }

    /// The home page, the tag pages, the tag index and the archive by month.
    pub(super) fn lists(&self, cards: &Cards<'_>) -> Result<Vec<SitemapEntry>> {
        let RenderInput {
            config,
            base,
            theme,
            selection,
            site,
            ..
        } = *self.input;
        let per_page = config.pages.per_page.0;
        let lists = Lists {
            sink: self.sink,
            theme,
            base_context: &self.base.context,
            base_key: &self.base.key,
            toots: self.toots,
            cards,
            per_page,
        };
        let mut pages = lists.paginate(&List {
            template: "index.html",
            section: "home",
            root: &home_root(selection, per_page),
            items: &selection.listed,
            url: base,
            prefix: "",
            extra: Vec::new(),
        })?;
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
            let extra = vec![("tag", json_of(&tag)?)];
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
            &self.base.context,
            site,
            &selection.listed,
        )?);
        pages.push(self.tag_index(tag_index)?);
        Ok(pages)
    }

    fn tag_index(&self, mut tags: Vec<TagContext>) -> Result<SitemapEntry> {
        tags.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.name.cmp(&b.name))
        });
        let mut ctx = self.base.context.clone();
        ctx.insert("section", "tags");
        ctx.insert("tags", &tags);
        self.sink.put(html(
            "tags/index.html".into(),
            self.input.theme.render_bytes("tags.html", &ctx)?,
        ))?;
        Ok(SitemapEntry {
            url: format!("{}/tags/", self.input.base),
            lastmod: (0..self.toots.len())
                .map(|i| self.toots.last_change(i))
                .max(),
        })
    }

    /// The 404 page and the pages of deleted toots.
    pub(super) fn fixed_pages(&self) -> Result<()> {
        let mut ctx = self.base.context.clone();
        ctx.insert("section", "404");
        self.sink.put(html(
            "404.html".into(),
            self.input.theme.render_bytes("404.html", &ctx)?,
        ))?;
        let published: HashSet<&str> = (0..self.toots.len()).map(|i| self.toots.id(i)).collect();
        removed::pages(self.sink, self.input, &self.base.context, &published)
    }

    /// RSS, Atom and JSON Feed of every feed, in parallel.
    pub(super) fn feeds(&self, plans: &[FeedPlan]) -> Result<()> {
        let keyed = self.sink.keyed();
        // A toot's view, with its feed items in every format, is dropped
        // once the last feed that carries it is written, so a build does not
        // hold the items of every feed at once (at 50,000 toots they were
        // about 30 MB of the peak). The embed fragment's toots stay for it.
        let uses: Vec<AtomicU32> = (0..self.toots.len()).map(|_| AtomicU32::new(0)).collect();
        for plan in plans {
            for &i in &plan.toots {
                uses[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        for i in embedded(self.input) {
            uses[i].fetch_add(1, Ordering::Relaxed);
        }
        plans.par_iter().try_for_each(|plan| {
            for format in feed::Format::ALL {
                let key = if keyed {
                    plan.key(format, &self.toots.keys)
                } else {
                    Key::default()
                };
                let path = format!("{}{}", plan.dir, format.file_name());
                self.sink.put_keyed(&path, key, &mut || {
                    let views: HashMap<usize, Arc<TootView>> = plan
                        .toots
                        .iter()
                        .map(|&i| Ok((i, self.toots.kept(i)?)))
                        .collect::<Result<_>>()?;
                    let spec = plan.spec(|i| &views[&i]);
                    feed::render(&spec, format, &self.input.theme.i18n)
                })?;
            }
            for &i in &plan.toots {
                if uses[i].fetch_sub(1, Ordering::AcqRel) == 1 {
                    self.toots.release_one(i);
                }
            }
            Ok::<_, Error>(())
        })
    }

    /// robots.txt, the embed fragment and the theme's static files.
    pub(super) fn extras(&self) -> Result<()> {
        let RenderInput {
            config,
            base,
            theme,
            ..
        } = *self.input;
        if config.robots_txt {
            self.sink.put(OutputFile {
                path: "robots.txt".into(),
                body: Body::Bytes(sitemap::robots(base)),
            })?;
        }
        let latest: Vec<Arc<TootView>> = embedded(self.input)
            .map(|i| self.toots.kept(i))
            .collect::<Result<_>>()?;
        let latest: Vec<&TootView> = latest.iter().map(|v| &**v).collect();
        for file in embed::render(theme, &self.base.context, &config.title, base, &latest)? {
            self.sink.put(file)?;
        }
        for (name, bytes) in &theme.statics {
            self.sink.put(OutputFile {
                path: name.clone(),
                body: Body::Bytes(bytes.clone()),
            })?;
        }
        Ok(())
    }

    /// Copies of the mirrored files the toots show (`media` relative to the
    /// store's media folder). A copy's key is its source's name, size and
    /// modification time, from the stat `build`'s inputs walk took before
    /// anything was read (a later change changes the next walk's stat, so
    /// the copy is made again), else from a stat made here.
    pub(super) fn media(&self, media: BTreeSet<String>) -> Result<()> {
        let keyed = self.sink.keyed();
        media.into_par_iter().try_for_each(|rel| {
            let source = self.input.media_dir.join(&rel);
            let path = format!("media/{rel}");
            let mut make = || {
                Ok(OutputFile {
                    path: path.clone(),
                    body: Body::Copy(source.clone()),
                })
            };
            if !keyed {
                return self.sink.put(make()?);
            }
            let walked = self.input.media_stats.and_then(|stats| stats.get(&rel));
            let stat = match walked {
                Some(stat) => Some(*stat),
                None => std::fs::metadata(&source)
                    .ok()
                    .map(|meta| FileStat::of(&meta)),
            };
            match stat {
                Some(stat) => self.sink.put_keyed(&path, copy_key(&rel, stat), &mut make),
                // The copy reports what is wrong with the source.
                None => self.sink.put(make()?),
            }
        })
    }

    /// The accessibility statement, then the editorial pages (last: their
    /// addresses must not be taken by the site).
    pub(super) fn legal_and_editorial(&self) -> Result<Vec<SitemapEntry>> {
        let RenderInput {
            config,
            base,
            theme,
            pages,
            ..
        } = *self.input;
        let mut out = Vec::new();
        out.extend(legal::statement_page(
            self.sink,
            config,
            base,
            theme,
            &self.base.context,
            pages,
        )?);
        out.extend(editorial::render_pages(
            self.sink,
            &|folder| self.sink.has_folder(folder),
            theme,
            &self.base.context,
            pages,
            base,
        )?);
        Ok(out)
    }

    /// The sitemap: every toot's page, then the other `pages`. The toots'
    /// entries are made here, not held through the build.
    pub(super) fn sitemap(&self, pages: Vec<SitemapEntry>) -> Result<()> {
        let toots = self.toots;
        // Only the first `MAX_URLS` entries go into the file (toots first),
        // so no more are made.
        let wanted = (toots.len() + pages.len()).min(sitemap::MAX_URLS);
        let mut entries: Vec<SitemapEntry> = Vec::with_capacity(wanted);
        entries.extend((0..toots.len().min(wanted)).map(|i| SitemapEntry {
            url: self.input.site.toot_url(toots.id(i)),
            lastmod: Some(toots.last_change(i)),
        }));
        let room = wanted - entries.len();
        entries.extend(pages.into_iter().take(room));
        self.sink.put(OutputFile {
            path: "sitemap.xml".into(),
            body: Body::Bytes(sitemap::sitemap(&entries)),
        })
    }
}

/// The key of the copy of the media file `rel` whose source has `stat`.
fn copy_key(rel: &str, stat: FileStat) -> Key {
    KeyHasher::new("copy")
        .value(&rel)
        .bytes(&stat.size.to_le_bytes())
        .bytes(&u128::from(stat.mtime).to_le_bytes())
        .key()
}

/// The home page's toots: the pinned ones, then the newest `per_page` others.
/// It shows at least `per_page` toots that are not pinned, so every toot of
/// the newest, not yet full archive page is on it.
fn home_root(selection: &crate::select::Selection<'_>, per_page: usize) -> Vec<usize> {
    let mut order = selection.home_order();
    order.truncate(selection.pinned.len() + per_page);
    order
}
