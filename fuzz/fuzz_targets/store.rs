//! Fuzzes the store loader: any bytes as a toot file. A toot that loads must
//! satisfy every rule `load_toot` promises (safe id matching the file name,
//! media paths inside content/media) and survive a write/read round trip.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tootbridge::model::{is_safe_id, Toot};
use tootbridge::store::{is_safe_media_path, parse_json, parse_toot, to_pretty_json};

fuzz_target!(|data: &[u8]| {
    // The file name follows the id the bytes claim, so loading gets past the
    // name check and the later checks are reached too.
    let claimed =
        parse_json::<Toot>(data, Path::new("x.json")).map_or_else(|_| "1".into(), |t| t.id);
    let name = format!("content/toots/social.example/news/{claimed}.json");
    let path = Path::new(&name);
    let Ok(toot) = parse_toot(data, path) else {
        return;
    };
    assert!(
        is_safe_id(&toot.id) && path.file_stem().and_then(|s| s.to_str()) == Some(toot.id.as_str())
    );
    for media in &toot.media {
        for file in media.file.iter().chain(&media.preview_file) {
            assert!(is_safe_media_path(file), "{file:?}");
        }
    }
    let again = parse_toot(&to_pretty_json(&toot), path).expect("a loaded toot reloads");
    assert_eq!(to_pretty_json(&again), to_pretty_json(&toot));
});
