//! Unit tests of `check.rs`.

use super::*;

#[test]
fn comments_load_nothing() {
    assert_eq!(
        without_comments("a/* url(x.png) */b \"/*kept*/\" c/**/d/* open"),
        "a b \"/*kept*/\" c d "
    );
    let sheets = vec![(
        "s.css".to_string(),
        "/* e.g. --logo: url(\"logo.svg\"); */ .a { color: red }".to_string(),
    )];
    assert!(missing_stylesheet_files(&sheets, &HashSet::new(), "https://x.org").is_empty());
}

#[test]
fn stylesheet_references_to_missing_files_are_found() {
    let css = "@import \"parts/more.css\";\n\
                   body { background: url(../img/bg.png) }\n\
                   .logo { background: url('logo.svg?v=2#x') }\n\
                   .a { background: url(/news/static/gone%20away.svg) }\n\
                   .b { background: url(data:image/png;base64,AAAA) }\n\
                   .c { background: url(https://cdn.example.net/x.png) }\n";
    let sheets = vec![("static/style.css".to_string(), css.to_string())];
    let paths: HashSet<String> = ["static/style.css", "static/parts/more.css", "img/bg.png"]
        .into_iter()
        .map(String::from)
        .collect();
    let found = missing_stylesheet_files(&sheets, &paths, "https://example.org/news");
    assert_eq!(
        found,
        [
            "static/style.css loads logo.svg?v=2#x, but the site has no file static/logo.svg",
            "static/style.css loads /news/static/gone%20away.svg, but the site has no file \
                 static/gone away.svg",
        ]
    );
    // With every file present nothing is reported.
    let mut all = paths.clone();
    all.extend([
        "static/logo.svg".to_string(),
        "static/gone away.svg".to_string(),
    ]);
    assert!(missing_stylesheet_files(&sheets, &all, "https://example.org/news").is_empty());
}
