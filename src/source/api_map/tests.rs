//! Unit tests of the REST → `Toot` mapping, on hand-written statuses shaped
//! like Mastodon 4.x responses.

use super::*;

fn status(extra: serde_json::Value) -> ApiStatus {
    let mut base = serde_json::json!({
        "id": "113900000000000001",
        "created_at": "2026-03-08T13:05:00.123Z",
        "in_reply_to_id": null,
        "sensitive": false,
        "spoiler_text": "",
        "visibility": "public",
        "language": "de",
        "uri": "https://social.example/users/news/statuses/113900000000000001",
        "url": "https://social.example/@news/113900000000000001",
        "edited_at": null,
        "content": "<p>Hallo</p>",
        "reblog": null,
        "account": {"id": "1", "username": "news", "acct": "news", "display_name": "News"},
        "media_attachments": [],
        "mentions": [],
        "tags": [{"name": "OpenData", "url": "https://social.example/tags/opendata"}],
        "emojis": [],
        "card": null,
        "poll": null
    });
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    serde_json::from_value(base).unwrap()
}

#[test]
fn plain_status_maps() {
    let toot = to_toot(&status(serde_json::json!({})), "social.example").unwrap();
    assert_eq!(toot.id, "113900000000000001");
    assert_eq!(toot.visibility, Visibility::Public);
    assert_eq!(toot.tags[0].name, "OpenData");
    assert_eq!(toot.language.as_deref(), Some("de"));
    assert!(toot.media.is_empty() && toot.reblog.is_none());
}

#[test]
fn media_prefers_instance_copy_but_not_media_proxy() {
    let s = status(serde_json::json!({"media_attachments": [
        {"id": "7", "type": "image", "url": "https://social.example/system/a.png",
         "preview_url": "https://social.example/system/a_small.png", "remote_url": null,
         "description": "Ein Bild", "blurhash": "x",
         "meta": {"original": {"width": 640, "height": 480}, "focus": {"x": 0.5, "y": -0.1}}},
        {"id": "8", "type": "video", "url": "https://social.example/media_proxy/8/original",
         "preview_url": "https://social.example/media_proxy/8/small",
         "remote_url": "https://other.example/v.mp4", "preview_remote_url": null,
         "description": " "}
    ]}));
    let toot = to_toot(&s, "social.example").unwrap();
    let (a, b) = (&toot.media[0], &toot.media[1]);
    assert_eq!(a.remote_url, "https://social.example/system/a.png");
    assert_eq!(a.width, Some(640));
    assert_eq!(a.focus.unwrap().y, -0.1);
    assert_eq!(b.kind, MediaKind::Video);
    assert_eq!(b.remote_url, "https://other.example/v.mp4");
    // No better source: the proxied preview is kept rather than nothing.
    assert_eq!(
        b.preview_remote_url.as_deref(),
        Some("https://social.example/media_proxy/8/small")
    );
    assert_eq!(b.description, None);
}

#[test]
fn boosts_carry_the_qualified_author() {
    let inner = serde_json::json!({
        "id": "99", "created_at": "2026-03-01T10:00:00Z", "visibility": "public",
        "uri": "https://other.example/users/a/statuses/99", "content": "<p>Original</p>",
        "account": {"id": "5", "username": "a", "acct": "a@other.example",
                    "display_name": "A", "url": "https://other.example/@a"}
    });
    let s = status(serde_json::json!({"content": "", "reblog": inner}));
    let toot = to_toot(&s, "social.example").unwrap();
    let shared = toot.reblog.unwrap();
    assert_eq!(shared.author.acct, "a@other.example");
    assert_eq!(shared.toot.content, "<p>Original</p>");
}

#[test]
fn visibilities_and_unsafe_ids() {
    assert_eq!(visibility("unlisted"), Visibility::Unlisted);
    assert_eq!(visibility("direct"), Visibility::Direct);
    assert_eq!(visibility("limited"), Visibility::Private);
    let bad = status(serde_json::json!({"id": "../../x"}));
    assert!(to_toot(&bad, "social.example").is_err());
}
