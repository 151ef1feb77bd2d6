//! How [`Staging`] takes each file ([`Sink`]): the path checked, the bytes
//! compared with the disk (unless the folder was new), a changed file
//! written to a temporary file beside its place (or under its own name in a
//! new folder, `fresh.rs`), a kept file (same key as the last build, see
//! `memo.rs`) taken without rendering it. Each file costs one lock of its
//! path's shard, taken once its outcome is known.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use super::{is_safe_output_path, lock, shard_of, How, Placed, Staging, Stamp};
use crate::error::{Error, Result};
use crate::fsutil::temp_file;
use crate::render::keys::Key;
use crate::render::{Body, OutputFile, Sink};

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.put_file(file, None)
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
        check_path(path)?;
        if let Some(stamp) = memo.current_stamp(&self.root, path, &key) {
            return self.place(
                path.to_string(),
                Placed {
                    tmp: None,
                    stamp,
                    key: Some(key),
                    how: How::Kept,
                },
            );
        }
        let file = make()?;
        if file.path != path {
            return Err(Error::Other(format!(
                "a file for {path} came out as {}",
                file.path
            )));
        }
        self.put_file(file, Some(key))
    }
}

fn check_path(path: &str) -> Result<()> {
    if is_safe_output_path(path) {
        Ok(())
    } else {
        Err(Error::Other(format!(
            "refusing to write output path {path:?}"
        )))
    }
}

fn duplicate(path: &str) -> Error {
    Error::Other(format!("two output files share the path {path}"))
}

/// Opens a file only to read it; a FIFO someone left does not block the
/// build (it is then refused as not a file).
fn open_to_read(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

/// The stamp of the file at `path` when it holds exactly `bytes`: one open,
/// one stat of the open file, and a read only when the size matches.
pub(super) fn same_content(path: &Path, bytes: &[u8]) -> Option<Stamp> {
    let mut file = open_to_read(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return None;
    }
    let mut existing = Vec::with_capacity(bytes.len() + 1);
    file.read_to_end(&mut existing).ok()?;
    (existing == bytes).then(|| Stamp::of(&meta))
}

impl Staging {
    /// Stages `file` unless the disk holds its bytes.
    fn put_file(&self, file: OutputFile, key: Option<Key>) -> Result<()> {
        crate::interrupt::check()?;
        check_path(&file.path)?;
        let dest = self.dir.join(&file.path);
        let unchanged = |stamp| Placed {
            tmp: None,
            stamp,
            key,
            how: How::Unchanged,
        };
        let bytes = match &file.body {
            Body::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
            Body::Copy(source) => {
                let mut from = open_to_read(source).map_err(|e| Error::io(source, e))?;
                let meta = from.metadata().map_err(|e| Error::io(source, e))?;
                if !meta.is_file() {
                    return Err(Error::Other(format!("{} is not a file", source.display())));
                }
                if self.fresh {
                    // Nothing to compare with: the kernel copies the file
                    // without it passing through this process.
                    let (mut to, tmp) = self.create(&file.path, &dest)?;
                    copy_into(&mut from, meta.len(), &mut to, &dest)?;
                    let stamp = Stamp::of(&to.metadata().map_err(|e| Error::io(&dest, e))?);
                    return self.place(file.path, written(tmp, stamp, key));
                }
                let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
                from.read_to_end(&mut bytes)
                    .map_err(|e| Error::io(source, e))?;
                std::borrow::Cow::Owned(bytes)
            }
        };
        if !self.fresh {
            if let Some(stamp) = same_content(&dest, &bytes) {
                return self.place(file.path, unchanged(stamp));
            }
        }
        let (mut to, tmp) = self.create(&file.path, &dest)?;
        to.write_all(&bytes).map_err(|e| Error::io(&dest, e))?;
        let stamp = Stamp::of(&to.metadata().map_err(|e| Error::io(&dest, e))?);
        drop(bytes);
        self.place(file.path, written(tmp, stamp, key))
    }

    /// Records `path` for this build: not taken yet.
    fn place(&self, path: String, placed: Placed) -> Result<()> {
        let mut shard = lock(&self.placed[shard_of(path.as_bytes())]);
        if shard.contains_key(&path) {
            drop(shard);
            // Dropping `placed` removes its temporary file.
            return Err(duplicate(&path));
        }
        shard.insert(path, placed);
        Ok(())
    }

    /// A new file for `dest` (at `path`): a temporary file beside it in an
    /// existing folder, removed when dropped unless renamed at commit; the
    /// file itself in a new folder, which a failed build removes whole.
    fn create(&self, path: &str, dest: &Path) -> Result<(fs::File, Option<tempfile::TempPath>)> {
        self.make_folder(path, dest)?;
        if self.new_dir.is_some() {
            // Relative to the new folder's descriptor: the kernel walks
            // only the path below it.
            let file = self
                .root
                .create_new(Path::new(path))
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => duplicate(path),
                    _ => Error::io(dest, e),
                })?;
            return Ok((file, None));
        }
        let (file, tmp) = temp_file(dest)?.into_parts();
        Ok((file, Some(tmp)))
    }

    /// Makes the folder the file at `path` (`dest`) goes in, once per build.
    fn make_folder(&self, path: &str, dest: &Path) -> Result<()> {
        // Remembered relative to the output folder: most folders hold one
        // page (`toots/<id>/`), so at 50,000 toots the absolute paths were
        // about 6 MB of the peak.
        let rel = Path::new(path).parent().unwrap_or(Path::new(""));
        if rel.as_os_str().is_empty() {
            return Ok(());
        }
        let shard = &self.folders[shard_of(rel.as_os_str().as_encoded_bytes())];
        if lock(shard).contains(rel) {
            return Ok(());
        }
        self.root.make_dirs(rel).map_err(|e| {
            let dir = dest.parent().unwrap_or(dest);
            Error::io(dir, e)
        })?;
        lock(shard).insert(rel.into());
        Ok(())
    }
}

fn written(tmp: Option<tempfile::TempPath>, stamp: Stamp, key: Option<Key>) -> Placed {
    Placed {
        tmp,
        stamp,
        key,
        how: How::Written,
    }
}

impl Staging {
    /// Puts `file` (staged in [`Staging::work_dir`]) in place at the
    /// commit, with the site's files: a build that fails before then
    /// leaves the old one (dropped, its temporary file is removed).
    pub(crate) fn put_at_commit(&mut self, file: crate::fsutil::Staged) {
        self.staged.push(file);
    }

    /// Renames the staged bookkeeping files into place.
    pub(super) fn put_staged(&mut self) -> Result<()> {
        std::mem::take(&mut self.staged)
            .into_iter()
            .try_for_each(crate::fsutil::Staged::put_in_place)
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

/// Copies the `len` bytes of `from` into the new file `to` (made for
/// `dest`). Unlike `fs::copy`, the copy gets the permissions every other
/// output file gets (from the umask), not the source's: a store file
/// readable by its owner only must not become a page the web server cannot
/// read. On Linux the kernel copies (`copy_file_range`, asked for the size
/// already known, so without `io::copy`'s probing); elsewhere, or where the
/// file system refuses, `io::copy` does.
fn copy_into(from: &mut fs::File, len: u64, to: &mut fs::File, dest: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let mut left = len;
        while left > 0 {
            let ask = usize::try_from(left).unwrap_or(usize::MAX);
            match rustix::fs::copy_file_range(&*from, None, &*to, None, ask) {
                Ok(0) => return Ok(()),
                Ok(n) => left = left.saturating_sub(n as u64),
                Err(e) if e == rustix::io::Errno::INTR => {}
                // Not possible here: the positions moved as far as copied.
                Err(_) => break,
            }
        }
        if left == 0 {
            return Ok(());
        }
    }
    let _ = len;
    std::io::copy(from, to).map_err(|e| Error::io(dest, e))?;
    Ok(())
}
