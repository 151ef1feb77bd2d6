//! SIGINT and SIGTERM while `tootbridge` writes: a 3,000-toot build (store
//! made by the benchmark generator) is interrupted while it stages its
//! files. It must exit 130/143, leave no temporary file and no staging mark,
//! and leave the previous output byte for byte as it was. An import and a
//! sync interrupted mid-way leave no temporary file and complete toots only.
//! Temporary files that killed runs left (in `public/` and in `content/`)
//! are removed by the next run, while files that only look similar stay.

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

/// Runs the binary with `args`, sends `signal` once `ready` holds, and
/// returns its exit code and standard error.
fn interrupt_when(args: &[&str], signal: &str, ready: impl Fn() -> bool) -> (Option<i32>, String) {
    let mut child = Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    while !ready() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("{args:?} ended ({status}) before it could be interrupted");
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{args:?} never got ready"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    send(signal, &child);
    let done = child.wait_with_output().unwrap();
    (
        done.status.code(),
        String::from_utf8_lossy(&done.stderr).into_owned(),
    )
}

fn file_count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

/// Every stored toot loads, and every media file it names is there (media
/// are written before the toot).
fn assert_complete_toots(root: &Path) -> usize {
    let toots = root.join("content/toots/social.example/news");
    let mut n = 0;
    for entry in std::fs::read_dir(&toots).unwrap() {
        let path = entry.unwrap().path();
        let toot = tootbridge::store::load_toot(&path).unwrap_or_else(|e| panic!("{e}"));
        for media in &toot.media {
            if let Some(file) = &media.file {
                assert!(root.join("content/media").join(file).is_file(), "{file}");
            }
        }
        n += 1;
    }
    n
}

#[test]
fn sigint_during_an_import_leaves_complete_toots_and_no_temporary_file() {
    let site = crate::support::import_site("");
    let root = site.path().to_str().unwrap();
    let mut archive = crate::support::ArchiveBuilder::new();
    for i in 0..3000u32 {
        let name = format!("media_attachments/files/{i}/original/p.png");
        let item = crate::support::create_note(&format!("{}", 1000 + i), "public", "Eintrag");
        archive = archive
            .item(crate::import::with_media(
                item,
                &format!("/{name}"),
                "image/png",
            ))
            .file(&name, format!("png bytes {i}").as_bytes());
    }
    let folder = site.path().join("archive");
    archive.dir(&folder);
    let toots = site.path().join("content/toots/social.example/news");
    let args = ["--root", root, "import", folder.to_str().unwrap()];
    let (code, stderr) = interrupt_when(&args, "INT", || file_count(&toots) >= 5);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted by SIGINT"), "{stderr}");
    assert!(temp_files(&site.path().join("content")).is_empty());
    let stored = assert_complete_toots(site.path());
    assert!((5..3000).contains(&stored), "{stored} stored");
    // The next import completes the store.
    let again = tootbridge(&args);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(assert_complete_toots(site.path()), 3000);
}

#[test]
fn sigterm_during_a_sync_leaves_complete_toots_and_no_temporary_file() {
    use crate::sync_support::{account, instance_with, site};
    let fake = instance_with(400);
    {
        let mut w = fake.world();
        let base = fake.url.clone();
        for (n, s) in w.statuses.clone().iter().enumerate() {
            let name = format!("p{n}.png");
            let mut with_image = s.clone();
            with_image["media_attachments"] =
                serde_json::json!([crate::fake_instance::image(&base, &n.to_string(), &name)]);
            w.statuses[n] = with_image;
            let png = [crate::sync_support::TINY_PNG, &n.to_le_bytes()].concat();
            w.files
                .insert(format!("/media/{name}"), ("image/png".into(), png));
        }
    }
    let dir = site(&account("@news@social.example", &fake), "");
    let root = dir.path().to_str().unwrap();
    let toots = dir.path().join("content/toots/social.example/news");
    let args = ["--root", root, "sync"];
    let (code, stderr) = interrupt_when(&args, "TERM", || file_count(&toots) >= 5);
    assert_eq!(code, Some(143), "{stderr}");
    assert!(stderr.contains("interrupted by SIGTERM"), "{stderr}");
    assert!(temp_files(&dir.path().join("content")).is_empty());
    assert_complete_toots(dir.path());
    let again = tootbridge(&args);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        crate::sync_support::stored_ids(dir.path()),
        crate::sync_support::storable_ids(&fake)
    );
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
