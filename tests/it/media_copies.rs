//! The output's copies of mirrored media: a rebuild keeps a copy while its
//! source keeps its size and modification time (as the inputs walk of
//! `build` stat-ed it), and copies the source again when either changed,
//! whatever else stayed the same.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{build_json, example_site};

/// A mirrored file of the example site that the built site copies, as its
/// source in the store and its copy in `out`.
fn a_copied_file(site: &Path, out: &Path) -> (PathBuf, PathBuf) {
    let media = site.join("content/media");
    let mut copied: Vec<PathBuf> = walkdir::WalkDir::new(&media)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file())
        .filter(|p| {
            out.join("media")
                .join(p.strip_prefix(&media).unwrap())
                .is_file()
        })
        .collect();
    copied.sort();
    let source = copied
        .first()
        .expect("the example site shows media")
        .clone();
    let copy = out.join("media").join(source.strip_prefix(&media).unwrap());
    (source, copy)
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// Puts `bytes` in place of `source` (a new file renamed over it, as the
/// store writes) with the modification time `time`.
fn replace(source: &Path, bytes: &[u8], time: std::time::SystemTime) {
    let tmp = source.with_extension("tmp");
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&tmp)
        .unwrap()
        .set_modified(time)
        .unwrap();
    std::fs::rename(&tmp, source).unwrap();
}

#[test]
fn a_copy_is_kept_while_its_source_keeps_size_and_time_and_made_again_when_either_changes() {
    let site = example_site();
    let out = site.path().join("public");
    build_json(site.path(), Some(&out));
    let (source, copy) = a_copied_file(site.path(), &out);
    let original = std::fs::read(&source).unwrap();
    assert_eq!(std::fs::read(&copy).unwrap(), original);
    let copied_at = modified(&copy);
    let time = modified(&source);

    // The same bytes, size and time in a new file: the build runs (a new
    // inode is a changed input, so its record changes), the copy is kept.
    let record = || std::fs::read(out.join(".tootbridge-build")).unwrap();
    let recorded = record();
    std::thread::sleep(Duration::from_millis(20));
    replace(&source, &original, time);
    let report = build_json(site.path(), Some(&out));
    assert_ne!(record(), recorded, "the build ran");
    assert_eq!(modified(&copy), copied_at, "kept, not written: {report}");

    // Other bytes of the same size, a later time: copied again.
    let mut same_size = original.clone();
    *same_size.last_mut().unwrap() ^= 0xff;
    let later = time + Duration::from_secs(7);
    replace(&source, &same_size, later);
    let report = build_json(site.path(), Some(&out));
    assert_eq!(std::fs::read(&copy).unwrap(), same_size, "{report}");

    // Another size with the time just recorded: copied again.
    let mut longer = same_size.clone();
    longer.extend_from_slice(b"\0\0");
    replace(&source, &longer, later);
    let report = build_json(site.path(), Some(&out));
    assert_eq!(std::fs::read(&copy).unwrap(), longer, "{report}");

    // The first bytes back with their own old time: copied again.
    replace(&source, &original, time);
    let report = build_json(site.path(), Some(&out));
    assert_eq!(std::fs::read(&copy).unwrap(), original, "{report}");
}
