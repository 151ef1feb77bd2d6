//! The CMS integration outputs: `embed/latest.html`, an HTML fragment (no
//! `<html>` or `<head>`, class names prefixed `tb-embed`) with the newest
//! toots for a server-side include; `embed/frame.html`, the same fragment as a
//! complete page for an `<iframe>`; `embed/latest.css` (a theme static file);
//! and `embed/latest.json` for CMS import jobs.

use serde::Serialize;
use tera::Context;

use super::feed::{last_change, mirrored, rfc3339};
use super::theme::Theme;
use super::view::TootView;
use super::{Body, OutputFile};
use crate::error::Result;

#[derive(Serialize)]
struct EmbedJson<'a> {
    version: u32,
    title: &'a str,
    home_page_url: String,
    items: Vec<EmbedItem<'a>>,
}

#[derive(Serialize)]
struct EmbedItem<'a> {
    id: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_url: Option<&'a str>,
    title: &'a str,
    /// The content warning; when set, show it before the content.
    cw: &'a str,
    /// Plain-text teaser; empty when a content warning hides the text.
    summary: &'a str,
    /// Sanitized HTML, content warning first, media and poll as HTML.
    content_html: &'a str,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    /// The date as the site writes it, in the site's time zone.
    date_text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    author: &'a str,
    tags: Vec<&'a str>,
    media: Vec<EmbedMedia<'a>>,
}

#[derive(Serialize)]
struct EmbedMedia<'a> {
    kind: &'a str,
    url: &'a str,
    mime_type: &'a str,
    alt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
}

/// Renders the embed files for the newest `toots` (already limited).
pub(crate) fn render(
    theme: &Theme,
    base_context: &Context,
    title: &str,
    base: &str,
    toots: &[&TootView],
) -> Result<Vec<OutputFile>> {
    let mut ctx = base_context.clone();
    ctx.insert("section", "embed");
    ctx.insert("toots", toots);
    let json = EmbedJson {
        version: 1,
        title,
        home_page_url: format!("{base}/"),
        items: toots.iter().map(|t| item(t, theme)).collect(),
    };
    let json_bytes = super::json_bytes(&json, "embed/latest.json")?;
    Ok(vec![
        OutputFile {
            path: "embed/latest.html".into(),
            body: Body::Bytes(theme.render_bytes("embed/latest.html", &ctx)?),
        },
        OutputFile {
            path: "embed/frame.html".into(),
            body: Body::Bytes(theme.render_bytes("embed/frame.html", &ctx)?),
        },
        OutputFile {
            path: "embed/latest.json".into(),
            body: Body::Bytes(json_bytes),
        },
    ])
}

fn item<'a>(toot: &'a TootView, theme: &Theme) -> EmbedItem<'a> {
    let changed = last_change(toot);
    EmbedItem {
        id: &toot.id,
        url: &toot.page_url,
        original_url: toot.original_url.as_deref(),
        title: &toot.title,
        cw: &toot.cw,
        summary: if toot.cw.is_empty() {
            &toot.summary
        } else {
            ""
        },
        content_html: toot.feed_html(&theme.i18n),
        date_published: rfc3339(&toot.created),
        date_modified: (changed > toot.created).then(|| rfc3339(&changed)),
        date_text: &toot.created_text,
        language: toot.lang.as_deref(),
        author: &toot.author.name,
        tags: toot.tags.iter().map(|t| t.name.as_str()).collect(),
        media: mirrored(toot)
            .map(|(m, url, mime)| EmbedMedia {
                kind: m.kind,
                url,
                mime_type: mime,
                alt: &m.alt,
                width: m.width,
                height: m.height,
            })
            .collect(),
    }
}
