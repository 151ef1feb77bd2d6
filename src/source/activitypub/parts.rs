//! The parts of a post that come as lists: `attachment[]` (media documents
//! and `Link` cards) and `tag[]` (hashtags, mentions, custom emoji).

use serde_json::Value;
use url::Url;

use super::{date_of, link_of, list, status_id, str_of, Context};
use crate::model::{
    is_safe_id, Card, Emoji, Focus, Media, MediaKind, Mention, Poll, PollOption, Tag, Toot,
};

pub(super) fn card(link: &Value, ctx: &Context) -> Option<Card> {
    let url = ctx.resolve(str_of(link, "href").or_else(|| str_of(link, "url"))?)?;
    Some(Card {
        url,
        title: str_of(link, "name").unwrap_or("").to_string(),
        description: String::new(),
        provider_name: String::new(),
        author_name: String::new(),
        image: None,
        image_remote_url: None,
        image_description: String::new(),
        width: None,
        height: None,
    })
}

pub(super) fn media(doc: &Value, ctx: &Context, index: usize) -> Option<Media> {
    let remote_url = link_of(doc.get("url").map(export_path).as_ref(), ctx)?;
    let mime = str_of(doc, "mediaType")
        .filter(|m| m.contains('/') && m.len() < 100)
        .map(str::to_ascii_lowercase);
    let kind = match (mime.as_deref(), str_of(doc, "type")) {
        // A GIF stays an image: the theme shows gifv as `<video>`, which
        // cannot play a GIF (Mastodon's own gifv arrive as `video/mp4`).
        (Some(m), _) if m.starts_with("image/") => MediaKind::Image,
        (Some(m), _) if m.starts_with("video/") => MediaKind::Video,
        (Some(m), _) if m.starts_with("audio/") => MediaKind::Audio,
        (_, Some("Image")) => MediaKind::Image,
        (_, Some("Video")) => MediaKind::Video,
        (_, Some("Audio")) => MediaKind::Audio,
        _ => MediaKind::Unknown,
    };
    let text = |key| str_of(doc, key).map(str::trim).filter(|s| !s.is_empty());
    let dimension = |key| {
        doc.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let focus = doc
        .get("focalPoint")
        .and_then(Value::as_array)
        .and_then(|p| {
            let (x, y) = (p.first()?.as_f64()?, p.get(1)?.as_f64()?);
            ((-1.0..=1.0).contains(&x) && (-1.0..=1.0).contains(&y)).then_some(Focus { x, y })
        });
    Some(Media {
        // The REST API's id from the file path, else the attachment's own
        // `id` (some servers give one), else its position.
        id: media_id(&remote_url)
            .or_else(|| str_of(doc, "id").and_then(status_id))
            .unwrap_or_else(|| (index + 1).to_string()),
        kind,
        remote_url,
        file: None,
        preview_file: None,
        preview_width: None,
        // A custom thumbnail (`icon`), e.g. a video's poster.
        preview_remote_url: doc
            .get("icon")
            .and_then(|i| link_of(i.get("url").or(i.is_string().then_some(i)), ctx)),
        mime,
        size: None,
        // Mastodon's parser reads `summary` first, then `name`.
        description: text("summary").or(text("name")).map(str::to_string),
        width: dimension("width"),
        height: dimension("height"),
        duration: doc.get("duration").and_then(|d| {
            d.as_f64()
                .or_else(|| d.as_str().and_then(iso_duration_seconds))
        }),
        blurhash: text("blurhash").map(str::to_string),
        focus,
    })
}

/// Exports rewrite a local file's URL to its path minus the leading
/// `/system/` (`media_attachments/files/…`); put it back so the remote URL
/// is the one the instance serves.
fn export_path(url: &Value) -> Value {
    match url.as_str() {
        Some(path)
            if path
                .trim_start_matches('/')
                .starts_with("media_attachments/") =>
        {
            Value::String(format!("/system/{}", path.trim_start_matches('/')))
        }
        _ => url.clone(),
    }
}

/// Mastodon stores originals under `…/files/110/123/456/…/original/name`,
/// the attachment id split in groups of three digits; joined, they are the
/// same id the REST API reports.
fn media_id(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let after = path.split_once("/files/")?.1;
    let groups = after.split_once("/original/")?.0;
    let id: String = groups.split('/').collect();
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && is_safe_id(&id)).then_some(id)
}

/// `PT1M3.5S` → 63.5; `None` for anything else.
pub(crate) fn iso_duration_seconds(text: &str) -> Option<f64> {
    let rest = text.trim().strip_prefix('P')?;
    let (days, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = 0.0;
    let mut any = false;
    for (part, units) in [
        (days, &[('D', 86_400.0)][..]),
        (time, &[('H', 3_600.0), ('M', 60.0), ('S', 1.0)][..]),
    ] {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
            } else {
                let factor = units.iter().find(|(u, _)| *u == c)?.1;
                total += number.parse::<f64>().ok()? * factor;
                number.clear();
                any = true;
            }
        }
        if !number.is_empty() {
            return None;
        }
    }
    any.then_some(total)
}

pub(super) fn add_tag(toot: &mut Toot, tag: &Value, ctx: &Context) {
    let name = str_of(tag, "name").map(str::trim).unwrap_or("");
    match str_of(tag, "type") {
        Some("Hashtag") => {
            let name = name.trim_start_matches('#');
            let known = toot
                .tags
                .iter()
                .any(|t| t.name.to_lowercase() == name.to_lowercase());
            if !name.is_empty() && !known {
                toot.tags.push(Tag {
                    name: name.to_string(),
                });
            }
        }
        Some("Mention") => {
            let Some(href) = str_of(tag, "href").and_then(|h| ctx.resolve(h)) else {
                return;
            };
            let mut parts = name.trim_start_matches('@').splitn(2, '@');
            let username = parts.next().unwrap_or("").to_string();
            let domain = parts
                .next()
                .map(str::to_string)
                .or_else(|| Url::parse(&href).ok()?.host_str().map(str::to_string));
            if username.is_empty() || toot.mentions.iter().any(|m| m.url == href) {
                return;
            }
            let acct = match domain {
                Some(d) if !d.eq_ignore_ascii_case(&ctx.local_host) => format!("{username}@{d}"),
                _ => username.clone(),
            };
            toot.mentions.push(Mention {
                id: None,
                username,
                acct,
                url: href,
            });
        }
        Some("Emoji") => {
            let shortcode = name.trim_matches(':');
            let ok = !shortcode.is_empty()
                && shortcode
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_');
            let url = tag.get("icon").and_then(|i| link_of(i.get("url"), ctx));
            if let (true, Some(remote_url)) = (ok, url) {
                if !toot.emojis.iter().any(|e| e.shortcode == shortcode) {
                    toot.emojis.push(Emoji {
                        shortcode: shortcode.to_string(),
                        remote_url,
                        file: None,
                    });
                }
            }
        }
        _ => {}
    }
}

pub(super) fn poll(object: &Value) -> Option<Poll> {
    if str_of(object, "type") != Some("Question") {
        return None;
    }
    let (choices, multiple) = match (object.get("oneOf"), object.get("anyOf")) {
        (Some(one), _) if one.is_array() => (one, false),
        (_, Some(any)) if any.is_array() => (any, true),
        _ => return None,
    };
    let options: Vec<PollOption> = list(Some(choices))
        .filter_map(|o| {
            Some(PollOption {
                title: str_of(o, "name")?.to_string(),
                votes_count: o.pointer("/replies/totalItems").and_then(Value::as_u64),
            })
        })
        .collect();
    let closed = object
        .get("closed")
        .is_some_and(|c| !c.is_null() && c.as_bool() != Some(false));
    Some(Poll {
        expires_at: date_of(object, "endTime").or_else(|| date_of(object, "closed")),
        expired: closed,
        multiple,
        votes_count: options.iter().filter_map(|o| o.votes_count).sum(),
        voters_count: object.get("votersCount").and_then(Value::as_u64),
        options,
    })
}
