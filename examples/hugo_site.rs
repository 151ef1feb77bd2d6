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

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use tootbridge::config;
use tootbridge::store::Store;
use tootbridge::testing::render::view::{self, Site};
use tootbridge::testing::select;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, out] = args.as_slice() else {
        eprintln!("usage: hugo_site SITE_DIR HUGO_DIR");
        std::process::exit(2);
    };
    let (root, out) = (Path::new(root), Path::new(out));
    let config = config::load(root)?;
    let store = Store::new(root);
    let mut accounts = tootbridge::testing::load_accounts(&store, &config)?;
    tootbridge::testing::drop_deleted(&mut accounts);
    let media = tootbridge::testing::media_index(&store.media_dir())?;
    let theme = tootbridge::testing::load_theme(root, &config)?;
    let selection = select::select(&config.select, &accounts);
    let base = config.base_url.trimmed().to_string();
    let site = Site {
        base: base.clone(),
        lang: config.language.code().to_string(),
        tz: config.timezone.0,
        i18n: &theme.i18n,
        media: &media,
    };

    let content = out.join("content/toots");
    fs::create_dir_all(&content)?;
    let media_prefix = format!("{base}/media/");
    let mut copied = 0;
    for entry in &selection.entries {
        let v = view::toot_view(entry, &site);
        let mut md = String::from("+++\n");
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
        md.push_str("+++\n\n");
        md.push_str(v.content.as_str());
        md.push('\n');
        for m in &v.media {
            if let Some(url) = &m.url {
                let rel = url.strip_prefix(&media_prefix).unwrap_or(url);
                let src = store.media_dir().join(rel);
                let dest = out.join("static/media").join(rel);
                if !dest.exists() && src.is_file() {
                    fs::create_dir_all(dest.parent().unwrap())?;
                    fs::copy(&src, &dest)?;
                    copied += 1;
                }
                writeln!(
                    md,
                    "\n<img src=\"{media_prefix}{rel}\" alt=\"{}\" width=\"{}\" height=\"{}\">",
                    tootbridge::testing::sanitize::escape(&m.alt),
                    m.width.unwrap_or(0),
                    m.height.unwrap_or(0)
                )?;
            }
        }
        fs::write(content.join(format!("{}.md", v.id)), md)?;
    }

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
    for (name, text) in LAYOUTS {
        let path = out.join("layouts").join(name);
        fs::create_dir_all(path.parent().unwrap())?;
        fs::write(path, text)?;
    }
    fs::create_dir_all(out.join("static"))?;
    fs::write(
        out.join("static/style.css"),
        theme
            .statics
            .iter()
            .find(|(n, _)| n == "style.css")
            .map(|(_, b)| b.clone())
            .unwrap_or_default(),
    )?;
    println!(
        "wrote a Hugo site of {} toots and {copied} media files into {}",
        selection.entries.len(),
        out.display()
    );
    Ok(())
}

fn toml_string(s: &str) -> String {
    // A TOML basic string is a JSON string for our purposes.
    serde_json::to_string(s).expect("strings serialize")
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
