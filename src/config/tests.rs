//! Unit tests of `config.rs`.

use super::*;

fn parse_str(text: &str) -> Result<SiteConfig> {
    parse(text, Path::new("site.toml"))
}

const MINIMAL: &str = "title = \"News\"\nbase_url = \"https://example.org/news/\"\n";

#[test]
fn minimal_config_gets_defaults() {
    let c = parse_str(MINIMAL).unwrap();
    assert_eq!(c.language.code(), "de");
    assert_eq!(c.timezone.0, chrono_tz::Europe::Berlin);
    assert_eq!(c.theme.0, "default");
    assert_eq!(c.output_dir, PathBuf::from("public"));
    assert_eq!(c.pages.per_page.0, 20);
    assert_eq!(c.feeds.items.0, 50);
    assert!(c.feeds.tags);
    assert_eq!(c.embed.items.0, 5);
    assert!(!c.robots_txt);
    assert_eq!(
        c.select.visibility,
        vec![PublishedVisibility(Visibility::Public)]
    );
    assert_eq!(c.select.replies, Replies::OwnThreads);
    assert!(!c.select.boosts);
    assert!(c.strict_privacy);
    assert_eq!(c.base_url.trimmed(), "https://example.org/news");
    assert_eq!(c.base_url.path_prefix(), "/news");
}

#[test]
fn full_config_parses() {
    let text = r#"
title = "Beispielamt"
description = "Neuigkeiten"
base_url = "https://www.example.org"
language = "en"
timezone = "America/New_York"
theme = "agency"
output_dir = "dist"
robots_txt = true

[[accounts]]
handle = "@news@social.example"

[[accounts]]
handle = "@press@social.example"
instance = "http://127.0.0.1:8080"

[select]
visibility = ["public", "unlisted"]
replies = "all"
boosts = true
include_tags = ["Pressemitteilung"]
exclude_tags = ["intern"]
since = "2024-01-01"
languages = ["de"]

[pages]
per_page = 10

[feeds]
items = 25
tags = false

[embed]
items = 3
"#;
    let c = parse_str(text).unwrap();
    assert_eq!(c.accounts.len(), 2);
    assert_eq!(c.accounts[0].handle.user, "news");
    assert_eq!(c.accounts[0].handle.host, "social.example");
    assert_eq!(
        c.accounts[1].instance.as_ref().unwrap().trimmed(),
        "http://127.0.0.1:8080"
    );
    assert_eq!(c.select.replies, Replies::All);
    assert_eq!(c.select.visibility.len(), 2);
    assert_eq!(c.pages.per_page.0, 10);
    assert_eq!(c.feeds.items.0, 25);
    assert!(!c.feeds.tags);
    assert_eq!(c.embed.items.0, 3);
    assert!(c.robots_txt);
    assert_eq!(c.language.code(), "en");
    assert_eq!(c.select.since, NaiveDate::from_ymd_opt(2024, 1, 1));
}

#[test]
fn since_is_a_toml_date_or_a_string() {
    for value in ["2024-01-31", "\"2024-01-31\""] {
        let c = parse_str(&format!("{MINIMAL}[select]\nsince = {value}\n")).unwrap();
        assert_eq!(c.select.since, NaiveDate::from_ymd_opt(2024, 1, 31));
    }
    for bad in ["2024-01-31T10:00:00Z", "\"31.01.2024\"", "3"] {
        let msg = error_of(&format!("{MINIMAL}[select]\nsince = {bad}\n"));
        assert!(msg.starts_with("site.toml:4:"), "{bad}: {msg}");
        assert!(msg.contains("2024-01-01"), "{bad}: {msg}");
    }
}

fn error_of(text: &str) -> String {
    parse_str(text).unwrap_err().to_string()
}

#[test]
fn sync_settings_and_token_env() {
    let c = parse_str(MINIMAL).unwrap();
    assert_eq!(c.sync.reconcile_hours, 24);
    assert_eq!(c.sync.max_media_bytes.0, 40 * 1024 * 1024);
    assert_eq!(c.sync.max_rate_limit_wait_secs, 900);
    assert!(c.sync.media);
    let text = format!(
        "{MINIMAL}[[accounts]]\nhandle = \"@a@s.example\"\ntoken_env = \"TOOT_TOKEN\"\nsource = \"outbox\"\n\n[sync]\nreconcile_hours = 6\nmax_media_bytes = 1000\nmax_rate_limit_wait_secs = 60\nmedia = false\n"
    );
    let c = parse_str(&text).unwrap();
    assert_eq!(c.accounts[0].token_env.as_ref().unwrap().0, "TOOT_TOKEN");
    assert_eq!(c.accounts[0].source, SourceKind::Outbox);
    assert_eq!(c.sync.reconcile_hours, 6);
    assert_eq!(c.sync.max_media_bytes.0, 1000);
    assert!(!c.sync.media);
    let msg = error_of(&format!("{MINIMAL}[sync]\nmax_media_bytes = 0\n"));
    assert!(msg.contains("positive"), "{msg}");
    let msg = error_of(&format!("{MINIMAL}[sync]\nreconcile = 1\n"));
    assert!(msg.contains("reconcile"), "{msg}");
    let msg = error_of(&format!(
        "{MINIMAL}[[accounts]]\nhandle = \"@a@s.example\"\ntoken_env = \"abc-123 secret\"\n"
    ));
    assert!(msg.contains("environment variable"), "{msg}");
}

#[test]
fn network_settings_have_defaults_and_refuse_zero_timeouts() {
    let c = parse_str(MINIMAL).unwrap();
    assert_eq!(c.sync.proxy, None);
    assert_eq!(c.sync.ca_file, None);
    let secs = (
        c.sync.connect_timeout_secs.0,
        c.sync.read_timeout_secs.0,
        c.sync.request_timeout_secs.0,
    );
    assert_eq!(secs, (10, 30, 120));
    let text = format!(
        "{MINIMAL}[sync]\nproxy = \"none\"\nca_file = \"certs/ca.pem\"\nconnect_timeout_secs = 5\nread_timeout_secs = 3\nrequest_timeout_secs = 60\n"
    );
    let c = parse_str(&text).unwrap();
    assert_eq!(c.sync.proxy.as_deref(), Some("none"));
    assert_eq!(c.sync.ca_file.as_deref(), Some(Path::new("certs/ca.pem")));
    assert_eq!(c.sync.read_timeout_secs.0, 3);
    for key in [
        "connect_timeout_secs",
        "read_timeout_secs",
        "request_timeout_secs",
    ] {
        let msg = error_of(&format!("{MINIMAL}[sync]\n{key} = 0\n"));
        // The key's line: after MINIMAL's two lines and `[sync]`.
        assert!(
            msg.contains("site.toml:4") && msg.contains("between 1 and"),
            "{key}: {msg}"
        );
    }
}

#[test]
fn unknown_key_names_key_and_line() {
    let msg = error_of(&format!("{MINIMAL}titel = \"x\"\n"));
    assert!(msg.starts_with("site.toml:3:"), "{msg}");
    assert!(msg.contains("titel"), "{msg}");
}

#[test]
fn unknown_key_in_table_is_reported() {
    let msg = error_of(&format!("{MINIMAL}[pages]\nper_pag = 3\n"));
    assert!(msg.starts_with("site.toml:4:"), "{msg}");
    assert!(msg.contains("per_pag"), "{msg}");
}

#[test]
fn bad_handle_is_reported_with_line() {
    for bad in ["@news", "news", "@@x", "@a@b/c", "@a@-x.org", "a@@b.org"] {
        let msg = error_of(&format!("{MINIMAL}[[accounts]]\nhandle = \"{bad}\"\n"));
        assert!(msg.starts_with("site.toml:4:"), "{bad}: {msg}");
        assert!(msg.contains("@user@host"), "{bad}: {msg}");
    }
}

#[test]
fn handle_without_the_leading_at_is_accepted() {
    for written in ["@News@Social.Example", "News@Social.Example"] {
        let c = parse_str(&format!("{MINIMAL}[[accounts]]\nhandle = \"{written}\"\n")).unwrap();
        let handle = &c.accounts[0].handle;
        assert_eq!(
            (handle.user.as_str(), handle.host.as_str()),
            ("News", "social.example")
        );
        assert_eq!(handle.to_string(), "@News@social.example", "{written}");
    }
}

#[test]
fn base_url_without_a_scheme_gets_a_suggestion() {
    for (written, guess) in [
        ("example.org/news/", "https://example.org/news/"),
        ("example.org", "https://example.org"),
        ("localhost:8080", "https://localhost:8080"),
    ] {
        let msg = error_of(&format!("title = \"x\"\nbase_url = \"{written}\"\n"));
        assert!(msg.starts_with("site.toml:2:"), "{msg}");
        assert!(msg.contains(&format!("did you mean \"{guess}\"?")), "{msg}");
    }
    // No suggestion where adding a scheme would not help.
    let msg = error_of("title = \"x\"\nbase_url = \"not a url\"\n");
    assert!(!msg.contains("did you mean"), "{msg}");
}

#[test]
fn bad_url_is_reported() {
    let msg = error_of("title = \"x\"\nbase_url = \"ftp://example.org\"\n");
    assert!(msg.starts_with("site.toml:2:"), "{msg}");
    assert!(msg.contains("http"), "{msg}");
    let msg = error_of("title = \"x\"\nbase_url = \"not a url\"\n");
    assert!(msg.contains("not a valid URL"), "{msg}");
}

#[test]
fn unknown_time_zone_is_reported() {
    let msg = error_of(&format!("{MINIMAL}timezone = \"Europe/Bonn\"\n"));
    assert!(msg.starts_with("site.toml:3:"), "{msg}");
    assert!(msg.contains("Europe/Bonn"), "{msg}");
}

#[test]
fn private_and_direct_are_refused() {
    for vis in ["private", "direct"] {
        let msg = error_of(&format!(
            "{MINIMAL}[select]\nvisibility = [\"public\", \"{vis}\"]\n"
        ));
        assert!(msg.contains("never published"), "{msg}");
        assert!(msg.starts_with("site.toml:4:"), "{msg}");
    }
}

#[test]
fn other_mistakes_are_refused() {
    assert!(error_of("base_url = \"https://x.org\"\n").contains("title"));
    assert!(error_of(&format!("{MINIMAL}language = \"Deutsch\"\n")).contains("Deutsch"));
    assert!(error_of(&format!("{MINIMAL}[pages]\nper_page = 0\n")).contains("between 1"));
    assert!(error_of(&format!("{MINIMAL}[embed]\nitems = 0\n")).contains("between 1"));
    assert!(error_of(&format!("{MINIMAL}[embed]\nitem = 3\n")).contains("item"));
    assert!(error_of(&format!("{MINIMAL}robots_txt = \"yes\"\n")).starts_with("site.toml:3:"));
    assert!(error_of(&format!("{MINIMAL}output_dir = \"../x\"\n")).contains("output_dir"));
    assert!(error_of(&format!("{MINIMAL}theme = \"../evil\"\n")).contains("theme"));
    let twice = format!(
        "{MINIMAL}[[accounts]]\nhandle = \"@a@b.org\"\n[[accounts]]\nhandle = \"@a@b.org\"\n"
    );
    assert!(error_of(&twice).contains("twice"));
    assert!(error_of(
        "title = \"x\"\nbase_url = \"https://x.org\"\n[select]\nreplies = \"some\"\n"
    )
    .contains("some"));
}
