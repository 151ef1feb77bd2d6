//! The RSS 2.0 feed (`feed.xml`), built with the `rss` crate from the same
//! toot views the pages use. Unlike Mastodon's own feed, every item has a
//! real title; the content warning comes first in the description, and the
//! build date is the newest toot's time (never the clock), so equal input
//! gives equal bytes.

use rss::extension::atom::{AtomExtension, Link};
use rss::{Category, Channel, Guid, Item};

use super::theme::I18n;
use super::view::TootView;
use crate::config::SiteConfig;
use crate::error::Result;
use crate::sanitize::escape;

/// The HTML put into an item's description: CW first, then content, media,
/// poll and card as readable HTML.
pub fn item_html(toot: &TootView, i18n: &I18n) -> String {
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
    out
}

/// Renders `feed.xml` for the given toots (newest first, already limited).
pub fn rss(config: &SiteConfig, base: &str, i18n: &I18n, toots: &[&TootView]) -> Result<Vec<u8>> {
    let self_url = format!("{base}/feed.xml");
    let items: Vec<Item> = toots
        .iter()
        .map(|toot| {
            let mut item = Item::default();
            item.set_title(toot.title.clone());
            item.set_link(toot.page_url.clone());
            item.set_guid(Guid {
                value: toot.page_url.clone(),
                permalink: true,
            });
            item.set_pub_date(toot.created.to_rfc2822());
            item.set_description(item_html(toot, i18n));
            item.set_categories(
                toot.tags
                    .iter()
                    .map(|t| Category {
                        name: t.name.clone(),
                        domain: None,
                    })
                    .collect::<Vec<_>>(),
            );
            item
        })
        .collect();
    let newest = toots
        .iter()
        .map(|t| t.edited.unwrap_or(t.created).max(t.created))
        .max();
    let mut channel = Channel::default();
    channel.set_title(config.title.clone());
    channel.set_link(format!("{base}/"));
    channel.set_description(if config.description.is_empty() {
        i18n.get("feed_description")
            .replace("{site}", &config.title)
    } else {
        config.description.clone()
    });
    channel.set_language(config.language.code().to_string());
    channel.set_generator("tootbridge".to_string());
    if let Some(newest) = newest {
        channel.set_last_build_date(newest.to_rfc2822());
    }
    channel.set_atom_ext(AtomExtension {
        links: vec![Link {
            href: self_url,
            rel: "self".into(),
            mime_type: Some("application/rss+xml".into()),
            ..Default::default()
        }],
    });
    channel.set_items(items);
    let mut bytes = Vec::new();
    channel
        .pretty_write_to(&mut bytes, b' ', 2)
        .map_err(|e| crate::error::Error::Other(format!("writing feed.xml: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}
