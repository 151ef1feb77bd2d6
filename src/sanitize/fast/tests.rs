//! Differential tests of the shortcut: wherever it answers, its answer is
//! ammonia's, over every short sequence of tricky pieces and every ordering
//! of the attributes an element may carry; and it answers for the markup
//! Mastodon writes (so the tests compare something).

use std::collections::HashMap;

use super::super::{carryable, cleaned_by_ammonia, Context};
use super::clean;

fn context() -> Context {
    Context {
        tag_base: "https://example.org/tags/".into(),
        tags: HashMap::from([
            ("opendata".to_string(), "opendata".to_string()),
            ("über".to_string(), "%C3%BCber".to_string()),
        ]),
        emojis: HashMap::new(),
    }
}

/// Checks one input; returns whether the shortcut took it.
fn same(html: &str, context: &Context) -> bool {
    let Some(fast) = clean(html, context) else {
        return false;
    };
    assert_eq!(
        carryable(fast),
        cleaned_by_ammonia(html, context),
        "input: {html:?}"
    );
    true
}

/// Tags, end tags, entities, text and the characters the parser treats
/// specially, each a piece the sequences are made of.
const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<br>",
    "<br />",
    "</br>",
    "<span>",
    "</span>",
    r#"<span class="invisible">"#,
    r##"<a href="https://social.example/tags/OpenData" class="mention hashtag" rel="tag">"##,
    r#"<a href="javascript:alert(1)">"#,
    r#"<a href="/relative" class="u-url">"#,
    "</a>",
    r#"<p class="quote-inline" lang="de">"#,
    "<b>",
    "<P>",
    "<p >",
    "<script>",
    "<!-- c -->",
    "x",
    " ",
    "\n",
    "\r",
    "\t",
    "\0",
    "\u{7}",
    "\u{85}",
    "\u{a0}",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&#39;",
    "&nbsp;",
    "&copy",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "é😀",
    "\u{feff}",
];

#[test]
fn every_short_sequence_of_pieces_matches_ammonia() {
    let context = context();
    let mut taken = 0;
    for a in PIECES {
        for b in PIECES {
            for c in PIECES {
                taken += usize::from(same(&format!("{a}{b}{c}"), &context));
            }
        }
    }
    // Sequences of well-formed pieces are taken, not all left to ammonia.
    assert!(taken > 2_000, "the shortcut took only {taken} inputs");
}

/// Longer sequences over the pieces that nest: every sequence of six of
/// them (opening, closing, text), so every nesting of up to three elements.
#[test]
fn every_sequence_of_six_nesting_pieces_matches_ammonia() {
    const NESTING: &[&str] = &[
        "<p>",
        "</p>",
        "<span>",
        "</span>",
        r#"<a href="https://x.example/">"#,
        "</a>",
        "<br>",
        "t",
    ];
    let context = context();
    let mut taken = 0;
    let n = NESTING.len();
    for i in 0..n.pow(6) {
        let mut html = String::new();
        let mut k = i;
        for _ in 0..6 {
            html.push_str(NESTING[k % n]);
            k /= n;
        }
        taken += usize::from(same(&html, &context));
    }
    assert!(taken > 1_500, "the shortcut took only {taken} inputs");
}

/// Every value class of every attribute: allowed and refused schemes,
/// relative and scheme-relative URLs, hashtag links to listed and other
/// tags, escaped names, characters that need escaping, class lists, `lang`
/// and `translate` values, attributes the policy drops.
const ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "href",
        &[
            "https://social.example/tags/OpenData",
            "https://social.example/tags/%C3%9Cber",
            "https://social.example/tags/Other",
            "http://x.example/a?b=c",
            "HTTPS://X.EXAMPLE/",
            "javascript:alert(1)",
            "mailto:a@b.example",
            "/relative",
            "//x.example/p",
            "https://x.example/<b>'\u{a0}",
            "https://x.example/a\tb",
            "https://",
            "",
        ],
    ),
    (
        "class",
        &[
            "mention hashtag",
            "invisible",
            "evil",
            "",
            "u-url  evil h-card",
        ],
    ),
    ("translate", &["no", "yes"]),
    ("lang", &["de", "", "x y", "<x>"]),
    ("rel", &["tag"]),
    ("target", &["_blank"]),
    ("style", &["color:red"]),
];

#[test]
fn every_ordering_of_attributes_matches_ammonia() {
    // Also with a relative tag base, whose local tag links the policy then
    // drops as relative.
    let relative = Context {
        tag_base: "/tags/".into(),
        ..context()
    };
    for context in [context(), relative] {
        attribute_orderings(&context);
    }
}

fn attribute_orderings(context: &Context) {
    let mut taken = 0;
    let names = ATTRIBUTES.len();
    for element in ["a", "span", "p"] {
        // Ordered choices of one to three different attributes, each with
        // every value (the first two) or the first two values (the third).
        for first in 0..names {
            for second in (0..=names).filter(|&s| s != first) {
                for third in (0..=names).filter(|&t| t != first && (t != second || t == names)) {
                    if second == names && third != names {
                        continue;
                    }
                    let chosen: Vec<usize> = [first, second, third]
                        .into_iter()
                        .filter(|&i| i < names)
                        .collect();
                    for values in value_choices(&chosen) {
                        let attributes: String = chosen
                            .iter()
                            .zip(&values)
                            .map(|(&i, value)| format!(r#" {}="{}""#, ATTRIBUTES[i].0, value))
                            .collect();
                        let html = format!("<{element}{attributes}>x</{element}>");
                        taken += usize::from(same(&html, context));
                    }
                }
            }
        }
    }
    assert!(taken > 1_000, "the shortcut took only {taken} inputs");
}

/// The value combinations tried for `chosen` attributes: all values of the
/// first two, the first two values of the third.
fn value_choices(chosen: &[usize]) -> Vec<Vec<&'static str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for (position, &i) in chosen.iter().enumerate() {
        let values = ATTRIBUTES[i].1;
        let values = if position < 2 {
            values
        } else {
            &values[..values.len().min(2)]
        };
        out = out
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(*v);
                    next
                })
            })
            .collect();
    }
    out
}

/// Markup as Mastodon writes it takes the shortcut, with the same result.
#[test]
fn mastodon_markup_takes_the_shortcut() {
    let context = context();
    for html in [
        r#"<p>Hallo <span class="h-card" translate="no"><a href="https://other.example/@anna" class="u-url mention">@<span>anna</span></a></span><br />Welt &amp; mehr&#39;s</p>"#,
        r##"<p><a href="https://social.example/tags/OpenData" class="mention hashtag" rel="tag">#<span>OpenData</span></a> <a href="https://x.example/long/path" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://</span><span class="ellipsis">x.example/long</span><span class="invisible">/path</span></a></p>"##,
        "<p>Erste Zeile</p><p></p><p>zweite &lt;Zeile&gt;</p>",
    ] {
        assert!(same(html, &context), "not taken: {html}");
    }
}

/// What the shortcut leaves to ammonia: other elements, comments, other
/// entities, unclosed or misnested elements.
#[test]
fn other_markup_is_left_to_ammonia() {
    let context = context();
    for html in [
        "<p>x<p>y</p>",
        "<p>x",
        "<a href=\"https://x.example/\"><a href=\"https://y.example/\">y</a></a>",
        "<span><p>x</p></span>",
        "<h1>x</h1>",
        "x<!-- c -->",
        "&copy; x",
        "<p>x\r\ny</p>",
        "<a href='https://x.example/'>x</a>",
        "<a href=\"https://x.example/?a=1&amp;b=2\">x</a>",
        "<span class=\"a\" class=\"b\">x</span>",
        "</p>",
        "\u{feff}<p>x</p>",
    ] {
        assert_eq!(clean(html, &context), None, "taken: {html}");
    }
}

/// A link deep inside spans, and many links in a row inside them: still
/// ammonia's output (the shortcut tracks the open link with a flag, not by
/// searching the open elements, so deep nesting stays linear).
#[test]
fn deep_nesting_matches_ammonia() {
    let context = context();
    let deep = format!(
        "<p>{}<a href=\"https://x.example/\">x</a>{}{}</p>",
        "<span>".repeat(300),
        "<a href=\"https://y.example/\">y</a>".repeat(300),
        "</span>".repeat(300)
    );
    assert!(same(&deep, &context));
    // Many attributes on one element are left to ammonia.
    let crowded = format!(
        "<p><span {}>x</span></p>",
        (0..40)
            .map(|i| format!("data-a{i}=\"1\""))
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert_eq!(clean(&crowded, &context), None);
    assert!(cleaned_by_ammonia(&crowded, &context).contains("<span>x</span>"));
}
