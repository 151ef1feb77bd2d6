//! Crash safety: `tootbridge sync` and `tootbridge build` killed with SIGKILL
//! at random points, 50 times each. After every kill the store loads, every
//! store file is complete, and every output file is byte for byte its old or
//! its new version; the next complete run leaves no torn temporary file.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::fake_instance::image;
use crate::fake_instance::status;
use crate::support::{example_site, read_tree};
use crate::sync_support::{account, instance_with, site, storable_ids, stored_ids};

const KILLS: usize = 50;

/// A small xorshift generator: reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn new() -> Self {
        let seed = std::env::var("TOOTBRIDGE_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("crash test seed: TOOTBRIDGE_CRASH_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Runs the binary with `args`, killing it after `after` unless it ends
/// first; returns how long it took when it ended by itself.
fn run_and_kill(args: &[&str], after: Duration) -> Option<Duration> {
    let mut child = crate::support::command()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    while start.elapsed() < after {
        if child.try_wait().unwrap().is_some() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

/// Kill windows follow the runs: a run that ends before its kill narrows
/// the window to its own length, so later kills land inside the work.
struct Killer {
    rng: Rng,
    window: Duration,
    pub killed: usize,
    pub rounds: usize,
    /// Kills that left a torn temporary file: they hit a write.
    pub torn: usize,
}

impl Killer {
    fn new(window: Duration) -> Self {
        Killer {
            rng: Rng::new(),
            window,
            killed: 0,
            rounds: 0,
            torn: 0,
        }
    }

    fn done(&self) -> bool {
        self.killed >= KILLS || self.rounds >= 4 * KILLS
    }

    fn run(&mut self, args: &[&str]) {
        self.rounds += 1;
        let after = Duration::from_micros(self.rng.below(self.window.as_micros() as u64 + 1));
        match run_and_kill(args, after) {
            Some(took) => self.window = took,
            None => self.killed += 1,
        }
    }
}

fn timed(args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = crate::support::command()
        .args(args)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{args:?}");
    start.elapsed()
}

fn is_temp(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|n| n.starts_with('.') && n.contains(".tmp-"))
}

/// Every toot and state file loads; the whole store loads as a site.
fn assert_store_loads(root: &Path) {
    for (path, _) in read_tree(&root.join("content/toots")) {
        if !is_temp(&path) {
            tootbridge::store::load_toot(&root.join("content/toots").join(&path))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    tootbridge::check(root).expect("the store loads after a kill");
}

#[test]
fn sync_killed_at_random_points_leaves_a_loadable_store() {
    let fake = instance_with(120);
    let dir = site(&account("@news@social.example", &fake), "");
    let root = dir.path().to_str().unwrap().to_string();
    let args = ["sync", "--root", root.as_str()];
    let full = timed(&args);
    let mut killer = Killer::new(full);
    let mut next = 1_000u64;
    while !killer.done() {
        {
            // New toots with new images every round, so there is work to cut.
            let mut w = fake.world();
            for _ in 0..8 {
                next += 1;
                let mut s = status(&fake.url, "news", next, "public");
                let name = format!("pic{next}.png");
                s["media_attachments"] = json!([image(&fake.url, &next.to_string(), &name)]);
                let mut png = crate::sync_support::TINY_PNG.to_vec();
                png.extend(next.to_le_bytes());
                w.files
                    .insert(format!("/media/{name}"), ("image/png".into(), png));
                w.statuses.insert(0, s);
            }
            if killer.rounds.is_multiple_of(5) {
                w.statuses.remove(10);
            }
        }
        killer.run(&args);
        let tree = read_tree(&dir.path().join("content"));
        killer.torn += usize::from(tree.iter().any(|(p, _)| is_temp(p)));
        assert_store_loads(dir.path());
    }
    eprintln!(
        "sync: {} of {} runs killed, {} mid-write (a first sync took {full:?})",
        killer.killed, killer.rounds, killer.torn
    );
    assert!(
        killer.killed >= KILLS,
        "too few runs were killed: {}",
        killer.killed
    );
    // One complete run converges and leaves no torn temporary file.
    assert!(crate::support::command()
        .args(["sync", "--full", "--root", &root])
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success());
    assert_eq!(stored_ids(dir.path()), storable_ids(&fake));
    let tree = read_tree(&dir.path().join("content"));
    assert!(
        !tree.iter().any(|(p, _)| is_temp(p)),
        "a temporary file survived"
    );
}

#[test]
fn build_killed_at_random_points_leaves_old_or_new_files() {
    let old = example_site();
    let new = example_site();
    // The new version differs on every page (title) and drops some toots.
    let toml = new.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text = text.replacen("title = \"", "title = \"Neu: ", 1);
    std::fs::write(&toml, text).unwrap();
    let toots = new.path().join("content/toots/social.example/news");
    let mut names: Vec<_> = std::fs::read_dir(&toots)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names.iter().step_by(5) {
        std::fs::remove_file(path).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let version = |site: &Path| -> BTreeMap<String, Vec<u8>> {
        let o = tempfile::tempdir().unwrap();
        let args = [
            "build",
            "--root",
            site.to_str().unwrap(),
            "--output",
            o.path().to_str().unwrap(),
        ];
        timed(&args);
        read_tree(o.path())
            .into_iter()
            .filter(|(p, _)| p != ".tootbridge-manifest")
            .collect()
    };
    let (files_old, files_new) = (version(old.path()), version(new.path()));
    assert_ne!(files_old, files_new);
    let out_str = out.path().to_str().unwrap().to_string();
    let args_of = |site: &Path| {
        vec![
            "build".to_string(),
            "--root".into(),
            site.to_str().unwrap().into(),
            "--output".into(),
            out_str.clone(),
        ]
    };
    let full = {
        let args = args_of(new.path());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        timed(&args)
    };
    let mut killer = Killer::new(full);
    while !killer.done() {
        let round = killer.rounds;
        let site = if round.is_multiple_of(2) {
            old.path()
        } else {
            new.path()
        };
        let args = args_of(site);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        killer.run(&args);
        let tree = read_tree(out.path());
        killer.torn += usize::from(tree.iter().any(|(p, _)| is_temp(p)));
        for (path, bytes) in tree {
            // Bookkeeping, not published content: the manifest, and the mark
            // a build killed while staging leaves (the next build removes it).
            if is_temp(&path) || path == ".tootbridge-manifest" || path == ".tootbridge-staging" {
                continue;
            }
            let fits = files_old.get(&path) == Some(&bytes) || files_new.get(&path) == Some(&bytes);
            assert!(
                fits,
                "round {round}: {path} is neither its old nor its new version ({} bytes)",
                bytes.len()
            );
        }
    }
    eprintln!(
        "build: {} of {} runs killed, {} mid-write (a full build took {full:?})",
        killer.killed, killer.rounds, killer.torn
    );
    assert!(
        killer.killed >= KILLS,
        "too few runs were killed: {}",
        killer.killed
    );
    let args = args_of(new.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    timed(&args);
    let tree: BTreeMap<String, Vec<u8>> = read_tree(out.path())
        .into_iter()
        .filter(|(p, _)| p != ".tootbridge-manifest")
        .collect();
    assert_eq!(
        tree.keys().collect::<Vec<_>>(),
        files_new.keys().collect::<Vec<_>>()
    );
    assert_eq!(tree, files_new);
}
