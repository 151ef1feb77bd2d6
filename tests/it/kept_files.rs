//! Files a rebuild keeps without rendering them: only those the last build
//! left exactly as they are (size and modification time as recorded). An
//! output file rewritten behind the build's back, a folder replaced by a
//! file, a symbolic link where a folder was: each is either rendered again
//! or refused, and never published as it was found.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{build_json, example_site, tootbridge};

/// A toot page of the built site at `out`, relative to it.
fn a_toot_page(out: &Path) -> String {
    let mut pages: Vec<String> = std::fs::read_dir(out.join("toots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| out.join("toots").join(name).join("index.html").is_file())
        .collect();
    pages.sort();
    format!("toots/{}/index.html", pages[0])
}

/// Makes the next build run (an input's time changes) without changing
/// what any file is made from, so every unchanged file may be kept.
fn touch_an_input(site: &Path) {
    let toots = site.join("content/toots/social.example/news");
    let first = std::fs::read_dir(&toots).unwrap().next().unwrap().unwrap();
    let bytes = std::fs::read(first.path()).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(first.path(), bytes).unwrap();
}

fn set_modified(path: &Path, time: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// The site built once into a folder of its own, and that folder.
fn built() -> (tempfile::TempDir, PathBuf) {
    let site = example_site();
    let out = site.path().join("public");
    build_json(site.path(), Some(&out));
    (site, out)
}

#[test]
fn a_kept_file_rewritten_with_its_size_and_an_older_time_is_rendered_again() {
    let (site, out) = built();
    let page = out.join(a_toot_page(&out));
    let original = std::fs::read(&page).unwrap();
    let recorded = std::fs::metadata(&page).unwrap().modified().unwrap();
    // (The no-change shortcut of `.tootbridge-build` deliberately takes
    // files whose time went back, see `outputs.rs`; the build must run.)
    std::fs::write(&page, vec![b'y'; original.len()]).unwrap();
    set_modified(&page, recorded - Duration::from_secs(3600));
    touch_an_input(site.path());
    let rebuilt = build_json(site.path(), Some(&out));
    assert!(rebuilt["files"]["kept"].as_u64().unwrap() > 0, "{rebuilt}");
    assert_eq!(std::fs::read(&page).unwrap(), original, "{rebuilt}");
}

#[test]
fn a_folder_replaced_by_a_file_fails_the_build_and_is_left_as_it_is() {
    let (site, out) = built();
    let rel = a_toot_page(&out);
    let folder = out.join(&rel).parent().unwrap().to_path_buf();
    let index = std::fs::read(out.join("index.html")).unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(&folder, "someone else's file").unwrap();
    touch_an_input(site.path());
    let run = tootbridge(&[
        "--root",
        site.path().to_str().unwrap(),
        "build",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&*folder.to_string_lossy()),
        "the error names the folder: {stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&folder).unwrap(),
        "someone else's file"
    );
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), index);
}

#[test]
fn a_symlink_where_a_folder_was_gets_the_files_of_a_clean_build() {
    let (site, out) = built();
    let rel = a_toot_page(&out);
    let folder = out.join(&rel).parent().unwrap().to_path_buf();
    let clean = std::fs::read(out.join(&rel)).unwrap();
    // A link to a copy with the recorded stamps (kept: it is what the
    // last build left), then to an empty folder (rendered into it).
    let copy = site.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let entry = entry.unwrap();
        let to = copy.join(entry.file_name());
        std::fs::copy(entry.path(), &to).unwrap();
        set_modified(&to, entry.metadata().unwrap().modified().unwrap());
    }
    let empty = site.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for target in [&copy, &empty] {
        std::fs::remove_dir_all(&folder)
            .or_else(|_| std::fs::remove_file(&folder))
            .unwrap();
        std::os::unix::fs::symlink(target, &folder).unwrap();
        touch_an_input(site.path());
        let report = build_json(site.path(), Some(&out));
        assert!(std::fs::symlink_metadata(&folder).unwrap().is_symlink());
        assert_eq!(std::fs::read(out.join(&rel)).unwrap(), clean, "{report}");
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), clean);
    }
}
