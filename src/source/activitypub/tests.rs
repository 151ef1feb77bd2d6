//! Unit tests of the ActivityPub mapping, on items shaped like Mastodon's.

use serde_json::{json, Value};

use super::*;
use crate::model::{Focus, MediaKind};

const ACTOR: &str = "https://social.example/users/news";
const PUBLIC_URI: &str = "https://www.w3.org/ns/activitystreams#Public";
const FOLLOWERS: &str = "https://social.example/users/news/followers";

fn ctx() -> Context {
    let mut ctx = Context::new(ACTOR, "social.example");
    ctx.account_id = Some("42".into());
    ctx
}

fn create(id: &str, object: Value) -> Value {
    json!({
        "id": format!("{ACTOR}/statuses/{id}/activity"),
        "type": "Create",
        "actor": ACTOR,
        "published": "2026-03-08T13:05:00Z",
        "to": [PUBLIC_URI],
        "cc": [FOLLOWERS],
        "object": object,
    })
}

fn note(id: &str) -> Value {
    json!({
        "id": format!("{ACTOR}/statuses/{id}"),
        "type": "Note",
        "summary": null,
        "inReplyTo": null,
        "published": "2026-03-08T13:05:00Z",
        "url": format!("https://social.example/@news/{id}"),
        "attributedTo": ACTOR,
        "to": [PUBLIC_URI],
        "cc": [FOLLOWERS],
        "sensitive": false,
        "content": "<p>Hallo</p>",
        "contentMap": {"de": "<p>Hallo</p>"},
        "attachment": [],
        "tag": [],
    })
}

fn post(item: &Value) -> Toot {
    match activity(item, &ctx()).unwrap() {
        Activity::Post(toot) => *toot,
        other => panic!("not a post: {other:?}"),
    }
}

#[test]
fn plain_public_note() {
    let toot = post(&create("1001", note("1001")));
    assert_eq!(toot.id, "1001");
    assert_eq!(toot.uri, format!("{ACTOR}/statuses/1001"));
    assert_eq!(
        toot.url.as_deref(),
        Some("https://social.example/@news/1001")
    );
    assert_eq!(toot.visibility, Visibility::Public);
    assert_eq!(toot.language.as_deref(), Some("de"));
    assert_eq!(toot.content, "<p>Hallo</p>");
    assert_eq!(toot.spoiler_text, "");
    assert!(toot.edited_at.is_none() && toot.in_reply_to.is_none());
}

#[test]
fn visibility_follows_addressing() {
    let public = [PUBLIC_URI];
    let cases = [
        (json!(public), json!([FOLLOWERS]), Visibility::Public),
        (json!(["as:Public"]), json!([]), Visibility::Public),
        (json!("Public"), json!(null), Visibility::Public),
        (json!([FOLLOWERS]), json!(public), Visibility::Unlisted),
        (
            json!([FOLLOWERS]),
            json!(["as:Public"]),
            Visibility::Unlisted,
        ),
        (
            json!([FOLLOWERS]),
            json!(["https://x.example/users/a"]),
            Visibility::Private,
        ),
        (
            json!(["https://x.example/users/a"]),
            json!([]),
            Visibility::Direct,
        ),
        (json!(null), json!(null), Visibility::Direct),
        (json!([{"id": PUBLIC_URI}]), json!([]), Visibility::Public),
    ];
    for (to, cc, want) in cases {
        assert_eq!(
            visibility(&to, &cc, Some(FOLLOWERS)),
            want,
            "to {to} cc {cc}"
        );
    }
}

#[test]
fn most_restrictive_addressing_wins() {
    let mut item = create("1002", note("1002"));
    item["to"] = json!([FOLLOWERS]);
    item["cc"] = json!([]);
    assert_eq!(post(&item).visibility, Visibility::Private);
    // An object without addressing takes the activity's.
    let mut object = note("1003");
    object.as_object_mut().unwrap().remove("to");
    object.as_object_mut().unwrap().remove("cc");
    let mut item = create("1003", object);
    item["to"] = json!(["https://x.example/users/a"]);
    item["cc"] = json!([]);
    assert_eq!(post(&item).visibility, Visibility::Direct);
}

#[test]
fn cw_sensitive_edit_reply_and_language() {
    let mut object = note("1004");
    object["summary"] = json!("Achtung");
    object["sensitive"] = json!(true);
    object["updated"] = json!("2026-03-09T08:00:00Z");
    object["inReplyTo"] = json!(format!("{ACTOR}/statuses/1001"));
    object.as_object_mut().unwrap().remove("content");
    object["contentMap"] = json!({"en": "<p>Hi</p>"});
    let toot = post(&create("1004", object));
    assert_eq!(toot.spoiler_text, "Achtung");
    assert!(toot.sensitive);
    assert_eq!(
        toot.edited_at.unwrap().to_rfc3339(),
        "2026-03-09T08:00:00+00:00"
    );
    let reply = toot.in_reply_to.unwrap();
    assert_eq!(
        (reply.id.as_str(), reply.account_id.as_deref()),
        ("1001", Some("42"))
    );
    assert_eq!(
        (toot.content.as_str(), toot.language.as_deref()),
        ("<p>Hi</p>", Some("en"))
    );

    let mut object = note("1005");
    object["inReplyTo"] = json!("https://other.example/users/anna/statuses/77");
    let reply = post(&create("1005", object)).in_reply_to.unwrap();
    assert_eq!((reply.id.as_str(), reply.account_id), ("77", None));
}

#[test]
fn attachments_documents_and_link() {
    let mut object = note("1006");
    object["attachment"] = json!([
        {"type": "Document", "mediaType": "image/png",
         "url": "media_attachments/files/110/000/000/000/000/001/original/abc.png",
         "name": "Ein Diagramm", "blurhash": "LEHV6n", "focalPoint": [0.5, -0.25],
         "width": 640, "height": 480},
        {"type": "Document", "mediaType": "video/mp4",
         "url": "https://cdn.example/media_attachments/files/2/original/v.mp4",
         "name": null, "duration": "PT1M3.5S"},
        {"type": "Link", "href": "https://www.example.org/artikel", "name": "Artikel"},
        {"type": "Document", "mediaType": "image/png"}
    ]);
    let toot = post(&create("1006", object));
    assert_eq!(toot.media.len(), 2, "the document without url is left out");
    let image = &toot.media[0];
    assert_eq!(image.id, "110000000000000001");
    assert_eq!(image.kind, MediaKind::Image);
    assert_eq!(
        image.remote_url,
        "https://social.example/system/media_attachments/files/110/000/000/000/000/001/original/abc.png"
    );
    assert_eq!(image.description.as_deref(), Some("Ein Diagramm"));
    assert_eq!(image.focus, Some(Focus { x: 0.5, y: -0.25 }));
    assert_eq!((image.width, image.height), (Some(640), Some(480)));
    assert!(image.file.is_none());
    let video = &toot.media[1];
    assert_eq!((video.kind, video.duration), (MediaKind::Video, Some(63.5)));
    assert!(video.description.is_none());
    let card = toot.card.unwrap();
    assert_eq!(
        (card.url.as_str(), card.title.as_str()),
        ("https://www.example.org/artikel", "Artikel")
    );
}

#[test]
fn tags_mentions_and_emoji() {
    let mut object = note("1007");
    object["tag"] = json!([
        {"type": "Hashtag", "href": "https://social.example/tags/opendata", "name": "#OpenData"},
        {"type": "Hashtag", "href": "https://social.example/tags/opendata", "name": "#opendata"},
        {"type": "Mention", "href": "https://other.example/users/anna", "name": "@anna@other.example"},
        {"type": "Mention", "href": "https://social.example/users/presse", "name": "@presse"},
        {"type": "Emoji", "name": ":balken:", "icon": {"type": "Image", "url": "/emoji/balken.png"}},
        {"type": "Emoji", "name": ":../evil:", "icon": {"url": "https://x.example/e.png"}}
    ]);
    let toot = post(&create("1007", object));
    assert_eq!(toot.tags.len(), 1);
    assert_eq!(toot.tags[0].name, "OpenData");
    let accts: Vec<&str> = toot.mentions.iter().map(|m| m.acct.as_str()).collect();
    assert_eq!(accts, ["anna@other.example", "presse"]);
    assert_eq!(toot.mentions[0].username, "anna");
    assert_eq!(toot.emojis.len(), 1);
    assert_eq!(
        toot.emojis[0].remote_url,
        "https://social.example/emoji/balken.png"
    );
}

#[test]
fn question_becomes_poll() {
    let mut object = note("1008");
    object["type"] = json!("Question");
    object["anyOf"] = json!([
        {"type": "Note", "name": "Ja", "replies": {"type": "Collection", "totalItems": 7}},
        {"type": "Note", "name": "Nein", "replies": {"type": "Collection", "totalItems": 3}}
    ]);
    object["endTime"] = json!("2026-03-10T13:05:00Z");
    object["closed"] = json!("2026-03-10T13:05:00Z");
    object["votersCount"] = json!(9);
    let poll = post(&create("1008", object)).poll.unwrap();
    assert!(poll.multiple && poll.expired);
    assert_eq!((poll.votes_count, poll.voters_count), (10, Some(9)));
    assert_eq!(poll.options[0].title, "Ja");
    assert_eq!(poll.options[1].votes_count, Some(3));
    assert!(poll.expires_at.is_some());

    let mut object = note("1009");
    object["type"] = json!("Question");
    object["oneOf"] = json!([{"type": "Note", "name": "A", "replies": {"totalItems": 1}}]);
    let poll = post(&create("1009", object)).poll.unwrap();
    assert!(!poll.multiple && !poll.expired);
}

#[test]
fn quotes_under_every_name() {
    for key in ["quote", "quoteUri", "_misskey_quote", "quoteUrl"] {
        let mut object = note("1010");
        object[key] = json!("https://other.example/users/anna/statuses/5");
        let quote = post(&create("1010", object)).quote.unwrap();
        assert_eq!(
            quote.uri, "https://other.example/users/anna/statuses/5",
            "{key}"
        );
    }
}

#[test]
fn boosts_and_other_types() {
    let item = json!({
        "id": format!("{ACTOR}/statuses/2001/activity"),
        "type": "Announce",
        "published": "2026-03-08T13:05:00Z",
        "to": [PUBLIC_URI],
        "cc": ["https://other.example/users/anna", FOLLOWERS],
        "object": "https://other.example/users/anna/statuses/5",
    });
    let Activity::Boost(boost) = activity(&item, &ctx()).unwrap() else {
        panic!("not a boost")
    };
    assert_eq!(
        (boost.id.as_str(), boost.visibility),
        ("2001", Visibility::Public)
    );
    assert_eq!(
        boost.object,
        BoostObject::Uri("https://other.example/users/anna/statuses/5".into())
    );
    let mut article = create("2002", note("2002"));
    article["object"]["type"] = json!("Article");
    assert_eq!(post(&article).id, "2002");
    let like = json!({"type": "Like", "id": "x"});
    assert_eq!(
        activity(&like, &ctx()).unwrap(),
        Activity::Other("Like".into())
    );
}

#[test]
fn unsafe_or_incomplete_items_fail_with_their_id() {
    let bad = create("1011", note("..%2F..%2Fetc"));
    let err = activity(&bad, &ctx()).unwrap_err();
    assert!(err.message.contains("safe status id"), "{err}");
    let mut undated = create("1012", note("1012"));
    undated["object"]
        .as_object_mut()
        .unwrap()
        .remove("published");
    undated.as_object_mut().unwrap().remove("published");
    let err = activity(&undated, &ctx()).unwrap_err();
    assert!(
        err.to_string().contains("1012") && err.message.contains("published"),
        "{err}"
    );
    let by_ref = json!({"type": "Create", "id": "a", "object": "https://x.example/1"});
    assert!(activity(&by_ref, &ctx()).is_err());
}

#[test]
fn duplicate_keys_keep_the_last() {
    let text = r#"{"type":"Create","id":"x","published":"2026-03-08T13:05:00Z",
        "to":["https://www.w3.org/ns/activitystreams#Public"],
        "object":{"id":"https://social.example/users/news/statuses/7","type":"Note",
        "content":"<p>first</p>","content":"<p>last</p>",
        "to":["https://social.example/users/news/followers"],
        "to":["https://www.w3.org/ns/activitystreams#Public"]}}"#;
    let item: Value = serde_json::from_str(text).unwrap();
    let toot = post(&item);
    assert_eq!(toot.content, "<p>last</p>");
    assert_eq!(toot.visibility, Visibility::Public);
}

#[test]
fn numeric_actor_uris_and_relative_urls() {
    let ctx = Context::new(
        "https://social.example/ap/users/116000000000000001",
        "social.example",
    );
    assert_eq!(ctx.account_id.as_deref(), Some("116000000000000001"));
    assert_eq!(ctx.base.as_str(), "https://social.example/");
    assert_eq!(
        ctx.resolve("avatar.png").unwrap(),
        "https://social.example/avatar.png"
    );
    assert_eq!(ctx.resolve("javascript:alert(1)"), None);
    let ctx = Context::new("/users/news", "social.example");
    assert_eq!(ctx.actor, "https://social.example/users/news");
    assert_eq!(ctx.account_id, None);
    assert_eq!(
        status_id("https://h.example/ap/users/1/statuses/99/"),
        Some("99".into())
    );
    assert_eq!(
        status_id("https://h.example/notes/9abc?x=1"),
        Some("9abc".into())
    );
    assert_eq!(status_id("https://h.example/statuses/a.b"), None);
}

#[test]
fn iso_durations() {
    assert_eq!(iso_duration_seconds("PT3S"), Some(3.0));
    assert_eq!(iso_duration_seconds("PT1H2M"), Some(3720.0));
    assert_eq!(iso_duration_seconds("P1DT1S"), Some(86401.0));
    assert_eq!(iso_duration_seconds("PT"), None);
    assert_eq!(iso_duration_seconds("3 seconds"), None);
    assert_eq!(iso_duration_seconds("PT5X"), None);
}
