//! Sync over ActivityPub: the outbox fallback when the REST API answers
//! 401, pins from the featured collection, edits and deletions found by
//! object GETs, and Announce boosts fetched by URI only when enabled.

use serde_json::json;
use tootbridge::model::Visibility;

use crate::sync_support::{account, instance_with, only, run, site, storable_ids, stored_ids};

#[test]
fn outbox_fallback_after_401() {
    let fake = instance_with(50);
    fake.world().api_locked = true;
    let pinned = fake.world().statuses[48]["id"]
        .as_str()
        .unwrap()
        .to_string();
    fake.world().pinned.push(pinned.clone());
    let dir = site(&account("@news@social.example", &fake), "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));
    assert!(a.dropped > 0);
    let log = fake.take_log();
    assert!(log[0].starts_with("/api/v1/accounts/lookup"), "{log:#?}");
    assert!(log[1].starts_with("/.well-known/webfinger"), "{log:#?}");
    let pages = log.iter().filter(|l| l.contains("/outbox?")).count();
    assert_eq!(pages, 3, "{log:#?}"); // 50 items at 20 a page
    let toot = tootbridge::store::Store::new(dir.path())
        .load_account(&"@news@social.example".to_string().try_into().unwrap())
        .unwrap()
        .toots
        .remove(0);
    assert_eq!(toot.tags[0].name, "Verwaltung");
    let path = dir
        .path()
        .join(format!("content/toots/social.example/news/{pinned}.json"));
    assert!(tootbridge::store::load_toot(&path).unwrap().pinned);
    assert_eq!(toot.language.as_deref(), Some("de"));

    // Edit and delete inside the newest page: found over ActivityPub too.
    let deleted = {
        let mut w = fake.world();
        // 47 and 46 are public (see instance_with).
        w.statuses[3]["content"] = json!("<p>Neu</p>");
        w.statuses[3]["edited_at"] = json!("2026-11-01T10:00:00.000Z");
        w.statuses.remove(4)["id"].as_str().unwrap().to_string()
    };
    fake.take_log();
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!((a.added, a.edited, a.deleted), (0, 1, 1));
    // Straight to the outbox now: WebFinger, actor, outbox, its first page,
    // the featured collection and one GET of the deleted Note.
    let log = fake.take_log();
    assert_eq!(a.requests, 6, "{log:#?}");
    assert!(!log.iter().any(|l| l.starts_with("/api/")), "{log:#?}");
    assert!(!stored_ids(dir.path()).contains(&deleted));
}

#[test]
fn outbox_boosts_are_fetched_by_uri_when_enabled() {
    let fake = instance_with(5);
    let base = fake.url.clone();
    {
        let mut w = fake.world();
        w.api_locked = true;
        w.announces.push(json!({
            "id": format!("{base}/users/news/statuses/113000000000999000/activity"),
            "type": "Announce", "actor": format!("{base}/users/news"),
            "published": "2026-05-01T09:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{base}/users/other"), format!("{base}/users/news/followers")],
            "object": format!("{base}/users/other/statuses/77")
        }));
        w.objects.insert(
            "/users/other/statuses/77".into(),
            json!({
                "id": format!("{base}/users/other/statuses/77"), "type": "Note",
                "published": "2026-04-30T08:00:00Z", "attributedTo": format!("{base}/users/other"),
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [],
                "content": "<p>Geteilt</p>", "url": format!("{base}/@other/77")
            }),
        );
    }
    let without = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(without.path())).ok);
    assert!(!stored_ids(without.path()).contains(&"113000000000999000".to_string()));
    assert!(!fake.take_log().iter().any(|l| l.contains("/users/other/")));

    let with = site(
        &account("@news@social.example", &fake),
        "[select]\nboosts = true\n",
    );
    assert!(only(&run(with.path())).ok);
    let path = with
        .path()
        .join("content/toots/social.example/news/113000000000999000.json");
    let boost = tootbridge::store::load_toot(&path).unwrap();
    let shared = boost.reblog.unwrap();
    assert_eq!(shared.toot.content, "<p>Geteilt</p>");
    assert_eq!(shared.author.acct, "other@127.0.0.1");
    assert_eq!(boost.visibility, Visibility::Public);
}
