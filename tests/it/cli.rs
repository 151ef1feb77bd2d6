//! The command line as a pipeline sees it: every `--json` is exactly one
//! JSON document on standard output (human text on standard error),
//! `check --strict` fails on any warning, malformed flag values are usage
//! errors (exit 2), and no help text promises anything unimplemented.
//! Terminal behaviour (colour, Ctrl-C in `serve`) is in `cli_terminal`.

use std::process::Output;

use serde_json::Value;

use crate::fake_instance::status;
use crate::support::{example_site, read, tootbridge};
use crate::sync_support::{account, instance_with, site, storable_ids, with_image_toot};

/// The whole of standard output as one JSON document (trailing text of any
/// kind, a second document included, fails).
fn one_document(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "standard output is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn build_sync_json_is_one_document_with_sync_and_build() {
    let fake = instance_with(12);
    with_image_toot(&fake, false);
    fake.world()
        .statuses
        .insert(0, status(&fake.url, "news", 999, "private"));
    let dir = site(&account("@news@social.example", &fake), "");
    let root = dir.path().to_str().unwrap();
    let out = tootbridge(&["--root", root, "build", "--sync", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = one_document(&out);
    let stored = storable_ids(&fake).len();
    let public = {
        let w = fake.world();
        w.statuses
            .iter()
            .filter(|s| s["visibility"] == "public")
            .count()
    };
    let sync = &doc["sync"]["accounts"][0];
    assert_eq!(sync["ok"], true, "{doc}");
    assert_eq!(sync["added"].as_u64(), Some(stored as u64), "{doc}");
    // Toots 7 and 11 of the fake instance and toot 999 are not public.
    assert_eq!(sync["dropped"].as_u64(), Some(3), "{doc}");
    assert_eq!(
        doc["build"]["published"].as_u64(),
        Some(public as u64),
        "{doc}"
    );
    assert!(doc["build"]["files"]["written"].as_u64().unwrap() > public as u64);
    // The human summary is still there, on standard error.
    let human = stderr(&out);
    assert!(
        human.contains(&format!("synced: {stored} added")),
        "{human}"
    );
    assert!(human.contains(&format!("Built {public} toots")), "{human}");

    // Without --json, the summary is the result, on standard output.
    let plain = tootbridge(&["--root", root, "build", "--sync"]);
    assert!(plain.status.success());
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(text.contains("synced: 0 added"), "{text}");
    assert!(text.contains(&format!("Built {public} toots")), "{text}");
}

#[test]
fn every_json_flag_prints_exactly_one_document() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let archive = site.path().join("archive");
    crate::support::ArchiveBuilder::new().dir(&archive);
    let archive = archive.to_str().unwrap();
    let runs: [&[&str]; 5] = [
        &["build", "--json"],
        // Again, now answered from the build record.
        &["build", "--json"],
        &["check", "--json"],
        &["import", archive, "--json", "--dry-run"],
        &["import", archive, "--json"],
    ];
    for args in runs {
        let mut all = vec!["--root", root];
        all.extend(args);
        let out = tootbridge(&all);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let doc = one_document(&out);
        assert!(doc.is_object(), "{args:?}: {doc}");
    }
}

#[test]
fn check_strict_fails_on_warnings_that_plain_check_lets_pass() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let plain = tootbridge(&["--root", root, "check"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let strict = tootbridge(&["--root", root, "check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("check --strict"),
        "{}",
        stderr(&strict)
    );

    let json = tootbridge(&["--root", root, "check", "--json", "--strict"]);
    assert_eq!(json.status.code(), Some(1));
    let doc = one_document(&json);
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["errors"], serde_json::json!([]));
    let warnings: Vec<&str> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    // The example site has a not-mirrored attachment and media without alt
    // text; each is one warning.
    assert!(
        warnings.iter().any(|w| w.contains("is not mirrored yet")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("without alt text")),
        "{warnings:?}"
    );
    assert!(doc["report"]["editorial"]["newest"].is_array(), "{doc}");

    // A site with no warning passes the strict gate.
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("neu");
    let init = tootbridge(&[
        "init",
        new.to_str().unwrap(),
        "--account",
        "@a@social.example",
    ]);
    assert!(init.status.success());
    // A German site must link its legal pages (a warning until it does).
    let toml = new.join("site.toml");
    let links = "\n[links]\nimprint = \"/impressum/\"\nprivacy = \"/datenschutz/\"\n\
                 accessibility = \"/barrierefreiheit/\"\n";
    let strict = tootbridge(&["--root", new.to_str().unwrap(), "check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "without [links]");
    std::fs::write(&toml, read(&toml) + links).unwrap();
    let clean = tootbridge(&[
        "--root",
        new.to_str().unwrap(),
        "check",
        "--strict",
        "--json",
    ]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert_eq!(one_document(&clean)["warnings"], serde_json::json!([]));
}

#[test]
fn a_stylesheet_loading_a_missing_file_is_a_strict_warning() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let static_dir = site.path().join("themes/default/static");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(
        static_dir.join("custom.css"),
        ":root { --logo: url(\"logo.svg\"); }\n.x { background: url(favicon.svg) }\n",
    )
    .unwrap();
    let out = tootbridge(&["--root", root, "check", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = one_document(&out);
    let text = doc["warnings"].to_string();
    assert!(text.contains("custom.css loads logo.svg"), "{text}");
    assert!(
        !text.contains("loads favicon.svg"),
        "the favicon exists: {text}"
    );
    // With the file in the theme, the warning goes.
    std::fs::write(
        static_dir.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let fixed = one_document(&tootbridge(&["--root", root, "check", "--json"]));
    assert!(
        !fixed["warnings"].to_string().contains("logo.svg"),
        "{fixed}"
    );
}

#[test]
fn check_json_reports_an_error_as_a_document_too() {
    let site = example_site();
    let toml = site.path().join("site.toml");
    std::fs::write(&toml, read(&toml).replace("per_page = 20", "per_pgae = 20")).unwrap();
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = one_document(&out);
    assert_eq!(doc["ok"], false);
    assert!(
        doc["errors"][0].as_str().unwrap().contains("per_pgae"),
        "{doc}"
    );
    assert!(
        stderr(&out).contains("per_pgae"),
        "the error is on stderr too"
    );
}

#[test]
fn malformed_flag_values_are_usage_errors() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    for (args, says) in [
        (
            &["build", "--base-url", "www.example.org/news/"][..],
            "did you mean \"https://www.example.org/news/\"?",
        ),
        (&["build", "--base-url", "ftp://example.org"], "http"),
        (&["import", "x.zip", "--account", "news"], "@user@host"),
        (&["init", "x", "--account", "@a@b@c"], "@user@host"),
    ] {
        let mut all = vec!["--root", root];
        all.extend(args);
        let out = tootbridge(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("Usage") || stderr(&out).contains("--help"));
    }
    assert!(!site.path().join("public").exists() && !site.path().join("x").exists());
    // A base_url without a scheme in site.toml gets the same hint (exit 1:
    // the site is wrong, not the command line).
    let toml = site.path().join("site.toml");
    let text = read(&toml);
    let url_line = text.lines().find(|l| l.starts_with("base_url")).unwrap();
    std::fs::write(
        &toml,
        text.replace(url_line, "base_url = \"example.org/news/\""),
    )
    .unwrap();
    let out = tootbridge(&["--root", root, "build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean \"https://example.org/news/\"?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_takes_a_handle_without_at_and_names_the_next_steps() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("neu");
    let out = tootbridge(&[
        "init",
        new.to_str().unwrap(),
        "--account",
        "presse@social.example",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(new.join("site.toml")).contains("handle = \"@presse@social.example\""));
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.trim_end().lines().last().unwrap();
    let (sync, build) = (last.find(" sync`"), last.find(" build`"));
    assert!(sync.is_some() && build.is_some() && sync < build, "{last}");
    assert!(last.contains("build --sync"), "names the pipeline: {last}");
    // Without an account, the first step is to name one.
    let bare = dir.path().join("leer");
    let out = tootbridge(&["init", bare.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("[[accounts]]"));
}

#[test]
fn no_help_mentions_anything_unimplemented() {
    let help = |args: &[&str]| -> String {
        let out = tootbridge(args);
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stdout).to_lowercase()
    };
    let top = help(&["--help"]);
    let commands: Vec<String> = top
        .split("commands:")
        .nth(1)
        .unwrap()
        .split("options:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 6, "{commands:?}");
    for command in &commands {
        let text = help(&[command.as_str(), "--help"]);
        for phrase in [
            "not implemented",
            "unimplemented",
            "not yet",
            "todo:",
            "coming soon",
        ] {
            assert!(
                !text.contains(phrase),
                "{command} --help says {phrase:?}:\n{text}"
            );
        }
    }
}

#[test]
fn sync_into_a_site_without_accounts_is_quiet_json() {
    // `sync --json` with nothing to do still prints its (empty) document.
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("neu");
    assert!(tootbridge(&["init", new.to_str().unwrap()])
        .status
        .success());
    let out = tootbridge(&["--root", new.to_str().unwrap(), "sync", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(one_document(&out)["accounts"], serde_json::json!([]));
}
