//! `tootbridge import` into a store that sync filled: no duplicates, newer
//! edits kept, missing media completed from the archive; and boosts.

use serde_json::{json, Value};
use tootbridge::model::{Media, MediaKind};

use crate::import::{ids, import_json, mixed_archive, stored, with_media};
use crate::support::{create_note, import_site, read_tree, ArchiveBuilder, ACTOR, AS_PUBLIC};

#[test]
fn media_that_sync_could_not_mirror_come_from_the_archive() {
    let site = import_site("");
    let zip = site.path().join("export.zip");
    mixed_archive().zip(&zip);
    import_json(site.path(), &zip, &[]);
    // As sync stores it: the instance's URL, the REST media id, no file yet.
    let path = site
        .path()
        .join("content/toots/social.example/news/302.json");
    let mut toot = tootbridge::store::load_toot(&path).unwrap();
    toot.media = vec![Media {
        id: "302000".into(),
        kind: MediaKind::Image,
        remote_url: "https://social.example/system/media_attachments/files/301/original/a.png"
            .into(),
        file: None,
        preview_file: None,
        preview_width: None,
        preview_remote_url: None,
        mime: None,
        size: None,
        description: Some("Alt".into()),
        width: None,
        height: None,
        duration: None,
        blurhash: None,
        focus: None,
    }];
    std::fs::write(&path, tootbridge::store::to_pretty_json(&toot)).unwrap();
    let summary = import_json(site.path(), &zip, &[]);
    assert_eq!(summary["completed"], 1, "{summary}");
    assert_eq!(summary["refreshed"], 1, "{summary}");
    assert_eq!(summary["unchanged"], 1, "{summary}");
    assert_eq!(summary["media_present"], 1, "{summary}");
    let toot = tootbridge::store::load_toot(&path).unwrap();
    let file = toot.media[0].file.as_deref().unwrap();
    assert_eq!(
        std::fs::read(site.path().join("content/media").join(file)).unwrap(),
        b"png-301"
    );
    assert_eq!(
        toot.media[0].description.as_deref(),
        Some("Alt"),
        "the rest is kept"
    );
}

#[test]
fn import_merges_with_a_filled_store_and_repeats_cleanly() {
    let site = import_site("");
    let zip = site.path().join("export.zip");
    let mut older = create_note("402", "public", "ALTE FASSUNG");
    older["object"]["updated"] = json!("2026-03-09T10:00:00Z");
    let mut later = create_note("403", "public", "SPAETERE FASSUNG");
    later["object"]["updated"] = json!("2026-03-10T10:00:00Z");
    mixed_archive().item(older).item(later).zip(&zip);
    // The store as sync left it: 402 edited after the export, 403 before.
    let first = import_json(site.path(), &zip, &[]);
    assert_eq!(first["added"], 4, "{first}");
    let dir = site.path().join("content/toots/social.example/news");
    let edit = |id: &str, text: &str, when: &str| {
        let path = dir.join(format!("{id}.json"));
        let mut toot = tootbridge::store::load_toot(&path).unwrap();
        toot.content = text.into();
        toot.edited_at = Some(when.parse().unwrap());
        std::fs::write(&path, tootbridge::store::to_pretty_json(&toot)).unwrap();
    };
    edit("402", "NEUESTE FASSUNG", "2026-03-11T10:00:00Z");
    edit("403", "FRUEHERE FASSUNG", "2026-03-09T12:00:00Z");
    let before = read_tree(site.path());

    let second = import_json(site.path(), &zip, &[]);
    assert_eq!(second["added"], 0, "{second}");
    assert_eq!(second["edited"], 1, "{second}");
    assert_eq!(second["unchanged"], 3, "{second}");
    let toots = stored(site.path());
    assert_eq!(ids(&toots), ["301", "302", "402", "403"], "no duplicates");
    assert_eq!(toots[2].content, "NEUESTE FASSUNG", "a newer edit is kept");
    assert_eq!(
        toots[3].content, "<p>SPAETERE FASSUNG</p>",
        "the later edit wins"
    );

    let third = import_json(site.path(), &zip, &[]);
    assert_eq!(third["unchanged"], 4, "{third}");
    let after = read_tree(site.path());
    let changed: Vec<&String> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    // The later edit of 403 was written with its audit line; nothing else.
    assert_eq!(
        changed,
        [
            "content/state/social.example/news.log.jsonl",
            "content/toots/social.example/news/403.json"
        ]
    );
    let log = std::fs::read_to_string(
        site.path()
            .join("content/state/social.example/news.log.jsonl"),
    )
    .unwrap();
    let changes: Vec<(String, String)> = log
        .lines()
        .map(|line| {
            let entry: Value = serde_json::from_str(line).unwrap();
            (
                entry["id"].as_str().unwrap().to_string(),
                entry["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("301", "added"),
        ("302", "added"),
        ("402", "added"),
        ("403", "added"),
        ("403", "edited"),
    ]
    .iter()
    .map(|(id, change)| (id.to_string(), change.to_string()))
    .collect();
    assert_eq!(changes, expected);
    assert_eq!(before.len(), after.len());
}

fn announce(id: &str, object: &str) -> Value {
    json!({
        "id": format!("{ACTOR}/statuses/{id}/activity"),
        "type": "Announce",
        "actor": ACTOR,
        "published": "2026-03-12T09:00:00Z",
        "to": [AS_PUBLIC],
        "cc": ["https://other.example/users/anna", format!("{ACTOR}/followers")],
        "object": object,
    })
}

#[test]
fn boosts_are_skipped_unless_enabled_and_resolved_from_the_archive() {
    // The boost comes before the boosted post: resolving needs a second pass.
    let archive = ArchiveBuilder::new()
        .item(announce("502", &format!("{ACTOR}/statuses/501")))
        .item(announce(
            "503",
            "https://other.example/users/anna/statuses/9",
        ))
        .item(with_media(
            create_note("501", "public", "Geteilt"),
            "media_attachments/files/501/original/a.png",
            "image/png",
        ))
        .file("media_attachments/files/501/original/a.png", b"png-501");
    let off = import_site("boosts = false");
    let zip = off.path().join("export.zip");
    archive.zip(&zip);
    let summary = import_json(off.path(), &zip, &[]);
    assert_eq!(
        (
            summary["added"].as_u64(),
            summary["skipped_boosts"].as_u64()
        ),
        (Some(1), Some(2))
    );

    let on = import_site("boosts = true");
    let summary = import_json(on.path(), &zip, &[]);
    assert_eq!(summary["added"], 2, "{summary}");
    assert_eq!(summary["skipped_boosts"], 1, "{summary}");
    let toots = stored(on.path());
    assert_eq!(ids(&toots), ["501", "502"]);
    let shared = toots[1].reblog.as_ref().unwrap();
    assert_eq!(shared.toot.id, "501");
    assert_eq!(shared.author.acct, "news@social.example");
    assert!(shared.toot.media[0].file.is_some());
    assert_eq!(toots[1].uri, format!("{ACTOR}/statuses/502/activity"));
}

/// An export that holds one post twice, the copies pages apart (the
/// outbox is read 20 items a page): one toot added, the later copy an edit
/// of it, in the counts as in the audit log.
#[test]
fn a_post_repeated_pages_apart_is_added_once_then_edited() {
    let site = import_site("");
    let zip = site.path().join("export.zip");
    let mut first = create_note("700", "public", "ERSTE KOPIE");
    first["object"]["updated"] = json!("2026-03-09T10:00:00Z");
    let mut second = create_note("700", "public", "ZWEITE KOPIE");
    second["object"]["updated"] = json!("2026-03-10T10:00:00Z");
    let mut archive = ArchiveBuilder::new().item(first);
    for n in 0..25 {
        archive = archive.item(create_note(&format!("{}", 710 + n), "public", "Füller"));
    }
    archive.item(second).zip(&zip);
    let summary = import_json(site.path(), &zip, &[]);
    assert_eq!(summary["added"], 26, "{summary}");
    assert_eq!(summary["edited"], 1, "{summary}");
    let toot = stored(site.path())
        .into_iter()
        .find(|t| t.id == "700")
        .unwrap();
    assert_eq!(toot.content, "<p>ZWEITE KOPIE</p>");
    let log = std::fs::read_to_string(
        site.path()
            .join("content/state/social.example/news.log.jsonl"),
    )
    .unwrap();
    let of_700: Vec<String> = log
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|entry| entry["id"] == "700")
        .map(|entry| entry["change"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(of_700, ["added", "edited"]);
}
