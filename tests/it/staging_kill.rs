//! SIGKILL while `tootbridge build` stages, with the real binary on a
//! 1,000-toot store: a build into a new output folder leaves nothing at the
//! output's place (only its sibling folder), a rebuild of an existing one
//! leaves its files old and its temporary files beside them with the
//! staging mark; in both cases the next build removes every leftover and
//! publishes exactly what a clean build does.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{bin, read_tree, tootbridge};

const MARK: &str = ".tootbridge-staging";

/// Leftovers of a killed build below `dir`: temporary files and sibling
/// folders of a new output folder.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.starts_with('.') && (name.contains(".tmp-") || name.contains(".tootbridge-new-"))
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn build(root: &Path) -> Child {
    Command::new(bin())
        .args(["--root", root.to_str().unwrap(), "build"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs")
}

/// Kills `child` with SIGKILL once `ready` holds.
fn kill_when(mut child: Child, ready: impl Fn() -> bool) {
    let start = Instant::now();
    while !ready() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build ended ({status}) before it could be killed");
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no staging seen"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

fn built(root: &Path) -> Vec<(String, Vec<u8>)> {
    let done = tootbridge(&["--root", root.to_str().unwrap(), "build"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    read_tree(&root.join("public"))
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".tootbridge-"))
        .collect()
}

#[test]
fn leftovers_of_killed_builds_are_removed_by_the_next_build() {
    let site = tempfile::tempdir().unwrap();
    crate::gen::generate(site.path(), 1000, 7, 1).expect("the generator writes a store");
    let root = site.path();
    let out = root.join("public");

    // A first build, killed once its new folder holds toot pages.
    let sibling_with_pages = || {
        std::fs::read_dir(root).unwrap().flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".public.tootbridge-new-")
                && e.path().join("toots").is_dir()
        })
    };
    kill_when(build(root), sibling_with_pages);
    assert!(!out.exists(), "nothing is at the output's place");
    assert_eq!(
        leftovers(root)
            .iter()
            .filter(|p| p.parent() == Some(root))
            .count(),
        1
    );
    let clean = built(root);
    assert!(clean.len() > 1000, "{} files", clean.len());
    assert_eq!(leftovers(root), Vec::<PathBuf>::new());

    // A rebuild that rewrites every page, killed while it stages.
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replacen("title = \"", "title = \"Neu: ", 1)).unwrap();
    let staging_deep = || out.join(MARK).exists() && leftovers(&out.join("toots")).len() > 10;
    kill_when(build(root), staging_deep);
    assert!(out.join(MARK).exists(), "the killed build leaves its mark");
    let before: Vec<_> = read_tree(&out)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".tootbridge-") && !p.contains("/.") && !p.starts_with('.'))
        .collect();
    let again = built(root);
    assert_eq!(leftovers(root), Vec::<PathBuf>::new());
    assert!(!out.join(MARK).exists());
    assert_ne!(again, clean);
    // Killed while staging (or, at the latest, renaming): every file of the
    // killed build's output is its old or its new version.
    let (old, new): (
        std::collections::BTreeMap<_, _>,
        std::collections::BTreeMap<_, _>,
    ) = (
        clean.iter().cloned().collect(),
        again.iter().cloned().collect(),
    );
    for (path, bytes) in &before {
        assert!(
            old.get(path) == Some(bytes) || new.get(path) == Some(bytes),
            "{path} is torn"
        );
    }
    // The same bytes as a clean build into a new folder.
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(built(root), again);
}
