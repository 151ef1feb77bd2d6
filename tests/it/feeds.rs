//! The feeds of `tootbridge build`: RSS, Atom and JSON Feed (parsed with
//! feed-rs, RSS also checked by the `rss` crate's validator), tag and account
//! feeds, and what a deleted toot does to them.

use std::path::Path;

use rss::validation::Validate;
use tootbridge::model::AccountState;

use crate::support::{build_json, example_site, feed_files, read, read_tree, tootbridge};

pub(crate) const BASE: &str = "https://www.beispielamt.example/neuigkeiten";
const STATE: &str = "content/state/social.example/news.json";
pub(crate) const TOOTS: &str = "content/toots/social.example/news";

#[test]
fn every_feed_parses_with_feed_rs() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    let feeds = feed_files(&public);
    let tag_dirs = std::fs::read_dir(public.join("tags"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(tag_dirs > 5, "{tag_dirs} tags");
    assert_eq!(feeds.len(), 3 * (1 + tag_dirs), "{feeds:?}");
    let mut entries = 0;
    for path in &feeds {
        let feed = feed_rs::parser::parse(&std::fs::read(path).unwrap()[..])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!feed.entries.is_empty(), "{} is empty", path.display());
        assert!(feed.title.is_some(), "{}", path.display());
        for entry in &feed.entries {
            let what = format!("{} entry {}", path.display(), entry.id);
            assert!(entry.id.starts_with(&format!("{BASE}/toots/")), "{what}");
            assert!(
                entry
                    .title
                    .as_ref()
                    .is_some_and(|t| !t.content.trim().is_empty()),
                "{what}"
            );
            assert!(entry.links[0].href.starts_with(BASE), "{what}");
            assert!(entry.published.is_some(), "{what}");
            entries += 1;
        }
    }
    assert!(entries > 100, "{entries}");
    // The three formats of a feed list the same toots in the same order.
    let ids = |name: &str| -> Vec<String> {
        feed_rs::parser::parse(&std::fs::read(public.join(name)).unwrap()[..])
            .unwrap()
            .entries
            .into_iter()
            .map(|e| e.links[0].href.clone())
            .collect()
    };
    assert_eq!(ids("feed.xml"), ids("atom.xml"));
    assert_eq!(ids("feed.xml"), ids("feed.json"));
}

#[test]
fn rss_feeds_pass_the_rss_validator_and_carry_media() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    let rss_feeds: Vec<_> = feed_files(&public)
        .into_iter()
        .filter(|p| p.ends_with("feed.xml"))
        .collect();
    for path in &rss_feeds {
        let channel = rss::Channel::read_from(&std::fs::read(path).unwrap()[..]).unwrap();
        channel
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The build date is the newest toot's creation or edit.
        let newest = channel
            .items()
            .iter()
            .map(|i| chrono::DateTime::parse_from_rfc2822(i.pub_date().unwrap()).unwrap())
            .max()
            .unwrap();
        let built =
            chrono::DateTime::parse_from_rfc2822(channel.last_build_date().unwrap()).unwrap();
        assert!(built >= newest, "{}", path.display());
        for item in channel.items() {
            let creators = item.dublin_core_ext().map(|dc| dc.creators().to_vec());
            assert_eq!(creators.map(|c| c.len()), Some(1), "{}", path.display());
        }
    }
    let text = read(public.join("feed.xml"));
    let channel = rss::Channel::read_from(text.as_bytes()).unwrap();
    assert_eq!(channel.language(), Some("de"));
    assert!(channel
        .image()
        .is_some_and(|i| i.url().starts_with(&format!("{BASE}/media/"))));
    assert!(text.contains("xmlns:media=\"http://search.yahoo.com/mrss/\""));
    // The chart toot: enclosure, media:content with size, type and alt text.
    let chart = channel
        .items()
        .iter()
        .find(|i| i.link() == Some(&format!("{BASE}/toots/117081715507236562/")))
        .expect("the chart toot is in the feed");
    let enclosure = chart.enclosure().expect("first attachment is an enclosure");
    assert_eq!(enclosure.mime_type(), "image/png");
    assert!(enclosure.length().parse::<u64>().unwrap() > 0);
    let content = &chart.extensions()["media"]["content"][0];
    assert_eq!(content.attrs()["medium"], "image");
    assert_eq!(content.attrs()["url"], enclosure.url());
    assert!(content.children()["description"][0]
        .value()
        .unwrap()
        .starts_with("Liniendiagramm"));
    assert_eq!(
        chart
            .categories()
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>(),
        ["OpenData", "Digitalisierung"]
    );
}

#[test]
fn edits_show_in_atom_updated_and_json_date_modified() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    let atom = feed_rs::parser::parse(read(public.join("atom.xml")).as_bytes()).unwrap();
    let edited = atom
        .entries
        .iter()
        .find(|e| e.id.ends_with("/toots/115581478502432522/"))
        .expect("the edited toot is in atom.xml");
    assert_eq!(
        edited.updated.unwrap().to_rfc3339(),
        "2025-11-20T11:42:00+00:00"
    );
    assert_eq!(
        edited.published.unwrap().to_rfc3339(),
        "2025-11-20T10:10:00+00:00"
    );
    let json: serde_json::Value = serde_json::from_str(&read(public.join("feed.json"))).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"].as_str().unwrap().ends_with("/115581478502432522/"))
        .unwrap();
    assert_eq!(item["date_modified"], "2025-11-20T11:42:00Z");
    assert_eq!(item["date_published"], "2025-11-20T10:10:00Z");
}

fn add_tombstones(site: &Path, ids: &[&str]) {
    let path = site.join(STATE);
    let mut state: AccountState = serde_json::from_str(&read(&path)).unwrap();
    for id in ids {
        state.tombstones.push(tootbridge::model::Tombstone {
            id: id.to_string(),
            deleted_at: "2026-11-26T07:00:00Z".parse().unwrap(),
        });
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&state).unwrap()).unwrap();
}

#[test]
fn deleted_toot_becomes_the_removed_page_and_leaves_every_feed() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    // Sync deletes the stored toot and leaves a tombstone; a stale copy of
    // another deleted toot must not be published either.
    let gone = "117478195200060798";
    let stale = "117081715507236562";
    for id in [gone, stale] {
        assert!(read(public.join("feed.xml")).contains(id));
        assert!(read(public.join("toots").join(id).join("index.html")).contains("<article"));
    }
    std::fs::remove_file(site.path().join(TOOTS).join(format!("{gone}.json"))).unwrap();
    add_tombstones(site.path(), &[gone, stale]);
    let report = build_json(site.path(), None);
    assert!(report["files"]["written"].as_u64().unwrap() > 0);

    for id in [gone, stale] {
        let page = read(public.join("toots").join(id).join("index.html"));
        assert!(page.contains("Dieser Beitrag wurde entfernt"), "{page}");
        assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(!page.contains("<article"));
        for (path, bytes) in read_tree(&public) {
            if path == format!("toots/{id}/index.html")
                || path.starts_with("media/")
                || path == tootbridge::testing::output::MANIFEST
            {
                continue;
            }
            assert!(
                !String::from_utf8_lossy(&bytes).contains(id),
                "{id} still appears in {path}"
            );
        }
    }
    // Its tag feed is still there for the other toots with that tag.
    let tag_feed = read(public.join("tags/digitalisierung/feed.xml"));
    assert!(tag_feed.contains("<item>"));
    // The removed page checks as valid as any other page, and check passes.
    let check = tootbridge(&["--root", site.path().to_str().unwrap(), "check"]);
    assert!(check.status.success());
}

#[test]
fn several_accounts_get_their_own_feeds() {
    let site = example_site();
    let dir = site.path().join("content/toots/social.example/presse");
    std::fs::create_dir_all(&dir).unwrap();
    let source = read(site.path().join(TOOTS).join("117478195200060798.json"));
    std::fs::write(
        dir.join("900000000000000001.json"),
        source
            .replace("117478195200060798", "900000000000000001")
            .replace("@news/", "@presse/"),
    )
    .unwrap();
    let mut state = AccountState::new("@presse@social.example");
    state.display_name = "Pressestelle".into();
    std::fs::write(
        site.path().join("content/state/social.example/presse.json"),
        serde_json::to_vec_pretty(&state).unwrap(),
    )
    .unwrap();
    let path = site.path().join("site.toml");
    let text = read(&path).replace(
        "[select]",
        "[[accounts]]\nhandle = \"@presse@social.example\"\n\n[select]",
    );
    std::fs::write(&path, text).unwrap();
    build_json(site.path(), None);
    let public = site.path().join("public");
    let entries = |rel: &str| {
        feed_rs::parser::parse(&std::fs::read(public.join(rel)).unwrap()[..])
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
            .entries
    };
    for format in ["feed.xml", "atom.xml", "feed.json"] {
        let presse = entries(&format!("accounts/social.example/presse/{format}"));
        assert_eq!(presse.len(), 1, "{format}");
        assert!(presse[0].id.ends_with("/toots/900000000000000001/"));
        let news = entries(&format!("accounts/social.example/news/{format}"));
        assert!(news.len() > 20);
        assert!(news.iter().all(|e| !e.id.contains("900000000000000001")));
        assert!(entries(format)
            .iter()
            .any(|e| e.id.contains("900000000000000001")));
    }
    let rss = read(public.join("accounts/social.example/presse/feed.xml"));
    assert!(rss.contains("<title>Pressestelle – Beispielamt – Neuigkeiten</title>"));
}

#[test]
fn feed_length_and_tag_feeds_follow_the_config() {
    let site = example_site();
    let path = site.path().join("site.toml");
    let text = read(&path).replace("items = 50", "items = 3\ntags = false");
    std::fs::write(&path, text).unwrap();
    build_json(site.path(), None);
    let public = site.path().join("public");
    assert_eq!(feed_files(&public).len(), 3, "no tag feeds");
    for name in ["feed.xml", "atom.xml", "feed.json"] {
        let feed = feed_rs::parser::parse(&std::fs::read(public.join(name)).unwrap()[..]).unwrap();
        assert_eq!(feed.entries.len(), 3, "{name}");
    }
    assert!(!read(public.join("tags/opendata/index.html")).contains("tags/opendata/feed.xml"));
}

/// The items of a feed's text, by their id: each from `open` to `close`,
/// the id between `key_open` and `key_close` inside it.
fn items_by_id(
    text: &str,
    (open, close): (&str, &str),
    (key_open, key_close): (&str, &str),
) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let len = rest[start..].find(close).expect("item ends") + close.len();
        let item = &rest[start..start + len];
        // The JSON feed's own author has the items' indent, and no id.
        if let Some(key) = item.split(key_open).nth(1) {
            let key = &key[..key.find(key_close).unwrap()];
            out.insert(key.to_string(), item.to_string());
        }
        rest = &rest[start + len..];
    }
    out
}

#[test]
fn a_toots_item_is_the_same_bytes_in_the_site_feed_and_its_tag_feeds() {
    let site = example_site();
    build_json(site.path(), None);
    let public = site.path().join("public");
    let formats = [
        ("feed.xml", ("<item>", "</item>"), ("<link>", "</link>")),
        ("atom.xml", ("<entry>", "</entry>"), ("<id>", "</id>")),
        ("feed.json", ("\n    {\n", "\n    }"), ("\"id\": \"", "\"")),
    ];
    let mut compared = 0;
    for (file, item, key) in formats {
        let site_items = items_by_id(&read(public.join(file)), item, key);
        assert!(site_items.len() > 10, "{file}: {}", site_items.len());
        for tag in std::fs::read_dir(public.join("tags")).unwrap() {
            let path = tag.unwrap().path().join(file);
            if !path.exists() {
                continue;
            }
            let tag_items = items_by_id(&read(&path), item, key);
            assert!(!tag_items.is_empty(), "{}", path.display());
            for (id, bytes) in &tag_items {
                if let Some(in_site) = site_items.get(id) {
                    assert_eq!(bytes, in_site, "{} item {id}", path.display());
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 30, "{compared} items compared");
}
