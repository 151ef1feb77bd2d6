//! Fuzzes site.toml parsing: any text either fails with an error or gives a
//! config whose output folder stays a plain relative path.
#![no_main]

use std::path::{Component, Path};

use libfuzzer_sys::fuzz_target;
use tootbridge::config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = config::parse(text, Path::new("site.toml")) else {
        return;
    };
    let _ = config.base_url.trimmed();
    let _ = config.base_url.path_prefix();
    assert!(
        config
            .output_dir
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir)),
        "{:?}",
        config.output_dir
    );
});
