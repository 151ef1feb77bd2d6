//! Unit tests of `cards.rs`: the spill file under a tiny budget, many
//! threads adding and reading at once, and the cards of the repository's
//! example site, held or spilled, byte for byte the same.

use std::collections::HashSet;
use std::path::Path;

use super::*;

/// A card of `i`: distinct lengths and multi-byte text, so a card read from
/// another one's place cannot pass.
fn text(i: usize) -> String {
    format!("<article id=\"{i}\">{}</article>", "ä€x".repeat(i % 37))
}

fn read(spill: &Spill, card: &Card) -> String {
    let value = match card {
        Card::Held(value) => value.clone(),
        &Card::Spilled { offset, len } => spill.read(offset, len).unwrap(),
    };
    value.as_str().unwrap().to_string()
}

#[test]
fn cards_are_held_until_the_budget_is_used_then_spilled() {
    let budget = text(0).len() + text(1).len();
    let spill = Spill::new(budget);
    let cards: Vec<Card> = (0..6).map(|i| spill.store(text(i)).unwrap()).collect();
    let held: Vec<bool> = cards.iter().map(|c| matches!(c, Card::Held(_))).collect();
    assert_eq!(held, [true, true, false, false, false, false]);
    for (i, card) in cards.iter().enumerate() {
        assert_eq!(read(&spill, card), text(i));
    }
    // Read again, in reverse: places, not a cursor.
    for (i, card) in cards.iter().enumerate().rev() {
        assert_eq!(read(&spill, card), text(i));
    }
}

#[test]
fn a_budget_of_nothing_spills_every_card_and_none_needs_a_file_otherwise() {
    let spill = Spill::new(0);
    let card = spill.store(text(5)).unwrap();
    assert!(matches!(card, Card::Spilled { offset: 0, .. }));
    assert_eq!(read(&spill, &card), text(5));
    let roomy = Spill::new(1 << 20);
    assert!(matches!(roomy.store(text(5)).unwrap(), Card::Held(_)));
    assert!(roomy.file.get().is_none(), "no spill file without a spill");
}

#[test]
fn a_held_card_given_back_frees_its_budget() {
    let spill = Spill::new(text(3).len());
    let Card::Held(value) = spill.store(text(3)).unwrap() else {
        panic!("fits the budget");
    };
    assert!(matches!(
        spill.store(text(3)).unwrap(),
        Card::Spilled { .. }
    ));
    spill.give_back(&value);
    assert!(matches!(spill.store(text(3)).unwrap(), Card::Held(_)));
}

#[test]
fn many_threads_store_and_read_cards_at_once() {
    // About half the cards fit: both paths run in every thread.
    let total: usize = (0..800).map(|i| text(i).len()).sum();
    let spill = Spill::new(total / 2);
    let cells: Vec<OnceLock<Card>> = (0..800).map(|_| OnceLock::new()).collect();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (spill, cells) = (&spill, &cells);
            scope.spawn(move || {
                // Each thread stores its share and reads every card stored
                // so far, by any thread.
                for i in (t..800).step_by(8) {
                    let _ = cells[i].set(spill.store(text(i)).unwrap());
                    for (j, cell) in cells.iter().enumerate().take(i + 1) {
                        if let Some(card) = cell.get() {
                            assert_eq!(read(spill, card), text(j));
                        }
                    }
                }
            });
        }
    });
    let kinds: HashSet<bool> = cells
        .iter()
        .map(|c| matches!(c.get().unwrap(), Card::Held(_)))
        .collect();
    assert_eq!(kinds.len(), 2, "some cards held, some spilled");
    for (i, cell) in cells.iter().enumerate() {
        assert_eq!(read(&spill, cell.get().unwrap()), text(i));
    }
}

#[test]
fn the_example_sites_cards_are_the_same_held_or_spilled_from_any_thread() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prepared = crate::Prepared::load(root, &Default::default()).unwrap();
    let selection = prepared.select();
    let site = prepared.site(prepared.config.base_url.trimmed());
    let toots = Toots::new(
        &selection,
        &site,
        &prepared.overrides,
        (None, prepared.store.content_dir()),
        false,
        &HashSet::new(),
    );
    assert!(toots.len() > 5, "{} toots", toots.len());
    let values = crate::render::base_context(&prepared.config, &site.base, &prepared.theme);
    let base = crate::render::tera_context(&values);
    let key = Key::default();
    let cards = |budget| Cards::new(&prepared.theme, &base, &toots, &key, budget);
    let (held, spilled, half) = (cards(usize::MAX / 2), cards(0), cards(4000));
    // Half of the cards added from views, as the toots' pages do; the
    // others are rendered when first read.
    for i in (0..toots.len()).step_by(2) {
        let view = Value::from_serializable(&toots.make(i).unwrap());
        for c in [&held, &spilled, &half] {
            c.add(i, &view).unwrap();
        }
    }
    let direct: Vec<String> = (0..toots.len())
        .map(|i| {
            let mut ctx = base.clone();
            ctx.insert("toot", &toots.make(i).unwrap());
            ctx.insert("heading", "h2");
            prepared.theme.render("partials/toot.html", &ctx).unwrap()
        })
        .collect();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (held, spilled, half, direct) = (&held, &spilled, &half, &direct);
            scope.spawn(move || {
                for k in 0..direct.len() {
                    let i = (k * 7 + t) % direct.len();
                    for c in [held, spilled, half] {
                        assert_eq!(c.get(i).unwrap().as_str(), Some(direct[i].as_str()));
                    }
                }
            });
        }
    });
    assert!(direct.iter().all(|card| card.contains("<article")));
    assert!(matches!(spilled.cells[0].get(), Some(Card::Spilled { .. })));
    assert!(matches!(held.cells[0].get(), Some(Card::Held(_))));
}

#[test]
fn only_a_small_site_holds_cards_in_memory() {
    assert!(held_budget(1) >= 16 << 20);
    assert_eq!(held_budget(HELD_TOOTS), held_budget(1));
    assert_eq!(held_budget(HELD_TOOTS + 1), 0);
    assert_eq!(held_budget(50_000), 0);
}
