//! Text every output format can carry: the one place where characters that
//! XML 1.0 or HTML forbid are taken out of what a server sent.
//!
//! A single such character in a toot made `feed.xml` and `atom.xml`
//! ill-formed, and a feed reader then rejects the whole feed, not only the
//! item. So every string of a [`Toot`] and an [`AccountState`] goes through
//! [`clean_str`]: when sources map a server's data into the model, and again
//! when store files are read (files written by older versions, or by hand,
//! may still carry them). Templates, feeds, the sitemap and the embed then
//! never see one.
//!
//! Dropped (not replaced, so a code point between two letters does not split
//! a word or a tag name):
//! - C0 controls other than tab, LF and CR (XML 1.0 `Char` excludes them);
//! - DEL and the C1 controls U+007F–U+009F (HTML calls them parse errors,
//!   and the Nu checker reports them);
//! - the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of every plane
//!   (U+FFFE and U+FFFF are outside XML's `Char`; HTML calls all of them
//!   parse errors).
//!
//! Lone surrogates cannot occur: Rust strings are valid UTF-8, and JSON's
//! `\uD800` escapes are refused by serde_json. Everything else keeps its
//! meaning: only these code points go, and a string without one is not
//! touched (nor copied).

use super::{AccountState, Author, Media, SharedToot, Toot};

/// Whether `c` is a code point no output format may carry.
pub fn is_forbidden(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7F..=0x9F).contains(&n)
        || (0xFDD0..=0xFDEF).contains(&n)
        || (n & 0xFFFE) == 0xFFFE
}

/// Drops the forbidden code points of `value` in place; untouched when it
/// has none.
pub fn clean_str(value: &mut String) {
    if suspicious(value.as_bytes()) && value.chars().any(is_forbidden) {
        value.retain(|c| !is_forbidden(c));
    }
}

/// Whether `bytes` may hold a forbidden code point: a C0 control or DEL, a
/// lead byte of U+0080–U+00BF (0xC2: the C1 controls) or of U+F000 and up
/// (0xEF and above: U+FDD0–U+FDEF, U+FFFE/F and the other planes). Text
/// without one is the common case, and this byte scan decides it.
fn suspicious(bytes: &[u8]) -> bool {
    // Whole chunks without an early exit, so the compiler can compare many
    // bytes at once; the exit is taken between chunks.
    bytes.chunks(64).any(|chunk| {
        chunk.iter().fold(false, |seen, &b| {
            seen | (b < 0x20) | (b == 0x7F) | (b == 0xC2) | (b >= 0xEF)
        })
    })
}

fn clean_opt(value: &mut Option<String>) {
    if let Some(v) = value {
        clean_str(v);
    }
}

/// Cleans every string of a toot, of a boosted or quoted post inside it too.
pub fn toot(toot: &mut Toot) {
    let Toot {
        schema: _,
        id,
        uri,
        url,
        created_at: _,
        edited_at: _,
        visibility: _,
        language,
        title,
        content,
        spoiler_text,
        sensitive: _,
        pinned: _,
        media,
        poll,
        card,
        emojis,
        tags,
        mentions,
        in_reply_to,
        reblog,
        quote,
    } = toot;
    for s in [id, uri, content, spoiler_text] {
        clean_str(s);
    }
    for s in [url, language, title] {
        clean_opt(s);
    }
    media.iter_mut().for_each(self::media);
    if let Some(poll) = poll {
        for option in &mut poll.options {
            clean_str(&mut option.title);
        }
    }
    if let Some(card) = card {
        for s in [
            &mut card.url,
            &mut card.title,
            &mut card.description,
            &mut card.provider_name,
            &mut card.author_name,
            &mut card.image_description,
        ] {
            clean_str(s);
        }
        clean_opt(&mut card.image);
        clean_opt(&mut card.image_remote_url);
    }
    for emoji in emojis {
        clean_str(&mut emoji.shortcode);
        clean_str(&mut emoji.remote_url);
        clean_opt(&mut emoji.file);
    }
    for tag in tags {
        clean_str(&mut tag.name);
    }
    for mention in mentions {
        clean_opt(&mut mention.id);
        for s in [&mut mention.username, &mut mention.acct, &mut mention.url] {
            clean_str(s);
        }
    }
    if let Some(reply) = in_reply_to {
        clean_str(&mut reply.id);
        clean_opt(&mut reply.account_id);
        clean_opt(&mut reply.url);
    }
    if let Some(shared) = reblog {
        self::shared(shared);
    }
    if let Some(q) = quote {
        clean_str(&mut q.uri);
        clean_opt(&mut q.url);
        if let Some(shared) = &mut q.shared {
            self::shared(shared);
        }
    }
}

fn media(m: &mut Media) {
    clean_str(&mut m.id);
    clean_str(&mut m.remote_url);
    for s in [
        &mut m.preview_remote_url,
        &mut m.file,
        &mut m.preview_file,
        &mut m.mime,
        &mut m.description,
        &mut m.blurhash,
    ] {
        clean_opt(s);
    }
}

fn shared(s: &mut SharedToot) {
    author(&mut s.author);
    toot(&mut s.toot);
}

fn author(a: &mut Author) {
    clean_str(&mut a.acct);
    clean_str(&mut a.display_name);
    clean_str(&mut a.url);
    clean_opt(&mut a.avatar);
    for emoji in &mut a.emojis {
        clean_str(&mut emoji.shortcode);
        clean_str(&mut emoji.remote_url);
        clean_opt(&mut emoji.file);
    }
}

/// Cleans the profile strings of an account: display name, bio, URLs, emoji.
pub fn account(state: &mut AccountState) {
    for s in [&mut state.handle, &mut state.display_name, &mut state.note] {
        clean_str(s);
    }
    for s in [
        &mut state.id,
        &mut state.url,
        &mut state.avatar,
        &mut state.avatar_remote_url,
        &mut state.header,
        &mut state.newest_id,
    ] {
        clean_opt(s);
    }
    for emoji in &mut state.emojis {
        clean_str(&mut emoji.shortcode);
        clean_str(&mut emoji.remote_url);
        clean_opt(&mut emoji.file);
    }
}

#[cfg(test)]
mod tests;
