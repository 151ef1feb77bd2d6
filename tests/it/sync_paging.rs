//! Sync holds one page at a time: each listing page is merged into the store
//! before the next is requested, and a sync stopped midway (429 far off)
//! leaves complete toots that the next sync completes without skipping or
//! duplicating any.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::fake_instance::FakeInstance;
use crate::sync_support::{
    account, audit, instance_with, only, run, site, storable_ids, stored_ids,
};

/// Storable ids among the newest `n` statuses of the fake.
fn storable_in_newest(fake: &FakeInstance, n: usize) -> usize {
    fake.world()
        .statuses
        .iter()
        .take(n)
        .filter(|s| matches!(s["visibility"].as_str(), Some("public" | "unlisted")))
        .count()
}

fn toot_files(root: &Path) -> usize {
    stored_ids(root).len()
}

fn is_later_page(url: &str) -> bool {
    url.contains("/statuses?") && url.contains("max_id=")
}

#[test]
fn each_page_is_in_the_store_before_the_next_is_requested() {
    let fake = instance_with(300);
    let dir = site(&account("@news@social.example", &fake), "");
    // When page k + 1 is requested, how many toots are on disk.
    let seen: Arc<Mutex<Vec<usize>>> = Arc::default();
    let (root, probe): (PathBuf, _) = (dir.path().to_path_buf(), seen.clone());
    fake.world().hook = Some(Box::new(move |url| {
        if is_later_page(url) {
            probe.lock().unwrap().push(toot_files(&root));
        }
        None
    }));
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 7, "8 pages of 40");
    for (k, stored) in seen.iter().enumerate() {
        assert_eq!(*stored, storable_in_newest(&fake, 40 * (k + 1)), "page {k}");
    }
    // Never more than one page of statuses at once (300 before).
    assert!(a.most_held > 0 && a.most_held <= 40, "{}", a.most_held);
    assert_eq!(a.added, storable_in_newest(&fake, 300));
}

#[test]
fn a_sync_stopped_midway_skips_and_duplicates_nothing_next_time() {
    let fake = instance_with(300);
    let dir = site(&account("@news@social.example", &fake), "");
    let reset = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let mut later_pages = 0;
    fake.world().hook = Some(Box::new(move |url| {
        if !is_later_page(url) {
            return None;
        }
        later_pages += 1;
        // The fourth page is refused with a reset two hours away.
        (later_pages == 3).then(|| {
            (
                429,
                vec![("X-RateLimit-Reset".to_string(), reset.clone())],
                br#"{"error":"Too many requests"}"#.to_vec(),
            )
        })
    }));
    let report = run(dir.path());
    let a = only(&report);
    assert!(!a.ok);
    assert!(a.errors[0].contains("rate limited until"), "{:?}", a.errors);
    let written = storable_in_newest(&fake, 120);
    assert_eq!(toot_files(dir.path()), written, "three pages are stored");
    assert_eq!(audit(dir.path()).len(), written, "and in the audit log");
    assert!(
        !dir.path()
            .join("content/state/social.example/news.json")
            .exists(),
        "the cursor does not advance"
    );

    fake.world().hook = None;
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    let all = storable_in_newest(&fake, 300);
    assert_eq!(toot_files(dir.path()), all);
    assert_eq!((a.added, a.edited, a.deleted), (all - written, 0, 0));
    let log = audit(dir.path());
    assert_eq!(log.len(), all, "no toot is in the audit log twice");
}

#[test]
fn an_outbox_sync_stopped_midway_pages_back_far_enough_next_time() {
    // The outbox ends its listing at the first stored toot, so the toots an
    // unfinished sync wrote would hide the older ones it never reached.
    let fake = instance_with(50);
    fake.world().api_locked = true;
    let dir = site(&account("@news@social.example", &fake), "");
    let reset = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let mut outbox_pages = 0;
    fake.world().hook = Some(Box::new(move |url| {
        if !url.contains("/outbox?") {
            return None;
        }
        outbox_pages += 1;
        (outbox_pages == 3).then(|| {
            (
                429,
                vec![("X-RateLimit-Reset".to_string(), reset.clone())],
                br#"{"error":"Too many requests"}"#.to_vec(),
            )
        })
    }));
    let a = run(dir.path()).accounts.remove(0);
    assert!(!a.ok);
    let written = toot_files(dir.path());
    let all = storable_ids(&fake);
    assert!(written > 0 && written < all.len(), "{written}");

    fake.world().hook = None;
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(stored_ids(dir.path()), all);
    assert_eq!(a.added, all.len() - written);
    assert_eq!(audit(dir.path()).len(), all.len());
}
