//! The payload test: every string of `tests/fixtures/xss_payloads.txt` is put
//! into every untrusted field of stored toots of a temporary site, the site is
//! built, and every page and feed is scanned (see `html_scan.rs`) for
//! elements, event handlers and URLs a hostile server must never get through.

use std::path::Path;

use serde_json::{json, Value};

use crate::html_scan::{findings, Allowed};
use crate::support::{build_site, example_site, read, read_tree, repo};

/// The untrusted fields each payload is placed into (see [`payload_toots`]).
pub(crate) const FIELDS: &[&str] = &[
    "content",
    "content warning",
    "boost author display name",
    "account display name",
    "image alt text",
    "video alt text",
    "poll option",
    "card title",
    "card description",
    "card image alt",
    "card URL",
    "author URL",
    "original URL",
    "reply-to URL",
    "quote content",
    "quote content warning",
    "quote author name",
    "quote author acct",
    "tag name",
    "language",
];

/// The payload list, without comments and blank lines.
pub(crate) fn payloads() -> Vec<String> {
    read(repo().join("tests/fixtures/xss_payloads.txt"))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# "))
        .map(str::to_string)
        .collect()
}

const IMAGE: &str = "social.example/news/8d5d9da3726b7376.png";
const VIDEO: &str = "social.example/news/4bfa1d69ac57f16d.mp4";
const EMOJI: &str = "social.example/news/cd9eb74667fc8941.png";

fn emojis() -> Value {
    json!([{ "shortcode": "amt", "remote_url": "https://social.example/e.png", "file": EMOJI }])
}

fn body(id: &str, minute: usize, p: &str) -> Value {
    json!({
        "schema": 1,
        "id": id,
        "uri": format!("https://social.example/users/news/statuses/{id}"),
        "url": p,
        "created_at": format!("2030-01-{:02}T{:02}:{:02}:00Z", 1 + minute / 1440, minute / 60 % 24, minute % 60),
        "visibility": "public",
        "language": p,
        "content": format!("{p} :amt:"),
        "spoiler_text": format!("{p} :amt:"),
        "sensitive": true,
        "media": [
            { "id": "1", "kind": "image", "remote_url": "https://social.example/1.png", "file": IMAGE,
              "description": p, "width": 4, "height": 3 },
            { "id": "2", "kind": "video", "remote_url": "https://social.example/2.mp4", "file": VIDEO,
              "preview_file": IMAGE, "description": p },
        ],
        "poll": { "expired": false, "votes_count": 3,
                  "options": [{ "title": format!("{p} :amt:"), "votes_count": 2 }, { "title": "b", "votes_count": 1 }] },
        "card": { "url": "https://ok.example/", "title": p, "description": p, "image": IMAGE,
                  "image_description": p, "width": 4, "height": 3 },
        "emojis": emojis(),
        "tags": [{ "name": p }, { "name": "payload" }],
    })
}

/// Two toots per payload: an own post (with a reply link and a quote) and a
/// boost of a hostile author whose post carries the payload everywhere too.
fn payload_toots(i: usize, p: &str) -> [Value; 2] {
    let own_id = format!("{}", 900_000_000_000_000_000u64 + 2 * i as u64);
    let boost_id = format!("{}", 900_000_000_000_000_001u64 + 2 * i as u64);
    let mut own = body(&own_id, 2 * i, p);
    own["language"] = json!("de");
    own["in_reply_to"] = json!({ "id": "1", "account_id": "2", "url": p });
    let mut quoted = body("5", 0, p);
    quoted["url"] = json!("https://other.example/@x/5");
    own["quote"] = json!({
        "uri": "https://other.example/users/x/statuses/5",
        "shared": {
            "author": { "acct": p, "display_name": format!("{p} :amt:"), "url": p, "emojis": emojis() },
            "toot": quoted,
        },
    });
    let mut boosted = body(&format!("{boost_id}0"), 2 * i + 1, p);
    boosted["card"]["url"] = json!(p);
    let boost = json!({
        "schema": 1,
        "id": boost_id,
        "uri": format!("https://social.example/users/news/statuses/{boost_id}/activity"),
        "url": p,
        "created_at": format!("2030-02-{:02}T{:02}:{:02}:00Z", 1 + i / 1440, i / 60 % 24, i % 60),
        "visibility": "public",
        "content": "",
        "reblog": {
            "author": { "acct": "x@other.example", "display_name": format!("{p} :amt:"), "url": p, "emojis": emojis() },
            "toot": boosted,
        },
    });
    [own, boost]
}

/// Writes the payload toots into a copy of the example site.
pub(crate) fn payload_site() -> tempfile::TempDir {
    let site = example_site();
    let root = site.path();
    let config = read(root.join("site.toml")).replace("replies = \"self\"", "replies = \"all\"");
    std::fs::write(root.join("site.toml"), config).unwrap();
    let dir = root.join("content/toots/social.example/news");
    for (i, p) in payloads().iter().enumerate() {
        for toot in payload_toots(i, p) {
            let id = toot["id"].as_str().unwrap();
            std::fs::write(
                dir.join(format!("{id}.json")),
                serde_json::to_string_pretty(&toot).unwrap(),
            )
            .unwrap();
        }
    }
    // Hostile files in the store: they must never be published on the
    // site's origin.
    let media = root.join("content/media/social.example/news");
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>"#;
    std::fs::write(media.join("evil.svg"), svg).unwrap();
    std::fs::write(media.join("evil.html"), "<script>alert(3)</script>").unwrap();
    let mut evil = body("900000000000099999", 9999, "evil files");
    evil["media"][0]["file"] = json!("social.example/news/evil.svg");
    evil["media"][1]["file"] = json!("social.example/news/evil.html");
    evil["card"]["image"] = json!("social.example/news/evil.svg");
    evil["emojis"][0]["file"] = json!("social.example/news/evil.svg");
    std::fs::write(dir.join("900000000000099999.json"), evil.to_string()).unwrap();
    let state = root.join("content/state/social.example/news.json");
    let mut account: Value = serde_json::from_str(&read(&state)).unwrap();
    account["display_name"] = json!("<img src=x onerror=alert(1)> :amt: <script>alert(2)</script>");
    account["url"] = json!("javascript:alert(3)");
    account["emojis"] = emojis();
    std::fs::write(&state, serde_json::to_string_pretty(&account).unwrap()).unwrap();
    site
}

/// `<meta>` and `<link>` tags the theme's templates write for `template`.
fn allowed(template: &str) -> Allowed {
    let dir = repo().join("themes/default/templates");
    let count = |name: &str, tag: &str| read(dir.join(name)).matches(tag).count();
    let standalone = template.starts_with("embed/");
    let own = |tag: &str| {
        let page = count(template, tag);
        if standalone {
            page
        } else {
            page + count("base.html", tag)
        }
    };
    Allowed {
        meta: own("<meta"),
        link: own("<link"),
        base: own("<base"),
        data: own(r#"<script type="application/ld+json""#),
    }
}

fn allowed_for(path: &str) -> Allowed {
    let a = allowed(template_of(path));
    if path.starts_with("toots/") {
        // A toot's permalink is either its page or the page of a removed toot.
        let b = allowed("removed.html");
        Allowed {
            meta: a.meta.max(b.meta),
            link: a.link.max(b.link),
            base: a.base.max(b.base),
            data: a.data.max(b.data),
        }
    } else {
        a
    }
}

fn template_of(path: &str) -> &'static str {
    match path {
        "404.html" => "404.html",
        "embed/frame.html" => "embed/frame.html",
        "embed/latest.html" => "embed/latest.html",
        "tags/index.html" => "tags.html",
        p if p.starts_with("toots/") => "toot.html",
        p if p.starts_with("tags/") => "tag.html",
        _ => "index.html",
    }
}

/// Scans every HTML page and feed of a built site; returns (pages, feeds,
/// findings).
pub(crate) fn scan_output(public: &Path) -> (usize, usize, Vec<String>) {
    let (mut pages, mut feeds, mut found) = (0, 0, Vec::new());
    for (path, bytes) in read_tree(public) {
        let text = String::from_utf8_lossy(&bytes);
        let mut report = |what: &str, list: Vec<String>| {
            found.extend(list.into_iter().map(|f| format!("{path}{what}: {f}")));
        };
        if path.ends_with(".html") {
            pages += 1;
            report("", findings(&text, allowed_for(&path)));
        } else if path.ends_with(".xml") || path.ends_with(".json") && !path.starts_with("media/") {
            feeds += 1;
            let raw = Allowed {
                meta: 0,
                link: usize::MAX,
                base: 0,
                data: 0,
            };
            report("", findings(&text, raw));
            let html_only = Allowed {
                meta: 0,
                link: 0,
                base: 0,
                data: 0,
            };
            if path.ends_with(".json") {
                // Plain-text fields are data; every `*_html` field is markup
                // a reader or CMS shows, so it must be clean.
                let value: Value = serde_json::from_slice(&bytes).expect("JSON output parses");
                let mut html_fields = Vec::new();
                collect_html_fields(&value, "", &mut html_fields);
                for (key, html) in html_fields {
                    report(&format!(" {key}"), findings(&html, html_only));
                }
            }
            if let Ok(feed) = feed_rs::parser::parse(bytes.as_slice()) {
                for entry in feed.entries {
                    let parts = entry.summary.map(|s| s.content).into_iter();
                    let parts = parts.chain(entry.content.and_then(|c| c.body));
                    for html in parts {
                        report(&format!(" entry {}", entry.id), findings(&html, html_only));
                    }
                }
            }
        }
    }
    (pages, feeds, found)
}

fn collect_html_fields(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{at}.{key}");
                match v {
                    Value::String(html) if key.ends_with("_html") => out.push((here, html.clone())),
                    _ => collect_html_fields(v, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_html_fields(v, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_payload_survives_in_any_page_or_feed() {
    let site = payload_site();
    let public = build_site(site.path());
    let (pages, feeds, found) = scan_output(&public);
    let payloads = payloads().len();
    println!(
        "payload test: {payloads} payloads × {} fields = {} placements; {pages} pages and {feeds} feeds checked; {} findings",
        FIELDS.len(),
        payloads * FIELDS.len(),
        found.len()
    );
    assert!(
        found.is_empty(),
        "{} findings:\n{}",
        found.len(),
        found.join("\n")
    );
    let published: Vec<String> = read_tree(&public)
        .into_iter()
        .map(|(path, _)| path)
        .filter(|p| p.starts_with("media/") && (p.ends_with(".svg") || p.ends_with(".html")))
        .collect();
    assert!(published.is_empty(), "{published:?}");
    // The payloads did reach the pages, as text.
    let page = read(public.join("toots/900000000000000000/index.html"));
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(pages > 2 * payloads, "{pages} pages");
    // The emoji in names, CWs and poll options became images.
    assert!(page.matches(r#"<img class="emoji""#).count() >= 4, "{page}");
}

/// Not a check by itself: writes the payload site, built for
/// `http://127.0.0.1:$TOOTBRIDGE_PAYLOAD_PORT` (default 8765), into the
/// folder `$TOOTBRIDGE_PAYLOAD_SITE`, for `scripts/browser-check/check.mjs`.
#[test]
#[ignore = "run by .ci/run before the browser check"]
fn export_payload_site_for_the_browser_check() {
    let dest = std::env::var("TOOTBRIDGE_PAYLOAD_SITE").expect("set TOOTBRIDGE_PAYLOAD_SITE");
    let port = std::env::var("TOOTBRIDGE_PAYLOAD_PORT").unwrap_or_else(|_| "8765".into());
    let site = payload_site();
    let options = tootbridge::BuildOptions {
        root: site.path().to_path_buf(),
        output: Some(dest.clone().into()),
        base_url: Some(format!("http://127.0.0.1:{port}").try_into().unwrap()),
    };
    tootbridge::build(&options).expect("the payload site builds");
    println!(
        "payload site: {} payloads, built into {dest} for port {port}",
        payloads().len()
    );
}
