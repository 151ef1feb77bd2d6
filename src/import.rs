//! `tootbridge import`: backfill the store from a Mastodon account export,
//! as a sync from an archive.
//!
//! Steps ([`import`] calls them in order): open the archive
//! ([`crate::source::archive`]), find the account (`--account` or
//! `actor.json`, which must be configured), open the store, import the
//! profile, then read the outbox once as a [`Source`] (a page at a time,
//! each item mapped by the shared ActivityPub mapping), resolve the boosts,
//! and write the state. Every mapped toot passes the one visibility filter
//! of all sources before anything of it is written, is decided and merged by
//! the store's rules, and written with its page through sync's writer, audit
//! lines included (`write.rs`). Its media are copied from the archive first,
//! the toot file last, so an interrupted import leaves complete toots only.
//! Boosts are kept only when `[select] boosts` is on and the boosted post is
//! in the archive (a second streaming pass finds it) or, with `--online`,
//! fetched as sync fetches an outbox's boosts.
//!
//! Sync's cursor (`newest_id`) is left alone: sync pages back until it meets
//! a stored toot, which an import only makes cheaper.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::config::{self, Handle};
use crate::error::{Error, Result};
use crate::model::{AccountData, AccountState, Author, Toot};
use crate::source::activitypub::{Boost, BoostObject, Context};
use crate::source::archive::{Archive, MediaDir};
use crate::source::kind::{ArchiveSource, Bounds, Item, Media as SourceMedia, Page, Source};
use crate::store::{is_safe_media_path, Store};
use crate::sync::writer::Writer;
use crate::sync::{AccountReport, Progress, ProgressEvent};

mod account;
mod boosts;
mod online;
mod write;

/// At most this many warnings are listed; the rest are counted.
const MAX_WARNINGS: usize = 100;

/// What `import` needs beyond site.toml.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub root: PathBuf,
    pub archive: PathBuf,
    /// The account instead of the one named in `actor.json`.
    pub account: Option<Handle>,
    /// Report what would happen without writing anything.
    pub dry_run: bool,
    /// Resolve boosts of posts that are not in the archive over the network.
    pub online: bool,
    /// Where progress goes (sync's events: the account, items read).
    pub progress: Progress,
}

/// The summary `import` prints (and `--json` serializes): sync's
/// [`AccountReport`] for the counts both commands share (filled by the same
/// writer, under the same names: `added`, `edited`, `refreshed`,
/// `unchanged`, `dropped`, `skipped`, `media_fetched`, `media_failed`,
/// `media_pending`, `changes`, `errors`), flattened into one object with
/// what only an archive has.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    #[serde(flatten)]
    pub account: AccountReport,
    pub archive: PathBuf,
    pub dry_run: bool,
    /// Items in the outbox, and what its `totalItems` claimed.
    pub items: u64,
    pub declared_items: Option<u64>,
    /// Stored toots whose missing media files came from the archive (the
    /// writer counts them among `refreshed`).
    pub completed: usize,
    /// Boosts not stored: boosts off, or the boosted post unavailable.
    pub skipped_boosts: usize,
    /// Items that could not be mapped (see `errors`).
    pub invalid: usize,
    /// Files whose content was already in content/media.
    pub media_present: usize,
    pub avatar: bool,
    pub header: bool,
    /// Messages beyond the first [`MAX_WARNINGS`] in `errors`, counted.
    pub more_errors: usize,
}

impl ImportReport {
    /// A message for `errors` (sync's list of what went wrong without
    /// failing the run): logged, listed up to [`MAX_WARNINGS`], then counted.
    fn warn(&mut self, message: String) {
        tracing::warn!("{message}");
        if self.account.errors.len() < MAX_WARNINGS {
            self.account.errors.push(message);
        } else {
            self.more_errors += 1;
        }
    }
}

/// `tootbridge import`: the steps below, in order.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    let config = config::load(&options.root)?;
    let mut archive = Archive::open(&options.archive)?;
    let actor = archive.actor()?.unwrap_or(Value::Null);
    let handle = find_account(&config, options, &actor, &archive)?;
    options.progress.send(ProgressEvent::Account {
        handle: handle.to_string(),
        index: 1,
        total: 1,
    });
    let store = open_store(options);
    let data = store.load_account(&handle)?;
    let mut state = data.state.clone();
    let stored: HashMap<&str, &Toot> = data.toots.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut run = Run::new(&config, options, &store, &handle, &actor, &data, &stored)?;
    run.import_profile(&mut archive, &actor, &mut state)?;
    let mut source = ArchiveSource {
        archive,
        ctx: run.ctx.clone(),
        info: Default::default(),
    };
    run.import_outbox(&mut source)?;
    run.resolve_boosts(&mut source.archive)?;
    run.flush()?;
    run.write_state(&state)?;
    Ok(run.finish())
}

/// The configured account the archive belongs to (`--account`, else the
/// one `actor.json` names).
fn find_account(
    config: &config::SiteConfig,
    options: &ImportOptions,
    actor: &Value,
    archive: &Archive,
) -> Result<Handle> {
    let site_toml = options.root.join(config::FILE_NAME);
    account::resolve(
        config,
        options.account.as_ref(),
        actor,
        &site_toml,
        archive.path(),
    )
}

/// The site's store, with the torn temporary files of an import or sync
/// that was killed removed (not in a dry run, which writes nothing).
fn open_store(options: &ImportOptions) -> Store {
    let store = Store::new(&options.root);
    if !options.dry_run {
        store.remove_stale_temps();
    }
    store
}

struct Run<'a> {
    report: ImportReport,
    dry_run: bool,
    boosts: bool,
    /// The store as loaded before the import, by id.
    stored: &'a HashMap<&'a str, &'a Toot>,
    /// Every decided toot goes through sync's writer (a page at a time).
    writer: Writer<'a>,
    /// The decided toots of the page being read.
    batch: Vec<Toot>,
    /// The account's state as stored before the import.
    stored_state: AccountState,
    /// Edit dates of the toots handled in this run (an export may repeat one).
    seen: HashMap<String, Option<DateTime<Utc>>>,
    /// Boosts whose post is only a URI, resolved after the first pass.
    pending: Vec<Boost>,
    dest: MediaDir,
    store: &'a Store,
    handle: &'a Handle,
    ctx: Context,
    author: Option<Author>,
    /// Items read so far, for progress lines.
    read: u64,
    progress: Progress,
    online: Option<online::Online>,
}

impl<'a> Run<'a> {
    fn new(
        config: &config::SiteConfig,
        options: &ImportOptions,
        store: &'a Store,
        handle: &'a Handle,
        actor: &Value,
        data: &'a AccountData,
        stored: &'a HashMap<&'a str, &'a Toot>,
    ) -> Result<Run<'a>> {
        // The same folder sync mirrors into (a `host:port` becomes `host_port`).
        let prefix = crate::store::media_prefix(&handle.host, &handle.user);
        if !is_safe_media_path(&prefix) {
            return Err(Error::Other(format!(
                "{handle}: media cannot be stored under content/media/{prefix}"
            )));
        }
        let mut ctx = account::context(actor, handle);
        if ctx.account_id.is_none() {
            ctx.account_id = data.state.id.clone();
        }
        let online = match options
            .online
            .then(|| config.accounts.iter().find(|a| &a.handle == handle))
            .flatten()
        {
            Some(account) => Some(online::Online::new(config, account, &options.root)?),
            None => None,
        };
        Ok(Run {
            report: ImportReport {
                account: AccountReport {
                    handle: handle.to_string(),
                    ..Default::default()
                },
                archive: options.archive.clone(),
                dry_run: options.dry_run,
                ..Default::default()
            },
            dry_run: options.dry_run,
            boosts: config.select.boosts,
            stored,
            writer: write::writer(store, handle, stored, options.dry_run),
            batch: Vec::new(),
            stored_state: data.state.clone(),
            seen: HashMap::new(),
            pending: Vec::new(),
            dest: MediaDir {
                store: store.clone(),
                prefix,
            },
            store,
            handle,
            ctx,
            author: None,
            read: 0,
            progress: options.progress.clone(),
            online,
        })
    }

    /// Fills the empty parts of the profile from `actor.json` (and copies
    /// avatar and header); remembers the account as the author of its own
    /// boosted posts.
    fn import_profile(
        &mut self,
        archive: &mut Archive,
        actor: &Value,
        state: &mut AccountState,
    ) -> Result<()> {
        account::profile(archive, actor, state, &self.dest, &mut self.report)?;
        self.author = Some(account::author(actor, self.handle, state));
        if self.ctx.account_id.is_some() && state.id.is_none() {
            state.id = self.ctx.account_id.clone();
        }
        Ok(())
    }

    /// The first pass over `outbox.json`, read as a [`Source`] a page at a
    /// time: every item mapped, filtered, merged and written; boosts of
    /// posts given only by URI wait.
    fn import_outbox(&mut self, source: &mut ArchiveSource) -> Result<()> {
        let nothing = HashSet::new();
        source.pages(&Bounds::everything(&nothing), &mut |page, media| {
            self.page(page, media)
        })?;
        let info = source.info.clone();
        self.report.items = info.items;
        self.report.declared_items = info.declared;
        if let Some(declared) = info.declared.filter(|d| *d != info.items) {
            tracing::info!(
                "outbox.json declares {declared} items but holds {}; the items count",
                info.items
            );
        }
        Ok(())
    }

    /// Writes the profile when the import changed it (not in a dry run).
    fn write_state(&self, state: &AccountState) -> Result<()> {
        if *state != self.stored_state && !self.dry_run {
            self.store.write_state(self.handle, state)?;
        }
        Ok(())
    }

    fn page(&mut self, page: Page, archive: &mut dyn SourceMedia) -> Result<()> {
        for item in page.items {
            self.item(item, archive)?;
        }
        self.progress.send(ProgressEvent::Listed {
            toots: self.read as usize,
        });
        self.flush()
    }

    /// The report, with the counts of the writer and the network filled in
    /// as sync fills them.
    fn finish(self) -> ImportReport {
        let out = self.writer.out;
        let mut report = self.report;
        let counts = &mut report.account;
        counts.ok = true;
        counts.added = out.added;
        counts.edited = out.edited;
        counts.refreshed = out.refreshed;
        counts.unchanged += out.unchanged;
        counts.most_held = out.most_held;
        counts.changes = out.changes;
        counts.requests = self.online.as_ref().map_or(0, online::Online::requests);
        report
    }

    fn item(&mut self, item: Item, archive: &mut dyn SourceMedia) -> Result<()> {
        self.read += 1;
        if self.read.is_multiple_of(1000) {
            tracing::info!("{}: {} items read", self.handle, self.read);
        }
        match item {
            Item::Invalid { message, .. } | Item::Toot(Err(message)) => {
                self.report.invalid += 1;
                self.report.warn(format!("skipped item {message}"));
            }
            Item::Other(kind) => *self.report.account.skipped.entry(kind).or_default() += 1,
            Item::Toot(Ok(toot)) => self.keep(toot, archive)?,
            // Not even looked for (nor fetched with --online): the filter in
            // `keep` would drop the boost whatever its post.
            Item::Boost(boost) if !boost.visibility.is_storable() => {
                self.report.account.dropped += 1;
            }
            Item::Boost(_) if !self.boosts => self.report.skipped_boosts += 1,
            Item::Boost(boost) => match &boost.object {
                BoostObject::Inline(inner) => {
                    let inner = (**inner).clone();
                    let author = self.author.clone().expect("set before streaming");
                    self.boost(boost, inner, author, archive)?;
                }
                BoostObject::Uri(_) => self.pending.push(boost),
            },
        }
        Ok(())
    }
}
