//! A small HTML tag scanner for the payload tests: it reads tags the way a
//! browser's tokenizer does (tag name, then attributes with quoted or
//! unquoted values) and reports what a hostile toot must never produce.
//! Text content is skipped, so an escaped `&lt;script&gt;` is no finding,
//! while a real `<script` tag is one wherever it appears.

/// Elements no page or feed may contain (besides the theme's own `<meta>`).
pub(crate) const FORBIDDEN: &[&str] = &[
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "base",
    "frame",
    "frameset",
    "applet",
    "template",
    "noscript",
    "textarea",
    "xmp",
    "plaintext",
    "input",
    "button",
];

/// Elements the theme writes itself: a page may hold as many as its
/// templates do, and no more.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Allowed {
    pub meta: usize,
    pub link: usize,
    /// `<base>` tags (the iframe page of the embed writes one).
    pub base: usize,
    /// JSON data blocks, `<script type="application/ld+json">` without
    /// `src` (the schema.org metadata of toot pages). Browsers never run
    /// them; any other `<script>` is a finding.
    pub data: usize,
}

/// Attributes that hold a URL a browser may load or navigate to.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "poster",
    "action",
    "formaction",
    "cite",
    "data",
    "background",
    "srcset",
    "xlink:href",
    "ping",
    "manifest",
];

const BAD_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:"];

#[derive(Debug)]
pub(crate) struct Tag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

/// Every start tag in `html`, in order.
pub(crate) fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if html[i..].starts_with("<![CDATA[") {
            // Feed descriptions: the HTML inside is scanned like the rest.
            i += 9;
            continue;
        }
        if i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let (tag, end) = read_tag(html, i + 1);
        out.push(tag);
        i = end;
    }
    out
}

/// Reads a start tag whose name begins at `i`; returns it and the index
/// after its `>`.
fn read_tag(html: &str, mut i: usize) -> (Tag, usize) {
    let b = html.as_bytes();
    let start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = html[start..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let name_start = i;
        i += 1; // a name may start with `=`
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = html[name_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let quote = b[i];
                let v_start = i + 1;
                i = v_start;
                while i < b.len() && b[i] != quote {
                    i += 1;
                }
                value = html[v_start..i.min(b.len())].to_string();
                i += 1;
            } else {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = html[v_start..i].to_string();
            }
        }
        attributes.push((attr, value));
    }
    (Tag { name, attributes }, i.min(b.len()))
}

/// Decodes the character references a browser would decode in an attribute
/// value (named ones only for the few that matter here).
pub(crate) fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').filter(|&s| s < 12);
        let entity = semi.map(|s| &rest[1..s]);
        let decoded = entity.and_then(|e| {
            if let Some(num) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = e.strip_prefix('#') {
                num.parse().ok().and_then(char::from_u32)
            } else {
                match e {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "colon" => Some(':'),
                    "Tab" => Some('\t'),
                    "NewLine" => Some('\n'),
                    "nbsp" => Some('\u{a0}'),
                    _ => None,
                }
            }
        });
        match (decoded, semi) {
            (Some(c), Some(s)) => {
                out.push(c);
                rest = &rest[s + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a browser sees as the scheme part: entities decoded, ASCII
/// whitespace and control characters removed, lower case.
fn normalized(value: &str) -> String {
    decode(value)
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Every finding in one document; `allowed` says how many `<meta>` and
/// `<link>` tags the theme itself writes on this page.
pub(crate) fn findings(html: &str, allowed: Allowed) -> Vec<String> {
    let mut out = Vec::new();
    let (mut meta, mut link, mut base, mut data) = (0, 0, 0, 0);
    for tag in tags(html) {
        let attr = |wanted: &str| {
            tag.attributes
                .iter()
                .find(|(n, _)| n == wanted)
                .map(|(_, v)| normalized(v))
        };
        if tag.name == "base" {
            base += 1;
        } else if tag.name == "script"
            && attr("type").as_deref() == Some("application/ld+json")
            && attr("src").is_none()
        {
            data += 1;
        } else if FORBIDDEN.contains(&tag.name.as_str()) {
            out.push(format!("<{}> element", tag.name));
        }
        match tag.name.as_str() {
            "meta" => meta += 1,
            "link" => link += 1,
            _ => {}
        }
        for (name, value) in &tag.attributes {
            if name.starts_with("on") {
                out.push(format!("<{} {name}=…> event handler", tag.name));
            }
            if name == "style" {
                out.push(format!("<{} style=…> inline style", tag.name));
            }
            let v = normalized(value);
            let url_attr = URL_ATTRIBUTES.contains(&name.as_str());
            for scheme in BAD_SCHEMES {
                if url_attr && v.contains(scheme) {
                    out.push(format!("<{} {name}={value:?}> {scheme} URL", tag.name));
                }
            }
            if tag.name == "meta" && name == "http-equiv" && v == "refresh" {
                out.push("<meta http-equiv=refresh>".into());
            }
        }
    }
    if meta > allowed.meta {
        out.push(format!(
            "{meta} <meta> tags, the theme writes {}",
            allowed.meta
        ));
    }
    if base > allowed.base {
        out.push(format!(
            "{base} <base> element(s), the theme writes {}",
            allowed.base
        ));
    }
    if data > allowed.data {
        out.push(format!(
            "{data} JSON data block(s), the theme writes {}",
            allowed.data
        ));
    }
    if link > allowed.link {
        out.push(format!(
            "{link} <link> tags, the theme writes {}",
            allowed.link
        ));
    }
    out
}

#[test]
fn the_scanner_sees_what_a_browser_sees() {
    let cases = [
        (r#"<img src=x onerror=alert(1)>"#, 1),
        (r#"<a/href="x"/onclick=alert(1)>"#, 1),
        (r#"<a href="java&#x09;script:alert(1)">"#, 1),
        (r#"<a href="&#106;avascript&colon;x">"#, 1),
        (r#"<p title="<script>">x</p>"#, 0),
        (r#"&lt;script&gt;"#, 0),
        (r#"<svg><math>"#, 2),
        (r#"<img alt="javascript: is a word">"#, 0),
        (r#"<meta name=a><meta name=b>"#, 1),
        (r#"<base href="https://evil.example/">"#, 1),
        (r#"<script type="application/ld+json">{}</script>"#, 0),
        (
            r#"<script type="application/ld+json">{}</script><script type=application/ld+json>"#,
            1,
        ),
        (r#"<script type="application/ld+json" src="x.js">"#, 1),
        (r#"<script type="module">"#, 1),
    ];
    let allowed = Allowed {
        meta: 1,
        link: 0,
        base: 0,
        data: 1,
    };
    for (html, expected) in cases {
        let found = findings(html, allowed);
        assert_eq!(found.len(), expected, "{html}: {found:?}");
    }
}
