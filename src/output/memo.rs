//! The output writer's memory of the last build's keyed files.
//!
//! The renderer hands most files over with a key (`render/keys.rs`): a
//! digest of everything the file is made from. After a build,
//! `.tootbridge-render` in the output folder lists, for each such file, its
//! key and the size and modification time it has on disk, under a build-wide
//! key (the binary, site.toml, the `--base-url` override and the site's theme
//! files: what the per-file keys leave out). The next build with the same
//! build-wide key keeps a file without rendering it when its key is the same
//! and the file on disk still has the recorded size and time; anything else
//! (another key, a file edited, removed or touched, a build killed while
//! writing, an unreadable record) renders the file again. A build whose
//! privacy scan found anything records nothing, since kept files are not
//! scanned again.
//!
//! The record also lists, by toot key (`render/toots.rs`), the mirrored
//! files each toot's view named (lines `=<key>` and a tab before each file),
//! so a rebuild publishes the same media without making those views.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::Stamp;
use crate::error::Result;
use crate::fsutil::write_atomic_to_the_end;
use crate::render::keys::Key;

pub const FILE: &str = ".tootbridge-render";
const HEADER: &str = "tootbridge render keys 2";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    key: Key,
    size: u64,
    mtime: u128,
}

pub(super) struct Memo {
    global: Key,
    previous: HashMap<String, Entry>,
    /// The media files of each toot key, as the last build noted them.
    previous_media: HashMap<Key, Vec<String>>,
    /// The media files of each toot key of this build.
    current_media: Mutex<Vec<(Key, Vec<String>)>>,
    /// Cleared when this build's keys must not be recorded.
    record: AtomicBool,
}

impl Memo {
    /// The record in `out_dir`, if it was made under `global` and `trust`
    /// (no build was killed there since).
    pub(super) fn load(out_dir: &Path, global: Key, trust: bool) -> Memo {
        let (previous, previous_media) = if trust {
            fs::read_to_string(out_dir.join(FILE))
                .ok()
                .and_then(|text| parse(&text, &global))
                .unwrap_or_default()
        } else {
            Default::default()
        };
        Memo {
            global,
            previous,
            previous_media,
            current_media: Mutex::new(Vec::new()),
            record: AtomicBool::new(true),
        }
    }

    /// The stamp of the file at `path` in `out_dir` when it was made from
    /// `key` and is still as that build left it (the one stat of a kept
    /// file in a build).
    pub(super) fn current_stamp(&self, out_dir: &Path, path: &str, key: &Key) -> Option<Stamp> {
        match self.previous.get(path) {
            Some(entry) if entry.key == *key => fs::metadata(out_dir.join(path))
                .ok()
                .filter(|meta| meta.is_file())
                .map(|meta| Stamp::of(&meta))
                .filter(|stamp| (stamp.size, stamp.mtime) == (entry.size, entry.mtime)),
            _ => None,
        }
    }

    pub(super) fn media_of(&self, key: &Key) -> Option<Vec<String>> {
        self.previous_media.get(key).cloned()
    }

    pub(super) fn note_media(&self, key: Key, files: &[String]) {
        // A name that would break the line format is not recorded (so the
        // next build makes the view again).
        if files.iter().any(|f| f.contains(['\n', '\r', '\t'])) {
            return;
        }
        self.current_media
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, files.to_vec()));
    }

    pub(super) fn forget(&self) {
        self.record.store(false, Ordering::Relaxed);
    }

    /// Writes the record of this build's keyed `files` (path, key, stamp;
    /// after they are in place), or removes the old one when nothing may
    /// be recorded. The stamps are those the build took, so no file is
    /// stat-ed again.
    pub(super) fn save(&self, out_dir: &Path, mut files: Vec<(&str, Key, Stamp)>) -> Result<()> {
        let path = out_dir.join(FILE);
        if !self.record.load(Ordering::Relaxed) {
            let _ = fs::remove_file(&path);
            return Ok(());
        }
        files.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut text = String::with_capacity(files.iter().map(|(rel, ..)| rel.len() + 72).sum());
        text.push_str(HEADER);
        text.push('\n');
        text.push_str(&hex(&self.global));
        text.push('\n');
        for (rel, key, stamp) in files {
            // A path that would break the line format is not recorded (and
            // so rendered again next time).
            if rel.contains(['\n', '\r']) {
                continue;
            }
            use std::fmt::Write;
            let _ = writeln!(text, "{} {} {} {rel}", hex(&key), stamp.size, stamp.mtime);
        }
        let mut media =
            std::mem::take(&mut *self.current_media.lock().unwrap_or_else(|e| e.into_inner()));
        media.sort();
        media.dedup();
        for (key, files) in media {
            text.push('=');
            text.push_str(&hex(&key));
            for file in files {
                text.push('\t');
                text.push_str(&file);
            }
            text.push('\n');
        }
        write_atomic_to_the_end(&path, text.as_bytes(), false)
    }
}

fn hex(key: &Key) -> String {
    format!("{:032x}", u128::from_be_bytes(*key))
}

fn parse_key(text: &str) -> Option<Key> {
    (text.len() == 32)
        .then(|| u128::from_str_radix(text, 16).ok())
        .flatten()
        .map(u128::to_be_bytes)
}

type Parsed = (HashMap<String, Entry>, HashMap<Key, Vec<String>>);

/// The entries of a record made under `global`; `None` for another build-wide
/// key or any line that does not parse.
fn parse(text: &str, global: &Key) -> Option<Parsed> {
    let mut lines = text.lines();
    if lines.next()? != HEADER || parse_key(lines.next()?)? != *global {
        return None;
    }
    let mut files = HashMap::new();
    let mut media = HashMap::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix('=') {
            let mut parts = rest.split('\t');
            let key = parse_key(parts.next()?)?;
            media.insert(key, parts.map(str::to_string).collect());
            continue;
        }
        let mut parts = line.splitn(4, ' ');
        let key = parse_key(parts.next()?)?;
        let size = parts.next()?.parse().ok()?;
        let mtime = parts.next()?.parse().ok()?;
        let path = parts.next()?.to_string();
        files.insert(path, Entry { key, size, mtime });
    }
    Some((files, media))
}

#[cfg(test)]
mod tests;
