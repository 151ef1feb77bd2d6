//! The post-like object types of the fediverse, beyond Mastodon's `Note`
//! and `Question`, and what each contributes to a [`Toot`].
//!
//! - `Article` and `Page` (Lemmy, Friendica, GNU social, WordPress,
//!   WriteFreely, GoToSocial, Pleroma) carry a title in `name`; it becomes
//!   [`Toot::title`], and `content` (or `contentMap`) is the text as for a
//!   note.
//! - `Video`, `Audio`, `Image` (PeerTube, Funkwhale, Pixelfed) and `Event`
//!   (Mobilizon, Friendica) are stored with their `name` as title, their
//!   text, and their media: the `attachment[]` documents, or, when there are
//!   none, the playable link among `url[]` (PeerTube lists its files there),
//!   with `icon` as the poster.
//! - Any other type is skipped by the caller and counted under its name in
//!   the sync summary ([`Kind::of`] returns `None`).
//!
//! The text of every kind comes from `content` or `contentMap` (which also
//! gives its language; Lemmy's `language` object stands in when there is
//! none). Text sent as `text/markdown` or `text/plain` (PeerTube's
//! description) is escaped and given paragraphs, so it is never read as
//! markup.

use serde_json::Value;

use super::{link_of, list, str_of, Context};
use crate::model::{Media, MediaKind, Toot};
use crate::sanitize::escape;

/// The object types a mirror stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `Note`, `Question`: Mastodon's posts, without a title.
    Note,
    /// `Article`, `Page`: posts with a title.
    Titled,
    /// `Video`, `Audio`, `Image`, `Event`: titled, with media from `url[]`
    /// when `attachment[]` has none.
    Media,
}

impl Kind {
    pub(crate) fn of(object: &Value) -> Option<Kind> {
        match str_of(object, "type")? {
            "Note" | "Question" => Some(Kind::Note),
            "Article" | "Page" => Some(Kind::Titled),
            "Video" | "Audio" | "Image" | "Event" => Some(Kind::Media),
            _ => None,
        }
    }
}

/// The object's `name` as a title (plain text), for the titled kinds; a
/// poll's options are also named, but a `Note` or `Question` has no title.
pub(super) fn title(object: &Value, kind: Kind) -> Option<String> {
    if kind == Kind::Note {
        return None;
    }
    let name = str_of(object, "name").or_else(|| {
        object
            .get("nameMap")
            .and_then(Value::as_object)
            .and_then(|m| m.values().find_map(Value::as_str))
    })?;
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

/// Text in a non-HTML `mediaType` as HTML: escaped, blank lines as
/// paragraphs, single line breaks as `<br>`.
pub(super) fn text_as_html(object: &Value, content: String) -> String {
    let plain = matches!(
        str_of(object, "mediaType")
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("text/markdown" | "text/plain")
    );
    if !plain || content.trim().is_empty() {
        return content;
    }
    let normalized = content.replace("\r\n", "\n");
    normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(escape).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect()
}

/// Lemmy gives the language as `{identifier, name}`, not in `contentMap`.
pub(super) fn language(object: &Value) -> Option<String> {
    let tag = object.get("language").and_then(|l| {
        l.as_str()
            .or_else(|| str_of(l, "identifier"))
            .map(str::to_string)
    })?;
    is_language_tag(&tag).then_some(tag)
}

/// For the media kinds without attachments: the playable file named in
/// `url[]` (the largest MP4 up to 720 lines when there are several, as
/// PeerTube lists one per resolution), with the largest `icon` as poster.
pub(super) fn media_from_url(object: &Value, ctx: &Context, toot: &mut Toot) {
    if !toot.media.is_empty() {
        return;
    }
    let playable = |m: &str| {
        ["video/", "audio/", "image/"]
            .iter()
            .any(|p| m.starts_with(p))
    };
    let mut links: Vec<(&Value, String)> = list(object.get("url"))
        .filter_map(|l| {
            let mime = str_of(l, "mediaType")?.to_ascii_lowercase();
            playable(&mime).then_some((l, mime))
        })
        .collect();
    let height = |l: &Value| l.get("height").and_then(Value::as_u64).unwrap_or(0);
    links.sort_by_key(|(l, mime)| {
        let h = height(l);
        (
            mime == "video/mp4" && h <= 720,
            if h <= 720 { h } else { 0 },
        )
    });
    let Some((link, mime)) = links.last() else {
        return;
    };
    let Some(remote_url) = link_of(Some(link), ctx) else {
        return;
    };
    let kind = match mime.split('/').next() {
        Some("video") => MediaKind::Video,
        Some("audio") => MediaKind::Audio,
        _ => MediaKind::Image,
    };
    let poster = list(object.get("icon"))
        .chain(list(object.get("image")))
        .max_by_key(|i| i.get("width").and_then(Value::as_u64).unwrap_or(0))
        .and_then(|i| link_of(i.get("url").or(i.is_string().then_some(i)), ctx));
    let dimension = |key| {
        link.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    toot.media.push(Media {
        id: "1".to_string(),
        kind,
        remote_url,
        preview_remote_url: poster,
        file: None,
        preview_file: None,
        preview_width: None,
        mime: Some(mime.clone()),
        size: None,
        description: None,
        width: dimension("width"),
        height: dimension("height"),
        duration: object.get("duration").and_then(|d| {
            d.as_f64()
                .or_else(|| d.as_str().and_then(super::iso_duration_seconds))
        }),
        blurhash: None,
        focus: None,
    });
}

/// The text (`content`, else the first of `contentMap`) and its language
/// (the `contentMap` key whose text is `content`).
pub(super) fn content_and_language(object: &Value) -> (String, Option<String>) {
    let content = str_of(object, "content").map(str::to_string);
    let map: Vec<(&String, &str)> = object
        .get("contentMap")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k, v.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let chosen = map
        .iter()
        .find(|(_, html)| Some(*html) == content.as_deref())
        .or(map.first());
    let language = chosen
        .map(|(lang, _)| lang.as_str())
        .filter(|l| is_language_tag(l))
        .map(str::to_string);
    let content = content.or_else(|| chosen.map(|(_, html)| html.to_string()));
    (content.unwrap_or_default(), language)
}

pub(super) fn is_language_tag(tag: &str) -> bool {
    (2..=16).contains(&tag.len())
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && tag.as_bytes()[0].is_ascii_alphabetic()
}
