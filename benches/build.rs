//! Criterion benches of the build's hot stages, on a generated store of
//! 1,000 toots (the same generator as `examples/gen_store.rs`) in a
//! temporary folder:
//!
//! - `store_load`: read and check every toot file of every account;
//! - `sanitize`: clean the HTML of every toot with the ammonia policy;
//! - `toot_views`: sanitize, title and date every toot into its view;
//! - `toot_page`: render one toot's card and page with Tera;
//! - `feeds`: decide and write every feed (RSS, Atom, JSON Feed; site and tags);
//! - `privacy_scan`: scan the rendered site for third-party loads;
//! - `render_site`: everything from the loaded store to the files in memory
//!   (including the privacy scan).
//!
//! `cargo bench --bench build [-- FILTER]`.

#[path = "gen/mod.rs"]
mod gen;

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tootbridge::config;
use tootbridge::store::Store;
use tootbridge::testing::render::{self, feed, feedset, view::Site};
use tootbridge::testing::{privacy, sanitize, select};

const TOOTS: usize = 1_000;

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    gen::generate(root, TOOTS, 1, 3).expect("generated store");
    let config = config::load(root).unwrap();
    let store = Store::new(root);
    let load = || {
        let mut accounts = tootbridge::testing::load_accounts(&store, &config).unwrap();
        tootbridge::testing::drop_deleted(&mut accounts);
        accounts
    };
    let accounts = load();
    let media = tootbridge::testing::media_index(&store.media_dir()).unwrap();
    let theme = tootbridge::testing::load_theme(root, &config).unwrap();
    let selection = select::select(&config.select, &accounts);
    let base = config.base_url.trimmed().to_string();
    let site = Site {
        base: base.clone(),
        lang: config.language.code().to_string(),
        tz: config.timezone.0,
        i18n: &theme.i18n,
        media: &media,
    };
    let toots = selection.entries.len() as u64;

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.throughput(Throughput::Elements(toots));

    group.bench_function("store_load", |b| b.iter(|| black_box(load())));

    let contexts: Vec<(String, sanitize::Context)> = selection
        .entries
        .iter()
        .map(|e| {
            let toot = e.shown();
            let tags: HashMap<String, String> = toot
                .tags
                .iter()
                .filter_map(|t| Some((t.name.to_lowercase(), select::tag_slug(&t.name)?)))
                .collect();
            let context = sanitize::Context {
                tag_base: format!("{base}/tags/"),
                tags,
                ..Default::default()
            };
            (toot.content.clone(), context)
        })
        .collect();
    group.bench_function("sanitize", |b| {
        b.iter(|| {
            for (html, context) in &contexts {
                black_box(sanitize::clean(html, context));
            }
        })
    });

    group.bench_function("toot_views", |b| {
        b.iter(|| black_box(render::toot_views(&selection, &site).unwrap()))
    });

    let views = render::toot_views(&selection, &site).unwrap();
    let base_context = render::base_context(&config, &base, &theme);
    let specs: Vec<_> = feedset::specs(&feedset::SpecInput {
        config: &config,
        base: &base,
        i18n: &theme.i18n,
        site: &site,
        accounts: &accounts,
        selection: &selection,
    })
    .iter()
    .map(|plan| plan.spec(|i| &views[i]))
    .collect();
    group.bench_function("feeds", |b| {
        b.iter(|| {
            for spec in &specs {
                black_box(feed::render_all(spec, &theme.i18n).unwrap());
            }
        })
    });

    let prepared = tootbridge::testing::Prepared::load(root, &Default::default()).unwrap();
    let collect = render::Collect::default();
    prepared.render(&collect).unwrap();
    let files = collect.into_files();
    group.bench_function("privacy_scan", |b| {
        b.iter(|| black_box(privacy::scan(&files, &base)))
    });
    group.bench_function("render_site", |b| {
        b.iter(|| {
            let collect = render::Collect::default();
            prepared.render(&collect).unwrap();
            black_box(collect.into_files())
        })
    });
    group.finish();

    // One page: the toot with the most media and a thread, if any.
    let i = (0..views.len())
        .max_by_key(|&i| (selection.threads.contains_key(&i), views[i].media.len()))
        .unwrap_or(0);
    let page = render::TootPage::new(&views, &selection, i, &config, &site);
    c.bench_function("toot_page", |b| {
        b.iter(|| {
            black_box(
                render::toot_page(&theme, &mut render::tera_context(&base_context), &page).unwrap(),
            )
        })
    });
}

criterion_group!(build, benches);
criterion_main!(build);
