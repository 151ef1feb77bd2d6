//! A folder held open, and file operations relative to it: the output
//! writer stats every kept file of a rebuild (18,700 at 10,000 toots) and
//! makes every file and folder of a build into a new folder. By a whole
//! path each such call walks the output folder's own path again
//! (`/srv/www/public/…`); relative to the folder's descriptor the kernel
//! walks only the part below it. On other systems than Linux the same calls
//! take the joined path, as before.
//!
//! Paths given here are relative and made of plain names (the writer checks
//! them with `is_safe_output_path` first); symbolic links on the way are
//! followed, as a whole path would follow them.

use std::fs;
use std::io;
use std::path::Path;
#[cfg(not(target_os = "linux"))]
use std::path::PathBuf;

/// Size and modification time (nanoseconds since the epoch, 0 before it)
/// of a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    pub size: u64,
    pub mtime: u64,
}

impl FileStat {
    pub(crate) fn of(meta: &fs::Metadata) -> FileStat {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| {
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                unsigned(nanos(secs, i64::from(d.subsec_nanos())))
            });
        FileStat {
            size: meta.len(),
            mtime,
        }
    }
}

/// Seconds and nanoseconds since the epoch as nanoseconds, saturated
/// (enough until the year 2262): the one encoding of a time in the build's
/// records (output stamps here, toot file identities in `store/index.rs`).
pub(crate) fn nanos(secs: i64, nanos: i64) -> i64 {
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

/// An output stamp's time: before the epoch counts as 0.
fn unsigned(nanos: i64) -> u64 {
    u64::try_from(nanos).unwrap_or(0)
}

/// An open folder (see the top of this file).
pub(crate) struct Dir {
    #[cfg(not(target_os = "linux"))]
    path: PathBuf,
    #[cfg(target_os = "linux")]
    fd: std::os::fd::OwnedFd,
}

impl Dir {
    /// Opens the folder at `path`, which must exist.
    pub(crate) fn open(path: &Path) -> io::Result<Dir> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{open, Mode, OFlags};
            let fd = open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(Dir { fd })
        }
        #[cfg(not(target_os = "linux"))]
        {
            if !fs::metadata(path)?.is_dir() {
                return Err(io::ErrorKind::NotADirectory.into());
            }
            Ok(Dir {
                path: path.to_path_buf(),
            })
        }
    }

    /// The stat of the regular file at `rel`; `None` when there is none
    /// (missing, a folder, a FIFO, unreadable).
    #[cfg(target_os = "linux")]
    pub(crate) fn file_stat(&self, rel: &str) -> Option<FileStat> {
        use rustix::fs::{statx, AtFlags, FileType, StatxFlags};
        let st = statx(
            &self.fd,
            rel,
            AtFlags::empty(),
            StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME,
        )
        .ok()?;
        let wanted = StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME;
        if !StatxFlags::from_bits_retain(st.stx_mask).contains(wanted)
            || FileType::from_raw_mode(u32::from(st.stx_mode)) != FileType::RegularFile
        {
            return None;
        }
        // Before the epoch counts as 0, as in `FileStat::of`.
        let mtime = unsigned(nanos(st.stx_mtime.tv_sec, i64::from(st.stx_mtime.tv_nsec)));
        Some(FileStat {
            size: st.stx_size,
            mtime,
        })
    }

    #[cfg(not(target_os = "linux"))]
    pub(crate) fn file_stat(&self, rel: &str) -> Option<FileStat> {
        let meta = fs::metadata(self.path.join(rel)).ok()?;
        meta.is_file().then(|| FileStat::of(&meta))
    }

    /// Creates the file at `rel`, which must not exist yet, for writing
    /// (mode 0666 less the umask, as `fs::File::create`).
    #[cfg(target_os = "linux")]
    pub(crate) fn create_new(&self, rel: &Path) -> io::Result<fs::File> {
        use rustix::fs::{openat, Mode, OFlags};
        let fd = openat(
            &self.fd,
            rel,
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o666),
        )?;
        Ok(fs::File::from(fd))
    }

    #[cfg(not(target_os = "linux"))]
    pub(crate) fn create_new(&self, rel: &Path) -> io::Result<fs::File> {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.path.join(rel))
    }

    /// Makes the folder `rel` and any missing parents (mode 0777 less the
    /// umask, as `fs::create_dir_all`); a folder already there is fine.
    #[cfg(target_os = "linux")]
    pub(crate) fn make_dirs(&self, rel: &Path) -> io::Result<()> {
        use rustix::fs::{mkdirat, Mode};
        if rel.as_os_str().is_empty() {
            return Ok(());
        }
        match mkdirat(&self.fd, rel, Mode::from_raw_mode(0o777)) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::EXIST) if self.is_dir(rel) => return Ok(()),
            Err(rustix::io::Errno::NOENT) => {}
            Err(e) => return Err(e.into()),
        }
        // A parent is missing: make it, then this one.
        if let Some(parent) = rel.parent() {
            self.make_dirs(parent)?;
        }
        match mkdirat(&self.fd, rel, Mode::from_raw_mode(0o777)) {
            Err(rustix::io::Errno::EXIST) if self.is_dir(rel) => Ok(()),
            made => made.map_err(Into::into),
        }
    }

    #[cfg(target_os = "linux")]
    fn is_dir(&self, rel: &Path) -> bool {
        use rustix::fs::{statat, AtFlags, FileType};
        statat(&self.fd, rel, AtFlags::empty())
            .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Directory)
    }

    #[cfg(not(target_os = "linux"))]
    pub(crate) fn make_dirs(&self, rel: &Path) -> io::Result<()> {
        fs::create_dir_all(self.path.join(rel))
    }
}
