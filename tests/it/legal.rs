//! The legal furniture (issue 20): the footer links of `[links]` on every
//! page of the example build, in both languages; the generated accessibility
//! statement; the privacy check letting links to other hosts pass; and the
//! `check` warnings of a German site that lacks the required links.

use std::collections::HashMap;
use std::path::Path;

use tootbridge::testing::render::Body;

use crate::support::{example_site, read, read_tree, tootbridge};

/// The footer links the example's site.toml sets, in the footer's order.
const EXAMPLE_LINKS: &[&str] = &[
    "https://www.beispielamt.example/impressum/",
    "https://www.beispielamt.example/datenschutz/",
    "https://www.beispielamt.example/neuigkeiten/barrierefreiheit/",
    "https://www.beispielamt.example/kontakt/",
    "https://www.beispielamt.example/leichte-sprache/",
    "https://www.beispielamt.example/gebaerdensprache/",
    "https://www.beispielamt.example/ueber-uns/",
];

/// The site.toml of the example without its `[links]` and statement.
fn without_legal(toml: &str) -> String {
    let cut = toml
        .find("\n# The legal and service links")
        .or_else(|| toml.find("\n[links]"))
        .expect("the example sets [links]");
    format!("{}\n", &toml[..cut])
}

fn set_config(root: &Path, change: impl Fn(&str) -> String) {
    let path = root.join("site.toml");
    std::fs::write(&path, change(&read(&path))).unwrap();
}

fn rendered(root: &Path) -> HashMap<String, String> {
    let site = tootbridge::render_site(root, None).expect("the site renders");
    assert!(site.warnings.iter().all(|w| !w.starts_with("privacy")));
    site.files
        .into_iter()
        .filter_map(|f| match f.body {
            Body::Bytes(b) if f.path.ends_with(".html") || f.path.ends_with(".xml") => {
                Some((f.path, String::from_utf8(b).unwrap()))
            }
            _ => None,
        })
        .collect()
}

/// The `<nav class="footer-links">` of a page, if any.
fn footer_nav(html: &str) -> Option<&str> {
    let start = html.find("<nav class=\"footer-links\"")?;
    let end = start + html[start..].find("</nav>")? + "</nav>".len();
    Some(&html[start..end])
}

fn hrefs(nav: &str) -> Vec<&str> {
    nav.split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

/// Deletes the stored toot `id` and leaves its tombstone, as sync does, so
/// the build writes its "removed" page.
fn remove_toot(site: &Path, id: &str) {
    let toot = site.join(format!("content/toots/social.example/news/{id}.json"));
    std::fs::remove_file(toot).unwrap();
    let path = site.join("content/state/social.example/news.json");
    let mut state: tootbridge::model::AccountState = serde_json::from_str(&read(&path)).unwrap();
    state.tombstones.push(tootbridge::model::Tombstone {
        id: id.to_string(),
        deleted_at: "2026-11-26T07:00:00Z".parse().unwrap(),
    });
    std::fs::write(&path, serde_json::to_vec_pretty(&state).unwrap()).unwrap();
}

#[test]
fn every_page_of_the_example_build_has_the_footer_links() {
    let site = example_site();
    remove_toot(site.path(), "117478195200060798");
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages = 0;
    for (path, bytes) in read_tree(&site.path().join("public")) {
        // The CMS fragment is part of the agency's own page and its footer.
        if !path.ends_with(".html") || path == "embed/latest.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let nav = footer_nav(&html).unwrap_or_else(|| panic!("{path} has no footer links"));
        assert_eq!(hrefs(nav), EXAMPLE_LINKS, "{path}");
        let footer_at = html.find("</main>").or(html.find("</section>")).unwrap();
        assert!(
            html.find(nav).unwrap() > footer_at,
            "{path}: after the content"
        );
        pages += 1;
    }
    // Index pages, toot pages, tags, 404, removed pages, statement, frame.
    assert!(pages > 40, "only {pages} pages");
    let removed = read(
        site.path()
            .join("public/toots/117478195200060798/index.html"),
    );
    assert!(removed.contains("Dieser Beitrag wurde entfernt"));
    for special in [
        "404.html",
        "embed/frame.html",
        "barrierefreiheit/index.html",
        "ueber-diesen-kanal/index.html",
    ] {
        assert!(
            site.path().join("public").join(special).is_file(),
            "{special}"
        );
    }
}

#[test]
fn footer_snapshots_in_both_languages() {
    let site = example_site();
    let de = rendered(site.path());
    let footer = |pages: &HashMap<String, String>, page: &str| {
        let html = &pages[page];
        let start = html.rfind("<footer").unwrap();
        html[start..html.rfind("</footer>").unwrap() + 9].to_string()
    };
    insta::assert_snapshot!("footer_de", footer(&de, "index.html"));
    insta::assert_snapshot!("footer_frame_de", footer(&de, "embed/frame.html"));
    // The statement page marks its own footer link as the current page.
    let own = footer(&de, "barrierefreiheit/index.html");
    assert!(own.contains("barrierefreiheit/\" aria-current=\"page\">Barrierefreiheit<"));
    assert!(!footer(&de, "404.html").contains("aria-current"));

    set_config(site.path(), |t| {
        t.replace("language = \"de\"", "language = \"en\"")
    });
    let en = rendered(site.path());
    insta::assert_snapshot!("footer_en", footer(&en, "index.html"));
    assert!(footer(&en, "404.html").contains(">Imprint</a>"));
}

#[test]
fn statement_page_in_both_languages_and_in_the_sitemap() {
    let site = example_site();
    let main = |html: &str| {
        html[html.find("<main").unwrap()..html.find("</main>").unwrap() + 7].to_string()
    };
    let de = rendered(site.path());
    let page = &de["barrierefreiheit/index.html"];
    assert!(page.contains("<title>Erklärung zur Barrierefreiheit – Beispielamt"));
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://www.beispielamt.example/neuigkeiten/barrierefreiheit/\">"
    ));
    insta::assert_snapshot!("statement_de", main(page));
    assert!(de["sitemap.xml"]
        .contains("<loc>https://www.beispielamt.example/neuigkeiten/barrierefreiheit/</loc>"));
    assert!(!de.contains_key("accessibility/index.html"));

    // English wording, the English address, and the site's own texts for
    // feedback and another conciliation body.
    set_config(site.path(), |t| {
        t.replace("language = \"de\"", "language = \"en\"").replace(
            "assessment = \"self\"",
            "assessment = \"external\"\nfeedback_text = \"Tell us <now>.\"\n\
             enforcement_title = \"Land body\"\nenforcement_url = \"https://land.example/schlichtung\"",
        )
    });
    let en = rendered(site.path());
    let page = &en["accessibility/index.html"];
    insta::assert_snapshot!("statement_en", main(page));
    assert!(
        page.contains("<p>Tell us &lt;now&gt;.</p>"),
        "texts are escaped"
    );
    assert!(!en.contains_key("barrierefreiheit/index.html"));
    assert!(en["sitemap.xml"].contains("/neuigkeiten/accessibility/</loc>"));
}

#[test]
fn without_the_tables_there_is_no_footer_nav_and_no_statement() {
    let site = example_site();
    set_config(site.path(), without_legal);
    let pages = rendered(site.path());
    assert!(pages.values().all(|html| footer_nav(html).is_none()));
    assert!(!pages.contains_key("barrierefreiheit/index.html"));
    assert!(!pages["sitemap.xml"].contains("/neuigkeiten/barrierefreiheit/<"));
}

#[test]
fn links_to_other_hosts_pass_the_privacy_check() {
    let site = example_site();
    // Every named link and an extra one on hosts that are not the site's.
    set_config(site.path(), |t| {
        format!(
            "{}\n[links]\nimprint = \"https://amt.example.org/impressum\"\n\
             privacy = \"http://amt.example.net/ds\"\naccessibility = \"https://bf.example.com/\"\n\
             contact = \"mailto:post@amt.example.org\"\neasy_language = \"https://ls.example.org/\"\n\
             sign_language = \"https://dgs.example.org/\"\n\
             extra = [{{ title = \"Portal\", url = \"https://portal.example.org/\" }}]\n",
            without_legal(t)
        )
    });
    // strict_privacy is on: a finding would fail this build.
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = read(site.path().join("public/index.html"));
    let nav = footer_nav(&index).unwrap();
    assert_eq!(hrefs(nav).len(), 7);
    assert!(nav.contains(
        "<a href=\"https://amt.example.org/impressum\" rel=\"noreferrer\">Impressum</a>"
    ));
    assert!(nav.contains("<a href=\"mailto:post@amt.example.org\">Kontakt</a>"));
    // The scanner sees links as links; the same address as an image is a load.
    assert!(tootbridge::testing::privacy::html_loads(nav).is_empty());
    let as_image = nav.replace("<a href=", "<img src=");
    assert!(tootbridge::testing::privacy::html_loads(&as_image)
        .iter()
        .any(|u| u == "https://amt.example.org/impressum"));
    let files = vec![tootbridge::testing::render::OutputFile {
        path: "index.html".into(),
        body: Body::Bytes(index.into_bytes()),
    }];
    assert!(tootbridge::testing::privacy::scan(
        &files,
        "https://www.beispielamt.example/neuigkeiten"
    )
    .is_empty());
}

#[test]
fn check_warns_about_missing_legal_links_on_a_german_site() {
    let site = example_site();
    let root = site.path();
    let legal = |report: &tootbridge::CheckReport| -> Vec<String> {
        report
            .warnings
            .iter()
            .filter(|w| w.contains("[links]"))
            .cloned()
            .collect()
    };
    assert!(
        legal(&tootbridge::check(root).unwrap()).is_empty(),
        "the example sets all"
    );

    set_config(root, without_legal);
    let warnings = legal(&tootbridge::check(root).unwrap());
    insta::assert_snapshot!("check_warnings_de", warnings.join("\n"));
    let out = tootbridge(&["--root", root.to_str().unwrap(), "check"]);
    assert!(out.status.success(), "warnings do not fail check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warning: site.toml: [links] `imprint` is not set"),
        "{text}"
    );

    // Each link silences its own warning; the statement stands in for the
    // accessibility link.
    set_config(root, |t| format!("{t}\n[links]\nprivacy = \"/ds/\"\n"));
    let warnings = legal(&tootbridge::check(root).unwrap());
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("`imprint`") && warnings[1].contains("`accessibility`"));
    set_config(root, |t| {
        format!(
            "{t}\n[accessibility_statement]\nstatus = \"fully\"\nprepared = 2026-01-01\nemail = \"a@b.example\"\n"
        )
    });
    let warnings = legal(&tootbridge::check(root).unwrap());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("`imprint`"));

    // Another language, another jurisdiction: no warning.
    set_config(root, |t| {
        t.replace("language = \"de\"", "language = \"en\"")
    });
    assert!(legal(&tootbridge::check(root).unwrap()).is_empty());
}

#[test]
fn a_markdown_page_cannot_take_the_statement_address() {
    let site = example_site();
    let root = site.path();
    let page = root.join("content/pages/barrierefreiheit.md");
    std::fs::write(&page, "+++\ntitle = \"Barrierefreiheit\"\n+++\nText\n").unwrap();
    let out = tootbridge(&["--root", root.to_str().unwrap(), "build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("barrierefreiheit.md"), "{err}");
    assert!(
        err.contains("reserved for the accessibility statement"),
        "{err}"
    );
    // Without the generated statement, the address is the editors' to use.
    set_config(root, without_legal);
    let pages = rendered(root);
    assert!(pages["barrierefreiheit/index.html"]
        .contains("<h1 id=\"page-title\">Barrierefreiheit</h1>"));
}
