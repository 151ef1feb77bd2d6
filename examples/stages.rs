//! Times each step of `build` separately on a site (for profiling):
//!
//! ```text
//! cargo run --release --example stages -- SITE_DIR OUT_DIR
//! ```

use std::path::Path;
use std::time::Instant;

use tootbridge::store::Store;
use tootbridge::{config, output, privacy, render, select};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, out] = args.as_slice() else {
        eprintln!("usage: stages SITE_DIR OUT_DIR");
        std::process::exit(2);
    };
    let root = Path::new(root);
    let total = Instant::now();
    let mut t = Instant::now();
    let mut lap = |name: &str| {
        eprintln!("{name:>12}: {:7.1} ms", t.elapsed().as_secs_f64() * 1e3);
        t = Instant::now();
    };
    let config = config::load(root)?;
    let store = Store::new(root);
    let mut accounts = tootbridge::load_accounts(&store, &config)?;
    tootbridge::drop_deleted(&mut accounts);
    lap("store load");
    let media = tootbridge::media_index(&store.media_dir())?;
    lap("media index");
    let theme = tootbridge::load_theme(root, &config)?;
    lap("theme");
    let overrides = tootbridge::overrides::load(root)?;
    let pages = tootbridge::pages::load(root, false)?;
    let selection = select::select_with(&config.select, &accounts, &overrides);
    lap("select");
    let base = config.base_url.trimmed().to_string();
    let site = render::view::Site {
        base: base.clone(),
        lang: config.language.code().to_string(),
        tz: config.timezone.0,
        i18n: &theme.i18n,
        media: &media,
    };
    let files = render::render(&render::RenderInput {
        config: &config,
        base: &base,
        theme: &theme,
        selection: &selection,
        site: &site,
        accounts: &accounts,
        media_dir: &store.media_dir(),
        overrides: &overrides,
        pages: &pages,
    })?;
    lap("render");
    let findings = privacy::scan(&files, &base);
    lap("privacy");
    let report = output::write(Path::new(out), &files)?;
    lap("write");
    eprintln!(
        "{:>12}: {:7.1} ms ({} files, {} written, {} findings)",
        "total",
        total.elapsed().as_secs_f64() * 1e3,
        files.len(),
        report.written,
        findings.len()
    );
    Ok(())
}
