//! The Atom 1.0 feed (`atom.xml`), built with `atom_syndication` from the
//! same [`FeedSpec`] as the RSS feed. Atom has a separate `<updated>` per
//! entry, which carries the edit date of an edited toot; each mirrored
//! attachment becomes a `rel="enclosure"` link.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};
use chrono::{DateTime, Utc};

use super::feed::{items, last_change, mirrored, FeedSpec, Format};
use super::theme::I18n;
use super::view::TootView;
use crate::error::{Error, Result};

fn fixed(when: &DateTime<Utc>) -> FixedDateTime {
    when.fixed_offset()
}

/// `atom.xml` for one spec: the feed written without entries, and each
/// toot's entry (written once per build, see `feed/items.rs`) pasted in.
pub(crate) fn atom(spec: &FeedSpec<'_>, i18n: &I18n) -> Result<Vec<u8>> {
    let what = format!("{}atom.xml", spec.dir);
    let frame = write(&feed(spec), &what)?;
    let entries = spec
        .toots
        .iter()
        .map(|t| t.feed_items.get(Format::Atom, || entry_text(t, i18n)));
    let mut bytes = items::paste_items(frame, ATOM_TAIL, entries, &what)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// What follows the last entry of a feed written with an indent of 2.
const ATOM_TAIL: &[u8] = b"\n</feed>";

/// The feed of one spec, without its entries.
fn feed(spec: &FeedSpec<'_>) -> Feed {
    // Atom requires `<updated>`; an empty feed takes a fixed date rather
    // than the clock, so rebuilding it changes nothing.
    let updated = spec.updated().unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    Feed {
        title: Text::plain(spec.title.clone()),
        id: format!("{}atom.xml", spec.dir_url),
        updated: fixed(&updated),
        authors: vec![Person {
            name: spec.title.clone(),
            uri: Some(spec.home_url.clone()),
            ..Default::default()
        }],
        generator: Some(Generator {
            value: "tootbridge".into(),
            ..Default::default()
        }),
        icon: spec.image_url.clone(),
        logo: spec.image_url.clone(),
        links: vec![
            Link {
                href: spec.home_url.clone(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
            Link {
                href: format!("{}atom.xml", spec.dir_url),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
        ],
        subtitle: (!spec.description.is_empty()).then(|| Text::plain(spec.description.clone())),
        lang: Some(spec.language.clone()),
        ..Default::default()
    }
}

fn write(feed: &Feed, what: &str) -> Result<Vec<u8>> {
    feed.write_with_config(
        Vec::new(),
        WriteConfig {
            write_document_declaration: true,
            indent_size: Some(2),
        },
    )
    .map_err(|e| Error::Other(format!("writing {what}: {e}")))
}

/// One toot's `<entry>` as it appears in every `atom.xml`.
fn entry_text(toot: &TootView, i18n: &I18n) -> Result<String> {
    let what = format!("the Atom entry of {}", toot.page_url);
    let frame = Feed {
        entries: vec![entry(toot, i18n)],
        ..Feed::default()
    };
    let one = write(&frame, &what)?;
    items::cut_item(empty_entry_frame(&what)?, &one, ATOM_TAIL, &what)
}

/// The frame an entry is written in (a default feed), written without the
/// entry: the same bytes for every entry (a constant, made on first use
/// rather than again for each of the site's entries).
fn empty_entry_frame(what: &str) -> Result<&'static [u8]> {
    static EMPTY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    if let Some(bytes) = EMPTY.get() {
        return Ok(bytes);
    }
    let bytes = write(&Feed::default(), what)?;
    Ok(EMPTY.get_or_init(|| bytes))
}

/// `atom.xml` written in one piece: the reference `atom` must equal.
#[cfg(test)]
pub(super) fn atom_whole(spec: &FeedSpec<'_>, i18n: &I18n) -> Result<Vec<u8>> {
    let mut feed = feed(spec);
    feed.entries = spec.toots.iter().map(|t| entry(t, i18n)).collect();
    let mut bytes = write(&feed, "atom.xml")?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn entry(toot: &TootView, i18n: &I18n) -> Entry {
    let mut links = vec![Link {
        href: toot.page_url.clone(),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Default::default()
    }];
    for (m, url, mime) in mirrored(toot) {
        links.push(Link {
            href: url.to_string(),
            rel: "enclosure".into(),
            mime_type: Some(mime.to_string()),
            title: (!m.alt.is_empty()).then(|| m.alt.clone()),
            length: m.size.map(|s| s.to_string()),
            ..Default::default()
        });
    }
    Entry {
        title: Text::plain(toot.title.clone()),
        id: toot.page_url.clone(),
        updated: fixed(&last_change(toot)),
        published: Some(fixed(&toot.created)),
        authors: vec![Person {
            name: toot.author.name.clone(),
            uri: Some(toot.author.url.clone()),
            ..Default::default()
        }],
        categories: toot
            .tags
            .iter()
            .map(|t| Category {
                term: t.name.clone(),
                label: Some(format!("#{}", t.name)),
                ..Default::default()
            })
            .collect(),
        links,
        content: Some(Content {
            value: Some(toot.feed_html(i18n).to_string()),
            content_type: Some("html".into()),
            lang: toot.lang.clone(),
            ..Default::default()
        }),
        ..Default::default()
    }
}
