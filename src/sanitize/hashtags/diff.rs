//! Differential tests of the one-tokenization split: over every short
//! sequence of tricky pieces, placed where a bar can appear, its content,
//! bar, tags in the text and visible text are the earlier definitions'
//! (`reference.rs`), both on the raw sequence and on what the policy makes
//! of it; and the sequences do reach every case (a bar taken, a bar kept
//! because it is the only text, links left in the text).

use std::collections::{HashMap, HashSet};

use super::super::markup::{has_visible_text, plain_text, tokens};
use super::super::{clean, Context};
use super::{reference, split};

/// Paragraphs, hashtag links of a listed and of an unlisted tag, a mention,
/// line breaks, entities, the separators, whitespace, an emoji image,
/// hidden and nested spans, and tags the text search of the old code reads
/// differently from the tokenizer.
const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    r##"<a href="https://s.example/tags/OpenData" class="mention hashtag" rel="tag">#<span>OpenData</span></a>"##,
    r##"<a href="https://s.example/tags/bonn" class="mention hashtag" rel="tag">#<span>bonn</span></a>"##,
    r##"<a href="https://s.example/tags/Fremd" class="mention hashtag" rel="tag">#<span>Fremd</span></a>"##,
    r#"<span class="h-card"><a href="https://s.example/@ana" class="u-url mention">@<span>ana</span></a></span>"#,
    "<a>",
    "</a>",
    "#",
    "<br>",
    "&amp;",
    "&nbsp;",
    "&lt;",
    "&nb",
    "sp;",
    ", ",
    ".",
    ";",
    "·",
    "|",
    " ",
    "\n",
    "\u{a0}",
    r#"<img class="emoji" src="/media/e.png" alt=":amt:" title=":amt:" width="20" height="20">"#,
    r#"<span class="invisible">"#,
    "<span><span>",
    "</span>",
    r#"<p class="quote-inline">"#,
    "<strong>",
    "</strong>",
    r#"<p title="a>b">"#,
    "</p >",
    "x",
];

/// Where a sequence goes: alone, as a last paragraph after text, before a
/// bar, inside the only paragraph.
const FRAMES: &[(&str, &str)] = &[
    ("", ""),
    ("<p>Text</p><p>", "</p>"),
    (
        "",
        r##"<p><a href="https://s.example/tags/bonn" class="mention hashtag" rel="tag">#<span>Bonn</span></a></p>"##,
    ),
    ("<p>", "</p>\n"),
];

fn tags() -> HashSet<String> {
    ["opendata", "bonn"].iter().map(|t| t.to_string()).collect()
}

fn context() -> Context {
    Context {
        tag_base: "https://s.example/tags/".into(),
        tags: HashMap::from([
            ("opendata".to_string(), "OpenData".to_string()),
            ("bonn".to_string(), "bonn".to_string()),
        ]),
        emojis: HashMap::from([("amt".to_string(), "/media/e.png".to_string())]),
    }
}

/// What the sequences reached.
#[derive(Default)]
struct Seen {
    bars: usize,
    only_bar_kept: usize,
    in_text: usize,
}

fn check(html: &str, tags: &HashSet<String>, seen: &mut Seen) {
    let new = split(html, tags);
    let old = reference::split(html, tags);
    assert_eq!(new, old, "input: {html:?}");
    let old_text = reference::plain_text(html);
    assert_eq!(plain_text(html), old_text, "input: {html:?}");
    assert_eq!(
        has_visible_text(tokens(html)),
        !old_text.is_empty(),
        "input: {html:?}"
    );
    seen.bars += usize::from(!new.bar.is_empty());
    seen.in_text += usize::from(!new.in_text.is_empty());
    // Listed tags and separators only, kept as the text.
    let separator = |c: char| c.is_whitespace() || ",.;·|".contains(c);
    let only_tags = !new.text.is_empty()
        && new
            .text
            .split(separator)
            .all(|w| w.is_empty() || w == "#OpenData" || w == "#bonn");
    seen.only_bar_kept += usize::from(new.bar.is_empty() && only_tags);
}

/// Every sequence of up to `len` pieces, each in every frame.
fn each_input(len: usize, mut f: impl FnMut(&str)) {
    let mut indices: Vec<usize> = Vec::new();
    loop {
        let seq: String = indices.iter().map(|&i| PIECES[i]).collect();
        for (before, after) in FRAMES {
            f(&format!("{before}{seq}{after}"));
        }
        // The next sequence, shortest first.
        let mut at = indices.len();
        loop {
            if at == 0 {
                if indices.len() == len {
                    return;
                }
                indices = vec![0; indices.len() + 1];
                break;
            }
            at -= 1;
            indices[at] += 1;
            if indices[at] < PIECES.len() {
                break;
            }
            indices[at] = 0;
        }
    }
}

#[test]
fn one_tokenization_gives_the_old_results_on_any_markup() {
    let tags = tags();
    let mut seen = Seen::default();
    let mut count = 0;
    each_input(3, |html| {
        check(html, &tags, &mut seen);
        count += 1;
    });
    assert!(count > 100_000, "{count}");
    assert!(seen.bars > 1000, "{}", seen.bars);
    assert!(seen.only_bar_kept > 0);
    assert!(seen.in_text > 1000, "{}", seen.in_text);
}

#[test]
fn one_tokenization_gives_the_old_results_on_cleaned_markup() {
    let tags = tags();
    let context = context();
    let mut seen = Seen::default();
    each_input(2, |html| {
        let cleaned = clean(html, &context);
        check(cleaned.as_str(), &tags, &mut seen);
    });
    assert!(seen.bars > 100, "{}", seen.bars);
    assert!(seen.only_bar_kept > 0);
    assert!(seen.in_text > 100, "{}", seen.in_text);
}
