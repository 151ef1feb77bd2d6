//! Helpers shared by the integration tests: copies of the example site in
//! temporary folders, running the binary, reading the output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the example site's site.toml, content/ and themes/ into a fresh
/// temporary folder, so a test can change it freely.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    if repo().join("themes").exists() {
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    }
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The binary under test. `TOOTBRIDGE_BIN` overrides Cargo's path, for
/// checkouts that share one target folder (where another checkout's build
/// can replace `target/debug/tootbridge` while these tests run).
pub fn bin() -> PathBuf {
    std::env::var_os("TOOTBRIDGE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tootbridge")))
}

/// Runs the tootbridge binary with `args` and returns its output.
pub fn tootbridge(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Every file below `dir` as (relative path, bytes), sorted.
pub fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `tootbridge build --json` for `site` (into `output` when given) and
/// returns the JSON report; panics when the build fails.
pub fn build_json(site: &Path, output: Option<&Path>) -> serde_json::Value {
    let mut args = vec!["--root", site.to_str().unwrap(), "build", "--json"];
    if let Some(out) = output {
        args.extend(["--output", out.to_str().unwrap()]);
    }
    let out = tootbridge(&args);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints a report")
}

/// Every feed file below `dir` (`feed.xml`, `atom.xml`, `feed.json`), sorted.
pub fn feed_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n == "feed.xml" || n == "atom.xml" || n == "feed.json")
        })
        .collect();
    files.sort();
    files
}

/// Modification time of every file below `dir`.
pub fn mtimes(dir: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Builds the site at `root` into `root/public` through the library. Tests
/// that only need the output use this instead of the binary: the binary's
/// path is shared by every worktree that builds into the same target folder.
pub fn build_site(root: &Path) -> PathBuf {
    let options = tootbridge::BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        base_url: None,
    };
    if let Err(e) = tootbridge::build(&options) {
        panic!("build of {} failed: {e:#}", root.display());
    }
    root.join("public")
}
