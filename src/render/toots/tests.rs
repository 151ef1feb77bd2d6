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
