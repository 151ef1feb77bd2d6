//! Toots → view models: plain, serializable values the templates and feeds
//! read. Each published toot is turned into a [`TootView`] once (sanitized
//! once), and every page and feed that shows it reuses that view.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::Serialize;

use super::theme::I18n;
use crate::model::{Author, Media, MediaKind, Toot};
use crate::sanitize::{self, SafeHtml};
use crate::select::{tag_slug, Entry};

/// What every view needs from the site: URLs, language, time zone, and which
/// media files exist in the store.
pub struct Site<'a> {
    /// Absolute base URL without a trailing slash.
    pub base: String,
    pub lang: String,
    pub tz: chrono_tz::Tz,
    pub i18n: &'a I18n,
    /// Paths relative to `content/media/` that exist.
    pub media: &'a HashSet<String>,
}

impl Site<'_> {
    pub fn toot_url(&self, id: &str) -> String {
        format!("{}/toots/{id}/", self.base)
    }

    pub fn tag_url(&self, slug: &str) -> String {
        let encoded =
            percent_encoding::utf8_percent_encode(slug, percent_encoding::NON_ALPHANUMERIC);
        format!("{}/tags/{encoded}/", self.base)
    }

    /// The public URL of a mirrored file, or `None` when it is not in the store.
    pub fn media_url(&self, file: Option<&String>) -> Option<String> {
        let file = file?;
        self.media
            .contains(file)
            .then(|| format!("{}/media/{file}", self.base))
    }

    /// A date in the site's time zone, written as the translation table says.
    pub fn date(&self, when: &DateTime<Utc>) -> String {
        let local = when.with_timezone(&self.tz);
        let (pm, hour12) = local.hour12();
        let month = &self.i18n.months[local.month0() as usize];
        self.i18n
            .date_format
            .replace("{dd}", &format!("{:02}", local.day()))
            .replace("{d}", &local.day().to_string())
            .replace("{month}", month)
            .replace("{m}", &local.month().to_string())
            .replace("{yyyy}", &local.year().to_string())
            .replace("{HH}", &format!("{:02}", local.hour()))
            .replace("{h}", &hour12.to_string())
            .replace("{mm}", &format!("{:02}", local.minute()))
            .replace("{ampm}", if pm { &self.i18n.pm } else { &self.i18n.am })
    }

    /// ISO 8601 in the site's time zone, for `<time datetime>`.
    pub fn iso(&self, when: &DateTime<Utc>) -> String {
        when.with_timezone(&self.tz)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorView {
    pub name: String,
    pub acct: String,
    pub url: String,
    pub avatar: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MediaView {
    pub kind: &'static str,
    pub url: Option<String>,
    pub preview_url: Option<String>,
    pub mime: Option<String>,
    pub size: Option<u64>,
    /// Alt text; empty when the author gave none.
    pub alt: String,
    /// Accessible name for players: the alt text or the media kind.
    pub label: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PollOptionView {
    pub title: String,
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

#[derive(Debug, Clone, Serialize)]
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
pub struct TagLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub url: String,
    pub author: AuthorView,
    pub cw: String,
    pub lang: Option<String>,
    pub content: SafeHtml,
}

#[derive(Debug, Clone, Serialize)]
pub struct TootView {
    pub id: String,
    pub anchor: String,
    pub page_url: String,
    pub original_url: Option<String>,
    pub title: String,
    /// Plain-text summary for meta descriptions (at most ~200 characters).
    pub summary: String,
    pub author: AuthorView,
    pub boosted_by: Option<AuthorView>,
    pub created: DateTime<Utc>,
    pub created_iso: String,
    pub created_text: String,
    pub edited: Option<DateTime<Utc>>,
    pub edited_iso: Option<String>,
    pub edited_text: Option<String>,
    pub lang: Option<String>,
    pub cw: String,
    pub sensitive: bool,
    pub content: SafeHtml,
    pub media: Vec<MediaView>,
    pub poll: Option<PollView>,
    pub card: Option<CardView>,
    pub tags: Vec<TagLink>,
    pub reply_to: Option<String>,
    pub quote: Option<QuoteView>,
    pub pinned: bool,
    /// Number of later thread parts (on a thread's first toot).
    pub thread_len: usize,
    /// Link to the thread's first toot (on later parts).
    pub thread_root_url: Option<String>,
}

/// The mirrored account as an author.
pub fn account_author(entry: &Entry<'_>) -> AuthorView {
    let state = &entry.account.state;
    let handle = &entry.account.handle;
    AuthorView {
        name: display_name(&state.display_name, &handle.user),
        acct: format!("{}@{}", handle.user, handle.host),
        url: state
            .url
            .clone()
            .unwrap_or_else(|| format!("https://{}/@{}", handle.host, handle.user)),
        avatar: None,
    }
}

fn display_name(name: &str, fallback: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        fallback.to_string()
    } else {
        name.to_string()
    }
}

fn author_view(author: &Author, site: &Site<'_>) -> AuthorView {
    AuthorView {
        name: display_name(&author.display_name, &author.acct),
        acct: author.acct.clone(),
        url: author.url.clone(),
        avatar: site.media_url(author.avatar.as_ref()),
    }
}

/// Builds the view of one published toot.
pub fn toot_view(entry: &Entry<'_>, site: &Site<'_>) -> TootView {
    let outer = entry.toot;
    let (shown, author, boosted_by) = match &outer.reblog {
        Some(shared) => (
            &shared.toot,
            author_view(&shared.author, site),
            Some(account_author(entry)),
        ),
        None => {
            let mut author = account_author(entry);
            author.avatar = site.media_url(entry.account.state.avatar.as_ref());
            (outer, author, None)
        }
    };
    let lang = shown.language.clone().filter(|l| sanitize::valid_lang(l));
    let tags = tag_links(shown, site);
    let context = sanitize::Context {
        tag_base: format!("{}/tags/", site.base),
        tags: tags
            .iter()
            .map(|t| {
                (
                    t.name.to_lowercase(),
                    percent_encoding::utf8_percent_encode(
                        &t.slug,
                        percent_encoding::NON_ALPHANUMERIC,
                    )
                    .to_string(),
                )
            })
            .collect(),
    };
    let content = sanitize::clean(&shown.content, &context);
    let text = sanitize::plain_text_of(&content);
    let date_text = site.date(&outer.created_at);
    let title = derive_title(
        &shown.spoiler_text,
        &text,
        &date_text,
        !shown.media.is_empty(),
        site.i18n,
    );
    let reply_to = shown
        .in_reply_to
        .as_ref()
        .and_then(|r| r.url.clone())
        .filter(|_| {
            // Thread parts link to their root instead (set by the page builder).
            shown
                .in_reply_to
                .as_ref()
                .and_then(|r| r.account_id.as_deref())
                != entry.account.state.id.as_deref()
        });
    TootView {
        id: outer.id.clone(),
        anchor: format!("toot-{}", outer.id),
        page_url: site.toot_url(&outer.id),
        original_url: shown.url.clone().or_else(|| outer.url.clone()),
        summary: truncate_words(&text, 200),
        title,
        author,
        boosted_by,
        created: outer.created_at,
        created_iso: site.iso(&outer.created_at),
        created_text: date_text,
        edited: shown.edited_at,
        edited_iso: shown.edited_at.as_ref().map(|d| site.iso(d)),
        edited_text: shown.edited_at.as_ref().map(|d| site.date(d)),
        lang,
        cw: shown.spoiler_text.trim().to_string(),
        sensitive: shown.sensitive,
        content,
        media: shown.media.iter().map(|m| media_view(m, site)).collect(),
        poll: shown.poll.as_ref().map(|p| poll_view(p, site)),
        card: shown.card.as_ref().map(|c| CardView {
            url: c.url.clone(),
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
        }),
        tags,
        reply_to,
        quote: shown.quote.as_ref().and_then(|q| {
            let shared = q.shared.as_ref()?;
            if !shared.toot.visibility.is_storable() {
                return None;
            }
            Some(QuoteView {
                url: q
                    .url
                    .clone()
                    .or_else(|| shared.toot.url.clone())
                    .unwrap_or_else(|| q.uri.clone()),
                author: author_view(&shared.author, site),
                cw: shared.toot.spoiler_text.clone(),
                lang: shared
                    .toot
                    .language
                    .clone()
                    .filter(|l| sanitize::valid_lang(l)),
                content: sanitize::clean(&shared.toot.content, &sanitize::Context::default()),
            })
        }),
        pinned: outer.pinned,
        thread_len: 0,
        thread_root_url: None,
    }
}

fn tag_links(toot: &Toot, site: &Site<'_>) -> Vec<TagLink> {
    let mut seen = HashSet::new();
    toot.tags
        .iter()
        .filter_map(|t| {
            let slug = tag_slug(&t.name)?;
            seen.insert(slug.clone()).then(|| TagLink {
                name: t.name.clone(),
                url: site.tag_url(&slug),
                slug,
            })
        })
        .collect()
}

fn media_view(m: &Media, site: &Site<'_>) -> MediaView {
    let kind_label = match m.kind {
        MediaKind::Video | MediaKind::Gifv => site.i18n.get("video"),
        MediaKind::Audio => site.i18n.get("audio"),
        _ => site.i18n.get("image"),
    };
    let alt = m.description.clone().unwrap_or_default().trim().to_string();
    MediaView {
        kind: m.kind.as_str(),
        url: site.media_url(m.file.as_ref()),
        preview_url: site.media_url(m.preview_file.as_ref()),
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

fn poll_view(p: &crate::model::Poll, site: &Site<'_>) -> PollView {
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

/// The content warning, else the first sentence of the text cut at a word
/// boundary near 80 characters, else "Media post of {date}".
pub fn derive_title(cw: &str, text: &str, date: &str, has_media: bool, i18n: &I18n) -> String {
    let cw = cw.trim();
    if !cw.is_empty() {
        return truncate_words(cw, 80);
    }
    let text = text.trim();
    if text.is_empty() {
        let key = if has_media { "media_only" } else { "untitled" };
        return i18n.get(key).replace("{date}", date);
    }
    truncate_words(first_sentence(text), 80)
}

fn first_sentence(text: &str) -> &str {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…') {
            let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            // Require some length, so a short opener is not a title on its own.
            if next_is_space && i >= 20 && (c != '.' || ends_sentence(&text[..i])) {
                return &text[..i + c.len_utf8()];
            }
        }
    }
    text
}

/// Whether a full stop after `before` ends a sentence: not after a number
/// (German ordinals and dates: "am 1. Dezember"), a single letter ("z. B.")
/// or a common abbreviation.
fn ends_sentence(before: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "bzw", "ca", "dr", "etc", "evtl", "ggf", "inkl", "nr", "str", "tel", "usw", "vgl", "zzgl",
        "abs", "bspw", "mr", "mrs", "ms", "prof", "vs", "e.g", "i.e", "z.b", "u.a", "d.h",
    ];
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower = word.to_lowercase();
    !(word.is_empty()
        || word.chars().all(|c| c.is_ascii_digit() || c == '.')
        || word.chars().count() == 1
        || ABBREVIATIONS.contains(&lower.as_str()))
}

/// Cuts `text` to at most `max` characters at a word boundary, adding "…".
pub fn truncate_words(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = match cut.rfind(char::is_whitespace) {
        Some(i) if i >= max / 2 => i,
        _ => cut.len(),
    };
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ', '-']))
}

/// Marks thread structure on the views: root gets its part count, parts
/// link back to their root.
pub fn link_threads(views: &mut [TootView], threads: &HashMap<usize, Vec<usize>>) {
    for (&root, parts) in threads {
        views[root].thread_len = parts.len();
        let root_url = format!("{}#{}", views[root].page_url, views[root].anchor);
        for &part in parts {
            views[part].thread_root_url = Some(root_url.clone());
            views[part].reply_to = None;
        }
    }
}

/// Sums the display name fallbacks etc. for the tests.
#[cfg(test)]
mod tests {
    use super::*;

    fn i18n() -> I18n {
        let text = super::super::theme::BUILTIN
            .iter()
            .find(|f| f.0 == "i18n/de.toml")
            .unwrap()
            .1;
        toml::from_str(std::str::from_utf8(text).unwrap()).unwrap()
    }

    #[test]
    fn titles_prefer_cw_then_first_sentence() {
        let i = i18n();
        assert_eq!(derive_title(" Achtung ", "x", "d", false, &i), "Achtung");
        assert_eq!(
            derive_title(
                "",
                "Heute ist das neue Portal online. Mehr dazu morgen.",
                "d",
                false,
                &i
            ),
            "Heute ist das neue Portal online."
        );
        let long = "Wir suchen zum nächstmöglichen Zeitpunkt eine Referentin oder einen Referenten für den Bereich Informationssicherheit in Bonn";
        assert_eq!(
            derive_title("", "Wartungsarbeiten: Das Portal ist am Samstag, 25. Mai, z. B. von 8 bis 10 Uhr offline. Danke!", "d", false, &i),
            "Wartungsarbeiten: Das Portal ist am Samstag, 25. Mai, z. B. von 8 bis 10 Uhr…"
        );
        let t = derive_title("", long, "d", false, &i);
        assert!(
            t.chars().count() <= 81 && t.ends_with('…') && !t.contains("Inform"),
            "{t}"
        );
        assert_eq!(
            derive_title("", "", "8. März 2022", true, &i),
            "Medienbeitrag vom 8. März 2022"
        );
    }

    #[test]
    fn dates_follow_the_translation_table_and_zone() {
        let i = i18n();
        let media = HashSet::new();
        let site = Site {
            base: "https://x.org".into(),
            lang: "de".into(),
            tz: chrono_tz::Europe::Berlin,
            i18n: &i,
            media: &media,
        };
        let when: DateTime<Utc> = "2022-03-08T13:05:00Z".parse().unwrap();
        assert_eq!(site.date(&when), "8. März 2022, 14:05 Uhr");
        assert_eq!(site.iso(&when), "2022-03-08T14:05:00+01:00");
        let en_text = super::super::theme::BUILTIN
            .iter()
            .find(|f| f.0 == "i18n/en.toml")
            .unwrap()
            .1;
        let en: I18n = toml::from_str(std::str::from_utf8(en_text).unwrap()).unwrap();
        let site = Site { i18n: &en, ..site };
        assert_eq!(site.date(&when), "8 March 2022, 2:05 pm");
        let summer: DateTime<Utc> = "2022-07-01T22:30:00Z".parse().unwrap();
        assert_eq!(site.date(&summer), "2 July 2022, 12:30 am");
    }
}
