//! Streaming `outbox.json`: the collection is read with serde's visitor API,
//! so only one item is held in memory at a time however many the export has.
//! `totalItems` is reported but never trusted (exports get it wrong).

use std::cell::RefCell;
use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer as _;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};

/// A decompressed `outbox.json` above this is refused (a zip bomb guard; the
/// largest real exports are a fraction of it).
pub(super) const MAX_OUTBOX_BYTES: u64 = 4 << 30;

/// What the collection itself said.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct OutboxInfo {
    /// `totalItems` as declared (may not match `items`).
    pub declared: Option<u64>,
    /// Items actually found in `orderedItems`.
    pub items: u64,
}

struct State<'f> {
    on_item: &'f mut dyn FnMut(Value) -> Result<()>,
    info: OutboxInfo,
    /// The callback's error, kept aside while serde unwinds.
    failure: Option<Error>,
}

/// Calls `on_item` for each element of `orderedItems` (or `items`).
pub(super) fn stream(
    reader: impl Read,
    shown: &Path,
    mut on_item: impl FnMut(Value) -> Result<()>,
) -> Result<OutboxInfo> {
    let state = RefCell::new(State {
        on_item: &mut on_item,
        info: OutboxInfo::default(),
        failure: None,
    });
    let capped = Capped {
        inner: reader,
        left: MAX_OUTBOX_BYTES,
    };
    let mut de = serde_json::Deserializer::from_reader(capped);
    let result = de
        .deserialize_map(RootVisitor(&state))
        .and_then(|()| de.end());
    let state = state.into_inner();
    if let Some(failure) = state.failure {
        return Err(failure);
    }
    result.map_err(|e| Error::Other(format!("{}: {e}", shown.display())))?;
    Ok(state.info)
}

struct RootVisitor<'s, 'f>(&'s RefCell<State<'f>>);

impl<'de> Visitor<'de> for RootVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OrderedCollection object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "orderedItems" | "items" => map.next_value_seed(ItemsSeed(self.0))?,
                "totalItems" => {
                    let value: Value = map.next_value()?;
                    self.0.borrow_mut().info.declared = value.as_u64();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct ItemsSeed<'s, 'f>(&'s RefCell<State<'f>>);

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of activities")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Value>()? {
            let mut state = self.0.borrow_mut();
            state.info.items += 1;
            if let Err(e) = (state.on_item)(item) {
                state.failure = Some(e);
                return Err(A::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// A reader that fails once `left` bytes have been read.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other(format!(
                "larger than {MAX_OUTBOX_BYTES} bytes"
            )));
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
