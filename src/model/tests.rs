//! Unit tests of `model.rs`.

use super::*;

#[test]
fn ids_order_by_length_then_text() {
    use std::cmp::Ordering::*;
    assert_eq!(compare_ids("99", "100"), Less);
    assert_eq!(compare_ids("110", "109"), Greater);
    assert_eq!(compare_ids("abc", "abc"), Equal);
}

#[test]
fn unsafe_ids_are_refused() {
    for bad in [
        "",
        "..",
        "a/b",
        "../x",
        "a\\b",
        "a.b",
        "a b",
        "ä",
        &"1".repeat(129),
    ] {
        assert!(!is_safe_id(bad), "{bad:?} should be unsafe");
    }
    for good in ["109371231", "AbC-12_x", "9zXq"] {
        assert!(is_safe_id(good), "{good:?} should be safe");
    }
}

#[test]
fn only_public_and_unlisted_are_storable() {
    assert!(Visibility::Public.is_storable());
    assert!(Visibility::Unlisted.is_storable());
    assert!(!Visibility::Private.is_storable());
    assert!(!Visibility::Direct.is_storable());
}

/// A build holds every stored toot at once (50,000 in the benchmark), so the
/// parts most toots lack (a card, a poll, a reply reference) are boxed: each
/// costs a pointer when absent instead of its full size. Boxing them took a
/// `Toot` from about 680 bytes (massif: 32.8 MB of `Vec<Toot>` for 48,368
/// toots, before any of their text) to 336.
#[test]
fn a_toot_without_card_poll_or_reply_stays_small() {
    let size = size_of::<Toot>();
    assert!(size <= 360, "Toot is {size} bytes");
    assert_eq!(size_of::<Option<Box<Card>>>(), 8);
}

#[test]
fn shrinking_a_parsed_toot_leaves_no_spare_room_in_its_lists() {
    let json = r#"{"schema":1,"id":"1","uri":"https://s.example/1","created_at":"2026-01-01T00:00:00Z",
        "visibility":"public","content":"<p>x</p>",
        "tags":[{"name":"a"}],
        "mentions":[{"id":"2","username":"u","acct":"u@s.example","url":"https://s.example/@u"}],
        "reblog":{"author":{"acct":"o@t.example","display_name":"O","url":"https://t.example/@o"},
            "toot":{"schema":1,"id":"9","uri":"https://t.example/9","created_at":"2026-01-01T00:00:00Z",
            "visibility":"public","content":"","tags":[{"name":"b"},{"name":"c"}]}}}"#;
    let mut toot: Toot = serde_json::from_str(json).expect("valid toot");
    let before = toot.clone();
    toot.shrink_to_fit();
    assert_eq!(toot, before, "shrinking changes no value");
    assert_eq!(toot.tags.capacity(), 1);
    assert_eq!(toot.mentions.capacity(), 1);
    let shared = toot.reblog.as_ref().expect("a boost");
    assert_eq!(shared.toot.tags.capacity(), 2);
}
