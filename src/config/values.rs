//! The checked values of site.toml: newtypes that validate while
//! deserializing, so a bad value is reported with its key and line.

use serde::Deserialize;

use crate::model::Visibility;

/// A byte count of at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct PositiveBytes(pub u64);

impl TryFrom<i64> for PositiveBytes {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, String> {
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
    fn try_from(s: String) -> Result<Self, String> {
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

/// A count that must be at least 1 (a page of zero toots makes no sense).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct PositiveCount(pub usize);

impl TryFrom<i64> for PositiveCount {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, String> {
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
    fn try_from(s: String) -> Result<Self, String> {
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

pub use crate::model::Handle;

/// An absolute http(s) URL, kept without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct BaseUrl(pub url::Url);

impl TryFrom<String> for BaseUrl {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        // `example.org/news` (no scheme) is a common slip; `example.org:8080`
        // even parses, with `example.org` as its scheme.
        if !s.contains("://") {
            let guess = format!("https://{s}");
            if BaseUrl::try_from(guess.clone()).is_ok() {
                return Err(format!("`{s}` has no scheme; did you mean \"{guess}\"?"));
            }
        }
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
    fn try_from(s: String) -> Result<Self, String> {
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
    fn try_from(s: String) -> Result<Self, String> {
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
    fn try_from(s: String) -> Result<Self, String> {
        if crate::model::is_safe_id(&s) {
            Ok(ThemeName(s))
        } else {
            Err(format!(
                "theme `{s}` must be a folder name (letters, digits, - and _)"
            ))
        }
    }
}
