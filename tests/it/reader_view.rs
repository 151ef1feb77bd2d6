//! The example site as a reader sees it: no hashtag shown twice in a toot,
//! no raw custom-emoji code in a title (page, heading, `og:title`, feeds,
//! JSON) or an author name in JSON-LD, the hashtag bar left out of the embed's summaries too; content
//! warnings opened on the permalink only when site.toml says so; lists load
//! the mirrored preview with `srcset` to the original.

use std::path::Path;

use crate::support::{build_site, example_site, read};

/// Every `<…>` element of `html` whose text starts with `start`.
fn elements<'a>(html: &'a str, start: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.match_indices(start).map(move |(i, _)| {
        let rest = &html[i..];
        &rest[..rest.find('>').map_or(rest.len(), |e| e + 1)]
    })
}

fn pages(public: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "html" || e == "xml" || e == "json")
        })
        .map(|p| {
            (
                p.strip_prefix(public).unwrap().display().to_string(),
                read(&p),
            )
        })
        .collect()
}

#[test]
fn no_hashtag_twice_and_no_emoji_code_in_titles() {
    let dir = example_site();
    let public = build_site(dir.path());
    let code = ":beispielamt:";
    let mut toot_articles = 0;
    for (rel, text) in pages(&public) {
        if rel.ends_with(".html") {
            let title = text
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next());
            assert!(!title.unwrap_or("").contains(code), "{rel}: <title>");
            // JSON-LD names and headlines are plain text as well.
            if let Some(ld) = text.split("application/ld+json\">").nth(1) {
                let ld = ld.split("</script>").next().unwrap();
                for raw in [code, ":balken:"] {
                    assert!(!ld.contains(raw), "{rel}: {raw} in JSON-LD");
                }
            }
            for meta in elements(&text, "<meta property=\"og:title\"") {
                assert!(!meta.contains(code), "{rel}: {meta}");
            }
            for heading in [
                "<h1",
                "<h2 class=\"toot-title\"",
                "<h3 class=\"toot-title\"",
            ] {
                for (i, _) in text.match_indices(heading) {
                    let end = text[i..].find("</h").unwrap();
                    assert!(!text[i..i + end].contains(code), "{rel}: heading");
                }
            }
            // Each toot: a hashtag linked in its text is not in its tag list.
            for article in text.split("<article class=\"toot").skip(1) {
                toot_articles += 1;
                let article = article.split("</article>").next().unwrap();
                let (body, footer) = article
                    .split_once("<footer class=\"toot-footer\"")
                    .unwrap_or((article, ""));
                for (i, _) in footer.match_indices("<li><a href=\"") {
                    let name = footer[i..]
                        .split('>')
                        .nth(2)
                        .unwrap()
                        .split('<')
                        .next()
                        .unwrap();
                    assert!(
                        !body.contains(&format!("#<span>{}</span>", &name[1..])),
                        "{rel}: {name} twice"
                    );
                }
            }
        } else if rel.ends_with(".xml") {
            for (i, _) in text.match_indices("<title") {
                let end = text[i..].find("</title>").unwrap_or(0);
                assert!(!text[i..i + end].contains(code), "{rel}: feed title");
            }
        } else {
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            let items = json["items"].as_array().or(json["toots"].as_array());
            for item in items.into_iter().flatten() {
                let title = item["title"].as_str().unwrap_or("");
                assert!(!title.contains(code), "{rel}: {title}");
            }
        }
    }
    assert!(toot_articles > 100, "{toot_articles}");
    // The embed's summaries leave the hashtag bar out as the pages do.
    let embed: serde_json::Value =
        serde_json::from_str(&read(public.join("embed/latest.json"))).unwrap();
    let summaries: Vec<&str> = embed["toots"]
        .as_array()
        .or(embed["items"].as_array())
        .unwrap()
        .iter()
        .filter_map(|t| t["summary"].as_str())
        .collect();
    assert!(!summaries.is_empty());
    for s in summaries {
        let last = s.split_whitespace().next_back().unwrap_or("");
        assert!(!last.starts_with('#'), "summary ends in a hashtag bar: {s}");
    }
}

#[test]
fn content_warnings_open_on_the_permalink_only_when_configured() {
    let id = "116407546675256606"; // a toot with a content warning
    let dir = example_site();
    let public = build_site(dir.path());
    let page = read(public.join(format!("toots/{id}/index.html")));
    assert!(
        page.contains("<details class=\"toot-cw\">"),
        "closed by default"
    );
    let toml = read(dir.path().join("site.toml"));
    std::fs::write(
        dir.path().join("site.toml"),
        format!("open_cw_on_permalink = true\n{toml}"),
    )
    .unwrap();
    let public = build_site(dir.path());
    let page = read(public.join(format!("toots/{id}/index.html")));
    assert!(
        page.contains("<details class=\"toot-cw\" open>"),
        "opened on its page"
    );
    let index = read(public.join("index.html"));
    assert!(index.contains("<details class=\"toot-cw\">"));
    assert!(
        !index.contains("<details class=\"toot-cw\" open>"),
        "lists stay closed"
    );
}

#[test]
fn lists_load_the_preview_with_srcset_to_the_original() {
    let dir = example_site();
    // Give one stored image a mirrored preview (another stored PNG).
    let path = dir
        .path()
        .join("content/toots/social.example/news/117081715507236562.json");
    let mut toot: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    let media = &mut toot["media"][0];
    let original = media["file"].as_str().unwrap().to_string();
    media["preview_file"] = "social.example/news/124cb5d3550627df.png".into();
    media["preview_width"] = 320.into();
    std::fs::write(&path, serde_json::to_vec_pretty(&toot).unwrap()).unwrap();
    let public = build_site(dir.path());
    let base = "https://www.beispielamt.example/neuigkeiten/media/";
    let preview = format!("{base}social.example/news/124cb5d3550627df.png");
    let full = format!("{base}{original}");
    let index = read(public.join("index.html"));
    let start = format!("<img src=\"{preview}\"");
    let img = elements(&index, &start)
        .next()
        .expect("the list shows the preview");
    assert!(
        img.contains(&format!("srcset=\"{preview} 320w, {full} 640w\"")),
        "{img}"
    );
    assert!(img.contains(" sizes=\""), "{img}");
    // The toot's own page shows the original.
    let page = read(public.join("toots/117081715507236562/index.html"));
    assert!(page.contains(&format!("<img src=\"{full}\"")));
    assert!(!page.contains("srcset="));
}
