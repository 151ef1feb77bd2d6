//! Editorial Markdown pages: `content/pages/*.md`.
//!
//! Each file starts with TOML front matter between `+++` lines:
//!
//! ```text
//! +++
//! title = "Über diesen Kanal"
//! slug = "ueber-diesen-kanal"   # optional; default: the file name, made URL-safe
//! weight = 10                   # optional; order in the navigation, lowest first
//! draft = false                 # optional; drafts appear in `serve` only
//! +++
//! Markdown …
//! ```
//!
//! Every page becomes `<slug>/index.html` and a link in the navigation;
//! `_index.md` (front matter optional) is shown above the toot list on the
//! first home page instead. [`parse`] is pure; [`load`] only reads the folder.
//! The HTML comes from [`crate::markdown`]; `render/editorial.rs` puts the
//! pages into the navigation and renders them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::sanitize::SafeHtml;
use crate::store::Store;

/// First path segments the site itself uses; a page cannot take them.
const RESERVED: &[&str] = &[
    "toots",
    "tags",
    "page",
    "p",
    "archive",
    "media",
    "embed",
    "accounts",
    "feeds",
    "static",
    "__tootbridge",
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    draft: bool,
}

/// One editorial page.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub title: String,
    pub slug: String,
    pub weight: i64,
    pub draft: bool,
    pub content: SafeHtml,
    /// The Markdown file, for messages.
    #[serde(skip)]
    pub source: PathBuf,
}

/// Every page of the site, in navigation order, and the home page intro.
#[derive(Debug, Clone, Default)]
pub struct Pages {
    pub intro: Option<Page>,
    pub pages: Vec<Page>,
}

/// Splits front matter from the Markdown and parses it. `path` names the
/// file in messages; `needs_title` is false for `_index.md`.
pub(crate) fn parse(text: &str, path: &Path, needs_title: bool) -> Result<Page> {
    let error = |line: Option<usize>, message: String| Error::Config {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) =
        match split_front_matter(text) {
            Some(parts) => parts,
            None if !needs_title => ("", text),
            None => return Err(error(
                Some(1),
                "a page starts with front matter: a line `+++`, `title = \"…\"`, and another `+++`"
                    .into(),
            )),
        };
    let matter: FrontMatter = toml::from_str(front).map_err(|e| {
        // +1 for the opening `+++` line.
        let line = e.span().map(|s| front[..s.start].matches('\n').count() + 2);
        error(line, e.message().to_string())
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let title = matter.title.unwrap_or_default().trim().to_string();
    if needs_title && title.is_empty() {
        return Err(error(Some(2), "the front matter needs a `title`".into()));
    }
    let slug = match matter.slug {
        Some(slug) if valid_slug(&slug) => slug,
        Some(slug) => {
            return Err(error(
                None,
                format!("slug `{slug}` may only use a-z, 0-9 and inner `-`"),
            ))
        }
        None => slugify(&stem),
    };
    if needs_title && (slug.is_empty() || RESERVED.contains(&slug.as_str())) {
        return Err(error(
            None,
            format!("the page address `{slug}/` is taken by the site; set another `slug`"),
        ));
    }
    Ok(Page {
        title,
        slug,
        weight: matter.weight,
        draft: matter.draft,
        content: crate::markdown::to_html(body),
        source: path.to_path_buf(),
    })
}

fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 100
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A file name → a URL segment: lower case, German umlauts spelled out,
/// anything else that is not a letter or digit becomes one `-`.
pub(crate) fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    out.trim_end_matches('-').chars().take(100).collect()
}

/// Reads the store's `content/pages/`; drafts are kept only when `drafts`.
pub(crate) fn load(store: &Store, drafts: bool) -> Result<Pages> {
    let mut out = Pages::default();
    for file in store.read_pages()? {
        let (path, text) = (file.path, file.text);
        let is_intro = path.file_name().is_some_and(|n| n == "_index.md");
        let page = parse(&text, &path, !is_intro)?;
        if page.draft && !drafts {
            continue;
        }
        if is_intro {
            out.intro = Some(page);
        } else if let Some(other) = out.pages.iter().find(|p| p.slug == page.slug) {
            return Err(Error::Config {
                path: path.clone(),
                line: None,
                message: format!(
                    "slug `{}` is also used by {}; set another `slug`",
                    page.slug,
                    other.source.display()
                ),
            });
        } else {
            out.pages.push(page);
        }
    }
    out.pages
        .sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)));
    Ok(out)
}

#[cfg(test)]
mod tests;
