//! Text every output format can carry: a store whose toot and profile carry
//! every code point XML 1.0 or HTML forbids (C0 controls but tab, LF and CR;
//! DEL and C1; the noncharacters) in every field a server fills builds a
//! site whose feeds, per-tag feeds and sitemap a strict XML parser reads,
//! and in which no output file holds one of them.

use std::path::Path;

use serde_json::json;

use crate::support::{build_site, read};

/// Every forbidden code point, one of each.
fn forbidden() -> String {
    (0u32..0x20)
        .filter(|n| ![0x09, 0x0A, 0x0D].contains(n))
        .chain(0x7F..=0x9F)
        .chain(0xFDD0..=0xFDEF)
        .chain((0..=0x10u32).flat_map(|plane| [plane << 16 | 0xFFFE, plane << 16 | 0xFFFF]))
        .filter_map(char::from_u32)
        .collect()
}

fn is_forbidden(c: char) -> bool {
    forbidden().contains(c)
}

fn write_store(root: &Path) {
    let x = forbidden();
    // `w("Text")` puts every forbidden code point into the middle of a value.
    let w = |s: &str| {
        let (a, b) = s.split_at(s.len() / 2);
        format!("{a}{x}{b}")
    };
    let dir = root.join("content/toots/social.example/news");
    std::fs::create_dir_all(&dir).unwrap();
    let toot = json!({
        "schema": 1,
        "id": "113900000000000001",
        "uri": "https://social.example/users/news/statuses/113900000000000001",
        "url": "https://social.example/@news/113900000000000001",
        "created_at": "2026-01-10T09:00:00Z",
        "visibility": "public",
        "language": "de",
        "title": w("Eigener Titel"),
        "content": format!("<p>{} :amt:</p><p><a href=\"https://social.example/tags/OpenData\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a></p>", w("Inhalt mit Text"), w("OpenData")),
        "spoiler_text": w("Inhaltswarnung"),
        "media": [{
            "id": "1", "kind": "image",
            "remote_url": "https://social.example/system/media_attachments/files/1/original/a.png",
            "description": w("Alternativtext zum Bild")
        }],
        "poll": {"expired": true, "votes_count": 3, "options": [
            {"title": w("Ja bitte"), "votes_count": 2},
            {"title": w("Nein danke"), "votes_count": 1}
        ]},
        "card": {
            "url": "https://www.beispielamt.example/seite",
            "title": w("Kartentitel"), "description": w("Kartenbeschreibung"),
            "provider_name": w("Anbieter"), "author_name": w("Autorin"),
            "image_description": w("Kartenbild")
        },
        "emojis": [{"shortcode": w("amt"), "remote_url": "https://social.example/emoji/amt.png"}],
        "tags": [{"name": w("OpenData")}]
    });
    std::fs::write(
        dir.join("113900000000000001.json"),
        serde_json::to_vec_pretty(&toot).unwrap(),
    )
    .unwrap();
    let state = json!({
        "schema": 1, "handle": "@news@social.example", "id": "1",
        "display_name": w("Beispielamt Neuigkeiten"),
        "note": format!("<p>{}</p>", w("Profiltext des Amts")),
        "emojis": [{"shortcode": w("amt"), "remote_url": "https://social.example/emoji/amt.png"}]
    });
    std::fs::create_dir_all(root.join("content/state/social.example")).unwrap();
    std::fs::write(
        root.join("content/state/social.example/news.json"),
        serde_json::to_vec_pretty(&state).unwrap(),
    )
    .unwrap();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Test\"\nbase_url = \"https://example.org/news/\"\n\
         [[accounts]]\nhandle = \"@news@social.example\"\n",
    )
    .unwrap();
}

#[test]
fn every_forbidden_code_point_in_every_field_leaves_feeds_well_formed() {
    assert_eq!(forbidden().chars().count(), 29 + 33 + 32 + 34);
    let dir = tempfile::tempdir().unwrap();
    write_store(dir.path());
    let public = build_site(dir.path());
    let mut xml = Vec::new();
    for entry in walkdir::WalkDir::new(&public) {
        let path = entry.unwrap().into_path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = String::from_utf8(bytes) else {
            continue; // mirrored media
        };
        let rel = path.strip_prefix(&public).unwrap().display().to_string();
        if let Some(c) = text.chars().find(|c| is_forbidden(*c)) {
            panic!("{rel} holds U+{:04X}", c as u32);
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("xml") => {
                if let Err(e) = roxmltree::Document::parse(&text) {
                    panic!("{rel} is not well-formed XML: {e}");
                }
                xml.push(rel);
            }
            Some("json") => {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{rel}: {e}"));
            }
            _ => {}
        }
    }
    xml.sort();
    for expected in [
        "atom.xml",
        "feed.xml",
        "sitemap.xml",
        "tags/opendata/atom.xml",
        "tags/opendata/feed.xml",
    ] {
        assert!(xml.iter().any(|x| x == expected), "{expected} in {xml:?}");
    }
    // The fields keep their meaning: the texts are there, whole.
    let page = read(public.join("toots/113900000000000001/index.html"));
    for text in [
        "Eigener Titel",
        "Inhalt mit Text",
        "Inhaltswarnung",
        "Alternativtext zum Bild",
        "Ja bitte",
        "Kartentitel",
        "Kartenbeschreibung",
        "Beispielamt Neuigkeiten",
        "#OpenData",
    ] {
        assert!(page.contains(text), "{text} missing");
    }
    let feed = read(public.join("feed.xml"));
    assert!(feed.contains("<title>Eigener Titel</title>"), "{feed}");
}
