//! Unit tests of the ActivityPub → `Toot` mapping on hand-written outbox
//! items shaped like Mastodon 4.7 output.

use super::*;
use serde_json::json;

const ACTOR: &str = "https://social.example/users/news";

fn create(to: Value, cc: Value, extra: Value) -> Value {
    let mut note = json!({
        "id": "https://social.example/users/news/statuses/114000000000000001",
        "type": "Note", "summary": null, "inReplyTo": null,
        "published": "2026-03-08T13:05:00Z",
        "url": "https://social.example/@news/114000000000000001",
        "attributedTo": ACTOR, "to": to, "cc": cc, "sensitive": false,
        "content": "<p>Hallo</p>", "contentMap": {"de": "<p>Hallo</p>"},
        "attachment": [], "tag": []
    });
    for (k, v) in extra.as_object().unwrap() {
        note[k] = v.clone();
    }
    json!({"id": format!("{}/activity", note["id"].as_str().unwrap()), "type": "Create",
           "actor": ACTOR, "published": "2026-03-08T13:05:00Z", "object": note})
}

fn map(activity: &Value) -> Toot {
    match item(activity) {
        Item::Create(a, o) => note_to_toot(o, a, ACTOR, Some("42")).unwrap(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn addressing_gives_visibility() {
    let public = "https://www.w3.org/ns/activitystreams#Public";
    let followers = "https://social.example/users/news/followers";
    let v = |to: Value, cc: Value| map(&create(to, cc, json!({}))).visibility;
    assert_eq!(v(json!([public]), json!([followers])), Visibility::Public);
    assert_eq!(v(json!([followers]), json!([public])), Visibility::Unlisted);
    assert_eq!(v(json!([followers]), json!([])), Visibility::Private);
    assert_eq!(
        v(json!(["https://other.example/users/x"]), json!([])),
        Visibility::Direct
    );
    assert_eq!(v(json!("as:Public"), json!([])), Visibility::Public);
}

#[test]
fn note_fields_attachments_links_and_tags() {
    let a = create(
        json!(["https://www.w3.org/ns/activitystreams#Public"]),
        json!([]),
        json!({
            "updated": "2026-03-09T10:00:00Z",
            "inReplyTo": "https://social.example/users/news/statuses/113",
            "attachment": [
                {"type": "Document", "mediaType": "image/png",
                 "url": "https://social.example/system/a.png", "name": "Alt",
                 "focalPoint": [0.5, -0.25], "width": 4, "height": 3},
                {"type": "Link", "href": "https://example.org/article"}
            ],
            "tag": [
                {"type": "Hashtag", "href": "https://social.example/tags/x", "name": "#OpenData"},
                {"type": "Mention", "href": "https://other.example/users/b", "name": "@b@other.example"},
                {"type": "Emoji", "name": ":blob:", "icon": {"type": "Image", "url": "https://social.example/e.png"}}
            ]
        }),
    );
    let t = map(&a);
    assert_eq!(t.id, "114000000000000001");
    assert_eq!(t.language.as_deref(), Some("de"));
    assert!(t.edited_at.is_some());
    assert_eq!(t.media.len(), 1);
    assert_eq!(t.media[0].description.as_deref(), Some("Alt"));
    assert_eq!(t.media[0].focus.unwrap().y, -0.25);
    assert_eq!(t.card.unwrap().url, "https://example.org/article");
    assert_eq!(t.tags[0].name, "OpenData");
    assert_eq!(t.mentions[0].acct, "b@other.example");
    assert_eq!(t.emojis[0].shortcode, "blob");
    let reply = t.in_reply_to.unwrap();
    assert_eq!(
        (reply.id.as_str(), reply.account_id.as_deref()),
        ("113", Some("42"))
    );
}

#[test]
fn polls_and_announces() {
    let q = create(
        json!(["as:Public"]),
        json!([]),
        json!({"type": "Question", "endTime": "2026-03-10T00:00:00Z", "votersCount": 3,
               "anyOf": [{"type": "Note", "name": "Ja", "replies": {"totalItems": 2}},
                         {"type": "Note", "name": "Nein", "replies": {"totalItems": 1}}]}),
    );
    let poll = map(&q).poll.unwrap();
    assert!(poll.multiple && !poll.expired);
    assert_eq!(poll.votes_count, 3);
    let boost = json!({"type": "Announce", "object": "https://other.example/users/a/statuses/9"});
    assert!(matches!(item(&boost), Item::Announce(_, uri) if uri.ends_with("/9")));
    assert!(matches!(item(&json!({"type": "Delete"})), Item::Other));
    assert_eq!(local_id("https://s.example/objects/a.b"), None);
    assert_eq!(
        local_id("https://s.example/objects/x/").as_deref(),
        Some("x")
    );
}
