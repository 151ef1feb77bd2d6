//! Machine-readable metadata of a permalink page: schema.org
//! `SocialMediaPosting` as JSON-LD, and the first image a link preview may
//! show (OpenGraph). The JSON-LD goes into a data block
//! (`<script type="application/ld+json">`), which browsers never execute, so
//! the theme's `script-src 'none'` holds.
//!
//! Like the meta description, nothing here reveals what a toot hides: a toot
//! with a content warning contributes the warning, not its text, and no image
//! of a toot with a warning or sensitive media is named.

use serde_json::{json, Map, Value};

use super::view::{MediaView, TootView};
use crate::sanitize::{self, SafeHtml};

/// The image a link preview of this toot may show: the first mirrored
/// image, unless the toot hides its media behind a warning.
pub(super) fn preview_image(toot: &TootView) -> Option<&MediaView> {
    if toot.sensitive || !toot.cw.is_empty() {
        return None;
    }
    toot.media
        .iter()
        .find(|m| m.kind == "image" && m.url.is_some())
}

/// The `SocialMediaPosting` of a toot page, ready to print with `| safe`.
pub(super) fn posting(toot: &TootView, site_title: &str, base: &str, site_lang: &str) -> SafeHtml {
    let mut v = Map::new();
    let mut put = |key: &str, value: Value| {
        v.insert(key.to_string(), value);
    };
    put("@context", json!("https://schema.org"));
    put("@type", json!("SocialMediaPosting"));
    put("@id", json!(toot.page_url));
    put("url", json!(toot.page_url));
    put("mainEntityOfPage", json!(toot.page_url));
    put("headline", json!(toot.title));
    if !toot.summary.is_empty() {
        put("description", json!(toot.summary));
    }
    put(
        "inLanguage",
        json!(toot.lang.as_deref().unwrap_or(site_lang)),
    );
    put("datePublished", json!(toot.created_iso));
    if let Some(edited) = &toot.edited_iso {
        put("dateModified", json!(edited));
    }
    let mut author = json!({
        // The mirrored account is the publisher's own; a boosted post is
        // somebody else's.
        "@type": if toot.boosted_by.is_some() { "Person" } else { "Organization" },
        "name": toot.author.name,
        "alternateName": format!("@{}", toot.author.acct),
    });
    if !toot.author.url.is_empty() {
        author["url"] = json!(toot.author.url);
    }
    put("author", author);
    put(
        "publisher",
        json!({"@type": "Organization", "name": site_title, "url": format!("{base}/")}),
    );
    if let Some(original) = &toot.original_url {
        put("sameAs", json!(original));
    }
    if !toot.tags.is_empty() {
        let names: Vec<&str> = toot.tags.iter().map(|t| t.name.as_str()).collect();
        put("keywords", json!(names.join(", ")));
    }
    if let Some(image) = preview_image(toot) {
        let mut object = json!({
            "@type": "ImageObject",
            "contentUrl": image.url,
        });
        if !image.alt.is_empty() {
            object["description"] = json!(image.alt);
        }
        if let (Some(w), Some(h)) = (image.width, image.height) {
            object["width"] = json!(w);
            object["height"] = json!(h);
        }
        put("image", object);
    }
    if let Some(card) = &toot.card {
        put(
            "sharedContent",
            json!({"@type": "WebPage", "url": card.url, "name": card.title}),
        );
    }
    sanitize::json_data(&Value::Object(v))
}

#[cfg(test)]
mod tests;
