//! Unit tests of `keys.rs`.

use super::{of, KeyHasher};

#[test]
fn keys_tell_values_kinds_and_boundaries_apart() {
    assert_eq!(of("a", &[1, 2]), of("a", &[1, 2]));
    assert_ne!(of("a", &[1, 2]), of("a", &[1, 3]));
    assert_ne!(of("a", &[1, 2]), of("b", &[1, 2]));
    let split = |a: &str, b: &str| KeyHasher::new("k").value(a).value(b).key();
    assert_ne!(split("ab", "c"), split("a", "bc"));
    let raw = |a: &[u8], b: &[u8]| KeyHasher::new("k").bytes(a).bytes(b).key();
    assert_ne!(raw(b"ab", b"c"), raw(b"a", b"bc"));
}
