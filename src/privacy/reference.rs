//! The scanner of HTML as it was before the fast one in `loads.rs` (kept for
//! tests only): the reference the equivalence tests compare the fast scan
//! with. Two fixes are applied to it, as to the fast scan: an attribute name
//! may start with `=` (as in the browser, where `<p ="><img ...>` ends the
//! `p` tag at its first `>`), and a text element whose start tag runs to the
//! end of the document no longer panics.

use super::css::css_loads;
use super::decode::decode;

/// Elements whose URL attributes make the browser fetch.
const LOADING: &[(&str, &[&str])] = &[
    ("img", &["src", "srcset"]),
    ("video", &["src", "poster"]),
    ("audio", &["src"]),
    ("source", &["src", "srcset"]),
    ("track", &["src"]),
    ("iframe", &["src"]),
    ("frame", &["src"]),
    ("embed", &["src"]),
    ("object", &["data"]),
    ("script", &["src"]),
    ("input", &["src"]),
    ("image", &["href", "xlink:href"]),
    ("use", &["href", "xlink:href"]),
];

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

/// Elements whose content the browser reads as text up to their end tag
/// (raw text and RCDATA), or as markup inside SVG and MathML, or with
/// scripts off (`noscript`).
const TEXT_ELEMENTS: &[&str] = &[
    "style", "script", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

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
///
/// Collects into `out`; returns whether nothing ran to the end of `html`.
pub(super) fn html_loads_into(html: &str, out: &mut Vec<String>) -> bool {
    let mut whole = true;
    // Whether a construct that `part` (a slice of `html`) could not close
    // reaches the end of the document (rather than of a text element's
    // content, whose end tag lies in the document).
    let at_end = |part: &str| offset(html, part) + part.len() == html.len();
    // What is left to scan: the innermost text element's content on top,
    // what follows each one's end tag below it.
    let mut pending = vec![html];
    // Reused for every tag: most tags have few attributes and load nothing,
    // so nothing is allocated for them.
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    let mut ends = EndTags::default();
    let mut css_done = 0..0;
    while let Some(mut rest) = pending.pop() {
        while let Some(lt) = rest.find('<') {
            rest = &rest[lt + 1..];
            let bytes = rest.as_bytes();
            match bytes.first() {
                Some(b'!') if rest.starts_with("!--") => {
                    rest = match comment_end(rest) {
                        Some(end) => &rest[end..],
                        None => {
                            whole &= !at_end(rest);
                            ""
                        }
                    };
                    continue;
                }
                // Doctype, bogus comments (`<!x>`, `<?x>`, `</ x>`) and
                // `</>`: they end at the first `>`, quotes or not.
                Some(b'!' | b'?') => {
                    rest = to_gt(rest, &mut whole, at_end);
                    continue;
                }
                Some(b'/') if !bytes.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                    rest = to_gt(rest, &mut whole, at_end);
                    continue;
                }
                Some(b'/') => {}
                Some(b) if b.is_ascii_alphabetic() => {}
                // `a < b`: text; a `<` at the end might start a tag.
                _ => {
                    whole &= !(rest.is_empty() && at_end(rest));
                    continue;
                }
            }
            // A tag name ends where the browser ends it: ASCII whitespace,
            // `/` or `>` (other whitespace belongs to the name).
            let name_len = rest
                .bytes()
                .position(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            let after = &rest[name_len..];
            rest = match parse_attributes(after, &mut attrs) {
                Some(rest) => rest,
                None => {
                    whole &= !at_end(after);
                    // Fix: the empty end of the document, not a `""` from
                    // elsewhere (whose offset in `html` is meaningless).
                    &after[after.len()..]
                }
            };
            tag_loads(name, &attrs, out);
            if let Some(element) = TEXT_ELEMENTS.iter().find(|t| t.eq_ignore_ascii_case(name)) {
                let end = ends.find(html, rest, element);
                // No end tag up to the end of the document.
                whole &= !(end == rest.len() && at_end(rest));
                // A style block inside another one's content lies in the
                // CSS already scanned: not again (nor in quadratic time).
                let span = offset(html, rest)..offset(html, rest) + end;
                if *element == "style"
                    && !(css_done.start <= span.start && span.end <= css_done.end)
                {
                    out.extend(css_loads(&rest[..end]));
                    css_done = span;
                }
                pending.push(&rest[end..]);
                rest = &rest[..end];
            }
        }
    }
    whole
}

/// The rest after the `>` that ends a bogus comment or doctype, or `""`
/// (noting in `whole` when that runs to the document's end).
fn to_gt<'s>(rest: &'s str, whole: &mut bool, at_end: impl Fn(&str) -> bool) -> &'s str {
    match rest.find('>') {
        Some(end) => &rest[end + 1..],
        None => {
            *whole &= !at_end(rest);
            ""
        }
    }
}

/// The URLs one start tag loads: its element's URL attributes, a loading
/// `<link>`'s `href`, and its inline `style`.
fn tag_loads(name: &str, attrs: &[(&str, &str)], out: &mut Vec<String>) {
    let get = |wanted: &str| {
        attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(wanted))
            .map(|(_, v)| decode(v))
    };
    if let Some((_, names)) = LOADING
        .iter()
        .find(|(tag, _)| tag.eq_ignore_ascii_case(name))
    {
        for attr in names.iter() {
            if let Some(value) = get(attr) {
                if attr.ends_with("srcset") {
                    out.extend(
                        value
                            .split(',')
                            .filter_map(|c| c.split_whitespace().next().map(str::to_string)),
                    );
                } else {
                    out.push(value);
                }
            }
        }
    }
    if name.eq_ignore_ascii_case("link") {
        let rel = get("rel").unwrap_or_default().to_ascii_lowercase();
        if rel.split_whitespace().any(|r| LOADING_RELS.contains(&r)) {
            out.extend(get("href"));
        }
    }
    if let Some(style) = get("style") {
        out.extend(css_loads(&style));
    }
}

/// Where the comment that `rest` (just after `<`, at `!--`) opens ends:
/// after its first `-->` or `--!>`.
fn comment_end(rest: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = rest[from..].find("--").map(|at| from + at) {
        let after = &rest[at + 2..];
        if after.starts_with('>') {
            return Some(at + 3);
        }
        if after.starts_with("!>") {
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
    /// The offset in `text` (a part of `doc`) of the end tag of `name`, or
    /// the length of `text` when `text` holds none.
    fn find(&mut self, doc: &str, text: &str, name: &'static str) -> usize {
        let start = offset(doc, text);
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
        (found - start).min(text.len())
    }
}

/// Where `part`, a slice of `doc`, starts in it (without unsafe code).
fn offset(doc: &str, part: &str) -> usize {
    part.as_ptr() as usize - doc.as_ptr() as usize
}

/// The offset in `text` of the first end tag of `name`, or its length.
fn end_tag(text: &str, name: &str) -> usize {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find("</").map(|at| from + at) {
        let after = at + 2 + name.len();
        if bytes.len() >= after
            && bytes[at + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(after)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return at;
        }
        from = at + 2;
    }
    text.len()
}

/// Parses `name="value"` pairs up to the closing `>` into `attrs` (names as
/// written, values not yet decoded); returns the text after the tag, or
/// `None` when `s` ends inside the tag.
fn parse_attributes<'s>(s: &'s str, attrs: &mut Vec<(&'s str, &'s str)>) -> Option<&'s str> {
    attrs.clear();
    let bytes = s.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'>' {
            return Some(&s[i + 1..]);
        }
        let start = i;
        // Fix: a name may start with `=`.
        if bytes[i] == b'=' {
            i += 1;
        }
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let name = &s[start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let vstart = i + 1;
                i = s[vstart..]
                    .find(quote as char)
                    .map_or(bytes.len(), |end| vstart + end);
                value = &s[vstart..i];
                i += 1;
            } else {
                let vstart = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = &s[vstart..i];
            }
        }
        if !name.is_empty() {
            attrs.push((name, value));
        }
    }
}
