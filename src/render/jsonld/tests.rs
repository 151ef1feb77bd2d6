//! Unit tests of `jsonld.rs`: the data block cannot close its element, and
//! the posting is, byte for byte, what the `serde_json` map it replaced
//! wrote, over every combination of the members a toot may have or lack.

use serde_json::{json, Map, Value};

use super::*;
use crate::render::view::{AuthorView, CardView, TagLink};

#[test]
fn json_data_cannot_close_the_script_element() {
    let out =
        sanitize::json_data(&json!({"headline": "</script><script>alert(1)</script> & <!--"}));
    assert!(!out.as_str().contains('<'), "{}", out.as_str());
    assert!(!out.as_str().contains('>'));
    let back: Value = serde_json::from_str(out.as_str()).unwrap();
    assert_eq!(
        back["headline"],
        "</script><script>alert(1)</script> & <!--"
    );
}

/// The posting as it was written before `posting` used structs: a
/// `serde_json` map filled member by member.
fn map_posting(toot: &TootView, site_title: &str, base: &str, site_lang: &str) -> SafeHtml {
    let mut v = Map::new();
    let mut put = |key: &str, value: Value| {
        v.insert(key.to_string(), value);
    };
    put("@context", json!("https://schema.org"));
    put("@type", json!("SocialMediaPosting"));
    put("@id", json!(toot.page_url));
    put("url", json!(toot.page_url));
    put("mainEntityOfPage", json!(toot.page_url));
    put("headline", json!(toot.title));
    if !toot.summary.is_empty() {
        put("description", json!(toot.summary));
    }
    put(
        "inLanguage",
        json!(toot.lang.as_deref().unwrap_or(site_lang)),
    );
    put("datePublished", json!(toot.created_iso));
    if let Some(edited) = &toot.edited_iso {
        put("dateModified", json!(edited));
    }
    let mut author = json!({
        "@type": if toot.boosted_by.is_some() { "Person" } else { "Organization" },
        "name": toot.author.name,
        "alternateName": format!("@{}", toot.author.acct),
    });
    if !toot.author.url.is_empty() {
        author["url"] = json!(toot.author.url);
    }
    put("author", author);
    put(
        "publisher",
        json!({"@type": "Organization", "name": site_title, "url": format!("{base}/")}),
    );
    if let Some(original) = &toot.original_url {
        put("sameAs", json!(original));
    }
    if !toot.tags.is_empty() {
        let names: Vec<&str> = toot.tags.iter().map(|t| t.name.as_str()).collect();
        put("keywords", json!(names.join(", ")));
    }
    if let Some(image) = preview_image(toot) {
        let mut object = json!({
            "@type": "ImageObject",
            "contentUrl": image.url,
        });
        if !image.alt.is_empty() {
            object["description"] = json!(image.alt);
        }
        if let (Some(w), Some(h)) = (image.width, image.height) {
            object["width"] = json!(w);
            object["height"] = json!(h);
        }
        put("image", object);
    }
    if let Some(card) = &toot.card {
        put(
            "sharedContent",
            json!({"@type": "WebPage", "url": card.url, "name": card.title}),
        );
    }
    sanitize::json_data(&Value::Object(v))
}

/// Text that JSON or the data block must escape.
const TRICKY: &str = "\"</script>\\ & <!-- \u{2028} é😀\n";

/// The media a toot may carry, by class: none, an image with and without
/// alt text and with both, one or no dimensions, an image without a
/// mirrored file, a video, a video before an image.
fn media_classes() -> Vec<Vec<MediaView>> {
    let image = |alt: &str, width: Option<u32>, height: Option<u32>| MediaView {
        kind: "image",
        url: Some("https://x.example/media/a.png".into()),
        alt: alt.into(),
        width,
        height,
        ..Default::default()
    };
    let video = MediaView {
        kind: "video",
        url: Some("https://x.example/media/v.mp4".into()),
        ..Default::default()
    };
    vec![
        vec![],
        vec![image("", None, None)],
        vec![image(TRICKY, Some(640), Some(480))],
        vec![image("Alt", Some(640), None)],
        vec![image("Alt", None, Some(480))],
        vec![MediaView {
            url: None,
            ..image("Alt", Some(1), Some(1))
        }],
        vec![video.clone()],
        vec![video, image("Zweites", Some(2), Some(3))],
    ]
}

#[test]
fn posting_writes_what_the_map_wrote() {
    let mut compared = 0;
    for bits in 0..1u32 << 9 {
        let on = |bit: u32| bits & (1 << bit) != 0;
        for media in media_classes() {
            for tags in 0..3 {
                let toot = TootView {
                    page_url: "https://site.example/toots/1/".into(),
                    title: format!("Titel {TRICKY}"),
                    summary: if on(0) { TRICKY.into() } else { String::new() },
                    lang: on(1).then(|| "en".to_string()),
                    edited_iso: on(2).then(|| "2026-01-02T03:04:05+01:00".to_string()),
                    created_iso: "2026-01-01T00:00:00+01:00".into(),
                    boosted_by: on(3).then(AuthorView::default),
                    author: AuthorView {
                        name: format!("Amt {TRICKY}"),
                        acct: "amt@social.example".into(),
                        url: if on(4) {
                            "https://social.example/@amt".into()
                        } else {
                            String::new()
                        },
                        ..Default::default()
                    },
                    original_url: on(5).then(|| "https://social.example/@amt/1".to_string()),
                    sensitive: on(6),
                    cw: if on(7) { "CW".into() } else { String::new() },
                    card: on(8).then(|| CardView {
                        url: "https://news.example/a?b=c&d".into(),
                        title: format!("Karte {TRICKY}"),
                        ..Default::default()
                    }),
                    tags: (0..tags)
                        .map(|n| TagLink {
                            name: format!("Tag{n}"),
                            slug: format!("tag{n}"),
                            url: String::new(),
                        })
                        .collect(),
                    media: media.clone(),
                    ..Default::default()
                };
                let args = (
                    &toot,
                    "Amt <Stadt> & \"Land\"",
                    "https://site.example",
                    "de",
                );
                assert_eq!(
                    posting(args.0, args.1, args.2, args.3),
                    map_posting(args.0, args.1, args.2, args.3),
                    "bits {bits:b}, media {:?}, tags {tags}",
                    toot.media
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 512 * 8 * 3);
}
