//! Editorial control, each documented in the README: content/overrides.toml
//! (hide, pin, titles, notes), content/pages/, the `[select]` filters of
//! site.toml, and the editorial report of `check`.

use std::path::Path;

use crate::support::{example_site, read, tootbridge};

const NEWEST: &str = "117677909606452303"; // #Pressemitteilung #Bürgerservice
const SECOND: &str = "117670595788835846";
const OLDER: &str = "115293251174451184"; // the poll
const THREAD_ROOT: &str = "114381501235232697";
const THREAD_PART: &str = "114381509099585242";
const REPLY_TO_OTHER: &str = "114975454003229741";
const BOOST: &str = "115501930905600070";
const ENGLISH: &str = "114002362368009517";
const MAINTENANCE: &str = "113860096819236430"; // #Wartung

fn write(path: impl AsRef<Path>, text: &str) {
    let path = path.as_ref();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn build(site: &Path) {
    let out = tootbridge(&["--root", site.to_str().unwrap(), "build"]);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn page_exists(site: &Path, id: &str) -> bool {
    site.join(format!("public/toots/{id}/index.html")).is_file()
}

/// Builds with `[select]` replaced by `select` and returns the site.
fn build_with_select(select: &str) -> tempfile::TempDir {
    let site = example_site();
    let config = read(site.path().join("site.toml"));
    let start = config.find("[select]").unwrap();
    let end = config.find("[pages]").unwrap();
    let config = format!(
        "{}[select]\n{select}\n\n{}",
        &config[..start],
        &config[end..]
    );
    write(site.path().join("site.toml"), &config);
    build(site.path());
    site
}

#[test]
fn hide_removes_a_toot_everywhere() {
    let site = example_site();
    build(site.path());
    assert!(page_exists(site.path(), NEWEST));
    write(
        site.path().join("content/overrides.toml"),
        &format!("hide = [\"{NEWEST}\"]\n"),
    );
    build(site.path());
    assert!(!page_exists(site.path(), NEWEST));
    for file in [
        "index.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "tags/pressemitteilung/index.html",
    ] {
        let text = read(site.path().join("public").join(file));
        assert!(!text.contains(NEWEST), "{file} still names the hidden toot");
    }
}

#[test]
fn pin_puts_a_toot_first_on_the_home_page_only() {
    let site = example_site();
    write(
        site.path().join("content/overrides.toml"),
        &format!("pin = [\"{OLDER}\"]\n"),
    );
    build(site.path());
    let home = read(site.path().join("public/index.html"));
    let pinned = home.find(&format!("id=\"toot-{OLDER}\"")).unwrap();
    let newest = home.find(&format!("id=\"toot-{NEWEST}\"")).unwrap();
    assert!(pinned < newest, "the pinned toot comes first");
    assert!(home.contains("toot-pinned"));
    // Feeds stay in time order.
    let feed = read(site.path().join("public/feed.xml"));
    assert!(feed.find(NEWEST).unwrap() < feed.find(OLDER).unwrap());
}

#[test]
fn titles_and_notes_change_page_and_feed() {
    let site = example_site();
    write(
        site.path().join("content/overrides.toml"),
        &format!(
            "[titles]\n{OLDER} = \"Umfrage: Wie erreichen Sie uns?\"\n\n[notes]\n{OLDER} = \"\"\"\n**Korrektur:** Die Umfrage lief bis Freitag.\n<script>alert(1)</script>\n\"\"\"\n"
        ),
    );
    build(site.path());
    let page = read(site.path().join(format!("public/toots/{OLDER}/index.html")));
    assert!(
        page.contains("<title>Umfrage: Wie erreichen Sie uns? –"),
        "{page}"
    );
    assert!(page.contains(">Umfrage: Wie erreichen Sie uns?</h1>"));
    assert!(page.contains("class=\"toot-note\""));
    assert!(page.contains("<strong>Korrektur:</strong> Die Umfrage lief bis Freitag."));
    assert!(page.contains("Anmerkung der Redaktion"));
    assert!(
        !page.contains("<script>alert"),
        "raw HTML in a note is text"
    );
    let feed = read(site.path().join("public/feed.xml"));
    assert!(feed.contains("<title>Umfrage: Wie erreichen Sie uns?</title>"));
    // The note is in every feed format's item: raw HTML in RSS's CDATA,
    // escaped once in Atom, \u-escaped in JSON Feed; the script in it is text.
    let note_html = "<p><strong>Anmerkung der Redaktion:</strong></p>\
                     <p><strong>Korrektur:</strong> Die Umfrage lief bis Freitag.";
    for (file, expected, script) in [
        ("feed.xml", note_html.to_string(), "<script>alert"),
        (
            "atom.xml",
            note_html.replace('<', "&lt;").replace('>', "&gt;"),
            "&lt;script&gt;alert",
        ),
        (
            "feed.json",
            note_html.replace('<', "\\u003c").replace('>', "\\u003e"),
            "\\u003cscript\\u003ealert",
        ),
    ] {
        let feed = read(site.path().join("public").join(file));
        assert!(feed.contains(&expected), "{file}: {feed}");
        assert!(!feed.contains(script), "{file}");
    }
}

#[test]
fn a_broken_overrides_file_names_file_and_line() {
    let site = example_site();
    write(
        site.path().join("content/overrides.toml"),
        "hide = [\"1\"]\npinn = [\"2\"]\n",
    );
    let out = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("overrides.toml:2:"), "{err}");
    assert!(err.contains("pinn"), "{err}");
}

#[test]
fn pages_and_the_intro() {
    let site = example_site();
    // Start from no pages at all, whatever the example site ships.
    std::fs::remove_dir_all(site.path().join("content/pages")).unwrap();
    write(
        site.path().join("content/pages/ueber.md"),
        "+++\ntitle = \"Über diesen Kanal\"\nslug = \"ueber-diesen-kanal\"\nweight = 1\n+++\n# Wer schreibt hier?\n\nDie Pressestelle.\n",
    );
    write(
        site.path().join("content/pages/datenschutz.md"),
        "+++\ntitle = \"Datenschutz\"\nweight = 2\n+++\nKeine Cookies.\n",
    );
    write(
        site.path().join("content/pages/_index.md"),
        "Hier schreibt *die Pressestelle*.\n",
    );
    build(site.path());
    let public = site.path().join("public");
    let page = read(public.join("ueber-diesen-kanal/index.html"));
    assert!(page.contains(">Über diesen Kanal</h1>"));
    assert!(page.contains("<h2>Wer schreibt hier?</h2>"));
    assert!(page.contains("aria-current=\"page\">Über diesen Kanal</a>"));
    assert!(public.join("datenschutz/index.html").is_file());
    let home = read(public.join("index.html"));
    let about = home
        .find("/ueber-diesen-kanal/\">Über diesen Kanal</a>")
        .unwrap();
    let privacy = home.find("/datenschutz/\">Datenschutz</a>").unwrap();
    assert!(about < privacy, "weight orders the navigation");
    assert!(home.contains("<div class=\"intro\"><p>Hier schreibt <em>die Pressestelle</em>.</p>"));
    assert!(!read(public.join("p/1/index.html")).contains("class=\"intro\""));
    let toot = read(public.join(format!("toots/{OLDER}/index.html")));
    assert!(
        toot.contains("/datenschutz/\">Datenschutz</a>"),
        "every page has the nav"
    );
    assert!(read(public.join("sitemap.xml")).contains("/ueber-diesen-kanal/</loc>"));
}

#[test]
fn include_and_exclude_tags() {
    let site = build_with_select("include_tags = [\"pressemitteilung\"]");
    let pages = std::fs::read_dir(site.path().join("public/toots"))
        .unwrap()
        .count();
    assert_eq!(pages, 3, "only the three press releases");
    assert!(page_exists(site.path(), NEWEST));

    let site = build_with_select("exclude_tags = [\"Wartung\"]");
    assert!(!page_exists(site.path(), MAINTENANCE));
    assert!(page_exists(site.path(), NEWEST));
}

#[test]
fn replies_and_boosts() {
    let site = build_with_select("replies = \"none\"\nboosts = false");
    assert!(page_exists(site.path(), THREAD_ROOT));
    assert!(!page_exists(site.path(), THREAD_PART));
    assert!(!page_exists(site.path(), BOOST));

    let site = build_with_select("replies = \"self\"\nboosts = true");
    assert!(page_exists(site.path(), THREAD_PART));
    assert!(!page_exists(site.path(), REPLY_TO_OTHER));
    assert!(page_exists(site.path(), BOOST));

    let site = build_with_select("replies = \"all\"");
    assert!(page_exists(site.path(), REPLY_TO_OTHER));
    assert!(
        !page_exists(site.path(), BOOST),
        "boosts are off by default"
    );
}

#[test]
fn since_languages_and_visibility() {
    let site = build_with_select("since = 2026-01-01");
    assert!(!page_exists(site.path(), OLDER));
    assert!(page_exists(site.path(), NEWEST));

    let site = build_with_select("languages = [\"en\"]");
    assert!(page_exists(site.path(), ENGLISH));
    assert!(!page_exists(site.path(), NEWEST));

    let site = build_with_select("visibility = [\"public\", \"unlisted\"]");
    assert!(page_exists(site.path(), "115213389004820300"), "unlisted");
    assert!(
        !page_exists(site.path(), "114739170508811243"),
        "private, never"
    );
}

#[test]
fn check_prints_the_editorial_report() {
    let site = example_site();
    write(
        site.path().join("content/overrides.toml"),
        &format!(
            "hide = [\"{NEWEST}\", \"{REPLY_TO_OTHER}\"]\npin = [\"{SECOND}\", \"999\"]\n[titles]\n{NEWEST} = \"Zurückgezogen\"\n"
        ),
    );
    write(
        site.path().join("content/pages/impressum.md"),
        "+++\ntitle = \"Impressum\"\ndraft = true\n+++\n",
    );
    let out = tootbridge(&[
        "--root",
        site.path().to_str().unwrap(),
        "check",
        "--newest",
        "3",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Hidden by the rules in site.toml"), "{text}");
    assert!(text.contains("visibility is private"), "{text}");
    assert!(
        text.contains("(text not shown: not a public toot)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{REPLY_TO_OTHER} 2025-08-05"))
            && text.contains("reply, and [select] replies"),
        "{text}"
    );
    assert!(
        text.contains("Hidden by content/overrides.toml (1):"),
        "{text}"
    );
    assert!(text.contains(&format!("{NEWEST} 2026-11-25")), "{text}");
    assert!(text.contains("Zurückgezogen"), "{text}");
    assert!(
        text.contains("Newest published toots (3 of at most 3):"),
        "{text}"
    );
    assert!(text.contains("[pinned]"), "{text}");
    assert!(
        text.contains("warning: content/overrides.toml: toot 999 (in pin) is not a stored toot"),
        "{text}"
    );
    assert!(text.contains("draft (shown by serve only): "), "{text}");
    assert!(text.contains("impressum.md"), "{text}");
    assert!(
        text.contains("titles has no effect, the toot is hidden"),
        "{text}"
    );
    assert!(
        text.contains("hide has no effect, the rules already leave it out"),
        "{text}"
    );
}
