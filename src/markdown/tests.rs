//! Unit tests of `markdown.rs`.

use super::*;

#[test]
fn markdown_becomes_html_with_headings_demoted() {
    let html = to_html("# Über uns\n\nWir sind **das Amt**.\n\n- a\n- b\n");
    let html = html.as_str();
    assert!(html.contains("<h2>Über uns</h2>"), "{html}");
    assert!(html.contains("<strong>das Amt</strong>"), "{html}");
    // A page that starts at `##` gets h2 too, and deeper levels follow.
    let deeper = to_html("## Datenschutz\n\ntext\n\n### Cookies\n\nkeine\n");
    let deeper = deeper.as_str();
    assert!(deeper.contains("<h2>Datenschutz</h2>"), "{deeper}");
    assert!(deeper.contains("<h3>Cookies</h3>"), "{deeper}");
    assert!(html.contains("<li>a</li>"), "{html}");
}

#[test]
fn raw_html_is_shown_as_text() {
    let html =
        to_html("Hallo <script>alert(1)</script>\n\n<iframe src=\"https://x.example\"></iframe>\n");
    let html = html.as_str();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<iframe"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn dangerous_links_lose_their_target() {
    let html = to_html(
        "[klick](javascript:alert(1)) [mail](mailto:presse@amt.example) [rel](/impressum/)",
    );
    let html = html.as_str();
    assert!(!html.contains("javascript:"), "{html}");
    assert!(
        html.contains("href=\"mailto:presse@amt.example\""),
        "{html}"
    );
    assert!(html.contains("href=\"/impressum/\""), "{html}");
}
