//! The hashtag bar's split and the visible text as they were defined before
//! they shared one tokenization, kept word for word (test only) as the
//! reference the differential tests in `diff.rs` compare the new code with.

use std::collections::HashSet;

use super::super::markup::{decode_entities, tokens, Hidden, Token};
use super::HashtagBar;

/// The old `markup::plain_text`.
pub(super) fn plain_text(cleaned: &str) -> String {
    let mut out = String::with_capacity(cleaned.len());
    let mut hidden = Hidden::new(true);
    for token in tokens(cleaned) {
        match token {
            Token::Text(text) if !hidden.hidden() => out.push_str(text),
            Token::Text(_) => {}
            Token::Tag(tag) => {
                hidden.visit(&tag);
                let block_end = tag.closing
                    && (tag.heading() || matches!(tag.name, "p" | "li" | "blockquote" | "pre"));
                if !hidden.hidden() && (tag.name == "br" || block_end) {
                    out.push(' ');
                }
            }
        }
    }
    let decoded = decode_entities(&out);
    let mut text = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// Splits the hashtag bar off cleaned `html`. `tags` holds the lower-cased
/// names of the tags the toot lists.
pub(super) fn split(html: &str, tags: &HashSet<String>) -> HashtagBar {
    let mut result = HashtagBar {
        content: html.to_string(),
        ..Default::default()
    };
    // The old caller read the visible text from the split content.
    let finish = |mut result: HashtagBar| {
        result.text = plain_text(&result.content);
        result
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
    finish(result)
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
