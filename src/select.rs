//! Which stored toots are published, in which order, grouped how.
//!
//! Pure functions over the loaded store: the visibility rule (private and
//! direct never, whatever the config says), the reply, boost, tag, date and
//! language filters of `[select]`, thread assembly for self-replies, and the
//! tag index. Nothing here reads the disk or the clock.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::{Replies, Select};
use crate::model::{AccountData, Toot, Visibility};
use crate::overrides::Overrides;

/// Why a stored toot is not published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Visibility(Visibility),
    Reply,
    Boost,
    MissingIncludedTag,
    ExcludedTag(String),
    BeforeSince,
    Language,
    /// Listed in `hide` in content/overrides.toml.
    Hidden,
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Visibility(v) => write!(f, "visibility is {}", v.as_str()),
            Skip::Reply => write!(f, "reply, and [select] replies does not include it"),
            Skip::Boost => write!(f, "boost, and [select] boosts = false"),
            Skip::MissingIncludedTag => write!(f, "carries none of [select] include_tags"),
            Skip::ExcludedTag(tag) => write!(f, "carries excluded tag #{tag}"),
            Skip::BeforeSince => write!(f, "older than [select] since"),
            Skip::Language => write!(f, "language not in [select] languages"),
            Skip::Hidden => write!(f, "hidden in content/overrides.toml"),
        }
    }
}

/// A published toot and the account it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub account: &'a AccountData,
    pub toot: &'a Toot,
}

impl Entry<'_> {
    /// The toot whose content is shown: the boosted one for a boost.
    pub fn shown(&self) -> &Toot {
        self.toot
            .reblog
            .as_deref()
            .map(|shared| &shared.toot)
            .unwrap_or(self.toot)
    }
}

/// The published part of the store.
#[derive(Debug, Default)]
pub struct Selection<'a> {
    /// Every published toot, newest first.
    pub entries: Vec<Entry<'a>>,
    /// What appears in lists: published toots that are not a later part of a
    /// self-reply thread whose earlier part is published too. Newest first.
    pub listed: Vec<usize>,
    /// Thread root index → the later parts' indexes, oldest first.
    pub threads: HashMap<usize, Vec<usize>>,
    /// Index of a later thread part → its root's index.
    pub thread_root: HashMap<usize, usize>,
    /// Tag slug → (display name, indexes into `entries`, newest first).
    pub tags: BTreeMap<String, (String, Vec<usize>)>,
    /// Toots left out and why (toot id, reason).
    pub skipped: Vec<(String, Skip)>,
    /// Listed toots pinned in content/overrides.toml, in pin order, then
    /// those pinned on Mastodon, newest first; the home
    /// page shows them first.
    pub pinned: Vec<usize>,
}

impl Selection<'_> {
    /// The home page's order: pinned toots, then the others newest first.
    pub fn home_order(&self) -> Vec<usize> {
        let mut out = self.pinned.clone();
        out.extend(self.listed.iter().filter(|i| !self.pinned.contains(i)));
        out
    }
}

/// Decides whether one toot is published. `own_ids` are the ids of the
/// account's stored toots, to tell self-replies from replies to others.
pub(crate) fn decide(
    select: &Select,
    toot: &Toot,
    account_id: Option<&str>,
    own_ids: &HashSet<&str>,
) -> Result<(), Skip> {
    // The rule that is never broken comes first and does not depend on config.
    if !toot.visibility.is_storable() || !select.visibility.iter().any(|v| v.0 == toot.visibility) {
        return Err(Skip::Visibility(toot.visibility));
    }
    if let Some(shared) = &toot.reblog {
        if !shared.toot.visibility.is_storable() {
            return Err(Skip::Visibility(shared.toot.visibility));
        }
        if !select.boosts {
            return Err(Skip::Boost);
        }
    }
    if let Some(reply) = &toot.in_reply_to {
        let own = own_ids.contains(reply.id.as_str())
            || (account_id.is_some() && reply.account_id.as_deref() == account_id);
        let allowed = match select.replies {
            Replies::None => false,
            Replies::OwnThreads => own,
            Replies::All => true,
        };
        if !allowed {
            return Err(Skip::Reply);
        }
    }
    let shown = toot.reblog.as_deref().map(|s| &s.toot).unwrap_or(toot);
    let has_tag = |wanted: &str| {
        let wanted = wanted.to_lowercase();
        shown.tags.iter().any(|t| t.name.to_lowercase() == wanted)
    };
    if !select.include_tags.is_empty() && !select.include_tags.iter().any(|t| has_tag(t)) {
        return Err(Skip::MissingIncludedTag);
    }
    if let Some(tag) = select.exclude_tags.iter().find(|t| has_tag(t)) {
        return Err(Skip::ExcludedTag(tag.clone()));
    }
    if let Some(since) = select.since {
        if toot
            .created_at
            .with_timezone(&select.timezone.0)
            .date_naive()
            < since
        {
            return Err(Skip::BeforeSince);
        }
    }
    if !select.languages.is_empty() {
        let lang = shown.language.as_deref().unwrap_or("");
        if !select
            .languages
            .iter()
            .any(|l| l.eq_ignore_ascii_case(lang))
        {
            return Err(Skip::Language);
        }
    }
    Ok(())
}

/// Applies [`decide`] to every account's toots and assembles lists, threads
/// and tags.
pub fn select<'a>(select: &Select, accounts: &'a [AccountData]) -> Selection<'a> {
    select_with(select, accounts, &Overrides::default())
}

/// [`select`] with the editorial overrides: hidden toots are skipped (after
/// the rules, so a toot the rules drop anyway keeps that reason) and pinned
/// ones are noted for the home page.
pub fn select_with<'a>(
    select: &Select,
    accounts: &'a [AccountData],
    overrides: &Overrides,
) -> Selection<'a> {
    let mut out = Selection::default();
    for account in accounts {
        let own_ids: HashSet<&str> = account.toots.iter().map(|t| t.id.as_str()).collect();
        for toot in &account.toots {
            let decision =
                decide(select, toot, account.state.id.as_deref(), &own_ids).and_then(|()| {
                    match overrides.hide.contains(&toot.id) {
                        true => Err(Skip::Hidden),
                        false => Ok(()),
                    }
                });
            match decision {
                Ok(()) => out.entries.push(Entry { account, toot }),
                Err(skip) => out.skipped.push((toot.id.clone(), skip)),
            }
        }
    }
    out.entries.sort_by(|a, b| {
        b.toot
            .created_at
            .cmp(&a.toot.created_at)
            .then_with(|| crate::model::compare_ids(&b.toot.id, &a.toot.id))
            .then_with(|| b.account.state.handle.cmp(&a.account.state.handle))
    });
    assemble_threads(&mut out);
    assemble_tags(&mut out);
    out.pinned = overrides
        .pin
        .iter()
        .filter_map(|id| {
            out.listed
                .iter()
                .copied()
                .find(|&i| &out.entries[i].toot.id == id)
        })
        .collect();
    // Toots pinned on Mastodon follow the editors' pins, newest first, as on
    // the account's profile.
    let mastodon_pins: Vec<usize> = out
        .listed
        .iter()
        .copied()
        .filter(|&i| out.entries[i].toot.pinned && !out.pinned.contains(&i))
        .collect();
    out.pinned.extend(mastodon_pins);
    out
}

fn assemble_threads(out: &mut Selection<'_>) {
    // (account handle, toot id) → index, so accounts cannot mix threads.
    let index: HashMap<(&str, &str), usize> = out
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.account.state.handle.as_str(), e.toot.id.as_str()), i))
        .collect();
    let parent_of = |i: usize| -> Option<usize> {
        let e = &out.entries[i];
        let reply = e.toot.in_reply_to.as_ref()?;
        index
            .get(&(e.account.state.handle.as_str(), reply.id.as_str()))
            .copied()
    };
    for i in 0..out.entries.len() {
        // Walk up to the root; the bound guards against a hand-made cycle.
        let mut root = i;
        let mut steps = 0;
        while let Some(parent) = parent_of(root) {
            root = parent;
            steps += 1;
            if steps > out.entries.len() {
                root = i;
                break;
            }
        }
        if root != i {
            out.thread_root.insert(i, root);
            out.threads.entry(root).or_default().push(i);
        } else {
            out.listed.push(i);
        }
    }
    for parts in out.threads.values_mut() {
        // Entries are newest first, so a higher index is older.
        parts.sort_by(|a, b| b.cmp(a));
    }
}

fn assemble_tags(out: &mut Selection<'_>) {
    for (i, entry) in out.entries.iter().enumerate() {
        let mut seen = HashSet::new();
        for tag in &entry.shown().tags {
            let Some(slug) = tag_slug(&tag.name) else {
                continue;
            };
            if !seen.insert(slug.clone()) {
                continue;
            }
            out.tags
                .entry(slug)
                .or_insert_with(|| (tag.name.clone(), Vec::new()))
                .1
                .push(i);
        }
    }
}

/// The folder name of a tag's page: the tag lower-cased, when it consists of
/// letters, digits and `_` only (as Mastodon's own tags do). Anything else
/// (`/`, `.`, spaces) could escape the output folder and gets no page.
pub fn tag_slug(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name.chars().count() <= 100
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    ok.then(|| name.to_lowercase())
}

#[cfg(test)]
mod tests;
