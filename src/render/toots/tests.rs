//! Unit tests of `toots.rs`.

use super::*;

#[test]
fn a_key_changes_when_a_named_media_file_arrives_and_only_then() {
    let key = |value: &serde_json::Value, media: &[&str]| {
        let media: HashSet<String> = media.iter().map(|m| m.to_string()).collect();
        let mut hash = KeyHasher::new("t");
        hash_with_media(&mut hash, value, &MediaNames::new(&media));
        hash.key()
    };
    let toot = serde_json::json!({"file": "a/b.png", "text": "say \"a/b.png\"\n"});
    assert_eq!(key(&toot, &[]), key(&toot, &["other.png"]));
    assert_ne!(key(&toot, &[]), key(&toot, &["a/b.png"]));
    // An escaped string is compared unescaped.
    assert_ne!(key(&toot, &[]), key(&toot, &["say \"a/b.png\"\n"]));
    let other = serde_json::json!({"file": "a/c.png", "text": "say \"a/b.png\"\n"});
    assert_ne!(key(&toot, &["a/b.png"]), key(&other, &["a/b.png"]));
}

/// Every string in `value`, however deep.
fn strings(value: &serde_json::Value, out: &mut HashSet<String>) {
    match value {
        serde_json::Value::String(s) => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// A stored toot that names a media file in every field that can: its
/// attachment and preview, its custom emoji, its card, and the same in the
/// post it quotes (with the quoted author's avatar and emoji); `boost`
/// wraps it in a boost by an author with an avatar and emoji.
fn toot_naming_media(boost: bool) -> Toot {
    let emoji = |code: &str| serde_json::json!({"shortcode": code, "remote_url": format!("https://s.example/{code}.png"), "file": format!("e/{code}.png")});
    let inner = |n: &str| {
        serde_json::json!({
            "schema": 1, "id": format!("1{n}"), "uri": format!("https://s.example/s/1{n}"),
            "created_at": "2026-01-01T10:00:00Z", "visibility": "public",
            "content": format!("<p>Hallo :c{n}: #Tag</p>"),
            "media": [{"id": format!("m{n}"), "kind": "image", "remote_url": "https://s.example/m.png",
                       "file": format!("m/{n}.png"), "preview_file": format!("m/{n}-small.png"),
                       "preview_width": 100, "width": 400, "height": 300, "description": "Bild"}],
            "emojis": [emoji(&format!("c{n}"))],
            "card": {"url": "https://news.example/a", "title": "Artikel", "image": format!("c/{n}.png"),
                     "image_description": "Vorschau"},
            "tags": [{"name": "Tag"}],
        })
    };
    let author = |n: &str| {
        serde_json::json!({"acct": format!("a{n}@s.example"), "display_name": format!("A :a{n}:"),
        "url": "https://s.example/@a", "avatar": format!("av/{n}.png"), "emojis": [emoji(&format!("a{n}"))]})
    };
    let mut toot = inner("1");
    toot["quote"] = serde_json::json!({"uri": "https://s.example/s/12", "shared": {"author": author("2"), "toot": inner("2")}});
    if boost {
        let mut outer = inner("3");
        for field in ["media", "emojis", "card", "tags"] {
            outer.as_object_mut().unwrap().remove(field);
        }
        outer["content"] = serde_json::json!("");
        outer["reblog"] = serde_json::json!({"author": author("1"), "toot": toot});
        toot = outer;
    }
    serde_json::from_value(toot).unwrap()
}

/// A toot's key takes the media files it names from `index::media_paths`
/// instead of marking every string of the toot: sound only if a view reads
/// the media store through those names alone. So a view made with every
/// string of the toot in the store equals the view made with only the
/// listed ones, and differs from the view made with none of them.
#[test]
fn a_view_reads_the_media_store_only_through_the_listed_paths() {
    let i18n = super::super::theme::builtin_i18n("de");
    let mut state = AccountState::new("@news@s.example");
    state.id = Some("7".into());
    let account = AccountData {
        handle: crate::config::Handle::try_from("@news@s.example".to_string()).unwrap(),
        state,
        toots: Vec::new(),
    };
    for boost in [false, true] {
        let toot = toot_naming_media(boost);
        let mut every = HashSet::new();
        strings(&serde_json::to_value(&toot).unwrap(), &mut every);
        let listed: HashSet<String> = index::media_paths(&toot).into_iter().collect();
        assert!(listed.len() >= 9, "{listed:?}");
        let view_with = |media: &HashSet<String>| {
            let site = Site {
                base: "https://x.org".into(),
                lang: "de".into(),
                tz: chrono_tz::Europe::Berlin,
                i18n: &i18n,
                media,
            };
            let entry = Entry {
                account: &account,
                toot: &toot,
            };
            serde_json::to_value(view::toot_view(&entry, &site)).unwrap()
        };
        assert_eq!(view_with(&every), view_with(&listed), "boost: {boost}");
        assert_ne!(view_with(&HashSet::new()), view_with(&listed));
    }
}
