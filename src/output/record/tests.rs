//! Unit tests of `record.rs`.

use super::*;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("site.toml"), "title = \"x\"\n").unwrap();
    fs::create_dir_all(dir.path().join("content/toots")).unwrap();
    fs::write(dir.path().join("content/toots/1.json"), "{}").unwrap();
    dir
}

#[test]
fn any_input_change_changes_the_key() {
    let dir = site();
    let root = dir.path();
    let key = inputs_key(root, None).unwrap();
    assert_eq!(inputs_key(root, None).unwrap(), key);
    assert_ne!(inputs_key(root, Some("https://b.example/")).unwrap(), key);
    fs::write(root.join("content/toots/1.json"), "{ }").unwrap();
    let resized = inputs_key(root, None).unwrap();
    assert_ne!(resized, key);
    fs::create_dir_all(root.join("themes/default")).unwrap();
    assert_ne!(inputs_key(root, None).unwrap(), resized);
}

#[test]
fn an_edit_that_keeps_size_and_time_changes_the_key() {
    let dir = site();
    let file = dir.path().join("content/toots/1.json");
    let before = fs::metadata(&file).unwrap().modified().unwrap();
    let key = inputs_key(dir.path(), None).unwrap();
    // Same size, other bytes, the old modification time put back.
    fs::write(&file, "[]").unwrap();
    set_mtime(&file, before);
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), before);
    assert_ne!(inputs_key(dir.path(), None).unwrap(), key);
    // Replaced by a file of the same size and time (a new inode).
    let key = inputs_key(dir.path(), None).unwrap();
    let other = dir.path().join("other.json");
    fs::write(&other, "{}").unwrap();
    set_mtime(&other, before);
    fs::rename(&other, &file).unwrap();
    assert_ne!(inputs_key(dir.path(), None).unwrap(), key);
}

#[test]
fn every_change_to_the_tree_changes_the_key() {
    let dir = site();
    let root = dir.path();
    let media = root.join("content/media/h.example/u");
    fs::create_dir_all(&media).unwrap();
    fs::write(media.join("a.png"), "png").unwrap();
    fs::create_dir_all(root.join("themes/mine/templates")).unwrap();
    fs::write(root.join("themes/mine/templates/base.html"), "b").unwrap();
    let mut seen = vec![inputs_key(root, None).unwrap()];
    // Each step changes the tree; no key may come back.
    let mut expect_new = |what: &str| {
        let key = inputs_key(root, None).unwrap();
        assert!(!seen.contains(&key), "{what}: the key did not change");
        seen.push(key);
    };
    fs::create_dir(media.join("sub")).unwrap();
    expect_new("an empty folder added deep down");
    fs::write(media.join("sub/b.png"), "png").unwrap();
    expect_new("a file added in it");
    fs::remove_file(media.join("sub/b.png")).unwrap();
    fs::remove_dir(media.join("sub")).unwrap();
    expect_new("the folder removed again");
    fs::rename(media.join("a.png"), media.join("c.png")).unwrap();
    expect_new("a file renamed (same stat)");
    fs::create_dir(root.join("content/media/h.example/v")).unwrap();
    fs::rename(
        media.join("c.png"),
        root.join("content/media/h.example/v/c.png"),
    )
    .unwrap();
    expect_new("a file moved to another folder under its name");
    let moved = root.join("content/media/h.example/v/c.png");
    fs::remove_file(&moved).unwrap();
    fs::create_dir(&moved).unwrap();
    expect_new("a file replaced by a folder of its name");
    fs::remove_dir(&moved).unwrap();
    fs::write(&moved, "").unwrap();
    expect_new("the folder replaced by an empty file");
    std::os::unix::fs::symlink("base.html", root.join("themes/mine/templates/link.html")).unwrap();
    expect_new("a symbolic link added");
    fs::remove_file(root.join("site.toml")).unwrap();
    expect_new("site.toml removed");
    fs::remove_dir_all(root.join("themes")).unwrap();
    expect_new("themes/ removed");
    fs::write(root.join("themes"), "").unwrap();
    expect_new("themes/ a file");
    // Nothing else changes it: the parallel walk hashes in a fixed order.
    let last = seen.last().unwrap().clone();
    for _ in 0..4 {
        assert_eq!(inputs_key(root, None).unwrap(), last);
    }
}

#[test]
fn a_change_at_the_bottom_of_a_deep_tree_changes_the_key() {
    let dir = site();
    let mut deep = dir.path().join("content/pages");
    for i in 0..150 {
        deep.push(format!("d{i}"));
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("page.md"), "a").unwrap();
    let key = inputs_key(dir.path(), None).unwrap();
    fs::write(deep.join("page.md"), "ab").unwrap();
    assert_ne!(inputs_key(dir.path(), None).unwrap(), key);
}

#[test]
fn an_input_that_cannot_be_stat_ed_gives_no_key() {
    let dir = site();
    let content = dir.path().join("content");
    fs::remove_dir_all(&content).unwrap();
    // A link to itself: following it fails (ELOOP), even for root.
    std::os::unix::fs::symlink("content", &content).unwrap();
    assert!(fs::metadata(&content).is_err());
    assert!(inputs_key(dir.path(), None).is_none());
    fs::remove_file(&content).unwrap();
    assert!(
        inputs_key(dir.path(), None).is_some(),
        "an absent folder is fine"
    );
}

#[test]
fn the_walk_hands_over_the_stat_of_every_media_file() {
    let dir = site();
    let root = dir.path();
    let media = root.join("content/media");
    fs::create_dir_all(media.join("h.example/u")).unwrap();
    fs::create_dir_all(media.join("k.example_8080/w/deeper")).unwrap();
    let files = [
        "h.example/u/a.png",
        "h.example/u/b.jpg",
        "k.example_8080/w/deeper/c.mp4",
    ];
    for (i, file) in files.iter().enumerate() {
        fs::write(media.join(file), "x".repeat(i + 1)).unwrap();
    }
    std::os::unix::fs::symlink("a.png", media.join("h.example/u/link.png")).unwrap();
    let scanned = scan_inputs(root, None).unwrap();
    let mut found: Vec<&str> = scanned.media.keys().map(String::as_str).collect();
    found.sort_unstable();
    // Files only: no folder, no link, nothing outside content/media.
    assert_eq!(found, files);
    for file in files {
        let meta = fs::metadata(media.join(file)).unwrap();
        assert_eq!(
            scanned.media[file],
            crate::fsutil::at::FileStat::of(&meta),
            "{file}"
        );
    }
    // No media folder, no media.
    fs::remove_dir_all(&media).unwrap();
    assert!(scan_inputs(root, None).unwrap().media.is_empty());
}

fn set_mtime(path: &Path, time: std::time::SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// Puts a copy of `file` (through `copy`) in its place, with `time`: the
/// same bytes, size and modification time, a new inode and change time.
fn replace_by_copy(file: &Path, copy: &Path, time: std::time::SystemTime) {
    fs::copy(file, copy).unwrap();
    set_mtime(copy, time);
    fs::rename(copy, file).unwrap();
}

#[test]
fn a_copy_of_the_same_binary_keeps_the_render_key() {
    // What `render_key` takes of the binary, for a copy with the same bytes
    // and times made elsewhere (a reinstall, a CI cache): a new inode and
    // change time must not throw the render record away.
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("tootbridge");
    fs::write(&exe, b"binary").unwrap();
    let digest = |path: &Path| {
        let mut hash = Sha256::new();
        add_stat(&mut hash, b"exe", &fs::metadata(path).unwrap(), false);
        hash.finalize()
    };
    let before = digest(&exe);
    let time = fs::metadata(&exe).unwrap().modified().unwrap();
    let copy = dir.path().join("copy");
    replace_by_copy(&exe, &copy, time);
    assert_eq!(digest(&exe), before);
    // The site's own files are held to more: the same copy changes their part.
    let strict = |path: &Path| {
        let mut hash = Sha256::new();
        add_stat(&mut hash, b"f", &fs::metadata(path).unwrap(), true);
        hash.finalize()
    };
    let kept = strict(&exe);
    replace_by_copy(&exe, &copy, time);
    assert_ne!(strict(&exe), kept);
}

/// The files of the manifest in `out`, stamped as they are on disk (what a
/// build's commit hands over).
fn on_disk(out: &Path) -> Vec<(String, Stamp)> {
    read_manifest(out)
        .into_iter()
        .map(|p| {
            let stamp = Stamp::of(&fs::metadata(out.join(&p)).unwrap());
            (p, stamp)
        })
        .collect()
}

#[test]
fn a_record_holds_only_while_the_output_is_untouched() {
    let dir = site();
    let out = dir.path().join("public");
    let file = |p: &str, t: &str| crate::render::OutputFile {
        path: p.into(),
        body: crate::render::Body::Bytes(t.as_bytes().to_vec()),
    };
    crate::output::write(&out, &[file("a.html", "a"), file("b/c.xml", "c")]).unwrap();
    let recorded = Recorded {
        published: 2,
        skipped: 1,
        warnings: vec!["w".into()],
    };
    record(&out, "k1", &recorded, &on_disk(&out)).unwrap();
    let (again, report) = lookup(&out, "k1").unwrap();
    assert_eq!(again, recorded);
    assert_eq!(report.unchanged, 2);
    assert!(lookup(&out, "k2").is_none(), "other inputs");
    // A resized, missing or newer output file means a real build.
    fs::write(out.join("a.html"), "aa").unwrap();
    assert!(lookup(&out, "k1").is_none());
    fs::write(out.join("a.html"), "a").unwrap();
    // a.html was modified after the record: make the record older.
    let earlier = fs::metadata(out.join("a.html"))
        .unwrap()
        .modified()
        .unwrap()
        - std::time::Duration::from_secs(5);
    set_mtime(&out.join(FILE), earlier);
    assert!(lookup(&out, "k1").is_none());
    // Recording again after a restore makes the record hold again.
    record(&out, "k1", &recorded, &on_disk(&out)).unwrap();
    assert!(lookup(&out, "k1").is_some());
    // A folder or a link to a folder where a file was, or no file at all.
    let file = out.join("b/c.xml");
    let keep = fs::read(&file).unwrap();
    fs::remove_file(&file).unwrap();
    fs::create_dir(&file).unwrap();
    assert!(lookup(&out, "k1").is_none(), "a folder");
    fs::remove_dir(&file).unwrap();
    std::os::unix::fs::symlink(&out, &file).unwrap();
    assert!(lookup(&out, "k1").is_none(), "a link to a folder");
    fs::remove_file(&file).unwrap();
    assert!(lookup(&out, "k1").is_none(), "missing");
    // Put back as it was, with its old time: the record holds again (so
    // the cases above failed for what they changed).
    fs::write(&file, keep).unwrap();
    set_mtime(&file, earlier);
    set_mtime(&out.join("a.html"), earlier);
    assert!(lookup(&out, "k1").is_some());
}
