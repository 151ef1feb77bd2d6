//! Mastodon REST entities (as much of them as we use) and their mapping onto
//! our [`Toot`] model. Pure: no I/O, so every rule is unit tested.
//!
//! The serde types here are lenient (unknown fields are ignored, most fields
//! default) because servers differ and add fields; strictness lives in our
//! own schema. Remote HTML is carried over untouched; it is sanitized at build
//! time. Mirrored file paths are filled in later by `media.rs`.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::model::{
    is_safe_id, Author, Card, Emoji, Focus, Media, MediaKind, Mention, Poll, PollOption, QuoteRef,
    ReplyRef, SharedToot, Tag, Toot, Visibility, SCHEMA_VERSION,
};

#[derive(Debug, Clone, Deserialize)]
pub struct ApiAccount {
    pub id: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub acct: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub avatar_static: Option<String>,
    #[serde(default)]
    pub avatar: Option<String>,
    #[serde(default)]
    pub header_static: Option<String>,
    #[serde(default)]
    pub emojis: Vec<ApiEmoji>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiStatus {
    pub id: String,
    #[serde(default)]
    pub uri: String,
    #[serde(default)]
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub edited_at: Option<DateTime<Utc>>,
    pub visibility: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub spoiler_text: String,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub in_reply_to_id: Option<String>,
    #[serde(default)]
    pub in_reply_to_account_id: Option<String>,
    #[serde(default)]
    pub reblog: Option<Box<ApiStatus>>,
    #[serde(default)]
    pub media_attachments: Vec<ApiMedia>,
    #[serde(default)]
    pub emojis: Vec<ApiEmoji>,
    #[serde(default)]
    pub tags: Vec<ApiTag>,
    #[serde(default)]
    pub mentions: Vec<ApiMention>,
    #[serde(default)]
    pub card: Option<ApiCard>,
    #[serde(default)]
    pub poll: Option<ApiPoll>,
    pub account: Option<ApiAccount>,
    /// Mastodon 4.4+: `{state, quoted_status}`; other shapes are ignored.
    #[serde(default)]
    pub quote: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiMedia {
    pub id: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub preview_url: Option<String>,
    #[serde(default)]
    pub remote_url: Option<String>,
    #[serde(default)]
    pub preview_remote_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub blurhash: Option<String>,
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiEmoji {
    pub shortcode: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub static_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiTag {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiMention {
    #[serde(default)]
    pub id: Option<String>,
    pub username: String,
    pub acct: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiCard {
    pub url: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub provider_name: String,
    #[serde(default)]
    pub author_name: String,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub image_description: Option<String>,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiPoll {
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub expired: bool,
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub votes_count: u64,
    #[serde(default)]
    pub voters_count: Option<u64>,
    #[serde(default)]
    pub options: Vec<ApiPollOption>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiPollOption {
    pub title: String,
    #[serde(default)]
    pub votes_count: Option<u64>,
}

/// Unknown values (`limited`, anything new) count as private: never stored.
pub(crate) fn visibility(value: &str) -> Visibility {
    match value {
        "public" => Visibility::Public,
        "unlisted" => Visibility::Unlisted,
        "direct" => Visibility::Direct,
        _ => Visibility::Private,
    }
}

/// Maps one status of the mirrored account. `host` qualifies local `acct`
/// names of boosted or quoted authors. Fails only for an id that is not a
/// safe file name.
pub fn to_toot(status: &ApiStatus, host: &str) -> Result<Toot, String> {
    if !is_safe_id(&status.id) {
        return Err(format!("status id {:?} is not a safe file name", status.id));
    }
    let mut toot = plain_toot(status);
    if let Some(inner) = &status.reblog {
        toot.reblog = Some(Box::new(shared(inner, host)));
    }
    toot.quote = quote(status, host).map(Box::new);
    toot.normalize();
    Ok(toot)
}

fn plain_toot(s: &ApiStatus) -> Toot {
    Toot {
        schema: SCHEMA_VERSION,
        id: s.id.clone(),
        uri: s.uri.clone(),
        url: s.url.clone(),
        created_at: s.created_at,
        edited_at: s.edited_at,
        visibility: visibility(&s.visibility),
        language: s.language.clone().filter(|l| !l.is_empty()),
        title: None,
        content: s.content.clone(),
        spoiler_text: s.spoiler_text.clone(),
        sensitive: s.sensitive,
        pinned: false,
        media: s.media_attachments.iter().map(media).collect(),
        poll: s.poll.as_ref().map(poll).map(Box::new),
        card: s.card.as_ref().map(card).map(Box::new),
        emojis: s.emojis.iter().filter_map(emoji).collect(),
        tags: s
            .tags
            .iter()
            .map(|t| Tag {
                name: t.name.clone(),
            })
            .collect(),
        mentions: s
            .mentions
            .iter()
            .map(|m| Mention {
                id: m.id.clone(),
                username: m.username.clone(),
                acct: m.acct.clone(),
                url: m.url.clone(),
            })
            .collect(),
        in_reply_to: s.in_reply_to_id.as_ref().map(|id| {
            Box::new(ReplyRef {
                id: id.clone(),
                account_id: s.in_reply_to_account_id.clone(),
                url: None,
            })
        }),
        reblog: None,
        quote: None,
    }
}

fn shared(s: &ApiStatus, host: &str) -> SharedToot {
    let author = match &s.account {
        Some(a) => Author {
            acct: qualified_acct(&a.acct, host),
            display_name: a.display_name.clone(),
            url: a.url.clone().unwrap_or_default(),
            avatar: None,
            emojis: a.emojis.iter().filter_map(emoji).collect(),
        },
        None => Author {
            acct: String::new(),
            display_name: String::new(),
            url: String::new(),
            avatar: None,
            emojis: Vec::new(),
        },
    };
    SharedToot {
        author,
        toot: plain_toot(s),
    }
}

fn quote(s: &ApiStatus, host: &str) -> Option<QuoteRef> {
    let value = s.quote.as_ref()?;
    if value.get("state").and_then(|v| v.as_str()) != Some("accepted") {
        return None;
    }
    let quoted: ApiStatus = serde_json::from_value(value.get("quoted_status")?.clone()).ok()?;
    Some(QuoteRef {
        uri: quoted.uri.clone(),
        url: quoted.url.clone(),
        shared: Some(shared(&quoted, host)),
    })
}

fn qualified_acct(acct: &str, host: &str) -> String {
    if acct.contains('@') || acct.is_empty() {
        acct.to_string()
    } else {
        format!("{acct}@{host}")
    }
}

/// The instance's copy unless it is only a throttled `/media_proxy/` URL.
fn best_url(local: &Option<String>, remote: &Option<String>) -> Option<String> {
    let local = local.clone().filter(|u| !u.is_empty());
    let remote = remote.clone().filter(|u| !u.is_empty());
    match local {
        Some(u) if !u.contains("/media_proxy/") => Some(u),
        other => remote.or(other),
    }
}

fn media(m: &ApiMedia) -> Media {
    let meta = m.meta.as_ref();
    let original = meta.and_then(|v| v.get("original"));
    let number = |key: &str| original.and_then(|o| o.get(key)).and_then(|v| v.as_f64());
    let focus = meta.and_then(|v| v.get("focus")).and_then(|f| {
        Some(Focus {
            x: f.get("x")?.as_f64()?,
            y: f.get("y")?.as_f64()?,
        })
    });
    Media {
        id: m.id.clone(),
        kind: match m.kind.as_str() {
            "image" => MediaKind::Image,
            "gifv" => MediaKind::Gifv,
            "video" => MediaKind::Video,
            "audio" => MediaKind::Audio,
            _ => MediaKind::Unknown,
        },
        remote_url: best_url(&m.url, &m.remote_url).unwrap_or_default(),
        preview_remote_url: best_url(&m.preview_url, &m.preview_remote_url),
        file: None,
        preview_file: None,
        preview_width: meta
            .and_then(|v| v.pointer("/small/width"))
            .and_then(|w| w.as_u64())
            .and_then(|w| u32::try_from(w).ok()),
        mime: None,
        size: None,
        description: m.description.clone().filter(|d| !d.trim().is_empty()),
        width: number("width").map(|w| w as u32),
        height: number("height").map(|h| h as u32),
        duration: number("duration"),
        blurhash: m.blurhash.clone(),
        focus,
    }
}

fn poll(p: &ApiPoll) -> Poll {
    Poll {
        expires_at: p.expires_at,
        expired: p.expired,
        multiple: p.multiple,
        votes_count: p.votes_count,
        voters_count: p.voters_count,
        options: p
            .options
            .iter()
            .map(|o| PollOption {
                title: o.title.clone(),
                votes_count: o.votes_count,
            })
            .collect(),
    }
}

fn card(c: &ApiCard) -> Card {
    Card {
        url: c.url.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        provider_name: c.provider_name.clone(),
        author_name: c.author_name.clone(),
        image: None,
        image_remote_url: c.image.clone().filter(|u| !u.is_empty()),
        image_description: c.image_description.clone().unwrap_or_default(),
        width: c.width,
        height: c.height,
    }
}

/// Custom emoji use the static image: no animation on a public site.
pub(crate) fn emoji(e: &ApiEmoji) -> Option<Emoji> {
    let url = best_url(&e.static_url, &e.url)?;
    Some(Emoji {
        shortcode: e.shortcode.clone(),
        remote_url: url,
        file: None,
    })
}

#[cfg(test)]
mod tests;
