//! Unit tests of `media.rs`.

use super::*;

#[test]
fn content_types_must_fit_the_claim() {
    assert!(Want::Image.fits("image/png"));
    assert!(!Want::Image.fits("text/html"));
    assert!(!Want::Image.fits("video/mp4"));
    assert!(Want::Animation.fits("video/mp4") && Want::Animation.fits("image/gif"));
    assert!(Want::Audio.fits("audio/mpeg"));
    assert_eq!(extension("image/svg+xml"), None);
    assert_eq!(extension("text/html"), None);
    assert_eq!(extension("image/jpeg"), Some("jpg"));
}

#[test]
fn markup_is_never_media() {
    assert!(looks_like_markup(b"<svg onload=alert(1)>"));
    assert!(looks_like_markup(b"\xEF\xBB\xBF \n<!DOCTYPE html>"));
    assert!(!looks_like_markup(b"\x89PNG\r\n\x1a\n<"));
    assert!(!looks_like_markup(b""));
}
