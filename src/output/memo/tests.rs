//! Unit tests of `memo.rs`.

use super::*;

/// The file at `rel` in `dir` with `key`, stamped as it is on disk.
fn on_disk(dir: &Path, rel: &'static str, key: Key) -> Vec<(&'static str, Key, Stamp)> {
    vec![(rel, key, Stamp::of(&fs::metadata(dir.join(rel)).unwrap()))]
}

#[test]
fn a_record_is_read_back_only_under_its_build_key() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a b.html"), "x").unwrap();
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.save(dir.path(), on_disk(dir.path(), "a b.html", [7; 16]))
        .unwrap();
    let again = Memo::load(dir.path(), [1; 16], true);
    assert!(again
        .current_stamp(dir.path(), "a b.html", &[7; 16])
        .is_some());
    assert!(again
        .current_stamp(dir.path(), "a b.html", &[8; 16])
        .is_none());
    assert!(Memo::load(dir.path(), [2; 16], true)
        .current_stamp(dir.path(), "a b.html", &[7; 16])
        .is_none());
    assert!(Memo::load(dir.path(), [1; 16], false)
        .current_stamp(dir.path(), "a b.html", &[7; 16])
        .is_none());
    // An edited file (another size) is not kept.
    fs::write(dir.path().join("a b.html"), "xy").unwrap();
    assert!(again
        .current_stamp(dir.path(), "a b.html", &[7; 16])
        .is_none());
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
        "{HEADER}\n{}\n{}{}{}{}={}\tm/a.png\n",
        hex(&global),
        line(3, 30, "c.html"),
        line(1, 10, "a.html"),
        line(2, 20, "b.html"),
        line(4, 40, "a.html"),
        hex(&[9; 16]),
    );
    let (files, media) = parse(text.as_bytes(), &global).expect("a valid record");
    let paths: Vec<&str> = files.iter().map(|(p, _)| &**p).collect();
    assert_eq!(paths, ["a.html", "b.html", "c.html"]);
    assert_eq!(files[0].1.key, [4; 16], "the later line for a path wins");
    assert_eq!(files[0].1.size, 40);
    assert_eq!(media[&[9; 16]], vec!["m/a.png".to_string()]);
    let crlf = text.replace('\n', "\r\n");
    let (again, _) = parse(crlf.as_bytes(), &global).expect("CRLF lines read the same");
    assert_eq!(again.len(), 3);
}
