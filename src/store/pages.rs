//! The editors' files below `content/`: the Markdown pages in
//! `content/pages/` and `content/overrides.toml`, read as text (parsing them
//! is `pages.rs`' and `overrides.rs`' business), and the listing of the
//! account folders in `content/toots/`, which `check` compares with the
//! configured accounts.

use std::fs;
use std::path::PathBuf;

use super::Store;
use crate::error::{Error, Result};

/// The name of the editors' overrides below `content/`.
pub const OVERRIDES_FILE: &str = "overrides.toml";

/// One text file as read, with the path errors name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    pub path: PathBuf,
    pub text: String,
}

/// A folder `content/toots/<host>/<user>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    pub host: String,
    pub user: String,
    pub path: PathBuf,
}

impl Store {
    /// The `*.md` files of `content/pages/` (hidden ones left out), sorted
    /// by path; none when the folder is missing.
    pub fn read_pages(&self) -> Result<Vec<TextFile>> {
        let dir = self.content_dir().join("pages");
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "md")
                    && p.is_file()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let text = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                Ok(TextFile { path, text })
            })
            .collect()
    }

    /// `content/overrides.toml`.
    pub fn overrides_path(&self) -> PathBuf {
        self.content_dir().join(OVERRIDES_FILE)
    }

    /// `content/overrides.toml`, or `None` when there is none.
    pub fn read_overrides(&self) -> Result<Option<TextFile>> {
        let path = self.overrides_path();
        match fs::read_to_string(&path) {
            Ok(text) => Ok(Some(TextFile { path, text })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// Every `content/toots/<host>/<user>/` folder, whether configured or
    /// not; unreadable folders are passed over.
    pub fn stored_accounts(&self) -> Vec<StoredAccount> {
        let toots = self.content_dir().join("toots");
        let mut out = Vec::new();
        for host in fs::read_dir(&toots).into_iter().flatten().flatten() {
            for user in fs::read_dir(host.path()).into_iter().flatten().flatten() {
                out.push(StoredAccount {
                    host: host.file_name().to_string_lossy().to_string(),
                    user: user.file_name().to_string_lossy().to_string(),
                    path: user.path(),
                });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }
}

#[cfg(test)]
mod tests;
