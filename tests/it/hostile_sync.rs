//! Sync against a hostile instance on 127.0.0.1: broken encodings, absurd
//! nesting and page sizes, ids and hashtags made of path characters, media
//! that is really markup, media on another host and media that never ends.
//! Each case ends in a clear error or a safe skip, leaves the store loadable
//! and intact, and takes bounded time.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tootbridge::{sync, SyncOptions, SyncReport};

use crate::fake_instance::{image, status, FakeInstance, ACCOUNT_ID};
use crate::raw_server::{send, RawServer};
use crate::sync_support::{account, instance_with, only, run, site, stored_ids, TINY_PNG};

fn statuses_path() -> String {
    format!("/api/v1/accounts/{ACCOUNT_ID}/statuses")
}

/// Every file below `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The store without the audit log (which records every run).
fn store_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = files(&root.join("content"));
    all.retain(|path, _| !path.ends_with(".log.jsonl"));
    all
}

/// A synced site, then one more sync answered by `page` for the listing:
/// it must fail with an error containing `expect` and change nothing.
fn poisoned_listing(page: Vec<u8>, expect: &str) {
    let fake = instance_with(5);
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let before = store_files(dir.path());
    fake.world()
        .statuses
        .insert(0, status(&fake.url, "news", 50, "public"));
    fake.world()
        .script
        .push((statuses_path(), 200, vec![], page));
    let start = Instant::now();
    let report = run(dir.path());
    let a = only(&report);
    assert!(!a.ok, "a poisoned page must fail the account");
    assert!(
        a.errors
            .iter()
            .any(|e| e.contains(expect) && e.contains("/statuses")),
        "{:?}",
        a.errors
    );
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(store_files(dir.path()), before, "the store changed");
    tootbridge::check(dir.path()).expect("the store still loads");
}

#[test]
fn invalid_utf8_in_a_page_is_a_clear_error() {
    poisoned_listing(
        b"[{\"id\": \"113000000000060000\", \"content\": \"\xff\xfe\"}]".to_vec(),
        "invalid JSON",
    );
}

#[test]
fn json_nested_100000_deep_is_a_clear_error() {
    let mut page = b"[{\"id\":\"1\",\"quote\":".to_vec();
    page.extend(std::iter::repeat_n(b'[', 100_000));
    page.extend(std::iter::repeat_n(b']', 100_000));
    page.extend(b"}]");
    poisoned_listing(page, "recursion limit");
}

#[test]
fn a_store_file_nested_100000_deep_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("1.json");
    let mut text = "{\"schema\":1,\"id\":\"1\",\"media\":".to_string();
    text.push_str(&"[".repeat(100_000));
    std::fs::write(&path, text).unwrap();
    let error = tootbridge::store::load_toot(&path).unwrap_err().to_string();
    // An error naming the file, not a stack overflow.
    assert!(error.contains("1.json"), "{error}");
}

#[test]
fn ten_thousand_statuses_on_one_page_are_stored_in_bounded_time() {
    let fake = instance_with(0);
    let page: Vec<Value> = (1..=10_000u64)
        .rev()
        .map(|n| {
            let mut s = status(&fake.url, "news", n, "public");
            s["account"] = json!({"id": ACCOUNT_ID, "username": "news", "acct": "news",
                "url": format!("{}/@news", fake.url)});
            s["tags"] = json!([]);
            s["application"] = Value::Null;
            s
        })
        .collect();
    let body = serde_json::to_vec(&page).unwrap();
    assert!(body.len() < 8 * 1024 * 1024, "{} bytes", body.len());
    fake.world()
        .script
        .push((statuses_path(), 200, vec![], body));
    let dir = site(
        &account("@news@social.example", &fake),
        "[sync]\nmedia = false\n",
    );
    let start = Instant::now();
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(a.added, 10_000);
    assert_eq!(stored_ids(dir.path()).len(), 10_000);
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn ids_with_path_characters_are_skipped_and_never_reach_the_disk() {
    let fake = instance_with(3);
    for (n, bad) in [
        (40, "../../../escape"),
        (41, "a/b"),
        (42, ".."),
        (43, "x\\y"),
        (44, "%2e%2e"),
    ] {
        let mut s = status(&fake.url, "news", n, "public");
        s["id"] = json!(bad);
        fake.world().statuses.insert(0, s);
    }
    let dir = site(&account("@news@social.example", &fake), "");
    let report = run(dir.path());
    let a = only(&report);
    assert_eq!(a.added, 3, "{:?}", a.errors);
    assert!(
        a.errors
            .iter()
            .any(|e| e.contains("../../../escape") && e.contains("not a safe file name")),
        "{:?}",
        a.errors
    );
    let all = files(dir.path());
    assert!(
        all.keys()
            .all(|p| p == "site.toml" || p.starts_with("content/")),
        "{:?}",
        all.keys()
    );
    assert!(
        !all.keys()
            .any(|p| p.contains("escape") || p.contains("%2e")),
        "{:?}",
        all.keys()
    );
    tootbridge::check(dir.path()).expect("the store loads");
}

#[test]
fn hashtags_with_path_characters_stay_inside_the_output() {
    let fake = instance_with(2);
    let mut s = status(&fake.url, "news", 30, "public");
    s["tags"] = json!([{"name": "../../../etc"}, {"name": "a/b"}, {"name": ".."}, {"name": "x\\..\\y"},
        {"name": "<script>"}, {"name": "%2F"}]);
    s["content"] = json!("<p>Tags <a href=\"https://x/tags/etc\" class=\"mention hashtag\">#<span>../../../etc</span></a></p>");
    fake.world().statuses.insert(0, s);
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let before: Vec<String> = files(dir.path()).into_keys().collect();
    tootbridge::build(&tootbridge::BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    let after = files(dir.path());
    let manifest = format!("public/{}", tootbridge::testing::output::MANIFEST);
    let record = format!("public/{}", tootbridge::testing::output::record::FILE);
    for path in after
        .keys()
        .filter(|p| !before.contains(p) && **p != manifest && **p != record)
    {
        assert!(path.starts_with("public/"), "{path}");
        assert!(
            tootbridge::testing::output::is_safe_output_path(&path["public/".len()..]),
            "{path}"
        );
        assert!(
            !path.contains("..") && !path.contains('\\') && !path.contains('<'),
            "{path}"
        );
    }
}

#[test]
fn media_that_is_markup_is_refused_whatever_its_label() {
    let fake = instance_with(2);
    let mut s = status(&fake.url, "news", 30, "public");
    s["media_attachments"] = json!([
        image(&fake.url, "901", "page.png"),
        image(&fake.url, "902", "vector.png"),
        image(&fake.url, "903", "labelled.png"),
    ]);
    fake.world().statuses.insert(0, s);
    {
        let mut w = fake.world();
        w.files.insert(
            "/media/page.png".into(),
            (
                "text/html".into(),
                b"<html><script>alert(1)</script>".to_vec(),
            ),
        );
        w.files.insert(
            "/media/vector.png".into(),
            (
                "image/svg+xml".into(),
                b"<svg onload=\"alert(1)\"/>".to_vec(),
            ),
        );
        w.files.insert(
            "/media/labelled.png".into(),
            (
                "image/png".into(),
                b"\n<svg><script>alert(1)</script></svg>".to_vec(),
            ),
        );
    }
    let dir = site(&account("@news@social.example", &fake), "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(a.media_failed, 3, "{:?}", a.errors);
    assert!(
        a.errors
            .iter()
            .any(|e| e.contains("labelled.png") && e.contains("markup")),
        "{:?}",
        a.errors
    );
    for (path, bytes) in files(&dir.path().join("content/media")) {
        assert!(!bytes.contains(&b'<'), "{path} holds markup");
    }
}

#[test]
fn media_on_another_host_is_mirrored_without_the_token() {
    let fake = instance_with(1);
    let other = FakeInstance::start("cdn");
    other.world().files.insert(
        "/files/pic.png".into(),
        ("image/png".into(), TINY_PNG.to_vec()),
    );
    let mut s = status(&fake.url, "news", 30, "public");
    // `localhost` is another host name than the instance's 127.0.0.1.
    let port = other.url.rsplit(':').next().unwrap();
    let mut media = image(&fake.url, "901", "x.png");
    media["url"] = json!(format!("http://localhost:{port}/files/pic.png"));
    let mut evil = image(&fake.url, "902", "y.png");
    evil["url"] = json!("file:///etc/passwd");
    s["media_attachments"] = json!([media, evil]);
    fake.world().statuses.insert(0, s);
    std::env::set_var("TOOTBRIDGE_HOSTILE_TOKEN", "hostile-s3cret");
    let dir = site(
        &format!(
            "{}token_env = \"TOOTBRIDGE_HOSTILE_TOKEN\"\n",
            account("@news@social.example", &fake)
        ),
        "",
    );
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!((a.media_fetched, a.media_failed), (2, 1), "{:?}", a.errors);
    assert!(
        a.errors
            .iter()
            .any(|e| e.starts_with("file:///etc/passwd: ")),
        "{:?}",
        a.errors
    );
    assert_eq!(other.world().log, vec!["/files/pic.png".to_string()]);
    assert!(
        other.world().auth.is_empty(),
        "the token went to another host"
    );
    assert!(!fake.world().auth.is_empty(), "the instance got the token");
    let media = files(&dir.path().join("content/media"));
    assert!(
        media.keys().all(|p| p.starts_with("social.example/news/")),
        "{:?}",
        media.keys()
    );
    assert!(media.values().any(|b| b == TINY_PNG));
}

#[test]
fn media_that_trickles_forever_times_out_and_the_toot_is_stored() {
    let fake = instance_with(1);
    let slow = RawServer::start(|_, s, stop| {
        if send(
            s,
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ) {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && send(s, b"\0") {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    });
    let mut s = status(&fake.url, "news", 30, "public");
    let mut media = image(&fake.url, "901", "x.png");
    media["url"] = json!(format!("{}/slow.png", slow.url));
    s["media_attachments"] = json!([media]);
    let id = s["id"].as_str().unwrap().to_string();
    fake.world().statuses.insert(0, s);
    let dir = site(&account("@news@social.example", &fake), "");
    let start = Instant::now();
    let report: SyncReport = sync(&SyncOptions {
        root: dir.path().to_path_buf(),
        backoff: Some(Duration::from_millis(5)),
        timeouts: Some((Duration::from_secs(1), Duration::from_secs(2))),
        environment: tootbridge::testing::source::network::Environment::Fixed(Vec::new()),
        ..Default::default()
    })
    .unwrap();
    let a = only(&report);
    assert!(a.ok && a.media_failed == 1, "{:?}", a.errors);
    assert!(
        a.errors.iter().any(|e| e.contains("/slow.png")),
        "{:?}",
        a.errors
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(stored_ids(dir.path()).contains(&id));
}
