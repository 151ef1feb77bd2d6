//! `tootbridge sync`: bring every configured account's store up to date.
//!
//! Per account, as a short list of steps: resolve the account (skipped when
//! its id is known), page the listing back until it overlaps the store (the
//! whole history on the first run), fetch the pinned list, map and filter
//! (private and direct never go further), check stored toots that left the
//! fetched window (and all of them when a full reconcile is due), mirror
//! media, merge, then write: media, toots, audit log, and the state last, so
//! a killed sync leaves complete files and repeats its work next time.
//! One account failing is recorded in its report and does not stop others.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use crate::config::{self, AccountConfig, SiteConfig, SourceKind};
use crate::error::{Error, Result};
use crate::media::{MediaReport, Mirror};
use crate::model::{compare_ids, AccountState, Tombstone, Toot};
use crate::source::api::{instance_base, origin, Api};
use crate::source::guard;
use crate::source::http::{HttpClient, HttpOptions};
use crate::source::outbox::Outbox;
use crate::store::merge::{self, ChangeKind, Plan};
use crate::store::{AccountData, Store};

mod remote;
mod report;

use remote::{apply_profile, falls_back, Known, Listing, Remote};
pub use report::{AccountReport, AuditEntry, Progress, ProgressEvent, SyncOptions, SyncReport};

/// Syncs every account in `<root>/site.toml`. Fails only when the site
/// itself cannot be read; account failures are in the report.
pub fn sync(options: &SyncOptions) -> Result<SyncReport> {
    let config = config::load(&options.root)?;
    let store = Store::new(&options.root);
    if !options.dry_run {
        // Torn temporary files of a sync that was killed mid-write.
        crate::fsutil::remove_stale_temps(store.content_dir());
    }
    let total = config.accounts.len();
    let accounts = config
        .accounts
        .iter()
        .enumerate()
        .map(|(i, account)| {
            options.progress.send(ProgressEvent::Account {
                handle: account.handle.to_string(),
                index: i + 1,
                total,
            });
            sync_account(&store, &config, account, options)
        })
        .collect();
    Ok(SyncReport {
        dry_run: options.dry_run,
        accounts,
    })
}

fn sync_account(
    store: &Store,
    config: &SiteConfig,
    account: &AccountConfig,
    options: &SyncOptions,
) -> AccountReport {
    let handle = &account.handle;
    let mut report = AccountReport {
        handle: handle.to_string(),
        ..Default::default()
    };
    let home = account
        .instance
        .as_ref()
        .map(|i| i.0.clone())
        .or_else(|| Url::parse(&format!("https://{}", handle.host)).ok());
    let reach = home.as_ref().map_or(guard::Reach::Public, guard::reach_of);
    let mut http_options = HttpOptions::new(config.base_url.trimmed(), reach);
    http_options.max_rate_limit_wait = Duration::from_secs(config.sync.max_rate_limit_wait_secs);
    if let Some(backoff) = options.backoff {
        http_options.backoff = backoff;
    }
    if let Some((read, total)) = options.timeouts {
        http_options.read_timeout = read;
        http_options.total_timeout = total;
    }
    let http = HttpClient::new(http_options);
    let mut run = Run {
        store,
        config,
        account,
        options,
        http: &http,
        now: Utc::now(),
        report: &mut report,
    };
    match run.go() {
        Ok(()) => report.ok = true,
        Err(e) => {
            tracing::error!("{handle}: {e}");
            report.errors.push(e.to_string());
        }
    }
    report.requests = http.requests();
    report
}

struct Run<'a> {
    store: &'a Store,
    config: &'a SiteConfig,
    account: &'a AccountConfig,
    options: &'a SyncOptions,
    http: &'a HttpClient,
    now: DateTime<Utc>,
    report: &'a mut AccountReport,
}

impl<'a> Run<'a> {
    fn go(&mut self) -> Result<()> {
        let handle = &self.account.handle;
        let data = self.store.load_account(handle)?;
        let mut state = data.state.clone();
        let reconcile_due = self.options.full
            || state.last_reconcile.is_none_or(|last| {
                self.now - last >= chrono::Duration::hours(self.config.sync.reconcile_hours.into())
            });

        // 1-3. Read the listing (REST API or outbox) until it overlaps.
        let overlap_at = state
            .newest_id
            .clone()
            .or_else(|| data.toots.first().map(|t| t.id.clone()));
        let stored_ids: HashSet<&str> = data.toots.iter().map(|t| t.id.as_str()).collect();
        let known = Known {
            host: &handle.host,
            overlap_at: overlap_at.as_deref(),
            stored: &stored_ids,
            since: self.config.select.since,
            boosts: self.config.select.boosts,
            progress: &self.options.progress,
        };
        let (remote, mut listing) = self.open(&known, &mut state, reconcile_due)?;
        let pinned_ids = listing.pinned.clone();
        let reached_end = listing.reached_end;

        // 4. Stored toots that left the window, or all of them when due.
        let fetched_ids: HashSet<String> = listing.toots.iter().map(|t| t.id.clone()).collect();
        let check: Vec<String> = if reconcile_due && !reached_end {
            data.toots.iter().map(|t| t.id.clone()).collect()
        } else {
            merge::deletion_candidates(&data.toots, &listing.listed_ids, reached_end)
        };
        let check: Vec<String> = check
            .into_iter()
            .filter(|id| !fetched_ids.contains(id))
            .collect();
        let stored: HashMap<&str, &Toot> = data.toots.iter().map(|t| (t.id.as_str(), t)).collect();
        let gone = if check.is_empty() {
            Vec::new()
        } else {
            remote.existing(&check, &stored, &known, &mut listing)?
        };
        if reconcile_due || reached_end {
            state.last_reconcile = Some(self.now);
            self.report.reconciled = true;
        }
        self.report.dropped = listing.dropped;
        for error in &listing.errors {
            self.report.errors.push(format!("{handle}: {error}"));
        }
        let mut fetched = listing.toots;

        // 5. Keep mirrored files, refresh pins, retry missing media.
        for toot in &mut fetched {
            if let Some(old) = stored.get(toot.id.as_str()) {
                merge::carry_over(toot, old);
            }
        }
        let fetched_ids: HashSet<String> = fetched.iter().map(|t| t.id.clone()).collect();
        let mirror = self.mirror();
        for old in &data.toots {
            if fetched_ids.contains(&old.id) || gone.contains(&old.id) {
                continue;
            }
            let mut toot = old.clone();
            toot.pinned = pinned_ids.contains(&toot.id);
            let retry = self.config.sync.media && mirror.has_missing(&mut toot.clone());
            if toot.pinned != old.pinned || retry {
                fetched.push(toot);
            }
        }
        let mut media = MediaReport::default();
        if self.config.sync.media {
            mirror.toots(&mut fetched, &mut media);
            self.profile_files(&mirror, &mut state, &mut media);
        }
        self.report.media_fetched = media.fetched;
        self.report.media_failed = media.failed;
        self.report.media_pending = media.pending;
        for error in &media.errors {
            tracing::warn!("{handle}: {error}");
        }
        self.report.errors.extend(media.errors);

        // 6. Decide and write.
        let plan = merge::merge(&data.toots, &fetched, &gone);
        if let Some(newest) = listing.listed_ids.iter().max_by(|a, b| compare_ids(a, b)) {
            if state
                .newest_id
                .as_deref()
                .is_none_or(|old| compare_ids(newest, old).is_gt())
            {
                state.newest_id = Some(newest.clone());
            }
        }
        self.apply(&data, plan, state)
    }

    /// Opens the configured source and reads its listing; `auto` falls back
    /// to the outbox when the REST API refuses anonymous use or is missing.
    fn open(
        &self,
        known: &Known<'_>,
        state: &mut AccountState,
        reconcile_due: bool,
    ) -> Result<(Remote<'a>, Listing)> {
        // An account synced before whose REST id never became known was
        // read from its outbox: go there directly until the daily reconcile
        // tries the API again, instead of a refused request every time.
        let outbox_before = state.id.is_none() && state.newest_id.is_some() && !reconcile_due;
        match self.account.source {
            SourceKind::Api => self.open_api(known, state, reconcile_due),
            SourceKind::Outbox => self.open_outbox(known, state),
            SourceKind::Auto if outbox_before => self.open_outbox(known, state),
            SourceKind::Auto => match self.open_api(known, state, reconcile_due) {
                Err(e) if falls_back(&e) => {
                    tracing::warn!(
                        "{}: REST API unavailable ({e}); reading the outbox",
                        self.account.handle
                    );
                    self.open_outbox(known, state)
                        .map_err(|e2| Error::Other(format!("REST API: {e}; outbox: {e2}")))
                }
                other => other,
            },
        }
    }

    fn open_outbox(
        &self,
        known: &Known<'_>,
        state: &mut AccountState,
    ) -> Result<(Remote<'a>, Listing)> {
        let handle = &self.account.handle;
        let mut outbox = Outbox::discover(self.http, handle, self.account.instance.as_ref())?;
        // Marks self-replies: the REST id when a sync or import learnt it,
        // else the one a numeric actor URI (`/ap/users/<id>`) carries.
        if state.id.is_some() {
            outbox.ctx.account_id = state.id.clone();
        }
        let remote = Remote::Outbox(Box::new(outbox));
        let listing = remote.list(known, state)?;
        Ok((remote, listing))
    }

    fn open_api(
        &self,
        known: &Known<'_>,
        state: &mut AccountState,
        reconcile_due: bool,
    ) -> Result<(Remote<'a>, Listing)> {
        let handle = &self.account.handle;
        // 1. Resolve the account, unless its id and server are known.
        let known_base = match &self.account.instance {
            Some(instance) => Some(instance.0.clone()),
            None => state
                .url
                .as_deref()
                .and_then(|u| Url::parse(u).ok())
                .map(|u| origin(&u)),
        };
        let (api, account_id) = match (&state.id, known_base) {
            (Some(id), Some(base)) if !reconcile_due => (Api::new(self.http, base), id.clone()),
            _ => {
                let base = instance_base(self.http, handle, self.account.instance.as_ref())?;
                self.token(&base)?;
                let api = Api::new(self.http, base);
                let found = api.lookup(&handle.user)?;
                apply_profile(state, &found);
                let id = found.id.clone();
                (api, id)
            }
        };
        self.token(api.base())?;
        if !crate::model::is_safe_id(&account_id) {
            return Err(Error::Other(format!(
                "{handle}: account id {account_id:?} is not safe"
            )));
        }

        let remote = Remote::Api { api, account_id };
        let listing = remote.list(known, state)?;
        Ok((remote, listing))
    }

    fn token(&self, base: &Url) -> Result<()> {
        let Some(name) = &self.account.token_env else {
            return Ok(());
        };
        let token = std::env::var(&name.0).ok().filter(|t| !t.trim().is_empty());
        let token = token.ok_or_else(|| Error::Config {
            path: PathBuf::from(config::FILE_NAME),
            line: None,
            message: format!(
                "account {}: token_env names {}, which is not set",
                self.account.handle, name.0
            ),
        })?;
        if let Some(host) = base.host_str() {
            self.http
                .set_token(token.trim().to_string(), host.to_string());
        }
        Ok(())
    }

    fn mirror(&self) -> Mirror<'_> {
        let handle = &self.account.handle;
        Mirror {
            http: self.http,
            media_dir: self.store.media_dir(),
            prefix: crate::media::prefix(&handle.host, &handle.user),
            cap: self.config.sync.max_media_bytes.0,
            dry_run: self.options.dry_run,
            progress: &self.options.progress,
        }
    }

    /// Mirrors the avatar and the custom emoji of the profile.
    fn profile_files(
        &self,
        mirror: &Mirror<'_>,
        state: &mut AccountState,
        media: &mut MediaReport,
    ) {
        let media_dir = self.store.media_dir();
        let mut fill = |url: &str, slot: &mut Option<String>| {
            if slot.as_ref().is_some_and(|f| media_dir.join(f).is_file()) {
                return;
            }
            match mirror.image(url) {
                None => media.pending += 1,
                Some(Ok(done)) => {
                    *slot = Some(done.file);
                    media.fetched += 1;
                }
                Some(Err(e)) => {
                    *slot = None;
                    media.failed += 1;
                    media.errors.push(e);
                }
            }
        };
        if let Some(url) = state.avatar_remote_url.clone() {
            fill(&url, &mut state.avatar);
        }
        for emoji in &mut state.emojis {
            fill(&emoji.remote_url.clone(), &mut emoji.file);
        }
    }

    fn apply(&mut self, data: &AccountData, plan: Plan, mut state: AccountState) -> Result<()> {
        let handle = &self.account.handle;
        let mut audit = Vec::new();
        for (toot, kind) in &plan.writes {
            if let Some(kind) = kind {
                audit.push(self.entry(&toot.id, *kind));
            } else {
                self.report.refreshed += 1;
            }
        }
        for id in &plan.deletes {
            audit.push(self.entry(id, ChangeKind::Deleted));
        }
        self.report.added = plan.count(ChangeKind::Added);
        self.report.edited = plan.count(ChangeKind::Edited);
        self.report.deleted = plan.count(ChangeKind::Deleted);
        for entry in &audit {
            tracing::debug!("{handle}: {} {}", entry.change.as_str(), entry.id);
        }
        self.report.changes = audit.clone();
        if self.options.dry_run {
            return Ok(());
        }
        for (toot, _) in &plan.writes {
            self.store.write_toot(handle, toot)?;
        }
        for id in &plan.deletes {
            self.store.remove_toot(handle, id)?;
            if !state.tombstones.iter().any(|t| &t.id == id) {
                state.tombstones.push(Tombstone {
                    id: id.clone(),
                    deleted_at: self.now,
                });
            }
        }
        // Media of deleted toots and replaced attachments leave with them.
        let written: HashMap<&str, &Toot> = plan
            .writes
            .iter()
            .map(|(t, _)| (t.id.as_str(), t))
            .collect();
        let after = data
            .toots
            .iter()
            .filter(|t| !plan.deletes.contains(&t.id))
            .map(|t| written.get(t.id.as_str()).copied().unwrap_or(t));
        for file in crate::media::orphaned_files(&data.toots, after) {
            self.store.remove_media(&file)?;
        }
        self.store.append_audit(handle, &audit)?;
        if state != data.state {
            self.store.write_state(handle, &state)?;
        }
        Ok(())
    }

    fn entry(&self, id: &str, change: ChangeKind) -> AuditEntry {
        AuditEntry {
            time: self.now,
            id: id.to_string(),
            change,
        }
    }
}
