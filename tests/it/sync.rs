//! `tootbridge sync` against a fake instance on 127.0.0.1: paging, request
//! counts, edits, deletions, media, HTTP failures, tokens, several accounts.
//! No request ever leaves the loopback interface.

use serde_json::json;
use tootbridge::model::Visibility;

use crate::fake_instance::{image, status};
use crate::support::{read, tootbridge};
use crate::sync_support::*;

#[test]
fn first_sync_pages_back_then_nothing_new_costs_two_requests() {
    let fake = instance_with(300);
    let dir = site(&account("@news@social.example", &fake), "");
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    let expected = storable_ids(&fake);
    assert_eq!(stored_ids(dir.path()), expected);
    assert_eq!(a.added, expected.len());
    // 300 toots at 40 a page = 8 listing pages, plus lookup, pinned, avatar.
    let log = fake.take_log();
    let listing = log
        .iter()
        .filter(|l| l.contains("/statuses?limit=40"))
        .count();
    assert_eq!(listing, 8, "{log:#?}");
    assert_eq!(a.requests, 1 + 8 + 1 + 1, "{log:#?}");
    assert!(a.reconciled);
    assert_eq!(audit(dir.path()).len(), expected.len());
    let agent = format!(
        "tootbridge/{} (+https://example.org/news)",
        env!("CARGO_PKG_VERSION")
    );
    assert!(fake.world().agents.iter().all(|ua| *ua == agent));

    // Nothing changed: the newest page and the pinned list, nothing else.
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    let log = fake.take_log();
    assert_eq!(a.requests, 2, "{log:#?}");
    assert_eq!(log.len(), 2);
    assert!(log[0].ends_with("/statuses?limit=40") && log[1].ends_with("pinned=true"));
    assert_eq!((a.added, a.edited, a.deleted), (0, 0, 0));
    assert_eq!(audit(dir.path()).len(), expected.len());
}

#[test]
fn edits_and_deletions_reach_store_tombstones_and_audit_log() {
    let fake = instance_with(300);
    let (e, d) = {
        let mut w = fake.world();
        let public: Vec<usize> = (2..40)
            .filter(|&i| w.statuses[i]["visibility"] == "public")
            .collect();
        let (e, d) = (public[0], public[3]);
        // The toot to be deleted has an image; it must not outlive it.
        w.statuses[d]["media_attachments"] = json!([image(&fake.url, "901", "gone.png")]);
        w.files.insert(
            "/media/gone.png".into(),
            ("image/png".into(), b"gone image".to_vec()),
        );
        (e, d)
    };
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let image_file = dir.path().join(format!(
        "content/media/social.example/news/{}.png",
        tootbridge::testing::media::content_name(b"gone image")
    ));
    assert!(image_file.is_file());
    let (edited_id, deleted_id) = {
        let mut w = fake.world();
        w.statuses[e]["content"] = json!("<p>Korrigiert</p>");
        w.statuses[e]["edited_at"] = json!("2026-11-01T10:00:00.000Z");
        let edited = w.statuses[e]["id"].as_str().unwrap().to_string();
        let deleted = w.statuses.remove(d)["id"].as_str().unwrap().to_string();
        let newest = status(&fake.url, "news", 301, "public");
        w.statuses.insert(0, newest);
        (edited, deleted)
    };
    fake.take_log();
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!((a.added, a.edited, a.deleted), (1, 1, 1));
    // Listing, pinned, and one check of the missing toot (404).
    assert_eq!(a.requests, 3, "{:?}", fake.take_log());
    let toot = tootbridge::store::load_toot(&dir.path().join(format!(
        "content/toots/social.example/news/{edited_id}.json"
    )))
    .unwrap();
    assert_eq!(toot.content, "<p>Korrigiert</p>");
    assert!(!stored_ids(dir.path()).contains(&deleted_id));
    assert!(
        !image_file.exists(),
        "the deleted toot's image is still there"
    );
    let state = read(dir.path().join("content/state/social.example/news.json"));
    assert!(
        state.contains("tombstones") && state.contains(&deleted_id),
        "{state}"
    );
    let log = audit(dir.path());
    let tail: Vec<(String, String)> = log[log.len() - 3..]
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().into(),
                e["change"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(tail.contains(&(edited_id, "edited".into())), "{tail:?}");
    assert!(tail.contains(&(deleted_id, "deleted".into())), "{tail:?}");
    assert!(log.iter().all(|e| e["time"].is_string()));
}

#[test]
fn full_reconcile_finds_old_deletions_with_batch_requests() {
    let fake = instance_with(100);
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let old = fake.world().statuses.remove(90)["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A normal sync does not see it: it is far below the newest page.
    fake.take_log();
    assert_eq!(only(&run(dir.path())).deleted, 0);
    assert!(stored_ids(dir.path()).contains(&old));
    fake.take_log();
    let report = run_with(dir.path(), true, false);
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(a.deleted, 1);
    assert!(!stored_ids(dir.path()).contains(&old));
    let log = fake.take_log();
    let batches = log
        .iter()
        .filter(|l| l.starts_with("/api/v1/statuses?"))
        .count();
    // The 47 stored toots below the newest page, 20 ids a request.
    assert_eq!(batches, 3, "{log:#?}");
}

#[test]
fn token_responses_never_put_private_or_direct_on_disk() {
    let fake = instance_with(80);
    std::env::set_var("TOOTBRIDGE_TEST_TOKEN", "s3cret-token");
    let accounts = format!(
        "{}token_env = \"TOOTBRIDGE_TEST_TOKEN\"\n",
        account("@news@social.example", &fake)
    );
    let dir = site(&accounts, "");
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    assert!(a.dropped > 0);
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));
    for entry in walkdir::WalkDir::new(dir.path().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("\"private\"") && !text.contains("\"direct\""));
            assert!(
                !text.contains("s3cret"),
                "token written to {:?}",
                entry.path()
            );
        }
    }
    let w = fake.world();
    assert!(w.auth.iter().all(|h| h == "Bearer s3cret-token"));
    assert!(!w.auth.is_empty());
    let stored = tootbridge::store::Store::new(dir.path())
        .load_account(&"@news@social.example".to_string().try_into().unwrap())
        .unwrap();
    assert!(stored
        .toots
        .iter()
        .all(|t| t.visibility != Visibility::Private));
}

#[test]
fn webfinger_resolves_the_account_without_an_instance() {
    let fake = instance_with(5);
    let host = fake.url.trim_start_matches("http://").to_string();
    let dir = site(&format!("[[accounts]]\nhandle = \"@news@{host}\"\n"), "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    let log = fake.take_log();
    assert!(
        log[0].starts_with("/.well-known/webfinger?resource=acct%3Anews%40"),
        "{log:?}"
    );
    assert!(log[1].starts_with("/api/v1/accounts/lookup"));
    // The second sync knows the account and its server.
    let a = run(dir.path()).accounts.remove(0);
    assert_eq!(a.requests, 2, "{:?}", fake.take_log());
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let fake = instance_with(12);
    with_image_toot(&fake, false);
    let dir = site(&account("@news@social.example", &fake), "");
    let report = run_with(dir.path(), false, true);
    let a = only(&report);
    assert!(a.ok && report.dry_run);
    assert_eq!(a.added, storable_ids(&fake).len());
    assert_eq!(a.changes.len(), a.added);
    assert_eq!(a.media_pending, 2);
    assert!(!dir.path().join("content").exists());
    assert!(!fake.take_log().iter().any(|l| l.starts_with("/media/")));
}

#[test]
fn build_sync_syncs_then_builds() {
    let fake = instance_with(8);
    let dir = site(&account("@news@social.example", &fake), "");
    let out = tootbridge(&["--root", dir.path().to_str().unwrap(), "build", "--sync"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!stored_ids(dir.path()).is_empty());
    assert!(dir.path().join("public/index.html").is_file());
    let public = storable_ids(&fake)
        .into_iter()
        .filter(|id| {
            fake.world()
                .statuses
                .iter()
                .any(|s| s["id"] == id.as_str() && s["visibility"] == "public")
        })
        .count();
    let pages = std::fs::read_dir(dir.path().join("public/toots"))
        .unwrap()
        .count();
    assert_eq!(pages, public);
}

#[test]
fn pins_are_set_and_cleared_without_extra_requests() {
    let fake = instance_with(60);
    // Toot 2 is public and far below the newest page.
    let old = fake.world().statuses[58]["id"]
        .as_str()
        .unwrap()
        .to_string();
    fake.world().pinned.push(old.clone());
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let path = dir
        .path()
        .join(format!("content/toots/social.example/news/{old}.json"));
    assert!(tootbridge::store::load_toot(&path).unwrap().pinned);
    let lines = audit(dir.path()).len();

    fake.world().pinned.clear();
    fake.take_log();
    let report = run(dir.path());
    let a = only(&report);
    assert_eq!((a.requests, a.refreshed, a.edited), (2, 1, 0));
    // The newest page held stored toots only, none changed.
    let listed = fake.world().statuses[..40]
        .iter()
        .filter(|s| s["visibility"] == "public" || s["visibility"] == "unlisted")
        .count();
    assert_eq!(a.unchanged, listed);
    assert!(!tootbridge::store::load_toot(&path).unwrap().pinned);
    assert_eq!(audit(dir.path()).len(), lines);
}

#[test]
fn redirects_are_followed_and_checked_by_the_guard() {
    let fake = instance_with(3);
    let lookup = format!("{}/api/v1/accounts/lookup?acct=news", fake.url);
    fake.world().script.push((
        "/api/v1/accounts/lookup".into(),
        301,
        vec![("Location".into(), lookup)],
        vec![],
    ));
    let dir = site(&account("@news@social.example", &fake), "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));

    // A redirect off loopback to plain http is refused before connecting.
    let fake = instance_with(3);
    fake.world().script.push((
        "/api/v1/accounts/lookup".into(),
        302,
        vec![("Location".into(), "http://example.com/steal".into())],
        vec![],
    ));
    let dir = site(&account("@news@social.example", &fake), "[[accounts]]\nhandle = \"@x@y.example\"\nsource = \"api\"\ninstance = \"http://127.0.0.1:9\"\n");
    let report = run(dir.path());
    let a = &report.accounts[0];
    assert!(!a.ok);
    assert!(
        a.errors[0].contains("http://example.com/steal") && a.errors[0].contains("plain http"),
        "{:?}",
        a.errors
    );
}

#[test]
fn first_sync_stops_paging_at_the_since_date() {
    // Toot n is posted 6n hours after 2026-01-01: toots before February
    // are n < 124, reached on the fifth page (300..261, ..., 140..101).
    let fake = instance_with(300);
    let dir = site(
        &account("@news@social.example", &fake),
        "[select]\nsince = \"2026-02-01\"\n",
    );
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    let log = fake.take_log();
    assert_eq!(
        log.iter()
            .filter(|l| l.contains("/statuses?limit=40"))
            .count(),
        5,
        "{log:#?}"
    );
    let stored = tootbridge::store::Store::new(dir.path())
        .load_account(&"@news@social.example".to_string().try_into().unwrap())
        .unwrap();
    let since = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let wanted = stored
        .toots
        .iter()
        .filter(|t| t.created_at.date_naive() >= since)
        .count();
    assert_eq!(
        wanted,
        300 - 123 - (124..=300).filter(|n| n % 7 == 0 || n % 11 == 0).count()
    );
}

#[test]
fn a_sync_killed_before_its_state_was_written_converges() {
    // The state file is written last; without it the next sync finds the
    // toots already stored, adds nothing twice and deletes nothing.
    let fake = instance_with(100);
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let lines = audit(dir.path()).len();
    std::fs::remove_file(dir.path().join("content/state/social.example/news.json")).unwrap();
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!((a.added, a.edited, a.deleted), (0, 0, 0));
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));
    assert_eq!(audit(dir.path()).len(), lines);
    assert!(a.reconciled);
}

#[test]
fn a_stale_account_id_is_looked_up_again() {
    // The account was deleted and made again: the remembered id answers
    // 404. The sync looks the account up by name once, instead of failing
    // until the next reconcile.
    let fake = instance_with(10);
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let path = dir.path().join("content/state/social.example/news.json");
    let mut state: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    assert_eq!(state["id"], crate::fake_instance::ACCOUNT_ID);
    state["id"] = "109000000000000999".into();
    std::fs::write(&path, serde_json::to_string_pretty(&state).unwrap()).unwrap();
    {
        let mut w = fake.world();
        let base = fake.url.clone();
        w.statuses.insert(0, status(&base, "news", 11, "public"));
    }
    fake.take_log();
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(a.added, 1);
    let log = fake.take_log();
    assert!(
        log[0].starts_with("/api/v1/accounts/109000000000000999/statuses"),
        "{log:?}"
    );
    assert!(log[1].starts_with("/api/v1/accounts/lookup"), "{log:?}");
    let state: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    assert_eq!(state["id"], crate::fake_instance::ACCOUNT_ID);
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));
}

#[test]
fn a_404_for_the_right_account_id_is_reported_after_one_lookup() {
    // The listing answers 404 once, but the lookup names the same id: the
    // sync reports the error instead of listing again.
    let fake = instance_with(10);
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let listing = format!(
        "/api/v1/accounts/{}/statuses",
        crate::fake_instance::ACCOUNT_ID
    );
    fake.world().script.push((
        listing.clone(),
        404,
        vec![],
        br#"{"error":"Record not found"}"#.to_vec(),
    ));
    fake.take_log();
    let report = run(dir.path());
    let a = only(&report);
    assert!(!a.ok);
    assert!(a.errors[0].contains("404"), "{:?}", a.errors);
    let log = fake.take_log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0].starts_with(&listing), "{log:?}");
    assert!(log[1].starts_with("/api/v1/accounts/lookup"), "{log:?}");
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));
}

/// A sync, like an import or a build, removes the temporary files that a
/// killed run left in content/ (toots, state, media); a dry run writes and
/// removes nothing, and files that only look alike stay.
#[test]
fn a_sync_removes_the_temporary_files_of_killed_runs_in_content() {
    let fake = instance_with(3);
    let dir = site(&account("@news@social.example", &fake), "");
    // No process has this id (above the kernel's pid_max).
    let dead = 4_294_967_295u32;
    let content = dir.path().join("content");
    let stale = [
        content.join(format!(
            "toots/social.example/news/.1.json.tmp-{dead}-Ab34cd"
        )),
        content.join(format!("state/social.example/.news.json.tmp-{dead}-Zz99zz")),
        content.join(format!(
            "media/social.example/news/.incoming.tmp-{dead}-Qq11qq"
        )),
        content.join(format!("media/.import-{dead}.tmp")),
    ];
    let foreign = content.join("media/social.example/news/.notes.tmp-draft");
    for path in stale.iter().chain([&foreign]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"torn").unwrap();
    }
    assert!(only(&run_with(dir.path(), false, true)).ok);
    assert!(
        stale.iter().all(|p| p.exists()),
        "a dry run removes nothing"
    );
    assert!(only(&run(dir.path())).ok);
    for path in &stale {
        assert!(!path.exists(), "{} is left", path.display());
    }
    assert!(foreign.exists(), "not ours, so not removed");
}
