//! Times each step of `build` separately on a site (for profiling). Unlike
//! `build`, it renders the whole site into memory before writing, so the
//! steps can be told apart:
//!
//! ```text
//! cargo run --release --example stages -- SITE_DIR OUT_DIR
//! ```

use std::path::Path;
use std::time::Instant;

use tootbridge::testing::{output, render};

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
    let prepared = tootbridge::testing::Prepared::load(root, &Default::default())?;
    lap("load");
    let selection = prepared.select();
    lap("select");
    let collect = render::Collect::default();
    let summary = prepared.render_selection(&selection, &collect)?;
    let files = collect.into_files();
    lap("render+scan");
    let report = output::write(Path::new(out), &files)?;
    lap("write");
    eprintln!(
        "{:>12}: {:7.1} ms ({} files, {} written, {} warnings)",
        "total",
        total.elapsed().as_secs_f64() * 1e3,
        files.len(),
        report.written,
        summary.warnings.len()
    );
    Ok(())
}
