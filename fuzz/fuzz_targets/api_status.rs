//! Fuzzes the REST status mapping: any bytes as a `/api/v1/statuses` item.
//! A mapped toot must have a safe id and be storable: what sync would write
//! must load again through the store's checks.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tootbridge::model::is_safe_id;
use tootbridge::store::{parse_toot, to_pretty_json};
use tootbridge::testing::source::api_map::{to_toot, ApiStatus};

fuzz_target!(|data: &[u8]| {
    let Ok(status) = serde_json::from_slice::<ApiStatus>(data) else {
        return;
    };
    let Ok(toot) = to_toot(&status, "social.example") else {
        return;
    };
    assert!(is_safe_id(&toot.id), "{:?}", toot.id);
    let path = format!("content/toots/social.example/news/{}.json", toot.id);
    parse_toot(&to_pretty_json(&toot), Path::new(&path)).expect("a mapped toot loads");
});
