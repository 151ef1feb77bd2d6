//! Derived titles: what a toot is called in `<title>`, `og:title`, list
//! headings and feed items. Mastodon posts have no title, so one is made from
//! the content warning, else the first sentence of the visible text (without
//! the "RE: …" line of a quote), else "Media post of {date}". Articles and
//! pages from other servers bring their own (`name`), which wins.
//!
//! Titles are plain text: a custom emoji's `:code:` is markup of Mastodon
//! (an image in the body), so [`without_emoji_codes`] takes it out of the
//! texts first; a post that is nothing but emoji codes gets the fallback
//! title of a post without text.

use super::theme::I18n;

/// The post's own title, else the content warning, else the first sentence
/// of the text cut at a word boundary near 80 characters, else "Media post
/// of {date}". `cw` and `text` are plain text without emoji codes.
pub(crate) fn derive_title(
    own: Option<&str>,
    cw: &str,
    text: &str,
    date: &str,
    has_media: bool,
    i18n: &I18n,
) -> String {
    if let Some(own) = own.map(str::trim).filter(|t| !t.is_empty()) {
        return truncate_words(own, 120);
    }
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
    for (i, c) in text.char_indices() {
        let next_is_space = || {
            text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        };
        let end = match c {
            // "!" and "?" always end a sentence; a short exclamation such as
            // "Was für ein Tag!" is a fine title.
            '!' | '?' | '…' => i >= 8 && next_is_space(),
            // A full stop does not after an abbreviation ("z. B.", "bzw."), an
            // ordinal ("25. Januar") or too little text for a title.
            '.' => i >= 20 && next_is_space() && !abbreviation(&text[..i]),
            _ => false,
        };
        if end {
            return &text[..i + c.len_utf8()];
        }
    }
    text
}

/// Whether the word before a full stop is an abbreviation or a number.
fn abbreviation(before: &str) -> bool {
    const KNOWN: &[&str] = &[
        "bzw", "ca", "etc", "evtl", "ggf", "inkl", "nr", "str", "usw", "vgl", "zb", "zzgl", "dr",
        "prof", "mr", "mrs", "ms", "vs", "eg", "ie", "approx", "no", "st",
    ];
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let letters: String = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let alphabetic = word.chars().all(|c| c.is_alphabetic() || c == '.');
    word.is_empty()
        || word.chars().all(|c| c.is_ascii_digit())
        || (alphabetic && (letters.chars().count() == 1 || word.contains('.')))
        || (alphabetic && KNOWN.contains(&letters.as_str()))
}

/// Cuts `text` to at most `max` characters at a word boundary, adding "…".
/// The boundary is never right after a number with a full stop ("ab 1."
/// reads as a sentence end or a date torn apart): the cut moves before it.
pub(crate) fn truncate_words(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let mut end = cut.len();
    let kept = loop {
        match cut[..end].rfind(char::is_whitespace) {
            Some(i) if i >= max / 2 => {
                let candidate = cut[..i].trim_end();
                if !ends_in_ordinal(candidate) {
                    break candidate;
                }
                end = i;
            }
            _ => break cut.as_str(),
        }
    };
    format!("{}…", kept.trim_end_matches([',', ';', ':', ' ', '-']))
}

/// Whether the last word is a number followed by a full stop ("1.", "25.").
fn ends_in_ordinal(text: &str) -> bool {
    let word = text.rsplit(char::is_whitespace).next().unwrap_or("");
    word.strip_suffix('.')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `text` without the listed custom emoji codes (`:code:` bounded, as
/// Mastodon has it, by characters that are neither alphanumeric nor
/// colons), with the spaces they leave closed up. Other text between colons
/// stays: only codes the post lists are emoji.
pub(crate) fn without_emoji_codes(text: &str, codes: &[&str]) -> String {
    if codes.is_empty() || !text.contains(':') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(':') {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let after_colon = &from[1..];
        let code_len = after_colon
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after_colon.len());
        let code = &after_colon[..code_len];
        let closes = after_colon[code_len..].starts_with(':');
        let bounded_before = out
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == ':'));
        let bounded_after = || {
            after_colon[code_len + 1..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == ':'))
        };
        if closes && bounded_before && bounded_after() && codes.contains(&code) {
            rest = &after_colon[code_len + 1..];
        } else {
            out.push(':');
            rest = after_colon;
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
