//! Toots → view models: plain, serializable values the templates and feeds
//! read. Each published toot is turned into a [`TootView`] once (sanitized
//! once), and every page and feed that shows it reuses that view.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::Serialize;

mod date;

use super::attachments::{card_view, media_view, poll_view, quote_view};
pub(crate) use super::attachments::{CardView, MediaView, PollView, QuoteView};
use super::theme::I18n;
pub(crate) use super::title::{derive_title, truncate_words, without_emoji_codes};
use crate::model::{Author, Emoji, Toot};
use crate::sanitize::{self, SafeHtml};
use crate::select::{tag_slug, Entry};
use date::{date_by_replacing, substitute};

/// What every view needs from the site: URLs, language, time zone, and which
/// media files exist in the store.
pub struct Site<'a> {
    /// Absolute base URL without a trailing slash.
    pub base: String,
    pub lang: String,
    pub tz: chrono_tz::Tz,
    pub i18n: &'a I18n,
    /// Paths relative to `content/media/` that exist.
    pub media: &'a HashSet<String>,
}

impl Site<'_> {
    pub fn toot_url(&self, id: &str) -> String {
        format!("{}/toots/{id}/", self.base)
    }

    pub fn tag_url(&self, slug: &str) -> String {
        let encoded =
            percent_encoding::utf8_percent_encode(slug, percent_encoding::NON_ALPHANUMERIC);
        format!("{}/tags/{encoded}/", self.base)
    }

    /// The public URL of a mirrored file, or `None` when it is not in the
    /// store or not a passive media type. The files are published on the
    /// site's own origin, so an SVG or HTML file from a hostile server could
    /// run script there when opened directly: only raster images, video and
    /// audio are published; anything else is shown as "not mirrored".
    pub fn media_url(&self, file: Option<&String>) -> Option<String> {
        let file = file?;
        crate::model::media_type::of_file(file)?;
        self.media
            .contains(file)
            .then(|| format!("{}/media/{file}", self.base))
    }

    /// Shortcode → mirrored image URL for the listed emoji that are in the
    /// store; emoji without a mirrored image stay `:shortcode:` text.
    pub fn emoji_map(&self, emojis: &[Emoji]) -> HashMap<String, String> {
        emojis
            .iter()
            .filter(|e| sanitize::valid_shortcode(&e.shortcode))
            .filter_map(|e| Some((e.shortcode.clone(), self.media_url(e.file.as_ref())?)))
            .collect()
    }

    /// A date in the site's time zone, written as the translation table says.
    pub fn date(&self, when: &DateTime<Utc>) -> String {
        let local = when.with_timezone(&self.tz);
        let (pm, hour12) = local.hour12();
        let month = &self.i18n.months[local.month0() as usize];
        // In the order they were replaced in (see `date_by_replacing`).
        let values: [(&str, &str); 9] = [
            ("dd", &format!("{:02}", local.day())),
            ("d", &local.day().to_string()),
            ("month", month),
            ("m", &local.month().to_string()),
            ("yyyy", &local.year().to_string()),
            ("HH", &format!("{:02}", local.hour())),
            ("h", &hour12.to_string()),
            ("mm", &format!("{:02}", local.minute())),
            ("ampm", if pm { &self.i18n.pm } else { &self.i18n.am }),
        ];
        let format = &self.i18n.date_format;
        substitute(format, &values).unwrap_or_else(|| date_by_replacing(format, &values))
    }

    /// ISO 8601 in the site's time zone, for `<time datetime>`.
    pub fn iso(&self, when: &DateTime<Utc>) -> String {
        when.with_timezone(&self.tz)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AuthorView {
    /// Plain text (for feeds and attributes).
    pub name: String,
    /// Escaped, with the author's custom emoji as images.
    pub name_html: SafeHtml,
    pub acct: String,
    /// The profile (`http`/`https` only); empty when the stored one is not.
    pub url: String,
    pub avatar: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TootView {
    pub id: String,
    pub anchor: String,
    pub page_url: String,
    pub original_url: Option<String>,
    pub title: String,
    /// Plain-text summary for meta descriptions (at most ~200 characters):
    /// the content warning when there is one, else the text.
    pub summary: String,
    pub author: AuthorView,
    pub boosted_by: Option<AuthorView>,
    /// When the post appeared on the account (the boost's time for a boost),
    /// for ordering and feeds.
    pub created: DateTime<Utc>,
    /// When the shown post was written (the original's time for a boost).
    pub created_iso: String,
    pub created_text: String,
    /// When the mirrored account boosted the post.
    pub boosted_iso: Option<String>,
    pub boosted_text: Option<String>,
    pub edited: Option<DateTime<Utc>>,
    pub edited_iso: Option<String>,
    pub edited_text: Option<String>,
    pub lang: Option<String>,
    pub cw: String,
    /// The content warning, escaped, with custom emoji as images.
    pub cw_html: SafeHtml,
    pub sensitive: bool,
    pub content: SafeHtml,
    pub media: Vec<MediaView>,
    pub poll: Option<PollView>,
    pub card: Option<CardView>,
    /// Every tag of the toot (feed categories, keywords, the embed's data).
    pub tags: Vec<TagLink>,
    /// The tag list under the text: the hashtag bar's tags in their order,
    /// then the toot's other tags that the text does not link already, so
    /// no tag shows twice.
    pub footer_tags: Vec<TagLink>,
    pub reply_to: Option<String>,
    pub quote: Option<QuoteView>,
    pub pinned: bool,
    /// Number of later thread parts (on a thread's first toot).
    pub thread_len: usize,
    /// Link to the thread's first toot (on later parts).
    pub thread_root_url: Option<String>,
    /// Mirrored emoji images the rendered HTML refers to (for the copy list).
    #[serde(skip)]
    pub emoji_urls: Vec<String>,
    /// The editors' note from content/overrides.toml.
    pub note: Option<SafeHtml>,
    /// The item HTML of the feeds, made on first use and shared by every
    /// feed format and every feed the toot is in.
    #[serde(skip)]
    pub feed_html: std::sync::OnceLock<String>,
    /// The toot's item in each feed format, written once for every feed
    /// that carries it (see `feed/items.rs`).
    #[serde(skip)]
    pub feed_items: super::feed::items::FeedItems,
}

impl TootView {
    /// The HTML feeds put into an item (see [`super::feed::item_html`]).
    pub fn feed_html(&self, i18n: &I18n) -> &str {
        self.feed_html
            .get_or_init(|| super::feed::item_html(self, i18n))
    }
}

/// The mirrored account as an author.
pub(crate) fn account_author(entry: &Entry<'_>) -> AuthorView {
    let state = &entry.account.state;
    let handle = &entry.account.handle;
    let name = display_name(&state.display_name, &handle.user);
    AuthorView {
        name_html: sanitize::text(&name),
        name,
        acct: format!("{}@{}", handle.user, handle.host),
        url: state
            .url
            .as_deref()
            .and_then(sanitize::safe_url)
            .unwrap_or_else(|| format!("https://{}/@{}", handle.host, handle.user)),
        avatar: None,
    }
}

fn display_name(name: &str, fallback: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        fallback.to_string()
    } else {
        name.to_string()
    }
}

pub(super) fn author_view(
    author: &Author,
    site: &Site<'_>,
    emoji_urls: &mut Vec<String>,
) -> AuthorView {
    let name = display_name(&author.display_name, &author.acct);
    let emojis = site.emoji_map(&author.emojis);
    let name_html = sanitize::text_with_emoji(&name, &emojis);
    emoji_urls.extend(used_emoji(name_html.as_str(), emojis));
    AuthorView {
        name_html,
        name: plain_name(&name, &author.emojis, &author.acct),
        acct: author.acct.clone(),
        url: sanitize::safe_url(&author.url).unwrap_or_default(),
        avatar: site.media_url(author.avatar.as_ref()),
    }
}

/// The mirrored account as an author, with its profile's custom emoji.
fn own_author(entry: &Entry<'_>, site: &Site<'_>, emoji_urls: &mut Vec<String>) -> AuthorView {
    let mut author = account_author(entry);
    let emojis = site.emoji_map(&entry.account.state.emojis);
    author.name_html = sanitize::text_with_emoji(&author.name, &emojis);
    emoji_urls.extend(used_emoji(author.name_html.as_str(), emojis));
    let state = &entry.account.state;
    author.name = plain_name(&author.name, &state.emojis, &entry.account.handle.user);
    author
}

/// A display name for plain-text places (feed authors, JSON-LD): without
/// the custom emoji codes the name lists; the fallback when nothing is left.
fn plain_name(name: &str, emojis: &[Emoji], fallback: &str) -> String {
    let codes: Vec<&str> = emojis.iter().map(|e| e.shortcode.as_str()).collect();
    display_name(&without_emoji_codes(name, &codes), fallback)
}

/// The image URLs of `emojis` that `html` uses.
pub(super) fn used_emoji(
    html: &str,
    emojis: HashMap<String, String>,
) -> impl Iterator<Item = String> + '_ {
    emojis
        .into_iter()
        .filter(move |(code, _)| html.contains(&format!(r#"alt=":{code}:""#)))
        .map(|(_, url)| url)
}

/// Builds the view of one published toot.
pub fn toot_view(entry: &Entry<'_>, site: &Site<'_>) -> TootView {
    // A stub of the toot index holds none of what a view shows; the
    // renderer reads the toot's file for it (`toots.rs`).
    assert!(
        !crate::store::index::is_stub(entry.toot),
        "a view of an index stub ({})",
        entry.toot.id
    );
    let outer = entry.toot;
    let mut emoji_urls = Vec::new();
    let (shown, author, boosted_by) = match &outer.reblog {
        Some(shared) => (
            &shared.toot,
            author_view(&shared.author, site, &mut emoji_urls),
            Some(own_author(entry, site, &mut emoji_urls)),
        ),
        None => {
            let mut author = own_author(entry, site, &mut emoji_urls);
            author.avatar = site.media_url(entry.account.state.avatar.as_ref());
            (outer, author, None)
        }
    };
    let lang = shown.language.clone().filter(|l| sanitize::valid_lang(l));
    let tags = tag_links(shown, site);
    let context = sanitize::Context {
        tag_base: format!("{}/tags/", site.base),
        tags: tags
            .iter()
            .map(|t| {
                (
                    t.name.to_lowercase(),
                    percent_encoding::utf8_percent_encode(
                        &t.slug,
                        percent_encoding::NON_ALPHANUMERIC,
                    )
                    .to_string(),
                )
            })
            .collect(),
        emojis: site.emoji_map(&shown.emojis),
    };
    let content = sanitize::clean(&shown.content, &context);
    let names: HashSet<String> = tags.iter().map(|t| t.name.to_lowercase()).collect();
    let (content, bar, in_text, visible) = sanitize::hashtag_bar(&content, &names);
    let footer_tags = footer_tags(&tags, &bar, &in_text);
    // Titles and summaries are plain text: emoji codes are markup there.
    let codes: Vec<&str> = shown.emojis.iter().map(|e| e.shortcode.as_str()).collect();
    let text = without_emoji_codes(&visible, &codes);
    let cw_text = without_emoji_codes(shown.spoiler_text.trim(), &codes);
    let cw = shown.spoiler_text.trim().to_string();
    let cw_html = sanitize::text_with_emoji(&cw, &context.emojis);
    let poll = shown
        .poll
        .as_ref()
        .map(|p| poll_view(p, site, &context.emojis));
    let mut used_html = format!("{}{}", content.as_str(), cw_html.as_str());
    for o in poll.iter().flat_map(|p| &p.options) {
        used_html.push_str(o.title_html.as_str());
    }
    emoji_urls.extend(used_emoji(&used_html, context.emojis.clone()));
    let quote = shown
        .quote
        .as_ref()
        .and_then(|q| quote_view(q, site, &mut emoji_urls));
    let date_text = site.date(&shown.created_at);
    let title = derive_title(
        shown.title.as_deref(),
        &cw_text,
        &text,
        &date_text,
        !shown.media.is_empty(),
        site.i18n,
    );
    let reply_to = shown
        .in_reply_to
        .as_ref()
        .and_then(|r| r.url.as_deref().and_then(sanitize::safe_url))
        .filter(|_| {
            // Thread parts link to their root instead (set by the page builder).
            shown
                .in_reply_to
                .as_ref()
                .and_then(|r| r.account_id.as_deref())
                != entry.account.state.id.as_deref()
        });
    TootView {
        id: outer.id.clone(),
        anchor: format!("toot-{}", outer.id),
        page_url: site.toot_url(&outer.id),
        original_url: shown
            .url
            .as_deref()
            .or(outer.url.as_deref())
            .and_then(sanitize::safe_url),
        // Behind a content warning the text stays hidden in link previews too.
        summary: if cw.is_empty() {
            truncate_words(&text, 200)
        } else {
            truncate_words(&cw_text, 200)
        },
        title,
        author,
        boosted_by,
        created: outer.created_at,
        created_iso: site.iso(&shown.created_at),
        created_text: date_text,
        boosted_iso: outer.reblog.as_ref().map(|_| site.iso(&outer.created_at)),
        boosted_text: outer.reblog.as_ref().map(|_| site.date(&outer.created_at)),
        edited: shown.edited_at,
        edited_iso: shown.edited_at.as_ref().map(|d| site.iso(d)),
        edited_text: shown.edited_at.as_ref().map(|d| site.date(d)),
        lang,
        cw,
        cw_html,
        sensitive: shown.sensitive,
        content,
        media: shown.media.iter().map(|m| media_view(m, site)).collect(),
        poll,
        card: shown.card.as_ref().and_then(|c| card_view(c, site)),
        tags,
        footer_tags,
        reply_to,
        quote,
        pinned: outer.pinned,
        thread_len: 0,
        thread_root_url: None,
        emoji_urls,
        note: None,
        feed_html: Default::default(),
        feed_items: Default::default(),
    }
}

fn tag_links(toot: &Toot, site: &Site<'_>) -> Vec<TagLink> {
    let mut seen = HashSet::new();
    toot.tags
        .iter()
        .filter_map(|t| {
            let slug = tag_slug(&t.name)?;
            seen.insert(slug.clone()).then(|| TagLink {
                name: t.name.clone(),
                url: site.tag_url(&slug),
                slug,
            })
        })
        .collect()
}

/// The tag list under a toot's text (see [`TootView::footer_tags`]).
fn footer_tags(tags: &[TagLink], bar: &[String], in_text: &HashSet<String>) -> Vec<TagLink> {
    let mut out: Vec<TagLink> = Vec::new();
    for name in bar {
        let lower = name.to_lowercase();
        // The bar holds only tags the toot lists (see `hashtags.rs`).
        let link = tags.iter().find(|t| t.name.to_lowercase() == lower);
        if let Some(link) = link.filter(|l| out.iter().all(|o| o.slug != l.slug)) {
            out.push(link.clone());
        }
    }
    for t in tags {
        if !in_text.contains(&t.name.to_lowercase()) && out.iter().all(|o| o.slug != t.slug) {
            out.push(t.clone());
        }
    }
    out
}

/// Marks thread structure on the views: root gets its part count, parts
/// link back to their root.
pub(crate) fn link_threads(views: &mut [TootView], threads: &HashMap<usize, Vec<usize>>) {
    for (&root, parts) in threads {
        views[root].thread_len = parts.len();
        let root_url = format!("{}#{}", views[root].page_url, views[root].anchor);
        for &part in parts {
            views[part].thread_root_url = Some(root_url.clone());
            views[part].reply_to = None;
        }
    }
}

#[cfg(test)]
mod tests;
