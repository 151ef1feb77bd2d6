//! Fuzzes the ActivityPub mapping (`source::activitypub`, shared by sync's
//! outbox source and the export import): any bytes as an outbox item (an
//! activity whose `object` is a Note or Question, or the object itself). A
//! mapped toot must have a safe id and load again through the store's checks.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tootbridge::model::{is_safe_id, Toot};
use tootbridge::store::{parse_toot, to_pretty_json};
use tootbridge::testing::source::activitypub::{
    activity, featured_ids, href, item_id, note, status_id, Activity, BoostObject, Context,
};

const ACTOR: &str = "https://social.example/users/news";

fn check(toot: &Toot) {
    assert!(is_safe_id(&toot.id), "{:?}", toot.id);
    let path = format!("content/toots/social.example/news/{}.json", toot.id);
    parse_toot(&to_pretty_json(toot), Path::new(&path)).expect("a mapped toot loads");
}

fuzz_target!(|data: &[u8]| {
    let Ok(item) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let object = item.get("object").unwrap_or(&item);
    let _ = href(object.get("url"));
    if let Some(id) = object.get("id").and_then(Value::as_str) {
        if let Some(local) = status_id(id) {
            assert!(is_safe_id(&local), "{local:?}");
        }
    }
    for account_id in [None, Some("109000000000000001")] {
        let mut ctx = Context::new(ACTOR, "social.example");
        ctx.account_id = account_id.map(str::to_string);
        let _ = featured_ids(&item, &ctx);
        if let Some(id) = item_id(&item, &ctx) {
            assert!(is_safe_id(&id), "{id:?}");
        }
        match activity(&item, &ctx) {
            Ok(Activity::Post(toot)) => check(&toot),
            Ok(Activity::Boost(boost)) => {
                assert!(is_safe_id(&boost.id), "{:?}", boost.id);
                if let BoostObject::Inline(inner) = &boost.object {
                    check(inner);
                }
            }
            Ok(Activity::Other(_)) | Err(_) => {}
        }
        if let Ok(toot) = note(object, &ctx, Some(&item)) {
            check(&toot);
        }
    }
});
