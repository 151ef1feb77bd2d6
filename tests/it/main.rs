//! The one integration test binary. Each area has its own module; shared
//! helpers live in `support`.

mod build;
mod crash;
mod editorial;
mod fake_instance;
mod feeds;
mod forbidden_chars;
mod hostile_http;
mod hostile_sync;
mod html_scan;
mod import;
mod import_merge;
mod import_sync;
mod non_publication;
mod outputs;
mod raw_server;
mod reader_view;
mod render;
mod sanitizer;
mod serve;
mod servers;
mod support;
mod sync;
mod sync_failures;
mod sync_outbox;
mod sync_paging;
mod sync_support;
mod theme;
mod xss;
