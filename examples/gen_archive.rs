//! Writes a synthetic Mastodon export for `@news@social.example`, to measure
//! `tootbridge import` on large archives (peak memory, time).
//!
//! ```text
//! cargo run --release --example gen_archive -- OUT.zip [POSTS] [MEDIA_KIB]
//! ```
//!
//! POSTS (default 10000) posts cycle through public, unlisted, private and
//! direct (so 50 % are storable); every post has a poll every 10th, a content
//! warning every 7th, and one media file of MEDIA_KIB KiB (default 32) with
//! unique, incompressible bytes, stored as Mastodon's zips store them under
//! `media_attachments/files/…/original/`. Every 20th item is a boost.

use std::fs::File;
use std::io::{BufWriter, Write};

use serde_json::json;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

const ACTOR: &str = "https://social.example/users/news";
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: gen_archive OUT.zip [POSTS] [MEDIA_KIB]");
        std::process::exit(2);
    };
    let posts: u64 = args.get(1).map_or(10_000, |n| n.parse().expect("POSTS"));
    let media_kib: usize = args.get(2).map_or(32, |n| n.parse().expect("MEDIA_KIB"));

    let mut zip = zip::ZipWriter::new(BufWriter::new(File::create(out).expect("create OUT")));
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(true);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);

    zip.start_file("outbox.json", deflated).unwrap();
    write!(
        zip,
        r#"{{"@context":"https://www.w3.org/ns/activitystreams","id":"outbox.json","type":"OrderedCollection","totalItems":{posts},"orderedItems":["#
    )
    .unwrap();
    for i in 0..posts {
        if i > 0 {
            zip.write_all(b",").unwrap();
        }
        serde_json::to_writer(&mut zip, &item(i)).unwrap();
    }
    zip.write_all(b"]}").unwrap();

    zip.start_file("actor.json", deflated).unwrap();
    let actor = json!({
        "id": ACTOR, "type": "Person", "preferredUsername": "news", "name": "Beispielamt",
        "url": "https://social.example/@news", "followers": format!("{ACTOR}/followers"),
        "outbox": "outbox.json",
        "icon": {"type": "Image", "mediaType": "image/png", "url": "avatar.png"}
    });
    serde_json::to_writer(&mut zip, &actor).unwrap();
    zip.start_file("avatar.png", stored).unwrap();
    zip.write_all(&noise(u64::MAX, 4096)).unwrap();

    for i in 0..posts {
        if !is_boost(i) {
            zip.start_file(media_path(i), stored).unwrap();
            zip.write_all(&noise(i, media_kib * 1024)).unwrap();
        }
    }
    zip.finish().unwrap().flush().unwrap();
    eprintln!("wrote {out}: {posts} items, {media_kib} KiB per media file");
}

fn id(i: u64) -> u64 {
    110_000_000_000_000_000 + i
}

fn is_boost(i: u64) -> bool {
    i % 20 == 19
}

fn media_path(i: u64) -> String {
    let digits = id(i).to_string();
    let groups: Vec<&str> = (0..6).map(|g| &digits[g * 3..g * 3 + 3]).collect();
    format!(
        "media_attachments/files/{}/original/{:016x}.png",
        groups.join("/"),
        i
    )
}

fn item(i: u64) -> serde_json::Value {
    let followers = format!("{ACTOR}/followers");
    let (to, cc) = match i % 4 {
        0 => (vec![PUBLIC.to_string()], vec![followers]),
        1 => (vec![followers], vec![PUBLIC.to_string()]),
        2 => (vec![followers], vec![]),
        _ => (vec!["https://other.example/users/anna".to_string()], vec![]),
    };
    let published = format!("2025-{:02}-{:02}T10:00:00Z", 1 + (i / 28) % 12, 1 + i % 28);
    if is_boost(i) {
        return json!({
            "id": format!("{ACTOR}/statuses/{}/activity", id(i)), "type": "Announce",
            "actor": ACTOR, "published": published, "to": [PUBLIC], "cc": [format!("{ACTOR}/followers")],
            "object": format!("{ACTOR}/statuses/{}", id(i - 3)),
        });
    }
    let mut note = json!({
        "id": format!("{ACTOR}/statuses/{}", id(i)), "type": "Note",
        "summary": if i.is_multiple_of(7) { json!("Lange Liste") } else { json!(null) },
        "inReplyTo": null, "published": published,
        "url": format!("https://social.example/@news/{}", id(i)), "attributedTo": ACTOR,
        "to": to, "cc": cc, "sensitive": false,
        "content": format!("<p>Beitrag {i}: Service-Information mit etwas Text, damit der Beitrag eine realistische Länge hat. <a href=\"https://social.example/tags/Service\" class=\"mention hashtag\" rel=\"tag\">#<span>Service</span></a></p>"),
        "contentMap": {"de": "…"},
        "attachment": [{"type": "Document", "mediaType": "image/png", "url": media_path(i),
            "name": format!("Bild {i}"), "blurhash": "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "width": 640, "height": 480}],
        "tag": [{"type": "Hashtag", "href": "https://social.example/tags/service", "name": "#Service"}],
    });
    if i.is_multiple_of(10) {
        note["type"] = json!("Question");
        note["oneOf"] = json!([
            {"type": "Note", "name": "Ja", "replies": {"type": "Collection", "totalItems": i % 13}},
            {"type": "Note", "name": "Nein", "replies": {"type": "Collection", "totalItems": i % 5}}
        ]);
        note["endTime"] = json!(published);
    }
    json!({
        "id": format!("{ACTOR}/statuses/{}/activity", id(i)), "type": "Create", "actor": ACTOR,
        "published": published, "to": to, "cc": cc, "object": note,
    })
}

/// Unique, incompressible bytes (xorshift), so every file hashes differently.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
