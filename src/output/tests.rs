//! The output writer's tests: changed files only, stale ones removed, a
//! failure at any point leaving the old output, permissions, unsafe paths.

use super::*;
use crate::render::Body;

pub(super) fn file(path: &str, text: &str) -> OutputFile {
    OutputFile {
        path: path.into(),
        body: Body::Bytes(text.as_bytes().to_vec()),
    }
}

#[test]
fn writes_changed_only_and_removes_stale() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let first = write(
        &out,
        &[file("index.html", "a"), file("toots/1/index.html", "b")],
    )
    .unwrap();
    assert_eq!(
        first,
        WriteReport {
            written: 2,
            unchanged: 0,
            removed: 0,
            kept: 0
        }
    );
    fs::write(out.join("own.txt"), "not ours").unwrap();

    let again = write(
        &out,
        &[file("index.html", "a"), file("toots/1/index.html", "b")],
    )
    .unwrap();
    assert_eq!(
        again,
        WriteReport {
            written: 0,
            unchanged: 2,
            removed: 0,
            kept: 0
        }
    );

    let changed = write(&out, &[file("index.html", "c")]).unwrap();
    assert_eq!(
        changed,
        WriteReport {
            written: 1,
            unchanged: 0,
            removed: 1,
            kept: 0
        }
    );
    assert!(
        !out.join("toots").exists(),
        "empty folders of stale files go too"
    );
    assert_eq!(fs::read_to_string(out.join("own.txt")).unwrap(), "not ours");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "c");
}

fn copy(path: &str, source: &Path) -> OutputFile {
    OutputFile {
        path: path.into(),
        body: Body::Copy(source.to_path_buf()),
    }
}

#[test]
fn missing_copy_source_fails_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write(&out, &[file("index.html", "old")]).unwrap();
    let manifest = fs::read(out.join(MANIFEST)).unwrap();
    let err = write(
        &out,
        &[
            file("index.html", "new"),
            copy("media/a.png", &dir.path().join("missing.png")),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("missing.png"), "{err}");
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), manifest);
}

#[test]
fn copies_into_a_new_folder_and_compares_in_an_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("a.png");
    fs::write(&source, [0u8, 159, 146, 150]).unwrap();
    let out = dir.path().join("public");
    let files = [file("index.html", "a"), copy("media/x/a.png", &source)];
    // New folder: written without comparing, the media by the kernel.
    assert_eq!(write(&out, &files).unwrap().written, 2);
    assert_eq!(
        fs::read(out.join("media/x/a.png")).unwrap(),
        [0, 159, 146, 150]
    );
    // Same files again: compared, nothing written.
    let again = write(&out, &files).unwrap();
    assert_eq!((again.written, again.unchanged), (0, 2));
    fs::write(&source, [1u8, 2]).unwrap();
    let changed = write(&out, &files).unwrap();
    assert_eq!((changed.written, changed.unchanged), (1, 1));
    assert_eq!(fs::read(out.join("media/x/a.png")).unwrap(), [1, 2]);
}

#[cfg(unix)]
#[test]
fn copied_media_get_the_permissions_of_other_output_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("a.png");
    fs::write(&source, "png").unwrap();
    fs::set_permissions(&source, fs::Permissions::from_mode(0o600)).unwrap();
    let out = dir.path().join("public");
    write(
        &out,
        &[file("media/x.html", "x"), copy("media/a.png", &source)],
    )
    .unwrap();
    let mode = |p: &str| fs::metadata(out.join(p)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("media/a.png"), mode("media/x.html"));
}

#[test]
fn a_failed_first_build_leaves_no_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("a.png");
    fs::write(&source, "png").unwrap();
    let out = dir.path().join("public");
    let failed = write(
        &out,
        &[
            copy("media/a.png", &source),
            file("index.html", "a"),
            copy("media/b.png", &dir.path().join("missing.png")),
        ],
    );
    assert!(failed.is_err());
    assert!(!out.exists(), "staged copies and folders are removed");
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["a.png"], "no sibling folder is left");
}

#[test]
fn temporary_files_are_looked_for_below_the_top_only_after_a_killed_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write(&out, &[file("index.html", "a"), file("b/c.html", "c")]).unwrap();
    // No process has this id: files of a killed run. The build record is
    // written after the staging mark is gone, so its temporary file can be
    // left without a mark: the top folder is always cleaned.
    let dead = u32::MAX;
    let top = out.join(format!(".tootbridge-build.tmp-{dead}-Ab12cd"));
    fs::write(&top, "torn").unwrap();
    write(&out, &[file("index.html", "a"), file("b/c.html", "c")]).unwrap();
    assert!(!top.exists());
    // A killed build leaves its mark, and then the whole tree is cleaned.
    let deep = out.join(format!("b/.c.html.tmp-{dead}-Ab12cd"));
    fs::write(&deep, "torn").unwrap();
    fs::write(out.join(STAGING_MARK), dead.to_string()).unwrap();
    let report = write(&out, &[file("index.html", "a"), file("b/c.html", "c")]).unwrap();
    assert_eq!(report.written, 0);
    assert!(!deep.exists());
    assert!(!out.join(STAGING_MARK).exists());
}

#[test]
fn a_failure_while_staging_leaves_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write(&out, &[file("index.html", "1")]).unwrap();
    let manifest = fs::read(out.join(MANIFEST)).unwrap();
    // A file of someone else's is in the way of `blocked/x.html`.
    fs::write(out.join("blocked"), "not ours").unwrap();
    let failed = write(
        &out,
        &[
            file("index.html", "2"),
            file("new/extra.html", "2"),
            file("blocked/x.html", "2"),
        ],
    );
    assert!(failed.is_err());
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "1");
    assert!(!out.join("new").exists(), "staged files and folders go");
    assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), manifest);
    let left: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn files_of_a_failed_commit_are_removed_by_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write(&out, &[file("index.html", "1")]).unwrap();
    // A folder of someone else's is where `blocked.html` would go, so
    // its rename fails after others may have succeeded.
    fs::create_dir_all(out.join("blocked.html/inner")).unwrap();
    let failed = write(
        &out,
        &[
            file("index.html", "2"),
            file("extra.html", "2"),
            file("blocked.html", "2"),
        ],
    );
    assert!(failed.is_err());
    // Every file is old or new, never torn.
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index == "1" || index == "2", "{index}");
    let next = write(&out, &[file("index.html", "3")]).unwrap();
    assert!(!out.join("extra.html").exists());
    assert!(out.join("blocked.html/inner").is_dir());
    assert!(next.removed <= 1);
    assert_eq!(
        fs::read_to_string(out.join(MANIFEST)).unwrap(),
        "index.html\n"
    );
}

#[test]
fn unchanged_files_keep_their_modification_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let files = [file("a.html", "a"), file("b/c.xml", "c")];
    write(&out, &files).unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    for f in ["a.html", "b/c.xml", MANIFEST] {
        fs::File::options()
            .write(true)
            .open(out.join(f))
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let report = write(&out, &files).unwrap();
    assert_eq!(report.written, 0);
    for f in ["a.html", "b/c.xml", MANIFEST] {
        assert_eq!(
            fs::metadata(out.join(f)).unwrap().modified().unwrap(),
            old,
            "{f}"
        );
    }
}

#[test]
fn unsafe_paths_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["../x", "/etc/x", "a/../../x", "", MANIFEST] {
        assert!(
            write(dir.path(), &[file("ok.html", "x"), file(bad, "x")]).is_err(),
            "{bad}"
        );
    }
    assert!(!dir.path().join("ok.html").exists());
}
