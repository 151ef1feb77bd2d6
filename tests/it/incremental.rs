//! Incremental rendering: a rebuild renders only the files whose inputs
//! changed (the others are kept by their render key), and its output is
//! always byte-identical to a clean build. Shown by a property test over
//! random sequences of store, editorial, config and template changes.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use serde_json::json;

use crate::support::{build_json, read_tree, repo};

fn id(i: usize) -> String {
    format!("{}", 111_000_000_000_000_000u64 + i as u64)
}

fn toot_path(root: &Path, i: usize) -> std::path::PathBuf {
    root.join("content/toots/social.example/news")
        .join(format!("{}.json", id(i)))
}

/// Toot `i`, a day after toot `i - 1`; `edit` > 0 gives it edited text.
fn write_toot(root: &Path, i: usize, edit: usize) {
    let path = toot_path(root, i);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap() + chrono::Days::new(i as u64);
    let tag = ["Amt", "Bau", "Rad"][i % 3];
    let mut toot = json!({
        "schema": 1, "id": id(i),
        "uri": format!("https://social.example/users/news/statuses/{}", id(i)),
        "url": format!("https://social.example/@news/{}", id(i)),
        "created_at": format!("{day}T09:00:00Z"),
        "visibility": "public", "language": "de",
        "content": format!("<p>Nachricht {i}, Fassung {edit} <a href=\"https://social.example/tags/{tag}\" class=\"mention hashtag\">#{tag}</a></p>"),
        "tags": [{"name": tag}],
    });
    // Every fifth toot has an image, mirrored or not (see `Op::Media`).
    if i.is_multiple_of(5) {
        toot["media"] = json!([{
            "id": format!("m{i}"), "kind": "image",
            "remote_url": format!("https://social.example/m{i}.png"),
            "file": media_file(i), "description": "Bild",
        }]);
    }
    if edit > 0 {
        toot["edited_at"] = json!(format!("{day}T1{}:00:00Z", edit % 10));
    }
    // Every fourth toot continues the thread of the one before.
    if i % 4 == 3 {
        toot["in_reply_to"] = json!({"id": id(i - 1), "account_id": "1"});
    }
    std::fs::write(path, serde_json::to_vec_pretty(&toot).unwrap()).unwrap();
}

fn media_file(i: usize) -> String {
    format!("social.example/m{i}.png")
}

/// The account's profile with display name `name`.
fn write_profile(root: &Path, name: &str) {
    let path = root.join("content/state/social.example/news.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let state = json!({"schema": 1, "handle": "@news@social.example", "display_name": name});
    std::fs::write(path, serde_json::to_vec_pretty(&state).unwrap()).unwrap();
}

fn write_config(root: &Path, title: &str, per_page: usize) {
    std::fs::write(
        root.join("site.toml"),
        format!(
            "title = \"{title}\"\nbase_url = \"https://example.org/\"\nlanguage = \"de\"\n\
             [[accounts]]\nhandle = \"@news@social.example\"\n[pages]\nper_page = {per_page}\n\
             [feeds]\nitems = 6\n"
        ),
    )
    .unwrap();
}

#[derive(Debug, Clone)]
enum Op {
    Add,
    Edit(usize),
    Delete(usize),
    Hide(usize),
    Pin(usize),
    Title(u8),
    PerPage(usize),
    Template(u8),
    /// The image of a toot arrives in the media store, or goes.
    Media(usize),
    /// The account's display name changes.
    Profile(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Add),
        2 => (0..40usize).prop_map(Op::Edit),
        1 => (0..40usize).prop_map(Op::Delete),
        1 => (0..40usize).prop_map(Op::Hide),
        1 => (0..40usize).prop_map(Op::Pin),
        1 => (0..3u8).prop_map(Op::Title),
        1 => (2..6usize).prop_map(Op::PerPage),
        1 => (0..3u8).prop_map(Op::Template),
        2 => (0..40usize).prop_map(Op::Media),
        1 => (0..3u8).prop_map(Op::Profile),
    ]
}

/// The site as the operations leave it.
struct Site {
    dir: tempfile::TempDir,
    toots: Vec<usize>,
    next: usize,
    edits: usize,
    hidden: Vec<String>,
    pinned: Vec<String>,
}

impl Site {
    fn new(toots: usize) -> Site {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), "Amt", 4);
        for i in 0..toots {
            write_toot(dir.path(), i, 0);
        }
        Site {
            dir,
            toots: (0..toots).collect(),
            next: toots,
            edits: 0,
            hidden: Vec::new(),
            pinned: Vec::new(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn pick(&self, n: usize) -> Option<usize> {
        (!self.toots.is_empty()).then(|| self.toots[n % self.toots.len()])
    }

    fn write_overrides(&self) {
        let list = |ids: &[String]| {
            ids.iter()
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        std::fs::write(
            self.root().join("content/overrides.toml"),
            format!(
                "hide = [{}]\npin = [{}]\n",
                list(&self.hidden),
                list(&self.pinned)
            ),
        )
        .unwrap();
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Add => {
                write_toot(self.root(), self.next, 0);
                self.toots.push(self.next);
                self.next += 1;
            }
            Op::Edit(n) => {
                if let Some(i) = self.pick(n) {
                    self.edits += 1;
                    write_toot(self.root(), i, self.edits);
                }
            }
            Op::Delete(n) => {
                if let Some(i) = self.pick(n) {
                    std::fs::remove_file(toot_path(self.root(), i)).unwrap();
                    self.toots.retain(|&t| t != i);
                    self.hidden.retain(|h| *h != id(i));
                    self.pinned.retain(|p| *p != id(i));
                    self.write_overrides();
                }
            }
            Op::Hide(n) => {
                if let Some(i) = self.pick(n) {
                    if !self.hidden.contains(&id(i)) && !self.pinned.contains(&id(i)) {
                        self.hidden.push(id(i));
                        self.write_overrides();
                    }
                }
            }
            Op::Pin(n) => {
                if let Some(i) = self.pick(n) {
                    if !self.hidden.contains(&id(i)) && !self.pinned.contains(&id(i)) {
                        self.pinned.push(id(i));
                        self.write_overrides();
                    }
                }
            }
            Op::Title(t) => write_config(self.root(), ["Amt", "Behörde", "Stelle"][t as usize], 4),
            Op::PerPage(n) => write_config(self.root(), "Amt", n),
            Op::Media(n) => {
                if let Some(i) = self.pick(n) {
                    let i = i - i % 5;
                    let path = self.root().join("content/media").join(media_file(i));
                    if path.exists() {
                        std::fs::remove_file(path).unwrap();
                    } else {
                        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                        // A PNG signature is enough: the file is copied, not read.
                        std::fs::write(path, b"\x89PNG\r\n\x1a\n").unwrap();
                    }
                }
            }
            Op::Profile(p) => write_profile(self.root(), ["Amt", "Das Amt", "Amt :x:"][p as usize]),
            Op::Template(t) => {
                // A site theme file overrides the built-in one of that name.
                let builtin = std::fs::read_to_string(
                    repo().join("themes/default/templates/partials/toot.html"),
                )
                .unwrap();
                let dir = self.root().join("themes/default/templates/partials");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(
                    dir.join("toot.html"),
                    format!("{builtin}<!-- Fassung {t} -->\n"),
                )
                .unwrap();
            }
        }
    }
}

/// The published files, without the bookkeeping of the output folder.
fn published(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(dir)
        .into_iter()
        .filter(|(path, _)| !path.starts_with(".tootbridge"))
        .collect()
}

fn assert_rebuild_equals_clean_build(site: &Site, step: &str) {
    build_json(site.root(), None);
    let clean = tempfile::tempdir().unwrap();
    build_json(site.root(), Some(clean.path()));
    let (ours, theirs) = (
        published(&site.root().join("public")),
        published(clean.path()),
    );
    let differ: Vec<&String> = ours
        .keys()
        .chain(theirs.keys())
        .filter(|p| ours.get(*p) != theirs.get(*p))
        .collect();
    assert!(
        differ.is_empty(),
        "after {step}: rebuild differs from a clean build in {differ:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_rebuild_always_equals_a_clean_build(ops in prop::collection::vec(op(), 1..6)) {
        let mut site = Site::new(13);
        build_json(site.root(), None);
        for (n, op) in ops.iter().enumerate() {
            site.apply(op);
            assert_rebuild_equals_clean_build(&site, &format!("step {n}: {op:?} of {ops:?}"));
        }
    }
}

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

#[test]
fn one_new_toot_renders_its_own_files_and_keeps_the_rest() {
    let site = Site::new(60);
    let first = build_json(site.root(), None);
    assert_eq!(first["files"]["kept"], 0, "{first}");
    let mut site = site;
    site.apply(&Op::Add);
    let again = build_json(site.root(), None);
    let kept = again["files"]["kept"].as_u64().unwrap();
    // Every old toot's page (the thread roots' too), the full archive pages
    // and the media stay; what is rendered is the new toot's page, the
    // roots of its lists, the feeds that carry it.
    assert!(kept >= 60, "only {kept} files kept: {again}");
    // A change of the theme renders everything again.
    site.apply(&Op::Template(1));
    let themed = build_json(site.root(), None);
    assert_eq!(themed["files"]["kept"], 0, "{themed}");
    // A build killed while writing leaves its mark: the next one renders all.
    std::fs::write(site.root().join("public/.tootbridge-staging"), "1").unwrap();
    write_toot(site.root(), 0, 5);
    let after_kill = build_json(site.root(), None);
    assert_eq!(after_kill["files"]["kept"], 0, "{after_kill}");
    // A hand-edited output file is rendered again, not kept.
    let page = site
        .root()
        .join(format!("public/toots/{}/index.html", id(10)));
    let original = std::fs::read(&page).unwrap();
    std::fs::write(&page, b"edited").unwrap();
    write_toot(site.root(), 1, 6);
    build_json(site.root(), None);
    assert_eq!(std::fs::read(&page).unwrap(), original);
}
