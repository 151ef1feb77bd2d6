//! The toot index in rebuilds (`store/index.rs`): which toot files a
//! rebuild reads, that the index names no toot the site does not publish,
//! and that rebuilds through it (or past it) equal clean builds.

use std::path::Path;

use proptest::prelude::*;
use serde_json::json;

use super::{assert_rebuild_equals_clean_build, id, op, toot_path, write_toot, Op, Site};
use crate::support::build_json;

/// Waits until every file written so far is older than the toot index's
/// margin, so the next build records it (`store/index.rs`).
fn let_the_store_settle() {
    std::thread::sleep(
        tootbridge::testing::output::TOOT_INDEX_MARGIN + std::time::Duration::from_millis(200),
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5, ..ProptestConfig::default() })]

    /// The same, with a store old enough for the toot index: each rebuild
    /// takes the toots it did not see change from the index.
    #[test]
    fn a_rebuild_from_the_toot_index_equals_a_clean_build(ops in prop::collection::vec(op(), 1..6)) {
        let mut site = Site::new(13);
        let_the_store_settle();
        let first = build_json(site.root(), None);
        prop_assert_eq!(&first["toots_read"], 13, "{}", first);
        for (n, op) in ops.iter().enumerate() {
            site.apply(op);
            assert_rebuild_equals_clean_build(&site, &format!("step {n}: {op:?} of {ops:?}"));
        }
    }
}

/// Replaces `from` by `to` in the file at `path`, in place (same inode),
/// and puts its modification time back.
fn rewrite_in_place_keeping_time(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let time = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, text.replace(from, to)).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

#[test]
fn the_toot_index_reads_only_the_toots_that_changed() {
    let mut site = Site::new(20);
    let_the_store_settle();
    assert_eq!(build_json(site.root(), None)["toots_read"], 20);
    site.apply(&Op::Add);
    let added = build_json(site.root(), None);
    assert_eq!(added["toots_read"], 1, "{added}");
    // An edit in place, then a rewrite that keeps the size and puts the
    // modification time back: both are read.
    site.apply(&Op::Edit(3));
    assert_eq!(build_json(site.root(), None)["toots_read"], 2);
    let path = toot_path(site.root(), 5);
    rewrite_in_place_keeping_time(&path, "Nachricht 5,", "Nachricht 6,");
    let same_size = build_json(site.root(), None);
    assert!(
        same_size["toots_read"].as_u64().unwrap() >= 1,
        "{same_size}"
    );
    assert_rebuild_equals_clean_build(&site, "a same-size edit with the old time");
    // A toot made direct in place (the same size, the old modification
    // time) is never published from its stub: its change time tells.
    rewrite_in_place_keeping_time(&path, "\"public\"", "\"direct\"");
    let private = build_json(site.root(), None);
    assert!(private["toots_read"].as_u64().unwrap() >= 1, "{private}");
    assert!(!site
        .root()
        .join("public/toots")
        .join(id(5))
        .join("index.html")
        .exists());
    assert_rebuild_equals_clean_build(&site, "a toot made direct");
    // The index lies in the published folder: it names no toot that is not
    // published (made private, hidden by the editors).
    site.apply(&Op::Hide(7));
    build_json(site.root(), None);
    let hidden = site.hidden.clone();
    let index_text = std::fs::read_to_string(
        site.root()
            .join("public")
            .join(tootbridge::testing::output::TOOT_INDEX),
    )
    .unwrap();
    assert!(!hidden.is_empty());
    for unpublished in hidden.iter().chain([&id(5)]) {
        assert!(
            !index_text.contains(unpublished.as_str()),
            "{unpublished} in the index"
        );
    }
    assert!(index_text.contains(&id(6)));
    // A toot deleted on the instance whose file is still in the store: its
    // tombstone keeps it out, whatever the index says.
    let state = site.root().join("content/state/social.example/news.json");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    std::fs::write(
        &state,
        serde_json::to_vec(&json!({"schema": 1, "handle": "@news@social.example",
            "tombstones": [{"id": id(8), "deleted_at": "2026-01-01T00:00:00Z"}]}))
        .unwrap(),
    )
    .unwrap();
    build_json(site.root(), None);
    // Its page is the short page of a removed post.
    let page = std::fs::read_to_string(
        site.root()
            .join("public/toots")
            .join(id(8))
            .join("index.html"),
    )
    .unwrap();
    assert!(!page.contains("Nachricht 8,"), "{page}");
    assert_rebuild_equals_clean_build(&site, "a tombstone for a stored toot");
    // A cut index: the toots of the lost lines (and of the cut one) are
    // read again, the others still come from it.
    let index = site
        .root()
        .join("public")
        .join(tootbridge::testing::output::TOOT_INDEX);
    let mut damaged = std::fs::read(&index).unwrap();
    damaged.truncate(damaged.len() / 2);
    std::fs::write(&index, damaged).unwrap();
    write_toot(site.root(), 0, 9);
    let read = build_json(site.root(), None)["toots_read"]
        .as_u64()
        .unwrap();
    assert!((5..21).contains(&read), "{read} read");
    // One of another binary is not used at all.
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        text.replacen("tootbridge toot index 1 ", "tootbridge toot index 1 9", 1),
    )
    .unwrap();
    write_toot(site.root(), 1, 9);
    // 21 stored, one of them deleted on the instance.
    assert_eq!(build_json(site.root(), None)["toots_read"], 20);
    assert_rebuild_equals_clean_build(&site, "a damaged index");
}

/// Gives every toot file a new inode with the same bytes, as a fresh
/// checkout does: the toot index knows none of them.
fn check_out_again(root: &Path) {
    for entry in walkdir::WalkDir::new(root.join("content/toots")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let fresh = entry.path().with_extension("checkout");
            std::fs::write(&fresh, bytes).unwrap();
            std::fs::rename(&fresh, entry.path()).unwrap();
        }
    }
}

#[test]
fn a_store_the_index_does_not_know_is_read_once_and_its_pages_kept() {
    let mut site = Site::new(20);
    build_json(site.root(), None);
    check_out_again(site.root());
    // One toot changed too: its page is rendered from the toot read again
    // (the build kept only its stub after the first read).
    site.apply(&Op::Edit(4));
    let_the_store_settle();
    let out = crate::support::tootbridge(&[
        "--root",
        site.root().to_str().unwrap(),
        "-v",
        "build",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = String::from_utf8_lossy(&out.stderr);
    // The last build's render keys are there: each toot read is held as
    // its stub, so the whole store is not.
    assert!(
        log.contains("20 toot files read, 20 of them kept as their stubs"),
        "{log}"
    );
    let rebuilt: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rebuilt["toots_read"], 20, "{rebuilt}");
    let kept = rebuilt["files"]["kept"].as_u64().unwrap();
    assert!(kept >= 19, "only {kept} files kept: {rebuilt}");
    assert!(
        rebuilt["files"]["written"].as_u64().unwrap() >= 1,
        "{rebuilt}"
    );
    assert_rebuild_equals_clean_build(&site, "a fresh checkout with one edit");
    // The files read were recorded: the next new post reads only itself.
    site.apply(&Op::Add);
    let added = build_json(site.root(), None);
    assert_eq!(added["toots_read"], 1, "{added}");
}

/// A build that renders but fails at its commit (here: its manifest cannot
/// be replaced, a folder stands in its place) leaves the output folder as it
/// was, the toot index too: README, "a build that fails ... leaves the
/// previous output exactly as it was".
#[test]
fn a_build_that_fails_at_its_commit_leaves_the_toot_index_as_it_was() {
    use tootbridge::testing::output::{MANIFEST, TOOT_INDEX};
    let mut site = Site::new(6);
    let_the_store_settle();
    build_json(site.root(), None);
    let public = site.root().join("public");
    let index = public.join(TOOT_INDEX);
    let before = std::fs::read(&index).unwrap();
    let manifest = public.join(MANIFEST);
    std::fs::remove_file(&manifest).unwrap();
    std::fs::create_dir(&manifest).unwrap();
    // A new post, old enough to be recorded: this build's index differs.
    site.apply(&Op::Add);
    let_the_store_settle();
    let out = crate::support::tootbridge(&["--root", site.root().to_str().unwrap(), "build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the build did not fail: {stderr}");
    assert!(stderr.contains(MANIFEST), "it failed elsewhere: {stderr}");
    assert!(
        std::fs::read(&index).unwrap() == before,
        "the failed build replaced {TOOT_INDEX}"
    );
}
