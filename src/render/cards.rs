//! Each toot's card: its `<article>` as lists show it (`partials/toot.html`
//! with `heading = "h2"`), rendered once and shared by every list page that
//! shows the toot (the home page, its tags, its month).
//!
//! Cards are written to an unnamed temporary file as they are rendered and
//! read back for each list page, so a build holds the position of each card,
//! not 50,000 cards (a few KB each). The file is gone when the render ends,
//! whatever happens.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, OnceLock};

use tera::Context;

use super::keys::{Key, KeyHasher};
use super::theme::Theme;
use super::toots::Toots;
use super::view::TootView;
use crate::error::{Error, Result};

pub(super) struct Cards<'a> {
    theme: &'a Theme,
    base_context: &'a Context,
    toots: &'a Toots<'a>,
    /// Where each rendered card is in `file` (offset, length).
    cells: Vec<OnceLock<(u64, usize)>>,
    file: Mutex<File>,
    /// Each card's key (empty when the sink takes no keys).
    pub(super) keys: Vec<Key>,
}

impl<'a> Cards<'a> {
    pub(super) fn new(
        theme: &'a Theme,
        base_context: &'a Context,
        toots: &'a Toots<'a>,
        base_key: &Key,
    ) -> Result<Cards<'a>> {
        let file = tempfile::tempfile()
            .map_err(|e| Error::Other(format!("a temporary file for the cards: {e}")))?;
        Ok(Cards {
            theme,
            base_context,
            toots,
            cells: (0..toots.len()).map(|_| OnceLock::new()).collect(),
            file: Mutex::new(file),
            keys: toots
                .keys
                .iter()
                .map(|toot| KeyHasher::new("card").bytes(base_key).bytes(toot).key())
                .collect(),
        })
    }

    /// Renders the card of toot `i` from `view` unless it is rendered already.
    pub(super) fn add(&self, i: usize, view: &TootView) -> Result<()> {
        if self.cells[i].get().is_some() {
            return Ok(());
        }
        let card = self.render(view)?;
        self.store(i, &card)
    }

    /// The card of toot `i`, rendered now if no page did yet.
    pub(super) fn get(&self, i: usize) -> Result<String> {
        if self.cells[i].get().is_none() {
            let card = self.render(&self.toots.make(i))?;
            self.store(i, &card)?;
        }
        let &(offset, len) = self.cells[i].get().expect("stored above");
        let mut bytes = vec![0; len];
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut bytes))
            .map_err(spill_error)?;
        drop(file);
        String::from_utf8(bytes).map_err(|e| Error::Other(format!("a card read back: {e}")))
    }

    fn render(&self, view: &TootView) -> Result<String> {
        let mut ctx = self.base_context.clone();
        ctx.insert("toot", view);
        ctx.insert("heading", "h2");
        self.theme.render("partials/toot.html", &ctx)
    }

    fn store(&self, i: usize, card: &str) -> Result<()> {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        // Two lists may render the same card at once; the first stored wins.
        if self.cells[i].get().is_some() {
            return Ok(());
        }
        let offset = file.seek(SeekFrom::End(0)).map_err(spill_error)?;
        file.write_all(card.as_bytes()).map_err(spill_error)?;
        let _ = self.cells[i].set((offset, card.len()));
        Ok(())
    }
}

fn spill_error(e: std::io::Error) -> Error {
    Error::Other(format!("the temporary file of the cards: {e}"))
}
