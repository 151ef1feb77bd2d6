//! Escaping: plain text into HTML (the escape function Tera prints every
//! value with) and values into JSON that can never read as markup (data
//! blocks and the published JSON files).

use serde::Serialize;

use super::SafeHtml;

/// Plain text → HTML with every special character escaped.
pub(crate) fn text(value: &str) -> SafeHtml {
    SafeHtml(escape(value))
}

pub fn escape(value: &str) -> String {
    // Copies runs of ordinary bytes at once.
    let mut out = String::with_capacity(value.len() + value.len() / 8);
    let mut start = 0;
    while let Some(i) = next_special(value.as_bytes(), start) {
        out.push_str(&value[start..i]);
        out.push_str(entity(value.as_bytes()[i]).expect("a special byte"));
        start = i + 1;
    }
    out.push_str(&value[start..]);
    out
}

/// [`escape`] into a writer: Tera 2's escape function, so it runs on every
/// printed value of every page, writing straight into the page.
pub(crate) fn escape_to(value: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = value.as_bytes();
    let mut start = 0;
    while let Some(i) = next_special(bytes, start) {
        out.write_all(&bytes[start..i])?;
        out.write_all(entity(bytes[i]).expect("a special byte").as_bytes())?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// The position of the first byte at or after `from` that [`entity`]
/// escapes. Searched with `memchr` (most printed values hold none, and a
/// byte-by-byte loop was 3 % of a build): first for `& < >`, then for the
/// quotes before that point.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let markup = memchr::memchr3(b'&', b'<', b'>', rest);
    let quote = memchr::memchr2(b'"', b'\'', &rest[..markup.unwrap_or(rest.len())]);
    quote.or(markup).map(|i| from + i)
}

/// The entity of a byte that HTML text or an attribute must not hold as
/// itself; `/` stays (Tera's default escapes it, which garbles URLs).
pub(super) fn entity(b: u8) -> Option<&'static str> {
    Some(match b {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#39;",
        _ => return None,
    })
}

/// A value as JSON for a data block (`<script type="application/ld+json">`).
/// `<`, `>` and `&` are written as `\u003c`, `\u003e` and `\u0026` (the
/// same values for a JSON parser), so no text from a toot can close the
/// element or open a comment: the block stays data, never markup.
pub(crate) fn json_data<T: Serialize>(value: &T) -> SafeHtml {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    SafeHtml(json_without_markup(&text))
}

/// Serialized JSON with `<`, `>`, `&`, U+2028 and U+2029 written as `\u`
/// escapes. They only occur inside JSON strings, where the escape is the
/// same value, so the document means the same; but its text can no longer
/// close an element, open a tag or comment, or end a line in a script. The
/// characters are ASCII or a fixed 3-byte sequence starting with 0xE2, so
/// they are found with memchr and everything between them is copied as it is.
pub(crate) fn json_without_markup(text: &str) -> String {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let markup =
        |from: usize| memchr::memchr3(b'<', b'>', b'&', &bytes[from..]).map_or(len, |p| from + p);
    // 0xE2 also starts dashes, quotes and the euro sign: only U+2028/2029
    // are escaped.
    let lead = |from: usize| memchr::memchr(0xE2, &bytes[from..]).map_or(len, |p| from + p);
    let mut out = String::with_capacity(len + 16);
    let (mut next_markup, mut next_lead, mut start) = (markup(0), lead(0), 0);
    loop {
        let i = next_markup.min(next_lead);
        if i >= len {
            break;
        }
        let (escaped, width) = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'<', _, _) => (Some("\\u003c"), 1),
            (b'>', _, _) => (Some("\\u003e"), 1),
            (b'&', _, _) => (Some("\\u0026"), 1),
            (_, Some(0x80), Some(0xA8)) => (Some("\\u2028"), 3),
            (_, Some(0x80), Some(0xA9)) => (Some("\\u2029"), 3),
            _ => (None, 1),
        };
        if let Some(escaped) = escaped {
            out.push_str(&text[start..i]);
            out.push_str(escaped);
            start = i + width;
        }
        if next_markup == i {
            next_markup = markup(i + width);
        } else {
            next_lead = lead(i + width);
        }
    }
    out.push_str(&text[start..]);
    out
}
