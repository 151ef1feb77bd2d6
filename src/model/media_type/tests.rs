//! Unit tests of `media_type.rs`.

use super::*;

#[test]
fn every_name_of_a_type_leads_to_it_and_names_are_unique() {
    let mut extensions = std::collections::HashSet::new();
    let mut mimes = std::collections::HashSet::new();
    for t in MEDIA_TYPES {
        for e in std::iter::once(&t.extension).chain(t.other_extensions) {
            assert!(extensions.insert(*e), "extension {e} twice");
            assert_eq!(by_extension(e), Some(t));
            assert_eq!(by_extension(&e.to_uppercase()), Some(t));
        }
        for m in std::iter::once(&t.mime).chain(t.other_mimes) {
            assert!(mimes.insert(*m), "MIME type {m} twice");
            assert_eq!(by_mime(m), Some(t));
        }
        let mime_class = t.mime.split('/').next().unwrap();
        assert!(["image", "video", "audio"].contains(&mime_class), "{t:?}");
    }
    assert_eq!(of_file("a/b.JPEG").map(|t| t.extension), Some("jpg"));
    // What could run script on the site's origin is never a media type.
    for unsafe_name in ["x.svg", "x.html", "x.htm", "x.js", "x.xml", "x"] {
        assert_eq!(of_file(unsafe_name), None, "{unsafe_name}");
    }
    assert_eq!(by_mime("image/svg+xml"), None);
}
