//! JSON Feed 1.1 (`feed.json`, <https://jsonfeed.org/version/1.1>), from the
//! same [`FeedSpec`] as RSS and Atom. Plain serde structs; field order is
//! declaration order, so the bytes are stable.

use serde::Serialize;

use super::feed::{last_change, mirrored, rfc3339, FeedSpec, Format};
use super::theme::I18n;
use super::view::TootView;
use crate::error::{Error, Result};

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'a str>,
    language: &'a str,
    authors: Vec<Author<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    /// The alt text (JSON Feed has no other place for it).
    #[serde(skip_serializing_if = "str::is_empty")]
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
}

/// `feed.json` for one spec: the feed written without items, and each
/// toot's item (written once per build, see `feed/items.rs`) pasted in.
pub(crate) fn json_feed(spec: &FeedSpec<'_>, i18n: &I18n) -> Result<Vec<u8>> {
    let what = format!("{}feed.json", spec.dir);
    let mut frame = super::json_bytes(&feed(spec, Vec::new()), &what)?;
    if spec.toots.is_empty() {
        return Ok(frame);
    }
    // `"items": []` becomes `"items": [` item `,` item ... `]`, as the
    // pretty writer puts them: each item on its own lines, indented by 4.
    if !frame.ends_with(EMPTY_TAIL) {
        return Err(Error::Other(format!("writing {what}: unexpected frame")));
    }
    frame.truncate(frame.len() - EMPTY_TAIL.len());
    frame.extend_from_slice(b"[\n");
    for (n, toot) in spec.toots.iter().enumerate() {
        if n > 0 {
            frame.extend_from_slice(b",\n");
        }
        let item = toot
            .feed_items
            .get(Format::Json, || item_text(toot, i18n, &what))?;
        frame.extend_from_slice(item.as_bytes());
    }
    frame.extend_from_slice(b"\n  ]\n}\n");
    Ok(frame)
}

/// How `json_bytes` ends a feed without items.
const EMPTY_TAIL: &[u8] = b"[]\n}\n";

fn feed<'a>(spec: &'a FeedSpec<'_>, items: Vec<JsonItem<'a>>) -> JsonFeed<'a> {
    JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &spec.title,
        home_page_url: &spec.home_url,
        feed_url: format!("{}feed.json", spec.dir_url),
        description: &spec.description,
        icon: spec.image_url.as_deref(),
        language: &spec.language,
        authors: vec![Author {
            name: &spec.title,
            url: &spec.home_url,
            avatar: spec.image_url.as_deref(),
        }],
        items,
    }
}

/// One toot's item as it appears in every `feed.json`: written inside
/// `{"items": [...]}`, so it has the indent of the feed's items. Markup
/// characters are escaped as in the whole feed (`json_without_markup` maps
/// character by character, so escaping the parts escapes the whole).
fn item_text(toot: &TootView, i18n: &I18n, what: &str) -> Result<String> {
    #[derive(Serialize)]
    struct Frame<'a> {
        items: [JsonItem<'a>; 1],
    }
    let text = String::from_utf8(super::json_bytes(
        &Frame {
            items: [item(toot, i18n)],
        },
        what,
    )?)
    .map_err(|_| Error::Other(format!("writing {what}: not UTF-8")))?;
    text.strip_prefix("{\n  \"items\": [\n")
        .and_then(|rest| rest.strip_suffix("\n  ]\n}\n"))
        .map(str::to_string)
        .ok_or_else(|| Error::Other(format!("writing {what}: unexpected item frame")))
}

/// `feed.json` written in one piece: the reference `json_feed` must equal.
#[cfg(test)]
pub(super) fn json_whole(spec: &FeedSpec<'_>, i18n: &I18n) -> Result<Vec<u8>> {
    let items = spec.toots.iter().map(|t| item(t, i18n)).collect();
    super::json_bytes(&feed(spec, items), "feed.json")
}

fn item<'a>(toot: &'a TootView, i18n: &I18n) -> JsonItem<'a> {
    let changed = last_change(toot);
    JsonItem {
        id: &toot.page_url,
        url: &toot.page_url,
        title: &toot.title,
        content_html: toot.feed_html(i18n),
        // The summary would reveal what a content warning hides.
        summary: if toot.cw.is_empty() {
            &toot.summary
        } else {
            ""
        },
        image: mirrored(toot)
            .find(|(m, _, _)| m.kind == "image" && !toot.sensitive)
            .map(|(_, url, _)| url),
        date_published: rfc3339(&toot.created),
        date_modified: (changed > toot.created).then(|| rfc3339(&changed)),
        authors: vec![Author {
            name: &toot.author.name,
            url: &toot.author.url,
            avatar: toot.author.avatar.as_deref(),
        }],
        tags: toot.tags.iter().map(|t| t.name.as_str()).collect(),
        language: toot.lang.as_deref(),
        attachments: mirrored(toot)
            .map(|(m, url, mime)| Attachment {
                url,
                mime_type: mime,
                title: &m.alt,
                size_in_bytes: m.size,
            })
            .collect(),
    }
}
