//! Where rendered files go: the [`Sink`] every renderer writes to, the
//! in-memory [`Collect`], and [`Tracked`], which remembers the folders used.

use std::collections::HashSet;
use std::sync::{Mutex, RwLock};

use super::keys::Key;
use super::OutputFile;
use crate::error::Result;

/// Where rendered files go, one at a time and from several threads: kept in
/// memory ([`Collect`], for `serve` and tests) or staged on disk as they come
/// (`output::Staging`, for `build`), so a build never holds the whole site.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<()>;

    /// Whether [`Sink::put_keyed`] can skip work: renderers compute keys
    /// only for a sink that remembers them.
    fn keyed(&self) -> bool {
        false
    }

    /// Puts the file at `path` that `make` returns, unless the sink already
    /// holds the file that a `make` with the same `key` returned (see
    /// `keys.rs`); then `make` is not called. A sink without such a memory
    /// always calls it.
    fn put_keyed(
        &self,
        path: &str,
        key: Key,
        make: &mut dyn FnMut() -> Result<OutputFile>,
    ) -> Result<()> {
        let _ = (path, key);
        self.put(make()?)
    }
}

/// A [`Sink`] that keeps every file in memory.
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

impl Collect {
    /// The files, sorted by path (they arrive in no fixed order).
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// Passes files on and remembers the first folder of each, so editorial
/// pages can be refused an address the site already uses.
pub(super) struct Tracked<'s> {
    sink: &'s dyn Sink,
    /// Read by every file, written for the few first files of a folder: a
    /// read lock lets the threads that render pass without waiting on each
    /// other.
    folders: RwLock<HashSet<String>>,
}

impl Sink for Tracked<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.track(&file.path);
        self.sink.put(file)
    }

    fn keyed(&self) -> bool {
        self.sink.keyed()
    }

    fn put_keyed(
        &self,
        path: &str,
        key: Key,
        make: &mut dyn FnMut() -> Result<OutputFile>,
    ) -> Result<()> {
        self.track(path);
        self.sink.put_keyed(path, key, make)
    }
}

impl<'s> Tracked<'s> {
    pub(super) fn new(sink: &'s dyn Sink) -> Tracked<'s> {
        Tracked {
            sink,
            folders: RwLock::new(HashSet::new()),
        }
    }

    /// Notes the first folder of `path`: editorial pages live one folder
    /// deep (`<slug>/`), so that is all they can collide with.
    fn track(&self, path: &str) {
        let Some(end) = path.find('/') else {
            return;
        };
        let folder = &path[..=end];
        let known = self
            .folders
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder);
        if !known {
            self.folders
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(folder.to_string());
        }
    }

    /// Whether a file was put below `folder` (one name and a `/`).
    pub(super) fn has_folder(&self, folder: &str) -> bool {
        self.folders
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder)
    }
}

/// What the output writer remembers of the last build besides its files:
/// the mirrored files each toot's view names, by the toot's key (see
/// `toots.rs`), so a rebuild knows which media to publish without making
/// the views of toots that did not change.
pub trait Recall: Sync {
    /// The files the view of the toot with `key` named in the last build,
    /// noted for the next build as they are (the key is the same, so the
    /// view would name the same files).
    fn media_of(&self, key: &Key) -> Option<Vec<String>>;

    /// Notes for the next build the files the view of `key` names (a view
    /// made this time).
    fn note_media(&self, key: Key, files: &[String]);
}
