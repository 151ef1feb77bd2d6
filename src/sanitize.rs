//! The only place where remote HTML becomes trusted.
//!
//! One ammonia policy mirrors Mastodon's own allowlist for post HTML
//! (`MASTODON_STRICT`): the elements `p br span a del s pre blockquote code b
//! strong u i em ul ol li ruby rt rp`, `lang` everywhere, a few attributes per
//! element, and only the microformat and Mastodon classes. Headings `h1`–`h6`
//! become `<p><strong>` as on Mastodon (see `markup.rs`).
//!
//! Link schemes: only `http` and `https` are kept. Mastodon also keeps `dat
//! dweb ipfs ipns ssb gopher xmpp magnet gemini`; a public-sector page should
//! not send readers to schemes their browser cannot open (or that start
//! another program), so such a link is replaced by its text, as are
//! relative links and links with any other scheme (`javascript:`, `data:`,
//! `mailto:`). Every link gets `rel="nofollow noopener noreferrer ugc"`. URLs that remote
//! data puts into our own templates (author, card, original, reply) go through
//! [`safe_url`] with the same rule.
//!
//! Custom emoji `:shortcode:` become the mirrored image, only for the codes the
//! toot (or the author, for display names) lists, only in text and never
//! inside `span.invisible` or an attribute.
//!
//! The result is a [`SafeHtml`], the only type templates may print unescaped.
//!
//! Markup as Mastodon writes it (`p br a span`, double-quoted attributes,
//! the common entities) takes a shortcut (`fast.rs`) that writes, in one
//! pass, exactly what ammonia writes for it; anything else goes through
//! ammonia. Both read the same allowlist, URL rule and attribute filter.

mod escape;
mod fast;
mod hashtags;
mod markup;

pub use escape::escape;
pub(crate) use escape::{escape_to, json_data, json_without_markup, text};

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// HTML that went through [`clean`] (or was built from escaped parts in this
/// module). Templates print it with `| safe`; everything else is escaped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What the policy needs to know about the toot being cleaned.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Absolute URL prefix of the site's tag pages, e.g. `https://example.org/tags/`.
    pub tag_base: String,
    /// Lower-cased tag name → the tag's page slug, for the tags the toot itself lists.
    pub tags: HashMap<String, String>,
    /// Shortcode → URL of the mirrored image, for the custom emoji the toot
    /// lists and that are in the store.
    pub emojis: HashMap<String, String>,
}

const TAGS: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "blockquote",
    "code",
    "b",
    "strong",
    "u",
    "i",
    "em",
    "ul",
    "ol",
    "li",
    "ruby",
    "rt",
    "rp",
];

/// Elements whose content is dropped together with the element.
const DROP_WITH_CONTENT: &[&str] = &["script", "style", "template", "noscript", "title"];

const LINK_REL: &str = "nofollow noopener noreferrer ugc";

/// Mastodon keeps `h-*`, `p-*`, `u-*`, `dt-*`, `e-*` and a few of its own classes.
fn allowed_class(class: &str) -> bool {
    const PREFIXES: &[&str] = &["h-", "p-", "u-", "dt-", "e-"];
    const NAMES: &[&str] = &[
        "mention",
        "hashtag",
        "ellipsis",
        "invisible",
        "quote-inline",
    ];
    (PREFIXES.iter().any(|p| class.starts_with(p)) || NAMES.contains(&class))
        && class
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn filter_classes(value: &str) -> Option<Cow<'_, str>> {
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|c| allowed_class(c))
        .collect();
    if kept.is_empty() {
        None
    } else {
        Some(Cow::Owned(kept.join(" ")))
    }
}

/// A hashtag link `https://host/tags/Name` for a tag the toot lists is turned
/// into a link to the site's own tag page.
fn local_tag_link(href: &str, context: &Context) -> Option<String> {
    // Without tags nothing can match (the look-up below fails): no parse.
    if context.tags.is_empty() {
        return None;
    }
    local_tag_link_of(&url::Url::parse(href).ok()?, context)
}

/// [`local_tag_link`] of a link already parsed.
fn local_tag_link_of(url: &url::Url, context: &Context) -> Option<String> {
    let mut segments = url.path_segments()?;
    if segments.next()? != "tags" {
        return None;
    }
    let name = segments.next()?;
    if segments.next().is_some_and(|s| !s.is_empty()) {
        return None;
    }
    let name = percent_decode(name)?;
    let slug = context.tags.get(&name.to_lowercase())?;
    Some(format!("{}{}/", context.tag_base, slug))
}

/// A path segment's percent-decoded text; `None` if the bytes are not UTF-8.
/// A `%` not followed by two hex digits stays as it is (RFC 3986 has no
/// meaning for it), so such a name matches no tag and the link is kept.
fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

thread_local! {
    /// The toot being cleaned on this thread: the only part of the policy
    /// that differs between toots (its tags), read by the link filter.
    static TOOT: RefCell<Context> = RefCell::new(Context::default());
    /// The policy, built once per thread rather than once per toot (its
    /// sets and maps cost about as much as cleaning a short toot).
    static POLICY: ammonia::Builder<'static> = builder();
}

/// The attributes each element keeps besides `lang` (kept everywhere).
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "class", "translate"]),
    ("span", &["class", "translate"]),
    ("p", &["class"]),
    ("ol", &["start", "reversed"]),
    ("li", &["value"]),
];

const URL_SCHEMES: [&str; 2] = ["http", "https"];

fn builder() -> ammonia::Builder<'static> {
    let attributes: HashMap<&'static str, HashSet<&'static str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, names)| (*tag, names.iter().copied().collect()))
        .collect();
    let mut b = ammonia::Builder::empty();
    b.tags(TAGS.iter().copied().collect())
        .clean_content_tags(DROP_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(["lang"].into())
        .tag_attributes(attributes)
        .url_schemes(URL_SCHEMES.into())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            TOOT.with(|toot| filter_attribute(element, attribute, value, &toot.borrow()))
        });
    b
}

/// The policy's attribute filter (ammonia runs it after its allowlist):
/// only the listed classes, `translate="no"`, valid `lang`, and hashtag
/// links to the toot's own tags turned into links to the site's tag pages.
fn filter_attribute<'v>(
    element: &str,
    attribute: &str,
    value: &'v str,
    context: &Context,
) -> Option<Cow<'v, str>> {
    match (element, attribute) {
        (_, "class") => filter_classes(value),
        (_, "translate") => (value == "no").then_some(Cow::Borrowed(value)),
        (_, "lang") => valid_lang(value).then_some(Cow::Borrowed(value)),
        ("a", "href") => Some(match local_tag_link(value, context) {
            Some(local) => Cow::Owned(local),
            None => Cow::Borrowed(value),
        }),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// ammonia's test for a relative URL, which the policy then drops. (The
/// `url` crate is the one ammonia uses: Cargo.lock holds one version.)
fn url_relative(value: &str) -> bool {
    matches!(
        url::Url::parse(value),
        Err(url::ParseError::RelativeUrlWithoutBase)
    )
}

/// A BCP 47-ish language tag: letters, digits and `-`, at most 35 characters.
pub(crate) fn valid_lang(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 35
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Cleans remote post HTML with the policy described at the top of this file.
/// The sanitizer's output without the code points no output format may
/// carry. The raw text was cleaned of them when it was read, but a character
/// reference in it (`&#3;`) only becomes one when the HTML is parsed here,
/// and would go raw into every feed, which XML readers then reject.
fn carryable(mut html: String) -> String {
    crate::model::normalize::clean_str(&mut html);
    html
}

pub fn clean(html: &str, context: &Context) -> SafeHtml {
    SafeHtml(markup::finish(&cleaned(html, context), &context.emojis))
}

/// The policy's output for `html`, before [`markup::finish`]: the shortcut
/// of `fast.rs` for markup as Mastodon writes it, ammonia for the rest.
fn cleaned(html: &str, context: &Context) -> String {
    match fast::clean(html, context) {
        Some(out) => carryable(out),
        None => cleaned_by_ammonia(html, context),
    }
}

/// The shortcut's answer for `html` (`None`: not in its subset) and
/// ammonia's, both as [`cleaned`] would return them: for the fuzz target
/// that holds the two to be equal wherever the shortcut answers.
#[doc(hidden)]
pub fn shortcut_and_ammonia(html: &str, context: &Context) -> (Option<String>, String) {
    (
        fast::clean(html, context).map(carryable),
        cleaned_by_ammonia(html, context),
    )
}

/// The policy's output for `html` as ammonia writes it.
fn cleaned_by_ammonia(html: &str, context: &Context) -> String {
    TOOT.with(|toot| toot.borrow_mut().clone_from(context));
    carryable(POLICY.with(|policy| policy.clean(html).to_string()))
}

/// Takes the hashtag bar (a last paragraph of only hashtag links, see
/// `hashtags.rs`) out of cleaned content. `tags` holds the lower-cased names
/// of the toot's tags. Returns the content without the bar, the bar's tag
/// names in their order, the lower-cased names still linked in the text,
/// and the visible text of the content without the bar (as [`plain_text`],
/// without parsing again; custom emoji that became images leave no text).
/// One reading of the content gives all four.
pub(crate) fn hashtag_bar(
    content: &SafeHtml,
    tags: &HashSet<String>,
) -> (SafeHtml, Vec<String>, HashSet<String>, String) {
    let bar = hashtags::split(content.as_str(), tags);
    (SafeHtml(bar.content), bar.bar, bar.in_text, bar.text)
}

/// Plain text → HTML, escaped, with the listed custom emoji as images (for
/// display names, content warnings and poll options).
pub(crate) fn text_with_emoji(value: &str, emojis: &HashMap<String, String>) -> SafeHtml {
    SafeHtml(markup::text_with_emoji(value, emojis))
}

/// Whether a shortcode may become an image: ASCII letters, digits and `_`.
pub(crate) fn valid_shortcode(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 100
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A URL from remote data that our templates may put into `href`: absolute
/// `http` or `https` only, normalized; anything else gives `None`.
pub(crate) fn safe_url(value: &str) -> Option<String> {
    let url = url::Url::parse(value.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then(|| url.to_string())
}

/// The visible text of remote HTML, for titles, summaries and meta tags.
/// Mastodon's hidden link parts (`span.invisible`) are left out and
/// so is the "RE: …" line of a quote post (`p.quote-inline`); paragraphs and
/// line breaks become spaces.
pub fn plain_text(html: &str) -> String {
    // The toot policy; which toot's tags it links to does not matter here,
    // as only the text is kept.
    markup::plain_text(&carryable(POLICY.with(|b| b.clean(html).to_string())))
}

/// Cleans HTML rendered from the editors' own Markdown (pages, notes). The
/// Markdown step already turns raw HTML into text; this is the second lock:
/// ammonia's default allowlist (headings, lists, tables, images, ...), links
/// only to `http`, `https`, `mailto` and `tel` or relative to the site.
pub(crate) fn clean_editorial(html: &str) -> SafeHtml {
    SafeHtml(carryable(editorial_policy().clean(html).to_string()))
}

/// [`clean_editorial`] for a feed item: links relative to the toot's page
/// (`page_url`) become absolute, as a feed reader has no page to resolve
/// them against.
pub(crate) fn editorial_for_feed(html: &str, page_url: &str) -> SafeHtml {
    let mut b = editorial_policy();
    if let Ok(base) = ammonia::Url::parse(page_url) {
        b.url_relative(ammonia::UrlRelative::RewriteWithBase(base));
    }
    SafeHtml(carryable(b.clean(html).to_string()))
}

fn editorial_policy() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    b
}

#[cfg(test)]
mod tests;
