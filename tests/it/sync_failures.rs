//! Sync when things go wrong: media downloads that fail or break the rules,
//! 429 and 5xx answers, bodies over the cap, invalid JSON, and one of two
//! accounts failing. Everything runs against the fake instance on 127.0.0.1.

use serde_json::Value;

use crate::fake_instance::FakeInstance;
use crate::support::tootbridge;
use crate::sync_support::{
    account, instance_with, only, run, site, storable_ids, stored_ids, with_image_toot, TINY_PNG,
};

#[test]
fn failed_media_download_keeps_the_toot_and_is_retried() {
    let fake = instance_with(5);
    let id = with_image_toot(&fake, true);
    let dir = site(&account("@news@social.example", &fake), "");
    let report = run(dir.path());
    let a = only(&report);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!((a.media_failed, a.media_fetched), (1, 1)); // the avatar worked
    assert!(a
        .errors
        .iter()
        .any(|e| e.contains("/media/pic.png") && e.contains("500")));
    let path = dir
        .path()
        .join(format!("content/toots/social.example/news/{id}.json"));
    let toot = tootbridge::store::load_toot(&path).unwrap();
    assert_eq!(toot.media[0].file, None);

    let report = run(dir.path());
    let a = only(&report);
    assert_eq!((a.media_failed, a.media_fetched, a.added), (0, 1, 0));
    let toot = tootbridge::store::load_toot(&path).unwrap();
    let file = toot.media[0].file.clone().unwrap();
    assert!(
        file.starts_with("social.example/news/") && file.ends_with(".png"),
        "{file}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("content/media").join(&file)).unwrap(),
        TINY_PNG
    );
    assert_eq!(toot.media[0].mime.as_deref(), Some("image/png"));

    // Mirrored once, never fetched again.
    fake.take_log();
    assert_eq!(only(&run(dir.path())).requests, 2);
}

#[test]
fn oversized_or_mistyped_media_is_refused_but_the_toot_stored() {
    let fake = instance_with(3);
    let id = with_image_toot(&fake, false);
    fake.world()
        .files
        .insert("/media/pic.png".into(), ("image/png".into(), vec![0; 5000]));
    fake.world().files.insert(
        "/media/avatar.png".into(),
        ("text/html".into(), b"<html>".to_vec()),
    );
    let dir = site(
        &account("@news@social.example", &fake),
        "[sync]\nmax_media_bytes = 1000\n",
    );
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok);
    assert_eq!(a.media_failed, 2, "{:?}", a.errors);
    assert!(
        a.errors
            .iter()
            .any(|e| e.contains("larger than the cap of 1000")),
        "{:?}",
        a.errors
    );
    assert!(
        a.errors.iter().any(|e| e.contains("text/html")),
        "{:?}",
        a.errors
    );
    assert!(stored_ids(dir.path()).contains(&id));
}

#[test]
fn rate_limit_is_waited_out_when_the_reset_is_near() {
    let fake = instance_with(10);
    let reset = (chrono::Utc::now() + chrono::Duration::milliseconds(600)).to_rfc3339();
    fake.world().script.push((
        "/api/v1/accounts/lookup".into(),
        429,
        vec![
            ("X-RateLimit-Reset".into(), reset),
            ("X-RateLimit-Remaining".into(), "0".into()),
        ],
        br#"{"error":"Too many requests"}"#.to_vec(),
    ));
    let dir = site(&account("@news@social.example", &fake), "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));
    let log = fake.take_log();
    assert_eq!(log.iter().filter(|l| l.contains("lookup")).count(), 2);
}

#[test]
fn rate_limit_far_away_stops_cleanly() {
    let fake = instance_with(10);
    let reset = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    fake.world().script.push((
        "/api/v1/accounts/".into(),
        429,
        vec![("X-RateLimit-Reset".into(), reset)],
        br#"{"error":"Too many requests"}"#.to_vec(),
    ));
    let dir = site(&account("@news@social.example", &fake), "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(!a.ok);
    assert!(
        a.errors[0].contains("rate limited until") && a.errors[0].contains("run sync again"),
        "{:?}",
        a.errors
    );
    assert!(stored_ids(dir.path()).is_empty());
}

#[test]
fn server_errors_are_retried() {
    let fake = instance_with(10);
    for _ in 0..2 {
        fake.world().script.push((
            "/api/v1/accounts/109000000000000001/statuses".into(),
            503,
            vec![],
            b"busy".to_vec(),
        ));
    }
    let dir = site(&account("@news@social.example", &fake), "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(a.ok, "{:?}", a.errors);
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));
    assert_eq!(a.requests, 1 + 3 + 1 + 1);
}

#[test]
fn oversized_and_invalid_json_fail_the_account_and_leave_the_store() {
    let fake = instance_with(10);
    let dir = site(&account("@news@social.example", &fake), "");
    assert!(only(&run(dir.path())).ok);
    let before = crate::support::read_tree(&dir.path().join("content/toots"));
    let listing = "/api/v1/accounts/109000000000000001/statuses";
    let mut huge = b"[".to_vec();
    huge.extend(std::iter::repeat_n(b' ', 9 * 1024 * 1024));
    huge.push(b']');
    fake.world()
        .script
        .push((listing.into(), 200, vec![], huge));
    let a = run(dir.path()).accounts.remove(0);
    assert!(!a.ok);
    assert!(
        a.errors[0].contains("larger than the cap"),
        "{:?}",
        a.errors
    );
    assert!(a.errors[0].contains(&fake.url), "{:?}", a.errors);

    fake.world()
        .script
        .push((listing.into(), 200, vec![], b"[{\"id\": ".to_vec()));
    let a = run(dir.path()).accounts.remove(0);
    assert!(!a.ok);
    assert!(
        a.errors[0].contains("invalid JSON") && a.errors[0].contains(listing),
        "{:?}",
        a.errors
    );
    assert_eq!(
        crate::support::read_tree(&dir.path().join("content/toots")),
        before
    );
}

#[test]
fn two_accounts_one_failing() {
    let good = instance_with(5);
    let bad = FakeInstance::start("somebody-else");
    let accounts = format!(
        "{}{}",
        account("@news@social.example", &good),
        account("@press@other.example", &bad)
    );
    let dir = site(&accounts, "");
    let report = run(dir.path());
    assert!(report.accounts[0].ok);
    assert!(!report.accounts[1].ok);
    assert!(
        report.accounts[1].errors[0].contains("lookup"),
        "{:?}",
        report.accounts[1].errors
    );
    assert_eq!(report.failed().len(), 1);
    assert_eq!(stored_ids(dir.path()), storable_ids(&good));

    // The binary reports it in its summary and exit status.
    let out = tootbridge(&["--root", dir.path().to_str().unwrap(), "sync", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["accounts"][0]["ok"], true);
    assert_eq!(summary["accounts"][1]["ok"], false);
    assert!(String::from_utf8_lossy(&out.stderr).contains("@press@other.example"));
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn gzip_bodies_are_decoded_and_capped_after_decoding() {
    let fake = instance_with(10);
    let account = crate::fake_instance::account_json(&fake.url, "news");
    let gz = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("Content-Encoding".to_string(), "gzip".to_string()),
    ];
    let body = gzip(&serde_json::to_vec(&account).unwrap());
    fake.world()
        .script
        .push(("/api/v1/accounts/lookup".into(), 200, gz.clone(), body));
    // A gzip bomb: 9 MiB of JSON whitespace in a few kilobytes.
    let mut huge = b"[".to_vec();
    huge.extend(std::iter::repeat_n(b' ', 9 * 1024 * 1024));
    huge.push(b']');
    let bomb = gzip(&huge);
    assert!(bomb.len() < 100_000);
    fake.world().script.push((
        "/api/v1/accounts/109000000000000001/statuses".into(),
        200,
        gz,
        bomb,
    ));
    let dir = site(&account_toml(&fake), "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(!a.ok);
    assert!(
        a.errors[0].contains("larger than the cap"),
        "{:?}",
        a.errors
    );
    let log = fake.take_log();
    assert!(
        log[0].starts_with("/api/v1/accounts/lookup") && log.len() == 2,
        "{log:?}"
    );
}

#[test]
fn a_missing_token_variable_is_a_clear_error() {
    let fake = instance_with(3);
    let accounts = format!(
        "{}token_env = \"TOOTBRIDGE_UNSET_TOKEN_VAR\"\n",
        account_toml(&fake)
    );
    let dir = site(&accounts, "");
    let a = run(dir.path()).accounts.remove(0);
    assert!(!a.ok);
    assert!(
        a.errors[0].contains("TOOTBRIDGE_UNSET_TOKEN_VAR") && a.errors[0].contains("not set"),
        "{:?}",
        a.errors
    );
}

fn account_toml(fake: &FakeInstance) -> String {
    account("@news@social.example", fake)
}
