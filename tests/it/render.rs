//! One snapshot per toot feature, taken from the example site rendered in
//! memory, plus assertions that say what each snapshot must show. A second
//! render of a changed copy covers what the example config leaves out
//! (replies to others) and markup Mastodon itself never sends (headings,
//! rare link schemes).

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use tootbridge::testing::render::Body;

use crate::support::{example_site, read, repo};

/// Every HTML page of a site rendered in memory, by output path.
fn pages(root: &Path) -> HashMap<String, String> {
    let site = tootbridge::render_site(root, None).expect("the site renders");
    site.files
        .into_iter()
        .filter_map(|f| match f.body {
            Body::Bytes(b) if f.path.ends_with(".html") || f.path.ends_with(".xml") => {
                Some((f.path, String::from_utf8(b).unwrap()))
            }
            _ => None,
        })
        .collect()
}

fn example() -> &'static HashMap<String, String> {
    static PAGES: OnceLock<HashMap<String, String>> = OnceLock::new();
    PAGES.get_or_init(|| pages(&repo()))
}

/// The example site with replies to others enabled and one extra toot.
fn changed() -> &'static HashMap<String, String> {
    static PAGES: OnceLock<HashMap<String, String>> = OnceLock::new();
    PAGES.get_or_init(|| {
        let site = example_site();
        let root = site.path();
        let config = read(root.join("site.toml")).replace("replies = \"self\"", "replies = \"all\"");
        std::fs::write(root.join("site.toml"), config).unwrap();
        let toot = serde_json::json!({
            "schema": 1,
            "id": "118000000000000001",
            "uri": "https://social.example/users/news/statuses/118000000000000001",
            "url": "https://social.example/@news/118000000000000001",
            "created_at": "2026-11-20T10:00:00Z",
            "visibility": "public",
            "language": "en",
            "content": "<h1>Release notes</h1><h3 lang=\"de\">Neu</h3><p>Links: <a href=\"gemini://x.example/\">gemini</a>, <a href=\"xmpp:a@x.example\">xmpp</a>, <a href=\"/relative\">relative</a>, <a href=\"https://x.example/a\">web</a>. Emoji :amt: but not in <a href=\"https://x.example/:amt:\"><span class=\"invisible\">https://:amt:</span><span class=\"ellipsis\">x.example/:amt:</span></a></p>",
            "emojis": [{ "shortcode": "amt", "remote_url": "https://social.example/e.png",
                         "file": "social.example/news/cd9eb74667fc8941.png" }],
        });
        std::fs::write(
            root.join("content/toots/social.example/news/118000000000000001.json"),
            serde_json::to_string_pretty(&toot).unwrap(),
        )
        .unwrap();
        pages(root)
    })
}

fn page<'a>(pages: &'a HashMap<String, String>, id: &str) -> &'a str {
    pages
        .get(&format!("toots/{id}/index.html"))
        .unwrap_or_else(|| panic!("no page for toot {id}"))
}

/// The `<article>` of toot `id` on its own page, blank lines removed.
fn article(pages: &HashMap<String, String>, id: &str) -> String {
    let html = page(pages, id);
    let start = html.find(r#"<article class="toot"#).expect("an article");
    let end = html[start..].find("</article>").expect("its end") + start + 10;
    squeeze(&html[start..end])
}

fn squeeze(html: &str) -> String {
    html.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! feature {
    ($name:ident, $id:expr, [$($must:expr),* $(,)?]) => {
        #[test]
        fn $name() {
            let html = article(example(), $id);
            $(assert!(html.contains($must), "{} must contain {:?}:\n{html}", stringify!($name), $must);)*
            insta::assert_snapshot!(stringify!($name), html);
        }
    };
}

feature!(
    content_warning,
    "114148343808062635",
    [
        "<details class=\"toot-cw\">\n<summary>",
        "Inhaltswarnung:</span> Sicherheitshinweis: Phishing-E-Mails</summary>",
    ]
);
feature!(
    sensitive_media,
    "115654695321652092",
    [
        "<details class=\"toot-sensitive\">",
        "alt=\"Nahaufnahme vergilbter Aktendeckel",
    ]
);
feature!(
    gallery,
    "114483973324848954",
    [
        "toot-media toot-media-4",
        "loading=\"lazy\" width=\"640\" height=\"360\"",
    ]
);
feature!(
    video,
    "114868400947265212",
    ["<video ", " controls ", " poster="]
);
feature!(
    gifv,
    "115371461836804636",
    [" loop muted playsinline", " controls "]
);
feature!(audio, "115735265280004295", ["<audio ", " controls "]);
feature!(
    poll_open,
    "117670595788835846",
    [
        "Laufende Umfrage · endet am",
        "<span class=\"poll-share\">56 %</span>",
        "<meter class=\"poll-bar\"",
        "101 Stimmen",
    ]
);
feature!(
    poll_closed,
    "115293251174451184",
    ["Beendete Umfrage", "endete am", "262"]
);
feature!(
    card,
    "114584990515233746",
    [
        "<div class=\"toot-card\">",
        "<img src=\"https://www.beispielamt.example/neuigkeiten/media/",
        "Jahresbericht 2024 erschienen",
    ]
);
feature!(custom_emoji, "117478195200060798", [
    "Beispielamt <img class=\"emoji\" src=\"https://www.beispielamt.example/neuigkeiten/media/social.example/news/cd9eb74667fc8941.png\" alt=\":beispielamt:\"",
]);
feature!(
    boost,
    "115501930905600070",
    [
        "Geteilt von Beispielamt Nachrichten am <time datetime=\"2025-11-06T10:00:00+01:00\">6. November 2025, 10:00 Uhr</time>:",
    "<time datetime=\"2025-11-05T15:00:00+01:00\">",
        "href=\"https://daten.example/@statistik\"",
        "alt=\":balken:\"",
        "href=\"https://daten.example/@statistik/115497448243236847\"",
    ]
);
feature!(
    edited,
    "115581478502432522",
    ["bearbeitet am <time datetime=\"2025-11-20T12:42:00+01:00\">"]
);
feature!(
    quote,
    "116171046912018381",
    [
        "<div class=\"toot-content has-quote\"><p class=\"quote-inline\">",
        "<blockquote class=\"toot-quote\" cite=\"https://other.example/@anna/116166623232046579\"",
        "Anna Beispiel",
    ]
);
feature!(
    pinned,
    "113786132889627670",
    ["toot toot-pinned", "· angeheftet"]
);
feature!(
    media_not_mirrored,
    "116090988134433933",
    ["<p class=\"media-missing\">Dieses Medium konnte nicht gespiegelt werden",]
);
feature!(
    language,
    "114002362368009517",
    ["<article class=\"toot\" id=\"toot-114002362368009517\" lang=\"en\""]
);

#[test]
fn thread_in_order_on_the_root_page() {
    let html = page(example(), "114381501235232697");
    let start = html.find("<main").unwrap();
    let main = squeeze(&html[start..html.find("</main>").unwrap()]);
    let parts = [
        "114381509099585242",
        "114381516963855478",
        "114381524828168951",
    ];
    let positions: Vec<usize> = parts
        .iter()
        .map(|id| main.find(&format!("id=\"toot-{id}\"")).expect("part shown"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "in order");
    for id in parts {
        assert!(main.contains(&format!("href=\"https://social.example/@news/{id}\"")));
    }
    insta::assert_snapshot!("thread", main);
}

#[test]
fn reply_to_another_account_links_to_what_it_answers() {
    let html = article(changed(), "114975454003229741");
    assert!(html.contains("<p class=\"toot-reply\""), "{html}");
    insta::assert_snapshot!("reply_to_other", html);
}

#[test]
fn headings_rare_schemes_and_emoji_in_content() {
    let html = article(changed(), "118000000000000001");
    assert!(html
        .contains("<p><strong>Release notes</strong></p><p lang=\"de\"><strong>Neu</strong></p>"));
    assert!(html.contains("Links: gemini, xmpp, relative, <a href=\"https://x.example/a\""));
    // In the text and in the visible part of the link, not in the href nor
    // in the hidden part.
    assert_eq!(html.matches("<img class=\"emoji\"").count(), 2, "{html}");
    assert!(html.contains("href=\"https://x.example/:amt:\""));
    assert!(html.contains("<span class=\"invisible\">https://:amt:</span>"));
    insta::assert_snapshot!("headings_and_links", html);
}

#[test]
fn titles_in_head_skip_the_quote_line() {
    let html = page(example(), "116171046912018381");
    let head = squeeze(&html[..html.find("</head>").unwrap()]);
    assert!(
        head.contains("<title>Berechtigte Frage! – Beispielamt"),
        "{head}"
    );
    assert!(head.contains("<meta property=\"og:title\" content=\"Berechtigte Frage!\">"));
    insta::assert_snapshot!("head_of_quote", head);
}

#[test]
fn content_behind_a_warning_stays_out_of_meta_tags() {
    let html = page(example(), "114148343808062635");
    let head = &html[..html.find("</head>").unwrap()];
    assert!(!head.contains("gefälschte E-Mails"), "{head}");
    assert!(head.contains(
        "<meta property=\"og:description\" content=\"Sicherheitshinweis: Phishing-E-Mails\">"
    ));
}

#[test]
fn list_entry_keeps_the_warning_closed() {
    let index = &example()["index.html"];
    let start = index
        .find("id=\"toot-116407546675256606\"")
        .expect("listed");
    let entry = &index[start..start + index[start..].find("</article>").unwrap()];
    assert!(entry.contains("<details class=\"toot-cw\">") && !entry.contains("<details open"));
    assert!(entry.contains("<h2 class=\"toot-title\""));
}
