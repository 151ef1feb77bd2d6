//! The legal furniture of every page: the footer links of `[links]` (in a
//! fixed order, labelled in the site's language) and the generated
//! accessibility statement of `[accessibility_statement]`
//! (`barrierefreiheit/` on a German site, `accessibility/` otherwise, from
//! the template `accessibility_statement.html`). Plain values in, context
//! and one output file out.

use chrono::{Datelike, NaiveDate, TimeZone as _};
use serde::Serialize;
use tera::Context;

use super::sitemap::SitemapEntry;
use super::theme::{I18n, Theme};
use super::{html, Sink};
use crate::config::{AccessibilityStatement, Assessment, LinkUrl, SiteConfig};
use crate::error::{Error, Result};

/// One link of the footer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FooterLink {
    /// `imprint`, `privacy`, …, or `extra` for the free list.
    pub key: &'static str,
    pub title: String,
    pub url: String,
    /// On another host than the site: the template adds `rel="noreferrer"`.
    pub external: bool,
}

/// The statement's folder: German sites say `barrierefreiheit`, every other
/// language `accessibility`.
pub(crate) fn statement_slug(language: &str) -> &'static str {
    if language == "de" {
        "barrierefreiheit"
    } else {
        "accessibility"
    }
}

/// The footer links in their fixed order: imprint, privacy, accessibility,
/// contact, Leichte Sprache, Gebärdensprache, then `extra` as listed.
/// Accessibility falls back to the generated statement.
pub(crate) fn footer_links(config: &SiteConfig, base: &str, i18n: &I18n) -> Vec<FooterLink> {
    let links = &config.links;
    let statement = config
        .accessibility_statement
        .as_ref()
        .map(|_| format!("{base}/{}/", statement_slug(config.language.code())));
    let named: [(&'static str, Option<String>); 6] = [
        ("imprint", resolved(&links.imprint, base)),
        ("privacy", resolved(&links.privacy, base)),
        (
            "accessibility",
            resolved(&links.accessibility, base).or(statement),
        ),
        ("contact", resolved(&links.contact, base)),
        ("easy_language", resolved(&links.easy_language, base)),
        ("sign_language", resolved(&links.sign_language, base)),
    ];
    let own = url::Url::parse(base).ok();
    let external = |url: &str| match (url::Url::parse(url), &own) {
        (Ok(u), Some(own)) => u.scheme() != "mailto" && u.origin() != own.origin(),
        _ => false,
    };
    named
        .into_iter()
        .filter_map(|(key, url)| Some((key, i18n.get(&format!("link_{key}")), url?)))
        .chain(
            links
                .extra
                .iter()
                .map(|e| ("extra", e.title.0.clone(), e.url.resolve(base))),
        )
        .map(|(key, title, url)| FooterLink {
            key,
            title,
            external: external(&url),
            url,
        })
        .collect()
}

fn resolved(link: &Option<LinkUrl>, base: &str) -> Option<String> {
    link.as_ref().map(|l| l.resolve(base))
}

#[derive(Serialize)]
struct StatementContext {
    url: String,
    organisation: String,
    status: &'static str,
    status_text: String,
    limitations: Vec<LimitationContext>,
    prepared_text: String,
    reviewed_text: Option<String>,
    assessment_text: Option<String>,
    feedback_text: String,
    email: Option<String>,
    contact_url: Option<String>,
    enforcement_text: String,
    enforcement_title: String,
    enforcement_url: String,
}

#[derive(Serialize)]
struct LimitationContext {
    text: String,
    reason: Option<String>,
    alternative: Option<String>,
}

/// Renders the statement page when `[accessibility_statement]` is set and
/// returns its sitemap entry. An editorial page with the same slug is an
/// error naming that page (the address is reserved for the statement).
pub(crate) fn statement_page(
    sink: &dyn Sink,
    config: &SiteConfig,
    base: &str,
    theme: &Theme,
    base_context: &Context,
    pages: &crate::pages::Pages,
) -> Result<Option<SitemapEntry>> {
    let Some(statement) = &config.accessibility_statement else {
        return Ok(None);
    };
    let slug = statement_slug(config.language.code());
    if let Some(page) = pages.pages.iter().find(|p| p.slug == slug) {
        return Err(Error::Config {
            path: page.source.clone(),
            line: None,
            message: format!(
                "the page address `{slug}/` is reserved for the accessibility statement of [accessibility_statement] in site.toml; set another `slug` or remove that table"
            ),
        });
    }
    let url = format!("{base}/{slug}/");
    let view = statement_view(statement, config, base, &theme.i18n, url.clone());
    let mut ctx = base_context.clone();
    ctx.insert("section", "statement");
    ctx.insert("statement", &view);
    sink.put(html(
        format!("{slug}/index.html"),
        theme.render_bytes("accessibility_statement.html", &ctx)?,
    ))?;
    // The day of the last change, at midnight in the site's time zone.
    let changed = statement.reviewed.unwrap_or(statement.prepared);
    let lastmod = config
        .timezone
        .0
        .from_local_datetime(&changed.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc));
    Ok(Some(SitemapEntry { url, lastmod }))
}

fn statement_view(
    s: &AccessibilityStatement,
    config: &SiteConfig,
    base: &str,
    i18n: &I18n,
    url: String,
) -> StatementContext {
    let text = |t: &Option<crate::config::Text>, key: &str| {
        t.as_ref()
            .map(|t| t.0.clone())
            .unwrap_or_else(|| i18n.get(key))
    };
    let day = |d: &NaiveDate| day_text(d, i18n);
    StatementContext {
        url,
        organisation: s
            .organisation
            .as_ref()
            .map(|o| o.0.clone())
            .unwrap_or_else(|| config.title.clone()),
        status: s.status.key(),
        status_text: i18n.get(&format!("statement_status_{}", s.status.key())),
        limitations: s
            .limitations
            .iter()
            .map(|l| LimitationContext {
                text: l.text.0.clone(),
                reason: l.reason.as_ref().map(|t| t.0.clone()),
                alternative: l.alternative.as_ref().map(|t| t.0.clone()),
            })
            .collect(),
        prepared_text: i18n
            .get("statement_prepared")
            .replace("{date}", &day(&s.prepared)),
        reviewed_text: s
            .reviewed
            .map(|r| i18n.get("statement_reviewed").replace("{date}", &day(&r))),
        assessment_text: s.assessment.map(|a| {
            i18n.get(match a {
                Assessment::SelfAssessment => "statement_assessment_self",
                Assessment::External => "statement_assessment_external",
            })
        }),
        feedback_text: text(&s.feedback_text, "statement_feedback"),
        email: s.email.as_ref().map(|e| e.0.clone()),
        contact_url: s.contact_url.as_ref().map(|u| u.resolve(base)),
        enforcement_text: text(&s.enforcement_text, "statement_enforcement"),
        enforcement_title: text(&s.enforcement_title, "statement_enforcement_body"),
        enforcement_url: s
            .enforcement_url
            .as_ref()
            .map(|u| u.resolve(base))
            .unwrap_or_else(|| crate::config::FEDERAL_ENFORCEMENT_URL.to_string()),
    }
}

/// A day as the translation table's `day_format` writes it.
fn day_text(day: &NaiveDate, i18n: &I18n) -> String {
    i18n.get("day_format")
        .replace("{dd}", &format!("{:02}", day.day()))
        .replace("{d}", &day.day().to_string())
        .replace("{month}", &i18n.months[day.month0() as usize])
        .replace("{m}", &day.month().to_string())
        .replace("{yyyy}", &day.year().to_string())
}

#[cfg(test)]
mod tests;
