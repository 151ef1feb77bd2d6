//! How [`Staging`] takes each file ([`Sink`]): the path claimed once, the
//! bytes compared with the disk (unless the folder was new), a changed file
//! written to a temporary file beside its place, a kept file (same key as
//! the last build, see `memo.rs`) taken without rendering it.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use super::{is_safe_output_path, same_content, Staging};
use crate::error::{Error, Result};
use crate::fsutil::temp_file;
use crate::render::keys::Key;
use crate::render::{Body, OutputFile, Sink};

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.put_file(file).map(drop)
    }

    fn keyed(&self) -> bool {
        self.memo.is_some()
    }

    fn put_keyed(
        &self,
        path: &str,
        key: Key,
        make: &mut dyn FnMut() -> Result<OutputFile>,
    ) -> Result<()> {
        let Some(memo) = &self.memo else {
            return self.put(make()?);
        };
        let claimed = if memo.is_current(&self.out_dir, path, &key) {
            let claimed = self.claim(path)?;
            let mut state = self.state();
            state.unchanged += 1;
            state.kept += 1;
            claimed
        } else {
            let file = make()?;
            if file.path != path {
                return Err(Error::Other(format!(
                    "a file for {path} came out as {}",
                    file.path
                )));
            }
            self.put_file(file)?
        };
        memo.note(claimed, key);
        Ok(())
    }
}

impl Staging {
    /// Stages `file` unless the disk holds its bytes; returns its claimed path.
    fn put_file(&self, file: OutputFile) -> Result<Arc<str>> {
        crate::interrupt::check()?;
        let path = self.claim(&file.path)?;
        let dest = self.out_dir.join(&file.path);
        let bytes = match &file.body {
            Body::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
            Body::Copy(source) => {
                match fs::metadata(source) {
                    Ok(meta) if meta.is_file() => {}
                    Ok(_) => {
                        return Err(Error::Other(format!("{} is not a file", source.display())))
                    }
                    Err(e) => return Err(Error::io(source, e)),
                }
                if self.fresh {
                    // Nothing to compare with: the kernel copies the file
                    // without it passing through this process.
                    let mut to = self.stage(path.clone(), &dest)?;
                    copy_into(source, &mut to, &dest)?;
                    return Ok(path);
                }
                std::borrow::Cow::Owned(fs::read(source).map_err(|e| Error::io(source, e))?)
            }
        };
        if !self.fresh && same_content(&dest, &bytes) {
            self.state().unchanged += 1;
            return Ok(path);
        }
        let mut to = self.stage(path.clone(), &dest)?;
        std::io::Write::write_all(&mut to, &bytes).map_err(|e| Error::io(&dest, e))?;
        Ok(path)
    }
}

impl crate::render::Recall for Staging {
    fn media_of(&self, key: &Key) -> Option<Vec<String>> {
        self.memo.as_ref()?.media_of(key)
    }

    fn note_media(&self, key: Key, files: &[String]) {
        if let Some(memo) = &self.memo {
            memo.note_media(key, files);
        }
    }
}

impl Staging {
    /// Takes `path` for this build: a safe path, and not taken yet.
    fn claim(&self, path: &str) -> Result<Arc<str>> {
        if !is_safe_output_path(path) {
            return Err(Error::Other(format!(
                "refusing to write output path {path:?}"
            )));
        }
        let claimed: Arc<str> = Arc::from(path);
        if !self.state().paths.insert(claimed.clone()) {
            return Err(Error::Other(format!(
                "two output files share the path {path}"
            )));
        }
        Ok(claimed)
    }
}

/// Copies `source` into the new temporary file `to` (staged for `dest`).
/// Unlike `fs::copy`, the copy gets the permissions every other output file
/// gets (from the umask), not the source's: a store file readable by its
/// owner only must not become a page the web server cannot read.
/// `io::copy` between files still copies in the kernel on Linux.
fn copy_into(source: &Path, to: &mut fs::File, dest: &Path) -> Result<()> {
    let mut from = fs::File::open(source).map_err(|e| Error::io(source, e))?;
    std::io::copy(&mut from, to).map_err(|e| Error::io(dest, e))?;
    Ok(())
}

impl Staging {
    /// A new temporary file for `dest`, recorded before anything is written
    /// into it, so a failed write is cleaned up with the rest.
    fn stage(&self, path: Arc<str>, dest: &Path) -> Result<fs::File> {
        self.make_folder(dest)?;
        let (file, tmp) = temp_file(dest)?.into_parts();
        self.state().changed.push((path, tmp));
        Ok(file)
    }

    /// Makes the folder `file` goes in, once per build.
    fn make_folder(&self, file: &Path) -> Result<()> {
        let dir = file.parent().unwrap_or(Path::new("."));
        if self
            .folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(dir)
        {
            return Ok(());
        }
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf());
        Ok(())
    }
}
