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

use std::collections::HashSet;

use super::markup::{decode_entities, plain_text, tokens, Token};

/// The content with its hashtag bar taken out, and what the tag list needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct HashtagBar {
    /// The content without the bar (unchanged when there is none).
    pub content: String,
    /// The bar's tag names as written, without `#`, in their order.
    pub bar: Vec<String>,
    /// The lower-cased names of the hashtag links left in the text.
    pub in_text: HashSet<String>,
}

/// Splits the hashtag bar off cleaned `html`. `tags` holds the lower-cased
/// names of the tags the toot lists.
pub(super) fn split(html: &str, tags: &HashSet<String>) -> HashtagBar {
    let mut result = HashtagBar {
        content: html.to_string(),
        ..Default::default()
    };
    if let Some((start, end, names)) = last_paragraph_of_tags(html, tags) {
        let rest = format!("{}{}", &html[..start], &html[end..]);
        if !plain_text(&rest).is_empty() {
            result.content = rest.trim_end().to_string();
            result.bar = names;
        }
    }
    result.in_text = links(&result.content)
        .into_iter()
        .filter_map(|text| Some(text.strip_prefix('#')?.to_lowercase()))
        .collect();
    result
}

/// Byte range of the last top-level `<p>…</p>` when only whitespace
/// follows it and it holds only hashtag links; with the tag names.
fn last_paragraph_of_tags(
    html: &str,
    tags: &HashSet<String>,
) -> Option<(usize, usize, Vec<String>)> {
    let mut depth = 0usize;
    let mut offset = 0;
    let mut last: Option<(usize, usize)> = None;
    let mut open_p = None;
    for token in tokens(html) {
        let len = match &token {
            Token::Text(t) => t.len(),
            Token::Tag(tag) => tag.raw.len(),
        };
        match &token {
            Token::Text(t) if depth == 0 && !t.trim().is_empty() => last = None,
            Token::Tag(tag) if is_void(tag.name) => {}
            Token::Tag(tag) if tag.closing => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    last = match (tag.name, open_p.take()) {
                        ("p", Some(start)) => Some((start, offset + len)),
                        _ => None,
                    };
                }
            }
            Token::Tag(tag) => {
                if depth == 0 {
                    open_p = (tag.name == "p").then_some(offset);
                    last = None;
                }
                depth += 1;
            }
            Token::Text(_) => {}
        }
        offset += len;
    }
    let (start, end) = last?;
    let inner = &html[start..end];
    let inner = &inner[inner.find('>')? + 1..inner.rfind("</p>")?];
    let found = links(inner);
    // Everything outside the links must be separators or line breaks.
    let mut outside = String::new();
    let mut link_depth = 0usize;
    for token in tokens(inner) {
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
    let mut names: Vec<String> = Vec::new();
    for text in found {
        let name = text.strip_prefix('#')?;
        // Only the toot's own tags have a tag page on the site.
        if name.is_empty() || !tags.contains(&name.to_lowercase()) {
            return None;
        }
        if !names
            .iter()
            .any(|n| n.to_lowercase() == name.to_lowercase())
        {
            names.push(name.to_string());
        }
    }
    Some((start, end, names))
}

/// The visible text of every link in `html`, trimmed.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for token in tokens(html) {
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
mod tests;
