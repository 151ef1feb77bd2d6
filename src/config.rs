//! `site.toml` → [`SiteConfig`].
//!
//! [`parse`] is pure and does all validation, so every rule is unit tested
//! without a disk; [`load`] only reads the file. Values that need checking
//! (handles, URLs, time zones, visibilities) are newtypes that validate while
//! deserializing, so the TOML parser reports the key *and* the line of a bad
//! value, exactly as it does for a typo in a key name.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::Visibility;

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
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            reconcile_hours: default_reconcile_hours(),
            max_media_bytes: default_max_media_bytes(),
            max_rate_limit_wait_secs: default_rate_limit_wait(),
            media: true,
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

/// A byte count of at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct PositiveBytes(pub u64);

impl TryFrom<i64> for PositiveBytes {
    type Error = String;
    fn try_from(n: i64) -> std::result::Result<Self, String> {
        u64::try_from(n)
            .ok()
            .filter(|n| *n > 0)
            .map(PositiveBytes)
            .ok_or_else(|| format!("must be a positive number of bytes, not {n}"))
    }
}

/// An environment variable name: `A-Z`, `0-9` and `_`, not starting with a
/// digit. The token itself never appears in site.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct EnvVarName(pub String);

impl TryFrom<String> for EnvVarName {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 128
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(EnvVarName(s))
        } else {
            Err(format!(
                "`{s}` is not an environment variable name (A-Z, 0-9 and _); put the name of the variable here, never the token"
            ))
        }
    }
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

/// A count that must be at least 1 (a page of zero toots makes no sense).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct PositiveCount(pub usize);

impl TryFrom<i64> for PositiveCount {
    type Error = String;
    fn try_from(n: i64) -> std::result::Result<Self, String> {
        if (1..=10_000).contains(&n) {
            Ok(PositiveCount(n as usize))
        } else {
            Err(format!("must be between 1 and 10000, not {n}"))
        }
    }
}

/// A visibility that may be published: `public` or `unlisted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct PublishedVisibility(pub Visibility);

impl TryFrom<String> for PublishedVisibility {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        match s.as_str() {
            "public" => Ok(PublishedVisibility(Visibility::Public)),
            "unlisted" => Ok(PublishedVisibility(Visibility::Unlisted)),
            "private" | "direct" => Err(format!(
                "`{s}` toots are never published; allowed are \"public\" and \"unlisted\""
            )),
            _ => Err(format!(
                "unknown visibility `{s}`; allowed are \"public\" and \"unlisted\""
            )),
        }
    }
}

/// `@user@host`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Handle {
    pub user: String,
    pub host: String,
}

impl TryFrom<String> for Handle {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        let bad = || format!("`{s}` is not a handle of the form \"@user@host\"");
        let rest = s.strip_prefix('@').ok_or_else(bad)?;
        let (user, host) = rest.split_once('@').ok_or_else(bad)?;
        let user_ok = !user.is_empty()
            && user.len() <= 64
            && user
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
            && !user.starts_with('.');
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
            })
            || host_with_port(host);
        if user_ok && host_ok {
            Ok(Handle {
                user: user.to_string(),
                host: host.to_ascii_lowercase(),
            })
        } else {
            Err(bad())
        }
    }
}

/// `localhost:8080` style hosts are allowed for local test servers.
fn host_with_port(host: &str) -> bool {
    match host.rsplit_once(':') {
        Some((name, port)) => {
            port.parse::<u16>().is_ok()
                && !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        }
        None => false,
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}@{}", self.user, self.host)
    }
}

impl Serialize for Handle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An absolute http(s) URL, kept without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct BaseUrl(pub url::Url);

impl TryFrom<String> for BaseUrl {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        let url = url::Url::parse(&s).map_err(|e| format!("`{s}` is not a valid URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "`{s}` must be an http:// or https:// URL with a host"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("`{s}` must not have a query or fragment"));
        }
        Ok(BaseUrl(url))
    }
}

impl BaseUrl {
    /// The URL as text without a trailing slash, ready for `{base}/path`.
    pub fn trimmed(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// The path part without a trailing slash (`""` for a site at the root).
    pub fn path_prefix(&self) -> &str {
        self.0.path().trim_end_matches('/')
    }
}

/// The site's language code (`de`, `en`, or any other for which the theme
/// has a translation table `i18n/<code>.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Language(pub String);

impl Default for Language {
    fn default() -> Self {
        Language("de".into())
    }
}

impl TryFrom<String> for Language {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        if (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(Language(s))
        } else {
            Err(format!(
                "`{s}` is not a language code; use \"de\" or \"en\" (or a code your theme has an i18n file for)"
            ))
        }
    }
}

impl Language {
    pub fn code(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "String")]
pub struct TimeZone(pub chrono_tz::Tz);

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone(chrono_tz::Europe::Berlin)
    }
}

impl TryFrom<String> for TimeZone {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        s.parse::<chrono_tz::Tz>().map(TimeZone).map_err(|_| {
            format!("unknown time zone `{s}`; use an IANA name such as \"Europe/Berlin\"")
        })
    }
}

/// A theme folder name under `themes/`: no path separators.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ThemeName(pub String);

impl TryFrom<String> for ThemeName {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        if crate::model::is_safe_id(&s) {
            Ok(ThemeName(s))
        } else {
            Err(format!(
                "theme `{s}` must be a folder name (letters, digits, - and _)"
            ))
        }
    }
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
#[path = "config_tests.rs"]
mod tests;
