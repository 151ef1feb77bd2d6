//! The normalized toot model that every source writes and every build reads.
//!
//! This is *our* schema, not Mastodon's: the REST API, the ActivityPub outbox and
//! the export archive are all mapped onto these types before anything reaches the
//! store. Field order is declaration order, so the pretty JSON in `content/` is
//! stable and diffs read well in review. Remote HTML (`content`, `note`) is kept
//! exactly as received; it only becomes trusted in `sanitize.rs` at build time.
//!
//! Every struct denies unknown fields, so a typo in a hand-edited store file is
//! reported instead of silently ignored. Empty collections and absent optionals
//! may be left out of a file.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod account;
mod handle;
mod media;
pub mod media_type;
pub mod normalize;

pub use account::{AccountData, AccountState, Tombstone};
pub use handle::Handle;
pub use media::{Focus, Media, MediaKind};

/// Version of the store schema written by this build of tootbridge.
pub const SCHEMA_VERSION: u32 = 1;

/// Who may see a toot, as Mastodon reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl Visibility {
    /// Only these two may ever reach the store or a page.
    pub fn is_storable(self) -> bool {
        matches!(self, Visibility::Public | Visibility::Unlisted)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }
}

/// One post of a mirrored account, as stored in
/// `content/toots/<host>/<user>/<id>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Toot {
    /// Store schema version ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// The server's id, an opaque string (compare with [`compare_ids`]).
    pub id: String,
    /// ActivityPub id of the post.
    pub uri: String,
    /// The HTML permalink on the instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    pub visibility: Visibility,
    /// ISO 639-1 code, when the author set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The post's own title, for the object types that carry one (`Page`
    /// and `Article` from Lemmy, Friendica, WordPress, WriteFreely, ...:
    /// their `name`). Plain text. Mastodon's notes have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Remote HTML exactly as received (untrusted).
    #[serde(default)]
    pub content: String,
    /// The content warning; empty when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub spoiler_text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub pinned: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<Media>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<Box<Poll>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Box<Card>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emojis: Vec<Emoji>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<Box<ReplyRef>>,
    /// Set when this toot is a boost: the boosted post and its author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reblog: Option<Box<SharedToot>>,
    /// Set when this toot quotes another post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Box<QuoteRef>>,
}

impl Toot {
    /// A toot with only its identity set and every optional part empty;
    /// callers fill in what they have (boost wrappers, tests).
    pub fn empty(
        id: String,
        uri: String,
        created_at: DateTime<Utc>,
        visibility: Visibility,
    ) -> Toot {
        Toot {
            schema: SCHEMA_VERSION,
            id,
            uri,
            url: None,
            created_at,
            edited_at: None,
            visibility,
            language: None,
            title: None,
            content: String::new(),
            spoiler_text: String::new(),
            sensitive: false,
            pinned: false,
            media: Vec::new(),
            poll: None,
            card: None,
            emojis: Vec::new(),
            tags: Vec::new(),
            mentions: Vec::new(),
            in_reply_to: None,
            reblog: None,
            quote: None,
        }
    }
}

impl Toot {
    /// Drops the code points no output format may carry from every string
    /// (see [`normalize`]). Sources call it on what a server sent, the store
    /// on what a file holds.
    pub fn normalize(&mut self) {
        normalize::toot(self);
    }

    /// Gives back the spare room of this toot's lists. A JSON list arrives
    /// without its length, so a list of one media item, tag or mention is
    /// read into room for four; a build holds every stored toot, and at
    /// 50,000 toots massif measured that spare room at about 20 MB.
    pub fn shrink_to_fit(&mut self) {
        self.media.shrink_to_fit();
        self.emojis.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.mentions.shrink_to_fit();
        if let Some(poll) = &mut self.poll {
            poll.options.shrink_to_fit();
        }
        for shared in [
            self.reblog.as_deref_mut(),
            self.quote.as_mut().and_then(|q| q.shared.as_mut()),
        ]
        .into_iter()
        .flatten()
        {
            shared.author.emojis.shrink_to_fit();
            shared.toot.shrink_to_fit();
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What a reply answers. `account_id` equal to the mirrored account's id
/// marks a self-reply (a thread part).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyRef {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Where a reader can see the post being answered, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Another account's post carried inside a boost or a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedToot {
    pub author: Author,
    pub toot: Toot,
}

/// A quoted post: at least its id; the full post when the server sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteRef {
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<SharedToot>,
}

/// A short description of an account other than the mirrored one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    /// `user@host`.
    pub acct: String,
    /// Plain text (Mastodon's display names are not HTML).
    #[serde(default)]
    pub display_name: String,
    pub url: String,
    /// Mirrored avatar, relative to `content/media/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emojis: Vec<Emoji>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Poll {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub expired: bool,
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub votes_count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voters_count: Option<u64>,
    pub options: Vec<PollOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PollOption {
    /// Plain text.
    pub title: String,
    /// `None` while the server hides the tallies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes_count: Option<u64>,
}

/// A link preview card. All texts are plain text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub url: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author_name: String,
    /// Mirrored card image, relative to `content/media/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_remote_url: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image_description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// A custom emoji used in a toot or a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emoji {
    pub shortcode: String,
    pub remote_url: String,
    /// Mirrored image, relative to `content/media/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    /// The tag as written, without `#`.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub username: String,
    /// `user` for local accounts, `user@host` for remote ones.
    pub acct: String,
    pub url: String,
}

/// Orders Mastodon ids as the API guidelines ask: by length, then lexically.
pub fn compare_ids(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Whether `id` is safe to use as a file or folder name: ASCII letters,
/// digits, `-` and `_`, 1 to 128 characters. Anything else (a `/`, `..`, a
/// NUL, an empty string) could escape the store or the output folder.
pub fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests;
