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

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use check::{check, check_with, CheckReport};
use config::SiteConfig;
pub use editorial::{EditorialReport, ReportedToot};
use error::{Error, Result};
pub use import::{import, ImportOptions, ImportReport};
pub use init::{init, CiSystem, InitOptions};
pub use output::WriteReport;
use render::theme::Theme;
use render::OutputFile;
pub use serve::{serve, ServeOptions};
use store::{AccountData, Store};
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
    /// How many toot files this build read and parsed; the others were
    /// taken from the toot index (`store/index.rs`). `None` when the build
    /// read nothing (the no-change shortcut).
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
    if let Some(report) = recorded_build(inputs, &output_dir) {
        return Ok(report);
    }
    let prepared = Prepared::load_indexed(
        &options.root,
        &RenderOptions {
            base_url: base_url.clone(),
            drafts: false,
        },
        Some((&output_dir, identities.as_ref())),
    )?;
    drop(identities);
    let staging = begin_staging(options, base_url.as_deref(), &prepared, &output_dir)?;
    // The media copies are keyed by the stats the inputs walk just took.
    let selection = prepared.select();
    let summary =
        prepared.render_recalling(&selection, &staging, Some(&staging), media_stats.as_ref())?;
    let published: HashSet<usize> = selection
        .entries
        .iter()
        .map(|e| std::ptr::from_ref(e.toot) as usize)
        .collect();
    drop(selection);
    drop(media_stats);
    // What the index records depends on the store alone, so it is written
    // whatever becomes of this build's output. It lies in the output folder,
    // which is published: so it records only the toots published.
    prepared.write_index(staging.work_dir(), &|t| {
        published.contains(&(std::ptr::from_ref(t) as usize))
    })?;
    drop(published);
    if summary.privacy_findings > 0 {
        staging.forget_keys();
    }
    // The store and the theme are not needed to put the files in place; at
    // 50,000 toots the store alone is about 90 MB, and the commit's own
    // lists (every path, key and stamp) would otherwise come on top of it.
    let toots_read = prepared.toots_read();
    drop(prepared);
    let committed = staging.commit()?;
    let mut report = record_build(inputs, output_dir, summary, committed)?;
    report.toots_read = Some(toots_read);
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
    options: &BuildOptions,
    base_url: Option<&str>,
    prepared: &Prepared,
    output_dir: &Path,
) -> Result<output::Staging> {
    let staging = output::Staging::begin(output_dir)?;
    Ok(
        match output::record::render_key(&options.root, base_url, &prepared.config.theme.0) {
            Some(global) => staging.remembering(global),
            None => staging,
        },
    )
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

/// Everything a render reads, loaded from a site folder.
pub struct Prepared {
    pub config: SiteConfig,
    pub store: Store,
    /// The configured accounts, without deleted toots.
    pub accounts: Vec<AccountData>,
    pub media: HashSet<String>,
    pub theme: Theme,
    pub overrides: overrides::Overrides,
    pub pages: pages::Pages,
    /// What `build` took from and gives to the toot index (`store/index.rs`).
    indexed: Option<Indexed>,
}

/// The toot index as a build uses it.
struct Indexed {
    /// The index the last build wrote (its lines are copied).
    old: store::index::OldLines,
    /// What is known of each loaded toot (for its key and the next index).
    known: store::index::KnownToots,
    /// When the files were read.
    read_at: std::time::SystemTime,
}

impl Prepared {
    /// Loads config (with the options' base URL), store, theme, overrides and
    /// pages.
    pub fn load(root: &Path, options: &RenderOptions) -> Result<Prepared> {
        Prepared::load_indexed(root, options, None)
    }

    /// [`Prepared::load`] with the toot index of the output folder `index`
    /// names, and the toot files' identities when the inputs walk took them
    /// (`build` only; see `store/index.rs`).
    pub fn load_indexed(
        root: &Path,
        options: &RenderOptions,
        index: Option<(&Path, Option<&store::index::Identities>)>,
    ) -> Result<Prepared> {
        let mut config = config::load(root)?;
        if let Some(url) = &options.base_url {
            config.base_url =
                config::BaseUrl::try_from(url.to_string()).map_err(|message| Error::Config {
                    path: PathBuf::from("--base-url"),
                    line: None,
                    message,
                })?;
        }
        let store = Store::new(root);
        // The store's toots, its media index and the theme are independent
        // reads: they overlap (errors are still reported in this order).
        let read_at = std::time::SystemTime::now();
        let ((accounts, media), theme) = rayon::join(
            || {
                rayon::join(
                    || {
                        let old = index.map(|(dir, ids)| (store::TootIndex::load(dir), ids));
                        let using = old.as_ref().map(|(old, ids)| (old, *ids));
                        load_accounts_indexed(&store, &config, using).map(|l| (l, old))
                    },
                    || store.media_index(),
                )
            },
            || load_theme(root, &config),
        );
        let ((mut accounts, mut known), old) = accounts?;
        drop_deleted_known(&mut accounts, &mut known);
        let indexed = old.map(|(old, _)| Indexed {
            old: old.into_lines(&known),
            known: store::index::KnownToots::new(&accounts, known),
            read_at,
        });
        let media = media?;
        let theme = theme?;
        let overrides = overrides::load(&store)?;
        let pages = pages::load(&store, options.drafts)?;
        Ok(Prepared {
            config,
            store,
            accounts,
            media,
            theme,
            overrides,
            pages,
            indexed,
        })
    }

    /// How many of the loaded toots were read from their files (the others
    /// are stubs of the toot index).
    pub fn toots_read(&self) -> usize {
        let toots = self.accounts.iter().flat_map(|a| &a.toots);
        toots.filter(|t| !store::index::is_stub(t)).count()
    }

    /// Writes the toot index of the toots as they were loaded, those that
    /// `published` says (of the loaded toots), into `out_dir` (nothing when
    /// the store was loaded without an index).
    pub fn write_index(
        &self,
        out_dir: &Path,
        published: &dyn Fn(&model::Toot) -> bool,
    ) -> Result<()> {
        let Some(indexed) = &self.indexed else {
            return Ok(());
        };
        store::index::write(
            out_dir,
            &indexed.old,
            &self.accounts,
            &indexed.known,
            published,
            indexed.read_at,
        )
    }

    /// The toots to publish, as `[select]` and the editors decide.
    pub fn select(&self) -> select::Selection<'_> {
        select::select_with(&self.config.select, &self.accounts, &self.overrides)
    }

    /// Selects and renders the site into `sink`, scanning every file for
    /// loads from other hosts on the way. Under `strict_privacy = true` a
    /// finding is an error (after the render, so the list is complete).
    pub fn render(&self, sink: &dyn render::Sink) -> Result<RenderSummary> {
        let selection = self.select();
        self.render_selection(&selection, sink)
    }

    /// [`Prepared::render`] of a selection made with [`Prepared::select`].
    pub fn render_selection(
        &self,
        selection: &select::Selection<'_>,
        sink: &dyn render::Sink,
    ) -> Result<RenderSummary> {
        self.render_recalling(selection, sink, None, None)
    }

    /// [`Prepared::render_selection`] with what the output writer remembers
    /// of the last build (`build` passes its staging) and the stats of the
    /// media files its inputs walk took, if any.
    pub(crate) fn render_recalling(
        &self,
        selection: &select::Selection<'_>,
        sink: &dyn render::Sink,
        recall: Option<&dyn render::Recall>,
        media_stats: Option<&output::record::MediaStats>,
    ) -> Result<RenderSummary> {
        let base = self.config.base_url.trimmed().to_string();
        let site = self.site(&base);
        let scanning = privacy::Scanning::new(sink, &base);
        render::render(
            &render::RenderInput {
                config: &self.config,
                base: &base,
                theme: &self.theme,
                selection,
                site: &site,
                accounts: &self.accounts,
                media_dir: &self.store.media_dir(),
                content_dir: self.store.content_dir(),
                known: self.indexed.as_ref().map(|i| &i.known),
                media_stats,
                overrides: &self.overrides,
                pages: &self.pages,
                recall,
            },
            &scanning,
        )?;
        let mut warnings = self.warnings(selection);
        let findings = scanning.findings();
        let privacy_findings = findings.len();
        if !findings.is_empty() {
            let list: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
            if self.config.strict_privacy {
                return Err(Error::Privacy(format!(
                    "{} reference(s) to other hosts would make visitors' browsers contact them \
                     (strict_privacy = true): {}",
                    list.len(),
                    list.join("; ")
                )));
            }
            warnings.extend(list.into_iter().map(|f| format!("privacy: {f}")));
        }
        Ok(RenderSummary {
            published: selection.entries.len(),
            skipped: selection.skipped.clone(),
            warnings,
            privacy_findings,
        })
    }

    /// What every view needs from the site.
    pub(crate) fn site<'a>(&'a self, base: &str) -> render::view::Site<'a> {
        render::view::Site {
            base: base.to_string(),
            lang: self.config.language.code().to_string(),
            tz: self.config.timezone.0,
            i18n: &self.theme.i18n,
            media: &self.media,
        }
    }

    /// Missing media and unknown ids in overrides.toml.
    fn warnings(&self, selection: &select::Selection<'_>) -> Vec<String> {
        let mut warnings = missing_media_warnings(selection, &self.media);
        warnings.extend(
            editorial::unknown_ids(&self.accounts, &self.overrides)
                .into_iter()
                .map(|line| format!("content/overrides.toml: toot {line}")),
        );
        warnings
    }
}

pub fn load_accounts(store: &Store, config: &SiteConfig) -> Result<Vec<AccountData>> {
    Ok(load_accounts_indexed(store, config, None)?.0)
}

/// [`load_accounts`] through the toot index, when there is one; then also
/// what is known of each toot (in each account's order of toots).
fn load_accounts_indexed(
    store: &Store,
    config: &SiteConfig,
    index: Option<(&store::TootIndex, Option<&store::index::Identities>)>,
) -> Result<(Vec<AccountData>, Vec<Vec<store::index::Known>>)> {
    use rayon::prelude::*;
    let digest = |toot: &model::Toot| render::digest_of(toot);
    let indexing = index.map(|(index, identities)| store::Indexing {
        index,
        digest: &digest,
        identities,
    });
    // In parallel, in config order; the first account's error in that
    // order is the one reported, as when they loaded one by one.
    let loaded = config
        .accounts
        .par_iter()
        .map(|a| store.load_account_indexed(&a.handle, indexing))
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    Ok(loaded.into_iter().unzip())
}

/// [`drop_deleted`], keeping `known` (when there is any) in step.
fn drop_deleted_known(accounts: &mut [AccountData], known: &mut [Vec<store::index::Known>]) {
    for (i, account) in accounts.iter_mut().enumerate() {
        let Some(known) = known.get_mut(i).filter(|k| !k.is_empty()) else {
            drop_deleted(std::slice::from_mut(account));
            continue;
        };
        let deleted: HashSet<String> = account
            .state
            .tombstones
            .iter()
            .map(|t| t.id.clone())
            .collect();
        if deleted.is_empty() {
            continue;
        }
        let keep: Vec<bool> = account
            .toots
            .iter()
            .map(|t| !deleted.contains(&t.id))
            .collect();
        let mut flags = keep.iter();
        account.toots.retain(|_| *flags.next().unwrap_or(&true));
        let mut flags = keep.iter();
        known.retain(|_| *flags.next().unwrap_or(&true));
    }
}

/// A toot with a tombstone was deleted on the instance: it is published
/// nowhere, even if a stale copy is still in the store.
pub fn drop_deleted(accounts: &mut [AccountData]) {
    for account in accounts {
        let deleted: HashSet<&str> = account
            .state
            .tombstones
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        account.toots.retain(|t| !deleted.contains(t.id.as_str()));
    }
}

pub fn load_theme(root: &Path, config: &SiteConfig) -> Result<Theme> {
    let name = &config.theme.0;
    Theme::load(
        &root.join("themes").join(name),
        name != "default",
        config.language.code(),
    )
}

/// Every file below `content/media/`, as `/`-separated relative paths
/// (the store's [`store::index_folder`], kept at this path for its callers).
pub fn media_index(media_dir: &Path) -> Result<HashSet<String>> {
    store::index_folder(media_dir)
}

fn missing_media_warnings(
    selection: &select::Selection<'_>,
    media: &HashSet<String>,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for entry in &selection.entries {
        for m in &entry.shown().media {
            match &m.file {
                Some(file) if !media.contains(file) => warnings.push(format!(
                    "toot {}: media file content/media/{file} is missing; the page says it could not be mirrored",
                    entry.toot.id
                )),
                None => warnings.push(format!(
                    "toot {}: attachment {} is not mirrored yet; the page says so",
                    entry.toot.id, m.id
                )),
                _ => {}
            }
        }
    }
    warnings
}
