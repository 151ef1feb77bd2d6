//! Turns a tootbridge site into an equivalent Zola site, for the side-by-side
//! timing in `scripts/bench.sh` (the Zola twin of `hugo_site.rs`):
//!
//! ```text
//! cargo run --release --example zola_site -- SITE_DIR ZOLA_DIR
//! ```
//!
//! Every published toot becomes `content/toots/<id>.md` with TOML front matter
//! (title, date, tags, and language, author and content warning in `[extra]`)
//! and, as its body, the HTML tootbridge would show: the content after our
//! sanitizer, then the images. (Zola's Markdown renderer passes that HTML
//! through.) `content/toots/_index.md` is a transparent section, so the toots
//! are the home page's pages, paginated by the same `per_page`; the `tags`
//! taxonomy is paginated the same way and has a feed per tag. Zola writes an
//! RSS feed of the site (`rss.xml`, as Hugo gives one format), the sitemap,
//! robots.txt and a 404 page. Mirrored media go to `static/media/` so Zola
//! copies them as we do. The templates are as small as ours.

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
        eprintln!("usage: zola_site SITE_DIR ZOLA_DIR");
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
    let per_page = config.pages.per_page.0;
    fs::write(
        out.join("content/_index.md"),
        format!("+++\nsort_by = \"date\"\npaginate_by = {per_page}\n+++\n"),
    )?;
    // Transparent: its pages belong to the home page's list; the section
    // itself has no page of its own (tootbridge has no /toots/ either).
    fs::write(
        content.join("_index.md"),
        "+++\nsort_by = \"date\"\ntransparent = true\nrender = false\n+++\n",
    )?;
    let media_prefix = format!("{base}/media/");
    let mut copied = 0;
    for entry in &selection.entries {
        let v = view::toot_view(entry, &site);
        let mut md = String::from("+++\n");
        writeln!(md, "title = {}", toml_string(&v.title))?;
        // An offset date-time, which TOML reads without quotes.
        writeln!(md, "date = {}", v.created_iso)?;
        let tags: Vec<String> = v.tags.iter().map(|t| toml_string(&t.name)).collect();
        writeln!(md, "[taxonomies]\ntags = [{}]", tags.join(", "))?;
        writeln!(md, "[extra]\nauthor = {}", toml_string(&v.author.name))?;
        if let Some(lang) = &v.lang {
            writeln!(md, "toot_lang = {}", toml_string(lang))?;
        }
        if !v.cw.is_empty() {
            writeln!(md, "cw = {}", toml_string(&v.cw))?;
        }
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

    let zola_toml = format!(
        "base_url = {base}\ntitle = {title}\ndefault_language = {lang}\n\
         compile_sass = false\nbuild_search_index = false\n\
         generate_feeds = true\nfeed_filenames = [\"rss.xml\"]\nfeed_limit = {items}\n\
         taxonomies = [{{ name = \"tags\", paginate_by = {per_page}, feed = true }}]\n",
        base = toml_string(&base),
        title = toml_string(&config.title),
        lang = toml_string(config.language.code()),
        items = config.feeds.items.0,
    );
    fs::write(out.join("config.toml"), zola_toml)?;
    for (name, text) in TEMPLATES {
        let path = out.join("templates").join(name);
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
        "wrote a Zola site of {} toots and {copied} media files into {}",
        selection.entries.len(),
        out.display()
    );
    Ok(())
}

fn toml_string(s: &str) -> String {
    // A TOML basic string is a JSON string for our purposes.
    serde_json::to_string(s).expect("strings serialize")
}

/// A theme as small as the built-in one: same pages, plain markup (Tera 1,
/// which Zola uses).
const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        r#"<!DOCTYPE html>
<html lang="{{ config.default_language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="alternate" type="application/rss+xml" href="{{ get_url(path="rss.xml") }}">
<link rel="stylesheet" href="{{ get_url(path="style.css") }}">
</head>
<body>
<header class="site-header"><p class="site-title"><a href="{{ config.base_url }}/">{{ config.title }}</a></p>
<nav><ul><li><a href="{{ config.base_url }}/">Startseite</a></li><li><a href="{{ get_url(path="tags/") }}">Schlagwörter</a></li></ul></nav></header>
<main id="main">{% block content %}{% endblock content %}</main>
</body>
</html>
"#,
    ),
    (
        "toot.html",
        r#"<article class="toot"{% if page.extra.toot_lang %} lang="{{ page.extra.toot_lang }}"{% endif %}>
<header><h2><a href="{{ page.permalink }}">{{ page.title }}</a></h2>
<p><time datetime="{{ page.date }}">{{ page.date | date(format="%-d.%-m.%Y, %H:%M") }}</time> · {{ page.extra.author }}</p></header>
{% if page.extra.cw %}<details><summary>{{ page.extra.cw }}</summary>{% endif %}
<div class="toot-content">{{ page.content | safe }}</div>
{% if page.extra.cw %}</details>{% endif %}
{% if page.taxonomies.tags %}<ul class="tags">{% for tag in page.taxonomies.tags %}<li><a href="{{ get_taxonomy_url(kind="tags", name=tag) }}">#{{ tag }}</a></li>{% endfor %}</ul>{% endif %}
</article>
"#,
    ),
    (
        "list.html",
        r#"<ol class="toot-list">{% for page in paginator.pages %}<li>{% include "toot.html" %}</li>{% endfor %}</ol>
<nav class="pagination"><ul>{% if paginator.previous %}<li><a href="{{ paginator.previous }}" rel="prev">Neuer</a></li>{% endif %}<li>{{ paginator.current_index }} / {{ paginator.number_pagers }}</li>{% if paginator.next %}<li><a href="{{ paginator.next }}" rel="next">Älter</a></li>{% endif %}</ul></nav>
"#,
    ),
    (
        "index.html",
        r#"{% extends "base.html" %}{% block content %}<h1>{{ config.title }}</h1>{% include "list.html" %}{% endblock content %}
"#,
    ),
    (
        "section.html",
        r#"{% extends "base.html" %}{% block content %}<h1>{{ section.title }}</h1>{% endblock content %}
"#,
    ),
    (
        "page.html",
        r#"{% extends "base.html" %}{% block title %}{{ page.title }} – {{ config.title }}{% endblock title %}{% block content %}<h1>{{ page.title }}</h1>{% include "toot.html" %}{% endblock content %}
"#,
    ),
    (
        "tags/single.html",
        r#"{% extends "base.html" %}{% block title %}#{{ term.name }} – {{ config.title }}{% endblock title %}{% block content %}<h1>#{{ term.name }}</h1><p>{{ term.page_count }} Beiträge</p>{% include "list.html" %}{% endblock content %}
"#,
    ),
    (
        "tags/list.html",
        r#"{% extends "base.html" %}{% block content %}<h1>Schlagwörter</h1><ul>{% for term in terms %}<li><a href="{{ term.permalink }}">#{{ term.name }}</a> ({{ term.page_count }})</li>{% endfor %}</ul>{% endblock content %}
"#,
    ),
];
