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
//! [`Run::go`] is that list of steps as calls; the steps are in `steps.rs`,
//! choosing and opening the source (REST API or outbox) in `open.rs`, the
//! listing and the checks of single toots in `remote.rs`.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use crate::config::{self, AccountConfig, SiteConfig};
use crate::error::Result;
use crate::media::Mirror;
use crate::model::Toot;
use crate::source::guard;
use crate::source::http::{HttpClient, HttpOptions};
use crate::source::network::Network;
use crate::store::Store;

mod open;
mod remote;
mod report;
mod steps;
mod writer;

pub use report::{AccountReport, AuditEntry, Progress, ProgressEvent, SyncOptions, SyncReport};
use steps::{advance_cursor, confirmed_deletions};

/// Syncs every account in `<root>/site.toml`. Fails only when the site
/// itself cannot be read; account failures are in the report.
pub fn sync(options: &SyncOptions) -> Result<SyncReport> {
    let config = config::load(&options.root)?;
    // Proxies and CA bundles: a broken one stops the run before any request.
    let network = Network::from_site(&config, &options.root, &options.environment)?;
    let store = Store::new(&options.root);
    if !options.dry_run {
        // Torn temporary files of a sync that was killed mid-write.
        store.remove_stale_temps();
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
    let mut http_options = http_options(config, account, network.clone());
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

/// How sync (and `import --online`) reach `account`'s servers: the guard's
/// reach from its home server, the site's timeouts and rate-limit wait, and
/// the site's proxies and CA bundles (`network`).
pub(crate) fn http_options(
    config: &SiteConfig,
    account: &AccountConfig,
    network: Network,
) -> HttpOptions {
    let home = account
        .instance
        .as_ref()
        .map(|i| i.0.clone())
        .or_else(|| Url::parse(&format!("https://{}", account.handle.host)).ok());
    let reach = home.as_ref().map_or(guard::Reach::Public, guard::reach_of);
    let mut options = HttpOptions::new(config.base_url.trimmed(), reach);
    options.max_rate_limit_wait = Duration::from_secs(config.sync.max_rate_limit_wait_secs);
    options.network = network;
    let secs = |n: config::PositiveCount| Duration::from_secs(n.0 as u64);
    options.connect_timeout = secs(config.sync.connect_timeout_secs);
    options.read_timeout = secs(config.sync.read_timeout_secs);
    options.total_timeout = secs(config.sync.request_timeout_secs);
    options
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
    /// One account's sync, step by step.
    fn go(&mut self) -> Result<()> {
        let start = self.load_store()?;
        let data = &start.data;
        let mut state = data.state.clone();
        let stored_ids: HashSet<&str> = data.toots.iter().map(|t| t.id.as_str()).collect();
        let stored: HashMap<&str, &Toot> = data.toots.iter().map(|t| (t.id.as_str(), t)).collect();
        let known = self.known(&start, &stored_ids);
        let mirror = self.mirror();
        let mut writer = self.writer(&start, &stored, &mirror);
        let (remote, mut listing) =
            self.open_and_list(&known, &mut state, start.reconcile_due, &mut |b| {
                writer.batch(b)
            })?;
        let gone =
            self.check_stored_toots(&remote, &start, &stored, &known, &mut listing, &mut writer)?;
        self.record_listing(&start, &mut state, &mut listing);
        self.refresh_stored_toots(data, &listing, &gone, &mirror, &mut writer)?;
        let mut out = writer.out;
        self.mirror_profile(&mirror, &mut state, &mut out.media);
        advance_cursor(&mut state, &listing);
        let deletes = confirmed_deletions(data, &gone, &out);
        self.finish(data, out, deletes, state)
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
}
