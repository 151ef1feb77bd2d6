//! Fuzzes the ActivityPub mapping: any bytes as an outbox item (an activity
//! whose `object` is a Note or Question, or the object itself). A mapped
//! toot must have a safe id and load again through the store's checks.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tootbridge::model::is_safe_id;
use tootbridge::source::ap_map::{href, item, local_id, note_to_toot, visibility};
use tootbridge::store::{parse_toot, to_pretty_json};

const ACTOR: &str = "https://social.example/users/news";

fuzz_target!(|data: &[u8]| {
    let Ok(activity) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = item(&activity);
    let object = activity.get("object").unwrap_or(&activity);
    let _ = visibility(object, &activity);
    let _ = href(object.get("url"));
    if let Some(id) = object.get("id").and_then(Value::as_str) {
        if let Some(local) = local_id(id) {
            assert!(is_safe_id(&local), "{local:?}");
        }
    }
    for account_id in [None, Some("109000000000000001")] {
        let Ok(toot) = note_to_toot(object, &activity, ACTOR, account_id) else {
            continue;
        };
        assert!(is_safe_id(&toot.id), "{:?}", toot.id);
        let path = format!("content/toots/social.example/news/{}.json", toot.id);
        parse_toot(&to_pretty_json(&toot), Path::new(&path)).expect("a mapped toot loads");
    }
});
