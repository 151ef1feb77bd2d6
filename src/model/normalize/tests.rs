//! Unit tests of `normalize.rs`.

use super::*;

/// Every class of code point this module drops, with a neighbour of
/// each class that must stay.
pub(crate) fn forbidden_samples() -> Vec<char> {
    let mut out: Vec<char> = (0u32..0x20)
        .filter(|n| ![0x09, 0x0A, 0x0D].contains(n))
        .chain(0x7F..=0x9F)
        .chain(0xFDD0..=0xFDEF)
        .chain((0..=0x10u32).flat_map(|plane| [plane << 16 | 0xFFFE, plane << 16 | 0xFFFF]))
        .filter_map(char::from_u32)
        .collect();
    out.sort();
    out
}

#[test]
fn every_forbidden_code_point_is_dropped() {
    let samples = forbidden_samples();
    assert_eq!(samples.len(), 29 + 33 + 32 + 34);
    for c in samples {
        assert!(is_forbidden(c), "{:04X}", c as u32);
        let mut s = format!("a{c}b");
        clean_str(&mut s);
        assert_eq!(s, "ab", "U+{:04X}", c as u32);
    }
}

#[test]
fn allowed_neighbours_stay() {
    for c in [
        '\t',
        '\n',
        '\r',
        ' ',
        '~',
        '\u{A0}',
        '\u{FDCF}',
        '\u{FDF0}',
        '\u{FFFD}',
        '\u{FFFC}',
        '\u{1FFFD}',
        '😀',
        'ä',
    ] {
        assert!(!is_forbidden(c), "{:04X}", c as u32);
        let mut s = format!("a{c}b");
        clean_str(&mut s);
        assert_eq!(s, format!("a{c}b"));
    }
}

#[test]
fn every_forbidden_code_point_is_found_wherever_it_stands_in_a_long_string() {
    // Before, at and after the scan's chunk boundaries.
    for c in forbidden_samples() {
        for at in [0, 1, 63, 64, 65, 127, 128, 200] {
            let mut s = "x".repeat(at);
            s.push(c);
            s.push_str(&"y".repeat(140));
            assert!(suspicious(s.as_bytes()), "U+{:04X} at {at}", c as u32);
            clean_str(&mut s);
            assert_eq!(s.len(), at + 140, "U+{:04X} at {at}", c as u32);
        }
    }
    // Text the scan passes untouched: ASCII, and letters of other scripts
    // whose lead bytes are none of the suspicious ones.
    let plain = "Grüße aus Köln – 5 € ✓ ".repeat(20);
    assert!(!suspicious(plain.as_bytes()));
    let mut copy = plain.clone();
    clean_str(&mut copy);
    assert_eq!(copy, plain);
}
