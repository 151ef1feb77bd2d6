//! The one integration test binary. Each area has its own module; shared
//! helpers live in `support`.

mod build;
mod cli;
mod cli_terminal;
mod crash;
mod editorial;
mod fake_instance;
mod feeds;
mod forbidden_chars;
// The benchmark store generator, for tests that need thousands of toots.
#[allow(dead_code)]
#[path = "../../benches/gen/mod.rs"]
mod gen;
mod hostile_http;
mod hostile_sync;
mod html_scan;
mod import;
mod import_merge;
mod import_sync;
mod incremental;
mod interrupt;
// out19b: what a rebuild keeps (files changed behind its back, folders
// replaced by files or links).
mod kept_files;
mod legal;
// stat19: media copies keyed by the stat of the inputs walk.
mod media_copies;
mod net_support;
mod net_timeouts;
mod net_tls;
mod non_publication;
mod outputs;
mod raw_server;
mod reader_view;
mod render;
mod sanitizer;
mod serve;
mod servers;
mod shipping;
mod stable_lists;
// out19: builds killed while staging (new and existing output folders).
mod staging_kill;
mod support;
mod sync;
mod sync_failures;
mod sync_outbox;
mod sync_paging;
mod sync_support;
mod theme;
mod xss;
