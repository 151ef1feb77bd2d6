//! `site.toml` → [`SiteConfig`].
//!
//! [`parse`] is pure and does all validation, so every rule is unit tested
//! without a disk; [`load`] only reads the file. Values that need checking
//! (handles, URLs, time zones, visibilities) are newtypes that validate while
//! deserializing, so the TOML parser reports the key *and* the line of a bad
//! value, exactly as it does for a typo in a key name.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Visibility;

mod legal;
mod values;

pub use legal::{
    AccessibilityStatement, Assessment, Conformance, Email, ExtraLink, Limitation, LinkUrl, Links,
    Text, FEDERAL_ENFORCEMENT_URL,
};

pub use values::{
    BaseUrl, EnvVarName, Handle, Language, PositiveBytes, PositiveCount, PublishedVisibility,
    ThemeName, TimeZone,
};

pub const FILE_NAME: &str = "site.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub base_url: BaseUrl,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub timezone: TimeZone,
    #[serde(default = "default_theme")]
    pub theme: ThemeName,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// Fail the build when a page would load anything from another host.
    #[serde(default = "yes")]
    pub strict_privacy: bool,
    #[serde(default)]
    pub accounts: Vec<AccountConfig>,
    #[serde(default)]
    pub select: Select,
    #[serde(default)]
    pub pages: Pages,
    #[serde(default)]
    pub feeds: Feeds,
    #[serde(default)]
    pub embed: Embed,
    /// Write `robots.txt` (allow all, point to the sitemap). Only useful
    /// when the output is served at the root of its host.
    #[serde(default)]
    pub robots_txt: bool,
    #[serde(default)]
    pub sync: SyncSettings,
    /// Footer links: imprint, privacy, accessibility, … (`config/legal.rs`).
    #[serde(default)]
    pub links: Links,
    /// The generated accessibility statement page, when set.
    #[serde(default)]
    pub accessibility_statement: Option<AccessibilityStatement>,
    /// Open a content warning on the toot's own page (lists and feeds keep
    /// it closed). Off by default, as on Mastodon.
    #[serde(default)]
    pub open_cw_on_permalink: bool,
}

fn yes() -> bool {
    true
}
fn default_theme() -> ThemeName {
    ThemeName("default".into())
}
fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    pub handle: Handle,
    /// Talk to this server instead of the handle's domain (proxies, tests).
    #[serde(default)]
    pub instance: Option<BaseUrl>,
    /// Name of an environment variable holding a read-only access token.
    #[serde(default)]
    pub token_env: Option<EnvVarName>,
    /// Where sync reads toots: the REST API, the ActivityPub outbox, or
    /// the API with the outbox as fallback (`auto`).
    #[serde(default)]
    pub source: SourceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    #[default]
    Auto,
    Api,
    Outbox,
}

/// How `sync` talks to instances.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSettings {
    /// Check every stored toot for deletion and edits when the last full
    /// check is older than this many hours (0: on every sync).
    #[serde(default = "default_reconcile_hours")]
    pub reconcile_hours: u32,
    /// Largest media file mirrored, in bytes.
    #[serde(default = "default_max_media_bytes")]
    pub max_media_bytes: PositiveBytes,
    /// Longest wait for a rate-limit reset before sync stops cleanly.
    #[serde(default = "default_rate_limit_wait")]
    pub max_rate_limit_wait_secs: u64,
    /// Mirror media files (attachments, emoji, card images, avatars).
    #[serde(default = "yes")]
    pub media: bool,
    // Network (issue 15): see source/network.rs and the README section
    // "Networks, proxies and certificates".
    /// A proxy URL for every request (overrides HTTPS_PROXY and friends),
    /// or `none` for no proxy at all.
    #[serde(default)]
    pub proxy: Option<String>,
    /// A PEM bundle of extra CAs to trust, relative to the site folder.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Longest TCP connect + proxy tunnel + TLS handshake.
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_secs: PositiveCount,
    /// Longest silence of a server (until it answers, and within a body).
    #[serde(default = "default_read_timeout")]
    pub read_timeout_secs: PositiveCount,
    /// Longest time for one request, body included.
    #[serde(default = "default_request_timeout")]
    pub request_timeout_secs: PositiveCount,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            reconcile_hours: default_reconcile_hours(),
            max_media_bytes: default_max_media_bytes(),
            max_rate_limit_wait_secs: default_rate_limit_wait(),
            media: true,
            proxy: None,
            ca_file: None,
            connect_timeout_secs: default_connect_timeout(),
            read_timeout_secs: default_read_timeout(),
            request_timeout_secs: default_request_timeout(),
        }
    }
}

fn default_reconcile_hours() -> u32 {
    24
}
fn default_max_media_bytes() -> PositiveBytes {
    PositiveBytes(40 * 1024 * 1024)
}
fn default_rate_limit_wait() -> u64 {
    900
}
fn default_connect_timeout() -> PositiveCount {
    PositiveCount(10)
}
fn default_read_timeout() -> PositiveCount {
    PositiveCount(30)
}
fn default_request_timeout() -> PositiveCount {
    PositiveCount(120)
}

/// Which toots are published.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Select {
    #[serde(default = "default_visibility")]
    pub visibility: Vec<PublishedVisibility>,
    #[serde(default)]
    pub replies: Replies,
    #[serde(default)]
    pub boosts: bool,
    #[serde(default)]
    pub include_tags: Vec<String>,
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    /// Toots created before this day are not published.
    #[serde(default, deserialize_with = "toml_date")]
    pub since: Option<NaiveDate>,
    /// When not empty, only toots in these languages are published.
    #[serde(default)]
    pub languages: Vec<String>,
    /// The site's time zone (copied from `timezone` by [`parse`]), so that
    /// `since` means the day as the site's readers count it.
    #[serde(skip)]
    pub timezone: TimeZone,
}

impl Default for Select {
    fn default() -> Self {
        Select {
            visibility: default_visibility(),
            replies: Replies::default(),
            boosts: false,
            include_tags: Vec::new(),
            exclude_tags: Vec::new(),
            since: None,
            languages: Vec::new(),
            timezone: TimeZone::default(),
        }
    }
}

/// A day written as a TOML date (`since = 2024-01-01`, what editors write)
/// or as a string (`since = "2024-01-01"`).
fn toml_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<NaiveDate>, D::Error> {
    use serde::de::Error as _;
    let text = match toml::Value::deserialize(deserializer)? {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        toml::Value::String(s) => s,
        other => {
            return Err(D::Error::custom(format!(
                "`{other}` is not a day; write it as 2024-01-01"
            )))
        }
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| D::Error::custom(format!("`{text}` is not a day; write it as 2024-01-01")))
}

fn default_visibility() -> Vec<PublishedVisibility> {
    vec![PublishedVisibility(Visibility::Public)]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Replies {
    /// No replies at all.
    None,
    /// Self-replies (threads) only.
    #[default]
    #[serde(rename = "self")]
    OwnThreads,
    /// Also replies to other accounts.
    All,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pages {
    #[serde(default = "default_per_page")]
    pub per_page: PositiveCount,
}

impl Default for Pages {
    fn default() -> Self {
        Pages {
            per_page: default_per_page(),
        }
    }
}

fn default_per_page() -> PositiveCount {
    PositiveCount(20)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feeds {
    /// Items per feed (RSS, Atom, JSON Feed alike).
    #[serde(default = "default_feed_items")]
    pub items: PositiveCount,
    /// Write `tags/<tag>/feed.xml`, `atom.xml` and `feed.json` per hashtag.
    #[serde(default = "yes")]
    pub tags: bool,
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds {
            items: default_feed_items(),
            tags: true,
        }
    }
}

/// The CMS fragment `embed/latest.html` and its data `embed/latest.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Embed {
    /// How many of the newest toots the fragment shows.
    #[serde(default = "default_embed_items")]
    pub items: PositiveCount,
}

impl Default for Embed {
    fn default() -> Self {
        Embed {
            items: default_embed_items(),
        }
    }
}

fn default_embed_items() -> PositiveCount {
    PositiveCount(5)
}

fn default_feed_items() -> PositiveCount {
    PositiveCount(50)
}

/// Parses and validates site.toml text. `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<SiteConfig> {
    let mut config: SiteConfig = toml::from_str(text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        line: e.span().map(|span| line_of(text, span.start)),
        message: e.message().to_string(),
    })?;
    validate(&config).map_err(|message| Error::Config {
        path: path.to_path_buf(),
        line: None,
        message,
    })?;
    config.select.timezone = config.timezone;
    Ok(config)
}

/// Rules that span several keys.
fn validate(config: &SiteConfig) -> std::result::Result<(), String> {
    if config.title.trim().is_empty() {
        return Err("`title` must not be empty".into());
    }
    let mut seen = std::collections::HashSet::new();
    for account in &config.accounts {
        if !seen.insert(&account.handle) {
            return Err(format!(
                "account `{}` is listed twice in [[accounts]]",
                account.handle
            ));
        }
    }
    if config.output_dir.as_os_str().is_empty()
        || config
            .output_dir
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(format!(
            "`output_dir` = {:?} must be a relative folder inside the site",
            config.output_dir
        ));
    }
    if let Some(statement) = &config.accessibility_statement {
        statement.validate()?;
    }
    Ok(())
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

/// Reads and parses `<root>/site.toml`.
pub fn load(root: &Path) -> Result<SiteConfig> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    parse(&text, &path)
}

#[cfg(test)]
mod tests;
