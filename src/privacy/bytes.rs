//! The byte-level tools of the HTML scan (`loads.rs`): the classes of the
//! bytes that shape a tag, and a search for one byte that is quick over the
//! short distances of a page.

use memchr::memchr;

/// Byte classes of the tokenizer, one bit each (see [`CLASS`]).
pub(super) const WS: u8 = 1;
/// Skipped before an attribute name: whitespace and `/`.
pub(super) const SKIP: u8 = 2;
/// Ends an attribute name: whitespace, `=`, `>`, `/`.
pub(super) const NAME_END: u8 = 4;
/// Ends an unquoted attribute value or a tag name: whitespace and `>`
/// (and, for tag names only, `/`: see [`TAG_NAME_END`]).
pub(super) const VALUE_END: u8 = 8;
pub(super) const TAG_NAME_END: u8 = 16;

/// The class bits of every byte: one table look-up per byte in the loops
/// over names instead of several comparisons.
const CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let ws = c.is_ascii_whitespace();
        let mut bits = 0;
        if ws {
            bits |= WS | SKIP | NAME_END | VALUE_END | TAG_NAME_END;
        }
        if c == b'/' {
            bits |= SKIP | NAME_END | TAG_NAME_END;
        }
        if c == b'=' {
            bits |= NAME_END;
        }
        if c == b'>' {
            bits |= NAME_END | VALUE_END | TAG_NAME_END;
        }
        class[b] = bits;
        b += 1;
    }
    class
};

/// Whether byte `b` has any of the class bits `bits`.
#[inline]
pub(super) fn is(b: u8, bits: u8) -> bool {
    CLASS[usize::from(b)] & bits != 0
}

/// The first `needle` in `hay`. Most distances in a page are short (text
/// between tags, attribute values): those are read eight bytes at a time in
/// place, without the set-up of a vector search; longer ones go to `memchr`.
#[inline]
pub(super) fn find(hay: &[u8], needle: u8) -> Option<usize> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let pattern = LOW * u64::from(needle);
    let mut words = hay.chunks_exact(8);
    for (n, word) in words.by_ref().take(4).enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes) ^ pattern;
        // The lowest byte flagged is the first zero byte of `x` (a borrow
        // can only flag bytes above a real zero).
        let zero = x.wrapping_sub(LOW) & !x & HIGH;
        if zero != 0 {
            return Some(n * 8 + zero.trailing_zeros() as usize / 8);
        }
    }
    let from = (hay.len() - words.remainder().len()).min(32);
    if from == 32 {
        return memchr(needle, &hay[32..]).map(|at| 32 + at);
    }
    hay[from..]
        .iter()
        .position(|&b| b == needle)
        .map(|at| from + at)
}
