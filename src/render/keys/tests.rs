//! Unit tests of `keys.rs`.

use super::{of, KeyHasher, MediaNames};

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

/// The encoding of `value` (see `encode.rs`), with `media` as the store.
fn bytes_of<T: serde::Serialize + ?Sized>(value: &T, media: Option<&[&str]>) -> Vec<u8> {
    let names: std::collections::HashSet<String> =
        media.unwrap_or(&[]).iter().map(|m| m.to_string()).collect();
    let names = MediaNames::new(&names);
    let mut out = Vec::new();
    super::encode::encode(value, &mut out, None, media.map(|_| &names));
    out
}

#[derive(serde::Serialize)]
struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<u32>,
}

#[derive(serde::Serialize)]
enum Shape {
    Unit,
    Other,
    Newtype(u32),
    Tuple(u32, u32),
    Struct { x: u32 },
}

#[test]
fn values_that_differ_encode_differently_in_every_kind() {
    let differ = |a: Vec<u8>, b: Vec<u8>| assert_ne!(a, b);
    // Option: absent, present, and a present empty value.
    differ(bytes_of(&None::<&str>, None), bytes_of(&Some(""), None));
    differ(bytes_of(&Some("a"), None), bytes_of(&"a", None));
    differ(bytes_of(&(), None), bytes_of(&None::<()>, None));
    // Sequence, tuple and map boundaries.
    differ(bytes_of(&["a", "b"], None), bytes_of(&["ab"], None));
    differ(
        bytes_of(&(vec!["a"], vec!["b"]), None),
        bytes_of(&(vec!["a", "b"], Vec::<&str>::new()), None),
    );
    let map = |pairs: &[(&str, &str)]| {
        bytes_of(
            &pairs
                .iter()
                .copied()
                .collect::<std::collections::BTreeMap<_, _>>(),
            None,
        )
    };
    differ(map(&[("a", "b")]), map(&[("ab", "")]));
    differ(map(&[("a", "")]), bytes_of(&["a", ""], None));
    // Numbers: value (across the varint's byte boundaries), signedness.
    let ints: Vec<Vec<u8>> = [
        0i128,
        1,
        -1,
        127,
        128,
        -128,
        16_383,
        16_384,
        i128::MIN,
        i128::MAX,
    ]
    .iter()
    .map(|n| bytes_of(n, None))
    .chain(
        [0u64, 1, 127, 128, u64::MAX]
            .iter()
            .map(|n| bytes_of(n, None)),
    )
    .collect();
    for (i, a) in ints.iter().enumerate() {
        for b in &ints[i + 1..] {
            assert_ne!(a, b);
        }
    }
    differ(bytes_of(&1u32, None), bytes_of(&256u32, None));
    differ(bytes_of(&1u32, None), bytes_of(&1i32, None));
    // A length that takes two bytes is not read as a shorter one.
    differ(
        bytes_of(&["a".repeat(128)], None),
        bytes_of(&["a".to_string(), "a".repeat(126)], None),
    );
    differ(bytes_of(&1.5f64, None), bytes_of(&2.5f64, None));
    differ(bytes_of(&true, None), bytes_of(&false, None));
    differ(bytes_of(&'a', None), bytes_of(&"a", None));
    // A skipped field is told from another skipped field by name.
    differ(
        bytes_of(
            &Fields {
                a: Some(1),
                b: None,
            },
            None,
        ),
        bytes_of(
            &Fields {
                a: None,
                b: Some(1),
            },
            None,
        ),
    );
    // Every kind of enum variant.
    let shapes = [
        bytes_of(&Shape::Unit, None),
        bytes_of(&Shape::Other, None),
        bytes_of(&Shape::Newtype(1), None),
        bytes_of(&Shape::Tuple(1, 2), None),
        bytes_of(&Shape::Tuple(1, 3), None),
        bytes_of(&Shape::Struct { x: 1 }, None),
        bytes_of(&Shape::Struct { x: 2 }, None),
    ];
    for (i, a) in shapes.iter().enumerate() {
        for b in &shapes[i + 1..] {
            assert_ne!(a, b);
        }
    }
    // The same value encodes the same way every time.
    assert_eq!(
        bytes_of(&Shape::Struct { x: 1 }, None),
        bytes_of(&Shape::Struct { x: 1 }, None)
    );
}

/// A value that hands serde its text through `collect_str`, as dates do.
struct Collected<'a>(&'a str);

impl serde::Serialize for Collected<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

#[test]
fn text_written_in_place_encodes_as_the_same_string() {
    assert_eq!(
        bytes_of(&Collected("a/b.png"), None),
        bytes_of(&"a/b.png", None)
    );
    let media = Some(&["a/b.png"][..]);
    assert_eq!(
        bytes_of(&Collected("a/b.png"), media),
        bytes_of(&"a/b.png", media)
    );
    assert_ne!(
        bytes_of(&Collected("a/b.png"), media),
        bytes_of(&Collected("a/b.png"), None)
    );
    // Longer than a one-byte length, so the text moves behind a longer head.
    let long = "b/".repeat(100);
    assert_eq!(bytes_of(&Collected(&long), None), bytes_of(&long, None));
    let early = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let late = chrono::DateTime::from_timestamp(1_700_000_001, 0).unwrap();
    assert_ne!(bytes_of(&early, None), bytes_of(&late, None));
}

#[test]
fn only_strings_that_name_a_stored_file_are_marked() {
    // Names of several lengths: the longest is still looked up.
    let media = Some(&["x.png", "host/user/0123456789abcdef.jpeg"][..]);
    let marked = |value: &str| bytes_of(value, media) != bytes_of(value, None);
    assert!(marked("x.png"));
    assert!(marked("host/user/0123456789abcdef.jpeg"));
    assert!(!marked("y.png"));
    assert!(!marked("host/user/0123456789abcdef.jpeg and more text"));
    assert!(!marked(""));
    // Field names are never marked, map keys (strings) are.
    #[derive(serde::Serialize)]
    struct Named {
        #[serde(rename = "x.png")]
        field: u8,
    }
    let named = Named { field: 0 };
    assert_eq!(bytes_of(&named, media), bytes_of(&named, None));
    let key: std::collections::BTreeMap<&str, u8> = [("x.png", 0)].into();
    assert_ne!(bytes_of(&key, media), bytes_of(&key, None));
    let empty = Some(&[][..]);
    assert_eq!(bytes_of("x.png", empty), bytes_of("x.png", None));
}

#[test]
fn marking_keys_change_only_with_the_files_named() {
    let names = |list: &[&str]| -> std::collections::HashSet<String> {
        list.iter().map(|m| m.to_string()).collect()
    };
    let key = |value: &[&str], media: &std::collections::HashSet<String>| {
        KeyHasher::new("t")
            .value_marking(value, &MediaNames::new(media))
            .key()
    };
    let toot = ["a/b.png", "text"];
    assert_eq!(key(&toot, &names(&[])), key(&toot, &names(&["c.png"])));
    assert_ne!(key(&toot, &names(&[])), key(&toot, &names(&["a/b.png"])));
    assert_ne!(
        key(&toot, &names(&["a/b.png"])),
        key(&["a/c.png", "text"], &names(&["a/b.png"]))
    );
}

#[test]
fn bytes_hashed_in_place_give_the_key_of_the_whole_encoding() {
    use sha2::{Digest, Sha256};
    // What the hasher puts before its first value: the kind, as raw bytes.
    let start = |kind: &str| {
        let mut whole = vec![0xff];
        whole.extend_from_slice(&(kind.len() as u64).to_le_bytes());
        whole.extend_from_slice(kind.as_bytes());
        whole
    };
    let long = "x".repeat(5000);
    let short_long_short = vec!["a".to_string(), long.clone(), "b".to_string()];
    // Past the hasher's buffer size too.
    let many_long = vec![long.clone(); 4];
    for value in [short_long_short, many_long] {
        let mut whole = start("k");
        super::encode::encode(&value, &mut whole, None, None);
        let key = KeyHasher::new("k").value(&value).key();
        assert_eq!(key[..], Sha256::digest(&whole)[..16]);
    }
    let raw = vec![7u8; 1000];
    let mut whole = start("k");
    whole.push(0xff);
    whole.extend_from_slice(&(raw.len() as u64).to_le_bytes());
    whole.extend_from_slice(&raw);
    let key = KeyHasher::new("k").bytes(&raw).key();
    assert_eq!(key[..], Sha256::digest(&whole)[..16]);
}
