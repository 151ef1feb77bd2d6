//! Helpers of the sync tests: a site folder pointing at a fake instance,
//! running sync with fast retries, reading back store and audit log, and
//! fake instances filled with toots of every visibility.

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use tootbridge::testing::source::network::Environment;
use tootbridge::{sync, AccountReport, SyncOptions, SyncReport};

use crate::fake_instance::{image, status, FakeInstance};
use crate::support::read;

pub(crate) const TINY_PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake image bytes";

pub(crate) fn site(accounts: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text =
        format!("title = \"Test\"\nbase_url = \"https://example.org/news/\"\n{accounts}\n{extra}");
    std::fs::write(dir.path().join("site.toml"), text).unwrap();
    dir
}

pub(crate) fn account(handle: &str, instance: &FakeInstance) -> String {
    format!(
        "[[accounts]]\nhandle = \"{handle}\"\ninstance = \"{}\"\n",
        instance.url
    )
}

pub(crate) fn run(root: &Path) -> SyncReport {
    run_with(root, false, false)
}

pub(crate) fn run_with(root: &Path, full: bool, dry_run: bool) -> SyncReport {
    sync(&SyncOptions {
        root: root.to_path_buf(),
        full,
        dry_run,
        backoff: Some(Duration::from_millis(5)),
        // No proxy or CA variable of the machine running the tests.
        environment: Environment::Fixed(Vec::new()),
        ..Default::default()
    })
    .unwrap()
}

pub(crate) fn only(report: &SyncReport) -> &AccountReport {
    assert_eq!(report.accounts.len(), 1);
    &report.accounts[0]
}

pub(crate) fn stored_ids(root: &Path) -> Vec<String> {
    stored_ids_on(root, "social.example")
}

/// The ids stored for `@news` on `host`, in id order.
pub(crate) fn stored_ids_on(root: &Path, host: &str) -> Vec<String> {
    let dir = root.join(format!("content/toots/{host}/news"));
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .replace(".json", "")
            })
            .collect()
        })
        .unwrap_or_default();
    ids.sort_by_key(|id| (id.len(), id.clone()));
    ids
}

pub(crate) fn audit(root: &Path) -> Vec<Value> {
    read(root.join("content/state/social.example/news.log.jsonl"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A server with `n` toots, every 5th unlisted, every 7th private, every
/// 11th direct (as a token-holding client would see them).
pub(crate) fn instance_with(n: u64) -> FakeInstance {
    let fake = FakeInstance::start("news");
    let base = fake.url.clone();
    {
        let mut w = fake.world();
        for i in (1..=n).rev() {
            let vis = match i {
                i if i % 11 == 0 => "direct",
                i if i % 7 == 0 => "private",
                i if i % 5 == 0 => "unlisted",
                _ => "public",
            };
            w.statuses.push(status(&base, "news", i, vis));
        }
        w.files.insert(
            "/media/avatar.png".into(),
            ("image/png".into(), TINY_PNG.to_vec()),
        );
    }
    fake
}

pub(crate) fn storable_ids(fake: &FakeInstance) -> Vec<String> {
    let mut ids: Vec<String> = fake
        .world()
        .statuses
        .iter()
        .filter(|s| matches!(s["visibility"].as_str(), Some("public" | "unlisted")))
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort_by_key(|id| (id.len(), id.clone()));
    ids
}

pub(crate) fn with_image_toot(fake: &FakeInstance, fail_first: bool) -> String {
    let mut w = fake.world();
    let mut s = status(&fake.url, "news", 10_000, "public");
    s["media_attachments"] = json!([image(&fake.url, "900", "pic.png")]);
    let id = s["id"].as_str().unwrap().to_string();
    w.statuses.insert(0, s);
    w.files.insert(
        "/media/pic.png".into(),
        ("image/png".into(), TINY_PNG.to_vec()),
    );
    if fail_first {
        // Every attempt of the first sync fails (1 + 3 retries).
        for _ in 0..4 {
            w.script
                .push(("/media/pic.png".into(), 500, vec![], b"oops".to_vec()));
        }
    }
    id
}
