//! What a stylesheet makes the browser load: `url()`, `@import` and
//! `image-set()` references, read after CSS escapes are decoded.

use super::decode::css_unescape;

/// The URLs a stylesheet loads: `url(...)`, `@import "..."` and the strings
/// of `image-set(...)`. CSS escapes are decoded first (`u\72l(`,
/// `https\3a //`), as the browser reads them; decoding can only add matches.
pub(crate) fn css_loads(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let css = css_unescape(css);
    let css = css.as_ref();
    let lower = css.to_ascii_lowercase();
    for arg in call_args(css, &lower, "url(") {
        out.push(arg.trim().trim_matches(['"', '\'']).to_string());
    }
    let mut from = 0;
    while let Some(pos) = lower[from..].find("@import") {
        let start = from + pos + 7;
        let rest = css[start..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if let Some(end) = rest[1..].find(q) {
                out.push(rest[1..1 + end].to_string());
            }
        }
        from = start;
    }
    for mut rest in call_args(css, &lower, "image-set(") {
        while let Some(q) = rest.find(['"', '\'']) {
            let quote = rest.as_bytes()[q] as char;
            let Some(len) = rest[q + 1..].find(quote) else {
                break;
            };
            out.push(rest[q + 1..q + 1 + len].to_string());
            rest = &rest[q + 2 + len..];
        }
    }
    out
}

/// The text between each `name` (ending in `(`, matched in `lower`, the
/// lower-cased `css`) and the next `)`.
fn call_args<'c>(css: &'c str, lower: &str, name: &str) -> Vec<&'c str> {
    let mut args = Vec::new();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let start = from + pos + name.len();
        let end = css[start..].find(')').map_or(css.len(), |e| start + e);
        args.push(&css[start..end]);
        from = end;
    }
    args
}
