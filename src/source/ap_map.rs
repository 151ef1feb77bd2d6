//! ActivityPub objects (outbox `Create{Note|Question}` and `Announce`, as
//! Mastodon, GoToSocial, Pleroma and the export archive write them) mapped
//! onto our [`Toot`] model. Pure, working on `serde_json::Value` because AP
//! fields come in several shapes (a string, an object, an array of either).
//!
//! Visibility comes from the addressing: the public collection in `to` is
//! public, in `cc` unlisted; the followers collection alone is private;
//! anything else is direct. Attachments of type `Link` are preview cards
//! (Mastodon 4.7+), not media.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::{
    is_safe_id, Card, Emoji, Focus, Media, MediaKind, Mention, Poll, PollOption, ReplyRef, Tag,
    Toot, Visibility, SCHEMA_VERSION,
};

const PUBLIC: [&str; 3] = [
    "https://www.w3.org/ns/activitystreams#Public",
    "as:Public",
    "Public",
];

/// One outbox item.
#[derive(Debug)]
pub enum Item<'v> {
    /// A post of the account: the activity and its embedded object.
    Create(&'v Value, &'v Value),
    /// A boost: the activity and the boosted object's URI.
    Announce(&'v Value, String),
    Other,
}

pub fn item(activity: &Value) -> Item<'_> {
    match activity.get("type").and_then(Value::as_str) {
        Some("Create") => match activity.get("object") {
            Some(object @ Value::Object(_))
                if matches!(kind(object), Some("Note" | "Question" | "Article")) =>
            {
                Item::Create(activity, object)
            }
            _ => Item::Other,
        },
        Some("Announce") => match href(activity.get("object")) {
            Some(uri) => Item::Announce(activity, uri),
            None => Item::Other,
        },
        _ => Item::Other,
    }
}

fn kind(v: &Value) -> Option<&str> {
    v.get("type").and_then(Value::as_str)
}

/// A string, or the `href`/`url`/`id` of an object, or the first of an array.
pub fn href(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(|i| href(Some(i))),
        Value::Object(o) => ["href", "url", "id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| href(Some(v)))),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(|i| href(Some(i))).collect(),
        _ => Vec::new(),
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn date(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    text(v, key)
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Visibility from `to` and `cc` (of the object, else the activity).
pub fn visibility(object: &Value, activity: &Value) -> Visibility {
    let pick = |key: &str| {
        let own = strings(object.get(key));
        if own.is_empty() {
            strings(activity.get(key))
        } else {
            own
        }
    };
    let (to, cc) = (pick("to"), pick("cc"));
    let public = |list: &[String]| list.iter().any(|a| PUBLIC.contains(&a.as_str()));
    if public(&to) {
        Visibility::Public
    } else if public(&cc) {
        Visibility::Unlisted
    } else if to.iter().any(|a| a.ends_with("/followers")) {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

/// The local id of an object: the last path segment of its URI.
pub fn local_id(uri: &str) -> Option<String> {
    let path = uri.split(['?', '#']).next()?;
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    is_safe_id(last).then(|| last.to_string())
}

/// Maps a Note or Question. `actor` is the mirrored actor's URI and
/// `account_id` its REST id when known (marks self-replies).
pub fn note_to_toot(
    object: &Value,
    activity: &Value,
    actor: &str,
    account_id: Option<&str>,
) -> Result<Toot, String> {
    let uri = text(object, "id").ok_or("an object without an id")?;
    let id = local_id(&uri).ok_or_else(|| format!("{uri}: no safe id in the URI"))?;
    let created_at = date(object, "published")
        .or_else(|| date(activity, "published"))
        .ok_or_else(|| format!("{uri}: no valid `published` date"))?;
    let language = object
        .get("contentMap")
        .and_then(Value::as_object)
        .and_then(|m| m.keys().next().cloned());
    let mut media = Vec::new();
    let mut card = None;
    for (i, a) in object
        .get("attachment")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if kind(a) == Some("Link") {
            if let Some(url) = href(Some(a)) {
                card.get_or_insert(link_card(url));
            }
            continue;
        }
        if let Some(m) = attachment(a, &format!("{id}-{i}")) {
            media.push(m);
        }
    }
    let mut tags = Vec::new();
    let mut mentions = Vec::new();
    let mut emojis = Vec::new();
    for t in object
        .get("tag")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = text(t, "name").unwrap_or_default();
        match kind(t) {
            Some("Hashtag") => tags.push(Tag {
                name: name.trim_start_matches('#').to_string(),
            }),
            Some("Mention") => {
                let acct = name.trim_start_matches('@').to_string();
                mentions.push(Mention {
                    id: None,
                    username: acct.split('@').next().unwrap_or_default().to_string(),
                    acct,
                    url: href(t.get("href")).unwrap_or_default(),
                });
            }
            Some("Emoji") => {
                if let Some(url) = href(t.get("icon")) {
                    emojis.push(Emoji {
                        shortcode: name.trim_matches(':').to_string(),
                        remote_url: url,
                        file: None,
                    });
                }
            }
            _ => {}
        }
    }
    let in_reply_to = href(object.get("inReplyTo")).and_then(|parent| {
        Some(ReplyRef {
            id: local_id(&parent)?,
            account_id: parent
                .starts_with(&format!("{actor}/"))
                .then(|| account_id.map(str::to_string))
                .flatten(),
            url: Some(parent),
        })
    });
    Ok(Toot {
        schema: SCHEMA_VERSION,
        id,
        uri: uri.clone(),
        url: href(object.get("url")).or(Some(uri)),
        created_at,
        edited_at: date(object, "updated"),
        visibility: visibility(object, activity),
        language,
        content: text(object, "content").unwrap_or_default(),
        spoiler_text: text(object, "summary").unwrap_or_default(),
        sensitive: object
            .get("sensitive")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        pinned: false,
        media,
        poll: poll(object),
        card,
        emojis,
        tags,
        mentions,
        in_reply_to,
        reblog: None,
        quote: None,
    })
}

fn link_card(url: String) -> Card {
    Card {
        url,
        title: String::new(),
        description: String::new(),
        provider_name: String::new(),
        author_name: String::new(),
        image: None,
        image_remote_url: None,
        image_description: String::new(),
        width: None,
        height: None,
    }
}

fn attachment(a: &Value, fallback_id: &str) -> Option<Media> {
    let url = href(a.get("url"))?;
    let mime = text(a, "mediaType").unwrap_or_default();
    let kind = match mime.split('/').next() {
        Some("image") if mime == "image/gif" => MediaKind::Gifv,
        Some("image") => MediaKind::Image,
        Some("video") => MediaKind::Video,
        Some("audio") => MediaKind::Audio,
        _ => MediaKind::Unknown,
    };
    let focus = a.get("focalPoint").and_then(Value::as_array).and_then(|p| {
        Some(Focus {
            x: p.first()?.as_f64()?,
            y: p.get(1)?.as_f64()?,
        })
    });
    let number = |key: &str| a.get(key).and_then(Value::as_u64).map(|n| n as u32);
    Some(Media {
        id: text(a, "id")
            .and_then(|u| local_id(&u))
            .unwrap_or_else(|| fallback_id.to_string()),
        kind,
        remote_url: url,
        preview_remote_url: href(a.get("icon")),
        file: None,
        preview_file: None,
        mime: None,
        size: None,
        description: text(a, "summary")
            .or_else(|| text(a, "name"))
            .filter(|d| !d.trim().is_empty()),
        width: number("width"),
        height: number("height"),
        duration: None,
        blurhash: text(a, "blurhash"),
        focus,
    })
}

fn poll(object: &Value) -> Option<Poll> {
    let (options, multiple) = match (object.get("oneOf"), object.get("anyOf")) {
        (Some(Value::Array(o)), _) => (o, false),
        (_, Some(Value::Array(o))) => (o, true),
        _ => return None,
    };
    let options: Vec<PollOption> = options
        .iter()
        .map(|o| PollOption {
            title: text(o, "name").unwrap_or_default(),
            votes_count: o.pointer("/replies/totalItems").and_then(Value::as_u64),
        })
        .collect();
    let closed = date(object, "closed");
    Some(Poll {
        expires_at: date(object, "endTime"),
        expired: closed.is_some(),
        multiple,
        votes_count: options.iter().filter_map(|o| o.votes_count).sum(),
        voters_count: object.get("votersCount").and_then(Value::as_u64),
        options,
    })
}

#[cfg(test)]
#[path = "ap_map_tests.rs"]
mod tests;
