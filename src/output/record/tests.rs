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
        add_stat(&mut hash, "exe", &fs::metadata(path).unwrap(), false);
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
        add_stat(&mut hash, "f", &fs::metadata(path).unwrap(), true);
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
    fs::remove_file(out.join("b/c.xml")).unwrap();
    assert!(lookup(&out, "k1").is_none());
}
