//! Fuzzes the sanitizer's shortcut (`src/sanitize/fast.rs`) against ammonia:
//! for any text, either the shortcut declines it, or it writes exactly what
//! the ammonia policy writes. The first byte picks the context (tags the toot
//! lists, an absolute or a relative tag base), the rest is the HTML.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use tootbridge::testing::sanitize::{shortcut_and_ammonia, Context};

fn context(pick: u8) -> Context {
    let tag_base = if pick & 1 == 0 {
        "https://example.org/tags/"
    } else {
        "/news/tags/"
    };
    let mut tags = HashMap::new();
    if pick & 2 == 0 {
        tags.insert("opendata".to_string(), "opendata".to_string());
        tags.insert("über".to_string(), "%C3%BCber".to_string());
    }
    Context {
        tag_base: tag_base.to_string(),
        tags,
        emojis: HashMap::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(html) = std::str::from_utf8(rest) else {
        return;
    };
    let (shortcut, ammonia) = shortcut_and_ammonia(html, &context(pick));
    if let Some(shortcut) = shortcut {
        assert_eq!(shortcut, ammonia, "input: {html:?}");
    }
});
