//! Unit tests of the merge rules as an import from an archive meets them:
//! the edit rule, and what an archived copy takes over from the stored one.

use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{Card, Media, MediaKind, Visibility};

fn at(day: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap())
}

#[test]
fn newer_edits_win_and_nothing_is_duplicated() {
    assert_eq!(decide(None, None), Decision::New);
    assert_eq!(decide(None, at(2)), Decision::New);
    assert_eq!(decide(Some(None), None), Decision::Present);
    assert_eq!(decide(Some(None), at(2)), Decision::Update);
    assert_eq!(
        decide(Some(at(3)), at(2)),
        Decision::Present,
        "older archive copy"
    );
    assert_eq!(decide(Some(at(3)), None), Decision::Present);
    assert_eq!(decide(Some(at(3)), at(3)), Decision::Present);
    assert_eq!(decide(Some(at(3)), at(4)), Decision::Update);
}

fn toot() -> Toot {
    Toot::empty(
        "1".into(),
        "https://h.example/users/u/statuses/1".into(),
        at(1).unwrap(),
        Visibility::Public,
    )
}

pub(super) fn media(id: &str, file: Option<&str>, preview: Option<&str>) -> Media {
    Media {
        id: id.into(),
        kind: MediaKind::Image,
        remote_url: format!("https://h.example/{id}.png"),
        file: file.map(str::to_string),
        preview_file: preview.map(str::to_string),
        preview_width: None,
        preview_remote_url: None,
        mime: None,
        size: None,
        description: None,
        width: None,
        height: None,
        duration: None,
        blurhash: None,
        focus: None,
    }
}

fn card(url: &str, title: &str) -> Card {
    Card {
        url: url.into(),
        title: title.into(),
        description: String::new(),
        provider_name: String::new(),
        author_name: String::new(),
        image: Some("h.example/u/card.png".into()),
        image_remote_url: None,
        image_description: String::new(),
        width: None,
        height: None,
    }
}

#[test]
fn carry_over_keeps_what_the_archive_lacks() {
    let mut stored = toot();
    stored.pinned = true;
    stored.card = Some(Box::new(card("https://a.example/x", "Full card")));
    stored.media = vec![media(
        "7",
        Some("h.example/u/old.png"),
        Some("h.example/u/p.png"),
    )];
    let mut archived = toot();
    archived.card = Some(Box::new(card("https://a.example/x", "")));
    archived.media = vec![
        media("7", None, None),
        media("8", Some("h.example/u/new.png"), None),
    ];
    carry_over(&mut archived, &stored, Gaps::ARCHIVE);
    assert!(archived.pinned);
    assert_eq!(archived.card.as_ref().unwrap().title, "Full card");
    assert_eq!(
        archived.media[0].file.as_deref(),
        Some("h.example/u/old.png")
    );
    assert_eq!(
        archived.media[0].preview_file.as_deref(),
        Some("h.example/u/p.png")
    );
    assert_eq!(
        archived.media[1].file.as_deref(),
        Some("h.example/u/new.png")
    );

    // A different link in the edit replaces the old card.
    let mut edited = toot();
    edited.card = Some(Box::new(card("https://b.example/y", "New")));
    carry_over(&mut edited, &stored, Gaps::ARCHIVE);
    assert_eq!(edited.card.unwrap().url, "https://b.example/y");
}
