//! The one integration test binary. Each area has its own module; shared
//! helpers live in `support`.

mod build;
mod import;
mod import_merge;
mod support;
