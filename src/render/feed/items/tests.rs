//! Feeds with items written once equal feeds written in one piece, byte for
//! byte: for every feed of the example site, and for its toots varied over
//! each kind of item content (content warning, markup and line-separator
//! characters in text, media with and without size or type, edits, no
//! language) and for feeds without items.

use std::path::Path;

use super::super::{render, FeedSpec, Format};
use crate::render::feedset::{specs, SpecInput};
use crate::render::view::{MediaView, TootView};
use crate::render::{atom, feed, jsonfeed};

/// The example site's toots with each kind of content changed in turn.
fn varied(views: &[TootView]) -> Vec<TootView> {
    let mut out = Vec::new();
    for (n, view) in views.iter().enumerate() {
        let mut v = view.clone();
        match n % 5 {
            0 => {
                v.cw = "Achtung <b>&</b> \u{2028}\u{2029} „Zitat“".into();
                v.title = "Titel & <Markup> ]]> \u{2028}".into();
                v.sensitive = true;
            }
            1 => {
                v.lang = None;
                v.edited = Some(v.created + chrono::Duration::hours(3));
                v.summary = "Kurz & <knapp>".into();
            }
            2 => v.media.push(MediaView {
                kind: "image",
                url: Some(format!("{}/bild.png", v.page_url)),
                preview_url: None,
                mime: Some("image/png".into()),
                size: Some(1234),
                alt: "Ein Bild mit \"Anführung\" & <Winkeln>".into(),
                label: "Bild".into(),
                kind_label: "Bild".into(),
                width: Some(10),
                height: Some(10),
                srcset: None,
            }),
            3 => {
                for m in &mut v.media {
                    m.size = None;
                    m.mime = Some("video".into());
                }
                v.tags.clear();
            }
            _ => {}
        }
        // A fresh cache: each variant makes its own items.
        v.feed_items = Default::default();
        v.feed_html = Default::default();
        out.push(v);
    }
    out
}

fn assert_formats_equal(spec: &FeedSpec<'_>, i18n: &crate::render::theme::I18n) {
    for format in Format::ALL {
        let pasted = match render(spec, format, i18n).unwrap().body {
            crate::render::Body::Bytes(bytes) => bytes,
            _ => unreachable!("feeds are bytes"),
        };
        let whole = match format {
            Format::Rss => feed::rss_whole(spec, i18n),
            Format::Atom => atom::atom_whole(spec, i18n),
            Format::Json => jsonfeed::json_whole(spec, i18n),
        }
        .unwrap();
        assert!(
            pasted == whole,
            "{}{:?} differs:\n{}\n---- whole ----\n{}",
            spec.dir,
            format,
            String::from_utf8_lossy(&pasted),
            String::from_utf8_lossy(&whole)
        );
    }
}

#[test]
fn every_feed_equals_the_feed_written_in_one_piece() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prepared = crate::Prepared::load(root, &Default::default()).unwrap();
    let selection = prepared.select();
    let site = prepared.site(prepared.config.base_url.trimmed());
    let views = crate::render::toot_views(&selection, &site).unwrap();
    let variants = varied(&views);
    assert!(variants.iter().any(|v| !v.media.is_empty()));
    for views in [&views, &variants] {
        let plans = specs(&SpecInput {
            config: &prepared.config,
            base: &site.base,
            i18n: &prepared.theme.i18n,
            site: &site,
            accounts: &prepared.accounts,
            selection: &selection,
        });
        let all: Vec<FeedSpec<'_>> = plans.iter().map(|p| p.spec(|i| &views[i])).collect();
        assert!(all.len() > 5, "{} feeds", all.len());
        for spec in &all {
            assert_formats_equal(spec, &prepared.theme.i18n);
        }
        // Twice: the second time every item comes from the cache.
        assert_formats_equal(&all[0], &prepared.theme.i18n);
        // Without items, and with one toot.
        let empty = FeedSpec {
            toots: Vec::new(),
            image_url: None,
            description: String::new(),
            ..clone_spec(&all[0])
        };
        assert_formats_equal(&empty, &prepared.theme.i18n);
        let one = FeedSpec {
            toots: all[0].toots[..1].to_vec(),
            ..clone_spec(&all[0])
        };
        assert_formats_equal(&one, &prepared.theme.i18n);
    }
}

fn clone_spec<'v>(spec: &FeedSpec<'v>) -> FeedSpec<'v> {
    FeedSpec {
        dir: spec.dir.clone(),
        dir_url: spec.dir_url.clone(),
        title: spec.title.clone(),
        description: spec.description.clone(),
        home_url: spec.home_url.clone(),
        image_url: spec.image_url.clone(),
        language: spec.language.clone(),
        toots: spec.toots.clone(),
    }
}

#[test]
fn a_frame_that_does_not_match_is_an_error_not_a_wrong_feed() {
    let cut = super::cut_item(b"<a>\n</a>", b"<b>\n<i/>\n</a>", b"\n</a>", "x.xml");
    assert!(cut.unwrap_err().to_string().contains("x.xml"));
    let cut = super::cut_item(b"<a>\n</a>", b"<a><i/>\n</a>", b"\n</a>", "x.xml").unwrap();
    assert_eq!(cut, "<i/>");
    let pasted = super::paste_items(
        b"<a>\n</b>".to_vec(),
        b"\n</a>",
        std::iter::empty(),
        "y.xml",
    );
    assert!(pasted.unwrap_err().to_string().contains("y.xml"));
}
