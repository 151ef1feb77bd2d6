//! The fast HTML scan (`loads.rs`) reports exactly what the reference
//! scanner (`reference.rs`, the one it replaced) reports, in the same
//! order, for every document: every sequence of up to three of the tricky
//! pieces below (quotes, entities, case, whitespace and control characters,
//! comments, CDATA, bogus comments, unclosed tags and text elements,
//! attributes without values, `<svg>`/`<math>` content, srcset lists, style
//! attributes and blocks, invalid UTF-8), every sequence of four of the
//! structural ones, and random longer documents. The reference reads text
//! (invalid UTF-8 made U+FFFD first, as the scan of a file did); the fast
//! scan reads the bytes.

use proptest::prelude::*;

use super::{bytes, loads, reference};

/// Pieces a browser might read in several ways depending on what is around
/// them: parts of tags and whole constructs that load.
const PIECES: &[&[u8]] = &[
    b"<",
    b">",
    b"/",
    b"=",
    b"\"",
    b"'",
    b" ",
    b"\n",
    b"\t\x0c\r",
    b"<!--",
    b"-->",
    b"--!>",
    b"<!",
    b"<?",
    b"</",
    b"<![CDATA[",
    b"]]>",
    b"&",
    b"&#58;",
    b"&colon;&sol;",
    b"&#x2F;&#X2f",
    b"&amp",
    b"img",
    b"IMG",
    b"src",
    b"SrC=",
    b"srcset",
    b"=x",
    b"style",
    b"//e.x/a",
    b" 1x, //e.x/b 2x,",
    b"url(",
    b")",
    b"@import '//e.x/c'",
    b"<img src=//e.x/d>",
    b"<IMG\nSRC = \"h&#116;tps://e.x/e\"/>",
    b"<img alt='a>b' srcset=\"s 1x, //e.x/f 2x\">",
    b"<p style=\"background:u\\72l(//e.x/g)\">",
    b"<video poster=//e.x/h src>",
    b"<object data='//e.x/i'>",
    b"<svg><image xlink:href=//e.x/j /></svg>",
    b"<math><mi>",
    b"<link rel=\"Preload Stylesheet\" href=//e.x/k>",
    b"<link href=//e.x/l rel=icon>",
    b"<a href=//e.x/link>",
    b"<style>",
    b"</style>",
    b"</STYLE ",
    b"<title>",
    b"</title>",
    b"<textarea>",
    b"</textarea>",
    b"<script src=//e.x/m>",
    b"</script>",
    b"<noscript>",
    b"<iframe src=//e.x/n>",
    b"</iframe>",
    b"<xmp>",
    b"<img alt=\"",
    b"<b title='",
    b"\xff",
    b"\xc3",
    "\u{e9}\u{a0}\u{2028}".as_bytes(),
];

/// The pieces that shape tags, for the longer sequences.
const STRUCTURE: &[&[u8]] = &[
    b"<",
    b">",
    b"/",
    b"=",
    b"\"",
    b"'",
    b" ",
    b"<!--",
    b"-->",
    b"<!",
    b"</",
    b"img",
    b"src=//e.x/a",
    b"style=url(//e.x/b)",
    b"<style>",
    b"</style>",
    b"<title>",
    b"&#58;",
];

/// Where a piece may sit: `{}` is replaced by the pieces. Each text
/// element's content (followed by a load after its end), and the insides of
/// SVG, of an attribute value and of a comment.
const CONTEXTS: &[&str] = &[
    "<style>{}</style><img src=//e.x/z>",
    "<script>{}</script><img src=//e.x/z>",
    "<xmp>{}</xmp><img src=//e.x/z>",
    "<iframe>{}</iframe><img src=//e.x/z>",
    "<noembed>{}</noembed><img src=//e.x/z>",
    "<noframes>{}</noframes><img src=//e.x/z>",
    "<noscript>{}</noscript><img src=//e.x/z>",
    "<textarea>{}</textarea><img src=//e.x/z>",
    "<TITLE>{}</title\n><img src=//e.x/z>",
    "<svg>{}</svg><img src=//e.x/z>",
    "<img alt=\"{}\" src=//e.x/z>",
    "<!--{}--><img src=//e.x/z>",
    "<p>{}</p>",
];

/// Both scanners on `doc`; a failure names the document.
fn same(doc: &[u8]) {
    let mut fast = Vec::new();
    loads::html_bytes_loads(doc, &mut fast);
    let text = String::from_utf8_lossy(doc);
    let mut slow = Vec::new();
    reference::html_loads_into(&text, &mut slow);
    assert_eq!(fast, slow, "document {:?}", text);
    // The public entry point, on text, reads the same.
    assert_eq!(loads::html_loads(&text), slow, "document {:?}", text);
}

/// Every sequence of `len` pieces of `pieces`.
fn every_sequence(pieces: &[&[u8]], len: u32) {
    let n = pieces.len();
    let mut doc = Vec::new();
    for mut code in 0..n.pow(len) {
        doc.clear();
        for _ in 0..len {
            doc.extend_from_slice(pieces[code % n]);
            code /= n;
        }
        same(&doc);
    }
}

#[test]
fn every_short_sequence_of_tricky_pieces_reads_the_same() {
    same(b"");
    for len in 1..=3 {
        every_sequence(PIECES, len);
    }
    every_sequence(STRUCTURE, 4);
}

#[test]
fn every_pair_of_pieces_reads_the_same_in_every_context() {
    let n = PIECES.len();
    for context in CONTEXTS {
        let (before, after) = context.split_once("{}").unwrap();
        for code in 0..n * n {
            let doc = [
                before.as_bytes(),
                PIECES[code % n],
                PIECES[code / n],
                after.as_bytes(),
            ];
            same(&doc.concat());
        }
    }
}

#[test]
fn the_pieces_do_load_what_they_should() {
    // The sequences above compare real findings, not two empty lists.
    let mut urls = Vec::new();
    for piece in PIECES {
        loads::html_bytes_loads(piece, &mut urls);
    }
    for n in "defghijklmn".chars() {
        let url = format!("e.x/{n}");
        assert!(
            urls.iter().any(|u| u.ends_with(&url)),
            "{url} not in {urls:?}"
        );
    }
    assert!(!urls.iter().any(|u| u.ends_with("/link")), "{urls:?}");
}

#[test]
fn an_attribute_name_may_start_with_an_equals_sign() {
    // The browser ends this `p` tag at its first `>`: the image loads.
    for doc in [
        "<p =\"><img src=https://e.x/1.png>\">",
        "<p a=\"b\"='><img src=https://e.x/1.png>'>",
        "<p a /=\"><img src=https://e.x/1.png>\">",
    ] {
        assert_eq!(loads::html_loads(doc), ["https://e.x/1.png"], "{doc}");
    }
    // After a name, `=` still starts its value.
    assert!(loads::html_loads("<p a =\"><img src=https://e.x/2.png>\">").is_empty());
}

#[test]
fn a_text_element_open_at_the_end_is_read() {
    for doc in [
        "<style",
        "<p><title a='x",
        "<textarea\n",
        "<iframe src=//e.x/o",
    ] {
        same(doc.as_bytes());
    }
    assert_eq!(loads::html_loads("<iframe src=//e.x/o"), ["//e.x/o"]);
}

/// Longer documents: random pieces and random bytes of the tricky kinds.
fn document() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(
            proptest::sample::select(b"<>/=\"' \n!-?&#;:xa()".to_vec()),
            0..8,
        ),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_read_the_same(doc in document()) {
        same(&doc);
    }
}

#[test]
fn the_short_distance_search_finds_the_first_byte() {
    // Every length up to past the hand-over to memchr, the byte at every
    // place (and twice, and with bytes around it that a borrow could
    // confuse with it), and not at all.
    for len in 0..80 {
        for at in 0..=len {
            for (needle, other) in [(b'<', b'='), (b'"', b'#'), (0x80, 0x7f), (0, 1)] {
                let mut hay = vec![other; len];
                if at < len {
                    hay[at] = needle;
                    if at + 1 < len {
                        hay[at + 1] = needle;
                    }
                }
                let expected = (at < len).then_some(at);
                assert_eq!(bytes::find(&hay, needle), expected, "{len} {at} {needle}");
            }
        }
    }
}
