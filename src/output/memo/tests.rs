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
        assert!(parse(&broken, &[1; 16]).is_none(), "{broken}");
    }
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.forget();
    memo.save(dir.path(), on_disk(dir.path(), "a.html", [7; 16]))
        .unwrap();
    assert!(!dir.path().join(FILE).exists());
}
