//! Unit tests of the archive reader: unsafe tar entries, symlinks, media
//! matching.

use super::*;

fn outbox() -> &'static [u8] {
    br#"{"type":"OrderedCollection","orderedItems":[]}"#
}

#[test]
fn tar_entries_outside_the_folder_and_links_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.tar.gz");
    let gz =
        flate2::write::GzEncoder::new(File::create(&path).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mut add = |name: &[u8], kind: tar::EntryType, data: &[u8]| {
        let mut header = tar::Header::new_old();
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_entry_type(kind);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        if kind == tar::EntryType::Symlink {
            header.set_link_name("/etc/hostname").unwrap();
        }
        header.set_cksum();
        tar.append(&header, data).unwrap();
    };
    add(b"outbox.json", tar::EntryType::Regular, outbox());
    add(b"../escaped.txt", tar::EntryType::Regular, b"x");
    add(b"/abs.txt", tar::EntryType::Regular, b"x");
    let link = b"media_attachments/files/1/original/l.png";
    add(link, tar::EntryType::Symlink, b"");
    tar.into_inner().unwrap().finish().unwrap();

    let archive = Archive::open(&path).unwrap();
    let Files::Dir(unpacked) = &archive.files else {
        panic!("a tar.gz is unpacked into a folder")
    };
    let names: Vec<_> = walkdir::WalkDir::new(unpacked)
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(names.contains(&"outbox.json".to_string()), "{names:?}");
    for bad in ["escaped.txt", "abs.txt", "l.png"] {
        assert!(!names.contains(&bad.to_string()), "{bad}: {names:?}");
    }
    assert!(!dir.path().join("escaped.txt").exists());
    let unpacked = unpacked.clone();
    drop(archive);
    assert!(!unpacked.exists(), "the temporary folder is removed");
}

#[cfg(unix)]
#[test]
fn folder_symlinks_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("outbox.json"), outbox()).unwrap();
    let media = dir.path().join("media_attachments/files/1/original");
    std::fs::create_dir_all(&media).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", media.join("x.png")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join("avatar.png")).unwrap();
    let archive = Archive::open(dir.path()).unwrap();
    let url = "https://h.example/system/media_attachments/files/1/original/x.png";
    assert_eq!(archive.media_entry(url), None);
    assert_eq!(archive.relative_entry("avatar.png"), None);
    assert_eq!(archive.relative_entry("../outbox.json"), None);
}

#[test]
fn media_match_on_their_suffix_whatever_the_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive-20260301");
    let media = root.join("media_attachments/files/1/original");
    std::fs::create_dir_all(&media).unwrap();
    std::fs::write(root.join("outbox.json"), outbox()).unwrap();
    std::fs::write(media.join("a b.png"), b"x").unwrap();
    let archive = Archive::open(dir.path()).unwrap();
    for url in [
        "https://cdn.example/bucket/media_attachments/files/1/original/a%20b.png?v=1",
        "/system/media_attachments/files/1/original/a b.png",
        "media_attachments/files/1/original/a%20b.png",
    ] {
        assert_eq!(
            archive.media_entry(url),
            Some("archive-20260301/media_attachments/files/1/original/a b.png"),
            "{url}"
        );
    }
    assert_eq!(archive.media_entry("https://h.example/other/a.png"), None);
}
