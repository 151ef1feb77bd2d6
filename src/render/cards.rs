//! Each toot's card: its `<article>` as lists show it (`partials/toot.html`
//! with `heading = "h2"`), rendered once and shared by every list page that
//! shows the toot (the home page, its tags, its month).
//!
//! In a small site the first [`held_budget`] bytes of cards are held in
//! memory, as the Tera strings the list pages take (a list page then shares
//! them, no copy). Other cards go to an unnamed temporary file and are read
//! back for each list page, so a build of 50,000 toots holds the position of
//! each card, not the cards (a few KB each). The file is gone when the
//! render ends, whatever happens.
//!
//! Several threads add and read cards at once. No lock is held over a
//! system call, and no seek is made: a card's place in the file is taken
//! from an atomic counter, and it is written and read with positioned I/O.
//! A card's place is published (in its `OnceLock`) only after it is written,
//! so a reader never sees a place whose bytes are not there yet.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

use tera::{Context, Value};

use super::keys::{Key, KeyHasher};
use super::theme::Theme;
use super::toots::Toots;
use crate::error::{Error, Result};

/// How many bytes of cards are held in memory before they spill to the
/// file, in a site of `toots` toots: those of about 10,000 toots in a site
/// of up to [`HELD_TOOTS`], none in a larger one. The peak memory of a large
/// build is its per-toot data; cards held on top of it would raise it, while
/// a small site has room for them.
pub(super) fn held_budget(toots: usize) -> usize {
    if toots <= HELD_TOOTS {
        32 << 20
    } else {
        0
    }
}

const HELD_TOOTS: usize = 20_000;

/// Where one rendered card is.
enum Card {
    /// In memory, as the string value list pages take.
    Held(Value),
    /// In the spill file at `offset`, `len` bytes.
    Spilled { offset: u64, len: usize },
}

pub(super) struct Cards<'a> {
    theme: &'a Theme,
    base_context: &'a Context,
    toots: &'a Toots<'a>,
    cells: Vec<OnceLock<Card>>,
    spill: Spill,
    /// Each card's key (empty when the sink takes no keys).
    pub(super) keys: Vec<Key>,
}

impl<'a> Cards<'a> {
    pub(super) fn new(
        theme: &'a Theme,
        base_context: &'a Context,
        toots: &'a Toots<'a>,
        base_key: &Key,
        held_budget: usize,
    ) -> Cards<'a> {
        Cards {
            theme,
            base_context,
            toots,
            cells: (0..toots.len()).map(|_| OnceLock::new()).collect(),
            spill: Spill::new(held_budget),
            keys: toots
                .keys
                .iter()
                .map(|toot| KeyHasher::new("card").bytes(base_key).bytes(toot).key())
                .collect(),
        }
    }

    /// Renders the card of toot `i` from its view's Tera value unless it is
    /// rendered already.
    pub(super) fn add(&self, i: usize, toot: &Value) -> Result<()> {
        if self.cells[i].get().is_some() {
            return Ok(());
        }
        let card = self.render(toot)?;
        self.store(i, card)
    }

    /// The card of toot `i` as a Tera string, rendered now if no page did
    /// yet.
    pub(super) fn get(&self, i: usize) -> Result<Value> {
        if self.cells[i].get().is_none() {
            let card = self.render(&Value::from_serializable(&self.toots.make(i)?))?;
            self.store(i, card)?;
        }
        match self.cells[i].get().expect("stored above") {
            Card::Held(value) => Ok(value.clone()),
            &Card::Spilled { offset, len } => self.spill.read(offset, len),
        }
    }

    fn render(&self, toot: &Value) -> Result<String> {
        let mut ctx = self.base_context.clone();
        ctx.insert_value("toot", toot.clone());
        ctx.insert("heading", "h2");
        self.theme.render("partials/toot.html", &ctx)
    }

    fn store(&self, i: usize, card: String) -> Result<()> {
        // Two lists may render the same card at once; the first stored wins.
        if self.cells[i].get().is_some() {
            return Ok(());
        }
        let stored = self.spill.store(card)?;
        if let Err(Card::Held(lost)) = self.cells[i].set(stored) {
            self.spill.give_back(&lost);
        }
        Ok(())
    }
}

/// The memory budget and the spill file of the cards.
struct Spill {
    budget: usize,
    /// Bytes of cards held in memory.
    held: AtomicUsize,
    /// The end of the spill file: where the next spilled card goes.
    end: AtomicU64,
    /// Made when the first card spills.
    file: OnceLock<std::io::Result<File>>,
}

impl Spill {
    fn new(budget: usize) -> Spill {
        Spill {
            budget,
            held: AtomicUsize::new(0),
            end: AtomicU64::new(0),
            file: OnceLock::new(),
        }
    }

    /// Holds `card` in memory while the budget allows, else writes it to
    /// the file.
    fn store(&self, card: String) -> Result<Card> {
        let len = card.len();
        let before = self.held.fetch_add(len, Ordering::Relaxed);
        if before + len <= self.budget {
            return Ok(Card::Held(Value::from(card)));
        }
        self.held.fetch_sub(len, Ordering::Relaxed);
        let offset = self.end.fetch_add(len as u64, Ordering::Relaxed);
        self.file()?
            .write_all_at(card.as_bytes(), offset)
            .map_err(spill_error)?;
        Ok(Card::Spilled { offset, len })
    }

    /// Returns the budget a held card took that was not kept.
    fn give_back(&self, card: &Value) {
        let len = card.as_str().map_or(0, str::len);
        self.held.fetch_sub(len, Ordering::Relaxed);
    }

    fn read(&self, offset: u64, len: usize) -> Result<Value> {
        let mut bytes = vec![0; len];
        self.file()?
            .read_exact_at(&mut bytes, offset)
            .map_err(spill_error)?;
        // The file holds only what `store` wrote from strings; a card cut
        // or changed on disk is an error, not a page.
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| Error::Other(format!("a card read back from its temporary file: {e}")))?;
        Ok(Value::from(text))
    }

    fn file(&self) -> Result<&File> {
        match self.file.get_or_init(tempfile::tempfile) {
            Ok(file) => Ok(file),
            Err(e) => Err(Error::Other(format!("a temporary file for the cards: {e}"))),
        }
    }
}

fn spill_error(e: std::io::Error) -> Error {
    Error::Other(format!("the temporary file of the cards: {e}"))
}

#[cfg(test)]
mod tests;
