//! Reading the toot files of `content/toots/`: each file is read into a
//! buffer its worker reuses and parsed, then checked against the rules
//! serde cannot express (schema, id and file name, media paths) and
//! normalized. Every check runs on every file that is read; a file the toot
//! index recorded unchanged is not read (`index.rs`), and its stub is used.

use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::index::{self, Identity, TootIndex};
use super::{check_schema, is_safe_media_path, parse_json, store_error};
use super::{check_state, read_json};
use crate::config::Handle;
use crate::error::{Error, Result};
use crate::model::{is_safe_id, AccountData, AccountState, Toot};

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
        let time = |t: rustix::fs::StatxTimestamp| index::nanos(t.tv_sec, i64::from(t.tv_nsec));
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

/// Puts `items` in `order` (`order[k]` is the index of the item that goes
/// to place `k`), in place: a store of 50,000 toots is not copied to sort it.
pub(super) fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        // Follow the cycle through `start`: place k takes the item at
        // order[k], which is then the next place to fill.
        let mut place = start;
        loop {
            done[place] = true;
            let from = order[place];
            if from == start {
                break;
            }
            items.swap(place, from);
            place = from;
        }
    }
}

/// What [`Store::load_account_indexed`] loads through: the last toot index,
/// and the digest of a toot it reads (`render/toots.rs` makes it).
#[derive(Clone, Copy)]
pub struct Indexing<'a> {
    pub index: &'a TootIndex,
    pub digest: &'a (dyn Fn(&Toot) -> [u8; 16] + Sync),
    /// The files' identities as the inputs walk took them, if it did.
    pub identities: Option<&'a index::Identities>,
    /// Keep only the stub of a toot that is read (with its digest and
    /// media, as for an indexed file): for a build that will keep most
    /// pages, so a store the index does not know (a fresh checkout) is not
    /// held whole; the few toots whose pages change are read again, and
    /// checked against the stub and digest, when their views are made.
    pub stub_read: bool,
}

impl super::Store {
    /// [`Store::load_account`], taking the stubs of the files `index`
    /// recorded instead of reading them (see `index.rs`). With an index it
    /// also returns what is known of each toot (in the toots' order), the
    /// digest of a read toot made by `digest`.
    pub fn load_account_indexed(
        &self,
        handle: &Handle,
        index: Option<Indexing<'_>>,
    ) -> Result<(AccountData, Vec<index::Known>)> {
        let state_path = self.state_path(handle);
        let state = if state_path.exists() {
            let state: AccountState = read_json(&state_path)?;
            check_schema(state.schema, &state_path)?;
            check_state(&state, &state_path)?;
            let mut state = state;
            state.normalize();
            state
        } else {
            AccountState::new(&handle.to_string())
        };
        let (mut toots, mut known): (Vec<Toot>, Vec<Option<index::Known>>) = Default::default();
        let dir = self.toots_dir(handle);
        if dir.exists() {
            let listing = fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
            let mut paths = Vec::new();
            for entry in listing {
                let path = entry.map_err(|e| Error::io(&dir, e))?.path();
                if path.extension().is_some_and(|ext| ext == "json") {
                    paths.push(path);
                }
            }
            // Not sorted: the toots are, by id, below (a file's name is its
            // id, so no two compare equal).
            let folder = Folder::open(&dir)?;
            // Files are independent: parse them in parallel (order kept),
            // each worker reading into one buffer of its own. With an index,
            // a file whose identity it recorded is not read (`index.rs`).
            (toots, known) = paths
                .par_iter()
                .map_init(
                    || Vec::with_capacity(READ_BUFFER),
                    |buf, path| {
                        let read = |buf: &mut Vec<u8>| {
                            let file = folder.open_file(path).map_err(|e| Error::io(path, e))?;
                            read_into(file, path, buf)?;
                            parse_toot(buf, path)
                        };
                        let Some(Indexing {
                            index,
                            digest,
                            identities,
                            stub_read,
                        }) = index
                        else {
                            return Ok((read(buf)?, None));
                        };
                        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
                        let rel = index::relative(&handle.host, &handle.user, &stem);
                        // Taken before the read (by the inputs walk, or now):
                        // a change after it makes the recorded identity
                        // stale, never the content.
                        let identity = identities
                            .and_then(|known| known.get(&rel).copied())
                            .or_else(|| folder.identity(path.file_name().unwrap_or_default()));
                        if let Some(identity) = &identity {
                            if let Some(recorded) = index.get(&rel, identity) {
                                if let Some((stub, known)) = index.stub_of(recorded) {
                                    return Ok((stub, Some(known)));
                                }
                            }
                        }
                        let toot = read(buf)?;
                        let entry = identity.map(index::Entry::Read);
                        if stub_read {
                            let known = index::Known {
                                digest: digest(&toot),
                                stub_media: index::media_paths(&toot),
                                entry,
                            };
                            return Ok((index::stub(&toot), Some(known)));
                        }
                        let known = index::Known {
                            digest: digest(&toot),
                            stub_media: Vec::new(),
                            entry,
                        };
                        Ok((toot, Some(known)))
                    },
                )
                .collect::<Result<(Vec<_>, Vec<_>)>>()?;
        }
        // Newest first; what is known of each toot moves with it.
        let mut order: Vec<usize> = (0..toots.len()).collect();
        order.sort_by(|&a, &b| crate::model::compare_ids(&toots[b].id, &toots[a].id));
        permute(&mut toots, &order);
        permute(&mut known, &order);
        Ok((
            AccountData {
                handle: handle.clone(),
                state,
                toots,
            },
            known.into_iter().flatten().collect(),
        ))
    }
}
