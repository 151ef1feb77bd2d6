//! Unit tests of `pages.rs`.

use super::*;

#[test]
fn pages_overrides_and_account_folders_are_read_from_content() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    assert_eq!(store.read_pages().unwrap(), Vec::new());
    assert_eq!(store.read_overrides().unwrap(), None);
    assert_eq!(store.stored_accounts(), Vec::new());
    let content = dir.path().join("content");
    let pages = content.join("pages");
    fs::create_dir_all(&pages).unwrap();
    for (name, text) in [
        ("b.md", "B"),
        ("a.md", "A"),
        (".x.md", "hidden"),
        ("n.txt", "no"),
    ] {
        fs::write(pages.join(name), text).unwrap();
    }
    fs::create_dir_all(pages.join("folder.md")).unwrap();
    let read = store.read_pages().unwrap();
    let names: Vec<_> = read
        .iter()
        .map(|f| (f.path.clone(), f.text.as_str()))
        .collect();
    assert_eq!(
        names,
        [(pages.join("a.md"), "A"), (pages.join("b.md"), "B")]
    );
    fs::write(content.join(OVERRIDES_FILE), "[hide]").unwrap();
    let overrides = store.read_overrides().unwrap().unwrap();
    assert_eq!(
        (overrides.path, overrides.text.as_str()),
        (content.join(OVERRIDES_FILE), "[hide]")
    );
    fs::create_dir_all(content.join("toots/h.example/u")).unwrap();
    let accounts = store.stored_accounts();
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        (accounts[0].host.as_str(), accounts[0].user.as_str()),
        ("h.example", "u")
    );
}
