//! Reading the toot files of `content/toots/`: each file is read into a
//! buffer its worker reuses and parsed, then checked against the rules
//! serde cannot express (schema, id and file name, media paths) and
//! normalized. Every check runs on every file that is read; a file the toot
//! index recorded unchanged is not read (`index.rs`), and its stub is used.

use std::fs;
use std::path::Path;

use super::index::Identity;
use super::{check_schema, is_safe_media_path, parse_json, store_error};
use crate::error::{Error, Result};
use crate::model::{is_safe_id, Toot};

/// Room for a typical toot file (one or a few KiB) without growing.
pub(super) const READ_BUFFER: usize = 16 * 1024;

/// Reads one toot file and checks it against the rules serde cannot express.
pub fn load_toot(path: &Path) -> Result<Toot> {
    let mut bytes = Vec::new();
    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_into(file, path, &mut bytes)?;
    parse_toot(&bytes, path)
}

/// An account's folder of toot files, opened once: on Linux its files are
/// opened relative to it (`openat`), so the kernel looks up one name per
/// file instead of walking the whole path again each time.
pub(super) struct Folder {
    #[cfg(target_os = "linux")]
    dir: fs::File,
}

impl Folder {
    #[cfg(target_os = "linux")]
    pub(super) fn open(path: &Path) -> Result<Folder> {
        let dir = fs::File::open(path).map_err(|e| Error::io(path, e))?;
        Ok(Folder { dir })
    }

    /// Elsewhere each file is opened by its whole path.
    #[cfg(not(target_os = "linux"))]
    pub(super) fn open(_path: &Path) -> Result<Folder> {
        Ok(Folder {})
    }

    /// Opens `path`, a file directly in this folder, for reading.
    #[cfg(target_os = "linux")]
    pub(super) fn open_file(&self, path: &Path) -> std::io::Result<fs::File> {
        use rustix::fs::{openat, Mode, OFlags};
        let name = path
            .file_name()
            .ok_or_else(|| std::io::Error::other("not a file name"))?;
        let fd = openat(
            &self.dir,
            name,
            OFlags::RDONLY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(fs::File::from(fd))
    }

    /// The identity of `name`, a regular file directly in this folder (see
    /// `index.rs`); `None` when it is none or cannot be read.
    #[cfg(target_os = "linux")]
    pub(super) fn identity(&self, name: &std::ffi::OsStr) -> Option<Identity> {
        use rustix::fs::{statx, AtFlags, FileType, StatxFlags};
        let wanted = StatxFlags::TYPE
            | StatxFlags::SIZE
            | StatxFlags::MTIME
            | StatxFlags::CTIME
            | StatxFlags::INO;
        let st = statx(&self.dir, name, AtFlags::SYMLINK_NOFOLLOW, wanted).ok()?;
        if !StatxFlags::from_bits_retain(st.stx_mask).contains(wanted)
            || FileType::from_raw_mode(u32::from(st.stx_mode)) != FileType::RegularFile
        {
            return None;
        }
        let time =
            |t: rustix::fs::StatxTimestamp| super::index::nanos(t.tv_sec, i64::from(t.tv_nsec));
        Some(Identity {
            size: st.stx_size,
            mtime: time(st.stx_mtime),
            ctime: time(st.stx_ctime),
            ino: st.stx_ino,
            // Encoded as `stat` encodes it, as the inputs walk takes it.
            dev: rustix::fs::makedev(st.stx_dev_major, st.stx_dev_minor),
        })
    }

    /// Elsewhere this stat gives no identity; the inputs walk's may still
    /// (on other Unix systems), and a file without one is read.
    #[cfg(not(target_os = "linux"))]
    pub(super) fn identity(&self, _name: &std::ffi::OsStr) -> Option<Identity> {
        None
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn open_file(&self, path: &Path) -> std::io::Result<fs::File> {
        fs::File::open(path)
    }
}

/// Reads `file` (opened from `path`) into `buf` (cleared first, its
/// capacity kept). Unlike [`fs::read`] it asks for no size first: a buffer
/// reused across the store's files has room already, so a file costs an
/// `openat`, a `read` and the `read` that finds its end, and no `statx` or
/// `lseek` (`File::read_to_end` asks for both; through `Take` it cannot).
pub(super) fn read_into(file: fs::File, path: &Path, buf: &mut Vec<u8>) -> Result<()> {
    use std::io::Read;
    buf.clear();
    file.take(u64::MAX)
        .read_to_end(buf)
        .map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// The pure half of [`load_toot`]: parses the bytes of the toot file at
/// `path` and applies every check (schema, id, file name, media paths).
pub fn parse_toot(bytes: &[u8], path: &Path) -> Result<Toot> {
    let toot: Toot = parse_json(bytes, path)?;
    check_schema(toot.schema, path)?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if !is_safe_id(&toot.id) {
        return Err(store_error(
            path,
            format!("id {:?} is not a safe file name", toot.id),
        ));
    }
    if stem != toot.id {
        return Err(store_error(
            path,
            format!("id {:?} does not match the file name", toot.id),
        ));
    }
    check_toot(&toot, path, "")?;
    let mut toot = toot;
    // Files written by older versions or by hand may carry code points no
    // feed can hold; they go here, as they do when a source maps a toot.
    toot.normalize();
    toot.shrink_to_fit();
    Ok(toot)
}

fn check_toot(toot: &Toot, path: &Path, prefix: &str) -> Result<()> {
    let bad_path = |field: String, value: &str| {
        store_error(
            path,
            format!("{prefix}{field}: {value:?} is not a relative path inside content/media"),
        )
    };
    for (i, media) in toot.media.iter().enumerate() {
        for (name, value) in [("file", &media.file), ("preview_file", &media.preview_file)] {
            if let Some(value) = value {
                if !is_safe_media_path(value) {
                    return Err(bad_path(format!("media[{i}].{name}"), value));
                }
            }
        }
    }
    for (i, emoji) in toot.emojis.iter().enumerate() {
        if let Some(file) = &emoji.file {
            if !is_safe_media_path(file) {
                return Err(bad_path(format!("emojis[{i}].file"), file));
            }
        }
    }
    if let Some(image) = toot.card.as_ref().and_then(|c| c.image.as_ref()) {
        if !is_safe_media_path(image) {
            return Err(bad_path("card.image".into(), image));
        }
    }
    for (field, shared) in [
        ("reblog", toot.reblog.as_deref()),
        (
            "quote.shared",
            toot.quote.as_ref().and_then(|q| q.shared.as_ref()),
        ),
    ] {
        if let Some(shared) = shared {
            if let Some(avatar) = &shared.author.avatar {
                if !is_safe_media_path(avatar) {
                    return Err(bad_path(format!("{field}.author.avatar"), avatar));
                }
            }
            check_toot(&shared.toot, path, &format!("{prefix}{field}.toot."))?;
        }
    }
    Ok(())
}
