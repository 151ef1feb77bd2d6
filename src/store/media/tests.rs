//! Unit tests of `media.rs`.

use super::*;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    (dir, store)
}

use crate::fsutil::sorted_names as files_in;

#[test]
fn names_come_from_content() {
    assert_eq!(content_name(b"abc"), "ba7816bf8f01cfea");
    assert_eq!(
        media_prefix("127.0.0.1:8080", "news"),
        "127.0.0.1_8080/news"
    );
    assert!(is_safe_media_path(&format!(
        "{}/x.png",
        media_prefix("127.0.0.1:8080", "news")
    )));
}

#[test]
fn the_same_content_is_stored_once() {
    let (_dir, store) = store();
    let first = store
        .put_media(&b"PNGDATA"[..], "h.example/u", "image/png", 100, "a")
        .unwrap();
    let name = content_name(b"PNGDATA");
    assert_eq!(first.file, format!("h.example/u/{name}.png"));
    assert_eq!((first.size, first.existed), (7, false));
    let again = store
        .put_media(&b"PNGDATA"[..], "h.example/u", "image/png", 100, "b")
        .unwrap();
    assert_eq!(
        (again.file.as_str(), again.existed),
        (first.file.as_str(), true)
    );
    assert!(store.has_media(&first.file));
    let dir = store.media_dir().join("h.example/u");
    assert_eq!(
        files_in(&dir),
        vec![format!("{name}.png")],
        "no temporary file"
    );
    let index = store.media_index().unwrap();
    assert_eq!(index, HashSet::from([first.file.clone()]));
}

#[test]
fn types_outside_the_table_sizes_above_the_cap_and_bad_folders_are_refused() {
    let (_dir, store) = store();
    for mime in ["image/svg+xml", "text/html", "application/octet-stream", ""] {
        let e = store
            .put_media(&b"x"[..], "h/u", mime, 100, "entry")
            .unwrap_err();
        assert!(e.to_string().starts_with("entry: type"), "{mime}: {e}");
    }
    let e = store
        .put_media(&b"123456"[..], "h/u", "image/png", 5, "big")
        .unwrap_err();
    assert_eq!(e.to_string(), "big: larger than 5 bytes");
    for prefix in ["../u", "/h/u", "h/.u", ""] {
        assert!(
            store
                .put_media(&b"x"[..], prefix, "image/png", 9, "p")
                .is_err(),
            "{prefix}"
        );
    }
    let dir = store.media_dir().join("h/u");
    assert!(
        !dir.exists() || files_in(&dir).is_empty(),
        "nothing left behind"
    );
    assert!(!store.has_media("../etc/passwd"));
}

/// Two threads putting the same bytes at once (two toots with the same
/// avatar) each get their own temporary file: both succeed and one file
/// remains.
#[test]
fn two_threads_putting_the_same_file_do_not_collide() {
    let (_dir, store) = store();
    let body = vec![7u8; 256 * 1024];
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| store.put_media(&body[..], "h/u", "image/gif", 1 << 20, "x")))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for result in &results {
        let stored = result.as_ref().unwrap();
        assert_eq!(stored.file, format!("h/u/{}.gif", content_name(&body)));
    }
    assert_eq!(files_in(&store.media_dir().join("h/u")).len(), 1);
}
