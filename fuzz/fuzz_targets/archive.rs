//! Fuzzes the export-archive reader and `import` as a whole: any bytes as an
//! archive file (zip, tar.gz or neither, told apart by content), or split
//! into `outbox.json`, `actor.json`, `avatar.png` and media files that are
//! packed into a zip, a tar.gz or a folder here, so the fuzzer spends its time
//! on the JSON and the mapping rather than on finding a valid zip. Nothing may
//! panic; after an import that succeeds the store must load and hold no
//! private or direct toot, and every media file a toot names must exist.
//!
//! Input: the first byte chooses the form (bits 0-1: raw file, zip, tar.gz,
//! folder), `[select] boosts` (bit 2), `--dry-run` (bit 3) and a second
//! import of the same archive (bit 4); the rest is the file, or the parts
//! separated by `\n--\n`.
#![no_main]

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tootbridge::config::Handle;
use tootbridge::store::{is_safe_media_path, Store};
use tootbridge::{import, ImportOptions};

const SEPARATOR: &[u8] = b"\n--\n";
const SITE: &str = r#"title = "Fuzz"
base_url = "https://example.org/news/"
[[accounts]]
handle = "@news@social.example"
"#;
/// Names of the media parts after `avatar.png`, in turn; the extensions
/// cover allowed types, a type by name only, and refused ones.
const MEDIA_NAMES: [&str; 5] = ["png", "jpg", "mp4", "svg", "txt"];

/// A folder of this process in memory (/dev/shm when there is one), with a
/// site root per `boosts` setting.
fn base() -> &'static PathBuf {
    static BASE: OnceLock<PathBuf> = OnceLock::new();
    BASE.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let parent = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let base = parent.join(format!("tootbridge-fuzz-archive-{}", std::process::id()));
        for (name, boosts) in [("plain", false), ("boosts", true)] {
            let root = base.join(name);
            fs::create_dir_all(&root).unwrap();
            let site = format!("{SITE}[select]\nboosts = {boosts}\n");
            fs::write(root.join("site.toml"), site).unwrap();
        }
        base.clone()
    })
}

/// The entry names of the parts, in order.
fn names(count: usize) -> Vec<String> {
    let mut names = vec![
        "outbox.json".to_string(),
        "actor.json".to_string(),
        "avatar.png".to_string(),
    ];
    for i in 0..count.saturating_sub(3) {
        let ext = MEDIA_NAMES[i % MEDIA_NAMES.len()];
        names.push(format!(
            "media_attachments/files/000/000/00{i}/original/{i}.{ext}"
        ));
    }
    names.truncate(count);
    names
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        parts.push(&rest[..at]);
        rest = &rest[at + SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}

fn zip(parts: &[&[u8]]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, part) in names(parts.len()).iter().zip(parts) {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(part).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn tar_gz(parts: &[&[u8]]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, part) in names(parts.len()).iter().zip(parts) {
        let mut header = tar::Header::new_gnu();
        header.set_size(part.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, name, *part).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap()
}

fn folder(dir: &Path, parts: &[&[u8]]) {
    for (name, part) in names(parts.len()).iter().zip(parts) {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, part).unwrap();
    }
}

/// What a successful import must leave behind.
fn check_store(root: &Path, dry_run: bool) {
    let store = Store::new(root);
    if dry_run {
        assert!(
            !store.content_dir().join("toots").exists(),
            "a dry run wrote toots"
        );
    }
    let handle = Handle::try_from("@news@social.example".to_string()).unwrap();
    let data = store
        .load_account(&handle)
        .expect("an imported store loads");
    for toot in &data.toots {
        assert!(
            toot.visibility.is_storable(),
            "{:?} stored",
            toot.visibility
        );
        for media in &toot.media {
            if let Some(file) = &media.file {
                assert!(is_safe_media_path(file), "{file:?}");
                assert!(store.media_dir().join(file).is_file(), "{file} missing");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let base = base();
    let root = base.join(if flags & 4 != 0 { "boosts" } else { "plain" });
    let dry_run = flags & 8 != 0;
    let _ = fs::remove_dir_all(root.join("content"));
    let unpacked = base.join("unpacked");
    let _ = fs::remove_dir_all(&unpacked);
    let parts = split(rest);
    let archive = match flags & 3 {
        0 => {
            let path = base.join("export");
            fs::write(&path, rest).unwrap();
            path
        }
        1 => {
            let path = base.join("export.zip");
            fs::write(&path, zip(&parts)).unwrap();
            path
        }
        2 => {
            let path = base.join("export.tar.gz");
            fs::write(&path, tar_gz(&parts)).unwrap();
            path
        }
        _ => {
            folder(&unpacked, &parts);
            unpacked.clone()
        }
    };
    let options = ImportOptions {
        root: root.clone(),
        archive,
        account: None,
        dry_run,
        online: false,
        progress: Default::default(),
    };
    let runs = if flags & 16 != 0 { 2 } else { 1 };
    for _ in 0..runs {
        if import(&options).is_ok() {
            check_store(&root, dry_run);
        }
    }
});
