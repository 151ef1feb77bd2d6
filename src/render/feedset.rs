//! Which feeds the site has: the site feed, one per hashtag (unless
//! `[feeds] tags = false`) and one per account when several accounts are
//! configured. Each becomes a [`FeedSpec`] that `feed.rs`, `atom.rs` and
//! `jsonfeed.rs` write in their format.

use super::feed::FeedSpec;
use super::theme::I18n;
use super::view::{Site, TootView};
use crate::config::{Handle, SiteConfig};
use crate::select::Selection;
use crate::store::AccountData;

/// What [`specs`] needs to decide the site's feeds.
pub struct SpecInput<'a, 'v> {
    pub config: &'a SiteConfig,
    pub base: &'a str,
    pub i18n: &'a I18n,
    pub site: &'a Site<'a>,
    pub accounts: &'a [AccountData],
    pub selection: &'a Selection<'a>,
    pub views: &'v [TootView],
}

/// Every feed of the site: the site feed, one per tag (unless
/// `[feeds] tags = false`), and one per account when there are several.
/// The site and account feeds list what the index lists (thread parts
/// belong to their first toot); a tag feed lists what its tag page lists.
pub fn specs<'v>(input: &SpecInput<'_, 'v>) -> Vec<FeedSpec<'v>> {
    let SpecInput {
        config,
        base,
        i18n,
        site,
        accounts,
        selection,
        views,
    } = *input;
    let limit = config.feeds.items.0;
    let listed = |indexes: &mut dyn Iterator<Item = usize>| -> Vec<&'v TootView> {
        indexes.map(|i| &views[i]).take(limit).collect()
    };
    let avatar = |account: &AccountData| site.media_url(account.state.avatar.as_ref());
    let language = config.language.code().to_string();
    let mut out = vec![FeedSpec {
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
            out.push(FeedSpec {
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
            out.push(FeedSpec {
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
pub fn account_feed_dir(handle: &Handle) -> String {
    format!(
        "accounts/{}/{}/",
        handle.host.replace(':', "_"),
        handle.user
    )
}

#[cfg(test)]
mod tests;
