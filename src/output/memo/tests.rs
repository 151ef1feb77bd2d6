//! Unit tests of `memo.rs`.

use super::*;

#[test]
fn a_record_is_read_back_only_under_its_build_key() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a b.html"), "x").unwrap();
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.note("a b.html".into(), [7; 16]);
    memo.save(dir.path()).unwrap();
    let again = Memo::load(dir.path(), [1; 16], true);
    assert!(again.is_current(dir.path(), "a b.html", &[7; 16]));
    assert!(!again.is_current(dir.path(), "a b.html", &[8; 16]));
    assert!(!Memo::load(dir.path(), [2; 16], true).is_current(dir.path(), "a b.html", &[7; 16]));
    assert!(!Memo::load(dir.path(), [1; 16], false).is_current(dir.path(), "a b.html", &[7; 16]));
    // An edited file (another size) is not kept.
    fs::write(dir.path().join("a b.html"), "xy").unwrap();
    assert!(!again.is_current(dir.path(), "a b.html", &[7; 16]));
}

#[test]
fn a_forgetting_build_removes_the_record_and_bad_records_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.html"), "x").unwrap();
    let memo = Memo::load(dir.path(), [1; 16], true);
    memo.note("a.html".into(), [7; 16]);
    memo.save(dir.path()).unwrap();
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
    memo.save(dir.path()).unwrap();
    assert!(!dir.path().join(FILE).exists());
}
