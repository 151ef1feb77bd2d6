//! Unit tests of `fresh.rs`: a new output folder is built beside its place
//! and renamed once; failures and killed builds leave nothing at its place
//! and no sibling folder behind; nothing that appeared meanwhile, and no
//! folder that only looks like ours, is ever replaced or removed.

use super::super::tests::file;
use super::super::*;
use super::new_folder;
use crate::fsutil::sorted_names as names;

#[test]
fn a_new_folder_is_built_beside_its_place_and_renamed_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let staging = Staging::begin(&out).unwrap();
    staging.put(file("index.html", "a")).unwrap();
    staging.put(file("toots/1/index.html", "b")).unwrap();
    // While staging, nothing is at the output's place; the files are in
    // one new sibling folder under their own names (no temporary names).
    assert!(!out.exists());
    let siblings = names(dir.path());
    assert_eq!(siblings.len(), 1, "{siblings:?}");
    assert!(siblings[0].starts_with(".public.tootbridge-new-"));
    let new = dir.path().join(&siblings[0]);
    assert_eq!(
        fs::read_to_string(new.join("toots/1/index.html")).unwrap(),
        "b"
    );
    assert!(new.join(STAGING_MARK).is_file());
    let committed = staging.commit().unwrap();
    assert_eq!(committed.report.written, 2);
    assert_eq!(names(dir.path()), ["public"]);
    assert_eq!(
        names(&out),
        [MANIFEST, "index.html", "toots"].map(String::from)
    );
    // The stamps handed to the build record are those on disk.
    for (path, stamp) in &committed.outputs {
        assert_eq!(*stamp, Stamp::of(&fs::metadata(out.join(path)).unwrap()));
    }
}

#[test]
fn a_failed_or_dropped_new_build_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site/public");
    // A duplicate path fails the build.
    let failed = write(&out, &[file("a.html", "1"), file("a.html", "2")]);
    assert!(failed.is_err());
    assert_eq!(names(&dir.path().join("site")), Vec::<String>::new());
    // A staging dropped without commit (an error elsewhere, a signal).
    let staging = Staging::begin(&out).unwrap();
    staging.put(file("a.html", "1")).unwrap();
    drop(staging);
    assert_eq!(names(&dir.path().join("site")), Vec::<String>::new());
}

#[test]
fn what_appears_at_the_place_meanwhile_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let staging = Staging::begin(&out).unwrap();
    staging.put(file("index.html", "a")).unwrap();
    // A web team makes the (empty) folder, with its own mode, meanwhile.
    fs::create_dir(&out).unwrap();
    let err = staging.commit().err().expect("the commit refuses");
    assert!(err.to_string().contains("appeared"), "{err}");
    assert_eq!(names(&out), Vec::<String>::new());
    assert_eq!(names(dir.path()), ["public"]);
    // A link at the place, even a dangling one, is not a new folder: the
    // build goes through it as before and leaves the link.
    let link_dir = tempfile::tempdir().unwrap();
    let target = link_dir.path().join("real");
    let link = link_dir.path().join("public");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert!(new_folder(&link).unwrap().is_none());
}

#[test]
fn sibling_folders_of_killed_builds_are_removed_and_look_alikes_stay() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    // No process has this id (above the kernel's pid_max).
    let dead = u32::MAX;
    let killed = dir
        .path()
        .join(format!(".public.tootbridge-new-{dead}-Ab12cd"));
    fs::create_dir_all(killed.join("toots/1")).unwrap();
    fs::write(killed.join(STAGING_MARK), dead.to_string()).unwrap();
    fs::write(killed.join("toots/1/index.html"), "torn").unwrap();
    let empty = dir
        .path()
        .join(format!(".public.tootbridge-new-{dead}-Zz99zz"));
    fs::create_dir(&empty).unwrap();
    // Not ours: no mark inside, another name, a live process, a file.
    let unmarked = dir
        .path()
        .join(format!(".public.tootbridge-new-{dead}-Xx00xx"));
    fs::create_dir(&unmarked).unwrap();
    fs::write(unmarked.join("notes.txt"), "mine").unwrap();
    let other = dir
        .path()
        .join(format!(".other.tootbridge-new-{dead}-Ab12cd"));
    fs::create_dir(&other).unwrap();
    fs::write(other.join(STAGING_MARK), "1").unwrap();
    let alive = dir.path().join(format!(
        ".public.tootbridge-new-{}-Ab12cd",
        std::process::id()
    ));
    fs::create_dir(&alive).unwrap();
    fs::write(alive.join(STAGING_MARK), "1").unwrap();
    let plain = dir
        .path()
        .join(format!(".public.tootbridge-new-{dead}-Qq11qq"));
    fs::write(&plain, "a file").unwrap();

    write(&out, &[file("index.html", "a")]).unwrap();
    assert!(!killed.exists() && !empty.exists());
    for kept in [&unmarked, &other, &alive, &plain] {
        assert!(kept.exists(), "{}", kept.display());
    }
    assert_eq!(
        fs::read_to_string(unmarked.join("notes.txt")).unwrap(),
        "mine"
    );
    // The same holds when the output folder exists by now.
    fs::create_dir(&killed).unwrap();
    fs::write(killed.join(STAGING_MARK), dead.to_string()).unwrap();
    write(&out, &[file("index.html", "b")]).unwrap();
    assert!(!killed.exists());
}
