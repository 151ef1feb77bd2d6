//! Unit tests of the archive as a [`Source`]: pages of the export's items,
//! existence answered from its own posts, media opened from its entries.

use std::collections::HashSet;
use std::io::Read;

use serde_json::{json, Value};

use super::archive::PAGE_ITEMS;
use super::*;
use crate::source::archive::Archive;

const ACTOR: &str = "https://h.example/users/u";

fn create(id: usize, attachment: Value) -> Value {
    let uri = format!("{ACTOR}/statuses/{id}");
    json!({
        "id": format!("{uri}/activity"), "type": "Create", "actor": ACTOR,
        "published": "2024-01-01T00:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [],
        "object": {
            "id": uri, "type": "Note", "attributedTo": ACTOR, "content": "<p>hi</p>",
            "published": "2024-01-01T00:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [],
            "attachment": attachment,
        }
    })
}

/// An unpacked export of `posts` posts (the first with an image) and a
/// `Like`, in a folder.
fn export(posts: usize) -> (tempfile::TempDir, ArchiveSource) {
    let dir = tempfile::tempdir().unwrap();
    let image = "/h/media_attachments/files/1/original/a.png";
    let mut items: Vec<Value> = (1..=posts)
        .map(|i| {
            let media = if i == 1 {
                json!([{"type": "Document", "mediaType": "image/png", "url": image}])
            } else {
                json!([])
            };
            create(i, media)
        })
        .collect();
    items.push(json!({"id": format!("{ACTOR}#like"), "type": "Like", "object": "x"}));
    let outbox = json!({"type": "OrderedCollection", "orderedItems": items});
    std::fs::write(dir.path().join("outbox.json"), outbox.to_string()).unwrap();
    let media = dir.path().join("media_attachments/files/1/original");
    std::fs::create_dir_all(&media).unwrap();
    std::fs::write(media.join("a.png"), b"PNGBYTES").unwrap();
    let archive = Archive::open(dir.path()).unwrap();
    let source = ArchiveSource {
        archive,
        ctx: Context::new(ACTOR, "h.example"),
        info: Default::default(),
    };
    (dir, source)
}

#[test]
fn an_export_is_read_in_pages_of_twenty_items_to_its_end() {
    let (_dir, mut source) = export(PAGE_ITEMS + 4);
    let nothing = HashSet::new();
    let mut pages = Vec::new();
    let ended = source
        .pages(&Bounds::everything(&nothing), &mut |page, _| {
            let toots = page.items.iter().filter(|i| matches!(i, Item::Toot(Ok(_))));
            let other = page.items.iter().filter(|i| matches!(i, Item::Other(_)));
            pages.push((page.items.len(), toots.count(), other.count(), page.last));
            Ok(())
        })
        .unwrap();
    assert!(ended);
    // 24 posts and a Like: a full page, then the rest, marked last.
    assert_eq!(pages, vec![(20, 20, 0, false), (5, 4, 1, true)]);
    assert_eq!(source.info.items, 25);
}

#[test]
fn existence_is_answered_from_the_exports_own_posts() {
    let (_dir, mut source) = export(3);
    let held = Toot::empty(
        "2".into(),
        format!("{ACTOR}/statuses/2"),
        chrono::Utc::now(),
        crate::model::Visibility::Public,
    );
    let mut gone = held.clone();
    gone.id = "99".into();
    let mut found = Vec::new();
    let missing = source
        .existing(&[&held, &gone], &mut |batch| {
            found.extend(batch.into_iter().map(|t| t.unwrap().id));
            Ok(())
        })
        .unwrap();
    assert_eq!(
        (found, missing),
        (vec!["2".to_string()], vec!["99".to_string()])
    );
}

#[test]
fn media_are_opened_from_the_archive_by_url_suffix() {
    let (_dir, mut source) = export(1);
    let url = "https://files.h.example/x/media_attachments/files/1/original/a.png";
    {
        let body = source
            .open_media(url, 1 << 20)
            .unwrap()
            .expect("in the archive");
        assert!(body
            .name
            .ends_with("media_attachments/files/1/original/a.png"));
        let mut bytes = Vec::new();
        let mut reader = body.reader;
        reader.read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, b"PNGBYTES");
    }
    let elsewhere = "https://h.example/media_attachments/files/9/original/b.png";
    assert!(source.open_media(elsewhere, 1 << 20).unwrap().is_none());
}
