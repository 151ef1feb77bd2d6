//! How a browser reads the text the scan looks at: character references in
//! HTML attribute values and escapes in CSS, decoded so a URL cannot hide its
//! scheme or host from the scan.

/// An attribute value as the browser reads it: character references
/// (`&#58;`, `&#x3A;`, `&colon;`, ...) decoded, so a URL cannot hide its
/// scheme or host behind them. Numeric references of any value are decoded
/// (invalid ones become U+FFFD, as in browsers); of the named ones, those that
/// can matter in a URL. Unknown names stay as written.
pub(super) fn decode(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
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

/// The character a reference at the start of `s` (which starts with `&`)
/// stands for, and the reference's length including a `;` if present.
fn reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .bytes()
            .take_while(|&b| (b as char).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        let significant = digits[..len].trim_start_matches('0');
        let code = if significant.is_empty() {
            0
        } else if significant.len() > 8 {
            u32::MAX
        } else {
            u32::from_str_radix(significant, radix).unwrap_or(u32::MAX)
        };
        let c = char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c, 1 + skip + len + semi));
    }
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("quot", '"'),
        ("apos", '\''),
        ("lt", '<'),
        ("gt", '>'),
        ("colon", ':'),
        ("sol", '/'),
        ("bsol", '\\'),
        ("period", '.'),
        ("commat", '@'),
        ("quest", '?'),
        ("num", '#'),
        ("equals", '='),
        ("Tab", '\t'),
        ("NewLine", '\n'),
        ("nbsp", '\u{a0}'),
    ];
    NAMED.iter().find_map(|(name, c)| {
        let after = body.strip_prefix(name)?;
        let semi = usize::from(after.starts_with(';'));
        // Without `;`, only the legacy names are references in attributes.
        (semi == 1 || matches!(*name, "amp" | "quot" | "lt" | "gt" | "nbsp"))
            .then_some((*c, 1 + name.len() + semi))
    })
}

/// CSS text with its escapes decoded: `\` and 1–6 hex digits (plus one
/// whitespace after them) is that code point (0, surrogates and values past
/// U+10FFFF become U+FFFD), `\` before a line break is dropped, `\` before
/// any other character is that character.
pub(super) fn css_unescape(css: &str) -> std::borrow::Cow<'_, str> {
    if !css.contains('\\') {
        return std::borrow::Cow::Borrowed(css);
    }
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(h) if h.is_ascii_hexdigit() => {
                let mut code = 0u32;
                let mut digits = 0;
                while let Some(d) = chars.peek().and_then(|h| h.to_digit(16)) {
                    if digits == 6 {
                        break;
                    }
                    code = code * 16 + d;
                    digits += 1;
                    chars.next();
                }
                if chars.peek().is_some_and(|w| w.is_ascii_whitespace()) {
                    chars.next();
                }
                out.push(
                    char::from_u32(code)
                        .filter(|&c| c != '\0')
                        .unwrap_or('\u{FFFD}'),
                );
            }
            Some('\n') => {
                chars.next();
            }
            Some(other) => {
                out.push(other);
                chars.next();
            }
            None => out.push('\u{FFFD}'),
        }
    }
    std::borrow::Cow::Owned(out)
}
