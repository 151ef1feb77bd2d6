//! Machine-readable metadata of a permalink page: schema.org
//! `SocialMediaPosting` as JSON-LD, and the first image a link preview may
//! show (OpenGraph). The JSON-LD goes into a data block
//! (`<script type="application/ld+json">`), which browsers never execute, so
//! the theme's `script-src 'none'` holds.
//!
//! Like the meta description, nothing here reveals what a toot hides: a toot
//! with a content warning contributes the warning, not its text, and no image
//! of a toot with a warning or sensitive media is named.

use serde::Serialize;

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
///
/// Written from structs rather than a `serde_json` map: no map of owned keys
/// and values is built per page. The fields are declared in the order a
/// `serde_json` map (a `BTreeMap`: keys sorted by bytes) wrote them, so the
/// bytes are those of the map this replaced (`tests.rs` compares the two).
pub(super) fn posting(toot: &TootView, site_title: &str, base: &str, site_lang: &str) -> SafeHtml {
    let image = preview_image(toot).map(|image| {
        let size = image.width.zip(image.height);
        Image {
            kind: "ImageObject",
            content_url: &image.url,
            description: (!image.alt.is_empty()).then_some(image.alt.as_str()),
            height: size.map(|(_, h)| h),
            width: size.map(|(w, _)| w),
        }
    });
    let posting = Posting {
        context: "https://schema.org",
        id: &toot.page_url,
        kind: "SocialMediaPosting",
        author: Author {
            // The mirrored account is the publisher's own; a boosted post is
            // somebody else's.
            kind: if toot.boosted_by.is_some() {
                "Person"
            } else {
                "Organization"
            },
            alternate_name: format!("@{}", toot.author.acct),
            name: &toot.author.name,
            url: (!toot.author.url.is_empty()).then_some(toot.author.url.as_str()),
        },
        date_modified: toot.edited_iso.as_deref(),
        date_published: &toot.created_iso,
        description: (!toot.summary.is_empty()).then_some(toot.summary.as_str()),
        headline: &toot.title,
        image,
        in_language: toot.lang.as_deref().unwrap_or(site_lang),
        keywords: (!toot.tags.is_empty()).then(|| {
            let names: Vec<&str> = toot.tags.iter().map(|t| t.name.as_str()).collect();
            names.join(", ")
        }),
        main_entity_of_page: &toot.page_url,
        publisher: Named {
            kind: "Organization",
            name: site_title,
            url: format!("{base}/"),
        },
        same_as: toot.original_url.as_deref(),
        shared_content: toot.card.as_ref().map(|card| Named {
            kind: "WebPage",
            name: &card.title,
            url: card.url.clone(),
        }),
        url: &toot.page_url,
    };
    sanitize::json_data(&posting)
}

/// The posting's members, in sorted key order (see [`posting`]).
#[derive(Serialize)]
struct Posting<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Author<'a>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<Image<'a>>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Named<'a>,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
    #[serde(rename = "sharedContent", skip_serializing_if = "Option::is_none")]
    shared_content: Option<Named<'a>>,
    url: &'a str,
}

#[derive(Serialize)]
struct Author<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: String,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// The publisher and a shared page: a type, a name and a URL.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Image<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "contentUrl")]
    content_url: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
}

#[cfg(test)]
mod tests;
