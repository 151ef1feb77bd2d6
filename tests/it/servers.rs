//! What other fediverse servers send: fixtures shaped like the posts of
//! Lemmy, Friendica, GNU social (`Page`), WordPress and WriteFreely
//! (`Article`), PeerTube (`Video`) and Mobilizon (`Event`), mapped one by
//! one, and `Page` posts of the first three read from an outbox over sync
//! and published by a build. Types a mirror does not store are counted in
//! the sync summary by name.

use serde_json::{json, Value};
use tootbridge::model::{MediaKind, Toot, Visibility};
use tootbridge::testing::source::activitypub::{activity, Activity, Context};

use crate::support::{build_site, read, repo};
use crate::sync_support::{account, instance_with, only, run, site};

const BASE: &str = "https://server.example";

fn fixture(name: &str, base: &str) -> Value {
    let path = repo().join(format!("tests/fixtures/servers/{name}.json"));
    let text = read(&path).replace("{base}", base);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn mapped(name: &str) -> Toot {
    let ctx = Context::new(&format!("{BASE}/users/news"), "server.example");
    match activity(&fixture(name, BASE), &ctx) {
        Ok(Activity::Post(toot)) => *toot,
        other => panic!("{name}: {other:?}"),
    }
}

/// (fixture, id, title, a piece of the text, media kinds, language)
type Case<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a [MediaKind],
    Option<&'a str>,
);

#[test]
fn every_post_like_object_is_mapped_with_title_text_and_media() {
    let cases: &[Case<'_>] = &[
        (
            "lemmy_page",
            "9001",
            "Neue Öffnungszeiten im Bürgerbüro",
            "auch samstags",
            &[],
            Some("de"),
        ),
        (
            "friendica_page",
            "0b6e8f2c-1265-b1f2-3c44-8f0000000001",
            "Baustelle an der Hauptstraße",
            "<b>Montag</b>",
            &[MediaKind::Image],
            Some("de"),
        ),
        (
            "gnusocial_page",
            "4711",
            "Sprechstunde der Bürgermeisterin",
            "Donnerstag",
            &[],
            None,
        ),
        (
            "wordpress_article",
            "haushalt-2027",
            "Der Haushalt 2027 ist beschlossen",
            "<h2>Schwerpunkte</h2>",
            &[MediaKind::Image],
            Some("de"),
        ),
        (
            "writefreely_article",
            "k3j2h1g0f9",
            "Wahlhelferinnen und Wahlhelfer gesucht",
            "im Mai",
            &[],
            Some("de"),
        ),
        (
            "peertube_video",
            "9c9de5e8-0a1b-4c1f-8e6e-123456789abc",
            "So funktioniert die Online-Terminbuchung",
            "<p>Mit &lt;Untertiteln&gt; auf Deutsch.</p>",
            &[MediaKind::Video],
            Some("de"),
        ),
        (
            "mobilizon_event",
            "2f7c1a9e-4b3d-4e8f-9a6b-0c1d2e3f4a5b",
            "Tag der offenen Tür",
            "Rathaus öffnet",
            &[MediaKind::Image],
            None,
        ),
    ];
    for (name, id, title, text, kinds, lang) in cases {
        let toot = mapped(name);
        assert_eq!(toot.id, *id, "{name}");
        assert_eq!(toot.title.as_deref(), Some(*title), "{name}");
        assert!(toot.content.contains(text), "{name}: {}", toot.content);
        let got: Vec<MediaKind> = toot.media.iter().map(|m| m.kind).collect();
        assert_eq!(got, *kinds, "{name}");
        assert_eq!(toot.language.as_deref(), *lang, "{name}");
        assert_eq!(toot.visibility, Visibility::Public, "{name}");
        // A teaser in `summary` (WordPress) is no content warning.
        assert_eq!(toot.spoiler_text, "", "{name}");
    }
    // PeerTube: the 720-line MP4 of the listed files, the largest icon as
    // poster, the watch page as permalink, the duration.
    let video = mapped("peertube_video");
    let m = &video.media[0];
    assert_eq!(m.remote_url, format!("{BASE}/static/web-videos/720.mp4"));
    assert_eq!(
        m.preview_remote_url.as_deref(),
        Some(format!("{BASE}/lazy-static/previews/large.jpg").as_str())
    );
    assert_eq!(m.duration, Some(95.0));
    assert_eq!(
        video.url.as_deref(),
        Some(format!("{BASE}/w/kX3pT9").as_str())
    );
    // Lemmy's link attachment is the card.
    let lemmy = mapped("lemmy_page");
    assert_eq!(
        lemmy.card.map(|c| c.url).as_deref(),
        Some("https://www.beispielamt.example/buergerbuero")
    );
}

#[test]
fn same_visibility_rules_for_every_type() {
    let ctx = Context::new(&format!("{BASE}/users/news"), "server.example");
    for name in [
        "lemmy_page",
        "friendica_page",
        "wordpress_article",
        "peertube_video",
    ] {
        let mut item = fixture(name, BASE);
        let followers = json!([format!("{BASE}/users/news/followers")]);
        for key in ["to", "cc"] {
            let value = if key == "to" {
                followers.clone()
            } else {
                json!([])
            };
            item[key] = value.clone();
            item["object"][key] = value;
        }
        match activity(&item, &ctx) {
            Ok(Activity::Post(toot)) => assert_eq!(toot.visibility, Visibility::Private, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn pages_of_lemmy_friendica_and_gnu_social_from_an_outbox_are_published() {
    let fake = instance_with(2);
    let base = fake.url.clone();
    {
        let mut w = fake.world();
        w.api_locked = true;
        for name in ["lemmy_page", "friendica_page", "gnusocial_page"] {
            let item = fixture(name, &base);
            let path = item["object"]["id"].as_str().unwrap().replace(&base, "");
            w.objects.insert(path, item["object"].clone());
            w.announces.push(item);
        }
        // Types a mirror does not store: counted, never silently dropped.
        w.announces.push(json!({
            "id": format!("{base}/activity/1"), "type": "Create",
            "actor": format!("{base}/users/news"), "published": "2026-03-01T00:00:00Z",
            "object": {"id": format!("{base}/chat/1"), "type": "ChatMessage"}
        }));
        w.announces
            .push(json!({"id": format!("{base}/likes/2"), "type": "Like",
            "actor": format!("{base}/users/news"), "object": format!("{base}/x/3")}));
    }
    let dir = site(&account("@news@social.example", &fake), "");
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(a.added, 5, "two notes and three pages");
    assert_eq!(
        a.skipped.get("Create/ChatMessage"),
        Some(&1),
        "{:?}",
        a.skipped
    );
    assert_eq!(a.skipped.get("Like"), Some(&1), "{:?}", a.skipped);

    let public = build_site(dir.path());
    for (id, title) in [
        ("9001", "Neue Öffnungszeiten im Bürgerbüro"),
        (
            "0b6e8f2c-1265-b1f2-3c44-8f0000000001",
            "Baustelle an der Hauptstraße",
        ),
        ("4711", "Sprechstunde der Bürgermeisterin"),
    ] {
        let page = read(public.join(format!("toots/{id}/index.html")));
        assert!(
            page.contains(&format!(">{title}</h1>")),
            "{id}: no title heading"
        );
        assert!(
            page.contains(&format!("<title>{title} – Test</title>")),
            "{id}"
        );
        let feed = read(public.join("feed.xml"));
        assert!(
            feed.contains(&format!("<title>{title}</title>")),
            "{id} not in the feed"
        );
    }
}

#[test]
fn mapping_drops_forbidden_code_points_from_what_a_server_sent() {
    let ctx = Context::new(&format!("{BASE}/users/news"), "server.example");
    let mut item = fixture("lemmy_page", BASE);
    item["object"]["name"] = json!("Neue\u{1}\u{FFFE} Zeiten\u{85}");
    item["object"]["content"] = json!("<p>Text\u{0}\u{1F}\u{7F}\u{9F}\u{FDD0}\u{10FFFF} hier</p>");
    item["object"]["tag"][0]["name"] = json!("#verw\u{8}altung");
    let Ok(Activity::Post(toot)) = activity(&item, &ctx) else {
        panic!("not mapped");
    };
    assert_eq!(toot.title.as_deref(), Some("Neue Zeiten"));
    assert_eq!(toot.content, "<p>Text hier</p>");
    assert_eq!(toot.tags[0].name, "verwaltung");
}
