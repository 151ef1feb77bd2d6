//! Unit tests of what sync's outbox source needs beyond the mapping, and of
//! the behaviour the former `ap_map` had that the mapping took over.

use serde_json::{json, Value};

use super::*;
use crate::model::{MediaKind, Toot, Visibility};
use crate::source::activitypub::{activity, note, status_id, Activity};

const ACTOR: &str = "https://social.example/users/news";
const PUBLIC_URI: &str = "https://www.w3.org/ns/activitystreams#Public";
const FOLLOWERS: &str = "https://social.example/users/news/followers";

fn ctx() -> Context {
    let mut ctx = Context::new(ACTOR, "social.example");
    ctx.account_id = Some("42".into());
    ctx
}

fn create(id: &str, object: Value) -> Value {
    json!({"id": format!("{ACTOR}/statuses/{id}/activity"), "type": "Create",
           "actor": ACTOR, "published": "2026-03-08T13:05:00Z", "object": object})
}

fn object(id: &str, extra: Value) -> Value {
    let mut note = json!({
        "id": format!("{ACTOR}/statuses/{id}"), "type": "Note",
        "published": "2026-03-08T13:05:00Z", "attributedTo": ACTOR,
        "to": [PUBLIC_URI], "cc": [FOLLOWERS], "content": "<p>Hallo</p>",
    });
    for (k, v) in extra.as_object().unwrap() {
        note[k] = v.clone();
    }
    note
}

fn post(item: &Value) -> Toot {
    match activity(item, &ctx()).unwrap() {
        Activity::Post(toot) => *toot,
        other => panic!("not a post: {other:?}"),
    }
}

#[test]
fn href_reads_every_link_shape() {
    let h = |v: Value| href(Some(&v));
    assert_eq!(
        h(json!("https://a.example/x")).as_deref(),
        Some("https://a.example/x")
    );
    assert_eq!(
        h(json!({"type": "Link", "href": "/p?page=2"})).as_deref(),
        Some("/p?page=2")
    );
    assert_eq!(
        h(json!({"type": "Image", "url": "https://a.example/i.png"})).as_deref(),
        Some("https://a.example/i.png")
    );
    assert_eq!(
        h(json!({"id": "https://a.example/o"})).as_deref(),
        Some("https://a.example/o")
    );
    assert_eq!(
        h(json!([null, {"url": {"href": "https://a.example/n"}}])).as_deref(),
        Some("https://a.example/n")
    );
    assert_eq!(h(json!(3)), None);
    assert_eq!(href(None), None);
}

#[test]
fn item_ids_of_posts_and_boosts_only() {
    let ctx = ctx();
    let id = |v: Value| item_id(&v, &ctx);
    assert_eq!(
        id(create("101", object("101", json!({})))).as_deref(),
        Some("101")
    );
    let article = create("102", object("102", json!({"type": "Article"})));
    assert_eq!(id(article).as_deref(), Some("102"));
    let question = create("103", object("103", json!({"type": "Question"})));
    assert_eq!(id(question).as_deref(), Some("103"));
    // Every post-like type is listed.
    for kind in ["Page", "Video", "Audio", "Image", "Event"] {
        let item = create("107", object("107", json!({"type": kind})));
        assert_eq!(id(item).as_deref(), Some("107"), "{kind}");
    }
    // Skipped: other object types, objects by reference, other activities.
    for kind in ["Tombstone", "ChatMessage", "Collection"] {
        let item = create("104", object("104", json!({"type": kind})));
        assert_eq!(id(item), None, "{kind}");
    }
    assert_eq!(
        id(create("105", json!(format!("{ACTOR}/statuses/105")))),
        None
    );
    assert_eq!(
        id(json!({"type": "Delete", "id": format!("{ACTOR}/statuses/106")})),
        None
    );
    let boost = |object: Value| {
        json!({"type": "Announce", "object": object,
        "id": format!("{ACTOR}/statuses/107/activity")})
    };
    assert_eq!(
        id(boost(json!("https://other.example/users/a/statuses/9"))).as_deref(),
        Some("107")
    );
    assert_eq!(
        id(boost(json!({"id": "https://other.example/s/9"}))).as_deref(),
        Some("107")
    );
    assert_eq!(id(boost(json!(null))), None);
    // Unsafe ids are no ids.
    assert_eq!(id(create("x", object("a.b", json!({})))), None);
    assert_eq!(
        status_id("https://s.example/objects/x/").as_deref(),
        Some("x")
    );
    assert_eq!(
        status_id("https://s.example/statuses/5/activity/").as_deref(),
        Some("5")
    );
}

#[test]
fn featured_items_as_uris_objects_or_activities() {
    let collection = json!({"type": "OrderedCollection", "orderedItems": [
        format!("{ACTOR}/statuses/1"),
        object("2", json!({})),
        {"type": "Create", "id": format!("{ACTOR}/statuses/3/activity")},
        {"type": "Note", "id": "https://social.example/objects/a.b"},
        {"type": "Note"},
        "javascript:alert(1)"
    ]});
    let mut ids: Vec<String> = featured_ids(&collection, &ctx()).into_iter().collect();
    ids.sort();
    assert_eq!(ids, ["1", "2", "3"]);
    let unordered = json!({"type": "Collection", "items": [format!("{ACTOR}/statuses/4")]});
    assert!(featured_ids(&unordered, &ctx()).contains("4"));
    assert!(featured_ids(&json!({"type": "OrderedCollection"}), &ctx()).is_empty());
}

#[test]
fn object_takes_missing_addressing_per_field_from_the_activity() {
    // `to` from the object (followers), `cc` from the activity (public):
    // unlisted, as Mastodon reads it.
    let mut half = object("201", json!({"to": [FOLLOWERS]}));
    half.as_object_mut().unwrap().remove("cc");
    let mut item = create("201", half);
    item["cc"] = json!([PUBLIC_URI]);
    assert_eq!(post(&item).visibility, Visibility::Unlisted);
    // Present but empty counts as given, so nothing is borrowed.
    let mut item = create("202", object("202", json!({"to": [FOLLOWERS], "cc": []})));
    item["cc"] = json!([PUBLIC_URI]);
    assert_eq!(post(&item).visibility, Visibility::Private);
    // A re-fetched object alone (existence checks) uses its own addressing.
    let alone = object("203", json!({"to": "as:Public"}));
    assert_eq!(
        note(&alone, &ctx(), None).unwrap().visibility,
        Visibility::Public
    );
}

#[test]
fn url_falls_back_to_the_id() {
    let toot = post(&create("301", object("301", json!({}))));
    assert_eq!(
        toot.url.as_deref(),
        Some(format!("{ACTOR}/statuses/301").as_str())
    );
    let with_url = object("302", json!({"url": "https://social.example/@news/302"}));
    let toot = post(&create("302", with_url));
    assert_eq!(
        toot.url.as_deref(),
        Some("https://social.example/@news/302")
    );
}

#[test]
fn gif_stays_an_image_and_attachment_ids_and_icons_are_read() {
    let extra = json!({"attachment": [
        {"type": "Document", "mediaType": "image/gif", "url": "https://cdn.example/a.gif",
         "id": "https://social.example/media/777"},
        {"type": "Document", "mediaType": "video/mp4", "url": "https://cdn.example/v.mp4",
         "icon": "https://cdn.example/poster.jpg"},
        {"type": "Link", "url": "https://www.example.org/artikel"}
    ]});
    let toot = post(&create("401", object("401", extra)));
    let (gif, video) = (&toot.media[0], &toot.media[1]);
    // Not gifv (as `ap_map` had it): the theme plays gifv in `<video>`,
    // which shows no GIF; `<img>` animates it.
    assert_eq!((gif.kind, gif.id.as_str()), (MediaKind::Image, "777"));
    assert_eq!((video.kind, video.id.as_str()), (MediaKind::Video, "2"));
    assert_eq!(
        video.preview_remote_url.as_deref(),
        Some("https://cdn.example/poster.jpg")
    );
    assert_eq!(toot.card.unwrap().url, "https://www.example.org/artikel");
}

#[test]
fn self_replies_need_the_actor_and_an_account_id() {
    let reply = json!({"inReplyTo": format!("{ACTOR}/statuses/113")});
    let toot = post(&create("501", object("501", reply.clone())));
    let parent = toot.in_reply_to.unwrap();
    assert_eq!(
        (parent.id.as_str(), parent.account_id.as_deref()),
        ("113", Some("42"))
    );
    // Without a known account id the reply is kept, unmarked.
    let plain = Context::new(ACTOR, "social.example");
    let toot = note(&object("502", reply), &plain, None).unwrap();
    assert_eq!(toot.in_reply_to.unwrap().account_id, None);
    // An actor prefix is a path prefix: `/users/newsroom` is someone else.
    let other = json!({"inReplyTo": "https://social.example/users/newsroom/statuses/9"});
    let toot = post(&create("503", object("503", other)));
    assert_eq!(toot.in_reply_to.unwrap().account_id, None);
}
