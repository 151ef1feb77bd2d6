//! The other integration outputs of `tootbridge build` and the output
//! writer's guarantees: the sitemap, `robots.txt`, the CMS fragment, a
//! rebuild that writes nothing, a failed build that leaves the previous
//! output, and byte-identical output under any time zone or locale.

use std::collections::BTreeSet;

use crate::feeds::{BASE, TOOTS};
use crate::support::{build_json, example_site, mtimes, read, read_tree, tootbridge};

#[test]
fn a_rebuild_without_changes_writes_nothing() {
    let site = example_site();
    let first = build_json(site.path(), None);
    assert_eq!(first["files"]["unchanged"], 0);
    let public = site.path().join("public");
    // Age every file, so a rewrite would show even on a coarse clock.
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    for (path, _) in mtimes(&public) {
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let before = mtimes(&public);
    let again = build_json(site.path(), None);
    assert_eq!(again["files"]["written"], 0, "{again}");
    assert_eq!(again["files"]["removed"], 0, "{again}");
    assert_eq!(again["files"]["unchanged"], first["files"]["written"]);
    assert_eq!(mtimes(&public), before);
}

#[test]
fn a_rebuild_restores_a_hand_edited_output_file_and_sees_store_edits() {
    let site = example_site();
    let first = build_json(site.path(), None);
    let public = site.path().join("public");
    let index = public.join("index.html");
    let original = read(&index);
    // Same size, other bytes: only its modification time gives it away.
    std::fs::write(&index, original.replace('<', "(")).unwrap();
    // File times are coarse (a few ms): make the edit visibly later.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let again = build_json(site.path(), None);
    assert_eq!(again["files"]["written"], 1, "{again}");
    assert_eq!(read(&index), original);
    assert_eq!(again["published"], first["published"]);
    // An edited store file is seen, whatever the recorded build says.
    let toots = site.path().join(TOOTS);
    let file = std::fs::read_dir(&toots)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = read(&file).replacen("\"content\": \"", "\"content\": \"Neu: ", 1);
    std::fs::write(&file, text).unwrap();
    let edited = build_json(site.path(), None);
    assert!(edited["files"]["written"].as_u64().unwrap() > 0, "{edited}");
}

#[test]
fn a_build_that_fails_leaves_the_previous_output() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    let tree = read_tree(&public);
    let times = mtimes(&public);
    // A new toot arrives, but the theme's fragment template breaks at render
    // time, after every page has been rendered.
    let dir = site.path().join(TOOTS);
    let source = read(dir.join("117478195200060798.json"));
    std::fs::write(
        dir.join("117999999999999999.json"),
        source.replace("117478195200060798", "117999999999999999"),
    )
    .unwrap();
    let templates = site.path().join("themes/default/templates/embed");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("latest.html"), "{{ no_such_value.field }}").unwrap();
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("embed/latest.html"));
    assert_eq!(read_tree(&public), tree);
    assert_eq!(mtimes(&public), times);
}

#[test]
fn a_build_whose_store_does_not_load_touches_no_output_folder() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    let times = mtimes(&public);
    let folder_time = std::fs::metadata(&public).unwrap().modified().unwrap();
    std::fs::write(site.path().join(TOOTS).join("117999999999999998.json"), "{").unwrap();
    let root = site.path().to_str().unwrap();
    let out = tootbridge(&["--root", root, "build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("117999999999999998.json"));
    // Not even a staging mark came and went: the folder's own time is kept.
    assert_eq!(mtimes(&public), times);
    assert_eq!(
        std::fs::metadata(&public).unwrap().modified().unwrap(),
        folder_time
    );
    // A folder that does not exist yet is not made, nor its parents.
    let nested = site.path().join("x/y/public");
    let out = tootbridge(&[
        "--root",
        root,
        "build",
        "--output",
        nested.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.path().join("x").exists());
}

/// What a URL path segment may carry unencoded (RFC 3986 unreserved).
const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

#[test]
fn sitemap_lists_every_page_and_robots_txt_is_optional() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    assert!(!public.join("robots.txt").exists());
    let sitemap = read(public.join("sitemap.xml"));
    let locs: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_string())
        .collect();
    // Every toot page carries its creation or edit date; editorial pages
    // have no date of their own in the store and may go without.
    for block in sitemap.split("<url>").skip(1) {
        if block.contains("/toots/") {
            assert!(block.contains("<lastmod>"), "{block}");
        }
    }
    let pages: BTreeSet<String> = read_tree(&public)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with("index.html"))
        .map(|p| {
            let dir = p.trim_end_matches("index.html");
            let encoded: String = dir
                .split('/')
                .map(|part| percent_encoding::utf8_percent_encode(part, UNRESERVED).to_string())
                .collect::<Vec<_>>()
                .join("/");
            format!("{BASE}/{encoded}")
        })
        .collect();
    assert_eq!(locs, pages);

    let path = site.path().join("site.toml");
    let text = read(&path).replace("theme = ", "robots_txt = true\ntheme = ");
    std::fs::write(&path, text).unwrap();
    build_json(site.path(), None);
    assert_eq!(
        read(public.join("robots.txt")),
        format!("User-agent: *\nDisallow:\n\nSitemap: {BASE}/sitemap.xml\n")
    );
}

#[test]
fn embed_fragment_is_self_contained() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    let html = read(public.join("embed/latest.html"));
    for forbidden in ["<html", "<head", "<body", "<script", "<style", "<!DOCTYPE"] {
        assert!(!html.contains(forbidden), "{forbidden} in the fragment");
    }
    for class in html.split("class=\"").skip(1) {
        assert!(class.starts_with("tb-embed"), "class {class:.40}");
    }
    assert!(
        !html.contains(" id=\""),
        "ids could clash with the host page"
    );
    assert_eq!(html.matches("<li class=\"tb-embed__item\">").count(), 5);
    for href in html.split("href=\"").skip(1) {
        assert!(href.starts_with(BASE), "relative link {href:.40}");
    }
    assert!(read(public.join("embed/latest.css")).contains(".tb-embed"));
    let frame = read(public.join("embed/frame.html"));
    assert!(frame.contains("<base target=\"_top\">") && frame.contains("embed/latest.css"));
    let json: serde_json::Value =
        serde_json::from_str(&read(public.join("embed/latest.json"))).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(items
        .iter()
        .all(|i| i["url"].as_str().unwrap().starts_with(BASE)
            && !i["title"].as_str().unwrap().is_empty()
            && i["content_html"].is_string()));
}

#[test]
fn feeds_are_identical_under_any_time_zone_and_locale() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let mut trees = Vec::new();
    for (tz, lang) in [("America/Los_Angeles", "en_US.UTF-8"), ("Asia/Tokyo", "C")] {
        let out = site.path().join(tz.replace('/', "-"));
        let status = std::process::Command::new(crate::support::bin())
            .args(["--root", root, "build", "--output", out.to_str().unwrap()])
            .env("TZ", tz)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .status()
            .unwrap();
        assert!(status.success());
        trees.push(read_tree(&out));
    }
    assert!(trees[0].iter().any(|(p, _)| p == "tags/opendata/atom.xml"));
    assert_eq!(trees[0], trees[1]);
}
