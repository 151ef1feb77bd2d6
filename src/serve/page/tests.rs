//! Unit tests of `page.rs`.

use super::*;

#[test]
fn every_mirrored_media_type_is_served_as_what_it_is() {
    // .mov, .flac and .aac were mirrored and published, but the preview
    // once served them as application/octet-stream.
    for t in crate::model::media_type::MEDIA_TYPES {
        for ext in std::iter::once(&t.extension).chain(t.other_extensions) {
            assert_eq!(content_type(&format!("media/h/u/x.{ext}")), t.mime, "{ext}");
        }
    }
    assert_eq!(content_type("a/b.mov"), "video/quicktime");
    assert_eq!(content_type("a/b.svg"), "image/svg+xml");
    assert_eq!(content_type("a/b.bin"), "application/octet-stream");
}

const PAGE: &str = "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'none'; object-src 'none'\"></head><body><p>x</p></body></html>";

#[test]
fn injection_relaxes_only_script_src_and_adds_same_origin_script() {
    let out = inject_reload(PAGE, 7);
    assert!(
        out.contains("script-src 'self'; object-src 'none'"),
        "{out}"
    );
    assert!(!out.contains("script-src 'none'"), "{out}");
    assert!(
        out.contains("<script src=\"/__tootbridge/reload.js?since=7\" defer></script>\n</body>")
    );
    assert_eq!(out.matches("<script").count(), 1);
}

#[test]
fn error_page_escapes_the_message_and_reloads() {
    let page = error_page("site.toml:3: bad <value>", 2);
    assert!(page.contains("site.toml:3: bad &lt;value&gt;"), "{page}");
    assert!(page.contains("reload.js?since=2"), "{page}");
    assert!(!page.contains("<value>"));
}

#[test]
fn lookup_follows_index_files_and_redirects_folders() {
    let files: HashMap<String, Body> = [
        "index.html",
        "tags/index.html",
        "style.css",
        "tags/bürger/index.html",
    ]
    .into_iter()
    .map(|p| (p.to_string(), Body::Bytes(vec![])))
    .collect();
    assert_eq!(lookup(&files, "/"), Lookup::File("index.html"));
    assert_eq!(lookup(&files, "/?x=1"), Lookup::File("index.html"));
    assert_eq!(lookup(&files, "/style.css"), Lookup::File("style.css"));
    assert_eq!(lookup(&files, "/tags"), Lookup::Redirect("/tags/".into()));
    assert_eq!(
        lookup(&files, "/tags/b%C3%BCrger/"),
        Lookup::File("tags/bürger/index.html")
    );
    assert_eq!(lookup(&files, "/nope/"), Lookup::NotFound);
    assert_eq!(lookup(&files, "/../etc/passwd"), Lookup::NotFound);
    assert_eq!(lookup(&files, "/%FF"), Lookup::NotFound);
}

#[test]
fn content_types() {
    assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
    assert_eq!(content_type("media/x.JPG"), "image/jpeg");
    assert_eq!(content_type("feed.xml"), "application/xml");
    assert_eq!(content_type("README"), "application/octet-stream");
}
