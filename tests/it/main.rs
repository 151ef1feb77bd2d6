//! The one integration test binary. Each area has its own module; shared
//! helpers live in `support`.

mod build;
mod html_scan;
mod render;
mod sanitizer;
mod support;
mod xss;
