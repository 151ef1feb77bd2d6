//! `tootbridge check`: render the site without writing it and report what
//! editors and web teams should look at. Every warning is one line in
//! [`CheckReport::strict_findings`], which `check --strict` fails on.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Serialize;

use crate::error::Result;
use crate::render::{self, Body, OutputFile};
use crate::{editorial, pages, Prepared, RenderOptions};

/// What `check` found.
#[derive(Debug, Default, Serialize)]
pub struct CheckReport {
    pub accounts: usize,
    pub stored: usize,
    pub published: usize,
    pub pages: usize,
    pub without_alt: Vec<String>,
    /// References that make a browser load from another host (each is also
    /// a warning; with `strict_privacy = true` there are none, or `check` fails).
    pub third_party: usize,
    pub warnings: Vec<String>,
    pub editorial: editorial::EditorialReport,
}

/// `tootbridge check`: config, theme, store and templates, without writing.
pub fn check(root: &Path) -> Result<CheckReport> {
    check_with(root, 10)
}

/// [`check`], listing the `newest` toots that would be published.
pub fn check_with(root: &Path, newest: usize) -> Result<CheckReport> {
    let prepared = Prepared::load(root, &RenderOptions::default())?;
    let selection = prepared.select();
    let pages = Inventory::default();
    let summary = prepared.render_selection(&selection, &pages)?;
    let missing_in_css = missing_stylesheet_files(
        &pages
            .stylesheets
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
        &pages.paths.into_inner().unwrap_or_else(|e| e.into_inner()),
        prepared.config.base_url.trimmed(),
    );
    let accounts = &prepared.accounts;
    let mut report = CheckReport {
        accounts: accounts.len(),
        stored: accounts.iter().map(|a| a.toots.len()).sum(),
        published: summary.published,
        pages: pages.pages.load(Ordering::Relaxed),
        third_party: summary
            .warnings
            .iter()
            .filter(|w| w.starts_with("privacy: "))
            .count(),
        warnings: summary.warnings,
        ..Default::default()
    };
    report.warnings.extend(missing_in_css);
    report
        .warnings
        .extend(legal_link_warnings(&prepared.config));
    report.editorial = editorial::report(&prepared.config, accounts, &prepared.overrides, newest);
    let all_pages = pages::load(&prepared.store, true)?;
    report.editorial.drafts = all_pages
        .intro
        .iter()
        .chain(&all_pages.pages)
        .filter(|p| p.draft)
        .map(|p| p.source.display().to_string())
        .collect();
    for entry in &selection.entries {
        let missing = entry
            .shown()
            .media
            .iter()
            .filter(|m| m.description.as_deref().is_none_or(|d| d.trim().is_empty()))
            .count();
        if missing > 0 {
            report.without_alt.push(format!(
                "toot {}: {missing} of {} attachment(s) without alt text",
                entry.toot.id,
                entry.shown().media.len()
            ));
        }
    }
    let configured: HashSet<(String, String)> = prepared
        .config
        .accounts
        .iter()
        .map(|a| (a.handle.host.clone(), a.handle.user.clone()))
        .collect();
    for stored in prepared.store.stored_accounts() {
        if !configured.contains(&(stored.host.clone(), stored.user.clone())) {
            report.warnings.push(format!(
                "{} holds toots of @{}@{}, which is not in [[accounts]]; they are not published",
                stored.path.display(),
                stored.user,
                stored.host
            ));
        }
    }
    Ok(report)
}

impl CheckReport {
    /// Every warning, one line each: toots without alt text, media not
    /// mirrored, stylesheet references to missing files, privacy findings,
    /// store folders of unconfigured accounts, overrides naming unknown
    /// toots. `check --strict` fails when there is any.
    pub fn strict_findings(&self) -> Vec<String> {
        let mut lines = self.without_alt.clone();
        lines.extend(self.warnings.iter().cloned());
        lines.extend(
            self.editorial
                .ineffective
                .iter()
                .map(|line| format!("content/overrides.toml: toot {line}")),
        );
        lines
    }
}

/// The links a German public website must reach from every page (the
/// facts are in docs/accessibility-statement.md): on a `de` site, one
/// warning for each of imprint (§ 5 DDG), privacy notice (Art. 13 GDPR) and
/// accessibility statement (§ 7 BITV 2.0) that `[links]` leaves out (the
/// last is also met by `[accessibility_statement]`). Other languages: none,
/// since the site may serve another jurisdiction.
pub(crate) fn legal_link_warnings(config: &crate::config::SiteConfig) -> Vec<String> {
    if config.language.code() != "de" {
        return Vec::new();
    }
    let links = &config.links;
    let has_statement = config.accessibility_statement.is_some();
    [
        (
            links.imprint.is_some(),
            "imprint",
            "the Impressum (§ 5 DDG)",
        ),
        (
            links.privacy.is_some(),
            "privacy",
            "the Datenschutzerklärung (Art. 13 GDPR)",
        ),
        (
            links.accessibility.is_some() || has_statement,
            "accessibility",
            "the Erklärung zur Barrierefreiheit (§ 7 BITV 2.0; or add [accessibility_statement])",
        ),
    ]
    .into_iter()
    .filter(|(set, _, _)| !set)
    .map(|(_, key, what)| {
        format!(
            "{}: [links] `{key}` is not set; a German public website links {what} from every page",
            crate::config::FILE_NAME
        )
    })
    .collect()
}

/// What a render would write, without writing it (`check` writes nothing):
/// the number of HTML pages, every path, and the stylesheets' text.
#[derive(Default)]
struct Inventory {
    pages: AtomicUsize,
    paths: Mutex<HashSet<String>>,
    stylesheets: Mutex<Vec<(String, String)>>,
}

impl render::Sink for Inventory {
    fn put(&self, file: OutputFile) -> Result<()> {
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        if let (true, Body::Bytes(bytes)) = (file.path.ends_with(".css"), &file.body) {
            let css = String::from_utf8_lossy(bytes).into_owned();
            let mut sheets = self.stylesheets.lock().unwrap_or_else(|e| e.into_inner());
            sheets.push((file.path.clone(), css));
        }
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.insert(file.path);
        Ok(())
    }
}

/// One warning per file that a stylesheet of the site loads from the site
/// itself (`url(logo.svg)`, `@import "x.css"`) but that the build does not
/// write: a theme edit that forgot to add the file. References to other
/// hosts are the privacy check's; `data:` URIs need no file.
fn missing_stylesheet_files(
    sheets: &[(String, String)],
    paths: &HashSet<String>,
    base: &str,
) -> Vec<String> {
    let Ok(site) = url::Url::parse(&format!("{base}/")) else {
        return Vec::new();
    };
    let mut sorted: Vec<&(String, String)> = sheets.iter().collect();
    sorted.sort();
    let mut out = Vec::new();
    for (sheet, css) in sorted {
        let Ok(sheet_url) = site.join(sheet) else {
            continue;
        };
        for reference in crate::privacy::css_loads(&without_comments(css)) {
            if reference.starts_with("data:") || reference.starts_with('#') {
                continue;
            }
            let Ok(target) = sheet_url.join(&reference) else {
                continue;
            };
            if target.origin() != site.origin() {
                continue;
            }
            let Some(rel) = target.path().strip_prefix(site.path()) else {
                continue;
            };
            let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
            let found = paths.contains(rel.as_ref())
                || (rel.is_empty() || rel.ends_with('/'))
                    && paths.contains(&format!("{rel}index.html"));
            if !found {
                out.push(format!(
                    "{sheet} loads {reference}, but the site has no file {rel}"
                ));
            }
        }
    }
    out
}

/// `css` with its comments blanked out: the built-in theme documents
/// `url("logo.svg")` in a comment, which loads nothing. (The privacy scan
/// keeps comments: there, erring on the side of a report is right.)
fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    out.extend(chars.next());
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '/' && chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for inner in chars.by_ref() {
                    if last == '*' && inner == '/' {
                        break;
                    }
                    last = inner;
                }
                out.push(' ');
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
