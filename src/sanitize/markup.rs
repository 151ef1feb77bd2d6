//! Second pass over markup that already went through the ammonia policy.
//!
//! ammonia cannot rename elements or add new ones, so four of Mastodon's
//! rules are applied here, on html5ever's serialization of the cleaned tree:
//! headings become `<p><strong>`, a link that lost its `href` (a scheme we do
//! not keep, a relative URL) becomes its text, custom emoji shortcodes in text
//! become the mirrored image, and [`plain_text`] reads the visible text.
//!
//! Working on the serialization (instead of on raw remote HTML) is what makes
//! a small tokenizer enough: there are no comments, no raw-text elements and
//! no foreign (SVG/MathML) content left; every `<` in text is written as
//! `&lt;`; every attribute value is double-quoted with `"` written as
//! `&quot;`. So a `<` always opens a tag, and the tag ends at the first `>`
//! outside double quotes. Emoji are only ever inserted into text tokens, never
//! into a tag, so a shortcode inside an attribute value stays text.

use std::collections::HashMap;

use super::escape;

/// One piece of cleaned markup.
#[derive(Clone, Copy)]
pub(super) enum Token<'a> {
    Text(&'a str),
    /// A whole tag, `<` and `>` included.
    Tag(Tag<'a>),
}

#[derive(Clone, Copy)]
pub(super) struct Tag<'a> {
    pub raw: &'a str,
    pub name: &'a str,
    pub closing: bool,
}

impl Tag<'_> {
    /// Whether the tag's `class` attribute lists `class`.
    pub(super) fn has_class(&self, class: &str) -> bool {
        self.raw
            .split(" class=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .is_some_and(|classes| classes.split_ascii_whitespace().any(|c| c == class))
    }

    /// Everything after the element name, up to (not including) the `>`.
    fn attributes(&self) -> &str {
        let start = 1 + usize::from(self.closing) + self.name.len();
        &self.raw[start..self.raw.len() - 1]
    }

    pub(super) fn heading(&self) -> bool {
        matches!(self.name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
    }

    /// Whether the visible text gets a space here: a line break or the end
    /// of a block.
    fn breaks_text(&self) -> bool {
        self.name == "br"
            || (self.closing
                && (self.heading() || matches!(self.name, "p" | "li" | "blockquote" | "pre")))
    }
}

pub(super) fn tokens(html: &str) -> impl Iterator<Item = Token<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if !rest.starts_with('<') {
            let end = rest.find('<').unwrap_or(rest.len());
            let (text, tail) = rest.split_at(end);
            rest = tail;
            return Some(Token::Text(text));
        }
        let Some(end) = tag_end(rest) else {
            // Cannot happen on serializer output; treat the rest as text so
            // it is at worst shown, never interpreted.
            let text = rest;
            rest = "";
            return Some(Token::Text(text));
        };
        let (raw, tail) = rest.split_at(end + 1);
        rest = tail;
        let closing = raw.starts_with("</");
        let after = &raw[1 + usize::from(closing)..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        Some(Token::Tag(Tag {
            raw,
            name: &after[..len],
            closing,
        }))
    })
}

/// Index of the `>` that ends the tag starting at `s[0] == '<'`, skipping
/// `>` inside double-quoted attribute values.
/// Jumps from quote to quote with `memchr` rather than looking at every
/// byte: every toot's markup is tokenized more than once (the policy's
/// second pass, the hashtag bar and its visible text).
fn tag_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut at = 0;
    loop {
        let i = at + memchr::memchr2(b'"', b'>', &bytes[at..])?;
        if bytes[i] == b'>' {
            return Some(i);
        }
        // A quoted value: whatever it holds, up to its closing quote.
        at = i + 1 + memchr::memchr(b'"', &bytes[i + 1..])? + 1;
    }
}

/// Tracks whether the current position is inside a hidden part: a
/// `span.invisible` (Mastodon's cut link parts) or, when asked, a
/// `p.quote-inline` (the "RE: …" line of a quote post).
pub(super) struct Hidden {
    stack: Vec<(bool, bool)>, // (is p, hides)
    depth: usize,
    quote_inline: bool,
}

impl Hidden {
    pub(super) fn new(quote_inline: bool) -> Self {
        Hidden {
            stack: Vec::new(),
            depth: 0,
            quote_inline,
        }
    }

    pub(super) fn visit(&mut self, tag: &Tag<'_>) {
        let is_p = match tag.name {
            "span" => false,
            "p" => true,
            _ => return,
        };
        if tag.closing {
            // Pop to the innermost element of the same kind.
            while let Some((p, hides)) = self.stack.pop() {
                if hides {
                    self.depth -= 1;
                }
                if p == is_p {
                    break;
                }
            }
        } else {
            let hides = if is_p {
                self.quote_inline && tag.has_class("quote-inline")
            } else {
                tag.has_class("invisible")
            };
            self.stack.push((is_p, hides));
            if hides {
                self.depth += 1;
            }
        }
    }

    pub(super) fn hidden(&self) -> bool {
        self.depth > 0
    }
}

/// Applies the heading and emoji rules to ammonia's output. `emojis` maps a
/// shortcode to the URL of its mirrored image.
pub(super) fn finish(cleaned: &str, emojis: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(cleaned.len());
    let mut hidden = Hidden::new(false);
    // For each open `<a>`: whether it lost its href (and so is left out,
    // keeping its text, as Mastodon does).
    let mut links: Vec<bool> = Vec::new();
    for token in tokens(cleaned) {
        match token {
            Token::Tag(tag) if tag.name == "a" => {
                let dropped = if tag.closing {
                    links.pop().unwrap_or(false)
                } else {
                    let dropped = !tag.raw.contains(" href=\"");
                    links.push(dropped);
                    dropped
                };
                if !dropped {
                    out.push_str(tag.raw);
                }
            }
            Token::Text(text) if hidden.hidden() || emojis.is_empty() => out.push_str(text),
            Token::Text(text) => replace_emoji(text, emojis, &mut out),
            Token::Tag(tag) if tag.heading() => {
                if tag.closing {
                    out.push_str("</strong></p>");
                } else {
                    out.push_str("<p");
                    out.push_str(tag.attributes());
                    out.push_str("><strong>");
                }
            }
            Token::Tag(tag) => {
                hidden.visit(&tag);
                out.push_str(tag.raw);
            }
        }
    }
    out
}

/// Escapes plain text (a display name, a content warning, a poll option) and
/// turns the listed custom emoji in it into images.
pub(super) fn text_with_emoji(text: &str, emojis: &HashMap<String, String>) -> String {
    let escaped = escape(text);
    if emojis.is_empty() {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len());
    replace_emoji(&escaped, emojis, &mut out);
    out
}

/// Whether `c` may stand next to a shortcode: Mastodon requires that the
/// neighbours are neither alphanumeric nor a colon (emoji_formatter.rb).
fn boundary(c: Option<char>) -> bool {
    c.is_none_or(|c| !c.is_alphanumeric() && c != ':')
}

/// Copies escaped `text` to `out`, replacing `:code:` for every listed code.
fn replace_emoji(text: &str, emojis: &HashMap<String, String>, out: &mut String) {
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find(':') {
        let start = search + found;
        search = start + 1;
        let rest = &text[start + 1..];
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if len == 0 || rest.as_bytes().get(len) != Some(&b':') {
            continue;
        }
        let end = start + len + 2;
        let code = &rest[..len];
        let Some(url) = emojis.get(code) else {
            continue;
        };
        if !boundary(text[..start].chars().next_back()) || !boundary(text[end..].chars().next()) {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(&format!(
            r#"<img class="emoji" src="{}" alt=":{code}:" title=":{code}:" width="20" height="20">"#,
            escape(url)
        ));
        copied = end;
        search = end;
    }
    out.push_str(&text[copied..]);
}

/// The visible text of cleaned markup: no `span.invisible`, no
/// `p.quote-inline`; block ends and line breaks become spaces.
pub(super) fn plain_text(cleaned: &str) -> String {
    plain_text_of(tokens(cleaned))
}

/// [`plain_text`] of markup already split into tokens, so that a caller
/// that needs the tokens for more than the text tokenizes only once.
pub(super) fn plain_text_of<'a>(tokens: impl Iterator<Item = Token<'a>>) -> String {
    let mut out = String::new();
    let mut hidden = Hidden::new(true);
    for token in tokens {
        match token {
            Token::Text(text) if !hidden.hidden() => out.push_str(text),
            Token::Text(_) => {}
            Token::Tag(tag) => {
                hidden.visit(&tag);
                if !hidden.hidden() && tag.breaks_text() {
                    out.push(' ');
                }
            }
        }
    }
    let decoded = decode_entities(&out);
    // The words joined by single spaces, without a list of them first.
    let mut text = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// Whether [`plain_text_of`] the same tokens is not empty, mostly without
/// building it: the text is empty exactly when its decoded form is all
/// whitespace. Entities only start at `&`, and decoding leaves everything
/// before the first `&` as it is, so the first visible character that is
/// neither whitespace nor `&` settles it. Only from a first `&` on (an
/// entity such as `&nbsp;` may decode to whitespace) is the rest collected
/// and decoded, with the spaces of line breaks that keep entities apart.
pub(super) fn has_visible_text<'a>(tokens: impl Iterator<Item = Token<'a>>) -> bool {
    let mut hidden = Hidden::new(true);
    let mut tail: Option<String> = None;
    for token in tokens {
        match token {
            Token::Text(text) if !hidden.hidden() => {
                if let Some(tail) = &mut tail {
                    tail.push_str(text);
                    continue;
                }
                match text.char_indices().find(|(_, c)| !c.is_whitespace()) {
                    None => {}
                    Some((at, '&')) => tail = Some(text[at..].to_string()),
                    Some(_) => return true,
                }
            }
            Token::Text(_) => {}
            Token::Tag(tag) => {
                hidden.visit(&tag);
                if !hidden.hidden() && tag.breaks_text() {
                    if let Some(tail) = &mut tail {
                        tail.push(' ');
                    }
                }
            }
        }
    }
    tail.is_some_and(|tail| !decode_entities(&tail).chars().all(char::is_whitespace))
}

/// Decodes the entities html5ever's serializer writes in text.
///
/// One pass, from each `&` to the next: the entities neither overlap nor
/// make new ones when decoded (`&amp;lt;` is `&lt;`, as text), so this is
/// what replacing each of them in turn, `&amp;` last, gives.
pub(super) fn decode_entities(s: &str) -> String {
    const ENTITIES: [(&str, &str); 5] = [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&nbsp;", "\u{a0}"),
        ("&amp;", "&"),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, text)) => {
                out.push_str(text);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
