//! The toot index's file: reading it back (in parallel, line by line, a
//! line that does not parse left out) and writing the next one, copying
//! the lines of unchanged files and writing those of files read this time.
//! Each line is `path \t size mtime ctime ino dev \t digest \t json`, the
//! JSON holding the media paths and the stub; the first line names the
//! binary that wrote it.

use std::collections::HashMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{
    is_stub, media_paths, relative, stub, Entry, Identity, Known, KnownToots, FILE, MARGIN,
};
use crate::error::Result;
use crate::model::Toot;

const HEADER: &str = "tootbridge toot index 1";

/// The text of the last index, for the lines the next one copies.
#[derive(Default)]
pub struct OldLines(pub(super) Vec<u8>);

/// One recorded file, as read back.
pub struct Recorded {
    pub identity: Identity,
    digest: [u8; 16],
    /// The line's JSON part (media and stub), parsed when the file is used.
    json: std::ops::Range<usize>,
    /// The whole line, copied into the next index as it is.
    line: std::ops::Range<usize>,
}

#[derive(Deserialize)]
struct Body {
    media: Vec<String>,
    stub: Toot,
}

/// [`Body`] as it is written, from borrowed parts.
#[derive(Serialize)]
struct BodyOut<'a> {
    media: &'a [String],
    stub: &'a Toot,
}

/// The index as the last build left it.
#[derive(Default)]
pub struct TootIndex {
    pub(super) text: Vec<u8>,
    /// By path relative to `content/toots/`.
    pub(super) files: HashMap<String, Recorded, ahash::RandomState>,
}

/// The binary's own identity: another binary may parse and digest toots
/// differently, so its index is not used.
fn binary() -> Option<String> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mtime = exe.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!(
        "{HEADER} {} {} {}",
        env!("CARGO_PKG_VERSION"),
        exe.len(),
        mtime.as_nanos()
    ))
}

impl TootIndex {
    /// The index in `out_dir`; empty when there is none, it is unreadable,
    /// or another binary wrote it.
    pub fn load(out_dir: &Path) -> TootIndex {
        let Ok(text) = std::fs::read(out_dir.join(FILE)) else {
            return TootIndex::default();
        };
        parse(text).unwrap_or_default()
    }

    /// The recorded file at `rel` (relative to `content/toots/`) when its
    /// identity is still `identity`.
    pub fn get(&self, rel: &str, identity: &Identity) -> Option<&Recorded> {
        self.files.get(rel).filter(|r| r.identity == *identity)
    }

    /// The stub of `recorded` and what is known of it, or `None` when its
    /// line does not parse (then the file is read).
    pub fn stub_of(&self, recorded: &Recorded) -> Option<(Toot, Known)> {
        let body: Body = serde_json::from_slice(&self.text[recorded.json.clone()]).ok()?;
        let known = Known {
            digest: recorded.digest,
            stub_media: body.media,
            entry: Some(Entry::Kept(recorded.line.clone())),
        };
        is_stub(&body.stub).then_some((body.stub, known))
    }

    /// The lines the next index copies, without the look-up by path that
    /// only the load needs (at 50,000 toots it is about 7 MB); nothing when
    /// `known` copies no line (every file was read).
    pub fn into_lines(self, known: &[Vec<Known>]) -> OldLines {
        let copied = known
            .iter()
            .flatten()
            .any(|k| matches!(k.entry, Some(Entry::Kept(_))));
        OldLines(if copied { self.text } else { Vec::new() })
    }
}

fn parse(text: Vec<u8>) -> Option<TootIndex> {
    let header = binary()?;
    let body = text.strip_prefix(header.as_bytes())?.strip_prefix(b"\n")?;
    let start = text.len() - body.len();
    // The lines are cut into a few pieces at line ends and parsed on all
    // cores.
    let pieces = rayon::current_num_threads().max(1) * 4;
    let mut cuts = vec![start];
    for k in 1..pieces {
        let at = (start + body.len() * k / pieces).max(*cuts.last()?);
        let end = text[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |p| at + p + 1);
        cuts.push(end);
    }
    cuts.push(text.len());
    let parsed: Vec<Vec<(String, Recorded)>> = cuts
        .par_windows(2)
        .map(|w: &[usize]| {
            let mut out = Vec::new();
            let mut at = w[0];
            while at < w[1] {
                let len = text[at..w[1]]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(w[1] - at);
                let range = at..at + len;
                at = range.end + 1;
                // A line that does not parse is left out: its file is read.
                if let Some(line) = parse_line(&text[range.clone()], range) {
                    out.push(line);
                }
            }
            out
        })
        .collect();
    let mut files =
        HashMap::with_capacity_and_hasher(parsed.iter().map(Vec::len).sum(), Default::default());
    // In file order: a later line of a path (see `write`) wins.
    files.extend(parsed.into_iter().flatten());
    Some(TootIndex { text, files })
}

/// `path \t size mtime ctime ino dev \t digest \t json`.
fn parse_line(line: &[u8], range: std::ops::Range<usize>) -> Option<(String, Recorded)> {
    let mut fields = line.splitn(4, |&b| b == b'\t');
    let rel = std::str::from_utf8(fields.next()?).ok()?.to_string();
    let stat = std::str::from_utf8(fields.next()?).ok()?;
    let mut numbers = stat.split(' ');
    let mut next = || numbers.next();
    let (size, mtime, ctime, ino, dev) = (next()?, next()?, next()?, next()?, next()?);
    if next().is_some() {
        return None;
    }
    let identity = Identity {
        size: size.parse().ok()?,
        mtime: mtime.parse().ok()?,
        ctime: ctime.parse().ok()?,
        ino: ino.parse().ok()?,
        dev: dev.parse().ok()?,
    };
    let digest = parse_digest(fields.next()?)?;
    let json = fields.next()?;
    Some((
        rel,
        Recorded {
            identity,
            digest,
            json: range.end - json.len()..range.end,
            line: range,
        },
    ))
}

fn parse_digest(text: &[u8]) -> Option<[u8; 16]> {
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let mut key = [0u8; 16];
    if text.len() != 32 {
        return None;
    }
    for (i, pair) in text.chunks(2).enumerate() {
        key[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(key)
}

/// Stages the index of the loaded `accounts` for `out_dir`, from what is
/// `known` of their toots and the `old` index; `now` is when the files were
/// read. Only toots `include` takes are recorded: the index lies in the
/// output folder, which is published, so `build` records only published
/// toots (a toot the editors hid or the rules leave out is read each time).
pub(crate) fn write(
    out_dir: &Path,
    old: &OldLines,
    accounts: &[crate::model::AccountData],
    known: &KnownToots,
    include: &dyn Fn(&Toot) -> bool,
    now: SystemTime,
) -> Result<Option<crate::fsutil::Staged>> {
    let Some(header) = binary() else {
        return Ok(None);
    };
    let recent = now
        .checked_sub(MARGIN)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    // What is written, in order; the lines are made on all cores, a batch
    // at a time, so no more than a batch of them is held.
    let items: Vec<(&crate::model::AccountData, &Toot, &Known)> = accounts
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            a.toots
                .iter()
                .zip(known.of_account(i))
                .map(move |(t, k)| (a, t, k))
        })
        .filter(|(_, toot, _)| include(toot))
        .collect();
    let staged = crate::fsutil::stage_with(&out_dir.join(FILE), |out| {
        writeln!(out, "{header}")?;
        for batch in items.chunks(BATCH) {
            // A buffer per piece of a batch, not per line: 50,000 small
            // buffers made on the workers and freed by this thread held
            // memory at the 50,000-toot peak.
            let pieces = batch
                .par_chunks(PIECE)
                .map(|piece| {
                    let mut lines = Vec::with_capacity(piece.len() * 512);
                    for (account, toot, known) in piece {
                        line_of(&mut lines, old, account, toot, known, recent)?;
                    }
                    Ok(lines)
                })
                .collect::<std::io::Result<Vec<Vec<u8>>>>()?;
            for lines in pieces {
                out.write_all(&lines)?;
            }
        }
        Ok(())
    })?;
    Ok(Some(staged))
}

/// How many lines are made at once, and by one task.
const BATCH: usize = 4096;
const PIECE: usize = 256;

/// Adds the line of `toot` in the next index to `out` (nothing when it is
/// not recorded).
fn line_of(
    out: &mut Vec<u8>,
    old: &OldLines,
    account: &crate::model::AccountData,
    toot: &Toot,
    known: &Known,
    recent: i64,
) -> std::io::Result<()> {
    match &known.entry {
        None => {}
        Some(Entry::Kept(line)) => {
            let line = old
                .0
                .get(line.clone())
                .ok_or_else(|| std::io::Error::other("a copied line is not in the old index"))?;
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        Some(Entry::Read(identity)) => {
            let handle = &account.handle;
            let rel = relative(&handle.host, &handle.user, &toot.id);
            let recorded =
                identity.mtime.max(identity.ctime) < recent && !rel.contains(['\t', '\n']);
            if recorded {
                write_line(out, &rel, identity, known, toot)?;
            }
        }
    }
    Ok(())
}

/// `path \t size mtime ctime ino dev \t digest \t json` of a read toot.
fn write_line(
    out: &mut dyn std::io::Write,
    rel: &str,
    identity: &Identity,
    known: &Known,
    toot: &Toot,
) -> std::io::Result<()> {
    // A toot read and kept as a stub (see `store/load.rs`) brings its media
    // and stub along; they are what the toot itself gives.
    let made;
    let body = if is_stub(toot) {
        BodyOut {
            media: &known.stub_media,
            stub: toot,
        }
    } else {
        made = (media_paths(toot), stub(toot));
        BodyOut {
            media: &made.0,
            stub: &made.1,
        }
    };
    let json = serde_json::to_string(&body).map_err(std::io::Error::other)?;
    let Identity {
        size,
        mtime,
        ctime,
        ino,
        dev,
    } = identity;
    write!(out, "{rel}\t{size} {mtime} {ctime} {ino} {dev}\t")?;
    for b in known.digest {
        write!(out, "{b:02x}")?;
    }
    writeln!(out, "\t{json}")
}
