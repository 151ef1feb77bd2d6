//! Stable list pages: archive pages counted from the oldest toot never
//! change once full, so one new post rewrites a small, fixed set of files
//! whatever the size of the site; the month archive; and the output after
//! such a rebuild equals a clean build.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;

use crate::support::{build_json, read, read_tree};

const PER_PAGE: usize = 20;

fn write_site(root: &Path) {
    std::fs::write(
        root.join("site.toml"),
        format!(
            "title = \"Amt\"\nbase_url = \"https://example.org/news/\"\nlanguage = \"de\"\n\
             [[accounts]]\nhandle = \"@news@social.example\"\n[pages]\nper_page = {PER_PAGE}\n"
        ),
    )
    .unwrap();
}

/// Stores toot number `i` (later numbers are newer), tagged #Amt and, for
/// every third, #Bau; a toot a day from 1 January 2025.
fn write_toot(root: &Path, i: usize) {
    let dir = root.join("content/toots/social.example/news");
    std::fs::create_dir_all(&dir).unwrap();
    let id = format!("{}", 110_000_000_000_000_000u64 + i as u64);
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i as u64);
    let mut tags = vec![json!({"name": "Amt"})];
    let mut content = format!(
        "<p>Meldung {i} <a href=\"https://social.example/tags/Amt\" class=\"mention hashtag\">#Amt</a>"
    );
    if i.is_multiple_of(3) {
        tags.push(json!({"name": "Bau"}));
        content.push_str(
            " <a href=\"https://social.example/tags/Bau\" class=\"mention hashtag\">#Bau</a>",
        );
    }
    content.push_str("</p>");
    let toot = json!({
        "schema": 1, "id": id,
        "uri": format!("https://social.example/users/news/statuses/{id}"),
        "url": format!("https://social.example/@news/{id}"),
        "created_at": format!("{day}T10:00:00Z"),
        "visibility": "public", "language": "de",
        "content": content,
        "tags": tags,
    });
    std::fs::write(
        dir.join(format!("{id}.json")),
        serde_json::to_vec_pretty(&toot).unwrap(),
    )
    .unwrap();
}

fn site_with(toots: usize) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    write_site(site.path());
    for i in 0..toots {
        write_toot(site.path(), i);
    }
    site
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(dir)
        .into_iter()
        .filter(|(path, _)| !path.starts_with(".tootbridge"))
        .collect()
}

/// The files that differ between two builds (changed, added or removed).
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut out: Vec<String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path.clone())
        .collect();
    out.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    out.sort();
    out
}

fn assert_same_as_clean_build(site: &Path) {
    let clean = tempfile::tempdir().unwrap();
    build_json(site, Some(clean.path()));
    assert_eq!(
        tree(&site.join("public")),
        tree(clean.path()),
        "a rebuild's output equals a clean build"
    );
}

#[test]
fn one_new_post_leaves_every_full_archive_page_as_it_was() {
    // 125 toots: 6 full archive pages of 20, the newest 5 only on the home page.
    let site = site_with(125);
    build_json(site.path(), None);
    let public = site.path().join("public");
    let before = tree(&public);
    assert!(before.contains_key("p/6/index.html"));
    assert!(!before.contains_key("p/7/index.html"), "no partial page");
    assert!(!before.keys().any(|p| p.starts_with("page/")));

    write_toot(site.path(), 125);
    let report = build_json(site.path(), None);
    let after = tree(&public);
    let changed = changed(&before, &after);
    assert!(
        !changed
            .iter()
            .any(|p| p.contains("/p/") || p.starts_with("p/")),
        "no archive page changed: {changed:?}"
    );
    // The new toot's page, the home page, its tags' pages, the month, the
    // feeds, the sitemap and the embed: a fixed set, not the history.
    assert!(
        changed.len() <= 30,
        "{} files changed: {changed:?}",
        changed.len()
    );
    assert_eq!(report["files"]["written"], changed.len(), "{report}");
    assert!(changed.contains(&"toots/110000000000000125/index.html".to_string()));
    assert!(changed.contains(&"index.html".to_string()));
    assert!(changed.contains(&"archive/2025/05/index.html".to_string()));
    assert_same_as_clean_build(site.path());
}

#[test]
fn a_page_that_fills_changes_only_its_neighbours() {
    let site = site_with(139);
    build_json(site.path(), None);
    let public = site.path().join("public");
    let before = tree(&public);
    assert!(!before.contains_key("p/7/index.html"));
    write_toot(site.path(), 139);
    build_json(site.path(), None);
    let after = tree(&public);
    let changed = changed(&before, &after);
    let archive: Vec<&String> = changed.iter().filter(|p| p.starts_with("p/")).collect();
    // The new page 7, and the links of the pages up to three below it.
    assert_eq!(
        archive,
        [
            "p/4/index.html",
            "p/5/index.html",
            "p/6/index.html",
            "p/7/index.html"
        ]
    );
    // Page 7 holds toots 120..=139, newest first.
    let page = read(public.join("p/7/index.html"));
    let first = page.find("Meldung 139").unwrap();
    let last = page.find("Meldung 120").unwrap();
    assert!(first < last);
    assert!(!page.contains("Meldung 119"));
    assert!(!page.contains("Meldung 140"));
    assert_same_as_clean_build(site.path());
}

#[test]
fn every_toot_is_on_a_list_page_and_the_navigation_goes_both_ways() {
    let site = site_with(47);
    build_json(site.path(), None);
    let public = site.path().join("public");
    let home = read(public.join("index.html"));
    // The home page shows the newest 20 (27..=46); page 2 holds 20..=39 and
    // page 1 0..=19, so 40..=46 are on the home page only.
    for i in 27..47 {
        assert!(
            home.contains(&format!("Meldung {i} ")),
            "{i} on the home page"
        );
    }
    assert!(home.contains("href=\"https://example.org/news/p/2/\" rel=\"next\""));
    assert!(!home.contains("rel=\"prev\""));
    let two = read(public.join("p/2/index.html"));
    assert!(two.contains("href=\"https://example.org/news/\" rel=\"prev\""));
    assert!(two.contains("href=\"https://example.org/news/p/1/\" rel=\"next\""));
    let one = read(public.join("p/1/index.html"));
    assert!(one.contains("href=\"https://example.org/news/p/2/\" rel=\"prev\""));
    assert!(!one.contains("rel=\"next\""));
    let all: String = [&home, &two, &one].iter().map(|s| s.as_str()).collect();
    for i in 0..47 {
        assert!(all.contains(&format!("Meldung {i} ")), "toot {i} is listed");
    }
    // Tag lists are paginated the same way: #Bau has 16 toots, no full page.
    assert!(public.join("tags/bau/index.html").is_file());
    assert!(!public.join("tags/bau/p/1/index.html").exists());
    assert!(public.join("tags/amt/p/2/index.html").is_file());
}

#[test]
fn the_month_archive_lists_every_month_and_each_toot_links_its_month() {
    let site = site_with(47);
    build_json(site.path(), None);
    let public = site.path().join("public");
    let index = read(public.join("archive/index.html"));
    // 1 January to 16 February 2025.
    let feb = index.find("/archive/2025/02/\">Februar 2025</a>").unwrap();
    let jan = index.find("/archive/2025/01/\">Januar 2025</a>").unwrap();
    assert!(feb < jan, "newest month first");
    assert!(index.contains("(31 Beiträge)"));
    let january = read(public.join("archive/2025/01/index.html"));
    assert!(january.contains("Meldung 30 "));
    assert!(!january.contains("Meldung 31 "));
    // January has 31 toots: one full archive page of the month.
    assert!(public.join("archive/2025/01/p/1/index.html").is_file());
    let toot = read(public.join("toots/110000000000000040/index.html"));
    assert!(toot.contains("href=\"https://example.org/news/archive/2025/02/\""));
    let home = read(public.join("index.html"));
    assert!(home.contains("href=\"https://example.org/news/archive/\""));
    let sitemap = read(public.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/news/archive/2025/01/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/news/p/1/</loc>"));
}
