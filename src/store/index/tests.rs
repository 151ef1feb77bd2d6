//! Unit tests of `index.rs`: the stub keeps what the selection reads, the
//! index file round-trips, and anything doubtful leaves a file unindexed.
//! (Builds that use the index: tests/it/incremental.rs and
//! tests/it/non_publication.rs.)

use std::time::{SystemTime, UNIX_EPOCH};

use super::*;
use crate::config::{PublishedVisibility, Replies, Select};
use crate::model::{Author, ReplyRef, Tag, Visibility};
use crate::overrides::Overrides;
use crate::select::select_with;

fn toot(n: u32, visibility: Visibility) -> Toot {
    let mut toot = Toot::empty(
        format!("{}", 110_000 + n),
        format!("https://s.example/s/{n}"),
        format!("2026-01-{:02}T10:00:00Z", 1 + n % 28)
            .parse()
            .unwrap(),
        visibility,
    );
    toot.content = format!("<p>Toot {n}</p>");
    toot.url = Some(format!("https://s.example/@a/{n}"));
    toot.spoiler_text = if n.is_multiple_of(7) {
        "CW".into()
    } else {
        String::new()
    };
    toot
}

/// Toots of every kind the selection tells apart: each visibility, replies
/// to the account's own toots and to others, boosts of public and private
/// posts, tags in any case, languages, dates, pins and edits.
fn every_kind() -> Vec<Toot> {
    let visibilities = [
        Visibility::Public,
        Visibility::Unlisted,
        Visibility::Private,
        Visibility::Direct,
    ];
    let mut out = Vec::new();
    for n in 0..48u32 {
        let mut t = toot(n, visibilities[(n % 4) as usize]);
        t.language = [None, Some("de".into()), Some("EN".into())][(n % 3) as usize].clone();
        t.pinned = n.is_multiple_of(5);
        if n % 6 == 1 {
            t.edited_at = Some("2026-02-01T08:00:00Z".parse().unwrap());
        }
        t.tags = match n % 4 {
            0 => vec![],
            1 => vec![Tag { name: "Amt".into() }],
            2 => vec![Tag { name: "aMT".into() }, Tag { name: "Bau".into() }],
            _ => vec![
                Tag {
                    name: "ÜberAll".into(),
                },
                Tag { name: "a/b".into() },
            ],
        };
        match n % 8 {
            3 => {
                // A reply to the toot before (a thread of the account).
                t.in_reply_to = Some(Box::new(ReplyRef {
                    id: format!("{}", 110_000 + n - 1),
                    account_id: Some("42".into()),
                    url: None,
                }));
            }
            5 => {
                t.in_reply_to = Some(Box::new(ReplyRef {
                    id: "999".into(),
                    account_id: Some("77".into()),
                    url: None,
                }));
            }
            6 | 7 => {
                let mut inner = toot(n + 100, visibilities[(n % 2) as usize * 2]);
                inner.tags = vec![Tag { name: "Bau".into() }];
                inner.language = Some("fr".into());
                inner.edited_at = Some("2026-03-01T08:00:00Z".parse().unwrap());
                t.content = String::new();
                t.reblog = Some(Box::new(SharedToot {
                    author: Author {
                        acct: "b@o.example".into(),
                        display_name: "B".into(),
                        url: "https://o.example/@b".into(),
                        avatar: Some("b/avatar.png".into()),
                        emojis: vec![],
                    },
                    toot: inner,
                }));
            }
            _ => {}
        }
        out.push(t);
    }
    out
}

fn account(toots: Vec<Toot>) -> crate::model::AccountData {
    let mut state = crate::model::AccountState::new("@a@s.example");
    state.id = Some("42".into());
    crate::model::AccountData {
        handle: crate::config::Handle::try_from("@a@s.example".to_string()).unwrap(),
        state,
        toots,
    }
}

fn configs() -> Vec<Select> {
    let mut out = vec![Select::default()];
    for replies in [Replies::None, Replies::OwnThreads, Replies::All] {
        out.push(Select {
            replies,
            boosts: true,
            visibility: vec![
                PublishedVisibility(Visibility::Public),
                PublishedVisibility(Visibility::Unlisted),
            ],
            ..Select::default()
        });
    }
    out.push(Select {
        include_tags: vec!["amt".into()],
        exclude_tags: vec!["BAU".into()],
        boosts: true,
        ..Select::default()
    });
    out.push(Select {
        since: Some("2026-01-10".parse().unwrap()),
        languages: vec!["de".into(), "fr".into()],
        boosts: true,
        ..Select::default()
    });
    out
}

/// What the selection made, by toot id.
fn outcome(selection: &crate::select::Selection<'_>) -> String {
    let id = |i: &usize| selection.entries[*i].toot.id.clone();
    let ids = |list: &[usize]| list.iter().map(id).collect::<Vec<_>>();
    let mut threads: Vec<_> = selection
        .threads
        .iter()
        .map(|(root, parts)| (id(root), ids(parts)))
        .collect();
    threads.sort();
    let tags: Vec<_> = selection
        .tags
        .iter()
        .map(|(slug, (name, list))| (slug.clone(), name.clone(), ids(list)))
        .collect();
    let dates: Vec<_> = selection
        .entries
        .iter()
        .map(|e| (e.toot.created_at, e.shown().edited_at))
        .collect();
    format!(
        "{:?}\n{:?}\n{threads:?}\n{tags:?}\n{:?}\n{:?}\n{dates:?}",
        ids(&(0..selection.entries.len()).collect::<Vec<_>>()),
        ids(&selection.listed),
        selection.skipped,
        ids(&selection.pinned),
    )
}

#[test]
fn the_stubs_select_as_the_toots_do() {
    let toots = every_kind();
    let full = [account(toots.clone())];
    let stubs = [account(toots.iter().map(stub).collect())];
    assert!(stubs[0].toots.iter().all(is_stub));
    let mut overrides = Overrides::default();
    overrides.hide.insert("110004".into());
    overrides.pin = vec!["110008".into(), "110016".into()];
    for select in configs() {
        for overrides in [Overrides::default(), overrides.clone()] {
            let want = outcome(&select_with(&select, &full, &overrides));
            let got = outcome(&select_with(&select, &stubs, &overrides));
            assert_eq!(got, want, "{select:?}");
        }
    }
}

#[test]
fn a_stub_holds_none_of_what_only_a_view_shows() {
    let mut t = every_kind().remove(6);
    t.sensitive = true;
    let s = stub(&t);
    let inner = &s.reblog.as_ref().unwrap().toot;
    for part in [&s, inner] {
        assert!(part.content.is_empty() && part.spoiler_text.is_empty());
        assert!(part.url.is_none() && part.card.is_none() && part.poll.is_none());
        assert!(part.emojis.is_empty() && part.mentions.is_empty() && part.quote.is_none());
        assert!(is_stub(part));
    }
    // A stored toot never has schema 0: a stub cannot pass for one.
    assert!(!is_stub(&t));
    assert!(crate::store::check_schema(0, Path::new("x.json")).is_err());
}

fn identity(n: u64) -> Identity {
    Identity {
        size: 100 + n,
        mtime: 1_700_000_000_000_000_000 + n as i64,
        ctime: 1_700_000_000_000_000_000 + n as i64,
        ino: 1000 + n,
        dev: 5,
    }
}

fn digest(t: &Toot) -> [u8; 16] {
    [t.id.len() as u8; 16]
}

/// Writes an index of `toots` (each at its identity) and reads it back.
fn round_trip(toots: &[(Toot, Identity)], now: SystemTime) -> (tempfile::TempDir, TootIndex) {
    let dir = tempfile::tempdir().unwrap();
    let accounts = [account(toots.iter().map(|(t, _)| t.clone()).collect())];
    let known = toots
        .iter()
        .map(|(t, identity)| Known {
            digest: digest(t),
            stub_media: Vec::new(),
            entry: Some(Entry::Read(*identity)),
        })
        .collect();
    let known = KnownToots::new(&accounts, vec![known]);
    write(
        dir.path(),
        &OldLines::default(),
        &accounts,
        &known,
        &|_| true,
        now,
    )
    .unwrap()
    .expect("an index with a header")
    .put_in_place()
    .unwrap();
    let index = TootIndex::load(dir.path());
    (dir, index)
}

#[test]
fn an_index_gives_back_each_stub_and_its_facts_while_the_identity_holds() {
    let toots: Vec<(Toot, Identity)> = every_kind()
        .into_iter()
        .enumerate()
        .map(|(n, t)| (t, identity(n as u64)))
        .collect();
    let (dir, index) = round_trip(&toots, SystemTime::now());
    for (t, id) in &toots {
        let rel = relative("s.example", "a", &t.id);
        let recorded = index.get(&rel, id).expect("recorded");
        let (got, known) = index.stub_of(recorded).unwrap();
        assert_eq!(got, stub(t));
        assert_eq!(known.digest, digest(t));
        assert_eq!(known.stub_media, media_paths(t));
        assert_eq!(*known.media(&got), media_paths(t));
        // Any part of the identity changed: not used.
        for changed in [
            Identity {
                size: id.size + 1,
                ..*id
            },
            Identity {
                mtime: id.mtime + 1,
                ..*id
            },
            Identity {
                ctime: id.ctime + 1,
                ..*id
            },
            Identity {
                ino: id.ino + 1,
                ..*id
            },
            Identity {
                dev: id.dev + 1,
                ..*id
            },
        ] {
            assert!(index.get(&rel, &changed).is_none());
        }
    }
    assert!(index.get("s.example/a/1.json", &identity(0)).is_none());
    // A copied line is written again byte for byte.
    let first = relative("s.example", "a", &toots[0].0.id);
    let (stub0, kept) = index
        .stub_of(index.get(&first, &toots[0].1).unwrap())
        .unwrap();
    let accounts = [account(vec![stub0])];
    let known = vec![vec![kept]];
    let lines = index.into_lines(&known);
    let known = KnownToots::new(&accounts, known);
    let again = tempfile::tempdir().unwrap();
    write(
        again.path(),
        &lines,
        &accounts,
        &known,
        &|_| true,
        SystemTime::now(),
    )
    .unwrap()
    .expect("an index with a header")
    .put_in_place()
    .unwrap();
    let text = std::fs::read_to_string(again.path().join(FILE)).unwrap();
    let old = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
    let line = text.lines().nth(1).unwrap();
    assert!(old.lines().any(|l| l == line));
}

#[test]
fn a_file_changed_within_the_margin_is_not_recorded() {
    let now = SystemTime::now();
    let nanos = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_nanos() as i64;
    let recent = nanos(now - MARGIN) + 1;
    let old = nanos(now - MARGIN) - 1;
    let toots = every_kind();
    let cases = [(old, old, true), (recent, old, false), (old, recent, false)];
    for (mtime, ctime, recorded) in cases {
        let id = Identity {
            mtime,
            ctime,
            ..identity(1)
        };
        let (_dir, index) = round_trip(&[(toots[0].clone(), id)], now);
        let rel = relative("s.example", "a", &toots[0].id);
        assert_eq!(index.get(&rel, &id).is_some(), recorded, "{mtime} {ctime}");
    }
}

#[test]
fn a_damaged_index_or_one_of_another_binary_is_not_used() {
    let toots: Vec<(Toot, Identity)> = every_kind()
        .into_iter()
        .take(3)
        .enumerate()
        .map(|(n, t)| (t, identity(n as u64)))
        .collect();
    let (dir, index) = round_trip(&toots, SystemTime::now());
    assert_eq!(index.files.len(), 3);
    let path = dir.path().join(FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    // Another binary's header, or none: nothing is used.
    for bad in [
        text.replacen("tootbridge toot index 1", "tootbridge toot index 0", 1),
        text.replacen(env!("CARGO_PKG_VERSION"), "0.0.0-other", 1),
        String::new(),
    ] {
        std::fs::write(&path, &bad).unwrap();
        assert!(TootIndex::load(dir.path()).files.is_empty(), "{bad:.80}");
    }
    // A damaged line is left out (its file is read); the others are used.
    for (bad, left) in [
        (text.replacen("\t", " ", 1), 2),
        (format!("{text}garbage\n"), 3),
        (text.replacen(" 5\t", " x\t", 1), 2),
        (text.replacen(" 5\t", " 5 6\t", 1), 2),
        (text.replacen(" 5\t", " -5\t", 1), 2),
    ] {
        std::fs::write(&path, &bad).unwrap();
        assert_eq!(TootIndex::load(dir.path()).files.len(), left, "{bad:.200}");
    }
    // Inodes and devices use all 64 bits (FUSE, overlayfs).
    let wide = Identity {
        ino: u64::MAX,
        dev: 1 << 63,
        ..identity(9)
    };
    let (_wide_dir, wide_index) = round_trip(&[(toots[0].0.clone(), wide)], SystemTime::now());
    let rel = relative("s.example", "a", &toots[0].0.id);
    assert!(wide_index.get(&rel, &wide).is_some());
    // A line whose stub is damaged is found, but gives no stub: the file is
    // read instead.
    let broken = text.replacen("\"stub\":{", "\"stub\":{\"x\":1,", 1);
    std::fs::write(&path, broken).unwrap();
    let index = TootIndex::load(dir.path());
    let stubs = toots
        .iter()
        .filter_map(|(t, id)| index.get(&relative("s.example", "a", &t.id), id))
        .filter(|r| index.stub_of(r).is_some())
        .count();
    assert_eq!(stubs, 2);
}

#[test]
fn a_full_toot_that_no_longer_matches_its_stub_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let t = every_kind().remove(1);
    let path = dir.path().join(format!("{}.json", t.id));
    std::fs::write(&path, serde_json::to_vec(&t).unwrap()).unwrap();
    assert_eq!(load_full(&path, &stub(&t)).unwrap(), t);
    // The selection saw it public; the file now says private.
    let mut changed = t.clone();
    changed.visibility = Visibility::Private;
    std::fs::write(&path, serde_json::to_vec(&changed).unwrap()).unwrap();
    let err = load_full(&path, &stub(&t)).unwrap_err().to_string();
    assert!(err.contains("changed while the site was built"), "{err}");
}

/// `build` may keep a toot it read as its stub (`store/load.rs`,
/// `stub_read`): the index it writes must be the one the whole toots give,
/// byte for byte, attachments and their previews included.
#[test]
fn a_toot_kept_as_its_stub_after_its_read_is_indexed_as_the_whole_toot() {
    let mut toots = every_kind();
    let mut with_media = toot(60, Visibility::Public);
    with_media.media = vec![Media {
        id: "m1".into(),
        kind: crate::model::MediaKind::Image,
        remote_url: "https://s.example/m1.png".into(),
        preview_remote_url: Some("https://s.example/m1s.png".into()),
        file: Some("s.example/m1.png".into()),
        preview_file: Some("s.example/m1s.png".into()),
        preview_width: None,
        mime: None,
        size: None,
        description: Some("Bild".into()),
        width: None,
        height: None,
        duration: None,
        blurhash: None,
        focus: None,
    }];
    toots.push(with_media);
    let index_of = |stubbed: bool| {
        let dir = tempfile::tempdir().unwrap();
        let loaded = toots
            .iter()
            .map(|t| if stubbed { stub(t) } else { t.clone() })
            .collect();
        let accounts = [account(loaded)];
        let known = toots
            .iter()
            .enumerate()
            .map(|(n, t)| Known {
                digest: digest(t),
                stub_media: if stubbed { media_paths(t) } else { Vec::new() },
                entry: Some(Entry::Read(identity(n as u64))),
            })
            .collect();
        let known = KnownToots::new(&accounts, vec![known]);
        let staged = write(
            dir.path(),
            &OldLines::default(),
            &accounts,
            &known,
            &|_| true,
            SystemTime::now(),
        );
        staged.unwrap().unwrap().put_in_place().unwrap();
        std::fs::read(dir.path().join(FILE)).unwrap()
    };
    let whole = index_of(false);
    assert_eq!(
        String::from_utf8_lossy(&whole).lines().count(),
        toots.len() + 1
    );
    assert!(String::from_utf8_lossy(&whole).contains("s.example/m1s.png"));
    assert!(index_of(true) == whole, "a stub read is indexed otherwise");
}
