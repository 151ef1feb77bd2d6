//! The legal furniture of a public website in site.toml: `[links]` (imprint,
//! privacy notice, accessibility, contact, Leichte Sprache, Gebärdensprache
//! and free extra links, shown in every page's footer) and the opt-in
//! `[accessibility_statement]` the theme turns into a page. Values validate
//! while deserializing, so a bad URL is reported with its key and line;
//! rules spanning several keys are in [`AccessibilityStatement::validate`].

use chrono::NaiveDate;
use serde::Deserialize;

/// `[links]`: where the site's footer points. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    pub imprint: Option<LinkUrl>,
    pub privacy: Option<LinkUrl>,
    /// An external accessibility statement; without it the generated one
    /// (`[accessibility_statement]`) is linked, when there is one.
    pub accessibility: Option<LinkUrl>,
    pub contact: Option<LinkUrl>,
    pub easy_language: Option<LinkUrl>,
    pub sign_language: Option<LinkUrl>,
    /// More footer links, after the named ones, in the order given.
    #[serde(default)]
    pub extra: Vec<ExtraLink>,
}

/// One `[links] extra` entry: `{ title = "…", url = "…" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraLink {
    pub title: Text,
    pub url: LinkUrl,
}

/// Text an editor writes (a link title, a limitation): not empty, one line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Text(pub String);

impl TryFrom<String> for Text {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            Err("must not be empty".into())
        } else if trimmed.len() > 2000 {
            Err("is longer than 2000 bytes".into())
        } else {
            Ok(Text(trimmed.to_string()))
        }
    }
}

/// A link target: a path or relative URL (resolved against `base_url`,
/// so `impressum/` lies below the site and `/impressum/` at the root of its
/// host), or an absolute `https:`, `http:` or `mailto:` URL on any host.
/// Links are followed by the reader, never loaded by the page, so any host
/// is fine for the privacy check.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct LinkUrl(String);

impl TryFrom<String> for LinkUrl {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        if s.is_empty() {
            return Err("must not be empty; leave the key out instead".into());
        }
        if s.len() > 2000 {
            let start: String = s.chars().take(40).collect();
            return Err(format!("`{start}…` is longer than 2000 bytes"));
        }
        // A space or control character is a typo; a backslash is read as `/`
        // by browsers, which would turn `/\host` into a link to another host.
        if s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        {
            return Err(format!(
                "`{s}` contains a space, control character or backslash; percent-encode it"
            ));
        }
        if let Some(scheme) = scheme_of(&s) {
            let url = url::Url::parse(&s).map_err(|e| format!("`{s}` is not a valid URL: {e}"))?;
            return match scheme.to_ascii_lowercase().as_str() {
                "https" | "http" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(LinkUrl(s)),
                "mailto" if url.path().contains('@') => Ok(LinkUrl(s)),
                "https" | "http" => Err(format!("`{s}` has no host")),
                "mailto" => Err(format!("`{s}` names no address (mailto:name@host)")),
                _ => Err(format!(
                    "`{s}`: only https:, http: and mailto: links, or a path relative to base_url"
                )),
            };
        }
        if s.starts_with("//") {
            return Err(format!(
                "`{s}` is a link to another host without a scheme; write it with https://"
            ));
        }
        Ok(LinkUrl(s))
    }
}

/// The scheme of `s` when it has one (`name:` before any `/`, `?` or `#`).
fn scheme_of(s: &str) -> Option<&str> {
    let end = s.find([':', '/', '?', '#'])?;
    let scheme = &s[..end];
    let is_scheme = s[end..].starts_with(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then_some(scheme)
}

impl LinkUrl {
    /// The absolute address: relative links resolved against `base` (the
    /// site's base URL without a trailing slash, as the render uses it).
    pub fn resolve(&self, base: &str) -> String {
        if scheme_of(&self.0).is_some() {
            return self.0.clone();
        }
        url::Url::parse(&format!("{base}/"))
            .and_then(|b| b.join(&self.0))
            .map(|u| u.to_string())
            .unwrap_or_else(|_| format!("{base}/{}", self.0.trim_start_matches('/')))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address for the feedback mechanism, shown as a `mailto:` link.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Email(pub String);

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let local_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 64
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&b))
        };
        let domain_ok = |d: &str| {
            d.contains('.')
                && d.len() <= 253
                && d.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        && !label.starts_with('-')
                })
        };
        match s.split_once('@') {
            Some((local, domain)) if local_ok(local) && domain_ok(domain) => Ok(Email(s)),
            _ => Err(format!(
                "`{s}` is not an e-mail address of the form name@host.example (ASCII only)"
            )),
        }
    }
}

/// How far the site meets the requirements (BITV 2.0 / EN 301 549).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Conformance {
    /// "vollständig vereinbar"
    Fully,
    /// "teilweise vereinbar": list the limitations.
    Partially,
    /// "nicht vereinbar": list the limitations.
    Not,
}

impl Conformance {
    pub fn key(self) -> &'static str {
        match self {
            Conformance::Fully => "fully",
            Conformance::Partially => "partially",
            Conformance::Not => "not",
        }
    }
}

/// How the status was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Assessment {
    /// The agency's own evaluation.
    #[serde(rename = "self")]
    SelfAssessment,
    /// A test by a third party.
    External,
}

/// One part of the site that is not (fully) accessible.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limitation {
    /// What is not accessible.
    pub text: Text,
    /// Why (disproportionate burden, content not in the agency's control, …).
    pub reason: Option<Text>,
    /// Where an accessible alternative is.
    pub alternative: Option<Text>,
}

/// `[accessibility_statement]`: the facts of the generated statement page;
/// the fixed wording comes from the theme's translation table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityStatement {
    /// Who publishes the site (default: the site's `title`).
    pub organisation: Option<Text>,
    pub status: Conformance,
    /// The day the statement was prepared.
    #[serde(deserialize_with = "day")]
    pub prepared: NaiveDate,
    /// The day it was last reviewed.
    #[serde(default, deserialize_with = "super::toml_date")]
    pub reviewed: Option<NaiveDate>,
    pub assessment: Option<Assessment>,
    /// The feedback mechanism: an address, a contact form, or both.
    pub email: Option<Email>,
    pub contact_url: Option<LinkUrl>,
    #[serde(default)]
    pub limitations: Vec<Limitation>,
    /// Replace the theme's feedback paragraph.
    pub feedback_text: Option<Text>,
    /// Replace the theme's paragraph on the conciliation procedure.
    pub enforcement_text: Option<Text>,
    /// Replace the name and address of the conciliation body (e.g. a
    /// Land's own body instead of the federal one).
    pub enforcement_title: Option<Text>,
    pub enforcement_url: Option<LinkUrl>,
}

/// The federal conciliation body under § 16 BGG.
pub const FEDERAL_ENFORCEMENT_URL: &str = "https://schlichtungsstelle-bgg.de/";

fn day<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    use serde::de::Error as _;
    super::toml_date(d)?.ok_or_else(|| D::Error::custom("a day is needed"))
}

impl AccessibilityStatement {
    /// Rules across the table's keys; the message names the keys.
    pub fn validate(&self) -> Result<(), String> {
        let table = "[accessibility_statement]";
        if self.email.is_none() && self.contact_url.is_none() {
            return Err(format!(
                "{table} needs `email` or `contact_url` (or both): the statement must offer a way to report barriers"
            ));
        }
        match (self.status, self.limitations.is_empty()) {
            (Conformance::Fully, false) => {
                return Err(format!(
                    "{table} says `status = \"fully\"` but lists `limitations`; remove them or set `status = \"partially\"`"
                ))
            }
            (Conformance::Partially | Conformance::Not, true) => {
                return Err(format!(
                    "{table} `status = \"{}\"` needs `limitations`: which parts are not accessible, and why",
                    self.status.key()
                ))
            }
            _ => {}
        }
        if self.reviewed.is_some_and(|r| r < self.prepared) {
            return Err(format!(
                "{table} `reviewed` lies before `prepared`; the review follows the preparation"
            ));
        }
        if self.enforcement_title.is_some() != self.enforcement_url.is_some() {
            return Err(format!(
                "{table} sets only one of `enforcement_title` and `enforcement_url`; another conciliation body needs both"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
