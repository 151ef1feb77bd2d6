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
mod tests {
    use super::*;

    #[test]
    fn pages_overrides_and_account_folders_are_read_from_content() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        assert_eq!(store.read_pages().unwrap(), Vec::new());
        assert_eq!(store.read_overrides().unwrap(), None);
        assert_eq!(store.stored_accounts(), Vec::new());
        let content = dir.path().join("content");
        let pages = content.join("pages");
        fs::create_dir_all(&pages).unwrap();
        for (name, text) in [
            ("b.md", "B"),
            ("a.md", "A"),
            (".x.md", "hidden"),
            ("n.txt", "no"),
        ] {
            fs::write(pages.join(name), text).unwrap();
        }
        fs::create_dir_all(pages.join("folder.md")).unwrap();
        let read = store.read_pages().unwrap();
        let names: Vec<_> = read
            .iter()
            .map(|f| (f.path.clone(), f.text.as_str()))
            .collect();
        assert_eq!(
            names,
            [(pages.join("a.md"), "A"), (pages.join("b.md"), "B")]
        );
        fs::write(content.join(OVERRIDES_FILE), "[hide]").unwrap();
        let overrides = store.read_overrides().unwrap().unwrap();
        assert_eq!(
            (overrides.path, overrides.text.as_str()),
            (content.join(OVERRIDES_FILE), "[hide]")
        );
        fs::create_dir_all(content.join("toots/h.example/u")).unwrap();
        let accounts = store.stored_accounts();
        assert_eq!(accounts.len(), 1);
        assert_eq!(
            (accounts[0].host.as_str(), accounts[0].user.as_str()),
            ("h.example", "u")
        );
    }
}
