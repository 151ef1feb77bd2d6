//! Unit tests of `store.rs`.

use super::load::{permute, read_into, Folder, READ_BUFFER};
use super::*;
use crate::model::Visibility;

const GOOD: &str = r#"{
  "schema": 1,
  "id": "113900000000000001",
  "uri": "https://social.example/users/news/statuses/113900000000000001",
  "url": "https://social.example/@news/113900000000000001",
  "created_at": "2026-03-08T13:05:00Z",
  "visibility": "public",
  "language": "de",
  "content": "<p>Hallo</p>",
  "media": [
{
  "id": "1",
  "kind": "image",
  "remote_url": "https://social.example/a.png",
  "file": "social.example/news/abc.png",
  "description": "Ein Bild"
}
  ],
  "tags": [{"name": "OpenData"}]
}"#;

fn handle() -> Handle {
    Handle::try_from("@news@social.example".to_string()).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn good_toot_loads() {
    let dir = tempfile::tempdir().unwrap();
    let toot = load_toot(&write(dir.path(), "113900000000000001.json", GOOD)).unwrap();
    assert_eq!(toot.visibility, Visibility::Public);
    assert_eq!(toot.media[0].description.as_deref(), Some("Ein Bild"));
    assert_eq!(toot.tags[0].name, "OpenData");
}

#[test]
fn round_trip_is_byte_stable() {
    let dir = tempfile::tempdir().unwrap();
    let toot = load_toot(&write(dir.path(), "113900000000000001.json", GOOD)).unwrap();
    let once = to_pretty_json(&toot);
    let again: Toot = parse_json(&once, Path::new("x")).unwrap();
    assert_eq!(to_pretty_json(&again), once);
    assert_eq!(again, toot);
}

fn load_error(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    load_toot(&write(dir.path(), name, text))
        .unwrap_err()
        .to_string()
}

#[test]
fn broken_files_name_path_and_field() {
    let name = "113900000000000001.json";
    let msg = load_error(name, &GOOD.replace("\"image\"", "\"picture\""));
    assert!(msg.contains(name) && msg.contains("media[0].kind"), "{msg}");
    let msg = load_error(name, &GOOD.replace("\"language\"", "\"lang\""));
    assert!(msg.contains("lang"), "{msg}");
    let msg = load_error(name, &GOOD.replace("2026-03-08T13:05:00Z", "yesterday"));
    assert!(msg.contains("created_at"), "{msg}");
    let msg = load_error(name, "{ \"schema\": 1, ");
    assert!(msg.contains(name), "{msg}");
    let msg = load_error(name, &GOOD.replace("\"schema\": 1", "\"schema\": 7"));
    assert!(msg.contains("schema 7"), "{msg}");
    let msg = load_error("1.json", GOOD);
    assert!(msg.contains("does not match the file name"), "{msg}");
}

#[test]
fn escaping_ids_and_paths_are_refused() {
    let evil = GOOD.replace("\"113900000000000001\"", "\"../../etc\"");
    let msg = load_error("113900000000000001.json", &evil);
    assert!(msg.contains("not a safe file name"), "{msg}");
    for bad in [
        "../secret.png",
        "/etc/passwd",
        "a/../../b",
        ".hidden",
        "C:\\x",
    ] {
        let text = GOOD.replace("social.example/news/abc.png", bad);
        let msg = load_error("113900000000000001.json", &text);
        assert!(msg.contains("media[0].file"), "{bad}: {msg}");
    }
    let store = Store::new(Path::new("/site"));
    assert!(store.toot_path(&handle(), "../x").is_err());
}

#[test]
fn write_then_load_account() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut toot: Toot = parse_json(GOOD.as_bytes(), Path::new("x")).unwrap();
    store.write_toot(&handle(), &toot).unwrap();
    toot.id = "113900000000000002".into();
    store.write_toot(&handle(), &toot).unwrap();
    toot.id = "113900000000000003".into();
    toot.visibility = Visibility::Private;
    assert!(store.write_toot(&handle(), &toot).is_err());
    let data = store.load_account(&handle()).unwrap();
    let ids: Vec<_> = data.toots.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["113900000000000002", "113900000000000001"]);
    assert_eq!(data.state.handle, "@news@social.example");
    store.remove_toot(&handle(), "113900000000000002").unwrap();
    assert_eq!(store.load_account(&handle()).unwrap().toots.len(), 1);
    // No temporary files are left behind.
    let leftovers: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_reused_buffer_reads_each_file_whole_and_only_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.json");
    let big: Vec<u8> = (0..3 * READ_BUFFER + 17).map(|i| (i % 251) as u8).collect();
    let mut buf = Vec::with_capacity(READ_BUFFER);
    // Larger than the buffer, then shorter than what it holds, empty, and
    // exactly the buffer's size.
    for content in [&big[..], b"short", b"", &big[..READ_BUFFER], b"x"] {
        fs::write(&path, content).unwrap();
        let file = Folder::open(dir.path()).unwrap().open_file(&path).unwrap();
        read_into(file, &path, &mut buf).unwrap();
        assert_eq!(buf, content);
    }
}

#[test]
fn a_toot_file_that_cannot_be_read_fails_the_load_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let toot: Toot = parse_json(GOOD.as_bytes(), Path::new("x")).unwrap();
    store.write_toot(&handle(), &toot).unwrap();
    // A folder where a toot file should be: opened, but not readable.
    let odd = store.toots_dir(&handle()).join("113900000000000002.json");
    fs::create_dir(&odd).unwrap();
    let msg = store.load_account(&handle()).unwrap_err().to_string();
    assert!(msg.contains("113900000000000002.json"), "{msg}");
    fs::remove_dir(&odd).unwrap();
    assert_eq!(store.load_account(&handle()).unwrap().toots.len(), 1);
}

#[test]
fn text_that_is_not_utf8_is_refused_with_path_and_field() {
    let name = "113900000000000001.json";
    let mut bytes = GOOD.replace("Hallo", "Gr\u{fc}\u{df}e").into_bytes();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, &bytes).unwrap();
    assert_eq!(load_toot(&path).unwrap().content, "<p>Grüße</p>");
    // A lone continuation byte where the ü was.
    let at = bytes.windows(2).position(|w| w == "ü".as_bytes()).unwrap();
    bytes[at] = 0xBC;
    fs::write(&path, &bytes).unwrap();
    let msg = load_toot(&path).unwrap_err().to_string();
    assert!(msg.contains(name) && msg.contains("content"), "{msg}");
}

#[test]
fn permute_puts_every_item_where_the_order_says() {
    // Every order of 5 items, and a few longer ones made of several cycles.
    let mut orders: Vec<Vec<usize>> = Vec::new();
    let mut order: Vec<usize> = (0..5).collect();
    fn all(k: usize, order: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if k == order.len() {
            out.push(order.clone());
            return;
        }
        for i in k..order.len() {
            order.swap(k, i);
            all(k + 1, order, out);
            order.swap(k, i);
        }
    }
    all(0, &mut order, &mut orders);
    assert_eq!(orders.len(), 120);
    orders.push((0..40).map(|i| (i * 7) % 40).collect());
    orders.push((0..40).rev().collect());
    orders.push(Vec::new());
    for order in orders {
        let items: Vec<String> = (0..order.len()).map(|i| format!("t{i}")).collect();
        let want: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
        let mut got = items.clone();
        permute(&mut got, &order);
        assert_eq!(got, want, "{order:?}");
    }
}

/// The loader's own stat of a toot file and the inputs walk's stat give the
/// same identity, so an index written from one is used with the other.
#[test]
fn a_files_identity_is_the_same_from_either_stat() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("1.json");
    fs::write(&path, b"{}").unwrap();
    let folder = Folder::open(dir.path()).unwrap();
    let walked = index::Identity::of(&fs::symlink_metadata(&path).unwrap()).unwrap();
    let own = folder.identity(std::ffi::OsStr::new("1.json"));
    if cfg!(target_os = "linux") {
        assert_eq!(own, Some(walked));
    }
    // Not a regular file: no identity (a link's target may change unseen).
    std::os::unix::fs::symlink(&path, dir.path().join("2.json")).unwrap();
    assert_eq!(folder.identity(std::ffi::OsStr::new("2.json")), None);
    fs::create_dir(dir.path().join("3.json")).unwrap();
    assert_eq!(folder.identity(std::ffi::OsStr::new("3.json")), None);
}

#[test]
fn a_toot_read_under_stub_read_is_kept_as_its_stub_with_its_facts() {
    let root = tempfile::tempdir().unwrap();
    let store = Store::new(root.path());
    let dir = store.toots_dir(&handle());
    fs::create_dir_all(&dir).unwrap();
    write(&dir, "113900000000000001.json", GOOD);
    let full = load_toot(&dir.join("113900000000000001.json")).unwrap();
    let digest = |t: &Toot| {
        assert!(!index::is_stub(t), "a digest is made of the whole toot");
        crate::render::digest_of(t)
    };
    let empty = TootIndex::default();
    let load = |stub_read| {
        store
            .load_account_indexed(
                &handle(),
                Some(Indexing {
                    index: &empty,
                    digest: &digest,
                    identities: None,
                    stub_read,
                }),
            )
            .unwrap()
    };
    let (kept, known) = load(true);
    assert_eq!(kept.toots, [index::stub(&full)]);
    assert_eq!(known[0].digest, crate::render::digest_of(&full));
    assert_eq!(known[0].stub_media, index::media_paths(&full));
    assert!(
        matches!(known[0].entry, Some(index::Entry::Read(_))),
        "it was read: the next index records it from its identity"
    );
    // Without, the whole toot is kept (a build that renders every page).
    let (whole, known) = load(false);
    assert_eq!(whole.toots, [full]);
    assert!(known[0].stub_media.is_empty());
}
