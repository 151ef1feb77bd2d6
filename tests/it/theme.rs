//! The default theme as a web team meets it: `init --eject-theme`, a
//! customised copy that overrides the built-in files, colours changed
//! through CSS custom properties, and `check` reporting third-party loads.

use crate::support::{example_site, read, read_tree, repo, tootbridge};

fn ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn init_ejects_the_built_in_theme_and_the_copy_wins() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("amt");
    let root = site.to_str().unwrap();
    ok(&tootbridge(&["init", root, "--eject-theme"]));
    let theme = site.join("themes/default");
    for rel in [
        "templates/base.html",
        "templates/partials/toot.html",
        "static/style.css",
        "static/favicon.svg",
        "i18n/de.toml",
        "i18n/en.toml",
    ] {
        assert_eq!(
            read(theme.join(rel)),
            read(repo().join("themes/default").join(rel)),
            "{rel}"
        );
    }
    // The ejected copy is what the build uses: a colour changed there shows
    // in the published stylesheet, a template change in the pages.
    let css =
        read(theme.join("static/style.css")).replace("--accent: #1d4e89;", "--accent: #004b23;");
    std::fs::write(theme.join("static/style.css"), css).unwrap();
    let footer = theme.join("templates/partials/site_footer.html");
    let changed = read(&footer).replace(
        "<footer class=\"site-footer\">",
        "<footer class=\"site-footer\">\n<p>Impressum</p>",
    );
    assert_ne!(changed, read(&footer));
    std::fs::write(&footer, changed).unwrap();
    ok(&tootbridge(&["--root", root, "build"]));
    assert!(read(site.join("public/style.css")).contains("--accent: #004b23;"));
    assert!(read(site.join("public/index.html")).contains("<p>Impressum</p>"));

    // A second eject would overwrite those edits: refused, nothing changed.
    let again = tootbridge(&["--root", root, "init", "--eject-theme"]);
    assert_eq!(again.status.code(), Some(1));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already exists"), "{err}");
    assert!(read(theme.join("static/style.css")).contains("#004b23"));
}

#[test]
fn eject_in_an_existing_site_copies_only_the_theme() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    ok(&tootbridge(&["init", root, "--title", "Amt"]));
    let toml = read(dir.path().join("site.toml"));
    assert!(!dir.path().join("themes").exists());
    let out = tootbridge(&["init", root, "--eject-theme"]);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Copied the built-in theme"));
    assert_eq!(read(dir.path().join("site.toml")), toml);
    assert!(dir
        .path()
        .join("themes/default/templates/toot.html")
        .is_file());
    ok(&tootbridge(&["--root", root, "build"]));
}

#[test]
fn check_reports_a_theme_that_loads_from_another_host() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let css = site.path().join("themes/default/static/style.css");
    let text = read(&css) + "\nbody { background: url(https://cdn.example.net/bg.png); }\n";
    std::fs::write(&css, text).unwrap();

    let strict = tootbridge(&["--root", root, "check"]);
    assert_eq!(strict.status.code(), Some(1));
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(
        err.contains("style.css loads https://cdn.example.net/bg.png"),
        "{err}"
    );

    let toml = read(site.path().join("site.toml"))
        .replace("output_dir", "strict_privacy = false\noutput_dir");
    std::fs::write(site.path().join("site.toml"), toml).unwrap();
    let lax = tootbridge(&["--root", root, "check"]);
    ok(&lax);
    let text = String::from_utf8_lossy(&lax.stdout);
    assert!(
        text.contains("privacy: style.css loads https://cdn.example.net/bg.png"),
        "{text}"
    );
    assert!(text.contains("Privacy: 1 reference(s)"), "{text}");
}

#[test]
fn the_example_site_has_no_third_party_reference() {
    let site = example_site();
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "check"]);
    ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("privacy:"), "{text}");
    assert!(
        text.contains("Privacy: 0 reference(s) that load from another host."),
        "{text}"
    );
}

#[test]
fn custom_css_changes_colours_and_logo_without_templates() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let stat = site.path().join("themes/default/static");
    std::fs::write(
        stat.join("custom.css"),
        ":root { --accent: #004b23; --logo: url(\"logo.svg\"); --logo-display: block; }\n",
    )
    .unwrap();
    std::fs::write(stat.join("logo.svg"), read(stat.join("favicon.svg"))).unwrap();
    ok(&tootbridge(&["--root", root, "build"]));
    let public = site.path().join("public");
    assert!(read(public.join("custom.css")).contains("--logo: url(\"logo.svg\")"));
    assert!(public.join("logo.svg").is_file());
    let page = read(public.join("toots/115293251174451184/index.html"));
    let style = page.find("/style.css\">").unwrap();
    let custom = page.find("/custom.css\">").unwrap();
    assert!(style < custom, "custom.css comes after style.css");
}

/// The schema.org data block of a built page.
fn json_ld(page: &str) -> serde_json::Value {
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD block")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).expect("JSON-LD parses")
}

#[test]
fn toot_pages_carry_schema_org_and_opengraph_without_revealing_hidden_content() {
    let site = example_site();
    ok(&tootbridge(&[
        "--root",
        site.path().to_str().unwrap(),
        "build",
    ]));
    let toots = site.path().join("public/toots");

    let page = read(toots.join("113939192217603877/index.html"));
    let data = json_ld(&page);
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "SocialMediaPosting");
    let url = "https://www.beispielamt.example/neuigkeiten/toots/113939192217603877/";
    assert_eq!(data["url"], url);
    assert_eq!(data["datePublished"], "2025-02-03T10:15:00+01:00");
    assert_eq!(data["inLanguage"], "de");
    assert_eq!(data["author"]["name"], "Beispielamt Nachrichten");
    assert!(data["image"]["contentUrl"]
        .as_str()
        .unwrap()
        .starts_with("https://www.beispielamt.example/neuigkeiten/media/"));
    assert!(page.contains(&format!("<meta property=\"og:url\" content=\"{url}\">")));
    assert!(page.contains(
        "<meta property=\"og:image\" content=\"https://www.beispielamt.example/neuigkeiten/media/"
    ));
    assert!(page.contains("<meta property=\"og:locale\" content=\"de_DE\">"));

    // Behind a content warning: the warning is the description; neither the
    // text nor an image is named.
    let page = read(toots.join("114148343808062635/index.html"));
    let data = json_ld(&page);
    assert_eq!(data["description"], "Sicherheitshinweis: Phishing-E-Mails");
    assert!(!data.to_string().contains("gefälschte"), "{data}");
    // Sensitive media: no preview image.
    let page = read(toots.join("115654695321652092/index.html"));
    assert!(json_ld(&page).get("image").is_none());
    assert!(!page.contains("og:image"));
    // Edited toots say when.
    let page = read(toots.join("115581478502432522/index.html"));
    assert!(json_ld(&page).get("dateModified").is_some());
}

/// A `base.html` from before the page shell was pre-rendered (it has its own
/// header and footer, and never prints `shell_header`/`shell_footer`) still
/// frames every page with its own markup, once. Tera 2 wants every block a
/// child template fills to exist in the parent: without them the build
/// fails and names the block and the child template.
#[test]
fn an_older_base_template_without_the_shell_still_frames_every_page() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let templates = site.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let head = "<!DOCTYPE html>\n<html lang=\"{{ site.lang }}\"><head><meta charset=\"utf-8\">\
         <title>{% block title %}{{ site.title }}{% endblock title %}</title>";
    let body = "</head>\n<body><header><p>OLD HEADER {{ t.home }}</p></header><main id=\"main\">\
         {% block content %}{% endblock content %}</main>\
         <footer><p>OLD FOOTER</p></footer></body></html>\n";
    std::fs::write(templates.join("base.html"), format!("{head}{body}")).unwrap();
    let out = tootbridge(&["--root", root, "build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Block `canonical` is not defined in any parent template")
            && stderr.contains("toot.html:"),
        "{stderr}"
    );
    let blocks = "{% block description %}{% endblock description %}\
         {% block canonical %}{% endblock canonical %}{% block og %}{% endblock og %}\
         {% block head %}{% endblock head %}";
    std::fs::write(templates.join("base.html"), format!("{head}{blocks}{body}")).unwrap();
    ok(&tootbridge(&["--root", root, "build"]));
    let public = site.path().join("public");
    let mut pages = vec![public.join("index.html")];
    for dir in std::fs::read_dir(public.join("toots")).unwrap() {
        pages.push(dir.unwrap().path().join("index.html"));
    }
    for path in &pages {
        let page = read(path);
        assert_eq!(page.matches("OLD HEADER").count(), 1, "{}", path.display());
        assert_eq!(page.matches("OLD FOOTER").count(), 1, "{}", path.display());
        assert!(!page.contains("site-footer"), "{}", path.display());
        assert!(!page.contains("skip-link"), "{}", path.display());
    }
    assert!(pages.len() > 2);
}

/// The shell partials are included by list pages and rendered once for all
/// toot pages (`shell_header`, `shell_footer`): an override of either shows
/// on both kinds of page, once.
#[test]
fn changed_header_and_footer_partials_show_on_list_and_toot_pages() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let partials = site.path().join("themes/default/templates/partials");
    std::fs::create_dir_all(&partials).unwrap();
    for (name, from, to) in [
        (
            "site_header.html",
            "<header class=\"site-header\">",
            "<header class=\"site-header\"><p>KOPF</p>",
        ),
        (
            "site_footer.html",
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\"><p>FUSS</p>",
        ),
    ] {
        let built_in = read(repo().join("themes/default/templates/partials").join(name));
        let changed = built_in.replace(from, to);
        assert_ne!(changed, built_in, "{name}");
        std::fs::write(partials.join(name), changed).unwrap();
    }
    ok(&tootbridge(&["--root", root, "build"]));
    let public = site.path().join("public");
    let mut pages = vec![public.join("index.html"), public.join("tags/index.html")];
    for dir in std::fs::read_dir(public.join("toots")).unwrap() {
        pages.push(dir.unwrap().path().join("index.html"));
    }
    for path in &pages {
        let page = read(path);
        assert_eq!(page.matches("<p>KOPF</p>").count(), 1, "{}", path.display());
        assert_eq!(page.matches("<p>FUSS</p>").count(), 1, "{}", path.display());
    }
    assert!(pages.len() > 3);
}

/// Every built-in file as a site override (the example site carries the
/// repository's `themes/default/`, so the templates are parsed from disk and
/// win over the compiled-in ones) builds the same site byte for byte as the
/// compiled-in theme alone.
#[test]
fn every_built_in_file_works_as_an_override() {
    let built_in = example_site();
    let _ = std::fs::remove_dir_all(built_in.path().join("themes"));
    ok(&tootbridge(&[
        "--root",
        built_in.path().to_str().unwrap(),
        "build",
    ]));
    let overridden = example_site();
    let theme = overridden.path().join("themes/default");
    for (rel, bytes) in tootbridge::testing::render::theme::BUILTIN {
        assert!(std::fs::read(theme.join(rel)).unwrap() == *bytes, "{rel}");
    }
    ok(&tootbridge(&[
        "--root",
        overridden.path().to_str().unwrap(),
        "build",
    ]));
    let want = read_tree(&built_in.path().join("public"));
    let got = read_tree(&overridden.path().join("public"));
    assert!(want.len() > 20, "{} files", want.len());
    assert_eq!(
        want.iter().map(|f| &f.0).collect::<Vec<_>>(),
        got.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in want.iter().zip(&got) {
        // The build record names the theme's files, which differ by design.
        if path == ".tootbridge-build" {
            continue;
        }
        assert!(a == b, "{path} differs");
    }
}
