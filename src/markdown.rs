//! The editors' Markdown (pages in `content/pages/`, notes in
//! `content/overrides.toml`) → [`SafeHtml`].
//!
//! Editorial Markdown is trusted like site.toml, but it is still typed by
//! people who may paste from a CMS, so raw HTML is not passed through: an
//! HTML block or inline tag is shown as text. Headings are shifted so the
//! highest one becomes an `<h2>` (a page starting with `##` gets no gap
//! after the page's own `<h1>`), because the page or toot around the
//! Markdown owns the `<h1>`. The result
//! then goes through [`sanitize::clean_editorial`] as a second lock (link
//! schemes, attributes).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::sanitize::{self, SafeHtml};

/// Renders Markdown (CommonMark with tables and strikethrough) to safe HTML.
pub(crate) fn to_html(markdown: &str) -> SafeHtml {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options).collect();
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    // Level n moves to n - top + 2: the highest heading becomes h2.
    let shift = |level: HeadingLevel| level_of((level as usize + 2).saturating_sub(top));
    let events = events.into_iter().map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize::clean_editorial(&html)
}

fn level_of(n: usize) -> HeadingLevel {
    match n {
        0..=2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests;
