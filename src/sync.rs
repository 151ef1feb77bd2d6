//! `tootbridge sync`: bring every configured account's store up to date.
//!
//! Per account, as a short list of steps: resolve the account (skipped when
//! its id is known), page the listing back until it overlaps the store (the
//! whole history on the first run), fetch the pinned list, check stored toots
//! that left the fetched window (and all of them when a full reconcile is
//! due), refresh pins and retry missing media. Every page and batch is mapped
//! and filtered (private and direct never go further), its media mirrored,
//! merged and written before the next request ([`writer`]), so one page of
//! statuses is held at a time. Last come deletions, orphaned media, and the
//! state (cursor, tombstones): a sync stopped midway has written complete
//! toots only and repeats its listing next time.
//! One account failing is recorded in its report and does not stop others.
//! Choosing and opening the source (REST API or outbox) is in `open.rs`, the
//! listing and the checks of single toots in `remote.rs`.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use crate::config::{self, AccountConfig, SiteConfig};
use crate::error::Result;
use crate::media::{MediaReport, Mirror};
use crate::model::{AccountData, AccountState, Tombstone, Toot};
use crate::source::api::PAGE_LIMIT;
use crate::source::guard;
use crate::source::http::{HttpClient, HttpOptions};
use crate::source::network::Network;
use crate::store::merge::{self, ChangeKind};
use crate::store::{Store, Unfinished};

mod open;
mod remote;
mod report;
mod writer;

use remote::{Known, Sink};
pub use report::{AccountReport, AuditEntry, Progress, ProgressEvent, SyncOptions, SyncReport};
use writer::{Writer, Written};

/// Syncs every account in `<root>/site.toml`. Fails only when the site
/// itself cannot be read; account failures are in the report.
pub fn sync(options: &SyncOptions) -> Result<SyncReport> {
    let config = config::load(&options.root)?;
    // Proxies and CA bundles: a broken one stops the run before any request.
    let network = Network::from_site(&config, &options.root, &options.environment)?;
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
        // After SIGINT/SIGTERM no further account is started.
        .take_while(|_| crate::interrupt::received().is_none())
        .map(|(i, account)| {
            options.progress.send(ProgressEvent::Account {
                handle: account.handle.to_string(),
                index: i + 1,
                total,
            });
            sync_account(&store, &config, &network, account, options)
        })
        .collect();
    crate::interrupt::check()?;
    Ok(SyncReport {
        dry_run: options.dry_run,
        accounts,
    })
}

fn sync_account(
    store: &Store,
    config: &SiteConfig,
    network: &Network,
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
    http_options.network = network.clone();
    let secs = |n: config::PositiveCount| Duration::from_secs(n.0 as u64);
    http_options.connect_timeout = secs(config.sync.connect_timeout_secs);
    http_options.read_timeout = secs(config.sync.read_timeout_secs);
    http_options.total_timeout = secs(config.sync.request_timeout_secs);
    if let Some(backoff) = options.backoff {
        http_options.backoff = backoff;
    }
    if let Some((read, total)) = options.timeouts {
        http_options.read_timeout = read;
        http_options.total_timeout = total;
    }
    let http = match HttpClient::new(http_options) {
        Ok(http) => http,
        Err(e) => {
            report.errors.push(e.to_string());
            return report;
        }
    };
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
        // Not logged here: the report carries it, and the CLI prints it
        // once (a failure printed by both appeared twice).
        Err(e) => report.errors.push(e.to_string()),
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

        // 1-3. Read the listing (REST API or outbox) until it overlaps,
        // merging and writing page by page.
        // After an unfinished sync, the cursor it started from.
        let unfinished = self.store.read_unfinished(handle);
        let overlap_at = match &unfinished {
            Some(mark) => mark.overlap_at.clone(),
            None => state
                .newest_id
                .clone()
                .or_else(|| data.toots.first().map(|t| t.id.clone())),
        };
        let stored_ids: HashSet<&str> = data.toots.iter().map(|t| t.id.as_str()).collect();
        let known = Known {
            host: &handle.host,
            overlap_at: overlap_at.as_deref(),
            stored: &stored_ids,
            resume: unfinished.is_some(),
            since: self.config.select.since,
            boosts: self.config.select.boosts,
            progress: &self.options.progress,
        };
        let stored: HashMap<&str, &Toot> = data.toots.iter().map(|t| (t.id.as_str(), t)).collect();
        let mirror = self.mirror();
        let mut writer = Writer {
            store: self.store,
            handle,
            stored: &stored,
            mirror: self.config.sync.media.then_some(&mirror),
            dry_run: self.options.dry_run,
            now: self.now,
            old_files: data.toots.iter().flat_map(crate::media::files_of).collect(),
            mark: unfinished.is_none().then(|| Unfinished {
                overlap_at: overlap_at.clone(),
            }),
            out: Written::default(),
        };
        let (remote, mut listing) =
            self.open(&known, &mut state, reconcile_due, &mut |b| writer.batch(b))?;
        let reached_end = listing.reached_end;

        // 4. Stored toots that left the window, or all of them when due.
        let check: Vec<String> = if reconcile_due && !reached_end {
            data.toots.iter().map(|t| t.id.clone()).collect()
        } else {
            merge::deletion_candidates(&data.toots, &listing.window, reached_end)
        };
        let check: Vec<String> = check
            .into_iter()
            .filter(|id| !writer.out.handled.contains(id))
            .collect();
        let gone: HashSet<String> = if check.is_empty() {
            HashSet::new()
        } else {
            let sink: &mut Sink<'_> = &mut |b| writer.batch(b);
            remote
                .existing(&check, &stored, &known, &mut listing, sink)?
                .into_iter()
                .collect()
        };
        if reconcile_due || reached_end {
            // Stamped only when due: a small account's listing reaches its
            // end on every sync, and a new stamp each time would change the
            // state file (a commit per CI run) with nothing new.
            if reconcile_due {
                state.last_reconcile = Some(self.now);
            }
            self.report.reconciled = true;
        }
        self.report.dropped = listing.dropped;
        self.report.skipped = std::mem::take(&mut listing.skipped);
        for error in &listing.errors {
            self.report.errors.push(format!("{handle}: {error}"));
        }

        // 5. Refresh pins and retry missing media of the other stored toots,
        // a page at a time.
        let mut batch = Vec::new();
        for old in &data.toots {
            if writer.out.handled.contains(&old.id) || gone.contains(&old.id) {
                continue;
            }
            let mut toot = old.clone();
            toot.pinned = listing.pinned.contains(&toot.id);
            let retry = self.config.sync.media && mirror.has_missing(&mut toot.clone());
            if toot.pinned != old.pinned || retry {
                batch.push(toot);
            }
            if batch.len() == PAGE_LIMIT {
                writer.batch(std::mem::take(&mut batch))?;
            }
        }
        writer.batch(batch)?;
        let mut out = writer.out;
        if self.config.sync.media {
            self.profile_files(&mirror, &mut state, &mut out.media);
        }
        self.report.media_fetched = out.media.fetched;
        self.report.media_failed = out.media.failed;
        self.report.media_pending = out.media.pending;
        for error in &out.media.errors {
            tracing::warn!("{handle}: {error}");
        }
        self.report.errors.append(&mut out.media.errors);

        // 6. Deletions, orphaned media, and the state last.
        if let Some(newest) = &listing.window.newest {
            if state
                .newest_id
                .as_deref()
                .is_none_or(|old| crate::model::compare_ids(newest, old).is_gt())
            {
                state.newest_id = Some(newest.clone());
            }
        }
        // As `merge` decides: a toot listed in this run is not deleted.
        let deletes: Vec<String> = data
            .toots
            .iter()
            .filter(|t| gone.contains(&t.id) && !out.handled.contains(&t.id))
            .map(|t| t.id.clone())
            .collect();
        self.finish(&data, out, deletes, state)
    }

    fn mirror(&self) -> Mirror<'a> {
        let handle = &self.account.handle;
        Mirror {
            http: self.http,
            store: self.store,
            prefix: crate::store::media_prefix(&handle.host, &handle.user),
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
        let mut fill = |url: &str, slot: &mut Option<String>| {
            if slot.as_deref().is_some_and(|f| self.store.has_media(f)) {
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

    /// Records what the batches did, then removes deleted toots and the
    /// media no toot refers to any more, and writes the state last.
    fn finish(
        &mut self,
        data: &AccountData,
        out: Written,
        deletes: Vec<String>,
        mut state: AccountState,
    ) -> Result<()> {
        let handle = &self.account.handle;
        let audit: Vec<AuditEntry> = deletes
            .iter()
            .map(|id| self.entry(id, ChangeKind::Deleted))
            .collect();
        for entry in &audit {
            tracing::debug!("{handle}: {} {}", entry.change.as_str(), entry.id);
        }
        self.report.added = out.added;
        self.report.edited = out.edited;
        self.report.refreshed = out.refreshed;
        self.report.deleted = deletes.len();
        self.report.most_held = out.most_held;
        self.report.changes = out.changes;
        self.report.changes.extend(audit.iter().cloned());
        if self.options.dry_run {
            return Ok(());
        }
        for id in &deletes {
            self.store.remove_toot(handle, id)?;
            if !state.tombstones.iter().any(|t| &t.id == id) {
                state.tombstones.push(Tombstone {
                    id: id.clone(),
                    deleted_at: self.now,
                });
            }
        }
        // Media of deleted toots and replaced attachments leave with them.
        let deleted: HashSet<&str> = deletes.iter().map(String::as_str).collect();
        let mut kept = out.kept_files;
        for toot in &data.toots {
            if !deleted.contains(toot.id.as_str()) && !out.rewritten.contains(&toot.id) {
                kept.extend(crate::media::files_of(toot));
            }
        }
        let mut orphans: Vec<String> = data
            .toots
            .iter()
            .flat_map(crate::media::files_of)
            .filter(|f| !kept.contains(f))
            .collect();
        orphans.sort();
        orphans.dedup();
        for file in orphans {
            self.store.remove_media(&file)?;
        }
        self.store.append_audit(handle, &audit)?;
        if state != data.state {
            self.store.write_state(handle, &state)?;
        }
        self.store.clear_unfinished(handle)
    }

    fn entry(&self, id: &str, change: ChangeKind) -> AuditEntry {
        AuditEntry {
            time: self.now,
            id: id.to_string(),
            change,
        }
    }
}
