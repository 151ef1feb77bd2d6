//! Unit tests of `merge.rs`.

use super::*;
use crate::model::{Media, Visibility};

fn toot(id: &str) -> Toot {
    Toot {
        content: format!("<p>{id}</p>"),
        ..Toot::empty(
            id.into(),
            format!("https://s.example/users/a/statuses/{id}"),
            "2026-01-01T00:00:00Z".parse().unwrap(),
            Visibility::Public,
        )
    }
}

#[test]
fn added_edited_refreshed_deleted() {
    let stored = vec![toot("30"), toot("20"), toot("10")];
    let mut edited = toot("20");
    edited.edited_at = Some("2026-02-01T00:00:00Z".parse().unwrap());
    edited.content = "<p>new</p>".into();
    let mut pinned = toot("10");
    pinned.pinned = true;
    let fetched = vec![toot("40"), toot("30"), edited, pinned];
    let plan = merge(&stored, &fetched, &["5".into(), "30".into()]);
    let kinds: Vec<_> = plan
        .writes
        .iter()
        .map(|(t, k)| (t.id.as_str(), *k))
        .collect();
    assert_eq!(
        kinds,
        [
            ("40", Some(ChangeKind::Added)),
            ("20", Some(ChangeKind::Edited)),
            ("10", None)
        ]
    );
    // "5" was never stored; "30" was just fetched, so it is not gone.
    assert!(plan.deletes.is_empty());
    let plan = merge(&stored, &[], &["30".into()]);
    assert_eq!(plan.deletes, ["30"]);
    assert_eq!(plan.count(ChangeKind::Deleted), 1);
}

#[test]
fn unchanged_fetch_plans_nothing() {
    let stored = vec![toot("2"), toot("1")];
    let plan = merge(&stored, &stored.clone(), &[]);
    assert!(plan.writes.is_empty() && plan.deletes.is_empty());
}

#[test]
fn candidates_are_missing_ids_inside_the_window() {
    let stored: Vec<Toot> = ["50", "40", "30", "20", "10"]
        .iter()
        .map(|i| toot(i))
        .collect();
    let window = |ids: &[&str], stored: &[Toot]| {
        let mut window = Window::default();
        for id in ids {
            window.list(id, stored.iter().any(|t| t.id == *id));
        }
        window
    };
    let listed = window(&["45", "40", "20"], &stored);
    assert_eq!(listed.stored_listed.len(), 2, "only stored ids are kept");
    assert_eq!((listed.newest.as_deref(), listed.count), (Some("45"), 3));
    assert_eq!(deletion_candidates(&stored, &listed, false), ["50", "30"]);
    assert_eq!(
        deletion_candidates(&stored, &listed, true),
        ["50", "30", "10"]
    );
    assert!(deletion_candidates(&stored, &Window::default(), true).is_empty());
    // Ids compare by length first: "9" is older than "10".
    let stored = vec![toot("9")];
    assert!(deletion_candidates(&stored, &window(&["10"], &stored), false).is_empty());
    assert_eq!(window(&["9", "10", "8"], &[]).newest.as_deref(), Some("10"));
}

#[test]
fn mirrored_files_survive_a_refetch() {
    let media = |file: Option<&str>, url: &str| Media {
        remote_url: url.into(),
        mime: file.map(|_| "image/png".into()),
        size: file.map(|_| 3),
        ..archive::media("m1", file, None)
    };
    let mut old = toot("1");
    old.media
        .push(media(Some("h/u/abc.png"), "https://s/a.png"));
    let mut new = toot("1");
    new.media.push(media(None, "https://s/a.png"));
    carry_over(&mut new, &old, Gaps::NONE);
    assert_eq!(new, old);
    let mut changed = toot("1");
    changed.media.push(media(None, "https://s/b.png"));
    carry_over(&mut changed, &old, Gaps::NONE);
    assert_eq!(changed.media[0].file, None);
}

/// The rules as an import from an archive meets them.
mod archive;
