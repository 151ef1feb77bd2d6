//! Unit tests of `sanitize.rs`.

use super::escape::entity;
use super::*;

fn ctx() -> Context {
    let mut tags = HashMap::new();
    tags.insert("opendata".to_string(), "opendata".to_string());
    Context {
        tag_base: "https://example.org/tags/".into(),
        tags,
        emojis: [(
            "amt".to_string(),
            "https://example.org/media/amt.png".to_string(),
        )]
        .into(),
    }
}

fn c(html: &str) -> String {
    clean(html, &ctx()).into_string()
}

#[test]
fn keeps_mastodon_markup() {
    let html = r#"<p lang="de">Hallo <span class="h-card" translate="no"><a href="https://other.example/@anna" class="u-url mention">@<span>anna</span></a></span><br>Welt</p>"#;
    let out = c(html);
    assert!(
        out.contains(r#"<span class="h-card" translate="no">"#),
        "{out}"
    );
    assert!(out.contains(r#"class="u-url mention""#), "{out}");
    assert!(
        out.contains(r#"rel="nofollow noopener noreferrer ugc""#),
        "{out}"
    );
    assert!(out.contains("<br>"), "{out}");
    assert!(out.starts_with(r#"<p lang="de">"#), "{out}");
}

#[test]
fn drops_dangerous_markup() {
    let cases = [
        r#"<script>alert(1)</script>"#,
        r#"<img src=x onerror=alert(1)>"#,
        r#"<a href="javascript:alert(1)">x</a>"#,
        r#"<a href=" JaVaScRiPt:alert(1)">x</a>"#,
        r#"<a href="data:text/html,<script>alert(1)</script>">x</a>"#,
        r#"<p onclick="alert(1)" style="color:red">x</p>"#,
        r#"<iframe src="https://evil.example"></iframe>"#,
        r#"<svg><script>alert(1)</script></svg>"#,
        r#"<math><mi xlink:href="javascript:alert(1)">x</mi></math>"#,
        r#"<style>*{background:url(https://evil.example)}</style>"#,
    ];
    for case in cases {
        let out = c(case).to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "data:",
            "onclick",
            "style",
            "<iframe",
            "<svg",
            "<math",
            "<img",
        ] {
            assert!(!out.contains(bad), "{case} → {out}");
        }
    }
}

#[test]
fn filters_classes_and_rel() {
    let out =
        c(r#"<a href="https://x.example" class="evil mention" rel="opener" target="_top">x</a>"#);
    assert_eq!(
        out,
        r#"<a href="https://x.example" class="mention" rel="nofollow noopener noreferrer ugc">x</a>"#
    );
    let out = c(r#"<span class="invisible" translate="yes">y</span>"#);
    assert_eq!(out, r#"<span class="invisible">y</span>"#);
}

#[test]
fn rare_schemes_and_relative_links_become_text() {
    for href in ["gemini://x.example/", "xmpp:a@b", "/relative", "mailto:a@b"] {
        let out = c(&format!(
            r#"<p><a href="{href}" class="mention">x<span>y</span></a></p>"#
        ));
        assert_eq!(out, "<p>x<span>y</span></p>", "{href}");
    }
}

#[test]
fn hashtag_links_point_to_local_tag_pages() {
    let out = c(
        r##"<a href="https://social.example/tags/OpenData" class="mention hashtag" rel="tag">#<span>OpenData</span></a>"##,
    );
    assert!(
        out.contains(r#"href="https://example.org/tags/opendata/""#),
        "{out}"
    );
    // A tag the toot does not list keeps its remote link.
    let out = c(r##"<a href="https://social.example/tags/Other">#Other</a>"##);
    assert!(out.contains("https://social.example/tags/Other"), "{out}");
}

/// The tag name in a hashtag link is percent-decoded before it is looked up,
/// by classes of input: plain, valid escapes (ASCII and multi-byte UTF-8,
/// either hex case), invalid `%` sequences and bytes that are not UTF-8.
#[test]
fn tag_names_are_percent_decoded_by_class() {
    let mut context = ctx();
    context.tags.insert("über".into(), "ueber".into());
    context.tags.insert("50%".into(), "fifty".into());
    let link =
        |path: &str| local_tag_link(&format!("https://social.example/tags/{path}"), &context);
    let local = |slug: &str| Some(format!("https://example.org/tags/{slug}/"));
    // Plain and escaped ASCII.
    assert_eq!(link("OpenData"), local("opendata"));
    assert_eq!(link("Open%44ata"), local("opendata"));
    assert_eq!(link("Open%44ata/"), local("opendata"));
    // UTF-8 escapes, upper- and lower-case hex, and a raw non-ASCII name
    // (which the URL parser escapes first).
    assert_eq!(link("%C3%9Cber"), local("ueber"));
    assert_eq!(link("%c3%bcber"), local("ueber"));
    assert_eq!(link("über"), local("ueber"));
    // An escaped `%` decodes to the character.
    assert_eq!(link("50%25"), local("fifty"));
    // Invalid sequences stay as they are: a trailing `%` is the name's
    // own character, and a `%` with one or non-hex digits (or a sign, which
    // the old hand-written parser accepted as a digit) matches no tag.
    assert_eq!(link("50%"), local("fifty"));
    for invalid in ["50%2", "50%+5", "Open%zzData", "Open%+4ata", "%"] {
        assert_eq!(link(invalid), None, "{invalid}");
    }
    // Bytes that are not UTF-8 (a lone continuation byte, a cut-off
    // sequence, Latin-1 `ü`) give no name at all.
    for not_utf8 in ["%FF", "%80OpenData", "%C3", "%FCber"] {
        assert_eq!(link(not_utf8), None, "{not_utf8}");
        assert_eq!(percent_decode(not_utf8), None, "{not_utf8}");
    }
    // Not a tag path.
    assert_eq!(link("OpenData/more"), None);
    assert_eq!(
        local_tag_link("https://social.example/users/OpenData", &context),
        None
    );
}

#[test]
fn percent_decode_keeps_invalid_sequences() {
    assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
    assert_eq!(percent_decode("%e2%82%ac").as_deref(), Some("€"));
    assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
    assert_eq!(percent_decode("%4").as_deref(), Some("%4"));
    assert_eq!(percent_decode("%g1%").as_deref(), Some("%g1%"));
    assert_eq!(percent_decode("").as_deref(), Some(""));
}

#[test]
fn plain_text_skips_hidden_link_parts() {
    let html = r#"<p>Neu: <a href="https://www.example.org/a/very/long/path"><span class="invisible">https://www.</span><span class="ellipsis">example.org/a/very/long</span><span class="invisible">/path</span></a></p><p>Zweiter &amp; letzter</p>"#;
    assert_eq!(
        plain_text(html),
        "Neu: example.org/a/very/long Zweiter & letzter"
    );
    assert_eq!(plain_text("<p>a &lt;b&gt; \"c\"</p>"), "a <b> \"c\"");
}

#[test]
fn headings_and_emoji() {
    let out = c(r#"<h1>Neu :amt:</h1><h3 onclick="x">Unter</h3><p title=":amt:">:amt:</p>"#);
    assert_eq!(
        out,
        r#"<p><strong>Neu <img class="emoji" src="https://example.org/media/amt.png" alt=":amt:" title=":amt:" width="20" height="20"></strong></p><p><strong>Unter</strong></p><p><img class="emoji" src="https://example.org/media/amt.png" alt=":amt:" title=":amt:" width="20" height="20"></p>"#
    );
    // Without a mirrored image the shortcode stays text.
    let out = clean("<p>:amt:</p>", &Context::default()).into_string();
    assert_eq!(out, "<p>:amt:</p>");
}

#[test]
fn safe_urls_are_absolute_http() {
    assert_eq!(
        safe_url(" https://x.example/a b").as_deref(),
        Some("https://x.example/a%20b")
    );
    for bad in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "/relative",
        "//x.example/",
        "mailto:a@b.example",
        "",
    ] {
        assert_eq!(safe_url(bad), None, "{bad}");
    }
}

#[test]
fn plain_text_skips_the_quote_line() {
    let html = r#"<p class="quote-inline">RE: <a href="https://o.example/@a/1"><span class="invisible">https://</span>o.example/@a/1</a></p><p>Berechtigte Frage!</p>"#;
    assert_eq!(plain_text(html), "Berechtigte Frage!");
}

#[test]
fn escape_covers_html_specials() {
    assert_eq!(
        escape(r#"<a href="x">&'"#),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
}

#[test]
fn json_without_markup_keeps_the_values_and_drops_the_markup() {
    let value = serde_json::json!({
        "a": "</script><!-- & \u{2028}\u{2029} ünïcödé €",
        "b": ["<b>", "x>y&z"],
        "c": "„Zitat“ – … €\u{2028}<€>\u{2029}&\u{2027}\u{202A}",
        "d": "\u{2028}",
    });
    let text = serde_json::to_string_pretty(&value).unwrap();
    let safe = json_without_markup(&text);
    for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
        assert!(!safe.contains(bad), "{bad:?} in {safe}");
    }
    assert!(
        safe.contains("„Zitat“ – … €\\u2028\\u003c€\\u003e"),
        "{safe}"
    );
    let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
    assert_eq!(back, value);
}

#[test]
fn editorial_html_for_feeds_has_absolute_links() {
    let note = clean_editorial(
        r#"<p>Siehe <a href="../../kontakt/">Kontakt</a>, <a href="/impressum/">Impressum</a> und <a href="https://example.org/x">x</a>.</p>"#,
    );
    let feed = editorial_for_feed(note.as_str(), "https://amt.example/neuigkeiten/toots/1/");
    let html = feed.as_str();
    assert!(
        html.contains(r#"href="https://amt.example/neuigkeiten/kontakt/""#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="https://amt.example/impressum/""#),
        "{html}"
    );
    assert!(html.contains(r#"href="https://example.org/x""#), "{html}");
    assert!(html.contains(r#"rel="noopener noreferrer""#), "{html}");
}

/// A character reference is decoded only when the HTML is parsed, after the
/// raw text was cleaned: every code point (of every class XML 1.0 or HTML
/// forbids, and their neighbours) written as a decimal or hex reference must
/// not come out raw, in toot content, its plain text, or an editor's note.
#[test]
fn character_references_to_forbidden_code_points_do_not_come_out_raw() {
    let ranges = [
        0u32..0x21,
        0x7E..0xA1,
        0xFDCF..0xFDF1,
        0xFFFD..0x10000,
        0x1FFFE..0x20000,
    ];
    let bad = |s: &str| {
        s.chars()
            .find(|&c| crate::model::normalize::is_forbidden(c))
    };
    for n in ranges
        .into_iter()
        .flatten()
        .chain([0x10FFFE, 0x10FFFF, 0xD800, 0x110000])
    {
        for reference in [format!("&#{n};"), format!("&#x{n:X};"), format!("&#{n}")] {
            let html = format!("<p>a{reference}b</p>");
            let cleaned = c(&html);
            assert_eq!(bad(&cleaned), None, "{reference} in {cleaned:?}");
            assert_eq!(bad(&plain_text(&html)), None, "{reference} as text");
            let note = clean_editorial(&html).into_string();
            assert_eq!(bad(&note), None, "{reference} in a note");
            let feed = editorial_for_feed(&html, "https://example.org/t/1/").into_string();
            assert_eq!(bad(&feed), None, "{reference} in a feed note");
        }
    }
}

/// The escaping as it was written before it searched with `memchr`: byte by
/// byte, each special byte replaced by its entity.
fn escape_byte_by_byte(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        match c.is_ascii().then(|| entity(c as u8)).flatten() {
            Some(entity) => out.push_str(entity),
            None => out.push(c),
        }
    }
    out
}

/// `escape` and `escape_to` write what escaping byte by byte wrote, for
/// every string of up to five pieces: each special byte, `/`, plain ASCII
/// and multi-byte characters (whose bytes are never special).
#[test]
fn escaping_matches_byte_by_byte_for_every_short_string() {
    let pieces = ["&", "<", ">", "\"", "'", "/", "a", "é", "😀", "&amp;", " "];
    let mut strings = vec![String::new()];
    for _ in 0..5 {
        let longer: Vec<String> = strings
            .iter()
            .flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}")))
            .collect();
        strings.extend(longer);
    }
    strings.push("x".repeat(100) + "\"" + &"y".repeat(100) + "<");
    for s in &strings {
        let expected = escape_byte_by_byte(s);
        assert_eq!(escape(s), expected, "{s:?}");
        let mut written = Vec::new();
        escape_to(s, &mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), expected, "{s:?}");
    }
}
