//! Unit tests of `copy.rs`.

use super::*;

#[test]
fn types_come_from_the_claim_or_the_name() {
    assert_eq!(mime_for("a/b.bin", Some("image/png")), Some("image/png"));
    assert_eq!(mime_for("a/b.JPEG", None), Some("image/jpeg"));
    assert_eq!(mime_for("a/b.svg", Some("image/svg+xml")), None);
    assert_eq!(mime_for("a/b.png", Some("text/html")), Some("image/png"));
    assert_eq!(mime_for("a/b", None), None);
}

#[test]
fn copies_by_content_hash_once() {
    let dir = tempfile::tempdir().unwrap();
    let dest = MediaDir {
        store: Store::new(dir.path()),
        prefix: "h.example/u".into(),
    };
    let first = copy(&b"PNGDATA"[..], "x/a.png", None, &dest, Path::new("a")).unwrap();
    assert!(first.file.starts_with("h.example/u/") && first.file.ends_with(".png"));
    assert_eq!((first.size, first.existed), (7, false));
    // The same name sync's mirror gives the same bytes: no duplicates.
    let name = crate::media::content_name(b"PNGDATA");
    assert_eq!(first.file, format!("h.example/u/{name}.png"));
    let again = copy(&b"PNGDATA"[..], "y/b.png", None, &dest, Path::new("b")).unwrap();
    assert_eq!(
        (again.file.as_str(), again.existed),
        (first.file.as_str(), true)
    );
    let names: Vec<_> = std::fs::read_dir(dir.path().join("content/media/h.example/u"))
        .unwrap()
        .collect();
    assert_eq!(names.len(), 1, "no temporary file is left");
}
