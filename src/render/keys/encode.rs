//! The bytes a [`Key`](super::Key) hashes for a value: a compact,
//! self-delimiting encoding of what serde sees, written straight into a
//! buffer.
//!
//! Keys used to hash a value's JSON. JSON escapes every string and formats
//! every date through a temporary `String`, which was most of a rebuild's
//! key cost while the key only needs the same bytes for the same value and
//! different bytes for different values. So each value here is a tag byte
//! followed by its payload: integers and lengths as LEB128 varints, floats
//! as their bits, strings and bytes with their length first, sequences, maps and structs
//! between an opening and a closing tag (a closing tag never starts a
//! value), struct fields (tagged as strings) and enum variants by name, as in JSON. Every
//! encoding is thus self-delimiting, so two different values of a type
//! never encode alike, and the encoding of a sequence of values is
//! unambiguous too. Long strings are hashed where they are, not copied
//! (the hash sees the same bytes in the same order). The bytes are never stored: a different binary
//! re-renders everything anyway (the build-wide key holds it).
//!
//! With [`MediaNames`], a string that is the name of a stored media file is
//! followed by [`MEDIA_MARK`] (a byte that is no tag): a view shows a file
//! only if it is there, so its key must change when the file arrives or
//! goes.

use std::collections::HashSet;
use std::fmt;

use serde::ser::{self, Serialize};

mod compound;
use sha2::{Digest, Sha256};

const BOOL: u8 = b'b';
const INT: u8 = b'i';
const UINT: u8 = b'u';
const FLOAT: u8 = b'f';
const CHAR: u8 = b'c';
const STR: u8 = b's';
const BYTES: u8 = b'y';
const NONE: u8 = b'N';
const SOME: u8 = b'S';
const UNIT: u8 = b'U';
const VARIANT: u8 = b'v';
const NEWTYPE_VARIANT: u8 = b'V';
const SEQ: u8 = b'[';
const SEQ_END: u8 = b']';
const TUPLE: u8 = b'(';
const TUPLE_VARIANT: u8 = b'T';
const TUPLE_END: u8 = b')';
const MAP: u8 = b'{';
const STRUCT_VARIANT: u8 = b'W';
const MAP_END: u8 = b'}';
/// After a string that names a stored media file.
pub(crate) const MEDIA_MARK: u8 = b'M';

/// The names of the files in the media store, for [`MEDIA_MARK`].
pub(crate) struct MediaNames<'m> {
    names: &'m HashSet<String>,
    /// The longest name's length: a longer string (a toot's content, say)
    /// cannot be one, and is not hashed for the set look-up.
    longest: usize,
}

impl<'m> MediaNames<'m> {
    pub(crate) fn new(names: &'m HashSet<String>) -> MediaNames<'m> {
        let longest = names.iter().map(String::len).max().unwrap_or(0);
        MediaNames { names, longest }
    }

    pub(crate) fn contains(&self, value: &str) -> bool {
        value.len() <= self.longest && self.names.contains(value)
    }
}

/// Appends the encoding of `value` to `out`; with `hash`, long strings go
/// to it directly (after what `out` holds), not through `out`.
pub(super) fn encode<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
    hash: Option<&mut Sha256>,
    media: Option<&MediaNames<'_>>,
) {
    // Our values always serialize (the encoder itself never fails).
    let _ = value.serialize(&mut Encoder { out, hash, media });
}

/// Appends `bytes` to `out`, or, when they are long and there is a `hash`,
/// hashes what `out` holds and then them, saving the copy.
pub(super) fn put(out: &mut Vec<u8>, hash: Option<&mut Sha256>, bytes: &[u8]) {
    match hash {
        Some(hash) if bytes.len() >= DIRECT => {
            hash.update(&*out);
            out.clear();
            hash.update(bytes);
        }
        _ => out.extend_from_slice(bytes),
    }
}

/// From this length on, [`put`] hashes bytes in place.
const DIRECT: usize = 256;

struct Encoder<'a, 'm> {
    out: &'a mut Vec<u8>,
    hash: Option<&'a mut Sha256>,
    media: Option<&'a MediaNames<'m>>,
}

impl Encoder<'_, '_> {
    fn len(&mut self, len: usize) {
        self.varint(len as u128);
    }

    /// LEB128: seven bits a byte, the high bit set on all but the last, so
    /// the small numbers and lengths that make up most values take a byte.
    fn varint(&mut self, mut n: u128) {
        while n >= 0x80 {
            self.out.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        self.out.push(n as u8);
    }

    fn name(&mut self, name: &str) {
        self.len(name.len());
        put(self.out, self.hash.as_deref_mut(), name.as_bytes());
    }

    /// A struct field's name, tagged like a string (so it is told apart
    /// from the closing tag), never marked.
    fn field(&mut self, key: &str) {
        self.out.push(STR);
        self.name(key);
    }

    fn mark(&mut self, value: &str) {
        if self.media.is_some_and(|media| media.contains(value)) {
            self.out.push(MEDIA_MARK);
        }
    }
}

/// Never made by the encoder; a `Serialize` impl may still return one.
#[derive(Debug)]
pub(super) struct Unencodable(String);

impl fmt::Display for Unencodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unencodable {}

impl ser::Error for Unencodable {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Unencodable(message.to_string())
    }
}

type Done = Result<(), Unencodable>;

impl<'a, 'm> ser::Serializer for &mut Encoder<'a, 'm> {
    type Ok = ();
    type Error = Unencodable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.out.extend_from_slice(&[BOOL, v as u8]);
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Done {
        self.serialize_i128(v.into())
    }

    fn serialize_i16(self, v: i16) -> Done {
        self.serialize_i128(v.into())
    }

    fn serialize_i32(self, v: i32) -> Done {
        self.serialize_i128(v.into())
    }

    fn serialize_i64(self, v: i64) -> Done {
        self.serialize_i128(v.into())
    }

    fn serialize_i128(self, v: i128) -> Done {
        self.out.push(INT);
        // Zigzag: small magnitudes of either sign stay small.
        self.varint(((v << 1) ^ (v >> 127)) as u128);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Done {
        self.serialize_u128(v.into())
    }

    fn serialize_u16(self, v: u16) -> Done {
        self.serialize_u128(v.into())
    }

    fn serialize_u32(self, v: u32) -> Done {
        self.serialize_u128(v.into())
    }

    fn serialize_u64(self, v: u64) -> Done {
        self.serialize_u128(v.into())
    }

    fn serialize_u128(self, v: u128) -> Done {
        self.out.push(UINT);
        self.varint(v);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Done {
        self.out.push(FLOAT);
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Done {
        self.out.push(CHAR);
        self.out.extend_from_slice(&u32::from(v).to_le_bytes());
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Done {
        self.out.push(STR);
        self.name(v);
        self.mark(v);
        Ok(())
    }

    /// Dates and the like: written in place (no temporary `String`), their
    /// length filled in after.
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Done {
        use std::fmt::Write;
        // Written after what `out` holds, then moved behind its tag and
        // length (known only now); dates are short, so the move is cheap.
        let start = self.out.len();
        write!(Utf8(self.out), "{value}").map_err(ser::Error::custom)?;
        let len = self.out.len() - start;
        self.out.push(STR);
        self.len(len);
        let head = self.out.len() - start - len;
        self.out[start..].rotate_right(head);
        // Only whole `str`s were written after the head.
        let text = std::str::from_utf8(&self.out[start + head..]).unwrap_or_default();
        if self.media.is_some_and(|media| media.contains(text)) {
            self.out.push(MEDIA_MARK);
        }
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.out.push(BYTES);
        self.len(v.len());
        put(self.out, self.hash.as_deref_mut(), v);
        Ok(())
    }

    fn serialize_none(self) -> Done {
        self.out.push(NONE);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.out.push(SOME);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Done {
        self.out.push(UNIT);
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Done {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Done {
        self.out.push(VARIANT);
        self.name(variant);
        Ok(())
    }

    /// Transparent, as in JSON.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, v: &T) -> Done {
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.out.push(NEWTYPE_VARIANT);
        self.name(variant);
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Unencodable> {
        self.out.push(SEQ);
        Ok(self)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self, Unencodable> {
        self.out.push(TUPLE);
        Ok(self)
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Unencodable> {
        self.serialize_tuple(len)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Unencodable> {
        self.out.push(TUPLE_VARIANT);
        self.name(variant);
        Ok(self)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Unencodable> {
        self.out.push(MAP);
        Ok(self)
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Unencodable> {
        self.out.push(MAP);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Unencodable> {
        self.out.push(STRUCT_VARIANT);
        self.name(variant);
        Ok(self)
    }
}

/// `fmt::Write` into a byte buffer (what it writes is UTF-8).
struct Utf8<'a>(&'a mut Vec<u8>);

impl fmt::Write for Utf8<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}
