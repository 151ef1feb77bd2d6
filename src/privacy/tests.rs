//! Unit tests of `privacy.rs`.

use super::decode::{css_unescape, decode};
use super::*;

#[test]
fn css_escapes_and_image_sets_are_read_as_the_browser_reads_them() {
    let css = r#"a { background: u\72l(https\3a //evil.example/a.png) }
            b { background-image: image-set("https://evil.example/b.png" 1x, 'c.png' 2x) }
            @import "\68ttps://evil.example/c.css";
            d { content: "\"" }"#;
    let loads = css_loads(css);
    for url in [
        "https://evil.example/a.png",
        "https://evil.example/b.png",
        "c.png",
        "https://evil.example/c.css",
    ] {
        assert!(loads.iter().any(|l| l == url), "{url} not in {loads:?}");
    }
    assert_eq!(
        css_unescape(r"\0 \110000\D800 x\"),
        "\u{FFFD}\u{FFFD}\u{FFFD}x\u{FFFD}"
    );
    assert_eq!(css_unescape("plain"), "plain");
}

#[test]
fn references_in_urls_are_decoded_before_the_check() {
    assert_eq!(
        decode("https&#58;//evil.example/a"),
        "https://evil.example/a"
    );
    assert_eq!(
        decode("https&#x3a;&#x2F;/evil.example"),
        "https://evil.example"
    );
    assert_eq!(
        decode("https&colon;&sol;&sol;evil.example"),
        "https://evil.example"
    );
    assert_eq!(decode("&#0000058;"), ":");
    assert_eq!(decode("&#x00000000003A;"), ":");
    assert_eq!(decode("a&amp;b&ampc&unknown;d"), "a&b&c&unknown;d");
    assert_eq!(
        decode("&#xD800;&#99999999999;&#0;&"),
        "\u{FFFD}\u{FFFD}\u{FFFD}&"
    );
    let page = html(
        "index.html",
        r#"<img src="https&#58;//evil.example/x.png"><img src="//&#101;vil.example/y.png">"#,
    );
    let found = scan(&[page], "https://www.example.org/");
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn the_origin_shortcut_agrees_with_the_parser() {
    let own = url::Url::parse("https://www.example.org:8443/news/").unwrap();
    let origin = own.origin().ascii_serialization();
    assert_eq!(origin, "https://www.example.org:8443");
    for reference in [
        "https://www.example.org:8443/media/a.png",
        "https://www.example.org:8443/",
        "https://www.example.org:8443.evil.net/a.png",
        "https://www.example.org:8443@evil.net/a.png",
        "https://www.example.org:84430/a.png",
        "https://www.example.org/a.png",
        "http://www.example.org:8443/a.png",
        "https://www.example.org:8443\\evil.net/a.png",
    ] {
        if on_origin(reference, Some(&origin)) {
            assert!(!is_foreign(reference, Some(&own)), "{reference}");
        }
    }
    assert!(on_origin(
        "https://www.example.org:8443/a.png",
        Some(&origin)
    ));
    assert!(!on_origin(
        "https://www.example.org:8443.evil.net/",
        Some(&origin)
    ));
    assert!(!on_origin(
        "https://www.example.org:8443@evil.net/",
        Some(&origin)
    ));
}

fn html(path: &str, text: &str) -> OutputFile {
    OutputFile {
        path: path.into(),
        body: Body::Bytes(text.as_bytes().to_vec()),
    }
}

const BASE: &str = "https://www.example.org/news";

#[test]
fn own_and_relative_references_pass() {
    let page = r#"<link rel="stylesheet" href="https://www.example.org/news/style.css">
<img src="/news/a.png" srcset="a.png 1x, https://www.example.org/b.png 2x"><img src="data:image/png;base64,AA">
<a href="https://other.example/">a normal link is not a load</a>
<link rel="canonical" href="https://www.example.org/news/">"#;
    assert!(scan(&[html("index.html", page)], BASE).is_empty());
}

#[test]
fn foreign_loads_are_found() {
    let page = r#"<img src="https://cdn.example/a.png"><video poster='//tracker.example/p.jpg' src=https://social.example/v.mp4></video>
<link href="https://fonts.example/css" rel="preload stylesheet"><p style="background:url(https://x.example/bg.png)"></p>
<style>@import "https://y.example/i.css"; .a{background:url('http://www.example.org/news/x.png')}</style>
<img srcset="ok.png 1x, https://z.example/2x.png 2x"><iframe src="https://w.example/"></iframe>"#;
    let found: Vec<String> = scan(&[html("toots/1/index.html", page)], BASE)
        .into_iter()
        .map(|f| f.url)
        .collect();
    assert_eq!(
        found,
        [
            "https://cdn.example/a.png",
            "https://social.example/v.mp4",
            "//tracker.example/p.jpg",
            "https://fonts.example/css",
            "https://x.example/bg.png",
            "http://www.example.org/news/x.png",
            "https://y.example/i.css",
            "https://z.example/2x.png",
            "https://w.example/",
        ]
    );
}

#[test]
fn css_files_are_scanned() {
    let css =
        "body{background:url(https://evil.example/x.png)} @import 'https://evil.example/y.css';";
    let found = scan(&[html("style.css", css)], BASE);
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[0].to_string(),
        "style.css loads https://evil.example/x.png"
    );
}

#[test]
fn tags_end_where_the_browser_ends_them() {
    // Each line hides a load from a scanner that reads quotes, comments or
    // text elements differently from the browser.
    let cases = [
        // `<` before a space is text; its "attribute" quote opens nothing.
        (
            r#"<p>5 < a="<img src=https://evil.example/1.png>"</p>"#,
            "1",
        ),
        // A comment ends at `--!>` as well as at `-->`.
        ("<!-- x --!><img src=https://evil.example/2.png>", "2"),
        // Bogus comments and `</ ` end at the first `>`, quotes or not.
        (r#"<!x a="><img src=https://evil.example/3.png>">"#, "3"),
        (r#"<?x a="><img src=https://evil.example/4.png>">"#, "4"),
        (r#"</ x="><img src=https://evil.example/5.png>">"#, "5"),
        // A text element's content cannot swallow what follows its end.
        (
            "<textarea><style></textarea><img src=https://evil.example/6.png>",
            "6",
        ),
        (
            "<title><!--</title><img src=https://evil.example/7.png><!-- -->",
            "7",
        ),
        // With scripts off, or inside SVG, the content is markup.
        (
            "<noscript><img src=https://evil.example/8.png></noscript>",
            "8",
        ),
        (
            "<svg><style><img src=https://evil.example/9.png></style></svg>",
            "9",
        ),
    ];
    for (page, n) in cases {
        let url = format!("https://evil.example/{n}.png");
        assert!(html_loads(page).contains(&url), "{url} not found in {page}");
    }
    // Nesting costs heap, not stack, and no part is searched again and
    // again (each of these takes seconds or hours if it were).
    for filler in [
        "<style>",
        "<title>",
        "<textarea><xmp>",
        "<!-- a -->",
        "<!x>",
    ] {
        let page = filler.repeat(100_000) + "<img src=https://evil.example/10.png>";
        assert!(
            html_loads(&page).contains(&"https://evil.example/10.png".to_string()),
            "{filler}"
        );
    }
}
