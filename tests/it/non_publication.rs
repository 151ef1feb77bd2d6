//! Non-publication as a property: over random stores, selections and
//! editorial overrides, no text of a toot that must not be published (private
//! or direct, unlisted when unlisted is not selected, hidden in
//! overrides.toml) appears in any output file. Each toot carries a unique
//! marker in its text, content warning and alt text; the site is rendered
//! through the library, in memory.

use proptest::prelude::*;
use serde_json::json;
use tootbridge::testing::render::Body;

const VISIBILITIES: [&str; 4] = ["public", "unlisted", "private", "direct"];

#[derive(Debug, Clone)]
struct TootSpec {
    visibility: usize,
    /// Index of an earlier toot this one answers (a self-reply), if any.
    reply_to: Option<usize>,
    hidden: bool,
    pinned: bool,
    warning: bool,
    media: bool,
}

fn toot_spec() -> impl Strategy<Value = TootSpec> {
    (
        0..4usize,
        proptest::option::of(0..12usize),
        proptest::bool::weighted(0.2),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(visibility, reply_to, hidden, pinned, warning, media)| TootSpec {
                visibility,
                reply_to,
                hidden,
                pinned,
                warning,
                media,
            },
        )
}

fn marker(i: usize) -> String {
    format!("Secretmarker{i}q")
}

fn id(i: usize) -> String {
    format!("{}", 114_000_000_000_000_000u64 + i as u64 * 1000)
}

/// Writes the site; returns the indexes of toots that must stay unpublished.
fn write_site(
    root: &std::path::Path,
    toots: &[TootSpec],
    unlisted: bool,
    replies: &str,
) -> Vec<usize> {
    let visibility = if unlisted {
        r#"["public", "unlisted"]"#
    } else {
        r#"["public"]"#
    };
    std::fs::write(
        root.join("site.toml"),
        format!(
            "title = \"T\"\nbase_url = \"https://example.org/\"\n[[accounts]]\nhandle = \"@news@social.example\"\n\
             [select]\nvisibility = {visibility}\nreplies = \"{replies}\"\nboosts = true\n[feeds]\nitems = 50\n"
        ),
    )
    .unwrap();
    let dir = root.join("content/toots/social.example/news");
    std::fs::create_dir_all(&dir).unwrap();
    let mut secret = Vec::new();
    let (mut hide, mut pin) = (Vec::new(), Vec::new());
    for (i, t) in toots.iter().enumerate() {
        let vis = VISIBILITIES[t.visibility];
        let mut toot = json!({
            "schema": 1, "id": id(i),
            "uri": format!("https://social.example/users/news/statuses/{}", id(i)),
            "url": format!("https://social.example/@news/{}", id(i)),
            "created_at": format!("2025-01-{:02}T10:00:00Z", i + 1),
            "visibility": vis, "language": "de",
            "content": format!("<p>Text {} <a href=\"https://social.example/tags/Amt\" class=\"mention hashtag\">#Amt</a></p>", marker(i)),
            "tags": [{"name": "Amt"}],
        });
        if t.warning {
            toot["spoiler_text"] = json!(format!("Warnung {}", marker(i)));
        }
        if t.media {
            toot["media"] = json!([{"id": format!("m{i}"), "kind": "image",
                "remote_url": format!("https://social.example/m/{i}.png"),
                "description": format!("Bild {}", marker(i))}]);
        }
        if let Some(parent) = t.reply_to.filter(|&p| p < i) {
            toot["in_reply_to"] = json!({"id": id(parent), "account_id": "109000000000000001"});
        }
        std::fs::write(
            dir.join(format!("{}.json", id(i))),
            serde_json::to_vec_pretty(&toot).unwrap(),
        )
        .unwrap();
        if t.hidden {
            hide.push(format!("\"{}\"", id(i)));
        }
        if t.pinned && !t.hidden {
            pin.push(format!("\"{}\"", id(i)));
        }
        let unpublishable =
            matches!(vis, "private" | "direct") || (vis == "unlisted" && !unlisted) || t.hidden;
        if unpublishable {
            secret.push(i);
        }
    }
    std::fs::create_dir_all(root.join("content/state/social.example")).unwrap();
    std::fs::write(
        root.join("content/state/social.example/news.json"),
        r#"{"schema": 1, "handle": "@news@social.example", "id": "109000000000000001", "display_name": "News"}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("content/overrides.toml"),
        format!("hide = [{}]\npin = [{}]\n", hide.join(", "), pin.join(", ")),
    )
    .unwrap();
    secret
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn nothing_unpublishable_reaches_any_output_file(
        toots in proptest::collection::vec(toot_spec(), 1..12),
        unlisted in any::<bool>(),
        replies in prop_oneof![Just("none"), Just("self"), Just("all")],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let secret = write_site(dir.path(), &toots, unlisted, replies);
        let site = tootbridge::render_site(dir.path(), None).unwrap();
        for file in &site.files {
            let Body::Bytes(bytes) = &file.body else { continue };
            let text = String::from_utf8_lossy(bytes);
            for &i in &secret {
                prop_assert!(!text.contains(&marker(i)), "toot {} ({:?}) leaked into {}", i, toots[i], file.path);
            }
        }
    }
}

/// The same through `build`, into a folder that is published whole: no
/// file of it, the bookkeeping files (the toot index, the records)
/// included, names a toot that must stay unpublished or holds its text. The
/// store is made older than the toot index's margin first, so the index
/// records every toot it may.
#[test]
fn a_built_folder_names_no_unpublishable_toot_in_any_file() {
    let spec = |visibility, reply_to, hidden| TootSpec {
        visibility,
        reply_to,
        hidden,
        pinned: false,
        warning: true,
        media: true,
    };
    // Every kind: public, unlisted (not selected), private, direct, hidden,
    // a reply to another account's post, a self-reply to a private toot.
    let toots = vec![
        spec(0, None, false),
        spec(1, None, false),
        spec(2, None, false),
        spec(3, None, false),
        spec(0, None, true),
        spec(0, Some(2), false),
        spec(0, Some(0), false),
    ];
    let dir = tempfile::tempdir().unwrap();
    let secret = write_site(dir.path(), &toots, false, "self");
    assert!(secret.len() >= 4, "{secret:?}");
    std::thread::sleep(
        tootbridge::testing::output::TOOT_INDEX_MARGIN + std::time::Duration::from_millis(200),
    );
    crate::support::build_json(dir.path(), None);
    let files = crate::support::every_file(&dir.path().join("public"));
    let index = tootbridge::testing::output::TOOT_INDEX;
    assert!(files.iter().any(|(path, _)| path == index), "no toot index");
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for &i in &secret {
            assert!(!text.contains(&marker(i)), "toot {i} leaked into {path}");
            if path == index {
                assert!(
                    !text.contains(&format!("{}.json", id(i))),
                    "toot {i} is in the index"
                );
            }
        }
    }
    let index_text = String::from_utf8_lossy(&files.iter().find(|(p, _)| p == index).unwrap().1);
    assert!(
        index_text.contains(&format!("{}.json", id(0))),
        "{index_text}"
    );
}
