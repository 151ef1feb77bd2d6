//! Unit tests of `memo.rs`.

use super::*;

/// The file at `rel` in `dir` with `key`, stamped as it is on disk.
fn on_disk(dir: &Path, rel: &'static str, key: Key) -> Vec<(&'static str, Key, Stamp)> {
    vec![(rel, key, Stamp::of(&fs::metadata(dir.join(rel)).unwrap()))]
}

#[test]
fn a_record_is_read_back_only_under_its_build_key() {
    let dir = tempfile::tempdir().unwrap();
    let root = Dir::open(dir.path()).unwrap();
    fs::write(dir.path().join("a b.html"), "x").unwrap();
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.save(dir.path(), on_disk(dir.path(), "a b.html", [7; 16]))
        .unwrap();
    let again = Memo::load(dir.path(), [1; 16], true);
    assert!(again.current_stamp(&root, "a b.html", &[7; 16]).is_some());
    assert!(again.current_stamp(&root, "a b.html", &[8; 16]).is_none());
    assert!(Memo::load(dir.path(), [2; 16], true)
        .current_stamp(&root, "a b.html", &[7; 16])
        .is_none());
    assert!(Memo::load(dir.path(), [1; 16], false)
        .current_stamp(&root, "a b.html", &[7; 16])
        .is_none());
    // An edited file (another size) is not kept.
    fs::write(dir.path().join("a b.html"), "xy").unwrap();
    assert!(again.current_stamp(&root, "a b.html", &[7; 16]).is_none());
}

#[test]
fn a_forgetting_build_removes_the_record_and_bad_records_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.html"), "x").unwrap();
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.save(dir.path(), on_disk(dir.path(), "a.html", [7; 16]))
        .unwrap();
    let text = fs::read_to_string(dir.path().join(FILE)).unwrap();
    for broken in [
        text.replace(HEADER, "other"),
        text.replacen(" 1 ", " one ", 1),
        format!("{text}garbage\n"),
    ] {
        assert!(parse(broken.as_bytes(), &[1; 16]).is_none(), "{broken}");
    }
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.forget();
    memo.save(dir.path(), on_disk(dir.path(), "a.html", [7; 16]))
        .unwrap();
    assert!(!dir.path().join(FILE).exists());
}

#[test]
fn a_record_out_of_order_or_with_a_path_twice_is_read_as_a_map_would() {
    let global: Key = [1; 16];
    let line = |key: u8, size: u64, path: &str| format!("{} {size} 5 {path}\n", hex(&[key; 16]));
    let text = format!(
        "{HEADER}\n{}\n{}{}{}{}={}\tm/a.png\n={}\tm/b.png\n",
        hex(&global),
        line(3, 30, "c.html"),
        line(1, 10, "a.html"),
        line(2, 20, "b.html"),
        line(4, 40, "a.html"),
        hex(&[9; 16]),
        hex(&[9; 16]),
    );
    let parsed = parse(text.as_bytes(), &global).expect("a valid record");
    let paths: Vec<&str> = parsed
        .files
        .iter()
        .map(|e| &parsed.paths[e.at as usize..][..e.len as usize])
        .collect();
    assert_eq!(paths, ["a.html", "b.html", "c.html"]);
    assert_eq!(
        parsed.files[0].key, [4; 16],
        "the later line for a path wins"
    );
    assert_eq!(parsed.files[0].size, 40);
    let media: Vec<(&[u8; 16], &str)> = parsed.media.iter().map(|(k, v)| (k, &**v)).collect();
    assert_eq!(
        media,
        [(&[9; 16], "\tm/b.png")],
        "the later line for a key wins"
    );
    let crlf = text.replace('\n', "\r\n");
    let again = parse(crlf.as_bytes(), &global).expect("CRLF lines read the same");
    assert_eq!(again.files.len(), 3);
}

#[test]
fn a_kept_file_touched_or_rewritten_behind_the_builds_back_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = Dir::open(dir.path()).unwrap();
    let file = dir.path().join("page.html");
    fs::write(&file, "old").unwrap();
    let recorded = fs::metadata(&file).unwrap().modified().unwrap();
    Memo::load(dir.path(), [1; 16], true)
        .save(dir.path(), on_disk(dir.path(), "page.html", [7; 16]))
        .unwrap();
    let memo = Memo::load(dir.path(), [1; 16], true);
    assert!(memo.current_stamp(&root, "page.html", &[7; 16]).is_some());
    // Same size, and the time set back by a second or forward by one
    // nanosecond: neither is the recorded stamp.
    fs::write(&file, "new").unwrap();
    for moved in [
        recorded - std::time::Duration::from_secs(1),
        recorded + std::time::Duration::from_nanos(1),
    ] {
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(moved)
            .unwrap();
        assert!(memo.current_stamp(&root, "page.html", &[7; 16]).is_none());
    }
    // A folder where the file was is no file.
    fs::remove_file(&file).unwrap();
    fs::create_dir(&file).unwrap();
    assert!(memo.current_stamp(&root, "page.html", &[7; 16]).is_none());
}

#[test]
fn media_lists_and_stamps_come_back_as_saved() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("t")).unwrap();
    fs::write(dir.path().join("t/a.html"), "x").unwrap();
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.note_media([3; 16], &["media/a b.png".into(), "media/c.jpg".into()]);
    memo.note_media([4; 16], &[]);
    memo.note_media([5; 16], &["bad\tname".into()]);
    let saved = on_disk(dir.path(), "t/a.html", [0xab; 16]);
    let stamp = saved[0].2;
    memo.save(dir.path(), saved).unwrap();
    let again = Memo::load(dir.path(), [1; 16], true);
    assert_eq!(
        again.media_of(&[3; 16]),
        Some(vec!["media/a b.png".to_string(), "media/c.jpg".to_string()])
    );
    assert_eq!(again.media_of(&[4; 16]), Some(vec![]));
    assert_eq!(again.media_of(&[5; 16]), None, "an unrecordable name");
    let root = Dir::open(dir.path()).unwrap();
    assert_eq!(
        again.current_stamp(&root, "t/a.html", &[0xab; 16]),
        Some(stamp)
    );
    assert!(again
        .current_stamp(&root, "t/b.html", &[0xab; 16])
        .is_none());
    assert!(again.current_stamp(&root, "a.html", &[0xab; 16]).is_none());
}

#[test]
fn malformed_lines_of_every_field_make_the_record_unreadable() {
    let global: Key = [1; 16];
    let head = format!("{HEADER}\n{}\n", hex(&global));
    let key = hex(&[2; 16]);
    assert!(parse(format!("{head}{key} 1 2 a.html\n").as_bytes(), &global).is_some());
    for line in [
        format!("{} 1 2 a.html", &key[1..]),
        format!("{key}0 1 2 a.html"),
        format!("{}g 1 2 a.html", &key[1..]),
        format!("{key} x 2 a.html"),
        format!("{key} 1 -2 a.html"),
        format!("{key} 1 99999999999999999999 a.html"),
        format!("{key} 1 2"),
        format!("{key} 1"),
        format!("={}", &key[1..]),
        format!("={key}x"),
    ] {
        let text = format!("{head}{line}\n");
        assert!(parse(text.as_bytes(), &global).is_none(), "{line}");
    }
    let upper = format!("{head}{} 1 2 a.html\n", key.to_uppercase());
    assert_eq!(
        parse(upper.as_bytes(), &global).unwrap().files[0].key,
        [2; 16]
    );
    assert_eq!(push_decimal_of(u64::MAX), u64::MAX.to_string());
    assert_eq!(push_decimal_of(0), "0");
}

fn push_decimal_of(n: u64) -> String {
    let mut out = Vec::new();
    push_decimal(&mut out, n);
    String::from_utf8(out).unwrap()
}

/// `build` keeps read toots as stubs only when this says the record will
/// be used (`output::remembers`): it must agree with `Memo::load`.
#[test]
fn recorded_under_agrees_with_what_a_load_would_find() {
    let dir = tempfile::tempdir().unwrap();
    assert!(!recorded_under(dir.path(), &[1; 16]), "no record");
    fs::write(dir.path().join("a.html"), "x").unwrap();
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.save(dir.path(), on_disk(dir.path(), "a.html", [7; 16]))
        .unwrap();
    assert!(recorded_under(dir.path(), &[1; 16]));
    assert!(!recorded_under(dir.path(), &[2; 16]), "another build key");
    assert!(super::super::remembers(dir.path(), &[1; 16]));
    // A killed build's staging mark: the record is not trusted.
    fs::write(dir.path().join(super::super::STAGING_MARK), "1").unwrap();
    assert!(!super::super::remembers(dir.path(), &[1; 16]));
    fs::remove_file(dir.path().join(super::super::STAGING_MARK)).unwrap();
    let text = fs::read_to_string(dir.path().join(FILE)).unwrap();
    fs::write(dir.path().join(FILE), text.replace(HEADER, "other")).unwrap();
    assert!(!recorded_under(dir.path(), &[1; 16]), "another format");
}
