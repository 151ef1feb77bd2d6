//! What sync is asked to do and what it reports: the options the CLI fills
//! in, and the per-account summary that `--json` prints and the audit log
//! records.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::merge::ChangeKind;

#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    pub root: PathBuf,
    /// Check every stored toot for deletion and edits now.
    pub full: bool,
    /// Fetch and decide, but write nothing.
    pub dry_run: bool,
    /// First retry delay instead of the default 2 s (tests use a few ms).
    pub backoff: Option<Duration>,
    /// Read and overall timeouts per request instead of site.toml's (tests
    /// of servers that trickle or stall use a second or two).
    pub timeouts: Option<(Duration, Duration)>,
    /// Where progress goes (a terminal progress bar); nowhere by default.
    pub progress: Progress,
    /// Where proxy and CA variables come from (the process by default).
    pub environment: crate::source::network::Environment,
}

/// A step of a running sync, for a progress display.
#[derive(Debug, Clone, PartialEq)]
pub enum ProgressEvent {
    /// Account `index` (1-based) of `total` starts.
    Account {
        handle: String,
        index: usize,
        total: usize,
    },
    /// So many toots listed so far.
    Listed { toots: usize },
    /// Media files done of those to fetch.
    Media { done: usize, total: usize },
}

type ProgressFn = dyn Fn(&ProgressEvent) + Send + Sync;

/// Receives [`ProgressEvent`]s from any thread.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<ProgressFn>>);

impl crate::media::MediaProgress for Progress {
    fn fetched(&self, done: usize, total: usize) {
        self.send(ProgressEvent::Media { done, total });
    }
}

impl Progress {
    pub fn new(f: impl Fn(&ProgressEvent) + Send + Sync + 'static) -> Self {
        Progress(Some(Arc::new(f)))
    }

    pub(crate) fn send(&self, event: ProgressEvent) {
        if let Some(f) = &self.0 {
            f(&event);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(on)"
        } else {
            "Progress(off)"
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub dry_run: bool,
    pub accounts: Vec<AccountReport>,
}

impl SyncReport {
    pub fn failed(&self) -> Vec<&AccountReport> {
        self.accounts.iter().filter(|a| !a.ok).collect()
    }

    /// The error a command ends with when some account failed (the others
    /// were still synced, and a build still ran on what the store holds).
    pub fn failure(&self) -> Option<crate::error::Error> {
        let failed = self.failed();
        if failed.is_empty() {
            return None;
        }
        let names: Vec<&str> = failed.iter().map(|a| a.handle.as_str()).collect();
        Some(crate::error::Error::Other(format!(
            "sync failed for {} of {} account(s): {}",
            failed.len(),
            self.accounts.len(),
            names.join(", ")
        )))
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AccountReport {
    pub handle: String,
    pub ok: bool,
    pub added: usize,
    pub edited: usize,
    pub deleted: usize,
    /// Stored toots rewritten without an edit (pins, late cards, files).
    pub refreshed: usize,
    /// Toots the source sent that the store already held as they are.
    pub unchanged: usize,
    /// Private and direct toots the server sent that were dropped.
    pub dropped: usize,
    /// Outbox items of a type a mirror does not store, counted by type
    /// (e.g. `Create/Tombstone`), so nothing is left out silently.
    pub skipped: std::collections::BTreeMap<String, usize>,
    pub media_fetched: usize,
    pub media_failed: usize,
    /// Files a dry run would fetch.
    pub media_pending: usize,
    pub requests: usize,
    /// Whether every stored toot was checked this time.
    pub reconciled: bool,
    /// The most toots sync held at once (one listing page, or one batch of
    /// existence checks or refreshes): the memory bound, checked by tests.
    #[serde(skip)]
    pub most_held: usize,
    pub changes: Vec<AuditEntry>,
    pub errors: Vec<String>,
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub time: DateTime<Utc>,
    pub id: String,
    pub change: ChangeKind,
}
