//! Unit tests of `select.rs`.

#![allow(clippy::field_reassign_with_default)]

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
        title: None,
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

fn ids(sel: &Selection<'_>, idx: &[usize]) -> Vec<String> {
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
    part2.in_reply_to = Some(Box::new(ReplyRef {
        id: "10".into(),
        account_id: Some("42".into()),
        url: None,
    }));
    let mut part3 = toot("12", 12, Visibility::Public);
    part3.in_reply_to = Some(Box::new(ReplyRef {
        id: "11".into(),
        account_id: Some("42".into()),
        url: None,
    }));
    let mut other = toot("20", 20, Visibility::Public);
    other.in_reply_to = Some(Box::new(ReplyRef {
        id: "999".into(),
        account_id: Some("7".into()),
        url: None,
    }));
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

    let sel = select(&Select::default(), &data);
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
    let sel = select(&Select::default(), &data);
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
    let sel = select(&Select::default(), &data);
    assert_eq!(ids(&sel, &sel.home_order()), ["2", "1", "4", "3"]);
}
