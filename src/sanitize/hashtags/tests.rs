//! Unit tests of `hashtags.rs`.

use super::*;

fn tag(name: &str) -> String {
    format!(
        r#"<a href="https://s.example/tags/{name}" class="mention hashtag" rel="tag">#<span>{name}</span></a>"#
    )
}

fn tags(names: &[&str]) -> HashSet<String> {
    names.iter().map(|n| n.to_lowercase()).collect()
}

#[test]
fn a_last_paragraph_of_hashtags_becomes_the_bar() {
    let known = tags(&["OpenData", "Bonn", "Wahl"]);
    for sep in [" ", ", ", " · ", " | ", "<br>", "\n", " ; "] {
        let html = format!(
            "<p>Neue Daten zur {}.</p><p>{}{sep}{}</p>",
            tag("Wahl"),
            tag("OpenData"),
            tag("Bonn")
        );
        let bar = split(&html, &known);
        assert_eq!(bar.bar, ["OpenData", "Bonn"], "{sep:?}");
        assert_eq!(
            bar.content,
            format!("<p>Neue Daten zur {}.</p>", tag("Wahl"))
        );
        assert_eq!(bar.in_text, tags(&["wahl"]));
    }
}

#[test]
fn other_text_or_unknown_tags_keep_the_paragraph() {
    let known = tags(&["OpenData", "Bonn"]);
    for last in [
        format!("<p>Mehr unter {}</p>", tag("OpenData")),
        format!("<p>{} und {}</p>", tag("OpenData"), tag("Bonn")),
        format!(
            "<p>{} <a href=\"https://x.example/\">Link</a></p>",
            tag("Bonn")
        ),
        // A link text starting with # for a tag the toot does not list.
        "<p><a href=\"https://x.example/\">#Fremd</a></p>".to_string(),
        format!("<p>{} <strong>!</strong></p>", tag("Bonn")),
    ] {
        let html = format!("<p>Text</p>{last}");
        let bar = split(&html, &known);
        assert!(bar.bar.is_empty(), "{last}");
        assert_eq!(bar.content, html);
    }
    // Not the last element.
    let html = format!("<p>{}</p><p>Text</p>", tag("Bonn"));
    assert!(split(&html, &known).bar.is_empty());
}

#[test]
fn a_toot_of_only_hashtags_keeps_its_text() {
    let known = tags(&["OpenData", "Bonn"]);
    let html = format!("<p>{} {}</p>", tag("OpenData"), tag("Bonn"));
    let bar = split(&html, &known);
    assert!(bar.bar.is_empty());
    assert_eq!(bar.content, html);
    assert_eq!(bar.in_text, tags(&["opendata", "bonn"]));
}

#[test]
fn repeated_tags_in_the_bar_count_once() {
    let known = tags(&["Bonn"]);
    let html = format!("<p>Text</p><p>{} {}</p>", tag("Bonn"), tag("bonn"));
    assert_eq!(split(&html, &known).bar, ["Bonn"]);
}
