//! Unit tests of `theme.rs`.

use super::*;

#[test]
fn the_compiled_in_theme_is_every_file_of_themes_default() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    on_disk.sort();
    let mut built_in: Vec<String> = BUILTIN.iter().map(|(p, _)| p.to_string()).collect();
    built_in.sort();
    assert_eq!(
        built_in, on_disk,
        "BUILTIN must list every file of themes/default/"
    );
}

#[test]
fn builtin_theme_loads_in_both_languages() {
    for lang in ["de", "en"] {
        let theme = Theme::load(Path::new("/nonexistent"), false, lang).unwrap();
        assert!(theme.tera.get_template_names().any(|n| n == "toot.html"));
        assert!(theme.statics.iter().any(|(n, _)| n == "style.css"));
        assert_eq!(theme.i18n.months.len(), 12);
    }
    // de and en must offer the same keys.
    let de = Theme::load(Path::new("/nonexistent"), false, "de")
        .unwrap()
        .i18n;
    let en = Theme::load(Path::new("/nonexistent"), false, "en")
        .unwrap()
        .i18n;
    assert_eq!(
        de.strings.keys().collect::<Vec<_>>(),
        en.strings.keys().collect::<Vec<_>>()
    );
}

#[test]
fn site_files_override_and_extend() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
    std::fs::write(dir.path().join("templates/404.html"), "gone").unwrap();
    std::fs::write(dir.path().join("static/logo.svg"), "<svg/>").unwrap();
    std::fs::write(
        dir.path().join("i18n/fr.toml"),
        String::from_utf8_lossy(BUILTIN.iter().find(|f| f.0 == "i18n/en.toml").unwrap().1)
            .replace("Home", "Accueil"),
    )
    .unwrap();
    let theme = Theme::load(dir.path(), true, "fr").unwrap();
    assert_eq!(
        theme.render("404.html", &tera::Context::new()).unwrap(),
        "gone"
    );
    assert!(theme.statics.iter().any(|(n, _)| n == "logo.svg"));
    assert_eq!(theme.i18n.get("home"), "Accueil");
}

#[test]
fn broken_template_and_missing_language_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/404.html"), "{% if %}").unwrap();
    let err = Theme::load(dir.path(), true, "de")
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("404.html"), "{err}");
    let err = Theme::load(Path::new("/nonexistent"), false, "fr")
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("i18n/fr.toml"), "{err}");
    let err = Theme::load(Path::new("/nonexistent"), true, "de")
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("does not exist"), "{err}");
}

/// Tera 1's `filter` filter, registered for Tera 1 themes: by equal value,
/// by a set (not null) attribute, along a dotted path, and an empty list.
#[test]
fn the_filter_filter_keeps_items_as_tera_1_did() {
    let mut tera = Tera::new();
    tera.register_filter("filter", filter_by_attribute);
    tera.add_raw_templates(vec![
        (
            "by_value.html",
            "{% for m in items | filter(attribute=\"kind\", value=\"image\") %}{{ m.id }},{% endfor %}",
        ),
        (
            "set.html",
            "{% for m in items | filter(attribute=\"alt\") %}{{ m.id }},{% endfor %}",
        ),
        (
            "path.html",
            "{% for m in items | filter(attribute=\"meta.w\", value=2) %}{{ m.id }},{% endfor %}",
        ),
        (
            "first.html",
            "{% set i = items | filter(attribute=\"kind\", value=\"audio\") | first %}[{% if i %}{{ i.id }}{% endif %}]",
        ),
    ])
    .unwrap();
    let items = serde_json::json!([
        {"id": 1, "kind": "image", "alt": "a", "meta": {"w": 2}},
        {"id": 2, "kind": "video", "alt": null, "meta": {"w": 3}},
        {"id": 3, "kind": "image", "meta": {"w": 2}},
    ]);
    let mut context = tera::Context::new();
    context.insert("items", &items);
    let render = |name: &str| tera.render(name, &context).unwrap();
    assert_eq!(render("by_value.html"), "1,3,");
    assert_eq!(render("set.html"), "1,");
    assert_eq!(render("path.html"), "1,3,");
    assert_eq!(render("first.html"), "[]");
}
