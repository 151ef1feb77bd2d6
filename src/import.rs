//! `tootbridge import`: backfill the store from a Mastodon account export.
//!
//! Steps ([`import`] calls them in order): open the archive
//! ([`crate::source::archive`]), find the account (`--account` or
//! `actor.json`, which must be configured), open the store, import the
//! profile, then stream the outbox once, mapping each item with the shared
//! ActivityPub mapping ([`crate::source::activitypub`]), resolve the boosts,
//! and write the state. Every mapped toot passes the one visibility filter of
//! all sources ([`storable`]) before anything of it is written, and is
//! merged by the store's rules ([`crate::store::merge`]: [`decide`] and
//! [`carry_over`], as sync merges): the same id is never duplicated and a
//! newer edit is never overwritten by an older copy. Its
//! media are copied from the archive first, the toot file last, so an
//! interrupted import leaves complete toots only. Boosts are kept only when
//! `[select] boosts` is on and the boosted post is in the archive (a second
//! streaming pass finds it).
//!
//! Sync's cursor (`newest_id`) is left alone: sync pages back until it meets
//! a stored toot, which an import only makes cheaper.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::config::{self, Handle};
use crate::error::{Error, Result};
use crate::model::{AccountData, AccountState, Author, Toot};
use crate::source::activitypub::{self, Activity, Boost, BoostObject, Context};
use crate::source::archive::{Archive, MediaDir};
use crate::store::merge::{carry_over, decide, storable, Decision, Gaps};
use crate::store::{is_safe_media_path, Store};

mod account;
mod boosts;
mod online;

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
}

/// The summary `import` prints (and `--json` serializes).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub account: String,
    pub archive: PathBuf,
    pub dry_run: bool,
    /// Items in the outbox, and what its `totalItems` claimed.
    pub items: u64,
    pub declared_items: Option<u64>,
    pub imported: usize,
    pub already_present: usize,
    pub updated: usize,
    /// Stored toots whose missing media files came from the archive.
    pub completed: usize,
    /// Followers-only and direct posts (and boosts of them), never stored.
    pub skipped_visibility: usize,
    pub skipped_boosts: usize,
    /// Activities other than posts and boosts (e.g. `Like`).
    pub skipped_other: usize,
    /// Items that could not be mapped (see `warnings`).
    pub invalid: usize,
    pub media_copied: usize,
    /// Files whose content was already in content/media.
    pub media_present: usize,
    pub media_missing: usize,
    pub avatar: bool,
    pub header: bool,
    pub warnings: Vec<String>,
    pub more_warnings: usize,
}

impl ImportReport {
    fn warn(&mut self, message: String) {
        tracing::warn!("{message}");
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(message);
        } else {
            self.more_warnings += 1;
        }
    }
}

/// `tootbridge import`: the steps below, in order.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    let config = config::load(&options.root)?;
    let mut archive = Archive::open(&options.archive)?;
    let actor = archive.actor()?.unwrap_or(Value::Null);
    let handle = find_account(&config, options, &actor, &archive)?;
    let store = open_store(options);
    let data = store.load_account(&handle)?;
    let mut state = data.state.clone();
    let mut run = Run::new(&config, options, &store, &handle, &actor, data)?;
    run.import_profile(&mut archive, &actor, &mut state)?;
    run.import_outbox(&mut archive)?;
    run.resolve_boosts(&mut archive)?;
    run.write_state(&state)?;
    Ok(run.report)
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
    stored: HashMap<String, Toot>,
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
    online: Option<online::Online>,
}

impl<'a> Run<'a> {
    fn new(
        config: &config::SiteConfig,
        options: &ImportOptions,
        store: &'a Store,
        handle: &'a Handle,
        actor: &Value,
        data: AccountData,
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
                account: handle.to_string(),
                archive: options.archive.clone(),
                dry_run: options.dry_run,
                ..Default::default()
            },
            dry_run: options.dry_run,
            boosts: config.select.boosts,
            stored: data.toots.into_iter().map(|t| (t.id.clone(), t)).collect(),
            stored_state: data.state,
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

    /// The first pass over `outbox.json`: every item mapped, filtered,
    /// merged and written; boosts of posts given only by URI wait.
    fn import_outbox(&mut self, archive: &mut Archive) -> Result<()> {
        let info = archive.stream_outbox(|item, archive| self.item(item, archive))?;
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

    fn item(&mut self, item: Value, archive: &mut Archive) -> Result<()> {
        self.read += 1;
        if self.read.is_multiple_of(1000) {
            tracing::info!("{}: {} items read", self.handle, self.read);
        }
        match activitypub::activity(&item, &self.ctx) {
            Err(e) => {
                self.report.invalid += 1;
                self.report.warn(format!("skipped item {e}"));
            }
            Ok(Activity::Other(_)) => self.report.skipped_other += 1,
            Ok(Activity::Post(toot)) => self.keep(*toot, archive)?,
            // Not even looked for (nor fetched with --online): the filter in
            // `keep` would drop the boost whatever its post.
            Ok(Activity::Boost(boost)) if !boost.visibility.is_storable() => {
                self.report.skipped_visibility += 1;
            }
            Ok(Activity::Boost(_)) if !self.boosts => self.report.skipped_boosts += 1,
            Ok(Activity::Boost(boost)) => match &boost.object {
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

    /// Merges one mapped toot: drops it unless [`storable`], else copies its
    /// media, then writes it.
    fn keep(&mut self, mut toot: Toot, archive: &mut Archive) -> Result<()> {
        if !storable(&toot) {
            self.report.skipped_visibility += 1;
            return Ok(());
        }
        let stored = self.stored.get(&toot.id);
        let known = match self.seen.get(&toot.id) {
            Some(edited) => Some(*edited),
            None => stored.map(|s| s.edited_at),
        };
        let decision = decide(known, toot.edited_at);
        if decision == Decision::Present {
            self.report.already_present += 1;
            if !self.seen.contains_key(&toot.id) {
                self.complete(&toot.id, archive)?;
            }
            return Ok(());
        }
        self.copy_media(&mut toot, archive)?;
        if let Some(reblog) = toot.reblog.as_mut() {
            let mut inner = reblog.toot.clone();
            self.copy_media(&mut inner, archive)?;
            reblog.toot = inner;
        }
        if let Some(stored) = self.stored.get(&toot.id) {
            carry_over(&mut toot, stored, Gaps::ARCHIVE);
        }
        if !self.dry_run {
            self.store.write_toot(self.handle, &toot)?;
        }
        match decision {
            Decision::New if !self.seen.contains_key(&toot.id) => self.report.imported += 1,
            _ => self.report.updated += 1,
        }
        self.seen.insert(toot.id.clone(), toot.edited_at);
        Ok(())
    }

    /// A stored toot whose media sync could not mirror gets them from the
    /// archive (the rescue case: the instance is gone or throttled).
    fn complete(&mut self, id: &str, archive: &mut Archive) -> Result<()> {
        let Some(stored) = self.stored.get(id) else {
            return Ok(());
        };
        let fillable = |m: &crate::model::Media| {
            m.file.is_none() && archive.media_entry(&m.remote_url).is_some()
        };
        if !stored.media.iter().any(fillable) {
            return Ok(());
        }
        let mut toot = stored.clone();
        for media in toot.media.iter_mut().filter(|m| m.file.is_none()) {
            self.copy_one(id, media, archive);
        }
        if !self.dry_run {
            self.store.write_toot(self.handle, &toot)?;
        }
        self.report.completed += 1;
        Ok(())
    }

    fn copy_media(&mut self, toot: &mut Toot, archive: &mut Archive) -> Result<()> {
        // Files mirrored already (a post fetched with --online) stay.
        for media in toot.media.iter_mut().filter(|m| m.file.is_none()) {
            self.copy_one(&toot.id, media, archive);
        }
        Ok(())
    }

    /// Copies one attachment's file from the archive; a missing or
    /// unsuitable file is reported and leaves the slot empty.
    fn copy_one(&mut self, toot_id: &str, media: &mut crate::model::Media, archive: &mut Archive) {
        let Some(entry) = archive.media_entry(&media.remote_url).map(str::to_string) else {
            self.report.media_missing += 1;
            self.report.warn(format!(
                "toot {toot_id}: media file {} is not in the archive; the toot is kept without it",
                media.remote_url
            ));
            return;
        };
        if self.dry_run {
            self.report.media_copied += 1;
            return;
        }
        match archive.copy(&entry, media.mime.as_deref(), &self.dest) {
            Ok(copied) => {
                if copied.existed {
                    self.report.media_present += 1;
                } else {
                    self.report.media_copied += 1;
                }
                media.file = Some(copied.file);
                media.mime = Some(copied.mime);
                media.size = Some(copied.size);
            }
            Err(e) => {
                self.report.media_missing += 1;
                self.report
                    .warn(format!("toot {toot_id}: {e}; the toot is kept without it"));
            }
        }
    }
}
