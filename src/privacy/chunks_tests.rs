//! The scan by chunks reports exactly what the scan in one piece reports,
//! in the same order: for random pages built from random fragments, many
//! of them adversarial (tags, comments, quotes and text elements left open;
//! `<`, `&` and `url(` at the cuts; cuts inside attribute values, comments
//! and `<style>`; srcset, style attributes, `<base>`, meta refresh, CSS
//! `@import`), scanned one after another with one cache, so chunks are
//! found in the cache in pages where their context differs.

use proptest::prelude::*;

use super::*;

const OWN: &str = "https://amt.example";

fn foreign(url: &str) -> bool {
    super::super::is_foreign(url, url::Url::parse(OWN).ok().as_ref())
}

/// Pieces a browser might read in several ways depending on what is around
/// them; many start with a cut (`\n<li>` ...).
const FRAGMENTS: &[&str] = &[
    "\n<li>",
    "\n<li><article class=\"toot\">",
    "\n<p style=\"background:url(https://evil.example/p.png)\">",
    "\n<li><img src=\"https://evil.example/l.png\">",
    "\n<div><style>@import 'https://evil.example/d.css';</style>",
    "</article></li>",
    "\n<p>Text &amp; mehr</p>",
    "\n<div class=\"x\">",
    "</div>",
    "\n<nav aria-label=\"Seiten\">",
    "\n<header>",
    "<img src=\"https://evil.example/a.png\" alt=\"\">",
    "<img src=\"/media/a.png\" srcset=\"/a.png 1x, https://evil.example/b.png 2x\">",
    "<img alt=\"",
    "\" src=https://evil.example/q.png>",
    "<img src=\"h&#116;tps://evil.example/&",
    "colon;x\">",
    "<p style=\"background:url(",
    "https://evil.example/u.png)\">",
    "<span style='color:red'>",
    "<style>",
    "</style>",
    "</style",
    "@import \"https://evil.example/i.css\";",
    "a{background:url(//evil.example/c.png)}",
    "u\\72l(https://evil.example/e.png)",
    "<!--",
    "-->",
    "--!>",
    "<!-",
    "<!doctype html>",
    "<?x ",
    "</ x>",
    "<",
    ">",
    "&",
    "'",
    "\"",
    "url(",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0; url=https://evil.example/\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/s.css\">",
    "<link rel=\"alternate\" href=\"https://evil.example/feed\">",
    "<a href=\"https://evil.example/\">Link</a>",
    "<textarea>",
    "</textarea>",
    "<title>",
    "</title>",
    "<script src=\"https://evil.example/j.js\"></script>",
    "<noscript><img src=\"https://evil.example/n.png\"></noscript>",
    "<svg><image href=\"https://evil.example/s.svg\"/></svg>",
    "<video poster=\"https://evil.example/p.jpg\" src=\"/v.mp4\"></video>",
    "<object data=\"https://evil.example/o\"></object>",
    "<iframe src=\"/own\">",
    "</iframe>",
    "\n",
    " ",
    "\n<li\n",
    "\n<LI>",
    "\n<article",
    "\n<p/>",
    "Ein längerer Absatz, damit Stücke die Mindestlänge überschreiten …",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => "[<>/=\"' \n!a-z&:();-]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn chunked_scan_equals_the_full_scan(
        pool in proptest::collection::vec(
            proptest::collection::vec(fragment(), 1..8).prop_map(|f| f.concat()),
            1..12,
        ),
        pages in proptest::collection::vec(proptest::collection::vec(0usize..64, 0..30), 1..8),
    ) {
        let chunks = Chunks::new();
        for page in pages {
            let html: String = page.iter().map(|&i| pool[i % pool.len()].as_str()).collect();
            let full: Vec<String> = html_loads(&html).into_iter().filter(|u| foreign(u)).collect();
            let chunked = chunks.foreign_loads(&html, &foreign);
            prop_assert_eq!(chunked, full, "page {:?}", html);
        }
    }
}

#[test]
fn cuts_fall_before_block_lines_only() {
    let html = "<p>a</p>\n<li>b\n<liar>\n<LI class=x>\n<article\n</li>\n<articles>\n<h2/>";
    let cuts = cuts(html);
    let starts: Vec<&str> = cuts.windows(2).map(|w| &html[w[0]..w[1]]).collect();
    assert_eq!(
        starts,
        [
            "<p>a</p>\n",
            "<li>b\n<liar>\n",
            "<LI class=x>\n",
            "<article\n</li>\n<articles>\n",
            "<h2/>"
        ]
    );
}

#[test]
fn a_clean_chunk_is_looked_up_and_a_chunk_with_findings_is_not_cached() {
    let chunks = Chunks::new();
    let card = "\n<li><article class=\"toot\"><p>Ein Beitrag mit etwas Text darin.</p></article>";
    let bad = "\n<li><img src=\"https://evil.example/x.png\" alt=\"ein Bild, lang genug\">";
    let page = format!("<main>{card}{bad}\n</main>");
    assert_eq!(
        chunks.foreign_loads(&page, &foreign),
        ["https://evil.example/x.png"]
    );
    let clean = chunks.clean.lock().unwrap().len();
    assert_eq!(clean, 1, "only the clean card chunk is kept");
    // The same card in another page, then the bad one again: still found.
    let other = format!("<div>{card}{bad}{bad}");
    assert_eq!(chunks.foreign_loads(&other, &foreign).len(), 2);
    // A cut inside an attribute value: not self-contained, scanned in one
    // piece from there.
    let inside = format!("<img alt='{card}' src=\"https://evil.example/y.png\">");
    assert_eq!(
        chunks.foreign_loads(&inside, &foreign),
        ["https://evil.example/y.png"]
    );
    assert_eq!(html_loads(&inside).len(), 1);
}
