//! ActivityPub (ActivityStreams 2.0 JSON, as Mastodon writes it) → our
//! [`Toot`]: the one mapping, shared by the export import and sync's outbox
//! source (which also uses [`item_id`], [`featured_ids`] and [`href`]).
//!
//! Pure: a `serde_json::Value` goes in, a `Toot` (or a [`Boost`]) comes out;
//! no I/O, no clock. Remote data is hostile, so every field is read
//! defensively: a missing or oddly typed optional field is left out, and only
//! what a toot cannot exist without (a status id that is safe as a file name,
//! a publication date) makes an item fail with a [`MapError`] naming it.
//!
//! What it handles, following Mastodon's serializers and parser:
//! - visibility from the addressing (`to`/`cc`, with `as:Public` and `Public`
//!   accepted as the public collection; an object lacking `to` or `cc` takes
//!   the activity's, as Mastodon does), the most restrictive of the
//!   activity's and the object's addressing winning;
//! - `summary` → content warning, `sensitive`, `contentMap` → language,
//!   `updated` → edit date, `inReplyTo` (self-replies marked with the account
//!   id), `url` (the `id` when there is none, as Mastodon does);
//! - `attachment[]`: documents become [`Media`] without a mirrored file (the
//!   caller mirrors them), a `Link` (Mastodon 4.7+) becomes a bare [`Card`];
//! - `tag[]` → hashtags, mentions and custom emoji;
//! - `Question` → [`Poll`] (`oneOf`/`anyOf`, `endTime`, `closed`, `votersCount`);
//! - quotes under any of the names servers use (`quote`, `quoteUri`,
//!   `_misskey_quote`, `quoteUrl`);
//! - relative URLs (export archives rewrite some), resolved against the
//!   instance origin.
//!
//! Duplicate JSON keys are resolved before this module sees the data:
//! `serde_json::Value` keeps the last occurrence, as browsers and Python do.

use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

mod items;
mod objects;
mod parts;

pub use items::{featured_ids, href, item_id};
pub(crate) use objects::Kind;
pub(crate) use parts::iso_duration_seconds;

use crate::model::{is_safe_id, QuoteRef, ReplyRef, Toot, Visibility, SCHEMA_VERSION};

/// The spellings of the public collection that Mastodon accepts.
pub(crate) const PUBLIC: [&str; 3] = [
    "https://www.w3.org/ns/activitystreams#Public",
    "as:Public",
    "Public",
];

/// What the mapping needs to know about the account whose posts it reads.
#[derive(Debug, Clone)]
pub struct Context {
    /// The actor's `id`, e.g. `https://host/users/news` or `https://host/ap/users/123`.
    pub actor: String,
    /// The actor's followers collection, to tell followers-only from direct.
    pub followers: Option<String>,
    /// Base for relative URLs: the instance origin.
    pub base: Url,
    /// The account's id on its server, when known; marks self-replies.
    pub account_id: Option<String>,
    /// The host of the account's handle; mentions of local accounts get the
    /// short `acct` (`user`) as in the REST API.
    pub local_host: String,
}

impl Context {
    /// A context for `actor` (absolute, or relative to `https://<local_host>/`).
    /// The account id is taken from a numeric `/ap/users/<id>` actor URI.
    pub fn new(actor: &str, local_host: &str) -> Context {
        let fallback = Url::parse(&format!("https://{local_host}/"))
            .unwrap_or_else(|_| Url::parse("https://invalid.invalid/").expect("valid URL"));
        let actor_url = fallback.join(actor).ok();
        let base = actor_url
            .as_ref()
            .and_then(|u| u.join("/").ok())
            .unwrap_or(fallback);
        let account_id = actor_url.as_ref().and_then(|u| {
            let segments: Vec<&str> = u.path_segments()?.filter(|s| !s.is_empty()).collect();
            match segments.as_slice() {
                [.., "ap", "users", id] if id.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(id.to_string())
                }
                _ => None,
            }
        });
        Context {
            actor: actor_url.map_or_else(|| actor.to_string(), |u| u.to_string()),
            followers: None,
            base,
            account_id,
            local_host: local_host.to_string(),
        }
    }

    /// Resolves a possibly relative URL; `None` for anything but http(s).
    pub fn resolve(&self, value: &str) -> Option<String> {
        let url = self.base.join(value.trim()).ok()?;
        matches!(url.scheme(), "https" | "http").then(|| url.to_string())
    }
}

/// One outbox item, mapped.
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    /// A `Create` of a `Note` or `Question`.
    Post(Box<Toot>),
    /// An `Announce`: a boost, whose boosted post is usually only a URI.
    Boost(Boost),
    /// Anything else (its `type`), which a mirror ignores.
    Other(String),
}

/// A boost as the outbox lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Boost {
    /// The status id of the boost itself.
    pub id: String,
    /// The activity URI (`…/statuses/<id>/activity`), also its `uri` and `url`.
    pub uri: String,
    pub created_at: DateTime<Utc>,
    pub visibility: Visibility,
    pub object: BoostObject,
}

/// The boosted post: a URI to resolve, or the post itself when inlined.
#[derive(Debug, Clone, PartialEq)]
pub enum BoostObject {
    Uri(String),
    Inline(Box<Toot>),
}

/// Why one item could not be mapped; `id` is the item's URI when it has one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{id}: {message}")]
pub struct MapError {
    pub id: String,
    pub message: String,
}

fn fail(item: &Value, message: impl Into<String>) -> MapError {
    MapError {
        id: str_of(item, "id")
            .unwrap_or("(item without id)")
            .to_string(),
        message: message.into(),
    }
}

/// Maps one outbox item (`Create`, `Announce`, anything else).
pub fn activity(item: &Value, ctx: &Context) -> Result<Activity, MapError> {
    let kind = str_of(item, "type").unwrap_or("");
    match kind {
        "Create" => {
            let object = item.get("object").unwrap_or(&Value::Null);
            if !object.is_object() {
                return Err(fail(item, "the created object is not embedded"));
            }
            if Kind::of(object).is_none() {
                let other = str_of(object, "type").unwrap_or("?");
                return Ok(Activity::Other(format!("Create/{other}")));
            }
            let mut toot = note(object, ctx, Some(item))?;
            if has_addressing(object) && has_addressing(item) {
                toot.visibility = toot.visibility.max(addressed(item, ctx));
            }
            Ok(Activity::Post(Box::new(toot)))
        }
        "Announce" => {
            let uri = uri_of(item, ctx).ok_or_else(|| fail(item, "no id"))?;
            let id = status_id(&uri)
                .ok_or_else(|| fail(item, "the id does not end in a safe status id"))?;
            let created_at = date_of(item, "published")
                .ok_or_else(|| fail(item, "no valid `published` date"))?;
            let object = match item.get("object") {
                Some(Value::String(s)) => {
                    BoostObject::Uri(ctx.resolve(s).unwrap_or_else(|| s.clone()))
                }
                Some(inner @ Value::Object(_)) => {
                    BoostObject::Inline(Box::new(note(inner, ctx, None)?))
                }
                _ => return Err(fail(item, "no boosted object")),
            };
            Ok(Activity::Boost(Boost {
                id,
                uri,
                created_at,
                visibility: addressed(item, ctx),
                object,
            }))
        }
        other => Ok(Activity::Other(other.to_string())),
    }
}

/// Maps a post-like object (`Note`, `Question`, `Article`, `Page`, `Video`,
/// `Audio`, `Image`, `Event`; see `objects.rs`). `create` is the activity
/// around it, used for the date and addressing when the object lacks them.
pub fn note(object: &Value, ctx: &Context, create: Option<&Value>) -> Result<Toot, MapError> {
    let uri = uri_of(object, ctx).ok_or_else(|| fail(object, "no id"))?;
    let id =
        status_id(&uri).ok_or_else(|| fail(object, "the id does not end in a safe status id"))?;
    let created_at = date_of(object, "published")
        .or_else(|| create.and_then(|c| date_of(c, "published")))
        .ok_or_else(|| fail(object, "no valid `published` date"))?;
    let null = Value::Null;
    let field = |key: &str| {
        object
            .get(key)
            .filter(|v| !v.is_null())
            .or_else(|| create.and_then(|c| c.get(key)))
            .unwrap_or(&null)
    };
    let visibility = visibility(field("to"), field("cc"), ctx.followers.as_deref());
    let kind = Kind::of(object).unwrap_or(Kind::Note);
    let (content, language) = objects::content_and_language(object);
    let content = objects::text_as_html(object, content);
    let language = language.or_else(|| objects::language(object));
    let mut toot = Toot {
        schema: SCHEMA_VERSION,
        id,
        url: link_of(object.get("url"), ctx).or_else(|| Some(uri.clone())),
        uri,
        created_at,
        edited_at: date_of(object, "updated").filter(|d| *d >= created_at),
        visibility,
        language,
        title: objects::title(object, kind),
        content,
        // On articles and pages `summary` is a teaser (WordPress writes the
        // excerpt there), a content warning only when marked sensitive.
        spoiler_text: str_of(object, "summary")
            .filter(|_| kind == Kind::Note || object.get("sensitive") == Some(&Value::Bool(true)))
            .unwrap_or("")
            .to_string(),
        sensitive: object.get("sensitive").and_then(Value::as_bool) == Some(true),
        pinned: false,
        media: Vec::new(),
        poll: parts::poll(object).map(Box::new),
        card: None,
        emojis: Vec::new(),
        tags: Vec::new(),
        mentions: Vec::new(),
        in_reply_to: reply(object, ctx).map(Box::new),
        reblog: None,
        quote: quote(object, ctx),
    };
    for (i, attachment) in list(object.get("attachment")).enumerate() {
        match str_of(attachment, "type") {
            Some("Link") => {
                if toot.card.is_none() {
                    toot.card = parts::card(attachment, ctx).map(Box::new);
                }
            }
            _ => toot.media.extend(parts::media(attachment, ctx, i)),
        }
    }
    for tag in list(object.get("tag")) {
        parts::add_tag(&mut toot, tag, ctx);
    }
    if kind == Kind::Media {
        objects::media_from_url(object, ctx, &mut toot);
    }
    toot.normalize();
    Ok(toot)
}

/// The status id in a post's URI: the last path segment, after dropping a
/// trailing `/activity` (boosts); `None` unless it is safe as a file name.
pub fn status_id(uri: &str) -> Option<String> {
    let path = uri.split(['?', '#']).next().unwrap_or("");
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix("/activity").unwrap_or(path);
    let last = path.rsplit('/').next()?;
    is_safe_id(last).then(|| last.to_string())
}

/// Visibility from addressing, following Mastodon's own table: public in
/// `to` → public; public in `cc` → unlisted; the followers collection →
/// followers-only; otherwise direct. No addressing at all is direct too, so a
/// malformed item can only ever be hidden, never exposed.
pub(crate) fn visibility(to: &Value, cc: &Value, followers: Option<&str>) -> Visibility {
    let is_public = |a: &str| PUBLIC.contains(&a);
    let to: Vec<&str> = addresses(to).collect();
    let cc: Vec<&str> = addresses(cc).collect();
    if to.iter().any(|a| is_public(a)) {
        Visibility::Public
    } else if cc.iter().any(|a| is_public(a)) {
        Visibility::Unlisted
    } else if to
        .iter()
        .chain(&cc)
        .any(|a| Some(*a) == followers || a.ends_with("/followers"))
    {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

fn addressed(item: &Value, ctx: &Context) -> Visibility {
    let null = Value::Null;
    visibility(
        item.get("to").unwrap_or(&null),
        item.get("cc").unwrap_or(&null),
        ctx.followers.as_deref(),
    )
}

fn has_addressing(item: &Value) -> bool {
    item.get("to").is_some() || item.get("cc").is_some()
}

/// Address strings of a `to`/`cc` value: a string, or an array of strings or
/// of objects with an `id`.
fn addresses(value: &Value) -> impl Iterator<Item = &str> {
    list(Some(value)).filter_map(|v| v.as_str().or_else(|| str_of(v, "id")))
}

/// A value that may be a single item or an array of items, as items.
pub(super) fn list(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    let items: &[Value] = match value {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => &[],
        Some(single) => std::slice::from_ref(single),
    };
    items.iter()
}

pub(super) fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

pub(super) fn uri_of(value: &Value, ctx: &Context) -> Option<String> {
    str_of(value, "id").and_then(|s| ctx.resolve(s))
}

pub(super) fn date_of(value: &Value, key: &str) -> Option<DateTime<Utc>> {
    let text = str_of(value, key)?;
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// A URL field: a string, a `Link` object (`href`), or an array of either
/// (the first `text/html` link preferred).
pub(super) fn link_of(value: Option<&Value>, ctx: &Context) -> Option<String> {
    let candidates: Vec<&Value> = list(value).collect();
    let html = candidates
        .iter()
        .find(|v| str_of(v, "mediaType") == Some("text/html"));
    let chosen: &Value = html.or(candidates.first())?;
    let href = chosen.as_str().or_else(|| str_of(chosen, "href"))?;
    ctx.resolve(href)
}

fn reply(object: &Value, ctx: &Context) -> Option<ReplyRef> {
    let target = object.get("inReplyTo")?;
    let uri = target.as_str().or_else(|| str_of(target, "id"))?;
    let uri = ctx.resolve(uri)?;
    let own = uri.starts_with(&format!("{}/", ctx.actor.trim_end_matches('/')));
    Some(ReplyRef {
        id: status_id(&uri).unwrap_or_else(|| uri.clone()),
        account_id: if own { ctx.account_id.clone() } else { None },
        url: Some(uri),
    })
}

fn quote(object: &Value, ctx: &Context) -> Option<Box<QuoteRef>> {
    let value = ["quote", "quoteUri", "_misskey_quote", "quoteUrl"]
        .iter()
        .find_map(|key| {
            let v = object.get(*key)?;
            v.as_str().or_else(|| str_of(v, "id"))
        })?;
    Some(Box::new(QuoteRef {
        uri: ctx.resolve(value)?,
        url: None,
        shared: None,
    }))
}

#[cfg(test)]
mod tests;
