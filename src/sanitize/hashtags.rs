//! The hashtag bar, as Mastodon 4.2+ shows it: a last paragraph that holds
//! nothing but hashtag links leaves the text, and its tags are shown once,
//! in the toot's tag list, in their order.
//!
//! Works on markup that went through the policy (see `markup.rs` for why a
//! small tokenizer is enough there). A paragraph counts as a hashtag bar
//! when it is the content's last top-level element and holds only links
//! whose text is `#name` for a tag the toot lists (only those have a tag page
//! here), separated by whitespace, line breaks or `, . ; · |`.
//! A toot whose text is nothing but that paragraph keeps it: there would be
//! no text left.
//!
//! The content is tokenized once: the search for the bar, the test that
//! text is left, the links left in the text and the visible text all read
//! the same tokens (`reference.rs` keeps the earlier definitions, which
//! tokenized it four times, for the differential tests).

use std::collections::HashSet;

use super::markup::{decode_entities, has_visible_text, plain_text, plain_text_of, tokens, Token};

/// The content with its hashtag bar taken out, and what the tag list needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct HashtagBar {
    /// The content without the bar (unchanged when there is none).
    pub content: String,
    /// The bar's tag names as written, without `#`, in their order.
    pub bar: Vec<String>,
    /// The lower-cased names of the hashtag links left in the text.
    pub in_text: HashSet<String>,
    /// The visible text of `content` (see `markup::plain_text`).
    pub text: String,
}

/// The last top-level paragraph when it is a hashtag bar.
struct Candidate {
    /// Its byte range in the content.
    bytes: (usize, usize),
    /// Its token range, `<p>` and `</p>` included.
    tokens: (usize, usize),
    names: Vec<String>,
}

/// Splits the hashtag bar off cleaned `html`. `tags` holds the lower-cased
/// names of the tags the toot lists.
pub(super) fn split(html: &str, tags: &HashSet<String>) -> HashtagBar {
    // A bar and a hashtag link in the text both need a link text starting
    // with `#`, and entities are not decoded into one: without a `#` only
    // the visible text is left to find.
    if !html.contains('#') {
        return HashtagBar {
            content: html.to_string(),
            text: plain_text(html),
            ..Default::default()
        };
    }
    let all: Vec<Token<'_>> = tokens(html).collect();
    // The tokens of the content that is kept, in two runs around the bar.
    let mut kept: (&[Token<'_>], &[Token<'_>]) = (&all, &[]);
    let mut result = HashtagBar::default();
    let candidate = last_paragraph_of_tags(html, &all, tags);
    if let Some(found) = candidate.filter(|c| {
        let (first, last) = c.tokens;
        has_visible_text(all[..first].iter().chain(&all[last..]).copied())
    }) {
        let (start, end) = found.bytes;
        let (first, last) = found.tokens;
        // Only whitespace follows the bar, so this is the trimmed
        // concatenation of what comes before and after it.
        let mut content = String::with_capacity(html.len() - (end - start));
        content.push_str(&html[..start]);
        content.push_str(&html[end..]);
        content.truncate(content.trim_end().len());
        result.content = content;
        result.bar = found.names;
        kept = (&all[..first], &all[last..]);
    } else {
        result.content = html.to_string();
    }
    // The trimmed whitespace ended the text and so changes neither the
    // links nor the visible text; two text tokens meeting where the bar
    // was read the same as one.
    let kept = || kept.0.iter().chain(kept.1).copied();
    result.in_text = links(kept())
        .into_iter()
        .filter_map(|text| Some(text.strip_prefix('#')?.to_lowercase()))
        .collect();
    result.text = plain_text_of(kept());
    result
}

/// The last top-level `<p>…</p>` when only whitespace follows it and it
/// holds only hashtag links of the toot's tags. `all` is `html` tokenized.
fn last_paragraph_of_tags(
    html: &str,
    all: &[Token<'_>],
    tags: &HashSet<String>,
) -> Option<Candidate> {
    let mut depth = 0usize;
    let mut offset = 0;
    let mut last: Option<Candidate> = None;
    let mut open_p = None;
    for (index, token) in all.iter().enumerate() {
        let len = match token {
            Token::Text(t) => t.len(),
            Token::Tag(tag) => tag.raw.len(),
        };
        match token {
            Token::Text(t) if depth == 0 && !t.trim().is_empty() => last = None,
            Token::Tag(tag) if is_void(tag.name) => {}
            Token::Tag(tag) if tag.closing => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    last = match (tag.name, open_p.take()) {
                        ("p", Some((start, first))) => Some(Candidate {
                            bytes: (start, offset + len),
                            tokens: (first, index + 1),
                            names: Vec::new(),
                        }),
                        _ => None,
                    };
                }
            }
            Token::Tag(tag) => {
                if depth == 0 {
                    open_p = (tag.name == "p").then_some((offset, index));
                    last = None;
                }
                depth += 1;
            }
            Token::Text(_) => {}
        }
        offset += len;
    }
    let mut last = last?;
    let (start, end) = last.bytes;
    let (first, past) = last.tokens;
    let outer = &html[start..end];
    let inner_start = outer.find('>')? + 1;
    let inner_end = outer.rfind("</p>")?;
    let inner = &outer[inner_start..inner_end];
    // The paragraph's inside is the tokens between its `<p>` and `</p>`
    // when those two tags are what the text search above finds (always, on
    // the serializer's output); otherwise it is tokenized on its own.
    let retokenized: Vec<Token<'_>>;
    let inside: &[Token<'_>] = match (all[first], all[past - 1]) {
        (Token::Tag(open), Token::Tag(close))
            if open.raw.len() == inner_start && close.raw == "</p>" =>
        {
            &all[first + 1..past - 1]
        }
        _ => {
            retokenized = tokens(inner).collect();
            &retokenized
        }
    };
    let found = links(inside.iter().copied());
    // Everything outside the links must be separators or line breaks.
    let mut outside = String::new();
    let mut link_depth = 0usize;
    for token in inside {
        match token {
            Token::Tag(tag) if tag.name == "a" => {
                if tag.closing {
                    link_depth = link_depth.saturating_sub(1);
                } else {
                    link_depth += 1;
                }
            }
            Token::Tag(tag) if link_depth == 0 && tag.name != "br" => return None,
            Token::Text(t) if link_depth == 0 => outside.push_str(t),
            _ => {}
        }
    }
    let separators = |c: char| c.is_whitespace() || ",.;·|".contains(c);
    if found.is_empty() || !decode_entities(&outside).chars().all(separators) {
        return None;
    }
    for text in found {
        let name = text.strip_prefix('#')?;
        // Only the toot's own tags have a tag page on the site.
        if name.is_empty() || !tags.contains(&name.to_lowercase()) {
            return None;
        }
        if !last
            .names
            .iter()
            .any(|n| n.to_lowercase() == name.to_lowercase())
        {
            last.names.push(name.to_string());
        }
    }
    Some(last)
}

/// The visible text of every link in the tokens, trimmed.
fn links<'a>(tokens: impl Iterator<Item = Token<'a>>) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for token in tokens {
        match token {
            Token::Tag(tag) if tag.name == "a" && !tag.closing => current = Some(String::new()),
            Token::Tag(tag) if tag.name == "a" => {
                if let Some(text) = current.take() {
                    out.push(decode_entities(text.trim()));
                }
            }
            Token::Text(t) => {
                if let Some(text) = &mut current {
                    text.push_str(t);
                }
            }
            Token::Tag(_) => {}
        }
    }
    out
}

fn is_void(name: &str) -> bool {
    matches!(name, "br" | "img" | "hr" | "wbr")
}

#[cfg(test)]
mod diff;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;
