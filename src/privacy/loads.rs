//! What an HTML page makes the browser load: its URLs, read with the
//! browser's tokenizer rules (CSS in `css.rs`). The privacy check in
//! `privacy.rs` decides which of them leave the site.
//!
//! The scan reads every byte of the page, but does work only where a
//! browser could start something: it jumps from `<` to `<` (eight bytes at
//! a time, then with `memchr`, see `bytes.rs`; text between tags cannot
//! load anything: character references there are text, never markup),
//! skips quoted attribute values the same way, and looks at an attribute
//! only when its element or its name (`style`) can load. It allocates
//! nothing per tag; only a URL found is copied out. It works on bytes:
//! every byte that shapes a tag is ASCII, and a URL's bytes are read as
//! UTF-8 (invalid sequences as U+FFFD) only when it is found.
//! `privacy/reference.rs` keeps the simpler scanner it replaced, and the
//! equivalence tests hold the two to the same findings.

use std::borrow::Cow;

use memchr::memmem;

use super::bytes::{find, is, NAME_END, SKIP, TAG_NAME_END, VALUE_END, WS};

use super::css::css_loads;
use super::decode::decode;

/// `<link rel>` values that load their `href`.
const LOADING_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "preconnect",
    "dns-prefetch",
    "mask-icon",
];

/// What the scan needs to know of an element.
#[derive(Clone, Copy, Default)]
struct Element {
    /// Its URL attributes that make the browser fetch, in report order.
    urls: &'static [&'static [u8]],
    /// `<link>`: its `href` loads when its `rel` says so.
    link: bool,
    /// Elements whose content the browser reads as text up to their end
    /// tag (raw text and RCDATA), or as markup inside SVG and MathML, or
    /// with scripts off (`noscript`): the name of that end tag.
    text: Option<&'static str>,
}

/// The element named `name` (any ASCII case).
fn element(name: &[u8]) -> Element {
    const fn loads(urls: &'static [&'static [u8]]) -> Element {
        Element {
            urls,
            link: false,
            text: None,
        }
    }
    const fn text(name: &'static str, urls: &'static [&'static [u8]]) -> Element {
        Element {
            urls,
            link: false,
            text: Some(name),
        }
    }
    let mut lower = [0u8; 8];
    if name.len() > lower.len() {
        return Element::default();
    }
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    match &lower[..name.len()] {
        b"img" | b"source" => loads(&[b"src", b"srcset"]),
        b"video" => loads(&[b"src", b"poster"]),
        b"audio" | b"track" | b"frame" | b"embed" | b"input" => loads(&[b"src"]),
        b"object" => loads(&[b"data"]),
        b"image" | b"use" => loads(&[b"href", b"xlink:href"]),
        b"link" => Element {
            link: true,
            ..Element::default()
        },
        b"script" => text("script", &[b"src"]),
        b"iframe" => text("iframe", &[b"src"]),
        b"style" => text("style", &[]),
        b"xmp" => text("xmp", &[]),
        b"noembed" => text("noembed", &[]),
        b"noframes" => text("noframes", &[]),
        b"noscript" => text("noscript", &[]),
        b"textarea" => text("textarea", &[]),
        b"title" => text("title", &[]),
        _ => Element::default(),
    }
}

/// A span of the document.
type Span = (usize, usize);

/// The first value of each attribute of a tag that can load (values as
/// written, not yet decoded), as spans of the document.
#[derive(Default)]
struct Found {
    /// Whether any of the below is set.
    any: bool,
    urls: [Option<Span>; 2],
    rel: Option<Span>,
    href: Option<Span>,
    style: Option<Span>,
}

impl Found {
    /// Notes attribute `name` with `value` when `element` (or any element,
    /// for `style`) loads through it and it is the first of its name.
    fn note(&mut self, name: &[u8], value: Span, element: &Element) {
        let Found {
            any,
            urls,
            rel,
            href,
            style,
        } = self;
        let mut keep = |slot: &mut Option<Span>| {
            if slot.is_none() {
                *slot = Some(value);
                *any = true;
            }
        };
        if name.eq_ignore_ascii_case(b"style") {
            keep(style);
        }
        for (slot, wanted) in urls.iter_mut().zip(element.urls) {
            if name.eq_ignore_ascii_case(wanted) {
                keep(slot);
            }
        }
        if element.link {
            if name.eq_ignore_ascii_case(b"rel") {
                keep(rel);
            } else if name.eq_ignore_ascii_case(b"href") {
                keep(href);
            }
        }
    }
}

/// The URLs an HTML document loads.
///
/// A small tokenizer that splits the document where a browser does (see the
/// tokenization chapter of the HTML standard): only `<` followed by a letter
/// starts a tag, `<!` and `<?` that are not comments end at the first `>`,
/// comments at `-->` or `--!>`. The content of `<style>`, `<textarea>` and
/// the other text elements is read both ways: as markup (as inside SVG, or
/// with scripts off), and as text running to the end tag, after which
/// scanning resumes (a style block's CSS is scanned too). Reading more than
/// the browser does only adds findings; reading less would hide loads.
pub fn html_loads(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    html_bytes_loads(html.as_bytes(), &mut out);
    out
}

/// [`html_loads`] of a document given as bytes, into `out`.
pub(super) fn html_bytes_loads(doc: &[u8], out: &mut Vec<String>) {
    // What is left to scan, as (from, to): the innermost text element's
    // content on top, what follows each one's end tag below it (allocated
    // only when there is a text element).
    let mut pending: Vec<Span> = Vec::new();
    let mut first = Some((0, doc.len()));
    let mut ends = EndTags::default();
    let mut css_done = (0, 0);
    while let Some((mut pos, mut end)) = first.take().or_else(|| pending.pop()) {
        while let Some(lt) = find(&doc[pos..end], b'<') {
            // Everything below reads `region`: the part being scanned ends
            // at `end`, wherever the document goes on.
            let region = &doc[..end];
            let i = pos + lt + 1;
            let name_start = match region.get(i) {
                Some(b'!') if region[i..].starts_with(b"!--") => {
                    pos = comment_end(&region[i..]).map_or(end, |e| i + e);
                    continue;
                }
                // Doctype, bogus comments (`<!x>`, `<?x>`, `</ x>`) and
                // `</>`: they end at the first `>`, quotes or not.
                Some(b'!' | b'?') => {
                    pos = to_gt(region, i);
                    continue;
                }
                Some(b'/') if !region.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                    pos = to_gt(region, i);
                    continue;
                }
                // An end tag: its name is read as an attribute (and its
                // attributes, which the browser drops, are read too).
                Some(b'/') => None,
                Some(b) if b.is_ascii_alphabetic() => Some(i),
                // `a < b`: text.
                _ => {
                    pos = i;
                    continue;
                }
            };
            // A tag name ends where the browser ends it: ASCII whitespace,
            // `/` or `>` (other whitespace belongs to the name).
            let (element, after_name) = match name_start {
                Some(start) => {
                    let len = region[start..]
                        .iter()
                        .position(|&b| is(b, TAG_NAME_END))
                        .unwrap_or(end - start);
                    (element(&region[start..start + len]), start + len)
                }
                None => (Element::default(), i),
            };
            let mut found = Found::default();
            pos = attributes(region, after_name, &element, &mut found).unwrap_or(end);
            if found.any {
                tag_loads(doc, &element, &found, out);
            }
            if let Some(text) = element.text {
                let content_end = ends.find(doc, pos, end, text);
                // A style block inside another one's content lies in the
                // CSS already scanned: not again (nor in quadratic time).
                if text == "style" && !(css_done.0 <= pos && content_end <= css_done.1) {
                    out.extend(css_loads(&lossy(doc, (pos, content_end))));
                    css_done = (pos, content_end);
                }
                pending.push((content_end, end));
                end = content_end;
            }
        }
    }
}

/// The text of a span (invalid UTF-8 as U+FFFD, as the browser reads it).
fn lossy(doc: &[u8], (from, to): Span) -> Cow<'_, str> {
    let bytes = &doc[from..to];
    // The common case first: checking UTF-8 is quicker than converting.
    std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed)
}

/// Where scanning goes on after a bogus comment or doctype starting at
/// `at`: after its first `>`, or at the end.
fn to_gt(region: &[u8], at: usize) -> usize {
    find(&region[at..], b'>').map_or(region.len(), |e| at + e + 1)
}

/// The URLs one start tag loads: its element's URL attributes, a loading
/// `<link>`'s `href`, and its inline `style`.
fn tag_loads(doc: &[u8], element: &Element, found: &Found, out: &mut Vec<String>) {
    let get = |span: Option<Span>| span.map(|span| decode(&lossy(doc, span)));
    for (attr, span) in element.urls.iter().zip(found.urls) {
        let Some(value) = get(span) else {
            continue;
        };
        if attr.ends_with(b"srcset") {
            out.extend(
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next().map(str::to_string)),
            );
        } else {
            out.push(value);
        }
    }
    if element.link {
        let rel = get(found.rel).unwrap_or_default().to_ascii_lowercase();
        if rel.split_whitespace().any(|r| LOADING_RELS.contains(&r)) {
            out.extend(get(found.href));
        }
    }
    if let Some(style) = get(found.style) {
        out.extend(css_loads(&style));
    }
}

/// Where the comment that `rest` (just after `<`, at `!--`) opens ends:
/// after its first `-->` or `--!>`.
fn comment_end(rest: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = memmem::find(&rest[from..], b"--").map(|at| from + at) {
        let after = &rest[at + 2..];
        if after.starts_with(b">") {
            return Some(at + 3);
        }
        if after.starts_with(b"!>") {
            return Some(at + 4);
        }
        from = at + 1;
    }
    None
}

/// Finds the end tags of text elements: `</name` (any case) followed by
/// whitespace, `/` or `>`, as a browser takes it. Remembers the last answer
/// per element, so that many unclosed `<style>`s do not each search to the
/// end of the document (which would take quadratic time).
#[derive(Default)]
struct EndTags {
    /// Element → (searched from, first end tag at or after that), as
    /// offsets in the whole document.
    known: Vec<(&'static str, usize, usize)>,
}

impl EndTags {
    /// Where the content of text element `name` starting at `start` ends:
    /// at its end tag, or at `end` (the end of the part being scanned) when
    /// that comes first.
    fn find(&mut self, doc: &[u8], start: usize, end: usize, name: &'static str) -> usize {
        let cached = self
            .known
            .iter()
            .find(|(n, from, found)| *n == name && *from <= start && start <= *found)
            .map(|&(_, _, found)| found);
        let found = cached.unwrap_or_else(|| {
            let found = start + end_tag(&doc[start..], name);
            self.known.retain(|(n, _, _)| *n != name);
            self.known.push((name, start, found));
            found
        });
        found.min(end)
    }
}

/// The offset in `text` of the first end tag of `name`, or its length.
fn end_tag(text: &[u8], name: &str) -> usize {
    let mut from = 0;
    while let Some(at) = memmem::find(&text[from..], b"</").map(|at| from + at) {
        let after = at + 2 + name.len();
        if text.len() >= after
            && text[at + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && text
                .get(after)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return at;
        }
        from = at + 2;
    }
    text.len()
}

/// Reads the attributes of a tag from `i` (after its name) up to the
/// closing `>`, as the browser's tokenizer does, noting those that can load
/// in `found`; returns where the text after the tag starts, or `None` when
/// `s` ends inside the tag.
fn attributes(s: &[u8], mut i: usize, element: &Element, found: &mut Found) -> Option<usize> {
    let len = s.len();
    loop {
        while i < len && is(s[i], SKIP) {
            i += 1;
        }
        if i >= len {
            return None;
        }
        if s[i] == b'>' {
            return Some(i + 1);
        }
        let start = i;
        // Where a name starts, `=` is part of it (`<p ="><img>` ends at
        // the first `>`).
        if s[i] == b'=' {
            i += 1;
        }
        while i < len && !is(s[i], NAME_END) {
            i += 1;
        }
        let name = &s[start..i];
        while i < len && is(s[i], WS) {
            i += 1;
        }
        let mut value = (i, i);
        if i < len && s[i] == b'=' {
            i += 1;
            while i < len && is(s[i], WS) {
                i += 1;
            }
            if i < len && (s[i] == b'"' || s[i] == b'\'') {
                let from = i + 1;
                i = find(&s[from..], s[i]).map_or(len, |e| from + e);
                value = (from, i);
                i += 1;
            } else {
                let from = i;
                while i < len && !is(s[i], VALUE_END) {
                    i += 1;
                }
                value = (from, i);
            }
        }
        found.note(name, value, element);
    }
}
