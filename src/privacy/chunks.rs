//! The scan of HTML by chunks, each distinct chunk scanned once per build.
//!
//! Pages share most of their bytes: a toot's card is the same on the home
//! page, its list page, its tag pages and its archive page, and the header,
//! navigation and footer of the shell are the same on every page. A page is
//! cut before each line that starts a block element (`\n<li`, `\n<article`,
//! `\n<nav`, ...), a rule that looks only at the bytes there, so the same
//! card is cut the same way wherever it appears.
//!
//! Why the result is exactly the full scan's: the tokenizer starts in the
//! data state. A chunk that is self-contained ([`super::loads`]: nothing in
//! it runs to its end) is read the same whatever follows it, and leaves the
//! tokenizer in the data state again, so the next chunk starts where a
//! fresh scan would. A chunk whose 128-bit keyed hash (SipHash-1-3 with
//! random keys per build, so page content cannot aim for a collision) is
//! in the cache was found self-contained and without foreign loads before,
//! and contributes nothing; any other chunk is scanned; at the first chunk
//! that is not self-contained, the whole rest of the page is scanned in one
//! piece, as before. Chunks with findings are not cached (they are rare,
//! and scanned again), so the cache is a set of keys, bounded in size.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use siphasher::sip128::SipHasher13;

use super::loads::{chunk_loads, html_loads};

/// Chunks shorter than this are scanned rather than looked up: hashing and
/// looking up cost about as much as scanning them.
const MIN_CACHED: usize = 48;

/// At most this many keys are kept (16 bytes each, plus the table's
/// overhead); when full, the cache starts again empty. Only the speed
/// depends on it. It stays below 7/8 of 2^18, where the table would double
/// to 2^19 slots: at 50,000 toots massif measured that table at 8.9 MB of
/// the peak, and 4.5 MB at this bound.
const MAX_KEYS: usize = 200_000;

/// Whether a line starting with `<` and `name` starts a chunk: a block
/// element (where cards, bodies and the shell's parts begin) or a line of
/// the page head, followed by whitespace, `>` or `/`.
fn cuts_before(name: &[u8]) -> bool {
    let mut lower = [0u8; 8];
    let mut len = 0;
    while len < lower.len() && name.get(len).is_some_and(u8::is_ascii_alphanumeric) {
        lower[len] = name[len].to_ascii_lowercase();
        len += 1;
    }
    matches!(
        name.get(len),
        Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/')
    ) && matches!(
        &lower[..len],
        b"li"
            | b"article"
            | b"section"
            | b"nav"
            | b"header"
            | b"footer"
            | b"main"
            | b"div"
            | b"p"
            | b"details"
            | b"figure"
            | b"aside"
            | b"ol"
            | b"ul"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"form"
            | b"table"
            | b"meta"
            | b"link"
            | b"title"
            | b"body"
    )
}

/// The keys of the chunks found self-contained and clean in this build.
pub(super) struct Chunks {
    hasher: SipHasher13,
    clean: Mutex<HashSet<u128, BuildHasherDefault<KeyHasher>>>,
}

impl Chunks {
    pub(super) fn new() -> Self {
        // Random keys from the standard library's per-process seed.
        let seed = |n: u64| {
            let mut h = std::hash::BuildHasher::build_hasher(
                &std::collections::hash_map::RandomState::new(),
            );
            h.write_u64(n);
            h.finish()
        };
        Chunks {
            hasher: SipHasher13::new_with_keys(seed(1), seed(2)),
            clean: Mutex::default(),
        }
    }

    /// The URLs of `html` that `foreign` keeps, exactly as
    /// `html_loads(html)` filtered by `foreign` lists them, in order.
    pub(super) fn foreign_loads(&self, html: &str, foreign: &dyn Fn(&str) -> bool) -> Vec<String> {
        let cuts = cuts(html);
        let keys: Vec<Option<u128>> = cuts
            .windows(2)
            .map(|w| {
                let chunk = &html.as_bytes()[w[0]..w[1]];
                (chunk.len() >= MIN_CACHED).then(|| {
                    let hash = self.hasher.hash(chunk);
                    (u128::from(hash.h1) << 64) | u128::from(hash.h2)
                })
            })
            .collect();
        let known: Vec<bool> = {
            let clean = self.clean.lock().unwrap_or_else(|e| e.into_inner());
            keys.iter()
                .map(|k| k.is_some_and(|k| clean.contains(&k)))
                .collect()
        };
        let mut out = Vec::new();
        let mut new_clean = Vec::new();
        for (i, w) in cuts.windows(2).enumerate() {
            if known[i] {
                continue;
            }
            match chunk_loads(&html[w[0]..w[1]]) {
                Some(loads) => {
                    let before = out.len();
                    out.extend(loads.into_iter().filter(|url| foreign(url)));
                    if out.len() == before {
                        new_clean.extend(keys[i]);
                    }
                }
                None => {
                    // From here on, one piece: the chunk's end depends on
                    // what follows it.
                    out.extend(
                        html_loads(&html[w[0]..])
                            .into_iter()
                            .filter(|url| foreign(url)),
                    );
                    break;
                }
            }
        }
        if !new_clean.is_empty() {
            let mut clean = self.clean.lock().unwrap_or_else(|e| e.into_inner());
            if clean.len() + new_clean.len() > MAX_KEYS {
                clean.clear();
            }
            clean.extend(new_clean);
        }
        out
    }
}

/// Where the chunks of `html` start and end: 0, the `<` of each `\n<name`
/// that [`cuts_before`] takes, and
/// the length.
fn cuts(html: &str) -> Vec<usize> {
    let bytes = html.as_bytes();
    let mut cuts = vec![0];
    for nl in memchr::memchr_iter(b'\n', bytes) {
        let at = nl + 1;
        if bytes.get(at) != Some(&b'<') {
            continue;
        }
        let cut = cuts_before(&bytes[at + 1..]);
        if cut {
            cuts.push(at);
        }
    }
    cuts.push(bytes.len());
    cuts
}

/// The keys are already random: a table of them needs no second hash.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, key: u128) {
        self.0 = key as u64;
    }
}

#[cfg(test)]
mod tests;
