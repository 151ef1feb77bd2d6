//! SIGINT and SIGTERM while `tootbridge` writes: a 3,000-toot build (store
//! made by the benchmark generator) is interrupted while it stages its
//! files. It must exit 130/143, leave no temporary file and no staging mark,
//! and leave the previous output byte for byte as it was. Temporary files
//! that killed runs left (in `public/` and in `content/`) are removed by the
//! next run, while files that only look similar stay.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{bin, read_tree, tootbridge};

const STAGING_MARK: &str = ".tootbridge-staging";

/// Our temporary files (`.<name>.tmp-<pid>-<random>`, and the older
/// `.<name>.tmp-<pid>` and `.import-<pid>.tmp`) below `dir`.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.starts_with('.') && (name.contains(".tmp-") || name.starts_with(".import-"))
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn big_site(toots: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::gen::generate(dir.path(), toots, 7, 1).expect("the generator writes a store");
    dir
}

fn build_args(root: &Path) -> Vec<String> {
    vec!["--root".into(), root.display().to_string(), "build".into()]
}

/// Starts a build and returns once it is staging files: the mark is there
/// and at least one temporary file has been written.
fn start_and_wait_for_staging(root: &Path, out: &Path) -> Child {
    let mut child = Command::new(bin())
        .args(build_args(root))
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build ended ({status}) before it could be interrupted");
        }
        if out.join(STAGING_MARK).exists() && !temp_files(out).is_empty() {
            return child;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no staging seen"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn send(signal: &str, child: &Child) {
    let status = Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[test]
fn sigint_and_sigterm_during_a_build_leave_the_previous_output() {
    let site = big_site(3000);
    let out = site.path().join("public");
    let first = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let previous = read_tree(&out);
    assert!(previous.len() > 3000, "{} files", previous.len());
    // A new title changes every page, so the next build rewrites them all.
    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replacen("title = \"", "title = \"Neu: ", 1)).unwrap();

    for (signal, code, name) in [("INT", 130, "SIGINT"), ("TERM", 143, "SIGTERM")] {
        let child = start_and_wait_for_staging(site.path(), &out);
        send(signal, &child);
        let done = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(code), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("interrupted by {name}")),
            "{stderr}"
        );
        let left = temp_files(&out);
        assert!(
            left.is_empty(),
            "{name}: {} temporary files left: {left:?}",
            left.len()
        );
        assert!(
            !out.join(STAGING_MARK).exists(),
            "{name}: the staging mark is left"
        );
        assert!(
            read_tree(&out) == previous,
            "{name}: the previous output changed"
        );
    }

    // The next build runs to its end and publishes the new title.
    let again = tootbridge(&["--root", site.path().to_str().unwrap(), "build"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(read_tree(&out) != previous);
    assert!(temp_files(&out).is_empty());
}

#[test]
fn temporary_files_of_killed_runs_are_removed_by_the_next_run() {
    let site = crate::support::example_site();
    let root = site.path().to_str().unwrap();
    let out = site.path().join("public");
    assert!(tootbridge(&["--root", root, "build"]).status.success());
    // No process has this id (above the kernel's pid_max), so these are of
    // a killed run.
    let dead = 4_294_967_295u32;
    let media = site.path().join("content/media");
    let toots = site.path().join("content/toots/social.example/news");
    let stale = [
        out.join(format!(".index.html.tmp-{dead}-Xy12ab")),
        out.join(format!("toots/.index.html.tmp-{dead}")),
        toots.join(format!(".1.json.tmp-{dead}-Ab34cd")),
        media.join(format!(".import-{dead}.tmp")),
        media.join(format!(".import.tmp-{dead}-Zz99zz")),
    ];
    // Files that are not ours, though their names come close.
    let foreign = [
        out.join("index.html.tmp-1"),
        out.join(".notes.tmp-draft"),
        toots.join(".keep"),
    ];
    for path in stale.iter().chain(&foreign) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"torn").unwrap();
    }
    // A killed build leaves its staging mark too, so the next build runs in
    // full (not from its build record) and cleans public/.
    std::fs::write(out.join(STAGING_MARK), dead.to_string()).unwrap();
    let build = tootbridge(&["--root", root, "build"]);
    assert!(build.status.success());
    assert!(!stale[0].exists() && !stale[1].exists(), "public/ cleaned");
    assert!(
        stale[2..].iter().all(|p| p.exists()),
        "build leaves content/ alone"
    );
    // An import (here of an empty archive folder) cleans content/.
    let archive = site.path().join("archive");
    crate::support::ArchiveBuilder::new().dir(&archive);
    let import = tootbridge(&[
        "--root",
        root,
        "import",
        archive.to_str().unwrap(),
        "--account",
        "news@social.example",
    ]);
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    for path in &stale {
        assert!(!path.exists(), "{} is left", path.display());
    }
    for path in &foreign {
        assert!(path.exists(), "{} was removed", path.display());
    }
}
