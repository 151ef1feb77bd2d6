//! `tootbridge check`: render the site without writing it and report what
//! editors and web teams should look at.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::render::{self, OutputFile};
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
    let pages = CountPages::default();
    let summary = prepared.render_selection(&selection, &pages)?;
    let accounts = &prepared.accounts;
    let mut report = CheckReport {
        accounts: accounts.len(),
        stored: accounts.iter().map(|a| a.toots.len()).sum(),
        published: summary.published,
        pages: pages.0.load(std::sync::atomic::Ordering::Relaxed),
        third_party: summary
            .warnings
            .iter()
            .filter(|w| w.starts_with("privacy: "))
            .count(),
        warnings: summary.warnings,
        ..Default::default()
    };
    report
        .warnings
        .extend(legal_link_warnings(&prepared.config));
    report.editorial = editorial::report(&prepared.config, accounts, &prepared.overrides, newest);
    let all_pages = pages::load(root, true)?;
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
    let toots_dir = prepared.store.content_dir().join("toots");
    if let Ok(hosts) = std::fs::read_dir(&toots_dir) {
        for host in hosts.flatten() {
            for user in std::fs::read_dir(host.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let key = (
                    host.file_name().to_string_lossy().to_string(),
                    user.file_name().to_string_lossy().to_string(),
                );
                if !configured.contains(&key) {
                    report.warnings.push(format!(
                        "{} holds toots of @{}@{}, which is not in [[accounts]]; they are not published",
                        user.path().display(),
                        key.1,
                        key.0
                    ));
                }
            }
        }
    }
    Ok(report)
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

/// A sink that only counts HTML pages (`check` writes nothing).
#[derive(Default)]
struct CountPages(std::sync::atomic::AtomicUsize);

impl render::Sink for CountPages {
    fn put(&self, file: OutputFile) -> Result<()> {
        if file.path.ends_with(".html") {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }
}
