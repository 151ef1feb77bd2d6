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
use crate::fsutil::at::Dir;
use crate::fsutil::write_atomic_with;
use crate::render::keys::Key;

pub const FILE: &str = ".tootbridge-render";
const HEADER: &str = "tootbridge render keys 2";

/// One recorded file: its key and stamp, and where its path is in
/// [`Memo::paths`] (one string for all of them: at 50,000 toots a box per
/// path was 50,000 allocations to read and about 1 MB more to hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    key: Key,
    size: u64,
    mtime: u64,
    at: u32,
    len: u32,
}

pub(super) struct Memo {
    global: Key,
    /// The last build's paths, one after the other.
    paths: String,
    /// The last build's files, sorted by path (as the record lists them).
    previous: Vec<Entry>,
    /// The media files of each toot key, as the last build noted them: each
    /// list as the record has it (a tab before each file), split only when
    /// asked for. A map: a rebuild asks for every toot's, and a binary
    /// search of 10,000 keys missed the cache at each step.
    previous_media: HashMap<Key, Box<str>, ahash::RandomState>,
    /// The media files of each toot key of this build, in the same form.
    current_media: Mutex<Vec<(Key, String)>>,
    /// Cleared when this build's keys must not be recorded.
    record: AtomicBool,
}

impl Memo {
    /// The record in `out_dir`, if it was made under `global` and `trust`
    /// (no build was killed there since).
    pub(super) fn load(out_dir: &Path, global: Key, trust: bool) -> Memo {
        let parsed = if trust {
            // Read line by line: the record is 14 MB at 50,000 toots, and
            // held whole it came on top of the store while the build starts.
            fs::File::open(out_dir.join(FILE))
                .ok()
                .and_then(|file| parse(std::io::BufReader::with_capacity(1 << 16, file), &global))
        } else {
            None
        };
        let parsed = parsed.unwrap_or_default();
        Memo {
            global,
            paths: parsed.paths,
            previous: parsed.files,
            previous_media: parsed.media,
            current_media: Mutex::new(Vec::new()),
            record: AtomicBool::new(true),
        }
    }

    fn path_of(&self, entry: &Entry) -> &str {
        &self.paths[entry.at as usize..][..entry.len as usize]
    }

    /// The stamp of the file at `path` in `dir` when it was made from
    /// `key` and is still as that build left it (the one stat of a kept
    /// file in a build, relative to the open output folder).
    pub(super) fn current_stamp(&self, dir: &Dir, path: &str, key: &Key) -> Option<Stamp> {
        let at = self
            .previous
            .binary_search_by(|entry| self.path_of(entry).cmp(path))
            .ok()?;
        let entry = &self.previous[at];
        if entry.key != *key {
            return None;
        }
        dir.file_stat(path)
            .filter(|stamp| (stamp.size, stamp.mtime) == (entry.size, entry.mtime))
    }

    /// The media files the last build noted for `key`, noted again for
    /// this build as the record has them (not split and joined again).
    pub(super) fn media_of(&self, key: &Key) -> Option<Vec<String>> {
        let files = &**self.previous_media.get(key)?;
        self.current_media
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((*key, files.to_string()));
        Some(match files.strip_prefix('\t') {
            None => Vec::new(),
            Some(files) => files.split('\t').map(str::to_string).collect(),
        })
    }

    pub(super) fn note_media(&self, key: Key, files: &[String]) {
        // A name that would break the line format is not recorded (so the
        // next build makes the view again).
        if files.iter().any(|f| f.contains(['\n', '\r', '\t'])) {
            return;
        }
        let mut joined = String::with_capacity(files.iter().map(|f| f.len() + 1).sum());
        for file in files {
            joined.push('\t');
            joined.push_str(file);
        }
        self.current_media
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, joined));
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
        // The commit hands them over sorted already; this only checks.
        if !files.is_sorted_by(|a, b| a.0 <= b.0) {
            files.sort_unstable_by(|a, b| a.0.cmp(b.0));
        }
        let mut media =
            std::mem::take(&mut *self.current_media.lock().unwrap_or_else(|e| e.into_inner()));
        media.sort_unstable();
        media.dedup();
        write_atomic_with(&path, false, |out| {
            writeln!(out, "{HEADER}")?;
            writeln!(out, "{}", hex(&self.global))?;
            // Each line is put together by hand and written at once: the
            // formatting machinery was most of the cost of this record.
            let mut line = Vec::with_capacity(256);
            for (rel, key, stamp) in files {
                // A path that would break the line format is not recorded
                // (and so rendered again next time).
                if rel.contains(['\n', '\r']) {
                    continue;
                }
                line.clear();
                line.extend_from_slice(&hex_bytes(&key));
                line.push(b' ');
                push_decimal(&mut line, stamp.size);
                line.push(b' ');
                push_decimal(&mut line, stamp.mtime);
                line.push(b' ');
                line.extend_from_slice(rel.as_bytes());
                line.push(b'\n');
                out.write_all(&line)?;
            }
            for (key, files) in media {
                line.clear();
                line.push(b'=');
                line.extend_from_slice(&hex_bytes(&key));
                line.extend_from_slice(files.as_bytes());
                line.push(b'\n');
                out.write_all(&line)?;
            }
            Ok(())
        })
    }
}

/// Whether the record in `out_dir` was made under `global` (its first two
/// lines only).
pub(super) fn recorded_under(out_dir: &Path, global: &Key) -> bool {
    let Ok(file) = fs::File::open(out_dir.join(FILE)) else {
        return false;
    };
    let mut text = std::io::BufReader::with_capacity(256, file);
    header_under(&mut text, global, &mut Vec::new()).is_some()
}

/// Reads the next line of `text` into `buf` without its line end; `false`
/// at the end of the text, `None` when it cannot be read.
fn next_line(text: &mut impl std::io::BufRead, buf: &mut Vec<u8>) -> Option<bool> {
    buf.clear();
    let read = text.read_until(b'\n', buf).ok()?;
    if buf.ends_with(b"\n") {
        buf.pop();
        if buf.ends_with(b"\r") {
            buf.pop();
        }
    }
    Some(read > 0)
}

/// Reads the record's first two lines: `Some` when they are the header
/// and `global`.
fn header_under(text: &mut impl std::io::BufRead, global: &Key, buf: &mut Vec<u8>) -> Option<()> {
    if !next_line(text, buf)? || buf != HEADER.as_bytes() {
        return None;
    }
    if !next_line(text, buf)? || parse_key(buf)? != *global {
        return None;
    }
    Some(())
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_bytes(key: &Key) -> [u8; 32] {
    let mut out = [0; 32];
    for (i, byte) in key.iter().enumerate() {
        out[2 * i] = HEX[usize::from(byte >> 4)];
        out[2 * i + 1] = HEX[usize::from(byte & 15)];
    }
    out
}

fn hex(key: &Key) -> String {
    String::from_utf8_lossy(&hex_bytes(key)).into_owned()
}

fn push_decimal(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// The value of each hex digit (either case), 16 for any other byte: a
/// table, since the record has two keys' worth of digits per line.
const HEX_VALUE: [u8; 256] = {
    let mut table = [16u8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// The key written as 32 lowercase or uppercase hex digits.
fn parse_key(text: &[u8]) -> Option<Key> {
    let text: &[u8; 32] = text.try_into().ok()?;
    let mut key = [0; 16];
    let mut bad = 0;
    for (byte, pair) in key.iter_mut().zip(text.chunks_exact(2)) {
        let (high, low) = (
            HEX_VALUE[usize::from(pair[0])],
            HEX_VALUE[usize::from(pair[1])],
        );
        bad |= high | low;
        *byte = (high << 4) | (low & 15);
    }
    // Every valid value is below 16, so a bad digit shows in bit 4.
    (bad & 16 == 0).then_some(key)
}

/// A decimal number of at most 20 digits that fits a u64.
fn parse_decimal(text: &[u8]) -> Option<u64> {
    if text.is_empty() || text.len() > 20 {
        return None;
    }
    text.iter().try_fold(0u64, |n, &c| {
        let d = c.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(u64::from(d))
    })
}

#[derive(Default)]
struct Parsed {
    paths: String,
    files: Vec<Entry>,
    media: HashMap<Key, Box<str>, ahash::RandomState>,
}

/// Splits off the text before the first space of `line`.
fn field<'l>(line: &mut &'l [u8]) -> Option<&'l [u8]> {
    let at = memchr::memchr(b' ', line)?;
    let (head, tail) = line.split_at(at);
    *line = &tail[1..];
    Some(head)
}

/// The entries of a record made under `global`; `None` for another build-wide
/// key or any line that does not parse.
fn parse(mut text: impl std::io::BufRead, global: &Key) -> Option<Parsed> {
    let mut buf = Vec::with_capacity(256);
    header_under(&mut text, global, &mut buf)?;
    let mut parsed = Parsed::default();
    while next_line(&mut text, &mut buf)? {
        let line = buf.as_slice();
        if let Some(rest) = line.strip_prefix(b"=") {
            let (key, files) = rest.split_at(rest.len().min(32));
            let key = parse_key(key)?;
            if !files.is_empty() && files[0] != b'\t' {
                return None;
            }
            let files = std::str::from_utf8(files).ok()?;
            // A later line of a key wins, as for a path.
            parsed.media.insert(key, files.into());
            continue;
        }
        let mut rest = line;
        let key = parse_key(field(&mut rest)?)?;
        let size = parse_decimal(field(&mut rest)?)?;
        let mtime = parse_decimal(field(&mut rest)?)?;
        let path = std::str::from_utf8(rest).ok()?;
        let at = u32::try_from(parsed.paths.len()).ok()?;
        let len = u32::try_from(path.len()).ok()?;
        parsed.paths.push_str(path);
        parsed.files.push(Entry {
            key,
            size,
            mtime,
            at,
            len,
        });
    }
    let Parsed {
        mut paths,
        mut files,
        mut media,
    } = parsed;
    let path_of = |e: &Entry| &paths[e.at as usize..][..e.len as usize];
    // Written sorted; a record edited by hand is sorted here (stable, so
    // of two lines for one path the last one wins, as in a map).
    if !files.is_sorted_by(|a, b| path_of(a) <= path_of(b)) {
        files.sort_by(|a, b| path_of(a).cmp(path_of(b)));
    }
    files.dedup_by(|later, earlier| {
        let same = path_of(later) == path_of(earlier);
        if same {
            std::mem::swap(later, earlier);
        }
        same
    });
    files.shrink_to_fit();
    media.shrink_to_fit();
    paths.shrink_to_fit();
    Some(Parsed {
        paths,
        files,
        media,
    })
}

#[cfg(test)]
mod tests;
