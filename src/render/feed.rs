//! Feeds: the [`FeedSpec`] every format reads, the item HTML they share, and
//! the RSS 2.0 writer. Atom and JSON Feed live in `atom.rs` and
//! `jsonfeed.rs`; which feeds the site has is decided in `feedset.rs`. All
//! read the same toot views the pages use.
//!
//! Unlike Mastodon's own feed, every item has a real title; the content
//! warning comes first in the description; media are described with Media RSS
//! (`media:content`, alt text in `media:description`). Every date comes from
//! the toots (the build date is the newest creation or edit), never from the
//! clock, so equal input gives equal bytes.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Enclosure, Guid, Image, Item};

use super::theme::I18n;
use super::view::{MediaView, TootView};
use super::{Body, OutputFile};
use crate::error::{Error, Result};
use crate::sanitize::escape;

pub(crate) mod items;

pub(crate) const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// One feed, written as `feed.xml`, `atom.xml` and `feed.json` in `dir`.
pub struct FeedSpec<'a> {
    /// Output folder, `""` or ending in `/` (e.g. `tags/opendata/`).
    pub dir: String,
    /// The URL of that folder (`{base}/tags/opendata/`).
    pub dir_url: String,
    pub title: String,
    pub description: String,
    /// The HTML page the feed belongs to.
    pub home_url: String,
    /// The mirrored avatar shown as the feed's image.
    pub image_url: Option<String>,
    pub language: String,
    /// Newest first, already limited to the configured length.
    pub toots: Vec<&'a TootView>,
}

impl FeedSpec<'_> {
    /// The newest creation or edit among the items: the feed's build date.
    pub fn updated(&self) -> Option<DateTime<Utc>> {
        self.toots.iter().map(|t| last_change(t)).max()
    }
}

/// When a toot last changed: its edit, or its creation.
pub(crate) fn last_change(toot: &TootView) -> DateTime<Utc> {
    toot.edited.unwrap_or(toot.created).max(toot.created)
}

/// RFC 3339 in UTC with a `Z`, as Atom, JSON Feed and sitemaps want it.
pub(crate) fn rfc3339(when: &DateTime<Utc>) -> String {
    when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// RFC 2822 for RSS, or nothing for a year it cannot write (before 0 or
/// after 9999; chrono panics on those). Remote data may carry any date a
/// server sends, and a date is optional in RSS.
fn rfc2822(when: &DateTime<Utc>) -> Option<String> {
    (0..=9999)
        .contains(&chrono::Datelike::year(when))
        .then(|| when.to_rfc2822())
}

/// The three formats every feed is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    pub fn file_name(self) -> &'static str {
        match self {
            Format::Rss => "feed.xml",
            Format::Atom => "atom.xml",
            Format::Json => "feed.json",
        }
    }

    /// Where the feed of `spec` in this format goes.
    pub fn path(self, spec: &FeedSpec<'_>) -> String {
        format!("{}{}", spec.dir, self.file_name())
    }
}

/// Renders the three formats of one feed.
pub fn render_all(spec: &FeedSpec<'_>, i18n: &I18n) -> Result<Vec<OutputFile>> {
    Format::ALL
        .into_iter()
        .map(|format| render(spec, format, i18n))
        .collect()
}

/// Renders one format of one feed.
pub(crate) fn render(spec: &FeedSpec<'_>, format: Format, i18n: &I18n) -> Result<OutputFile> {
    let bytes = match format {
        Format::Rss => rss(spec, i18n)?,
        Format::Atom => super::atom::atom(spec, i18n)?,
        Format::Json => super::jsonfeed::json_feed(spec, i18n)?,
    };
    Ok(OutputFile {
        path: format.path(spec),
        body: Body::Bytes(bytes),
    })
}

/// The HTML put into an item's description: CW first, then content, media,
/// poll and card as readable HTML.
pub(crate) fn item_html(toot: &TootView, i18n: &I18n) -> String {
    let mut out = String::new();
    if !toot.cw.is_empty() {
        out.push_str(&format!(
            "<p><strong>{}:</strong> {}</p><hr>",
            escape(&i18n.get("content_warning")),
            escape(&toot.cw)
        ));
    }
    out.push_str(toot.content.as_str());
    if let Some(q) = &toot.quote {
        out.push_str(&format!(
            "<blockquote><p>{} <a href=\"{}\">{}</a></p>{}</blockquote>",
            escape(&i18n.get("quote_of")),
            escape(&q.url),
            escape(&q.author.name),
            q.content.as_str()
        ));
    }
    for m in &toot.media {
        match (&m.url, m.kind) {
            (Some(url), "image") | (Some(url), "unknown") => out.push_str(&format!(
                "<p><img src=\"{}\" alt=\"{}\"></p>",
                escape(url),
                escape(&m.alt)
            )),
            (Some(url), _) => out.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>",
                escape(url),
                escape(&m.label)
            )),
            (None, _) => out.push_str(&format!("<p>{}</p>", escape(&i18n.get("media_missing")))),
        }
    }
    if let Some(poll) = &toot.poll {
        out.push_str("<ul>");
        for o in &poll.options {
            out.push_str(&format!("<li>{}: {} %</li>", escape(&o.title), o.percent));
        }
        out.push_str(&format!("</ul><p>{}</p>", escape(&poll.total_text)));
    }
    if let Some(card) = &toot.card {
        out.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(&card.url),
            escape(&card.title)
        ));
    }
    // A correction or context the editors added reaches feed readers too,
    // not only the page; its relative links are made absolute.
    if let Some(note) = &toot.note {
        let note = crate::sanitize::editorial_for_feed(note.as_str(), &toot.page_url);
        out.push_str(&format!(
            "<hr><p><strong>{}:</strong></p>{}",
            escape(&i18n.get("editorial_note")),
            note.as_str().trim_end()
        ));
    }
    out
}

/// The attachments that were mirrored, with the file's MIME type.
pub(crate) fn mirrored(toot: &TootView) -> impl Iterator<Item = (&MediaView, &str, &str)> {
    toot.media.iter().filter_map(|m| {
        let url = m.url.as_deref()?;
        let mime = m.mime.as_deref().filter(|t| t.contains('/'))?;
        Some((m, url, mime))
    })
}

/// `feed.xml` for one spec: the channel written without items, and each
/// toot's item (written once per build, see `feed/items.rs`) pasted in.
pub(crate) fn rss(spec: &FeedSpec<'_>, i18n: &I18n) -> Result<Vec<u8>> {
    let what = format!("{}feed.xml", spec.dir);
    let frame = write_channel(&channel(spec), &what)?;
    let items = spec
        .toots
        .iter()
        .map(|t| t.feed_items.get(Format::Rss, || rss_item_text(t, i18n)));
    let mut bytes = items::paste_items(frame, RSS_TAIL, items, &what)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// What follows the last item of a channel written with an indent of 2.
const RSS_TAIL: &[u8] = b"\n  </channel>\n</rss>";

/// The namespaces of every feed; `dc` (the items' `dc:creator`) only when
/// there are items, as the writer declares it for them.
fn namespaces(with_items: bool) -> BTreeMap<String, String> {
    let mut namespaces = BTreeMap::from([("media".to_string(), MEDIA_NS.to_string())]);
    if with_items {
        namespaces.insert(
            "dc".to_string(),
            rss::extension::dublincore::NAMESPACE.to_string(),
        );
    }
    namespaces
}

/// The channel of one spec, without its items.
fn channel(spec: &FeedSpec<'_>) -> Channel {
    let mut channel = Channel::default();
    channel.set_title(spec.title.clone());
    channel.set_link(spec.home_url.clone());
    channel.set_description(spec.description.clone());
    channel.set_language(spec.language.clone());
    channel.set_generator("tootbridge".to_string());
    if let Some(updated) = spec.updated() {
        channel.set_last_build_date(rfc2822(&updated));
    }
    // RSS readers only have to show GIF, JPEG and PNG channel images.
    let rss_image = spec.image_url.as_ref().filter(|url| {
        let lower = url.to_ascii_lowercase();
        [".png", ".jpg", ".jpeg", ".gif"]
            .iter()
            .any(|ext| lower.ends_with(ext))
    });
    if let Some(url) = rss_image {
        channel.set_image(Image {
            url: url.clone(),
            title: spec.title.clone(),
            link: spec.home_url.clone(),
            ..Default::default()
        });
    }
    channel.set_atom_ext(AtomExtension {
        links: vec![Link {
            href: format!("{}feed.xml", spec.dir_url),
            rel: "self".into(),
            mime_type: Some("application/rss+xml".into()),
            ..Default::default()
        }],
    });
    channel.set_namespaces(namespaces(!spec.toots.is_empty()));
    channel
}

fn write_channel(channel: &Channel, what: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    channel
        .pretty_write_to(&mut bytes, b' ', 2)
        .map_err(|e| Error::Other(format!("writing {what}: {e}")))?;
    Ok(bytes)
}

/// One toot's `<item>` as it appears in every `feed.xml`.
fn rss_item_text(toot: &TootView, i18n: &I18n) -> Result<String> {
    let what = format!("the feed item of {}", toot.page_url);
    let mut frame = item_frame();
    let empty = empty_item_frame(&what)?;
    frame.set_items(vec![rss_item(toot, i18n)]);
    let one = write_channel(&frame, &what)?;
    items::cut_item(empty, &one, RSS_TAIL, &what)
}

/// The frame an item is written in, without the item.
fn item_frame() -> Channel {
    Channel {
        namespaces: namespaces(true),
        ..Channel::default()
    }
}

/// [`item_frame`] written: a constant, made once, not for every item.
fn empty_item_frame(what: &str) -> Result<&'static [u8]> {
    static EMPTY: OnceLock<Vec<u8>> = OnceLock::new();
    if EMPTY.get().is_none() {
        let _ = EMPTY.set(write_channel(&item_frame(), what)?);
    }
    Ok(EMPTY.get().expect("set above"))
}

/// `feed.xml` written in one piece, as before items were written once: the
/// reference `rss` must equal.
#[cfg(test)]
pub(super) fn rss_whole(spec: &FeedSpec<'_>, i18n: &I18n) -> Result<Vec<u8>> {
    let mut channel = channel(spec);
    // Only `media` declared by hand, as before: the writer adds `dc`.
    channel.set_namespaces(namespaces(false));
    channel.set_items(
        spec.toots
            .iter()
            .map(|t| rss_item(t, i18n))
            .collect::<Vec<_>>(),
    );
    let mut bytes = write_channel(&channel, "feed.xml")?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn rss_item(toot: &TootView, i18n: &I18n) -> Item {
    let mut item = Item::default();
    item.set_title(toot.title.clone());
    item.set_link(toot.page_url.clone());
    item.set_guid(Guid {
        value: toot.page_url.clone(),
        permalink: true,
    });
    item.set_pub_date(rfc2822(&toot.created));
    item.set_description(toot.feed_html(i18n).to_string());
    item.set_categories(
        toot.tags
            .iter()
            .map(|t| Category {
                name: t.name.clone(),
                domain: None,
            })
            .collect::<Vec<_>>(),
    );
    item.set_dublin_core_ext(DublinCoreExtension {
        creators: vec![toot.author.name.clone()],
        ..Default::default()
    });
    // RSS allows one enclosure, and its length must be known.
    if let Some((m, url, mime)) = mirrored(toot).find(|(m, _, _)| m.size.is_some_and(|s| s > 0)) {
        item.set_enclosure(Enclosure {
            url: url.to_string(),
            length: m.size.unwrap_or_default().to_string(),
            mime_type: mime.to_string(),
        });
    }
    let contents: Vec<Extension> = mirrored(toot)
        .map(|(m, url, mime)| media_content(m, url, mime, toot.sensitive))
        .collect();
    if !contents.is_empty() {
        let mut map = ExtensionMap::new();
        map.entry("media".to_string())
            .or_default()
            .insert("content".to_string(), contents);
        item.set_extensions(map);
    }
    item
}

/// `<media:content>` with rating and alt text, as Mastodon writes it.
fn media_content(m: &MediaView, url: &str, mime: &str, sensitive: bool) -> Extension {
    let mut attrs = BTreeMap::from([
        ("url".to_string(), url.to_string()),
        ("type".to_string(), mime.to_string()),
    ]);
    if let Some(size) = m.size {
        attrs.insert("fileSize".into(), size.to_string());
    }
    let medium = match m.kind {
        "video" => Some("video"),
        "audio" => Some("audio"),
        "image" | "gifv" => Some("image"),
        _ => None,
    };
    if let Some(medium) = medium {
        attrs.insert("medium".into(), medium.into());
    }
    let mut children = BTreeMap::new();
    children.insert(
        "media:rating".to_string(),
        vec![Extension {
            name: "media:rating".into(),
            value: Some(if sensitive { "adult" } else { "nonadult" }.into()),
            attrs: BTreeMap::from([("scheme".to_string(), "urn:simple".to_string())]),
            children: BTreeMap::new(),
        }],
    );
    if !m.alt.is_empty() {
        children.insert(
            "media:description".to_string(),
            vec![Extension {
                name: "media:description".into(),
                value: Some(m.alt.clone()),
                attrs: BTreeMap::from([("type".to_string(), "plain".to_string())]),
                children: BTreeMap::new(),
            }],
        );
    }
    Extension {
        name: "media:content".into(),
        value: None,
        attrs,
        children,
    }
}

#[cfg(test)]
mod tests;
