//! Where rendered files go: the [`Sink`] every renderer writes to, the
//! in-memory [`Collect`], and [`Tracked`], which remembers the folders used.

use std::collections::HashSet;
use std::sync::Mutex;

use super::OutputFile;
use crate::error::Result;

/// Where rendered files go, one at a time and from several threads: kept in
/// memory ([`Collect`], for `serve` and tests) or staged on disk as they come
/// (`output::Staging`, for `build`), so a build never holds the whole site.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<()>;
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

/// Passes files on and remembers every folder they are in, so editorial
/// pages can be refused an address the site already uses.
pub(super) struct Tracked<'s> {
    pub(super) sink: &'s dyn Sink,
    pub(super) folders: Mutex<HashSet<String>>,
}

impl Sink for Tracked<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        {
            let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
            for (end, _) in file.path.match_indices('/') {
                if !folders.contains(&file.path[..=end]) {
                    folders.insert(file.path[..=end].to_string());
                }
            }
        }
        self.sink.put(file)
    }
}

impl Tracked<'_> {
    pub(super) fn has_folder(&self, folder: &str) -> bool {
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder)
    }
}
