//! The one integration test binary. Each area has its own module; shared
//! helpers live in `support`.

mod build;
mod feeds;
mod html_scan;
mod outputs;
mod render;
mod sanitizer;
mod support;
mod theme;
mod xss;
