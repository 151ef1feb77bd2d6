//! A shortcut through the toot policy for the markup Mastodon itself writes.
//!
//! ammonia parses every toot into a DOM with html5ever, walks it and
//! serializes it again: about 150,000 instructions per toot, the largest
//! single cost of a build. Most toots are a few `<p>`, `<br>`, `<a>` and
//! `<span>` elements with double-quoted attributes, for which every step of
//! that pipeline is known in advance. [`clean`] handles exactly that subset
//! in one pass and gives `None` for anything else, which then goes through
//! ammonia as before; so the shortcut can only ever be taken where it writes
//! what ammonia writes.
//!
//! Why the output is the same, step by step, for the accepted input:
//! - Tokenizing: only the tags `<p>`, `<a>`, `<span>`, `<br>` (lower case,
//!   attributes as ` name="value"`, no duplicates), their end tags written
//!   as `</name>`, and text without `\r`, NUL or other control characters
//!   (the only characters html5ever's input stream changes or the tree
//!   builder drops). In text, `&` only starts `&amp; &lt; &gt; &quot; &#39;
//!   &nbsp;`; attribute values hold no `&`, so nothing there is decoded.
//! - Tree building: an element is only accepted where the HTML parser puts
//!   it as written: `<p>` only at the top (no implied `</p>`), no `<a>` in an
//!   `<a>` (no adoption agency), and every end tag closes the innermost open
//!   element. So the tree is the token stream.
//! - Cleaning: the same allowlist ([`super::TAG_ATTRIBUTES`]), the same URL
//!   rule, `rel` appended to links, the same attribute filter
//!   ([`super::filter_attribute`]) and the relative-URL check, applied in
//!   ammonia's order and with its `swap_remove`, which reorders attributes.
//! - Serializing: html5ever's escaping (`& < >` and no-break space in text,
//!   and `"` too in attribute values).
//!
//! `tests.rs` checks this against ammonia for every short sequence of tricky
//! pieces, and for every ordering of the attributes an element may carry.

use std::borrow::Cow;

use super::{filter_attribute, Context, LINK_REL, TAG_ATTRIBUTES};

/// The most attributes an element may carry in the shortcut.
const MAX_ATTRIBUTES: usize = 8;

/// The elements the shortcut accepts.
const ELEMENTS: [&str; 4] = ["p", "a", "span", "br"];

/// The policy's serialization of `html` when it is in the subset described
/// above, before [`super::carryable`]; `None` otherwise.
pub(super) fn clean(html: &str, context: &Context) -> Option<String> {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut open: Vec<&'static str> = Vec::new();
    // Whether an `<a>` is open: a look-up in `open` would make deep nesting
    // quadratic, and toots come from other servers.
    let mut in_link = false;
    if html.starts_with('\u{feff}') {
        // html5ever drops a byte order mark at the start of the input.
        return None;
    }
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'<' if bytes.get(at + 1) == Some(&b'/') => {
                let rest = &html[at + 2..];
                let name = *ELEMENTS
                    .iter()
                    .find(|n| rest.starts_with(**n) && rest[n.len()..].starts_with('>'))?;
                if name == "br" || open.pop() != Some(name) {
                    return None;
                }
                if name == "a" {
                    in_link = false;
                }
                out.push_str("</");
                out.push_str(name);
                out.push('>');
                at += 3 + name.len();
            }
            b'<' => {
                let (name, attributes, len) = start_tag(&html[at..])?;
                let allowed = match name {
                    "p" => open.is_empty(),
                    "a" => !in_link,
                    _ => true,
                };
                if !allowed {
                    return None;
                }
                write_element(name, attributes, context, &mut out);
                if name != "br" {
                    open.push(name);
                }
                in_link |= name == "a";
                at += len;
            }
            b'&' => {
                let rest = &html[at..];
                let (entity, written) = ENTITIES.iter().find(|(e, _)| rest.starts_with(e))?;
                out.push_str(written);
                at += entity.len();
            }
            _ => {
                let end = memchr::memchr2(b'<', b'&', &bytes[at..]).map_or(bytes.len(), |p| at + p);
                let text = &html[at..end];
                if !acceptable(text) {
                    return None;
                }
                escape_into(text, false, &mut out);
                at = end;
            }
        }
    }
    open.is_empty().then_some(out)
}

/// The character references accepted in text, with what html5ever's
/// serializer writes for the character each one stands for.
const ENTITIES: [(&str, &str); 6] = [
    ("&amp;", "&amp;"),
    ("&lt;", "&lt;"),
    ("&gt;", "&gt;"),
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&nbsp;", "&nbsp;"),
];

/// An element's attributes as written: (name, value) in their order.
type Attributes<'a> = Vec<(&'a str, &'a str)>;

/// A start tag at the beginning of `s`: its name (one of [`ELEMENTS`]), its
/// attributes in their order, and its length. `None` for anything the
/// shortcut does not take.
fn start_tag(s: &str) -> Option<(&'static str, Attributes<'_>, usize)> {
    let rest = &s[1..];
    let name = *ELEMENTS.iter().find(|n| {
        rest.starts_with(**n) && matches!(rest.as_bytes().get(n.len()), Some(b'>' | b' ' | b'/'))
    })?;
    let mut at = 1 + name.len();
    if name == "br" {
        // Mastodon writes `<br />`; a void element takes no attributes here.
        let len = [">", "/>", " />"]
            .iter()
            .find(|end| s[at..].starts_with(**end))?
            .len();
        return Some((name, Vec::new(), at + len));
    }
    let mut attributes: Vec<(&str, &str)> = Vec::new();
    loop {
        match s.as_bytes().get(at)? {
            b'>' => return Some((name, attributes, at + 1)),
            b' ' => {}
            _ => return None,
        }
        at += 1;
        let name_len = s[at..]
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            .count();
        let attribute = &s[at..at + name_len];
        // Mastodon writes at most four attributes; more (and the quadratic
        // duplicate check they would cost) are left to ammonia.
        if !attribute.starts_with(|c: char| c.is_ascii_lowercase())
            || attributes.len() >= MAX_ATTRIBUTES
            || attributes.iter().any(|(n, _)| *n == attribute)
        {
            return None;
        }
        at += name_len;
        if !s[at..].starts_with("=\"") {
            return None;
        }
        at += 2;
        let value_len = memchr::memchr(b'"', &s.as_bytes()[at..])?;
        let value = &s[at..at + value_len];
        if value.contains('&') || !acceptable(value) {
            return None;
        }
        attributes.push((attribute, value));
        at += value_len + 1;
    }
}

/// A byte the shortcut does not take in text or attribute values: control
/// characters (tab and line feed aside), which the parser changes (`\r`),
/// drops (NUL) or reports.
fn forbidden(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7F
}

/// Whether text or an attribute value holds nothing the shortcut leaves to
/// ammonia: a [`forbidden`] byte or a C1 control character.
fn acceptable(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| forbidden(b) || (b == 0xC2 && matches!(bytes.get(i + 1), Some(0x80..=0x9F))))
}

/// Writes `text` escaped as html5ever's serializer does: `&`, `<`, `>` and
/// U+00A0, and `"` too in attribute values.
fn escape_into(text: &str, attribute: bool, out: &mut String) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if attribute => "&quot;",
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => "&nbsp;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(escaped);
        // U+00A0 is two bytes.
        start = i + if b == 0xC2 { 2 } else { 1 };
    }
    out.push_str(&text[start..]);
}

/// Cleans one element's attributes in ammonia's order and writes its start
/// tag.
fn write_element(name: &str, raw: Attributes<'_>, context: &Context, out: &mut String) {
    let allowed = TAG_ATTRIBUTES
        .iter()
        .find(|(tag, _)| *tag == name)
        .map_or(&[][..], |(_, names)| *names);
    // ammonia's allowlist, with its URL check on `href`. The parsed URL is
    // kept for the steps below, which would parse the same text again.
    let mut attributes: Vec<(&str, Cow<'_, str>, Option<url::Url>)> = Vec::new();
    for (attribute, value) in raw {
        if !(attribute == "lang" || allowed.contains(&attribute)) {
            continue;
        }
        let parsed = if attribute == "href" {
            match url::Url::parse(value) {
                Ok(url) if super::URL_SCHEMES.contains(&url.scheme()) => Some(url),
                _ => continue,
            }
        } else {
            None
        };
        attributes.push((attribute, Cow::Borrowed(value), parsed));
    }
    if name == "a" {
        attributes.push(("rel", Cow::Borrowed(LINK_REL), None));
    }
    // The attribute filter, then the relative-URL rule, each dropping with
    // `swap_remove` from the last index down, as ammonia does.
    let mut dropped = Vec::new();
    for (i, (attribute, value, parsed)) in attributes.iter_mut().enumerate() {
        let filtered = match (name, *attribute, parsed.as_ref()) {
            // What `filter_attribute` does for a link, from the parsed URL.
            ("a", "href", Some(url)) => Some(match super::local_tag_link_of(url, context) {
                Some(local) => Cow::Owned(local),
                None => Cow::Borrowed(value.as_ref()),
            }),
            _ => filter_attribute(name, attribute, value, context),
        };
        match filtered {
            Some(Cow::Owned(new)) => {
                *value = Cow::Owned(new);
                // The URL no longer describes the value.
                *parsed = None;
            }
            Some(Cow::Borrowed(_)) => {}
            None => dropped.push(i),
        }
    }
    for i in dropped.into_iter().rev() {
        attributes.swap_remove(i);
    }
    let mut dropped = Vec::new();
    for (i, (attribute, value, parsed)) in attributes.iter().enumerate() {
        // A value that parsed as an absolute URL above is not relative.
        if *attribute == "href" && parsed.is_none() && super::url_relative(value) {
            dropped.push(i);
        }
    }
    for i in dropped.into_iter().rev() {
        attributes.swap_remove(i);
    }
    out.push('<');
    out.push_str(name);
    for (attribute, value, _) in &attributes {
        out.push(' ');
        out.push_str(attribute);
        out.push_str("=\"");
        escape_into(value, true, out);
        out.push('"');
    }
    out.push('>');
}

#[cfg(test)]
mod tests;
