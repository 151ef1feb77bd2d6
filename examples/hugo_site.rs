//! Turns a tootbridge site into an equivalent Hugo site, for the side-by-side
//! timing in `scripts/bench.sh`:
//!
//! ```text
//! cargo run --release --example hugo_site -- SITE_DIR HUGO_DIR
//! ```
//!
//! Every published toot becomes `content/toots/<id>.md` with TOML front matter
//! (title, date, tags, language, content warning) and, as its body, the HTML
//! tootbridge would show: the content after our sanitizer, then the images.
//! (Hugo's Markdown renderer passes that HTML through; it does not sanitize.)
//! Mirrored media go to `static/media/` so Hugo copies them as we do. The theme
//! in `layouts/` is as small as ours: a base template, an index paginated by
//! the same `per_page`, one page per toot, a page per tag (paginated) and the
//! tag index (Debian's Hugo 0.111 reads `paginate`; newer ones
//! `[pagination] pagerSize`). Hugo adds its built-in RSS for the index and every tag and a
//! sitemap.

mod peer;

use std::fmt::Write as _;
use std::fs;

use peer::toml_string;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (root, out) = peer::args("hugo_site SITE_DIR HUGO_DIR");
    let out = out.as_path();
    let site = peer::load(&root)?;
    let config = &site.config;
    let base = site.base();
    let (toots, copied) = site.write_toots(out, |v| {
        let mut md = String::new();
        writeln!(md, "title = {}", toml_string(&v.title))?;
        writeln!(md, "date = {}", v.created_iso)?;
        writeln!(md, "slug = {}", toml_string(&v.id))?;
        if let Some(lang) = &v.lang {
            writeln!(md, "toot_lang = {}", toml_string(lang))?;
        }
        if !v.cw.is_empty() {
            writeln!(md, "cw = {}", toml_string(&v.cw))?;
        }
        let tags: Vec<String> = v.tags.iter().map(|t| toml_string(&t.name)).collect();
        writeln!(md, "tags = [{}]", tags.join(", "))?;
        writeln!(md, "author = {}", toml_string(&v.author.name))?;
        Ok(md)
    })?;
    let hugo_toml = format!(
        "baseURL = {base}\nlanguageCode = {lang}\ntitle = {title}\n\
         disableKinds = [\"section\", \"robotsTXT\", \"404\"]\n\
         paginate = {per_page}\n\
         [taxonomies]\ntag = \"tags\"\n\
         [markup.goldmark.renderer]\nunsafe = true\n\
         [services.rss]\nlimit = {items}\n",
        base = toml_string(&format!("{base}/")),
        lang = toml_string(config.language.code()),
        title = toml_string(&config.title),
        per_page = config.pages.per_page.0,
        items = config.feeds.items.0,
    );
    fs::write(out.join("hugo.toml"), hugo_toml)?;
    site.write_theme(out, "layouts", LAYOUTS)?;
    println!(
        "wrote a Hugo site of {} toots and {copied} media files into {}",
        toots,
        out.display()
    );
    Ok(())
}

/// A theme as small as the built-in one: same pages, plain markup.
const LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}">
<link rel="stylesheet" href="{{ "style.css" | absURL }}">
</head>
<body>
<header class="site-header"><p class="site-title"><a href="{{ site.Home.Permalink }}">{{ site.Title }}</a></p>
<nav><ul><li><a href="{{ site.Home.Permalink }}">Startseite</a></li><li><a href="{{ "tags/" | absURL }}">Schlagwörter</a></li></ul></nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#,
    ),
    (
        "partials/toot.html",
        r#"<article class="toot"{{ with .Params.toot_lang }} lang="{{ . }}"{{ end }}>
<header><h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2.1.2006, 15:04" }}</time> · {{ .Params.author }}</p></header>
{{ with .Params.cw }}<details><summary>{{ . }}</summary>{{ end }}
<div class="toot-content">{{ .Content }}</div>
{{ with .Params.cw }}</details>{{ end }}
{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .Permalink }}">#{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</article>
"#,
    ),
    (
        "partials/list.html",
        r#"<ol class="toot-list">{{ range .Paginator.Pages }}<li>{{ partial "toot.html" . }}</li>{{ end }}</ol>
{{ template "_internal/pagination.html" . }}
"#,
    ),
    (
        "index.html",
        r#"{{ define "main" }}{{ $p := .Paginate site.RegularPages }}<h1>{{ site.Title }}</h1>{{ partial "list.html" . }}{{ end }}
"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ partial "toot.html" . }}{{ end }}
"#,
    ),
    (
        "_default/term.html",
        r#"{{ define "main" }}{{ $p := .Paginate .Pages }}<h1>#{{ .Title }}</h1><p>{{ len .Pages }} Beiträge</p>{{ partial "list.html" . }}{{ end }}
"#,
    ),
    (
        "_default/taxonomy.html",
        r#"{{ define "main" }}<h1>Schlagwörter</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">#{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#,
    ),
];
