//! tootbridge: mirror the public Mastodon posts of an organisation's accounts
//! into a static, accessible, privacy-clean news section.
//!
//! The pipelines are short lists of named steps; each step lives in its own
//! module (see DESIGN.md):
//!
//! ```text
//! build:  store ──► select ──► sanitize ──► view ──► render ──► output
//! ```

// The public API is what the binary and a library user need: the entry
// points re-exported below with their option and report types, and the
// modules config, error, model and store (the data every command shares),
// compose (sync composed with build and serve), interrupt and manual (for a
// binary's signals, completions and man pages). Everything else is internal;
// the tests, benches, examples and fuzz targets reach it through `testing`.
mod check;
pub mod compose;
pub mod config;
pub(crate) mod editorial;
pub mod error;
pub(crate) mod fsutil;
pub(crate) mod import;
mod init;
pub mod interrupt;
pub mod manual;
pub(crate) mod markdown;
pub(crate) mod media;
pub mod model;
pub(crate) mod output;
pub(crate) mod overrides;
pub(crate) mod pages;
mod prepared;
pub(crate) mod privacy;
pub(crate) mod render;
pub(crate) mod sanitize;
pub(crate) mod select;
pub(crate) mod serve;
pub(crate) mod source;
pub mod store;
pub(crate) mod sync;
#[doc(hidden)]
pub mod testing;
mod timing;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use check::{check, check_with, CheckReport};
use config::SiteConfig;
pub use editorial::{EditorialReport, ReportedToot};
use error::Result;
pub use import::{import, ImportOptions, ImportReport};
pub use init::{init, CiSystem, InitOptions};
pub use output::WriteReport;
use render::OutputFile;
pub use serve::{serve, ServeOptions};
pub use sync::{sync, AccountReport, AuditEntry, Progress, ProgressEvent, SyncOptions, SyncReport};

/// What `build` needs to know beyond site.toml.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder instead of `output_dir` (relative to the current
    /// directory, like any command-line path).
    pub output: Option<PathBuf>,
    /// Base URL instead of `base_url` (e.g. for a staging deploy).
    pub base_url: Option<config::BaseUrl>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub published: usize,
    pub skipped: usize,
    pub files: WriteReport,
    pub warnings: Vec<String>,
    /// How many toot files this build read and parsed while loading the
    /// store; the others were taken from the toot index (`store/index.rs`).
    /// A toot whose page is rendered may be read once more for its view.
    /// `None` when the build read nothing (the no-change shortcut).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toots_read: Option<usize>,
}

/// The site rendered in memory (for `serve` and tests; `build` writes files
/// as they render instead).
pub struct RenderedSite {
    pub config: SiteConfig,
    pub files: Vec<OutputFile>,
    pub published: usize,
    pub skipped: Vec<(String, select::Skip)>,
    pub warnings: Vec<String>,
}

/// What a render produced besides its files.
pub struct RenderSummary {
    pub published: usize,
    pub skipped: Vec<(String, select::Skip)>,
    /// Missing media, unknown ids in overrides.toml and privacy findings.
    pub warnings: Vec<String>,
    /// How many of the warnings are privacy findings.
    pub privacy_findings: usize,
}

/// `tootbridge build`: the recorded report when nothing changed since the
/// last build; else load, select, render into staging, commit, record.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let mut laps = timing::Laps::start("build");
    let base_url = options.base_url.as_ref().map(|url| url.0.to_string());
    // Digest the inputs before reading them, so a change made during the
    // build is seen by the next one.
    let (key, media_stats, identities) =
        match output::record::scan_inputs(&options.root, base_url.as_deref()) {
            Some(scan) => (Some(scan.key), Some(scan.media), Some(scan.toots)),
            None => (None, None, None),
        };
    let inputs = key.as_deref();
    let output_dir = output_dir(options)?;
    laps.lap("inputs walk");
    if let Some(report) = recorded_build(inputs, &output_dir) {
        laps.lap("no-change check (unchanged)");
        return Ok(report);
    }
    laps.lap("no-change check");
    let global = render_key(options, base_url.as_deref());
    // When the last build's render keys will keep most pages, a toot that is
    // read is kept as its stub: its page is likely kept, and a store the
    // toot index does not know (a fresh checkout) is then not held whole.
    let remembered = global.filter(|g| output::remembers(&output_dir, g));
    let stub_read = remembered.is_some();
    // The store and the last build's render keys are independent reads:
    // they overlap. Staging begins only once the store has loaded, so a
    // failed load leaves the output folder untouched.
    let (prepared, recalled) = rayon::join(
        || {
            Prepared::load_indexed(
                &options.root,
                &RenderOptions {
                    base_url: base_url.clone(),
                    drafts: false,
                },
                Some(prepared::UseIndex {
                    out_dir: &output_dir,
                    identities: identities.as_ref(),
                    stub_read,
                }),
            )
        },
        || remembered.map(|g| output::recall(&output_dir, g)),
    );
    let prepared = prepared?;
    let mut staging = begin_staging(global, recalled, &output_dir)?;
    drop(identities);
    laps.lap("store load");
    prepared.log_reads();
    // The media copies are keyed by the stats the inputs walk just took.
    let selection = prepared.select();
    laps.lap("select");
    let published: HashSet<usize, ahash::RandomState> = selection
        .entries
        .iter()
        .map(|e| std::ptr::from_ref(e.toot) as usize)
        .collect();
    // The toot index is written while the site renders, and put in place
    // by the commit, with the site: a build that fails or is interrupted
    // before then leaves the output folder as it was. It lies in the output folder,
    // which is published: so it records only the toots published.
    let (summary, index) = rayon::join(
        || prepared.render_recalling(&selection, &staging, Some(&staging), media_stats.as_ref()),
        || {
            prepared.stage_index(staging.work_dir(), &|t| {
                published.contains(&(std::ptr::from_ref(t) as usize))
            })
        },
    );
    let summary = summary?;
    if let Some(index) = index? {
        staging.put_at_commit(index);
    }
    drop(selection);
    drop(media_stats);
    drop(published);
    laps.lap("render and toot index");
    if summary.privacy_findings > 0 {
        staging.forget_keys();
    }
    // The store and the theme are not needed to put the files in place; at
    // 50,000 toots the store alone is about 90 MB, and the commit's own
    // lists (every path, key and stamp) would otherwise come on top of it.
    let toots_read = prepared.toots_read();
    prepared.release();
    laps.lap("drop store");
    let committed = staging.commit()?;
    laps.lap("commit");
    let mut report = record_build(inputs, output_dir, summary, committed)?;
    report.toots_read = Some(toots_read);
    laps.lap("record");
    Ok(report)
}

fn output_dir(options: &BuildOptions) -> Result<PathBuf> {
    Ok(match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(config::load(&options.root)?.output_dir),
    })
}

/// The last build's report, when the inputs and the output are as it left
/// them (see `output/record.rs`).
fn recorded_build(inputs: Option<&str>, output_dir: &Path) -> Option<BuildReport> {
    let (recorded, files) = output::record::lookup(output_dir, inputs?)?;
    Some(BuildReport {
        output_dir: output_dir.to_path_buf(),
        published: recorded.published,
        skipped: recorded.skipped,
        files,
        warnings: recorded.warnings,
        toots_read: None,
    })
}

/// Files are staged as they render; nothing is put in place unless the
/// whole site rendered and passed the privacy check (see output.rs). An
/// error drops the staging, which removes what it staged. It remembers the
/// last build's keys under the build-wide key, when that can be read.
fn begin_staging(
    global: Option<render::keys::Key>,
    recalled: Option<output::Recalled>,
    output_dir: &Path,
) -> Result<output::Staging> {
    let staging = output::Staging::begin(output_dir)?;
    Ok(match global {
        Some(global) => staging.remembering(global, recalled),
        None => staging,
    })
}

/// The build-wide render key (see `output/memo.rs`), when it can be made.
/// The theme's name is all it needs of site.toml; an unreadable one is the
/// store load's error to report.
fn render_key(options: &BuildOptions, base_url: Option<&str>) -> Option<render::keys::Key> {
    let theme = config::load(&options.root).ok()?.theme.0;
    output::record::render_key(&options.root, base_url, &theme)
}

/// Records the build for the no-change shortcut (from the stamps the commit
/// took, without a stat per output file) and reports it.
fn record_build(
    inputs: Option<&str>,
    output_dir: PathBuf,
    summary: RenderSummary,
    committed: output::Committed,
) -> Result<BuildReport> {
    let recorded = output::record::Recorded {
        published: summary.published,
        skipped: summary.skipped.len(),
        warnings: summary.warnings,
    };
    if let Some(key) = inputs {
        output::record::record(&output_dir, key, &recorded, &committed.outputs)?;
    }
    Ok(BuildReport {
        output_dir,
        published: recorded.published,
        skipped: recorded.skipped,
        files: committed.report,
        warnings: recorded.warnings,
        toots_read: None,
    })
}

/// How to render beyond site.toml (`build` and `serve` differ here).
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Base URL instead of `base_url` (`--base-url`, or the local address).
    pub base_url: Option<String>,
    /// Include pages with `draft = true` (only `serve` does).
    pub drafts: bool,
}

/// Loads everything under `root` and renders the site into memory.
pub fn render_site(root: &Path, base_url: Option<&str>) -> Result<RenderedSite> {
    render_site_with(
        root,
        &RenderOptions {
            base_url: base_url.map(str::to_string),
            drafts: false,
        },
    )
}

/// [`render_site`] with every option.
pub fn render_site_with(root: &Path, options: &RenderOptions) -> Result<RenderedSite> {
    let prepared = Prepared::load(root, options)?;
    let collect = render::Collect::default();
    let summary = prepared.render(&collect)?;
    Ok(RenderedSite {
        config: prepared.config,
        files: collect.into_files(),
        published: summary.published,
        skipped: summary.skipped,
        warnings: summary.warnings,
    })
}

pub use prepared::{drop_deleted, load_accounts, load_theme, media_index, Prepared};
