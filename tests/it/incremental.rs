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

mod toot_index;
