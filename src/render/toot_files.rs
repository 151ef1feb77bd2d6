//! The files of every published toot: its page, its card (for the lists),
//! and the mirrored files its view names (copied by `media.rs`).
//!
//! The toots go thread by thread (a toot outside threads is a thread of
//! one), in parallel. A page whose key is that of the last build is kept
//! without making a view; otherwise the views of the thread are made, the
//! pages rendered, the cards rendered while the views are there, and the
//! views dropped (or kept for the feeds, see `toots.rs`).

use std::collections::BTreeSet;
use std::sync::Mutex;

use rayon::prelude::*;
use tera::{Context, Value};

use super::cards::Cards;
use super::keys::{Key, KeyHasher};
use super::sink::{Recall, Sink};
use super::theme::Theme;
use super::toot_page::toot_page_with;
use super::toots::Toots;
use super::view::{Site, TootView};
use super::TootPage;
use crate::config::SiteConfig;
use crate::error::Result;

/// What the toots' files are made with.
pub(super) struct TootFiles<'a> {
    pub(super) sink: &'a dyn Sink,
    pub(super) recall: Option<&'a dyn Recall>,
    pub(super) config: &'a SiteConfig,
    pub(super) site: &'a Site<'a>,
    pub(super) theme: &'a Theme,
    pub(super) base_context: &'a Context,
    pub(super) base_key: &'a Key,
    pub(super) toots: &'a Toots<'a>,
    pub(super) cards: &'a Cards<'a>,
}

impl TootFiles<'_> {
    /// Writes every toot's page and renders the cards of the views it made;
    /// returns the mirrored files (relative to the media folder) the
    /// published views name.
    pub(super) fn render(&self) -> Result<BTreeSet<String>> {
        let toots = self.toots;
        let selection = toots.selection;
        let media = Mutex::new(BTreeSet::new());
        let roots: Vec<usize> = (0..toots.len())
            .filter(|i| !selection.thread_root.contains_key(i))
            .collect();
        // The base context is cloned once per task batch, not per toot.
        roots.par_iter().try_for_each_init(
            || self.base_context.clone(),
            |ctx, &root| {
                let parts = selection.threads.get(&root).map_or(&[][..], Vec::as_slice);
                let files = self.thread(ctx, root, parts)?;
                media
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(files);
                Ok::<_, crate::error::Error>(())
            },
        )?;
        Ok(media.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    /// The files of one thread: `root` and its later `parts`.
    fn thread(&self, ctx: &mut Context, root: usize, parts: &[usize]) -> Result<Vec<String>> {
        let toots = self.toots;
        let members: Vec<usize> = std::iter::once(root).chain(parts.iter().copied()).collect();
        // Each view with its Tera value, shared by the pages and the card.
        let mut views: Vec<Option<(TootView, Value)>> = members.iter().map(|_| None).collect();
        for (j, &i) in members.iter().enumerate() {
            // The root's page shows the whole thread; a part's only itself.
            let shown = if j == 0 { members.len() } else { 1 };
            let key = if self.sink.keyed() {
                let mut hash = KeyHasher::new("toot.html");
                hash.bytes(self.base_key);
                for &m in members.iter().skip(j).take(shown) {
                    hash.bytes(&toots.keys[m]);
                }
                hash.key()
            } else {
                Key::default()
            };
            let path = format!("toots/{}/index.html", toots.id(i));
            self.sink.put_keyed(&path, key, &mut || {
                for k in j..j + shown {
                    if views[k].is_none() {
                        let view = toots.make(members[k])?;
                        let value = Value::from_serializable(&view);
                        views[k] = Some((view, value));
                    }
                }
                let made: Vec<&(TootView, Value)> = views[j..j + shown].iter().flatten().collect();
                let thread: Vec<&TootView> = made[1..].iter().map(|(v, _)| v).collect();
                let page = TootPage::with_thread(&made[0].0, thread, self.config, self.site);
                let thread =
                    Value::from(made[1..].iter().map(|(_, v)| v.clone()).collect::<Vec<_>>());
                toot_page_with(self.theme, ctx, &page, made[0].1.clone(), thread)
            })?;
        }
        let mut files = Vec::new();
        for (&i, view) in members.iter().zip(views) {
            let known = match (&view, self.recall) {
                (None, Some(recall)) => recall.media_of(&toots.keys[i]),
                _ => None,
            };
            let named = match known {
                // Noted for the next build already.
                Some(named) => named,
                None => {
                    let (view, value) = match view {
                        Some(made) => made,
                        None => {
                            let view = toots.make(i)?;
                            let value = Value::from_serializable(&view);
                            (view, value)
                        }
                    };
                    let named = named_media(&view, &self.site.base);
                    self.cards.add(i, &value)?;
                    toots.offer(i, view);
                    if let Some(recall) = self.recall {
                        recall.note_media(toots.keys[i], &named);
                    }
                    named
                }
            };
            files.extend(named);
        }
        Ok(files)
    }
}

/// The mirrored files `view` shows, relative to the media folder.
fn named_media(view: &TootView, base: &str) -> Vec<String> {
    let prefix = format!("{base}/media/");
    let mut out = Vec::new();
    let mut add = |url: Option<&str>| {
        if let Some(rel) = url.and_then(|u| u.strip_prefix(&prefix)) {
            out.push(rel.to_string());
        }
    };
    add(view.author.avatar.as_deref());
    if let Some(b) = &view.boosted_by {
        add(b.avatar.as_deref());
    }
    for m in &view.media {
        add(m.url.as_deref());
        add(m.preview_url.as_deref());
    }
    if let Some(card) = &view.card {
        add(card.image_url.as_deref());
    }
    if let Some(q) = &view.quote {
        add(q.author.avatar.as_deref());
    }
    for url in &view.emoji_urls {
        add(Some(url));
    }
    out
}
