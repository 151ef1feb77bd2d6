//! Unit tests of `watch.rs`.

use super::*;

#[test]
fn only_site_files_are_relevant() {
    let root = Path::new("/site");
    for yes in [
        "/site/site.toml",
        "/site/content/pages/_index.md",
        "/site/content/toots/h/u/1.json",
        "/site/themes/default/templates/base.html",
        "/site/content",
    ] {
        assert!(relevant(root, Path::new(yes)), "{yes}");
    }
    for no in [
        "/site/public/index.html",
        "/site/README.md",
        "/site/content/pages/.index.md.swp",
        "/site/content/pages/x.md~",
        "/site/site.toml/x",
        "/other/site.toml",
        "/site",
    ] {
        assert!(!relevant(root, Path::new(no)), "{no}");
    }
}

#[test]
fn a_change_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    let mut changes = Changes::new(&root).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(changes.wait()));
    std::thread::sleep(Duration::from_millis(100));
    std::fs::write(root.join("content/pages/_index.md"), "Hallo").unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(true));
}
