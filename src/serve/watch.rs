//! Watching `site.toml`, `content/` and `themes/` for `serve`.
//!
//! The operating system's file events (inotify, FSEvents, ...) through
//! `notify`; where those are not available (some network or container file
//! systems, exhausted inotify watches) a polling watcher takes over. Events
//! are reduced to "something relevant changed" and debounced: an editor's
//! save is often several events (temporary file, rename, attributes), and
//! a `git checkout` hundreds, but they should cause one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

/// Quiet time that ends a burst of events.
const QUIET: Duration = Duration::from_millis(120);
/// A burst never delays a rebuild longer than this.
const MAX_WAIT: Duration = Duration::from_millis(800);

/// Watches a site folder; [`Changes::wait`] blocks until something changed.
pub(super) struct Changes {
    root: PathBuf,
    watcher: Box<dyn Watcher + Send>,
    events: Receiver<()>,
    /// Sub-folders watched recursively so far (they may appear later).
    watched: Vec<PathBuf>,
}

/// Whether a changed path can change the site. Hidden files and editor
/// backups (`.x.swp`, `x~`, `#x#`) do not.
pub(super) fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') || name.starts_with('#') {
        return false;
    }
    let mut parts = rel.components();
    match parts
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
    {
        Some(first) if first == crate::config::FILE_NAME => parts.next().is_none(),
        Some(first) => first == "content" || first == "themes",
        None => false,
    }
}

impl Changes {
    /// Starts watching `root` (which should be canonical, as event paths are).
    pub(super) fn new(root: &Path) -> crate::error::Result<Changes> {
        let (tx, rx) = mpsc::channel();
        let filter_root = root.to_path_buf();
        let handler = move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                let changes = !matches!(event.kind, EventKind::Access(_))
                    && event.paths.iter().any(|p| relevant(&filter_root, p));
                if changes {
                    let _ = tx.send(());
                }
            }
        };
        let watcher: Box<dyn Watcher + Send> = match notify::recommended_watcher(handler.clone()) {
            Ok(w) => Box::new(w),
            Err(e) => {
                tracing::warn!("file events are not available ({e}); checking for changes every second instead");
                let config = notify::Config::default().with_poll_interval(Duration::from_secs(1));
                Box::new(notify::PollWatcher::new(handler, config).map_err(|e| {
                    crate::error::Error::Other(format!("cannot watch {}: {e}", root.display()))
                })?)
            }
        };
        let mut changes = Changes {
            root: root.to_path_buf(),
            watcher,
            events: rx,
            watched: Vec::new(),
        };
        changes
            .watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| {
                crate::error::Error::Other(format!("cannot watch {}: {e}", root.display()))
            })?;
        changes.watch_new_folders();
        Ok(changes)
    }

    /// Adds `content/` and `themes/` once they exist.
    fn watch_new_folders(&mut self) {
        for name in ["content", "themes"] {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                match self.watcher.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => self.watched.push(dir),
                    Err(e) => tracing::warn!("cannot watch {}: {e}", dir.display()),
                }
            }
        }
    }

    /// Blocks until a relevant change, then until the burst is over.
    /// Returns false when watching has stopped for good.
    pub(super) fn wait(&mut self) -> bool {
        if self.events.recv().is_err() {
            return false;
        }
        let start = Instant::now();
        while start.elapsed() < MAX_WAIT {
            match self.events.recv_timeout(QUIET) {
                Ok(()) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return false,
            }
        }
        self.watch_new_folders();
        true
    }
}

#[cfg(test)]
mod tests;
