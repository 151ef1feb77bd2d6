//! The editorial part of `tootbridge check`: what the rules and the press
//! office's overrides leave out (with the reason), the newest toots that
//! would be published, and overrides that name an unknown toot or have no
//! effect. A pure function of the loaded config, store and overrides.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::config::SiteConfig;
use crate::model::{AccountData, Toot};
use crate::overrides::Overrides;
use crate::select::{self, Skip};

/// One toot in the report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportedToot {
    pub id: String,
    /// Creation time in the site's time zone, `YYYY-MM-DD HH:MM`.
    pub date: String,
    /// The custom title, else the content warning or the start of the text.
    pub excerpt: String,
    /// Why it is left out (hidden toots), or `pinned` (published toots).
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EditorialReport {
    /// Left out by site.toml: visibility, `[select]` filters.
    pub hidden_by_rules: Vec<ReportedToot>,
    /// Left out by `hide` in content/overrides.toml.
    pub hidden_by_override: Vec<ReportedToot>,
    /// The newest published toots, newest first.
    pub newest: Vec<ReportedToot>,
    /// Ids in overrides.toml that name no stored toot (with the keys).
    pub unknown_ids: Vec<String>,
    /// Overrides that name a stored toot but change nothing, and why.
    pub ineffective: Vec<String>,
    /// Markdown pages with `draft = true` (shown by `serve` only).
    pub drafts: Vec<String>,
}

/// Ids in overrides.toml that name no stored toot of a configured account,
/// each with the keys that name it, as one line for a report or warning.
pub(crate) fn unknown_ids(accounts: &[AccountData], overrides: &Overrides) -> Vec<String> {
    let stored: HashSet<&str> = accounts
        .iter()
        .flat_map(|a| a.toots.iter().map(|t| t.id.as_str()))
        .collect();
    overrides
        .referenced()
        .into_iter()
        .filter(|(id, _)| !stored.contains(id))
        .map(|(id, keys)| {
            format!(
                "{id} (in {}) is not a stored toot of any configured account",
                keys.join(", ")
            )
        })
        .collect()
}

/// Builds the report; `newest` is how many published toots to list.
pub(crate) fn report(
    config: &SiteConfig,
    accounts: &[AccountData],
    overrides: &Overrides,
    newest: usize,
) -> EditorialReport {
    let selection = select::select_with(&config.select, accounts, overrides);
    let toots: HashMap<&str, &Toot> = accounts
        .iter()
        .flat_map(|a| a.toots.iter().map(|t| (t.id.as_str(), t)))
        .collect();
    let tz = config.timezone.0;
    let reported = |toot: &Toot, note: String| ReportedToot {
        id: toot.id.clone(),
        date: toot
            .created_at
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        excerpt: overrides
            .titles
            .get(&toot.id)
            .cloned()
            .unwrap_or_else(|| excerpt(toot)),
        note,
    };

    let mut out = EditorialReport::default();
    let skipped: HashMap<&str, &Skip> = selection
        .skipped
        .iter()
        .map(|(id, skip)| (id.as_str(), skip))
        .collect();
    for (id, skip) in &selection.skipped {
        let Some(toot) = toots.get(id.as_str()) else {
            continue;
        };
        let entry = reported(toot, skip.to_string());
        if *skip == Skip::Hidden {
            out.hidden_by_override.push(entry);
        } else {
            out.hidden_by_rules.push(entry);
        }
    }
    for list in [&mut out.hidden_by_rules, &mut out.hidden_by_override] {
        list.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    }
    let pinned: HashSet<usize> = selection.pinned.iter().copied().collect();
    out.newest = selection
        .entries
        .iter()
        .enumerate()
        .take(newest)
        .map(|(i, e)| {
            let note = if pinned.contains(&i) { "pinned" } else { "" };
            reported(e.toot, note.to_string())
        })
        .collect();

    let listed: HashSet<&str> = selection
        .listed
        .iter()
        .map(|&i| selection.entries[i].toot.id.as_str())
        .collect();
    out.unknown_ids = unknown_ids(accounts, overrides);
    for (id, keys) in overrides.referenced() {
        if !toots.contains_key(id) {
            continue;
        }
        match skipped.get(id) {
            Some(Skip::Hidden) => {
                let useless: Vec<&str> = keys.iter().copied().filter(|k| *k != "hide").collect();
                if !useless.is_empty() {
                    out.ineffective.push(format!(
                        "{id}: {} has no effect, the toot is hidden",
                        useless.join(", ")
                    ));
                }
            }
            Some(skip) => out.ineffective.push(format!(
                "{id}: {} has no effect, the rules already leave it out ({skip})",
                keys.join(", ")
            )),
            None if keys.contains(&"pin") && !listed.contains(id) => out.ineffective.push(format!(
                "{id}: pin has no effect on a later part of a thread; pin its first toot"
            )),
            None => {}
        }
    }
    out
}

/// The content warning or the start of the visible text, at most ~70 characters.
fn excerpt(toot: &Toot) -> String {
    let shown = toot.reblog.as_deref().map(|s| &s.toot).unwrap_or(toot);
    // Check output ends up in CI logs: never quote a non-public toot.
    if !toot.visibility.is_storable() || !shown.visibility.is_storable() {
        return "(text not shown: not a public toot)".to_string();
    }
    let text = if shown.spoiler_text.trim().is_empty() {
        crate::sanitize::plain_text(&shown.content)
    } else {
        shown.spoiler_text.clone()
    };
    let text = crate::render::view::truncate_words(&text, 70);
    if text.is_empty() {
        "(no text)".to_string()
    } else {
        text
    }
}

impl std::fmt::Display for ReportedToot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.id, self.date, self.excerpt)?;
        if !self.note.is_empty() {
            write!(f, " [{}]", self.note)?;
        }
        Ok(())
    }
}
