//! [`Prepared`]: everything a render reads, loaded from a site folder
//! (config, store, theme, overrides, pages), and the render of it with the
//! privacy scan. `build` loads through the toot index (`store/index.rs`)
//! and writes the next one; `serve`, `check` and the tests load without it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::{self, SiteConfig};
use crate::error::{Error, Result};
use crate::render::theme::Theme;
use crate::store::{self, AccountData, Store};
use crate::{editorial, model, overrides, pages, privacy, render, select};
use crate::{RenderOptions, RenderSummary};

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

/// How `build` loads the store through the toot index (see
/// `store/index.rs`).
#[derive(Clone, Copy)]
pub struct UseIndex<'a> {
    /// The output folder, which holds the index.
    pub out_dir: &'a Path,
    /// The toot files' identities, when the inputs walk took them.
    pub identities: Option<&'a store::index::Identities>,
    /// Keep only the stub of each toot that is read (see
    /// [`store::Indexing`]): when the last build's render record will keep
    /// most pages.
    pub stub_read: bool,
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
        index: Option<UseIndex<'_>>,
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
                        let old = index.map(|i| (store::TootIndex::load(i.out_dir), i));
                        let using = old
                            .as_ref()
                            .map(|(old, i)| (old, i.identities, i.stub_read));
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

    /// Frees the store on all cores (at 10,000 toots a single thread took
    /// about 5 ms of a rebuild to free them).
    pub fn release(self) {
        use rayon::prelude::*;
        let Prepared { accounts, .. } = self;
        accounts
            .into_par_iter()
            .for_each(|account| account.toots.into_par_iter().for_each(drop));
    }

    /// How many of the loaded toots were read from their files while
    /// loading (the others are stubs of the toot index; a toot read again
    /// for its view later is not counted twice).
    pub fn toots_read(&self) -> usize {
        self.read_and_stubbed().0
    }

    /// How many toot files were read, and how many of those are held as
    /// their stubs only ([`UseIndex::stub_read`]).
    fn read_and_stubbed(&self) -> (usize, usize) {
        let toots = self.accounts.iter().flat_map(|a| &a.toots);
        let (all, whole) = toots.fold((0, 0), |(all, whole), t| {
            (all + 1, whole + usize::from(!store::index::is_stub(t)))
        });
        let read = match &self.indexed {
            Some(indexed) => indexed.known.read(),
            None => all,
        };
        (read, read.saturating_sub(whole))
    }

    /// Logs what the load read (at debug level, `-v`).
    pub(crate) fn log_reads(&self) {
        let (read, stubbed) = self.read_and_stubbed();
        tracing::debug!("store: {read} toot files read, {stubbed} of them kept as their stubs");
    }

    /// Stages the toot index of the toots as they were loaded, those that
    /// `published` says (of the loaded toots), for `out_dir` (nothing when
    /// the store was loaded without an index).
    pub(crate) fn stage_index(
        &self,
        out_dir: &Path,
        published: &dyn Fn(&model::Toot) -> bool,
    ) -> Result<Option<crate::fsutil::Staged>> {
        let Some(indexed) = &self.indexed else {
            return Ok(None);
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
        media_stats: Option<&render::MediaStats>,
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
    index: Option<(&store::TootIndex, Option<&store::index::Identities>, bool)>,
) -> Result<(Vec<AccountData>, Vec<Vec<store::index::Known>>)> {
    use rayon::prelude::*;
    let digest = |toot: &model::Toot| render::digest_of(toot);
    let indexing = index.map(|(index, identities, stub_read)| store::Indexing {
        index,
        digest: &digest,
        identities,
        stub_read,
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

/// A toot with a tombstone was deleted on the instance: it is published
/// nowhere, even if a stale copy is still in the store.
pub fn drop_deleted(accounts: &mut [AccountData]) {
    drop_deleted_known(accounts, &mut []);
}

/// [`drop_deleted`], keeping what the toot index `known`s of each
/// account's toots (one list per account, in step with its toots; empty
/// or missing when nothing is known) in step.
fn drop_deleted_known(accounts: &mut [AccountData], known: &mut [Vec<store::index::Known>]) {
    for (i, account) in accounts.iter_mut().enumerate() {
        let deleted: HashSet<&str> = account
            .state
            .tombstones
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        if deleted.is_empty() {
            continue;
        }
        let keep: Vec<bool> = account
            .toots
            .iter()
            .map(|t| !deleted.contains(t.id.as_str()))
            .collect();
        let mut flags = keep.iter();
        account.toots.retain(|_| *flags.next().unwrap_or(&true));
        if let Some(known) = known.get_mut(i).filter(|k| !k.is_empty()) {
            let mut flags = keep.iter();
            known.retain(|_| *flags.next().unwrap_or(&true));
        }
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
