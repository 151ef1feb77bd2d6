//! Fuzzes sanitize + render: any bytes as a stored toot (made public, so it
//! is rendered) go through the whole in-memory build of a one-toot site;
//! bytes that are no toot file become the text of one (content, content
//! warning, title, alt text, poll option, tag, as a source maps them).
//! Nothing may panic, no page may carry a script, the privacy scan must
//! find no resource loaded from another host, and every feed (RSS, Atom,
//! per tag) and the sitemap must be well-formed XML.
#![no_main]

use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tootbridge::config::{self, SiteConfig};
use tootbridge::model::{AccountState, Poll, PollOption, Tag, Toot, Visibility};
use tootbridge::store::{parse_json, parse_toot, AccountData};
use tootbridge::testing::overrides::Overrides;
use tootbridge::testing::pages::Pages;
use tootbridge::testing::render::theme::Theme;
use tootbridge::testing::render::{self, view, Body};
use tootbridge::testing::{privacy, select};

const SITE: &str = r#"title = "Fuzz"
base_url = "https://example.org/news/"
[[accounts]]
handle = "@news@social.example"
[select]
visibility = ["public"]
boosts = true
replies = "all"
"#;

fn fixed() -> &'static (SiteConfig, Theme) {
    static FIXED: OnceLock<(SiteConfig, Theme)> = OnceLock::new();
    FIXED.get_or_init(|| {
        let config = config::parse(SITE, Path::new("site.toml")).unwrap();
        let theme = Theme::load(Path::new("/nonexistent-theme"), false, "de").unwrap();
        (config, theme)
    })
}

/// A toot whose every text field is `text`, normalized as sources do.
fn toot_of_text(text: &str) -> Toot {
    let mut toot = Toot::empty(
        "1".into(),
        "https://social.example/users/news/statuses/1".into(),
        "2026-01-01T00:00:00Z".parse().unwrap(),
        Visibility::Public,
    );
    toot.content = text.to_string();
    toot.spoiler_text = text.chars().take(40).collect();
    toot.title = Some(text.chars().rev().take(40).collect());
    toot.tags.push(Tag {
        name: text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(20)
            .collect(),
    });
    toot.poll = Some(Box::new(Poll {
        expires_at: None,
        expired: true,
        multiple: false,
        votes_count: 1,
        voters_count: None,
        options: vec![PollOption {
            title: text.to_string(),
            votes_count: Some(1),
        }],
    }));
    toot.normalize();
    toot
}

fuzz_target!(|data: &[u8]| {
    let mut toot = match parse_json::<Toot>(data, Path::new("fuzz.json")) {
        Ok(toot) => {
            let path = format!("content/toots/social.example/news/{}.json", toot.id);
            let Ok(toot) = parse_toot(data, Path::new(&path)) else {
                return;
            };
            toot
        }
        Err(_) => toot_of_text(&String::from_utf8_lossy(data)),
    };
    toot.visibility = Visibility::Public;
    let (config, theme) = fixed();
    let handle = config.accounts[0].handle.clone();
    let accounts = vec![AccountData {
        state: AccountState::new(&handle.to_string()),
        handle,
        toots: vec![toot],
    }];
    let overrides = Overrides::default();
    let pages = Pages::default();
    let selection = select::select_with(&config.select, &accounts, &overrides);
    let media = HashSet::new();
    let base = config.base_url.trimmed().to_string();
    let site = view::Site {
        base: base.clone(),
        lang: "de".into(),
        tz: config.timezone.0,
        i18n: &theme.i18n,
        media: &media,
    };
    let collect = render::Collect::default();
    render::render(
        &render::RenderInput {
            config,
            base: &base,
            theme,
            selection: &selection,
            site: &site,
            accounts: &accounts,
            media_dir: Path::new("/nonexistent-media"),
            content_dir: Path::new("/nonexistent-content"),
            known: None,
            media_stats: None,
            overrides: &overrides,
            pages: &pages,
            recall: None,
        },
        &collect,
    )
    .expect("a loadable toot renders");
    let files = collect.into_files();
    for file in &files {
        if let (Body::Bytes(bytes), true) = (&file.body, file.path.ends_with(".xml")) {
            let text = std::str::from_utf8(bytes).expect("feeds are UTF-8");
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{} is not well-formed XML: {e}", file.path);
            }
        }
        if let Body::Bytes(bytes) = &file.body {
            let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
            // The one script element allowed is the theme's JSON-LD data
            // block (toot.html), which no browser runs; whatever a toot
            // holds must not end it or open another.
            let data_block = "<script type=\"application/ld+json\">";
            let mut rest = text.as_str();
            while let Some(at) = rest.find("<script") {
                rest = &rest[at..];
                assert!(rest.starts_with(data_block), "script in {}", file.path);
                rest = &rest[data_block.len()..];
                let end = rest.find("</script").expect("the data block ends");
                assert!(
                    !rest[..end].contains('<'),
                    "markup in the data block of {}",
                    file.path
                );
                rest = &rest[end..];
            }
        }
    }
    let findings = privacy::scan(&files, &base);
    assert!(
        findings.is_empty(),
        "{:?}",
        findings.iter().map(|f| f.to_string()).collect::<Vec<_>>()
    );
});
