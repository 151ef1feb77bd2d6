//! Unit tests of `sitemap.rs`.

use super::*;

#[test]
fn sitemap_escapes_and_dates() {
    let when: DateTime<Utc> = "2026-03-08T13:05:00Z".parse().unwrap();
    let text = String::from_utf8(sitemap(&[
        SitemapEntry {
            url: "https://x.org/a?b=1&c=2".into(),
            lastmod: Some(when),
        },
        SitemapEntry {
            url: "https://x.org/tags/".into(),
            lastmod: None,
        },
    ]))
    .unwrap();
    assert!(
        text.contains("<loc>https://x.org/a?b=1&amp;c=2</loc>"),
        "{text}"
    );
    assert!(
        text.contains("<lastmod>2026-03-08T13:05:00Z</lastmod>"),
        "{text}"
    );
    assert_eq!(text.matches("<url>").count(), 2);
    assert!(String::from_utf8(robots("https://x.org/n"))
        .unwrap()
        .contains("Sitemap: https://x.org/n/sitemap.xml"));
}
