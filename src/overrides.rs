//! `content/overrides.toml`: the press office's decisions per toot.
//!
//! ```toml
//! hide = ["113786132889627670"]          # never published (withdrawn from the website)
//! pin = ["117677909606452303"]           # shown first on the home page, in this order
//!
//! [titles]                               # replaces the title derived from the text
//! 115213389004820300 = "Neues Serviceportal ist online"
//!
//! [notes]                                # Markdown, shown under the toot
//! 114148343808062635 = "**Korrektur:** Die Frist endet am 30. Juni."
//! ```
//!
//! [`parse`] is pure and validates; [`load`] reads the file (a missing file
//! means no overrides). Hiding and pin order are applied by `select.rs`;
//! titles, notes and the pin marker by `render/editorial.rs` on the
//! rendered views. Ids are checked for shape here; ids that name no stored toot are
//! reported by `check`, not refused, so a toot deleted on Mastodon does not
//! break the build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverrides {
    #[serde(default)]
    hide: Vec<String>,
    #[serde(default)]
    pin: Vec<String>,
    #[serde(default)]
    titles: BTreeMap<String, String>,
    #[serde(default)]
    notes: BTreeMap<String, String>,
}

/// The editorial decisions, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Ids of toots never published.
    pub hide: BTreeSet<String>,
    /// Ids shown first on the home page, in this order (no duplicates).
    pub pin: Vec<String>,
    /// Id → title replacing the derived one.
    pub titles: BTreeMap<String, String>,
    /// Id → editorial note in Markdown.
    pub notes: BTreeMap<String, String>,
}

impl Overrides {
    /// Every id the file names, with the keys that name it (for reports).
    pub fn referenced(&self) -> BTreeMap<&str, Vec<&'static str>> {
        let mut out: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
        for id in &self.hide {
            out.entry(id).or_default().push("hide");
        }
        for id in &self.pin {
            out.entry(id).or_default().push("pin");
        }
        for id in self.titles.keys() {
            out.entry(id).or_default().push("titles");
        }
        for id in self.notes.keys() {
            out.entry(id).or_default().push("notes");
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self == &Overrides::default()
    }
}

/// Parses and validates the text of overrides.toml; `path` is for messages.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Overrides> {
    let error = |line: Option<usize>, message: String| Error::Config {
        path: path.to_path_buf(),
        line,
        message,
    };
    let raw: RawOverrides = toml::from_str(text).map_err(|e| {
        error(
            e.span().map(|s| text[..s.start].matches('\n').count() + 1),
            e.message().to_string(),
        )
    })?;
    // The line of the first mention of an id, so a bad value can be found.
    let line_of = |needle: &str| {
        text.find(needle)
            .map(|at| text[..at].matches('\n').count() + 1)
    };
    let ids = raw
        .hide
        .iter()
        .chain(&raw.pin)
        .chain(raw.titles.keys())
        .chain(raw.notes.keys());
    for id in ids {
        if !crate::model::is_safe_id(id) {
            return Err(error(
                line_of(id),
                format!("`{id}` is not a toot id (the number at the end of the toot's address)"),
            ));
        }
    }
    for (id, title) in &raw.titles {
        if title.trim().is_empty() {
            return Err(error(
                line_of(id),
                format!("[titles] {id}: the title must not be empty (remove the line to use the derived title)"),
            ));
        }
    }
    if let Some(id) = raw.pin.iter().find(|id| raw.hide.contains(id)) {
        return Err(error(
            line_of(id),
            format!("toot {id} is both in `hide` and in `pin`; decide for one"),
        ));
    }
    let mut pin = Vec::new();
    for id in raw.pin {
        if !pin.contains(&id) {
            pin.push(id);
        }
    }
    Ok(Overrides {
        hide: raw.hide.into_iter().collect(),
        pin,
        titles: raw
            .titles
            .into_iter()
            .map(|(id, title)| (id, title.trim().to_string()))
            .collect(),
        notes: raw.notes,
    })
}

/// Reads the store's `content/overrides.toml`; no file means no overrides.
pub(crate) fn load(store: &crate::store::Store) -> Result<Overrides> {
    match store.read_overrides()? {
        Some(file) => parse(&file.text, &file.path),
        None => Ok(Overrides::default()),
    }
}

#[cfg(test)]
mod tests;
