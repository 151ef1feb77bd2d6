//! Which feeds the site has: the site feed, one per hashtag (unless
//! `[feeds] tags = false`) and one per account when several accounts are
//! configured. Each is planned as a [`FeedPlan`] (its toots as indexes, so
//! its key needs no view), and becomes the [`FeedSpec`] that `feed.rs`,
//! `atom.rs` and `jsonfeed.rs` write in their format.

use super::feed::{FeedSpec, Format};
use super::keys::{Key, KeyHasher};
use super::theme::I18n;
use super::view::{Site, TootView};
use crate::config::{Handle, SiteConfig};
use crate::model::AccountData;
use crate::select::Selection;

/// What [`specs`] needs to decide the site's feeds.
pub struct SpecInput<'a> {
    pub config: &'a SiteConfig,
    pub base: &'a str,
    pub i18n: &'a I18n,
    pub site: &'a Site<'a>,
    pub accounts: &'a [AccountData],
    pub selection: &'a Selection<'a>,
}

/// One feed: a [`FeedSpec`] whose toots are indexes into the selection.
pub struct FeedPlan {
    pub dir: String,
    pub dir_url: String,
    pub title: String,
    pub description: String,
    pub home_url: String,
    pub image_url: Option<String>,
    pub language: String,
    /// Newest first, already limited to the configured length.
    pub toots: Vec<usize>,
}

impl FeedPlan {
    /// The feed to write, with the views `view` gives for its toots.
    pub fn spec<'v>(&self, view: impl Fn(usize) -> &'v TootView) -> FeedSpec<'v> {
        FeedSpec {
            dir: self.dir.clone(),
            dir_url: self.dir_url.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            home_url: self.home_url.clone(),
            image_url: self.image_url.clone(),
            language: self.language.clone(),
            toots: self.toots.iter().map(|&i| view(i)).collect(),
        }
    }

    /// The key of the feed in `format`, from its toots' keys (`toots.rs`).
    pub fn key(&self, format: Format, toot_keys: &[Key]) -> Key {
        // Destructured without `..`, so a new field cannot be left out.
        let FeedPlan {
            dir,
            dir_url,
            title,
            description,
            home_url,
            image_url,
            language,
            toots,
        } = self;
        let mut hash = KeyHasher::new(format.file_name());
        hash.value(dir)
            .value(dir_url)
            .value(title)
            .value(description)
            .value(home_url)
            .value(image_url)
            .value(language);
        for &i in toots {
            hash.bytes(&toot_keys[i]);
        }
        hash.key()
    }
}

/// Every feed of the site: the site feed, one per tag (unless
/// `[feeds] tags = false`), and one per account when there are several.
/// The site and account feeds list what the index lists (thread parts
/// belong to their first toot); a tag feed lists what its tag page lists.
pub fn specs(input: &SpecInput<'_>) -> Vec<FeedPlan> {
    let SpecInput {
        config,
        base,
        i18n,
        site,
        accounts,
        selection,
    } = *input;
    let limit = config.feeds.items.0;
    let listed =
        |indexes: &mut dyn Iterator<Item = usize>| -> Vec<usize> { indexes.take(limit).collect() };
    let avatar = |account: &AccountData| site.media_url(account.state.avatar.as_ref());
    let language = config.language.code().to_string();
    let mut out = vec![FeedPlan {
        dir: String::new(),
        dir_url: format!("{base}/"),
        title: config.title.clone(),
        description: if config.description.is_empty() {
            i18n.get("feed_description")
                .replace("{site}", &config.title)
        } else {
            config.description.clone()
        },
        home_url: format!("{base}/"),
        image_url: match accounts {
            [only] => avatar(only),
            _ => None,
        },
        language: language.clone(),
        toots: listed(&mut selection.listed.iter().copied()),
    }];
    if config.feeds.tags {
        for (slug, (name, indexes)) in &selection.tags {
            let url = site.tag_url(slug);
            out.push(FeedPlan {
                dir: format!("tags/{slug}/"),
                dir_url: url.clone(),
                title: format!("#{name} – {}", config.title),
                description: i18n
                    .get("tag_feed_description")
                    .replace("{tag}", name)
                    .replace("{site}", &config.title),
                home_url: url,
                image_url: None,
                language: language.clone(),
                toots: listed(&mut indexes.iter().copied()),
            });
        }
    }
    if accounts.len() > 1 {
        for account in accounts {
            let handle = &account.handle;
            let dir = account_feed_dir(handle);
            let name = if account.state.display_name.trim().is_empty() {
                handle.to_string()
            } else {
                account.state.display_name.trim().to_string()
            };
            let mine = selection
                .entries
                .iter()
                .enumerate()
                .filter(|(i, e)| {
                    e.account.handle == *handle && !selection.thread_root.contains_key(i)
                })
                .map(|(i, _)| i);
            out.push(FeedPlan {
                dir_url: format!("{base}/{dir}"),
                dir,
                title: format!("{name} – {}", config.title),
                description: i18n
                    .get("account_feed_description")
                    .replace("{account}", &handle.to_string())
                    .replace("{site}", &config.title),
                home_url: format!("{base}/"),
                image_url: avatar(account),
                language: language.clone(),
                toots: listed(&mut mine.into_iter()),
            });
        }
    }
    out
}

/// `accounts/<host>/<user>/`; a port's `:` becomes `_` to stay a portable
/// file name.
pub(crate) fn account_feed_dir(handle: &Handle) -> String {
    format!(
        "accounts/{}/{}/",
        handle.host.replace(':', "_"),
        handle.user
    )
}

#[cfg(test)]
mod tests;
