//! Views of what a toot carries besides its text: media, poll, link card
//! and quoted post. Every string that came from the network is either
//! escaped by the templates or turned into [`SafeHtml`] here; every URL goes
//! through [`sanitize::safe_url`] or [`Site::media_url`].

use std::collections::HashMap;

use serde::Serialize;

use super::view::{author_view, truncate_words, used_emoji, AuthorView, Site};
use crate::model::{Card, Media, MediaKind, Poll, QuoteRef};
use crate::sanitize::{self, SafeHtml};

#[derive(Debug, Clone, Default, Serialize)]
pub struct MediaView {
    pub kind: &'static str,
    pub url: Option<String>,
    pub preview_url: Option<String>,
    pub mime: Option<String>,
    pub size: Option<u64>,
    /// Alt text; empty when the author gave none.
    pub alt: String,
    /// The alt text or the media kind (link text in feeds).
    pub label: String,
    /// The media kind ("Video", "Audio", "Bild"): a player's accessible
    /// name. Its description is the visible text under it, so assistive
    /// technology reads the description once.
    pub kind_label: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// For lists: the preview and the original with their widths, when both
    /// are mirrored and the preview is the smaller one.
    pub srcset: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PollOptionView {
    pub title: String,
    /// Escaped, with the toot's custom emoji as images.
    pub title_html: SafeHtml,
    pub percent: u64,
    pub votes_text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PollView {
    pub options: Vec<PollOptionView>,
    pub closed: bool,
    pub multiple: bool,
    pub end_text: Option<String>,
    pub end_iso: Option<String>,
    pub total_text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CardView {
    pub url: String,
    pub title: String,
    pub description: String,
    pub provider: String,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub url: String,
    pub author: AuthorView,
    pub cw: String,
    pub cw_html: SafeHtml,
    pub lang: Option<String>,
    pub content: SafeHtml,
}

pub(super) fn quote_view(
    q: &QuoteRef,
    site: &Site<'_>,
    emoji_urls: &mut Vec<String>,
) -> Option<QuoteView> {
    let shared = q.shared.as_ref()?;
    let toot = &shared.toot;
    if !toot.visibility.is_storable() {
        return None;
    }
    let context = sanitize::Context {
        emojis: site.emoji_map(&toot.emojis),
        ..Default::default()
    };
    let content = sanitize::clean(&toot.content, &context);
    let cw = toot.spoiler_text.trim().to_string();
    let cw_html = sanitize::text_with_emoji(&cw, &context.emojis);
    emoji_urls.extend(used_emoji(
        &format!("{}{}", content.as_str(), cw_html.as_str()),
        context.emojis,
    ));
    Some(QuoteView {
        url: [q.url.as_deref(), toot.url.as_deref(), Some(q.uri.as_str())]
            .into_iter()
            .flatten()
            .find_map(sanitize::safe_url)?,
        author: author_view(&shared.author, site, emoji_urls),
        cw,
        cw_html,
        lang: toot.language.clone().filter(|l| sanitize::valid_lang(l)),
        content,
    })
}

pub(super) fn media_view(m: &Media, site: &Site<'_>) -> MediaView {
    let kind_label = match m.kind {
        MediaKind::Video | MediaKind::Gifv => site.i18n.get("video"),
        MediaKind::Audio => site.i18n.get("audio"),
        _ => site.i18n.get("image"),
    };
    let alt = m.description.clone().unwrap_or_default().trim().to_string();
    let url = site.media_url(m.file.as_ref());
    let preview_url = site.media_url(m.preview_file.as_ref());
    let srcset = match (&preview_url, &url, m.preview_width, m.width) {
        (Some(p), Some(u), Some(pw), Some(w)) if pw < w && m.kind == MediaKind::Image => {
            Some(format!("{p} {pw}w, {u} {w}w"))
        }
        _ => None,
    };
    MediaView {
        kind: m.kind.as_str(),
        url,
        preview_url,
        srcset,
        kind_label: kind_label.clone(),
        mime: m.mime.clone(),
        size: m.size,
        label: if alt.is_empty() {
            kind_label
        } else {
            alt.clone()
        },
        alt,
        width: m.width,
        height: m.height,
    }
}

pub(super) fn poll_view(p: &Poll, site: &Site<'_>, emojis: &HashMap<String, String>) -> PollView {
    // Mastodon divides by voters for multiple-choice polls, by votes otherwise.
    let denominator = if p.multiple {
        p.voters_count.unwrap_or(p.votes_count)
    } else {
        p.votes_count
    };
    let options = p
        .options
        .iter()
        .map(|o| {
            let votes = o.votes_count.unwrap_or(0);
            let percent = (votes * 100 + denominator / 2)
                .checked_div(denominator)
                .unwrap_or(0);
            PollOptionView {
                title: o.title.clone(),
                title_html: sanitize::text_with_emoji(&o.title, emojis),
                percent: percent.min(100),
                votes_text: o
                    .votes_count
                    .map(|v| site.i18n.count("votes", v))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let total_text = match (p.multiple, p.voters_count) {
        (true, Some(voters)) => site
            .i18n
            .get("voters_many")
            .replace("{n}", &voters.to_string()),
        _ => site.i18n.count("votes", p.votes_count),
    };
    PollView {
        options,
        closed: p.expired,
        multiple: p.multiple,
        end_text: p.expires_at.as_ref().map(|d| site.date(d)),
        end_iso: p.expires_at.as_ref().map(|d| site.iso(d)),
        total_text,
    }
}

pub(super) fn card_view(c: &Card, site: &Site<'_>) -> Option<CardView> {
    Some(CardView {
        url: sanitize::safe_url(&c.url)?,
        title: if c.title.trim().is_empty() {
            c.url.clone()
        } else {
            c.title.clone()
        },
        description: truncate_words(&c.description, 300),
        provider: c.provider_name.clone(),
        image_url: site.media_url(c.image.as_ref()),
        image_alt: c.image_description.clone(),
        width: c.width,
        height: c.height,
    })
}
