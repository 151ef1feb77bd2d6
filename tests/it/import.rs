//! `tootbridge import` on archives built on the fly: visibilities, the quirks
//! of real exports, the three archive forms, merging with a filled store,
//! boosts, dry runs and errors.

use std::path::Path;

use serde_json::{json, Value};
use tootbridge::model::{Toot, Visibility};

use crate::support::{
    create_note, import_site, read, read_tree, tootbridge, ArchiveBuilder, ACTOR, AS_PUBLIC,
};

pub(crate) fn import(site: &Path, archive: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "--root",
        site.to_str().unwrap(),
        "import",
        archive.to_str().unwrap(),
    ];
    args.extend(extra);
    tootbridge(&args)
}

/// Runs `import --json` and returns the summary.
pub(crate) fn import_json(site: &Path, archive: &Path, extra: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend(extra);
    let out = import(site, archive, &all);
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints JSON")
}

pub(crate) fn stored(site: &Path) -> Vec<Toot> {
    let dir = site.join("content/toots/social.example/news");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut toots: Vec<Toot> = entries
        .map(|e| tootbridge::store::load_toot(&e.unwrap().path()).unwrap())
        .collect();
    toots.sort_by(|a, b| a.id.cmp(&b.id));
    toots
}

pub(crate) fn ids(toots: &[Toot]) -> Vec<&str> {
    toots.iter().map(|t| t.id.as_str()).collect()
}

/// Files below `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    read_tree(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(name, _)| name)
        .collect()
}

pub(crate) fn with_media(mut item: Value, url: &str, media_type: &str) -> Value {
    item["object"]["attachment"] = json!([{
        "type": "Document", "mediaType": media_type, "url": url,
        "name": "Alt text", "blurhash": null, "width": 4, "height": 3
    }]);
    item
}

#[test]
fn only_public_and_unlisted_are_stored_and_only_public_is_built() {
    let site = import_site("");
    let mut as_public = create_note("100", "public", "Kurzform as:Public");
    as_public["to"] = json!(["as:Public"]);
    as_public["object"]["to"] = json!(["as:Public"]);
    let archive = ArchiveBuilder::new()
        .item(create_note("101", "public", "Oeffentlich eins"))
        .item(create_note("102", "unlisted", "Nicht gelistet zwei"))
        .item(with_media(
            create_note("103", "private", "GEHEIM-FOLLOWERS"),
            "media_attachments/files/103/original/secret.png",
            "image/png",
        ))
        .item(create_note("104", "direct", "GEHEIM-DIREKT"))
        .item(as_public)
        .file(
            "media_attachments/files/103/original/secret.png",
            b"SECRET-IMAGE-BYTES",
        );
    let zip = site.path().join("export.zip");
    archive.zip(&zip);
    let summary = import_json(site.path(), &zip, &[]);
    assert_eq!(summary["added"], 3, "{summary}");
    assert_eq!(summary["dropped"], 2, "{summary}");
    assert_eq!(summary["media_fetched"], 0, "{summary}");

    let toots = stored(site.path());
    assert_eq!(ids(&toots), ["100", "101", "102"]);
    assert_eq!(toots[2].visibility, Visibility::Unlisted);
    let content = site.path().join("content");
    for secret in ["GEHEIM", "SECRET-IMAGE-BYTES", "secret.png"] {
        assert_eq!(files_containing(&content, secret), Vec::<String>::new());
    }

    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = site.path().join("public");
    assert!(public.join("toots/101/index.html").is_file());
    assert!(public.join("toots/100/index.html").is_file());
    assert!(!public.join("toots/102").exists());
    assert!(!files_containing(&public, "Oeffentlich eins").is_empty());
    for hidden in ["Nicht gelistet zwei", "GEHEIM"] {
        assert_eq!(
            files_containing(&public, hidden),
            Vec::<String>::new(),
            "{hidden}"
        );
    }
}

#[test]
fn quirks_of_real_exports_are_tolerated() {
    let site = import_site("");
    let mut archive = ArchiveBuilder::new();
    // Numeric actor URI of accounts created since Mastodon 4.5.
    let numeric = "https://social.example/ap/users/116000000000000001";
    archive.actor["id"] = json!(numeric);
    archive.actor["icon"]["url"] = json!("./avatar.png");
    let retarget = |mut item: Value, id: &str| {
        let text = item.to_string().replace(
            &format!("{ACTOR}/statuses/{id}"),
            &format!("{numeric}/statuses/{id}"),
        );
        item = serde_json::from_str(&text).unwrap();
        item
    };
    let media_ok = with_media(
        create_note("201", "public", "Mit Bild"),
        "/system/media_attachments/files/110/000/000/000/000/201/original/a.png",
        "image/png",
    );
    let mut cdn = with_media(
        create_note("202", "public", "Vom CDN"),
        "https://cdn.example/bucket/media_attachments/files/202/original/b.jpeg",
        "image/jpeg",
    );
    cdn["object"]["attachment"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "Link", "href": "https://www.example.org/artikel"}));
    let missing = with_media(
        create_note("203", "public", "Bild fehlt"),
        "media_attachments/files/203/original/gone.png",
        "image/png",
    );
    let mut edited = create_note("204", "public", "Bearbeitet");
    edited["object"]["updated"] = json!("2026-03-09T10:00:00Z");
    let mut quote = create_note("205", "public", "Zitat");
    quote["object"]["_misskey_quote"] = json!("https://other.example/notes/9abc");
    let svg = with_media(
        create_note("206", "public", "Vektor"),
        "media_attachments/files/206/original/x.svg",
        "image/svg+xml",
    );
    for (item, id) in [(media_ok, "201"), (cdn, "202"), (missing, "203")]
        .into_iter()
        .chain([(edited, "204"), (quote, "205"), (svg, "206")])
    {
        archive = archive.item(retarget(item, id));
    }
    archive = archive
        .item(json!({"type": "Like", "id": "x", "object": "https://other.example/1"}))
        .item(
            json!({"type": "Create", "id": "bad", "object": {"type": "Note",
            "id": "https://social.example/statuses/..", "published": "2026-03-08T13:05:00Z",
            "to": [AS_PUBLIC]}}),
        )
        .file(
            "media_attachments/files/110/000/000/000/000/201/original/a.png",
            b"png-201",
        )
        .file("media_attachments/files/202/original/b.jpeg", b"jpeg-202")
        .file("media_attachments/files/206/original/x.svg", b"<svg/>");
    archive.declared_total = Some(9999);
    // A key that appears twice: the last one wins.
    let outbox = json!({"totalItems": 9999, "orderedItems": archive.items}).to_string();
    archive.raw_outbox = Some(outbox.replacen(
        "\"content\":\"<p>Mit Bild</p>\"",
        "\"content\":\"<p>ERSTER WERT</p>\",\"content\":\"<p>Mit Bild</p>\"",
        1,
    ));
    assert!(archive.raw_outbox.as_ref().unwrap().contains("ERSTER WERT"));
    let zip = site.path().join("export.zip");
    archive.zip(&zip);

    let summary = import_json(site.path(), &zip, &[]);
    assert_eq!(summary["items"], 8, "{summary}");
    assert_eq!(summary["declared_items"], 9999, "{summary}");
    assert_eq!(summary["added"], 6, "{summary}");
    assert_eq!(summary["skipped"]["Like"], 1, "{summary}");
    assert_eq!(summary["invalid"], 1, "{summary}");
    assert_eq!(summary["media_fetched"], 2, "{summary}");
    assert_eq!(summary["media_failed"], 2, "{summary}");
    assert_eq!(summary["avatar"], true, "{summary}");
    let warnings = summary["errors"].to_string();
    assert!(
        warnings.contains("gone.png") && warnings.contains("svg"),
        "{warnings}"
    );

    let toots = stored(site.path());
    let by_id = |id: &str| toots.iter().find(|t| t.id == id).unwrap();
    assert_eq!(by_id("201").content, "<p>Mit Bild</p>");
    let image = &by_id("201").media[0];
    assert_eq!(image.id, "110000000000000201");
    let file = image.file.as_deref().unwrap();
    assert!(file.starts_with("social.example/news/") && file.ends_with(".png"));
    assert_eq!(
        read(site.path().join("content/media").join(file)),
        "png-201"
    );
    assert!(by_id("202").media[0]
        .file
        .as_deref()
        .unwrap()
        .ends_with(".jpg"));
    assert_eq!(
        by_id("202").card.as_ref().unwrap().url,
        "https://www.example.org/artikel"
    );
    assert!(
        by_id("203").media[0].file.is_none(),
        "kept without its file"
    );
    assert!(by_id("204").edited_at.is_some());
    assert_eq!(
        by_id("205").quote.as_ref().unwrap().uri,
        "https://other.example/notes/9abc"
    );
    assert!(by_id("206").media[0].file.is_none());
    let state = read(site.path().join("content/state/social.example/news.json"));
    assert!(state.contains("\"id\": \"116000000000000001\""), "{state}");
    assert!(
        state.contains("\"avatar\": \"social.example/news/"),
        "{state}"
    );
    assert!(
        state.contains("\"header\": \"social.example/news/"),
        "{state}"
    );

    // Everything imported renders, and nothing points at another host.
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = read(site.path().join("public/toots/201/index.html"));
    let name = file.rsplit('/').next().unwrap();
    assert!(page.contains(name) && page.contains("Alt text"), "{page}");
    let page = read(site.path().join("public/toots/202/index.html"));
    assert!(page.contains("https://www.example.org/artikel"), "{page}");
}

pub(crate) fn mixed_archive() -> ArchiveBuilder {
    ArchiveBuilder::new()
        .item(with_media(
            create_note("301", "public", "Eins"),
            "media_attachments/files/301/original/a.png",
            "image/png",
        ))
        .item(create_note("302", "unlisted", "Zwei"))
        .item(create_note("303", "private", "Drei"))
        .file("media_attachments/files/301/original/a.png", b"png-301")
}

#[test]
fn zip_tar_gz_and_folder_import_the_same() {
    let archive = mixed_archive();
    let mut trees = Vec::new();
    for form in ["zip", "tar.gz", "dir"] {
        let site = import_site("");
        let work = tempfile::tempdir().unwrap();
        let path = work.path().join(format!("export.{form}"));
        match form {
            "zip" => archive.zip(&path),
            "tar.gz" => archive.tar_gz(&path),
            _ => archive.dir(&path),
        }
        let summary = import_json(site.path(), &path, &[]);
        assert_eq!(summary["added"], 2, "{form}: {summary}");
        assert_eq!(summary["media_fetched"], 1, "{form}: {summary}");
        trees.push(without_audit_times(read_tree(&site.path().join("content"))));
    }
    assert_eq!(trees[0], trees[1], "zip and tar.gz");
    assert_eq!(trees[0], trees[2], "zip and folder");
    // The audit log records what entered the store (as after a sync).
    let log = trees[0]
        .iter()
        .find(|(name, _)| name.ends_with("news.log.jsonl"))
        .expect("an audit log");
    assert_eq!(
        String::from_utf8_lossy(&log.1),
        "301 added\n302 added\n",
        "the private post left no trace"
    );
}

/// The tree with each audit line reduced to id and change: the times differ
/// from run to run.
fn without_audit_times(tree: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    tree.into_iter()
        .map(|(name, bytes)| {
            if !name.ends_with(".log.jsonl") {
                return (name, bytes);
            }
            let lines: String = String::from_utf8(bytes)
                .unwrap()
                .lines()
                .map(|line| {
                    let entry: Value = serde_json::from_str(line).unwrap();
                    format!(
                        "{} {}\n",
                        entry["id"].as_str().unwrap(),
                        entry["change"].as_str().unwrap()
                    )
                })
                .collect();
            (name, lines.into_bytes())
        })
        .collect()
}

#[test]
fn dry_run_writes_nothing_and_prints_a_summary() {
    let site = import_site("");
    let zip = site.path().join("export.zip");
    mixed_archive().zip(&zip);
    let before = read_tree(site.path());
    let summary = import_json(site.path(), &zip, &["--dry-run"]);
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["added"], 2, "{summary}");
    assert_eq!(summary["media_pending"], 1, "{summary}");
    assert_eq!(summary["media_fetched"], 0, "{summary}");
    assert_eq!(read_tree(site.path()), before, "nothing written");
    let out = import(site.path(), &zip, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("@news@social.example: imported from ") && text.contains(": 2 added, "),
        "{text}"
    );
    assert!(text.contains("1 followers-only or direct"), "{text}");
    assert!(text.contains("Media: 1 stored"), "{text}");
}

#[test]
fn the_account_must_be_configured() {
    let site = import_site("");
    let zip = site.path().join("export.zip");
    let mut archive = mixed_archive();
    archive.actor["id"] = json!("https://elsewhere.example/users/presse");
    archive.actor["preferredUsername"] = json!("presse");
    archive.zip(&zip);
    let out = import(site.path(), &zip, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("site.toml"), "{err}");
    assert!(
        err.contains("handle = \"@presse@elsewhere.example\""),
        "{err}"
    );
    assert!(stored(site.path()).is_empty());
    // Naming a configured account imports into it.
    let summary = import_json(site.path(), &zip, &["--account", "@news@social.example"]);
    assert_eq!(summary["added"], 2, "{summary}");
}

#[test]
fn broken_archives_are_one_clear_error() {
    let site = import_site("");
    let text = site.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let empty = site.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let cases = [
        (text, "neither a .zip"),
        (empty, "no outbox.json"),
        (site.path().join("nope.zip"), "nope.zip"),
    ];
    for (path, expected) in cases {
        let out = import(site.path(), &path, &[]);
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{err}");
    }
}

#[test]
fn a_generated_mix_stores_public_and_unlisted_and_builds_public_only() {
    let site = import_site("");
    let kinds = ["public", "unlisted", "private", "direct"];
    let mut archive = ArchiveBuilder::new();
    let (mut storable, mut public) = (Vec::new(), Vec::new());
    for i in 0..40u64 {
        let id = (900_000 + i).to_string();
        let kind = kinds[(i % 4) as usize];
        archive = archive.item(create_note(&id, kind, &format!("Text-{kind}-{i}")));
        match kind {
            "public" => {
                public.push(id.clone());
                storable.push(id);
            }
            "unlisted" => storable.push(id),
            _ => {}
        }
    }
    // Outside the site, so the search below covers everything of the site.
    let work = tempfile::tempdir().unwrap();
    let zip = work.path().join("export.zip");
    archive.zip(&zip);
    import_json(site.path(), &zip, &[]);
    assert_eq!(ids(&stored(site.path())), storable);
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut built: Vec<String> = std::fs::read_dir(site.path().join("public/toots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    built.sort();
    assert_eq!(built, public);
    for hidden in ["Text-private", "Text-direct"] {
        assert_eq!(files_containing(site.path(), hidden), Vec::<String>::new());
    }
    assert_eq!(
        files_containing(&site.path().join("public"), "Text-unlisted"),
        Vec::<String>::new()
    );
}
