//! Unit tests of `markup.rs`.

use super::*;

fn emojis() -> HashMap<String, String> {
    [("amt".to_string(), "/media/a.png".to_string())].into()
}

#[test]
fn emoji_needs_boundaries_and_a_listed_code() {
    let e = emojis();
    let t = |s: &str| text_with_emoji(s, &e);
    assert!(t("Hallo :amt:!").contains(r#"<img class="emoji" src="/media/a.png" alt=":amt:""#));
    assert!(t(":amt:").starts_with("<img"));
    for unchanged in ["x:amt:", ":amt:x", "::amt:", ":amt::", ":other:", ":am t:"] {
        assert_eq!(t(unchanged), escape(unchanged), "{unchanged}");
    }
    assert_eq!(t(":amt::amt:").matches("<img").count(), 0);
    assert_eq!(t(":amt: :amt:").matches("<img").count(), 2);
    assert_eq!(t("<b>:amt:</b>").matches("<img").count(), 1);
    assert!(t("<b>:amt:</b>").starts_with("&lt;b&gt;"));
}

#[test]
fn emoji_stays_text_in_attributes_and_hidden_spans() {
    let e = emojis();
    let html = r#"<p><a href="https://x.example/:amt:" title=":amt:"><span class="invisible">:amt:</span><span class="ellipsis">go :amt:</span></a></p>"#;
    let out = finish(html, &e);
    assert_eq!(out.matches("<img").count(), 1, "{out}");
    assert!(out.contains(r#"href="https://x.example/:amt:""#));
    assert!(out.contains(r#"<span class="invisible">:amt:</span>"#));
}

#[test]
fn headings_become_strong_paragraphs() {
    let out = finish(r#"<h2 lang="de">Titel</h2><p>x</p>"#, &HashMap::new());
    assert_eq!(out, r#"<p lang="de"><strong>Titel</strong></p><p>x</p>"#);
}

#[test]
fn quoted_gt_does_not_end_a_tag() {
    let out = finish(r#"<a href="https://x.example/>:amt:">:amt:</a>"#, &emojis());
    assert!(
        out.starts_with(r#"<a href="https://x.example/>:amt:">"#),
        "{out}"
    );
    assert_eq!(out.matches("<img").count(), 1);
}

#[test]
fn plain_text_skips_quote_inline() {
    let html = r#"<p class="quote-inline">RE: <a href="https://o.example/1">o.example/1</a></p><p>Antwort <span>hier</span>.</p>"#;
    assert_eq!(plain_text(html), "Antwort hier.");
}

#[test]
fn entities_decode_in_one_pass_as_replacing_each_in_turn_does() {
    // The definition the one pass must match.
    let in_turn = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&")
    };
    let pieces = [
        "&lt;", "&gt;", "&quot;", "&nbsp;", "&amp;", "&", ";", "lt;", "amp;", "&am", "&#39;", "a",
        "ä", "€", " ", "&&", "&l", "t", "\u{a0}",
    ];
    // Every sequence of up to three pieces: entities next to each other,
    // cut, doubled, escaped (`&amp;lt;`), and next to multi-byte text.
    let mut cases = vec![String::new()];
    for _ in 0..3 {
        let longer: Vec<String> = cases
            .iter()
            .flat_map(|c| pieces.iter().map(move |p| format!("{c}{p}")))
            .collect();
        cases.extend(longer);
    }
    for case in &cases {
        assert_eq!(decode_entities(case), in_turn(case), "{case:?}");
    }
    assert_eq!(decode_entities("a &amp;lt; b &lt;c&gt;"), "a &lt; b <c>");
}

#[test]
fn a_tag_ends_at_the_first_unquoted_close_by_every_kind_of_byte() {
    // The definition: every byte looked at, quotes toggling.
    let by_byte = |s: &str| {
        let mut quoted = false;
        for (i, b) in s.bytes().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b'>' if !quoted => return Some(i),
                _ => {}
            }
        }
        None
    };
    let pieces = ["<a", "\"", ">", " ", "x", "'", "ä", "=", "\"\"", "<"];
    let mut cases = vec![String::from("<")];
    for _ in 0..4 {
        let longer: Vec<String> = cases
            .iter()
            .flat_map(|c| pieces.iter().map(move |p| format!("{c}{p}")))
            .collect();
        cases.extend(longer);
    }
    for case in &cases {
        assert_eq!(tag_end(case), by_byte(case), "{case:?}");
    }
    assert_eq!(tag_end(r#"<a href="x>y">t"#), Some(13));
    assert_eq!(tag_end(r#"<a href="x>"#), None);
}

#[test]
fn plain_text_joins_its_words_by_single_spaces_whatever_the_whitespace() {
    for (html, text) in [
        ("<p>  a \t b&nbsp;&nbsp;c\n</p><p>d</p>", "a b c d"),
        ("<p>eins<br>zwei</p>", "eins zwei"),
        ("<p> &nbsp; </p>", ""),
        ("", ""),
        ("ä\u{2003}€", "ä €"),
    ] {
        assert_eq!(plain_text(html), text, "{html:?}");
    }
}
