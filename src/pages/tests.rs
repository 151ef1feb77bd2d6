//! Unit tests of `pages.rs`.

use super::*;

fn page(text: &str) -> Result<Page> {
    parse(text, Path::new("content/pages/Über uns.md"), true)
}

#[test]
fn front_matter_and_markdown() {
    let p = page("+++\ntitle = \"Über uns\"\nweight = 3\n+++\n# Wer wir sind\n\nText.\n").unwrap();
    assert_eq!(p.title, "Über uns");
    assert_eq!(p.slug, "ueber-uns");
    assert_eq!(p.weight, 3);
    assert!(!p.draft);
    assert!(p.content.as_str().contains("<h2>Wer wir sind</h2>"));
    let p =
        page("+++\r\ntitle = \"X\"\r\nslug = \"impressum\"\r\ndraft = true\r\n+++\r\nA").unwrap();
    assert_eq!(p.slug, "impressum");
    assert!(p.draft);
}

#[test]
fn intro_needs_no_front_matter() {
    let p = parse("Willkommen!", Path::new("content/pages/_index.md"), false).unwrap();
    assert_eq!(p.content.as_str().trim(), "<p>Willkommen!</p>");
}

#[test]
fn mistakes_name_file_and_line() {
    let msg = page("Kein Front Matter").unwrap_err().to_string();
    assert!(msg.starts_with("content/pages/Über uns.md:1:"), "{msg}");
    let msg = page("+++\ntitle = \"X\"\ntitel = \"Y\"\n+++\n")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("content/pages/Über uns.md:3:"), "{msg}");
    assert!(msg.contains("titel"), "{msg}");
    assert!(page("+++\nweight = 1\n+++\n")
        .unwrap_err()
        .to_string()
        .contains("title"));
    assert!(page("+++\ntitle = \"X\"\nslug = \"../x\"\n+++\n")
        .unwrap_err()
        .to_string()
        .contains("slug"));
    assert!(page("+++\ntitle = \"X\"\nslug = \"tags\"\n+++\n")
        .unwrap_err()
        .to_string()
        .contains("taken"));
}

#[test]
fn slugs() {
    assert_eq!(slugify("Über diesen Kanal"), "ueber-diesen-kanal");
    assert_eq!(
        slugify("  Datenschutz & Impressum! "),
        "datenschutz-impressum"
    );
    assert_eq!(slugify("Straße_2"), "strasse-2");
}

#[test]
fn load_sorts_skips_drafts_and_refuses_duplicate_slugs() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("content/pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(pages.join("b.md"), "+++\ntitle = \"B\"\nweight = 1\n+++\n").unwrap();
    std::fs::write(pages.join("a.md"), "+++\ntitle = \"A\"\nweight = 2\n+++\n").unwrap();
    std::fs::write(
        pages.join("d.md"),
        "+++\ntitle = \"D\"\ndraft = true\n+++\n",
    )
    .unwrap();
    std::fs::write(pages.join("_index.md"), "Hallo").unwrap();
    std::fs::write(pages.join("notes.txt"), "ignored").unwrap();
    let loaded = load(&Store::new(dir.path()), false).unwrap();
    let slugs: Vec<_> = loaded.pages.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["b", "a"]);
    assert!(loaded.intro.is_some());
    assert_eq!(load(&Store::new(dir.path()), true).unwrap().pages.len(), 3);
    std::fs::write(
        pages.join("c.md"),
        "+++\ntitle = \"C\"\nslug = \"a\"\n+++\n",
    )
    .unwrap();
    let msg = load(&Store::new(dir.path()), false)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("also used"), "{msg}");
    assert!(load(&Store::new(&dir.path().join("nothing")), false)
        .unwrap()
        .pages
        .is_empty());
}
