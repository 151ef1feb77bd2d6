//! `tootbridge build`, `init` and `check` on the example site and on broken
//! copies of it.

use std::collections::HashSet;
use std::path::Path;

use tootbridge::model::{Toot, Visibility};

use crate::support::{example_site, read, read_tree, tootbridge};

fn stored_toots(site: &Path) -> Vec<Toot> {
    let dir = site.join("content/toots/social.example/news");
    let mut toots: Vec<Toot> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| tootbridge::store::load_toot(&e.unwrap().path()).unwrap())
        .collect();
    toots.sort_by(|a, b| a.id.cmp(&b.id));
    toots
}

fn build(site: &Path) -> std::process::Output {
    let out = tootbridge(&["--root", site.to_str().unwrap(), "build"]);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn example_site_builds_with_pages_tags_and_feed() {
    let site = example_site();
    build(site.path());
    let public = site.path().join("public");
    for file in [
        "index.html",
        "p/1/index.html",
        "archive/index.html",
        "feed.xml",
        "404.html",
        "tags/index.html",
        "style.css",
    ] {
        assert!(public.join(file).is_file(), "{file} missing");
    }
    let toots = stored_toots(site.path());
    let own_ids: HashSet<&str> = toots.iter().map(|t| t.id.as_str()).collect();
    let mut expected_pages = 0;
    for toot in &toots {
        let page = public.join(format!("toots/{}/index.html", toot.id));
        let reply_to_other = toot
            .in_reply_to
            .as_ref()
            .is_some_and(|r| !own_ids.contains(r.id.as_str()));
        let published = toot.visibility == Visibility::Public && !reply_to_other;
        assert_eq!(
            page.is_file(),
            published,
            "page of toot {} ({:?})",
            toot.id,
            toot.visibility
        );
        if published {
            expected_pages += 1;
            let html = read(&page);
            assert_eq!(html.matches("<h1").count(), 1, "one h1 on {}", toot.id);
            if let Some(url) = toot
                .reblog
                .as_ref()
                .and_then(|r| r.toot.url.as_ref())
                .or(toot.url.as_ref())
            {
                assert!(
                    html.contains(&format!("href=\"{url}\"")),
                    "toot {} links to its original",
                    toot.id
                );
            }
        }
    }
    assert!(
        expected_pages >= 38,
        "only {expected_pages} published toots"
    );

    // Every tag of a published toot has a page that lists it.
    let tag_page = read(public.join("tags/opendata/index.html"));
    assert!(tag_page.contains("#OpenData"));
    assert!(public.join("tags/bürgerservice/index.html").is_file());

    // The feed: one item per listed toot (thread continuations are part of
    // their first toot), each with title, link and date.
    let feed_bytes = std::fs::read(public.join("feed.xml")).unwrap();
    let feed = feed_rs::parser::parse(&feed_bytes[..]).expect("feed-rs reads feed.xml");
    // The home page and its archive pages overlap (the home page shows the
    // newest toots, the archive pages full pages from the oldest): count each
    // listed toot once.
    let mut listed = HashSet::new();
    for page in ["index.html", "p/1/index.html", "p/2/index.html"] {
        if public.join(page).exists() {
            let html = read(public.join(page));
            for part in html.split("<article class=\"toot").skip(1) {
                let id = part
                    .split("id=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                listed.insert(id.to_string());
            }
        }
    }
    let index_items = listed.len();
    assert_eq!(feed.entries.len(), index_items.min(50));
    for entry in &feed.entries {
        assert!(entry
            .title
            .as_ref()
            .is_some_and(|t| !t.content.trim().is_empty()));
        assert!(entry.published.is_some());
        assert!(entry.links[0]
            .href
            .starts_with("https://www.beispielamt.example/neuigkeiten/toots/"));
    }
    // Media of published toots are copied, the stylesheet is linked locally.
    assert!(
        std::fs::read_dir(public.join("media/social.example/news"))
            .unwrap()
            .count()
            > 10
    );
}

#[test]
fn nothing_of_unpublished_toots_reaches_the_output() {
    let site = example_site();
    build(site.path());
    let output = read_tree(&site.path().join("public"));
    let mut checked = 0;
    for toot in stored_toots(site.path()) {
        if toot.visibility == Visibility::Public {
            continue;
        }
        let text = tootbridge::testing::sanitize::plain_text(&toot.content);
        // Every run of five words is distinctive enough to search for.
        let words: Vec<&str> = text.split_whitespace().collect();
        for phrase in words.windows(5).map(|w| w.join(" ")) {
            for (path, bytes) in &output {
                assert!(
                    !String::from_utf8_lossy(bytes).contains(&phrase),
                    "{phrase:?} of {:?} toot {} appears in {path}",
                    toot.visibility,
                    toot.id
                );
            }
            checked += 1;
        }
        assert!(
            !output.iter().any(|(p, _)| p.contains(&toot.id)),
            "a file is named after {}",
            toot.id
        );
        for media in toot.media.iter().filter_map(|m| m.file.as_ref()) {
            let shared_with_public = stored_toots(site.path()).iter().any(|t| {
                t.visibility == Visibility::Public
                    && t.media.iter().any(|m| m.file.as_ref() == Some(media))
            });
            if !shared_with_public {
                assert!(
                    !output.iter().any(|(p, _)| p.ends_with(media.as_str())),
                    "{media} was copied"
                );
            }
        }
    }
    assert!(checked > 20, "only {checked} words checked");
    for secret in [
        "Marzipanlokomotive",
        "Quittenbrotkommission",
        "Pflaumenmusdampfer",
        "Zitronenfalterprotokoll",
    ] {
        assert!(
            output
                .iter()
                .all(|(_, b)| !String::from_utf8_lossy(b).contains(secret)),
            "{secret}"
        );
    }
}

#[test]
fn builds_are_byte_identical_and_rebuilds_write_nothing() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let a = site.path().join("a");
    let b = site.path().join("b");
    let first = tootbridge(&[
        "--root",
        root,
        "build",
        "--output",
        a.to_str().unwrap(),
        "--json",
    ]);
    assert!(first.status.success());
    let other_zone = std::process::Command::new(env!("CARGO_BIN_EXE_tootbridge"))
        .args(["--root", root, "build", "--output", b.to_str().unwrap()])
        .env("TZ", "Pacific/Kiritimati")
        .env("LC_ALL", "C")
        .status()
        .unwrap();
    assert!(other_zone.success());
    assert_eq!(read_tree(&a), read_tree(&b));

    let again = tootbridge(&[
        "--root",
        root,
        "build",
        "--output",
        a.to_str().unwrap(),
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["files"]["written"], 0, "{report}");
    assert!(report["files"]["unchanged"].as_u64().unwrap() > 50);
}

#[test]
fn typo_in_site_toml_is_one_clear_error() {
    let site = example_site();
    let path = site.path().join("site.toml");
    let text = read(&path).replace("per_page = 20", "per_pgae = 20");
    std::fs::write(&path, text).unwrap();
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("site.toml:") && err.contains("per_pgae"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn broken_store_file_names_path_and_field() {
    let site = example_site();
    let dir = site.path().join("content/toots/social.example/news");
    let victim = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = read(&victim).replace("\"visibility\": \"", "\"visibility\": \"secret-");
    std::fs::write(&victim, text).unwrap();
    for command in ["build", "check"] {
        let out = tootbridge(&["--root", site.path().to_str().unwrap(), command]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(victim.file_name().unwrap().to_str().unwrap()),
            "{err}"
        );
        assert!(err.contains("visibility"), "{err}");
    }
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("neu");
    let out = tootbridge(&[
        "init",
        site.to_str().unwrap(),
        "--account",
        "@presse@social.example",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(read(site.join("site.toml")).contains("@presse@social.example"));
    build(&site);
    let index = read(site.join("public/index.html"));
    assert!(index.contains("Hier erscheinen bald die ersten Beiträge."));
    let check = tootbridge(&["--root", site.to_str().unwrap(), "check"]);
    assert!(check.status.success());
    // A second init does not overwrite the site.
    let again = tootbridge(&["init", site.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    // A bad handle is wrong usage (exit 2), refused before anything is written.
    let bad = tootbridge(&[
        "init",
        dir.path().join("x").to_str().unwrap(),
        "--account",
        "presse",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(!dir.path().join("x").exists());
}

#[test]
fn check_reports_missing_alt_text() {
    let site = example_site();
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "check"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("without alt text"), "{text}");
    assert!(text.contains("stored toots"), "{text}");
}

#[test]
fn snapshot_of_a_toot_page_and_the_feed() {
    let site = example_site();
    build(site.path());
    let public = site.path().join("public");
    // The poll toot carries a poll, hashtags and a localized date.
    let page = read(public.join("toots/115293251174451184/index.html"));
    insta::assert_snapshot!("toot_page_poll", page);
    insta::assert_snapshot!("feed", read(public.join("feed.xml")));
}

#[test]
fn a_theme_that_loads_from_another_host_fails_the_build() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let templates = site.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let base = read(crate::support::repo().join("themes/default/templates/base.html"));
    let evil = base.replace(
        "</head>",
        "<link rel=\"stylesheet\" href=\"https://fonts.example.net/css\">\n</head>",
    );
    std::fs::write(templates.join("base.html"), evil).unwrap();
    let out = tootbridge(&["--root", root, "build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("index.html loads https://fonts.example.net/css"),
        "{err}"
    );
    assert!(!site.path().join("public").exists(), "nothing written");

    let toml = read(site.path().join("site.toml"))
        .replace("output_dir", "strict_privacy = false\noutput_dir");
    std::fs::write(site.path().join("site.toml"), toml).unwrap();
    let out = tootbridge(&["--root", root, "build"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("privacy: "));
}
