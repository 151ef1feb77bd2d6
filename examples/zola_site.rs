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

mod peer;

use std::fmt::Write as _;
use std::fs;

use peer::toml_string;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (root, out) = peer::args("zola_site SITE_DIR ZOLA_DIR");
    let out = out.as_path();
    let site = peer::load(&root)?;
    let config = &site.config;
    let base = site.base();
    let per_page = config.pages.per_page.0;
    fs::create_dir_all(out.join("content/toots"))?;
    fs::write(
        out.join("content/_index.md"),
        format!("+++\nsort_by = \"date\"\npaginate_by = {per_page}\n+++\n"),
    )?;
    // Transparent: its pages belong to the home page's list; the section
    // itself has no page of its own (tootbridge has no /toots/ either).
    fs::write(
        out.join("content/toots/_index.md"),
        "+++\nsort_by = \"date\"\ntransparent = true\nrender = false\n+++\n",
    )?;
    let (toots, copied) = site.write_toots(out, |v| {
        let mut md = String::new();
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
        Ok(md)
    })?;
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
    site.write_theme(out, "templates", TEMPLATES)?;
    println!(
        "wrote a Zola site of {} toots and {copied} media files into {}",
        toots,
        out.display()
    );
    Ok(())
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
