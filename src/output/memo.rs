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
use crate::fsutil::write_atomic_with;
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
    /// The last build's files, sorted by path (as the record lists them).
    previous: Vec<(Box<str>, Entry)>,
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
            // Read line by line: the record is 14 MB at 50,000 toots, and
            // held whole it came on top of the store while the build starts.
            fs::File::open(out_dir.join(FILE))
                .ok()
                .and_then(|file| parse(std::io::BufReader::new(file), &global))
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
        let found = self
            .previous
            .binary_search_by(|(p, _)| (**p).cmp(path))
            .ok()
            .map(|at| &self.previous[at].1);
        match found {
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
        let mut media =
            std::mem::take(&mut *self.current_media.lock().unwrap_or_else(|e| e.into_inner()));
        media.sort();
        media.dedup();
        write_atomic_with(&path, false, |out| {
            writeln!(out, "{HEADER}")?;
            writeln!(out, "{}", hex(&self.global))?;
            for (rel, key, stamp) in files {
                // A path that would break the line format is not recorded
                // (and so rendered again next time).
                if rel.contains(['\n', '\r']) {
                    continue;
                }
                writeln!(out, "{} {} {} {rel}", hex(&key), stamp.size, stamp.mtime)?;
            }
            for (key, files) in media {
                write!(out, "={}", hex(&key))?;
                for file in files {
                    write!(out, "\t{file}")?;
                }
                writeln!(out)?;
            }
            Ok(())
        })
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

type Parsed = (Vec<(Box<str>, Entry)>, HashMap<Key, Vec<String>>);

/// The entries of a record made under `global`; `None` for another build-wide
/// key or any line that does not parse.
fn parse(mut text: impl std::io::BufRead, global: &Key) -> Option<Parsed> {
    let mut line = String::new();
    let mut next_line = |line: &mut String| -> Option<bool> {
        line.clear();
        let read = text.read_line(line).ok()?;
        if line.ends_with('\n') {
            line.pop();
            if line.ends_with('\r') {
                line.pop();
            }
        }
        Some(read > 0)
    };
    if !next_line(&mut line)? || line != HEADER {
        return None;
    }
    if !next_line(&mut line)? || parse_key(&line)? != *global {
        return None;
    }
    let mut files: Vec<(Box<str>, Entry)> = Vec::new();
    let mut media = HashMap::new();
    while next_line(&mut line)? {
        let line = line.as_str();
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
        let path: Box<str> = parts.next()?.into();
        files.push((path, Entry { key, size, mtime }));
    }
    // Written sorted; a record edited by hand is sorted here (stable, so
    // of two lines for one path the last one wins, as in a map).
    if !files.is_sorted_by(|a, b| a.0 <= b.0) {
        files.sort_by(|a, b| a.0.cmp(&b.0));
    }
    files.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            std::mem::swap(later, earlier);
        }
        same
    });
    files.shrink_to_fit();
    Some((files, media))
}

#[cfg(test)]
mod tests;
