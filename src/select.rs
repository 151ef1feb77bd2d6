//! Which stored toots are published, in which order, grouped how.
//!
//! Pure functions over the loaded store: the visibility rule (private and
//! direct never, whatever the config says), the reply, boost, tag, date and
//! language filters of `[select]`, thread assembly for self-replies, and the
//! tag index. Nothing here reads the disk or the clock.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::{Replies, Select};
use crate::model::{Toot, Visibility};
use crate::overrides::Overrides;
use crate::store::AccountData;

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
pub fn decide(
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
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;
    use crate::config::PublishedVisibility;
    use crate::model::{AccountState, Author, ReplyRef, SharedToot, Tag, SCHEMA_VERSION};

    fn toot(id: &str, minute: u32, visibility: Visibility) -> Toot {
        Toot {
            schema: SCHEMA_VERSION,
            id: id.into(),
            uri: format!("https://s.example/users/a/statuses/{id}"),
            url: None,
            created_at: format!("2026-01-01T10:{minute:02}:00Z").parse().unwrap(),
            edited_at: None,
            visibility,
            language: Some("de".into()),
            content: format!("<p>toot {id}</p>"),
            spoiler_text: String::new(),
            sensitive: false,
            pinned: false,
            media: vec![],
            poll: None,
            card: None,
            emojis: vec![],
            tags: vec![],
            mentions: vec![],
            in_reply_to: None,
            reblog: None,
            quote: None,
        }
    }

    fn account(toots: Vec<Toot>) -> AccountData {
        let mut state = AccountState::new("@a@s.example");
        state.id = Some("42".into());
        let handle = crate::config::Handle::try_from("@a@s.example".to_string()).unwrap();
        AccountData {
            handle,
            state,
            toots,
        }
    }

    fn ids(sel: &Selection, idx: &[usize]) -> Vec<String> {
        idx.iter()
            .map(|&i| sel.entries[i].toot.id.clone())
            .collect()
    }

    #[test]
    fn private_and_direct_never_pass_whatever_the_config() {
        let mut select = Select::default();
        // Even a config that somehow lists them cannot publish them.
        select.visibility = vec![
            PublishedVisibility(Visibility::Public),
            PublishedVisibility(Visibility::Private),
            PublishedVisibility(Visibility::Direct),
        ];
        let data = [account(vec![
            toot("1", 1, Visibility::Public),
            toot("2", 2, Visibility::Private),
            toot("3", 3, Visibility::Direct),
            toot("4", 4, Visibility::Unlisted),
        ])];
        let sel = super::select(&select, &data);
        assert_eq!(ids(&sel, &sel.listed), ["1"]);
        assert_eq!(sel.skipped.len(), 3);
    }

    #[test]
    fn unlisted_only_when_configured() {
        let mut select = Select::default();
        select
            .visibility
            .push(PublishedVisibility(Visibility::Unlisted));
        let data = [account(vec![
            toot("1", 1, Visibility::Public),
            toot("4", 4, Visibility::Unlisted),
        ])];
        let sel = super::select(&select, &data);
        assert_eq!(ids(&sel, &sel.listed), ["4", "1"]);
    }

    #[test]
    fn threads_replies_and_boosts() {
        let mut part2 = toot("11", 11, Visibility::Public);
        part2.in_reply_to = Some(ReplyRef {
            id: "10".into(),
            account_id: Some("42".into()),
            url: None,
        });
        let mut part3 = toot("12", 12, Visibility::Public);
        part3.in_reply_to = Some(ReplyRef {
            id: "11".into(),
            account_id: Some("42".into()),
            url: None,
        });
        let mut other = toot("20", 20, Visibility::Public);
        other.in_reply_to = Some(ReplyRef {
            id: "999".into(),
            account_id: Some("7".into()),
            url: None,
        });
        let mut boost = toot("30", 30, Visibility::Public);
        boost.reblog = Some(Box::new(SharedToot {
            author: Author {
                acct: "b@x.example".into(),
                display_name: "B".into(),
                url: "https://x.example/@b".into(),
                avatar: None,
                emojis: vec![],
            },
            toot: toot("77", 29, Visibility::Public),
        }));
        let data = [account(vec![
            toot("10", 10, Visibility::Public),
            part2,
            part3,
            other,
            boost,
        ])];

        let sel = super::select(&Select::default(), &data);
        assert_eq!(ids(&sel, &sel.listed), ["10"]);
        let root = sel.listed[0];
        assert_eq!(ids(&sel, &sel.threads[&root]), ["11", "12"]);
        assert_eq!(
            sel.skipped.iter().map(|s| s.1.clone()).collect::<Vec<_>>(),
            [Skip::Reply, Skip::Boost]
        );

        let mut select = Select::default();
        select.replies = Replies::All;
        select.boosts = true;
        let sel = super::select(&select, &data);
        assert_eq!(ids(&sel, &sel.listed), ["30", "20", "10"]);

        select.replies = Replies::None;
        let sel = super::select(&select, &data);
        assert_eq!(ids(&sel, &sel.listed), ["30", "10"]);
    }

    #[test]
    fn tag_filters_and_tag_index() {
        let mut a = toot("1", 1, Visibility::Public);
        a.tags = vec![
            Tag {
                name: "OpenData".into(),
            },
            Tag {
                name: "../x".into(),
            },
        ];
        let mut b = toot("2", 2, Visibility::Public);
        b.tags = vec![
            Tag {
                name: "opendata".into(),
            },
            Tag {
                name: "Intern".into(),
            },
        ];
        let data = [account(vec![a, b])];
        let sel = super::select(&Select::default(), &data);
        assert_eq!(sel.tags.keys().collect::<Vec<_>>(), ["intern", "opendata"]);
        assert_eq!(ids(&sel, &sel.tags["opendata"].1), ["2", "1"]);

        let mut select = Select::default();
        select.exclude_tags = vec!["intern".into()];
        let sel = super::select(&select, &data);
        assert_eq!(ids(&sel, &sel.listed), ["1"]);
        select.exclude_tags.clear();
        select.include_tags = vec!["INTERN".into()];
        let sel = super::select(&select, &data);
        assert_eq!(ids(&sel, &sel.listed), ["2"]);
    }

    #[test]
    fn tag_slugs_refuse_path_characters() {
        assert_eq!(tag_slug("Bürgerservice").as_deref(), Some("bürgerservice"));
        for bad in ["", "a/b", "..", "a.b", "a b", "a%2F"] {
            assert_eq!(tag_slug(bad), None, "{bad}");
        }
    }

    #[test]
    fn since_and_languages() {
        let mut old = toot("1", 1, Visibility::Public);
        old.created_at = "2023-12-31T22:00:00Z".parse().unwrap();
        // 00:30 on New Year's Day in Berlin is still 2023 in UTC.
        let mut new_year = toot("5", 5, Visibility::Public);
        new_year.created_at = "2023-12-31T23:30:00Z".parse().unwrap();
        let mut english = toot("2", 2, Visibility::Public);
        english.language = Some("EN".into());
        let mut unknown = toot("3", 3, Visibility::Public);
        unknown.language = None;
        let data = [account(vec![
            old,
            new_year,
            english,
            unknown,
            toot("4", 4, Visibility::Public),
        ])];

        let mut select = Select::default();
        select.since = chrono::NaiveDate::from_ymd_opt(2024, 1, 1);
        let sel = super::select(&select, &data);
        assert_eq!(ids(&sel, &sel.listed), ["4", "3", "2", "5"]);
        assert_eq!(sel.skipped, [("1".to_string(), Skip::BeforeSince)]);

        let mut select = Select::default();
        select.languages = vec!["en".into()];
        let sel = super::select(&select, &data);
        assert_eq!(ids(&sel, &sel.listed), ["2"]);
        select.languages = vec!["de".into(), "en".into()];
        let sel = super::select(&select, &data);
        // A toot without a language passes no language filter.
        assert_eq!(ids(&sel, &sel.listed), ["4", "2", "5", "1"]);
    }

    #[test]
    fn overrides_hide_and_pin() {
        let data = [account(vec![
            toot("1", 1, Visibility::Public),
            toot("2", 2, Visibility::Public),
            toot("3", 3, Visibility::Public),
            toot("9", 9, Visibility::Private),
        ])];
        let overrides = Overrides {
            hide: ["2".to_string(), "9".to_string()].into(),
            pin: vec!["1".into(), "2".into(), "404".into()],
            ..Default::default()
        };
        let sel = select_with(&Select::default(), &data, &overrides);
        assert_eq!(ids(&sel, &sel.listed), ["3", "1"]);
        assert_eq!(ids(&sel, &sel.home_order()), ["1", "3"]);
        // The rules' reason wins over the override.
        assert!(sel.skipped.contains(&("2".to_string(), Skip::Hidden)));
        assert!(sel
            .skipped
            .contains(&("9".to_string(), Skip::Visibility(Visibility::Private))));
    }

    #[test]
    fn mastodon_pins_follow_the_editors_pins() {
        let mut a = toot("1", 1, Visibility::Public);
        a.pinned = true;
        let mut b = toot("2", 2, Visibility::Public);
        b.pinned = true;
        let data = [account(vec![
            a,
            b,
            toot("3", 3, Visibility::Public),
            toot("4", 4, Visibility::Public),
        ])];
        let overrides = Overrides {
            pin: vec!["3".into(), "2".into()],
            ..Default::default()
        };
        let sel = select_with(&Select::default(), &data, &overrides);
        assert_eq!(ids(&sel, &sel.home_order()), ["3", "2", "1", "4"]);
        let sel = super::select(&Select::default(), &data);
        assert_eq!(ids(&sel, &sel.home_order()), ["2", "1", "4", "3"]);
    }
}
