//! The toot index (`.tootbridge-toots` in the output folder): what a build
//! needs of each stored toot file before it renders anything, kept from the
//! last build so a rebuild does not read and parse every toot again.
//!
//! A rebuild after one new post used to spend about a third of its time
//! opening and parsing all 10,000 toot files, although it renders only the
//! pages of a few. So `build` records, for every toot file, its identity on
//! disk (size, modification and change time, inode, device), the digest of
//! the parsed toot, the media files it names, and a *stub*: the toot with
//! everything left out that only its view reads (content, content warning,
//! mentions, emojis, card, poll, quote, the attachments' details). The
//! selection (visibility, replies, boosts, tags, dates, languages, pins) and
//! the lists read only what the stub keeps.
//!
//! Rules that keep this exact:
//! - A stub is used only while the file's identity is the recorded one; any
//!   difference (or a header from another binary) means the file is read.
//! - A file changed less than [`MARGIN`] before the build began reading is
//!   not recorded: a second write within one tick of the file system's
//!   clock could otherwise leave its identity as recorded. (The times are
//!   compared with this machine's clock: on a network file system whose
//!   server's clock is more than the margin behind, this guard is weaker.)
//! - A stub carries schema 0, which no stored toot has ([`is_stub`]); a view
//!   is never made from one: the renderer reads the file then
//!   ([`load_full`]), and refuses it when its stub is not the recorded one
//!   (the file changed during the build).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::model::{Media, SharedToot, Toot};

pub const FILE: &str = ".tootbridge-toots";

/// How old a file's last change must be when the index is written to be
/// recorded (see the top of this file).
pub const MARGIN: Duration = Duration::from_secs(2);

/// A file's identity on disk: a change of content changes at least one of
/// these (the change time, whatever the modification time is set to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub size: u64,
    /// Nanoseconds since the epoch (saturated).
    pub mtime: i64,
    pub ctime: i64,
    pub ino: u64,
    pub dev: u64,
}

impl Identity {
    /// The identity in `meta` (a stat that does not follow links).
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<Identity> {
        use std::os::unix::fs::MetadataExt;
        Some(Identity {
            size: meta.size(),
            mtime: nanos(meta.mtime(), meta.mtime_nsec()),
            ctime: nanos(meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        })
    }

    /// Elsewhere a file has no identity (no inode or change time), so the
    /// index records nothing and every toot file is read.
    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Option<Identity> {
        None
    }
}

pub(crate) use crate::fsutil::at::nanos;

/// The identity of each toot file below `content/toots/`, by its path
/// relative to that folder, as `build`'s inputs walk took it (before the
/// files are read).
pub type Identities = HashMap<String, Identity, ahash::RandomState>;

/// What a build knows of a loaded toot besides the toot (or its stub).
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    /// The digest of the whole parsed toot (made by `render/toots.rs`).
    pub digest: [u8; 16],
    /// For a stub, the media files its toot names ([`media_paths`]); a
    /// read toot has them in its own fields, so this is empty.
    pub stub_media: Vec<String>,
    /// The file's entry in the next index; `None` when it has no identity.
    pub entry: Option<Entry>,
}

impl Known {
    /// The media files `toot` (the toot or stub this is known of) names.
    pub fn media<'t>(&'t self, toot: &Toot) -> std::borrow::Cow<'t, [String]> {
        if is_stub(toot) {
            std::borrow::Cow::Borrowed(&self.stub_media)
        } else {
            std::borrow::Cow::Owned(media_paths(toot))
        }
    }
}

/// What is known of every loaded toot, in the accounts' order of toots.
#[derive(Default)]
pub struct KnownToots {
    accounts: Vec<KnownAccount>,
}

/// One account's toots as [`KnownToots`] finds them: by address (the toots
/// of a loaded store do not move), each checked against its toot's id, so a
/// toot that did move is unknown rather than given another's digest.
struct KnownAccount {
    address: usize,
    first_toot: usize,
    known: Vec<Known>,
    ids: Vec<u64>,
}

/// A short digest of a toot id (FNV-1a), to check a look-up by address.
fn id_check(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl KnownToots {
    /// How many of the toots were read from their files (not taken from
    /// the index; a toot read and kept as a stub counts).
    pub fn read(&self) -> usize {
        let known = self.accounts.iter().flat_map(|a| &a.known);
        known
            .filter(|k| !matches!(k.entry, Some(Entry::Kept(_))))
            .count()
    }

    /// `known[i][j]` is of `accounts[i].toots[j]`.
    pub fn new(accounts: &[crate::model::AccountData], known: Vec<Vec<Known>>) -> KnownToots {
        let address = |t: &Toot| std::ptr::from_ref(t) as usize;
        KnownToots {
            accounts: accounts
                .iter()
                .zip(known)
                .map(|(a, known)| {
                    debug_assert_eq!(a.toots.len(), known.len());
                    KnownAccount {
                        address: std::ptr::from_ref(a) as usize,
                        first_toot: a.toots.first().map_or(0, address),
                        known,
                        ids: a.toots.iter().map(|t| id_check(&t.id)).collect(),
                    }
                })
                .collect(),
        }
    }

    /// What is known of `toot` of `account` (both of the accounts given to
    /// [`KnownToots::new`]).
    pub fn get(&self, account: &crate::model::AccountData, toot: &Toot) -> Option<&Known> {
        let at = std::ptr::from_ref(account) as usize;
        let entry = self.accounts.iter().find(|a| a.address == at)?;
        let offset = (std::ptr::from_ref(toot) as usize).checked_sub(entry.first_toot)?;
        let size = size_of::<Toot>();
        if offset % size != 0 {
            return None;
        }
        let j = offset / size;
        (entry.ids.get(j) == Some(&id_check(&toot.id)))
            .then(|| entry.known.get(j))
            .flatten()
    }

    /// Each account's known toots, in order.
    fn of_account(&self, i: usize) -> &[Known] {
        self.accounts.get(i).map_or(&[], |a| a.known.as_slice())
    }
}

/// Every field of `toot` that names a file in `content/media/`, in a fixed
/// order: what a view shows only when the file is there (attachments, their
/// previews, custom emoji, the card's image, and the avatar and emoji of a
/// boosted or quoted author).
pub fn media_paths(toot: &Toot) -> Vec<String> {
    let mut out = Vec::new();
    add_media_paths(toot, &mut out);
    out
}

fn add_media_paths(toot: &Toot, out: &mut Vec<String>) {
    for media in &toot.media {
        out.extend(media.file.iter().cloned());
        out.extend(media.preview_file.iter().cloned());
    }
    out.extend(toot.emojis.iter().filter_map(|e| e.file.clone()));
    out.extend(toot.card.as_ref().and_then(|c| c.image.clone()));
    let quoted = toot.quote.as_ref().and_then(|q| q.shared.as_ref());
    for shared in [toot.reblog.as_deref(), quoted].into_iter().flatten() {
        out.extend(shared.author.avatar.iter().cloned());
        out.extend(shared.author.emojis.iter().filter_map(|e| e.file.clone()));
        add_media_paths(&shared.toot, out);
    }
}

/// Whether `toot` is a stub of the index rather than a stored toot.
pub fn is_stub(toot: &Toot) -> bool {
    toot.schema == 0
}

/// The stub of a stored toot: what the selection and the lists read.
pub fn stub(toot: &Toot) -> Toot {
    let mut out = Toot::empty(
        toot.id.clone(),
        String::new(),
        toot.created_at,
        toot.visibility,
    );
    out.schema = 0;
    out.edited_at = toot.edited_at;
    out.language.clone_from(&toot.language);
    out.pinned = toot.pinned;
    out.tags.clone_from(&toot.tags);
    out.in_reply_to.clone_from(&toot.in_reply_to);
    // The missing-media warnings read an attachment's id and file.
    out.media = toot
        .media
        .iter()
        .map(|m| Media {
            id: m.id.clone(),
            kind: m.kind,
            remote_url: String::new(),
            preview_remote_url: None,
            file: m.file.clone(),
            preview_file: None,
            preview_width: None,
            mime: None,
            size: None,
            description: None,
            width: None,
            height: None,
            duration: None,
            blurhash: None,
            focus: None,
        })
        .collect();
    out.reblog = toot.reblog.as_ref().map(|shared| {
        Box::new(SharedToot {
            author: shared.author.clone(),
            toot: stub(&shared.toot),
        })
    });
    out
}

/// One toot file as the next index records it.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// Unchanged since the last index: its line (in the old index's text)
    /// is copied.
    Kept(std::ops::Range<usize>),
    /// Read this time, at this identity: recorded when it is older than
    /// [`MARGIN`].
    Read(Identity),
}

/// Reads the stored toot whose stub is `stub_seen` (from `path`) for its
/// view; an error when the file is gone, unreadable or no longer matches
/// the stub the selection used.
pub fn load_full(path: &Path, stub_seen: &Toot) -> Result<Toot> {
    let toot = super::load_toot(path).map_err(|e| changed(path, &e.to_string()))?;
    if stub(&toot) != *stub_seen {
        return Err(changed(path, "it is not the toot the selection saw"));
    }
    Ok(toot)
}

/// The error of a toot file that changed while the site was built.
pub fn changed(path: &Path, why: &str) -> Error {
    Error::Other(format!(
        "{} changed while the site was built ({why}); run the build again",
        path.display()
    ))
}

/// Where a toot's file is, relative to `content/toots/`.
pub fn relative(host: &str, user: &str, id: &str) -> String {
    format!("{host}/{user}/{id}.json")
}

/// The whole path of `rel` below `content/toots/` of `content`.
pub fn path_of(content: &Path, rel: &str) -> PathBuf {
    content.join("toots").join(rel)
}

mod file;
pub(crate) use file::write;
pub use file::{OldLines, Recorded, TootIndex};

#[cfg(test)]
mod tests;
